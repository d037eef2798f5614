//! The template context: a plain serialisable value made only of strings, numbers, `Vec`s and sorted maps,
//! so rendering is deterministic and a template author can dump it as JSON to see what they get.

//!
//! One small builder per section of the report, each in its own module: `summary` (totals, outcomes,
//! charts, mapping), `results` (rows per outcome, per account, region and service), `history` (exports,
//! timelines, the baseline), `period` (placement in the period, stale evidence), `exceptions` (the register
//! and remediation), `inputs` (every file read).

mod exceptions;
mod history;
mod inputs;
mod period;
mod results;
mod summary;

use super::charts;
use crate::analysis::Analysis;
use crate::catalog::Catalog;
use serde::Serialize;

pub use results::row_view;

/// Rows shown per outcome (and per other long table) in the HTML and Markdown reports; the CSV and the
/// workbook hold them all. Keeps a 10,000-task-set report small and quick to open.
pub const ROWS_SHOWN: usize = 200;

/// Remediation blocks shown in the reports; the rest are counted and pointed to.
pub const REMEDIATION_SHOWN: usize = 50;

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub tool: ToolInfo,
    pub catalog: Catalog,
    pub as_of: String,
    pub cover: Cover,
    pub period: PeriodView,
    pub timing: Timing,
    pub stale: Vec<RowView>,
    pub exceptions: Vec<ExceptionView>,
    pub exception_counts: Vec<CodeCount>,
    pub register_given: bool,
    pub remediation: Vec<RemediationView>,
    pub remediation_not_shown: u64,
    pub exceptions_not_shown: u64,
    pub stale_not_shown: u64,
    pub charts: Charts,
    /// The exposure-over-time chart as a table (empty with fewer than two export dates).
    pub exposure: Vec<charts::ExposurePoint>,
    pub summary_words: String,
    pub history: HistoryView,
    pub baseline: Option<BaselineView>,
    pub mapping: Mapping,
    pub totals: Totals,
    pub outcomes: Vec<OutcomeLine>,
    pub inventory_states: Vec<CodeCount>,
    pub by_account: Vec<BreakdownLine>,
    pub by_region: Vec<BreakdownLine>,
    pub by_service: Vec<BreakdownLine>,
    pub sections: Vec<Section>,
    pub disagreements: Vec<RowView>,
    pub inputs: Vec<InputView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Charts {
    pub outcomes: charts::Chart,
    pub accounts: charts::Chart,
    pub exposure: Option<charts::Chart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryView {
    pub exports: Vec<String>,
    pub exposed_during_period: u64,
    /// Task sets exposed at some export, oldest first exposure first (at most ROWS_SHOWN).
    pub timelines: Vec<TimelineView>,
    pub not_shown: u64,
    pub time_to_remediate: Vec<TtrView>,
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
    pub meaning: String,
    pub count: u64,
    pub exposed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeCount {
    pub code: String,
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
    pub problems: Vec<String>,
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
    Context {
        tool: ToolInfo {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        catalog: a.catalog.clone(),
        as_of: crate::time::format(&a.as_of),
        cover: Cover {
            org: cover.org.clone().unwrap_or_default(),
            assessor: cover.assessor.clone().unwrap_or_default(),
        },
        period: period::view(&a.period),
        timing: period::timing(a),
        stale: period::stale(a),
        stale_not_shown: period::stale_not_shown(a),
        exceptions: exceptions::views(a),
        exception_counts: exceptions::counts(a),
        register_given: a.register_given,
        remediation: exceptions::remediation(a),
        remediation_not_shown: a.remediation.len().saturating_sub(REMEDIATION_SHOWN) as u64,
        exceptions_not_shown: a.exceptions.len().saturating_sub(ROWS_SHOWN) as u64,
        charts: summary::charts(a, &history.points),
        exposure: history.points,
        summary_words: charts::in_words(&a.aggregates),
        history: history.view,
        baseline: history.baseline,
        mapping: summary::mapping(a),
        totals: summary::totals(a),
        outcomes: summary::outcomes(a),
        inventory_states: summary::inventory_states(a),
        by_account: results::lines(&a.aggregates.by_account),
        by_region: results::lines(&a.aggregates.by_region),
        by_service: results::lines(&a.aggregates.by_service),
        sections: results::sections(a),
        disagreements: results::disagreements(a),
        inputs: inputs::views(a),
    }
}
