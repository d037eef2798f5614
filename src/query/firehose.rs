//! Athena over a Firehose archive: EventBridge → Firehose → S3, one EventBridge event (or one bare finding)
//! per line, gzip objects under Firehose's default `yyyy/MM/dd/HH/` prefixes (UTC).
//!
//! The table has one `string` column, `line`, and one partition column, `dt`, projected from the prefix,
//! so no partition is ever added by hand and a query names the hours it reads. The SELECT returns `line`
//! unchanged: the result is the very records the archive holds, byte for byte, which `report` then reads
//! as JSON Lines. It keeps a line when:
//!
//! - its control id is ECS.16, read as the tool reads it (`Compliance.SecurityControlId`, else the suffix
//!   of `GeneratorId`, else `ProductFields.ControlId`; OCSF `compliance.control`), in the event's first
//!   finding (`detail.findings[0]`) or in a bare finding;
//! - the time a service stamped on it falls in the period: the event's `time`, else the finding's
//!   `ProcessedAt` (OCSF `time_dt`). Never `UpdatedAt`, which the finding's provider sets;
//! - its prefix hour `dt` could hold such a record, so Athena reads only those prefixes (see [`prefixes`]).

use super::{identifier, literal, Table, Window};
use chrono::NaiveDate;

/// Where the table's data lives: printed for the user to replace with the stream's bucket and prefix.
const LOCATION: &str = "s3://REPLACE-WITH-BUCKET/REPLACE-WITH-PREFIX/";

/// The first hour projected. Security Hub exists since late 2018, so no archive holds earlier findings;
/// a fixed start (rather than one computed from today) keeps the DDL the same whenever it is printed.
const FIRST_HOUR: &str = "2018/01/01/00";

pub fn ddl(table: &Table) -> String {
    let template = format!("{LOCATION}${{dt}}/");
    let properties = [
        ("projection.enabled", "true"),
        ("projection.dt.type", "date"),
        ("projection.dt.format", "yyyy/MM/dd/HH"),
        ("projection.dt.range", &format!("{FIRST_HOUR},NOW")),
        ("projection.dt.interval", "1"),
        ("projection.dt.interval.unit", "HOURS"),
        ("storage.location.template", &template),
    ]
    .iter()
    .map(|(k, v)| format!("  {} = {}", literal(k), literal(v)))
    .collect::<Vec<_>>()
    .join(",\n");
    format!(
        "CREATE EXTERNAL TABLE IF NOT EXISTS {table} (\n  {line} string\n)\n\
         PARTITIONED BY (\n  {dt} string\n)\n\
         ROW FORMAT SERDE {serde}\n\
         STORED AS INPUTFORMAT {input}\n  OUTPUTFORMAT {output}\n\
         LOCATION {location}\n\
         TBLPROPERTIES (\n{properties}\n)\n",
        table = table.in_ddl(),
        line = identifier("line", '`'),
        dt = identifier("dt", '`'),
        serde = literal("org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"),
        input = literal("org.apache.hadoop.mapred.TextInputFormat"),
        output = literal("org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"),
        location = literal(LOCATION),
    )
}

/// Where each form of record keeps its control id, in the order the tool reads them: the event's first
/// finding, then a bare finding (a line is one or the other, never both).
const CONTROL_PATHS: &[ControlPath] = &[
    ControlPath::Id("$.detail.findings[0].Compliance.SecurityControlId"),
    ControlPath::Suffix("$.detail.findings[0].GeneratorId"),
    ControlPath::Id("$.detail.findings[0].ProductFields.ControlId"),
    ControlPath::Id("$.detail.findings[0].compliance.control"),
    ControlPath::Id("$.Compliance.SecurityControlId"),
    ControlPath::Suffix("$.GeneratorId"),
    ControlPath::Id("$.ProductFields.ControlId"),
    ControlPath::Id("$.compliance.control"),
];

enum ControlPath {
    /// The value is the control id.
    Id(&'static str),
    /// The control id is what follows the value's last `/` (`security-control/ECS.16`,
    /// `pci-dss/v/4.0.1/ECS.16`); nothing when there is no `/` or nothing after it.
    Suffix(&'static str),
}

impl ControlPath {
    fn sql(&self) -> String {
        match self {
            ControlPath::Id(path) => scalar(path),
            ControlPath::Suffix(path) => format!(
                "NULLIF(regexp_extract({}, {}, 1), {})",
                scalar(path),
                literal("/([^/]+)$"),
                literal("")
            ),
        }
    }
}

/// The service-stamped times, in the tool's order: an event's `time` (events have no other top-level
/// time), an ASFF finding's `ProcessedAt`, an OCSF finding's `time_dt`. A text that is not a time gives
/// nothing (`try`) rather than failing the whole query.
const STAMP_PATHS: &[&str] = &["$.time", "$.ProcessedAt", "$.time_dt"];

fn scalar(path: &str) -> String {
    format!("json_extract_scalar(line, {})", literal(path))
}

fn coalesce(parts: &[String]) -> String {
    format!("COALESCE(\n      {}\n    )", parts.join(",\n      "))
}

pub fn select(table: &Table, window: &Window) -> String {
    let control: Vec<String> = CONTROL_PATHS.iter().map(ControlPath::sql).collect();
    let stamps: Vec<String> = STAMP_PATHS
        .iter()
        .map(|p| format!("try(from_iso8601_timestamp({}))", scalar(p)))
        .collect();
    let (first_prefix, last_prefix) = prefixes(window);
    format!(
        "SELECT line\n\
         FROM (\n  SELECT\n    line,\n    {control} AS control_id,\n    {stamps} AS stamped_at\n  \
         FROM {table}\n  WHERE dt BETWEEN {first_prefix} AND {last_prefix}\n)\n\
         WHERE control_id = {ecs16}\n  \
         AND stamped_at >= {start}\n  \
         AND stamped_at < {end}\n",
        control = coalesce(&control),
        stamps = coalesce(&stamps),
        table = table.in_query(),
        first_prefix = literal(&first_prefix),
        last_prefix = literal(&last_prefix),
        ecs16 = literal(crate::model::CONTROL_ID),
        start = instant(window.first_day),
        end = instant(window.end_day),
    )
}

fn instant(day: NaiveDate) -> String {
    format!(
        "from_iso8601_timestamp({})",
        literal(&format!("{}T00:00:00Z", day.format("%Y-%m-%d")))
    )
}

/// The first and last prefix hour (`yyyy/MM/dd/HH`) that can hold a record stamped in the period.
///
/// Firehose names an object by the arrival time of the oldest record in it (Firehose developer guide,
/// "Custom prefixes": the `timestamp` namespace), and buffers at most 900 seconds: a record stamped at
/// the period's first instant can sit in an object of the hour before. A record reaches Firehose after
/// its stamp, and EventBridge retries delivery for up to 24 hours: a record stamped at the period's last
/// instant can sit in an object named up to a day later. One hour before and one day after cost little
/// (a quarter is over 2,000 hours) and lose nothing; the stamp itself then decides.
pub fn prefixes(window: &Window) -> (String, String) {
    let hour = |day: NaiveDate, h: u32| format!("{}/{h:02}", day.format("%Y/%m/%d"));
    // `end_day` is the day after the last day: the last prefix is that day's last hour.
    (hour(window.day_before, 23), hour(window.end_day, 23))
}
