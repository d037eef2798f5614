#!/usr/bin/env python3
"""Writes samples/: a synthetic but realistic quarter-end export for three AWS accounts.

Everything here is made up (accounts, ARNs, ids); field names, shapes and orders follow what the AWS CLI prints
(see ../shared/reference/formats.md). Re-running the script rewrites the same bytes.
The expected outcome of every task set is in samples/README.md; the tests assert exactly that list.
"""
import hashlib
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "samples")

ACCOUNTS = {
    "111122223333": "payments-prod",
    "444455556666": "checkout-prod",
    "777788889999": "shared-services",
}


def uuid(*parts):
    h = hashlib.sha256("/".join(parts).encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def hexid(*parts, n=17):
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


def ts_arn(region, account, cluster, service, n):
    return f"arn:aws:ecs:{region}:{account}:task-set/{cluster}/{service}/ecs-svc/{n}"


def finding(control, region, account, resource, status, updated, *, workflow=None, record="ACTIVE",
            note=None, first="2026-07-02T09:14:08.511Z", standard=None, title=None, rtype="Other",
            requirements=None, severity="HIGH", config_rule=None, description=None, name=True):
    """An ASFF control finding. standard=None: consolidated control findings ON."""
    if workflow is None:
        workflow = "RESOLVED" if status == "PASSED" else "NEW"
    if standard is None:
        fid = f"arn:aws:securityhub:{region}:{account}:security-control/{control}/finding/{uuid(control, resource)}"
        generator = f"security-control/{control}"
        types = ["Software and Configuration Checks/Industry and Regulatory Standards"]
    else:
        fid = (f"arn:aws:securityhub:{region}:{account}:subscription/{standard}/{control}/finding/"
               f"{uuid(standard, control, resource)}")
        generator = f"{standard}/{control}"
        suffix = {"pci-dss/v/4.0.1": "PCI-DSS",
                  "aws-foundational-security-best-practices/v/1.0.0": "AWS-Foundational-Security-Best-Practices"}
        types = [f"Software and Configuration Checks/Industry and Regulatory Standards/{suffix[standard]}"]
    rule = config_rule or f"securityhub-{control.lower().replace('.', '-')}-{uuid(account, region)[:8]}"
    f = {
        "SchemaVersion": "2018-10-08",
        "Id": fid,
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/securityhub",
        "ProductName": "Security Hub",
        "CompanyName": "AWS",
        "Region": region,
        "GeneratorId": generator,
        "AwsAccountId": account,
        "Types": types,
        "FirstObservedAt": first,
        "LastObservedAt": updated,
        "CreatedAt": first,
        "UpdatedAt": updated,
        "Severity": {"Label": severity, "Normalized": {"LOW": 1, "MEDIUM": 40, "HIGH": 70, "CRITICAL": 90}[severity],
                     "Original": severity},
        "Title": title or "ECS task sets should not automatically assign public IP addresses",
        "Description": description or ("This control checks whether an Amazon ECS task set is configured to "
                                        "automatically assign public IP addresses. The control fails if "
                                        "AssignPublicIP is ENABLED."),
        "Remediation": {"Recommendation": {
            "Text": "For information on how to correct this issue, consult the AWS Security Hub controls documentation.",
            "Url": f"https://docs.aws.amazon.com/console/securityhub/{control}/remediation"}},
        "ProductFields": {
            "RelatedAWSResources:0/name": rule,
            "RelatedAWSResources:0/type": "AWS::Config::ConfigRule",
            "aws/securityhub/ProductName": "Security Hub",
            "aws/securityhub/CompanyName": "AWS",
            "Resources:0/Id": resource,
            "aws/securityhub/FindingId": f"arn:aws:securityhub:{region}::product/aws/securityhub/{fid}",
        },
        "Resources": [{"Type": rtype, "Id": resource, "Partition": "aws", "Region": region}],
        "Compliance": {
            "Status": status,
            "RelatedRequirements": requirements if requirements is not None else ["PCI DSS v4.0.1/1.4.4"],
            "SecurityControlId": control,
            "AssociatedStandards": [{"StandardsId": "standards/aws-foundational-security-best-practices/v/1.0.0"},
                                    {"StandardsId": "standards/pci-dss/v/4.0.1"}],
        },
        "WorkflowState": "NEW",
        "Workflow": {"Status": workflow},
        "RecordState": record,
    }
    if standard is not None:
        f["ProductFields"].update({
            "StandardsArn": f"arn:aws:securityhub:::standards/{standard}",
            "ControlId": control,
            "StandardsControlArn": f"arn:aws:securityhub:{region}:{account}:control/{standard}/{control}",
        })
        f["Compliance"]["AssociatedStandards"] = [{"StandardsId": f"standards/{standard}"}]
        if standard.startswith("aws-foundational"):
            f["Compliance"]["RelatedRequirements"] = []
    if status in ("NOT_AVAILABLE",):
        f["Compliance"]["StatusReasons"] = [{"ReasonCode": "CONFIG_RETURNS_NOT_APPLICABLE",
                                             "Description": "AWS Config evaluated the resource as NOT_APPLICABLE."}]
    if note:
        f["Note"] = {"Text": note[0], "UpdatedBy": note[1], "UpdatedAt": note[2]}
    f["FindingProviderFields"] = {"Severity": {"Label": severity, "Original": severity}, "Types": types}
    f["ProcessedAt"] = updated
    if name:
        f["AwsAccountName"] = ACCOUNTS[account]
    return f


def other(control, region, account, resource, status, updated, rtype, title, requirements, severity="MEDIUM"):
    return finding(control, region, account, resource, status, updated, rtype=rtype, title=title,
                   requirements=requirements, severity=severity,
                   description=f"This control checks {title[0].lower() + title[1:]}.")


def task_set(arn, status, ip, created, *, launch="FARGATE", started_by=None, external_id=None,
             subnets=None, sgs=None, tg=None, container=("api", 8443), td=None, stamp=None, scale=100.0):
    region, account = arn.split(":")[3], arn.split(":")[4]
    cluster, service = arn.split("task-set/")[1].split("/")[:2]
    tid = "ecs-svc/" + arn.rsplit("/", 1)[1]
    t = {
        "id": tid,
        "taskSetArn": arn,
        "serviceArn": f"arn:aws:ecs:{region}:{account}:service/{cluster}/{service}",
        "clusterArn": f"arn:aws:ecs:{region}:{account}:cluster/{cluster}",
    }
    if started_by:
        t["startedBy"] = started_by
    t["externalId"] = external_id or f"deploy-{tid[-4:]}"
    t.update({
        "status": status,
        "taskDefinition": td or f"arn:aws:ecs:{region}:{account}:task-definition/{service}:{int(tid[-2:]) + 10}",
        "computedDesiredCount": 2 if status != "DRAINING" else 0,
        "pendingCount": 0,
        "runningCount": 2 if status != "DRAINING" else 0,
        "createdAt": stamp(created),
        "updatedAt": stamp(created),
        "launchType": launch,
    })
    if launch == "FARGATE":
        t["platformVersion"] = "1.4.0"
        t["platformFamily"] = "Linux"
    if ip is not None:
        t["networkConfiguration"] = {"awsvpcConfiguration": {
            "subnets": subnets or [f"subnet-0{hexid(arn, 'a', n=16)}", f"subnet-0{hexid(arn, 'b', n=16)}"],
            "securityGroups": sgs or [f"sg-0{hexid(arn, 'sg', n=16)}"],
            "assignPublicIp": ip}}
    if tg is not False:
        t["loadBalancers"] = [{
            "targetGroupArn": tg or (f"arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/"
                                     f"{service}-{tid[-1]}/{hexid(arn, 'tg', n=16)}"),
            "containerName": container[0], "containerPort": container[1]}]
    t["serviceRegistries"] = []
    t["scale"] = {"value": scale, "unit": "PERCENT"}
    t["stabilityStatus"] = "STEADY_STATE"
    t["stabilityStatusAt"] = stamp(created)
    return t


def iso_utc(s):  # AWS CLI v2 on a machine in UTC
    return s.replace("Z", "+00:00")


def iso_minus4(s):  # AWS CLI v2 on a machine in US Eastern (daylight time)
    from datetime import datetime, timedelta, timezone
    t = datetime.fromisoformat(s.replace("Z", "+00:00")).astimezone(timezone(timedelta(hours=-4)))
    return t.isoformat(timespec="microseconds") if t.microsecond else t.isoformat()


def epoch(s):  # AWS CLI v1: epoch seconds
    from datetime import datetime
    return round(datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp(), 3)


def write_json(rel, value):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(value, indent=4, ensure_ascii=False) + "\n")


def write_text(rel, text):
    path = os.path.join(ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


A, B, C = "111122223333", "444455556666", "777788889999"
EU, US = "eu-west-1", "us-east-1"
T = {
    1: ts_arn(EU, A, "payments", "card-api", "4410000000000000001"),
    2: ts_arn(EU, A, "payments", "card-api", "4410000000000000002"),
    3: ts_arn(EU, A, "payments", "card-api", "4410000000000000003"),
    4: ts_arn(EU, A, "payments", "tokenizer", "4420000000000000004"),
    5: ts_arn(EU, A, "payments", "tokenizer", "4420000000000000005"),
    6: ts_arn(EU, A, "payments", "fraud-scorer", "4430000000000000006"),
    7: ts_arn(US, B, "checkout", "cart-web", "5510000000000000007"),
    8: ts_arn(US, B, "checkout", "cart-web", "5510000000000000008"),
    9: ts_arn(US, B, "checkout", "cart-web", "5510000000000000009"),
    10: ts_arn(US, B, "checkout", "pricing", "5520000000000000010"),
    11: ts_arn(US, B, "checkout", "pricing", "5520000000000000011"),
    12: ts_arn(EU, C, "platform", "ledger-sync", "6610000000000000012"),
    13: ts_arn(EU, C, "platform", "ledger-sync", "6610000000000000013"),
    14: ts_arn(US, C, "platform", "reporting", "6620000000000000014"),
    15: ts_arn(US, C, "platform", "reporting", "6620000000000000015"),
    16: ts_arn(US, C, "platform", "reporting", "6620000000000000016"),
    17: ts_arn(US, C, "platform", "reporting", "6620000000000000017"),
}


def payments_pages():
    svc_arn = f"arn:aws:ecs:{EU}:{A}:service/payments/card-api"
    page1 = [
        other("S3.1", EU, A, f"AWS::::Account:{A}", "PASSED", "2026-09-28T22:01:17.204Z", "AwsAccount",
              "S3 general purpose buckets should have block public access settings enabled",
              ["PCI DSS v4.0.1/1.4.4"]),
        finding("ECS.16", EU, A, T[1], "FAILED", "2026-09-21T08:42:55.310Z"),
        other("ECS.2", EU, A, svc_arn, "PASSED", "2026-09-27T14:05:11.482Z", "AwsEcsService",
              "ECS services should not have public IP addresses assigned to them automatically",
              ["PCI DSS v4.0.1/1.4.4"], severity="HIGH"),
        finding("ECS.16", EU, A, T[2], "PASSED", "2026-09-27T14:05:12.090Z", first="2026-09-12T10:31:40.118Z"),
        other("EC2.19", EU, A, f"arn:aws:ec2:{EU}:{A}:security-group/sg-0a1b2c3d4e5f60718", "FAILED",
              "2026-09-28T03:12:44.000Z", "AwsEc2SecurityGroup",
              "Security groups should not allow unrestricted access to ports with high risk",
              ["PCI DSS v4.0.1/1.3.1"], severity="CRITICAL"),
        finding("ECS.16", EU, A, T[3], "FAILED", "2026-09-10T11:20:03.775Z"),
    ]
    page2 = [
        # The same finding as on page 1, exported again after Security Hub re-evaluated it: newer UpdatedAt.
        finding("ECS.16", EU, A, T[1], "FAILED", "2026-09-28T08:42:55.310Z"),
        finding("ECS.16", EU, A, T[4], "FAILED", "2026-09-26T16:48:03.551Z", workflow="SUPPRESSED",
                note=("RISK-2291: tokenizer canary keeps a public IP until the NAT gateway in eu-west-1c is live; "
                      "compensating control: security group allows 443 from the card network only. Review by 2026-12-15.",
                      "arn:aws:sts::111122223333:assumed-role/SecurityAuditor/jdoe", "2026-09-03T12:00:00.000Z")),
        finding("ECS.16", EU, A, T[5], "PASSED", "2026-09-26T16:48:04.019Z", first="2026-08-30T07:00:00.000Z"),
        finding("ECS.16", EU, A, T[6], "FAILED", "2026-08-19T05:33:12.600Z"),
        other("IAM.6", US, A, f"AWS::::Account:{A}", "FAILED", "2026-09-28T00:10:00.000Z", "AwsAccount",
              "Hardware MFA should be enabled for the root user", ["PCI DSS v4.0.1/8.4.1"], severity="CRITICAL"),
        other("CloudTrail.2", US, A, f"arn:aws:cloudtrail:{US}:{A}:trail/org-trail", "PASSED",
              "2026-09-27T19:44:21.000Z", "AwsCloudTrailTrail",
              "CloudTrail should have encryption at-rest enabled", ["PCI DSS v4.0.1/10.3.2"]),
    ]
    token = "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiA2fQ=="
    write_json("securityhub/payments-prod/get-findings-page-1.json", {"Findings": page1, "NextToken": token})
    write_json("securityhub/payments-prod/get-findings-page-2.json", {"Findings": page2})


def checkout_jsonl():
    rows = [
        finding("ECS.16", US, B, T[7], "FAILED", "2026-09-29T02:15:09.921Z", first="2026-08-04T13:20:00.000Z"),
        other("ECS.2", US, B, f"arn:aws:ecs:{US}:{B}:service/checkout/cart-web", "FAILED",
              "2026-09-29T02:15:09.930Z", "AwsEcsService",
              "ECS services should not have public IP addresses assigned to them automatically",
              ["PCI DSS v4.0.1/1.4.4"], severity="HIGH"),
        finding("ECS.16", US, B, T[9], "NOT_AVAILABLE", "2026-09-29T02:15:10.114Z", first="2026-09-25T09:00:00.000Z"),
        finding("ECS.16", US, B, T[10], "PASSED", "2026-09-29T02:15:10.502Z", first="2026-06-30T21:00:00.000Z"),
        other("RDS.2", US, B, f"arn:aws:rds:{US}:{B}:db:orders-primary", "PASSED", "2026-09-29T02:16:44.000Z",
              "AwsRdsDbInstance", "RDS DB instances should prohibit public access", ["PCI DSS v4.0.1/1.4.4"],
              severity="CRITICAL"),
    ]
    write_text("securityhub/checkout-prod/findings-2026-09-29.jsonl",
               "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in rows))


def shared_services_firehose():
    def event(f, time):
        return {"version": "0", "id": uuid("event", f["Id"]), "detail-type": "Security Hub Findings - Imported",
                "source": "aws.securityhub", "account": C, "time": time, "region": EU,
                "resources": [f"{f['ProductArn']}/{f['Id']}"], "detail": {"findings": [f]}}
    events = [
        event(finding("ECS.16", EU, C, T[12], "FAILED", "2026-09-29T05:01:37.412Z", name=False), "2026-09-29T05:01:38Z"),
        event(other("S3.1", EU, C, f"AWS::::Account:{C}", "FAILED", "2026-09-29T05:02:00.000Z", "AwsAccount",
                    "S3 general purpose buckets should have block public access settings enabled",
                    ["PCI DSS v4.0.1/1.4.4"]), "2026-09-29T05:02:01Z"),
        event(finding("ECS.16", EU, C, T[13], "WARNING", "2026-09-29T05:03:12.009Z", name=False), "2026-09-29T05:03:13Z"),
    ]
    # Firehose writes the events back to back with no separator.
    write_text("securityhub/shared-services/firehose/2026/09/29/securityhub-findings-1-2026-09-29-05-05-00.json",
               "".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in events))


def shared_services_array():
    pci, fsbp = "pci-dss/v/4.0.1", "aws-foundational-security-best-practices/v/1.0.0"
    out = []
    for std in (fsbp, pci):
        out.append(finding("ECS.16", US, C, T[14], "FAILED", "2026-09-28T23:40:01.000Z", standard=std,
                           title="ECS.16 ECS task sets should not automatically assign public IP addresses"))
        out.append(finding("ECS.16", US, C, T[15], "PASSED", "2026-09-28T23:40:02.000Z", standard=std,
                           title="ECS.16 ECS task sets should not automatically assign public IP addresses"))
        out.append(finding("ECS.16", US, C, T[16], "FAILED", "2026-07-30T10:00:00.000Z", standard=std,
                           record="ARCHIVED",
                           title="ECS.16 ECS task sets should not automatically assign public IP addresses"))
    # The PCI DSS copy was suppressed with a note; the FSBP copy was not: they disagree.
    out.append(finding("ECS.16", US, C, T[17], "FAILED", "2026-09-28T23:40:03.000Z", standard=fsbp,
                       title="ECS.16 ECS task sets should not automatically assign public IP addresses"))
    out.append(finding("ECS.16", US, C, T[17], "FAILED", "2026-09-28T23:40:03.000Z", standard=pci,
                       workflow="SUPPRESSED",
                       note=("EXC-0412 approved by CISO: reporting batch needs a public IP for the partner SFTP "
                             "allow-list until 2026-11-30.",
                             "arn:aws:iam::777788889999:user/m.keller", "2026-09-15T08:30:00.000Z"),
                       title="ECS.16 ECS task sets should not automatically assign public IP addresses"))
    out.append(other("ECS.2", US, C, f"arn:aws:ecs:{US}:{C}:service/platform/reporting", "FAILED",
                     "2026-09-28T23:40:04.000Z", "AwsEcsService",
                     "ECS services should not have public IP addresses assigned to them automatically",
                     ["PCI DSS v4.0.1/1.4.4"], severity="HIGH"))
    write_json("securityhub/shared-services/us-east-1-findings-array.json", out)


def inventory():
    # payments-prod / card-api: CLI v2 on a UTC machine, asked about three task sets; one no longer exists.
    write_json("inventory/payments-prod/eu-west-1/describe-task-sets-payments-card-api.json", {
        "taskSets": [
            task_set(T[1], "ACTIVE", "ENABLED", "2026-07-02T09:10:00.118Z", stamp=iso_utc),
            task_set(T[2], "PRIMARY", "DISABLED", "2026-09-12T10:30:00Z", stamp=iso_utc),
        ],
        "failures": [{"arn": T[3], "reason": "MISSING"}],
    })
    # payments-prod / services of cluster payments (CodeDeploy blue/green): describe-services.
    services = [
        {
            "serviceArn": f"arn:aws:ecs:{EU}:{A}:service/payments/tokenizer",
            "serviceName": "tokenizer",
            "clusterArn": f"arn:aws:ecs:{EU}:{A}:cluster/payments",
            "loadBalancers": [],
            "serviceRegistries": [],
            "status": "ACTIVE",
            "desiredCount": 2,
            "runningCount": 4,
            "pendingCount": 0,
            "launchType": "FARGATE",
            "taskSets": [
                task_set(T[4], "ACTIVE", "ENABLED", "2026-08-30T06:55:00.000Z", started_by="CODE_DEPLOY",
                         external_id="d-7QX2M4PLA", stamp=iso_utc, container=("tokenizer", 9443), scale=10.0),
                task_set(T[5], "PRIMARY", "DISABLED", "2026-08-30T06:58:00.000Z", started_by="CODE_DEPLOY",
                         external_id="d-7QX2M4PLA", stamp=iso_utc, container=("tokenizer", 9443)),
            ],
            "deploymentController": {"type": "CODE_DEPLOY"},
            "createdAt": "2025-11-04T10:00:00+00:00",
            "createdBy": f"arn:aws:iam::{A}:role/deploy-pipeline",
        },
        {
            "serviceArn": f"arn:aws:ecs:{EU}:{A}:service/payments/fraud-scorer",
            "serviceName": "fraud-scorer",
            "clusterArn": f"arn:aws:ecs:{EU}:{A}:cluster/payments",
            "status": "ACTIVE",
            "desiredCount": 0,
            "runningCount": 0,
            "pendingCount": 0,
            "taskSets": [],
            "deploymentController": {"type": "EXTERNAL"},
            "createdAt": "2025-03-17T09:30:00+00:00",
        },
    ]
    write_json("inventory/payments-prod/eu-west-1/describe-services-payments.json", {"services": services, "failures": []})
    # checkout-prod / cart-web: CLI v2 on a laptop in US Eastern time.
    write_json("inventory/checkout-prod/us-east-1/describe-task-sets-checkout-cart-web.json", {
        "taskSets": [
            task_set(T[7], "PRIMARY", "DISABLED", "2026-08-04T13:15:00.250Z", stamp=iso_minus4),
            task_set(T[8], "ACTIVE", "ENABLED", "2026-09-29T21:40:00.000Z", stamp=iso_minus4, scale=0.0),
            task_set(T[9], "DRAINING", "DISABLED", "2026-09-25T08:55:00.000Z", stamp=iso_minus4),
        ],
        "failures": [],
    })
    # checkout-prod / pricing: AWS CLI v1 (epoch seconds); one task set on EC2 without awsvpc networking.
    write_json("inventory/checkout-prod/us-east-1/describe-task-sets-checkout-pricing.json", {
        "taskSets": [
            task_set(T[10], "PRIMARY", "ENABLED", "2026-06-30T20:45:00.512Z", stamp=epoch),
            task_set(T[11], "ACTIVE", None, "2026-09-02T11:00:00Z", stamp=epoch, launch="EC2", tg=False),
        ],
        "failures": [],
    })
    # shared-services / ledger-sync: CLI v2 on a UTC machine.
    write_json("inventory/shared-services/eu-west-1/describe-task-sets-platform-ledger-sync.json", {
        "taskSets": [
            task_set(T[12], "PRIMARY", "ENABLED", "2026-05-11T15:00:00Z", stamp=iso_utc),
            task_set(T[13], "ACTIVE", "ENABLED", "2026-09-28T18:20:00Z", stamp=iso_utc),
        ],
        "failures": [],
    })


EXPECTED = [
    (1, "NON_COMPLIANT", "ENABLED", "FAILED in two page files; the newer copy is kept"),
    (2, "COMPLIANT", "DISABLED", "the replacement task set of card-api"),
    (3, "GONE", "MISSING", "describe-task-sets failures report it MISSING"),
    (4, "RISK_ACCEPTED", "ENABLED", "FAILED, workflow SUPPRESSED with a note (CodeDeploy task set)"),
    (5, "COMPLIANT", "DISABLED", "PASSED, CodeDeploy task set"),
    (6, "GONE", "MISSING", "the describe-services dump lists fraud-scorer with no task sets"),
    (7, "CONFLICT", "DISABLED", "FAILED in Security Hub, DISABLED in the dump"),
    (8, "UNASSESSED_EXPOSED", "ENABLED", "no finding: created after the newest finding in the export"),
    (9, "UNASSESSED", "DISABLED", "NOT_AVAILABLE finding, DRAINING and DISABLED"),
    (10, "CONFLICT", "ENABLED", "PASSED in Security Hub, ENABLED in the CLI v1 dump"),
    (11, "UNASSESSED", "DISABLED", "no finding; EC2 launch type without awsvpc networking"),
    (12, "NON_COMPLIANT", "ENABLED", "FAILED, from a Firehose file of EventBridge events"),
    (13, "UNASSESSED_EXPOSED", "ENABLED", "WARNING is not a usable verdict, and the inventory says ENABLED"),
    (14, "NON_COMPLIANT", "NOT_COVERED", "FAILED (consolidated findings OFF: FSBP and PCI DSS copies); no dump"),
    (15, "COMPLIANT", "NOT_COVERED", "PASSED (two copies); no dump"),
    (16, "GONE", "NOT_COVERED", "only ARCHIVED findings and no dump"),
    (17, "RISK_ACCEPTED", "NOT_COVERED", "the PCI DSS copy is SUPPRESSED, the FSBP copy is NEW: they disagree"),
]


def scope_and_register():
    """The customer's own files beside the exports: which services are in PCI DSS scope (--scope), and the
    exceptions register (--exceptions) with one entry of each basis. A folder walk skips CSV files."""
    write_text("scope.csv", "\n".join([
        "account_id,region,cluster,service,scope,data_flow_ref",
        f"{A},{EU},payments,*,cde,DFD-PAY-01 v3 (2026-06-12)",
        f"{A},{EU},payments,tokenizer,stores-chd,DFD-PAY-02 v1 (2026-06-12)",
        f"{B},*,checkout,*,connected,DFD-CHK-01 v2 (2026-05-30)",
        f"{C},*,*,*,out-of-scope,",
        f"{C},{EU},platform,ledger-sync,cde,DFD-LED-01 v1 (2026-04-18)",
        "",
    ]))
    write_text("exceptions.csv", "\n".join([
        "task_set_arn,justification,approver,ticket,expires,basis,reference",
        f"{T[4]},Tokenizer behind a WAF-only ingress path while CodeDeploy cut-over completes,"
        "J. Rivera (CISO),SEC-2211,2027-03-31,compensating-control,CCW-2026-014",
        f"{T[17]},Reporting job reads no cardholder data; public address needed for a partner pull,"
        "M. Chen (Risk),SEC-2240,2027-01-31,customized-approach,TRA-2026-007",
        f"{T[1]},Move card-api to private subnets behind the ALB,A. Okafor (Platform),PAY-1234,"
        "2026-12-31,remediation-plan,PAY-1234",
        "",
    ]))


def network():
    """The network evidence of payments-prod in eu-west-1, as `scripts/collect-inventory.sh --network` writes
    it (`<account>/<region>/ec2/`), in the shapes of tests/fixtures/network (scripts/make_network_fixtures.py):
    card-api's first task set sits in public subnets behind a group open to the internet on its port (DIRECT);
    the tokenizer task set has a public IP, but its group admits only the card network (PUBLIC_IP_FILTERED);
    the others are in private subnets behind a NAT gateway."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import make_network_fixtures as nf
    public, private, groups, rows = [], [], [], []
    exposure = {1: "internet", 4: "card-network"}
    for n in (1, 2, 3, 4, 5):
        arn = T[n]
        subnets = [f"subnet-0{hexid(arn, 'a', n=16)}", f"subnet-0{hexid(arn, 'b', n=16)}"]
        (public if n in exposure else private).extend(subnets)
        sg = f"sg-0{hexid(arn, 'sg', n=16)}"
        service = arn.split("/")[2]
        port = 8443
        if exposure.get(n) == "internet":
            ingress = [nf.permission("tcp", port, v4=["0.0.0.0/0"])]
        elif exposure.get(n) == "card-network":
            ingress = [nf.permission("tcp", port, v4=["198.51.100.0/24"])]
        else:
            ingress = [nf.permission("tcp", port, groups=["sg-0a1b2c3d4e5f60042"])]
        groups.append(nf.group(sg, f"{service}-{n}-tasks", ingress))
    for i, sid in enumerate(public + private):
        rows.append(nf.subnet(sid, f"10.0.{i + 1}.0/24", az="eu-west-1a" if i % 2 == 0 else "eu-west-1b",
                              map_public=sid in public))
    assoc_public = [nf.assoc(nf.RTB_PUBLIC, i + 1, sid) for i, sid in enumerate(public)]
    assoc_private = [nf.assoc(nf.RTB_PRIVATE, i + 5, sid) for i, sid in enumerate(private)]
    base = f"network/{A}/{EU}/ec2"
    write_json(f"{base}/describe-subnets.json", {"Subnets": rows})
    write_json(f"{base}/describe-route-tables.json", {"RouteTables": [
        nf.route_table(nf.RTB_MAIN, [nf.assoc(nf.RTB_MAIN, 0, main=True)], [nf.LOCAL]),
        nf.route_table(nf.RTB_PUBLIC, assoc_public, [nf.LOCAL, nf.TO_IGW]),
        nf.route_table(nf.RTB_PRIVATE, assoc_private, [nf.LOCAL, nf.TO_NAT]),
    ]})
    write_json(f"{base}/describe-security-groups.json", {"SecurityGroups": groups})
    write_json(f"{base}/describe-network-acls.json", {"NetworkAcls": [nf.network_acl(public + private)]})
    # The task sets' target groups sit behind one internal load balancer: reachable only from inside.
    lb_name = "payments-internal"
    lb_arn = f"arn:aws:elasticloadbalancing:{EU}:{A}:loadbalancer/app/{lb_name}/{hexid(lb_name, n=16)}"
    lb = nf.load_balancer(scheme="internal")
    lb.update({"LoadBalancerName": lb_name, "LoadBalancerArn": lb_arn,
               "DNSName": f"internal-{lb_name}-1234567890.{EU}.elb.amazonaws.com",
               "AvailabilityZones": [{"ZoneName": "eu-west-1a", "SubnetId": private[0]},
                                     {"ZoneName": "eu-west-1b", "SubnetId": private[1]}]})
    target_groups, listeners = [], []
    for i, n in enumerate((1, 2, 4, 5)):
        service = T[n].split("/")[2]
        tg_arn = (f"arn:aws:elasticloadbalancing:{EU}:{A}:targetgroup/{service}-{n}/"
                  f"{hexid(T[n], 'tg', n=16)}")
        tg = nf.target_group()
        tg.update({"TargetGroupArn": tg_arn, "TargetGroupName": f"{service}-{n}", "Port": 8443,
                   "Protocol": "HTTPS", "HealthCheckProtocol": "HTTPS", "LoadBalancerArns": [lb_arn]})
        target_groups.append(tg)
        listener = {"Port": 8441 + i, "Protocol": "HTTP",
                    "DefaultActions": [{"TargetGroupArn": tg_arn, "Type": "forward"}],
                    "LoadBalancerArn": lb_arn,
                    "ListenerArn": f"{lb_arn.replace(':loadbalancer/', ':listener/')}/{hexid(tg_arn, n=16)}"}
        listeners.append(listener)
    elbv2 = f"network/{A}/{EU}/elbv2"
    write_json(f"{elbv2}/describe-load-balancers.json", {"LoadBalancers": [lb]})
    write_json(f"{elbv2}/describe-target-groups.json", {"TargetGroups": target_groups})
    write_json(f"{elbv2}/describe-listeners-{lb_name}.json", {"Listeners": listeners})


def readme():
    lines = [
        "# Sample exports",
        "",
        "A synthetic quarter-end export (Q3 2026) for three made-up AWS accounts, written by",
        "`scripts/make_samples.py`. Every account id, ARN and id is invented; field names, shapes and key order are",
        "those the AWS CLI prints. Run `cargo run --release -- report samples/ --scope samples/scope.csv --exceptions",
        "samples/exceptions.csv --out evidence-pack` to build a pack.",
        "",
        "Beside the exports, the customer's own files (a folder walk skips CSV files): `scope.csv` puts payments in",
        "the CDE (tokenizer stores cardholder data), checkout as connected-to, shared-services out of scope except",
        "ledger-sync (CDE); `exceptions.csv` holds one entry of each basis: a compensating control for the",
        "suppressed tokenizer task set, a customized approach for the suppressed reporting task set, and a",
        "remediation plan for card-api (which leaves it exposed). `network/` holds the network evidence of",
        "payments-prod in eu-west-1 (subnets, route tables, security groups, network ACLs): card-api's exposed task",
        "set is reachable directly from the internet on tcp/8443; the tokenizer's public IP is filtered (its group",
        "admits only the card network). The verdict: 1.4.4 Not in Place (card-api and ledger-sync are exposed in",
        "the CDE).",
        "",
        "| account | name | what it shows |",
        "|---|---|---|",
        "| 111122223333 | payments-prod | `get-findings` in two page files (the first with `NextToken`), one finding on both pages; `describe-task-sets` with a `MISSING` failure; `describe-services` of a CodeDeploy cluster with a service that has no task sets |",
        "| 444455556666 | checkout-prod | findings as JSON Lines; `describe-task-sets` printed by CLI v2 on a machine at UTC-4 and by CLI v1 (epoch seconds); a task set without awsvpc networking |",
        "| 777788889999 | shared-services | EventBridge events concatenated by Firehose (`}{`); a bare findings array with consolidated control findings OFF (FSBP and PCI DSS copies), an archived finding, and a service no dump covers |",
        "",
        "Non-ECS.16 findings are mixed in (ECS.2, S3.1 and RDS.2, which also map to PCI DSS 1.4.4, and EC2.19, IAM.6,",
        "CloudTrail.2): none of them may be selected.",
        "",
        "## Expected outcome of every task set",
        "",
        "The end-to-end tests read this table and assert that `data/reconciliation.csv` says exactly this.",
        "",
        "| task set ARN | outcome | inventory state | why |",
        "|---|---|---|---|",
    ]
    for n, outcome, state, why in EXPECTED:
        lines.append(f"| {T[n]} | {outcome} | {state} | {why} |")
    lines += ["", "Totals: " + ", ".join(
        f"{o} {sum(1 for e in EXPECTED if e[1] == o)}" for o in
        ["NON_COMPLIANT", "RISK_ACCEPTED", "CONFLICT", "UNASSESSED_EXPOSED", "UNASSESSED", "COMPLIANT", "GONE"]
    ) + f"; {len(EXPECTED)} task sets.", ""]
    write_text("README.md", "\n".join(lines))


if __name__ == "__main__":
    payments_pages()
    checkout_jsonl()
    shared_services_firehose()
    shared_services_array()
    inventory()
    scope_and_register()
    network()
    readme()
    print(f"wrote samples under {os.path.normpath(ROOT)}", file=sys.stderr)
