//! Network evidence (EC2 and ELBv2 `describe-*` output, and the same resources as AWS Config items) →
//! the resources of [`crate::network`], one list element at a time.
//!
//! Each reader takes ONE element of the output's list (`Subnets[]`, `RouteTables[]`, …) and the place the
//! caller knows the input describes (an account and a region, either unknown), and returns the resource
//! with what it noticed ([`Flags`]), like `ecs::task_set`. A field that cannot be read is flagged and also
//! recorded in the resource's `unreadable`, so the analysis knows the resource may say less than it
//! should; only an element without its id (which nothing could be keyed by) is refused.
//!
//! Key case: the CLI prints PascalCase (`SubnetId`), AWS Config items camelCase (`subnetId`, `ipPermissions`,
//! `dNSName`). Every key of the element is read with its first letter upper-cased, so both read alike; a
//! record holding the same key in both cases is flagged (the first, in key order, is read). AWS Config's
//! security groups give `ipRanges` as bare CIDR strings and `ipv4Ranges` as `{cidrIp}` objects; both are read.

mod elbv2;
mod rules;
#[cfg(test)]
mod tests;

pub use elbv2::{listener, load_balancer, target_group};
pub use rules::{network_acl, security_group};

use super::asff::Flags;
use super::fields::{at, FieldError, Fields};
use crate::arn;
use crate::network::{
    Cidr, Destination, Ipv6Block, NetworkResource, Place, PrefixList, PrefixListEntry,
    ResourceKind, Route, RouteState, RouteTable, RouteTableAssociation, RouteTarget, Subnet,
    TargetKind,
};
use serde_json::{Map, Value};

/// An element that cannot be used at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NetworkRecordError {
    /// The id field is there but of the wrong type.
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("{} without {key}", kind.as_str())]
    WithoutId {
        kind: ResourceKind,
        key: &'static str,
    },
    #[error("{} is {found}, expected an object", kind.as_str())]
    NotAnObject {
        kind: ResourceKind,
        found: &'static str,
    },
    #[error("AWS Config item without resourceType")]
    ConfigWithoutType,
    #[error("AWS Config item {resource_type} {resource_id:?} with status {status:?} has no configuration: it says nothing about the resource")]
    ConfigWithoutConfiguration {
        resource_type: String,
        resource_id: String,
        status: String,
    },
    #[error("AWS Config item {resource_type} {resource_id:?}: configuration is text that is not JSON ({cause})")]
    ConfigurationNotJson {
        resource_type: String,
        resource_id: String,
        cause: String,
    },
}

/// One element with every key's first letter upper-cased, and the keys that were found in two cases.
pub(crate) struct Record {
    value: Value,
    clashes: Vec<String>,
}

fn upper_first(key: &str) -> String {
    let mut chars = key.chars();
    match chars.next() {
        Some(c) if c.is_ascii_lowercase() => c.to_ascii_uppercase().to_string() + chars.as_str(),
        _ => key.to_string(),
    }
}

fn pascal(v: &Value, path: &str, clashes: &mut Vec<String>) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = Map::new();
            for (k, x) in map {
                let key = upper_first(k);
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if out.contains_key(&key) {
                    clashes.push(here);
                    continue;
                }
                let x = pascal(x, &here, clashes);
                out.insert(key, x);
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|x| pascal(x, path, clashes)).collect())
        }
        other => other.clone(),
    }
}

pub(crate) fn open(v: &Value, kind: ResourceKind) -> Result<Record, NetworkRecordError> {
    if !v.is_object() {
        return Err(NetworkRecordError::NotAnObject {
            kind,
            found: crate::json::kind(v),
        });
    }
    let mut clashes = Vec::new();
    let value = pascal(v, "", &mut clashes);
    Ok(Record { value, clashes })
}

impl Record {
    pub(crate) fn value(&self) -> &Value {
        &self.value
    }
}

/// The id of the element: the record cannot be used without it.
pub(crate) fn id_of(
    f: &mut Fields<'_>,
    key: &'static str,
    kind: ResourceKind,
) -> Result<String, NetworkRecordError> {
    let before = f.problems().len();
    match f.string(&[key]) {
        Some(id) => Ok(id),
        None => match f.problems().get(before) {
            Some(p) => Err(NetworkRecordError::Field(p.clone())),
            None => Err(NetworkRecordError::WithoutId { kind, key }),
        },
    }
}

/// The owning account and the region of a resource: the owner (`OwnerId`) or the account of its ARN, else
/// the caller's; the region of its ARN, else the caller's. An ARN whose region is not the caller's is
/// noted (the ARN is the resource's own word and is kept).
pub(crate) fn place_of(
    f: &mut Fields<'_>,
    place: &Place,
    owner_key: Option<&str>,
    arn_key: Option<&str>,
    notes: &mut Vec<String>,
    id: &str,
) -> (Option<String>, Option<String>) {
    let owner = owner_key.and_then(|k| f.string(&[k]));
    let (arn_region, arn_account) = match arn_key.and_then(|k| f.str(&[k])) {
        Some(text) => arn::region_and_account(text),
        None => (None, None),
    };
    if let (Some(r), Some(given)) = (&arn_region, &place.region) {
        if r != given {
            notes.push(format!(
                "{id}: its ARN says region {r}, the input was read as {given}; the ARN's region is kept"
            ));
        }
    }
    let account = owner.or(arn_account).or_else(|| place.account.clone());
    (account, arn_region.or_else(|| place.region.clone()))
}

/// The elements of a list field, each with its path (`Routes[2]`); a field that is not a list is flagged.
pub(crate) fn elements<'v>(f: &mut Fields<'v>, key: &str) -> Vec<(String, &'v Value)> {
    match at(f.value(), &[key]) {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{key}[{i}]"), v))
            .collect(),
        Some(other) => {
            f.flag(FieldError::WrongType {
                field: key.to_string(),
                found: crate::json::kind(other),
                expected: "a list",
            });
            Vec::new()
        }
    }
}

/// The same problem, about a field inside `prefix` (`Routes[2]` + `State` → `Routes[2].State`).
fn within(prefix: &str, e: FieldError) -> FieldError {
    let name = |field: String| format!("{prefix}.{field}");
    match e {
        FieldError::WrongType {
            field,
            found,
            expected,
        } => FieldError::WrongType {
            field: name(field),
            found,
            expected,
        },
        FieldError::NotStrings { field, found } => FieldError::NotStrings {
            field: name(field),
            found,
        },
        FieldError::NotWhole { field, value } => FieldError::NotWhole {
            field: name(field),
            value,
        },
        FieldError::Time { field, cause } => FieldError::Time {
            field: name(field),
            cause,
        },
        FieldError::Missing { field, what } => FieldError::Missing {
            field: name(field),
            what,
        },
        FieldError::Invalid {
            field,
            value,
            expected,
        } => FieldError::Invalid {
            field: name(field),
            value,
            expected,
        },
    }
}

/// Adds the problems of an element's reader to its record's, named by the element's path.
pub(crate) fn absorb_within(parent: &mut Fields<'_>, prefix: &str, child: Fields<'_>) {
    for p in child.into_problems() {
        parent.flag(within(prefix, p));
    }
}

/// A range of addresses; flagged when it is not one, or (when `needed`) when it is absent.
pub(crate) fn cidr_at(f: &mut Fields<'_>, key: &'static str, needed: bool) -> Option<Cidr> {
    match f.str(&[key]) {
        Some(text) => {
            let c = Cidr::parse(text);
            if c.is_none() {
                f.flag(FieldError::Invalid {
                    field: key.to_string(),
                    value: text.to_string(),
                    expected: "an address range (CIDR)",
                });
            }
            c
        }
        None => {
            if needed && at(f.value(), &[key]).is_none() {
                f.flag(FieldError::Missing {
                    field: key.to_string(),
                    what: "address range",
                });
            }
            None
        }
    }
}

/// The fields that could not be read, for the resource's `unreadable`, and the flags for the caller.
pub(crate) fn finish(
    f: Fields<'_>,
    record: &Record,
    mut notes: Vec<String>,
    id: &str,
) -> (Vec<String>, Flags) {
    for clash in &record.clashes {
        notes.push(format!(
            "{id}: {clash} is given twice, in two letter cases; the first in key order was read"
        ));
    }
    let problems = f.into_problems();
    let mut unreadable: Vec<String> = Vec::new();
    for field in problems
        .iter()
        .map(|p| p.field())
        .chain(record.clashes.iter().map(String::as_str))
    {
        if !unreadable.iter().any(|f| f == field) {
            unreadable.push(field.to_string());
        }
    }
    (
        unreadable,
        Flags {
            notes,
            unreadable: problems,
        },
    )
}

/// One element of `aws ec2 describe-subnets` `Subnets[]` (or an `AWS::EC2::Subnet` configuration).
pub fn subnet(v: &Value, place: &Place) -> Result<(Subnet, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::Subnet)?;
    let mut f = Fields::of(record.value());
    let id = id_of(&mut f, "SubnetId", ResourceKind::Subnet)?;
    let mut notes = Vec::new();
    let (account, region) = place_of(
        &mut f,
        place,
        Some("OwnerId"),
        Some("SubnetArn"),
        &mut notes,
        &id,
    );
    let vpc = f.string(&["VpcId"]);
    let ipv4_cidr = cidr_at(&mut f, "CidrBlock", false);
    let mut ipv6_cidrs = Vec::new();
    for (path, item) in elements(&mut f, "Ipv6CidrBlockAssociationSet") {
        let mut e = Fields::of(item);
        let state = e.string(&["Ipv6CidrBlockState", "State"]);
        if let Some(cidr) = cidr_at(&mut e, "Ipv6CidrBlock", true) {
            ipv6_cidrs.push(Ipv6Block { cidr, state });
        }
        absorb_within(&mut f, &path, e);
    }
    let (unreadable, flags) = finish(f, &record, notes, &id);
    let subnet = Subnet {
        id,
        vpc,
        account,
        region,
        ipv4_cidr,
        ipv6_cidrs,
        unreadable,
    };
    Ok((subnet, flags))
}

/// One element of `aws ec2 describe-route-tables` `RouteTables[]` (or an `AWS::EC2::RouteTable`
/// configuration).
pub fn route_table(v: &Value, place: &Place) -> Result<(RouteTable, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::RouteTable)?;
    let mut f = Fields::of(record.value());
    let id = id_of(&mut f, "RouteTableId", ResourceKind::RouteTable)?;
    let mut notes = Vec::new();
    let (account, region) = place_of(&mut f, place, Some("OwnerId"), None, &mut notes, &id);
    let vpc = f.string(&["VpcId"]);
    let mut associations = Vec::new();
    for (path, item) in elements(&mut f, "Associations") {
        let mut e = Fields::of(item);
        associations.push(RouteTableAssociation {
            subnet: e.string(&["SubnetId"]),
            main: e.bool(&["Main"]).unwrap_or(false),
            gateway: e.string(&["GatewayId"]),
            state: e.string(&["AssociationState", "State"]),
        });
        absorb_within(&mut f, &path, e);
    }
    let mut routes = Vec::new();
    for (path, item) in elements(&mut f, "Routes") {
        let mut e = Fields::of(item);
        if let Some(r) = route(&mut e) {
            routes.push(r);
        }
        absorb_within(&mut f, &path, e);
    }
    let (unreadable, flags) = finish(f, &record, notes, &id);
    let table = RouteTable {
        id,
        vpc,
        account,
        region,
        associations,
        routes,
        unreadable,
    };
    Ok((table, flags))
}

/// The target keys of a route, in the order they are looked at. A route to an instance also names its
/// network interface; the instance is the target.
const TARGETS: &[(&str, Option<TargetKind>)] = &[
    ("GatewayId", None),
    (
        "EgressOnlyInternetGatewayId",
        Some(TargetKind::EgressOnlyInternetGateway),
    ),
    ("NatGatewayId", Some(TargetKind::NatGateway)),
    ("TransitGatewayId", Some(TargetKind::TransitGateway)),
    (
        "VpcPeeringConnectionId",
        Some(TargetKind::PeeringConnection),
    ),
    ("LocalGatewayId", Some(TargetKind::LocalGateway)),
    ("CarrierGatewayId", Some(TargetKind::CarrierGateway)),
    ("CoreNetworkArn", Some(TargetKind::CoreNetwork)),
    ("InstanceId", Some(TargetKind::Instance)),
    ("NetworkInterfaceId", Some(TargetKind::NetworkInterface)),
];

/// One route; `None` (flagged) when it has no readable destination or target.
fn route(e: &mut Fields<'_>) -> Option<Route> {
    let destination = if let Some(c) = cidr_at(e, "DestinationCidrBlock", false) {
        Some(Destination::Cidr(c))
    } else if let Some(c) = cidr_at(e, "DestinationIpv6CidrBlock", false) {
        Some(Destination::Cidr(c))
    } else {
        e.string(&["DestinationPrefixListId"])
            .map(Destination::PrefixList)
    };
    let target = TARGETS.iter().find_map(|(key, kind)| {
        e.string(&[key]).map(|id| RouteTarget {
            kind: kind.unwrap_or_else(|| TargetKind::of_gateway(&id)),
            id,
        })
    });
    let state = e.string(&["State"]).map(|s| RouteState::parse(&s));
    match (destination, target) {
        (Some(destination), Some(target)) => Some(Route {
            destination,
            target,
            state,
        }),
        (None, _) => {
            e.flag(FieldError::Missing {
                field: "DestinationCidrBlock".to_string(),
                what: "destination (DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId)",
            });
            None
        }
        (_, None) => {
            e.flag(FieldError::Missing {
                field: "GatewayId".to_string(),
                what: "target (GatewayId, NatGatewayId, … NetworkInterfaceId)",
            });
            None
        }
    }
}

/// One element of `aws ec2 describe-managed-prefix-lists` `PrefixLists[]`.
pub fn prefix_list(v: &Value, place: &Place) -> Result<(PrefixList, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::PrefixList)?;
    let mut f = Fields::of(record.value());
    let id = id_of(&mut f, "PrefixListId", ResourceKind::PrefixList)?;
    let mut notes = Vec::new();
    let (account, region) = place_of(
        &mut f,
        place,
        Some("OwnerId"),
        Some("PrefixListArn"),
        &mut notes,
        &id,
    );
    let name = f.string(&["PrefixListName"]);
    let address_family = f.string(&["AddressFamily"]);
    let (unreadable, flags) = finish(f, &record, notes, &id);
    let list = PrefixList {
        id,
        name,
        address_family,
        account,
        region,
        unreadable,
    };
    Ok((list, flags))
}

/// One element of `aws ec2 get-managed-prefix-list-entries` `Entries[]`. The output does not name its
/// list, so the caller gives it (from how the command was run).
pub fn prefix_list_entry(
    v: &Value,
    prefix_list: &str,
) -> Result<(PrefixListEntry, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::PrefixListEntries)?;
    let mut f = Fields::of(record.value());
    let cidr = cidr_at(&mut f, "Cidr", true);
    let description = f.string(&["Description"]);
    let (unreadable, flags) = finish(f, &record, Vec::new(), prefix_list);
    let entry = PrefixListEntry {
        prefix_list: prefix_list.to_string(),
        cidr,
        description,
        unreadable,
    };
    Ok((entry, flags))
}

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
