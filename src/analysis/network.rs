//! Network evidence → the network model the reachability analysis reads.
//!
//! Ingest keeps every element of an EC2/ELBv2 `describe-*` output and every AWS Config item of a network
//! type as read; this stage places them and builds one [`NetworkModel`]:
//! - A CLI output is placed by its path: `scripts/collect-inventory.sh --network` writes one account and
//!   region as `<account>/<region>/ec2/…` (the outputs of `describe-route-tables` and
//!   `describe-network-acls` do not name their region, and nothing else would). A resource's own `OwnerId`
//!   or ARN still wins where it has one.
//! - `get-managed-prefix-list-entries` does not name its prefix list; the collector's file name does
//!   (`get-managed-prefix-list-entries-<pl-id>.json`). Entries in a file named otherwise cannot be used.
//! - AWS Config gives several captures of one resource over time: the newest captured at or before
//!   `as_of` describes it (a deleted one is gone), so a history is not mistaken for a contradiction.
//!
//! What a reader flagged becomes a record problem of the input it came from.

use crate::ingest::config::Item;
use crate::ingest::network::{self as read, ConfigNetworkItem, NetworkRecordError};
use crate::ingest::problem::Flags;
use crate::ingest::{InputReport, NetworkRecord};
use crate::model::{Origin, RecordProblem};
use crate::network::{NetworkModel, NetworkResource, Place, ResourceKind};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The stem the collector gives a prefix list's entries: `get-managed-prefix-list-entries-<pl-id>`.
const ENTRIES_STEM: &str = "get-managed-prefix-list-entries-";

/// Builds the network model from every network record and Config item ingest kept.
pub fn model(
    records: &[NetworkRecord],
    items: &[(Origin, Item)],
    inputs: &mut [InputReport],
    as_of: DateTime<Utc>,
) -> NetworkModel {
    let mut m = NetworkModel::default();
    let mut problems: Vec<(Origin, String)> = Vec::new();
    for r in records {
        let path = inputs.get(r.origin.input).map(|i| i.path.as_str());
        let place = path.map(place_of_path).unwrap_or_default();
        match add_record(&mut m, r, &place, path.unwrap_or_default()) {
            Ok(flags) => problems.extend(worded(&flags).into_iter().map(|f| (r.origin, f))),
            Err(message) => problems.push((r.origin, message)),
        }
    }
    for (origin, item) in newest_captures(items, as_of) {
        match read::read_item(item) {
            Ok(Some((ConfigNetworkItem::Resource(resource), flags))) => {
                problems.extend(worded(&flags).into_iter().map(|f| (*origin, f)));
                m.insert(*resource);
            }
            Ok(Some((ConfigNetworkItem::Deleted { .. }, _))) | Ok(None) => {}
            Err(e) => problems.push((*origin, e.to_string())),
        }
    }
    for (origin, message) in problems {
        if let Some(input) = inputs.get_mut(origin.input) {
            input.problems.push(RecordProblem {
                record: origin.record,
                message,
            });
        }
    }
    for input in inputs.iter_mut() {
        input.problems.sort_by_key(|p| p.record);
    }
    m
}

/// What a reader flagged, in the inputs table's words.
fn worded(flags: &Flags) -> Vec<String> {
    flags
        .unreadable
        .iter()
        .map(ToString::to_string)
        .chain(flags.notes.iter().cloned())
        .collect()
}

/// Reads one CLI element into the model and returns what the reader flagged; `Err` with the words when
/// the element cannot be used.
fn add_record(
    m: &mut NetworkModel,
    r: &NetworkRecord,
    place: &Place,
    path: &str,
) -> Result<Flags, String> {
    fn keep<T>(
        read: Result<(T, Flags), NetworkRecordError>,
        wrap: fn(T) -> NetworkResource,
    ) -> Result<(NetworkResource, Flags), String> {
        let (value, flags) = read.map_err(|e| e.to_string())?;
        Ok((wrap(value), flags))
    }
    let v = &r.value;
    let (kind, (resource, flags)) = match r.list {
        "Subnets" => (
            ResourceKind::Subnet,
            keep(read::subnet(v, place), NetworkResource::Subnet)?,
        ),
        "RouteTables" => (
            ResourceKind::RouteTable,
            keep(read::route_table(v, place), NetworkResource::RouteTable)?,
        ),
        "SecurityGroups" => (
            ResourceKind::SecurityGroup,
            keep(
                read::security_group(v, place),
                NetworkResource::SecurityGroup,
            )?,
        ),
        "NetworkAcls" => (
            ResourceKind::NetworkAcl,
            keep(read::network_acl(v, place), NetworkResource::NetworkAcl)?,
        ),
        "PrefixLists" => (
            ResourceKind::PrefixList,
            keep(read::prefix_list(v, place), NetworkResource::PrefixList)?,
        ),
        "LoadBalancers" => (
            ResourceKind::LoadBalancer,
            keep(read::load_balancer(v, place), NetworkResource::LoadBalancer)?,
        ),
        "TargetGroups" => (
            ResourceKind::TargetGroup,
            keep(read::target_group(v, place), NetworkResource::TargetGroup)?,
        ),
        "Listeners" => (
            ResourceKind::Listener,
            keep(read::listener(v, place), NetworkResource::Listener)?,
        ),
        "Entries" => {
            let pl = prefix_list_of(path).ok_or_else(|| {
                format!(
                    "prefix list entries whose prefix list is not known: the output of get-managed-prefix-list-entries does not name it; name the file {ENTRIES_STEM}<pl-id>.json"
                )
            })?;
            m.note_prefix_list_entries_given(pl);
            let (entry, flags) = keep(
                read::prefix_list_entry(v, pl),
                NetworkResource::PrefixListEntry,
            )?;
            m.insert(entry);
            return Ok(flags);
        }
        other => return Err(format!("{other}: not a network list this tool reads")),
    };
    m.note_described(kind, place.clone());
    m.insert(resource);
    Ok(flags)
}

/// The prefix list a `get-managed-prefix-list-entries-<pl-id>.json` file holds the entries of.
fn prefix_list_of(path: &str) -> Option<&str> {
    let name = path.rsplit(['/', '\\']).next()?;
    let stem = name.split('.').next()?;
    let id = stem.strip_prefix(ENTRIES_STEM)?;
    id.starts_with("pl-").then_some(id)
}

/// The account and region of an input, from the last `<12-digit account>/<region>/` pair in its path.
pub fn place_of_path(path: &str) -> Place {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    parts
        .windows(2)
        .rev()
        .find(|w| crate::arn::is_account_id(w[0]) && is_region(w[1]))
        .map(|w| Place::new(Some(w[0]), Some(w[1])))
        .unwrap_or_default()
}

/// `eu-west-1`, `us-gov-west-1`, `ap-southeast-5`: letters in dash-separated words, then a number.
fn is_region(text: &str) -> bool {
    let mut words: Vec<&str> = text.split('-').collect();
    let Some(number) = words.pop() else {
        return false;
    };
    words.len() >= 2
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Per Config resource, the newest capture at or before `as_of` (without a capture time: the oldest). Items
/// of other types are left to the reader, which passes over them.
fn newest_captures(items: &[(Origin, Item)], as_of: DateTime<Utc>) -> Vec<&(Origin, Item)> {
    let mut newest: BTreeMap<(&str, &str, &str, &str), &(Origin, Item)> = BTreeMap::new();
    for entry in items {
        let item = &entry.1;
        if item.captured_at.is_some_and(|t| t > as_of) {
            continue;
        }
        let key = (
            item.resource_type.as_str(),
            item.account_id.as_str(),
            item.region.as_str(),
            item.resource_id.as_deref().unwrap_or_default(),
        );
        match newest.get(&key) {
            Some(old) if (old.1.captured_at, old.0) >= (item.captured_at, entry.0) => {}
            _ => {
                newest.insert(key, entry);
            }
        }
    }
    newest.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_collector_layout_places_an_output() {
        let p = place_of_path("dump/111122223333/eu-west-1/ec2/describe-route-tables.json");
        assert_eq!(p, Place::new(Some("111122223333"), Some("eu-west-1")));
        let p = place_of_path("x/111122223333/us-gov-west-1/elbv2/describe-listeners-web.json");
        assert_eq!(p.region.as_deref(), Some("us-gov-west-1"));
        assert_eq!(place_of_path("exports/route-tables.json"), Place::default());
        assert_eq!(
            place_of_path("111122223333/not-a-region/ec2/x.json"),
            Place::default()
        );
    }

    fn group_item(captured: &str, port: u16, status: &str) -> Item {
        let configuration = serde_json::json!({
            "groupId": "sg-1", "ownerId": "111122223333", "vpcId": "vpc-1",
            "ipPermissions": [{"ipProtocol": "tcp", "fromPort": port, "toPort": port,
                "ipRanges": ["0.0.0.0/0"], "userIdGroupPairs": [], "prefixListIds": []}]
        });
        Item {
            resource_type: "AWS::EC2::SecurityGroup".to_string(),
            account_id: "111122223333".to_string(),
            region: "eu-west-1".to_string(),
            arn: None,
            resource_id: Some("sg-1".to_string()),
            captured_at: Some(captured.parse().unwrap()),
            status: Some(status.to_string()),
            configuration: (status == "OK").then_some(configuration),
            flags: Vec::new(),
        }
    }

    fn origin(record: u64) -> Origin {
        Origin { input: 0, record }
    }

    #[test]
    fn a_config_history_is_read_at_as_of_not_as_a_contradiction() {
        let items = vec![
            (origin(1), group_item("2026-07-01T00:00:00Z", 22, "OK")),
            (origin(2), group_item("2026-08-01T00:00:00Z", 443, "OK")),
            (origin(3), group_item("2026-10-01T00:00:00Z", 8080, "OK")),
        ];
        let as_of = "2026-09-30T00:00:00Z".parse().unwrap();
        let m = model(&[], &items, &mut [], as_of);
        assert!(!m.is_conflicting(ResourceKind::SecurityGroup, "sg-1"));
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains("\"traffic\":\"tcp/443\""), "{json}");
        assert!(
            !json.contains("tcp/22\"") && !json.contains("tcp/8080"),
            "{json}"
        );
    }

    #[test]
    fn a_resource_config_recorded_deleted_is_gone() {
        let items = vec![
            (origin(1), group_item("2026-07-01T00:00:00Z", 443, "OK")),
            (
                origin(2),
                group_item("2026-08-01T00:00:00Z", 443, "ResourceDeleted"),
            ),
        ];
        let as_of = "2026-09-30T00:00:00Z".parse().unwrap();
        let m = model(&[], &items, &mut [], as_of);
        assert_eq!(m.counts()[&ResourceKind::SecurityGroup], 0);
    }

    #[test]
    fn entries_are_placed_by_the_file_name_only() {
        assert_eq!(
            prefix_list_of("a/ec2/get-managed-prefix-list-entries-pl-0123.json"),
            Some("pl-0123")
        );
        assert_eq!(prefix_list_of("a/ec2/entries.json"), None);
        assert_eq!(
            prefix_list_of("get-managed-prefix-list-entries-x.json"),
            None
        );
    }
}
