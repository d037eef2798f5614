//! The verdict on PCI DSS v4.0.1 requirement 1.4.4, in the vocabulary of the Report on Compliance.
//!
//! [`facts`] sorts every task set that counts for 1.4.4 (scope `stores-chd`, `cde` or `undeclared`) by what
//! the evidence shows of it; [`decide`] turns the facts into a status, first rule that holds:
//! 1. `NOT_IN_PLACE`: a task set that counts is exposed — outcome `NON_COMPLIANT`, `UNASSESSED_EXPOSED`,
//!    `CONFLICT` with inventory `ENABLED`, or `RISK_ACCEPTED` without a valid PCI DSS exception — or its
//!    reachability is `DIRECT` whatever the finding says (a valid exception still covers it). When the
//!    network evidence shows the internet cannot reach an exposed task set (`PUBLIC_IP_NO_ROUTE`,
//!    `PUBLIC_IP_FILTERED`, `PRIVATE`, or only through a load balancer), it is a hardening finding instead:
//!    it fails ECS.16 but does not by itself make 1.4.4 `NOT_IN_PLACE`.
//! 2. `NOT_TESTED`: the evidence cannot show the population — a task set that counts has no inventory
//!    (`NOT_COVERED`), a place that counts has a coverage gap (a service without inventory, a failed
//!    collection call, a task set AWS Config does not list), a `CONFLICT` with inventory `DISABLED`, a
//!    record that may be an ECS.16 finding cannot be read, or no evidence is dated inside the period.
//! 3. `IN_PLACE_WITH_CCW` / `IN_PLACE_CUSTOMIZED`: the only exposed task sets that count are covered by
//!    valid compensating controls (any) / customized approaches (all).
//! 4. `NOT_APPLICABLE`: no task set counts (all `connected` or `out-of-scope`, or none at all).
//! 5. `IN_PLACE`.
//!
//! [`words`] says the decision: what it rests on (counts and the rule) and what the pack does not examine.

use super::exceptions::{Basis, ExceptionRow};
use super::population::{GapKind, Population};
use super::reach::{Reach, Reachability};
use super::scope::Scope;
use crate::reconcile::{InventoryState, Outcome, Row};
use serde::Serialize;
use std::collections::BTreeMap;

pub const REQUIREMENT: &str = "1.4.4";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    NotInPlace,
    NotTested,
    InPlaceWithCcw,
    InPlaceCustomized,
    InPlace,
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::NotInPlace,
        Status::NotTested,
        Status::InPlaceWithCcw,
        Status::InPlaceCustomized,
        Status::InPlace,
        Status::NotApplicable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::NotInPlace => "NOT_IN_PLACE",
            Status::NotTested => "NOT_TESTED",
            Status::InPlaceWithCcw => "IN_PLACE_WITH_CCW",
            Status::InPlaceCustomized => "IN_PLACE_CUSTOMIZED",
            Status::InPlace => "IN_PLACE",
            Status::NotApplicable => "NOT_APPLICABLE",
        }
    }

    /// The status as the Report on Compliance says it.
    pub fn label(self) -> &'static str {
        match self {
            Status::NotInPlace => "Not in Place",
            Status::NotTested => "Not Tested",
            Status::InPlaceWithCcw => "In Place with CCW",
            Status::InPlaceCustomized => "In Place (Customized Approach)",
            Status::InPlace => "In Place",
            Status::NotApplicable => "Not Applicable",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// What the evidence shows of the task sets that count for 1.4.4, each list sorted by ARN.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub task_sets: usize,
    /// Task sets per scope value (every value, zero included).
    pub per_scope: BTreeMap<Scope, usize>,
    pub counted: usize,
    /// Exposed, no valid exception: each with why it counts as exposed.
    pub exposed: Vec<(String, String)>,
    pub covered_ccw: Vec<(String, String)>,
    pub covered_customized: Vec<(String, String)>,
    /// Exposed by their outcome, but the network evidence shows the internet cannot reach them directly.
    pub hardening: Vec<(String, Reachability)>,
    /// Reached through an internet-facing load balancer: for the assessor to judge against 1.4.1/1.4.2.
    pub via_load_balancer: Vec<(String, String)>,
    pub not_covered: Vec<String>,
    pub conflict_disabled: Vec<String>,
    /// Coverage gaps in places that count, in words.
    pub gaps: Vec<String>,
    pub unreadable_ecs16: usize,
    pub no_evidence_in_period: bool,
    /// Task sets that count whose reachability is `UNKNOWN`.
    pub reach_unknown: usize,
    pub network_given: bool,
    pub scope_given: bool,
    pub longest_gap_days: Option<i64>,
}

/// Everything the verdict is decided from.
pub struct Evidence<'a> {
    pub rows: &'a [Row],
    pub scopes: &'a [Scope],
    pub reach: &'a [Reach],
    pub exceptions: &'a [ExceptionRow],
    pub population: &'a Population,
    /// Each coverage gap's scope, in the order of `population.gaps`.
    pub gap_scopes: &'a [Scope],
    pub scope_given: bool,
    pub unreadable_ecs16: usize,
    pub network_given: bool,
}

/// Exposed by its outcome, as rule 1 reads it.
fn exposed_by_outcome(r: &Row) -> Option<&'static str> {
    match r.outcome {
        Outcome::NonCompliant => Some("finding FAILED"),
        Outcome::UnassessedExposed => Some("no usable finding, inventory ENABLED"),
        Outcome::Conflict if r.inventory_state == InventoryState::Enabled => {
            Some("finding PASSED, inventory ENABLED")
        }
        Outcome::RiskAccepted => Some("finding FAILED, suppressed in Security Hub"),
        _ => None,
    }
}

/// A valid PCI DSS exception for a suppressed task set: its basis and reference.
fn valid_exception<'e>(exceptions: &'e [ExceptionRow], r: &Row) -> Option<&'e ExceptionRow> {
    if r.outcome != Outcome::RiskAccepted {
        return None;
    }
    exceptions
        .iter()
        .find(|e| e.task_set_arn == r.task_set_arn && e.valid_pci_exception)
}

/// Sorts the evidence into the facts the rules read.
pub fn facts(ev: &Evidence) -> Facts {
    let mut f = Facts {
        task_sets: ev.rows.len(),
        per_scope: Scope::ALL.iter().map(|s| (*s, 0)).collect(),
        unreadable_ecs16: ev.unreadable_ecs16,
        no_evidence_in_period: ev.population.evidence_days.is_empty(),
        network_given: ev.network_given,
        scope_given: ev.scope_given,
        longest_gap_days: ev.population.longest_gap.as_ref().map(|g| g.days),
        ..Facts::default()
    };
    for (i, r) in ev.rows.iter().enumerate() {
        let scope = ev.scopes.get(i).copied().unwrap_or(Scope::Undeclared);
        *f.per_scope.entry(scope).or_default() += 1;
        if !scope.counts_for_1_4_4() {
            continue;
        }
        f.counted += 1;
        let reach = ev.reach.get(i).map_or(Reachability::Unknown, |x| x.value);
        // A task set that no longer exists needs no path followed.
        if reach == Reachability::Unknown && r.outcome != Outcome::Gone {
            f.reach_unknown += 1;
        }
        let arn = r.task_set_arn.clone();
        let why = match (exposed_by_outcome(r), reach) {
            (_, Reachability::Direct) => Some("reachable directly from the internet"),
            (Some(why), Reachability::Unknown) => Some(why),
            (Some(_), not_direct) => {
                f.hardening.push((arn.clone(), not_direct));
                None
            }
            (None, _) => None,
        };
        if reach == Reachability::ViaLoadBalancer {
            let ports = ev.reach.get(i).map(|x| x.ports_text()).unwrap_or_default();
            f.via_load_balancer.push((arn.clone(), ports));
        }
        if let Some(why) = why {
            match valid_exception(ev.exceptions, r) {
                Some(e) if e.basis == Some(Basis::CompensatingControl) => {
                    f.covered_ccw.push((arn.clone(), e.reference.clone()))
                }
                Some(e) => f
                    .covered_customized
                    .push((arn.clone(), e.reference.clone())),
                None => f.exposed.push((arn.clone(), why.to_string())),
            }
        }
        if r.inventory_state == InventoryState::NotCovered {
            f.not_covered.push(arn.clone());
        }
        if r.outcome == Outcome::Conflict && r.inventory_state == InventoryState::Disabled {
            f.conflict_disabled.push(arn);
        }
    }
    for (g, scope) in ev.population.gaps.iter().zip(ev.gap_scopes) {
        if g.kind == GapKind::NoFindingsFrom {
            continue;
        }
        if scope.counts_for_1_4_4() {
            let place: Vec<&str> = [&g.account_id, &g.region, &g.cluster, &g.service]
                .into_iter()
                .filter(|p| !p.is_empty())
                .map(String::as_str)
                .collect();
            f.gaps
                .push(format!("{} ({})", place.join("/"), g.kind.code()));
        }
    }
    f
}

/// The status the facts give, first rule that holds (see the module's header).
pub fn decide(f: &Facts) -> Status {
    if !f.exposed.is_empty() {
        Status::NotInPlace
    } else if !f.not_covered.is_empty()
        || !f.gaps.is_empty()
        || !f.conflict_disabled.is_empty()
        || f.unreadable_ecs16 > 0
        || f.no_evidence_in_period
    {
        Status::NotTested
    } else if !f.covered_ccw.is_empty() {
        Status::InPlaceWithCcw
    } else if !f.covered_customized.is_empty() {
        Status::InPlaceCustomized
    } else if f.counted == 0 {
        Status::NotApplicable
    } else {
        Status::InPlace
    }
}

/// The verdict, decided and worded.
#[derive(Debug, Clone, Serialize)]
pub struct Verdict {
    pub requirement: &'static str,
    pub status: Status,
    /// What decided it: the counts and the rule, one sentence each.
    pub rests_on: Vec<String>,
    /// What the pack does not examine, or examined only in part.
    pub limits: Vec<String>,
    /// The counts the rules read.
    pub counts: Counts,
}

/// The counts behind a verdict (summary.json), each traceable to rows of data/reconciliation.csv (the
/// `scope`, `outcome`, `inventory_state` and `reachability` columns) or data/coverage_gaps.csv.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub task_sets: usize,
    /// Task sets that count for 1.4.4 (scope stores-chd, cde or undeclared).
    pub in_scope: usize,
    pub exposed_without_exception: usize,
    pub covered_by_compensating_control: usize,
    pub covered_by_customized_approach: usize,
    pub hardening_findings: usize,
    pub via_load_balancer: usize,
    pub without_inventory: usize,
    pub coverage_gaps_in_scope: usize,
    pub conflicts_with_inventory_disabled: usize,
    pub unreadable_ecs16_records: usize,
}

pub fn verdict(ev: &Evidence) -> Verdict {
    let f = facts(ev);
    let status = decide(&f);
    Verdict {
        requirement: REQUIREMENT,
        status,
        rests_on: rests_on(&f, status),
        limits: limits(&f),
        counts: Counts {
            task_sets: f.task_sets,
            in_scope: f.counted,
            exposed_without_exception: f.exposed.len(),
            covered_by_compensating_control: f.covered_ccw.len(),
            covered_by_customized_approach: f.covered_customized.len(),
            hardening_findings: f.hardening.len(),
            via_load_balancer: f.via_load_balancer.len(),
            without_inventory: f.not_covered.len(),
            coverage_gaps_in_scope: f.gaps.len(),
            conflicts_with_inventory_disabled: f.conflict_disabled.len(),
            unreadable_ecs16_records: f.unreadable_ecs16,
        },
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The first few ARNs of a list, and how many more.
fn some<T>(items: &[T], show: impl Fn(&T) -> String) -> String {
    const SHOWN: usize = 3;
    let mut text: Vec<String> = items.iter().take(SHOWN).map(show).collect();
    if items.len() > SHOWN {
        text.push(format!("and {} more", items.len() - SHOWN));
    }
    text.join("; ")
}

fn rests_on(f: &Facts, status: Status) -> Vec<String> {
    let mut out = vec![population_sentence(f)];
    if !f.exposed.is_empty() {
        out.push(format!(
            "{} exposed without a valid compensating control or customized approach: {}.",
            plural(
                f.exposed.len(),
                "task set that counts for 1.4.4 is",
                "task sets that count for 1.4.4 are"
            ),
            some(&f.exposed, |(arn, why)| format!("{arn} ({why})"))
        ));
    }
    if !f.gaps.is_empty() {
        out.push(format!(
            "{} in scope may hold task sets the evidence cannot count: {}.",
            plural(f.gaps.len(), "place", "places"),
            some(&f.gaps, String::clone)
        ));
    }
    let not_shown = [
        (
            f.not_covered.len(),
            "task set has no inventory (NOT_COVERED)",
            "task sets have no inventory (NOT_COVERED)",
        ),
        (
            f.conflict_disabled.len(),
            "CONFLICT with inventory DISABLED is unresolved",
            "CONFLICTs with inventory DISABLED are unresolved",
        ),
        (
            f.unreadable_ecs16,
            "record that may be an ECS.16 finding cannot be read",
            "records that may be ECS.16 findings cannot be read",
        ),
    ];
    for (n, one, many) in not_shown {
        if n > 0 {
            out.push(format!("{}.", plural(n, one, many)));
        }
    }
    if f.no_evidence_in_period {
        out.push("No evidence is dated inside the assessment period.".to_string());
    }
    if !f.covered_ccw.is_empty() {
        out.push(format!(
            "{} covered by a valid compensating control: {}.",
            plural(
                f.covered_ccw.len(),
                "exposed task set is",
                "exposed task sets are"
            ),
            some(&f.covered_ccw, |(arn, r)| format!("{arn} (worksheet {r})"))
        ));
    }
    if !f.covered_customized.is_empty() {
        out.push(format!(
            "{} covered by a valid customized approach: {}.",
            plural(
                f.covered_customized.len(),
                "exposed task set is",
                "exposed task sets are"
            ),
            some(&f.covered_customized, |(arn, r)| format!(
                "{arn} (targeted risk analysis {r})"
            ))
        ));
    }
    if !f.hardening.is_empty() {
        out.push(format!(
            "{} ECS.16 but the network evidence shows no direct path from the internet (hardening findings, not by themselves 1.4.4 failures): {}.",
            plural(f.hardening.len(), "task set fails", "task sets fail"),
            some(&f.hardening, |(arn, v)| format!("{arn} ({})", v.as_str()))
        ));
    }
    out.push(rule_sentence(status).to_string());
    out
}

fn population_sentence(f: &Facts) -> String {
    if !f.scope_given {
        return format!(
            "No scope file was given, so all {} seen are treated as in scope for 1.4.4; all were examined, no sampling.",
            plural(f.task_sets, "task set", "task sets")
        );
    }
    format!(
        "{} of the {} seen count for 1.4.4 by the scope file (stores-chd, cde or undeclared); all {} were examined, no sampling.",
        f.counted,
        plural(f.task_sets, "task set", "task sets"),
        f.task_sets
    )
}

fn rule_sentence(status: Status) -> &'static str {
    match status {
        Status::NotInPlace => "Rule: any exposed task set in scope without a valid exception makes 1.4.4 Not in Place.",
        Status::NotTested => "Rule: no exposed task set in scope was found, but the evidence cannot show the whole population, so 1.4.4 is Not Tested.",
        Status::InPlaceWithCcw => "Rule: the only exposed task sets in scope are covered by valid compensating controls (CCW).",
        Status::InPlaceCustomized => "Rule: the only exposed task sets in scope are covered by a valid customized approach.",
        Status::InPlace => "Rule: no task set in scope is exposed, and the population is complete.",
        Status::NotApplicable => "Rule: no task set stores cardholder data, is in the CDE or is undeclared.",
    }
}

fn limits(f: &Facts) -> Vec<String> {
    let mut out = Vec::new();
    if !f.network_given {
        out.push("Security groups, route tables, network ACLs and load balancers were not examined: no network evidence was given, so exposure rests on the public-IP setting alone.".to_string());
    } else if f.reach_unknown > 0 {
        out.push(format!(
            "Network evidence was incomplete for {}: {} the public-IP setting alone.",
            plural(f.reach_unknown, "task set", "task sets"),
            if f.reach_unknown == 1 {
                "its exposure rests on"
            } else {
                "their exposure rests on"
            }
        ));
    }
    if !f.via_load_balancer.is_empty() {
        out.push(format!(
            "{} reached through an internet-facing load balancer, not directly; judge them against 1.4.1/1.4.2: {}.",
            plural(f.via_load_balancer.len(), "task set is", "task sets are"),
            some(&f.via_load_balancer, |(arn, ports)| format!("{arn} ({ports})"))
        ));
    }
    if let Some(days) = f
        .longest_gap_days
        .filter(|d| *d > super::population::LONGEST_ACCEPTABLE_GAP)
    {
        out.push(format!(
            "The longest stretch of the period without evidence is {days} days: a task set exposed and removed inside it may leave no trace (export at least monthly)."
        ));
    }
    if !f.scope_given {
        out.push(
            "No scope file was given: the CDE boundary is not documented in this pack.".to_string(),
        );
    }
    out.push("Data-flow and network diagrams are the customer's; the pack cites them (data_flow_ref) but does not examine them.".to_string());
    out.push("Interviews and observation are outside the pack.".to_string());
    out.push("Cardholder data held only in volatile memory is not covered by 1.4.4.".to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_with(edit: impl FnOnce(&mut Facts)) -> Facts {
        let mut f = Facts {
            task_sets: 3,
            counted: 3,
            network_given: true,
            scope_given: true,
            ..Facts::default()
        };
        edit(&mut f);
        f
    }

    #[test]
    fn the_first_rule_that_holds_decides() {
        let arn = || ("arn".to_string(), "why".to_string());
        assert_eq!(decide(&facts_with(|_| {})), Status::InPlace);
        assert_eq!(
            decide(&facts_with(|f| f.counted = 0)),
            Status::NotApplicable
        );
        assert_eq!(
            decide(&facts_with(|f| f.covered_customized.push(arn()))),
            Status::InPlaceCustomized
        );
        assert_eq!(
            decide(&facts_with(|f| {
                f.covered_customized.push(arn());
                f.covered_ccw.push(arn());
            })),
            Status::InPlaceWithCcw
        );
        assert_eq!(
            decide(&facts_with(|f| {
                f.covered_ccw.push(arn());
                f.not_covered.push("x".into());
            })),
            Status::NotTested
        );
        assert_eq!(
            decide(&facts_with(|f| f.unreadable_ecs16 = 1)),
            Status::NotTested
        );
        assert_eq!(
            decide(&facts_with(|f| f.no_evidence_in_period = true)),
            Status::NotTested
        );
        assert_eq!(
            decide(&facts_with(|f| {
                f.not_covered.push("x".into());
                f.exposed.push(arn());
            })),
            Status::NotInPlace
        );
        // Hardening findings alone do not fail 1.4.4.
        assert_eq!(
            decide(&facts_with(|f| f
                .hardening
                .push(("a".into(), Reachability::PublicIpFiltered)))),
            Status::InPlace
        );
    }

    #[test]
    fn every_status_has_its_code_and_parses_back() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
    }
}
