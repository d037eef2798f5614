//! ECS inventory dumps (`describe-task-sets`, `describe-services`) → task sets and coverage.
//!
//! Coverage is what makes `GONE` and `NOT_COVERED` decidable: a dump that lists a service's task sets in full
//! says that any other task set of that service no longer exists. `describe-task-sets` without `--task-sets`
//! lists every task set of its service and never reports failures; a dump with failures was asked about
//! named task sets only, so it speaks for those ARNs and not for the whole service.

use super::fields::{at, opt_i64, opt_str, opt_string, opt_time, str_list};
use crate::arn::{self, ServiceKey, TaskSetArn};
use crate::model::{AssignPublicIp, LoadBalancer, Origin, TaskSet, TaskSetStatus};
use serde_json::Value;

/// Reads one task set. `Ok` carries notes about values kept verbatim; `Err` is a record-level problem.
pub fn task_set(v: &Value, origin: Origin) -> Result<(TaskSet, Vec<String>), String> {
    let arn_text = opt_str(v, &["taskSetArn"])?.ok_or("task set without taskSetArn")?;
    let arn = TaskSetArn::parse(arn_text)
        .ok_or_else(|| format!("taskSetArn {arn_text:?} is not an ECS task set ARN"))?;
    let problem = |e: String| format!("task set {arn_text}: {e}");
    let mut notes = Vec::new();

    let status = opt_str(v, &["status"])
        .map_err(problem)?
        .map(TaskSetStatus::parse);
    if let Some(TaskSetStatus::Other(s)) = &status {
        notes.push(format!(
            "task set {arn_text}: unknown status {s:?} kept verbatim"
        ));
    }
    let awsvpc = at(v, &["networkConfiguration", "awsvpcConfiguration"]);
    let assign_public_ip = match awsvpc {
        None => None,
        Some(cfg) => Some(match opt_str(cfg, &["assignPublicIp"]).map_err(problem)? {
            Some(text) => {
                let a = AssignPublicIp::parse(text);
                if !a.is_known() {
                    notes.push(format!(
                        "task set {arn_text}: unknown assignPublicIp {text:?} kept verbatim (exposure unknown)"
                    ));
                }
                a
            }
            // The ECS API's default when the field is left out.
            None => AssignPublicIp::Disabled,
        }),
    };
    let load_balancers = match at(v, &["loadBalancers"]) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|lb| {
                Ok(LoadBalancer {
                    target_group_arn: opt_string(lb, &["targetGroupArn"])?,
                    load_balancer_name: opt_string(lb, &["loadBalancerName"])?,
                    container_name: opt_string(lb, &["containerName"])?,
                    container_port: opt_i64(lb, &["containerPort"])?,
                })
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(problem)?,
        _ => Vec::new(),
    };
    let cfg_path = ["networkConfiguration", "awsvpcConfiguration"];
    Ok((
        TaskSet {
            arn: arn_text.to_string(),
            id: opt_string(v, &["id"])
                .map_err(problem)?
                .unwrap_or_else(|| arn.id.clone()),
            account_id: arn.account_id.clone(),
            region: arn.region.clone(),
            cluster: arn.cluster.clone(),
            service: arn.service.clone(),
            status,
            assign_public_ip,
            subnets: str_list(v, &[cfg_path[0], cfg_path[1], "subnets"]).map_err(problem)?,
            security_groups: str_list(v, &[cfg_path[0], cfg_path[1], "securityGroups"])
                .map_err(problem)?,
            launch_type: opt_string(v, &["launchType"]).map_err(problem)?,
            task_definition: opt_string(v, &["taskDefinition"]).map_err(problem)?,
            started_by: opt_string(v, &["startedBy"]).map_err(problem)?,
            external_id: opt_string(v, &["externalId"]).map_err(problem)?,
            stability_status: opt_string(v, &["stabilityStatus"]).map_err(problem)?,
            created_at: opt_time(v, &["createdAt"]).map_err(problem)?,
            updated_at: opt_time(v, &["updatedAt"]).map_err(problem)?,
            load_balancers,
            origin,
        },
        notes,
    ))
}

/// A `failures[]` entry that reports a task set or a service as MISSING.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    TaskSet(String, String),
    Service(ServiceKey),
}

/// Reads one `failures[]` entry. `Ok(None)` for a failure that says nothing about existence.
pub fn failure(v: &Value) -> Result<Option<Missing>, String> {
    let arn_text = opt_str(v, &["arn"])?.unwrap_or_default();
    let reason = opt_str(v, &["reason"])?.unwrap_or_default();
    let detail = opt_str(v, &["detail"])?.unwrap_or_default();
    if reason != "MISSING" {
        return Err(format!(
            "failure for {arn_text:?} with reason {reason:?}{}: says nothing about whether it exists",
            if detail.is_empty() { String::new() } else { format!(" ({detail})") }
        ));
    }
    if TaskSetArn::parse(arn_text).is_some() {
        let why = if detail.is_empty() {
            "MISSING".to_string()
        } else {
            format!("MISSING ({detail})")
        };
        return Ok(Some(Missing::TaskSet(arn_text.to_string(), why)));
    }
    if let Some(key) = arn::service_key(arn_text, None) {
        return Ok(Some(Missing::Service(key)));
    }
    Err(format!(
        "failure MISSING for {arn_text:?}, which is neither a task set nor a long-form service ARN"
    ))
}

/// One service of `describe-services`: the service it covers, whether it is gone, and its task sets.
pub struct ServiceRecord {
    pub key: ServiceKey,
    /// `INACTIVE` services are deleted ones that ECS still lists for a while: none of their task sets exist.
    pub inactive: bool,
    pub task_sets: Vec<Value>,
}

pub fn service(v: &Value) -> Result<ServiceRecord, String> {
    let service_arn = opt_str(v, &["serviceArn"])?.ok_or("service without serviceArn")?;
    let cluster = match opt_str(v, &["clusterArn"])? {
        Some(c) => arn::cluster_name(c),
        None => None,
    };
    let key = arn::service_key(service_arn, cluster.as_deref())
        .ok_or_else(|| format!("serviceArn {service_arn:?} is not an ECS service ARN"))?;
    let task_sets = match at(v, &["taskSets"]) {
        Some(Value::Array(items)) => items.clone(),
        None => Vec::new(),
        Some(_) => return Err(format!("service {service_arn}: taskSets is not a list")),
    };
    Ok(ServiceRecord {
        key,
        inactive: opt_str(v, &["status"])? == Some("INACTIVE"),
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
        let (t, notes) = task_set(&v, O).unwrap();
        assert!(notes.is_empty());
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
        let (t, _) = task_set(&v, O).unwrap();
        assert_eq!(t.assign_public_ip, None);
        assert_eq!(
            crate::time::format_opt(&t.created_at),
            "2019-05-07T05:41:55.195Z"
        );
    }

    #[test]
    fn unusable_task_sets() {
        assert!(task_set(&json!({"id": "x"}), O)
            .unwrap_err()
            .contains("without taskSetArn"));
        assert!(task_set(&json!({"taskSetArn": 5}), O)
            .unwrap_err()
            .contains("expected a string"));
        let (_, notes) = task_set(
            &json!({"taskSetArn": "arn:aws:ecs:eu-west-1:1:task-set/c/s/ecs-svc/1", "status": "PAUSED"}),
            O,
        )
        .unwrap();
        assert!(notes[0].contains("PAUSED"));
    }

    #[test]
    fn failures() {
        let ts = "arn:aws:ecs:eu-west-1:1:task-set/c/s/ecs-svc/1";
        assert_eq!(
            failure(&json!({"arn": ts, "reason": "MISSING"})).unwrap(),
            Some(Missing::TaskSet(ts.to_string(), "MISSING".to_string()))
        );
        assert!(matches!(
            failure(&json!({"arn": "arn:aws:ecs:eu-west-1:1:service/c/s", "reason": "MISSING"}))
                .unwrap(),
            Some(Missing::Service(_))
        ));
        assert!(failure(&json!({"arn": ts, "reason": "ACCESS_DENIED"})).is_err());
    }
}
