//! The direct path into one subnet of a task set: route table, addresses, network ACL, security groups.
//!
//! Each question is answered from the evidence or left as a [`Gap`]; a gap decides the subnet as unknown
//! only when the answer depends on it (a missing security group cannot make a subnet that another group
//! already opens any less exposed, but it can make one that looks closed open).

use super::acl::{evaluate_acl, return_traffic};
use super::evidence::{fetch, one_of, unreadable_gap};
use super::groups::{admitted, slot, Admitted};
use super::traffic_set::TrafficSet;
use super::{Evidence, Gap, Hop, Reachability, ReturnTraffic, StepKind, TaskSetNetwork};
use crate::model::AssignPublicIp;
use crate::network::{
    Family, NetworkModel, ResourceKind, Route, RouteState, RouteTable, Subnet, TargetKind,
};

/// How exposed one subnet is, most exposed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Level {
    Direct,
    Filtered,
    NoRoute,
    Private,
    Unknown,
}

impl Level {
    pub(super) fn reachability(self) -> Reachability {
        match self {
            Level::Direct => Reachability::Direct,
            Level::Filtered => Reachability::PublicIpFiltered,
            Level::NoRoute => Reachability::PublicIpNoRoute,
            Level::Private => Reachability::Private,
            Level::Unknown => Reachability::Unknown,
        }
    }
}

/// What was found for one subnet.
#[derive(Debug, Clone)]
pub(super) struct SubnetView {
    pub subnet: String,
    pub level: Level,
    pub ports: TrafficSet,
    pub hops: Vec<Hop>,
    /// Unknown: what the answer depends on. Otherwise: what could only add ports.
    pub gaps: Vec<Gap>,
    pub return_traffic: Vec<ReturnTraffic>,
}

/// Where a family's default route leads.
#[derive(Debug, Clone)]
enum DefaultRoute {
    /// An active route to this internet gateway.
    Internet(String),
    /// Elsewhere (the routes for every address, none of them an active one to an internet gateway).
    Elsewhere(Vec<Route>),
    Uncertain(Gap),
}

fn default_route(table: &RouteTable, family: Family) -> DefaultRoute {
    let defaults: Vec<&Route> = table
        .routes
        .iter()
        .filter(|r| {
            r.destination
                .cidr()
                .is_some_and(|c| c.family() == family && c.is_every_address())
        })
        .collect();
    let to_igw = |r: &&&Route| r.target.kind == TargetKind::InternetGateway;
    if let Some(r) = defaults
        .iter()
        .filter(to_igw)
        .find(|r| r.state == Some(RouteState::Active))
    {
        return DefaultRoute::Internet(r.target.id.clone());
    }
    if let Some(r) = defaults
        .iter()
        .filter(to_igw)
        .find(|r| !matches!(r.state, Some(RouteState::Blackhole)))
    {
        return DefaultRoute::Uncertain(Gap::RouteState {
            table: table.id.clone(),
            family,
            state: r.state.as_ref().map(|s| s.as_str().to_string()),
        });
    }
    if let Some(g) = unreadable_gap(table, &table.id) {
        // The unreadable route may be the one to the internet gateway.
        return DefaultRoute::Uncertain(g);
    }
    DefaultRoute::Elsewhere(defaults.into_iter().cloned().collect())
}

impl SubnetView {
    fn unknown(subnet: &str, gaps: Vec<Gap>, hops: Vec<Hop>) -> SubnetView {
        SubnetView {
            subnet: subnet.to_string(),
            level: Level::Unknown,
            ports: TrafficSet::empty(),
            hops,
            gaps,
            return_traffic: Vec::new(),
        }
    }
}

/// Examines one subnet of the task set.
pub(super) fn examine(model: &NetworkModel, task_set: &TaskSetNetwork, id: &str) -> SubnetView {
    let subnet = match fetch(model, task_set, id, model.subnet(id)) {
        Ok(s) => s,
        Err(gap) => return SubnetView::unknown(id, vec![gap], Vec::new()),
    };
    let Some(vpc) = subnet.vpc.as_deref() else {
        let gap = unreadable_gap(subnet, id).unwrap_or(Gap::NoVpc {
            subnet: id.to_string(),
        });
        return SubnetView::unknown(id, vec![gap], Vec::new());
    };
    let tables = (
        model.route_tables_of_subnet(id),
        model.main_route_tables(vpc),
    );
    let get = |t: &str| model.route_table(t);
    let table = match one_of(model, task_set, (id, vpc), tables, get, |t| {
        t.vpc.as_deref()
    }) {
        Ok((t, _, _)) => t,
        Err(gap) => return SubnetView::unknown(id, vec![gap], Vec::new()),
    };
    routed(model, task_set, subnet, vpc, table)
}

/// The subnet once its route table is known: which families have a public address and a route in.
fn routed(
    model: &NetworkModel,
    task_set: &TaskSetNetwork,
    subnet: &Subnet,
    vpc: &str,
    table: &RouteTable,
) -> SubnetView {
    let public_ipv4 = task_set.assign_public_ip == Some(AssignPublicIp::Enabled);
    let ipv6: Vec<_> = subnet.ipv6_in_use().copied().collect();
    let routes = [
        default_route(table, Family::Ipv4),
        default_route(table, Family::Ipv6),
    ];
    let (mut open, mut gaps) = (Vec::new(), Vec::new());
    let mut igw = None;
    for (family, has_address) in [
        (Family::Ipv4, public_ipv4),
        (Family::Ipv6, !ipv6.is_empty()),
    ] {
        match (&routes[slot(family)], has_address) {
            (DefaultRoute::Internet(g), true) => {
                open.push(family);
                igw.get_or_insert_with(|| g.clone());
            }
            (DefaultRoute::Uncertain(gap), true) => gaps.push(gap.clone()),
            (DefaultRoute::Internet(_), false) if family == Family::Ipv6 => {
                // An IPv6 route in, and a subnet that may have a range its record did not let us read.
                gaps.extend(unreadable_gap(subnet, &subnet.id));
            }
            _ => {}
        }
    }
    if open.is_empty() {
        return closed(subnet, table, public_ipv4, &routes, gaps);
    }
    let mut hops = vec![
        Hop::new(StepKind::Internet, "internet", Evidence::None),
        Hop::new(
            StepKind::InternetGateway,
            igw.as_deref().unwrap_or_default(),
            Evidence::None,
        ),
        Hop::new(
            StepKind::RouteTable,
            &table.id,
            Evidence::InternetRoutes(open.clone()),
        ),
        Hop::new(
            StepKind::Subnet,
            &subnet.id,
            Evidence::PublicAddress {
                ipv4: open.contains(&Family::Ipv4),
                ipv6: if open.contains(&Family::Ipv6) {
                    ipv6
                } else {
                    Vec::new()
                },
            },
        ),
    ];
    let mut view = filtered(model, task_set, subnet, vpc, &open, &mut hops);
    if !gaps.is_empty() && view.level != Level::Direct {
        // The family that could not be told may be the open one.
        view.level = Level::Unknown;
    }
    view.gaps.extend(gaps);
    view.hops = hops;
    view
}

/// No family has both a public address and a route in: `PUBLIC_IP_NO_ROUTE` or `PRIVATE`, unless a gap
/// could open one.
fn closed(
    subnet: &Subnet,
    table: &RouteTable,
    public_ipv4: bool,
    routes: &[DefaultRoute; 2],
    gaps: Vec<Gap>,
) -> SubnetView {
    let inbound: Vec<Family> = Family::ALL
        .into_iter()
        .filter(|f| matches!(routes[slot(*f)], DefaultRoute::Internet(_)))
        .collect();
    let igw = routes.iter().find_map(|r| match r {
        DefaultRoute::Internet(igw) => Some(igw.as_str()),
        _ => None,
    });
    let mut hops = vec![Hop::new(StepKind::Internet, "internet", Evidence::None)];
    match igw {
        // No public address for the route in to reach.
        Some(igw) if !public_ipv4 => {
            hops.push(Hop::new(StepKind::InternetGateway, igw, Evidence::None));
            let routes_in = Evidence::InternetRoutes(inbound.clone());
            hops.push(Hop::new(StepKind::RouteTable, &table.id, routes_in));
            let no_address = Evidence::NoPublicAddress {
                ipv6_route: inbound.contains(&Family::Ipv6),
            };
            hops.push(Hop::new(StepKind::Subnet, &subnet.id, no_address).blocked(true));
        }
        // A public IPv4 address (or none at all) and no route in for it.
        _ => {
            let elsewhere = routes
                .iter()
                .flat_map(|r| match r {
                    DefaultRoute::Elsewhere(rs) => rs.clone(),
                    _ => Vec::new(),
                })
                .collect();
            let no_route = Evidence::NoInternetRoute(elsewhere);
            hops.push(Hop::new(StepKind::RouteTable, &table.id, no_route).blocked(true));
            hops.push(Hop::new(StepKind::Subnet, &subnet.id, Evidence::None));
        }
    }
    hops.push(Hop::new(StepKind::TaskSet, "task set", Evidence::None));
    if !gaps.is_empty() {
        return SubnetView::unknown(&subnet.id, gaps, hops);
    }
    SubnetView {
        subnet: subnet.id.clone(),
        level: if public_ipv4 {
            Level::NoRoute
        } else {
            Level::Private
        },
        ports: TrafficSet::empty(),
        hops,
        gaps,
        return_traffic: Vec::new(),
    }
}

/// What the task set's security groups admit; a task set that names none has its VPC's default group.
fn task_set_groups(
    model: &NetworkModel,
    task_set: &TaskSetNetwork,
    (subnet, vpc): (&str, &str),
    open: &[Family],
) -> Admitted {
    if !task_set.security_groups.is_empty() {
        return admitted(
            model,
            task_set,
            &task_set.security_groups,
            (subnet, Some(vpc)),
            open,
        );
    }
    let defaults: Vec<String> = model.default_security_groups(vpc).iter().cloned().collect();
    let mut groups = admitted(model, task_set, &defaults, (subnet, Some(vpc)), open);
    let gap = match defaults.len() {
        1 => return groups,
        0 => Gap::NoDefaultSecurityGroup {
            vpc: vpc.to_string(),
            place_described: model.describes(
                ResourceKind::SecurityGroup,
                &task_set.account,
                &task_set.region,
            ),
        },
        _ => Gap::SeveralDefaults {
            kind: ResourceKind::SecurityGroup,
            vpc: vpc.to_string(),
            ids: defaults,
        },
    };
    groups.gaps.push(gap);
    groups.maybe = [TrafficSet::everything(), TrafficSet::everything()];
    groups
}

/// A route in and a public address: the network ACL and the security groups decide.
fn filtered(
    model: &NetworkModel,
    task_set: &TaskSetNetwork,
    subnet: &Subnet,
    vpc: &str,
    open: &[Family],
    hops: &mut Vec<Hop>,
) -> SubnetView {
    let id = subnet.id.as_str();
    let groups = task_set_groups(model, task_set, (id, vpc), open);
    let acls = (
        model.network_acls_of_subnet(id),
        model.default_network_acls(vpc),
    );
    let get = |a: &str| model.network_acl(a);
    let acl = one_of(model, task_set, (id, vpc), acls, get, |a| a.vpc.as_deref()).and_then(
        |(acl, id, _)| match unreadable_gap(acl, &id) {
            Some(gap) => Err(gap),
            None => Ok(acl),
        },
    );
    let acl = match acl {
        Ok(acl) => acl,
        Err(gap) => {
            hops.extend(groups.hops);
            let mut gaps = vec![gap];
            gaps.extend(groups.gaps);
            return SubnetView::unknown(id, gaps, Vec::new());
        }
    };
    let (mut reachable, mut maybe_left) = (TrafficSet::empty(), TrafficSet::empty());
    let (mut decided, mut replies) = (Vec::new(), Vec::new());
    for &family in open {
        let sure = &groups.sure[slot(family)];
        let (allowed, matches) = evaluate_acl(acl, false, family, &TrafficSet::everything());
        let through = sure.intersect(&allowed);
        replies.extend(return_traffic(acl, family, &through));
        maybe_left.add(
            &groups.maybe[slot(family)]
                .intersect(&allowed)
                .minus(&through),
        );
        reachable.add(&through);
        // Say what the entries did with what the groups admit; when they admit nothing, with everything.
        decided.extend(matches.into_iter().filter_map(|mut m| {
            if !sure.is_empty() {
                m.traffic = m.traffic.intersect(sure);
            }
            (!m.traffic.is_empty()).then_some(m)
        }));
    }
    let any_admitted = groups.sure.iter().any(|s| !s.is_empty());
    let acl_blocks = any_admitted && reachable.is_empty();
    hops.push(Hop::new(StepKind::NetworkAcl, &acl.id, Evidence::Acl(decided)).blocked(acl_blocks));
    hops.extend(groups.hops);
    hops.push(Hop::new(StepKind::TaskSet, "task set", Evidence::None));
    let gaps = if maybe_left.is_empty() {
        Vec::new()
    } else {
        groups.gaps
    };
    let level = match (reachable.is_empty(), gaps.is_empty()) {
        (false, _) => Level::Direct,
        (true, true) => Level::Filtered,
        (true, false) => Level::Unknown,
    };
    SubnetView {
        subnet: id.to_string(),
        level,
        ports: reachable,
        hops: Vec::new(),
        gaps,
        return_traffic: replies,
    }
}
