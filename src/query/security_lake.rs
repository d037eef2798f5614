//! Athena over the Security Lake table of Security Hub findings (OCSF, AWS source version 2, e.g.
//! `amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_2_0`).
//!
//! The SELECT keeps the rows whose `compliance.control` is ECS.16 and whose `time_dt` (the time the
//! service stamped, never the provider's `modified_time`) falls in the period. It returns the columns the
//! OCSF reader (`ingest::ocsf`) reads, under their own names, so `UNLOAD … format = 'JSON'` writes each
//! row as one OCSF document the tool accepts. The reader prefers a `…_dt` text time to the epoch
//! milliseconds beside it, but Athena writes a timestamp into JSON without its zone
//! (`2026-07-01 10:00:00.000`), which the tool refuses to guess: `finding_info` is therefore rebuilt with
//! its epoch-millisecond times only, and `time_dt` is left out (`time` carries the same instant).
//!
//! The DDL is for a subscriber with data access, who reads Security Lake's Parquet objects from S3 rather
//! than through Lake Formation: it declares only the columns the SELECT reads (Parquet columns and struct
//! fields are matched by name, so the others are simply not read). A subscriber with query access, or
//! the Security Lake account itself, already has the table and skips it.

use super::{identifier, literal, Table, Window};
use chrono::NaiveDate;

/// Printed for the user to replace: the Security Lake bucket's prefix of Security Hub findings.
const LOCATION: &str = "s3://REPLACE-WITH-SECURITY-LAKE-BUCKET/aws/SH_FINDINGS/2.0/";

/// The columns of the DDL and their Hive types: the ones the SELECT reads, nothing else.
const COLUMNS: &[(&str, &str)] = &[
    ("class_uid", "int"),
    ("activity_id", "int"),
    ("status_id", "int"),
    ("status", "string"),
    ("comment", "string"),
    ("severity", "string"),
    ("time", "bigint"),
    ("time_dt", "timestamp"),
    (
        "finding_info",
        "struct<uid:string,title:string,created_time:bigint,first_seen_time:bigint,\
         last_seen_time:bigint,modified_time:bigint>",
    ),
    (
        "compliance",
        "struct<control:string,status:string,status_id:int,requirements:array<string>,\
         standards:array<string>>",
    ),
    (
        "cloud",
        "struct<account:struct<uid:string,name:string>,region:string,provider:string>",
    ),
    (
        "resources",
        "array<struct<uid:string,uid_alt:string,type:string,region:string>>",
    ),
];

pub fn ddl(table: &Table) -> String {
    let columns: Vec<String> = COLUMNS
        .iter()
        .map(|(name, kind)| format!("  {} {kind}", identifier(name, '`')))
        .collect();
    format!(
        "CREATE EXTERNAL TABLE IF NOT EXISTS {} (\n{}\n)\nSTORED AS PARQUET\nLOCATION {}\n",
        table.in_ddl(),
        columns.join(",\n"),
        literal(LOCATION)
    )
}

/// The fields of `finding_info` the reader uses, with their types: the epoch-millisecond times only.
const FINDING_INFO: &[(&str, &str)] = &[
    ("uid", "varchar"),
    ("title", "varchar"),
    ("created_time", "bigint"),
    ("first_seen_time", "bigint"),
    ("last_seen_time", "bigint"),
    ("modified_time", "bigint"),
];

/// The columns selected as they are.
const SELECTED: &[&str] = &[
    "class_uid",
    "activity_id",
    "status_id",
    "status",
    "comment",
    "severity",
    "time",
];

/// Selected whole after `finding_info`: none of them holds a timestamp.
const SELECTED_WHOLE: &[&str] = &["compliance", "cloud", "resources"];

fn finding_info() -> String {
    let values: Vec<String> = FINDING_INFO
        .iter()
        .map(|(f, _)| format!("finding_info.{f}"))
        .collect();
    let types: Vec<String> = FINDING_INFO
        .iter()
        .map(|(f, t)| format!("{f} {t}"))
        .collect();
    format!(
        "CAST(\n    ROW({})\n    AS ROW({})\n  ) AS finding_info",
        values.join(", "),
        types.join(", ")
    )
}

pub fn select(table: &Table, window: &Window) -> String {
    // Column names are this module's constants, written as Security Lake's own examples write them.
    let mut columns: Vec<String> = SELECTED.iter().map(|c| c.to_string()).collect();
    columns.push(finding_info());
    columns.extend(SELECTED_WHOLE.iter().map(|c| c.to_string()));
    format!(
        "SELECT\n  {columns}\nFROM {table}\n\
         WHERE compliance.control = {ecs16}\n  \
         AND time_dt >= {start}\n  \
         AND time_dt < {end}\n",
        columns = columns.join(",\n  "),
        table = table.in_query(),
        ecs16 = literal(crate::model::CONTROL_ID),
        start = instant(window.first_day),
        end = instant(window.end_day),
    )
}

/// A day's first instant as a Trino timestamp literal (UTC: Athena runs its sessions in UTC).
fn instant(day: NaiveDate) -> String {
    format!(
        "TIMESTAMP {}",
        literal(&format!("{} 00:00:00", day.format("%Y-%m-%d")))
    )
}
