//! The report at organisation scale: 100,000 task sets read from 100,000 input files, built in memory
//! through the real stages (`analysis::analyse` on `Inputs::Memory`, then `render::render`), and held to
//! the caps the README promises: `index.html` at most 10 MB, `report.md` at most 5 MB.
//!
//! The inputs are the AWS CLI's shapes: 99,000 `get-findings` pages of one finding each, and 1,000
//! `describe-task-sets` dumps of one service each (five task sets, public IP enabled on some), over
//! 20,000 services in 50 accounts and 4 regions, exported on three dates. Every outcome occurs.

use crate::analysis::{analyse, AnalysisPlan, PeriodChoice};
use crate::ingest::{self, Inputs, MemoryFile};
use crate::render::{self, templates::Renderer, RenderOptions};
use serde_json::json;
use std::time::Instant;

const TASK_SETS: usize = 100_000;
const PER_SERVICE: usize = 5;
const SERVICES: usize = TASK_SETS / PER_SERVICE;
/// Services from this one on are described by a dump (their task sets also have findings, but one).
const DUMPED_FROM: usize = SERVICES - 1_000;
const REGIONS: [&str; 4] = ["eu-west-1", "us-east-1", "eu-central-1", "ap-southeast-2"];
const EXPORTS: [&str; 3] = [
    "2026-07-31T06:00:00Z",
    "2026-08-31T06:00:00Z",
    "2026-09-30T06:00:00Z",
];

/// Where task set `i` lives: account, region, cluster, service.
fn place(i: usize) -> (String, &'static str, String, String) {
    let k = i / PER_SERVICE;
    (
        format!("{:012}", 100_000_000_000 + k % 50),
        REGIONS[(k / 50) % REGIONS.len()],
        format!("cluster-{}", (k / 200) % 10),
        format!("svc-{k:05}"),
    )
}

fn arn(i: usize) -> String {
    let (account, region, cluster, service) = place(i);
    format!("arn:aws:ecs:{region}:{account}:task-set/{cluster}/{service}/ecs-svc/{i:019}")
}

/// One ECS.16 finding: NEW, SUPPRESSED, PASSED, ARCHIVED or NOT_AVAILABLE by `i % 5`.
fn finding(i: usize) -> serde_json::Value {
    let (account, region, _, _) = place(i);
    let at = EXPORTS[i % EXPORTS.len()];
    let (status, workflow, record) = match i % 5 {
        0 => ("FAILED", "NEW", "ACTIVE"),
        1 => ("FAILED", "SUPPRESSED", "ACTIVE"),
        2 => ("PASSED", "RESOLVED", "ACTIVE"),
        3 => ("FAILED", "NEW", "ARCHIVED"),
        _ => ("NOT_AVAILABLE", "NEW", "ACTIVE"),
    };
    json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("arn:aws:securityhub:{region}:{account}:security-control/ECS.16/finding/{i:08x}"),
        "GeneratorId": "security-control/ECS.16",
        "AwsAccountId": account,
        "Region": region,
        "FirstObservedAt": "2026-06-01T00:00:00Z",
        "LastObservedAt": at,
        "CreatedAt": "2026-06-01T00:00:00Z",
        "UpdatedAt": at,
        "Severity": {"Label": "HIGH"},
        "Title": "ECS task sets should not automatically assign public IP addresses",
        "Resources": [{"Type": "AwsEcsTaskSet", "Id": arn(i), "Region": region}],
        "Compliance": {"Status": status, "SecurityControlId": "ECS.16",
                       "RelatedRequirements": ["PCI DSS v4.0.1/1.4.4"]},
        "Workflow": {"Status": workflow},
        "RecordState": record
    })
}

/// The `describe-task-sets` dump of service `k`: all five of its task sets.
fn dump(k: usize) -> serde_json::Value {
    let task_sets: Vec<_> = (k * PER_SERVICE..(k + 1) * PER_SERVICE)
        .map(|i| {
            json!({
                "id": format!("ecs-svc/{i:019}"),
                "taskSetArn": arn(i),
                "status": "PRIMARY",
                "createdAt": "2026-05-01T00:00:00Z",
                "updatedAt": "2026-05-01T00:00:00Z",
                "launchType": "FARGATE",
                "networkConfiguration": {"awsvpcConfiguration": {
                    "subnets": ["subnet-0aaa"], "securityGroups": ["sg-0bbb"],
                    "assignPublicIp": if i % 2 == 0 { "ENABLED" } else { "DISABLED" }}}
            })
        })
        .collect();
    json!({ "taskSets": task_sets, "failures": [] })
}

/// 100,000 files: a page per finding (the last task set of each dumped service has none), a dump per
/// dumped service.
fn inputs() -> Inputs {
    let mut files = Vec::with_capacity(TASK_SETS);
    for i in 0..TASK_SETS {
        let k = i / PER_SERVICE;
        let (account, region, _, _) = place(i);
        if k >= DUMPED_FROM && i % PER_SERVICE == PER_SERVICE - 1 {
            let name = format!("inventory/{account}/{region}/describe-task-sets-{k:05}.json");
            files.push(MemoryFile::new(name, dump(k).to_string().into_bytes()));
            continue;
        }
        let day = &EXPORTS[i % EXPORTS.len()][..10];
        let name = format!("securityhub/{day}/{account}/{region}/get-findings-{i:06}.json");
        let page = json!({ "Findings": [finding(i)] });
        files.push(MemoryFile::new(name, page.to_string().into_bytes()));
    }
    Inputs::Memory(files)
}

#[test]
fn a_hundred_thousand_task_sets_and_input_files_stay_under_the_report_caps() {
    let started = Instant::now();
    let inputs = inputs();
    let generated = started.elapsed();
    let plan = AnalysisPlan {
        ingest: ingest::Options {
            jobs: 2,
            ..ingest::Options::default()
        },
        as_of: None,
        period: PeriodChoice::QuarterOfAsOf,
        register: None,
        previous: None,
        scope: None,
    };
    let a = analyse(&plan, &inputs).expect("the generated inputs are read");
    let analysed = started.elapsed();
    assert_eq!(a.inputs.len(), 100_000);
    assert_eq!(a.rows.len(), 100_000);
    assert!(
        a.aggregates.outcomes.iter().all(|n| *n > 0),
        "{:?}",
        a.aggregates.outcomes
    );
    let renderer = Renderer::built_in().expect("built-in templates");
    let files = render::render(&a, &renderer, &RenderOptions::default()).expect("renders");
    let size = |name: &str| {
        files
            .iter()
            .find(|f| f.path == name)
            .map_or(0, |f| f.bytes.len())
    };
    let (html, md) = (size("index.html"), size("report.md"));
    eprintln!(
        "100,000 task sets / 100,000 inputs: index.html {html} bytes, report.md {md} bytes, \
         evidence.xlsx {} bytes; generated in {:.1} s, analysed by {:.1} s, rendered by {:.1} s",
        size("evidence.xlsx"),
        generated.as_secs_f64(),
        analysed.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    assert!(html <= 10 * 1024 * 1024, "index.html is {html} bytes");
    assert!(md <= 5 * 1024 * 1024, "report.md is {md} bytes");
    // The caps say where the rest is.
    let page = files
        .iter()
        .find(|f| f.path == "index.html")
        .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
        .unwrap_or_default();
    for pointer in [
        "more services in <code>data/by_service.csv</code>",
        "more files in <code>data/inputs.csv</code>",
        "more NON_COMPLIANT task sets in <code>data/reconciliation.csv</code>",
        "more timelines in <code>data/history.csv</code>",
    ] {
        assert!(page.contains(pointer), "{pointer}");
    }
}
