//! Parallel reading (across files, and inside one large get-findings file) gives exactly the sequential result.

use crate::support::build::*;
use crate::support::*;
use std::fs;

fn packs_equal(a: &std::path::Path, b: &std::path::Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (name, bytes) in &ta {
        assert!(
            bytes == &tb[name],
            "{name} differs between the sequential and the parallel run"
        );
    }
}

#[test]
fn samples_give_the_same_pack_sequentially_and_in_parallel() {
    let dir = tempfile::tempdir().unwrap();
    let (seq, par) = (dir.path().join("seq"), dir.path().join("par"));
    report(&[&samples()], &seq, &["--jobs", "1"]);
    let o = report(
        &[&samples()],
        &par,
        &["--jobs", "2", "--split-min-bytes", "1", "-v"],
    );
    assert_eq!(
        stderr(&o).matches("(split across 2 threads)").count(),
        2,
        "both get-findings pages: {}",
        stderr(&o)
    );
    packs_equal(&seq, &par);
}

fn big_page(dir: &std::path::Path, n: u32) -> std::path::PathBuf {
    let mut findings = Vec::new();
    let mut sets = Vec::new();
    for i in 0..n {
        let control = if i % 7 == 0 {
            "ECS.16"
        } else {
            ["S3.1", "EC2.19", "IAM.6", "ECS.2"][(i % 4) as usize]
        };
        let a = arn(&format!("svc-{}", i % 13), i);
        let mut f = finding(
            control,
            &a,
            if i % 3 == 0 { "PASSED" } else { "FAILED" },
            "NEW",
            if i % 11 == 0 { "ARCHIVED" } else { "ACTIVE" },
        );
        f["Description"] = serde_json::json!(format!(
            "text with \"quotes\", a \\ backslash, {{braces}} and a line\nbreak, item {i}"
        ));
        findings.push(f);
        if i % 7 == 0 && i % 2 == 0 {
            sets.push(task_set(
                &a,
                Some(if i % 3 == 0 { "DISABLED" } else { "ENABLED" }),
            ));
        }
    }
    let input = dir.join("in");
    write_json(&input.join("get-findings.json"), &page(findings));
    write_json(&input.join("dump.json"), &task_sets_dump(sets, vec![]));
    input
}

#[test]
fn a_large_page_split_across_threads_gives_the_same_pack() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_page(dir.path(), 6_000);
    let size = fs::metadata(input.join("get-findings.json")).unwrap().len();
    assert!(size > 8 * 1024 * 1024, "more than one block: {size} bytes");
    let (seq, split_stderr) = split_and_sequential_agree(dir.path(), &input);
    assert!(
        split_stderr
            .contains("get-findings.json  securityhub get-findings page, findings  records 6000"),
        "{split_stderr}"
    );
    assert_eq!(json(&seq.join("summary.json"))["findings_read"], 6_000);
}

/// Reads a large page sequentially and split across threads (checking the split path ran), asserts the two
/// packs are byte-identical and the split run's SHA-256 of the page is an independent implementation's.
/// Returns the sequential pack and what the split run printed with `-v`.
fn split_and_sequential_agree(
    dir: &std::path::Path,
    input: &std::path::Path,
) -> (std::path::PathBuf, String) {
    let (seq, par) = (dir.join("seq"), dir.join("par"));
    report(&[input], &seq, &["--jobs", "1", "--as-of", "2026-09-30"]);
    let o = report(
        &[input],
        &par,
        &[
            "--jobs",
            "2",
            "--split-min-bytes",
            "1",
            "--as-of",
            "2026-09-30",
            "-v",
        ],
    );
    assert!(
        stderr(&o).contains("(split across 2 threads)"),
        "the split path ran: {}",
        stderr(&o)
    );
    packs_equal(&seq, &par);
    // The hash computed beside the parse, from the blocks the parser read, is the file's SHA-256 as an
    // independent implementation computes it.
    assert_eq!(
        manifest_sha256(&par, "get-findings.json"),
        independent_sha256(&input.join("get-findings.json"))
    );
    (seq, stderr(&o))
}

fn manifest_sha256(pack: &std::path::Path, file_name: &str) -> String {
    let m = json(&pack.join("manifest.json"));
    let entry = m["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with(file_name))
        .unwrap_or_else(|| panic!("{file_name} in the manifest: {m}"));
    entry["sha256"].as_str().unwrap().to_string()
}

fn independent_sha256(path: &std::path::Path) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(fs::read(path).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_large_file_read_sequentially_is_hashed_beside_the_parse_and_hashed_right() {
    // JSON Lines cannot be split, but a file this large is hashed on its own thread while it is parsed.
    let dir = tempfile::tempdir().unwrap();
    let input = big_page(dir.path(), 12_000);
    let page = json(&input.join("get-findings.json"));
    let mut lines = String::new();
    for f in page["Findings"].as_array().unwrap() {
        lines.push_str(&serde_json::to_string(f).unwrap());
        lines.push('\n');
    }
    fs::remove_file(input.join("get-findings.json")).unwrap();
    fs::write(input.join("findings.jsonl"), &lines).unwrap();
    assert!(
        lines.len() > 8 * 1024 * 1024,
        "above the background-hash size"
    );
    let (seq, par) = (dir.path().join("seq"), dir.path().join("par"));
    report(&[&input], &seq, &["--jobs", "1", "--as-of", "2026-09-30"]);
    report(&[&input], &par, &["--jobs", "2", "--as-of", "2026-09-30"]);
    packs_equal(&seq, &par);
    assert_eq!(
        manifest_sha256(&par, "findings.jsonl"),
        independent_sha256(&input.join("findings.jsonl"))
    );
}

/// Reads a broken input sequentially and split across threads; both runs must fail with the same message,
/// which is returned.
fn the_same_error_split_or_not(dir: &std::path::Path, input: &std::path::Path) -> String {
    let (a, b) = (dir.join("a"), dir.join("b"));
    let o1 = run(&[&"report", &input, &"--out", &a, &"--jobs", &"1"]);
    let o2 = run(&[
        &"report",
        &input,
        &"--out",
        &b,
        &"--jobs",
        &"2",
        &"--split-min-bytes",
        &"1",
    ]);
    assert_exit(&o1, 2);
    assert_exit(&o2, 2);
    assert_eq!(stderr(&o1), stderr(&o2));
    stderr(&o1)
}

#[test]
fn a_broken_large_page_gets_the_sequential_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_page(dir.path(), 3_000);
    let f = input.join("get-findings.json");
    let text = fs::read_to_string(&f).unwrap();
    // Drop one comma between two elements in the middle of the file.
    let at = text[text.len() / 2..]
        .find("\n        },\n        {")
        .unwrap()
        + text.len() / 2;
    let broken = format!("{}{}", &text[..at + 10], &text[at + 11..]);
    fs::write(&f, broken).unwrap();
    let error = the_same_error_split_or_not(dir.path(), &input);
    assert!(error.contains("expected `,` or `]`"), "{error}");
}

/// Rewrites the page of `big_page` in another layout: compact (as an SDK script's `json.dump` writes it)
/// or with two-space indentation. Its strings hold quotes, backslashes, braces, brackets and commas, and
/// one ECS.16 finding names its control with a `\u` escape.
fn relayout(input: &std::path::Path, compact: bool) {
    let f = input.join("get-findings.json");
    let mut page = json(&f);
    let findings = page["Findings"].as_array_mut().unwrap();
    findings[7]["Title"] = serde_json::json!("a } ] , { [ \" \\ \\\" end");
    let mut text = if compact {
        serde_json::to_string(&page).unwrap()
    } else {
        serde_json::to_string_pretty(&page).unwrap()
    };
    let plain = "\"SecurityControlId\":\"ECS.16\"";
    let escaped = "\"SecurityControlId\":\"\\u0045CS.16\"";
    if compact {
        assert!(text.contains(plain));
        text = text.replacen(plain, escaped, 1);
    }
    fs::write(&f, text).unwrap();
}

#[test]
fn pages_in_other_layouts_are_split_by_the_string_aware_scan_and_give_the_same_pack() {
    for compact in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let input = big_page(dir.path(), 6_000);
        relayout(&input, compact);
        let (seq, _) = split_and_sequential_agree(dir.path(), &input);
        let summary = json(&seq.join("summary.json"));
        assert_eq!(summary["findings_read"], 6_000);
        assert_eq!(
            summary["findings_selected"], 858,
            "compact {compact}: every ECS.16 finding, the escaped one too"
        );
    }
}

#[test]
fn a_broken_compact_page_gets_the_sequential_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = big_page(dir.path(), 3_000);
    relayout(&input, true);
    let f = input.join("get-findings.json");
    let text = fs::read_to_string(&f).unwrap();
    // Drop one comma between two elements in the middle of the file.
    let at = text[text.len() / 2..].find("},{").unwrap() + text.len() / 2;
    fs::write(&f, format!("{}{}", &text[..at + 1], &text[at + 2..])).unwrap();
    let error = the_same_error_split_or_not(dir.path(), &input);
    assert!(error.contains("get-findings.json:1:"), "{error}");
}

/// Runs `report` on the samples under a pseudo-terminal (`script`, from util-linux) and returns what the
/// terminal showed, escape sequences removed.
fn on_a_terminal(out: &std::path::Path, extra: &str) -> String {
    let command = format!(
        "{} report {} --out {} {extra}",
        env!("CARGO_BIN_EXE_ecs16-evidence"),
        samples().display(),
        out.display()
    );
    let typescript = out.with_extension("typescript");
    let o = std::process::Command::new("script")
        .args(["-qec", &command])
        .arg(&typescript)
        .output()
        .expect("`script` (util-linux) runs");
    assert_exit(&o, 0);
    let raw = String::from_utf8_lossy(&fs::read(&typescript).unwrap()).into_owned();
    let mut text = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-letter.
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else if c != '\r' {
            text.push(c);
        }
    }
    text
}

#[test]
fn a_progress_bar_of_bytes_read_shows_on_a_terminal_and_only_there() {
    let dir = tempfile::tempdir().unwrap();
    // The total is the size of the files read (the samples' README is skipped), as indicatif prints it.
    let total: u64 = tree(&samples())
        .iter()
        .filter(|(name, _)| !name.ends_with(".md") && !name.ends_with(".csv"))
        .map(|(_, bytes)| bytes.len() as u64)
        .sum();
    assert!(
        (1024..1024 * 1024).contains(&total),
        "{total} bytes: in KiB"
    );
    let of_total = format!("KiB/{:.2} KiB", total as f64 / 1024.0);
    let shown = on_a_terminal(&dir.path().join("a"), "");
    assert!(
        shown.contains("reading ") && shown.contains(&of_total),
        "bytes read of the inputs' total ({of_total}): {shown}"
    );
    let quiet = on_a_terminal(&dir.path().join("b"), "-q");
    assert!(!quiet.contains("reading "), "-q: {quiet}");
    // Not a terminal (as in every other test): no bar.
    let o = report(&[&samples()], &dir.path().join("c"), &["-v"]);
    assert!(!stderr(&o).contains("reading "), "{}", stderr(&o));
}
