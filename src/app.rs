//! Runs the commands: each one is the stages in order, ingest → reconcile → aggregate → render → pack.
//!
//! Exit codes: 0 done; 1 something the user asked to be told about was found (`--fail-on` outcomes, a pack
//! that fails `verify`, `inspect` with unreadable files); 2 the run could not be done (bad input, bad usage,
//! refused output).

use crate::cli::{Cli, Command, InspectArgs, ReportArgs, TemplatesArgs, VerifyArgs};
use crate::ingest::{self, InputStatus};
use crate::manifest::{self, FileEntry, RunOptions};
use crate::period::Period;
use crate::reconcile::Outcome;
use crate::render::templates::Renderer;
use crate::{
    aggregate, baseline, catalog, dedupe, exceptions, history, pack, reconcile, remediation,
    render, time,
};
use anyhow::{bail, Context as _, Result};
use chrono::{DateTime, Utc};
use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

/// The whole program: parse, run, map the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Report(args) => report(&args),
        Command::Inspect(args) => inspect(&args),
        Command::Verify(args) => verify(&args),
        Command::Templates(args) => templates(&args),
    }
}

/// The newest timestamp in the evidence: the default `as_of`, so the pack never depends on the clock.
fn newest_timestamp(
    findings: &[crate::model::Finding],
    inventory: &crate::model::Inventory,
) -> Option<DateTime<Utc>> {
    findings
        .iter()
        .flat_map(|f| [f.updated_at, f.processed_at, f.last_observed_at])
        .flatten()
        .chain(inventory.newest_timestamp)
        .max()
}

/// A bar of bytes read on stderr, only when stderr is a terminal and the run is not quiet.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    let style = indicatif::ProgressStyle::with_template(
        "reading {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

/// The options that shape the pack's content, as recorded in its manifest.
fn run_options(args: &ReportArgs) -> RunOptions {
    RunOptions {
        inputs: args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        as_of: args.as_of.as_ref().map(time::format),
        period: args.period.as_ref().map(|p| p.label.clone()),
        from: args.from.map(|d| d.to_string()),
        to: args.to.map(|d| d.to_string()),
        exceptions: args.exceptions.as_ref().map(|p| p.display().to_string()),
        skip_bad_inputs: args.skip_bad_inputs,
        fail_on: args.fail_on.iter().map(|o| o.code().to_string()).collect(),
        org: args.org.clone(),
        assessor: args.assessor.clone(),
        templates: args.templates.as_ref().map(|p| p.display().to_string()),
        baseline: args.baseline.as_ref().map(|p| p.display().to_string()),
    }
}

fn report(args: &ReportArgs) -> Result<ExitCode> {
    // Refuse an unusable --out and a broken register before reading gigabytes of input.
    pack::check_target(&args.out, args.force)?;
    let renderer = match &args.templates {
        Some(dir) => Renderer::with_overrides(dir)?,
        None => Renderer::built_in()?,
    };
    let (register, register_file) = match &args.exceptions {
        Some(path) => {
            let entries = exceptions::load(path).map_err(anyhow::Error::msg)?;
            let (sha256, size) = ingest::reader::hash_file(path)
                .with_context(|| format!("{}: cannot be read", path.display()))?;
            let entry = FileEntry {
                path: path.display().to_string(),
                sha256,
                size,
            };
            (entries, Some(entry))
        }
        None => (Vec::new(), None),
    };
    let progress = progress_bar(args.quiet);
    let mut options = ingest::Options {
        skip_bad_inputs: args.skip_bad_inputs,
        exclude: vec![args.out.clone()],
        jobs: args.jobs.map_or_else(ingest::default_jobs, usize::from),
        progress: progress.clone(),
        ..Default::default()
    };
    if let Some(n) = args.split_min_bytes {
        options.split_min_bytes = n;
    }
    let ingested = ingest::ingest(&args.inputs, &options);
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    let ingested = ingested?;
    // History needs every copy of every finding (one per export); the current state needs one per Id.
    let all_copies = ingested.findings.clone();
    let (findings, duplicates) = dedupe::by_id(ingested.findings);
    let rows = reconcile::reconcile(&findings, &ingested.inventory);
    let as_of = match args
        .as_of
        .or_else(|| newest_timestamp(&findings, &ingested.inventory))
    {
        Some(t) => t,
        None => bail!("the inputs hold no timestamp to date the evidence by: give --as-of"),
    };
    let period = match (&args.period, args.from, args.to) {
        (Some(p), _, _) => p.clone(),
        (None, Some(from), Some(to)) => Period::range(from, to).map_err(anyhow::Error::msg)?,
        _ => Period::quarter_containing(&as_of),
    };
    let aggregates = aggregate::aggregate(&rows).context("aggregating the reconciliation")?;
    let exception_rows = exceptions::evaluate(&rows, &register, &as_of);
    let plan = remediation::plan(&rows, &ingested.inventory);
    let history = history::build(&all_copies, &rows, &period, &as_of);
    let exposure_points: Vec<render::charts::ExposurePoint> = history
        .exposed_per_snapshot
        .iter()
        .map(|(d, n)| render::charts::ExposurePoint {
            date: d.to_string(),
            exposed: *n,
        })
        .collect();
    let baseline = match &args.baseline {
        Some(p) => Some(baseline::compare(p, &rows, &exception_rows).map_err(anyhow::Error::msg)?),
        None => None,
    };
    let options = run_options(args);
    // The pack's parent folder: writable (the pack goes there), unlike, perhaps, $TMPDIR.
    let scratch_dir = match args.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let analysis = render::Analysis {
        catalog: catalog::catalog(),
        as_of,
        period: &period,
        rows: &rows,
        findings: &findings,
        duplicates_dropped: duplicates as u64,
        inventory: &ingested.inventory,
        inputs: &ingested.inputs,
        aggregates: &aggregates,
        exceptions: &exception_rows,
        register: register_file,
        remediation: &plan,
        exposure_points: &exposure_points,
        history: &history,
        baseline: baseline.as_ref(),
        options: &options,
        scratch_dir: Some(&scratch_dir),
    };
    let files = render::render(&analysis, &renderer)?;
    if let Some(path) = &args.dump_context {
        let ctx = render::context_for(&analysis);
        std::fs::write(path, Renderer::context_json(&ctx))
            .with_context(|| format!("{}: cannot be written", path.display()))?;
    }
    pack::write(&args.out, &files, args.force)?;

    if args.verbose {
        for input in &ingested.inputs {
            eprintln!("{}", inspect_line(input));
            for p in &input.problems {
                eprintln!("    record {}: {}", p.record, p.message);
            }
        }
    }
    if !args.quiet {
        let mut out = io::stdout().lock();
        writeln!(
            out,
            "ECS.16 evidence pack written to {} (as of {}, period {})",
            args.out.display(),
            time::format(&as_of),
            period.label
        )?;
        writeln!(out, "{:<20} {:>9}", "outcome", "task sets")?;
        for (o, n) in Outcome::ALL.iter().zip(aggregates.outcomes) {
            writeln!(out, "{:<20} {:>9}", o.code(), n)?;
        }
        writeln!(out, "{:<20} {:>9}", "total", aggregates.total)?;
        let rejected = ingested
            .inputs
            .iter()
            .filter(|i| matches!(i.status, InputStatus::Rejected(_)))
            .count();
        let used = ingested
            .inputs
            .iter()
            .filter(|i| i.status == InputStatus::Used)
            .count();
        let problems: usize = ingested.inputs.iter().map(|i| i.problems.len()).sum();
        writeln!(
            out,
            "inputs: {used} read, {rejected} rejected; {} findings read, {} distinct ECS.16 ({duplicates} duplicates dropped); {} task sets in dumps; {problems} record problems",
            ingested.inputs.iter().map(|i| i.findings_read).sum::<u64>(),
            findings.len(),
            ingested.inventory.task_sets.len(),
        )?;
    }
    gate(&args.fail_on, &aggregates)
}

/// `--fail-on`: exit 1 when any task set has one of the listed outcomes, saying which and how many.
fn gate(fail_on: &[Outcome], aggregates: &aggregate::Aggregates) -> Result<ExitCode> {
    let hits: Vec<String> = Outcome::ALL
        .iter()
        .zip(aggregates.outcomes)
        .filter(|(o, n)| fail_on.contains(o) && *n > 0)
        .map(|(o, n)| format!("{n} {}", o.code()))
        .collect();
    if hits.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("fail-on: {} (the pack was written)", hits.join(", "));
    Ok(ExitCode::from(1))
}

fn templates(args: &TemplatesArgs) -> Result<ExitCode> {
    let written =
        crate::render::templates::write_out(&args.dir, args.force).map_err(anyhow::Error::msg)?;
    let mut out = io::stdout().lock();
    for w in written {
        writeln!(out, "wrote {w}")?;
    }
    writeln!(
        out,
        "use them with: ecs16-evidence report --templates {} ...",
        args.dir.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn verify(args: &VerifyArgs) -> Result<ExitCode> {
    let v = manifest::verify(&args.pack).map_err(anyhow::Error::msg)?;
    let mut out = io::stdout().lock();
    for line in v.lines() {
        writeln!(out, "{line}")?;
    }
    Ok(if v.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn inspect_line(i: &ingest::InputReport) -> String {
    let kind = if i.kind.is_empty() {
        "-".to_string()
    } else if i.gzip {
        format!("{} (gzip)", i.kind)
    } else {
        i.kind.clone()
    };
    let head = format!(
        "{}  {}  records {}  ECS.16 findings {}  task sets {}  problems {}",
        i.path,
        kind,
        i.records_read(),
        i.ecs16_findings,
        i.task_sets,
        i.problems.len()
    );
    match &i.status {
        InputStatus::Used if i.threads > 1 => {
            format!("{head}  (split across {} threads)", i.threads)
        }
        InputStatus::Used => head,
        InputStatus::Rejected(why) => format!("{}  REJECTED  {why}", i.path),
        InputStatus::Skipped(why) => format!("{}  skipped  {why}", i.path),
    }
}

fn inspect(args: &InspectArgs) -> Result<ExitCode> {
    let options = ingest::Options {
        skip_bad_inputs: true,
        jobs: ingest::default_jobs(),
        ..Default::default()
    };
    let ingested = match ingest::ingest(&args.inputs, &options) {
        Ok(i) => i,
        // Every file was rejected: still show each one.
        Err(ingest::IngestError::NoInputs) => bail!("no input could be read"),
        Err(e) => return Err(e.into()),
    };
    let mut out = io::stdout().lock();
    for i in &ingested.inputs {
        writeln!(out, "{}", inspect_line(i))?;
        for p in &i.problems {
            writeln!(out, "    record {}: {}", p.record, p.message)?;
        }
    }
    let sum = |f: fn(&ingest::InputReport) -> u64| ingested.inputs.iter().map(f).sum::<u64>();
    let rejected = ingested
        .inputs
        .iter()
        .filter(|i| matches!(i.status, InputStatus::Rejected(_)))
        .count();
    writeln!(
        out,
        "total: {} files, {} rejected; records {}  ECS.16 findings {}  task sets {}  problems {}",
        ingested.inputs.len(),
        rejected,
        sum(|i| i.records_read()),
        sum(|i| i.ecs16_findings),
        sum(|i| i.task_sets),
        sum(|i| i.problems.len() as u64),
    )?;
    Ok(if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
