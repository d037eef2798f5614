//! Bounded under hostile input (issue 18, item 9): long text is cut at a documented limit in every output,
//! saying its full length and SHA-256, and a record past the most this tool reads of one record is refused
//! by name instead of being held in memory to the end of the file. The memory figures themselves are
//! benchmarks (`scripts/bench.sh`, workload `memory`; `BENCHMARKS.md`), not tests.

use crate::support::build::*;
use crate::support::*;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;

/// `TEXT_LIMIT` in `src/ingest/fields.rs`: the characters of a free-text field kept.
const TEXT_LIMIT: usize = 4096;

#[test]
fn long_text_is_cut_in_every_output_with_its_length_and_hash() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let note: String = "n".repeat(1_000_000);
    let title: String = "t".repeat(300_000);
    let a = arn("api", 1);
    let mut f = finding("ECS.16", &a, "FAILED", "SUPPRESSED", "ACTIVE");
    f["Note"] = json!({"Text": note, "UpdatedBy": "auditor", "UpdatedAt": "2026-09-01T00:00:00Z"});
    f["Title"] = json!(title);
    write_json(&input.join("page.json"), &page(vec![f]));
    write_json(
        &input.join("dump.json"),
        &task_sets_dump(vec![task_set(&a, Some("ENABLED"))], vec![]),
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30T00:00:00Z"]);

    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    let kept = &rows[0]["note_text"];
    let mark = format!(
        " … [cut: 1000000 characters in all, SHA-256 {:x}]",
        Sha256::digest(note.as_bytes())
    );
    assert_eq!(kept, &format!("{}{mark}", "n".repeat(TEXT_LIMIT)));

    // No output holds more of either text than the limit, and the pack is small: before the cut, the
    // 1.3 MB of text landed whole in every table, sheet and page.
    let files = tree(&out);
    let total: usize = files.values().map(Vec::len).sum();
    assert!(total < 1_000_000, "pack of {total} bytes");
    for (name, bytes) in &files {
        for long in [
            "n".repeat(TEXT_LIMIT + 1).into_bytes(),
            "t".repeat(TEXT_LIMIT + 1).into_bytes(),
        ] {
            assert!(
                !bytes.windows(long.len()).any(|w| w == long.as_slice()),
                "{name} holds more than {TEXT_LIMIT} characters of a long text"
            );
        }
    }
}

#[test]
fn a_record_past_the_limit_is_refused_by_name_not_read_to_the_end() {
    // 129 MiB of an unclosed `[` inside one finding, gzipped (about 130 KB on disk): a record larger than the
    // 128 MiB this tool reads of one record. Before the limit the whole of it was held in memory, whatever
    // its size, and the file was then called truncated.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("unclosed.json.gz");
    let mut gz = flate2::write::GzEncoder::new(
        fs::File::create(&file).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(br#"{"Findings": [{"SchemaVersion": "2018-10-08", "GeneratorId": "security-control/ECS.16", "Details": ["#)
        .unwrap();
    let chunk = "1,".repeat(1 << 19);
    for _ in 0..129 {
        gz.write_all(chunk.as_bytes()).unwrap();
    }
    gz.finish().unwrap();
    let out = dir.path().join("pack");
    let o = run(&[
        &"report",
        &file,
        &"--out",
        &out,
        &"-q",
        &"--as-of",
        &"2026-09-30",
    ]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("unclosed.json.gz") && err.contains("one record is larger than 128 MiB"),
        "{err}"
    );
    assert!(!out.exists());
}
