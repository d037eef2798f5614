//! Reconcile: one row per task set, with the outcome that Security Hub's verdict and the inventory give together.
//!
//! | outcome | when |
//! |---|---|
//! | `NON_COMPLIANT` | active finding FAILED, not suppressed; inventory ENABLED or not covered |
//! | `RISK_ACCEPTED` | active finding FAILED and workflow SUPPRESSED; inventory ENABLED or not covered |
//! | `COMPLIANT` | active finding PASSED; inventory DISABLED or not covered |
//! | `CONFLICT` | FAILED but DISABLED, or PASSED but ENABLED |
//! | `UNASSESSED_EXPOSED` | no usable finding (none, WARNING, NOT_AVAILABLE) and inventory ENABLED |
//! | `UNASSESSED` | no usable finding and inventory DISABLED (or nothing known about exposure) |
//! | `GONE` | the inventory says it no longer exists, or its only findings are archived and no dump covers it |
//!
//! A task set's network configuration cannot change in place, so FAILED-but-DISABLED is a data conflict
//! (a stale finding or a dump of another moment), never a fix.
//!
//! `decision` decides the outcome from the facts (a pure function); `reason` puts the decision in words;
//! this module gathers the facts per task set and builds the rows.

pub mod decision;
pub mod reason;

use crate::arn::ServiceKey;
use crate::model::{ComplianceStatus, Finding, Inventory, TaskSet, WorkflowStatus};
use chrono::{DateTime, Utc};
use decision::Verdict;
use reason::{InventoryFact, SecurityHubFacts};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The seven outcomes, in the order the report presents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    NonCompliant,
    RiskAccepted,
    Conflict,
    UnassessedExposed,
    Unassessed,
    Compliant,
    Gone,
}

impl Outcome {
    pub const ALL: [Outcome; 7] = [
        Outcome::NonCompliant,
        Outcome::RiskAccepted,
        Outcome::Conflict,
        Outcome::UnassessedExposed,
        Outcome::Unassessed,
        Outcome::Compliant,
        Outcome::Gone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::NonCompliant => "NON_COMPLIANT",
            Outcome::RiskAccepted => "RISK_ACCEPTED",
            Outcome::Compliant => "COMPLIANT",
            Outcome::Conflict => "CONFLICT",
            Outcome::UnassessedExposed => "UNASSESSED_EXPOSED",
            Outcome::Unassessed => "UNASSESSED",
            Outcome::Gone => "GONE",
        }
    }

    /// The outcome's name in the report's headings, table headers and chart labels; the code stays in the
    /// data files. `RISK_ACCEPTED` reads "Suppressed": a suppression in Security Hub is what was observed.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::NonCompliant => "Non-compliant",
            Outcome::RiskAccepted => "Suppressed",
            Outcome::Compliant => "Compliant",
            Outcome::Conflict => "Conflict",
            Outcome::UnassessedExposed => "Unassessed, exposed",
            Outcome::Unassessed => "Unassessed",
            Outcome::Gone => "Gone",
        }
    }

    pub fn parse(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == code)
    }

    /// What the outcome means, in the auditor's words (SPEC.md's table).
    pub fn meaning(self) -> &'static str {
        match self {
            Outcome::NonCompliant => "active finding FAILED, not suppressed; inventory ENABLED or not covered",
            Outcome::RiskAccepted => "active finding FAILED and workflow SUPPRESSED (the note, who and when are evidence); inventory ENABLED or not covered. A suppression alone is not a PCI DSS exception: only a valid compensating control or customized approach in the register is",
            Outcome::Compliant => "active finding PASSED; inventory DISABLED or not covered",
            Outcome::Conflict => "Security Hub and inventory disagree (FAILED but DISABLED, PASSED but ENABLED)",
            Outcome::UnassessedExposed => "no usable finding (none, WARNING, NOT_AVAILABLE) but inventory ENABLED: a coverage gap with real exposure",
            Outcome::Unassessed => "no usable finding and inventory DISABLED",
            Outcome::Gone => "the task set no longer exists: its finding is archived, or the inventory reports it MISSING or a dump of its service does not list it. History, not current state",
        }
    }

    /// Outcomes where the task set may be reachable from the internet now.
    pub fn is_exposed(self) -> bool {
        matches!(
            self,
            Outcome::NonCompliant
                | Outcome::RiskAccepted
                | Outcome::UnassessedExposed
                | Outcome::Conflict
        )
    }
}

/// What the inventory says about one task set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InventoryState {
    Enabled,
    Disabled,
    Missing,
    NotCovered,
}

impl InventoryState {
    pub const ALL: [InventoryState; 4] = [
        InventoryState::Enabled,
        InventoryState::Disabled,
        InventoryState::Missing,
        InventoryState::NotCovered,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InventoryState::Enabled => "ENABLED",
            InventoryState::Disabled => "DISABLED",
            InventoryState::Missing => "MISSING",
            InventoryState::NotCovered => "NOT_COVERED",
        }
    }

    /// The state's name in the report's table headers; the code stays in the data files.
    pub fn label(self) -> &'static str {
        match self {
            InventoryState::Enabled => "Public IP enabled",
            InventoryState::Disabled => "Public IP disabled",
            InventoryState::Missing => "Missing",
            InventoryState::NotCovered => "Not covered",
        }
    }
}

/// One task set, reconciled. Both sides' raw values are kept so the auditor can see why.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub task_set_arn: String,
    pub account_id: String,
    pub account_name: String,
    pub region: String,
    pub cluster: String,
    pub service: String,
    pub outcome: Outcome,
    /// `Compliance.Status` of the deciding finding, `NONE` when there is none (unknown values verbatim).
    pub securityhub_status: String,
    pub workflow_status: String,
    pub record_state: String,
    pub inventory_state: InventoryState,
    /// `ENABLED`, `DISABLED`, `NOT_AWSVPC` (no awsvpc configuration) or empty when not in a dump.
    pub assign_public_ip: String,
    pub task_set_status: String,
    pub launch_type: String,
    pub started_by: String,
    pub finding_id: String,
    pub finding_standard: String,
    pub findings_for_task_set: usize,
    pub copies_disagree: bool,
    pub finding_updated_at: Option<DateTime<Utc>>,
    pub last_observed_at: Option<DateTime<Utc>>,
    pub task_set_created_at: Option<DateTime<Utc>>,
    pub severity: String,
    pub note_text: String,
    pub note_updated_by: String,
    pub note_updated_at: Option<DateTime<Utc>>,
    pub related_requirements: Vec<String>,
    /// What reading the shown finding and the task set's description flagged (fields that could not be
    /// read, duplicate keys, unknown values), so no problem hides behind the outcome.
    pub record_problems: Vec<String>,
    pub reason: String,
}

/// The deciding finding among several for one task set: the PCI DSS copy when consolidated control findings
/// are OFF, else the consolidated one, else any other standard's copy; then the newest.
pub fn deciding_finding<'f>(active: &[&'f Finding]) -> Option<&'f Finding> {
    let rank = |f: &Finding| match f.standard.as_deref() {
        Some(s) if s.starts_with("pci-dss/") => 0,
        None => 1,
        Some(_) => 2,
    };
    active.iter().copied().min_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(b.updated_at.cmp(&a.updated_at))
            .then(a.id.cmp(&b.id))
    })
}

/// The inventory's word on a task set.
fn inventory_fact(
    arn: &str,
    key: &ServiceKey,
    ts: Option<&TaskSet>,
    inv: &Inventory,
) -> InventoryFact {
    if let Some(why) = inv.missing_task_sets.get(arn) {
        return InventoryFact::SaidMissing(why.clone());
    }
    if inv.missing_services.contains(key) {
        return InventoryFact::ServiceMissing(key.service.clone());
    }
    if let Some(ts) = ts {
        return InventoryFact::Described(ts.assign_public_ip.clone());
    }
    if inv.covered_services.contains(key) {
        return InventoryFact::NotListed(key.service.clone());
    }
    if inv
        .config_scopes
        .contains(&(key.account_id.clone(), key.region.clone()))
    {
        return InventoryFact::ConfigDoesNotList {
            account: key.account_id.clone(),
            region: key.region.clone(),
        };
    }
    InventoryFact::NoDump(key.service.clone())
}

/// The inventory state a fact amounts to.
fn inventory_state(fact: &InventoryFact) -> InventoryState {
    use crate::model::AssignPublicIp as A;
    match fact {
        InventoryFact::SaidMissing(_)
        | InventoryFact::ServiceMissing(_)
        | InventoryFact::NotListed(_) => InventoryState::Missing,
        InventoryFact::Described(Some(A::Enabled)) => InventoryState::Enabled,
        // No awsvpc configuration: its tasks get no public IP of their own.
        InventoryFact::Described(Some(A::Disabled) | None) => InventoryState::Disabled,
        // A value this tool does not know cannot say whether the task set is exposed.
        InventoryFact::Described(Some(A::Other(_)))
        | InventoryFact::NoDump(_)
        | InventoryFact::ConfigDoesNotList { .. } => InventoryState::NotCovered,
    }
}

/// The verdict a finding's status gives, when it is usable.
fn usable(status: &ComplianceStatus) -> Option<Verdict> {
    match status {
        ComplianceStatus::Failed => Some(Verdict::Failed),
        ComplianceStatus::Passed => Some(Verdict::Passed),
        _ => None,
    }
}

/// Every finding of every task set, and what is the same for all rows.
struct Evidence<'a> {
    by_arn: BTreeMap<&'a str, Vec<&'a Finding>>,
    account_names: BTreeMap<&'a str, &'a str>,
    newest_finding: Option<DateTime<Utc>>,
}

impl<'a> Evidence<'a> {
    fn gather(findings: &'a [Finding]) -> Self {
        let mut by_arn: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        // Account names are per account: a name seen on any finding names every row of that account.
        let mut account_names: BTreeMap<&str, &str> = BTreeMap::new();
        for f in findings {
            by_arn.entry(f.task_set_arn.as_str()).or_default().push(f);
            if let Some(n) = &f.account_name {
                account_names
                    .entry(f.account_id.as_str())
                    .or_insert(n.as_str());
            }
        }
        Evidence {
            by_arn,
            account_names,
            newest_finding: findings.iter().filter_map(|f| f.updated_at).max(),
        }
    }
}

/// Reconciles deduplicated ECS.16 findings with the inventory. Rows are sorted by task set ARN.
pub fn reconcile(findings: &[Finding], inv: &Inventory) -> Vec<Row> {
    let evidence = Evidence::gather(findings);
    let mut arns: BTreeSet<&str> = evidence.by_arn.keys().copied().collect();
    arns.extend(inv.task_sets.keys().map(String::as_str));
    arns.extend(inv.missing_task_sets.keys().map(String::as_str));
    arns.into_iter()
        .filter_map(|arn| row(arn, &evidence, inv))
        .collect()
}

/// The row of one task set; `None` when the text is not a task set ARN.
fn row(arn: &str, evidence: &Evidence<'_>, inv: &Inventory) -> Option<Row> {
    let parsed = crate::arn::TaskSetArn::parse(arn)?;
    let all = evidence.by_arn.get(arn).cloned().unwrap_or_default();
    let active: Vec<&Finding> = all.iter().copied().filter(|f| f.is_active()).collect();
    let deciding = deciding_finding(&active);
    let shown = deciding.or_else(|| {
        all.iter()
            .copied()
            .max_by(|a, b| a.updated_at.cmp(&b.updated_at))
    });
    let ts = inv.task_sets.get(arn);
    let fact = inventory_fact(arn, &parsed.service_key(), ts, inv);
    let inventory = inventory_state(&fact);
    let suppressed = deciding
        .and_then(|f| f.workflow_status.as_ref())
        .is_some_and(|w| *w == WorkflowStatus::Suppressed);
    let decision = decision::decide(
        inventory,
        deciding.and_then(|f| usable(&f.compliance_status)),
        suppressed,
        deciding.is_none() && !all.is_empty(),
    );
    let created_after_newest = match (ts.and_then(|t| t.created_at), evidence.newest_finding) {
        (Some(created), Some(newest)) if created > newest => Some((created, newest)),
        _ => None,
    };
    let sh = SecurityHubFacts {
        deciding,
        shown,
        active: &active,
        created_after_newest,
    };
    let note = shown.and_then(|f| f.note.as_ref());
    // Where a record offered two readings, the more exposed was taken: the reason says so.
    let readings: Vec<String> = deciding
        .map(|f| f.readings.clone())
        .unwrap_or_default()
        .into_iter()
        .chain(ts.map(|t| t.readings.clone()).unwrap_or_default())
        .collect();
    Some(Row {
        task_set_arn: arn.to_string(),
        account_id: parsed.account_id.clone(),
        account_name: evidence
            .account_names
            .get(parsed.account_id.as_str())
            .map(|s| s.to_string())
            .unwrap_or_default(),
        region: parsed.region.clone(),
        cluster: parsed.cluster.clone(),
        service: parsed.service.clone(),
        outcome: decision.outcome,
        securityhub_status: deciding
            .map(|f| f.compliance_status.as_str().to_string())
            .unwrap_or_else(|| "NONE".to_string()),
        workflow_status: shown
            .and_then(|f| f.workflow_status.as_ref())
            .map(|w| w.as_str().to_string())
            .unwrap_or_default(),
        record_state: shown
            .map(|f| f.record_state.as_str().to_string())
            .unwrap_or_default(),
        inventory_state: inventory,
        assign_public_ip: match ts {
            Some(t) => t
                .assign_public_ip
                .as_ref()
                .map(|a| a.as_str().to_string())
                .unwrap_or_else(|| "NOT_AWSVPC".to_string()),
            None => String::new(),
        },
        task_set_status: ts
            .and_then(|t| t.status.as_ref())
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        launch_type: ts.and_then(|t| t.launch_type.clone()).unwrap_or_default(),
        started_by: ts.and_then(|t| t.started_by.clone()).unwrap_or_default(),
        finding_id: shown.map(|f| f.id.clone()).unwrap_or_default(),
        finding_standard: shown.map(reason::standard_label).unwrap_or_default(),
        findings_for_task_set: all.len(),
        copies_disagree: reason::copies_disagree(&sh),
        finding_updated_at: shown.and_then(|f| f.updated_at),
        last_observed_at: shown.and_then(|f| f.last_observed_at),
        task_set_created_at: ts.and_then(|t| t.created_at),
        severity: shown.and_then(|f| f.severity.clone()).unwrap_or_default(),
        note_text: note.map(|n| n.text.clone()).unwrap_or_default(),
        note_updated_by: note.map(|n| n.updated_by.clone()).unwrap_or_default(),
        note_updated_at: note.and_then(|n| n.updated_at),
        related_requirements: shown
            .map(|f| f.related_requirements.clone())
            .unwrap_or_default(),
        record_problems: shown
            .map(|f| f.flags.clone())
            .unwrap_or_default()
            .into_iter()
            .chain(ts.map(|t| t.flags.clone()).unwrap_or_default())
            .collect(),
        reason: reason::reason(&decision, &sh, &fact, &readings),
    })
}

#[cfg(test)]
mod tests;
