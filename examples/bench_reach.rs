//! What reachability adds to a run at organisation scale (issue 15: "10,000 task sets with 50,000
//! subnets/route tables/security groups add less than a second").
//!
//! Generates, in memory and deterministically, the network of 5,000 VPCs in the AWS CLI's shapes: 50,000
//! subnets, 50,000 route tables (one main table per VPC, the rest associated with subnets, half of them to
//! an internet gateway), 50,000 security groups, 5,000 network ACLs, 1,000 load balancers with 2,000
//! listeners and 2,000 target groups; and 10,000 task sets in two subnets each, a third of them behind a
//! load balancer; the outputs are held as the text the CLI prints (four-space indent). Then times, per run:
//! streaming each output's text element by element (as `ingest::stream` does: the list is never built in
//! memory) through `ingest::network` into a `NetworkModel`, and deciding and wording every task set's
//! reachability. Prints each run, the median of the runs, and how many task sets got each value.
//!
//! `cargo run --release --example bench_reach [-- RUNS]` (default 5 runs).
use ecs16_evidence::analysis::reach::{reachability, Reachability, TaskSetNetwork};
use ecs16_evidence::ingest::network as read;
use ecs16_evidence::model::AssignPublicIp;
use ecs16_evidence::network::{NetworkModel, Place, ResourceKind};
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

const ACCOUNT: &str = "111122223333";
const REGION: &str = "eu-west-1";
const VPCS: usize = 5_000;
const PER_VPC: usize = 10;
const TASK_SETS: usize = 10_000;
const LOAD_BALANCERS: usize = 1_000;

fn id(prefix: &str, n: usize) -> String {
    format!("{prefix}-{n:017x}")
}

fn lb_arn(n: usize) -> String {
    format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:loadbalancer/app/lb-{n}/{n:016x}")
}

fn tg_arn(n: usize) -> String {
    format!("arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/tg-{n}/{n:016x}")
}

fn subnets() -> Value {
    let items: Vec<Value> = (0..VPCS * PER_VPC)
        .map(|n| {
            json!({"AvailabilityZone": "eu-west-1a", "CidrBlock": format!("10.{}.{}.0/24", n / 256 % 256, n % 256),
                "DefaultForAz": false, "MapPublicIpOnLaunch": false, "State": "available",
                "SubnetId": id("subnet", n), "VpcId": id("vpc", n / PER_VPC), "OwnerId": ACCOUNT,
                "AssignIpv6AddressOnCreation": false,
                "Ipv6CidrBlockAssociationSet": if n % 7 == 0 {
                    json!([{"AssociationId": id("subnet-cidr-assoc", n), "Ipv6CidrBlock": "2a05:d018:1c2:4a01::/64",
                        "Ipv6CidrBlockState": {"State": "associated"}}])
                } else { json!([]) },
                "Tags": [{"Key": "Name", "Value": format!("subnet {n}")}],
                "SubnetArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{}", id("subnet", n))})
        })
        .collect();
    json!({ "Subnets": items })
}

fn route(dest: &str, key: &str, target: String) -> Value {
    let dest_key = if dest.contains(':') {
        "DestinationIpv6CidrBlock"
    } else {
        "DestinationCidrBlock"
    };
    json!({dest_key: dest, key: target, "Origin": "CreateRoute", "State": "active"})
}

/// Table `n` of each VPC's ten: the first is the main table (local only); the others are associated with
/// subnets 1-9 of the VPC, odd ones routed to the internet gateway, even ones to a NAT gateway.
fn route_tables() -> Value {
    let items: Vec<Value> = (0..VPCS * PER_VPC)
        .map(|n| {
            let vpc = n / PER_VPC;
            let local = json!({"DestinationCidrBlock": "10.0.0.0/8", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"});
            let (association, routes) = if n % PER_VPC == 0 {
                (json!({"Main": true, "RouteTableAssociationId": id("rtbassoc", n), "RouteTableId": id("rtb", n)}), vec![local])
            } else if n % 2 == 1 {
                let assoc = json!({"Main": false, "RouteTableAssociationId": id("rtbassoc", n), "RouteTableId": id("rtb", n), "SubnetId": id("subnet", n)});
                (assoc, vec![local, route("0.0.0.0/0", "GatewayId", id("igw", vpc)), route("::/0", "GatewayId", id("igw", vpc))])
            } else {
                let assoc = json!({"Main": false, "RouteTableAssociationId": id("rtbassoc", n), "RouteTableId": id("rtb", n), "SubnetId": id("subnet", n)});
                (assoc, vec![local, route("0.0.0.0/0", "NatGatewayId", id("nat", vpc))])
            };
            json!({"Associations": [association], "PropagatingVgws": [], "RouteTableId": id("rtb", n),
                "Routes": routes, "Tags": [], "VpcId": id("vpc", vpc), "OwnerId": ACCOUNT})
        })
        .collect();
    json!({ "RouteTables": items })
}

fn permission(port: u16, cidr: Option<&str>, group: Option<String>) -> Value {
    json!({"FromPort": port, "IpProtocol": "tcp",
        "IpRanges": cidr.map_or(json!([]), |c| json!([{"CidrIp": c}])), "Ipv6Ranges": [], "PrefixListIds": [],
        "ToPort": port,
        "UserIdGroupPairs": group.map_or(json!([]), |g| json!([{"GroupId": g, "UserId": ACCOUNT}]))})
}

/// Group `n`: a third admit tcp/443 from anywhere, a third tcp/8080 from another group, a third an office
/// range; load balancer groups (the last 1,000) admit 443 and 80 from anywhere.
fn security_groups() -> Value {
    let items: Vec<Value> = (0..VPCS * PER_VPC)
        .map(|n| {
            let rules = match n % 3 {
                _ if n >= VPCS * PER_VPC - LOAD_BALANCERS => vec![permission(443, Some("0.0.0.0/0"), None), permission(80, Some("0.0.0.0/0"), None)],
                0 => vec![permission(443, Some("0.0.0.0/0"), None)],
                1 => vec![permission(8080, None, Some(id("sg", n + 1)))],
                _ => vec![permission(22, Some("203.0.113.0/24"), None)],
            };
            json!({"Description": "bench", "GroupName": format!("group-{n}"), "IpPermissions": rules,
                "OwnerId": ACCOUNT, "GroupId": id("sg", n), "IpPermissionsEgress": [], "Tags": [],
                "VpcId": id("vpc", n / PER_VPC)})
        })
        .collect();
    json!({ "SecurityGroups": items })
}

fn network_acls() -> Value {
    let entry = |n: u16, egress: bool, cidr: &str, action: &str| {
        let key = if cidr.contains(':') {
            "Ipv6CidrBlock"
        } else {
            "CidrBlock"
        };
        json!({key: cidr, "Egress": egress, "Protocol": "-1", "RuleAction": action, "RuleNumber": n})
    };
    let items: Vec<Value> = (0..VPCS)
        .map(|v| {
            let entries: Vec<Value> = [true, false]
                .iter()
                .flat_map(|&e| {
                    [entry(100, e, "0.0.0.0/0", "allow"), entry(101, e, "::/0", "allow"),
                     entry(32767, e, "0.0.0.0/0", "deny"), entry(32768, e, "::/0", "deny")]
                })
                .collect();
            let associations: Vec<Value> = (0..PER_VPC)
                .map(|s| json!({"NetworkAclAssociationId": id("aclassoc", v * PER_VPC + s), "NetworkAclId": id("acl", v), "SubnetId": id("subnet", v * PER_VPC + s)}))
                .collect();
            json!({"Associations": associations, "Entries": entries, "IsDefault": true, "NetworkAclId": id("acl", v),
                "Tags": [], "VpcId": id("vpc", v), "OwnerId": ACCOUNT})
        })
        .collect();
    json!({ "NetworkAcls": items })
}

fn load_balancers() -> (Value, Value, Value) {
    let lbs: Vec<Value> = (0..LOAD_BALANCERS)
        .map(|n| {
            json!({"Type": "application", "Scheme": if n % 2 == 0 { "internet-facing" } else { "internal" },
                "IpAddressType": "ipv4", "VpcId": id("vpc", (VPCS * PER_VPC - LOAD_BALANCERS + n) / PER_VPC), "AvailabilityZones": [{"ZoneName": "eu-west-1a", "SubnetId": id("subnet", n * PER_VPC + 1)}],
                "SecurityGroups": [id("sg", VPCS * PER_VPC - LOAD_BALANCERS + n)], "LoadBalancerName": format!("lb-{n}"),
                "State": {"Code": "active"}, "LoadBalancerArn": lb_arn(n)})
        })
        .collect();
    let tgs: Vec<Value> = (0..2 * LOAD_BALANCERS)
        .map(|n| {
            json!({"TargetGroupArn": tg_arn(n), "TargetGroupName": format!("tg-{n}"), "Protocol": "HTTP", "Port": 8080,
                "VpcId": id("vpc", n / 2), "LoadBalancerArns": [lb_arn(n / 2)], "TargetType": "ip"})
        })
        .collect();
    let listeners: Vec<Value> = (0..2 * LOAD_BALANCERS)
        .map(|n| {
            let (port, protocol) = if n % 2 == 0 { (443, "HTTPS") } else { (80, "HTTP") };
            json!({"Port": port, "Protocol": protocol, "DefaultActions": [{"TargetGroupArn": tg_arn(n), "Type": "forward"}],
                "LoadBalancerArn": lb_arn(n / 2), "ListenerArn": format!("{}/{n:016x}", lb_arn(n / 2).replace(":loadbalancer/", ":listener/"))})
        })
        .collect();
    (
        json!({ "LoadBalancers": lbs }),
        json!({ "TargetGroups": tgs }),
        json!({ "Listeners": listeners }),
    )
}

/// Task set `n`: two subnets of VPC `n / 2` (one of them routed to the internet gateway, except for every
/// fifth task set, and one of them not described for every 97th),
/// that VPC's groups, ENABLED for half of them, and a target group for every third.
fn task_sets() -> Vec<TaskSetNetwork> {
    (0..TASK_SETS)
        .map(|n| {
            let vpc = n / 2;
            let first = vpc * PER_VPC + 2 + (n % 2) * 2;
            let subnets = match n {
                // Both subnets private (NAT), or one that no output describes.
                _ if n % 5 == 0 => vec![
                    id("subnet", vpc * PER_VPC + 2),
                    id("subnet", vpc * PER_VPC + 4),
                ],
                _ if n % 97 == 0 => vec![id("subnet", first), id("subnet", 10_000_000 + n)],
                _ => vec![id("subnet", first), id("subnet", first + 1 + (n % 2) * 2)],
            };
            TaskSetNetwork {
                account: ACCOUNT.to_string(),
                region: REGION.to_string(),
                subnets,
                security_groups: vec![id("sg", vpc * PER_VPC + n % 3), id("sg", vpc * PER_VPC + 3)],
                assign_public_ip: Some(if n % 4 < 2 {
                    AssignPublicIp::Enabled
                } else {
                    AssignPublicIp::Disabled
                }),
                target_groups: if n % 3 == 0 {
                    vec![tg_arn(n % (2 * LOAD_BALANCERS))]
                } else {
                    Vec::new()
                },
                classic_load_balancers: Vec::new(),
            }
        })
        .collect()
}

/// Reads one element into the model, as ingest will.
fn read_element(model: &mut NetworkModel, kind: ResourceKind, e: &Value, place: &Place) {
    match kind {
        ResourceKind::Subnet => model.insert_subnet(read::subnet(e, place).expect("readable").0),
        ResourceKind::RouteTable => {
            model.insert_route_table(read::route_table(e, place).expect("readable").0)
        }
        ResourceKind::SecurityGroup => {
            model.insert_security_group(read::security_group(e, place).expect("readable").0)
        }
        ResourceKind::NetworkAcl => {
            model.insert_network_acl(read::network_acl(e, place).expect("readable").0)
        }
        ResourceKind::LoadBalancer => {
            model.insert_load_balancer(read::load_balancer(e, place).expect("readable").0)
        }
        ResourceKind::TargetGroup => {
            model.insert_target_group(read::target_group(e, place).expect("readable").0)
        }
        _ => model.insert_listener(read::listener(e, place).expect("readable").0),
    }
}

/// Streams one output, as `ingest::stream` does with `taskSets`: the list is never built in memory, each
/// element is parsed into a `Value`, read into the model and dropped.
struct Output<'m> {
    model: &'m mut NetworkModel,
    place: &'m Place,
    /// Parse only: the floor any reader of these files pays.
    parse_only: bool,
}

impl<'de> DeserializeSeed<'de> for Output<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Output<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an EC2 or ELBv2 describe output")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let kind = match key.as_str() {
                "Subnets" => ResourceKind::Subnet,
                "RouteTables" => ResourceKind::RouteTable,
                "SecurityGroups" => ResourceKind::SecurityGroup,
                "NetworkAcls" => ResourceKind::NetworkAcl,
                "LoadBalancers" => ResourceKind::LoadBalancer,
                "TargetGroups" => ResourceKind::TargetGroup,
                _ => ResourceKind::Listener,
            };
            self.model.note_described(kind, self.place.clone());
            map.next_value_seed(Elements {
                model: &mut *self.model,
                place: self.place,
                kind,
                parse_only: self.parse_only,
            })?;
        }
        Ok(())
    }
}

struct Elements<'m> {
    model: &'m mut NetworkModel,
    place: &'m Place,
    kind: ResourceKind,
    parse_only: bool,
}

impl<'de> DeserializeSeed<'de> for Elements<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Elements<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(e) = seq.next_element::<Value>()? {
            if !self.parse_only {
                read_element(self.model, self.kind, &e, self.place);
            }
        }
        Ok(())
    }
}

/// Wall time and, where Linux says it, the CPU time of this thread (`/proc/thread-self/schedstat`): on a
/// shared machine the wall time includes waiting for a core, the CPU time does not.
#[derive(Clone, Copy)]
struct Clock {
    wall: Instant,
    cpu: Option<Duration>,
}

impl Clock {
    fn now() -> Clock {
        let cpu = std::fs::read_to_string("/proc/thread-self/schedstat")
            .ok()
            .and_then(|t| t.split_whitespace().next()?.parse().ok())
            .map(Duration::from_nanos);
        Clock {
            wall: Instant::now(),
            cpu,
        }
    }

    /// Wall and CPU time from `earlier` to `self`.
    fn since(self, earlier: Clock) -> Span {
        Span {
            wall: self.wall - earlier.wall,
            cpu: self.cpu.zip(earlier.cpu).map(|(a, b)| a.saturating_sub(b)),
        }
    }
}

#[derive(Clone, Copy)]
struct Span {
    wall: Duration,
    cpu: Option<Duration>,
}

impl Span {
    fn plus(self, other: Span) -> Span {
        Span {
            wall: self.wall + other.wall,
            cpu: self.cpu.zip(other.cpu).map(|(a, b)| a + b),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cpu {
            Some(cpu) => write!(f, "{:>6.1} ms ({:>6.1} CPU)", ms(self.wall), ms(cpu)),
            None => write!(f, "{:>6.1} ms", ms(self.wall)),
        }
    }
}

struct Run {
    parse: Span,
    ingest: Span,
    decide: Span,
    counts: BTreeMap<&'static str, usize>,
}

/// Streams every output into `model` (or only parses it).
fn stream(texts: &[Vec<u8>], model: &mut NetworkModel, parse_only: bool) {
    let place = Place::new(Some(ACCOUNT), Some(REGION));
    for text in texts {
        let mut d = serde_json::Deserializer::from_slice(text);
        let output = Output {
            model: &mut *model,
            place: &place,
            parse_only,
        };
        output.deserialize(&mut d).expect("an output");
    }
}

fn run(texts: &[Vec<u8>], task_sets: &[TaskSetNetwork]) -> Run {
    let t0 = Clock::now();
    stream(texts, &mut NetworkModel::default(), true);
    let t1 = Clock::now();
    let mut model = NetworkModel::default();
    stream(texts, &mut model, false);
    let t2 = Clock::now();
    let mut counts = BTreeMap::new();
    for t in task_sets {
        let reach = reachability(&model, t);
        *counts.entry(reach.value.as_str()).or_insert(0) += 1;
    }
    let t3 = Clock::now();
    Run {
        parse: t1.since(t0),
        ingest: t2.since(t1),
        decide: t3.since(t2),
        counts,
    }
}

/// The output as the AWS CLI prints it: four-space indent.
fn cli_text(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    v.serialize(&mut ser).expect("text");
    out.push(b'\n');
    out
}

fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d[d.len() / 2]
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map_or(5, |a| a.parse().expect("a number of runs"));
    let (lbs, tgs, listeners) = load_balancers();
    let outputs = [
        subnets(),
        route_tables(),
        security_groups(),
        network_acls(),
        lbs,
        tgs,
        listeners,
    ];
    let texts: Vec<Vec<u8>> = outputs.iter().map(cli_text).collect();
    drop(outputs);
    let bytes: usize = texts.iter().map(Vec::len).sum();
    let task_sets = task_sets();
    println!("{} task sets; 50,000 subnets, route tables and security groups, {VPCS} network ACLs, {LOAD_BALANCERS} load balancers; {:.1} MB of CLI output",
        task_sets.len(), bytes as f64 / 1e6);
    let mut all = Vec::new();
    for i in 1..=runs {
        let r = run(&texts, &task_sets);
        println!(
            "run {i}: parse+read into the model {}, of which parse {}; decide+words {}; total {}",
            r.ingest,
            r.parse,
            r.decide,
            r.ingest.plus(r.decide)
        );
        all.push(r);
    }
    let med = |f: &dyn Fn(&Run) -> Span| {
        let wall = median(all.iter().map(|r| f(r).wall).collect());
        let cpus: Option<Vec<Duration>> = all.iter().map(|r| f(r).cpu).collect();
        Span {
            wall,
            cpu: cpus.map(median),
        }
    };
    println!(
        "median: parse+read into the model {}, of which parse {}; decide+words {}; total {}",
        med(&|r| r.ingest),
        med(&|r| r.parse),
        med(&|r| r.decide),
        med(&|r| r.ingest.plus(r.decide))
    );
    let counts = &all[0].counts;
    for value in Reachability::ALL {
        println!(
            "  {:<20} {}",
            value.as_str(),
            counts.get(value.as_str()).unwrap_or(&0)
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
