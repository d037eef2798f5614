//! The executive summary: totals, outcome and inventory-state counts, the charts and the mapping source.

use super::{charts, Charts, CodeCount, Mapping, OutcomeLine, Totals};
use crate::analysis::Analysis;
use crate::ingest::InputStatus;
use crate::reconcile::{InventoryState, Outcome};

pub fn totals(a: &Analysis) -> Totals {
    let count =
        |has: fn(&InputStatus) -> bool| a.inputs.iter().filter(|i| has(&i.status)).count() as u64;
    Totals {
        task_sets: a.aggregates.total,
        exposed: a.aggregates.exposed,
        findings_read: a.inputs.iter().map(|i| i.findings_read).sum(),
        ecs16_findings_read: a.inputs.iter().map(|i| i.ecs16_findings).sum(),
        findings_selected: a.findings.len() as u64,
        duplicates_dropped: a.duplicates_dropped,
        task_sets_in_dumps: a.inventory.task_sets.len() as u64,
        inputs_used: count(|s| matches!(s, InputStatus::Used)),
        inputs_rejected: count(|s| matches!(s, InputStatus::Rejected(_))),
        inputs_skipped: count(|s| matches!(s, InputStatus::Skipped(_))),
        record_problems: a.inputs.iter().map(|i| i.problems.len() as u64).sum(),
    }
}

pub fn outcomes(a: &Analysis) -> Vec<OutcomeLine> {
    Outcome::ALL
        .iter()
        .zip(a.aggregates.outcomes)
        .map(|(o, count)| OutcomeLine {
            code: o.code().to_string(),
            meaning: o.meaning().to_string(),
            count,
            exposed: o.is_exposed(),
        })
        .collect()
}

pub fn inventory_states(a: &Analysis) -> Vec<CodeCount> {
    InventoryState::ALL
        .iter()
        .zip(a.aggregates.inventory_states)
        .map(|(st, count)| CodeCount {
            code: st.code().to_string(),
            count,
        })
        .collect()
}

pub fn charts(a: &Analysis, exposure: &[charts::ExposurePoint]) -> Charts {
    Charts {
        outcomes: charts::outcomes(&a.aggregates),
        accounts: charts::outcomes_per_account(&a.aggregates),
        exposure: charts::exposure_over_time(exposure),
    }
}

/// How many rows take their 1.4.4 mapping from the finding itself, how many from the catalog.
pub fn mapping(a: &Analysis) -> Mapping {
    let label = &a.catalog.requirement.label;
    let from_finding = a
        .rows
        .iter()
        .filter(|r| crate::render::tables::requirement_mapping(r, label) == "finding")
        .count() as u64;
    Mapping {
        from_finding,
        from_catalog: a.rows.len() as u64 - from_finding,
    }
}
