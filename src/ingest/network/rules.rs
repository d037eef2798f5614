//! Security groups and network ACLs: the two kinds of rule list between the internet and a task.
//!
//! Security groups write the protocol as a name or `-1` with `FromPort`/`ToPort` (for ICMP: type and
//! code; absent for `-1`); network ACLs write it as a number with `PortRange {From, To}` and
//! `IcmpTypeCode {Type, Code}`. Both read into one [`Traffic`]. ICMP is read by message type: a rule for
//! one code of a type counts for the whole type.

use super::{absorb_within, cidr_at, elements, finish, id_of, open, place_of, NetworkRecordError};
use crate::ingest::fields::{FieldError, Fields};
use crate::ingest::problem::Flags;
use crate::network::{
    AclAction, AclEntry, Cidr, Family, IngressRule, NetworkAcl, Place, Protocol, RangeMeaning,
    ResourceKind, SecurityGroup, Traffic,
};
use serde_json::Value;

/// One element of `aws ec2 describe-security-groups` `SecurityGroups[]` (or an `AWS::EC2::SecurityGroup`
/// configuration). Only inbound rules are kept: security groups are stateful.
pub fn security_group(
    v: &Value,
    place: &Place,
) -> Result<(SecurityGroup, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::SecurityGroup)?;
    let mut f = Fields::of(record.value());
    let id = id_of(&mut f, "GroupId", ResourceKind::SecurityGroup)?;
    let mut notes = Vec::new();
    let (account, region) = place_of(
        &mut f,
        place,
        Some("OwnerId"),
        Some("SecurityGroupArn"),
        &mut notes,
        &id,
    );
    let name = f.string(&["GroupName"]);
    let vpc = f.string(&["VpcId"]);
    let mut ingress = Vec::new();
    for (path, item) in elements(&mut f, "IpPermissions") {
        let mut e = Fields::of(item);
        if let Some(rule) = ingress_rule(&mut e) {
            ingress.push(rule);
        }
        absorb_within(&mut f, &path, e);
    }
    let (unreadable, flags) = finish(f, &record, notes, &id);
    let group = SecurityGroup {
        id,
        name,
        vpc,
        account,
        region,
        ingress,
        unreadable,
    };
    Ok((group, flags))
}

/// A protocol field; flagged when absent or not a protocol.
fn protocol_at(e: &mut Fields<'_>, key: &'static str) -> Option<Protocol> {
    let Some(text) = e.str(&[key]) else {
        e.flag(FieldError::Missing {
            field: key.to_string(),
            what: "protocol",
        });
        return None;
    };
    let p = Protocol::parse(text);
    if p.is_none() {
        e.flag(FieldError::Invalid {
            field: key.to_string(),
            value: text.to_string(),
            expected: "a protocol (-1, tcp, udp, icmp, icmpv6 or a number 0-255)",
        });
    }
    p
}

/// A port (0-65535) or ICMP type; flagged when out of range.
fn bound(e: &mut Fields<'_>, key: &str, value: i64) -> Option<u16> {
    let b = u16::try_from(value).ok();
    if b.is_none() {
        e.flag(FieldError::Invalid {
            field: key.to_string(),
            value: value.to_string(),
            expected: "a port or type from 0 to 65535, or -1 for all",
        });
    }
    b
}

/// The traffic of a rule from its protocol and its two bounds (ports, or ICMP type first). A negative
/// bound is the API's `-1`: all of them.
fn traffic(
    e: &mut Fields<'_>,
    protocol: Protocol,
    bounds: (&str, Option<i64>),
    upper: (&str, Option<i64>),
) -> Option<Traffic> {
    match protocol.ranges() {
        RangeMeaning::None => Some(Traffic::whole(protocol)),
        RangeMeaning::Types => match bounds.1 {
            None => Some(Traffic::whole(protocol)),
            Some(t) if t < 0 => Some(Traffic::whole(protocol)),
            Some(t) => bound(e, bounds.0, t).map(|t| Traffic::range(protocol, t, t)),
        },
        RangeMeaning::Ports => match (bounds.1, upper.1) {
            (Some(a), Some(b)) if a < 0 && b < 0 => Some(Traffic::whole(protocol)),
            (Some(a), Some(b)) => {
                let (from, to) = (bound(e, bounds.0, a)?, bound(e, upper.0, b)?);
                if from > to {
                    e.flag(FieldError::Invalid {
                        field: bounds.0.to_string(),
                        value: format!("{from}-{to}"),
                        expected: "a port range whose start is not above its end",
                    });
                    return None;
                }
                Some(Traffic::range(protocol, from, to))
            }
            _ => {
                e.flag(FieldError::Missing {
                    field: bounds.0.to_string(),
                    what: "port range (both ends)",
                });
                None
            }
        },
    }
}

/// Ranges of one family from `key[]`: objects with `field`, or bare CIDR strings (AWS Config's `ipRanges`).
fn ranges(e: &mut Fields<'_>, key: &str, field: &'static str, out: &mut Vec<Cidr>) {
    for (path, item) in elements(e, key) {
        if let Value::String(text) = item {
            match Cidr::parse(text) {
                Some(c) => out.push(c),
                None => e.flag(FieldError::Invalid {
                    field: path.to_string(),
                    value: text.clone(),
                    expected: "an address range (CIDR)",
                }),
            }
            continue;
        }
        let mut r = Fields::of(item);
        out.extend(cidr_at(&mut r, field, true));
        absorb_within(e, &path, r);
    }
}

/// Ids from `key[].field` (prefix lists, referenced groups); an element without one is flagged.
fn ids(e: &mut Fields<'_>, key: &str, field: &'static str, what: &'static str) -> Vec<String> {
    let mut out = Vec::new();
    for (path, item) in elements(e, key) {
        let mut r = Fields::of(item);
        match r.string(&[field]) {
            Some(id) => out.push(id),
            None if r.problems().is_empty() => r.flag(FieldError::Missing {
                field: field.to_string(),
                what,
            }),
            None => {}
        }
        absorb_within(e, &path, r);
    }
    out.sort();
    out.dedup();
    out
}

/// One inbound permission; `None` (flagged) when its protocol or ports cannot be read.
fn ingress_rule(e: &mut Fields<'_>) -> Option<IngressRule> {
    let protocol = protocol_at(e, "IpProtocol");
    let from = e.i64(&["FromPort"]);
    let to = e.i64(&["ToPort"]);
    let mut cidrs = Vec::new();
    ranges(e, "IpRanges", "CidrIp", &mut cidrs);
    ranges(e, "Ipv4Ranges", "CidrIp", &mut cidrs);
    ranges(e, "Ipv6Ranges", "CidrIpv6", &mut cidrs);
    cidrs.sort();
    cidrs.dedup();
    let (ipv4, ipv6) = cidrs.into_iter().partition(|c| c.family() == Family::Ipv4);
    let prefix_lists = ids(e, "PrefixListIds", "PrefixListId", "prefix list id");
    let groups = ids(e, "UserIdGroupPairs", "GroupId", "group id");
    let traffic = traffic(e, protocol?, ("FromPort", from), ("ToPort", to))?;
    Some(IngressRule {
        traffic,
        ipv4,
        ipv6,
        prefix_lists,
        groups,
    })
}

/// One element of `aws ec2 describe-network-acls` `NetworkAcls[]` (or an `AWS::EC2::NetworkAcl`
/// configuration).
pub fn network_acl(v: &Value, place: &Place) -> Result<(NetworkAcl, Flags), NetworkRecordError> {
    let record = open(v, ResourceKind::NetworkAcl)?;
    let mut f = Fields::of(record.value());
    let id = id_of(&mut f, "NetworkAclId", ResourceKind::NetworkAcl)?;
    let mut notes = Vec::new();
    let (account, region) = place_of(&mut f, place, Some("OwnerId"), None, &mut notes, &id);
    let vpc = f.string(&["VpcId"]);
    let is_default = f.bool(&["IsDefault"]).unwrap_or(false);
    let subnets = ids(&mut f, "Associations", "SubnetId", "subnet id");
    let mut entries = Vec::new();
    for (path, item) in elements(&mut f, "Entries") {
        let mut e = Fields::of(item);
        if let Some(entry) = acl_entry(&mut e) {
            entries.push(entry);
        }
        absorb_within(&mut f, &path, e);
    }
    let (unreadable, flags) = finish(f, &record, notes, &id);
    let acl = NetworkAcl {
        id,
        vpc,
        account,
        region,
        is_default,
        subnets,
        entries,
        unreadable,
    };
    Ok((acl, flags))
}

/// One numbered entry; `None` (flagged) when any part that decides what it matches cannot be read.
fn acl_entry(e: &mut Fields<'_>) -> Option<AclEntry> {
    let rule_number = match e.i64(&["RuleNumber"]) {
        Some(n) => bound(e, "RuleNumber", n),
        None => {
            e.flag(FieldError::Missing {
                field: "RuleNumber".to_string(),
                what: "rule number",
            });
            None
        }
    };
    let before = e.problems().len();
    let egress = e.bool(&["Egress"]);
    if egress.is_none() && e.problems().len() == before {
        e.flag(FieldError::Missing {
            field: "Egress".to_string(),
            what: "direction (Egress true or false)",
        });
    }
    let action = match e.str(&["RuleAction"]) {
        Some(t) if t.eq_ignore_ascii_case("allow") => Some(AclAction::Allow),
        Some(t) if t.eq_ignore_ascii_case("deny") => Some(AclAction::Deny),
        other => {
            e.flag(FieldError::Invalid {
                field: "RuleAction".to_string(),
                value: other.unwrap_or_default().to_string(),
                expected: "allow or deny",
            });
            None
        }
    };
    let cidr = match cidr_at(e, "CidrBlock", false) {
        Some(c) => Some(c),
        None => cidr_at(e, "Ipv6CidrBlock", true),
    };
    let protocol = protocol_at(e, "Protocol")?;
    let (first, last) = match protocol.ranges() {
        RangeMeaning::Types => (
            ("IcmpTypeCode.Type", e.i64(&["IcmpTypeCode", "Type"])),
            ("IcmpTypeCode.Code", e.i64(&["IcmpTypeCode", "Code"])),
        ),
        _ => (
            ("PortRange.From", e.i64(&["PortRange", "From"])),
            ("PortRange.To", e.i64(&["PortRange", "To"])),
        ),
    };
    let traffic = traffic(e, protocol, first, last)?;
    Some(AclEntry {
        rule_number: rule_number?,
        egress: egress?,
        action: action?,
        traffic,
        cidr: cidr?,
    })
}
