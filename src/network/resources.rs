//! The network resources an auditor follows from the internet to a task: one plain type per EC2 and ELBv2
//! resource, holding only what reachability needs, in the API's meaning.
//!
//! Every resource keeps `unreadable`: the fields of its record that could not be read. A resource with
//! unreadable fields is still evidence for what it does say (a rule that admits the internet is proof) but
//! never for what it does not (a missing rule may be the unreadable one).

use super::cidr::Cidr;
use super::traffic::Traffic;
use serde::Serialize;

/// A subnet: the VPC it is in, and the addresses it hands out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Subnet {
    pub id: String,
    pub vpc: Option<String>,
    /// The owner (`OwnerId`); in a shared VPC, not the account whose tasks run in it.
    pub account: Option<String>,
    pub region: Option<String>,
    pub ipv4_cidr: Option<Cidr>,
    pub ipv6_cidrs: Vec<Ipv6Block>,
    pub unreadable: Vec<String>,
}

/// An IPv6 range associated with a subnet, and the state of the association.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Ipv6Block {
    pub cidr: Cidr,
    /// `Ipv6CidrBlockState.State`: `associating`, `associated`, `disassociating`, `disassociated`, …
    pub state: Option<String>,
}

impl Ipv6Block {
    /// True unless the association is over (`disassociated`) or never happened (`failed`): a subnet whose
    /// range is still being associated or removed can hand out addresses from it.
    pub fn is_in_use(&self) -> bool {
        !matches!(self.state.as_deref(), Some("disassociated" | "failed"))
    }
}

impl Subnet {
    /// IPv6 ranges in use: tasks in the subnet can get an IPv6 address, and every IPv6 address is public.
    pub fn ipv6_in_use(&self) -> impl Iterator<Item = &Cidr> {
        self.ipv6_cidrs
            .iter()
            .filter(|b| b.is_in_use())
            .map(|b| &b.cidr)
    }
}

/// A route table: which subnets use it, and where it sends traffic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RouteTable {
    pub id: String,
    pub vpc: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub associations: Vec<RouteTableAssociation>,
    pub routes: Vec<Route>,
    pub unreadable: Vec<String>,
}

/// One association of a route table: with a subnet, or as its VPC's main table (used by every subnet that
/// has no association of its own), or with a gateway (edge association).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RouteTableAssociation {
    pub subnet: Option<String>,
    pub main: bool,
    pub gateway: Option<String>,
    /// `AssociationState.State` when given: `associated`, `disassociated`, `failed`, …
    pub state: Option<String>,
}

impl RouteTableAssociation {
    /// True unless the association is over (`disassociated`) or never happened (`failed`).
    pub fn is_current(&self) -> bool {
        !matches!(self.state.as_deref(), Some("disassociated" | "failed"))
    }
}

/// One route: a destination, where it sends that traffic, and whether the target still exists.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Route {
    pub destination: Destination,
    pub target: RouteTarget,
    pub state: Option<RouteState>,
}

/// What a route is for: a range of addresses, or a managed prefix list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(untagged)]
pub enum Destination {
    Cidr(Cidr),
    PrefixList(String),
}

impl Destination {
    /// The range when the route is for a range of addresses.
    pub fn cidr(&self) -> Option<&Cidr> {
        match self {
            Destination::Cidr(c) => Some(c),
            Destination::PrefixList(_) => None,
        }
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::Cidr(c) => write!(f, "{c}"),
            Destination::PrefixList(p) => f.write_str(p),
        }
    }
}

/// Where a route sends traffic: the kind of target and its id (`igw-0a1`, `nat-06c`, `local`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct RouteTarget {
    pub kind: TargetKind,
    pub id: String,
}

/// The kinds of route target. Only an internet gateway carries traffic *from* the internet into a subnet;
/// an egress-only gateway, a NAT gateway, a transit gateway, a peering connection or a network interface
/// do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetKind {
    Local,
    InternetGateway,
    EgressOnlyInternetGateway,
    NatGateway,
    TransitGateway,
    PeeringConnection,
    NetworkInterface,
    Instance,
    VpcEndpoint,
    VirtualPrivateGateway,
    LocalGateway,
    CarrierGateway,
    CoreNetwork,
    Other,
}

impl TargetKind {
    /// The kind of a `GatewayId`, from its prefix: `local`, `igw-`, `vgw-`, `vpce-`, else other.
    pub fn of_gateway(id: &str) -> TargetKind {
        if id == "local" {
            TargetKind::Local
        } else if id.starts_with("igw-") {
            TargetKind::InternetGateway
        } else if id.starts_with("vgw-") {
            TargetKind::VirtualPrivateGateway
        } else if id.starts_with("vpce-") {
            TargetKind::VpcEndpoint
        } else if id.starts_with("eigw-") {
            TargetKind::EgressOnlyInternetGateway
        } else {
            TargetKind::Other
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Local => "local",
            TargetKind::InternetGateway => "internet gateway",
            TargetKind::EgressOnlyInternetGateway => "egress-only internet gateway",
            TargetKind::NatGateway => "NAT gateway",
            TargetKind::TransitGateway => "transit gateway",
            TargetKind::PeeringConnection => "peering connection",
            TargetKind::NetworkInterface => "network interface",
            TargetKind::Instance => "instance",
            TargetKind::VpcEndpoint => "VPC endpoint",
            TargetKind::VirtualPrivateGateway => "virtual private gateway",
            TargetKind::LocalGateway => "local gateway",
            TargetKind::CarrierGateway => "carrier gateway",
            TargetKind::CoreNetwork => "core network",
            TargetKind::Other => "other target",
        }
    }
}

/// `State` of a route: `blackhole` routes point at a target that no longer exists and carry nothing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum RouteState {
    Active,
    Blackhole,
    /// A value this tool does not know, exactly as it was found.
    Other(String),
}

impl RouteState {
    pub fn parse(text: &str) -> RouteState {
        match text {
            t if t.eq_ignore_ascii_case("active") => RouteState::Active,
            t if t.eq_ignore_ascii_case("blackhole") => RouteState::Blackhole,
            other => RouteState::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            RouteState::Active => "active",
            RouteState::Blackhole => "blackhole",
            RouteState::Other(t) => t,
        }
    }
}

impl Serialize for RouteState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A security group and its inbound rules. Security groups are stateful (replies always go out) and only
/// allow, so the outbound rules say nothing about who can reach the task and are not kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SecurityGroup {
    pub id: String,
    pub name: Option<String>,
    pub vpc: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub ingress: Vec<IngressRule>,
    pub unreadable: Vec<String>,
}

/// One inbound permission: what traffic, from which sources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct IngressRule {
    pub traffic: Traffic,
    pub ipv4: Vec<Cidr>,
    pub ipv6: Vec<Cidr>,
    /// Managed prefix lists (`pl-…`): their entries decide whether they hold the internet.
    pub prefix_lists: Vec<String>,
    /// Other security groups (`sg-…`): traffic from their members, never from the internet.
    pub groups: Vec<String>,
}

/// A network ACL: which subnets it guards, and its numbered entries. Stateless: replies are checked
/// against the outbound entries too.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct NetworkAcl {
    pub id: String,
    pub vpc: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// The VPC's default ACL guards every subnet not associated with another one.
    pub is_default: bool,
    pub subnets: Vec<String>,
    pub entries: Vec<AclEntry>,
    pub unreadable: Vec<String>,
}

/// One numbered entry of a network ACL. Entries are evaluated lowest number first; the first that
/// matches a packet decides.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct AclEntry {
    pub rule_number: u16,
    pub egress: bool,
    pub action: AclAction,
    pub traffic: Traffic,
    pub cidr: Cidr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AclAction {
    Allow,
    Deny,
}

impl AclAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AclAction::Allow => "allow",
            AclAction::Deny => "deny",
        }
    }
}

/// A managed prefix list as `describe-managed-prefix-lists` gives it (its entries come separately).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PrefixList {
    pub id: String,
    pub name: Option<String>,
    pub address_family: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub unreadable: Vec<String>,
}

/// One entry of `get-managed-prefix-list-entries`, with the list it belongs to (which the output itself
/// does not name). `cidr` is `None` when the entry's `Cidr` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PrefixListEntry {
    pub prefix_list: String,
    pub cidr: Option<Cidr>,
    pub description: Option<String>,
    pub unreadable: Vec<String>,
}

/// The entries of one prefix list, as far as they were given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PrefixListEntries {
    pub cidrs: std::collections::BTreeSet<Cidr>,
    /// Entries (or fields) that could not be read: the list may hold more than `cidrs`.
    pub unreadable: Vec<String>,
}

/// An Elastic Load Balancing v2 load balancer (application, network or gateway).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LoadBalancer {
    pub arn: String,
    pub name: Option<String>,
    pub scheme: Option<Scheme>,
    /// `Type`: `application`, `network`, `gateway`.
    pub kind: Option<String>,
    pub vpc: Option<String>,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// `IpAddressType`: `ipv4`, `dualstack`, `dualstack-without-public-ipv4`.
    pub ip_address_type: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub unreadable: Vec<String>,
}

/// `Scheme` of a load balancer: only an internet-facing one has addresses the internet can reach.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scheme {
    InternetFacing,
    Internal,
    /// A value this tool does not know, exactly as it was found.
    Other(String),
}

impl Scheme {
    pub fn parse(text: &str) -> Scheme {
        match text {
            t if t.eq_ignore_ascii_case("internet-facing") => Scheme::InternetFacing,
            t if t.eq_ignore_ascii_case("internal") => Scheme::Internal,
            other => Scheme::Other(other.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Scheme::InternetFacing => "internet-facing",
            Scheme::Internal => "internal",
            Scheme::Other(t) => t,
        }
    }
}

impl Serialize for Scheme {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A listener: the port and protocol a load balancer accepts connections on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Listener {
    pub arn: String,
    pub load_balancer: String,
    pub port: Option<u16>,
    /// `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`.
    pub protocol: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub unreadable: Vec<String>,
}

/// A target group: the load balancers that send traffic to its targets (the task set's tasks).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct TargetGroup {
    pub arn: String,
    pub name: Option<String>,
    pub load_balancers: Vec<String>,
    pub port: Option<u16>,
    pub protocol: Option<String>,
    pub target_type: Option<String>,
    pub vpc: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub unreadable: Vec<String>,
}

/// Any one resource, as a reader returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NetworkResource {
    Subnet(Subnet),
    RouteTable(RouteTable),
    SecurityGroup(SecurityGroup),
    NetworkAcl(NetworkAcl),
    PrefixList(PrefixList),
    PrefixListEntry(PrefixListEntry),
    LoadBalancer(LoadBalancer),
    Listener(Listener),
    TargetGroup(TargetGroup),
}
