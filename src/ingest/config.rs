//! AWS Config configuration items → task sets, services and their timelines: the organisation's inventory.
//!
//! Items come in three forms (see tests/fixtures/published/NOTES.md): as delivered to S3 (snapshot and
//! history files: `awsAccountId`, `ARN`, `configurationItemVersion`, `configuration` an object), from the
//! API (`get-resource-config-history`, `batch-get-resource-config`: `accountId`, `arn`, `version`,
//! `configuration` a JSON string, CLI v1 epoch capture times), and from advanced queries
//! (`select-aggregate-resource-config`: each result a JSON string holding the selected fields). All three
//! are read here, the key spellings of both.
//!
//! For `AWS::ECS::TaskSet` and `AWS::ECS::Service` the `configuration` follows the resource's CloudFormation
//! schema (`NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp`), and the three services spell the
//! middle segment three ways (`AwsVpcConfiguration`, `AwsvpcConfiguration`, `awsvpcConfiguration`): keys of
//! the configuration are matched case-insensitively. An item whose status is `ResourceDeleted` or
//! `ResourceDeletedNotRecorded` says the resource is gone as of its capture time. Items of other types are
//! counted and kept for the network evidence.

use super::fields::{clip, Fields};
use super::problem::RecordError;
use super::record::{self, Parsed};
use crate::arn::{self, ServiceKey, TaskSetArn};
use crate::model::{AssignPublicIp, LoadBalancer, Origin, TaskSet};
use chrono::{DateTime, Utc};
use serde_json::Value;

pub const TASK_SET: &str = "AWS::ECS::TaskSet";
pub const SERVICE: &str = "AWS::ECS::Service";

/// One configuration item, read.
#[derive(Debug, Clone)]
pub struct Item {
    pub resource_type: String,
    pub account_id: String,
    pub region: String,
    pub arn: Option<String>,
    pub resource_id: Option<String>,
    pub captured_at: Option<DateTime<Utc>>,
    /// `configurationItemStatus`: `OK`, `ResourceDiscovered`, `ResourceDeleted`, …
    pub status: Option<String>,
    /// The `configuration`, parsed when the item gave it as a JSON string.
    pub configuration: Option<Value>,
    pub flags: Vec<String>,
}

impl Item {
    /// True when Config records the resource as deleted.
    pub fn deleted(&self) -> bool {
        matches!(
            self.status.as_deref(),
            Some("ResourceDeleted" | "ResourceDeletedNotRecorded")
        )
    }
}

/// What an item says of this tool's resources.
#[derive(Debug, Clone)]
pub enum Said {
    /// A task set as Config recorded it (its `updated_at` is the capture time), or its deletion.
    TaskSet {
        task_set: Box<TaskSet>,
        deleted: bool,
    },
    /// A service exists (or was deleted).
    Service { key: ServiceKey, deleted: bool },
    /// Another resource type: counted, and kept for later (network evidence).
    Other,
}

/// The first of several spellings of a key that the item has.
fn first_of<'v>(v: &'v Value, names: &[&str]) -> Option<&'v Value> {
    names
        .iter()
        .find_map(|n| v.get(*n))
        .filter(|x| !x.is_null())
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A member of a configuration, its key matched without regard to case.
pub fn ci<'v>(v: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut at = v;
    for step in path {
        at = at
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(step))
            .map(|(_, x)| x)?;
    }
    (!at.is_null()).then_some(at)
}

fn ci_text(v: &Value, path: &[&str]) -> Option<String> {
    text(ci(v, path)).map(|s| clip(&s))
}

fn ci_list(v: &Value, path: &[&str]) -> Vec<String> {
    match ci(v, path) {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Reads one item (of any of the three forms).
pub fn item(p: &Parsed) -> Result<Item, RecordError> {
    let v = &p.value;
    let mut f = Fields::of(v);
    let mut flags = record::flags(p);
    let resource_type = f.str(&["resourceType"]).unwrap_or_default().to_string();
    let captured_at = ["configurationItemCaptureTime"]
        .iter()
        .find_map(|k| f.time(&[k]));
    let configuration = match first_of(v, &["configuration"]) {
        // The API leaves the configuration of a deleted resource empty.
        Some(Value::String(s)) if s.trim().is_empty() => None,
        Some(Value::String(s)) => match record::parse(s) {
            Ok(inner) => {
                flags.extend(
                    record::flags(&inner)
                        .into_iter()
                        .map(|x| format!("configuration: {x}")),
                );
                Some(inner.value)
            }
            Err(e) => {
                flags.push(format!("configuration: {e}"));
                None
            }
        },
        Some(other) => Some(other.clone()),
        None => None,
    };
    let item = Item {
        account_id: text(first_of(v, &["awsAccountId", "accountId"])).unwrap_or_default(),
        region: text(first_of(v, &["awsRegion"])).unwrap_or_default(),
        arn: text(first_of(v, &["ARN", "arn"])),
        resource_id: text(first_of(v, &["resourceId"])),
        status: text(first_of(v, &["configurationItemStatus"])),
        resource_type,
        captured_at,
        configuration,
        flags,
    };
    let mut all: Vec<String> = f.into_problems().iter().map(ToString::to_string).collect();
    if !item.account_id.is_empty() && !arn::is_account_id(&item.account_id) {
        all.push(format!(
            "account id {:?} is not 12 digits (kept as written)",
            item.account_id
        ));
    }
    all.extend(item.flags.iter().cloned());
    Ok(Item { flags: all, ..item })
}

/// A name from a value that may be a name or an ARN (`…:cluster/NAME`, `…:service/CLUSTER/NAME`).
fn last_segment(text: &str) -> &str {
    text.rsplit_once('/').map_or(text, |(_, last)| last)
}

/// The task set's ARN: the item's own, else built from its account, region and configuration.
fn task_set_arn(item: &Item, conf: Option<&Value>) -> Option<String> {
    if let Some(a) = item
        .arn
        .as_deref()
        .filter(|a| TaskSetArn::parse(a).is_some())
    {
        return Some(a.to_string());
    }
    let conf = conf?;
    let cluster = ci_text(conf, &["Cluster"])?;
    let service = ci_text(conf, &["Service"])?;
    let id = ci_text(conf, &["Id"]).or_else(|| item.resource_id.clone())?;
    let partition = item
        .arn
        .as_deref()
        .and_then(|a| a.split(':').nth(1))
        .unwrap_or("aws");
    let built = format!(
        "arn:{partition}:ecs:{}:{}:task-set/{}/{}/{}",
        item.region,
        item.account_id,
        last_segment(&cluster),
        last_segment(&service),
        id.strip_prefix("ecs-svc/")
            .map_or(id.clone(), |n| format!("ecs-svc/{n}"))
    );
    TaskSetArn::parse(&built).map(|_| built)
}

/// What an item says, for the resource types this tool reads.
pub fn said(item: &Item, origin: Origin) -> Result<Said, RecordError> {
    match item.resource_type.as_str() {
        TASK_SET => task_set(item, origin),
        SERVICE => service(item),
        _ => Ok(Said::Other),
    }
}

fn task_set(item: &Item, origin: Origin) -> Result<Said, RecordError> {
    let conf = item.configuration.as_ref();
    let arn_text = task_set_arn(item, conf).ok_or_else(|| {
        RecordError::NotATaskSetArn(
            item.arn
                .clone()
                .or_else(|| item.resource_id.clone())
                .unwrap_or_default(),
        )
    })?;
    let arn = TaskSetArn::parse(&arn_text)
        .ok_or_else(|| RecordError::NotATaskSetArn(arn_text.clone()))?;
    let mut flags = item.flags.clone();
    flags.extend(arn.doubts());
    let vpc = ["NetworkConfiguration", "AwsVpcConfiguration"];
    if conf.is_none() && !item.deleted() {
        flags.push("the item records no configuration: exposure unknown".to_string());
    }
    let assign_public_ip = match conf {
        None if item.deleted() => None,
        // Nothing recorded is not "no awsvpc configuration": the exposure is unknown, never assumed off.
        None => Some(AssignPublicIp::Other(
            "(no configuration recorded)".to_string(),
        )),
        Some(c) => ci(c, &vpc).map(|net| {
            match ci(net, &["AssignPublicIp"]) {
                Some(Value::String(s)) => {
                    let a = AssignPublicIp::parse(s);
                    if !a.is_known() {
                        flags.push(format!(
                            "unknown AssignPublicIp {s:?} kept verbatim (exposure unknown)"
                        ));
                    }
                    a
                }
                Some(other) => AssignPublicIp::Other(other.to_string()),
                // CloudFormation's default, as the ECS API's, when the property is left out.
                None => AssignPublicIp::Disabled,
            }
        }),
    };
    let load_balancers = match conf.and_then(|c| ci(c, &["LoadBalancers"])) {
        Some(Value::Array(items)) => items
            .iter()
            .map(|lb| LoadBalancer {
                target_group_arn: ci_text(lb, &["TargetGroupArn"]),
                load_balancer_name: ci_text(lb, &["LoadBalancerName"]),
                container_name: ci_text(lb, &["ContainerName"]),
                container_port: ci(lb, &["ContainerPort"]).and_then(Value::as_i64),
            })
            .collect(),
        _ => Vec::new(),
    };
    let from_conf = |path: &[&str]| conf.and_then(|c| ci_text(c, path));
    let mut task_set = TaskSet {
        id: from_conf(&["Id"]).unwrap_or_else(|| arn.id.clone()),
        account_id: arn.account_id.clone(),
        region: arn.region.clone(),
        cluster: arn.cluster.clone(),
        service: arn.service.clone(),
        arn: arn_text,
        // Config's TaskSet configuration carries no status.
        status: None,
        assign_public_ip,
        subnets: conf
            .map(|c| ci_list(c, &[vpc[0], vpc[1], "Subnets"]))
            .unwrap_or_default(),
        security_groups: conf
            .map(|c| ci_list(c, &[vpc[0], vpc[1], "SecurityGroups"]))
            .unwrap_or_default(),
        launch_type: from_conf(&["LaunchType"]),
        task_definition: from_conf(&["TaskDefinition"]),
        started_by: None,
        external_id: from_conf(&["ExternalId"]),
        stability_status: None,
        created_at: None,
        // The capture time is when Config saw this configuration: the moment the description is of.
        updated_at: item.captured_at,
        load_balancers,
        flags,
        readings: Vec::new(),
        origin,
    };
    let hidden = record::hidden_text_flag(&task_set.texts());
    task_set.flags.extend(hidden);
    Ok(Said::TaskSet {
        task_set: Box::new(task_set),
        deleted: item.deleted(),
    })
}

fn service(item: &Item) -> Result<Said, RecordError> {
    let conf = item.configuration.as_ref();
    let from_conf = |path: &[&str]| conf.and_then(|c| ci_text(c, path));
    let service_arn = item
        .arn
        .clone()
        .or_else(|| from_conf(&["ServiceArn"]))
        .ok_or(RecordError::ServiceWithoutArn)?;
    let cluster = from_conf(&["Cluster"]).map(|c| last_segment(&c).to_string());
    let key = arn::service_key(&service_arn, cluster.as_deref())
        .ok_or_else(|| RecordError::NotAServiceArn(service_arn.clone()))?;
    Ok(Said::Service {
        key,
        deleted: item.deleted(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const O: Origin = Origin {
        input: 0,
        record: 1,
    };

    fn read(text: &str) -> (Item, Said) {
        let p = record::parse(text).unwrap();
        let item = item(&p).unwrap();
        let said = said(&item, O).unwrap();
        (item, said)
    }

    #[test]
    fn a_task_set_item_as_delivered_to_s3() {
        let (item, said) = read(
            r#"{"awsAccountId": "111122223333", "ARN": "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/api/ecs-svc/1",
            "configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-08-01T10:00:00.000Z",
            "configurationItemStatus": "OK", "resourceType": "AWS::ECS::TaskSet", "awsRegion": "eu-west-1",
            "configuration": {"Cluster": "payments", "Service": "api", "Id": "ecs-svc/1",
              "NetworkConfiguration": {"AwsVpcConfiguration": {"AssignPublicIp": "ENABLED", "Subnets": ["subnet-1"], "SecurityGroups": ["sg-1"]}},
              "LoadBalancers": [{"TargetGroupArn": "arn:tg", "ContainerName": "web", "ContainerPort": 443}]}}"#,
        );
        assert!(!item.deleted());
        let Said::TaskSet { task_set, deleted } = said else {
            panic!()
        };
        assert!(!deleted);
        assert_eq!(task_set.assign_public_ip, Some(AssignPublicIp::Enabled));
        assert_eq!(task_set.subnets, ["subnet-1"]);
        assert_eq!(task_set.load_balancers[0].container_port, Some(443));
        assert_eq!(
            crate::time::format_opt(&task_set.updated_at),
            "2026-08-01T10:00:00Z"
        );
    }

    #[test]
    fn a_task_set_item_from_the_api_with_its_configuration_as_a_string_and_no_arn() {
        let conf = r#"{\"cluster\":\"arn:aws:ecs:us-east-1:444455556666:cluster/checkout\",\"service\":\"arn:aws:ecs:us-east-1:444455556666:service/checkout/cart-web\",\"id\":\"ecs-svc/7\",\"networkConfiguration\":{\"awsvpcConfiguration\":{\"assignPublicIp\":\"DISABLED\"}}}"#;
        let (_, said) = read(&format!(
            r#"{{"version": "1.3", "accountId": "444455556666", "configurationItemCaptureTime": 1788220800.123,
            "configurationItemStatus": "ResourceDiscovered", "resourceType": "AWS::ECS::TaskSet", "awsRegion": "us-east-1",
            "configuration": "{conf}"}}"#
        ));
        let Said::TaskSet { task_set, .. } = said else {
            panic!()
        };
        assert_eq!(
            task_set.arn,
            "arn:aws:ecs:us-east-1:444455556666:task-set/checkout/cart-web/ecs-svc/7"
        );
        assert_eq!(task_set.assign_public_ip, Some(AssignPublicIp::Disabled));
    }

    #[test]
    fn a_deleted_item_says_the_task_set_is_gone() {
        let (_, said) = read(
            r#"{"accountId": "111122223333", "arn": "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/api/ecs-svc/1",
            "configurationItemCaptureTime": "2026-08-20T00:00:00Z", "configurationItemStatus": "ResourceDeleted",
            "resourceType": "AWS::ECS::TaskSet", "awsRegion": "eu-west-1", "configuration": null}"#,
        );
        let Said::TaskSet { deleted, task_set } = said else {
            panic!()
        };
        assert!(deleted);
        assert_eq!(task_set.assign_public_ip, None);
    }

    /// An item that records no configuration says nothing of the network: the exposure is unknown (it
    /// would otherwise read as "no awsvpc configuration", that is not exposed).
    #[test]
    fn an_item_without_configuration_leaves_exposure_unknown() {
        let (item, said) = read(
            r#"{"accountId": "111122223333", "arn": "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/api/ecs-svc/1",
            "configurationItemCaptureTime": "2026-08-20T00:00:00Z", "configurationItemStatus": "OK",
            "resourceType": "AWS::ECS::TaskSet", "awsRegion": "eu-west-1", "configuration": ""}"#,
        );
        let Said::TaskSet { task_set, deleted } = said else {
            panic!()
        };
        assert!(!deleted && item.configuration.is_none());
        assert!(matches!(
            task_set.assign_public_ip,
            Some(AssignPublicIp::Other(_))
        ));
        assert!(task_set
            .flags
            .iter()
            .any(|f| f.contains("no configuration")));
    }

    #[test]
    fn the_published_ecs_service_item_is_read() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/published/config/placebo-get-resource-config-history-ecs-service.json"
        ))
        .unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        let first = &v["data"]["configurationItems"][0];
        let (_, said) = read(&first.to_string());
        let Said::Service { key, deleted } = said else {
            panic!("{said:?}")
        };
        assert!(!deleted);
        assert!(!key.service.is_empty());
    }
}
