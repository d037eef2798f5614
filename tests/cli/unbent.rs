//! Evidence that cannot be bent (issue 18, items 1-4): a bad field is flagged and its record kept, an ECS.16
//! finding never vanishes, one forged time cannot move the period, and a key given twice is read the more
//! exposed way — each case one that changed the evidence silently before.

use crate::support::build::*;
use crate::support::*;
use serde_json::{json, Value};
use std::fs;
use std::path::Path;

fn row<'a>(
    rows: &'a [std::collections::BTreeMap<String, String>],
    arn: &str,
) -> &'a std::collections::BTreeMap<String, String> {
    rows.iter()
        .find(|r| r["task_set_arn"] == arn)
        .unwrap_or_else(|| panic!("no row for {arn}"))
}

/// A pretty-printed finding (as the AWS CLI prints it) with one value replaced by raw JSON text, which
/// serde_json could not produce itself (a lone surrogate, `1e400`).
fn finding_text(arn: &str, field: &str, raw_value: &str) -> String {
    let mut f = finding("ECS.16", arn, "FAILED", "NEW", "ACTIVE");
    f[field] = json!("PLACEHOLDER");
    serde_json::to_string_pretty(&f)
        .unwrap()
        .replace("\"PLACEHOLDER\"", raw_value)
}

#[test]
fn item_1_a_dump_record_with_a_bad_created_at_keeps_its_task_set() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let bad_dates = ["2026-09-01T00:00:00", "2026-13-45T00:00:00Z", "soon"];
    let mut task_sets = vec![task_set(&arn("api", 99), Some("DISABLED"))];
    let mut findings = Vec::new();
    for (i, bad) in bad_dates.iter().enumerate() {
        let a = arn("api", i as u32 + 1);
        let mut t = task_set(&a, Some("ENABLED"));
        t["createdAt"] = json!(bad);
        task_sets.push(t);
        findings.push(finding("ECS.16", &a, "FAILED", "NEW", "ACTIVE"));
    }
    write_json(&input.join("page.json"), &page(findings));
    write_json(&input.join("dump.json"), &task_sets_dump(task_sets, vec![]));
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    for (i, bad) in bad_dates.iter().enumerate() {
        let r = row(&rows, &arn("api", i as u32 + 1));
        assert_eq!(
            (r["outcome"].as_str(), r["inventory_state"].as_str()),
            ("NON_COMPLIANT", "ENABLED"),
            "{r:?}"
        );
        assert!(
            r["record_problems"].contains("createdAt: timestamp")
                && r["record_problems"].contains(bad),
            "{r:?}"
        );
    }
    // The gate that should fire fires.
    let gated = run(&[
        &"report",
        &input,
        &"--out",
        &dir.path().join("p2"),
        &"-q",
        &"--fail-on",
        &"NON_COMPLIANT",
    ]);
    assert_exit(&gated, 1);
}

#[test]
fn item_2_an_ecs16_finding_with_one_bad_value_never_vanishes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    let cases = [
        ("Note", r#"{"Text": "cut in the middle of an emoji \ud83d", "UpdatedBy": "x", "UpdatedAt": "2026-09-01T00:00:00Z"}"#.to_string(), "lone UTF-16 surrogate"),
        ("UpdatedAt", r#""2026-02-30T00:00:00Z""#.to_string(), "UpdatedAt: timestamp \"2026-02-30T00:00:00Z\""),
        ("UpdatedAt", "1e400".to_string(), "UpdatedAt could not be read (number out of range)"),
        ("UpdatedAt", r#""+275760-09-13T00:00:00.000Z""#.to_string(), "UpdatedAt: timestamp"),
        (
            "ProductFields",
            format!("{{\"deep\": {}1{}}}", "[".repeat(1_000_000), "]".repeat(1_000_000)),
            "ProductFields could not be read (recursion limit exceeded)",
        ),
    ];
    let mut elements = Vec::new();
    let mut task_sets = Vec::new();
    for (i, (field, raw, _)) in cases.iter().enumerate() {
        let a = arn("api", i as u32 + 1);
        elements.push(finding_text(&a, field, raw));
        task_sets.push(task_set(&a, Some("ENABLED")));
    }
    // An ECS.16 finding whose task set cannot be read: counted, not dropped.
    elements.push(finding_text(
        &arn("api", 50),
        "Resources",
        &format!("{}1{}", "[".repeat(5_000), "]".repeat(5_000)),
    ));
    fs::write(
        input.join("page.json"),
        format!("{{\"Findings\": [{}]}}", elements.join(",\n")),
    )
    .unwrap();
    write_json(&input.join("dump.json"), &task_sets_dump(task_sets, vec![]));
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    for (i, (_, _, flagged)) in cases.iter().enumerate() {
        let r = row(&rows, &arn("api", i as u32 + 1));
        assert_eq!(r["outcome"], "NON_COMPLIANT", "{r:?}");
        assert!(r["record_problems"].contains(flagged), "{flagged}: {r:?}");
    }
    let findings = csv_rows(&out.join("data/findings.csv"));
    let note = &findings
        .iter()
        .find(|f| f["task_set_arn"] == arn("api", 1))
        .unwrap()["note_text"];
    assert_eq!(note, "cut in the middle of an emoji \u{FFFD}");
    let s = json(&out.join("summary.json"));
    assert_eq!(s["unreadable_ecs16_records"], 1, "{s}");
    // Every record problem is in the inputs table (the report shows the first few of each file).
    let inputs = fs::read_to_string(out.join("data/inputs.csv")).unwrap();
    assert!(
        inputs.contains("Resources could not be read (recursion limit exceeded)"),
        "{inputs}"
    );
}

#[test]
fn item_3_one_forged_timestamp_does_not_move_the_period() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let mut forged = finding("ECS.16", &arn("api", 1), "FAILED", "NEW", "ACTIVE");
    forged["UpdatedAt"] = json!("9999-12-31T23:59:59Z");
    forged["LastObservedAt"] = json!("9999-12-31T23:59:59Z");
    let mut early = finding("ECS.16", &arn("api", 2), "FAILED", "NEW", "ACTIVE");
    early["CreatedAt"] = json!("1999-01-01T00:00:00Z");
    write_json(&input.join("page.json"), &page(vec![forged, early]));
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let s = json(&out.join("summary.json"));
    // The service stamped ProcessedAt 2026-09-20T00:00:05Z on both: that dates the evidence.
    assert_eq!(s["as_of"], "2026-09-20T00:00:05Z");
    assert_eq!(s["period"]["label"], "2026-Q3");
    assert_eq!(s["last_observed"]["before"], 0, "{s}");
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    assert!(
        row(&rows, &arn("api", 1))["record_problems"]
            .contains("UpdatedAt: timestamp 9999-12-31T23:59:59Z is before 2015 or after 2099"),
        "{rows:?}"
    );
    assert!(row(&rows, &arn("api", 2))["record_problems"]
        .contains("CreatedAt: timestamp 1999-01-01T00:00:00Z"));
}

fn one_page(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let f = dir.join(name);
    fs::write(&f, text).unwrap();
    f
}

#[test]
fn item_4_a_key_given_twice_is_read_the_more_exposed_way_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let a = arn("api", 1);
    // Compliance given twice, FAILED first then PASSED: a plain parser keeps PASSED.
    let f = finding("ECS.16", &a, "PASSED", "NEW", "ACTIVE");
    let text = serde_json::to_string(&page(vec![f])).unwrap().replacen(
        "\"Compliance\":{",
        "\"Compliance\":{\"Status\":\"FAILED\",\"SecurityControlId\":\"ECS.16\"},\"Compliance\":{",
        1,
    );
    // The `Findings` list given twice: both lists are read, and the file says so.
    let text = text.replacen('{', "{\"Findings\": [], ", 1);
    let page_file = one_page(dir.path(), "page.json", &text);
    let b = arn("api", 2);
    let mut t = task_set(&b, Some("ENABLED"));
    let dump = serde_json::to_string_pretty(&task_sets_dump(vec![t.clone()], vec![]))
        .unwrap()
        .replace(
            "\"assignPublicIp\": \"ENABLED\"",
            "\"assignPublicIp\": \"ENABLED\", \"assignPublicIp\": \"DISABLED\"",
        );
    let dump_file = one_page(dir.path(), "dump-twice.json", &dump);
    // Two dumps of the same moment that disagree.
    let c = arn("api", 3);
    t = task_set(&c, Some("DISABLED"));
    write_json(
        &dir.path().join("dump-a.json"),
        &task_sets_dump(vec![t], vec![]),
    );
    write_json(
        &dir.path().join("dump-b.json"),
        &task_sets_dump(vec![task_set(&c, Some("ENABLED"))], vec![]),
    );
    let out = dir.path().join("pack");
    report(
        &[
            &page_file,
            &dump_file,
            &dir.path().join("dump-a.json"),
            &dir.path().join("dump-b.json"),
        ],
        &out,
        &[],
    );
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    let r = row(&rows, &a);
    assert_eq!(r["securityhub_status"], "FAILED", "{r:?}");
    assert!(
        r["reason"].contains("read as FAILED, the more exposed reading"),
        "{r:?}"
    );
    let r = row(&rows, &b);
    assert_eq!(r["inventory_state"], "ENABLED", "{r:?}");
    assert!(
        r["reason"].contains("assignPublicIp is given 2 ways (ENABLED, DISABLED); read as ENABLED"),
        "{r:?}"
    );
    let r = row(&rows, &c);
    assert_eq!(r["inventory_state"], "ENABLED", "{r:?}");
    assert!(
        r["reason"].contains("two descriptions of the same moment disagree")
            && r["reason"].contains("dump-a.json")
            && r["reason"].contains("dump-b.json"),
        "{r:?}"
    );
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("the file holds the list \"Findings\" twice"),
        "{md}"
    );
}

#[test]
fn a_finding_of_another_control_with_a_bad_value_does_not_stop_the_run() {
    // The same salvage for any record: the run goes on, the record is read as what it is.
    let dir = tempfile::tempdir().unwrap();
    let mut other: Value = finding(
        "S3.1",
        "AWS::::Account:111122223333",
        "FAILED",
        "NEW",
        "ACTIVE",
    );
    other["Compliance"]["SecurityControlId"] = json!("S3.1");
    let text = format!(
        "{{\"Findings\": [{}]}}",
        serde_json::to_string(&other)
            .unwrap()
            .replace("\"HIGH\"", "1e400")
    );
    let f = one_page(dir.path(), "p.json", &text);
    let out = dir.path().join("pack");
    report(&[&f], &out, &[]);
    assert_eq!(json(&out.join("summary.json"))["findings_read"], 1);
}

#[test]
fn item_16_odd_accounts_partitions_and_regions_are_kept_verbatim_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let odd = "arn:awz:ecs:mars-1:1234:task-set/payments/api/ecs-svc/1";
    let mut f = finding("ECS.16", odd, "FAILED", "NEW", "ACTIVE");
    f["AwsAccountId"] = json!("1234");
    write_json(&dir.path().join("in/page.json"), &page(vec![f]));
    write_json(
        &dir.path().join("in/dump.json"),
        &task_sets_dump(vec![task_set(odd, Some("ENABLED"))], vec![]),
    );
    let out = dir.path().join("pack");
    report(&[&dir.path().join("in")], &out, &[]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    let r = row(&rows, odd);
    assert_eq!(
        (r["account_id"].as_str(), r["region"].as_str()),
        ("1234", "mars-1")
    );
    for doubt in [
        "account id \"1234\" is not 12 digits",
        "partition \"awz\" is not an AWS partition",
        "region \"mars-1\" is not an AWS region name",
    ] {
        assert!(r["record_problems"].contains(doubt), "{doubt}: {r:?}");
    }
}
