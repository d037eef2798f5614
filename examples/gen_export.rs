//! Generates synthetic org-scale inputs for benchmarks, in three shapes organisations really export:
//!
//!     cargo run --release --example gen_export -- --findings 250000 --out DIR [--ecs16-percent 2] [--jsonl]
//!         [--firehose-parts 2000]
//!     cargo run --release --example gen_export -- --dense-task-sets 100000 --out DIR
//!         [--finding-files 200] [--dump-files 86000]
//!
//! The first writes `DIR/get-findings.json` (one `aws securityhub get-findings` object, four-space indented as
//! the AWS CLI prints it, findings of about 4 KB across many controls, about 2 % ECS.16), `DIR/dumps/*.json`
//! (`describe-task-sets` for the services the ECS.16 task sets belong to, a gone task set named in `failures`
//! as MISSING), optionally `DIR/findings.jsonl`
//! (the same findings as compact JSON Lines, for the DuckDB comparison) and `DIR/firehose/part-NNNNN.json.gz`
//! (the same findings again as a Firehose archive: N gzip parts of compact JSON Lines, in order).
//!
//! The second, a dense organisation: every task set has one ECS.16 finding (written as `--finding-files`
//! `get-findings` pages under `DIR/findings/`), and the task sets are described by `--dump-files` small
//! `describe-task-sets` dumps under `DIR/dumps/`, one service each (one or two task sets; a task set that is
//! gone is named in its dump's `failures` as MISSING).
//!
//! Both write `DIR/expected.json` (the outcome counts the tool must find), so the benchmark also checks
//! correctness. Deterministic for a seed.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::path::PathBuf;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64: small, fast, deterministic.
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn hex(&mut self, len: usize) -> String {
        (0..len).map(|_| format!("{:x}", self.below(16))).collect()
    }
}

const CONTROLS: &[(&str, &str, &str, &str)] = &[
    (
        "S3.1",
        "AwsAccount",
        "S3 general purpose buckets should have block public access settings enabled",
        "PCI DSS v4.0.1/1.4.4",
    ),
    (
        "EC2.19",
        "AwsEc2SecurityGroup",
        "Security groups should not allow unrestricted access to ports with high risk",
        "PCI DSS v4.0.1/1.3.1",
    ),
    (
        "IAM.6",
        "AwsAccount",
        "Hardware MFA should be enabled for the root user",
        "PCI DSS v4.0.1/8.4.1",
    ),
    (
        "CloudTrail.2",
        "AwsCloudTrailTrail",
        "CloudTrail should have encryption at-rest enabled",
        "PCI DSS v4.0.1/10.3.2",
    ),
    (
        "ECS.2",
        "AwsEcsService",
        "ECS services should not have public IP addresses assigned to them automatically",
        "PCI DSS v4.0.1/1.4.4",
    ),
    (
        "RDS.2",
        "AwsRdsDbInstance",
        "RDS DB instances should prohibit public access",
        "PCI DSS v4.0.1/1.4.4",
    ),
    (
        "EC2.2",
        "AwsEc2SecurityGroup",
        "VPC default security groups should not allow inbound or outbound traffic",
        "PCI DSS v4.0.1/1.2.1",
    ),
    (
        "KMS.4",
        "AwsKmsKey",
        "AWS KMS key rotation should be enabled",
        "PCI DSS v4.0.1/3.6.1",
    ),
    (
        "Lambda.1",
        "AwsLambdaFunction",
        "Lambda function policies should prohibit public access",
        "PCI DSS v4.0.1/1.4.4",
    ),
    (
        "Config.1",
        "AwsAccount",
        "AWS Config should be enabled and use the service-linked role",
        "PCI DSS v4.0.1/10.2.1",
    ),
];
const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const OUTCOMES: &[&str] = &[
    "NON_COMPLIANT",
    "RISK_ACCEPTED",
    "CONFLICT",
    "UNASSESSED_EXPOSED",
    "UNASSESSED",
    "COMPLIANT",
    "GONE",
];

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The control a finding is for: id, resource type, title, PCI DSS requirement.
type Control<'a> = (&'a str, &'a str, &'a str, &'a str);
/// Where the finding's resource is: account, region, resource id.
type Place<'a> = (&'a str, &'a str, &'a str);
/// Compliance status, workflow status, record state.
type Verdict<'a> = (&'a str, &'a str, &'a str);

fn finding(rng: &mut Rng, control: Control, place: Place, verdict: Verdict, day: u64) -> Value {
    let (control, rtype, title, req) = control;
    let (account, region, resource) = place;
    let (status, workflow, record) = verdict;
    let id = format!(
        "arn:aws:securityhub:{region}:{account}:security-control/{control}/finding/{}-{}-{}-{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(4),
        rng.hex(4),
        rng.hex(12)
    );
    let updated = format!(
        "2026-09-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        1 + day % 29,
        rng.below(24),
        rng.below(60),
        rng.below(60),
        rng.below(1000)
    );
    let mut details = json!({});
    if rtype == "AwsEc2SecurityGroup" {
        details = json!({"AwsEc2SecurityGroup": {"GroupName": format!("sg-app-{}", rng.hex(6)), "GroupId": format!("sg-0{}", rng.hex(16)), "OwnerId": account, "VpcId": format!("vpc-0{}", rng.hex(16)),
            "IpPermissions": (0..4).map(|i| json!({"IpProtocol": "tcp", "FromPort": 22 + i, "ToPort": 22 + i, "IpRanges": [{"CidrIp": format!("10.{}.{}.0/24", i, rng.below(255))}]})).collect::<Vec<_>>()}});
    }
    let mut f = json!({
        "SchemaVersion": "2018-10-08",
        "Id": id,
        "ProductArn": format!("arn:aws:securityhub:{region}::product/aws/securityhub"),
        "ProductName": "Security Hub",
        "CompanyName": "AWS",
        "Region": region,
        "GeneratorId": format!("security-control/{control}"),
        "AwsAccountId": account,
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
        "FirstObservedAt": "2026-06-02T09:14:08.511Z",
        "LastObservedAt": updated,
        "CreatedAt": "2026-06-02T09:14:08.511Z",
        "UpdatedAt": updated,
        "Severity": {"Label": "HIGH", "Normalized": 70, "Original": "HIGH"},
        "Title": title,
        "Description": format!("This control checks whether {}. The control fails if the resource is configured in a way that does not meet the requirement. Refer to the remediation instructions to fix this issue. Resource {resource} was evaluated by AWS Config in {region} for account {account}; the evaluation result was recorded by Security Hub and mapped to the enabled standards.", title.to_lowercase()),
        "Remediation": {"Recommendation": {"Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.", "Url": format!("https://docs.aws.amazon.com/console/securityhub/{control}/remediation")}},
        "ProductFields": {
            "RelatedAWSResources:0/name": format!("securityhub-{}-{}", control.to_lowercase().replace('.', "-"), rng.hex(8)),
            "RelatedAWSResources:0/type": "AWS::Config::ConfigRule",
            "aws/securityhub/ProductName": "Security Hub",
            "aws/securityhub/CompanyName": "AWS",
            "Resources:0/Id": resource,
            "aws/securityhub/FindingId": format!("arn:aws:securityhub:{region}::product/aws/securityhub/{id}")
        },
        "Resources": [{"Type": rtype, "Id": resource, "Partition": "aws", "Region": region, "Details": details}],
        "Compliance": {"Status": status, "RelatedRequirements": [req], "SecurityControlId": control,
            "AssociatedStandards": [{"StandardsId": "standards/aws-foundational-security-best-practices/v/1.0.0"}, {"StandardsId": "standards/pci-dss/v/4.0.1"}]},
        "WorkflowState": "NEW",
        "Workflow": {"Status": workflow},
        "RecordState": record,
        "FindingProviderFields": {"Severity": {"Label": "HIGH", "Original": "HIGH"}, "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"]},
        "ProcessedAt": updated,
        "AwsAccountName": format!("acct-{account}")
    });
    if workflow == "SUPPRESSED" {
        f["Note"] = json!({"Text": "Accepted risk RISK-1234 until the NAT migration completes; compensating control: restrictive security group.", "UpdatedBy": format!("arn:aws:iam::{account}:role/SecurityLead"), "UpdatedAt": "2026-08-01T00:00:00.000Z"});
    }
    f
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = arg(&args, "--findings")
        .and_then(|v| v.parse().ok())
        .unwrap_or(250_000);
    let out = PathBuf::from(arg(&args, "--out").unwrap_or_else(|| "bench-data".into()));
    let pct: f64 = arg(&args, "--ecs16-percent")
        .and_then(|v| v.parse().ok())
        .unwrap_or(2.0);
    let mut rng = Rng(arg(&args, "--seed")
        .and_then(|v| v.parse().ok())
        .unwrap_or(16));
    let jsonl = args.iter().any(|a| a == "--jsonl");
    if let Some(task_sets) = arg(&args, "--dense-task-sets").and_then(|v| v.parse().ok()) {
        let finding_files = arg(&args, "--finding-files")
            .and_then(|v| v.parse().ok())
            .unwrap_or(200);
        let dump_files = arg(&args, "--dump-files")
            .and_then(|v| v.parse().ok())
            .unwrap_or(86_000);
        return dense(&mut rng, &out, task_sets, finding_files, dump_files);
    }
    let parts: u64 = arg(&args, "--firehose-parts")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut firehose = Firehose::new(&out, parts, n)?;
    fs::create_dir_all(out.join("dumps"))?;
    let mut page =
        BufWriter::with_capacity(1 << 20, fs::File::create(out.join("get-findings.json"))?);
    let mut lines = if jsonl {
        Some(BufWriter::with_capacity(
            1 << 20,
            fs::File::create(out.join("findings.jsonl"))?,
        ))
    } else {
        None
    };
    page.write_all(b"{\n    \"Findings\": [")?;
    let mut expected: BTreeMap<&str, u64> = OUTCOMES.iter().map(|o| (*o, 0)).collect();
    // Dumps: service → (task sets listed, task sets named as MISSING).
    #[allow(clippy::type_complexity)]
    let mut dumps: BTreeMap<(String, String, String), (Vec<Value>, Vec<String>)> = BTreeMap::new();
    let ecs16_every = (100.0 / pct).round().max(1.0) as u64;
    for i in 0..n {
        let account = format!("{:012}", 100_000_000_000u64 + rng.below(200) * 7919);
        let region = REGIONS[rng.below(REGIONS.len() as u64) as usize];
        let f = if i % ecs16_every == 0 {
            let service = format!("svc-{}", rng.below(50));
            let ts = format!(
                "arn:aws:ecs:{region}:{account}:task-set/cluster-{}/{service}/ecs-svc/{:019}",
                i % 3,
                i
            );
            let key = (account.clone(), region.to_string(), ts.clone());
            let outcome = OUTCOMES[(i / ecs16_every % 7) as usize];
            let (status, workflow, record, dump_ip) = match outcome {
                "NON_COMPLIANT" => ("FAILED", "NEW", "ACTIVE", Some("ENABLED")),
                "RISK_ACCEPTED" => ("FAILED", "SUPPRESSED", "ACTIVE", Some("ENABLED")),
                "CONFLICT" => ("FAILED", "NEW", "ACTIVE", Some("DISABLED")),
                "UNASSESSED_EXPOSED" => ("WARNING", "NEW", "ACTIVE", Some("ENABLED")),
                "UNASSESSED" => ("NOT_AVAILABLE", "NEW", "ACTIVE", Some("DISABLED")),
                "COMPLIANT" => ("PASSED", "RESOLVED", "ACTIVE", Some("DISABLED")),
                _ => ("FAILED", "NEW", "ACTIVE", None),
            };
            *expected.get_mut(outcome).unwrap() += 1;
            let svc_key = (
                key.0.clone(),
                key.1.clone(),
                ts.rsplitn(3, '/').nth(2).unwrap().to_string(),
            );
            let entry = dumps.entry(svc_key).or_default();
            if let Some(ip) = dump_ip {
                entry.0.push(json!({"id": format!("ecs-svc/{:019}", i), "taskSetArn": ts, "status": "ACTIVE", "launchType": "FARGATE",
                    "createdAt": "2026-06-01T00:00:00.000000+00:00", "updatedAt": "2026-06-01T00:00:00.000000+00:00",
                    "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-0aaa"], "securityGroups": ["sg-0bbb"], "assignPublicIp": ip}}}));
            } else {
                entry.1.push(ts.clone());
            }
            finding(
                &mut rng,
                (
                    "ECS.16",
                    "Other",
                    "ECS task sets should not automatically assign public IP addresses",
                    "PCI DSS v4.0.1/1.4.4",
                ),
                (&account, region, &ts),
                (status, workflow, record),
                i,
            )
        } else {
            let (control, rtype, title, req) = CONTROLS[rng.below(CONTROLS.len() as u64) as usize];
            let resource = format!(
                "arn:aws:{}:{region}:{account}:resource/{}",
                control.split('.').next().unwrap().to_lowercase(),
                rng.hex(12)
            );
            let status = if rng.below(3) == 0 {
                "PASSED"
            } else {
                "FAILED"
            };
            let workflow = if status == "PASSED" {
                "RESOLVED"
            } else {
                "NEW"
            };
            finding(
                &mut rng,
                (control, rtype, title, req),
                (&account, region, &resource),
                (status, workflow, "ACTIVE"),
                i,
            )
        };
        let pretty = serde_json::to_string_pretty(&f)
            .unwrap()
            .replace('\n', "\n        ");
        page.write_all(if i == 0 {
            b"\n        "
        } else {
            b",\n        "
        })?;
        page.write_all(pretty.as_bytes())?;
        if let Some(l) = lines.as_mut() {
            serde_json::to_writer(&mut *l, &f)?;
            l.write_all(b"\n")?;
        }
        firehose.write(i, &f)?;
    }
    firehose.finish()?;
    page.write_all(b"\n    ]\n}\n")?;
    page.flush()?;
    // GONE task sets: named as MISSING in their service's dump (`failures`), as describe-task-sets reports a
    // task set asked for by ARN that no longer exists. A dump speaks only for the task sets it lists or names
    // (without --complete-dumps), so a task set merely left out would be NOT_COVERED, not GONE.
    let mut k = 0;
    for ((account, region, _), (sets, gone)) in &dumps {
        let mut sets = sets.clone();
        sets.sort_by(|a, b| a["taskSetArn"].as_str().cmp(&b["taskSetArn"].as_str()));
        let failures: Vec<Value> = gone
            .iter()
            .map(|arn| json!({"arn": arn, "reason": "MISSING", "detail": "task set not found"}))
            .collect();
        let v = json!({"taskSets": sets, "failures": failures});
        fs::write(
            out.join("dumps")
                .join(format!("dump-{k:05}-{account}-{region}.json")),
            serde_json::to_vec_pretty(&v)?,
        )?;
        k += 1;
    }
    if let Some(mut l) = lines {
        l.flush()?;
    }
    let total: u64 = expected.values().sum();
    fs::write(
        out.join("expected.json"),
        serde_json::to_vec_pretty(
            &json!({"findings": n, "ecs16_findings": total, "outcomes": expected}),
        )?,
    )?;
    eprintln!(
        "wrote {n} findings ({total} ECS.16) and {k} dumps to {}",
        out.display()
    );
    Ok(())
}

/// A Firehose archive being written: `parts` gzip files of compact JSON Lines, the findings spread evenly
/// over them in order (Firehose buffers by size or time, so every part holds a run of consecutive records).
struct Firehose {
    dir: std::path::PathBuf,
    parts: u64,
    per_part: u64,
    current: Option<(u64, flate2::write::GzEncoder<BufWriter<fs::File>>)>,
}

impl Firehose {
    fn new(out: &Path, parts: u64, findings: u64) -> std::io::Result<Self> {
        let dir = out.join("firehose");
        if parts > 0 {
            fs::create_dir_all(&dir)?;
        }
        Ok(Firehose {
            dir,
            parts,
            per_part: findings.div_ceil(parts.max(1)).max(1),
            current: None,
        })
    }

    fn write(&mut self, i: u64, f: &Value) -> std::io::Result<()> {
        if self.parts == 0 {
            return Ok(());
        }
        let part = i / self.per_part;
        if self.current.as_ref().map(|(p, _)| *p) != Some(part) {
            self.finish()?;
            let file = fs::File::create(self.dir.join(format!("part-{part:05}.json.gz")))?;
            let gz = flate2::write::GzEncoder::new(
                BufWriter::with_capacity(1 << 16, file),
                flate2::Compression::default(),
            );
            self.current = Some((part, gz));
        }
        if let Some((_, gz)) = self.current.as_mut() {
            serde_json::to_writer(&mut *gz, f)?;
            gz.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        if let Some((_, gz)) = self.current.take() {
            gz.finish()?.flush()?;
        }
        Ok(())
    }
}

/// One task set of the dense organisation, as `describe-task-sets` prints it (about 2 KB pretty-printed).
fn dense_task_set(i: u64, ts: &str, service_arn: &str, cluster_arn: &str, ip: &str) -> Value {
    let (account, region) = {
        let mut parts = ts.split(':');
        let region = parts.nth(3).unwrap_or_default().to_string();
        (parts.next().unwrap_or_default().to_string(), region)
    };
    json!({
        "id": format!("ecs-svc/{i:019}"),
        "taskSetArn": ts,
        "serviceArn": service_arn,
        "clusterArn": cluster_arn,
        "startedBy": "ecs-svc",
        "externalId": format!("deploy-{i:08}"),
        "status": if i % 2 == 0 { "PRIMARY" } else { "ACTIVE" },
        "taskDefinition": format!("arn:aws:ecs:{region}:{account}:task-definition/app-{}:{}", i % 97, 1 + i % 13),
        "computedDesiredCount": 2,
        "pendingCount": 0,
        "runningCount": 2,
        "createdAt": "2026-06-01T00:00:00.000000+00:00",
        "updatedAt": "2026-09-20T00:00:00.000000+00:00",
        "launchType": "FARGATE",
        "platformVersion": "1.4.0",
        "platformFamily": "Linux",
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": [format!("subnet-0{:016x}", i * 2), format!("subnet-0{:016x}", i * 2 + 1)],
            "securityGroups": [format!("sg-0{:016x}", i)],
            "assignPublicIp": ip}},
        "loadBalancers": [{"targetGroupArn": format!("arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/tg-{i}/{:016x}", i), "containerName": "app", "containerPort": 8080}],
        "serviceRegistries": [],
        "scale": {"value": 100.0, "unit": "PERCENT"},
        "stabilityStatus": "STEADY_STATE",
        "stabilityStatusAt": "2026-09-20T00:05:00.000000+00:00",
        "tags": [{"key": "team", "value": format!("team-{}", i % 40)}, {"key": "cost-center", "value": format!("cc-{}", i % 11)}]
    })
}

/// Pretty JSON with four-space indentation, as the AWS CLI prints it.
fn cli_pretty(v: &Value) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        serde_json::ser::PrettyFormatter::with_indent(b"    "),
    );
    serde::Serialize::serialize(v, &mut ser)?;
    out.push(b'\n');
    Ok(out)
}

/// The dense organisation (see the module comment): `task_sets` task sets, each with one ECS.16 finding,
/// the outcomes in turn.
fn dense(
    rng: &mut Rng,
    out: &Path,
    task_sets: u64,
    finding_files: u64,
    dump_files: u64,
) -> std::io::Result<()> {
    fs::create_dir_all(out.join("findings"))?;
    fs::create_dir_all(out.join("dumps"))?;
    let mut expected: BTreeMap<&str, u64> = OUTCOMES.iter().map(|o| (*o, 0)).collect();
    // Services: the first `doubles` hold two task sets, the rest one, so `dump_files` dumps hold them all.
    let dump_files = dump_files.clamp(1, task_sets.max(1));
    let doubles = task_sets - dump_files;
    let per_file = task_sets.div_ceil(finding_files.max(1)).max(1);
    let mut page: Vec<u8> = Vec::new();
    let mut in_page = 0u64;
    let mut pages = 0u64;
    let mut i = 0u64;
    for s in 0..dump_files {
        let account = format!("{:012}", 200_000_000_000u64 + (s % 50) * 7919);
        let region = REGIONS[(s / 50 % REGIONS.len() as u64) as usize];
        let cluster = format!("cluster-{}", s % 7);
        let service = format!("svc-{s:06}");
        let cluster_arn = format!("arn:aws:ecs:{region}:{account}:cluster/{cluster}");
        let service_arn = format!("arn:aws:ecs:{region}:{account}:service/{cluster}/{service}");
        let mut listed = Vec::new();
        let mut failures = Vec::new();
        for _ in 0..if s < doubles { 2 } else { 1 } {
            let ts = format!(
                "arn:aws:ecs:{region}:{account}:task-set/{cluster}/{service}/ecs-svc/{i:019}"
            );
            let outcome = OUTCOMES[(i % 7) as usize];
            *expected.entry(outcome).or_default() += 1;
            let (status, workflow, dump_ip) = match outcome {
                "NON_COMPLIANT" => ("FAILED", "NEW", Some("ENABLED")),
                "RISK_ACCEPTED" => ("FAILED", "SUPPRESSED", Some("ENABLED")),
                "CONFLICT" => ("FAILED", "NEW", Some("DISABLED")),
                "UNASSESSED_EXPOSED" => ("WARNING", "NEW", Some("ENABLED")),
                "UNASSESSED" => ("NOT_AVAILABLE", "NEW", Some("DISABLED")),
                "COMPLIANT" => ("PASSED", "RESOLVED", Some("DISABLED")),
                _ => ("FAILED", "NEW", None),
            };
            match dump_ip {
                Some(ip) => listed.push(dense_task_set(i, &ts, &service_arn, &cluster_arn, ip)),
                None => failures
                    .push(json!({"arn": ts, "reason": "MISSING", "detail": "task set not found"})),
            }
            let control = (
                "ECS.16",
                "Other",
                "ECS task sets should not automatically assign public IP addresses",
                "PCI DSS v4.0.1/1.4.4",
            );
            let f = finding(
                rng,
                control,
                (&account, region, &ts),
                (status, workflow, "ACTIVE"),
                i,
            );
            let pretty = serde_json::to_string_pretty(&f)?.replace('\n', "\n        ");
            page.extend_from_slice(if in_page == 0 {
                b"{\n    \"Findings\": [\n        "
            } else {
                b",\n        "
            });
            page.extend_from_slice(pretty.as_bytes());
            in_page += 1;
            i += 1;
            if in_page == per_file {
                page.extend_from_slice(b"\n    ]\n}\n");
                fs::write(
                    out.join("findings").join(format!("page-{pages:04}.json")),
                    &page,
                )?;
                page.clear();
                in_page = 0;
                pages += 1;
            }
        }
        let dump = json!({"taskSets": listed, "failures": failures});
        // A thousand dumps a folder, as a collector writing one file per service would spread them.
        let folder = out.join("dumps").join(format!("{:03}", s / 1000));
        if s % 1000 == 0 {
            fs::create_dir_all(&folder)?;
        }
        fs::write(folder.join(format!("{service}.json")), cli_pretty(&dump)?)?;
    }
    if in_page > 0 {
        page.extend_from_slice(b"\n    ]\n}\n");
        fs::write(
            out.join("findings").join(format!("page-{pages:04}.json")),
            &page,
        )?;
        pages += 1;
    }
    fs::write(
        out.join("expected.json"),
        serde_json::to_vec_pretty(
            &json!({"findings": task_sets, "ecs16_findings": task_sets, "task_sets": task_sets,
                "finding_files": pages, "dump_files": dump_files, "outcomes": expected}),
        )?,
    )?;
    eprintln!(
        "wrote {task_sets} ECS.16 findings in {pages} pages and {dump_files} dumps to {}",
        out.display()
    );
    Ok(())
}
