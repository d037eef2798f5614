//! Analysis: everything the pack says, worked out before anything is rendered.
//!
//! [`analyse`] runs the stages up to here in order — ingest → dedupe → reconcile → aggregate, exceptions,
//! remediation, history and the baseline comparison — and returns an [`Analysis`] of results only (no
//! paths to write to, no manifest). The command line, the tests and the fuzz targets all call it, so what
//! they check is what a real run does.

pub mod aggregate;
pub mod baseline;
pub mod coverage;
pub mod exceptions;
pub mod history;
pub mod network;
pub mod population;
pub mod reach;
pub mod remediation;
pub mod scope;
pub mod verdict;

use crate::catalog::Catalog;
use crate::ingest::{self, IngestError, InputReport, Inputs};
use crate::model::{Finding, Inventory, UnreadableFinding};
use crate::period::Period;
use crate::reconcile::{self, Row};
use aggregate::Aggregates;
use baseline::{Baseline, PreviousPack};
use chrono::{DateTime, Utc};
use exceptions::{ExceptionRow, RegisterEntry};
use history::History;
use remediation::Remediation;

/// The assessment period: given, or the calendar quarter that contains `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodChoice {
    Given(Period),
    QuarterOfAsOf,
}

/// What an analysis needs beside its inputs, every option already checked.
#[derive(Debug, Clone)]
pub struct AnalysisPlan {
    pub ingest: ingest::Options,
    /// The moment the evidence describes; `None`: the newest timestamp in the inputs.
    pub as_of: Option<DateTime<Utc>>,
    pub period: PeriodChoice,
    /// The exceptions register, when one was given.
    pub register: Option<Vec<RegisterEntry>>,
    /// The previous pack to compare with, already verified and read.
    pub previous: Option<PreviousPack>,
    /// The scope file, when one was given: without it every task set is `undeclared`.
    pub scope: Option<scope::ScopeFile>,
}

/// Everything the pack is rendered from.
#[derive(Debug)]
pub struct Analysis {
    pub catalog: &'static Catalog,
    pub as_of: DateTime<Utc>,
    pub period: Period,
    pub inputs: Vec<InputReport>,
    /// Every distinct ECS.16 finding (one per Id), sorted by Id.
    pub findings: Vec<Finding>,
    pub duplicates_dropped: u64,
    /// Records that may be ECS.16 findings but whose task set or status cannot be read.
    pub unreadable_findings: Vec<UnreadableFinding>,
    pub inventory: Inventory,
    /// One row per task set, sorted by ARN.
    pub rows: Vec<Row>,
    pub aggregates: Aggregates,
    pub exceptions: Vec<ExceptionRow>,
    pub register_given: bool,
    pub remediation: Vec<Remediation>,
    pub history: History,
    pub baseline: Option<Baseline>,
    /// The population examined and where the evidence may not reach all of it.
    pub population: population::Population,
    /// How the internet reaches each task set, in the order of `rows`.
    pub reach: Vec<reach::Reach>,
    /// How many network resources of each kind the inputs described (empty: no network evidence given).
    pub network_counts: std::collections::BTreeMap<crate::network::ResourceKind, usize>,
    /// Each task set's scope, in the order of `rows`.
    pub scopes: Vec<scope::Scope>,
    /// Each coverage gap's scope, in the order of `population.gaps`.
    pub gap_scopes: Vec<scope::Scope>,
    pub scope_file: Option<scope::ScopeFile>,
    /// The verdict on requirement 1.4.4.
    pub verdict: verdict::Verdict,
}

/// Why an analysis could not be made.
#[derive(Debug, thiserror::Error)]
pub enum AnalyseError {
    #[error(transparent)]
    Ingest(#[from] IngestError),
    #[error("the inputs hold no time a service stamped (ProcessedAt, an EventBridge or OCSF time, a dump's createdAt or updatedAt) to date the evidence by: give --as-of")]
    NoTimestamp,
    #[error("aggregating the reconciliation: {0}")]
    Aggregate(polars::prelude::PolarsError),
}

/// The default `as_of`: the newest time a service stamped on the evidence — `ProcessedAt`, an event's
/// `time` or an OCSF `time` on any finding read, whatever its control, and the dumps' own times — so the
/// pack never depends on the clock, nor on a time a finding's provider chose (`UpdatedAt`,
/// `LastObservedAt`, …), which one forged value could push to 9999.
fn newest_stamp(ingested: &ingest::Ingested) -> Option<DateTime<Utc>> {
    ingested
        .newest_stamp
        .max(ingested.inventory.newest_timestamp)
}

/// Runs every stage up to rendering.
pub fn analyse(plan: &AnalysisPlan, inputs: &Inputs) -> Result<Analysis, AnalyseError> {
    let mut ingested = ingest::ingest(inputs, &plan.ingest)?;
    let as_of = plan
        .as_of
        .or_else(|| newest_stamp(&ingested))
        .ok_or(AnalyseError::NoTimestamp)?;
    // History needs every copy of every finding (one per export), but only what dates and places it; the
    // current state needs one whole finding per Id.
    let all_copies: Vec<_> = ingested.findings.iter().map(|f| f.for_history()).collect();
    let (findings, duplicates) = crate::dedupe::by_id(ingested.findings);
    let rows = reconcile::reconcile(&findings, &ingested.inventory);
    let period = match &plan.period {
        PeriodChoice::Given(p) => p.clone(),
        PeriodChoice::QuarterOfAsOf => Period::quarter_containing(&as_of),
    };
    let aggregates = aggregate::aggregate(&rows).map_err(AnalyseError::Aggregate)?;
    let register = plan.register.as_deref().unwrap_or_default();
    let exceptions = exceptions::evaluate(&rows, register, &as_of);
    let remediation = remediation::plan(&rows, &ingested.inventory);
    let history = history::build(
        &all_copies,
        &ingested.inventory.config_timeline,
        &rows,
        &period,
        &as_of,
    );
    let population = population::population(
        &rows,
        &ingested.inventory,
        &ingested.inputs,
        &period,
        as_of.date_naive(),
    );
    let model = network::model(
        &ingested.network_records,
        &ingested.network_items,
        &mut ingested.inputs,
        as_of,
    );
    let reach = reach::for_rows(&model, &rows, &ingested.inventory);
    let network_counts = if model.is_empty() {
        Default::default()
    } else {
        model.counts()
    };
    let scopes = scopes_of(&rows, plan.scope.as_ref());
    let gap_scopes = gap_scopes(&population, plan.scope.as_ref());
    let verdict = verdict::verdict(&verdict::Evidence {
        rows: &rows,
        scopes: &scopes,
        reach: &reach,
        exceptions: &exceptions,
        population: &population,
        gap_scopes: &gap_scopes,
        scope_given: plan.scope.is_some(),
        unreadable_ecs16: ingested.unreadable_findings.len(),
        network_given: !network_counts.is_empty(),
    });
    let baseline = plan
        .previous
        .as_ref()
        .map(|before| baseline::compare(before, &rows, &exceptions));
    Ok(Analysis {
        catalog: crate::catalog::catalog(),
        as_of,
        period,
        inputs: ingested.inputs,
        findings,
        duplicates_dropped: duplicates as u64,
        unreadable_findings: ingested.unreadable_findings,
        inventory: ingested.inventory,
        rows,
        aggregates,
        exceptions,
        register_given: plan.register.is_some(),
        remediation,
        history,
        baseline,
        population,
        reach,
        network_counts,
        scopes,
        gap_scopes,
        scope_file: plan.scope.clone(),
        verdict,
    })
}

/// Each coverage gap's scope, as far as its place is known (an unknown cluster or service matches only
/// rows that give `*` there).
fn gap_scopes(p: &population::Population, file: Option<&scope::ScopeFile>) -> Vec<scope::Scope> {
    p.gaps
        .iter()
        .map(|g| scope::scope_at(file, [&g.account_id, &g.region, &g.cluster, &g.service]))
        .collect()
}

/// Each row's scope: the scope file's most specific row, else `undeclared`.
fn scopes_of(rows: &[Row], file: Option<&scope::ScopeFile>) -> Vec<scope::Scope> {
    rows.iter()
        .map(|r| scope::scope_at(file, [&r.account_id, &r.region, &r.cluster, &r.service]))
        .collect()
}
