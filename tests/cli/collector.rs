//! `scripts/collect-inventory.sh`, tested offline: `tests/fixtures/collector/run-test.sh` runs it with a fake
//! `aws` that replays recorded AWS CLI responses (two accounts × two regions, one AccessDenied, one
//! throttled call) and checks the files written, their bytes, the calls made and `collection.json`.
//! Needs bash and python3 (the test validates JSON with it); Unix only.
#![cfg(unix)]

use std::path::PathBuf;
use std::process::Command;

#[test]
fn collector_replays_two_accounts_two_regions_read_only() {
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/collector/run-test.sh");
    let output = Command::new("bash")
        .arg(&script)
        .output()
        .unwrap_or_else(|e| panic!("cannot run bash {}: {e}", script.display()));
    assert!(
        output.status.success(),
        "{} failed ({}):\n{}\n{}",
        script.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The collector's output is an input of `report` as it stands: the same replay, then a pack whose
/// coverage gaps name the call AccessDenied refused (regression: collection.json's `failures` list was
/// read as ECS failures, so the gap vanished and the file showed as "ecs describe-task-sets").
#[test]
fn a_failed_call_of_the_collection_is_a_coverage_gap_in_the_pack() {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(
        here.join("tests/fixtures/collector/fake-aws"),
        bin.join("aws"),
    )
    .unwrap();
    let state = tmp.path().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let inventory = tmp.path().join("inventory");
    let collected = Command::new("bash")
        .arg(here.join("scripts/collect-inventory.sh"))
        .args(["--out", inventory.to_str().unwrap()])
        .args(["--profile", "audit-payments", "--profile", "audit-shared"])
        .args(["--region", "eu-west-1", "--region", "us-east-1"])
        .env("PATH", path)
        .env("FAKE_AWS_LOG", tmp.path().join("log"))
        .env("FAKE_AWS_STATE", &state)
        .env("COLLECT_RETRY_BASE_SECONDS", "0")
        .output()
        .unwrap();
    assert_eq!(
        collected.status.code(),
        Some(3),
        "some calls failed: exit 3"
    );
    let inspect = crate::support::run(&[&"inspect", &inventory.join("collection.json")]);
    assert!(
        crate::support::stdout(&inspect).contains("inventory collection (collect-inventory.sh)"),
        "{}",
        crate::support::stdout(&inspect)
    );
    let pack = tmp.path().join("pack");
    crate::support::report(&[&inventory], &pack, &[]);
    let gaps = crate::support::csv_rows(&pack.join("data/coverage_gaps.csv"));
    let failed: Vec<_> = gaps
        .iter()
        .filter(|g| g["gap"] == "COLLECTION_FAILED")
        .collect();
    assert_eq!(failed.len(), 1, "{gaps:#?}");
    assert_eq!(
        (
            failed[0]["account_id"].as_str(),
            failed[0]["region"].as_str()
        ),
        ("444455556666", "eu-west-1")
    );
    assert!(failed[0]["subject"].starts_with("ecs describe-task-sets --cluster"));
    assert!(failed[0]["detail"].starts_with("AccessDeniedException: "));
    let summary = crate::support::json(&pack.join("summary.json"));
    assert_eq!(
        summary["population"]["coverage_gaps"]["COLLECTION_FAILED"],
        1
    );
    let md = std::fs::read_to_string(pack.join("report.md")).unwrap();
    assert!(
        md.contains("internal-tools/admin-portal"),
        "the report names the call"
    );
}
