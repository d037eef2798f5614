//! The path from the internet to a task set, structured: each step's kind, id, the evidence it rests on
//! and whether it stopped the traffic. Drawn by the report, worded by [`super::words`].

use super::traffic_set::TrafficSet;
use crate::network::{AclAction, Cidr, Family, Route, Traffic};
use serde::Serialize;

/// The kinds of step on a path from the internet to a task set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Internet,
    InternetGateway,
    RouteTable,
    Subnet,
    NetworkAcl,
    SecurityGroup,
    LoadBalancer,
    Listener,
    TargetGroup,
    TaskSet,
}

impl StepKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::Internet => "internet",
            StepKind::InternetGateway => "internet gateway",
            StepKind::RouteTable => "route table",
            StepKind::Subnet => "subnet",
            StepKind::NetworkAcl => "network ACL",
            StepKind::SecurityGroup => "security group",
            StepKind::LoadBalancer => "load balancer",
            StepKind::Listener => "listener",
            StepKind::TargetGroup => "target group",
            StepKind::TaskSet => "task set",
        }
    }
}

/// Where traffic from the internet was admitted from: a range, or a prefix list holding one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Range(Cidr),
    PrefixList {
        id: String,
        holds: Cidr,
    },
    /// Not the internet: another security group or a narrower range. Kept to say what a group does admit.
    NotInternet(String),
}

/// What one network ACL entry decided for the traffic in question; `rule` is `None` for the final `*`
/// entry that denies whatever no numbered entry matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclMatch {
    pub rule: Option<u16>,
    pub action: AclAction,
    pub traffic: TrafficSet,
    pub family: Family,
    /// An outbound entry (traffic to every address), else an inbound one (from every address).
    pub egress: bool,
}

/// The evidence a step rests on: why it let traffic through, or why it stopped it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    None,
    /// Active routes for every address of these families target the internet gateway.
    InternetRoutes(Vec<Family>),
    /// No active route from an internet gateway for the families that have a public address; the default
    /// routes there are instead.
    NoInternetRoute(Vec<Route>),
    /// The addresses the internet can reach the tasks on.
    PublicAddress {
        ipv4: bool,
        ipv6: Vec<Cidr>,
    },
    /// The tasks get no address the route leads to.
    NoPublicAddress {
        ipv6_route: bool,
    },
    /// The network ACL entries that decided, in rule order.
    Acl(Vec<AclMatch>),
    /// The group's rules that admit the internet.
    GroupAdmits(Vec<(Traffic, Source)>),
    /// The group admits nothing from the internet; what it does admit, from where.
    GroupAdmitsNothing(Vec<(Traffic, Source)>),
    /// An internet-facing load balancer of this type.
    InternetFacing {
        kind: Option<String>,
        without_security_groups: bool,
    },
    /// A listener on this protocol and port.
    Listens {
        protocol: String,
        port: u16,
    },
}

/// One step of the path, structured: the lead draws it, [`words`] says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub kind: StepKind,
    pub id: String,
    pub evidence: Evidence,
    pub blocked: bool,
}

impl Hop {
    pub(super) fn new(kind: StepKind, id: &str, evidence: Evidence) -> Hop {
        Hop {
            kind,
            id: id.to_string(),
            evidence,
            blocked: false,
        }
    }

    pub(super) fn blocked(mut self, blocked: bool) -> Hop {
        self.blocked = blocked;
        self
    }
}
