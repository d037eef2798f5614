//! The template context: a plain serialisable value made only of strings, numbers, `Vec`s and sorted maps,
//! so rendering is deterministic and a template author can dump it as JSON to see what they get.

use crate::aggregate::{Aggregates, Breakdown};
use crate::catalog::Catalog;
use crate::exceptions::{ExceptionRow, ExceptionStatus};
use crate::ingest::{InputReport, InputStatus};
use crate::period::{Period, Placement};
use crate::reconcile::{InventoryState, Outcome, Row};
use crate::remediation::{fence_for, Remediation};
use crate::time::format_opt;
use serde::Serialize;

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
    pub exposure: Vec<super::charts::ExposurePoint>,
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
    pub outcomes: super::charts::Chart,
    pub accounts: super::charts::Chart,
    pub exposure: Option<super::charts::Chart>,
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
    pub changes: Vec<crate::baseline::Change>,
    pub not_shown: u64,
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

/// Everything the context is built from.
pub struct Sources<'a> {
    pub catalog: &'a Catalog,
    pub as_of: String,
    pub period: &'a Period,
    pub org: Option<String>,
    pub assessor: Option<String>,
    pub exceptions: &'a [ExceptionRow],
    pub register_given: bool,
    pub remediation: &'a [Remediation],
    pub exposure_points: &'a [super::charts::ExposurePoint],
    pub history: &'a crate::history::History,
    pub baseline: Option<&'a crate::baseline::Baseline>,
    pub rows: &'a [Row],
    pub aggregates: &'a Aggregates,
    pub inputs: &'a [InputReport],
    pub findings_selected: u64,
    pub duplicates_dropped: u64,
    pub task_sets_in_dumps: u64,
}

pub fn row_view(r: &Row, catalog: &Catalog, period: &Period) -> RowView {
    let placement = r.last_observed_at.map(|t| period.place(&t));
    RowView {
        task_set_arn: r.task_set_arn.clone(),
        account_id: r.account_id.clone(),
        account_name: r.account_name.clone(),
        region: r.region.clone(),
        cluster: r.cluster.clone(),
        service: r.service.clone(),
        outcome: r.outcome.code().to_string(),
        securityhub_status: r.securityhub_status.clone(),
        workflow_status: r.workflow_status.clone(),
        record_state: r.record_state.clone(),
        inventory_state: r.inventory_state.code().to_string(),
        assign_public_ip: r.assign_public_ip.clone(),
        task_set_status: r.task_set_status.clone(),
        finding_id: r.finding_id.clone(),
        finding_standard: r.finding_standard.clone(),
        last_observed_at: format_opt(&r.last_observed_at),
        observed_in_period: placement
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        stale: placement == Some(Placement::Before),
        note_text: r.note_text.clone(),
        note_updated_by: r.note_updated_by.clone(),
        note_updated_at: format_opt(&r.note_updated_at),
        mapping_source: super::tables::requirement_mapping(r, &catalog.requirement.label)
            .to_string(),
        reason: r.reason.clone(),
    }
}

fn line(b: &Breakdown) -> BreakdownLine {
    BreakdownLine {
        key: b.key.clone(),
        counts: b.counts.to_vec(),
        total: b.total,
        exposed: b.exposed,
    }
}

pub fn build(s: Sources<'_>) -> Context {
    let a = s.aggregates;
    let sections = Outcome::ALL
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let matching: Vec<&Row> = s.rows.iter().filter(|r| r.outcome == *o).collect();
            Section {
                code: o.code().to_string(),
                meaning: o.meaning().to_string(),
                count: a.outcomes[i],
                rows: matching
                    .iter()
                    .take(ROWS_SHOWN)
                    .map(|r| row_view(r, s.catalog, s.period))
                    .collect(),
                not_shown: matching.len().saturating_sub(ROWS_SHOWN) as u64,
            }
        })
        .collect();
    let count = |st: &InputStatus| {
        s.inputs
            .iter()
            .filter(|i| std::mem::discriminant(&i.status) == std::mem::discriminant(st))
            .count() as u64
    };
    let placements: Vec<Option<Placement>> = s
        .rows
        .iter()
        .map(|r| r.last_observed_at.map(|t| s.period.place(&t)))
        .collect();
    let placed = |p: Option<Placement>| placements.iter().filter(|x| **x == p).count() as u64;
    let from_finding = s
        .rows
        .iter()
        .filter(|r| {
            super::tables::requirement_mapping(r, &s.catalog.requirement.label) == "finding"
        })
        .count() as u64;
    let statuses = [
        ExceptionStatus::Documented,
        ExceptionStatus::Undocumented,
        ExceptionStatus::Expired,
        ExceptionStatus::NotSuppressed,
        ExceptionStatus::Unused,
    ];
    Context {
        cover: Cover {
            org: s.org.clone().unwrap_or_default(),
            assessor: s.assessor.clone().unwrap_or_default(),
        },
        period: PeriodView {
            label: s.period.label.clone(),
            first_day: s.period.first_day.to_string(),
            last_day: s.period.last_day.to_string(),
            days: s.period.days(),
        },
        timing: Timing {
            inside: placed(Some(Placement::Inside)),
            before: placed(Some(Placement::Before)),
            after: placed(Some(Placement::After)),
            unobserved: placed(None),
        },
        stale: s
            .rows
            .iter()
            .filter(|r| {
                r.last_observed_at
                    .is_some_and(|t| s.period.place(&t) == Placement::Before)
            })
            .take(ROWS_SHOWN)
            .map(|r| row_view(r, s.catalog, s.period))
            .collect(),
        stale_not_shown: placed(Some(Placement::Before)).saturating_sub(ROWS_SHOWN as u64),
        exceptions_not_shown: s.exceptions.len().saturating_sub(ROWS_SHOWN) as u64,
        remediation_not_shown: s.remediation.len().saturating_sub(REMEDIATION_SHOWN) as u64,
        charts: Charts {
            outcomes: super::charts::outcomes(a),
            accounts: super::charts::outcomes_per_account(a),
            exposure: super::charts::exposure_over_time(s.exposure_points),
        },
        exposure: s.exposure_points.to_vec(),
        history: {
            let opt = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            let exposed: Vec<_> = s
                .history
                .timelines
                .iter()
                .filter(|t| t.first_seen_exposed.is_some())
                .collect();
            HistoryView {
                exports: s.history.snapshots.iter().map(|d| d.to_string()).collect(),
                exposed_during_period: s.history.exposed_during_period,
                not_shown: exposed.len().saturating_sub(ROWS_SHOWN) as u64,
                timelines: exposed
                    .iter()
                    .take(ROWS_SHOWN)
                    .map(|t| TimelineView {
                        task_set_arn: t.task_set_arn.clone(),
                        first_seen_exposed: opt(t.first_seen_exposed),
                        last_seen_exposed: opt(t.last_seen_exposed),
                        fixed_at: opt(t.fixed_at),
                        gone: t.gone,
                        exposure_days_in_period: t.exposure_days_in_period,
                        snapshots_seen: t.snapshots_seen,
                    })
                    .collect(),
                time_to_remediate: s
                    .history
                    .time_to_remediate
                    .iter()
                    .map(|t| TtrView {
                        account_id: t.account_id.clone(),
                        account_name: t.account_name.clone(),
                        fixed: t.fixed,
                        median_days: t.median_days.map(|d| format!("{d:.1}")).unwrap_or_default(),
                        max_days: t.max_days.map(|d| d.to_string()).unwrap_or_default(),
                    })
                    .collect(),
            }
        },
        baseline: s.baseline.map(|b| BaselineView {
            path: b.path.clone(),
            as_of: b.as_of.clone(),
            period: b.period.clone(),
            counts: b
                .change_counts()
                .map(|(code, count)| CodeCount {
                    code: code.to_string(),
                    count,
                })
                .collect(),
            changes: b.changes.iter().take(ROWS_SHOWN).cloned().collect(),
            not_shown: b.changes.len().saturating_sub(ROWS_SHOWN) as u64,
        }),
        summary_words: super::charts::in_words(a),
        exceptions: s
            .exceptions
            .iter()
            .take(ROWS_SHOWN)
            .map(|e| ExceptionView {
                task_set_arn: e.task_set_arn.clone(),
                account_id: e.account_id.clone(),
                account_name: e.account_name.clone(),
                outcome: e.outcome.clone(),
                status: e.status.code().to_string(),
                note_text: e.note_text.clone(),
                note_updated_by: e.note_updated_by.clone(),
                note_updated_at: format_opt(&e.note_updated_at),
                register_line: e.register_line.map(|l| l.to_string()).unwrap_or_default(),
                register_task_set_arn: e.register_task_set_arn.clone(),
                justification: e.justification.clone(),
                approver: e.approver.clone(),
                ticket: e.ticket.clone(),
                expires: e.expires.map(|d| d.to_string()).unwrap_or_default(),
            })
            .collect(),
        exception_counts: statuses
            .iter()
            .map(|st| CodeCount {
                code: st.code().to_string(),
                count: s.exceptions.iter().filter(|e| e.status == *st).count() as u64,
            })
            .collect(),
        register_given: s.register_given,
        remediation: s
            .remediation
            .iter()
            .take(REMEDIATION_SHOWN)
            .take(REMEDIATION_SHOWN)
            .map(|r| RemediationView {
                task_set_arn: r.task_set_arn.clone(),
                outcome: r.outcome.clone(),
                method: r.method.clone(),
                fence: fence_for(&r.script),
                script: r.script.clone(),
                notes: r.notes.clone(),
            })
            .collect(),
        mapping: Mapping {
            from_finding,
            from_catalog: s.rows.len() as u64 - from_finding,
        },
        tool: ToolInfo {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        catalog: s.catalog.clone(),
        as_of: s.as_of,
        totals: Totals {
            task_sets: a.total,
            exposed: a.exposed,
            findings_read: s.inputs.iter().map(|i| i.findings_read).sum(),
            ecs16_findings_read: s.inputs.iter().map(|i| i.ecs16_findings).sum(),
            findings_selected: s.findings_selected,
            duplicates_dropped: s.duplicates_dropped,
            task_sets_in_dumps: s.task_sets_in_dumps,
            inputs_used: count(&InputStatus::Used),
            inputs_rejected: count(&InputStatus::Rejected(String::new())),
            inputs_skipped: count(&InputStatus::Skipped(String::new())),
            record_problems: s.inputs.iter().map(|i| i.problems.len() as u64).sum(),
        },
        outcomes: Outcome::ALL
            .iter()
            .zip(a.outcomes)
            .map(|(o, count)| OutcomeLine {
                code: o.code().to_string(),
                meaning: o.meaning().to_string(),
                count,
                exposed: o.is_exposed(),
            })
            .collect(),
        inventory_states: InventoryState::ALL
            .iter()
            .zip(a.inventory_states)
            .map(|(st, count)| CodeCount {
                code: st.code().to_string(),
                count,
            })
            .collect(),
        by_account: a.by_account.iter().map(line).collect(),
        by_region: a.by_region.iter().map(line).collect(),
        by_service: a.by_service.iter().map(line).collect(),
        sections,
        disagreements: s
            .rows
            .iter()
            .filter(|r| r.copies_disagree)
            .map(|r| row_view(r, s.catalog, s.period))
            .collect(),
        inputs: s
            .inputs
            .iter()
            .map(|i| {
                let (status, why) = match &i.status {
                    InputStatus::Used => ("used", String::new()),
                    InputStatus::Rejected(w) => ("rejected", w.clone()),
                    InputStatus::Skipped(w) => ("skipped", w.clone()),
                };
                InputView {
                    path: i.path.clone(),
                    size: i.size,
                    sha256: i.sha256.clone(),
                    kind: i.kind.clone(),
                    status: status.to_string(),
                    why,
                    records_read: i.records_read(),
                    ecs16_findings: i.ecs16_findings,
                    task_sets: i.task_sets,
                    problems: i
                        .problems
                        .iter()
                        .map(|p| {
                            if p.record == 0 {
                                p.message.clone()
                            } else {
                                format!("record {}: {}", p.record, p.message)
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}
