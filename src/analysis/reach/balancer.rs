//! The path through a load balancer: the task set's target groups → their load balancers with
//! `Scheme: internet-facing` → the listeners whose ports the load balancer's own security groups admit
//! from the internet (a network load balancer without security groups admits everything on its
//! listeners). Listener rules are not examined: a listener counts for every target group of its balancer.

use super::evidence::{fetch, unreadable_gap};
use super::groups::admitted;
use super::traffic_set::TrafficSet;
use super::{Evidence, Gap, Hop, StepKind, TaskSetNetwork};
use crate::network::{Family, Listener, LoadBalancer, NetworkModel, Scheme, TargetGroup, TCP, UDP};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Reachable,
    NotReachable,
    Unknown,
}

pub(super) struct BalancerView {
    pub level: Level,
    pub ports: TrafficSet,
    pub hops: Vec<Hop>,
    /// Unknown: what the answer depends on. Reachable: what could only add paths.
    pub gaps: Vec<Gap>,
}

/// The address families a load balancer has public addresses in (`IpAddressType`; the API's default is
/// `ipv4`; a value this tool does not know is read as both, the more exposed reading).
fn families(lb: &LoadBalancer) -> Vec<Family> {
    match lb.ip_address_type.as_deref() {
        None | Some("ipv4") => vec![Family::Ipv4],
        Some("dualstack-without-public-ipv4") => vec![Family::Ipv6],
        _ => vec![Family::Ipv4, Family::Ipv6],
    }
}

/// The traffic a listener accepts, or `None` for a protocol this tool does not know.
fn listened(l: &Listener) -> Option<TrafficSet> {
    let port = l.port?;
    let one = |p| TrafficSet::ports(p, port, port);
    match l.protocol.as_deref()? {
        "HTTP" | "HTTPS" | "TCP" | "TLS" => Some(one(TCP)),
        "UDP" | "GENEVE" => Some(one(UDP)),
        "TCP_UDP" => Some(one(TCP).union(&one(UDP))),
        _ => None,
    }
}

/// The readable name of an ARN-keyed resource: its name when given, else the ARN.
fn label(name: &Option<String>, arn: &str) -> String {
    name.clone().unwrap_or_else(|| arn.to_string())
}

/// What one internet-facing load balancer lets through to the task set.
struct Through {
    ports: TrafficSet,
    hops: Vec<Hop>,
    gaps: Vec<Gap>,
}

fn through_load_balancer(
    model: &NetworkModel,
    task_set: &TaskSetNetwork,
    lb: &LoadBalancer,
    tg: &TargetGroup,
) -> Through {
    let mut t = Through {
        ports: TrafficSet::empty(),
        hops: Vec::new(),
        gaps: Vec::new(),
    };
    t.gaps.extend(unreadable_gap(lb, &lb.arn));
    let families = families(lb);
    let open = lb.kind.as_deref() == Some("network") && lb.security_groups.is_empty();
    let groups = admitted(
        model,
        task_set,
        &lb.security_groups,
        (&label(&lb.name, &lb.arn), lb.vpc.as_deref()),
        &families,
    );
    let (sure, maybe) = if open {
        (TrafficSet::everything(), TrafficSet::empty())
    } else {
        (
            groups.sure[0].union(&groups.sure[1]),
            groups.maybe[0].union(&groups.maybe[1]),
        )
    };
    let listeners = model.listeners_of(&lb.arn);
    if listeners.is_empty() {
        t.gaps.push(Gap::NoListeners {
            load_balancer: lb.arn.clone(),
        });
        return t;
    }
    let mut listener_hops = Vec::new();
    for arn in listeners {
        let l = match fetch(model, task_set, arn, model.listener(arn)) {
            Ok(l) => l,
            Err(gap) => {
                t.gaps.push(gap);
                continue;
            }
        };
        let Some(accepts) = listened(l) else {
            t.gaps.extend(unreadable_gap(l, arn));
            t.gaps.push(Gap::ListenerProtocol {
                listener: arn.clone(),
                protocol: l.protocol.clone(),
            });
            continue;
        };
        let passes = accepts.intersect(&sure);
        if passes.is_empty() {
            if !accepts.intersect(&maybe).is_empty() {
                t.gaps.extend(groups.gaps.iter().cloned());
            }
            continue;
        }
        t.ports.add(&passes);
        let evidence = Evidence::Listens {
            protocol: l.protocol.clone().unwrap_or_default(),
            port: l.port.unwrap_or_default(),
        };
        listener_hops.push(Hop::new(StepKind::Listener, arn, evidence));
    }
    if !t.ports.is_empty() {
        t.hops
            .push(Hop::new(StepKind::Internet, "internet", Evidence::None));
        t.hops
            .extend(groups.hops.into_iter().filter(|h| !h.blocked));
        let facing = Evidence::InternetFacing {
            kind: lb.kind.clone(),
            without_security_groups: open,
        };
        t.hops.push(Hop::new(
            StepKind::LoadBalancer,
            &label(&lb.name, &lb.arn),
            facing,
        ));
        t.hops.extend(listener_hops);
        t.hops.push(Hop::new(
            StepKind::TargetGroup,
            &label(&tg.name, &tg.arn),
            Evidence::None,
        ));
        t.hops
            .push(Hop::new(StepKind::TaskSet, "task set", Evidence::None));
    }
    t
}

/// Examines every load balancer in front of the task set.
pub(super) fn examine(model: &NetworkModel, task_set: &TaskSetNetwork) -> BalancerView {
    let mut view = BalancerView {
        level: Level::NotReachable,
        ports: TrafficSet::empty(),
        hops: Vec::new(),
        gaps: Vec::new(),
    };
    for name in super::sorted_unique(&task_set.classic_load_balancers) {
        view.gaps.push(Gap::ClassicLoadBalancer {
            name: name.to_string(),
        });
    }
    for arn in super::sorted_unique(&task_set.target_groups) {
        let tg = match fetch(model, task_set, arn, model.target_group(arn)) {
            Ok(tg) => tg,
            Err(gap) => {
                view.gaps.push(gap);
                continue;
            }
        };
        view.gaps.extend(unreadable_gap(tg, arn));
        for lb_arn in super::sorted_unique(&tg.load_balancers) {
            let lb = match fetch(model, task_set, lb_arn, model.load_balancer(lb_arn)) {
                Ok(lb) => lb,
                Err(gap) => {
                    view.gaps.push(gap);
                    continue;
                }
            };
            match &lb.scheme {
                Some(Scheme::InternetFacing) => {}
                Some(Scheme::Internal) => continue,
                other => {
                    view.gaps.push(Gap::Scheme {
                        load_balancer: lb_arn.to_string(),
                        scheme: other.as_ref().map(|s| s.as_str().to_string()),
                    });
                    continue;
                }
            }
            let t = through_load_balancer(model, task_set, lb, tg);
            view.gaps.extend(t.gaps);
            if !t.ports.is_empty() && view.hops.is_empty() {
                view.hops = t.hops;
            }
            view.ports.add(&t.ports);
        }
    }
    view.level = match (view.ports.is_empty(), view.gaps.is_empty()) {
        (false, _) => Level::Reachable,
        (true, true) => Level::NotReachable,
        (true, false) => Level::Unknown,
    };
    view
}
