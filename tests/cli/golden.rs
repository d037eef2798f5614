//! Golden files: the pack built from `samples/` is pinned byte for byte.
//!
//! `tests/golden/samples/` holds the files a reader of the pack sees as text (`summary.json`, `data/*.csv`,
//! `report.md`, `manifest.json`). The test rebuilds the pack from `samples/` (run from the repository root,
//! so the paths recorded in the manifest are the relative `samples/...`) and compares each file.
//!
//! To re-bless on purpose, after a change that is meant to alter the pack:
//!
//! ```sh
//! ECS16_BLESS=1 cargo test --release --locked golden
//! ```
//!
//! then commit the changed golden files on their own, saying which bytes changed and why.

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};

/// The files pinned, relative to the pack.
const PINNED: &[&str] = &[
    "summary.json",
    "report.md",
    "manifest.json",
    "data/reconciliation.csv",
    "data/findings.csv",
    "data/task_sets.csv",
    "data/exceptions.csv",
    "data/by_account.csv",
    "data/by_region.csv",
    "data/by_service.csv",
    "data/history.csv",
    "data/exports.csv",
    "data/coverage_gaps.csv",
    "data/inputs.csv",
];

fn golden_dir() -> PathBuf {
    repo().join("tests/golden/samples")
}

/// The one field of `manifest.json` that describes the build of the binary rather than the evidence (the
/// SHA-256 of the running executable): it changes with every build, so its value is masked in the text
/// before comparing. Every other byte of the manifest is pinned.
fn masked(name: &str, bytes: Vec<u8>) -> Vec<u8> {
    const KEY: &str = "\"executable_sha256\": \"";
    let text = String::from_utf8(bytes).expect("pack text files are UTF-8");
    if name != "manifest.json" {
        return text.into_bytes();
    }
    let Some(start) = text.find(KEY).map(|i| i + KEY.len()) else {
        return text.into_bytes();
    };
    let end = text[start..].find('"').map_or(text.len(), |n| start + n);
    format!("{}<masked>{}", &text[..start], &text[end..]).into_bytes()
}

/// The first line where two texts differ, with a little context, for the failure message.
fn first_difference(want: &[u8], got: &[u8]) -> String {
    let (w, g) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    let (wl, gl): (Vec<&str>, Vec<&str>) = (w.lines().collect(), g.lines().collect());
    for i in 0..wl.len().max(gl.len()) {
        let (a, b) = (wl.get(i), gl.get(i));
        if a != b {
            return format!(
                "line {}:\n  golden: {}\n  now:    {}",
                i + 1,
                a.unwrap_or(&"<end of file>"),
                b.unwrap_or(&"<end of file>")
            );
        }
    }
    "the bytes differ (line ends or a final newline)".to_string()
}

fn build_samples_pack(out: &Path) {
    let o = bin()
        .current_dir(repo())
        // The README's first command: the samples with their scope file and exceptions register.
        .args([
            "report",
            "samples",
            "--scope",
            "samples/scope.csv",
            "--exceptions",
            "samples/exceptions.csv",
            "-q",
            "--out",
        ])
        .arg(out)
        .output()
        .expect("the binary runs");
    assert_exit(&o, 0);
}

#[test]
fn the_samples_pack_matches_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    build_samples_pack(&out);
    let bless = std::env::var_os("ECS16_BLESS").is_some();
    let mut differences = Vec::new();
    for name in PINNED {
        let got = masked(name, fs::read(out.join(name)).unwrap());
        let golden = golden_dir().join(name);
        if bless {
            fs::create_dir_all(golden.parent().unwrap()).unwrap();
            fs::write(&golden, &got).unwrap();
            continue;
        }
        match fs::read(&golden) {
            Ok(want) if want == got => {}
            Ok(want) => differences.push(format!("{name}: {}", first_difference(&want, &got))),
            Err(_) => differences.push(format!("{name}: no golden copy")),
        }
    }
    assert!(
        differences.is_empty(),
        "the samples' pack differs from tests/golden/samples (re-bless on purpose with \
         `ECS16_BLESS=1 cargo test --release --locked golden`):\n{}",
        differences.join("\n")
    );
}
