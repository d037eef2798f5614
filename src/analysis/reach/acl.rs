//! Network ACLs: stateless, numbered entries applied lowest first, the first that matches a packet
//! deciding. Only entries for every address of a family count for "the internet" (an entry for a
//! narrower range matches some senders, not an arbitrary one).

use super::traffic_set::TrafficSet;
use super::{AclMatch, ReturnTraffic};
use crate::network::{AclAction, Family, NetworkAcl, TCP, UDP, WHOLE};

/// The entries of one direction and family that apply to every address, applied in rule order to
/// `traffic`: what they allow, and which entry decided what (the final `*` denies the rest).
pub(super) fn evaluate_acl(
    acl: &NetworkAcl,
    egress: bool,
    family: Family,
    traffic: &TrafficSet,
) -> (TrafficSet, Vec<AclMatch>) {
    let mut entries: Vec<_> = acl
        .entries
        .iter()
        .filter(|e| e.egress == egress && e.cidr.family() == family && e.cidr.is_every_address())
        .collect();
    entries.sort_by_key(|e| e.rule_number);
    let mut remaining = traffic.clone();
    let (mut allowed, mut matches) = (TrafficSet::empty(), Vec::new());
    for e in entries {
        let m = remaining.intersect(&TrafficSet::of(&e.traffic));
        if m.is_empty() {
            continue;
        }
        remaining = remaining.minus(&m);
        if e.action == AclAction::Allow {
            allowed.add(&m);
        }
        matches.push(AclMatch {
            rule: Some(e.rule_number),
            action: e.action,
            traffic: m,
            family,
            egress,
        });
    }
    if !remaining.is_empty() {
        matches.push(AclMatch {
            rule: None,
            action: AclAction::Deny,
            traffic: remaining,
            family,
            egress,
        });
    }
    (allowed, matches)
}

/// Replies (ephemeral ports 1024-65535) of the reachable TCP and UDP traffic that the outbound entries do
/// not let out in full.
pub(super) fn return_traffic(
    acl: &NetworkAcl,
    family: Family,
    reachable: &TrafficSet,
) -> Vec<ReturnTraffic> {
    let mut out = Vec::new();
    for protocol in [TCP, UDP] {
        if !reachable.protocols().contains(&protocol) {
            continue;
        }
        let ephemeral = TrafficSet::ports(protocol, 1024, WHOLE);
        let (allowed, matches) = evaluate_acl(acl, true, family, &ephemeral);
        if allowed != ephemeral {
            out.push(ReturnTraffic {
                acl: acl.id.clone(),
                family,
                protocol,
                allowed,
                denied_by: matches
                    .into_iter()
                    .filter(|m| m.action == AclAction::Deny)
                    .collect(),
            });
        }
    }
    out
}
