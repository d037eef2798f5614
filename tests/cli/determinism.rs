//! Same inputs and options give byte-identical packs; the clock never enters a pack.

use crate::support::*;

#[test]
fn two_runs_give_byte_identical_packs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&[&samples()], &a, &[]);
    report(&[&samples()], &b, &[]);
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (name, bytes) in &ta {
        assert!(bytes == &tb[name], "{name} differs between two runs");
    }
}

#[test]
fn input_order_does_not_change_the_reconciliation() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for sub in ["inventory", "securityhub"] {
        for e in walk(&samples().join(sub)) {
            files.push(e);
        }
    }
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let forward: Vec<&std::path::Path> = files.iter().map(|p| p.as_path()).collect();
    let backward: Vec<&std::path::Path> = files.iter().rev().map(|p| p.as_path()).collect();
    report(&forward, &a, &[]);
    report(&backward, &b, &[]);
    assert_eq!(
        std::fs::read(a.join("data/reconciliation.csv")).unwrap(),
        std::fs::read(b.join("data/reconciliation.csv")).unwrap()
    );
    // Everything but the pack id, which names the manifest, and the manifest records the inputs in the
    // order they were given.
    let summary = |pack: &std::path::Path| {
        let mut s = json(&pack.join("summary.json"));
        s.as_object_mut().unwrap().remove("pack_id");
        s
    };
    assert_eq!(summary(&a), summary(&b));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn as_of_is_the_newest_input_timestamp_or_the_option() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    report(&[&samples()], &a, &["--as-of", "2026-09-30"]);
    assert_eq!(
        json(&a.join("summary.json"))["as_of"],
        "2026-09-30T23:59:59Z"
    );
    let html = std::fs::read_to_string(a.join("index.html")).unwrap();
    assert!(html.contains("2026-09-30T23:59:59Z"));
}
