//! Inputs that cannot be read: a clear message naming the file (and line and column), exit 2, no pack.

use crate::support::*;
use std::fs;

#[test]
fn a_file_of_an_unknown_kind_is_named_and_no_pack_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ec2.json");
    fs::write(&f, "{\n    \"Reservations\": [],\n    \"NextToken\": null\n}\n").unwrap();
    let out = dir.path().join("pack");
    let o = run(&[&"report", &f, &"--out", &out]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(
        err.contains(&format!("{}:4:1: a JSON object with keys Reservations, NextToken: not a Security Hub export or an ECS dump", f.display())),
        "{err}"
    );
    assert!(!out.exists());
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "nothing written beside the input");
}

#[test]
fn invalid_json_names_path_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("page.json");
    fs::write(&f, "{\n    \"Findings\": [\n        {\"Id\": \"a\",}\n    ]\n}\n").unwrap();
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
    fs::copy(samples().join("securityhub/payments-prod/get-findings-page-2.json"), input.join("a.json")).unwrap();
    fs::write(input.join("b.json"), "{\"Findings\": [").unwrap();
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--skip-bad-inputs"]);
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("rejected"), "{md}");
    assert!(md.contains("the file ends in the middle of a JSON value"), "{md}");
    assert_eq!(json(&out.join("summary.json"))["inputs"]["rejected"], 1);
}

#[test]
fn a_missing_input_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[&"report", &"/nonexistent/findings.json", &"--out", &dir.path().join("p")]);
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
    assert!(stderr(&o).contains("already exists and is not empty"), "{}", stderr(&o));
    report(&[&samples()], &out, &["--force"]);
}
