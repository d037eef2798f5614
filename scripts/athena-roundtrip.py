#!/usr/bin/env python3
"""The Athena SQL of `ecs16-evidence query`, checked offline on DuckDB (issue 19).

Trino is not available offline, so the printed SQL is transpiled from Athena's dialect to DuckDB's with
sqlglot and run on generated data:

1. a Firehose-style archive: EventBridge events (and a few bare findings) as JSON Lines, gzip parts under
   yyyy/MM/dd/HH/ folders, across 2026-Q3 and 2026-Q4, about 2 % ECS.16, with the shapes the tool reads
   (consolidated findings ON and OFF, ProductFields.ControlId, an escaped control id, OCSF V2 events) and
   decoys (another control that mentions ECS.16, UpdatedAt in another quarter than the event, records
   filed by Firehose under the neighbouring hour of a quarter boundary);
2. a Security Lake-style OCSF table (Security Hub findings as OCSF compliance findings, class 2003), with
   the timestamp columns Security Lake has;
3. describe-task-sets dumps of the task sets.

It loads each into DuckDB under the `--table` name (the Firehose `dt` from the folder), runs the printed
SELECT and checks that it selects exactly the ECS.16 records stamped in the period (byte for byte for the
Firehose lines), that a quarter's query keeps exactly that quarter, and that `report` on a selection gives
the same data/reconciliation.csv as `report` on what it was selected from (dumps included). It also runs
each SELECT on a table built from the printed DDL, and measures the bytes a period-pruned query reads
against the whole archive (from the partition layout), the estimate of what Athena would scan.

    python3 scripts/athena-roundtrip.py --bin target/debug/ecs16-evidence --work /tmp/rt [--events 100000]

Prints one JSON object of figures on stdout; exits 1 with the failed checks on stderr. Needs python3 with
duckdb and sqlglot (pip install duckdb sqlglot). Deterministic for a seed.
"""

import argparse
import datetime as dt
import gzip
import json
import os
import random
import subprocess
import sys
import time

import duckdb
import sqlglot
from sqlglot import exp

UTC = dt.timezone.utc
Q3 = (dt.datetime(2026, 7, 1, tzinfo=UTC), dt.datetime(2026, 10, 1, tzinfo=UTC))
Q4 = (dt.datetime(2026, 10, 1, tzinfo=UTC), dt.datetime(2027, 1, 1, tzinfo=UTC))
FIREHOSE_TABLE = "security.findings_raw"
LAKE_TABLE = "amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_2_0"
AS_OF = "2026-12-31T23:59:59Z"
REGIONS = ["us-east-1", "eu-west-1"]
ACCOUNTS = [f"{100000000000 + 7919 * i:012d}" for i in range(8)]
OTHER_CONTROLS = [
    ("S3.1", "AwsAccount"),
    ("EC2.19", "AwsEc2SecurityGroup"),
    ("IAM.6", "AwsAccount"),
    ("ECS.2", "AwsEcsService"),
    ("RDS.2", "AwsRdsDbInstance"),
    ("Lambda.1", "AwsLambdaFunction"),
]
STATUSES = [("FAILED", "NEW"), ("FAILED", "SUPPRESSED"), ("PASSED", "RESOLVED"), ("WARNING", "NEW"),
            ("NOT_AVAILABLE", "NEW")]


def iso(t, millis=True):
    if millis:
        return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_ms(t):
    return int(t.timestamp() * 1000)


def in_period(t, period):
    return period[0] <= t < period[1]


class Pool:
    """The task sets ECS.16 findings are about, and the dumps that describe them."""

    def __init__(self, rng, n):
        self.task_sets = []
        for i in range(n):
            account, region = rng.choice(ACCOUNTS), rng.choice(REGIONS)
            cluster, service = f"cluster-{i % 3}", f"svc-{i % 17}"
            arn = f"arn:aws:ecs:{region}:{account}:task-set/{cluster}/{service}/ecs-svc/{4410000000000000000 + i}"
            self.task_sets.append({"arn": arn, "account": account, "region": region,
                                   "finding": f"{rng.getrandbits(64):016x}-{i:06d}",
                                   "ip": rng.choice(["ENABLED", "DISABLED"]),
                                   # One in twenty is missing from its service's dump (GONE or NOT_COVERED).
                                   "dumped": rng.random() > 0.05})

    def write_dumps(self, folder):
        os.makedirs(folder, exist_ok=True)
        services = {}
        for ts in self.task_sets:
            services.setdefault(ts["arn"].rsplit("/", 2)[0], []).append(ts)
        for n, (prefix, sets) in enumerate(sorted(services.items())):
            listed = [{
                "id": ts["arn"].rsplit("/", 2)[1] + "/" + ts["arn"].rsplit("/", 1)[1],
                "taskSetArn": ts["arn"], "status": "ACTIVE", "launchType": "FARGATE",
                "createdAt": "2026-06-01T00:00:00.000000+00:00", "updatedAt": "2026-06-01T00:00:00.000000+00:00",
                "networkConfiguration": {"awsvpcConfiguration": {
                    "subnets": ["subnet-0aaa"], "securityGroups": ["sg-0bbb"], "assignPublicIp": ts["ip"]}},
            } for ts in sorted(sets, key=lambda s: s["arn"]) if ts["dumped"]]
            with open(os.path.join(folder, f"dump-{n:03d}.json"), "w") as f:
                json.dump({"taskSets": listed, "failures": []}, f, indent=4)


def asff(rng, control, rtype, resource, account, region, stamped, shape="consolidated"):
    """One ASFF finding, compact (a few hundred bytes), in one of the shapes the tool reads."""
    status, workflow = rng.choice(STATUSES)
    # UpdatedAt is the provider's time: up to three weeks before the stamp, often in the quarter before.
    updated = stamped - dt.timedelta(seconds=rng.randrange(0, 21 * 86400))
    fid = f"arn:aws:securityhub:{region}:{account}:security-control/{control}/finding/{resource['finding']}"
    f = {
        "SchemaVersion": "2018-10-08", "Id": fid,
        "ProductArn": f"arn:aws:securityhub:{region}::product/aws/securityhub",
        "GeneratorId": f"security-control/{control}", "AwsAccountId": account, "Region": region,
        "CreatedAt": "2026-06-02T09:14:08.511Z", "UpdatedAt": iso(updated), "ProcessedAt": iso(stamped),
        "Severity": {"Label": "HIGH"}, "Title": f"{control} check",
        "Resources": [{"Type": rtype, "Id": resource["arn"], "Partition": "aws", "Region": region}],
        "Compliance": {"Status": status, "SecurityControlId": control,
                       "RelatedRequirements": ["PCI DSS v4.0.1/1.4.4"]},
        "Workflow": {"Status": workflow}, "RecordState": "ACTIVE",
        "ProductFields": {"aws/securityhub/ProductName": "Security Hub"},
    }
    if shape == "standard":  # consolidated control findings OFF: the control is the GeneratorId suffix
        del f["Compliance"]["SecurityControlId"]
        f["GeneratorId"] = f"pci-dss/v/4.0.1/{control}"
        f["Id"] = fid.replace("security-control/", "subscription/pci-dss/v/4.0.1/")
    elif shape == "product-fields":  # only ProductFields.ControlId names it
        del f["Compliance"]["SecurityControlId"]
        f["GeneratorId"] = "custom-ecs-task-set-check"
        f["ProductFields"]["ControlId"] = control
    elif shape == "decoy":  # another control whose GeneratorId and title say ECS.16: not ECS.16
        f["GeneratorId"] = "security-control/ECS.16"
        f["Title"] = "Mentions ECS.16 but is ECS.2"
    return f


def ocsf(rng, control, resource, account, region, stamped):
    """One OCSF compliance finding (class 2003) as Security Hub writes it to Security Lake."""
    status = rng.choice(["Fail", "Pass", "Warning"])
    modified = stamped - dt.timedelta(seconds=rng.randrange(0, 21 * 86400))
    seen = stamped - dt.timedelta(days=30)
    doc = {
        "class_uid": 2003, "activity_id": 2, "status_id": rng.choice([1, 3]), "status": "New",
        "severity": "High", "comment": None,
        "time": epoch_ms(stamped), "time_dt": iso(stamped),
        "metadata": {"version": "1.1.0", "product": {"name": "Security Hub", "vendor_name": "AWS"}},
        "finding_info": {
            "uid": f"arn:aws:securityhub:{region}:{account}:security-control/{control}/finding/{resource['finding']}",
            "title": f"{control} check", "types": ["Software and Configuration Checks"],
            "created_time": epoch_ms(seen), "created_time_dt": iso(seen),
            "first_seen_time": epoch_ms(seen), "first_seen_time_dt": iso(seen),
            "last_seen_time": epoch_ms(stamped), "last_seen_time_dt": iso(stamped),
            "modified_time": epoch_ms(modified), "modified_time_dt": iso(modified),
        },
        "compliance": {"control": control, "status": status, "status_id": None,
                       "requirements": ["PCI DSS v4.0.1/1.4.4"], "standards": ["standards/pci-dss/v/4.0.1"]},
        "cloud": {"account": {"uid": account, "name": f"acct-{account}"}, "region": region, "provider": "AWS"},
        "resources": [{"uid": resource["arn"], "uid_alt": None, "type": "AWS::ECS::TaskSet", "region": region}],
    }
    return doc


def event(rng, finding, account, region, stamped, v2=False):
    return {
        "version": "0", "id": f"{rng.getrandbits(128):032x}",
        "detail-type": "Findings Imported V2" if v2 else "Security Hub Findings - Imported",
        "source": "aws.securityhub", "account": account, "time": iso(stamped, millis=False), "region": region,
        "resources": [], "detail": {"findings": [finding]},
    }


def other_resource(rng, control, account, region):
    return {"arn": f"arn:aws:{control.split('.')[0].lower()}:{region}:{account}:resource/{rng.getrandbits(48):012x}",
            "finding": f"{rng.getrandbits(64):016x}"}


def record(rng, pool, ecs16, stamped):
    """One archive line and whether the tool reads it as an ECS.16 finding."""
    if ecs16:
        ts = rng.choice(pool.task_sets)
        account, region = ts["account"], ts["region"]
        roll = rng.random()
        if roll < 0.03:  # an OCSF finding in a V2 event
            return json.dumps(event(rng, ocsf(rng, "ECS.16", ts, account, region, stamped), account, region,
                                    stamped, v2=True), separators=(",", ":")), True
        shape = "standard" if roll < 0.13 else "product-fields" if roll < 0.18 else "consolidated"
        f = asff(rng, "ECS.16", "Other", ts, account, region, stamped, shape)
    else:
        account, region = rng.choice(ACCOUNTS), rng.choice(REGIONS)
        control, rtype = rng.choice(OTHER_CONTROLS)
        shape = "decoy" if control == "ECS.2" and rng.random() < 0.2 else "consolidated"
        f = asff(rng, control, rtype, other_resource(rng, control, account, region), account, region, stamped,
                 shape)
    bare = rng.random() < 0.05  # a bare finding per line, dated by its ProcessedAt
    text = json.dumps(f if bare else event(rng, f, account, region, stamped), separators=(",", ":"))
    if ecs16 and not bare and rng.random() < 0.05:
        # The control id written with a JSON escape: the same text once decoded.
        text = text.replace('"SecurityControlId":"ECS.16"', '"SecurityControlId":"ECS\\u002e16"', 1)
    return text, True if ecs16 else False


def generate_archive(rng, pool, n, folder):
    """n lines over both quarters, filed by Firehose under the hour the oldest record of a part arrived."""
    span = (Q4[1] - Q3[0]).total_seconds()
    lines = []  # (hour folder, text, ecs16, stamp)
    every = 50  # 2 % ECS.16
    for i in range(n):
        stamped = Q3[0] + dt.timedelta(seconds=rng.randrange(0, int(span)), milliseconds=rng.randrange(1000))
        stamped = stamped.replace(microsecond=stamped.microsecond // 1000 * 1000)
        arrival = stamped + dt.timedelta(seconds=rng.randrange(0, 30))
        text, ecs16 = record(rng, pool, i % every == 0, stamped)
        lines.append((arrival.strftime("%Y/%m/%d/%H"), text, ecs16, stamped))
    # The quarter boundary as Firehose really files it: a record stamped in Q3's last second delivered
    # late (into Q4's first hour, even the next day), a record stamped in Q4's first minute in a part
    # whose oldest record arrived in Q3's last hour.
    edge = Q3[1]
    for stamped, folder_time in [
        (edge - dt.timedelta(seconds=1), edge + dt.timedelta(minutes=20)),
        (edge - dt.timedelta(milliseconds=1), edge + dt.timedelta(hours=23)),
        (edge + dt.timedelta(seconds=40), edge - dt.timedelta(minutes=10)),
        (edge, edge - dt.timedelta(minutes=14)),
        (Q3[0], Q3[0] - dt.timedelta(minutes=5)),
        (Q3[0] - dt.timedelta(seconds=1), Q3[0] - dt.timedelta(minutes=5)),
    ]:
        text, ecs16 = record(rng, pool, True, stamped)
        lines.append((folder_time.strftime("%Y/%m/%d/%H"), text, ecs16, stamped))
    by_hour = {}
    for hour, text, _, _ in lines:
        by_hour.setdefault(hour, []).append(text)
    sizes = {}
    for hour, texts in sorted(by_hour.items()):
        d = os.path.join(folder, hour)
        os.makedirs(d, exist_ok=True)
        name = os.path.join(d, f"ecs16-stream-1-{hour.replace('/', '-')}-00-00-part.gz")
        with open(name, "wb") as f:
            f.write(gzip.compress(("\n".join(texts) + "\n").encode(), compresslevel=6, mtime=0))
        sizes[hour] = os.path.getsize(name)
    return lines, sizes


def generate_lake(rng, pool, n, path):
    """n OCSF rows as Security Lake holds them (with their _dt texts), as JSON Lines: the table's source."""
    span = (Q4[1] - Q3[0]).total_seconds()
    rows = []
    for i in range(n):
        stamped = Q3[0] + dt.timedelta(seconds=rng.randrange(0, int(span)), milliseconds=rng.randrange(1000))
        stamped = stamped.replace(microsecond=stamped.microsecond // 1000 * 1000)
        if i % 50 == 0:
            ts = rng.choice(pool.task_sets)
            rows.append((ocsf(rng, "ECS.16", ts, ts["account"], ts["region"], stamped), True, stamped))
        else:
            account, region = rng.choice(ACCOUNTS), rng.choice(REGIONS)
            control, _ = rng.choice(OTHER_CONTROLS)
            rows.append((ocsf(rng, control, other_resource(rng, control, account, region), account, region,
                              stamped), False, stamped))
    with open(path, "w") as f:
        for doc, _, _ in rows:
            f.write(json.dumps(doc, separators=(",", ":")) + "\n")
    return rows


LAKE_COLUMNS = {
    "class_uid": "INTEGER", "activity_id": "INTEGER", "status_id": "INTEGER", "status": "VARCHAR",
    "severity": "VARCHAR", "comment": "VARCHAR", "time": "BIGINT", "time_dt": "TIMESTAMP",
    "metadata": "STRUCT(version VARCHAR, product STRUCT(name VARCHAR, vendor_name VARCHAR))",
    "finding_info": "STRUCT(uid VARCHAR, title VARCHAR, types VARCHAR[], created_time BIGINT, "
                    "created_time_dt TIMESTAMP, first_seen_time BIGINT, first_seen_time_dt TIMESTAMP, "
                    "last_seen_time BIGINT, last_seen_time_dt TIMESTAMP, modified_time BIGINT, "
                    "modified_time_dt TIMESTAMP)",
    "compliance": "STRUCT(control VARCHAR, status VARCHAR, status_id INTEGER, requirements VARCHAR[], "
                  "standards VARCHAR[])",
    "cloud": "STRUCT(account STRUCT(uid VARCHAR, name VARCHAR), region VARCHAR, provider VARCHAR)",
    "resources": "STRUCT(uid VARCHAR, uid_alt VARCHAR, type VARCHAR, region VARCHAR)[]",
}


def ecs16_query(binary, *args):
    out = subprocess.run([binary, "query", "--engine", "athena", *args], capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"ecs16-evidence query {' '.join(args)} failed: {out.stderr}")
    return out.stdout


def to_duckdb(sql):
    return sqlglot.transpile(sql, read="athena", write="duckdb")[0]


def schema_and_table(con, name):
    db, _ = name.split(".")
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{db}"')


def ddl_table(con, ddl, name):
    """The table the printed DDL declares, made in DuckDB (empty): its columns, then its partition columns."""
    create = sqlglot.parse_one(ddl, read="athena")
    columns = [f'"{c.name}" {c.args["kind"].sql("duckdb")}' for c in create.this.expressions]
    partitioned = create.find(exp.PartitionedByProperty)
    if partitioned:
        columns += [f'"{c.name}" {c.args["kind"].sql("duckdb")}' for c in partitioned.this.expressions]
    schema_and_table(con, name)
    db, table = name.split(".")
    con.execute(f'CREATE TABLE "{db}"."{table}" ({", ".join(columns)})')


def dt_predicates(sql):
    """The conditions of the Firehose SELECT that name `dt` alone: what Athena prunes partitions with."""
    tree = sqlglot.parse_one(sql, read="athena")
    found = []
    for node in tree.find_all(exp.Between, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.EQ):
        names = {c.name for c in node.find_all(exp.Column)}
        if names == {"dt"}:
            found.append(node.sql("duckdb"))
    return found


def write_result(rows_text, folder, parts=2):
    """What UNLOAD leaves in S3: a few gzip parts of JSON Lines (Athena writes in parallel)."""
    os.makedirs(folder, exist_ok=True)
    for p in range(parts):
        chunk = rows_text[p::parts]
        with open(os.path.join(folder, f"part-{p:05d}.gz"), "wb") as f:
            f.write(gzip.compress("".join(t + "\n" for t in chunk).encode(), mtime=0))


def report(binary, inputs, out):
    cmd = [binary, "report", "-q", "--out", out, "--period", "2026-Q3", "--as-of", AS_OF, *inputs]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr}")
    with open(os.path.join(out, "data", "reconciliation.csv"), "rb") as f:
        return f.read()


class Checks:
    def __init__(self):
        self.failed = []

    def equal(self, what, got, want):
        if got == want:
            return
        if isinstance(got, list) and isinstance(want, list):
            missing = [x for x in want if x not in set(got)]
            extra = [x for x in got if x not in set(want)]
            self.failed.append(f"{what}: {len(got)} selected, {len(want)} expected; {len(missing)} missing "
                               f"(first: {str(missing[:1])[:300]}), {len(extra)} extra "
                               f"(first: {str(extra[:1])[:300]})")
        elif isinstance(got, bytes) and isinstance(want, bytes):
            pairs = zip(got.decode().splitlines() + [""], want.decode().splitlines() + [""])
            line, (g, w) = next((i, p) for i, p in enumerate(pairs, 1) if p[0] != p[1])
            self.failed.append(f"{what}: reconciliation.csv differs at line {line}:\n    {g}\n    {w}")
        else:
            self.failed.append(f"{what}: got {got!r}, expected {want!r}")

    def true(self, what, ok):
        if not ok:
            self.failed.append(what)


def firehose(binary, work, n, rng, pool, checks, figures):
    archive = os.path.join(work, "archive")
    started = time.time()
    lines, sizes = generate_archive(rng, pool, n, archive)
    figures["firehose_generate_seconds"] = round(time.time() - started, 1)
    figures["events"] = len(lines)
    figures["ecs16_lines"] = sum(1 for _, _, e, _ in lines if e)

    con = duckdb.connect()
    ddl = ecs16_query(binary, "--source", "firehose", "--table", FIREHOSE_TABLE, "--ddl")
    ddl_table(con, ddl, FIREHOSE_TABLE)
    con.execute(f"""INSERT INTO security.findings_raw
        SELECT line, regexp_extract(filename, '(\\d{{4}}/\\d{{2}}/\\d{{2}}/\\d{{2}})/[^/]+$', 1)
        FROM read_csv('{archive}/*/*/*/*/*.gz', columns={{'line': 'VARCHAR'}}, header=false, delim=chr(1),
                      quote='', escape='', auto_detect=false, filename=true, compression='gzip')""")
    checks.equal("archive lines loaded into DuckDB", con.execute(
        "SELECT count(*) FROM security.findings_raw").fetchone()[0], len(lines))
    con.execute("CREATE TABLE parts (dt VARCHAR, bytes BIGINT)")
    con.executemany("INSERT INTO parts VALUES (?, ?)", sorted(sizes.items()))

    def select(*period):
        sql = ecs16_query(binary, "--source", "firehose", "--table", FIREHOSE_TABLE, *period)
        got = sorted(r[0] for r in con.execute(to_duckdb(sql)).fetchall())
        return sql, got

    def expected(period):
        return sorted(t for _, t, e, s in lines if e and in_period(s, period))

    sql_q3, q3 = select("--period", "2026-Q3")
    _, q4 = select("--period", "2026-Q4")
    # The whole archive: both quarters and the record stamped in Q2's last second.
    _, both = select("--from", "2026-06-30", "--to", "2026-12-31")
    checks.equal("Q3: the ECS.16 lines stamped in Q3, byte for byte", q3, expected(Q3))
    checks.equal("Q4: the ECS.16 lines stamped in Q4, byte for byte", q4, expected(Q4))
    checks.true("Q3 and Q4 share no line", not set(q3) & set(q4))
    checks.equal("Q3 + Q4 = every ECS.16 line but the one stamped in Q2", len(q3) + len(q4),
                 figures["ecs16_lines"] - 1)
    checks.equal("the whole archive's period: every ECS.16 line", both, sorted(t for _, t, e, _ in lines if e))
    figures["firehose_q3_selected"] = len(q3)
    figures["firehose_q4_selected"] = len(q4)

    # The SELECT runs on the table exactly as the DDL declares it (here the one loaded, made from it).
    where = dt_predicates(sql_q3)
    checks.true("the Firehose SELECT names dt for pruning", len(where) == 1)
    pruned = con.execute(f"SELECT count(*), coalesce(sum(bytes), 0) FROM parts WHERE {' AND '.join(where)}"
                         ).fetchone()
    whole = con.execute("SELECT count(*), sum(bytes) FROM parts").fetchone()
    figures.update({"partitions_whole": whole[0], "bytes_whole": whole[1],
                    "partitions_q3": pruned[0], "bytes_q3": pruned[1],
                    "bytes_uncompressed_whole": sum(len(t) + 1 for _, t, _, _ in lines)})

    dumps = os.path.join(work, "dumps")
    write_result(both, os.path.join(work, "firehose-both"))
    write_result(q3, os.path.join(work, "firehose-q3"))
    q3_all_controls = [t for _, t, _, s in lines if in_period(s, Q3)]
    write_result(q3_all_controls, os.path.join(work, "archive-q3"), parts=8)
    started = time.time()
    checks.equal("report on the whole period's selection = report on the whole archive",
                 report(binary, [os.path.join(work, "firehose-both"), dumps], os.path.join(work, "pack-fh-both")),
                 report(binary, [archive, dumps], os.path.join(work, "pack-fh-archive")))
    checks.equal("report on the Q3 selection = report on every Q3 record of the archive",
                 report(binary, [os.path.join(work, "firehose-q3"), dumps], os.path.join(work, "pack-fh-q3")),
                 report(binary, [os.path.join(work, "archive-q3"), dumps], os.path.join(work, "pack-fh-q3-all")))
    figures["firehose_report_seconds"] = round(time.time() - started, 1)


def security_lake(binary, work, n, rng, pool, checks, figures):
    source = os.path.join(work, "lake.jsonl")
    rows = generate_lake(rng, pool, n, source)
    figures["lake_rows"] = len(rows)
    figures["lake_ecs16_rows"] = sum(1 for _, e, _ in rows if e)
    con = duckdb.connect()
    schema_and_table(con, LAKE_TABLE)
    columns = ", ".join(f"'{k}': '{v}'" for k, v in LAKE_COLUMNS.items())
    con.execute(f"""CREATE TABLE {LAKE_TABLE} AS SELECT * FROM read_json('{source}', columns={{{columns}}},
                    format='newline_delimited')""")

    def select(*period, folder=None):
        sql = ecs16_query(binary, "--source", "security-lake", "--table", LAKE_TABLE, *period)
        query = to_duckdb(sql)
        if folder:  # as UNLOAD (format = 'JSON', compression = 'GZIP') writes it
            os.makedirs(folder, exist_ok=True)
            con.execute(f"COPY ({query}) TO '{folder}/part-00000.gz' (FORMAT JSON, COMPRESSION GZIP)")
        return sql, sorted((r[0], r[1]) for r in con.execute(
            f"SELECT finding_info.uid, time FROM ({query})").fetchall())

    def expected(period):
        return sorted((d["finding_info"]["uid"], d["time"]) for d, e, s in rows if e and in_period(s, period))

    sql_q3, q3 = select("--period", "2026-Q3", folder=os.path.join(work, "lake-q3"))
    _, q4 = select("--period", "2026-Q4")
    _, both = select("--from", "2026-07-01", "--to", "2026-12-31", folder=os.path.join(work, "lake-both"))
    checks.equal("Security Lake Q3: the ECS.16 rows stamped in Q3", q3, expected(Q3))
    checks.equal("Security Lake Q4: the ECS.16 rows stamped in Q4", q4, expected(Q4))
    checks.equal("Security Lake Q3 + Q4 = every ECS.16 row", len(q3) + len(q4), figures["lake_ecs16_rows"])
    figures["lake_q3_selected"] = len(q3)

    # The SELECT also runs on a table made from the printed DDL (the columns a data-access subscriber has).
    ddl = ecs16_query(binary, "--source", "security-lake", "--table", "ddl_check.sh_findings", "--ddl")
    ddl_table(con, ddl, "ddl_check.sh_findings")
    on_ddl = ecs16_query(binary, "--source", "security-lake", "--table", "ddl_check.sh_findings", "--period",
                         "2026-Q3")
    try:
        con.execute(to_duckdb(on_ddl))
    except duckdb.Error as e:
        checks.failed.append(f"the Security Lake SELECT on the DDL's table: {e}")

    dumps = os.path.join(work, "dumps")
    q3_source = os.path.join(work, "lake-q3-all", "lake-q3.jsonl")
    os.makedirs(os.path.dirname(q3_source), exist_ok=True)
    with open(q3_source, "w") as f:
        for doc, _, s in rows:
            if in_period(s, Q3):
                f.write(json.dumps(doc, separators=(",", ":")) + "\n")
    checks.equal("report on the Security Lake selection (both quarters) = report on the whole table",
                 report(binary, [os.path.join(work, "lake-both"), dumps], os.path.join(work, "pack-sl-both")),
                 report(binary, [source, dumps], os.path.join(work, "pack-sl-all")))
    checks.equal("report on the Security Lake Q3 selection = report on every Q3 row",
                 report(binary, [os.path.join(work, "lake-q3"), dumps], os.path.join(work, "pack-sl-q3")),
                 report(binary, [q3_source, dumps], os.path.join(work, "pack-sl-q3-all")))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True, help="the ecs16-evidence binary")
    ap.add_argument("--work", required=True, help="an empty scratch folder")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--lake-rows", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=19)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    pool = Pool(rng, 400)
    pool.write_dumps(os.path.join(a.work, "dumps"))
    checks, figures = Checks(), {"duckdb": duckdb.__version__, "sqlglot": sqlglot.__version__}
    started = time.time()
    firehose(a.bin, a.work, a.events, rng, pool, checks, figures)
    security_lake(a.bin, a.work, a.lake_rows, rng, pool, checks, figures)
    figures["seconds"] = round(time.time() - started, 1)
    print(json.dumps(figures, indent=2))
    if checks.failed:
        print("FAILED:\n  " + "\n  ".join(checks.failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
