//! Runs the commands. `report` is the stages in order — plan, analyse (ingest → dedupe → reconcile →
//! aggregate/history), render, manifest, pack — each handing the next a typed value. `sign` and `verify`
//! are the `signature` stage (and `manifest::verify`) on a pack already written. `query` runs no stage: it
//! prints the SQL that selects the evidence where it is stored.
//!
//! Exit codes: 0 done; 1 something the user asked to be told about was found (`--fail-on` outcomes, a pack
//! that fails `verify`, `inspect` with unreadable files); 2 the run could not be done (bad input, bad usage,
//! refused output).

mod inspect;
pub mod plan;
mod query;

use crate::analysis::{self, Analysis};
use crate::cli::{Cli, Command, Gate, ReportArgs, SignArgs, TemplatesArgs, VerifyArgs};
use crate::escape::terminal_line;
use crate::ingest::InputStatus;
use crate::reconcile::Outcome;
use crate::render::{self, context, templates::Renderer, RenderOptions};
use crate::signature::{self, Verdict};
use crate::{manifest, pack, time};
use anyhow::Result;
use clap::Parser;
use plan::ReportPlan;
use std::io::{self, Write};
use std::process::ExitCode;

/// The whole program: parse, run, map the outcome to an exit code.
pub fn main() -> ExitCode {
    quiet_panics_of_the_workbook_writer();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            let mut err = io::stderr().lock();
            for line in usage_error_lines(e) {
                let _ = writeln!(err, "{line}");
            }
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            for line in error_lines(&e) {
                eprintln!("{line}");
            }
            ExitCode::from(2)
        }
    }
}

/// Messages name files and quote values from the inputs: shown escaped, so that a line feed in a file
/// name cannot forge a second `error:` line. Only the list of unusable inputs keeps its line breaks: it
/// escapes each entry itself (`ingest::IngestError::NoInputs`).
fn error_lines(e: &anyhow::Error) -> Vec<String> {
    let message = format!("error: {e:#}");
    use crate::ingest::IngestError::NoInputs;
    let listed = e.chain().any(|c| {
        matches!(c.downcast_ref(), Some(NoInputs(_)))
            || matches!(
                c.downcast_ref(),
                Some(analysis::AnalyseError::Ingest(NoInputs(_)))
            )
    });
    if listed {
        message
            .lines()
            .map(|l| terminal_line(l).into_owned())
            .collect()
    } else {
        vec![terminal_line(&message).into_owned()]
    }
}

/// The workbook writer (rust_xlsxwriter) panics on a write error of its own scratch files; render turns
/// that panic into an error naming evidence.xlsx, so its default message ("thread … panicked at …") must
/// not reach the user too. Every other panic is reported as usual.
fn quiet_panics_of_the_workbook_writer() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some(render::WORKBOOK_THREAD) {
            default(info);
        }
    }));
}

/// Writes one line for the terminal through `escape::terminal_line`: a file name or a value from the
/// inputs can neither steer the terminal nor start another line.
pub(crate) fn say(out: &mut impl Write, line: &str) -> io::Result<()> {
    writeln!(out, "{}", terminal_line(line))
}

/// A usage error as clap words it, in plain text (clap's own colours are dropped). It quotes the arguments
/// it could not use, which may be file names: each goes through `terminal_line` before the message is
/// made, so a line feed in one cannot forge another line; then every line goes through it too.
fn usage_error_lines(mut e: clap::Error) -> Vec<String> {
    use clap::error::ContextValue;
    let shown: Vec<_> = e
        .context()
        .filter_map(|(kind, value)| match value {
            ContextValue::String(s) => Some((kind, ContextValue::String(terminal_line(s).into()))),
            ContextValue::Strings(v) => Some((
                kind,
                ContextValue::Strings(v.iter().map(|s| terminal_line(s).into()).collect()),
            )),
            _ => None,
        })
        .collect();
    for (kind, value) in shown {
        e.insert(kind, value);
    }
    e.render()
        .to_string()
        .lines()
        .map(|l| terminal_line(l).into_owned())
        .collect()
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Report(args) => report(&args),
        Command::Inspect(args) => inspect::run(&args),
        Command::Verify(args) => verify(&args),
        Command::Sign(args) => sign(&args),
        Command::Templates(args) => templates(&args),
        Command::Query(args) => query::run(&args),
    }
}

fn report(args: &ReportArgs) -> Result<ExitCode> {
    let plan = ReportPlan::from_args(args)?;
    let analysed = analysis::analyse(&plan.analysis, &plan.inputs);
    if let Some(bar) = &plan.analysis.ingest.progress {
        bar.finish_and_clear();
    }
    let analysis = analysed?;
    let options = RenderOptions {
        cover: plan.cover.clone(),
        scratch_dir: Some(plan.staging.scratch()),
    };
    let ctx = context::build(&analysis, &plan.cover);
    // Each file goes into the staging folder as soon as it is rendered; only its hash and size stay.
    let staged = pack::Staged::new(&plan.staging);
    render::render_to(&analysis, &ctx, &plan.renderer, &options, &staged).map_err(|e| match e {
        // The workbook is written into the pack's staging folder: name where the pack was to go.
        render::RenderError::Workbook(_) | render::RenderError::WorkbookStopped(_) => {
            anyhow::anyhow!("{}: {e}", plan.out.display())
        }
        other => other.into(),
    })?;
    let manifest_file = manifest::build_from(&analysis, staged.into_entries(), &plan.provenance);
    if let Some(path) = &plan.dump_context {
        let inputs = match &plan.inputs {
            crate::ingest::Inputs::Paths(p) => p.as_slice(),
            crate::ingest::Inputs::Memory(_) => &[],
        };
        pack::write_side_file(
            path,
            Renderer::context_json(&ctx).as_bytes(),
            plan.force,
            inputs,
            is_a_context_dump,
        )?;
    }
    let ReportPlan {
        staging,
        out,
        quiet,
        verbose,
        fail_on,
        ..
    } = plan;
    staging.commit(&[manifest_file])?;
    if verbose {
        let mut err = io::stderr().lock();
        for input in &analysis.inputs {
            say(&mut err, &inspect::line(input))?;
            for p in &input.problems {
                say(&mut err, &format!("    record {}: {}", p.record, p.message))?;
            }
        }
    }
    if !quiet {
        print_outcomes(&out, &analysis)?;
    }
    Ok(gate(&fail_on, &analysis))
}

/// True when a file is a context this tool dumped (so `--force` may replace it): JSON naming the tool.
fn is_a_context_dump(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes)
        .ok()
        .and_then(|v| {
            v.pointer("/tool/name")
                .and_then(|n| n.as_str())
                .map(str::to_string)
        })
        .is_some_and(|n| n == env!("CARGO_PKG_NAME"))
}

/// The short outcome table on stdout at the end of a run.
fn print_outcomes(pack: &std::path::Path, a: &Analysis) -> io::Result<()> {
    let mut out = io::stdout().lock();
    say(
        &mut out,
        &format!(
            "ECS.16 evidence pack written to {} (as of {}, period {})",
            pack.display(),
            time::format(&a.as_of),
            a.period.label
        ),
    )?;
    say(&mut out, &format!("{:<20} {:>9}", "outcome", "task sets"))?;
    for (o, n) in Outcome::ALL.iter().zip(a.aggregates.outcomes) {
        say(&mut out, &format!("{:<20} {:>9}", o.code(), n))?;
    }
    say(
        &mut out,
        &format!("{:<20} {:>9}", "total", a.aggregates.total),
    )?;
    let count = |has: fn(&InputStatus) -> bool| a.inputs.iter().filter(|i| has(&i.status)).count();
    let problems: usize = a.inputs.iter().map(|i| i.problems.len()).sum();
    let totals = format!(
        "inputs: {} read, {} rejected; {} findings read, {} distinct ECS.16 ({} duplicates dropped); {} task sets in dumps; {problems} record problems",
        count(|s| matches!(s, InputStatus::Used)),
        count(|s| matches!(s, InputStatus::Rejected(_))),
        a.inputs.iter().map(|i| i.findings_read).sum::<u64>(),
        a.findings.len(),
        a.duplicates_dropped,
        a.inventory.task_sets.len(),
    );
    say(&mut out, &totals)?;
    let v = &a.verdict;
    say(
        &mut out,
        &format!(
            "verdict: PCI DSS {} {} ({}); {} of {} task sets in scope, {} exposed without a valid exception",
            v.requirement,
            v.status.label(),
            v.status.code(),
            v.counts.in_scope,
            v.counts.task_sets,
            v.counts.exposed_without_exception
        ),
    )
}

/// `--fail-on`: exit 1 when any task set has one of the listed outcomes (saying which and how many), or
/// the verdict is one of the listed statuses.
fn gate(fail_on: &[Gate], analysis: &Analysis) -> ExitCode {
    let mut hits: Vec<String> = Outcome::ALL
        .iter()
        .zip(analysis.aggregates.outcomes)
        .filter(|(o, n)| fail_on.contains(&Gate::Outcome(**o)) && *n > 0)
        .map(|(o, n)| format!("{n} {}", o.code()))
        .collect();
    let status = analysis.verdict.status;
    if fail_on.contains(&Gate::Verdict(status)) {
        hits.push(format!("verdict {}", status.code()));
    }
    if hits.is_empty() {
        return ExitCode::SUCCESS;
    }
    eprintln!(
        "{}",
        terminal_line(&format!(
            "fail-on: {} (the pack was written)",
            hits.join(", ")
        ))
    );
    ExitCode::from(1)
}

fn templates(args: &TemplatesArgs) -> Result<ExitCode> {
    let written = render::templates::write_out(&args.dir, args.force)?;
    let mut out = io::stdout().lock();
    for w in written {
        say(&mut out, &format!("wrote {w}"))?;
    }
    say(
        &mut out,
        &format!(
            "use them with: ecs16-evidence report --templates {} ...",
            args.dir.display()
        ),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `verify`: the manifest, then (when asked) the signature; exit 1 when either fails.
fn verify(args: &VerifyArgs) -> Result<ExitCode> {
    let v = manifest::verify(&args.pack)?;
    let verdict: Option<Verdict> = match (&args.allowed_signers, &args.identity) {
        (Some(signers), Some(identity)) => Some(signature::check(
            &args.pack,
            signers,
            identity,
            args.verify_time,
        )?),
        _ => None,
    };
    let mut out = io::stdout().lock();
    // A pack's file names come from whoever made the pack.
    for line in v.lines() {
        say(&mut out, &line)?;
    }
    match &verdict {
        Some(verdict) => say(&mut out, &verdict.line())?,
        None if signature::is_present(&args.pack) => say(
            &mut out,
            "signature: not checked (give --allowed-signers FILE --identity ID to check it)",
        )?,
        None => {}
    }
    let good = verdict.as_ref().is_none_or(Verdict::is_good);
    Ok(if v.ok() && good {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `sign`: what was written, and the line the assessor's allowed_signers file needs.
fn sign(args: &SignArgs) -> Result<ExitCode> {
    let signed = signature::sign(&args.pack, &args.key, args.force)?;
    let mut out = io::stdout().lock();
    say(
        &mut out,
        &format!(
            "signed: {} ({}, namespace {})",
            signed.path.display(),
            signed.key,
            signature::NAMESPACE
        ),
    )?;
    say(
        &mut out,
        &format!(
            "allowed_signers line for the assessor: ID namespaces=\"{}\" {}",
            signature::NAMESPACE,
            signed.public_key
        ),
    )?;
    Ok(ExitCode::SUCCESS)
}
