//! ECS inventory dumps (`describe-task-sets`, `describe-services`) → task sets and coverage.
//!
//! Coverage is what makes `GONE` and `NOT_COVERED` decidable: a dump that lists a service's task sets in full
//! says that any other task set of that service no longer exists. `describe-task-sets` without `--task-sets`
//! lists every task set of its service and never reports failures; a dump with failures was asked about
//! named task sets only, so it speaks for those ARNs and not for the whole service.

use super::fields::{at, Fields};
use super::problem::RecordError;
use super::record::{self, Parsed};
use crate::arn::{self, ServiceKey, TaskSetArn};
use crate::model::{AssignPublicIp, LoadBalancer, Origin, TaskSet, TaskSetStatus};
use serde_json::Value;

/// Exposure order of `assignPublicIp` readings: ENABLED first, then values this tool does not know, then
/// DISABLED.
pub fn assign_rank(s: &str) -> u8 {
    match s {
        "ENABLED" => 0,
        "DISABLED" => 2,
        _ => 1,
    }
}

/// Reads one task set. `Err` is a record-level problem: the task set cannot be placed (no readable ARN).
/// Everything else that cannot be read is flagged on the task set, which is kept.
pub fn task_set(p: &Parsed, origin: Origin) -> Result<TaskSet, RecordError> {
    let v = &p.value;
    let mut f = Fields::of(v);
    let Some(arn_text) = f.str(&["taskSetArn"]) else {
        return Err(match f.into_problems().into_iter().next() {
            Some(p) => RecordError::Field(p),
            None => RecordError::TaskSetWithoutArn,
        });
    };
    let arn = TaskSetArn::parse(arn_text)
        .ok_or_else(|| RecordError::NotATaskSetArn(arn_text.to_string()))?;
    let mut flags = record::flags(p);
    flags.extend(arn.doubts());
    let mut readings = Vec::new();

    let status = f.str(&["status"]).map(TaskSetStatus::parse);
    if let Some(TaskSetStatus::Other(s)) = &status {
        flags.push(format!("unknown status {s:?} kept verbatim"));
    }
    let cfg = ["networkConfiguration", "awsvpcConfiguration"];
    let assign_path = [cfg[0], cfg[1], "assignPublicIp"];
    let assign_public_ip = at(v, &cfg).map(|_| {
        let (chosen, said) = record::most_exposed(p, &assign_path, assign_rank);
        readings.extend(said);
        f.str(&assign_path);
        match chosen {
            Some(text) => {
                let a = AssignPublicIp::parse(text);
                if !a.is_known() {
                    flags.push(format!(
                        "unknown assignPublicIp {text:?} kept verbatim (exposure unknown)"
                    ));
                }
                a
            }
            // Present but not text: exposure unknown, never taken for the API's default.
            None if at(v, &assign_path).is_some() => {
                let shown = at(v, &assign_path)
                    .map(Value::to_string)
                    .unwrap_or_default();
                AssignPublicIp::Other(shown)
            }
            // The ECS API's default when the field is left out.
            None => AssignPublicIp::Disabled,
        }
    });
    let load_balancers = match at(v, &["loadBalancers"]) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|lb| {
                let mut lf = Fields::of(lb);
                let balancer = LoadBalancer {
                    target_group_arn: lf.string(&["targetGroupArn"]),
                    load_balancer_name: lf.string(&["loadBalancerName"]),
                    container_name: lf.text(&["containerName"]),
                    container_port: lf.i64(&["containerPort"]),
                };
                f.absorb(lf);
                balancer
            })
            .collect(),
        _ => Vec::new(),
    };
    let mut task_set = TaskSet {
        arn: arn_text.to_string(),
        id: f.string(&["id"]).unwrap_or_else(|| arn.id.clone()),
        account_id: arn.account_id.clone(),
        region: arn.region.clone(),
        cluster: arn.cluster.clone(),
        service: arn.service.clone(),
        status,
        assign_public_ip,
        subnets: f.list(&[cfg[0], cfg[1], "subnets"]),
        security_groups: f.list(&[cfg[0], cfg[1], "securityGroups"]),
        launch_type: f.text(&["launchType"]).filter(|s| !s.is_empty()),
        task_definition: f.text(&["taskDefinition"]).filter(|s| !s.is_empty()),
        started_by: f.text(&["startedBy"]).filter(|s| !s.is_empty()),
        external_id: f.text(&["externalId"]).filter(|s| !s.is_empty()),
        stability_status: f.text(&["stabilityStatus"]).filter(|s| !s.is_empty()),
        created_at: f.time(&["createdAt"]),
        updated_at: f.time(&["updatedAt"]),
        load_balancers,
        flags: Vec::new(),
        readings,
        origin,
    };
    let mut all: Vec<String> = f.into_problems().iter().map(ToString::to_string).collect();
    all.append(&mut flags);
    all.extend(record::hidden_text_flag(&task_set.texts()));
    task_set.flags = all;
    Ok(task_set)
}

/// A `failures[]` entry that reports a task set or a service as MISSING.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    TaskSet(String, String),
    Service(ServiceKey),
}

/// Reads one `failures[]` entry. `Ok(None)` for a failure that says nothing about existence.
pub fn failure(v: &Value) -> Result<Option<Missing>, RecordError> {
    let mut f = Fields::of(v);
    let arn_text = f.str(&["arn"]).unwrap_or_default();
    let reason = f.str(&["reason"]).unwrap_or_default();
    let detail = f.str(&["detail"]).unwrap_or_default();
    if let Some(p) = f.into_problems().into_iter().next() {
        return Err(RecordError::Field(p));
    }
    if reason != "MISSING" {
        return Err(RecordError::FailureNotMissing {
            arn: arn_text.to_string(),
            reason: reason.to_string(),
            detail: (!detail.is_empty()).then(|| detail.to_string()),
        });
    }
    if TaskSetArn::parse(arn_text).is_some() {
        let why = if detail.is_empty() {
            "describe-task-sets failures report it MISSING".to_string()
        } else {
            format!("describe-task-sets failures report it MISSING ({detail})")
        };
        return Ok(Some(Missing::TaskSet(arn_text.to_string(), why)));
    }
    if let Some(key) = arn::service_key(arn_text, None) {
        return Ok(Some(Missing::Service(key)));
    }
    Err(RecordError::MissingNeither(arn_text.to_string()))
}

/// One service of `describe-services`: the service it covers, whether it is gone, and its task sets.
pub struct ServiceRecord {
    pub key: ServiceKey,
    /// `INACTIVE` services are deleted ones that ECS still lists for a while: none of their task sets exist.
    pub inactive: bool,
    pub task_sets: Vec<Value>,
}

pub fn service(v: &Value) -> Result<ServiceRecord, RecordError> {
    let mut f = Fields::of(v);
    let service_arn = f.str(&["serviceArn"]);
    let cluster = f.str(&["clusterArn"]).and_then(arn::cluster_name);
    let status = f.str(&["status"]);
    if let Some(p) = f.into_problems().into_iter().next() {
        return Err(RecordError::Field(p));
    }
    let service_arn = service_arn.ok_or(RecordError::ServiceWithoutArn)?;
    let key = arn::service_key(service_arn, cluster.as_deref())
        .ok_or_else(|| RecordError::NotAServiceArn(service_arn.to_string()))?;
    let task_sets = match at(v, &["taskSets"]) {
        Some(Value::Array(items)) => items.clone(),
        None => Vec::new(),
        Some(_) => return Err(RecordError::TaskSetsNotAList(service_arn.to_string())),
    };
    Ok(ServiceRecord {
        key,
        inactive: status == Some("INACTIVE"),
        task_sets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const O: Origin = Origin {
        input: 0,
        record: 1,
    };

    fn parsed(v: &Value) -> Parsed {
        record::parse(&v.to_string()).unwrap()
    }

    #[test]
    fn cli_v2_task_set() {
        let v = json!({
            "id": "ecs-svc/1234", "status": "PRIMARY", "launchType": "FARGATE",
            "taskSetArn": "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api/ecs-svc/1234",
            "taskDefinition": "arn:aws:ecs:eu-west-1:111122223333:task-definition/card-api:7",
            "createdAt": "2026-09-01T09:00:00.123000+02:00",
            "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0a"], "securityGroups": ["sg-1"], "assignPublicIp": "ENABLED"}},
            "loadBalancers": [{"targetGroupArn": "arn:tg", "containerName": "api", "containerPort": 8443}]
        });
        let t = task_set(&parsed(&v), O).unwrap();
        assert!(t.flags.is_empty(), "{:?}", t.flags);
        assert_eq!(t.assign_public_ip, Some(AssignPublicIp::Enabled));
        assert_eq!(t.status, Some(TaskSetStatus::Primary));
        assert_eq!(
            crate::time::format_opt(&t.created_at),
            "2026-09-01T07:00:00.123Z"
        );
        assert_eq!(t.load_balancers[0].container_port, Some(8443));
        assert_eq!(t.subnets, vec!["subnet-0a"]);
    }

    #[test]
    fn cli_v1_epoch_and_no_awsvpc() {
        let v = json!({
            "taskSetArn": "arn:aws:ecs:eu-west-1:111122223333:task-set/batch/worker/ecs-svc/9",
            "status": "ACTIVE", "createdAt": 1557207715.195, "launchType": "EC2"
        });
        let t = task_set(&parsed(&v), O).unwrap();
        assert_eq!(t.assign_public_ip, None);
        assert_eq!(
            crate::time::format_opt(&t.created_at),
            "2019-05-07T05:41:55.195Z"
        );
    }

    #[test]
    fn unusable_task_sets() {
        assert!(task_set(&parsed(&json!({"id": "x"})), O)
            .unwrap_err()
            .to_string()
            .contains("without taskSetArn"));
        assert!(task_set(&parsed(&json!({"taskSetArn": 5})), O)
            .unwrap_err()
            .to_string()
            .contains("expected a string"));
        let t = task_set(&parsed(&json!({"taskSetArn": "arn:aws:ecs:eu-west-1:1:task-set/c/s/ecs-svc/1", "status": "PAUSED"})), O).unwrap();
        assert!(
            t.flags.iter().any(|f| f.contains("PAUSED")),
            "{:?}",
            t.flags
        );
    }

    #[test]
    fn failures() {
        let ts = "arn:aws:ecs:eu-west-1:1:task-set/c/s/ecs-svc/1";
        assert_eq!(
            failure(&json!({"arn": ts, "reason": "MISSING"})).unwrap(),
            Some(Missing::TaskSet(
                ts.to_string(),
                "describe-task-sets failures report it MISSING".to_string()
            ))
        );
        assert!(matches!(
            failure(&json!({"arn": "arn:aws:ecs:eu-west-1:1:service/c/s", "reason": "MISSING"}))
                .unwrap(),
            Some(Missing::Service(_))
        ));
        assert!(failure(&json!({"arn": ts, "reason": "ACCESS_DENIED"})).is_err());
    }
}
