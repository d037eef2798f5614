//! History across exports and the comparison with a baseline pack.

use super::{
    charts::ExportPoint, BaselineView, Capped, ChangeView, CodeCount, HistoryView, TimelineView,
    TtrView, ROWS_SHOWN,
};
use crate::analysis::baseline::Baseline;
use crate::analysis::coverage::ExportCoverage;
use crate::analysis::Analysis;
use chrono::NaiveDate;

/// The history section: its view, what each export covered and saw exposed, and the baseline when there
/// is one.
pub struct Parts {
    pub view: HistoryView,
    pub points: Vec<ExportPoint>,
    pub baseline: Option<BaselineView>,
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

pub fn view(a: &Analysis) -> Parts {
    let h = &a.history;
    let exposed: Vec<_> = h
        .timelines
        .iter()
        .filter(|t| t.first_seen_exposed.is_some())
        .collect();
    let view = HistoryView {
        exports: h.snapshots.iter().map(|d| d.to_string()).collect(),
        exposed_during_period: h.exposed_during_period,
        not_shown: exposed.len().saturating_sub(ROWS_SHOWN) as u64,
        timelines: exposed
            .iter()
            .take(ROWS_SHOWN)
            .map(|t| TimelineView {
                task_set_arn: t.task_set_arn.clone(),
                first_seen_exposed: day(t.first_seen_exposed),
                last_seen_exposed: day(t.last_seen_exposed),
                fixed_at: day(t.fixed_at),
                gone: t.gone,
                exposure_days_in_period: t.exposure_days_in_period,
                snapshots_seen: t.snapshots_seen,
            })
            .collect(),
        time_to_remediate: Capped::first(most_fixed_first(h).map(|t| TtrView {
            account_id: t.account_id.clone(),
            account_name: t.account_name.clone(),
            fixed: t.fixed,
            median_days: t.median_days.map(|d| format!("{d:.1}")).unwrap_or_default(),
            max_days: t.max_days.map(|d| d.to_string()).unwrap_or_default(),
        })),
    };
    let points = h.exports.iter().map(point).collect();
    Parts {
        view,
        points,
        baseline: a.baseline.as_ref().map(baseline),
    }
}

/// Accounts by task sets fixed, most first (then by account id).
fn most_fixed_first(
    h: &crate::analysis::history::History,
) -> impl Iterator<Item = &crate::analysis::history::RemediationTime> {
    let mut all: Vec<_> = h.time_to_remediate.iter().collect();
    all.sort_by(|x, y| {
        y.fixed
            .cmp(&x.fixed)
            .then_with(|| x.account_id.cmp(&y.account_id))
    });
    all.into_iter()
}

/// What one export date covered and saw exposed, for the chart and its table.
fn point(e: &ExportCoverage) -> ExportPoint {
    ExportPoint {
        date: e.date.to_string(),
        accounts: e.accounts,
        regions: e.regions,
        account_regions: e.account_regions,
        account_regions_added: e.account_regions_added,
        account_regions_dropped: e.account_regions_dropped,
        coverage_changed: e.coverage_changed(),
        exposed: e.exposed,
        per_account_region: format!("{:.2}", e.exposed_per_account_region()),
        ratio: e.exposed_per_account_region(),
    }
}

fn baseline(b: &Baseline) -> BaselineView {
    BaselineView {
        path: b.path.clone(),
        as_of: b.as_of.clone(),
        period: b.period.clone(),
        counts: b
            .change_counts()
            .map(|(kind, count)| CodeCount {
                code: kind.as_str().to_string(),
                label: kind.label().to_string(),
                count,
            })
            .collect(),
        changes: b
            .changes
            .iter()
            .take(ROWS_SHOWN)
            .map(|c| ChangeView {
                task_set_arn: c.task_set_arn.clone(),
                change: c.change.as_str().to_string(),
                baseline: c.baseline.clone(),
                current: c.current.clone(),
            })
            .collect(),
        not_shown: b.changes.len().saturating_sub(ROWS_SHOWN) as u64,
    }
}
