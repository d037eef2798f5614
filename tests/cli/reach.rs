//! Reachability end to end: each scenario of tests/fixtures/network (the collector's layout, the CLI's
//! exact shapes) run through `report`, checked in data/reconciliation.csv and summary.json.

use crate::support::*;
use std::path::Path;

/// Scenario, reachability, reachable_ports, a piece of the path or reason.
const SCENARIOS: &[(&str, &str, &str, &str)] = &[
    ("ipv6-only-public", "DIRECT", "tcp/443", "::/0"),
    ("prefix-list-entries-given", "DIRECT", "tcp/443", "pl-"),
    (
        "prefix-list-entries-not-given",
        "UNKNOWN",
        "",
        "prefix list",
    ),
    (
        "prefix-list-without-the-internet",
        "PUBLIC_IP_FILTERED",
        "",
        "",
    ),
    ("nacl-deny-before-allow", "DIRECT", "tcp/443", "acl-"),
    ("nacl-denies-everything", "PUBLIC_IP_FILTERED", "", ""),
    ("nacl-blocks-replies", "DIRECT", "tcp/443", "repl"),
    ("main-table-fallback", "DIRECT", "tcp/443", "rtb-"),
    (
        "two-subnets-one-public",
        "DIRECT",
        "tcp/443",
        "most exposed",
    ),
    (
        "alb-in-front-of-private-task-set",
        "VIA_LOAD_BALANCER",
        "tcp/443",
        "internet-facing",
    ),
    ("internal-alb-private-task-set", "PRIVATE", "", ""),
    ("public-ip-no-route-nat-only", "PUBLIC_IP_NO_ROUTE", "", ""),
    (
        "public-ip-filtered-group-source-only",
        "PUBLIC_IP_FILTERED",
        "",
        "",
    ),
    ("private", "PRIVATE", "", ""),
    ("missing-subnet", "UNKNOWN", "", "subnet"),
    ("missing-security-groups", "UNKNOWN", "", "security group"),
    ("route-table-of-another-vpc", "UNKNOWN", "", "vpc"),
];

fn run_scenario(
    name: &str,
    out: &Path,
) -> (
    std::collections::BTreeMap<String, String>,
    serde_json::Value,
) {
    let dir = repo().join("tests/fixtures/network").join(name);
    report(&[&dir], out, &[]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    assert_eq!(rows.len(), 1, "{name}: one task set");
    (rows[0].clone(), json(&out.join("summary.json")))
}

#[test]
fn every_scenario_gives_its_reachability_ports_and_path_in_the_pack() {
    let tmp = tempfile::tempdir().unwrap();
    let mut wrong = Vec::new();
    for (i, (name, value, ports, said)) in SCENARIOS.iter().enumerate() {
        let (row, summary) = run_scenario(name, &tmp.path().join(format!("p{i}")));
        let words = format!("{} {}", row["path"], row["reachability_reason"]).to_lowercase();
        let ok = row["reachability"] == *value
            && row["reachable_ports"].contains(ports)
            && (ports.is_empty() || !row["reachable_ports"].is_empty())
            && words.contains(&said.to_lowercase())
            && summary["reachability"]["counts"][value] == 1
            && summary["reachability"]["network_evidence_given"] == true
            && (*value != "UNKNOWN" || !row["reachability_reason"].is_empty())
            && (!matches!(*value, "DIRECT" | "VIA_LOAD_BALANCER")
                || row["path"].starts_with("internet → "));
        if !ok {
            wrong.push(format!(
                "{name}: expected {value} {ports:?} {said:?}, got {} {:?} path {:?} reason {:?}",
                row["reachability"],
                row["reachable_ports"],
                row["path"],
                row["reachability_reason"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_html_draws_the_path_and_the_markdown_says_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("p");
    let (row, _) = run_scenario("nacl-deny-before-allow", &out);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    let svg = html
        .split("<svg class=\"path\"")
        .nth(1)
        .expect("a path diagram")
        .split("</svg>")
        .next()
        .unwrap();
    for kind in [
        "internet gateway",
        "route table",
        "subnet",
        "security group",
        "task set",
    ] {
        assert!(svg.contains(&format!(">{kind}<")), "{kind} in {svg}");
    }
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Reachability from the internet"), "{md}");
    assert!(md.contains("`DIRECT`"));
    assert!(row["path"].contains("igw-"), "{row:?}");
}

#[test]
fn without_network_evidence_every_task_set_is_unknown_and_the_report_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("p");
    // The samples without their network/ folder.
    report(
        &[&samples().join("securityhub"), &samples().join("inventory")],
        &out,
        &[],
    );
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    assert!(rows.iter().all(|r| r["reachability"] == "UNKNOWN"));
    assert!(rows
        .iter()
        .all(|r| r["reachability_reason"].contains("network evidence")
            || r["reachability_reason"].contains("no inventory")));
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["reachability"]["network_evidence_given"], false);
    assert_eq!(
        summary["reachability"]["counts"]["UNKNOWN"]
            .as_u64()
            .unwrap() as usize,
        rows.len()
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("No network evidence was given"));
}

#[test]
fn a_prefix_list_entries_file_named_otherwise_is_a_record_problem_not_a_guess() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    let src = repo().join("tests/fixtures/network/prefix-list-entries-given");
    copy_tree(&src, &input);
    let ec2 = input.join("111122223333/eu-west-1/ec2");
    let entries = std::fs::read_dir(&ec2)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.to_string_lossy()
                .contains("get-managed-prefix-list-entries-")
        })
        .unwrap();
    std::fs::rename(&entries, ec2.join("entries.json")).unwrap();
    let out = tmp.path().join("p");
    report(&[&input], &out, &[]);
    let row = &csv_rows(&out.join("data/reconciliation.csv"))[0];
    assert_eq!(row["reachability"], "UNKNOWN", "{row:?}");
    let inputs = csv_rows(&out.join("data/inputs.csv"));
    let listed = inputs
        .iter()
        .find(|i| i["path"].ends_with("entries.json"))
        .unwrap();
    assert!(
        listed["problems"].contains("prefix list is not known"),
        "{listed:?}"
    );
}
