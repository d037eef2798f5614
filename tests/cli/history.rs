//! A quarter, not a snapshot: three monthly exports, the timeline of each task set, and the baseline diff.

use crate::support::build::*;
use crate::support::*;
use serde_json::{json, Value};
use std::fs;
use std::path::Path;

fn observed(mut f: Value, first: &str, updated: &str) -> Value {
    f["FirstObservedAt"] = json!(first);
    f["UpdatedAt"] = json!(updated);
    f["LastObservedAt"] = json!(updated);
    // Security Hub stamps the time it processed the finding; that dates the export.
    f["ProcessedAt"] = json!(updated);
    f
}

/// Month 1: A exposed, C compliant. Month 2: A and B exposed. Month 3: A replaced by A2 (A archived),
/// B fixed, C still compliant.
fn three_months(dir: &Path) -> [std::path::PathBuf; 3] {
    let (a, a2, b, c) = (arn("web", 1), arn("web", 2), arn("batch", 3), arn("api", 4));
    let months = [
        (
            "2026-07-31T06:00:00Z",
            vec![
                observed(
                    finding("ECS.16", &a, "FAILED", "NEW", "ACTIVE"),
                    "2026-07-15T00:00:00Z",
                    "2026-07-31T06:00:00Z",
                ),
                observed(
                    finding("ECS.16", &c, "PASSED", "RESOLVED", "ACTIVE"),
                    "2026-06-01T00:00:00Z",
                    "2026-07-31T06:00:00Z",
                ),
            ],
        ),
        (
            "2026-08-31T06:00:00Z",
            vec![
                observed(
                    finding("ECS.16", &a, "FAILED", "NEW", "ACTIVE"),
                    "2026-07-15T00:00:00Z",
                    "2026-08-31T06:00:00Z",
                ),
                observed(
                    finding("ECS.16", &b, "FAILED", "NEW", "ACTIVE"),
                    "2026-08-20T00:00:00Z",
                    "2026-08-31T06:00:00Z",
                ),
                observed(
                    finding("ECS.16", &c, "PASSED", "RESOLVED", "ACTIVE"),
                    "2026-06-01T00:00:00Z",
                    "2026-08-31T06:00:00Z",
                ),
            ],
        ),
        (
            "2026-09-30T06:00:00Z",
            vec![
                observed(
                    finding("ECS.16", &a, "FAILED", "NEW", "ARCHIVED"),
                    "2026-07-15T00:00:00Z",
                    "2026-09-30T06:00:00Z",
                ),
                observed(
                    finding("ECS.16", &a2, "PASSED", "RESOLVED", "ACTIVE"),
                    "2026-09-10T00:00:00Z",
                    "2026-09-30T06:00:00Z",
                ),
                observed(
                    finding("ECS.16", &b, "PASSED", "RESOLVED", "ACTIVE"),
                    "2026-08-20T00:00:00Z",
                    "2026-09-30T06:00:00Z",
                ),
                observed(
                    finding("ECS.16", &c, "PASSED", "RESOLVED", "ACTIVE"),
                    "2026-06-01T00:00:00Z",
                    "2026-09-30T06:00:00Z",
                ),
            ],
        ),
    ];
    let mut paths = Vec::new();
    for (i, (_, findings)) in months.into_iter().enumerate() {
        let p = dir
            .join(format!("export-month-{}", i + 1))
            .join("findings.json");
        write_json(&p, &page(findings));
        paths.push(p.parent().unwrap().to_path_buf());
    }
    [paths[0].clone(), paths[1].clone(), paths[2].clone()]
}

#[test]
fn three_monthly_exports_give_each_task_set_its_timeline() {
    let dir = tempfile::tempdir().unwrap();
    let months = three_months(dir.path());
    let out = dir.path().join("pack");
    report(&[&months[0], &months[1], &months[2]], &out, &[]);
    let rows: std::collections::BTreeMap<String, _> = csv_rows(&out.join("data/history.csv"))
        .into_iter()
        .map(|r| (r["task_set_arn"].clone(), r))
        .collect();
    let line = |arn: &str| {
        let r = &rows[arn];
        (
            r["first_seen_exposed"].as_str(),
            r["last_seen_exposed"].as_str(),
            r["fixed_at"].as_str(),
            r["exposure_days_in_period"].as_str(),
            r["snapshots_seen"].as_str(),
        )
    };
    // A: exposed from its first observation (07-15) until replaced in month 3.
    assert_eq!(
        line(&arn("web", 1)),
        ("2026-07-31", "2026-08-31", "2026-09-30", "77", "3")
    );
    // B: exposed only in month 2, observed failing from 08-20.
    assert_eq!(
        line(&arn("batch", 3)),
        ("2026-08-31", "2026-08-31", "2026-09-30", "41", "2")
    );
    // C: compliant throughout; A2: the compliant replacement.
    assert_eq!(line(&arn("api", 4)), ("", "", "", "0", "3"));
    assert_eq!(line(&arn("web", 2)), ("", "", "", "0", "1"));
    let s = json(&out.join("summary.json"));
    assert_eq!(s["exports"], 3);
    assert_eq!(
        s["exposed_during_period"], 2,
        "A and B, though neither is exposed at the end"
    );
    assert_eq!(s["outcomes"]["NON_COMPLIANT"], 0);
    let ttr = &s["time_to_remediate"][0];
    assert_eq!(
        (
            ttr["fixed"].as_u64(),
            ttr["median_days"].as_f64(),
            ttr["max_days"].as_u64()
        ),
        (Some(2), Some(59.0), Some(77))
    );
    // The report has the section and the chart of exposed task sets per export date, with its table.
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("id=\"history\""));
    assert!(html.contains(
        "<desc id=\"chart-exposure-d\">2026-07-31: 1 exposed in 1 account-region (1.00 per account-region); \
         2026-08-31: 2 exposed in 1 account-region (2.00 per account-region); \
         2026-09-30: 0 exposed in 1 account-region (0.00 per account-region)</desc>"
    ));
    assert!(
        !html.contains("coverage changed"),
        "every export covered the same"
    );
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("| 2026-08-31 | 1 | 1 | 1 | same as before | 2 | 2.00 |"),
        "{md}"
    );
}

#[test]
fn the_baseline_diff_says_what_is_new_fixed_still_open_and_which_exceptions_changed() {
    let dir = tempfile::tempdir().unwrap();
    let months = three_months(dir.path());
    let (d, e, f, g) = (
        arn("new", 5),
        arn("old", 6),
        arn("accepted", 7),
        arn("fresh", 8),
    );
    // Extra task sets: E exposed in both periods, F accepted in both, D and G only now.
    let before = dir.path().join("extra-before");
    write_json(
        &before.join("p.json"),
        &page(vec![
            observed(
                finding("ECS.16", &e, "FAILED", "NEW", "ACTIVE"),
                "2026-08-01T00:00:00Z",
                "2026-08-31T06:00:00Z",
            ),
            observed(
                finding("ECS.16", &f, "FAILED", "SUPPRESSED", "ACTIVE"),
                "2026-08-01T00:00:00Z",
                "2026-08-31T06:00:00Z",
            ),
        ]),
    );
    let now = dir.path().join("extra-now");
    write_json(
        &now.join("p.json"),
        &page(vec![
            observed(
                finding("ECS.16", &d, "FAILED", "NEW", "ACTIVE"),
                "2026-09-20T00:00:00Z",
                "2026-09-30T06:00:00Z",
            ),
            observed(
                finding("ECS.16", &e, "FAILED", "NEW", "ACTIVE"),
                "2026-08-01T00:00:00Z",
                "2026-09-30T06:00:00Z",
            ),
            observed(
                finding("ECS.16", &f, "FAILED", "SUPPRESSED", "ACTIVE"),
                "2026-08-01T00:00:00Z",
                "2026-09-30T06:00:00Z",
            ),
            observed(
                finding("ECS.16", &g, "FAILED", "SUPPRESSED", "ACTIVE"),
                "2026-09-25T00:00:00Z",
                "2026-09-30T06:00:00Z",
            ),
        ]),
    );
    let register = dir.path().join("register.csv");
    fs::write(&register, format!("task_set_arn,justification,approver,ticket,expires\n{f},batch window,CISO,RISK-7,2026-09-15\n")).unwrap();
    let reg = register.to_str().unwrap();
    let base = dir.path().join("q-before");
    report(
        &[&months[0], &months[1], &before],
        &base,
        &["--exceptions", reg],
    );
    let out = dir.path().join("q-now");
    report(
        &[&months[0], &months[1], &months[2], &now],
        &out,
        &["--exceptions", reg, "--baseline", base.to_str().unwrap()],
    );
    let changes: Vec<(String, String)> = csv_rows(&out.join("data/changes.csv"))
        .into_iter()
        .map(|r| (r["task_set_arn"].clone(), r["change"].clone()))
        .collect();
    let has = |arn: &str, change: &str| changes.contains(&(arn.to_string(), change.to_string()));
    assert!(has(&d, "new"), "{changes:?}");
    assert!(
        has(&arn("web", 1), "fixed") && has(&arn("batch", 3), "fixed"),
        "{changes:?}"
    );
    assert!(
        has(&e, "still_open") && has(&f, "still_open"),
        "{changes:?}"
    );
    assert!(has(&g, "exception_new"), "{changes:?}");
    assert!(has(&f, "exception_expired"), "{changes:?}");
    let s = json(&out.join("summary.json"));
    assert_eq!(
        s["changes_since_baseline"],
        json!({"new": 2, "fixed": 2, "still_open": 2, "exception_new": 1, "exception_expired": 1})
    );
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Changes since the baseline"));
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["baseline"]["path"], base.display().to_string());
    // A tampered baseline is refused.
    fs::write(
        base.join("data/reconciliation.csv"),
        "task_set_arn,outcome\r\n",
    )
    .unwrap();
    let o = run(&[
        &"report",
        &months[2],
        &"--out",
        &dir.path().join("x"),
        &"--baseline",
        &base,
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("does not match its manifest (changed: data/reconciliation.csv)"),
        "{}",
        stderr(&o)
    );
}

/// A finding of another account and region than the builders' default.
fn elsewhere(mut f: Value, account: &str, region: &str) -> Value {
    let text = f
        .to_string()
        .replace(ACCOUNT, account)
        .replace(REGION, region);
    f = serde_json::from_str(&text).unwrap();
    f
}

/// Two exports: the first covers two accounts (two exposed task sets in each), the second only the first
/// account, where both are still exposed. The raw count halves; exposure per covered account-region does
/// not move, and the report says the coverage changed rather than showing a fix.
#[test]
fn a_coverage_change_is_shown_and_never_reads_as_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let other = "444455556666";
    let mine = [arn("web", 1), arn("web", 2)];
    let theirs: Vec<Value> = [arn("api", 3), arn("api", 4)]
        .iter()
        .map(|a| {
            let f = finding("ECS.16", a, "FAILED", "NEW", "ACTIVE");
            elsewhere(
                observed(f, "2026-08-01T00:00:00Z", "2026-08-31T06:00:00Z"),
                other,
                "us-east-1",
            )
        })
        .collect();
    let month = |updated: &str| -> Vec<Value> {
        mine.iter()
            .map(|a| {
                observed(
                    finding("ECS.16", a, "FAILED", "NEW", "ACTIVE"),
                    "2026-08-01T00:00:00Z",
                    updated,
                )
            })
            .collect()
    };
    let mut august = month("2026-08-31T06:00:00Z");
    august.extend(theirs);
    write_json(&input.join("2026-08.json"), &page(august));
    write_json(
        &input.join("2026-09.json"),
        &page(month("2026-09-30T06:00:00Z")),
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let rows = csv_rows(&out.join("data/exports.csv"));
    let cols = |r: &std::collections::BTreeMap<String, String>| {
        [
            "export_date",
            "accounts",
            "regions",
            "account_regions",
            "account_regions_added",
            "account_regions_dropped",
            "exposed",
            "exposed_per_account_region",
        ]
        .map(|c| r[c].clone())
    };
    assert_eq!(
        cols(&rows[0]),
        ["2026-08-31", "2", "2", "2", "0", "0", "4", "2.00"]
    );
    assert_eq!(
        cols(&rows[1]),
        ["2026-09-30", "1", "1", "1", "0", "1", "2", "2.00"]
    );
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains(">coverage changed</text>"),
        "the chart marks it"
    );
    assert!(
        html.contains("<strong>changed</strong>: 0 added, 1 dropped"),
        "the table says it"
    );
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("| 2026-09-30 | 1 | 1 | 1 | **changed**: 0 added, 1 dropped | 2 | 2.00 |"),
        "{md}"
    );
}
