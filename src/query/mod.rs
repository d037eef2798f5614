//! `query`: the SQL that picks ECS.16 evidence out of an organisation's archive where it lives, so nobody
//! downloads hundreds of gigabytes to find a few thousand records. The tool only prints the SQL; it never
//! runs it (no network code). Three texts:
//!
//! - Amazon Athena (Trino) over a Firehose archive of raw lines (`firehose`): the table's DDL, and a SELECT
//!   that returns the ECS.16 lines of the period unchanged;
//! - Athena over the Security Lake Security Hub table (OCSF, `security_lake`): a DDL for subscribers who
//!   read its objects from S3, and a SELECT whose rows the OCSF reader accepts;
//! - AWS Config advanced query (`config`): every task set and service of an organisation, with the fields
//!   the Config reader reads.
//!
//! With `UNLOAD` the result lands in S3 as gzip JSON Lines, which `report` reads like any other export.
//!
//! Everything here is a pure function of validated values: the same arguments print the same bytes, and
//! nothing reads the clock (the period is always given). Every value placed into the SQL goes through
//! [`literal`] (or [`identifier`] for names), even values validated to need no escaping, so one function
//! answers for injection.

mod config;
mod firehose;
mod security_lake;

use crate::period::Period;
use chrono::{Datelike, NaiveDate};

pub use config::config_query;

/// Why a query cannot be written from the values given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error(
        "{0:?} is not a table name: use DATABASE.TABLE or TABLE, letters, digits and _ only, at most \
         255 of them each"
    )]
    NotATable(String),
    #[error(
        "{0:?} is not an S3 folder like s3://bucket/prefix/: a bucket name (a-z, 0-9, . and -), then \
         one or more folder names (letters, digits, . _ - =), ending with /"
    )]
    NotAnS3Folder(String),
    #[error(
        "period {label} falls outside {first}-{last}: no Security Hub evidence is dated there",
        first = crate::time::EVIDENCE_YEARS.start(),
        last = crate::time::EVIDENCE_YEARS.end()
    )]
    OutsideEvidenceYears { label: String },
}

/// Where the findings are stored, which decides the table's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// EventBridge → Firehose → S3: one event (or one finding) per line, gzip, `yyyy/MM/dd/HH/` prefixes.
    Firehose,
    /// The Security Lake table of Security Hub findings (OCSF).
    SecurityLake,
}

/// A table name as `--table` gives it: `TABLE` or `DATABASE.TABLE`, each of `[A-Za-z0-9_]+`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    database: Option<String>,
    name: String,
}

impl Table {
    pub fn parse(text: &str) -> Result<Table, QueryError> {
        let refuse = || QueryError::NotATable(text.to_string());
        // 255 is the longest name the Glue Data Catalog (Athena's catalog) accepts.
        let part = |s: &str| {
            ((1..=255).contains(&s.len())
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .then(|| s.to_string())
        };
        match text.split_once('.') {
            Some((db, name)) => Ok(Table {
                database: Some(part(db).ok_or_else(refuse)?),
                name: part(name).ok_or_else(refuse)?,
            }),
            None => Ok(Table {
                database: None,
                name: part(text).ok_or_else(refuse)?,
            }),
        }
    }

    /// The name as a query (Trino) spells it: each part in double quotes, so a name that starts with a
    /// digit or an underscore is read as a name.
    fn in_query(&self) -> String {
        self.parts()
            .map(|p| identifier(p, '"'))
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The name as a DDL statement (Hive) spells it: each part in backticks.
    fn in_ddl(&self) -> String {
        self.parts()
            .map(|p| identifier(p, '`'))
            .collect::<Vec<_>>()
            .join(".")
    }

    fn parts(&self) -> impl Iterator<Item = &str> {
        self.database
            .as_deref()
            .into_iter()
            .chain(std::iter::once(self.name.as_str()))
    }
}

/// An S3 folder to UNLOAD into: `s3://bucket/prefix/`. Only characters that need no escaping anywhere
/// (in SQL, in a shell, in a URL) are accepted, so the URI printed is the URI given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Folder(String);

impl S3Folder {
    pub fn parse(text: &str) -> Result<S3Folder, QueryError> {
        let refuse = || QueryError::NotAnS3Folder(text.to_string());
        let rest = text.strip_prefix("s3://").ok_or_else(refuse)?;
        let folders = rest.strip_suffix('/').ok_or_else(refuse)?;
        let (bucket, prefix) = folders.split_once('/').ok_or_else(refuse)?;
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
            && bucket.starts_with(|c: char| c.is_ascii_alphanumeric())
            && bucket.ends_with(|c: char| c.is_ascii_alphanumeric());
        // Empty folder names (`a//b`) are rewritten by Athena, `.` and `..` mean nothing to S3: refused.
        let prefix_ok = prefix.split('/').all(|folder| {
            !folder.is_empty()
                && folder != "."
                && folder != ".."
                && folder
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-=".contains(&b))
        });
        if bucket_ok && prefix_ok {
            Ok(S3Folder(text.to_string()))
        } else {
            Err(refuse())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What `query --engine athena` is asked for, validated.
#[derive(Debug, Clone)]
pub struct AthenaQuery {
    pub source: Source,
    pub table: Table,
    pub period: Period,
    pub unload: Option<S3Folder>,
}

/// The CREATE EXTERNAL TABLE for a source's table.
pub fn ddl(source: Source, table: &Table) -> String {
    match source {
        Source::Firehose => firehose::ddl(table),
        Source::SecurityLake => security_lake::ddl(table),
    }
}

/// The SELECT of the period's ECS.16 records, wrapped in UNLOAD when a folder is given.
pub fn athena(q: &AthenaQuery) -> Result<String, QueryError> {
    let window = Window::of(&q.period)?;
    let select = match q.source {
        Source::Firehose => firehose::select(&q.table, &window),
        Source::SecurityLake => security_lake::select(&q.table, &window),
    };
    Ok(match &q.unload {
        Some(folder) => unload(q.source, &select, folder),
        None => select,
    })
}

/// `UNLOAD (SELECT …) TO 'folder' WITH (…)`: the result written as gzip text, one record per line.
/// TEXTFILE writes the Firehose `line` column as it is (one JSON document per line); JSON writes each
/// Security Lake row as one JSON object. Both are gzip JSON Lines the tool reads directly.
fn unload(source: Source, select: &str, folder: &S3Folder) -> String {
    let format = match source {
        Source::Firehose => "TEXTFILE",
        Source::SecurityLake => "JSON",
    };
    let inner: Vec<String> = select.lines().map(|l| format!("  {l}")).collect();
    format!(
        "UNLOAD (\n{}\n)\nTO {}\nWITH (format = {}, compression = {})\n",
        inner.join("\n"),
        literal(folder.as_str()),
        literal(format),
        literal("GZIP")
    )
}

/// A SQL string literal: the text in single quotes, each single quote in it doubled. The one way a value
/// enters the SQL, even a value already validated to hold no quote.
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A quoted name: `"name"` for Trino, `` `name` `` for Hive DDL, the quote character doubled inside.
fn identifier(name: &str, quote: char) -> String {
    let doubled = format!("{quote}{quote}");
    format!("{quote}{}{quote}", name.replace(quote, &doubled))
}

/// The period as the queries need it: its first instant and the first instant after it (UTC), as days.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Window {
    /// The day before the first: Firehose may file a record of the first instant under its last hour.
    day_before: NaiveDate,
    first_day: NaiveDate,
    /// The day after the period's last day: the bound is exclusive, so a time of the last day's last
    /// second (with any fraction) is inside.
    end_day: NaiveDate,
}

impl Window {
    fn of(period: &Period) -> Result<Window, QueryError> {
        let years = crate::time::EVIDENCE_YEARS;
        let inside =
            years.contains(&period.first_day.year()) && years.contains(&period.last_day.year());
        match (period.first_day.pred_opt(), period.last_day.succ_opt()) {
            (Some(day_before), Some(end_day)) if inside => Ok(Window {
                day_before,
                first_day: period.first_day,
                end_day,
            }),
            _ => Err(QueryError::OutsideEvidenceYears {
                label: period.label.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests;
