//! The executive summary: the first screen's figures and sentences, totals, outcome and inventory-state
//! counts, the charts and the mapping source.

use super::{charts, Charts, CodeCount, Figure, Mapping, OutcomeLine, Totals};
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
            label: o.label().to_string(),
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
            label: st.label().to_string(),
            count,
        })
        .collect()
}

pub fn charts(a: &Analysis, exposure: &[charts::ExportPoint]) -> Charts {
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

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn figure(id: &str, value: String, label: &str, note: String) -> Figure {
    Figure {
        id: id.to_string(),
        value,
        label: label.to_string(),
        note,
    }
}

/// The first screen's figures: in scope, exposed now, fixed in the period, not covered, oldest open exposure.
pub fn figures(a: &Analysis) -> Vec<Figure> {
    let not_covered = a.aggregates.inventory_states[3];
    let oldest = match &a.history.oldest_open_exposure {
        Some(o) => figure(
            "oldest_open_exposure",
            plural(o.days as u64, "day", "days"),
            "oldest open exposure",
            format!("exposed since {}", o.since),
        ),
        None => figure(
            "oldest_open_exposure",
            "none".into(),
            "oldest open exposure",
            "no exposed task set has a known start".into(),
        ),
    };
    vec![
        figure(
            "in_scope",
            a.aggregates.total.to_string(),
            "task sets examined",
            if a.scope_file.is_some() {
                format!(
                    "every one found in the inputs; {} in scope of 1.4.4",
                    a.verdict.counts.in_scope
                )
            } else {
                "every one found in the inputs, all treated as in scope".to_string()
            },
        ),
        figure(
            "exposed_now",
            a.aggregates.exposed.to_string(),
            "exposed now",
            "may be reachable from the internet".into(),
        ),
        figure(
            "fixed_in_period",
            a.history.fixed_during_period.to_string(),
            "fixed in the period",
            format!("fix dated inside {}", a.period.label),
        ),
        figure(
            "not_covered",
            not_covered.to_string(),
            "not covered",
            "no inventory dump describes their service".into(),
        ),
        oldest,
    ]
}

/// How the summary names the task sets of each outcome, after a count ("3 non-compliant").
fn in_words(o: Outcome) -> &'static str {
    match o {
        Outcome::NonCompliant => "non-compliant",
        Outcome::RiskAccepted => "suppressed in Security Hub",
        Outcome::Conflict => "in conflict between Security Hub and the inventory",
        Outcome::UnassessedExposed => "exposed without a usable Security Hub verdict",
        Outcome::Unassessed => "without a usable verdict and not exposed",
        Outcome::Compliant => "compliant",
        Outcome::Gone => "gone (history)",
    }
}

/// "3 non-compliant, 2 suppressed in Security Hub" for the outcomes `pick` keeps that have task sets.
fn counted(a: &Analysis, pick: fn(Outcome) -> bool) -> Vec<String> {
    Outcome::ALL
        .iter()
        .zip(a.aggregates.outcomes)
        .filter(|(o, n)| pick(**o) && *n > 0)
        .map(|(o, n)| format!("{n} {}", in_words(*o)))
        .collect()
}

/// The executive summary in short sentences, each about one thing.
pub fn sentences(a: &Analysis) -> Vec<String> {
    let ag = &a.aggregates;
    if ag.total == 0 {
        return vec!["No ECS.16 task set was found in the inputs.".to_string()];
    }
    let mut out = vec![format!(
        "{} reconciled for {}.",
        plural(ag.total, "task set was", "task sets were"),
        a.period.label
    )];
    let exposed = counted(a, Outcome::is_exposed);
    if exposed.is_empty() {
        out.push("None is exposed now.".to_string());
    } else {
        out.push(format!(
            "{} exposed now: {}.",
            plural(ag.exposed, "is", "are"),
            exposed.join(", ")
        ));
    }
    let rest = counted(a, |o| !o.is_exposed());
    if !rest.is_empty() {
        out.push(format!("The others: {}.", rest.join(", ")));
    }
    let h = &a.history;
    out.push(format!(
        "{} exposed at some time in {}; {} fixed in it.",
        plural(h.exposed_during_period, "was", "were"),
        a.period.label,
        plural(h.fixed_during_period, "was", "were"),
    ));
    let not_covered = ag.inventory_states[3];
    if not_covered > 0 {
        out.push(format!(
            "{} no inventory dump to confirm {} network configuration.",
            plural(not_covered, "task set has", "task sets have"),
            if not_covered == 1 { "its" } else { "their" }
        ));
    }
    out
}
