//! History across exports and the comparison with a baseline pack.

use super::{
    charts::ExposurePoint, BaselineView, ChangeView, CodeCount, HistoryView, TimelineView, TtrView,
    ROWS_SHOWN,
};
use crate::analysis::baseline::Baseline;
use crate::analysis::Analysis;
use chrono::NaiveDate;

/// The history section: its view, the exposure-per-export points, and the baseline when there is one.
pub struct Parts {
    pub view: HistoryView,
    pub points: Vec<ExposurePoint>,
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
        time_to_remediate: h
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
    };
    let points = h
        .exposed_per_snapshot
        .iter()
        .map(|(d, n)| ExposurePoint {
            date: d.to_string(),
            exposed: *n,
        })
        .collect();
    Parts {
        view,
        points,
        baseline: a.baseline.as_ref().map(baseline),
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
