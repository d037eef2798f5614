//! Reachability scenario by scenario, from the fixtures in tests/fixtures/network/<scenario>/ (written by
//! scripts/make_network_fixtures.py in the AWS CLI's exact shapes), read through the real readers.

use super::*;
use crate::ingest::{ecs, network as read};
use crate::model::Origin;
use crate::network::{NetworkModel, Place, ResourceKind};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "json") {
            out.push(p);
        }
    }
}

thread_local! {
    /// What the readers flagged while a scenario was read.
    static FLAGGED: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The value a reader returned; what it flagged is kept in `FLAGGED`.
fn clean<T>(read: Result<(T, crate::ingest::problem::Flags), read::NetworkRecordError>) -> T {
    let (value, flags) = read.unwrap();
    FLAGGED.with(|f| {
        f.borrow_mut().extend(
            flags
                .unreadable
                .iter()
                .map(ToString::to_string)
                .chain(flags.notes),
        )
    });
    value
}

/// Reads one output into the model (or the task set), by the list it holds.
fn read_output(
    v: &Value,
    place: &Place,
    stem: &str,
    m: &mut NetworkModel,
) -> Option<TaskSetNetwork> {
    let items = |key: &str| v[key].as_array().cloned().unwrap_or_default();
    let kind = |key: &str| match key {
        "Subnets" => ResourceKind::Subnet,
        "RouteTables" => ResourceKind::RouteTable,
        "SecurityGroups" => ResourceKind::SecurityGroup,
        "NetworkAcls" => ResourceKind::NetworkAcl,
        "PrefixLists" => ResourceKind::PrefixList,
        "LoadBalancers" => ResourceKind::LoadBalancer,
        "TargetGroups" => ResourceKind::TargetGroup,
        _ => ResourceKind::Listener,
    };
    let key = v.as_object().unwrap().keys().next().unwrap().clone();
    if key == "taskSets" || key == "failures" {
        let parsed = crate::ingest::record::parse(&items("taskSets")[0].to_string()).unwrap();
        let t = ecs::task_set(
            &parsed,
            Origin {
                input: 0,
                record: 1,
            },
        )
        .unwrap();
        return Some(TaskSetNetwork::of(&t));
    }
    if key == "Entries" {
        let pl = stem.trim_start_matches("get-managed-prefix-list-entries-");
        m.note_prefix_list_entries_given(pl);
        for e in items("Entries") {
            m.insert_prefix_list_entry(clean(read::prefix_list_entry(&e, pl)));
        }
        return None;
    }
    m.note_described(kind(&key), place.clone());
    for e in items(&key) {
        match key.as_str() {
            "Subnets" => m.insert_subnet(clean(read::subnet(&e, place))),
            "RouteTables" => m.insert_route_table(clean(read::route_table(&e, place))),
            "SecurityGroups" => m.insert_security_group(clean(read::security_group(&e, place))),
            "NetworkAcls" => m.insert_network_acl(clean(read::network_acl(&e, place))),
            "PrefixLists" => m.insert_prefix_list(clean(read::prefix_list(&e, place))),
            "LoadBalancers" => m.insert_load_balancer(clean(read::load_balancer(&e, place))),
            "TargetGroups" => m.insert_target_group(clean(read::target_group(&e, place))),
            "Listeners" => m.insert_listener(clean(read::listener(&e, place))),
            other => panic!("unexpected output {other}"),
        }
    }
    None
}

/// The network model and the task set of one scenario. The account and region of each output are the
/// folders `scripts/collect-inventory.sh` writes it under (`<account>/<region>/ec2/…`).
fn scenario(name: &str) -> (NetworkModel, TaskSetNetwork) {
    FLAGGED.with(|f| f.borrow_mut().clear());
    let read = scenario_patched(name, &|_, _| true);
    let flagged = FLAGGED.with(|f| f.borrow().clone());
    assert!(
        flagged.is_empty(),
        "{name}: the fixtures are clean: {flagged:?}"
    );
    read
}

/// A scenario with its outputs changed first: `patch` gets each file's stem and value, and returns
/// false to leave the output out.
fn scenario_patched(
    name: &str,
    patch: &dyn Fn(&str, &mut Value) -> bool,
) -> (NetworkModel, TaskSetNetwork) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/network")
        .join(name);
    let mut all = Vec::new();
    files(&root, &mut all);
    all.sort();
    let (mut model, mut task_set) = (NetworkModel::default(), None);
    for path in all {
        let rel: Vec<String> = path
            .strip_prefix(&root)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let place = Place::new(Some(&rel[0]), Some(&rel[1]));
        let text = std::fs::read_to_string(&path).unwrap();
        let mut v: Value = serde_json::from_str(&text).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if !patch(&stem, &mut v) {
            continue;
        }
        if let Some(t) = read_output(&v, &place, &stem, &mut model) {
            task_set = Some(t);
        }
    }
    (model, task_set.expect("a describe-task-sets dump"))
}

fn reach_of(name: &str) -> Reach {
    let (model, task_set) = scenario(name);
    reachability(&model, &task_set)
}

/// One scenario and what the report must say of it.
struct Case {
    scenario: &'static str,
    value: Reachability,
    ports: &'static [&'static str],
    path: &'static str,
    /// The reason (`UNKNOWN`) or a note, when one must be given.
    says: Option<&'static str>,
}

const CASES: &[Case] = &[
    Case {
        scenario: "ipv6-only-public",
        value: Reachability::Direct,
        ports: &["tcp/443"],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60021 (::/0) → subnet-0a1b2c3d4e5f60011 (IPv6 2a05:d018:1c2:4a01::/64) → acl-0a1b2c3d4e5f60031 rule 101 allows tcp/443 from ::/0 → sg-0a1b2c3d4e5f60041 tcp/443 from ::/0 → task set",
        says: None,
    },
    Case {
        scenario: "prefix-list-entries-given",
        value: Reachability::Direct,
        ports: &["tcp/443"],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60021 (0.0.0.0/0) → subnet-0a1b2c3d4e5f60011 → acl-0a1b2c3d4e5f60031 rule 100 allows tcp/443 from 0.0.0.0/0 → sg-0a1b2c3d4e5f60041 tcp/443 from pl-0a1b2c3d4e5f60051 (holds 0.0.0.0/0) → task set",
        says: None,
    },
    Case {
        scenario: "prefix-list-entries-not-given",
        value: Reachability::Unknown,
        ports: &[],
        path: "",
        says: Some("sg-0a1b2c3d4e5f60041 admits tcp/443 from prefix list pl-0a1b2c3d4e5f60051, whose entries no input gives (give `aws ec2 get-managed-prefix-list-entries --prefix-list-id pl-0a1b2c3d4e5f60051` output)"),
    },
    Case {
        scenario: "prefix-list-without-the-internet",
        value: Reachability::PublicIpFiltered,
        ports: &[],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60021 (0.0.0.0/0) → subnet-0a1b2c3d4e5f60011 → acl-0a1b2c3d4e5f60031 rule 100 allows all from 0.0.0.0/0 → sg-0a1b2c3d4e5f60041 admits nothing from the internet (only tcp/443 from pl-0a1b2c3d4e5f60051) [blocked] → task set",
        says: None,
    },
    Case {
        scenario: "nacl-deny-before-allow",
        value: Reachability::Direct,
        ports: &["tcp/443"],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60021 (0.0.0.0/0) → subnet-0a1b2c3d4e5f60011 → acl-0a1b2c3d4e5f60031 rule 90 denies tcp/22 from 0.0.0.0/0; rule 100 allows tcp/443 from 0.0.0.0/0 → sg-0a1b2c3d4e5f60041 tcp/22 from 0.0.0.0/0, tcp/443 from 0.0.0.0/0 → task set",
        says: None,
    },
    Case {
        scenario: "nacl-denies-everything",
        value: Reachability::PublicIpFiltered,
        ports: &[],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60021 (0.0.0.0/0) → subnet-0a1b2c3d4e5f60011 → acl-0a1b2c3d4e5f60031 rule 50 denies tcp/443 from 0.0.0.0/0 [blocked] → sg-0a1b2c3d4e5f60041 tcp/443 from 0.0.0.0/0 → task set",
        says: None,
    },
    Case {
        scenario: "nacl-blocks-replies",
        value: Reachability::Direct,
        ports: &["tcp/443"],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60021 (0.0.0.0/0) → subnet-0a1b2c3d4e5f60011 → acl-0a1b2c3d4e5f60031 rule 100 allows tcp/443 from 0.0.0.0/0 → sg-0a1b2c3d4e5f60041 tcp/443 from 0.0.0.0/0 → task set",
        says: Some("acl-0a1b2c3d4e5f60031: return traffic blocked: its outbound entries let tcp replies to 0.0.0.0/0 use none of the ephemeral ports 1024-65535 (rule 32767 denies tcp/1024-65535 to 0.0.0.0/0)"),
    },
    Case {
        scenario: "main-table-fallback",
        value: Reachability::Direct,
        ports: &["tcp/443"],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60020 (0.0.0.0/0) → subnet-0a1b2c3d4e5f60011 → acl-0a1b2c3d4e5f60031 rule 100 allows tcp/443 from 0.0.0.0/0 → sg-0a1b2c3d4e5f60041 tcp/443 from 0.0.0.0/0 → task set",
        says: None,
    },
    Case {
        scenario: "two-subnets-one-public",
        value: Reachability::Direct,
        ports: &["tcp/443"],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60021 (0.0.0.0/0) → subnet-0a1b2c3d4e5f60011 → acl-0a1b2c3d4e5f60031 rule 100 allows tcp/443 from 0.0.0.0/0 → sg-0a1b2c3d4e5f60041 tcp/443 from 0.0.0.0/0 → task set",
        says: Some("decided on subnet-0a1b2c3d4e5f60011, the most exposed of the task set's 2 subnets"),
    },
    Case {
        scenario: "alb-in-front-of-private-task-set",
        value: Reachability::ViaLoadBalancer,
        ports: &["tcp/80", "tcp/443"],
        path: "internet → sg-0a1b2c3d4e5f60042 tcp/80 from 0.0.0.0/0, tcp/443 from 0.0.0.0/0 → card-api-public (internet-facing application) → listeners HTTPS 443, HTTP 80 → target group card-api-blue → task set",
        says: None,
    },
    Case {
        scenario: "internal-alb-private-task-set",
        value: Reachability::Private,
        ports: &[],
        path: "internet → rtb-0a1b2c3d4e5f60022 (no route from an internet gateway: 0.0.0.0/0 → nat-0a1b2c3d4e5f60001 (NAT gateway)) [blocked] → subnet-0a1b2c3d4e5f60012 → task set",
        says: None,
    },
    Case {
        scenario: "public-ip-no-route-nat-only",
        value: Reachability::PublicIpNoRoute,
        ports: &[],
        path: "internet → rtb-0a1b2c3d4e5f60022 (no route from an internet gateway: 0.0.0.0/0 → nat-0a1b2c3d4e5f60001 (NAT gateway)) [blocked] → subnet-0a1b2c3d4e5f60012 → task set",
        says: None,
    },
    Case {
        scenario: "public-ip-filtered-group-source-only",
        value: Reachability::PublicIpFiltered,
        ports: &[],
        path: "internet → igw-0a1b2c3d4e5f60001 → rtb-0a1b2c3d4e5f60021 (0.0.0.0/0) → subnet-0a1b2c3d4e5f60011 → acl-0a1b2c3d4e5f60031 rule 100 allows all from 0.0.0.0/0 → sg-0a1b2c3d4e5f60041 admits nothing from the internet (only tcp/8080 from sg-0a1b2c3d4e5f60042) [blocked] → task set",
        says: None,
    },
    Case {
        scenario: "private",
        value: Reachability::Private,
        ports: &[],
        path: "internet → rtb-0a1b2c3d4e5f60022 (no route from an internet gateway: 0.0.0.0/0 → nat-0a1b2c3d4e5f60001 (NAT gateway)) [blocked] → subnet-0a1b2c3d4e5f60012 → task set",
        says: None,
    },
    Case {
        scenario: "missing-subnet",
        value: Reachability::Unknown,
        ports: &[],
        path: "",
        says: Some("subnet subnet-0a1b2c3d4e5f60011 is not among the subnets described for 111122223333 eu-west-1: deleted since, or the output was filtered"),
    },
    Case {
        scenario: "missing-security-groups",
        value: Reachability::Unknown,
        ports: &[],
        path: "",
        says: Some("no input describes security group sg-0a1b2c3d4e5f60041 (give `aws ec2 describe-security-groups` output for 111122223333 eu-west-1)"),
    },
    Case {
        scenario: "route-table-of-another-vpc",
        value: Reachability::Unknown,
        ports: &[],
        path: "",
        says: Some("route table rtb-0a1b2c3d4e5f60021 belongs to vpc-0a1b2c3d4e5f60099, but subnet-0a1b2c3d4e5f60011 is in vpc-0a1b2c3d4e5f60001: the inputs contradict each other"),
    },
];

fn scenario_names() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/network");
    let mut names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            e.path()
                .is_dir()
                .then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_scenario_gives_its_value_ports_path_and_words() {
    let mut tested: Vec<&str> = CASES.iter().map(|c| c.scenario).collect();
    tested.sort_unstable();
    assert_eq!(tested, scenario_names(), "one case per fixture folder");
    for c in CASES {
        let r = reach_of(c.scenario);
        let name = c.scenario;
        assert_eq!(r.value, c.value, "{name}: {r:#?}");
        assert_eq!(r.reachable_ports, c.ports, "{name}");
        assert_eq!(r.path_words, c.path, "{name}");
        assert_eq!(
            r.reason.is_some(),
            c.value == Reachability::Unknown,
            "{name}"
        );
        if let Some(text) = c.says {
            let said = r.reason.iter().chain(&r.notes).any(|t| t == text);
            assert!(
                said,
                "{name}: {text:?} not in {:?} / {:?}",
                r.reason, r.notes
            );
        }
    }
}

#[test]
fn steps_carry_kind_rule_and_block_for_the_diagram() {
    let r = reach_of("nacl-denies-everything");
    let kinds: Vec<&str> = r.path.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "internet",
            "internet gateway",
            "route table",
            "subnet",
            "network ACL",
            "security group",
            "task set"
        ]
    );
    let blocked: Vec<&str> = r
        .path
        .iter()
        .filter(|s| s.blocked)
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(blocked, ["acl-0a1b2c3d4e5f60031"]);
    assert_eq!(
        r.path[4].rule.as_deref(),
        Some("rule 50 denies tcp/443 from 0.0.0.0/0")
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["value"], "PUBLIC_IP_FILTERED");
    assert_eq!(json["path"][4]["kind"], "network_acl");
}

#[test]
fn the_answer_does_not_depend_on_the_order_inputs_are_read_in() {
    for name in scenario_names() {
        let (forward, task_set) = scenario(&name);
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/network")
            .join(&name);
        let mut all = Vec::new();
        files(&root, &mut all);
        all.sort();
        all.reverse();
        let mut backward = NetworkModel::default();
        for path in all {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let place = Place::new(Some("111122223333"), Some("eu-west-1"));
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            read_output(&v, &place, &stem, &mut backward);
        }
        assert_eq!(
            reachability(&forward, &task_set),
            reachability(&backward, &task_set),
            "{name}"
        );
    }
}

#[test]
fn values_in_the_report_vocabulary() {
    let words: Vec<&str> = Reachability::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        words,
        [
            "DIRECT",
            "VIA_LOAD_BALANCER",
            "PUBLIC_IP_NO_ROUTE",
            "PUBLIC_IP_FILTERED",
            "PRIVATE",
            "UNKNOWN"
        ]
    );
}

const ALB: &str = "alb-in-front-of-private-task-set";

#[test]
fn network_load_balancer_without_security_groups_opens_its_listeners() {
    let (model, task_set) = scenario_patched(ALB, &|stem, v| {
        if stem == "describe-load-balancers" {
            v["LoadBalancers"][0]["Type"] = "network".into();
            v["LoadBalancers"][0]["SecurityGroups"] = serde_json::json!([]);
        }
        if stem.starts_with("describe-listeners") {
            for l in v["Listeners"].as_array_mut().unwrap() {
                l["Protocol"] = "TCP".into();
            }
        }
        true
    });
    let r = reachability(&model, &task_set);
    assert_eq!(r.value, Reachability::ViaLoadBalancer);
    assert_eq!(r.reachable_ports, ["tcp/80", "tcp/443"]);
    assert_eq!(
        r.path_words,
        "internet → card-api-public (internet-facing network, no security group) → listeners TCP 443, TCP 80 → target group card-api-blue → task set"
    );
}

#[test]
fn a_load_balancer_closed_to_the_internet_is_no_path() {
    let (model, task_set) = scenario_patched(ALB, &|stem, v| {
        if stem == "describe-security-groups" {
            for g in v["SecurityGroups"].as_array_mut().unwrap() {
                for p in g["IpPermissions"].as_array_mut().unwrap() {
                    if !p["IpRanges"].as_array().unwrap().is_empty() {
                        p["IpRanges"] = serde_json::json!([{"CidrIp": "10.0.0.0/8"}]);
                    }
                }
            }
        }
        true
    });
    assert_eq!(reachability(&model, &task_set).value, Reachability::Private);
}

#[test]
fn load_balancer_evidence_missing_is_unknown_with_its_reason() {
    let cases: &[(&str, &str)] = &[
        ("describe-target-groups", "no input describes target group arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/card-api-blue/6e5d4c3b2a190817 (give `aws elbv2 describe-target-groups` output for 111122223333 eu-west-1)"),
        ("describe-load-balancers", "no input describes load balancer arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/card-api-public/5d2c3b4a59687766 (give `aws elbv2 describe-load-balancers` output for 111122223333 eu-west-1)"),
        ("describe-listeners-card-api-public", "no listener of internet-facing load balancer arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/card-api-public/5d2c3b4a59687766 is described (give `aws elbv2 describe-listeners --load-balancer-arn arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/card-api-public/5d2c3b4a59687766` output)"),
    ];
    for (left_out, reason) in cases {
        let (model, task_set) = scenario_patched(ALB, &|stem, _| stem != *left_out);
        let r = reachability(&model, &task_set);
        assert_eq!(r.value, Reachability::Unknown, "{left_out}");
        assert_eq!(r.reason.as_deref(), Some(*reason), "{left_out}");
    }
    let (model, mut task_set) = scenario("private");
    task_set
        .classic_load_balancers
        .push("legacy-web".to_string());
    let r = reachability(&model, &task_set);
    assert_eq!(r.value, Reachability::Unknown);
    assert_eq!(
        r.reason.as_deref(),
        Some("Classic Load Balancer legacy-web is not examined")
    );
}

#[test]
fn evidence_that_cannot_lower_a_proven_exposure_is_a_note() {
    let (model, mut task_set) = scenario("main-table-fallback");
    task_set
        .security_groups
        .push("sg-0ffffffffffffff99".to_string());
    let r = reachability(&model, &task_set);
    assert_eq!(r.value, Reachability::Direct);
    assert_eq!(
        r.notes,
        ["not examined, and could only add to what was found: security group sg-0ffffffffffffff99 is not among the security groups described for 111122223333 eu-west-1: deleted since, or the output was filtered"]
    );
    // The same missing group decides when nothing else opens the subnet.
    let (model, mut task_set) = scenario("public-ip-filtered-group-source-only");
    task_set
        .security_groups
        .push("sg-0ffffffffffffff99".to_string());
    assert_eq!(reachability(&model, &task_set).value, Reachability::Unknown);
}

#[test]
fn contradictions_and_unreadable_fields_are_unknown_with_the_reason() {
    // Two inputs describe the same subnet differently.
    let (mut model, task_set) = scenario("main-table-fallback");
    let mut other = model.subnet("subnet-0a1b2c3d4e5f60011").unwrap().clone();
    other.ipv4_cidr = crate::network::Cidr::parse("10.9.0.0/24");
    model.insert_subnet(other);
    let r = reachability(&model, &task_set);
    assert_eq!(r.value, Reachability::Unknown);
    assert_eq!(
        r.reason.as_deref(),
        Some("two inputs describe subnet subnet-0a1b2c3d4e5f60011 differently")
    );

    // A route that cannot be read may be the one to the internet gateway…
    let unreadable_route = |stem: &str, v: &mut Value| {
        if stem == "describe-route-tables" {
            let routes = v["RouteTables"][2]["Routes"].as_array_mut().unwrap();
            routes.push(serde_json::json!({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": 7}));
        }
        true
    };
    let (model, task_set) = scenario_patched("public-ip-no-route-nat-only", &unreadable_route);
    let r = reachability(&model, &task_set);
    assert_eq!(r.value, Reachability::Unknown);
    assert_eq!(
        r.reason.as_deref(),
        Some("route table rtb-0a1b2c3d4e5f60022 has fields that could not be read (Routes[2].GatewayId): it may say less than it should")
    );
    // …but it cannot close one that is open.
    let (model, task_set) = scenario_patched("nacl-deny-before-allow", &|stem, v| {
        if stem == "describe-route-tables" {
            let routes = v["RouteTables"][1]["Routes"].as_array_mut().unwrap();
            routes.push(serde_json::json!({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": 7}));
        }
        true
    });
    assert_eq!(reachability(&model, &task_set).value, Reachability::Direct);
}

#[test]
fn task_sets_that_say_too_little() {
    let (model, mut task_set) = scenario("private");
    task_set.assign_public_ip = None;
    let r = reachability(&model, &task_set);
    assert_eq!(r.value, Reachability::Unknown);
    assert!(r
        .reason
        .unwrap()
        .starts_with("the task set has no awsvpc network configuration"));

    task_set.assign_public_ip = Some(crate::model::AssignPublicIp::parse("SOMETIMES"));
    let r = reachability(&model, &task_set);
    assert_eq!(
        r.reason.as_deref(),
        Some("assignPublicIp is \"SOMETIMES\", a value this tool does not know")
    );

    let (model, mut task_set) = scenario("private");
    task_set.region = "us-east-1".to_string();
    let r = reachability(&model, &task_set);
    assert_eq!(
        r.reason.as_deref(),
        Some("subnet subnet-0a1b2c3d4e5f60012 is in eu-west-1, the task set in us-east-1: the inputs contradict each other")
    );
}

#[test]
fn a_task_set_without_groups_has_its_vpcs_default_group() {
    let (model, mut task_set) = scenario("main-table-fallback");
    task_set.security_groups.clear();
    let r = reachability(&model, &task_set);
    assert_eq!(r.value, Reachability::Unknown);
    assert_eq!(
        r.reason.as_deref(),
        Some("the task set names no security group, so the default security group of vpc-0a1b2c3d4e5f60001 applies, and no input describes it")
    );
    let (model, mut task_set) = scenario_patched("main-table-fallback", &|stem, v| {
        if stem == "describe-security-groups" {
            v["SecurityGroups"][0]["GroupName"] = "default".into();
        }
        true
    });
    task_set.security_groups.clear();
    let r = reachability(&model, &task_set);
    assert_eq!(r.value, Reachability::Direct);
    assert!(r
        .path_words
        .contains("sg-0a1b2c3d4e5f60041 tcp/443 from 0.0.0.0/0"));
}
