//! The template context: a plain serialisable value made only of strings, numbers, `Vec`s and sorted maps,
//! so rendering is deterministic and a template author can dump it as JSON to see what they get.
//!
//! One small builder per section of the report, each in its own module: `summary` (the first screen's
//! figures and sentences, totals, outcomes, charts, mapping), `results` (rows per outcome, per account,
//! region and service, most exposed first), `history` (what each export covered, timelines, the baseline),
//! `period` (placement in the period, stale evidence), `population` (what was examined, coverage gaps,
//! days with evidence), `exceptions` (the register, the remediation status
//! and runbooks), `inputs` (a line per kind of file, the first files).
//!
//! Every long table is cut at `ROWS_SHOWN` rows and says how many more there are; `verdict` and `pack_id`
//! are the places a later stage fills (issue 13), `None` until then.

mod exceptions;
mod history;
mod inputs;
mod period;
mod population;
mod reach;
mod results;
mod scope;
mod summary;
mod verdict;

use super::charts;
use crate::analysis::Analysis;
use crate::catalog::Catalog;
use serde::Serialize;

pub use results::row_view;

/// Rows shown per outcome (and per other long table) in the HTML and Markdown reports; the CSV and the
/// workbook hold them all. Keeps an organisation's report (100,000 task sets, 100,000 inputs) near 1 MB,
/// far under the 10 MB (HTML) and 5 MB (Markdown) caps.
pub const ROWS_SHOWN: usize = 200;

/// Remediation blocks shown in the reports; the rest are counted and pointed to.
pub const REMEDIATION_SHOWN: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub tool: ToolInfo,
    pub catalog: Catalog,
    pub as_of: String,
    /// The pack's identifier for the running footer and the cover, when the pack has one (`None` today:
    /// the footer then shows the tool version and `as_of` only).
    pub pack_id: Option<String>,
    /// The assessor's verdict for the requirement, when one is made (`None` today). The first screen, the top
    /// of the Markdown and a `Verdict` sheet of the workbook show it when present.
    pub verdict: Option<VerdictView>,
    pub cover: Cover,
    pub period: PeriodView,
    pub timing: Timing,
    /// The first screen's key figures, in the order shown.
    pub figures: Vec<Figure>,
    /// The executive summary, one short sentence each.
    pub summary_sentences: Vec<String>,
    pub stale: Vec<RowView>,
    pub exceptions: Vec<ExceptionView>,
    pub exception_counts: Vec<CodeCount>,
    pub register_given: bool,
    /// Runbooks for the exposed task sets, oldest exposure first (at most `REMEDIATION_SHOWN`); the
    /// report's appendix.
    pub remediation: Vec<RemediationView>,
    pub remediation_not_shown: u64,
    /// What is open and since when, one line per exposed task set, oldest first: the body's remediation
    /// status table.
    pub remediation_status: Capped<RemediationStatusView>,
    pub exceptions_not_shown: u64,
    pub stale_not_shown: u64,
    pub charts: Charts,
    /// Per export date: what it covered and what it saw exposed (the history chart as a table).
    pub exports: Capped<charts::ExportPoint>,
    pub history: HistoryView,
    pub baseline: Option<BaselineView>,
    pub mapping: Mapping,
    pub totals: Totals,
    pub outcomes: Vec<OutcomeLine>,
    pub inventory_states: Vec<CodeCount>,
    /// Breakdowns, most exposed first.
    pub by_account: Capped<BreakdownLine>,
    pub by_region: Capped<BreakdownLine>,
    pub by_service: Capped<BreakdownLine>,
    pub sections: Vec<Section>,
    pub disagreements: Capped<RowView>,
    pub inputs: InputsView,
    pub population: population::PopulationView,
    pub reach: reach::ReachView,
    pub scope: scope::ScopeView,
}

/// The first rows of a long table and how many more the CSV file and the workbook hold.
#[derive(Debug, Clone, Serialize)]
pub struct Capped<T> {
    pub rows: Vec<T>,
    pub not_shown: u64,
}

impl<T> Capped<T> {
    /// The first `ROWS_SHOWN` of `all`.
    pub fn first(all: impl IntoIterator<Item = T>) -> Capped<T> {
        let mut rows = Vec::new();
        let mut not_shown = 0u64;
        for item in all {
            if rows.len() < ROWS_SHOWN {
                rows.push(item);
            } else {
                not_shown += 1;
            }
        }
        Capped { rows, not_shown }
    }
}

/// A verdict on the requirement, in the Report on Compliance's words (filled by a later stage).
#[derive(Debug, Clone, Serialize)]
pub struct VerdictView {
    pub requirement: String,
    /// `IN_PLACE`, `NOT_IN_PLACE`, `NOT_TESTED`, …
    pub status: String,
    /// The verdict in one line an assessor can quote.
    pub line: String,
    /// What decided it, one short sentence each.
    pub rests_on: Vec<String>,
    /// What the pack does not examine.
    pub limits: Vec<String>,
}

/// One key figure of the first screen.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// A stable name for templates and tests (`in_scope`, `exposed_now`, …).
    pub id: String,
    pub value: String,
    pub label: String,
    /// What the figure counts, or where it comes from, in a few words.
    pub note: String,
}

/// One exposed task set in the remediation status table.
#[derive(Debug, Clone, Serialize)]
pub struct RemediationStatusView {
    pub task_set_arn: String,
    pub outcome: String,
    pub outcome_label: String,
    pub method: String,
    /// When its exposure began (a date), or empty when nothing dates it.
    pub open_since: String,
    pub days_open: String,
    /// The number of its runbook in the appendix, or 0 when it has none there.
    pub runbook: usize,
}

/// The inputs section: a line per kind of file, and the first files.
#[derive(Debug, Clone, Serialize)]
pub struct InputsView {
    pub kinds: Vec<KindLine>,
    pub files: Capped<InputView>,
}

/// How many files of one kind were read, and what they held.
#[derive(Debug, Clone, Serialize)]
pub struct KindLine {
    pub kind: String,
    pub files: u64,
    pub used: u64,
    pub rejected: u64,
    pub skipped: u64,
    pub bytes: u64,
    pub records_read: u64,
    pub ecs16_findings: u64,
    pub task_sets: u64,
    pub problems: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Charts {
    pub outcomes: charts::Chart,
    pub accounts: charts::Chart,
    /// Exposure per covered account-region across export dates (`None` with fewer than two dates).
    pub exposure: Option<charts::Chart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub exports: Vec<String>,
    pub exposed_during_period: u64,
    /// Task sets exposed at some export, oldest first exposure first (at most ROWS_SHOWN).
    pub timelines: Vec<TimelineView>,
    pub not_shown: u64,
    /// Accounts, most task sets fixed first.
    pub time_to_remediate: Capped<TtrView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineView {
    pub task_set_arn: String,
    pub first_seen_exposed: String,
    pub last_seen_exposed: String,
    pub fixed_at: String,
    pub gone: bool,
    pub exposure_days_in_period: i64,
    pub snapshots_seen: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TtrView {
    pub account_id: String,
    pub account_name: String,
    pub fixed: u64,
    pub median_days: String,
    pub max_days: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BaselineView {
    pub path: String,
    pub as_of: String,
    pub period: String,
    pub counts: Vec<CodeCount>,
    pub changes: Vec<ChangeView>,
    pub not_shown: u64,
}

/// One change since the baseline.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub task_set_arn: String,
    pub change: String,
    pub baseline: String,
    pub current: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    pub org: String,
    pub assessor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    pub label: String,
    pub first_day: String,
    pub last_day: String,
    pub days: i64,
}

/// Where the task sets' last observations fall relative to the period.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    pub inside: u64,
    /// Last observed before the period started: stale evidence for this period.
    pub before: u64,
    pub after: u64,
    pub unobserved: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mapping {
    pub from_finding: u64,
    pub from_catalog: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExceptionView {
    pub task_set_arn: String,
    pub account_id: String,
    pub account_name: String,
    pub outcome: String,
    pub status: String,
    pub note_text: String,
    pub note_updated_by: String,
    pub note_updated_at: String,
    pub register_line: String,
    pub register_task_set_arn: String,
    pub justification: String,
    pub approver: String,
    pub ticket: String,
    pub expires: String,
    pub basis: String,
    pub reference: String,
    /// Whether the entry makes the exposure a valid PCI DSS exception, in words.
    pub pci: String,
    pub valid_pci_exception: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemediationView {
    pub task_set_arn: String,
    pub outcome: String,
    pub method: String,
    pub script: String,
    /// A Markdown fence the script cannot close.
    pub fence: String,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub task_sets: u64,
    pub exposed: u64,
    pub findings_read: u64,
    pub ecs16_findings_read: u64,
    pub findings_selected: u64,
    pub duplicates_dropped: u64,
    pub task_sets_in_dumps: u64,
    pub inputs_used: u64,
    pub inputs_rejected: u64,
    pub inputs_skipped: u64,
    pub record_problems: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct OutcomeLine {
    pub code: String,
    pub label: String,
    pub meaning: String,
    pub count: u64,
    pub exposed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeCount {
    pub code: String,
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownLine {
    pub key: Vec<String>,
    pub counts: Vec<u64>,
    pub total: u64,
    pub exposed: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub code: String,
    pub label: String,
    pub meaning: String,
    pub count: u64,
    pub rows: Vec<RowView>,
    /// Rows of this outcome not shown in the report (they are in the CSV).
    pub not_shown: u64,
}

/// One reconciliation row as text.
#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub task_set_arn: String,
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    pub cluster: String,
    pub service: String,
    pub outcome: String,
    pub outcome_label: String,
    pub securityhub_status: String,
    pub workflow_status: String,
    pub record_state: String,
    pub inventory_state: String,
    pub assign_public_ip: String,
    pub task_set_status: String,
    pub finding_id: String,
    pub finding_standard: String,
    pub last_observed_at: String,
    /// `inside`, `before` (stale), `after` the period, or empty when never observed.
    pub observed_in_period: String,
    pub stale: bool,
    pub note_text: String,
    pub note_updated_by: String,
    pub note_updated_at: String,
    /// Where the PCI DSS 1.4.4 mapping of this row comes from: `finding` (its RelatedRequirements) or `catalog`.
    pub mapping_source: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InputView {
    pub path: String,
    pub size: u64,
    pub sha256: String,
    pub kind: String,
    pub status: String,
    pub why: String,
    pub records_read: u64,
    pub ecs16_findings: u64,
    pub task_sets: u64,
    /// The first few problems; the Inputs sheet and `data/inputs.csv` have them all.
    pub problems: Vec<String>,
    pub problems_not_shown: u64,
}

/// What the cover shows beside the analysis.
#[derive(Debug, Clone, Default)]
pub struct CoverText {
    pub org: Option<String>,
    pub assessor: Option<String>,
}

/// Builds the template context of an analysis.
pub fn build(a: &Analysis, cover: &CoverText) -> Context {
    let history = history::view(a);
    let exposure_order = results::exposure_order(a);
    let runbooks = exceptions::runbook_order(a, &exposure_order);
    Context {
        tool: ToolInfo {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        catalog: a.catalog.clone(),
        as_of: crate::time::format(&a.as_of),
        pack_id: None,
        verdict: Some(verdict::view(a)),
        cover: Cover {
            org: cover.org.clone().unwrap_or_default(),
            assessor: cover.assessor.clone().unwrap_or_default(),
        },
        period: period::view(&a.period),
        timing: period::timing(a),
        figures: summary::figures(a),
        summary_sentences: summary::sentences(a),
        stale: period::stale(a),
        stale_not_shown: period::stale_not_shown(a),
        exceptions: exceptions::views(a),
        exception_counts: exceptions::counts(a),
        register_given: a.register_given,
        remediation: exceptions::remediation(&runbooks),
        remediation_not_shown: runbooks.len().saturating_sub(REMEDIATION_SHOWN) as u64,
        remediation_status: exceptions::status(a, &runbooks),
        exceptions_not_shown: a.exceptions.len().saturating_sub(ROWS_SHOWN) as u64,
        charts: summary::charts(a, &history.points),
        exports: Capped::first(history.points),
        history: history.view,
        baseline: history.baseline,
        mapping: summary::mapping(a),
        totals: summary::totals(a),
        outcomes: summary::outcomes(a),
        inventory_states: summary::inventory_states(a),
        by_account: results::top_lines(&a.aggregates.by_account),
        by_region: results::top_lines(&a.aggregates.by_region),
        by_service: results::top_lines(&a.aggregates.by_service),
        sections: results::sections(a, &exposure_order),
        disagreements: results::disagreements(a, &exposure_order),
        inputs: inputs::view(a),
        population: population::view(a),
        reach: reach::view(a),
        scope: scope::view(a),
    }
}
