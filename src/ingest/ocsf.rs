//! OCSF Compliance Findings (class 2003) of the new Security Hub → the finding model.
//!
//! `get-findings-v2` output and `Findings Imported V2` events carry OCSF documents. The mapping follows AWS's
//! own normaliser (Automated Security Response): `compliance.control` is the control id, `compliance.status`
//! the verdict, `status_id` the workflow (3 suppressed, 4 resolved, 5 archived), `activity_id` 3 (Close) also
//! means archived, `comment` is the note, and the resource ARN is `uid_alt` when it is an ARN, else `uid`.

use super::asff::{required, Selection, CONTROL_ID};
use super::fields::{at, FieldError, Fields};
use super::problem::{FindingProblem, RecordError};
use super::record::{self, Parsed};
use crate::arn::TaskSetArn;
use crate::model::{
    ComplianceStatus, ControlIdSource, Finding, FindingFormat, Note, Origin, RecordState,
    WorkflowStatus,
};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// True when the value is an OCSF Compliance Finding.
pub fn is_compliance_finding(v: &Value) -> bool {
    v.get("class_uid").and_then(Value::as_i64) == Some(2003)
}

/// The control id and standard encoded in a finding uid:
/// `…:security-control/ECS.16/finding/<uuid>` or `…:subscription/pci-dss/v/4.0.1/ECS.16/finding/<uuid>`.
fn control_from_uid(uid: &str) -> Option<(String, Option<String>)> {
    let (head, _) = uid.split_once("/finding/")?;
    let path = head.rsplit_once(':').map_or(head, |(_, p)| p);
    let (prefix, control) = path.rsplit_once('/')?;
    let standard = prefix.strip_prefix("subscription/").map(str::to_string);
    Some((control.to_string(), standard))
}

/// An OCSF time: the `_dt` text twin when present, else epoch milliseconds.
fn ocsf_time(f: &mut Fields<'_>, parent: &[&str], name: &str) -> Option<DateTime<Utc>> {
    let dt_name = format!("{name}_dt");
    let mut path: Vec<&str> = parent.to_vec();
    path.push(&dt_name);
    if let Some(t) = f.time(&path) {
        return Some(t);
    }
    path.pop();
    path.push(name);
    let ms = f.i64(&path)?;
    match crate::time::from_epoch_seconds(ms as f64 / 1000.0)
        .and_then(crate::time::within_evidence_years)
    {
        Ok(t) => Some(t),
        Err(cause) => {
            f.flag(FieldError::Time {
                field: path.join("."),
                cause,
            });
            None
        }
    }
}

/// Exposure order of OCSF `compliance.status` readings: Fail first, then what is not a verdict, then Pass.
fn status_rank(s: &str) -> u8 {
    match s {
        "Fail" => 0,
        "Pass" => 2,
        _ => 1,
    }
}

fn compliance_status(
    f: &mut Fields<'_>,
    p: &Parsed,
    readings: &mut Vec<String>,
) -> Result<ComplianceStatus, FindingProblem> {
    // A `compliance.status` that is there decides alone, whatever its type.
    if at(f.value(), &["compliance", "status"]).is_some() {
        let (chosen, said) = record::most_exposed(p, &["compliance", "status"], status_rank);
        readings.extend(said);
        let s = match chosen {
            Some(s) => s,
            None => required(f, &["compliance", "status"], "compliance.status")?,
        };
        return Ok(match s {
            "Pass" => ComplianceStatus::Passed,
            "Fail" => ComplianceStatus::Failed,
            "Warning" => ComplianceStatus::Warning,
            // OCSF "Unknown" is what ASFF calls NOT_AVAILABLE (no evaluation result).
            "Unknown" => ComplianceStatus::NotAvailable,
            other => ComplianceStatus::Other(other.to_string()),
        });
    }
    match f.i64(&["compliance", "status_id"]) {
        Some(1) => Ok(ComplianceStatus::Passed),
        Some(2) => Ok(ComplianceStatus::Warning),
        Some(3) => Ok(ComplianceStatus::Failed),
        Some(0) => Ok(ComplianceStatus::NotAvailable),
        Some(n) => Ok(ComplianceStatus::Other(format!("status_id {n}"))),
        None => Err(FindingProblem::Missing("compliance.status")),
    }
}

fn workflow(f: &mut Fields<'_>) -> Option<WorkflowStatus> {
    match f.i64(&["status_id"])? {
        1 => Some(WorkflowStatus::New),
        2 => Some(WorkflowStatus::Notified),
        3 => Some(WorkflowStatus::Suppressed),
        4 | 5 => Some(WorkflowStatus::Resolved),
        n => Some(WorkflowStatus::Other(
            f.str(&["status"])
                .map(str::to_string)
                .unwrap_or_else(|| format!("status_id {n}")),
        )),
    }
}

/// The first resource whose `uid_alt` (when an ARN) or `uid` is a task set ARN, with its type.
fn task_set_resource(
    f: &mut Fields<'_>,
    resources: &[Value],
) -> Result<(String, TaskSetArn, String), FindingProblem> {
    for r in resources {
        let mut rf = Fields::of(r);
        let alt = rf.str(&["uid_alt"]).filter(|s| s.starts_with("arn:"));
        let rid = alt.or_else(|| rf.str(&["uid"])).unwrap_or_default();
        if let Some(p) = rf.problems().first() {
            return Err(FindingProblem::Field(p.clone()));
        }
        if let Some(arn) = TaskSetArn::parse(rid) {
            let rtype = rf.str(&["type"]).unwrap_or_default().to_string();
            f.absorb(rf);
            return Ok((rid.to_string(), arn, rtype));
        }
    }
    Err(FindingProblem::NoTaskSet)
}

/// Reads one OCSF compliance finding. `Err` is a record-level problem of a record that may not be ECS.16.
pub fn normalize(p: &Parsed, origin: Origin) -> Result<Selection, RecordError> {
    let v = &p.value;
    let mut f = Fields::of(v);
    let uid = f.str(&["finding_info", "uid"]);
    let from_uid = uid.and_then(control_from_uid);
    let (control_id, source) = match f.str(&["compliance", "control"]) {
        Some(c) => (c.to_string(), ControlIdSource::SecurityControlId),
        None => match &from_uid {
            Some((c, _)) => (c.clone(), ControlIdSource::GeneratorId),
            None => match f.problems().first() {
                Some(p) => return Err(RecordError::Field(p.clone())),
                None => return Ok(Selection::OtherControl),
            },
        },
    };
    if control_id != CONTROL_ID {
        return Ok(Selection::OtherControl);
    }
    let Some(id) = uid else {
        return Ok(Selection::Unreadable(match f.problems().first() {
            Some(p) => RecordError::Field(p.clone()),
            None => RecordError::FindingWithoutId("finding_info.uid"),
        }));
    };
    let unreadable = |problem: FindingProblem| {
        Ok(Selection::Unreadable(RecordError::Finding {
            id: id.to_string(),
            problem,
        }))
    };
    let resources = match at(v, &["resources"]) {
        Some(Value::Array(r)) if !r.is_empty() => r,
        None if record::left_out(p, "resources").is_some() => {
            return unreadable(FindingProblem::LeftOut(
                record::left_out(p, "resources").unwrap_or_default(),
            ))
        }
        Some(Value::Array(_)) | None => {
            return unreadable(FindingProblem::NoResources("resources"))
        }
        Some(_) => return unreadable(FindingProblem::ResourcesNotAList("resources")),
    };
    let (task_set_arn, arn, resource_type) = match task_set_resource(&mut f, resources) {
        Ok(found) => found,
        Err(problem) => return unreadable(problem),
    };
    let mut readings = Vec::new();
    let compliance_status = match compliance_status(&mut f, p, &mut readings) {
        Ok(s) => s,
        Err(problem) => return unreadable(problem),
    };
    let mut flags = record::flags(p);
    flags.extend(arn.doubts());
    if !compliance_status.is_known() {
        flags.push(format!(
            "unknown compliance status {:?} kept verbatim (not a usable verdict)",
            compliance_status.as_str()
        ));
    }
    let archived = f.i64(&["status_id"]) == Some(5) || f.i64(&["activity_id"]) == Some(3);
    let record_state = if archived {
        RecordState::Archived
    } else {
        RecordState::Active
    };
    let updated_at = ocsf_time(&mut f, &["finding_info"], "modified_time");
    // The event's `time` is stamped by the service that emitted the finding.
    let stamped_at = ocsf_time(&mut f, &[], "time");
    let updated_at = updated_at.or(stamped_at);
    if updated_at.is_none() {
        flags.push("no finding_info.modified_time or time".to_string());
    }
    let note = f
        .text(&["comment"])
        .filter(|t| !t.is_empty())
        .map(|text| Note {
            text,
            updated_by: String::new(),
            updated_at: None,
        });
    let severity = f.text(&["severity"]).map(|s| s.to_uppercase());
    let standard = from_uid.and_then(|(_, s)| s);
    let generator_id = match &standard {
        Some(s) => format!("{s}/{CONTROL_ID}"),
        None => format!("security-control/{CONTROL_ID}"),
    };
    let mut finding = Finding {
        id: id.to_string(),
        format: FindingFormat::Ocsf,
        control_id,
        control_id_source: source,
        generator_id,
        standard,
        task_set_arn,
        resource_type,
        account_id: arn.account_id.clone(),
        account_name: f
            .text(&["cloud", "account", "name"])
            .filter(|s| !s.is_empty()),
        region: arn.region.clone(),
        cluster: arn.cluster.clone(),
        service: arn.service.clone(),
        title: f.text(&["finding_info", "title"]).unwrap_or_default(),
        severity,
        compliance_status,
        workflow_status: workflow(&mut f),
        record_state,
        first_observed_at: ocsf_time(&mut f, &["finding_info"], "first_seen_time"),
        last_observed_at: ocsf_time(&mut f, &["finding_info"], "last_seen_time"),
        created_at: ocsf_time(&mut f, &["finding_info"], "created_time"),
        updated_at,
        processed_at: stamped_at,
        exported_at: None,
        note,
        related_requirements: f.list(&["compliance", "requirements"]),
        flags: Vec::new(),
        readings,
        origin,
    };
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

    fn doc() -> Value {
        json!({
            "class_uid": 2003, "activity_id": 2, "status_id": 3, "status": "Suppressed",
            "comment": "compensating control: NACL", "severity": "High",
            "finding_info": {
                "uid": "arn:aws:securityhub:us-east-1:444455556666:subscription/pci-dss/v/4.0.1/ECS.16/finding/abcd",
                "title": "ECS task sets should not automatically assign public IP addresses",
                "modified_time_dt": "2026-09-20T10:00:00.000Z", "last_seen_time": 1789900000000i64
            },
            "compliance": {"control": "ECS.16", "status": "Fail", "requirements": ["PCI DSS v4.0.1/1.4.4"]},
            "cloud": {"account": {"uid": "444455556666", "name": "checkout-prod"}, "region": "us-east-1"},
            "resources": [{"type": "AWS::ECS::TaskSet", "uid": "ecs-svc/1",
                "uid_alt": "arn:aws:ecs:us-east-1:444455556666:task-set/checkout/cart-web/ecs-svc/1"}]
        })
    }

    #[test]
    fn maps_to_the_same_model_as_asff() {
        let Selection::Ecs16(f) = normalize(
            &parsed(&doc()),
            Origin {
                input: 0,
                record: 1,
            },
        )
        .unwrap() else {
            panic!()
        };
        assert!(f.flags.is_empty(), "{:?}", f.flags);
        assert_eq!(f.format, FindingFormat::Ocsf);
        assert_eq!(f.compliance_status, ComplianceStatus::Failed);
        assert_eq!(f.workflow_status, Some(WorkflowStatus::Suppressed));
        assert_eq!(f.record_state, RecordState::Active);
        assert_eq!(f.standard.as_deref(), Some("pci-dss/v/4.0.1"));
        assert_eq!(f.note.unwrap().text, "compensating control: NACL");
        assert_eq!(f.service, "cart-web");
        assert_eq!(f.severity.as_deref(), Some("HIGH"));
        assert_eq!(
            crate::time::format_opt(&f.last_observed_at),
            "2026-09-20T10:26:40Z"
        );
    }

    #[test]
    fn archived_by_status_or_close_activity() {
        for (k, n) in [("status_id", 5), ("activity_id", 3)] {
            let mut d = doc();
            d[k] = json!(n);
            let Selection::Ecs16(f) = normalize(
                &parsed(&d),
                Origin {
                    input: 0,
                    record: 1,
                },
            )
            .unwrap() else {
                panic!()
            };
            assert_eq!(f.record_state, RecordState::Archived);
        }
    }

    #[test]
    fn other_controls_are_dropped() {
        let mut d = doc();
        d["compliance"]["control"] = json!("ECS.2");
        assert!(matches!(
            normalize(
                &parsed(&d),
                Origin {
                    input: 0,
                    record: 1
                }
            )
            .unwrap(),
            Selection::OtherControl
        ));
    }
}
