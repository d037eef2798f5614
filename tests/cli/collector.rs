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
