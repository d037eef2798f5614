//! The same scenario expressed in every input shape gives the same reconciliation.
//! Fixtures: tests/fixtures/shapes/<shape>/ (written by scripts/make_shape_fixtures.py).

use crate::support::*;
use std::path::PathBuf;

fn shapes_dir() -> PathBuf {
    repo().join("tests/fixtures/shapes")
}

const PREFIX: &str =
    "arn:aws:ecs:us-west-2:210987654321:task-set/streaming/ingest/ecs-svc/77000000000000000";

/// (task set suffix, outcome, inventory state, Security Hub status, workflow, note, created at to the second)
const EXPECTED: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "01",
        "NON_COMPLIANT",
        "ENABLED",
        "FAILED",
        "NEW",
        "",
        "2026-08-20T12:00:00",
    ),
    (
        "02",
        "RISK_ACCEPTED",
        "ENABLED",
        "FAILED",
        "SUPPRESSED",
        "RISK-77: live-stream ingest keeps a public IP until 2026-12-01",
        "2026-08-20T12:00:00",
    ),
    (
        "03",
        "COMPLIANT",
        "DISABLED",
        "PASSED",
        "RESOLVED",
        "",
        "2026-08-20T12:00:00",
    ),
    ("04", "GONE", "MISSING", "FAILED", "NEW", "", ""),
    (
        "05",
        "UNASSESSED",
        "DISABLED",
        "NOT_AVAILABLE",
        "NEW",
        "",
        "2026-08-20T12:00:00",
    ),
];

#[test]
fn every_shape_reconciles_to_the_same_rows() {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(shapes_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    assert!(folders.len() >= 19, "{} shape folders", folders.len());
    let tmp = tempfile::tempdir().unwrap();
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let out = tmp.path().join(&name);
        // Each dump of these fixtures was taken without --task-sets: it lists its whole service.
        report(
            &[&folder],
            &out,
            &["--as-of", "2026-09-30", "--complete-dumps"],
        );
        let rows = csv_rows(&out.join("data/reconciliation.csv"));
        let got: Vec<(String, String, String, String, String, String, String)> = rows
            .iter()
            .map(|r| {
                (
                    r["task_set_arn"].trim_start_matches(PREFIX).to_string(),
                    r["outcome"].clone(),
                    r["inventory_state"].clone(),
                    r["securityhub_status"].clone(),
                    r["workflow_status"].clone(),
                    r["note_text"].clone(),
                    r["task_set_created_at"].chars().take(19).collect(),
                )
            })
            .collect();
        let want: Vec<_> = EXPECTED
            .iter()
            .map(|e| {
                (
                    e.0.into(),
                    e.1.into(),
                    e.2.into(),
                    e.3.into(),
                    e.4.into(),
                    e.5.into(),
                    e.6.into(),
                )
            })
            .collect();
        assert_eq!(got, want, "shape {name}");
        let inputs = json(&out.join("summary.json"))["inputs"].clone();
        assert_eq!(inputs["rejected"], 0, "shape {name}");
        assert_eq!(inputs["record_problems"], 0, "shape {name}");
    }
}

#[test]
fn inspect_names_each_kind() {
    for (shape, kind) in [
        (
            "asff-get-findings-page",
            "securityhub get-findings page, findings",
        ),
        ("asff-array", "JSON array of findings"),
        ("asff-json-lines", "JSON Lines of findings"),
        ("asff-single-objects", "single finding"),
        (
            "asff-get-findings-page-gzip",
            "securityhub get-findings page, findings (gzip)",
        ),
        ("eventbridge-one-per-file", "EventBridge event"),
        (
            "firehose-concatenated",
            "EventBridge events (JSON Lines / concatenated)",
        ),
        (
            "ocsf-get-findings-v2",
            "securityhub get-findings page, findings (OCSF)",
        ),
        ("inventory-describe-services", "ecs describe-services"),
        ("inventory-cli-v1-epoch", "ecs describe-task-sets"),
    ] {
        let o = run(&[&"inspect", &shapes_dir().join(shape)]);
        assert_exit(&o, 0);
        let text = stdout(&o);
        assert!(
            text.contains(&format!("  {kind}  records")),
            "{shape}: {text}"
        );
        assert!(
            text.lines().last().unwrap().starts_with("total: "),
            "{text}"
        );
    }
}

#[test]
fn inspect_counts_and_totals() {
    let o = run(&[&"inspect", &shapes_dir().join("asff-get-findings-pages")]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.contains("page-1.json  securityhub get-findings page, findings  records 3  ECS.16 findings 2  task sets 0  problems 0"), "{text}");
    assert!(text.contains("describe-task-sets.json  ecs describe-task-sets  records 4  ECS.16 findings 0  task sets 4  problems 0"), "{text}");
    assert!(
        text.ends_with(
            "total: 3 files, 0 rejected; records 11  ECS.16 findings 5  task sets 4  problems 0\n"
        ),
        "{text}"
    );
}

#[test]
fn disagreeing_copies_are_said_in_the_reason_and_listed_in_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pack");
    report(
        &[&shapes_dir().join("consolidated-off")],
        &out,
        &["--as-of", "2026-09-30"],
    );
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    let r = rows
        .iter()
        .find(|r| r["task_set_arn"].ends_with("02"))
        .unwrap();
    assert_eq!(r["copies_disagree"], "true");
    assert_eq!(r["finding_standard"], "pci-dss/v/4.0.1");
    assert!(r["reason"].contains("aws-foundational-security-best-practices/v/1.0.0 FAILED/NEW, pci-dss/v/4.0.1 FAILED/SUPPRESSED"), "{}", r["reason"]);
    assert_eq!(
        rows.iter()
            .filter(|r| r["copies_disagree"] == "true")
            .count(),
        1
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    let section = md
        .split("### Findings that disagree")
        .nth(1)
        .expect("the report lists disagreements");
    assert!(section.contains(r["task_set_arn"].as_str()), "{section}");
}
