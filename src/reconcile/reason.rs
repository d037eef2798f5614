//! The reason of a row in words, built from the decision and the facts it rested on (SPEC: "a short reason
//! in words"). Nothing here decides anything.

use super::decision::{Decision, Rule};
use crate::model::{AssignPublicIp, Finding};
use crate::time;
use chrono::{DateTime, Utc};

/// What the inventory says about one task set, with what the words need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InventoryFact {
    /// A record says it no longer exists: a `describe-task-sets` failure MISSING, or AWS Config recorded it
    /// deleted. The words say which.
    SaidMissing(String),
    /// `describe-services` reports its service MISSING or INACTIVE.
    ServiceMissing(String),
    /// A dump describes it: what it says of `assignPublicIp` (`None`: no awsvpc configuration).
    Described(Option<AssignPublicIp>),
    /// A complete listing of its service does not list it.
    NotListed(String),
    /// Nothing covers its service.
    NoDump(String),
    /// An AWS Config snapshot or query covers its account and region, yet holds no item for it.
    ConfigDoesNotList { account: String, region: String },
}

impl InventoryFact {
    pub fn words(&self) -> String {
        match self {
            InventoryFact::SaidMissing(words) => words.clone(),
            InventoryFact::ConfigDoesNotList { account, region } => format!(
                "AWS Config covers account {account} region {region} but does not list it: a coverage question (is AWS::ECS::TaskSet recorded there?), not evidence that it is gone"
            ),
            InventoryFact::ServiceMissing(service) => {
                format!("describe-services reports its service {service} as MISSING or INACTIVE")
            }
            InventoryFact::Described(Some(AssignPublicIp::Enabled)) => {
                "the inventory says assignPublicIp ENABLED".into()
            }
            InventoryFact::Described(Some(AssignPublicIp::Disabled)) => {
                "the inventory says assignPublicIp DISABLED".into()
            }
            InventoryFact::Described(None) => {
                "the inventory shows no awsvpc network configuration, so its tasks get no public IP of their own".into()
            }
            InventoryFact::Described(Some(AssignPublicIp::Other(v))) => format!(
                "the inventory's assignPublicIp {v:?} is not a value this tool knows, so it cannot say whether it is exposed"
            ),
            InventoryFact::NotListed(service) => format!(
                "a dump of service {service} lists its task sets and this one is not among them"
            ),
            InventoryFact::NoDump(service) => format!("no inventory (dump or AWS Config) covers service {service}"),
        }
    }
}

/// What Security Hub says of one task set, with what the words need.
pub struct SecurityHubFacts<'f> {
    /// The active finding that decides, if any.
    pub deciding: Option<&'f Finding>,
    /// The finding the row shows: the deciding one, else the newest archived one.
    pub shown: Option<&'f Finding>,
    /// Every active copy, to name them when they disagree.
    pub active: &'f [&'f Finding],
    /// The task set was created after the newest finding of the export: (created, newest finding).
    pub created_after_newest: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

/// `FAILED/SUPPRESSED`: a finding's status and workflow, as the reason shows them.
pub fn verdict_words(f: &Finding) -> String {
    let mut s = f.compliance_status.as_str().to_string();
    if let Some(w) = &f.workflow_status {
        s.push('/');
        s.push_str(w.as_str());
    }
    s
}

/// The standard a finding copy belongs to, or `consolidated`.
pub fn standard_label(f: &Finding) -> String {
    f.standard
        .clone()
        .unwrap_or_else(|| "consolidated".to_string())
}

fn security_hub_words(sh: &SecurityHubFacts<'_>) -> String {
    match (sh.deciding, sh.shown) {
        (Some(f), _) => format!(
            "Security Hub says {} ({})",
            verdict_words(f),
            standard_label(f)
        ),
        (None, Some(f)) => format!(
            "its only ECS.16 finding is ARCHIVED (last {})",
            verdict_words(f)
        ),
        (None, None) => "no ECS.16 finding for it in the export".to_string(),
    }
}

/// Active copies of one finding (one per standard) that disagree, in words; `None` when they agree.
fn disagreement(sh: &SecurityHubFacts<'_>) -> Option<String> {
    let mut verdicts: Vec<String> = sh.active.iter().map(|f| verdict_words(f)).collect();
    verdicts.sort();
    verdicts.dedup();
    if verdicts.len() < 2 {
        return None;
    }
    let listed: Vec<String> = sh
        .active
        .iter()
        .map(|f| format!("{} {}", standard_label(f), verdict_words(f)))
        .collect();
    Some(format!(
        "; the active findings disagree ({}), the {} copy decides",
        listed.join(", "),
        sh.deciding.map(standard_label).unwrap_or_default()
    ))
}

/// True when the active copies of a task set's finding disagree.
pub fn copies_disagree(sh: &SecurityHubFacts<'_>) -> bool {
    disagreement(sh).is_some()
}

/// The reason of a row. `readings` are the choices of the more exposed reading the records needed (a key
/// given twice, two descriptions of one moment that disagree), said last.
pub fn reason(
    decision: &Decision,
    sh: &SecurityHubFacts<'_>,
    inventory: &InventoryFact,
    readings: &[String],
) -> String {
    let said = security_hub_words(sh);
    let inv = inventory.words();
    // A verdict was given but cannot be used (WARNING, NOT_AVAILABLE, an unknown value).
    let unusable = if sh.deciding.is_some() {
        format!("{said}, not a usable verdict")
    } else {
        said.clone()
    };
    let mut words = match decision.rule {
        Rule::InventorySaysGone => format!("{inv}; {said}"),
        Rule::ArchivedAndUncovered => {
            format!("{said}, and {inv}: Security Hub no longer evaluates it")
        }
        Rule::FailedButDisabled => {
            format!("{said} but {inv}; a task set's network configuration cannot change in place")
        }
        Rule::PassedButEnabled => format!("{said} but {inv}"),
        Rule::FailedSuppressed | Rule::FailedAgreed | Rule::PassedAgreed => {
            format!("{said}; {inv}")
        }
        Rule::NoVerdictEnabled => {
            let gap = match (sh.created_after_newest, sh.deciding) {
                (Some((created, newest)), None) => format!(
                    "; created {} after the newest finding in the export ({}): Security Hub had not evaluated it yet",
                    time::format(&created),
                    time::format(&newest)
                ),
                (None, None) => "; check that AWS Config records AWS::ECS::TaskSet in this account and region".to_string(),
                (_, Some(_)) => String::new(),
            };
            format!("{unusable}; {inv}{gap}")
        }
        Rule::NoVerdictDisabled => format!("{unusable}; {inv}"),
        Rule::NoVerdictUncovered => {
            format!("{unusable}; {inv}, so whether it is exposed is unknown")
        }
    };
    if let Some(d) = disagreement(sh) {
        words.push_str(&d);
    }
    for r in readings {
        words.push_str("; ");
        words.push_str(r);
    }
    words
}
