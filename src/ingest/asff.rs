//! ASFF (AWS Security Finding Format) findings → the finding model.
//!
//! The control is identified by `Compliance.SecurityControlId`, else the suffix of `GeneratorId`
//! (`security-control/ECS.16`, `pci-dss/v/4.0.1/ECS.16`), else `ProductFields.ControlId` — never by
//! `RelatedRequirements`, because ECS.2 and S3.1 map to PCI DSS 1.4.4 as well.
//! Security Hub has no task-set details type, so the task set is found by its ARN in `Resources[].Id`,
//! whatever `Resources[].Type` says.

use super::fields::{at, Fields};
use super::problem::{FindingProblem, RecordError};
use super::record::{self, Parsed};
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
    /// An ECS.16 finding; what is worth flagging about it is in its `flags`.
    Ecs16(Box<Finding>),
    /// An ECS.16 finding whose task set or status cannot be read: it cannot be placed, so it is counted.
    Unreadable(RecordError),
    /// A finding of another control (or not a control finding at all): counted, then dropped.
    OtherControl,
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

/// The control id of an ASFF finding and where it was read from. A `SecurityControlId` given twice that
/// names this control once counts as this control: an ECS.16 finding is never let go on a duplicate key.
pub fn control_id(p: &Parsed) -> Result<Option<(String, ControlIdSource)>, RecordError> {
    let named_twice = record::readings(p, &["Compliance", "SecurityControlId"]).len() > 1;
    if named_twice
        && record::readings(p, &["Compliance", "SecurityControlId"])
            .contains(&&Value::from(CONTROL_ID))
    {
        return Ok(Some((
            CONTROL_ID.to_string(),
            ControlIdSource::SecurityControlId,
        )));
    }
    let mut f = Fields::of(&p.value);
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

/// Exposure order of `Compliance.Status` readings: FAILED first, then anything that is not a verdict, then
/// PASSED.
pub fn status_rank(s: &str) -> u8 {
    match s {
        "FAILED" => 0,
        "PASSED" => 2,
        _ => 1,
    }
}

/// Exposure order of `Workflow.Status` readings: anything but SUPPRESSED first (an exposure nobody accepted).
pub fn workflow_rank(s: &str) -> u8 {
    u8::from(s == "SUPPRESSED")
}

/// Exposure order of `RecordState` readings: ACTIVE (current state) first.
pub fn record_state_rank(s: &str) -> u8 {
    u8::from(s != "ACTIVE")
}

/// Reads one ASFF finding. `Err` is a record-level problem of a record that may not be an ECS.16 finding.
pub fn normalize(p: &Parsed, origin: Origin) -> Result<Selection, RecordError> {
    let Some((control_id, control_id_source)) = control_id(p)? else {
        return Ok(Selection::OtherControl);
    };
    if control_id != CONTROL_ID {
        return Ok(Selection::OtherControl);
    }
    let v = &p.value;
    let mut f = Fields::of(v);
    let Some(id) = f.str(&["Id"]) else {
        return Ok(Selection::Unreadable(
            match f.into_problems().into_iter().next() {
                Some(p) => RecordError::Field(p),
                None => RecordError::FindingWithoutId("Id"),
            },
        ));
    };
    let unreadable = |problem: FindingProblem| {
        Ok(Selection::Unreadable(RecordError::Finding {
            id: id.to_string(),
            problem,
        }))
    };
    let resources = match at(v, &["Resources"]) {
        Some(Value::Array(r)) if !r.is_empty() => r,
        None if record::left_out(p, "Resources").is_some() => {
            return unreadable(FindingProblem::LeftOut(
                record::left_out(p, "Resources").unwrap_or_default(),
            ))
        }
        Some(Value::Array(_)) | None => {
            return unreadable(FindingProblem::NoResources("Resources"))
        }
        Some(_) => return unreadable(FindingProblem::ResourcesNotAList("Resources")),
    };
    let (task_set_arn, arn, resource_type) = match task_set_resource(&mut f, resources) {
        Ok(found) => found,
        Err(problem) => return unreadable(problem),
    };
    let mut readings = Vec::new();
    let (status, said) = record::most_exposed(p, &["Compliance", "Status"], status_rank);
    readings.extend(said);
    let status_text = match status {
        Some(s) => s,
        None => {
            return unreadable(
                required(&mut f, &["Compliance", "Status"], "Compliance.Status")
                    .err()
                    .unwrap_or(FindingProblem::Missing("Compliance.Status")),
            )
        }
    };
    let mut flags = record::flags(p);
    flags.extend(arn.doubts());
    let compliance_status = ComplianceStatus::parse(status_text);
    if !compliance_status.is_known() {
        flags.push(format!(
            "unknown Compliance.Status {status_text:?} kept verbatim (not a usable verdict)"
        ));
    }
    let (workflow, said) = record::most_exposed(p, &["Workflow", "Status"], workflow_rank);
    readings.extend(said);
    f.str(&["Workflow", "Status"]);
    let workflow_status = workflow.map(WorkflowStatus::parse);
    if let Some(WorkflowStatus::Other(w)) = &workflow_status {
        flags.push(format!("unknown Workflow.Status {w:?} kept verbatim"));
    }
    let (state, said) = record::most_exposed(p, &["RecordState"], record_state_rank);
    readings.extend(said);
    f.str(&["RecordState"]);
    let record_state = match state {
        Some(s) => RecordState::parse(s),
        None => {
            flags.push("no RecordState; taken as ACTIVE".to_string());
            RecordState::Active
        }
    };
    if let RecordState::Other(s) = &record_state {
        flags.push(format!(
            "unknown RecordState {s:?} kept verbatim (treated as history, not current state)"
        ));
    }
    let updated_at = f.time(&["UpdatedAt"]);
    if at(v, &["UpdatedAt"]).is_none() && record::left_out(p, "UpdatedAt").is_none() {
        flags.push("no UpdatedAt".to_string());
    }
    let note = at(v, &["Note"]).is_some().then(|| Note {
        text: f.text(&["Note", "Text"]).unwrap_or_default(),
        updated_by: f.text(&["Note", "UpdatedBy"]).unwrap_or_default(),
        updated_at: f.time(&["Note", "UpdatedAt"]),
    });
    let generator_id = f.str(&["GeneratorId"]).unwrap_or_default();
    let standards_arn = f.str(&["ProductFields", "StandardsArn"]);
    let mut finding = Finding {
        id: id.to_string(),
        format: FindingFormat::Asff,
        control_id,
        control_id_source,
        generator_id: generator_id.to_string(),
        standard: generating_standard(generator_id, standards_arn),
        task_set_arn,
        resource_type,
        account_id: arn.account_id.clone(),
        account_name: f.text(&["AwsAccountName"]).filter(|s| !s.is_empty()),
        region: arn.region.clone(),
        cluster: arn.cluster.clone(),
        service: arn.service.clone(),
        title: f.text(&["Title"]).unwrap_or_default(),
        severity: f.text(&["Severity", "Label"]).filter(|s| !s.is_empty()),
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
        flags: Vec::new(),
        readings,
        origin,
    };
    // Unreadable fields first, in reading order: they matter most to the reader of the flags.
    let mut all: Vec<String> = f.into_problems().iter().map(ToString::to_string).collect();
    all.append(&mut flags);
    all.extend(record::hidden_text_flag(&finding.texts()));
    finding.flags = all;
    Ok(Selection::Ecs16(Box::new(finding)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(v: &Value) -> Parsed {
        record::parse(&v.to_string()).unwrap()
    }

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
        match normalize(&parsed(v), ORIGIN).unwrap() {
            Selection::Ecs16(f) => *f,
            other => panic!("not selected: {other:?}"),
        }
    }

    /// Why an ECS.16 finding cannot be placed.
    fn unreadable(v: &Value) -> String {
        match normalize(&parsed(v), ORIGIN).unwrap() {
            Selection::Unreadable(e) => e.to_string(),
            other => panic!("not unreadable: {other:?}"),
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
            normalize(&parsed(&ecs2), ORIGIN).unwrap(),
            Selection::OtherControl
        ));
        // SecurityControlId wins over a GeneratorId that would say otherwise.
        let mut odd = finding();
        odd["GeneratorId"] = json!("security-control/ECS.2");
        assert!(matches!(
            normalize(&parsed(&odd), ORIGIN).unwrap(),
            Selection::Ecs16(_)
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
        assert!(unreadable(&none).contains("no Resources"));
        let mut acct = finding();
        acct["Resources"] = json!([{"Type": "AwsAccount", "Id": "AWS::::Account:111122223333"}]);
        assert!(unreadable(&acct).contains("not an ECS task set ARN"));
        let mut num = finding();
        num["Compliance"]["Status"] = json!(3);
        assert!(unreadable(&num).contains("Compliance.Status is a number, expected a string"));
    }

    #[test]
    fn a_bad_field_is_flagged_and_the_finding_kept() {
        let mut v = finding();
        v["UpdatedAt"] = json!("2026-02-30T00:00:00Z");
        v["Note"]["UpdatedAt"] = json!(12);
        let f = select(&v);
        assert_eq!(f.updated_at, None);
        assert_eq!(f.compliance_status, ComplianceStatus::Failed);
        assert_eq!(
            f.flags,
            [
                "UpdatedAt: timestamp \"2026-02-30T00:00:00Z\" is not RFC 3339 / ISO 8601",
                "Note.UpdatedAt: timestamp 1970-01-01T00:00:12Z is before 2015 or after 2099, outside any evidence this tool reads"
            ]
        );
    }

    #[test]
    fn a_status_given_twice_is_read_the_more_exposed_way() {
        let text = r#"{"SchemaVersion": "2018-10-08", "Id": "f1", "GeneratorId": "security-control/ECS.16",
            "UpdatedAt": "2026-09-01T00:00:00Z", "RecordState": "ACTIVE",
            "Resources": [{"Type": "Other", "Id": "arn:aws:ecs:eu-west-1:111122223333:task-set/c/s/ecs-svc/1"}],
            "Compliance": {"Status": "FAILED"}, "Compliance": {"Status": "PASSED"}}"#;
        let Selection::Ecs16(f) = normalize(&record::parse(text).unwrap(), ORIGIN).unwrap() else {
            panic!()
        };
        assert_eq!(f.compliance_status, ComplianceStatus::Failed);
        assert_eq!(
            f.readings,
            ["Compliance.Status is given 2 ways (FAILED, PASSED); read as FAILED, the more exposed reading"]
        );
        assert!(f
            .flags
            .iter()
            .any(|x| x.contains("the key Compliance is given 2 times")));
    }

    #[test]
    fn unknown_status_is_kept_verbatim_with_a_note() {
        let mut v = finding();
        v["Compliance"]["Status"] = json!("ERRORED");
        match normalize(&parsed(&v), ORIGIN).unwrap() {
            Selection::Ecs16(f) => {
                assert_eq!(f.compliance_status.as_str(), "ERRORED");
                assert!(f.flags[0].contains("ERRORED"));
            }
            other => panic!("{other:?}"),
        }
    }
}
