//! EC2 outputs without rule lists: subnets, route tables, managed prefix lists and their entries.

use super::{absorb_within, cidr_at, elements, finish, id_of, open, place_of, NetworkRecordError};
use crate::ingest::fields::{FieldError, Fields};
use crate::ingest::problem::Flags;
use crate::network::{
    Destination, Ipv6Block, Place, PrefixList, PrefixListEntry, ResourceKind, Route, RouteState,
    RouteTable, RouteTableAssociation, RouteTarget, Subnet, TargetKind,
};
use serde_json::Value;

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
