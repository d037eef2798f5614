//! Inventory records: ECS dumps (task sets, services, failures, single task sets and services as the
//! create/update/delete commands print them), listings (`list-clusters`, `list-services`), AWS Config items,
//! and the collector's own files (`collection.json`, `sts get-caller-identity`).

use super::FileCollector;
use crate::arn::{self, ServiceKey};
use crate::ingest::config::{self, Said};
use crate::ingest::ecs;
use crate::ingest::fields::clip;
use crate::ingest::record::{self, Parsed};
use crate::ingest::stream::{List, Recognised};
use crate::ingest::NetworkRecord;
use crate::model::{CollectionGap, ConfigPoint, Exposure, Origin, TaskSet};
use serde_json::Value;

/// The schema of `collection.json`, written by `scripts/collect-inventory.sh`.
pub const COLLECTION_SCHEMA: &str = "ecs16-evidence/collection/v1";

impl FileCollector {
    /// An inventory record's text, read; `None` (and a problem listed) when it cannot be read at all.
    fn parse_inventory(&mut self, raw: &str, origin: Origin, what: &str) -> Option<Parsed> {
        match record::parse(raw) {
            Ok(p) => Some(p),
            Err(e) => {
                self.problem(origin.record, format!("a {what} that cannot be read: {e}"));
                None
            }
        }
    }

    /// One task set of a dump, kept with its flags listed; `None` when it cannot be placed.
    pub(super) fn read_task_set(&mut self, p: &Parsed, origin: Origin) -> Option<TaskSet> {
        match ecs::task_set(p, origin) {
            Ok(ts) => {
                for flag in &ts.flags {
                    self.problem(origin.record, format!("task set {}: {flag}", ts.arn));
                }
                Some(ts)
            }
            Err(e) => {
                self.problem(origin.record, e.to_string());
                None
            }
        }
    }

    /// A task set in a `describe-task-sets` list: it speaks for itself.
    pub(super) fn task_set_element(&mut self, raw: &str) {
        let origin = self.next_origin();
        if let Some(p) = self.parse_inventory(raw, origin, "task set") {
            self.task_set_record(&p, origin);
        }
    }

    fn task_set_record(&mut self, p: &Parsed, origin: Origin) {
        if let Some(ts) = self.read_task_set(p, origin) {
            self.listed_by_task_set_dump.insert(ServiceKey {
                account_id: ts.account_id.clone(),
                region: ts.region.clone(),
                cluster: ts.cluster.clone(),
                service: ts.service.clone(),
            });
            self.task_sets.push(ts);
        }
    }

    /// A service of `describe-services`: it embeds every task set the service has at that moment, so it
    /// covers the service.
    pub(super) fn service_element(&mut self, raw: &str) {
        let origin = self.next_origin();
        match self.parse_inventory(raw, origin, "service") {
            Some(p) => self.service_record(&p, origin, Covers::Service),
            None => {
                self.services_read += 1;
                self.unusable_inventory += 1;
            }
        }
    }

    fn service_record(&mut self, p: &Parsed, origin: Origin, covers: Covers) {
        self.services_read += 1;
        match ecs::service(&p.value) {
            Ok(service) => {
                if service.inactive {
                    self.missing_services.insert(service.key.clone());
                }
                self.listed_services.insert(service.key.clone());
                if covers == Covers::Service {
                    self.covered_services.insert(service.key);
                }
                for i in 0..service.task_sets.len() {
                    let o = self.next_origin();
                    if let Some(child) = p.child(&["taskSets"], i) {
                        if let Some(ts) = self.read_task_set(&child, o) {
                            self.task_sets.push(ts);
                        }
                    }
                }
            }
            Err(e) => {
                self.unusable_inventory += 1;
                self.problem(origin.record, e.to_string());
            }
        }
    }

    /// One element of a `failures` list: an ECS failure (`{"arn", "reason", "detail"}`), or a call the
    /// collector recorded as failed in `collection.json` (`{"call", "error_code", …}`), which the stream
    /// hands over the same way, by the list's name.
    pub(super) fn failure_element(&mut self, raw: &str) {
        let origin = self.next_origin();
        let Some(p) = self.parse_inventory(raw, origin, "failure") else {
            self.failures_read += 1;
            self.unusable_inventory += 1;
            return;
        };
        if p.value.get("call").is_some() && p.value.get("arn").is_none() {
            self.other_records += 1;
            self.collection_failure(&p.value);
            return;
        }
        self.failures_read += 1;
        match ecs::failure(&p.value) {
            Ok(Some(ecs::Missing::TaskSet(arn, why))) => {
                self.missing_task_sets.insert(arn, why);
            }
            Ok(Some(ecs::Missing::Service(key))) => {
                self.covered_services.insert(key.clone());
                self.missing_services.insert(key);
            }
            Ok(None) => {}
            Err(e) => {
                self.unusable_inventory += 1;
                self.problem(origin.record, e.to_string());
            }
        }
    }

    /// An ARN of `list-clusters` or `list-services`: the cluster or service exists.
    pub(super) fn listed_element(&mut self, list: List, raw: &str) {
        let origin = self.next_origin();
        self.other_records += 1;
        let Ok(Value::String(arn_text)) = serde_json::from_str::<Value>(raw) else {
            self.unusable_inventory += 1;
            self.problem(
                origin.record,
                format!("{} holds {raw}, expected an ARN", list.key()),
            );
            return;
        };
        let parsed = match list {
            List::ClusterArns => arn::cluster_name(&arn_text).and_then(|cluster| {
                let mut parts = arn_text.split(':');
                let region = parts.nth(3)?.to_string();
                let account = parts.next()?.to_string();
                self.listed_clusters.insert((account, region, cluster));
                Some(())
            }),
            // A short service ARN names no cluster: kept with an empty one, matched on the rest.
            _ => arn::service_key(&arn_text, Some("")).map(|key| {
                self.listed_services.insert(key);
            }),
        };
        if parsed.is_none() {
            self.unusable_inventory += 1;
            self.problem(
                origin.record,
                format!(
                    "{} holds {arn_text:?}, which is not an ECS ARN of that kind",
                    list.key()
                ),
            );
        }
    }

    /// One AWS Config item (`configurationItems`, `baseConfigurationItems`).
    pub(super) fn config_element(&mut self, raw: &str) {
        let origin = self.next_origin();
        if let Some(p) = self.parse_inventory(raw, origin, "configuration item") {
            self.config_item(&p, origin);
        }
    }

    /// One result of an advanced query: a JSON text in a string.
    pub(super) fn query_result_element(&mut self, raw: &str) {
        let origin = self.next_origin();
        let text = match serde_json::from_str::<Value>(raw) {
            Ok(Value::String(s)) => s,
            Ok(_) => raw.to_string(),
            Err(e) => {
                self.other_records += 1;
                self.unusable_inventory += 1;
                self.problem(
                    origin.record,
                    format!("a query result that cannot be read ({e})"),
                );
                return;
            }
        };
        if let Some(p) = self.parse_inventory(&text, origin, "query result") {
            self.config_item(&p, origin);
        }
    }

    pub(super) fn config_item(&mut self, p: &Parsed, origin: Origin) {
        let item = match config::item(p) {
            Ok(item) => item,
            Err(e) => {
                self.other_records += 1;
                self.unusable_inventory += 1;
                self.problem(origin.record, e.to_string());
                return;
            }
        };
        // A task set's flags are reported with its ARN below; any other item's here.
        if item.resource_type != config::TASK_SET {
            let name = item
                .arn
                .as_deref()
                .or(item.resource_id.as_deref())
                .unwrap_or("");
            for flag in &item.flags {
                self.problem(
                    origin.record,
                    format!("{} {name}: {flag}", item.resource_type),
                );
            }
        }
        *self
            .config_types
            .entry(item.resource_type.clone())
            .or_default() += 1;
        if !item.account_id.is_empty() && !item.region.is_empty() {
            self.config_scopes_seen
                .insert((item.account_id.clone(), item.region.clone()));
        }
        self.stamped(item.captured_at);
        match config::said(&item, origin) {
            Ok(Said::TaskSet { task_set, deleted }) => {
                for flag in &task_set.flags {
                    self.problem(origin.record, format!("task set {}: {flag}", task_set.arn));
                }
                if let Some(captured_at) = item.captured_at {
                    let exposure = if deleted {
                        Exposure::Deleted
                    } else {
                        Exposure::of(task_set.assign_public_ip.as_ref())
                    };
                    self.config_points.push((
                        task_set.arn.clone(),
                        ConfigPoint {
                            captured_at,
                            exposure,
                            origin,
                        },
                    ));
                }
                if deleted {
                    let when = crate::time::format_opt(&item.captured_at);
                    self.config_deleted.insert(
                        task_set.arn.clone(),
                        (
                            item.captured_at,
                            format!(
                                "AWS Config recorded it deleted ({}) at {when}",
                                item.status.as_deref().unwrap_or_default()
                            ),
                        ),
                    );
                } else {
                    // Counted once, as a task set (not also as another record).
                    self.task_sets.push(*task_set);
                    return;
                }
                self.other_records += 1;
            }
            Ok(Said::Service { key, deleted }) => {
                self.other_records += 1;
                if deleted {
                    self.missing_services.insert(key.clone());
                    self.covered_services.insert(key);
                } else {
                    self.listed_services.insert(key);
                }
            }
            Ok(Said::Other) => {
                self.other_records += 1;
                self.network_items.push((origin, item));
            }
            Err(e) => {
                self.other_records += 1;
                self.unusable_inventory += 1;
                self.problem(origin.record, e.to_string());
            }
        }
    }

    /// A top-level object that is not a finding: one task set, a `create-service` output, a Config item,
    /// the collector's `collection.json` or an identity.
    pub(super) fn inventory_object(&mut self, p: &Parsed, origin: Origin) -> Recognised {
        let v = &p.value;
        if v.get("taskSetArn").is_some() {
            self.task_set_record(p, origin);
            return Recognised::Inventory("ecs task set");
        }
        if let Some(Value::Object(_)) = v.get("taskSet") {
            if let Some(child) = child_of(p, "taskSet") {
                self.task_set_record(&child, origin);
            }
            return Recognised::Inventory(
                "ecs create-task-set / update-task-set / delete-task-set output",
            );
        }
        if let Some(Value::Object(_)) = v.get("service") {
            // The answer of a call that changed the service: it shows the task sets at that call (none
            // for a new EXTERNAL service), not those created after, so it never says one is gone.
            if let Some(child) = child_of(p, "service") {
                self.service_record(&child, origin, Covers::OnlyItsTaskSets);
            }
            return Recognised::Inventory(
                "ecs create-service / update-service / delete-service output",
            );
        }
        if v.get("serviceArn").is_some() && v.get("serviceName").is_some() {
            // A bare service may be `jq '.services[0]'` or `jq .service` of a create-service answer: nothing
            // says which, so it speaks only for the task sets it shows.
            self.service_record(p, origin, Covers::OnlyItsTaskSets);
            return Recognised::Inventory("ecs service");
        }
        if v.get("resourceType").is_some() && v.get("configurationItemCaptureTime").is_some() {
            self.config_item(p, origin);
            return Recognised::Inventory("AWS Config item");
        }
        if v.get("schema").and_then(Value::as_str) == Some(COLLECTION_SCHEMA) {
            self.collection(v, origin);
            return Recognised::Inventory("inventory collection (collect-inventory.sh)");
        }
        if v.get("UserId").is_some() && v.get("Account").is_some() && v.get("Arn").is_some() {
            self.other_records += 1;
            return Recognised::Inventory("sts get-caller-identity");
        }
        Recognised::Neither
    }

    /// `collection.json`: every call that failed is a gap in the inventory, named in the report.
    fn collection(&mut self, v: &Value, origin: Origin) {
        self.other_records += 1;
        let failures = v.get("failures").and_then(Value::as_array);
        for f in failures.into_iter().flatten() {
            self.collection_failure(f);
        }
        if failures.is_none() {
            self.problem(
                origin.record,
                "collection.json lists no failures field".to_string(),
            );
        }
    }

    /// A call `collect-inventory.sh` could not make: a gap in the inventory the report names.
    fn collection_failure(&mut self, f: &Value) {
        let field = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or_default();
        self.collection_gaps.push(CollectionGap {
            call: clip(field("call")),
            account_id: clip(field("account")),
            region: clip(field("region")),
            error_code: clip(field("error_code")),
            message: clip(field("message")),
        });
    }

    /// A network resource (`aws ec2 describe-*`, `aws elbv2 describe-*`), kept for reachability.
    pub(super) fn network_element(&mut self, key: &'static str, raw: &str) {
        let origin = self.next_origin();
        self.other_records += 1;
        if let Some(p) = self.parse_inventory(raw, origin, "network resource") {
            self.network_records.push(NetworkRecord {
                origin,
                list: key,
                value: p.value,
            });
        } else {
            self.unusable_inventory += 1;
        }
    }
}

/// The member `key` of a record as a record of its own (`{"taskSet": {...}}`).
/// What a service record speaks for: the whole service (`describe-services`, whose answer embeds every task
/// set), or only the task sets it shows (the output of `create-service`, `update-service`, `delete-service`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Covers {
    Service,
    OnlyItsTaskSets,
}

fn child_of(p: &Parsed, key: &str) -> Option<Parsed> {
    let value = p.value.get(key)?.clone();
    let prefix = format!("{key}.");
    Some(Parsed {
        value,
        duplicates: p
            .duplicates
            .iter()
            .filter_map(|d| {
                d.path.strip_prefix(&prefix).map(|rest| record::Duplicate {
                    path: rest.to_string(),
                    values: d.values.clone(),
                })
            })
            .collect(),
        repairs: p.repairs.clone(),
    })
}
