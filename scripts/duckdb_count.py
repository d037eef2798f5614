"""DuckDB doing only the selection and count that the benchmark compares: ECS.16 findings by account and
status, from a get-findings page (`page`) or from JSON Lines (`jsonl`). Used by scripts/bench.sh."""
import sys

import duckdb

path, fmt = sys.argv[1], sys.argv[2]
con = duckdb.connect()
if fmt == "page":
    q = f"""SELECT f.AwsAccountId, f.Compliance.Status, count(*) FROM
            (SELECT unnest(Findings) AS f FROM read_json('{path}', maximum_object_size=4000000000))
            WHERE f.Compliance.SecurityControlId = 'ECS.16' GROUP BY ALL"""
else:
    q = f"""SELECT AwsAccountId, Compliance.Status, count(*) FROM read_json('{path}', format='newline_delimited')
            WHERE Compliance.SecurityControlId = 'ECS.16' GROUP BY ALL"""
print(len(con.execute(q).fetchall()))
