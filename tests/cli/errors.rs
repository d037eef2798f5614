//! Inputs that cannot be read: a clear message naming the file (and line and column), exit 2, no pack.

use crate::support::*;
use std::fs;

#[test]
fn a_file_of_an_unknown_kind_is_named_and_no_pack_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ec2.json");
    fs::write(
        &f,
        "{\n    \"Reservations\": [],\n    \"NextToken\": null\n}\n",
    )
    .unwrap();
    let out = dir.path().join("pack");
    let o = run(&[&"report", &f, &"--out", &out]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:4:1: a JSON object with keys Reservations, NextToken: not a Security Hub export or an ECS dump", f.display())),
        "{err}"
    );
    assert!(!out.exists());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing written beside the input"
    );
}

#[test]
fn invalid_json_names_path_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("page.json");
    fs::write(
        &f,
        "{\n    \"Findings\": [\n        {\"Id\": \"a\",}\n    ]\n}\n",
    )
    .unwrap();
    let out = dir.path().join("pack");
    let o = run(&[&"report", &f, &"--out", &out]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains(&format!("{}:3:", f.display())), "{err}");
    assert!(!out.exists());
}

#[test]
fn skip_bad_inputs_lists_the_rejected_file_in_the_pack() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::copy(
        samples().join("securityhub/payments-prod/get-findings-page-2.json"),
        input.join("a.json"),
    )
    .unwrap();
    fs::write(input.join("b.json"), "{\"Findings\": [").unwrap();
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--skip-bad-inputs"]);
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("rejected"), "{md}");
    assert!(
        md.contains("the file ends in the middle of a JSON value"),
        "{md}"
    );
    assert_eq!(json(&out.join("summary.json"))["inputs"]["rejected"], 1);
}

#[test]
fn a_missing_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        &"report",
        &"/nonexistent/findings.json",
        &"--out",
        &dir.path().join("p"),
    ]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("/nonexistent/findings.json: no such file"));
}

#[test]
fn an_existing_pack_is_not_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let o = run(&[&"report", &samples(), &"--out", &out]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("already exists and is not empty"),
        "{}",
        stderr(&o)
    );
    report(&[&samples()], &out, &["--force"]);
}

#[test]
fn a_corrupt_gzip_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let src =
        repo().join("tests/fixtures/shapes/asff-get-findings-page-gzip/findings/page.json.gz");
    let bytes = fs::read(src).unwrap();
    let f = dir.path().join("truncated.json.gz");
    fs::write(&f, &bytes[..bytes.len() / 2]).unwrap();
    let o = run(&[&"report", &f, &"--out", &dir.path().join("pack")]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains(&format!("{}: gzip:", f.display())), "{err}");
    assert!(!dir.path().join("pack").exists());
}

#[test]
fn an_array_of_things_that_are_not_findings_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("instances.json");
    fs::write(
        &f,
        r#"[{"InstanceId": "i-0abc", "State": {"Name": "running"}}, {"InstanceId": "i-0def"}]"#,
    )
    .unwrap();
    let o = run(&[&"report", &f, &"--out", &dir.path().join("pack")]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains("2 value(s), none of them a finding (the first is a JSON object with keys InstanceId, State): not a Security Hub export or an ECS dump"),
        "{err}"
    );
}

#[test]
fn utf16_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ps-export.json");
    let text: Vec<u8> = "{\"Findings\": []}"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    fs::write(&f, [&[0xff, 0xfe][..], &text].concat()).unwrap();
    let o = run(&[&"report", &f, &"--out", &dir.path().join("pack")]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("is UTF-16"), "{}", stderr(&o));
}

#[test]
fn record_problems_are_listed_and_do_not_stop_the_run() {
    use crate::support::build::*;
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let good = arn("api", 1);
    let mut no_resources = finding("ECS.16", &arn("api", 2), "FAILED", "NEW", "ACTIVE");
    no_resources["Resources"] = json!([]);
    // Another service, which no dump covers: the unknown status leaves it unassessed, not gone.
    let unknown = finding("ECS.16", &arn("other", 3), "ERRORED", "NEW", "ACTIVE");
    write_json(
        &input.join("page.json"),
        &page(vec![
            finding("ECS.16", &good, "FAILED", "NEW", "ACTIVE"),
            no_resources,
            unknown,
        ]),
    );
    write_json(
        &input.join("dump.json"),
        &task_sets_dump(
            vec![
                task_set(&good, Some("ENABLED")),
                json!({"id": "ecs-svc/9", "status": "ACTIVE"}),
            ],
            vec![],
        ),
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    assert_eq!(
        rows.len(),
        2,
        "the good finding and the one with an unknown status"
    );
    let unknown_row = rows
        .iter()
        .find(|r| r["task_set_arn"] == arn("other", 3))
        .unwrap();
    assert_eq!(
        unknown_row["securityhub_status"], "ERRORED",
        "kept verbatim"
    );
    assert_eq!(unknown_row["outcome"], "UNASSESSED");
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("no Resources"), "{md}");
    assert!(md.contains("task set without taskSetArn"), "{md}");
    assert!(
        md.contains("unknown Compliance.Status \"ERRORED\" kept verbatim"),
        "{md}"
    );
    assert_eq!(
        json(&out.join("summary.json"))["inputs"]["record_problems"],
        3
    );
    // inspect lists the same problems and still exits 0: every file was readable.
    let o = run(&[&"inspect", &input]);
    assert_exit(&o, 0);
    assert!(
        stdout(&o).contains("record 2: ECS.16 finding"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn inspect_exits_non_zero_when_a_file_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        samples().join("securityhub/payments-prod/get-findings-page-1.json"),
        dir.path().join("a.json"),
    )
    .unwrap();
    fs::write(dir.path().join("b.json"), "{\"taskSets\": [").unwrap();
    let o = run(&[&"inspect", &dir.path()]);
    assert_exit(&o, 1);
    let text = stdout(&o);
    assert!(text.contains("b.json  REJECTED  "), "{text}");
    assert!(text.contains("total: 2 files, 1 rejected"), "{text}");
}
