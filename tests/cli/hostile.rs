//! The adversarial corpus: broken and hostile inputs each end in a clear message naming the file, or in a
//! correct pack — never a panic (exit 101), never a half-written pack.

use crate::support::build::*;
use crate::support::*;
use serde_json::json;
use std::fs;
use std::path::Path;
use std::process::Output;

/// Runs `report` on one file holding `bytes`; returns the output and whether a pack was written.
fn run_on(name: &str, bytes: &[u8]) -> (Output, String, bool) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join(name);
    fs::write(&f, bytes).unwrap();
    let out = dir.path().join("pack");
    let o = run(&[
        &"report",
        &f,
        &"--out",
        &out,
        &"-q",
        &"--as-of",
        &"2026-09-30",
    ]);
    assert_ne!(
        o.status.code(),
        Some(101),
        "panic on {name}: {}",
        stderr(&o)
    );
    let wrote = out.exists();
    if !wrote {
        // Nothing half-written beside it either.
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "leftovers for {name}"
        );
    }
    (o, f.display().to_string(), wrote)
}

/// A refused file: exit 2, no pack, a message that names the file and says `what`.
fn refused(name: &str, bytes: &[u8], what: &str) {
    let (o, path, wrote) = run_on(name, bytes);
    assert_exit(&o, 2);
    assert!(!wrote);
    let err = stderr(&o);
    assert!(
        err.contains(&path),
        "{name}: message does not name the file: {err}"
    );
    assert!(err.contains(what), "{name}: expected {what:?} in {err}");
}

fn a_page() -> serde_json::Value {
    page(vec![finding(
        "ECS.16",
        &arn("api", 1),
        "FAILED",
        "NEW",
        "ACTIVE",
    )])
}

#[test]
fn truncated_json() {
    let text = serde_json::to_string_pretty(&a_page()).unwrap();
    refused(
        "truncated.json",
        &text.as_bytes()[..text.len() / 2],
        "the file ends in the middle of a JSON value",
    );
}

#[test]
fn invalid_utf8() {
    let mut bytes = serde_json::to_vec(&a_page()).unwrap();
    let at = bytes.windows(5).position(|w| w == b"HIGH\"").unwrap();
    bytes[at] = 0xff;
    refused("latin1.json", &bytes, "invalid unicode code point");
}

#[test]
fn utf8_bom_is_accepted() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(serde_json::to_vec(&a_page()).unwrap());
    let (o, _, wrote) = run_on("bom.json", &bytes);
    assert_exit(&o, 0);
    assert!(wrote);
}

#[test]
fn utf16() {
    let text: Vec<u8> = serde_json::to_string(&a_page())
        .unwrap()
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    refused(
        "utf16.json",
        &[&[0xff, 0xfe][..], &text].concat(),
        "is UTF-16",
    );
}

#[test]
fn empty_file_null_and_a_number() {
    refused("empty.json", b"", "the file is empty");
    refused("blank.json", b"\n\n   \n", "no JSON value");
    refused(
        "null.json",
        b"null",
        "a top-level null: not a Security Hub export or an ECS dump",
    );
    refused(
        "number.json",
        b"42\n",
        "a top-level number: not a Security Hub export or an ECS dump",
    );
}

#[test]
fn ten_thousand_levels_of_nesting() {
    let deep = format!(
        "{{\"Findings\": [{}{}]}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    refused("deep.json", deep.as_bytes(), "recursion limit exceeded");
    // Deep under a key an ECS.16 finding uses: the parser's depth limit, not the stack, stops it; the
    // member is left out and the finding, whose task set is then unknown, is counted as unreadable.
    let deep_resources = format!(
        "{{\"SchemaVersion\": \"2018-10-08\", \"GeneratorId\": \"security-control/ECS.16\", \"Id\": \"f1\", \"Resources\": {}1{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let (o, _, wrote) = run_on("deep-finding.json", deep_resources.as_bytes());
    assert_exit(&o, 0);
    assert!(wrote);
    // Deep under a key nobody reads: skipped without recursion, then the object is named for what it is.
    let deep_object = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    refused(
        "deep-object.json",
        deep_object.as_bytes(),
        "a JSON object with keys a: not a Security Hub export",
    );
}

#[test]
fn a_fifty_megabyte_string() {
    let mut f = finding("ECS.16", &arn("api", 1), "FAILED", "SUPPRESSED", "ACTIVE");
    f["Note"] = json!({"Text": "x".repeat(50 * 1024 * 1024), "UpdatedBy": "a", "UpdatedAt": "2026-09-01T00:00:00Z"});
    let (o, _, wrote) = run_on("huge.json", &serde_json::to_vec(&page(vec![f])).unwrap());
    assert_exit(&o, 0);
    assert!(wrote);
}

#[test]
fn duplicate_keys() {
    // JSON does not forbid them; the last value of a key wins, as in every common parser.
    let text = r#"{"Findings": [{"SchemaVersion": "2018-10-08", "Id": "f1", "GeneratorId": "security-control/ECS.16",
        "UpdatedAt": "2026-09-01T00:00:00Z", "RecordState": "ACTIVE",
        "Resources": [{"Type": "Other", "Id": "arn:aws:ecs:eu-west-1:111122223333:task-set/c/s/ecs-svc/1"}],
        "Compliance": {"Status": "PASSED", "Status": "FAILED"}}], "Findings": []}"#;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("dup.json");
    fs::write(&f, text).unwrap();
    let out = dir.path().join("pack");
    report(&[&f], &out, &["--as-of", "2026-09-30"]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    assert_eq!(rows[0]["securityhub_status"], "FAILED");
}

#[test]
fn numbers_where_strings_belong_and_the_reverse() {
    let mut f1 = finding("ECS.16", &arn("api", 1), "FAILED", "NEW", "ACTIVE");
    f1["AwsAccountName"] = json!(12345);
    let mut f2 = finding("ECS.16", &arn("api", 2), "FAILED", "NEW", "ACTIVE");
    f2["UpdatedAt"] = json!(true);
    let mut t = task_set(&arn("api", 3), Some("ENABLED"));
    t["loadBalancers"] = json!([{"containerPort": "8080"}]);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_json(
        &input.join("p.json"),
        &page(vec![
            f1,
            f2,
            finding("ECS.16", &arn("api", 4), "FAILED", "NEW", "ACTIVE"),
        ]),
    );
    write_json(
        &input.join("d.json"),
        &task_sets_dump(vec![t, task_set(&arn("api", 4), Some("ENABLED"))], vec![]),
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("AwsAccountName is a number, expected a string"),
        "{md}"
    );
    assert!(
        md.contains("UpdatedAt: expected a timestamp (string or epoch seconds), found true/false"),
        "{md}"
    );
    assert!(
        md.contains("containerPort is a string, expected a number")
            || md.contains("expected a number"),
        "{md}"
    );
    assert_eq!(
        json(&out.join("summary.json"))["inputs"]["record_problems"],
        3
    );
}

#[test]
fn unknown_enum_values_are_kept_verbatim() {
    let mut f = finding("ECS.16", &arn("api", 1), "FAILED", "TRIAGED", "ACTIVE");
    f["RecordState"] = json!("QUARANTINED");
    let mut t = task_set(&arn("api", 1), Some("AUTO"));
    t["status"] = json!("PAUSED");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_json(&input.join("p.json"), &page(vec![f]));
    write_json(&input.join("d.json"), &task_sets_dump(vec![t], vec![]));
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    let r = &csv_rows(&out.join("data/reconciliation.csv"))[0];
    assert_eq!(
        (r["workflow_status"].as_str(), r["record_state"].as_str()),
        ("TRIAGED", "QUARANTINED")
    );
    assert_eq!(
        (
            r["assign_public_ip"].as_str(),
            r["task_set_status"].as_str()
        ),
        ("AUTO", "PAUSED")
    );
    assert_eq!(
        json(&out.join("summary.json"))["inputs"]["record_problems"],
        4
    );
}

#[test]
fn arns_with_unusual_characters() {
    let odd = [
        "arn:aws:ecs:eu-west-1:111122223333:task-set/clüster-ü/svc with space/ecs-svc/1",
        "arn:aws:ecs:eu-west-1:111122223333:task-set/c|l`u<s>t\"e'r/=cmd()/ecs-svc/2",
        "arn:aws-cn:ecs:cn-north-1:111122223333:task-set/c/s/ecs-svc/3",
    ];
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_json(
        &input.join("p.json"),
        &page(
            odd.iter()
                .map(|a| finding("ECS.16", a, "FAILED", "NEW", "ACTIVE"))
                .collect(),
        ),
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    let mut got: Vec<&str> = rows.iter().map(|r| r["task_set_arn"].as_str()).collect();
    got.sort();
    let mut want = odd.to_vec();
    want.sort();
    assert_eq!(got, want);
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!html.contains("c|l`u<s>t"), "escaped in HTML");
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("c\\|l\\`u\\<s\\>t"), "escaped in Markdown");
    assert!(
        md.contains("--cluster 'c|l`u<s>t\"e'\\''r' --service '=cmd()'"),
        "shell-quoted in remediation"
    );
}

#[test]
fn a_folder_of_ten_thousand_small_files() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("events");
    fs::create_dir(&input).unwrap();
    for i in 0..10_000u32 {
        let f = finding(
            if i % 10 == 0 { "ECS.16" } else { "S3.1" },
            &arn("api", i),
            "FAILED",
            "NEW",
            "ACTIVE",
        );
        fs::write(
            input.join(format!("{i:05}.json")),
            serde_json::to_vec(&f).unwrap(),
        )
        .unwrap();
    }
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    let s = json(&out.join("summary.json"));
    assert_eq!(
        (
            s["findings_read"].as_u64(),
            s["task_sets_total"].as_u64(),
            s["inputs"]["used"].as_u64()
        ),
        (Some(10_000), Some(1_000), Some(10_000))
    );
}

#[test]
fn a_symlink_loop_inside_an_input_folder() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_json(&input.join("p.json"), &a_page());
    std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("symlink loop"), "listed as skipped");
}

#[test]
fn an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_json(&input.join("a.json"), &a_page());
    // A dangling symlink cannot be read by anyone, root included.
    std::os::unix::fs::symlink(dir.path().join("gone.json"), input.join("b.json")).unwrap();
    let out = dir.path().join("pack");
    let o = run(&[&"report", &input, &"--out", &out]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains(&format!("{}: no such file", input.join("b.json").display())),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    report(&[&input], &out, &["--skip-bad-inputs"]);
    assert_eq!(json(&out.join("summary.json"))["inputs"]["rejected"], 1);
    // Without read permission (only meaningful when not running as root).
    let locked = dir.path().join("locked.json");
    fs::write(&locked, "{}").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked).is_err() {
        let o = run(&[&"report", &locked, &"--out", &dir.path().join("p2")]);
        assert_exit(&o, 2);
        assert!(stderr(&o).contains("permission denied"), "{}", stderr(&o));
    }
}

#[test]
fn the_output_folder_given_as_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    write_json(&input.join("p.json"), &a_page());
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    // Naming the pack itself as an input is refused, and the pack is left as it was.
    let o = run(&[&"report", &out, &"--out", &out, &"--force"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("pack: is the input"), "{}", stderr(&o));
    assert_exit(&run(&[&"verify", &out]), 0);
    // A pack inside an input folder is refused too (it used to be written there and skipped when read).
    let o = run(&[&"report", &input, &"--out", &input.join("pack")]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("is inside the input"), "{}", stderr(&o));
    assert!(!input.join("pack").exists());
}

#[test]
fn the_same_file_given_twice() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("p.json");
    write_json(&f, &a_page());
    let out = dir.path().join("pack");
    report(&[&f, &f], &out, &["--as-of", "2026-09-30"]);
    let s = json(&out.join("summary.json"));
    assert_eq!(
        (
            s["findings_read"].as_u64(),
            s["duplicates_dropped"].as_u64()
        ),
        (Some(1), Some(0))
    );
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("same file as"), "{md}");
}

#[test]
fn a_run_killed_while_writing_leaves_no_partial_pack() {
    // A large enough pack that writing takes a while; kill at many moments and check the invariant:
    // the final name holds a complete pack or nothing.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let mut findings = Vec::new();
    let mut sets = Vec::new();
    for i in 0..5_000u32 {
        let a = arn(&format!("s{}", i % 20), i);
        findings.push(finding("ECS.16", &a, "FAILED", "NEW", "ACTIVE"));
        sets.push(task_set(&a, Some("ENABLED")));
    }
    write_json(&input.join("p.json"), &page(findings));
    write_json(&input.join("d.json"), &task_sets_dump(sets, vec![]));
    let out = dir.path().join("pack");
    let mut outcomes = (0, 0);
    for delay_ms in (0..1600).step_by(100) {
        let _ = fs::remove_dir_all(&out);
        let mut child = bin()
            .args(["report", "-q", "--as-of", "2026-09-30", "--out"])
            .arg(&out)
            .arg(&input)
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        if out.exists() {
            assert_exit(&run(&[&"verify", &out]), 0);
            outcomes.1 += 1;
        } else {
            outcomes.0 += 1;
        }
        // Staging folders of killed runs stay hidden beside the pack, never under its name.
        for e in fs::read_dir(dir.path()).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                ["in", "pack"].contains(&name.as_str()) || name.starts_with(".pack.partial-"),
                "{name}"
            );
        }
    }
    assert!(
        outcomes.0 > 0,
        "no kill landed before the pack was complete: {outcomes:?}"
    );
}

#[test]
fn no_http_or_tls_crate_in_the_dependency_tree() {
    let lock =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.lock")).unwrap();
    let names: Vec<&str> = lock
        .lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .map(|l| l.trim_end_matches('"'))
        .collect();
    assert!(
        names.len() > 50,
        "Cargo.lock lists {} packages",
        names.len()
    );
    for banned in [
        "reqwest",
        "hyper",
        "ureq",
        "rustls",
        "native-tls",
        "openssl",
        "openssl-sys",
        "curl",
        "curl-sys",
        "isahc",
        "h2",
        "tokio-rustls",
        "hyper-tls",
    ] {
        assert!(
            !names.contains(&banned),
            "{banned} is in the dependency tree"
        );
    }
}
