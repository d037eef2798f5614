"""Writes the hostile-memory cases of issue 18 item 9 for scripts/bench.sh (memory workload), each a folder:

- note-100mb/: one ECS.16 finding whose Note is 100 MB of text, gzipped (about 100 KB on disk);
- million/: a million small ECS.16 findings (compact ASFF, one task set each) as ten JSON Lines files;
- unclosed/, unclosed-512mb/: a finding whose list is opened with `[` and never closed, 192 MiB and 512 MiB
  long (past the 128 MiB the tool reads of one record), beside one valid finding (the run completes with
  --skip-bad-inputs and rejects the broken file by name).

Deterministic; made once (a folder that exists is kept)."""
import gzip
import json
import os
import sys

out = sys.argv[1]


def finding(i, note=None):
    account = f"{100000000000 + i % 50 * 7919:012d}"
    region = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"][i % 4]
    ts = f"arn:aws:ecs:{region}:{account}:task-set/cluster-{i % 7}/svc-{i // 2:07d}/ecs-svc/{i:019d}"
    f = {
        "SchemaVersion": "2018-10-08",
        "Id": f"arn:aws:securityhub:{region}:{account}:security-control/ECS.16/finding/{i:032x}",
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/securityhub",
        "GeneratorId": "security-control/ECS.16",
        "AwsAccountId": account,
        "Title": "ECS task sets should not automatically assign public IP addresses",
        "UpdatedAt": "2026-09-20T10:00:00.000Z",
        "ProcessedAt": "2026-09-20T10:05:00.000Z",
        "Resources": [{"Type": "Other", "Id": ts, "Region": region}],
        "Compliance": {"Status": ["FAILED", "PASSED"][i % 2], "SecurityControlId": "ECS.16"},
        "Workflow": {"Status": "NEW"},
        "RecordState": "ACTIVE",
    }
    if note is not None:
        f["Workflow"] = {"Status": "SUPPRESSED"}
        f["Note"] = {"Text": note, "UpdatedBy": "someone", "UpdatedAt": "2026-09-01T00:00:00Z"}
    return f


def made(name):
    path = os.path.join(out, name)
    if os.path.isdir(path):
        return None
    os.makedirs(path)
    return path


path = made("note-100mb")
if path:
    page = json.dumps({"Findings": [finding(0, note="A" * (100 * 1024 * 1024))]}).encode()
    with gzip.open(os.path.join(path, "finding.json.gz"), "wb", compresslevel=9) as f:
        f.write(page)

path = made("million")
if path:
    for part in range(10):
        with open(os.path.join(path, f"part-{part:02d}.jsonl"), "w") as f:
            for i in range(part * 100_000, (part + 1) * 100_000):
                f.write(json.dumps(finding(i), separators=(",", ":")))
                f.write("\n")

for name, mib in (("unclosed", 192), ("unclosed-512mb", 512)):
    path = made(name)
    if path:
        with open(os.path.join(path, "a-valid.json"), "w") as f:
            json.dump({"Findings": [finding(1)]}, f)
        with open(os.path.join(path, "b-unclosed.json"), "w") as f:
            f.write('{"Findings": [{"SchemaVersion": "2018-10-08", "GeneratorId": "security-control/ECS.16", "Details": [')
            chunk = "1," * (1 << 19)
            for _ in range(mib):
                f.write(chunk)
print(f"memory cases in {out}", file=sys.stderr)
