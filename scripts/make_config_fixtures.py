#!/usr/bin/env python3
"""Writes tests/fixtures/config/: one scenario read from AWS Config in every form Config hands it out.

Nobody has published an AWS Config item of type AWS::ECS::TaskSet (see tests/fixtures/published/NOTES.md), so
these are synthetic. Their shapes follow the published examples exactly:

* the S3 snapshot and history files: tests/fixtures/published/config/awsdocs-config-snapshot-s3-example.json and
  awsdocs-config-history-s3-example.json (envelope `fileVersion`, `configurationItems`), with the keys AWS
  delivers to S3 (`awsAccountId`, `ARN`, `configurationItemVersion`; see awsdocs-sns-configuration-item-change-
  security-group.json for that spelling) and the `configSnapshotId` real snapshot files carry;
* `get-resource-config-history` / `batch-get-resource-config` (CLI v1: epoch capture times, `accountId`, `arn`,
  `version`, `configuration` as a JSON string): awsdocs-get-resource-config-history-conformance-pack-cli-v1.json
  and awsdocs-batch-get-resource-config-custom-type.json;
* `select-aggregate-resource-config`: awsdocs-select-aggregate-resource-config-volumes.invalid.json (every result
  a JSON string, `configuration` nested inside it);
* the `configuration` of AWS::ECS::TaskSet: the property names of
  resource-schema-AWS_ECS_TaskSet.properties.json (`NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp`,
  `Cluster`, `Service`, `Id`), PascalCase as the real AWS::ECS::Service item in
  placebo-get-resource-config-history-ecs-service.json.

Scenario (account 444455556666, eu-central-1, service checkout/web), with one get-findings page:
  1  FAILED   Config: ENABLED                                   -> NON_COMPLIANT / ENABLED
  2  PASSED   Config: DISABLED                                  -> COMPLIANT / DISABLED
  3  FAILED   Config history: ENABLED 20 Jun, 15 Jul; deleted 9 Aug  -> GONE / MISSING where history is read;
              a snapshot or query (current resources only) does not know it: a coverage question, NOT_COVERED
  4  FAILED   Config knows nothing of it                        -> NOT_COVERED, never GONE
The test `config.rs` checks each folder's rows and, for the history forms, the exact exposure days.
Re-running writes the same bytes (gzip mtime 0).
"""
import gzip
import json
import os
import shutil
from datetime import datetime, timezone

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "config")
ACCT, NAME, REGION = "444455556666", "retail-prod", "eu-central-1"
CLUSTER, SERVICE = "checkout", "web"
PROCESSED = "2026-09-22T07:30:00.000Z"
SNAPSHOT_ID = "3b7c1a52-6f0e-4d8a-9c41-5e2f0b9d7a10"


def ts_id(n):
    return f"ecs-svc/50000000000000000{n:02d}"


def arn(n):
    return f"arn:aws:ecs:{REGION}:{ACCT}:task-set/{CLUSTER}/{SERVICE}/{ts_id(n)}"


SERVICE_ARN = f"arn:aws:ecs:{REGION}:{ACCT}:service/{CLUSTER}/{SERVICE}"
CLUSTER_ARN = f"arn:aws:ecs:{REGION}:{ACCT}:cluster/{CLUSTER}"


def finding(n, status, workflow):
    resource = arn(n)
    # Security Hub first evaluated each task set when Config discovered it (task set 4: Config never did).
    first = {1: "2026-07-02T11:20:00.000Z", 2: "2026-07-02T11:20:00.000Z"}.get(n, "2026-06-20T09:05:00.000Z")
    return {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:securityhub:{REGION}:{ACCT}:security-control/ECS.16/finding/0000000{n}-aaaa-4bbb-8ccc-0000000000{n:02d}",
        "ProductArn": f"arn:aws:securityhub:{REGION}::product/aws/securityhub",
        "ProductName": "Security Hub", "CompanyName": "AWS", "Region": REGION,
        "GeneratorId": "security-control/ECS.16", "AwsAccountId": ACCT,
        "Types": ["Software and Configuration Checks/Industry and Regulatory Standards"],
        "FirstObservedAt": first, "LastObservedAt": PROCESSED,
        "CreatedAt": first, "UpdatedAt": PROCESSED,
        "Severity": {"Label": "HIGH", "Normalized": 70, "Original": "HIGH"},
        "Title": "ECS task sets should not automatically assign public IP addresses",
        "Description": "This control checks whether an Amazon ECS task set is configured to automatically assign public IP addresses.",
        "Resources": [{"Type": "AwsEcsTaskSet", "Id": resource, "Partition": "aws", "Region": REGION}],
        "Compliance": {"Status": status, "RelatedRequirements": ["PCI DSS v4.0.1/1.4.4"], "SecurityControlId": "ECS.16"},
        "WorkflowState": "NEW", "Workflow": {"Status": workflow}, "RecordState": "ACTIVE",
        "ProcessedAt": PROCESSED, "AwsAccountName": NAME,
    }


FINDINGS = {"Findings": [finding(1, "FAILED", "NEW"), finding(2, "PASSED", "RESOLVED"),
                         finding(3, "FAILED", "NEW"), finding(4, "FAILED", "NEW")]}


def configuration(n, ip, camel=False):
    """The item's `configuration` for a task set, PascalCase as CloudFormation (camelCase when asked)."""
    c = {"Cluster": CLUSTER, "Service": SERVICE, "Id": ts_id(n), "ExternalId": f"deploy-{n}",
         "LaunchType": "FARGATE", "TaskDefinition": f"arn:aws:ecs:{REGION}:{ACCT}:task-definition/web:{n}",
         "Scale": {"Unit": "PERCENT", "Value": 100.0},
         "NetworkConfiguration": {"AwsVpcConfiguration": {"AssignPublicIp": ip, "Subnets": [f"subnet-0c0{n}"],
                                                          "SecurityGroups": [f"sg-0c0{n}"]}},
         "LoadBalancers": [], "ServiceRegistries": []}
    if camel:
        c = camelise(c)
    return c


def camelise(v):
    if isinstance(v, dict):
        return {k[0].lower() + k[1:]: camelise(x) for k, x in v.items()}
    if isinstance(v, list):
        return [camelise(x) for x in v]
    return v


def iso(t):
    return t + ".000Z"


def epoch(t):
    d = datetime.strptime(t, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return round(d.timestamp() + 0.123, 3)


# (task set, capture time, AssignPublicIp or None when deleted, status)
HISTORY = [
    (3, "2026-06-20T09:00:00", "ENABLED", "ResourceDiscovered"),
    (1, "2026-07-02T11:15:00", "ENABLED", "ResourceDiscovered"),
    (2, "2026-07-02T11:16:00", "DISABLED", "ResourceDiscovered"),
    (3, "2026-07-15T08:00:00", "ENABLED", "OK"),
    (3, "2026-08-09T16:45:00", None, "ResourceDeleted"),
]
CURRENT = [h for h in HISTORY if h[0] in (1, 2)]


def s3_item(n, when, ip, status):
    """An item as Config delivers it to S3: awsAccountId, ARN, configurationItemVersion, object configuration."""
    return {
        "relatedEvents": [], "relationships": [{"resourceId": SERVICE_ARN, "resourceType": "AWS::ECS::Service",
                                                "name": "Is associated with "}],
        "configuration": None if ip is None else configuration(n, ip),
        "supplementaryConfiguration": {}, "tags": {},
        "configurationItemVersion": "1.3", "configurationItemCaptureTime": iso(when),
        "configurationStateId": int(epoch(when) * 1000), "awsAccountId": ACCT,
        "configurationItemStatus": status, "resourceType": "AWS::ECS::TaskSet",
        "resourceId": f"{CLUSTER_ARN}|{SERVICE_ARN}|{ts_id(n)}", "resourceName": ts_id(n), "ARN": arn(n),
        "awsRegion": REGION, "availabilityZone": "Regional",
        "configurationStateMd5Hash": "", "resourceCreationTime": None if ip is None else iso(HISTORY[0][1]),
    }


def api_item(n, when, ip, status, camel=False):
    """An item as the API and CLI v1 print it: accountId, arn, version, epoch times, string configuration."""
    item = {
        "version": "1.3", "accountId": ACCT, "configurationItemCaptureTime": epoch(when),
        "configurationItemStatus": status, "configurationStateId": str(int(epoch(when) * 1000)),
        "configurationItemMD5Hash": "", "arn": arn(n), "resourceType": "AWS::ECS::TaskSet",
        "resourceId": f"{CLUSTER_ARN}|{SERVICE_ARN}|{ts_id(n)}", "resourceName": ts_id(n),
        "awsRegion": REGION, "availabilityZone": "Regional",
        "tags": {}, "relatedEvents": [], "relationships": [],
        "configuration": "" if ip is None else json.dumps(configuration(n, ip, camel), separators=(",", ":")),
        "supplementaryConfiguration": {},
    }
    if ip is None:
        # A deleted resource's item carries no configuration (the S3 form has null, the API none at all).
        del item["configuration"]
    return item


def query_result(n, when, ip):
    """One result of `select-aggregate-resource-config`: a JSON text holding the selected fields."""
    r = {"accountId": ACCT, "awsRegion": REGION, "resourceId": f"{CLUSTER_ARN}|{SERVICE_ARN}|{ts_id(n)}",
         "resourceType": "AWS::ECS::TaskSet", "arn": arn(n), "configurationItemStatus": "OK",
         "configurationItemCaptureTime": iso(when), "configuration": configuration(n, ip)}
    return json.dumps(r, separators=(",", ":"))


def other_items():
    """Items of other resource types a real snapshot holds beside the task sets: counted, kept for later."""
    return [{
        "configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-07-02T11:00:00.000Z",
        "awsAccountId": ACCT, "configurationItemStatus": "OK", "resourceType": "AWS::ECS::Service",
        "resourceId": SERVICE_ARN, "resourceName": SERVICE, "ARN": SERVICE_ARN, "awsRegion": REGION,
        "availabilityZone": "Regional", "tags": {}, "relationships": [], "relatedEvents": [],
        "supplementaryConfiguration": {},
        "configuration": {"ServiceArn": SERVICE_ARN, "ServiceName": SERVICE, "Cluster": CLUSTER_ARN,
                          "DeploymentController": {"Type": "EXTERNAL"}, "LoadBalancers": []},
    }, {
        "configurationItemVersion": "1.3", "configurationItemCaptureTime": "2026-07-02T10:00:00.000Z",
        "awsAccountId": ACCT, "configurationItemStatus": "OK", "resourceType": "AWS::EC2::SecurityGroup",
        "resourceId": "sg-0c01", "resourceName": "web", "ARN": f"arn:aws:ec2:{REGION}:{ACCT}:security-group/sg-0c01",
        "awsRegion": REGION, "availabilityZone": "Not Applicable", "tags": {}, "relationships": [],
        "relatedEvents": [], "supplementaryConfiguration": {},
        "configuration": {"groupId": "sg-0c01", "groupName": "web", "vpcId": "vpc-0c0", "ipPermissions": [],
                          "ipPermissionsEgress": []},
    }]


def pretty(v):
    return json.dumps(v, indent=4) + "\n"


def put(folder, name, data):
    path = os.path.join(ROOT, folder, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def gz(text):
    return gzip.compress(text.encode(), mtime=0)


def s3_key(kind, when, suffix):
    d = datetime.strptime(when, "%Y-%m-%dT%H:%M:%S")
    stamp = d.strftime("%Y%m%dT%H%M%SZ")
    return (f"inventory/AWSLogs/{ACCT}/Config/{REGION}/{d.year}/{d.month}/{d.day}/{kind}/"
            f"{ACCT}_Config_{REGION}_{kind}_AWS__ECS__TaskSet_{stamp}_{suffix}.json.gz") if kind == "ConfigHistory" else (
            f"inventory/AWSLogs/{ACCT}/Config/{REGION}/{d.year}/{d.month}/{d.day}/{kind}/"
            f"{ACCT}_Config_{REGION}_{kind}_{stamp}_{suffix}.json.gz")


def main():
    if os.path.isdir(ROOT):
        for entry in os.listdir(ROOT):
            if entry != "README.md":
                shutil.rmtree(os.path.join(ROOT, entry))
    page = pretty(FINDINGS)

    # 1. The S3 snapshot (gzip): current resources of the account-region, with configSnapshotId.
    f = "snapshot-s3-gzip"
    put(f, "findings/page.json", page)
    items = [s3_item(*h) for h in CURRENT] + other_items()
    snap = {"fileVersion": "1.0", "configSnapshotId": SNAPSHOT_ID, "configurationItems": items}
    put(f, s3_key("ConfigSnapshot", "2026-09-22T06:00:00", SNAPSHOT_ID), gz(pretty(snap)))

    # 2. The S3 history files (gzip), one per delivery, as Config writes them every six hours.
    f = "history-s3-gzip"
    put(f, "findings/page.json", page)
    by_day = {}
    for h in HISTORY:
        by_day.setdefault(h[1][:10], []).append(h)
    for i, (day, hs) in enumerate(sorted(by_day.items())):
        body = {"fileVersion": "1.0", "configurationItems": [s3_item(*h) for h in hs]}
        put(f, s3_key("ConfigHistory", hs[0][1], f"{i:04d}"), gz(pretty(body)))

    # 3. The API, CLI v1: get-resource-config-history of task set 3 (newest first, as the API returns it),
    #    batch-get-resource-config of 1 and 2, configuration a JSON string (camelCase for task set 2).
    f = "api-cli-v1"
    put(f, "findings/page.json", page)
    three = [h for h in HISTORY if h[0] == 3]
    history = {"configurationItems": [api_item(*h) for h in reversed(three)]}
    put(f, "inventory/get-resource-config-history-task-set-3.json", pretty(history))
    batch = {"unprocessedResourceKeys": [],
             "baseConfigurationItems": [api_item(*CURRENT[0]), api_item(*CURRENT[1], camel=True)]}
    for b in batch["baseConfigurationItems"]:
        for k in ("tags", "relatedEvents", "relationships", "configurationItemMD5Hash", "arn"):
            b.pop(k)
    put(f, "inventory/batch-get-resource-config.json", pretty(batch))

    # 4. The aggregator query: every result a JSON string; it lists current resources only.
    f = "query-aggregator"
    put(f, "findings/page.json", page)
    query = {"Results": [query_result(*h[:3]) for h in CURRENT],
             "QueryInfo": {"SelectFields": [{"Name": n} for n in (
                 "accountId", "awsRegion", "resourceId", "resourceType", "arn", "configurationItemStatus",
                 "configurationItemCaptureTime", "configuration")]}}
    put(f, "inventory/select-aggregate-resource-config.json", pretty(query))

    # 5. ResourceDeletedNotRecorded: a history file where Config saw the deletion but not the last state.
    f = "history-deleted-not-recorded"
    put(f, "findings/page.json", page)
    hs = [h for h in HISTORY if h[0] != 3 or h[3] != "ResourceDeleted"]
    hs.append((3, "2026-08-09T16:45:00", None, "ResourceDeletedNotRecorded"))
    body = {"fileVersion": "1.0", "configurationItems": [s3_item(*h) for h in hs]}
    put(f, s3_key("ConfigHistory", "2026-08-09T18:00:00", "0000"), gz(pretty(body)))


if __name__ == "__main__":
    main()
