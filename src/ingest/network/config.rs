//! AWS Config configuration items of the network types: the item gives the place (account, region) and
//! the resource's `configuration` (an object, or the text of one) in the API's camelCase shape, which the
//! same readers as the CLI's output read.

use super::{
    listener, load_balancer, network_acl, route_table, security_group, subnet, NetworkRecordError,
};
use crate::arn;
use crate::ingest::fields::{at, Fields};
use crate::ingest::problem::Flags;
use crate::network::{NetworkResource, Place, ResourceKind};
use serde_json::Value;

/// What an AWS Config item of a network type says.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigNetworkItem {
    /// The resource as it was when the item was recorded.
    Resource(Box<NetworkResource>),
    /// The item records the resource's deletion (`configuration` is null): it no longer exists.
    Deleted { kind: ResourceKind, id: String },
}

/// Reads one `configuration` into a resource.
type Reader = fn(&Value, &Place) -> Result<(NetworkResource, Flags), NetworkRecordError>;

/// The Config resource types read here, each with the reader of its `configuration`. (No published Config
/// item for a target group or a prefix list was found, so their types are not read.)
fn config_reader(resource_type: &str) -> Option<(ResourceKind, Reader)> {
    use NetworkResource as R;
    Some(match resource_type {
        "AWS::EC2::Subnet" => (ResourceKind::Subnet, |v, p| {
            subnet(v, p).map(|(r, f)| (R::Subnet(r), f))
        }),
        "AWS::EC2::RouteTable" => (ResourceKind::RouteTable, |v, p| {
            route_table(v, p).map(|(r, f)| (R::RouteTable(r), f))
        }),
        "AWS::EC2::SecurityGroup" => (ResourceKind::SecurityGroup, |v, p| {
            security_group(v, p).map(|(r, f)| (R::SecurityGroup(r), f))
        }),
        "AWS::EC2::NetworkAcl" => (ResourceKind::NetworkAcl, |v, p| {
            network_acl(v, p).map(|(r, f)| (R::NetworkAcl(r), f))
        }),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => (ResourceKind::LoadBalancer, |v, p| {
            load_balancer(v, p).map(|(r, f)| (R::LoadBalancer(r), f))
        }),
        "AWS::ElasticLoadBalancingV2::Listener" => (ResourceKind::Listener, |v, p| {
            listener(v, p).map(|(r, f)| (R::Listener(r), f))
        }),
        _ => return None,
    })
}

/// An AWS Config item the inventory reader already read (`ingest::config::Item`: place, status, and the
/// `configuration` parsed when it was text). `Ok(None)` for a resource type that is not network evidence.
pub fn read_item(
    item: &crate::ingest::config::Item,
) -> Result<Option<(ConfigNetworkItem, Flags)>, NetworkRecordError> {
    let Some((kind, read)) = config_reader(&item.resource_type) else {
        return Ok(None);
    };
    let resource_id = item.resource_id.clone().unwrap_or_default();
    let Some(configuration) = &item.configuration else {
        if item.deleted() {
            let deleted = ConfigNetworkItem::Deleted {
                kind,
                id: resource_id,
            };
            return Ok(Some((deleted, Flags::default())));
        }
        return Err(NetworkRecordError::ConfigWithoutConfiguration {
            resource_type: item.resource_type.clone(),
            resource_id,
            status: item.status.clone().unwrap_or_default(),
        });
    };
    let known = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let place = Place {
        account: known(&item.account_id),
        region: known(&item.region),
    };
    let (resource, flags) = read(configuration, &place)?;
    Ok(Some((
        ConfigNetworkItem::Resource(Box::new(resource)),
        flags,
    )))
}

/// One AWS Config configuration item (snapshot, history, `get-resource-config-history`, delivery form, or a
/// parsed advanced-query result). `Ok(None)` for a resource type that is not network evidence. The item's
/// `accountId`/`awsAccountId` and `awsRegion` are the place; `configuration` may be an object or the text
/// of one.
pub fn config_item(item: &Value) -> Result<Option<(ConfigNetworkItem, Flags)>, NetworkRecordError> {
    let mut f = Fields::of(item);
    let resource_type = f
        .str(&["resourceType"])
        .ok_or(NetworkRecordError::ConfigWithoutType)?;
    let Some((kind, read)) = config_reader(resource_type) else {
        return Ok(None);
    };
    let account = f.str(&["accountId"]).or_else(|| f.str(&["awsAccountId"]));
    // Older items (`get-resource-config-history` of 2014) have no awsRegion; their ARN has it.
    let arn_region = f
        .str(&["arn"])
        .or_else(|| f.str(&["ARN"]))
        .and_then(|a| arn::region_and_account(a).0);
    let region = f.string(&["awsRegion"]).or(arn_region);
    let place = Place::new(account, region.as_deref());
    let resource_id = f.string(&["resourceId"]).unwrap_or_default();
    let status = f.str(&["configurationItemStatus"]).unwrap_or_default();
    let parsed;
    let configuration = match at(item, &["configuration"]) {
        None if status.starts_with("ResourceDeleted") => {
            let deleted = ConfigNetworkItem::Deleted {
                kind,
                id: resource_id,
            };
            return Ok(Some((deleted, Flags::default())));
        }
        None => {
            return Err(NetworkRecordError::ConfigWithoutConfiguration {
                resource_type: resource_type.to_string(),
                resource_id,
                status: status.to_string(),
            })
        }
        Some(Value::String(text)) => {
            parsed = serde_json::from_str::<Value>(text).map_err(|e| {
                NetworkRecordError::ConfigurationNotJson {
                    resource_type: resource_type.to_string(),
                    resource_id: resource_id.clone(),
                    cause: e.to_string(),
                }
            })?;
            &parsed
        }
        Some(object) => object,
    };
    let (resource, mut flags) = read(configuration, &place)?;
    flags.unreadable.splice(0..0, f.into_problems());
    Ok(Some((
        ConfigNetworkItem::Resource(Box::new(resource)),
        flags,
    )))
}
