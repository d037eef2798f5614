//! The words of a reachability decision: the path step by step and as one line, the reason for
//! `UNKNOWN`, and the notes. Built from the [`Decision`] after it was made; nothing here decides.

use super::{
    AclMatch, Decision, Evidence, Gap, Hop, PathStep, Reach, ReturnTraffic, Source, StepKind,
};
use crate::network::{number_name, Family, ResourceKind, Route, RouteState, Traffic};

/// The decision in the report's words.
pub fn words(d: &Decision) -> Reach {
    let path: Vec<PathStep> = d.hops.iter().map(step).collect();
    let path_words = path_words(&path);
    let gaps: Vec<String> = d.gaps.iter().map(|g| gap(g, d)).collect();
    let (reason, mut notes) = if d.value == super::Reachability::Unknown {
        (Some(gaps.join("; ")), Vec::new())
    } else {
        let notes = gaps
            .into_iter()
            .map(|g| format!("not examined, and could only add to what was found: {g}"))
            .collect();
        (None, notes)
    };
    if let (Some(subnet), true) = (&d.subnet, d.subnets > 1) {
        notes.insert(
            0,
            format!(
                "decided on {subnet}, the most exposed of the task set's {} subnets",
                d.subnets
            ),
        );
    }
    notes.extend(d.return_traffic.iter().map(replies));
    Reach {
        value: d.value,
        reachable_ports: d.ports.describe(),
        subnet: d.subnet.clone(),
        path,
        path_words,
        reason,
        notes,
    }
}

fn step(h: &Hop) -> PathStep {
    PathStep {
        kind: h.kind,
        id: h.id.clone(),
        rule: rule(&h.evidence),
        blocked: h.blocked,
    }
}

/// The path on one line. Listeners of one load balancer are alternatives, not steps one after the other:
/// they are said together (`listeners HTTPS 443, HTTP 80`).
fn path_words(path: &[PathStep]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut listeners: Vec<String> = Vec::new();
    for s in path {
        if s.kind == StepKind::Listener {
            listeners.extend(s.rule.clone());
            continue;
        }
        if !listeners.is_empty() {
            let noun = if listeners.len() == 1 {
                "listener"
            } else {
                "listeners"
            };
            parts.push(format!("{noun} {}", listeners.join(", ")));
            listeners.clear();
        }
        parts.push(step_words(s));
    }
    parts.join(" → ")
}

/// One step as the path line says it: `rtb-0b2 (0.0.0.0/0)`, `sg-0d4 tcp/443 from 0.0.0.0/0`.
fn step_words(s: &PathStep) -> String {
    let text = match (&s.kind, &s.rule) {
        (StepKind::Internet | StepKind::TaskSet, _) => s.id.clone(),
        (StepKind::TargetGroup, _) => format!("target group {}", s.id),
        (_, None) => s.id.clone(),
        (StepKind::RouteTable | StepKind::Subnet | StepKind::LoadBalancer, Some(r)) => {
            format!("{} ({r})", s.id)
        }
        (_, Some(r)) => format!("{} {r}", s.id),
    };
    if s.blocked {
        format!("{text} [blocked]")
    } else {
        text
    }
}

fn families(fs: &[Family]) -> String {
    fs.iter()
        .map(|f| f.every_address())
        .collect::<Vec<_>>()
        .join(", ")
}

fn source(s: &Source) -> String {
    match s {
        Source::Range(c) => c.to_string(),
        Source::PrefixList { id, holds } => format!("{id} (holds {holds})"),
        Source::NotInternet(text) => text.clone(),
    }
}

fn admissions(list: &[(Traffic, Source)]) -> String {
    list.iter()
        .map(|(t, s)| format!("{t} from {}", source(s)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn route(r: &Route) -> String {
    let blackhole = if r.state == Some(RouteState::Blackhole) {
        ", blackhole"
    } else {
        ""
    };
    format!(
        "{} → {} ({}{blackhole})",
        r.destination,
        r.target.id,
        r.target.kind.as_str()
    )
}

fn acl_match(m: &AclMatch) -> String {
    let rule = m
        .rule
        .map_or_else(|| "rule *".to_string(), |n| format!("rule {n}"));
    let verb = match m.action {
        crate::network::AclAction::Allow => "allows",
        crate::network::AclAction::Deny => "denies",
    };
    format!(
        "{rule} {verb} {} {} {}",
        m.traffic.describe().join(", "),
        if m.egress { "to" } else { "from" },
        m.family.every_address()
    )
}

/// The rule a step rests on, in words.
fn rule(e: &Evidence) -> Option<String> {
    Some(match e {
        Evidence::None => return None,
        Evidence::InternetRoutes(fs) => families(fs),
        Evidence::NoInternetRoute(routes) if routes.is_empty() => {
            "no route for 0.0.0.0/0 or ::/0".to_string()
        }
        Evidence::NoInternetRoute(routes) => format!(
            "no route from an internet gateway: {}",
            routes.iter().map(route).collect::<Vec<_>>().join(", ")
        ),
        Evidence::PublicAddress { ipv4: true, ipv6 } if ipv6.is_empty() => return None,
        Evidence::PublicAddress { ipv4, ipv6 } => {
            let mut parts = Vec::new();
            if *ipv4 {
                parts.push("public IPv4".to_string());
            }
            parts.extend(ipv6.iter().map(|c| format!("IPv6 {c}")));
            parts.join(", ")
        }
        Evidence::NoPublicAddress { ipv6_route: true } => {
            "no public address: assignPublicIp is not ENABLED and the subnet has no IPv6 range"
                .to_string()
        }
        Evidence::NoPublicAddress { ipv6_route: false } => {
            "no public address: assignPublicIp is not ENABLED".to_string()
        }
        Evidence::Acl(ms) => ms.iter().map(acl_match).collect::<Vec<_>>().join("; "),
        Evidence::GroupAdmits(list) => admissions(list),
        Evidence::GroupAdmitsNothing(list) if list.is_empty() => {
            "admits nothing from the internet".to_string()
        }
        Evidence::GroupAdmitsNothing(list) => format!(
            "admits nothing from the internet (only {})",
            admissions(list)
        ),
        Evidence::InternetFacing {
            kind,
            without_security_groups,
        } => {
            let kind = kind.as_deref().map(|k| format!(" {k}")).unwrap_or_default();
            let open = if *without_security_groups {
                ", no security group"
            } else {
                ""
            };
            format!("internet-facing{kind}{open}")
        }
        Evidence::Listens { protocol, port } => format!("{protocol} {port}"),
    })
}

fn kind_plural(kind: ResourceKind) -> String {
    match kind {
        ResourceKind::PrefixListEntries => "prefix list entries".to_string(),
        other => format!("{}s", other.as_str()),
    }
}

/// A gap in words, naming the resource and what to give.
fn gap(g: &Gap, d: &Decision) -> String {
    let place = format!("{} {}", d.account, d.region);
    match g {
        Gap::NotAwsvpc => "the task set has no awsvpc network configuration: its tasks use the network of their container instances, which is not examined".to_string(),
        Gap::UnknownAssignPublicIp(v) => format!("assignPublicIp is {v:?}, a value this tool does not know"),
        Gap::NoSubnets => "the task set names no subnet".to_string(),
        Gap::NotDescribed { kind, id, place_described: true } => format!(
            "{} {id} is not among the {} described for {place}: deleted since, or the output was filtered",
            kind.as_str(),
            kind_plural(*kind)
        ),
        Gap::NotDescribed { kind, id, place_described: false } => format!(
            "no input describes {} {id} (give `{}` output for {place})",
            kind.as_str(),
            kind.command()
        ),
        Gap::Conflicting { kind, id } => format!("two inputs describe {} {id} differently", kind.as_str()),
        Gap::Unreadable { kind, id, fields } => format!(
            "{} {id} has fields that could not be read ({}): it may say less than it should",
            kind.as_str(),
            fields.join(", ")
        ),
        Gap::OtherRegion { kind, id, region } => format!(
            "{} {id} is in {region}, the task set in {}: the inputs contradict each other",
            kind.as_str(),
            d.region
        ),
        Gap::OtherVpc { kind, id, vpc, beside, expected } => format!(
            "{} {id} belongs to {}, but {beside} is in {expected}: the inputs contradict each other",
            kind.as_str(),
            vpc.as_deref().unwrap_or("no stated VPC")
        ),
        Gap::NoVpc { subnet } => format!("subnet {subnet} does not say which VPC it is in"),
        Gap::Several { kind, subnet, ids } => format!(
            "subnet {subnet} is associated with several {} ({}): the inputs contradict each other",
            kind_plural(*kind),
            ids.join(", ")
        ),
        Gap::SeveralDefaults { kind, vpc, ids } => format!(
            "{vpc} has several {} {} ({}): the inputs contradict each other",
            if *kind == ResourceKind::RouteTable { "main" } else { "default" },
            kind_plural(*kind),
            ids.join(", ")
        ),
        Gap::NoDefault { kind, subnet, vpc, place_described } => {
            let which = if *kind == ResourceKind::RouteTable { "main" } else { "default" };
            let give = if *place_described {
                String::new()
            } else {
                format!(" (give `{}` output for {place})", kind.command())
            };
            format!(
                "no {} is associated with subnet {subnet} and no {which} {} of {vpc} is described{give}",
                kind.as_str(),
                kind.as_str()
            )
        }
        Gap::NoDefaultSecurityGroup { vpc, place_described } => {
            let give = if *place_described {
                String::new()
            } else {
                format!(" (give `{}` output for {place})", ResourceKind::SecurityGroup.command())
            };
            format!("the task set names no security group, so the default security group of {vpc} applies, and no input describes it{give}")
        }
        Gap::RouteState { table, family, state } => format!(
            "route table {table}: the {} route to the internet gateway has state {}",
            family.every_address(),
            state.as_deref().map_or("not stated".to_string(), |s| format!("{s:?}"))
        ),
        Gap::PrefixListEntries { group, prefix_list, traffic } => format!(
            "{group} admits {traffic} from prefix list {prefix_list}, whose entries no input gives (give `aws ec2 get-managed-prefix-list-entries --prefix-list-id {prefix_list}` output)"
        ),
        Gap::NoListeners { load_balancer } => format!(
            "no listener of internet-facing load balancer {load_balancer} is described (give `aws elbv2 describe-listeners --load-balancer-arn {load_balancer}` output)"
        ),
        Gap::Scheme { load_balancer, scheme } => format!(
            "load balancer {load_balancer} has scheme {}",
            scheme.as_deref().map_or("not stated".to_string(), |s| format!("{s:?}"))
        ),
        Gap::ListenerProtocol { listener, protocol } => format!(
            "listener {listener} has protocol {}",
            protocol.as_deref().map_or("not stated".to_string(), |p| format!("{p:?}"))
        ),
        Gap::ClassicLoadBalancer { name } => format!("Classic Load Balancer {name} is not examined"),
    }
}

/// A note on replies the network ACL does not let out in full.
fn replies(r: &ReturnTraffic) -> String {
    let protocol = number_name(r.protocol);
    let denied: Vec<String> = r.denied_by.iter().map(acl_match).collect();
    let allowed = if r.allowed.is_empty() {
        "none".to_string()
    } else {
        format!("only {}", r.allowed.describe().join(", "))
    };
    format!(
        "{}: return traffic blocked: its outbound entries let {protocol} replies to {} use {allowed} of the ephemeral ports 1024-65535 ({})",
        r.acl,
        r.family.every_address(),
        denied.join("; ")
    )
}
