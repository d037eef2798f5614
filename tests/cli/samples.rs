//! The shipped samples give exactly the outcomes samples/README.md lists.

use crate::support::*;
use std::collections::BTreeMap;

/// The expected-outcome table of samples/README.md: ARN → (outcome, inventory state).
fn expected() -> BTreeMap<String, (String, String)> {
    let text = std::fs::read_to_string(samples().join("README.md")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("| arn:aws:ecs:"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (
                cells[1].to_string(),
                (cells[2].to_string(), cells[3].to_string()),
            )
        })
        .collect()
}

#[test]
fn samples_give_exactly_the_documented_outcomes() {
    let want = expected();
    assert!(
        want.len() >= 12,
        "the samples document {} task sets",
        want.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    let got: BTreeMap<String, (String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["task_set_arn"].clone(),
                (r["outcome"].clone(), r["inventory_state"].clone()),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(rows.len(), want.len(), "one row per task set");
}

#[test]
fn samples_cover_every_outcome_state_account_and_region() {
    let want = expected();
    let outcomes: std::collections::BTreeSet<_> = want.values().map(|v| v.0.as_str()).collect();
    assert_eq!(outcomes.len(), 7, "{outcomes:?}");
    let states: std::collections::BTreeSet<_> = want.values().map(|v| v.1.as_str()).collect();
    assert_eq!(states.len(), 4, "{states:?}");
    let accounts: std::collections::BTreeSet<_> =
        want.keys().map(|a| a.split(':').nth(4).unwrap()).collect();
    let regions: std::collections::BTreeSet<_> =
        want.keys().map(|a| a.split(':').nth(3).unwrap()).collect();
    assert!(accounts.len() >= 3 && regions.len() >= 2);
}

#[test]
fn only_ecs16_findings_are_selected_and_duplicates_are_kept_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let findings = csv_rows(&out.join("data/findings.csv"));
    assert!(findings
        .iter()
        .all(|f| f["generator_id"].ends_with("/ECS.16")));
    // ECS.2, S3.1 and RDS.2 also map to PCI DSS 1.4.4 and are in the samples: none selected.
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["findings_selected"], findings.len());
    assert_eq!(summary["duplicates_dropped"], 1);
    // The finding exported on both pages is kept once, with the newer UpdatedAt.
    let t1 =
        "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api/ecs-svc/4410000000000000001";
    let copies: Vec<_> = findings
        .iter()
        .filter(|f| f["task_set_arn"] == t1)
        .collect();
    assert_eq!(copies.len(), 1);
    assert_eq!(copies[0]["updated_at"], "2026-09-28T08:42:55.310Z");
    assert!(copies[0]["source_file"].ends_with("get-findings-page-2.json"));
}

#[test]
fn stdout_shows_the_outcome_table() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    let o = run(&[&"report", &samples(), &"--out", &out]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    assert!(text.contains("NON_COMPLIANT                3"), "{text}");
    assert!(text.contains("total                       17"), "{text}");
}
