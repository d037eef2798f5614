//! ASFF (AWS Security Finding Format) findings → the finding model.
//!
//! The control is identified by `Compliance.SecurityControlId`, else the suffix of `GeneratorId`
//! (`security-control/ECS.16`, `pci-dss/v/4.0.1/ECS.16`), else `ProductFields.ControlId` — never by
//! `RelatedRequirements`, because ECS.2 and S3.1 map to PCI DSS 1.4.4 as well.
//! Security Hub has no task-set details type, so the task set is found by its ARN in `Resources[].Id`,
//! whatever `Resources[].Type` says.

use super::fields::{at, opt_str, opt_string, opt_time, req_str, str_list};
use crate::arn::TaskSetArn;
use crate::model::{
    ComplianceStatus, ControlIdSource, Finding, FindingFormat, Note, Origin, RecordState,
    WorkflowStatus,
};
use serde_json::Value;

/// The control this tool gathers evidence for.
pub const CONTROL_ID: &str = "ECS.16";

/// The result of reading one finding.
#[derive(Debug)]
pub enum Selection {
    /// An ECS.16 finding, with notes about values kept verbatim.
    Ecs16(Box<Finding>, Vec<String>),
    /// A finding of another control (or not a control finding at all): counted, then dropped.
    OtherControl,
}

/// The control id of an ASFF finding and where it was read from.
pub fn control_id(v: &Value) -> Result<Option<(String, ControlIdSource)>, String> {
    if let Some(id) = opt_str(v, &["Compliance", "SecurityControlId"])? {
        return Ok(Some((id.to_string(), ControlIdSource::SecurityControlId)));
    }
    if let Some(generator) = opt_str(v, &["GeneratorId"])? {
        if let Some((_, suffix)) = generator.rsplit_once('/') {
            if !suffix.is_empty() {
                return Ok(Some((suffix.to_string(), ControlIdSource::GeneratorId)));
            }
        }
    }
    if let Some(id) = opt_str(v, &["ProductFields", "ControlId"])? {
        return Ok(Some((
            id.to_string(),
            ControlIdSource::ProductFieldsControlId,
        )));
    }
    Ok(None)
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

/// Reads one ASFF finding. `Err` is a record-level problem: the record cannot be used.
pub fn normalize(v: &Value, origin: Origin) -> Result<Selection, String> {
    let Some((control_id, control_id_source)) = control_id(v)? else {
        return Ok(Selection::OtherControl);
    };
    if control_id != CONTROL_ID {
        return Ok(Selection::OtherControl);
    }
    let mut notes = Vec::new();
    let id = req_str(v, &["Id"]).map_err(|e| format!("ECS.16 finding with {e}"))?;
    let problem = |e: String| format!("ECS.16 finding {id}: {e}");

    let resources = match at(v, &["Resources"]) {
        Some(Value::Array(r)) if !r.is_empty() => r,
        Some(Value::Array(_)) | None => return Err(problem("no Resources".to_string())),
        Some(_) => return Err(problem("Resources is not a list".to_string())),
    };
    let mut task_set = None;
    for r in resources {
        let rid = opt_str(r, &["Id"]).map_err(problem)?.unwrap_or_default();
        if let Some(arn) = TaskSetArn::parse(rid) {
            let rtype = opt_str(r, &["Type"]).map_err(problem)?.unwrap_or_default();
            task_set = Some((rid.to_string(), arn, rtype.to_string()));
            break;
        }
    }
    let Some((task_set_arn, arn, resource_type)) = task_set else {
        let first = resources
            .first()
            .and_then(|r| r.get("Id"))
            .and_then(Value::as_str)
            .unwrap_or("(no Id)");
        return Err(problem(format!(
            "resource {first:?} is not an ECS task set ARN"
        )));
    };

    let status_text = req_str(v, &["Compliance", "Status"]).map_err(problem)?;
    let compliance_status = ComplianceStatus::parse(status_text);
    if !compliance_status.is_known() {
        notes.push(format!(
            "ECS.16 finding {id}: unknown Compliance.Status {status_text:?} kept verbatim (not a usable verdict)"
        ));
    }
    let workflow_status = opt_str(v, &["Workflow", "Status"])
        .map_err(problem)?
        .map(WorkflowStatus::parse);
    if let Some(WorkflowStatus::Other(w)) = &workflow_status {
        notes.push(format!(
            "ECS.16 finding {id}: unknown Workflow.Status {w:?} kept verbatim"
        ));
    }
    let record_state = match opt_str(v, &["RecordState"]).map_err(problem)? {
        Some(s) => RecordState::parse(s),
        None => {
            notes.push(format!(
                "ECS.16 finding {id}: no RecordState; taken as ACTIVE"
            ));
            RecordState::Active
        }
    };
    if let RecordState::Other(s) = &record_state {
        notes.push(format!(
            "ECS.16 finding {id}: unknown RecordState {s:?} kept verbatim (treated as history, not current state)"
        ));
    }

    let updated_at = opt_time(v, &["UpdatedAt"]).map_err(problem)?;
    if updated_at.is_none() {
        return Err(problem("no UpdatedAt".to_string()));
    }
    let note = match at(v, &["Note"]) {
        Some(n) => Some(Note {
            text: opt_str(n, &["Text"])
                .map_err(problem)?
                .unwrap_or_default()
                .to_string(),
            updated_by: opt_str(n, &["UpdatedBy"])
                .map_err(problem)?
                .unwrap_or_default()
                .to_string(),
            updated_at: opt_time(n, &["UpdatedAt"]).map_err(problem)?,
        }),
        None => None,
    };
    let generator_id = opt_str(v, &["GeneratorId"])
        .map_err(problem)?
        .unwrap_or_default();
    let standards_arn = opt_str(v, &["ProductFields", "StandardsArn"]).map_err(problem)?;

    Ok(Selection::Ecs16(
        Box::new(Finding {
            id: id.to_string(),
            format: FindingFormat::Asff,
            control_id,
            control_id_source,
            generator_id: generator_id.to_string(),
            standard: generating_standard(generator_id, standards_arn),
            task_set_arn,
            resource_type,
            account_id: arn.account_id.clone(),
            account_name: opt_string(v, &["AwsAccountName"]).map_err(problem)?,
            region: arn.region.clone(),
            cluster: arn.cluster.clone(),
            service: arn.service.clone(),
            title: opt_str(v, &["Title"])
                .map_err(problem)?
                .unwrap_or_default()
                .to_string(),
            severity: opt_string(v, &["Severity", "Label"]).map_err(problem)?,
            compliance_status,
            workflow_status,
            record_state,
            first_observed_at: opt_time(v, &["FirstObservedAt"]).map_err(problem)?,
            last_observed_at: opt_time(v, &["LastObservedAt"]).map_err(problem)?,
            created_at: opt_time(v, &["CreatedAt"]).map_err(problem)?,
            updated_at,
            processed_at: opt_time(v, &["ProcessedAt"]).map_err(problem)?,
            exported_at: None,
            note,
            related_requirements: str_list(v, &["Compliance", "RelatedRequirements"])
                .map_err(problem)?,
            origin,
        }),
        notes,
    ))
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
            .contains("no Resources"));
        let mut acct = finding();
        acct["Resources"] = json!([{"Type": "AwsAccount", "Id": "AWS::::Account:111122223333"}]);
        assert!(normalize(&acct, ORIGIN)
            .unwrap_err()
            .contains("not an ECS task set ARN"));
        let mut num = finding();
        num["Compliance"]["Status"] = json!(3);
        assert!(normalize(&num, ORIGIN)
            .unwrap_err()
            .contains("Compliance.Status is a number, expected a string"));
    }

    #[test]
    fn unknown_status_is_kept_verbatim_with_a_note() {
        let mut v = finding();
        v["Compliance"]["Status"] = json!("ERRORED");
        match normalize(&v, ORIGIN).unwrap() {
            Selection::Ecs16(f, notes) => {
                assert_eq!(f.compliance_status.as_str(), "ERRORED");
                assert!(notes[0].contains("ERRORED"));
            }
            Selection::OtherControl => panic!(),
        }
    }
}
