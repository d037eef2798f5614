//! Results per outcome (a section each) and per account, region and service, most exposed first.

use super::{BreakdownLine, Capped, RowView, Section, ROWS_SHOWN};
use crate::analysis::aggregate::{most_exposed, Breakdown};
use crate::analysis::history::open_since;
use crate::analysis::Analysis;
use crate::catalog::Catalog;
use crate::period::{Period, Placement};
use crate::reconcile::{Outcome, Row};
use crate::time::format_opt;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// When each task set's exposure began, by ARN: for one exposed now, the start of its open exposure; for
/// any other, the start of its last exposure seen in an export. The reports list the oldest first, so a
/// capped table shows the longest exposures; task sets never seen exposed follow, by ARN.
pub type ExposureOrder<'a> = BTreeMap<&'a str, NaiveDate>;

pub fn exposure_order(a: &Analysis) -> ExposureOrder<'_> {
    let timelines: BTreeMap<&str, _> = a
        .history
        .timelines
        .iter()
        .map(|t| (t.task_set_arn.as_str(), t))
        .collect();
    a.rows
        .iter()
        .filter_map(|r| {
            let timeline = timelines.get(r.task_set_arn.as_str()).copied();
            let since = if r.outcome.is_exposed() {
                open_since(r, timeline)
            } else {
                timeline.and_then(|t| t.exposed_since)
            };
            since.map(|d| (r.task_set_arn.as_str(), d))
        })
        .collect()
}

/// Rows, oldest exposure first; rows are sorted by ARN already, and the sort is stable.
pub fn most_exposed_first<'r>(
    rows: impl Iterator<Item = &'r Row>,
    order: &ExposureOrder<'_>,
) -> Vec<&'r Row> {
    let mut rows: Vec<&Row> = rows.collect();
    rows.sort_by_key(|r| {
        order
            .get(r.task_set_arn.as_str())
            .copied()
            .unwrap_or(NaiveDate::MAX)
    });
    rows
}

/// One reconciliation row as text.
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
        outcome_label: r.outcome.label().to_string(),
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
        mapping_source: crate::render::tables::requirement_mapping(r, &catalog.requirement.label)
            .to_string(),
        reason: r.reason.clone(),
    }
}

/// A section per outcome, in the order of `Outcome::ALL`, each with its `ROWS_SHOWN` oldest exposures.
pub fn sections(a: &Analysis, order: &ExposureOrder<'_>) -> Vec<Section> {
    Outcome::ALL
        .iter()
        .zip(a.aggregates.outcomes)
        .map(|(o, count)| {
            let matching = most_exposed_first(a.rows.iter().filter(|r| r.outcome == *o), order);
            Section {
                code: o.code().to_string(),
                label: o.label().to_string(),
                meaning: o.meaning().to_string(),
                count,
                not_shown: matching.len().saturating_sub(ROWS_SHOWN) as u64,
                rows: matching
                    .iter()
                    .take(ROWS_SHOWN)
                    .map(|r| row_view(r, a.catalog, &a.period))
                    .collect(),
            }
        })
        .collect()
}

/// Task sets whose active finding copies disagree, oldest exposure first.
pub fn disagreements(a: &Analysis, order: &ExposureOrder<'_>) -> Capped<RowView> {
    let rows = most_exposed_first(a.rows.iter().filter(|r| r.copies_disagree), order);
    Capped::first(rows.into_iter().map(|r| row_view(r, a.catalog, &a.period)))
}

/// A breakdown, most exposed lines first (then the most task sets, then by key), capped.
pub fn top_lines(breakdown: &[Breakdown]) -> Capped<BreakdownLine> {
    Capped::first(most_exposed(breakdown).into_iter().map(|b| BreakdownLine {
        key: b.key.clone(),
        counts: b.counts.to_vec(),
        total: b.total,
        exposed: b.exposed,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(key: &str, exposed: u64, total: u64) -> Breakdown {
        Breakdown {
            key: vec![key.to_string()],
            counts: [exposed, 0, 0, 0, 0, total - exposed, 0],
            total,
            exposed,
        }
    }

    #[test]
    fn breakdowns_show_the_most_exposed_first_and_count_the_rest() {
        let mut all: Vec<Breakdown> = (0..ROWS_SHOWN as u64 + 5)
            .map(|i| line(&format!("k{i:04}"), 0, 1))
            .collect();
        all.push(line("z-most", 9, 9));
        all.push(line("a-some", 2, 10));
        all.push(line("b-some", 2, 3));
        let capped = top_lines(&all);
        let keys: Vec<&str> = capped.rows.iter().map(|l| l.key[0].as_str()).collect();
        assert_eq!(&keys[..4], ["z-most", "a-some", "b-some", "k0000"]);
        assert_eq!(capped.rows.len(), ROWS_SHOWN);
        assert_eq!(capped.not_shown, 8);
    }
}
