//! The verdict on 1.4.4, one pack per status from purpose-built inputs: summary.json's verdict and its
//! counts, the first line of report.md, and `--fail-on verdict:…`. Scope and register files that cannot be
//! used stop the run with `PATH:LINE` and exit 2. (The HTML's first screen: tests/cli/browser.rs.)

use crate::support::build::*;
use crate::support::*;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const SCOPE_HEADER: &str = "account_id,region,cluster,service,scope,data_flow_ref";
const REGISTER_HEADER: &str = "task_set_arn,justification,approver,ticket,expires,basis,reference";

/// One purpose-built case: the card-api task set's finding and dump, the scope file and the register.
#[derive(Clone)]
pub struct Case {
    pub name: &'static str,
    pub status: &'static str,
    finding: Option<(&'static str, &'static str)>,
    assign_public_ip: Option<&'static str>,
    scope: &'static str,
    register: Option<String>,
    /// A second task set (web) with a PASSED finding and no dump: its service has no inventory.
    uncovered_sibling: bool,
    /// Counts `summary.json`'s verdict must hold.
    counts: &'static [(&'static str, u64)],
}

fn register_line(basis: &str, reference: &str, expires: &str) -> String {
    format!(
        "{REGISTER_HEADER}\n{},Behind a WAF-only path,J. Rivera (CISO),SEC-1,{expires},{basis},{reference}\n",
        arn("card-api", 1)
    )
}

pub fn cases() -> Vec<Case> {
    let exposed = Case {
        name: "not-in-place",
        status: "NOT_IN_PLACE",
        finding: Some(("FAILED", "NEW")),
        assign_public_ip: Some("ENABLED"),
        scope: "cde",
        register: None,
        uncovered_sibling: false,
        counts: &[("in_scope", 1), ("exposed_without_exception", 1)],
    };
    vec![
        exposed.clone(),
        Case {
            name: "not-tested",
            counts: &[
                ("in_scope", 2),
                ("exposed_without_exception", 0),
                ("without_inventory", 1),
            ],
            status: "NOT_TESTED",
            finding: Some(("PASSED", "RESOLVED")),
            assign_public_ip: Some("DISABLED"),
            uncovered_sibling: true,
            ..exposed.clone()
        },
        Case {
            name: "in-place-with-ccw",
            counts: &[
                ("exposed_without_exception", 0),
                ("covered_by_compensating_control", 1),
            ],
            status: "IN_PLACE_WITH_CCW",
            finding: Some(("FAILED", "SUPPRESSED")),
            register: Some(register_line(
                "compensating-control",
                "CCW-2026-014",
                "2027-03-31",
            )),
            ..exposed.clone()
        },
        Case {
            name: "in-place-customized",
            counts: &[
                ("exposed_without_exception", 0),
                ("covered_by_customized_approach", 1),
            ],
            status: "IN_PLACE_CUSTOMIZED",
            finding: Some(("FAILED", "SUPPRESSED")),
            register: Some(register_line(
                "customized-approach",
                "TRA-2026-007",
                "2027-03-31",
            )),
            ..exposed.clone()
        },
        Case {
            name: "in-place",
            counts: &[
                ("in_scope", 1),
                ("exposed_without_exception", 0),
                ("without_inventory", 0),
            ],
            status: "IN_PLACE",
            finding: Some(("PASSED", "RESOLVED")),
            assign_public_ip: Some("DISABLED"),
            ..exposed.clone()
        },
        Case {
            name: "not-applicable",
            counts: &[("in_scope", 0), ("exposed_without_exception", 0)],
            status: "NOT_APPLICABLE",
            scope: "out-of-scope",
            ..exposed.clone()
        },
        // A suppression whose register entry is a remediation plan, or has expired, or is in the old
        // five-column form, is not a PCI DSS exception: the task set stays exposed.
        Case {
            name: "remediation-plan",
            status: "NOT_IN_PLACE",
            finding: Some(("FAILED", "SUPPRESSED")),
            register: Some(register_line("remediation-plan", "PAY-1234", "2027-03-31")),
            ..exposed.clone()
        },
        Case {
            name: "expired-ccw",
            status: "NOT_IN_PLACE",
            finding: Some(("FAILED", "SUPPRESSED")),
            register: Some(register_line("compensating-control", "CCW-1", "2026-09-01")),
            ..exposed.clone()
        },
        Case {
            name: "old-register",
            status: "NOT_IN_PLACE",
            finding: Some(("FAILED", "SUPPRESSED")),
            register: Some(format!(
                "task_set_arn,justification,approver,ticket,expires\n{},j,a,t,2027-03-31\n",
                arn("card-api", 1)
            )),
            ..exposed.clone()
        },
    ]
}

/// Writes the case's inputs under `dir/in`, its scope file and register beside, and builds the pack.
pub fn build_case(c: &Case, dir: &Path, extra: &[&str]) -> PathBuf {
    let input = dir.join("in");
    fs::create_dir_all(&input).unwrap();
    let mut findings = Vec::new();
    if let Some((status, workflow)) = c.finding {
        findings.push(finding(
            "ECS.16",
            &arn("card-api", 1),
            status,
            workflow,
            "ACTIVE",
        ));
    }
    if c.uncovered_sibling {
        findings.push(finding(
            "ECS.16",
            &arn("web", 2),
            "PASSED",
            "RESOLVED",
            "ACTIVE",
        ));
    }
    write_json(&input.join("findings.json"), &page(findings));
    let dump = task_sets_dump(
        vec![task_set(&arn("card-api", 1), c.assign_public_ip)],
        vec![],
    );
    write_json(&input.join("describe-task-sets-card-api.json"), &dump);
    let scope = dir.join("scope.csv");
    fs::write(
        &scope,
        format!(
            "{SCOPE_HEADER}\n{ACCOUNT},{REGION},payments,*,{},DFD-1\n",
            c.scope
        ),
    )
    .unwrap();
    let out = dir.join("pack");
    let mut args: Vec<String> = vec!["--scope".into(), scope.display().to_string()];
    if let Some(text) = &c.register {
        let register = dir.join("register.csv");
        fs::write(&register, text).unwrap();
        args.extend(["--exceptions".into(), register.display().to_string()]);
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    report(&[&input], &out, &args);
    out
}

fn verdict_of(out: &Path) -> Value {
    json(&out.join("summary.json"))["verdict"].clone()
}

#[test]
fn each_status_from_its_own_inputs() {
    let mut wrong = Vec::new();
    for c in cases() {
        let dir = tempfile::tempdir().unwrap();
        let out = build_case(&c, dir.path(), &[]);
        let v = verdict_of(&out);
        let md = fs::read_to_string(out.join("report.md")).unwrap();
        let first = md.lines().next().unwrap_or_default().to_string();
        let code_md = c.status.replace('_', "\\_");
        let counted = c
            .counts
            .iter()
            .all(|(k, n)| v["counts"][k].as_u64() == Some(*n));
        if v["status"] != c.status
            || !counted
            || v["requirement"] != "1.4.4"
            || !first.starts_with("**PCI DSS v4.0.1 requirement 1.4.4: ")
            || !first.contains(&format!("({code_md})"))
        {
            wrong.push(format!(
                "{}: {} {} / {first}",
                c.name, v["status"], v["counts"]
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn what_a_verdict_rests_on_is_counted_and_said() {
    let all = cases();
    let case = |name: &str| all.iter().find(|c| c.name == name).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let v = verdict_of(&build_case(
        case("not-in-place"),
        &dir.path().join("a"),
        &[],
    ));
    assert_eq!(v["counts"]["in_scope"], 1);
    assert_eq!(v["counts"]["exposed_without_exception"], 1);
    let rests: Vec<&str> = v["rests_on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        rests[0].starts_with("1 of the 1 task set seen count for 1.4.4 by the scope file"),
        "{rests:?}"
    );
    assert!(
        rests.iter().any(
            |r| r.starts_with("1 task set that counts for 1.4.4 is exposed")
                && r.contains(&arn("card-api", 1))
        ),
        "{rests:?}"
    );
    let limits: Vec<&str> = v["limits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        limits
            .iter()
            .any(|l| l.contains("no network evidence was given")),
        "{limits:?}"
    );
    assert!(
        limits.iter().any(|l| l.contains("volatile memory")),
        "{limits:?}"
    );

    let v = verdict_of(&build_case(
        case("in-place-with-ccw"),
        &dir.path().join("b"),
        &[],
    ));
    assert_eq!(v["counts"]["covered_by_compensating_control"], 1);
    assert_eq!(v["counts"]["exposed_without_exception"], 0);
    assert!(v["rests_on"].to_string().contains("worksheet CCW-2026-014"));

    let v = verdict_of(&build_case(case("not-tested"), &dir.path().join("c"), &[]));
    assert_eq!(v["counts"]["without_inventory"], 1);
    assert_eq!(v["counts"]["coverage_gaps_in_scope"], 1, "{v}");
    assert!(v["rests_on"]
        .to_string()
        .contains("1 task set has no inventory (NOT_COVERED)"));

    let out = build_case(case("remediation-plan"), &dir.path().join("d"), &[]);
    let exceptions = csv_rows(&out.join("data/exceptions.csv"));
    assert_eq!(exceptions[0]["basis"], "remediation-plan");
    assert_eq!(exceptions[0]["valid_pci_exception"], "false");
    assert!(exceptions[0]["not_valid_because"]
        .contains("a remediation plan leaves the task set exposed"));
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md
        .contains("not a valid PCI DSS exception: a remediation plan leaves the task set exposed"));
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    assert_eq!(rows[0]["scope"], "cde");
}

#[test]
fn fail_on_gates_on_the_verdict() {
    let all = cases();
    let dir = tempfile::tempdir().unwrap();
    let input = |c: &Case, d: &str| {
        let p = dir.path().join(d);
        build_case(c, &p, &[]);
        p
    };
    // Rebuild with the gate, reusing the inputs written above.
    for (c, gate, exit) in [
        (&all[0], "verdict:NOT_IN_PLACE", 1),
        (&all[0], "verdict:NOT_TESTED", 0),
        (&all[1], "verdict:NOT_IN_PLACE,verdict:NOT_TESTED", 1),
        (&all[4], "verdict:NOT_IN_PLACE,verdict:NOT_TESTED", 0),
    ] {
        let d = input(c, &format!("{}-{}", c.name, gate.len()));
        let o = run(&[
            &"report",
            &"-q",
            &d.join("in"),
            &"--scope",
            &d.join("scope.csv"),
            &"--out",
            &d.join("gated"),
            &"--fail-on",
            &gate,
        ]);
        assert_exit(&o, exit);
        if exit == 1 {
            assert!(
                stderr(&o).contains(&format!("verdict {}", c.status)),
                "{}",
                stderr(&o)
            );
        }
    }
}

#[test]
fn without_a_scope_file_everything_is_undeclared_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    write_json(
        &input.join("findings.json"),
        &page(vec![finding(
            "ECS.16",
            &arn("card-api", 1),
            "FAILED",
            "NEW",
            "ACTIVE",
        )]),
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let s = json(&out.join("summary.json"));
    assert_eq!(s["scope"]["counts"]["undeclared"], 1);
    assert_eq!(s["scope"]["file_given"], false);
    assert_eq!(s["verdict"]["status"], "NOT_IN_PLACE");
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("the whole population was treated as in scope"),
        "{md}"
    );
}

#[test]
fn reachability_decides_where_it_is_known() {
    // IPv6-only public subnet: assignPublicIp DISABLED, so the finding would pass, but the internet reaches
    // the task set directly: Not in Place whatever the finding says.
    let dir = tempfile::tempdir().unwrap();
    let src = repo().join("tests/fixtures/network/ipv6-only-public");
    let input = dir.path().join("in");
    copy_tree(&src, &input);
    let dump = fs::read_to_string(
        input.join("111122223333/eu-west-1/ecs/payments/card-api/describe-task-sets.json"),
    )
    .unwrap();
    let task_set: Value = serde_json::from_str(&dump).unwrap();
    let arn = task_set["taskSets"][0]["taskSetArn"]
        .as_str()
        .unwrap()
        .to_string();
    write_json(
        &input.join("findings.json"),
        &page(vec![finding(
            "ECS.16", &arn, "PASSED", "RESOLVED", "ACTIVE",
        )]),
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    assert_eq!(
        (
            rows[0]["outcome"].as_str(),
            rows[0]["reachability"].as_str()
        ),
        ("COMPLIANT", "DIRECT")
    );
    let v = verdict_of(&out);
    assert_eq!(v["status"], "NOT_IN_PLACE", "{v}");
    assert!(v["rests_on"]
        .to_string()
        .contains("reachable directly from the internet"));

    // A public IP in a subnet with no route from an internet gateway fails ECS.16 but is a hardening
    // finding: not by itself Not in Place.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    copy_tree(
        &repo().join("tests/fixtures/network/public-ip-no-route-nat-only"),
        &input,
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let v = verdict_of(&out);
    assert_ne!(v["status"], "NOT_IN_PLACE", "{v}");
    assert_eq!(v["counts"]["hardening_findings"], 1);
    assert!(v["rests_on"].to_string().contains("PUBLIC_IP_NO_ROUTE"));
}

#[test]
fn a_scope_file_that_cannot_be_used_stops_the_run_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    write_json(
        &input.join("findings.json"),
        &page(vec![finding(
            "ECS.16",
            &arn("card-api", 1),
            "FAILED",
            "NEW",
            "ACTIVE",
        )]),
    );
    for (text, says) in [
        (
            format!("{SCOPE_HEADER}\n{ACCOUNT},*,*,*,pci,\n"),
            ":2: scope: \"pci\" is not one of",
        ),
        (
            "account_id,region,cluster,scope\n".to_string(),
            ":1: the header must name the columns",
        ),
        (
            format!(
                "{SCOPE_HEADER}\n{ACCOUNT},*,payments,*,cde,\n{ACCOUNT},*,payments,*,connected,\n"
            ),
            ":3: the same account, region, cluster and service as line 2",
        ),
    ] {
        let scope = dir.path().join("scope.csv");
        fs::write(&scope, text).unwrap();
        let o = run(&[
            &"report",
            &input,
            &"--scope",
            &scope,
            &"--out",
            &dir.path().join("pack"),
        ]);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(err.contains(&format!("{}{says}", scope.display())), "{err}");
        assert_eq!(
            err.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{err}"
        );
        assert!(!dir.path().join("pack").exists());
    }
    let register = dir.path().join("register.csv");
    fs::write(
        &register,
        format!(
            "{REGISTER_HEADER}\n{},j,a,t,2027-01-01,waiver,W-1\n",
            arn("card-api", 1)
        ),
    )
    .unwrap();
    let o = run(&[
        &"report",
        &input,
        &"--exceptions",
        &register,
        &"--out",
        &dir.path().join("pack"),
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains(&format!(
            "{}:2: basis: \"waiver\" is not one of",
            register.display()
        )),
        "{}",
        stderr(&o)
    );
}
