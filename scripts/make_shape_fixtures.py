#!/usr/bin/env python3
"""Writes tests/fixtures/shapes/: one scenario expressed in every input shape the tool accepts.

Each sub-folder holds the same five task sets' evidence in one shape (findings shapes use the same
describe-task-sets dump; inventory shapes use the same get-findings page). The test `shapes.rs` checks that
every folder reconciles to the same rows. Everything is synthetic; re-running writes the same bytes.
"""
import gzip
import hashlib
import json
import os
import shutil

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "shapes")
ACCT, NAME, REGION = "210987654321", "media-prod", "us-west-2"
CLUSTER, SERVICE = "streaming", "ingest"


def arn(n):
    return f"arn:aws:ecs:{REGION}:{ACCT}:task-set/{CLUSTER}/{SERVICE}/ecs-svc/77000000000000000{n:02d}"


def uid(*parts):
    h = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


# (task set, Compliance.Status, Workflow.Status, note)
SCENARIO = [
    (1, "FAILED", "NEW", None),
    (2, "FAILED", "SUPPRESSED", ("RISK-77: live-stream ingest keeps a public IP until 2026-12-01", "arn:aws:iam::210987654321:user/risk")),
    (3, "PASSED", "RESOLVED", None),
    (4, "FAILED", "NEW", None),
    (5, "NOT_AVAILABLE", "NEW", None),
]
UPDATED = "2026-09-22T07:30:00.000Z"


def asff(n, status, workflow, note, standard=None, control="ECS.16", resource=None):
    resource = resource or arn(n)
    if standard:
        fid = f"arn:aws:securityhub:{REGION}:{ACCT}:subscription/{standard}/{control}/finding/{uid(standard, resource)}"
        gen = f"{standard}/{control}"
    else:
        fid = f"arn:aws:securityhub:{REGION}:{ACCT}:security-control/{control}/finding/{uid(control, resource)}"
        gen = f"security-control/{control}"
    f = {
        "SchemaVersion": "2018-10-08", "Id": fid,
        "ProductArn": f"arn:aws:securityhub:{REGION}::product/aws/securityhub",
        "ProductName": "Security Hub", "CompanyName": "AWS", "Region": REGION, "GeneratorId": gen,
        "AwsAccountId": ACCT, "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
        "FirstObservedAt": "2026-09-01T00:00:00.000Z", "LastObservedAt": UPDATED,
        "CreatedAt": "2026-09-01T00:00:00.000Z", "UpdatedAt": UPDATED,
        "Severity": {"Label": "HIGH", "Normalized": 70, "Original": "HIGH"},
        "Title": "ECS task sets should not automatically assign public IP addresses",
        "Description": "Checks assignPublicIp of ECS task sets.",
        "ProductFields": {"Resources:0/Id": resource},
        "Resources": [{"Type": "Other", "Id": resource, "Partition": "aws", "Region": REGION}],
        "Compliance": {"Status": status, "RelatedRequirements": ["PCI DSS v4.0.1/1.4.4"], "SecurityControlId": control},
        "WorkflowState": "NEW", "Workflow": {"Status": workflow}, "RecordState": "ACTIVE",
    }
    if standard:
        f["ProductFields"].update({"StandardsArn": f"arn:aws:securityhub:::standards/{standard}", "ControlId": control})
        del f["Compliance"]["SecurityControlId"]
    if note:
        f["Note"] = {"Text": note[0], "UpdatedBy": note[1], "UpdatedAt": "2026-09-10T00:00:00.000Z"}
    f["ProcessedAt"] = UPDATED
    f["AwsAccountName"] = NAME
    return f


def ocsf(n, status, workflow, note, control="ECS.16", resource=None):
    resource = resource or arn(n)
    st = {"FAILED": ("Fail", 3), "PASSED": ("Pass", 1), "WARNING": ("Warning", 2), "NOT_AVAILABLE": ("Unknown", 0)}[status]
    wf = {"NEW": (1, "New"), "NOTIFIED": (2, "In Progress"), "SUPPRESSED": (3, "Suppressed"), "RESOLVED": (4, "Resolved")}[workflow]
    d = {
        "activity_id": 2, "activity_name": "Update", "category_name": "Findings", "category_uid": 2,
        "class_name": "Compliance Finding", "class_uid": 2003, "type_uid": 200302,
        "cloud": {"account": {"type": "AWS Account", "type_id": 10, "uid": ACCT, "name": NAME},
                  "provider": "AWS", "region": REGION},
        "compliance": {"control": control, "status": st[0], "status_id": st[1],
                       "standards": ["standards/aws-foundational-security-best-practices/v/1.0.0", "standards/pci-dss/v/4.0.1"],
                       "requirements": ["PCI DSS v4.0.1/1.4.4"]},
        "finding_info": {
            "uid": f"arn:aws:securityhub:{REGION}:{ACCT}:security-control/{control}/finding/{uid(control, resource)}",
            "title": "ECS task sets should not automatically assign public IP addresses",
            "desc": "Checks assignPublicIp of ECS task sets.",
            "created_time_dt": "2026-09-01T00:00:00.000Z", "first_seen_time_dt": "2026-09-01T00:00:00.000Z",
            "last_seen_time_dt": UPDATED, "modified_time_dt": UPDATED,
            "analytic": {"category": "AWS::Config::ConfigRule", "name": "securityhub-ecs-taskset-assign-public-ip-disabled-1a2b3c4d", "type": "Rule", "type_id": 1},
        },
        "metadata": {"product": {"name": "Security Hub", "uid": f"arn:aws:securityhub:{REGION}::productv2/aws/securityhub", "vendor_name": "AWS"},
                     "version": "1.6.0"},
        "resources": [{"type": "AWS::ECS::TaskSet", "uid": resource.rsplit("/", 2)[-2] + "/" + resource.rsplit("/", 1)[-1],
                       "uid_alt": resource, "region": REGION, "cloud_partition": "aws"}],
        "severity": "High", "severity_id": 4, "status": wf[1], "status_id": wf[0],
        "time": 1790062200000, "time_dt": UPDATED,
    }
    if note:
        d["comment"] = note[0]
    return d


def others_asff():
    return [asff(0, "FAILED", "NEW", None, control="ECS.2", resource=f"arn:aws:ecs:{REGION}:{ACCT}:service/{CLUSTER}/{SERVICE}"),
            asff(0, "PASSED", "RESOLVED", None, control="S3.1", resource=f"AWS::::Account:{ACCT}")]


def event(f, detail_type="Security Hub Findings - Imported"):
    e = {"version": "0", "id": uid("event", json.dumps(f, sort_keys=True)), "detail-type": detail_type,
         "source": "aws.securityhub", "account": ACCT, "time": "2026-09-22T07:30:01Z", "region": REGION,
         "resources": [f"{f.get('ProductArn', 'x')}/{f.get('Id', 'x')}"], "detail": {"findings": [f]}}
    if detail_type.endswith("Custom Action"):
        e["detail"] = {"actionName": "SendToTicketing", "actionDescription": "Opens a ticket", "findings": [f]}
    if detail_type == "Findings Imported V2":
        e["resources"] = [hashlib.sha256(json.dumps(f, sort_keys=True).encode()).hexdigest()]
    return e


def task_set(n, ip, stamp):
    t = {"id": f"ecs-svc/77000000000000000{n:02d}", "taskSetArn": arn(n),
         "serviceArn": f"arn:aws:ecs:{REGION}:{ACCT}:service/{CLUSTER}/{SERVICE}",
         "clusterArn": f"arn:aws:ecs:{REGION}:{ACCT}:cluster/{CLUSTER}", "externalId": f"ext-{n}",
         "status": "PRIMARY" if n == 3 else "ACTIVE",
         "taskDefinition": f"arn:aws:ecs:{REGION}:{ACCT}:task-definition/ingest:{n}",
         "computedDesiredCount": 1, "pendingCount": 0, "runningCount": 1,
         "createdAt": stamp("2026-08-20T12:00:00.250"), "updatedAt": stamp("2026-08-20T12:00:00.250"),
         "launchType": "FARGATE" if ip else "EC2"}
    if ip:
        t["networkConfiguration"] = {"awsvpcConfiguration": {"subnets": [f"subnet-0{n}"], "securityGroups": [f"sg-0{n}"], "assignPublicIp": ip}}
    t["scale"] = {"value": 100.0, "unit": "PERCENT"}
    t["stabilityStatus"] = "STEADY_STATE"
    return t


INVENTORY = [(1, "ENABLED"), (2, "ENABLED"), (3, "DISABLED"), (5, None)]  # 4 is not listed: GONE


def v2_utc(s):
    return s + "000+00:00"


def v2_minus4_whole(s):
    from datetime import datetime, timedelta, timezone
    t = datetime.fromisoformat(s + "+00:00").astimezone(timezone(timedelta(hours=-4)))
    return t.replace(microsecond=0).isoformat()


def v1_epoch(s):
    from datetime import datetime
    return round(datetime.fromisoformat(s + "+00:00").timestamp(), 3)


def dump_task_sets(stamp=v2_utc):
    return {"taskSets": [task_set(n, ip, stamp) for n, ip in INVENTORY], "failures": []}


def dump_services():
    return {"services": [{
        "serviceArn": f"arn:aws:ecs:{REGION}:{ACCT}:service/{CLUSTER}/{SERVICE}", "serviceName": SERVICE,
        "clusterArn": f"arn:aws:ecs:{REGION}:{ACCT}:cluster/{CLUSTER}", "status": "ACTIVE",
        "desiredCount": 1, "runningCount": 4, "pendingCount": 0,
        "taskSets": [task_set(n, ip, v2_utc) for n, ip in INVENTORY],
        "deploymentController": {"type": "EXTERNAL"}}], "failures": []}


def pretty(v):
    return json.dumps(v, indent=4, ensure_ascii=False) + "\n"


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def put(folder, name, text):
    path = os.path.join(ROOT, folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode()
    with open(path, "wb") as fh:
        fh.write(data)


def gz(data):
    return gzip.compress(data.encode(), mtime=0)


def main():
    shutil.rmtree(ROOT, ignore_errors=True)
    findings = [asff(*s) for s in SCENARIO]
    everything = others_asff()[:1] + findings + others_asff()[1:]
    inv = pretty(dump_task_sets())

    shapes = {
        "asff-get-findings-page": {"page.json": pretty({"Findings": everything})},
        "asff-get-findings-pages": {
            "page-1.json": pretty({"Findings": everything[:3], "NextToken": "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAzfQ=="}),
            "page-2.json": pretty({"Findings": everything[3:]})},
        "asff-array": {"findings.json": pretty(everything)},
        "asff-json-lines": {"findings.jsonl": "".join(compact(f) + "\n" for f in everything)},
        "asff-single-objects": {f"finding-{i}.json": pretty(f) for i, f in enumerate(everything)},
        "asff-get-findings-page-gzip": {"page.json.gz": gz(pretty({"Findings": everything}))},
        "eventbridge-one-per-file": {f"event-{i}.json": pretty(event(f)) for i, f in enumerate(everything)},
        "eventbridge-json-lines": {"events.jsonl": "".join(compact(event(f)) + "\n" for f in everything)},
        "eventbridge-custom-action": {"events.jsonl": "".join(compact(event(f, "Security Hub Findings - Custom Action")) + "\n" for f in everything)},
        "firehose-concatenated": {"firehose-object": "".join(compact(event(f)) for f in everything)},
        "firehose-concatenated-gzip": {"firehose-object.gz": gz("".join(compact(event(f)) for f in everything))},
        "consolidated-off": {"page.json": pretty({"Findings": [
            asff(n, st, (wf if std.startswith("pci") else ("RESOLVED" if st == "PASSED" else "NEW")),
                 note if std.startswith("pci") else None, standard=std)
            for (n, st, wf, note) in SCENARIO
            for std in ("aws-foundational-security-best-practices/v/1.0.0", "pci-dss/v/4.0.1")]})},
        "ocsf-get-findings-v2": {"v2.json": pretty({"Findings": [ocsf(*s) for s in SCENARIO]
                                                    + [ocsf(0, "FAILED", "NEW", None, control="ECS.2",
                                                            resource=f"arn:aws:ecs:{REGION}:{ACCT}:service/{CLUSTER}/{SERVICE}")]})},
        "ocsf-eventbridge-v2": {"events.jsonl": "".join(compact(event(ocsf(*s), "Findings Imported V2")) + "\n" for s in SCENARIO)},
        "mixed-asff-and-ocsf": {"asff.json": pretty({"Findings": [asff(*s) for s in SCENARIO[:3]]}),
                                "ocsf.json": pretty({"Findings": [ocsf(*s) for s in SCENARIO[3:]]})},
    }
    for folder, files in shapes.items():
        for name, text in files.items():
            put(folder, f"findings/{name}", text)
        put(folder, "inventory/describe-task-sets.json", inv)

    page = pretty({"Findings": everything})
    inventories = {
        "inventory-describe-services": pretty(dump_services()),
        "inventory-cli-v1-epoch": pretty(dump_task_sets(v1_epoch)),
        "inventory-cli-v2-offset-no-fraction": pretty(dump_task_sets(v2_minus4_whole)),
        "inventory-bom-utf8": "\ufeff" + pretty(dump_task_sets()),
    }
    for folder, text in inventories.items():
        put(folder, "findings/page.json", page)
        put(folder, "inventory/dump.json", text)


if __name__ == "__main__":
    main()
