//! ASFF (AWS Security Finding Format) findings → the finding model.
//!
//! The control is identified by `Compliance.SecurityControlId`, else the suffix of `GeneratorId`
//! (`security-control/ECS.16`, `pci-dss/v/4.0.1/ECS.16`), else `ProductFields.ControlId` — never by
//! `RelatedRequirements`, because ECS.2 and S3.1 map to PCI DSS 1.4.4 as well.
//! Security Hub has no task-set details type, so the task set is found by its ARN in `Resources[].Id`,
//! whatever `Resources[].Type` says.

use super::fields::{at, FieldError, Fields};
use super::problem::{FindingProblem, RecordError};
use crate::arn::TaskSetArn;
use crate::model::{
    ComplianceStatus, ControlIdSource, Finding, FindingFormat, Note, Origin, RecordState,
    WorkflowStatus,
};
use serde_json::Value;

pub use crate::model::CONTROL_ID;

/// The result of reading one finding.
#[derive(Debug)]
pub enum Selection {
    /// An ECS.16 finding, with what is worth flagging about it.
    Ecs16(Box<Finding>, Flags),
    /// A finding of another control (or not a control finding at all): counted, then dropped.
    OtherControl,
}

/// What reading an ECS.16 finding or a task set noticed, beside the values it kept.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Flags {
    /// Values kept verbatim that this tool does not know (an unknown status, say), in words.
    pub notes: Vec<String>,
    /// Fields that could not be read (wrong type, not a date, …), in reading order.
    pub unreadable: Vec<FieldError>,
}

/// A required string field: its text, or why the record cannot do without it.
pub fn required<'v>(
    f: &mut Fields<'v>,
    path: &[&str],
    name: &'static str,
) -> Result<&'v str, FindingProblem> {
    let before = f.problems().len();
    match f.str(path) {
        Some(s) => Ok(s),
        None => match f.problems().get(before) {
            Some(p) => Err(FindingProblem::Field(p.clone())),
            None => Err(FindingProblem::Missing(name)),
        },
    }
}

/// The control id of an ASFF finding and where it was read from.
pub fn control_id(v: &Value) -> Result<Option<(String, ControlIdSource)>, RecordError> {
    let mut f = Fields::of(v);
    let found = if let Some(id) = f.str(&["Compliance", "SecurityControlId"]) {
        Some((id.to_string(), ControlIdSource::SecurityControlId))
    } else if let Some(suffix) = f
        .str(&["GeneratorId"])
        .and_then(|g| g.rsplit_once('/'))
        .map(|(_, s)| s)
        .filter(|s| !s.is_empty())
    {
        Some((suffix.to_string(), ControlIdSource::GeneratorId))
    } else {
        f.str(&["ProductFields", "ControlId"])
            .map(|id| (id.to_string(), ControlIdSource::ProductFieldsControlId))
    };
    // A control id field of the wrong type leaves the record's control unknown: that is a problem
    // whether or not another field named a control.
    match f.into_problems().into_iter().next() {
        Some(p) => Err(RecordError::Field(p)),
        None => Ok(found),
    }
}

/// The standard that generated a finding when consolidated control findings are OFF, e.g. `pci-dss/v/4.0.1`.
/// Consolidated findings (`security-control/ECS.16`) belong to no single standard: `None`.
pub fn generating_standard(generator_id: &str, standards_arn: Option<&str>) -> Option<String> {
    if let Some((prefix, _)) = generator_id.rsplit_once('/') {
        if prefix != "security-control" && !prefix.starts_with("arn:") && !prefix.is_empty() {
            return Some(prefix.to_string());
        }
    }
    // `arn:aws:securityhub:::standards/pci-dss/v/4.0.1` or the regional form.
    let arn = standards_arn?;
    let (_, path) = arn.split_once(":standards/")?;
    Some(path.to_string())
}

/// The first resource whose id is a task set ARN: the ARN as written, parsed, and the resource's type.
fn task_set_resource(
    f: &mut Fields<'_>,
    resources: &[Value],
) -> Result<(String, TaskSetArn, String), FindingProblem> {
    for r in resources {
        let mut rf = Fields::of(r);
        let rid = rf.str(&["Id"]).unwrap_or_default();
        if let Some(arn) = TaskSetArn::parse(rid) {
            let rtype = rf.str(&["Type"]).unwrap_or_default().to_string();
            f.absorb(rf);
            return Ok((rid.to_string(), arn, rtype));
        }
        if let Some(p) = rf.into_problems().into_iter().next() {
            return Err(FindingProblem::Field(p));
        }
    }
    let first = resources
        .first()
        .and_then(|r| r.get("Id"))
        .and_then(Value::as_str)
        .unwrap_or("(no Id)");
    Err(FindingProblem::NotATaskSet(first.to_string()))
}

/// Reads one ASFF finding. `Err` is a record-level problem: the record cannot be used.
pub fn normalize(v: &Value, origin: Origin) -> Result<Selection, RecordError> {
    let Some((control_id, control_id_source)) = control_id(v)? else {
        return Ok(Selection::OtherControl);
    };
    if control_id != CONTROL_ID {
        return Ok(Selection::OtherControl);
    }
    let mut f = Fields::of(v);
    let Some(id) = f.str(&["Id"]) else {
        return Err(match f.into_problems().into_iter().next() {
            Some(p) => RecordError::Field(p),
            None => RecordError::FindingWithoutId("Id"),
        });
    };
    let problem = |problem: FindingProblem| RecordError::Finding {
        id: id.to_string(),
        problem,
    };
    let resources = match at(v, &["Resources"]) {
        Some(Value::Array(r)) if !r.is_empty() => r,
        Some(Value::Array(_)) | None => {
            return Err(problem(FindingProblem::NoResources("Resources")))
        }
        Some(_) => return Err(problem(FindingProblem::ResourcesNotAList("Resources"))),
    };
    let (task_set_arn, arn, resource_type) =
        task_set_resource(&mut f, resources).map_err(problem)?;
    let status_text =
        required(&mut f, &["Compliance", "Status"], "Compliance.Status").map_err(problem)?;
    let mut flags = Flags::default();
    let compliance_status = ComplianceStatus::parse(status_text);
    if !compliance_status.is_known() {
        flags.notes.push(format!(
            "ECS.16 finding {id}: unknown Compliance.Status {status_text:?} kept verbatim (not a usable verdict)"
        ));
    }
    let workflow_status = f.str(&["Workflow", "Status"]).map(WorkflowStatus::parse);
    if let Some(WorkflowStatus::Other(w)) = &workflow_status {
        flags.notes.push(format!(
            "ECS.16 finding {id}: unknown Workflow.Status {w:?} kept verbatim"
        ));
    }
    let record_state = match f.str(&["RecordState"]) {
        Some(s) => RecordState::parse(s),
        None => {
            flags.notes.push(format!(
                "ECS.16 finding {id}: no RecordState; taken as ACTIVE"
            ));
            RecordState::Active
        }
    };
    if let RecordState::Other(s) = &record_state {
        flags.notes.push(format!(
            "ECS.16 finding {id}: unknown RecordState {s:?} kept verbatim (treated as history, not current state)"
        ));
    }
    if at(v, &["UpdatedAt"]).is_none() {
        return Err(problem(FindingProblem::Missing("UpdatedAt")));
    }
    let updated_at = f.time(&["UpdatedAt"]);
    let note = at(v, &["Note"]).is_some().then(|| Note {
        text: f.str(&["Note", "Text"]).unwrap_or_default().to_string(),
        updated_by: f
            .str(&["Note", "UpdatedBy"])
            .unwrap_or_default()
            .to_string(),
        updated_at: f.time(&["Note", "UpdatedAt"]),
    });
    let generator_id = f.str(&["GeneratorId"]).unwrap_or_default();
    let standards_arn = f.str(&["ProductFields", "StandardsArn"]);
    let finding = Finding {
        id: id.to_string(),
        format: FindingFormat::Asff,
        control_id,
        control_id_source,
        generator_id: generator_id.to_string(),
        standard: generating_standard(generator_id, standards_arn),
        task_set_arn,
        resource_type,
        account_id: arn.account_id.clone(),
        account_name: f.string(&["AwsAccountName"]),
        region: arn.region.clone(),
        cluster: arn.cluster.clone(),
        service: arn.service.clone(),
        title: f.str(&["Title"]).unwrap_or_default().to_string(),
        severity: f.string(&["Severity", "Label"]),
        compliance_status,
        workflow_status,
        record_state,
        first_observed_at: f.time(&["FirstObservedAt"]),
        last_observed_at: f.time(&["LastObservedAt"]),
        created_at: f.time(&["CreatedAt"]),
        updated_at,
        processed_at: f.time(&["ProcessedAt"]),
        exported_at: None,
        note,
        related_requirements: f.list(&["Compliance", "RelatedRequirements"]),
        origin,
    };
    flags.unreadable = f.into_problems();
    Ok(Selection::Ecs16(Box::new(finding), flags))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ORIGIN: Origin = Origin {
        input: 0,
        record: 1,
    };
    const TS: &str = "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api/ecs-svc/1111";

    fn finding() -> Value {
        json!({
            "SchemaVersion": "2018-10-08",
            "Id": "arn:aws:securityhub:eu-west-1:111122223333:security-control/ECS.16/finding/0001",
            "GeneratorId": "security-control/ECS.16",
            "AwsAccountId": "111122223333",
            "AwsAccountName": "payments-prod",
            "UpdatedAt": "2026-09-20T10:00:00.000Z",
            "Title": "ECS task sets should not automatically assign public IP addresses",
            "Severity": {"Label": "HIGH", "Normalized": 70},
            "Resources": [{"Type": "Other", "Id": TS, "Region": "eu-west-1"}],
            "Compliance": {"Status": "FAILED", "SecurityControlId": "ECS.16",
                           "RelatedRequirements": ["PCI DSS v4.0.1/1.4.4"]},
            "Workflow": {"Status": "SUPPRESSED"},
            "RecordState": "ACTIVE",
            "Note": {"Text": "accepted until Q4", "UpdatedBy": "arn:aws:iam::111122223333:role/sec", "UpdatedAt": "2026-09-01T00:00:00Z"}
        })
    }

    fn select(v: &Value) -> Finding {
        match normalize(v, ORIGIN).unwrap() {
            Selection::Ecs16(f, _) => *f,
            Selection::OtherControl => panic!("not selected"),
        }
    }

    #[test]
    fn consolidated_finding_is_read_whole() {
        let f = select(&finding());
        assert_eq!(f.task_set_arn, TS);
        assert_eq!(
            (f.cluster.as_str(), f.service.as_str()),
            ("payments", "card-api")
        );
        assert_eq!(f.compliance_status, ComplianceStatus::Failed);
        assert_eq!(f.workflow_status, Some(WorkflowStatus::Suppressed));
        assert_eq!(f.account_name.as_deref(), Some("payments-prod"));
        assert_eq!(f.note.unwrap().text, "accepted until Q4");
        assert_eq!(f.standard, None);
        assert_eq!(f.control_id_source, ControlIdSource::SecurityControlId);
    }

    #[test]
    fn control_is_selected_by_id_never_by_requirement() {
        let mut ecs2 = finding();
        ecs2["Compliance"]["SecurityControlId"] = json!("ECS.2");
        ecs2["GeneratorId"] = json!("security-control/ECS.2");
        assert!(matches!(
            normalize(&ecs2, ORIGIN).unwrap(),
            Selection::OtherControl
        ));
        // SecurityControlId wins over a GeneratorId that would say otherwise.
        let mut odd = finding();
        odd["GeneratorId"] = json!("security-control/ECS.2");
        assert!(matches!(
            normalize(&odd, ORIGIN).unwrap(),
            Selection::Ecs16(..)
        ));
    }

    #[test]
    fn generator_suffix_then_product_fields() {
        let mut off = finding();
        off["Compliance"]
            .as_object_mut()
            .unwrap()
            .remove("SecurityControlId");
        off["GeneratorId"] = json!("pci-dss/v/4.0.1/ECS.16");
        let f = select(&off);
        assert_eq!(f.control_id_source, ControlIdSource::GeneratorId);
        assert_eq!(f.standard.as_deref(), Some("pci-dss/v/4.0.1"));
        let mut pf = off.clone();
        pf.as_object_mut().unwrap().remove("GeneratorId");
        pf["ProductFields"] = json!({"ControlId": "ECS.16",
            "StandardsArn": "arn:aws:securityhub:::standards/aws-foundational-security-best-practices/v/1.0.0"});
        let f = select(&pf);
        assert_eq!(f.control_id_source, ControlIdSource::ProductFieldsControlId);
        assert_eq!(
            f.standard.as_deref(),
            Some("aws-foundational-security-best-practices/v/1.0.0")
        );
    }

    #[test]
    fn unusable_records_say_why() {
        let mut none = finding();
        none["Resources"] = json!([]);
        assert!(normalize(&none, ORIGIN)
            .unwrap_err()
            .to_string()
            .contains("no Resources"));
        let mut acct = finding();
        acct["Resources"] = json!([{"Type": "AwsAccount", "Id": "AWS::::Account:111122223333"}]);
        assert!(normalize(&acct, ORIGIN)
            .unwrap_err()
            .to_string()
            .contains("not an ECS task set ARN"));
        let mut num = finding();
        num["Compliance"]["Status"] = json!(3);
        assert!(normalize(&num, ORIGIN)
            .unwrap_err()
            .to_string()
            .contains("Compliance.Status is a number, expected a string"));
    }

    #[test]
    fn unknown_status_is_kept_verbatim_with_a_note() {
        let mut v = finding();
        v["Compliance"]["Status"] = json!("ERRORED");
        match normalize(&v, ORIGIN).unwrap() {
            Selection::Ecs16(f, flags) => {
                assert_eq!(f.compliance_status.as_str(), "ERRORED");
                assert!(flags.notes[0].contains("ERRORED"));
            }
            Selection::OtherControl => panic!(),
        }
    }
}
