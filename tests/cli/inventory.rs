//! Inventory as it really comes (issue 14): published AWS CLI answers read as they are, AWS Config in each
//! of its forms, and the evidence dated by what the services stamped.
//!
//! Published examples are copied unchanged from tests/fixtures/published/ (sources in its README); the
//! Cloud Custodian recordings are unwrapped from their `placebo` envelope here, in the test, so the fixture
//! itself stays byte for byte as published. The AWS Config forms are in tests/fixtures/config/ (synthetic,
//! shaped on the published examples; scripts/make_config_fixtures.py).

use crate::support::build::{finding, ACCOUNT, REGION};
use crate::support::*;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn published(rel: &str) -> PathBuf {
    repo().join("tests/fixtures/published").join(rel)
}

/// A copy of a published file, unchanged, into `dir/inventory/`.
fn copy_published(dir: &Path, rel: &str) -> PathBuf {
    let to = dir
        .join("inventory")
        .join(Path::new(rel).file_name().unwrap());
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(published(rel), &to).unwrap();
    to
}

/// A Cloud Custodian `placebo` recording as the AWS CLI would print it: the response inside `data`, and
/// placebo's `{"__class__": "datetime", …}` objects as the ISO 8601 times the CLI v2 prints.
fn unplacebo(rel: &str) -> Value {
    fn times(v: Value) -> Value {
        match v {
            Value::Object(m) if m.get("__class__") == Some(&json!("datetime")) => {
                let n = |k: &str| m[k].as_u64().unwrap();
                json!(format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}+00:00",
                    n("year"),
                    n("month"),
                    n("day"),
                    n("hour"),
                    n("minute"),
                    n("second"),
                    n("microsecond")
                ))
            }
            Value::Object(m) => Value::Object(m.into_iter().map(|(k, x)| (k, times(x))).collect()),
            Value::Array(a) => Value::Array(a.into_iter().map(times).collect()),
            other => other,
        }
    }
    let mut v: Value = serde_json::from_slice(&std::fs::read(published(rel)).unwrap()).unwrap();
    let mut data: Map<String, Value> = serde_json::from_value(v["data"].take()).unwrap();
    data.remove("ResponseMetadata");
    times(Value::Object(data))
}

/// An ECS.16 finding for a task set of any account and region.
fn ecs16(task_set_arn: &str, status: &str) -> Value {
    let parts: Vec<&str> = task_set_arn.split(':').collect();
    let (region, account) = (parts[3], parts[4]);
    // The builder's account and region, moved to the task set's.
    let text = finding("ECS.16", task_set_arn, status, "NEW", "ACTIVE")
        .to_string()
        .replace(ACCOUNT, account)
        .replace(REGION, region);
    serde_json::from_str(&text).unwrap()
}

type Rows = BTreeMap<String, BTreeMap<String, String>>;

fn rows_of(pack: &Path) -> Rows {
    csv_rows(&pack.join("data/reconciliation.csv"))
        .into_iter()
        .map(|r| (r["task_set_arn"].clone(), r))
        .collect()
}

fn state(rows: &Rows, arn: &str) -> (String, String) {
    let r = rows
        .get(arn)
        .unwrap_or_else(|| panic!("no row for {arn}: {rows:#?}"));
    (r["outcome"].clone(), r["inventory_state"].clone())
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

const MY_SERVICE: &str = "arn:aws:ecs:us-west-2:123456789012:task-set/MyCluster/MyService/ecs-svc/";

/// Regression (false GONE): the AWS CLI prints `"failures": []` for `describe-task-sets --task-sets ARN`
/// too, so the published dump of one task set says nothing of its sibling. Before the fix the exposed,
/// FAILED sibling came out GONE ("a dump of service … lists its task sets and this one is not among them").
#[test]
fn a_task_set_dump_speaks_only_for_the_task_sets_it_lists() {
    let dir = tempfile::tempdir().unwrap();
    copy_published(
        &dir.path().join("in"),
        "ecs-cli/awscli-describe-task-sets.json",
    );
    let (listed, sibling) = (
        format!("{MY_SERVICE}1234567890123456789"),
        format!("{MY_SERVICE}9876543210987654321"),
    );
    write_json(
        &dir.path().join("in/findings/page.json"),
        &json!({"Findings": [ecs16(&listed, "PASSED"), ecs16(&sibling, "FAILED")]}),
    );
    let out = dir.path().join("pack");
    report(&[&dir.path().join("in")], &out, &[]);
    let rows = rows_of(&out);
    assert_eq!(state(&rows, &listed), pair("COMPLIANT", "DISABLED"));
    assert_eq!(state(&rows, &sibling), pair("NON_COMPLIANT", "NOT_COVERED"));
    // Only the user can say the dump was run without --task-sets.
    let out = dir.path().join("complete");
    report(&[&dir.path().join("in")], &out, &["--complete-dumps"]);
    assert_eq!(state(&rows_of(&out), &sibling), pair("GONE", "MISSING"));
}

/// The answer of `create-service` for an EXTERNAL service lists no task sets (they are created after it):
/// it must not make a later task set GONE.
#[test]
fn a_create_service_answer_does_not_say_a_later_task_set_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    copy_published(
        &dir.path().join("in"),
        "ecs-cli/awscli-create-service-external-controller.json",
    );
    let later = format!("{MY_SERVICE}1111111111111111111");
    write_json(
        &dir.path().join("in/findings/page.json"),
        &json!({"Findings": [ecs16(&later, "FAILED")]}),
    );
    let out = dir.path().join("pack");
    report(&[&dir.path().join("in")], &out, &[]);
    assert_eq!(
        state(&rows_of(&out), &later),
        pair("NON_COMPLIANT", "NOT_COVERED")
    );
}

/// The published life of one task set, in five answers (create, update, make primary, delete, describe):
/// the newest `updatedAt` decides, and the four older descriptions are kept in task_sets.csv as history.
#[test]
fn the_newest_of_several_descriptions_decides_and_the_others_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "awscli-create-task-set.json",
        "awscli-update-task-set.json",
        "awscli-update-service-primary-task-set.json",
        "awscli-delete-task-set.json",
        "awscli-describe-task-sets.json",
    ] {
        copy_published(&dir.path().join("in"), &format!("ecs-cli/{f}"));
    }
    let arn = format!("{MY_SERVICE}1234567890123456789");
    write_json(
        &dir.path().join("in/findings/page.json"),
        &json!({"Findings": [ecs16(&arn, "PASSED")]}),
    );
    let out = dir.path().join("pack");
    report(&[&dir.path().join("in")], &out, &[]);
    assert_eq!(state(&rows_of(&out), &arn), pair("COMPLIANT", "DISABLED"));
    let described = csv_rows(&out.join("data/task_sets.csv"));
    let seen: Vec<(&str, &str, &str)> = described
        .iter()
        .map(|r| {
            (
                r["description"].as_str(),
                r["status"].as_str(),
                r["updated_at"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("current", "ACTIVE", "2019-05-07T05:42:20.014Z"),
            ("superseded", "DRAINING", "2019-05-06T08:11:30.707Z"),
            ("superseded", "PRIMARY", "2019-05-06T07:56:52.653Z"),
            ("superseded", "ACTIVE", "2019-05-06T07:54:39.914Z"),
            ("superseded", "ACTIVE", "2019-05-06T07:39:20.711Z"),
        ],
        "{described:#?}"
    );
    assert!(described.iter().all(|r| r["task_set_arn"] == arn));
}

/// Real DescribeServices and DeleteService answers (Cloud Custodian's recordings): a CODE_DEPLOY service's
/// task set with `assignPublicIp` ENABLED is read from the service; in the DeleteService answer the task
/// set's `serviceArn` is the old short form (`service/NAME`), joined through its cluster.
#[test]
fn task_sets_embedded_in_real_service_answers_are_read() {
    let arn = "arn:aws:ecs:us-east-1:644160558196:task-set/timmy-test-cluster/test-task-set-delete/ecs-svc/4201323268728819917";
    for (file, shape) in [
        (
            "ecs-cli/placebo-describe-services-code-deploy-task-set-enabled.json",
            "services",
        ),
        (
            "ecs-cli/placebo-delete-service-code-deploy-draining.json",
            "service",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write_json(
            &dir.path().join("in/inventory/answer.json"),
            &unplacebo(file),
        );
        write_json(
            &dir.path().join("in/findings/page.json"),
            &json!({"Findings": [ecs16(arn, "FAILED")]}),
        );
        let out = dir.path().join("pack");
        report(&[&dir.path().join("in")], &out, &[]);
        let rows = rows_of(&out);
        assert_eq!(
            state(&rows, arn),
            pair("NON_COMPLIANT", "ENABLED"),
            "{shape}"
        );
        let r = &rows[arn];
        assert_eq!(
            (r["cluster"].as_str(), r["service"].as_str()),
            ("timmy-test-cluster", "test-task-set-delete"),
            "{shape}"
        );
    }
}

/// The published legacy service ARN (`…:service/my-http-service`, no cluster) is joined through the
/// service's `clusterArn`: describe-services covers the whole service, and it has no such task set.
#[test]
fn a_short_service_arn_is_joined_through_its_cluster() {
    let dir = tempfile::tempdir().unwrap();
    copy_published(
        &dir.path().join("in"),
        "ecs-cli/awscli-describe-services-ecs-controller-short-arn.json",
    );
    let arn = "arn:aws:ecs:us-west-2:123456789012:task-set/default/my-http-service/ecs-svc/1000000000000000001";
    write_json(
        &dir.path().join("in/findings/page.json"),
        &json!({"Findings": [ecs16(arn, "FAILED")]}),
    );
    let out = dir.path().join("pack");
    report(&[&dir.path().join("in")], &out, &[]);
    let rows = rows_of(&out);
    assert_eq!(state(&rows, arn), pair("GONE", "MISSING"));
    assert!(
        rows[arn]["reason"].contains("my-http-service"),
        "{:?}",
        rows[arn]
    );
}

/// Regression (evidence date): a real EventBridge "Findings Imported V2" event of another control alone
/// used to fail with "the inputs hold no timestamp to date the evidence by". It is dated by the event's time.
#[test]
fn a_findings_event_of_any_control_dates_the_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    let event = published("securityhub/sumologic-docs-findings-imported-v2-detection-finding.json");
    report(&[&event], &out, &[]);
    let s = json(&out.join("summary.json"));
    assert_eq!(s["as_of"], "2025-07-22T03:03:15Z");
    assert_eq!(
        (s["exports"].as_u64(), &s["export_dates"]),
        (Some(1), &json!(["2025-07-22"]))
    );
}

/// Regression (evidence date): beside findings of 2025, a task set described in 2019 does not date the
/// run; a findings file with no service-stamped time (a 2021 get-findings page, before `ProcessedAt`) is
/// counted as an export and shows no date of its own.
#[test]
fn a_mixed_run_is_dated_by_the_newest_service_stamp() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    let inputs = [
        published("securityhub/sumologic-docs-findings-imported-v2-detection-finding.json"),
        published("ecs-cli/awscli-describe-task-sets.json"),
        published("securityhub/awscli-get-findings-pci-dss-321.json"),
    ];
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    report(&inputs, &out, &[]);
    let s = json(&out.join("summary.json"));
    assert_eq!(s["as_of"], "2025-07-22T03:03:15Z");
    assert_eq!(s["exports"], 2);
    let dated: Vec<(String, String)> = csv_rows(&out.join("data/inputs.csv"))
        .into_iter()
        .map(|r| {
            (
                r["path"].rsplit('/').next().unwrap().to_string(),
                r["exported_at"].clone(),
            )
        })
        .collect();
    assert_eq!(
        dated,
        [
            pair(
                "sumologic-docs-findings-imported-v2-detection-finding.json",
                "2025-07-22T03:03:15Z"
            ),
            pair("awscli-describe-task-sets.json", ""),
            pair("awscli-get-findings-pci-dss-321.json", ""),
        ]
    );
}

fn config_dir(form: &str) -> PathBuf {
    repo().join("tests/fixtures/config").join(form)
}

fn config_arn(n: u32) -> String {
    format!("arn:aws:ecs:eu-central-1:444455556666:task-set/checkout/web/ecs-svc/50000000000000000{n:02}")
}

/// Every AWS Config form reconciles the same four task sets: the history forms know task set 3 was
/// deleted (GONE); a snapshot or an aggregator query lists current resources only, so there it is a
/// coverage question (NOT_COVERED), as is task set 4 everywhere. Nothing Config does not know is GONE.
#[test]
fn every_config_form_reconciles_to_the_expected_rows() {
    let forms = [
        ("api-cli-v1", true),
        ("history-deleted-not-recorded", true),
        ("history-s3-gzip", true),
        ("query-aggregator", false),
        ("snapshot-s3-gzip", false),
    ];
    let on_disk: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures/config"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let named: Vec<&str> = forms.iter().map(|(f, _)| *f).collect();
    assert_eq!(on_disk, named, "every fixture folder has its expected rows");
    for (form, knows_the_deletion) in forms {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pack");
        report(&[&config_dir(form)], &out, &[]);
        let rows = rows_of(&out);
        assert_eq!(rows.len(), 4, "{form}");
        assert_eq!(
            state(&rows, &config_arn(1)),
            pair("NON_COMPLIANT", "ENABLED"),
            "{form}"
        );
        assert_eq!(
            state(&rows, &config_arn(2)),
            pair("COMPLIANT", "DISABLED"),
            "{form}"
        );
        let three = if knows_the_deletion {
            pair("GONE", "MISSING")
        } else {
            pair("NON_COMPLIANT", "NOT_COVERED")
        };
        assert_eq!(state(&rows, &config_arn(3)), three, "{form}");
        assert_eq!(
            state(&rows, &config_arn(4)),
            pair("NON_COMPLIANT", "NOT_COVERED"),
            "{form}"
        );
        let reason = |n| rows[&config_arn(n)]["reason"].clone();
        if knows_the_deletion {
            assert!(
                reason(3).contains("AWS Config recorded it deleted"),
                "{form}: {}",
                reason(3)
            );
        } else {
            for n in [3, 4] {
                assert!(
                    reason(n).contains("a coverage question"),
                    "{form}: {}",
                    reason(n)
                );
            }
        }
    }
}

/// Config history dates the exposure exactly: task set 3 was exposed from its discovery on 20 June to its
/// deletion on 9 August, so 39 days of the third quarter (1 July to 9 August), where the exports alone
/// could only say "still FAILED on 22 September".
#[test]
fn config_history_gives_exact_exposure_days() {
    for form in ["history-s3-gzip", "api-cli-v1"] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("pack");
        report(&[&config_dir(form)], &out, &[]);
        let h: BTreeMap<String, BTreeMap<String, String>> = csv_rows(&out.join("data/history.csv"))
            .into_iter()
            .map(|r| (r["task_set_arn"].clone(), r))
            .collect();
        let three = &h[&config_arn(3)];
        let got = |k: &str| three[k].as_str();
        assert_eq!(
            (
                got("first_seen_exposed"),
                got("fixed_at"),
                got("exposure_days_in_period"),
                got("source")
            ),
            ("2026-06-20", "2026-08-09", "39", "config"),
            "{form}"
        );
        assert_eq!(got("time_to_remediate_days"), "50");
        // Still open at as_of (22 September): 2 July to 22 September inclusive.
        let one = &h[&config_arn(1)];
        assert_eq!(
            (
                one["exposure_days_in_period"].as_str(),
                one["source"].as_str()
            ),
            ("83", "config")
        );
        assert_eq!(
            h[&config_arn(4)]["source"],
            "exports",
            "Config knows nothing of 4"
        );
    }
}

/// `inspect` names each Config form with its item counts per resource type.
#[test]
fn inspect_names_the_config_forms() {
    let o = run(&[
        &"inspect",
        &config_dir("snapshot-s3-gzip"),
        &config_dir("api-cli-v1"),
        &config_dir("query-aggregator"),
        &config_dir("history-s3-gzip"),
    ]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    for kind in [
        "config-snapshot (AWS::EC2::SecurityGroup 1, AWS::ECS::Service 1, AWS::ECS::TaskSet 2) (gzip)",
        "config-batch (AWS::ECS::TaskSet 2)",
        "config-history (AWS::ECS::TaskSet 3)",
        "config-query (AWS::ECS::TaskSet 2)",
        "config-history (AWS::ECS::TaskSet 2) (gzip)",
    ] {
        assert!(text.contains(kind), "{kind} not in:\n{text}");
    }
}

/// AWS's documented snapshot example has no `configSnapshotId`; under the name Config gives snapshot files
/// in S3 it is read as a snapshot (which covers its account and region), under any other name as history.
#[test]
fn a_snapshot_without_its_id_is_known_by_its_s3_name() {
    let dir = tempfile::tempdir().unwrap();
    let example = published("config/awsdocs-config-snapshot-s3-example.json");
    let named = dir
        .path()
        .join("123456789012_Config_us-west-2_ConfigSnapshot_20140307T234709Z_5c1ff5ba.json");
    std::fs::copy(&example, &named).unwrap();
    let o = run(&[&"inspect", &example, &named]);
    assert_exit(&o, 0);
    let text = stdout(&o);
    let kind_of = |path: &Path| {
        let line = text
            .lines()
            .find(|l| l.starts_with(&path.display().to_string()))
            .unwrap();
        line.split("  ").nth(1).unwrap().to_string()
    };
    assert_eq!(
        kind_of(&example),
        "config-history (AWS::EC2::Instance 1, AWS::EC2::Volume 1)"
    );
    assert_eq!(
        kind_of(&named),
        "config-snapshot (AWS::EC2::Instance 1, AWS::EC2::Volume 1)"
    );
    // Its fictitious account id (11 digits) is kept and listed as a record problem.
    assert!(
        text.contains(r#"account id "12345678910" is not 12 digits (kept as written)"#),
        "{text}"
    );
}

/// What the inventory does not reach is named, with rows in data/coverage_gaps.csv and counts in
/// summary.json: a service list-services names that nothing describes, and a service Security Hub reports
/// task sets of that no inventory covers.
#[test]
fn services_without_inventory_are_coverage_gaps() {
    let dir = tempfile::tempdir().unwrap();
    copy_published(&dir.path().join("in"), "ecs-cli/awscli-list-services.json");
    let other = "arn:aws:ecs:us-west-2:123456789012:task-set/MyCluster/OtherService/ecs-svc/1000000000000000001";
    write_json(
        &dir.path().join("in/findings/page.json"),
        &json!({"Findings": [ecs16(other, "FAILED")]}),
    );
    let out = dir.path().join("pack");
    report(&[&dir.path().join("in")], &out, &[]);
    let gaps: Vec<(String, String, String)> = csv_rows(&out.join("data/coverage_gaps.csv"))
        .into_iter()
        .map(|g| (g["gap"].clone(), g["service"].clone(), g["subject"].clone()))
        .collect();
    let gap = |service: &str, subject: &str| {
        (
            "SERVICE_WITHOUT_INVENTORY".to_string(),
            service.to_string(),
            subject.to_string(),
        )
    };
    assert_eq!(
        gaps,
        [
            gap("MyService", "listed by list-services or AWS Config"),
            gap("OtherService", "1 task set in the findings"),
        ]
    );
    let s = json(&out.join("summary.json"));
    assert_eq!(
        s["population"]["coverage_gaps"]["SERVICE_WITHOUT_INVENTORY"],
        2
    );
    assert_eq!(s["population"]["examined_percent"], 100);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("**The evidence names 1 task set, all treated as in scope (no scope file); it was examined (100 %), no sampling. 2 places below may hold task sets the evidence cannot count"), "{md}");
}

/// With an AWS Config snapshot: the task sets Config does not list are coverage questions, and the days of
/// the quarter with evidence are the snapshot's (2 July) and the findings export's (22 September), so the
/// 81 days between them are named and warned about (more than a month).
#[test]
fn config_questions_and_the_longest_stretch_without_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&config_dir("snapshot-s3-gzip")], &out, &[]);
    let questions: Vec<String> = csv_rows(&out.join("data/coverage_gaps.csv"))
        .into_iter()
        .filter(|g| g["gap"] == "CONFIG_DOES_NOT_LIST")
        .map(|g| g["subject"].clone())
        .collect();
    assert_eq!(questions, [config_arn(3), config_arn(4)]);
    let p = &json(&out.join("summary.json"))["population"];
    assert_eq!(p["evidence_days"], json!(["2026-07-02", "2026-09-22"]));
    assert_eq!(
        p["longest_gap"],
        json!({"from": "2026-07-03", "to": "2026-09-21", "days": 81})
    );
    assert_eq!(p["longest_gap_over_31_days"], true);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Longest stretch without evidence: 81 days, 2026-07-03 to 2026-09-21."));
    assert!(md.contains("**Warning:** More than 31 days of the period have no evidence in a row."));
}
