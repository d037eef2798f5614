//! The assessment period and where the evidence falls in it: stale evidence is last observed before it.

use super::{results::row_view, PeriodView, RowView, Timing, ROWS_SHOWN};
use crate::analysis::Analysis;
use crate::period::{Period, Placement};
use crate::reconcile::Row;

pub fn view(p: &Period) -> PeriodView {
    PeriodView {
        label: p.label.clone(),
        first_day: p.first_day.to_string(),
        last_day: p.last_day.to_string(),
        days: p.days(),
    }
}

fn placement(a: &Analysis, r: &Row) -> Option<Placement> {
    r.last_observed_at.map(|t| a.period.place(&t))
}

fn placed(a: &Analysis, p: Option<Placement>) -> u64 {
    a.rows.iter().filter(|r| placement(a, r) == p).count() as u64
}

pub fn timing(a: &Analysis) -> Timing {
    Timing {
        inside: placed(a, Some(Placement::Inside)),
        before: placed(a, Some(Placement::Before)),
        after: placed(a, Some(Placement::After)),
        unobserved: placed(a, None),
    }
}

/// Task sets last observed before the period (at most `ROWS_SHOWN`).
pub fn stale(a: &Analysis) -> Vec<RowView> {
    a.rows
        .iter()
        .filter(|r| placement(a, r) == Some(Placement::Before))
        .take(ROWS_SHOWN)
        .map(|r| row_view(r, a.catalog, &a.period))
        .collect()
}

pub fn stale_not_shown(a: &Analysis) -> u64 {
    placed(a, Some(Placement::Before)).saturating_sub(ROWS_SHOWN as u64)
}
