//! The rules of reachability, one row each: a small network built in the AWS CLI's shapes, read through
//! the real readers, and the value and ports it must give. The scenario fixtures (tests.rs) pin the words;
//! this table pins the decision over the combinations that matter: address, route target and state,
//! IPv6 range, security-group sources and protocols, network ACL order and ranges.

use super::*;
use crate::ingest::network as read;
use crate::network::{NetworkModel, Place};
use serde_json::{json, Value};

const SUBNET: &str = "subnet-0aa";
const VPC: &str = "vpc-0aa";

/// A route: destination, target key, target, state (`None`: not stated).
type R = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);
/// A security-group permission: protocol, from port, to port, source (`0.0.0.0/0`, `sg-…`, `pl-…`).
type P = (&'static str, i64, i64, &'static str);
/// A network ACL inbound entry: number, action, protocol, ports, range.
type A = (
    u16,
    &'static str,
    &'static str,
    Option<(u16, u16)>,
    &'static str,
);

struct Row {
    what: &'static str,
    assign: Option<&'static str>,
    routes: &'static [R],
    ipv6_range: bool,
    ingress: &'static [P],
    /// Empty: the default ACL (allow everything from 0.0.0.0/0 and ::/0).
    inbound: &'static [A],
    value: Reachability,
    ports: &'static [&'static str],
}

const IGW: R = ("0.0.0.0/0", "GatewayId", "igw-0aa", Some("active"));
const IGW6: R = ("::/0", "GatewayId", "igw-0aa", Some("active"));
const HTTPS: P = ("tcp", 443, 443, "0.0.0.0/0");
const HTTPS6: P = ("tcp", 443, 443, "::/0");

use Reachability::*;

const ROWS: &[Row] = &[
    Row {
        what: "public address, igw, https from anywhere",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: Direct,
        ports: &["tcp/443"],
    },
    Row {
        what: "the igw route is a blackhole",
        assign: Some("ENABLED"),
        routes: &[("0.0.0.0/0", "GatewayId", "igw-0aa", Some("blackhole"))],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: PublicIpNoRoute,
        ports: &[],
    },
    Row {
        what: "the igw route's state is not stated",
        assign: Some("ENABLED"),
        routes: &[("0.0.0.0/0", "GatewayId", "igw-0aa", None)],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: Unknown,
        ports: &[],
    },
    Row {
        what: "NAT gateway",
        assign: Some("ENABLED"),
        routes: &[("0.0.0.0/0", "NatGatewayId", "nat-0aa", Some("active"))],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: PublicIpNoRoute,
        ports: &[],
    },
    Row {
        what: "transit gateway",
        assign: Some("ENABLED"),
        routes: &[("0.0.0.0/0", "TransitGatewayId", "tgw-0aa", Some("active"))],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: PublicIpNoRoute,
        ports: &[],
    },
    Row {
        what: "peering connection",
        assign: Some("ENABLED"),
        routes: &[(
            "0.0.0.0/0",
            "VpcPeeringConnectionId",
            "pcx-0aa",
            Some("active"),
        )],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: PublicIpNoRoute,
        ports: &[],
    },
    Row {
        what: "network interface (appliance)",
        assign: Some("ENABLED"),
        routes: &[("0.0.0.0/0", "NetworkInterfaceId", "eni-0aa", Some("active"))],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: PublicIpNoRoute,
        ports: &[],
    },
    Row {
        what: "no default route at all",
        assign: Some("ENABLED"),
        routes: &[],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: PublicIpNoRoute,
        ports: &[],
    },
    Row {
        what: "a narrower route to the igw is not the internet",
        assign: Some("ENABLED"),
        routes: &[("203.0.113.0/24", "GatewayId", "igw-0aa", Some("active"))],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: PublicIpNoRoute,
        ports: &[],
    },
    Row {
        what: "no public address in a public subnet",
        assign: Some("DISABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: Private,
        ports: &[],
    },
    Row {
        what: "the office range only",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[("tcp", 443, 443, "203.0.113.0/24")],
        inbound: &[],
        value: PublicIpFiltered,
        ports: &[],
    },
    Row {
        what: "another group only",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[("tcp", 443, 443, "sg-0bb")],
        inbound: &[],
        value: PublicIpFiltered,
        ports: &[],
    },
    Row {
        what: "every protocol from anywhere",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[("-1", -1, -1, "0.0.0.0/0")],
        inbound: &[],
        value: Direct,
        ports: &["all"],
    },
    Row {
        what: "udp and icmp",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[("udp", 53, 53, "0.0.0.0/0"), ("icmp", 8, -1, "0.0.0.0/0")],
        inbound: &[],
        value: Direct,
        ports: &["icmp/8", "udp/53"],
    },
    Row {
        what: "a port range",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[("tcp", 8000, 8100, "0.0.0.0/0"), HTTPS],
        inbound: &[],
        value: Direct,
        ports: &["tcp/443", "tcp/8000-8100"],
    },
    Row {
        what: "IPv6 range and ::/0 to the igw, whatever assignPublicIp",
        assign: Some("DISABLED"),
        routes: &[IGW6],
        ipv6_range: true,
        ingress: &[HTTPS6],
        inbound: &[],
        value: Direct,
        ports: &["tcp/443"],
    },
    Row {
        what: "IPv6 through an egress-only gateway",
        assign: Some("DISABLED"),
        routes: &[(
            "::/0",
            "EgressOnlyInternetGatewayId",
            "eigw-0aa",
            Some("active"),
        )],
        ipv6_range: true,
        ingress: &[HTTPS6],
        inbound: &[],
        value: Private,
        ports: &[],
    },
    Row {
        what: "IPv6 route but the group admits IPv4 only",
        assign: Some("DISABLED"),
        routes: &[IGW6],
        ipv6_range: true,
        ingress: &[HTTPS],
        inbound: &[],
        value: PublicIpFiltered,
        ports: &[],
    },
    Row {
        what: "::/0 to the igw without an IPv6 range",
        assign: Some("ENABLED"),
        routes: &[
            ("0.0.0.0/0", "NatGatewayId", "nat-0aa", Some("active")),
            IGW6,
        ],
        ipv6_range: false,
        ingress: &[HTTPS6],
        inbound: &[],
        value: PublicIpNoRoute,
        ports: &[],
    },
    Row {
        what: "both families, ports of each",
        assign: Some("ENABLED"),
        routes: &[IGW, IGW6],
        ipv6_range: true,
        ingress: &[HTTPS, ("tcp", 8443, 8443, "::/0")],
        inbound: &[],
        value: Direct,
        ports: &["tcp/443", "tcp/8443"],
    },
    Row {
        what: "the ACL denies one port before allowing all",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[("tcp", 0, 65535, "0.0.0.0/0")],
        inbound: &[
            (90, "deny", "6", Some((22, 22)), "0.0.0.0/0"),
            (100, "allow", "-1", None, "0.0.0.0/0"),
        ],
        value: Direct,
        ports: &["tcp/0-21", "tcp/23-65535"],
    },
    Row {
        what: "the ACL allows after denying everything",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[
            (100, "deny", "-1", None, "0.0.0.0/0"),
            (110, "allow", "-1", None, "0.0.0.0/0"),
        ],
        value: PublicIpFiltered,
        ports: &[],
    },
    Row {
        what: "the ACL allows the office range only",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[(100, "allow", "-1", None, "203.0.113.0/24")],
        value: PublicIpFiltered,
        ports: &[],
    },
    Row {
        what: "the ACL denies the office range first (the rest of the internet still passes)",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[
            (90, "deny", "-1", None, "203.0.113.0/24"),
            (100, "allow", "-1", None, "0.0.0.0/0"),
        ],
        value: Direct,
        ports: &["tcp/443"],
    },
    Row {
        what: "the ACL allows one port the group does not",
        assign: Some("ENABLED"),
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[(100, "allow", "6", Some((80, 80)), "0.0.0.0/0")],
        value: PublicIpFiltered,
        ports: &[],
    },
    Row {
        what: "IPv6 filtered, but the IPv4 route's state is not stated",
        assign: Some("ENABLED"),
        routes: &[("0.0.0.0/0", "GatewayId", "igw-0aa", None), IGW6],
        ipv6_range: true,
        ingress: &[HTTPS],
        inbound: &[],
        value: Unknown,
        ports: &[],
    },
    Row {
        what: "IPv6 open, and the IPv4 route's state is not stated",
        assign: Some("ENABLED"),
        routes: &[("0.0.0.0/0", "GatewayId", "igw-0aa", None), IGW6],
        ipv6_range: true,
        ingress: &[HTTPS6],
        inbound: &[],
        value: Direct,
        ports: &["tcp/443"],
    },
    Row {
        what: "no awsvpc configuration",
        assign: None,
        routes: &[IGW],
        ipv6_range: false,
        ingress: &[HTTPS],
        inbound: &[],
        value: Unknown,
        ports: &[],
    },
];

fn routes(rs: &[R]) -> Vec<Value> {
    let mut out = vec![
        json!({"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}),
    ];
    for (dest, key, target, state) in rs {
        let dest_key = if dest.contains(':') {
            "DestinationIpv6CidrBlock"
        } else {
            "DestinationCidrBlock"
        };
        let mut r = json!({dest_key: dest, *key: target, "Origin": "CreateRoute"});
        if let Some(s) = state {
            r["State"] = json!(s);
        }
        out.push(r);
    }
    out
}

fn permission((proto, from, to, source): &P) -> Value {
    let mut p = json!({"IpProtocol": proto, "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []});
    if *proto != "-1" {
        p["FromPort"] = json!(from);
        p["ToPort"] = json!(to);
    }
    match source {
        s if s.starts_with("sg-") => {
            p["UserIdGroupPairs"] = json!([{"GroupId": s, "UserId": "111122223333"}])
        }
        s if s.starts_with("pl-") => p["PrefixListIds"] = json!([{"PrefixListId": s}]),
        s if s.contains(':') => p["Ipv6Ranges"] = json!([{"CidrIpv6": s}]),
        s => p["IpRanges"] = json!([{"CidrIp": s}]),
    }
    p
}

fn entry((n, action, proto, ports, cidr): &A, egress: bool) -> Value {
    let range_key = if cidr.contains(':') {
        "Ipv6CidrBlock"
    } else {
        "CidrBlock"
    };
    let mut e = json!({range_key: cidr, "Egress": egress, "Protocol": proto, "RuleAction": action, "RuleNumber": n});
    if let Some((from, to)) = ports {
        e["PortRange"] = json!({"From": from, "To": to});
    }
    e
}

fn network(row: &Row) -> (NetworkModel, TaskSetNetwork) {
    let place = Place::new(Some("111122223333"), Some("eu-west-1"));
    let mut subnet = json!({"SubnetId": SUBNET, "VpcId": VPC, "CidrBlock": "10.0.1.0/24", "Ipv6CidrBlockAssociationSet": []});
    if row.ipv6_range {
        subnet["Ipv6CidrBlockAssociationSet"] = json!([{"Ipv6CidrBlock": "2001:db8:1::/64", "Ipv6CidrBlockState": {"State": "associated"}}]);
    }
    let table = json!({"RouteTableId": "rtb-0aa", "VpcId": VPC, "Routes": routes(row.routes),
        "Associations": [{"Main": false, "SubnetId": SUBNET, "RouteTableId": "rtb-0aa"}]});
    let group = json!({"GroupId": "sg-0aa", "VpcId": VPC,
        "IpPermissions": row.ingress.iter().map(permission).collect::<Vec<_>>()});
    let mut entries: Vec<Value> = if row.inbound.is_empty() {
        vec![
            entry(&(100, "allow", "-1", None, "0.0.0.0/0"), false),
            entry(&(101, "allow", "-1", None, "::/0"), false),
        ]
    } else {
        row.inbound.iter().map(|a| entry(a, false)).collect()
    };
    entries.push(entry(&(100, "allow", "-1", None, "0.0.0.0/0"), true));
    entries.push(entry(&(101, "allow", "-1", None, "::/0"), true));
    let acl = json!({"NetworkAclId": "acl-0aa", "VpcId": VPC, "IsDefault": true,
        "Associations": [{"SubnetId": SUBNET}], "Entries": entries});
    let mut m = NetworkModel::default();
    m.insert_subnet(read::subnet(&subnet, &place).unwrap().0);
    m.insert_route_table(read::route_table(&table, &place).unwrap().0);
    m.insert_security_group(read::security_group(&group, &place).unwrap().0);
    m.insert_network_acl(read::network_acl(&acl, &place).unwrap().0);
    let task_set = TaskSetNetwork {
        account: "111122223333".to_string(),
        region: "eu-west-1".to_string(),
        subnets: vec![SUBNET.to_string()],
        security_groups: vec!["sg-0aa".to_string()],
        assign_public_ip: row.assign.map(crate::model::AssignPublicIp::parse),
        target_groups: Vec::new(),
        classic_load_balancers: Vec::new(),
    };
    (m, task_set)
}

#[test]
fn every_rule_has_its_value_and_ports() {
    let mut whats: Vec<&str> = ROWS.iter().map(|r| r.what).collect();
    whats.sort_unstable();
    whats.dedup();
    assert_eq!(whats.len(), ROWS.len(), "each row says a different thing");
    for row in ROWS {
        let (model, task_set) = network(row);
        let r = reachability(&model, &task_set);
        assert_eq!(r.value, row.value, "{}: {r:#?}", row.what);
        assert_eq!(r.reachable_ports, row.ports, "{}", row.what);
        assert_eq!(r.reason.is_some(), row.value == Unknown, "{}", row.what);
    }
    for value in Reachability::ALL {
        let shown = ROWS.iter().any(|r| r.value == value) || value == ViaLoadBalancer;
        assert!(
            shown,
            "{} has a row (VIA_LOAD_BALANCER: in tests.rs)",
            value.as_str()
        );
    }
}
