//! Reachability: can the internet actually reach a task set's tasks, on which ports, and along which path?
//!
//! [`decide`] is a pure function of the network model and what the ECS dump says of one task set; it
//! returns a structured [`Decision`]. [`words`] turns a decision into the [`Reach`] the report shows (the
//! value, the ports, the path as steps and in words, the reason). [`reachability`] does both.
//!
//! The rules (issue 15):
//! - A subnet's route table is its explicit association, else its VPC's main table. A subnet is public
//!   for IPv4 when an active route for `0.0.0.0/0` targets an internet gateway (`igw-`) and the task set
//!   assigns public IPs; for IPv6 when it has an IPv6 range and an active `::/0` route targets one, whatever
//!   `assignPublicIp` says. Egress-only, NAT, transit, peering and interface targets bring nothing in;
//!   blackhole routes carry nothing.
//! - "The internet" is any address: a security-group rule admits it when its source is `0.0.0.0/0`,
//!   `::/0`, or a managed prefix list whose given entries hold one of them; a rule from another group or
//!   from a narrower range does not. The network ACL's inbound entries for every address of the family
//!   are applied in rule-number order (the first that matches a port decides); outbound entries are
//!   checked for the replies (ephemeral ports 1024-65535) and a block is noted.
//! - Load balancers: the task set's target groups, their load balancers with `Scheme: internet-facing`,
//!   and their listeners whose ports the load balancer's own security groups admit from the internet.
//! - A task set in several subnets is decided on its most exposed subnet, which the result names.
//! - Evidence that is missing, unreadable or contradictory gives `UNKNOWN` with the reason whenever the
//!   answer depends on it; when other evidence already proves exposure, it is a note instead.

mod acl;
mod balancer;
mod evidence;
mod gaps;
mod groups;
mod path;
#[cfg(test)]
mod rule_table;
mod subnet;
#[cfg(test)]
mod tests;
mod traffic_set;
mod words;

pub use gaps::{Gap, ReturnTraffic};
pub use path::{AclMatch, Evidence, Hop, Source, StepKind};
pub use traffic_set::TrafficSet;
pub use words::words;

use crate::model::{AssignPublicIp, TaskSet};
use crate::network::NetworkModel;
use serde::Serialize;

/// How the internet reaches a task set, most exposed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reachability {
    /// A public address, a route from an internet gateway, and security groups and network ACL that admit
    /// some port from the internet.
    Direct,
    /// No direct path, but an internet-facing load balancer forwards to it.
    ViaLoadBalancer,
    /// A route from an internet gateway and a public address, but the security groups or the network ACL
    /// admit nothing from the internet.
    PublicIpFiltered,
    /// A public IPv4 address (assignPublicIp ENABLED) in a subnet with no route from an internet gateway.
    PublicIpNoRoute,
    /// No public address, no internet-facing load balancer.
    Private,
    /// The network evidence needed is missing or contradictory; the reason says which.
    Unknown,
}

impl Reachability {
    pub const ALL: [Reachability; 6] = [
        Reachability::Direct,
        Reachability::ViaLoadBalancer,
        Reachability::PublicIpNoRoute,
        Reachability::PublicIpFiltered,
        Reachability::Private,
        Reachability::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reachability::Direct => "DIRECT",
            Reachability::ViaLoadBalancer => "VIA_LOAD_BALANCER",
            Reachability::PublicIpNoRoute => "PUBLIC_IP_NO_ROUTE",
            Reachability::PublicIpFiltered => "PUBLIC_IP_FILTERED",
            Reachability::Private => "PRIVATE",
            Reachability::Unknown => "UNKNOWN",
        }
    }
}

impl Serialize for Reachability {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// What the ECS dump says of a task set's networking: all reachability needs from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskSetNetwork {
    pub account: String,
    pub region: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// `None`: no awsvpc network configuration (the tasks use their container instance's network).
    pub assign_public_ip: Option<AssignPublicIp>,
    /// `loadBalancers[].targetGroupArn`.
    pub target_groups: Vec<String>,
    /// `loadBalancers[].loadBalancerName` without a target group: Classic Load Balancers, not examined.
    pub classic_load_balancers: Vec<String>,
}

impl TaskSetNetwork {
    pub fn of(task_set: &TaskSet) -> TaskSetNetwork {
        let lbs = &task_set.load_balancers;
        TaskSetNetwork {
            account: task_set.account_id.clone(),
            region: task_set.region.clone(),
            subnets: task_set.subnets.clone(),
            security_groups: task_set.security_groups.clone(),
            assign_public_ip: task_set.assign_public_ip.clone(),
            target_groups: lbs
                .iter()
                .filter_map(|l| l.target_group_arn.clone())
                .collect(),
            classic_load_balancers: lbs
                .iter()
                .filter(|l| l.target_group_arn.is_none())
                .filter_map(|l| l.load_balancer_name.clone())
                .collect(),
        }
    }
}

/// The decision for one task set, before any words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub value: Reachability,
    pub ports: TrafficSet,
    /// The subnet decided on (the most exposed), when a subnet path was decisive.
    pub subnet: Option<String>,
    /// How many distinct subnets the task set names.
    pub subnets: usize,
    pub hops: Vec<Hop>,
    /// When `UNKNOWN`: the evidence the answer depends on. Otherwise: evidence that was missing but could
    /// only have added ports or paths to an answer already proven.
    pub gaps: Vec<Gap>,
    pub return_traffic: Vec<ReturnTraffic>,
    pub account: String,
    pub region: String,
}

/// Reachability in the report's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reach {
    pub value: Reachability,
    /// Sorted by protocol then port: `tcp/80`, `tcp/443`, `udp/53`.
    pub reachable_ports: Vec<String>,
    /// The subnet decided on.
    pub subnet: Option<String>,
    pub path: Vec<PathStep>,
    /// `internet → igw-0a1 → rtb-0b2 (0.0.0.0/0) → subnet-0c3 → sg-0d4 tcp/443 from 0.0.0.0/0 → task set`
    pub path_words: String,
    /// For `UNKNOWN`: the missing or contradictory evidence.
    pub reason: Option<String>,
    /// What else the auditor should know: which subnet was decided on, blocked replies, evidence that
    /// was missing but could not change the value.
    pub notes: Vec<String>,
}

impl Reach {
    /// `tcp/443, tcp/8080`, as the `reachable_ports` column shows it.
    pub fn ports_text(&self) -> String {
        self.reachable_ports.join(", ")
    }

    /// Why the value is what it is, beside the path: the reason for `UNKNOWN`, then the notes (the
    /// `reachability_reason` column, and the report's path table).
    pub fn explanation(&self) -> String {
        self.reason
            .iter()
            .chain(&self.notes)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// One step of the path in words, for the diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathStep {
    pub kind: StepKind,
    pub id: String,
    /// The rule that let traffic through or stopped it, in words.
    pub rule: Option<String>,
    pub blocked: bool,
}

/// Reachability of one task set, decided and worded.
pub fn reachability(model: &NetworkModel, task_set: &TaskSetNetwork) -> Reach {
    words(&decide(model, task_set))
}

/// Reachability of every reconciled task set, in the order of `rows`. A task set no inventory describes
/// has no subnets or groups to follow; without any network evidence, nothing can be followed either.
pub fn for_rows(
    model: &NetworkModel,
    rows: &[crate::reconcile::Row],
    inventory: &crate::model::Inventory,
) -> Vec<Reach> {
    rows.iter()
        .map(|row| match inventory.task_sets.get(&row.task_set_arn) {
            None => not_followed(
                "no inventory (dump or AWS Config) describes the task set's network configuration",
            ),
            Some(_) if model.is_empty() => not_followed(
                "no network evidence was given (subnets, route tables, security groups, network ACLs, load balancers: scripts/collect-inventory.sh --network)",
            ),
            Some(task_set) => reachability(model, &TaskSetNetwork::of(task_set)),
        })
        .collect()
}

/// `UNKNOWN` before any network question could be asked.
fn not_followed(reason: &str) -> Reach {
    Reach {
        value: Reachability::Unknown,
        reachable_ports: Vec::new(),
        subnet: None,
        path: Vec::new(),
        path_words: String::new(),
        reason: Some(reason.to_string()),
        notes: Vec::new(),
    }
}

/// A gap in the task set's own description that makes every network question moot.
fn task_set_gap(task_set: &TaskSetNetwork) -> Option<Gap> {
    match &task_set.assign_public_ip {
        None => Some(Gap::NotAwsvpc),
        Some(AssignPublicIp::Other(v)) => Some(Gap::UnknownAssignPublicIp(v.clone())),
        Some(_) if task_set.subnets.is_empty() => Some(Gap::NoSubnets),
        Some(_) => None,
    }
}

fn sorted_unique(items: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = items.iter().map(String::as_str).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Decides how the internet reaches a task set. Pure: the same model and task set give the same decision.
pub fn decide(model: &NetworkModel, task_set: &TaskSetNetwork) -> Decision {
    let mut d = Decision {
        value: Reachability::Unknown,
        ports: TrafficSet::empty(),
        subnet: None,
        subnets: sorted_unique(&task_set.subnets).len(),
        hops: Vec::new(),
        gaps: Vec::new(),
        return_traffic: Vec::new(),
        account: task_set.account.clone(),
        region: task_set.region.clone(),
    };
    if let Some(gap) = task_set_gap(task_set) {
        d.gaps.push(gap);
        return d;
    }
    let views: Vec<subnet::SubnetView> = sorted_unique(&task_set.subnets)
        .into_iter()
        .map(|s| subnet::examine(model, task_set, s))
        .collect();
    let unknown_gaps: Vec<Gap> = views
        .iter()
        .filter(|v| v.level == subnet::Level::Unknown)
        .flat_map(|v| v.gaps.iter().cloned())
        .collect();

    if let Some(chosen) = most_exposed_direct(&views) {
        for v in views.iter().filter(|v| v.level == subnet::Level::Direct) {
            d.ports.add(&v.ports);
        }
        d.value = Reachability::Direct;
        d.subnet = Some(chosen.subnet.clone());
        d.hops = chosen.hops.clone();
        d.gaps = chosen.gaps.iter().cloned().chain(unknown_gaps).collect();
        d.return_traffic = chosen.return_traffic.clone();
        return finished(d);
    }
    if !unknown_gaps.is_empty() {
        // A subnet that could not be examined may be the direct path.
        d.gaps = unknown_gaps;
        return finished(d);
    }
    let lb = balancer::examine(model, task_set);
    match lb.level {
        balancer::Level::Reachable => {
            d.value = Reachability::ViaLoadBalancer;
            d.ports = lb.ports;
            d.hops = lb.hops;
            d.gaps = lb.gaps;
        }
        balancer::Level::Unknown => d.gaps = lb.gaps,
        balancer::Level::NotReachable => {
            if let Some(chosen) = views.iter().min_by_key(|v| v.level) {
                d.value = chosen.level.reachability();
                d.subnet = Some(chosen.subnet.clone());
                d.hops = chosen.hops.clone();
                d.gaps = chosen.gaps.clone();
            }
        }
    }
    finished(d)
}

/// The direct subnet with the widest exposure; the first by id among equals.
fn most_exposed_direct(views: &[subnet::SubnetView]) -> Option<&subnet::SubnetView> {
    views
        .iter()
        .filter(|v| v.level == subnet::Level::Direct)
        .fold(None, |best: Option<&subnet::SubnetView>, v| match best {
            Some(b) if b.ports.size() >= v.ports.size() => Some(b),
            _ => Some(v),
        })
}

fn finished(mut d: Decision) -> Decision {
    d.gaps.sort();
    d.gaps.dedup();
    d
}
