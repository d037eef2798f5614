//! What security groups admit from the internet: per address family, what is sure (a source that is every
//! address, or a prefix list whose given entries hold one) and what might be admitted beyond it (a group
//! or prefix list's entries that no input gives, fields that could not be read).

use super::evidence::{fetch, unreadable_gap};
use super::traffic_set::TrafficSet;
use super::{Evidence, Gap, Hop, Source, StepKind, TaskSetNetwork};
use crate::network::{
    Cidr, Family, NetworkModel, PrefixListEntries, ResourceKind, SecurityGroup, Traffic,
};

/// What the task set's security groups admit from the internet, per family, and what they might admit
/// beyond that (evidence missing).
pub(super) struct Admitted {
    pub sure: [TrafficSet; 2],
    pub maybe: [TrafficSet; 2],
    pub hops: Vec<Hop>,
    pub gaps: Vec<Gap>,
}

pub(super) fn slot(family: Family) -> usize {
    match family {
        Family::Ipv4 => 0,
        Family::Ipv6 => 1,
    }
}

/// Whether a prefix list's entries hold every address of a family: yes, no, or not known.
fn holds_every_address(entries: Option<&PrefixListEntries>, family: Family) -> Option<bool> {
    let entries = entries?;
    let holds = entries
        .cidrs
        .iter()
        .any(|c| c.family() == family && c.is_every_address());
    (holds || entries.unreadable.is_empty()).then_some(holds)
}

/// The security groups `groups` of the resource `beside` (a subnet's task, a load balancer) in `vpc`, as
/// seen from the internet on `families`.
pub(super) fn admitted(
    model: &NetworkModel,
    task_set: &TaskSetNetwork,
    groups: &[String],
    (beside, vpc): (&str, Option<&str>),
    families: &[Family],
) -> Admitted {
    let mut a = Admitted {
        sure: [TrafficSet::empty(), TrafficSet::empty()],
        maybe: [TrafficSet::empty(), TrafficSet::empty()],
        hops: Vec::new(),
        gaps: Vec::new(),
    };
    for id in super::sorted_unique(groups) {
        let group = match fetch(model, task_set, id, model.security_group(id)) {
            Ok(g) => g,
            Err(gap) => {
                a.gaps.push(gap);
                a.maybe = [TrafficSet::everything(), TrafficSet::everything()];
                continue;
            }
        };
        if let (Some(vpc), Some(own)) = (vpc, group.vpc.as_deref()) {
            if own != vpc {
                a.gaps.push(Gap::OtherVpc {
                    kind: ResourceKind::SecurityGroup,
                    id: id.to_string(),
                    vpc: Some(own.to_string()),
                    beside: beside.to_string(),
                    expected: vpc.to_string(),
                });
                a.maybe = [TrafficSet::everything(), TrafficSet::everything()];
                continue;
            }
        }
        if let Some(gap) = unreadable_gap(group, id) {
            a.gaps.push(gap);
            a.maybe = [TrafficSet::everything(), TrafficSet::everything()];
        }
        let (admits, others) = group_rules(model, group, families, &mut a);
        let hop = if admits.is_empty() {
            Hop::new(
                StepKind::SecurityGroup,
                id,
                Evidence::GroupAdmitsNothing(others),
            )
            .blocked(true)
        } else {
            Hop::new(StepKind::SecurityGroup, id, Evidence::GroupAdmits(admits))
        };
        a.hops.push(hop);
    }
    a
}

type Admissions = Vec<(Traffic, Source)>;

/// One group's rules: what they admit from the internet (added to `a`), and from where else.
fn group_rules(
    model: &NetworkModel,
    group: &SecurityGroup,
    families: &[Family],
    a: &mut Admitted,
) -> (Admissions, Admissions) {
    let (mut admits, mut others) = (Vec::new(), Vec::new());
    for rule in &group.ingress {
        let t = TrafficSet::of(&rule.traffic);
        for cidr in rule.ipv4.iter().chain(&rule.ipv6) {
            if cidr.is_every_address() && families.contains(&cidr.family()) {
                a.sure[slot(cidr.family())].add(&t);
                admits.push((rule.traffic, Source::Range(*cidr)));
            } else if !cidr.is_every_address() {
                others.push((rule.traffic, Source::NotInternet(cidr.to_string())));
            }
        }
        for pl in &rule.prefix_lists {
            let entries = model.prefix_list_entries(pl);
            let mut unknown = false;
            for &family in families {
                match holds_every_address(entries, family) {
                    Some(true) => {
                        a.sure[slot(family)].add(&t);
                        let holds = family_every_address(family);
                        admits.push((
                            rule.traffic,
                            Source::PrefixList {
                                id: pl.clone(),
                                holds,
                            },
                        ));
                    }
                    Some(false) => {}
                    None => {
                        a.maybe[slot(family)].add(&t);
                        unknown = true;
                    }
                }
            }
            if unknown {
                a.gaps.push(match entries {
                    None => Gap::PrefixListEntries {
                        group: group.id.clone(),
                        prefix_list: pl.clone(),
                        traffic: rule.traffic,
                    },
                    Some(e) => Gap::Unreadable {
                        kind: ResourceKind::PrefixListEntries,
                        id: pl.clone(),
                        fields: e.unreadable.clone(),
                    },
                });
            } else if !admits
                .iter()
                .any(|(_, s)| matches!(s, Source::PrefixList { id, .. } if id == pl))
            {
                others.push((rule.traffic, Source::NotInternet(pl.clone())));
            }
        }
        for g in &rule.groups {
            others.push((rule.traffic, Source::NotInternet(g.clone())));
        }
    }
    admits.sort();
    admits.dedup();
    others.sort();
    others.dedup();
    (admits, others)
}

fn family_every_address(family: Family) -> Cidr {
    match family {
        Family::Ipv4 => Cidr::V4(std::net::Ipv4Addr::UNSPECIFIED, 0),
        Family::Ipv6 => Cidr::V6(std::net::Ipv6Addr::UNSPECIFIED, 0),
    }
}
