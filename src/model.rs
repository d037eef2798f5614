//! The one finding model and the one task-set model every input shape is normalised into.
//!
//! Status fields are closed enums with an `Other` arm: a value this tool does not know is kept verbatim
//! (and reported as a record problem by ingest), never turned into a known value.

use crate::arn::ServiceKey;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The control this tool gathers evidence for.
pub const CONTROL_ID: &str = "ECS.16";

/// Declares an enum of AWS status words with an `Other(String)` arm that keeps unknown values verbatim.
macro_rules! status_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this tool does not know, exactly as it was found.
            Other(String),
        }

        impl $name {
            pub fn parse(text: &str) -> Self {
                match text {
                    $($text => Self::$variant,)+
                    other => Self::Other(other.to_string()),
                }
            }

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(text) => text,
                }
            }

            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

status_enum! {
    /// `Compliance.Status` of a control finding.
    ComplianceStatus { Passed => "PASSED", Failed => "FAILED", Warning => "WARNING", NotAvailable => "NOT_AVAILABLE" }
}

status_enum! {
    /// `Workflow.Status`: how people have triaged the finding.
    WorkflowStatus { New => "NEW", Notified => "NOTIFIED", Resolved => "RESOLVED", Suppressed => "SUPPRESSED" }
}

status_enum! {
    /// `RecordState`: ARCHIVED findings are history and never describe the current state.
    RecordState { Active => "ACTIVE", Archived => "ARCHIVED" }
}

status_enum! {
    /// A task set's `status` in ECS.
    TaskSetStatus { Primary => "PRIMARY", Active => "ACTIVE", Draining => "DRAINING" }
}

status_enum! {
    /// `networkConfiguration.awsvpcConfiguration.assignPublicIp` as the dump states it.
    AssignPublicIp { Enabled => "ENABLED", Disabled => "DISABLED" }
}

/// Where the control id of a finding was read from (the selection order of SPEC.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ControlIdSource {
    #[serde(rename = "Compliance.SecurityControlId")]
    SecurityControlId,
    #[serde(rename = "GeneratorId")]
    GeneratorId,
    #[serde(rename = "ProductFields.ControlId")]
    ProductFieldsControlId,
}

impl ControlIdSource {
    /// The field the control id was read from, as the findings table names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ControlIdSource::SecurityControlId => "Compliance.SecurityControlId",
            ControlIdSource::GeneratorId => "GeneratorId",
            ControlIdSource::ProductFieldsControlId => "ProductFields.ControlId",
        }
    }
}

/// The format a finding was exported in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum FindingFormat {
    #[serde(rename = "ASFF")]
    Asff,
    #[serde(rename = "OCSF")]
    Ocsf,
}

impl FindingFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingFormat::Asff => "ASFF",
            FindingFormat::Ocsf => "OCSF",
        }
    }
}

/// `Note` of a finding: the text, who wrote it and when. Evidence for risk acceptance.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Note {
    pub text: String,
    pub updated_by: String,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Which input file and which record in it a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Origin {
    /// Index into the list of inputs, in the order they were read.
    pub input: usize,
    /// 1-based record number within that input.
    pub record: u64,
}

/// One ECS.16 finding, normalised. Only ECS.16 findings are ever built.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub id: String,
    pub format: FindingFormat,
    pub control_id: String,
    pub control_id_source: ControlIdSource,
    pub generator_id: String,
    /// The standard that generated the finding when consolidated control findings are OFF
    /// (`pci-dss/v/4.0.1`, `aws-foundational-security-best-practices/v/1.0.0`); `None` for consolidated ones.
    pub standard: Option<String>,
    pub task_set_arn: String,
    pub resource_type: String,
    pub account_id: String,
    pub account_name: Option<String>,
    pub region: String,
    pub cluster: String,
    pub service: String,
    pub title: String,
    pub severity: Option<String>,
    pub compliance_status: ComplianceStatus,
    pub workflow_status: Option<WorkflowStatus>,
    pub record_state: RecordState,
    pub first_observed_at: Option<DateTime<Utc>>,
    pub last_observed_at: Option<DateTime<Utc>>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub processed_at: Option<DateTime<Utc>>,
    /// When the export holding this copy was taken: the EventBridge event time, else the newest time a
    /// service stamped on any finding of the same file (`ProcessedAt`, OCSF `time`). Dates the snapshot for
    /// history. Never a time the finding's provider set (`UpdatedAt`, `LastObservedAt`, …): one forged
    /// value there must not move the evidence in time.
    pub exported_at: Option<DateTime<Utc>>,
    pub note: Option<Note>,
    pub related_requirements: Vec<String>,
    /// What reading the record noticed: fields that could not be read, repairs, duplicate keys, values
    /// kept verbatim. Listed beside the finding in every table.
    pub flags: Vec<String>,
    /// Where the record offered two readings of a field that decides the outcome (a key given twice), the
    /// more exposed one was taken; each such choice in words, for the row's reason.
    pub readings: Vec<String>,
    pub origin: Origin,
}

impl Finding {
    pub fn service_key(&self) -> ServiceKey {
        ServiceKey {
            account_id: self.account_id.clone(),
            region: self.region.clone(),
            cluster: self.cluster.clone(),
            service: self.service.clone(),
        }
    }

    /// A copy holding only what the history of exports reads (`analysis::history`, `coverage`, and
    /// `reconcile::deciding_finding` for each export): which finding, of which task set and place, its
    /// verdict and its times. Every other field is left empty. History needs every copy of every finding;
    /// whole clones of an organisation's 100,000 findings (titles, notes, flags, requirements…) cost
    /// more than the copies history reads.
    pub fn for_history(&self) -> Finding {
        Finding {
            id: self.id.clone(),
            format: self.format,
            control_id: String::new(),
            control_id_source: self.control_id_source,
            generator_id: String::new(),
            standard: self.standard.clone(),
            task_set_arn: self.task_set_arn.clone(),
            resource_type: String::new(),
            account_id: self.account_id.clone(),
            account_name: None,
            region: self.region.clone(),
            cluster: String::new(),
            service: String::new(),
            title: String::new(),
            severity: None,
            compliance_status: self.compliance_status.clone(),
            workflow_status: None,
            record_state: self.record_state.clone(),
            first_observed_at: self.first_observed_at,
            last_observed_at: None,
            created_at: None,
            updated_at: self.updated_at,
            processed_at: None,
            exported_at: self.exported_at,
            note: None,
            related_requirements: Vec::new(),
            flags: Vec::new(),
            readings: Vec::new(),
            origin: self.origin,
        }
    }

    /// True when the finding is current state (ACTIVE); ARCHIVED and unknown record states are history.
    pub fn is_active(&self) -> bool {
        self.record_state == RecordState::Active
    }

    /// The free text the finding carries into the outputs, by field name.
    pub fn texts(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("Id", self.id.as_str()), ("Title", self.title.as_str())];
        out.extend(self.account_name.as_deref().map(|t| ("AwsAccountName", t)));
        out.extend(self.severity.as_deref().map(|t| ("Severity", t)));
        if let Some(n) = &self.note {
            out.push(("Note.Text", n.text.as_str()));
            out.push(("Note.UpdatedBy", n.updated_by.as_str()));
        }
        out.extend(
            self.related_requirements
                .iter()
                .map(|r| ("RelatedRequirements", r.as_str())),
        );
        out
    }
}

/// A load balancer a task set is registered with (needed to pre-fill the replacement command).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LoadBalancer {
    pub target_group_arn: Option<String>,
    pub load_balancer_name: Option<String>,
    pub container_name: Option<String>,
    pub container_port: Option<i64>,
}

/// One task set as an ECS dump describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskSet {
    pub arn: String,
    pub id: String,
    pub account_id: String,
    pub region: String,
    pub cluster: String,
    pub service: String,
    pub status: Option<TaskSetStatus>,
    /// `None` when the task set has no awsvpc network configuration (bridge/host networking).
    pub assign_public_ip: Option<AssignPublicIp>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    pub launch_type: Option<String>,
    pub task_definition: Option<String>,
    pub started_by: Option<String>,
    pub external_id: Option<String>,
    pub stability_status: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
    pub load_balancers: Vec<LoadBalancer>,
    /// What reading the record noticed (fields that could not be read, duplicate keys, unknown values).
    pub flags: Vec<String>,
    /// Choices of the more exposed reading, in words, for the row's reason (a key given twice, or two
    /// descriptions of the same moment that disagree).
    pub readings: Vec<String>,
    pub origin: Origin,
}

impl TaskSet {
    /// The free text the task set carries into the outputs and the runbooks, by field name.
    pub fn texts(&self) -> Vec<(&'static str, &str)> {
        let mut out = vec![("id", self.id.as_str())];
        for (name, value) in [
            ("launchType", &self.launch_type),
            ("taskDefinition", &self.task_definition),
            ("startedBy", &self.started_by),
            ("externalId", &self.external_id),
            ("stabilityStatus", &self.stability_status),
        ] {
            out.extend(value.as_deref().map(|t| (name, t)));
        }
        out.extend(self.subnets.iter().map(|t| ("subnets", t.as_str())));
        out.extend(
            self.security_groups
                .iter()
                .map(|t| ("securityGroups", t.as_str())),
        );
        for lb in &self.load_balancers {
            for (name, value) in [
                ("targetGroupArn", &lb.target_group_arn),
                ("loadBalancerName", &lb.load_balancer_name),
                ("containerName", &lb.container_name),
            ] {
                out.extend(value.as_deref().map(|t| (name, t)));
            }
        }
        out
    }
}

/// What a description says of a task set's exposure at one moment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Exposure {
    Enabled,
    Disabled,
    /// No awsvpc network configuration: its tasks get no public IP of their own.
    NotAwsvpc,
    /// A value this tool does not know, verbatim.
    Unknown(String),
    /// The task set no longer exists.
    Deleted,
}

impl Exposure {
    pub fn of(assign: Option<&AssignPublicIp>) -> Exposure {
        match assign {
            Some(AssignPublicIp::Enabled) => Exposure::Enabled,
            Some(AssignPublicIp::Disabled) => Exposure::Disabled,
            Some(AssignPublicIp::Other(v)) => Exposure::Unknown(v.clone()),
            None => Exposure::NotAwsvpc,
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Exposure::Enabled => "ENABLED",
            Exposure::Disabled => "DISABLED",
            Exposure::NotAwsvpc => "NOT_AWSVPC",
            Exposure::Unknown(v) => v,
            Exposure::Deleted => "DELETED",
        }
    }
}

/// One configuration of a task set as AWS Config captured it: a point of its timeline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ConfigPoint {
    pub captured_at: DateTime<Utc>,
    pub exposure: Exposure,
    pub origin: Origin,
}

/// What the inventory dumps say, joined across every dump given.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    /// Task sets listed by a dump, by ARN.
    pub task_sets: BTreeMap<String, TaskSet>,
    /// Services some dump describes in full: a task set of one of these that no dump lists no longer exists.
    pub covered_services: BTreeSet<ServiceKey>,
    /// Task sets a dump's `failures` report as MISSING, with the failure detail.
    pub missing_task_sets: BTreeMap<String, String>,
    /// Services a `describe-services` dump reports as MISSING: every task set of theirs is gone.
    pub missing_services: BTreeSet<ServiceKey>,
    /// Newest timestamp in the dumps; part of `as_of`.
    pub newest_timestamp: Option<DateTime<Utc>>,
    /// Older descriptions of a task set that a newer one replaced, kept as its history.
    pub earlier: BTreeMap<String, Vec<TaskSet>>,
    /// Services some listing names (`list-services`, `describe-services`, AWS Config): they exist.
    pub listed_services: BTreeSet<ServiceKey>,
    /// Clusters `list-clusters` names: (account, region, cluster).
    pub listed_clusters: BTreeSet<(String, String, String)>,
    /// Accounts and regions an AWS Config snapshot or aggregator query covers.
    pub config_scopes: BTreeSet<(String, String)>,
    /// Each task set's configurations as AWS Config captured them, oldest first.
    pub config_timeline: BTreeMap<String, Vec<ConfigPoint>>,
    /// Calls the inventory collection recorded as failed: gaps the report names.
    pub collection_gaps: Vec<CollectionGap>,
}

/// A call `collect-inventory.sh` recorded as failed in its `collection.json` (throttled past its retries,
/// AccessDenied, …): what it did not see.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CollectionGap {
    /// The AWS CLI call, without `aws` (`ecs list-services --cluster …`).
    pub call: String,
    pub account_id: String,
    pub region: String,
    pub error_code: String,
    pub message: String,
}

/// A record that may be an ECS.16 finding but whose task set or status cannot be read: it cannot be placed,
/// so it is counted, and the population cannot be shown complete while there is one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct UnreadableFinding {
    pub origin: Origin,
    pub why: String,
}

/// A record that could not be used. It is counted and listed; it never stops the run.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RecordProblem {
    pub record: u64,
    pub message: String,
}
