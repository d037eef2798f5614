//! The population the evidence rests on, and where it does not reach.
//!
//! PCI DSS asks whether the whole population was examined or a sample. This tool examines every task set it
//! sees (100 %, no sampling), so what an assessor needs is where the population may be incomplete:
//!
//! - services with no inventory: a listing says they exist (`list-services`, an AWS Config
//!   `AWS::ECS::Service` item) or Security Hub reports task sets of theirs, and nothing describes them, so
//!   their task sets can be neither counted nor confirmed;
//! - calls the inventory collection recorded as failed (`collection.json`);
//! - task sets Security Hub reports where an AWS Config snapshot or query covers the account and region but
//!   does not list them (a coverage question: is `AWS::ECS::TaskSet` recorded there?);
//! - accounts and regions the inventory describes from which no ECS.16 finding was exported;
//! - the days of the period with evidence (findings exports, AWS Config files) and the longest stretch
//!   without any: Security Hub archives the findings of resources it stops seeing, so a quarter needs an
//!   export at least every month, and a stretch longer than [`LONGEST_ACCEPTABLE_GAP`] days is a warning.
//!
//! Functions here decide; the words are the renderer's.

use crate::arn::ServiceKey;
use crate::ingest::InputReport;
use crate::model::{CollectionGap, Inventory};
use crate::period::Period;
use crate::reconcile::{InventoryState, Row};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeSet;

/// The longest stretch without evidence that still shows a quarter month by month.
pub const LONGEST_ACCEPTABLE_GAP: i64 = 31;

/// What the population is and where the evidence may not reach all of it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Population {
    /// Task sets the evidence names (rows of the reconciliation): every one was examined.
    pub task_sets: u64,
    pub gaps: Vec<CoverageGap>,
    /// Days inside the period on which some evidence was taken, oldest first.
    pub evidence_days: Vec<NaiveDate>,
    /// The longest stretch of the period (up to `as_of`) without evidence.
    pub longest_gap: Option<Stretch>,
}

impl Population {
    /// True when the longest stretch without evidence is longer than a month.
    pub fn gap_too_long(&self) -> bool {
        self.longest_gap
            .as_ref()
            .is_some_and(|g| g.days > LONGEST_ACCEPTABLE_GAP)
    }

    pub fn count(&self, kind: GapKind) -> u64 {
        self.gaps.iter().filter(|g| g.kind == kind).count() as u64
    }
}

/// Days without evidence: from the first day after one evidence day (or the period's first day) to the day
/// before the next (or the last day the period had reached at `as_of`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stretch {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
}

/// Why part of the population may be missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GapKind {
    /// A listing names the service; nothing describes it.
    ServiceWithoutInventory,
    /// A call of the collection failed.
    CollectionFailed,
    /// AWS Config covers the account and region and does not list the task set.
    ConfigDoesNotList,
    /// The inventory describes the account and region; no ECS.16 finding came from there.
    NoFindingsFrom,
}

impl GapKind {
    pub const ALL: [GapKind; 4] = [
        GapKind::ServiceWithoutInventory,
        GapKind::CollectionFailed,
        GapKind::ConfigDoesNotList,
        GapKind::NoFindingsFrom,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GapKind::ServiceWithoutInventory => "SERVICE_WITHOUT_INVENTORY",
            GapKind::CollectionFailed => "COLLECTION_FAILED",
            GapKind::ConfigDoesNotList => "CONFIG_DOES_NOT_LIST",
            GapKind::NoFindingsFrom => "NO_FINDINGS_FROM",
        }
    }
}

/// One place the evidence may not reach, with what identifies it (empty where it does not apply).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CoverageGap {
    pub kind: GapKind,
    pub account_id: String,
    pub region: String,
    pub cluster: String,
    pub service: String,
    /// The task set (CONFIG_DOES_NOT_LIST), the failed call (COLLECTION_FAILED), or what names the service
    /// (SERVICE_WITHOUT_INVENTORY).
    pub subject: String,
    /// The error of a failed call.
    pub detail: String,
}

/// Services with no inventory: those some listing names that nothing describes (not covered in full, no task
/// set described, not reported missing), and those of task sets Security Hub reports that no inventory
/// covers (outside AWS Config's coverage: those are [`config_questions`]).
fn services_without_inventory(rows: &[Row], inv: &Inventory) -> Vec<CoverageGap> {
    let described: BTreeSet<ServiceKey> = inv
        .task_sets
        .values()
        .map(|t| ServiceKey {
            account_id: t.account_id.clone(),
            region: t.region.clone(),
            cluster: t.cluster.clone(),
            service: t.service.clone(),
        })
        .collect();
    let listed = inv
        .listed_services
        .iter()
        .filter(|k| {
            !inv.covered_services.contains(*k)
                && !inv.missing_services.contains(*k)
                && !described.contains(*k)
        })
        .map(|k| {
            (
                k.clone(),
                "listed by list-services or AWS Config".to_string(),
            )
        });
    let mut from_findings: std::collections::BTreeMap<ServiceKey, u64> = Default::default();
    for r in rows.iter().filter(|r| {
        r.inventory_state == InventoryState::NotCovered
            && !inv
                .config_scopes
                .contains(&(r.account_id.clone(), r.region.clone()))
    }) {
        let key = ServiceKey {
            account_id: r.account_id.clone(),
            region: r.region.clone(),
            cluster: r.cluster.clone(),
            service: r.service.clone(),
        };
        *from_findings.entry(key).or_default() += 1;
    }
    let named = from_findings.into_iter().map(|(k, n)| {
        let what = format!(
            "{n} task set{} in the findings",
            if n == 1 { "" } else { "s" }
        );
        (k, what)
    });
    listed
        .chain(named)
        .map(|(k, subject)| CoverageGap {
            kind: GapKind::ServiceWithoutInventory,
            account_id: k.account_id,
            region: k.region,
            cluster: k.cluster,
            service: k.service,
            subject,
            detail: String::new(),
        })
        .collect()
}

fn collection_failed(g: &CollectionGap) -> CoverageGap {
    CoverageGap {
        kind: GapKind::CollectionFailed,
        account_id: g.account_id.clone(),
        region: g.region.clone(),
        cluster: String::new(),
        service: String::new(),
        subject: g.call.clone(),
        detail: format!("{}: {}", g.error_code, g.message),
    }
}

/// Rows NOT_COVERED whose account and region an AWS Config snapshot or query covers.
fn config_questions(rows: &[Row], inv: &Inventory) -> Vec<CoverageGap> {
    rows.iter()
        .filter(|r| r.inventory_state == InventoryState::NotCovered)
        .filter(|r| {
            inv.config_scopes
                .contains(&(r.account_id.clone(), r.region.clone()))
        })
        .map(|r| CoverageGap {
            kind: GapKind::ConfigDoesNotList,
            account_id: r.account_id.clone(),
            region: r.region.clone(),
            cluster: r.cluster.clone(),
            service: r.service.clone(),
            subject: r.task_set_arn.clone(),
            detail: String::new(),
        })
        .collect()
}

/// Accounts and regions the inventory describes (task sets, services, Config) with no ECS.16 finding.
fn no_findings_from(rows: &[Row], inv: &Inventory) -> Vec<CoverageGap> {
    let with_findings: BTreeSet<(&str, &str)> = rows
        .iter()
        .filter(|r| !r.finding_id.is_empty())
        .map(|r| (r.account_id.as_str(), r.region.as_str()))
        .collect();
    let described: BTreeSet<(&str, &str)> = inv
        .task_sets
        .values()
        .map(|t| (t.account_id.as_str(), t.region.as_str()))
        .chain(
            inv.listed_services
                .iter()
                .chain(&inv.covered_services)
                .map(|k| (k.account_id.as_str(), k.region.as_str())),
        )
        .chain(
            inv.config_scopes
                .iter()
                .map(|(a, r)| (a.as_str(), r.as_str())),
        )
        .collect();
    described
        .difference(&with_findings)
        .map(|(account, region)| CoverageGap {
            kind: GapKind::NoFindingsFrom,
            account_id: account.to_string(),
            region: region.to_string(),
            cluster: String::new(),
            service: String::new(),
            subject: String::new(),
            detail: String::new(),
        })
        .collect()
}

/// The days of the period (up to `as_of`) with evidence: findings exports and AWS Config files.
fn evidence_days(inputs: &[InputReport], period: &Period, as_of_day: NaiveDate) -> Vec<NaiveDate> {
    let last = period.last_day.min(as_of_day);
    let days: BTreeSet<NaiveDate> = inputs
        .iter()
        .filter_map(|i| i.exported_at)
        .map(|t| t.date_naive())
        .filter(|d| (period.first_day..=last).contains(d))
        .collect();
    days.into_iter().collect()
}

/// The longest run of days in `first..=last` that holds none of `days` (sorted), the first of equally long
/// ones. `None` when every day has evidence or the range is empty (a period that starts after `as_of`).
pub fn longest_stretch(days: &[NaiveDate], first: NaiveDate, last: NaiveDate) -> Option<Stretch> {
    if last < first {
        return None;
    }
    let mut best: Option<Stretch> = None;
    let mut from = first;
    let bounds = days.iter().copied().filter(|d| (first..=last).contains(d));
    // Every evidence day ends a stretch; the last stretch ends with the range.
    for end in bounds.map(Some).chain([None]) {
        let to = match end {
            Some(d) => d.pred_opt().unwrap_or(d),
            None => last,
        };
        if to >= from {
            let days = (to - from).num_days() + 1;
            if best.as_ref().is_none_or(|b| days > b.days) {
                best = Some(Stretch { from, to, days });
            }
        }
        if let Some(d) = end {
            from = d.succ_opt().unwrap_or(d);
        }
    }
    best
}

/// The population and its gaps.
pub fn population(
    rows: &[Row],
    inv: &Inventory,
    inputs: &[InputReport],
    period: &Period,
    as_of_day: NaiveDate,
) -> Population {
    let mut gaps = services_without_inventory(rows, inv);
    gaps.extend(inv.collection_gaps.iter().map(collection_failed));
    gaps.extend(config_questions(rows, inv));
    gaps.extend(no_findings_from(rows, inv));
    gaps.sort();
    gaps.dedup();
    let evidence_days = evidence_days(inputs, period, as_of_day);
    let longest_gap = longest_stretch(
        &evidence_days,
        period.first_day,
        period.last_day.min(as_of_day),
    );
    Population {
        task_sets: rows.len() as u64,
        gaps,
        evidence_days,
        longest_gap,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_longest_stretch_counts_the_edges_of_the_period() {
        let (q3_start, q3_end) = (day("2026-07-01"), day("2026-09-30"));
        // Monthly exports: July's and August's stretches are both 30 days; the first is named.
        let monthly = [
            day("2026-07-01"),
            day("2026-08-01"),
            day("2026-09-01"),
            day("2026-09-30"),
        ];
        let s = longest_stretch(&monthly, q3_start, q3_end).unwrap();
        assert_eq!(
            (s.from, s.to, s.days),
            (day("2026-07-02"), day("2026-07-31"), 30)
        );
        // One export on the last day: 91 days of the quarter have none.
        let s = longest_stretch(&[q3_end], q3_start, q3_end).unwrap();
        assert_eq!((s.from, s.to, s.days), (q3_start, day("2026-09-29"), 91));
        // No evidence at all: the whole range.
        assert_eq!(longest_stretch(&[], q3_start, q3_end).unwrap().days, 92);
        // Evidence every day: no stretch.
        let every: Vec<NaiveDate> = q3_start.iter_days().take(92).collect();
        assert_eq!(longest_stretch(&every, q3_start, q3_end), None);
        // A period that has not started at as_of.
        assert_eq!(longest_stretch(&[], q3_end, q3_start), None);
    }

    #[test]
    fn a_month_without_evidence_is_a_warning_a_shorter_one_is_not() {
        let p = |days: i64| Population {
            longest_gap: Some(Stretch {
                from: day("2026-07-01"),
                to: day("2026-07-01"),
                days,
            }),
            ..Population::default()
        };
        assert!(!p(31).gap_too_long());
        assert!(p(32).gap_too_long());
    }
}
