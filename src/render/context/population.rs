//! The population section: what was examined (all of it), where the inventory or the exports may not reach,
//! and which days of the period have evidence.

use super::{Capped, CodeCount};
use crate::analysis::population::{CoverageGap, GapKind, Population, LONGEST_ACCEPTABLE_GAP};
use crate::analysis::Analysis;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct PopulationView {
    pub task_sets: u64,
    /// The population in one sentence an assessor can quote.
    pub statement: String,
    /// Per kind of gap, in a fixed order, with its count (zero included).
    pub gap_counts: Vec<CodeCount>,
    pub gaps: Capped<GapView>,
    pub evidence_days: Vec<String>,
    /// The longest stretch of the period without evidence, in words (empty when every day has some).
    pub longest_gap: String,
    /// Set when that stretch is longer than a month.
    pub gap_warning: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GapView {
    pub code: String,
    pub label: String,
    /// Account, region, cluster and service, as far as they apply.
    pub place: String,
    pub subject: String,
    pub detail: String,
}

/// The label of a kind of gap.
pub fn label(kind: GapKind) -> &'static str {
    match kind {
        GapKind::ServiceWithoutInventory => "Service with no inventory",
        GapKind::CollectionFailed => "Inventory collection call failed",
        GapKind::ConfigDoesNotList => "AWS Config covers the region, does not list the task set",
        GapKind::NoFindingsFrom => "Inventory there, no ECS.16 finding exported from there",
    }
}

fn place(g: &CoverageGap) -> String {
    [&g.account_id, &g.region, &g.cluster, &g.service]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The population in one sentence: how many task sets are in scope of how many seen, all examined.
fn statement(p: &Population, in_scope: usize, scope_given: bool) -> String {
    let n = p.task_sets;
    let scope = if scope_given {
        format!("{in_scope} of them in scope of 1.4.4 (stores-chd, cde or undeclared)")
    } else {
        "all treated as in scope (no scope file)".to_string()
    };
    let whole = match n {
        0 => "The evidence names no task set".to_string(),
        1 => {
            format!("The evidence names 1 task set, {scope}; it was examined (100 %), no sampling")
        }
        n => format!(
            "The evidence names {n} task sets, {scope}; all {n} were examined (100 %), no sampling"
        ),
    };
    match p.gaps.len() {
        0 => format!("{whole}. No listing, collection record or AWS Config coverage points to task sets outside it."),
        k => format!(
            "{whole}. {k} place{} below may hold task sets the evidence cannot count: the population is complete only once each is explained.",
            if k == 1 { "" } else { "s" }
        ),
    }
}

pub fn view(a: &Analysis) -> PopulationView {
    let p = &a.population;
    let longest_gap = p
        .longest_gap
        .as_ref()
        .map(|g| {
            format!(
                "{} day{}, {} to {}",
                g.days,
                if g.days == 1 { "" } else { "s" },
                g.from,
                g.to
            )
        })
        .unwrap_or_default();
    let gap_warning = if p.gap_too_long() {
        format!(
            "More than {LONGEST_ACCEPTABLE_GAP} days of the period have no evidence in a row. Security Hub archives the findings of resources it stops seeing, so a task set exposed and removed inside that stretch may leave no trace: export at least monthly."
        )
    } else {
        String::new()
    };
    PopulationView {
        task_sets: p.task_sets,
        statement: statement(p, a.verdict.counts.in_scope, a.scope_file.is_some()),
        gap_counts: GapKind::ALL
            .iter()
            .map(|k| CodeCount {
                code: k.code().to_string(),
                label: label(*k).to_string(),
                count: p.count(*k),
            })
            .collect(),
        gaps: Capped::first(p.gaps.iter().map(|g| GapView {
            code: g.kind.code().to_string(),
            label: label(g.kind).to_string(),
            place: place(g),
            subject: g.subject.clone(),
            detail: g.detail.clone(),
        })),
        evidence_days: p.evidence_days.iter().map(|d| d.to_string()).collect(),
        longest_gap,
        gap_warning,
    }
}
