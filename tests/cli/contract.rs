//! The files later tools rely on: their names, columns, codes and schema.

use crate::support::*;

#[test]
fn reconciliation_csv_has_the_contract_columns_and_codes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let path = out.join("data/reconciliation.csv");
    let mut r = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    for col in [
        "task_set_arn",
        "account_id",
        "account_name",
        "region",
        "cluster",
        "service",
        "outcome",
        "securityhub_status",
        "workflow_status",
        "inventory_state",
        "task_set_status",
        "finding_id",
        "last_observed_at",
        "reason",
    ] {
        assert!(header.contains(&col.to_string()), "missing column {col}");
    }
    let rows = csv_rows(&path);
    let arns: Vec<&String> = rows.iter().map(|r| &r["task_set_arn"]).collect();
    let mut sorted = arns.clone();
    sorted.sort();
    assert_eq!(arns, sorted, "rows are sorted by task_set_arn");
    for r in &rows {
        assert!([
            "NON_COMPLIANT",
            "RISK_ACCEPTED",
            "COMPLIANT",
            "CONFLICT",
            "UNASSESSED_EXPOSED",
            "UNASSESSED",
            "GONE"
        ]
        .contains(&r["outcome"].as_str()));
        assert!(["ENABLED", "DISABLED", "MISSING", "NOT_COVERED"]
            .contains(&r["inventory_state"].as_str()));
        assert!(["FAILED", "PASSED", "WARNING", "NOT_AVAILABLE", "NONE"]
            .contains(&r["securityhub_status"].as_str()));
        assert!(!r["reason"].is_empty());
    }
    // Comma-separated with CRLF line ends (RFC 4180).
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("task_set_arn,account_id,"));
    assert!(text.lines().count() == rows.len() + 1 && text.contains("\r\n"));
}

#[test]
fn summary_json_has_the_v1_schema_with_every_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let s = json(&out.join("summary.json"));
    assert_eq!(s["schema"], "ecs16-evidence/summary/v1");
    assert_eq!(s["control"], "ECS.16");
    assert_eq!(s["requirement"], "PCI DSS v4.0.1 1.4.4");
    assert_eq!(s["as_of"], "2026-09-29T21:40:00Z");
    let outcomes = s["outcomes"].as_object().unwrap();
    assert_eq!(outcomes.len(), 7);
    let total: u64 = outcomes.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(s["task_sets_total"], total);
    // Counts are traceable to CSV rows.
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    for (code, n) in outcomes {
        assert_eq!(
            rows.iter().filter(|r| r["outcome"] == *code).count() as u64,
            n.as_u64().unwrap(),
            "{code}"
        );
    }
    let accounts = s["by_account"].as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    assert_eq!(accounts[0]["account_name"], "payments-prod");
    assert_eq!(accounts[0]["outcomes"].as_object().unwrap().len(), 7);
}

#[test]
fn the_pack_holds_the_documented_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let names: Vec<String> = tree(&out).into_keys().collect();
    for f in [
        "index.html",
        "report.md",
        "summary.json",
        "data/reconciliation.csv",
        "data/findings.csv",
        "data/task_sets.csv",
        "data/by_account.csv",
        "data/by_region.csv",
        "data/by_service.csv",
        "data/history.csv",
        "data/exports.csv",
        "data/coverage_gaps.csv",
        "data/inputs.csv",
        "evidence.xlsx",
        "manifest.json",
    ] {
        assert!(names.contains(&f.to_string()), "{f} missing from {names:?}");
    }
}
