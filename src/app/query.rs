//! `query`: the SQL, checked from the arguments and printed on stdout. Nothing here touches a file or the
//! network; the text is a pure function of the arguments (`crate::query`).

use crate::cli::{Engine, QueryArgs, Source};
use crate::period::{Period, PeriodError};
use crate::query::{self, AthenaQuery, QueryError};
use anyhow::Result;
use std::io::{self, Write};
use std::process::ExitCode;

/// Arguments that cannot make a query, named with what to give instead.
#[derive(Debug, thiserror::Error)]
pub enum QueryPlanError {
    #[error(
        "query --engine athena needs the period: --period QUARTER (e.g. 2026-Q3) or --from DATE --to DATE; \
         the SQL never depends on the day it is printed"
    )]
    NoPeriod,
    #[error(
        "query --engine athena needs --source (firehose or security-lake) and --table DB.TABLE"
    )]
    NoTable,
    #[error(
        "query --engine config takes no {0}: it prints the one AWS Config query that lists the task sets \
         and services of every account and region an aggregator covers"
    )]
    NotForConfig(&'static str),
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(transparent)]
    Query(#[from] QueryError),
}

/// What to print, decided from the arguments.
enum Plan {
    Config,
    Ddl(query::Source, query::Table),
    Athena(AthenaQuery),
}

pub fn run(args: &QueryArgs) -> Result<ExitCode> {
    let sql = match plan(args)? {
        Plan::Config => query::config_query(),
        Plan::Ddl(source, table) => query::ddl(source, &table),
        Plan::Athena(q) => query::athena(&q)?,
    };
    let mut out = io::stdout().lock();
    out.write_all(sql.as_bytes())?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn plan(args: &QueryArgs) -> Result<Plan, QueryPlanError> {
    match args.engine {
        Engine::Config => {
            refuse_for_config(args)?;
            Ok(Plan::Config)
        }
        Engine::Athena => athena_plan(args),
    }
}

/// The Config query has nothing to choose: every option of the Athena form is refused by name rather
/// than ignored, so nobody believes it was filtered by a period or a table.
fn refuse_for_config(args: &QueryArgs) -> Result<(), QueryPlanError> {
    let given = [
        ("--source", args.source.is_some()),
        ("--table", args.table.is_some()),
        ("--period", args.period.is_some()),
        ("--from/--to", args.from.is_some() || args.to.is_some()),
        ("--unload", args.unload.is_some()),
        ("--ddl", args.ddl),
    ];
    match given.iter().find(|(_, present)| *present) {
        Some((name, _)) => Err(QueryPlanError::NotForConfig(name)),
        None => Ok(()),
    }
}

fn athena_plan(args: &QueryArgs) -> Result<Plan, QueryPlanError> {
    // clap already requires both with `--engine athena`; this keeps the function total without an unwrap.
    let (Some(source), Some(table)) = (args.source, args.table.clone()) else {
        return Err(QueryPlanError::NoTable);
    };
    let source = match source {
        Source::Firehose => query::Source::Firehose,
        Source::SecurityLake => query::Source::SecurityLake,
    };
    if args.ddl {
        return Ok(Plan::Ddl(source, table));
    }
    let period = match (&args.period, args.from, args.to) {
        (Some(p), _, _) => p.clone(),
        (None, Some(from), Some(to)) => Period::range(from, to)?,
        _ => return Err(QueryPlanError::NoPeriod),
    };
    Ok(Plan::Athena(AthenaQuery {
        source,
        table,
        period,
        unload: args.unload.clone(),
    }))
}
