//! What can be wrong with one record of an input, typed, and worded for the inputs table of the report.
//!
//! A record problem never stops a run: the record is listed with its problem, and the file goes on. What a
//! problem means for the record (dropped, or kept with the field flagged) is decided in `collect`, in one
//! place.

use super::fields::FieldError;

/// What reading a record noticed beside the values it kept (the network readers return it with each
/// resource; findings and task sets carry theirs as `flags` in words).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Flags {
    /// Values kept verbatim that this tool does not know (an unknown state, say), in words.
    pub notes: Vec<String>,
    /// Fields that could not be read (wrong type, not a date, …), in reading order.
    pub unreadable: Vec<FieldError>,
}

/// A record that cannot be used at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RecordError {
    /// A field read before the record is known to be an ECS.16 finding (its control id).
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("ECS.16 finding with no {0}")]
    FindingWithoutId(&'static str),
    #[error("ECS.16 finding {id}: {problem}")]
    Finding { id: String, problem: FindingProblem },
    #[error("task set without taskSetArn")]
    TaskSetWithoutArn,
    #[error("taskSetArn {0:?} is not an ECS task set ARN")]
    NotATaskSetArn(String),
    #[error("task set {arn}: {problem}")]
    TaskSet { arn: String, problem: FieldError },
    #[error("service without serviceArn")]
    ServiceWithoutArn,
    #[error("serviceArn {0:?} is not an ECS service ARN")]
    NotAServiceArn(String),
    #[error("service {0}: taskSets is not a list")]
    TaskSetsNotAList(String),
    #[error("failure for {arn:?} with reason {reason:?}{}: says nothing about whether it exists",
        detail.as_ref().map(|d| format!(" ({d})")).unwrap_or_default())]
    FailureNotMissing {
        arn: String,
        reason: String,
        detail: Option<String>,
    },
    #[error("failure MISSING for {0:?}, which is neither a task set nor a long-form service ARN")]
    MissingNeither(String),
}

/// Why an ECS.16 finding cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FindingProblem {
    #[error(transparent)]
    Field(#[from] FieldError),
    /// The list of resources (`Resources` in ASFF, `resources` in OCSF) is absent or empty.
    #[error("no {0}")]
    NoResources(&'static str),
    #[error("{0} is not a list")]
    ResourcesNotAList(&'static str),
    #[error("resource {0:?} is not an ECS task set ARN")]
    NotATaskSet(String),
    #[error("no resource is an ECS task set ARN")]
    NoTaskSet,
    /// A member that could not be read at all and was left out (see `record::Repair`).
    #[error("{0}")]
    LeftOut(String),
    /// A field the finding cannot be used without (`Compliance.Status`, `UpdatedAt`, …).
    #[error("no {0}")]
    Missing(&'static str),
}
