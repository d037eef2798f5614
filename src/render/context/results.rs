//! Results per outcome (a section each) and per account, region and service.

use super::{BreakdownLine, RowView, Section, ROWS_SHOWN};
use crate::analysis::aggregate::Breakdown;
use crate::analysis::Analysis;
use crate::catalog::Catalog;
use crate::period::{Period, Placement};
use crate::reconcile::{Outcome, Row};
use crate::time::format_opt;

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

/// A section per outcome, in the order of `Outcome::ALL`, each with at most `ROWS_SHOWN` rows.
pub fn sections(a: &Analysis) -> Vec<Section> {
    Outcome::ALL
        .iter()
        .zip(a.aggregates.outcomes)
        .map(|(o, count)| {
            let matching: Vec<&Row> = a.rows.iter().filter(|r| r.outcome == *o).collect();
            Section {
                code: o.code().to_string(),
                meaning: o.meaning().to_string(),
                count,
                rows: matching
                    .iter()
                    .take(ROWS_SHOWN)
                    .map(|r| row_view(r, a.catalog, &a.period))
                    .collect(),
                not_shown: matching.len().saturating_sub(ROWS_SHOWN) as u64,
            }
        })
        .collect()
}

/// Task sets whose active finding copies disagree.
pub fn disagreements(a: &Analysis) -> Vec<RowView> {
    a.rows
        .iter()
        .filter(|r| r.copies_disagree)
        .map(|r| row_view(r, a.catalog, &a.period))
        .collect()
}

pub fn lines(breakdown: &[Breakdown]) -> Vec<BreakdownLine> {
    breakdown
        .iter()
        .map(|b| BreakdownLine {
            key: b.key.clone(),
            counts: b.counts.to_vec(),
            total: b.total,
            exposed: b.exposed,
        })
        .collect()
}
