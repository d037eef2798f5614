//! Running the binary and reading what it wrote.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ecs16-evidence"))
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn samples() -> PathBuf {
    repo().join("samples")
}

/// Runs `ecs16-evidence` with the given arguments.
pub fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
    let mut c = bin();
    for a in args {
        c.arg(a);
    }
    c.output().expect("the binary runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a run ended with the given exit code, showing its output when it did not.
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        stdout(o),
        stderr(o)
    );
}

/// Builds a pack from the inputs into `out` and returns the run's output (asserting success).
pub fn report(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut c = bin();
    c.arg("report").arg("--out").arg(out);
    if !extra.contains(&"-v") {
        c.arg("-q");
    }
    for i in inputs {
        c.arg(i);
    }
    c.args(extra);
    let o = c.output().expect("the binary runs");
    assert_exit(&o, 0);
    o
}

/// Copies a folder of fixtures, so a test may change or add files in its copy.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_tree(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// The rows of a CSV file as maps from column name to value.
pub fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

pub fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Writes a JSON value pretty-printed as the AWS CLI does (four-space indent).
pub fn write_json(path: &Path, v: &Value) {
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).unwrap();
    }
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    serde::Serialize::serialize(v, &mut ser).unwrap();
    buf.push(b'\n');
    std::fs::write(path, buf).unwrap();
}

/// Every file under a folder, by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Small builders for findings and dumps, in the shapes the AWS CLI prints.
pub mod build {
    use serde_json::{json, Value};

    pub const ACCOUNT: &str = "111122223333";
    pub const REGION: &str = "eu-west-1";

    pub fn arn(service: &str, n: u32) -> String {
        format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-set/payments/{service}/ecs-svc/{n:019}")
    }

    /// A consolidated ASFF control finding for a task set.
    pub fn finding(
        control: &str,
        resource: &str,
        status: &str,
        workflow: &str,
        record: &str,
    ) -> Value {
        json!({
            "SchemaVersion": "2018-10-08",
            "Id": format!("arn:aws:securityhub:{REGION}:{ACCOUNT}:security-control/{control}/finding/{}", resource.rsplit('/').next().unwrap()),
            "ProductArn": format!("arn:aws:securityhub:{REGION}::product/aws/securityhub"),
            "GeneratorId": format!("security-control/{control}"),
            "AwsAccountId": ACCOUNT,
            "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
            "FirstObservedAt": "2026-09-01T00:00:00.000Z",
            "LastObservedAt": "2026-09-20T00:00:00.000Z",
            "CreatedAt": "2026-09-01T00:00:00.000Z",
            "UpdatedAt": "2026-09-20T00:00:00.000Z",
            "Severity": {"Label": "HIGH", "Normalized": 70, "Original": "HIGH"},
            "Title": "ECS task sets should not automatically assign public IP addresses",
            "Description": "x",
            "Resources": [{"Type": "Other", "Id": resource, "Partition": "aws", "Region": REGION}],
            "Compliance": {"Status": status, "SecurityControlId": control, "RelatedRequirements": ["PCI DSS v4.0.1/1.4.4"]},
            "Workflow": {"Status": workflow},
            "RecordState": record,
            "ProcessedAt": "2026-09-20T00:00:05.000Z"
        })
    }

    pub fn page(findings: Vec<Value>) -> Value {
        json!({ "Findings": findings })
    }

    /// A task set as `describe-task-sets` prints it with AWS CLI v2.
    pub fn task_set(arn: &str, assign_public_ip: Option<&str>) -> Value {
        let mut t = json!({
            "id": format!("ecs-svc/{}", arn.rsplit('/').next().unwrap()),
            "taskSetArn": arn,
            "status": "PRIMARY",
            "taskDefinition": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/api:3"),
            "createdAt": "2026-08-01T10:00:00.123000+02:00",
            "updatedAt": "2026-08-01T10:00:00.123000+02:00",
            "launchType": "FARGATE",
            "scale": {"value": 100.0, "unit": "PERCENT"}
        });
        if let Some(ip) = assign_public_ip {
            t["networkConfiguration"] = json!({"awsvpcConfiguration": {"subnets": ["subnet-0aaa"], "securityGroups": ["sg-0bbb"], "assignPublicIp": ip}});
        }
        t
    }

    pub fn task_sets_dump(task_sets: Vec<Value>, failures: Vec<Value>) -> Value {
        json!({ "taskSets": task_sets, "failures": failures })
    }
}
