//! One purpose-built input per outcome and per inventory state, run through the binary.

use crate::support::build::*;
use crate::support::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Writes the given findings page and dump (if any), builds a pack, and returns the rows by ARN.
fn outcome_of(
    findings: Vec<Value>,
    dump: Option<Value>,
) -> BTreeMap<String, BTreeMap<String, String>> {
    outcome_with(findings, dump, &[])
}

/// [`outcome_of`] with extra options for `report`.
fn outcome_with(
    findings: Vec<Value>,
    dump: Option<Value>,
    extra: &[&str],
) -> BTreeMap<String, BTreeMap<String, String>> {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    // An unrelated finding keeps every case's export non-empty.
    let mut all = findings;
    all.push(finding(
        "S3.1",
        &format!("AWS::::Account:{ACCOUNT}"),
        "FAILED",
        "NEW",
        "ACTIVE",
    ));
    write_json(&input.join("findings.json"), &page(all));
    if let Some(d) = dump {
        write_json(&input.join("dump.json"), &d);
    }
    let out = dir.path().join("pack");
    let mut args = vec!["--as-of", "2026-09-30"];
    args.extend_from_slice(extra);
    report(&[&input], &out, &args);
    csv_rows(&out.join("data/reconciliation.csv"))
        .into_iter()
        .map(|r| (r["task_set_arn"].clone(), r))
        .collect()
}

fn check(rows: &BTreeMap<String, BTreeMap<String, String>>, arn: &str, outcome: &str, state: &str) {
    let r = rows
        .get(arn)
        .unwrap_or_else(|| panic!("no row for {arn}: {rows:#?}"));
    assert_eq!(
        (r["outcome"].as_str(), r["inventory_state"].as_str()),
        (outcome, state),
        "{r:#?}"
    );
}

#[test]
fn non_compliant_enabled() {
    let a = arn("api", 1);
    let rows = outcome_of(
        vec![finding("ECS.16", &a, "FAILED", "NEW", "ACTIVE")],
        Some(task_sets_dump(vec![task_set(&a, Some("ENABLED"))], vec![])),
    );
    check(&rows, &a, "NON_COMPLIANT", "ENABLED");
    assert_eq!(rows.len(), 1, "the S3.1 finding is not a task set");
}

#[test]
fn non_compliant_not_covered() {
    let a = arn("api", 1);
    check(
        &outcome_of(
            vec![finding("ECS.16", &a, "FAILED", "NOTIFIED", "ACTIVE")],
            None,
        ),
        &a,
        "NON_COMPLIANT",
        "NOT_COVERED",
    );
}

#[test]
fn risk_accepted() {
    let a = arn("api", 1);
    let mut f = finding("ECS.16", &a, "FAILED", "SUPPRESSED", "ACTIVE");
    f["Note"] = json!({"Text": "accepted: RISK-1", "UpdatedBy": "arn:aws:iam::111122223333:user/ciso", "UpdatedAt": "2026-09-02T00:00:00Z"});
    let rows = outcome_of(
        vec![f],
        Some(task_sets_dump(vec![task_set(&a, Some("ENABLED"))], vec![])),
    );
    check(&rows, &a, "RISK_ACCEPTED", "ENABLED");
    assert_eq!(rows[&a]["note_text"], "accepted: RISK-1");
    assert_eq!(
        rows[&a]["note_updated_by"],
        "arn:aws:iam::111122223333:user/ciso"
    );
}

#[test]
fn compliant_disabled() {
    let a = arn("api", 1);
    let rows = outcome_of(
        vec![finding("ECS.16", &a, "PASSED", "RESOLVED", "ACTIVE")],
        Some(task_sets_dump(vec![task_set(&a, Some("DISABLED"))], vec![])),
    );
    check(&rows, &a, "COMPLIANT", "DISABLED");
}

#[test]
fn conflict_both_ways() {
    let (a, b) = (arn("api", 1), arn("api", 2));
    let rows = outcome_of(
        vec![
            finding("ECS.16", &a, "FAILED", "NEW", "ACTIVE"),
            finding("ECS.16", &b, "PASSED", "RESOLVED", "ACTIVE"),
        ],
        Some(task_sets_dump(
            vec![
                task_set(&a, Some("DISABLED")),
                task_set(&b, Some("ENABLED")),
            ],
            vec![],
        )),
    );
    check(&rows, &a, "CONFLICT", "DISABLED");
    check(&rows, &b, "CONFLICT", "ENABLED");
}

#[test]
fn unassessed_exposed_and_unassessed() {
    let (a, b, c) = (arn("api", 1), arn("api", 2), arn("api", 3));
    let rows = outcome_of(
        vec![finding("ECS.16", &b, "WARNING", "NEW", "ACTIVE")],
        Some(task_sets_dump(
            vec![
                task_set(&a, Some("ENABLED")),
                task_set(&b, Some("ENABLED")),
                task_set(&c, None),
            ],
            vec![],
        )),
    );
    check(&rows, &a, "UNASSESSED_EXPOSED", "ENABLED");
    check(&rows, &b, "UNASSESSED_EXPOSED", "ENABLED");
    check(&rows, &c, "UNASSESSED", "DISABLED");
    assert_eq!(rows[&c]["assign_public_ip"], "NOT_AWSVPC");
}

#[test]
fn gone_three_ways() {
    let (listed, unlisted, missing) = (arn("api", 1), arn("api", 2), arn("api", 3));
    let archived = arn("other", 4);
    // Only when the user declares the describe-task-sets dumps complete (run without --task-sets) does a
    // task set the dump does not list count as gone.
    let rows = outcome_with(
        vec![
            finding("ECS.16", &unlisted, "FAILED", "NEW", "ACTIVE"),
            finding("ECS.16", &archived, "FAILED", "NEW", "ARCHIVED"),
        ],
        Some(task_sets_dump(
            vec![task_set(&listed, Some("DISABLED"))],
            vec![],
        )),
        &["--complete-dumps"],
    );
    check(&rows, &unlisted, "GONE", "MISSING");
    check(&rows, &archived, "GONE", "NOT_COVERED");
    let rows = outcome_of(
        vec![finding("ECS.16", &missing, "FAILED", "NEW", "ACTIVE")],
        Some(task_sets_dump(
            vec![],
            vec![json!({"arn": missing, "reason": "MISSING"})],
        )),
    );
    check(&rows, &missing, "GONE", "MISSING");
}

#[test]
fn a_filtered_dump_does_not_speak_for_the_whole_service() {
    // With failures, the dump was asked about named task sets only: others of the service stay NOT_COVERED.
    let (named, missing, other) = (arn("api", 1), arn("api", 2), arn("api", 3));
    let rows = outcome_of(
        vec![finding("ECS.16", &other, "FAILED", "NEW", "ACTIVE")],
        Some(task_sets_dump(
            vec![task_set(&named, Some("ENABLED"))],
            vec![json!({"arn": missing, "reason": "MISSING"})],
        )),
    );
    check(&rows, &other, "NON_COMPLIANT", "NOT_COVERED");
    check(&rows, &missing, "GONE", "MISSING");
}

#[test]
fn archived_findings_never_make_a_task_set_current() {
    let a = arn("api", 1);
    let rows = outcome_of(
        vec![finding("ECS.16", &a, "PASSED", "RESOLVED", "ARCHIVED")],
        Some(task_sets_dump(vec![task_set(&a, Some("ENABLED"))], vec![])),
    );
    check(&rows, &a, "UNASSESSED_EXPOSED", "ENABLED");
    assert_eq!(rows[&a]["securityhub_status"], "NONE");
    assert_eq!(rows[&a]["record_state"], "ARCHIVED");
}
