//! What can be wrong with the network evidence for one task set, and the replies a network ACL stops.
//! A [`Gap`] is the reason of an `UNKNOWN`, or a note beside an exposure already proven.

use super::path::AclMatch;
use super::traffic_set::TrafficSet;
use crate::network::{Family, ResourceKind, Traffic};

/// Network evidence that is missing, unreadable or contradictory.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Gap {
    NotAwsvpc,
    UnknownAssignPublicIp(String),
    NoSubnets,
    /// No input describes the resource; `place_described`: inputs for the task set's account and region
    /// were given, and it is not among them.
    NotDescribed {
        kind: ResourceKind,
        id: String,
        place_described: bool,
    },
    Conflicting {
        kind: ResourceKind,
        id: String,
    },
    Unreadable {
        kind: ResourceKind,
        id: String,
        fields: Vec<String>,
    },
    OtherRegion {
        kind: ResourceKind,
        id: String,
        region: String,
    },
    /// The resource is not in the VPC of the one beside it (a subnet, a load balancer).
    OtherVpc {
        kind: ResourceKind,
        id: String,
        vpc: Option<String>,
        beside: String,
        expected: String,
    },
    NoVpc {
        subnet: String,
    },
    /// Several resources of a kind claim the subnet.
    Several {
        kind: ResourceKind,
        subnet: String,
        ids: Vec<String>,
    },
    /// Several main route tables or default network ACLs for one VPC.
    SeveralDefaults {
        kind: ResourceKind,
        vpc: String,
        ids: Vec<String>,
    },
    /// No explicit association and no main table (or default ACL) of the VPC described.
    NoDefault {
        kind: ResourceKind,
        subnet: String,
        vpc: String,
        place_described: bool,
    },
    /// The task set names no security group, so its VPC's default group applies, and it is not described.
    NoDefaultSecurityGroup {
        vpc: String,
        place_described: bool,
    },
    RouteState {
        table: String,
        family: Family,
        state: Option<String>,
    },
    PrefixListEntries {
        group: String,
        prefix_list: String,
        traffic: Traffic,
    },
    NoListeners {
        load_balancer: String,
    },
    Scheme {
        load_balancer: String,
        scheme: Option<String>,
    },
    ListenerProtocol {
        listener: String,
        protocol: Option<String>,
    },
    ClassicLoadBalancer {
        name: String,
    },
}

/// The replies of a reachable protocol that the network ACL's outbound entries do not let out in full.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnTraffic {
    pub acl: String,
    pub family: Family,
    pub protocol: u8,
    /// The part of the ephemeral ports (1024-65535) the replies may use.
    pub allowed: TrafficSet,
    /// The outbound entries that stop the rest.
    pub denied_by: Vec<AclMatch>,
}
