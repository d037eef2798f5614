//! The report's options, resolved and checked once, before any input is read (in the spirit of ripgrep's
//! `HiArgs`): the output target, the templates, the exceptions register, the baseline, the period, `as_of`
//! and the number of threads. A run that would be refused at the end is refused at the start, and
//! everything downstream receives checked, typed values.

use crate::analysis::baseline::{self, BaselineError};
use crate::analysis::exceptions::{self, RegisterError};
use crate::analysis::{AnalysisPlan, PeriodChoice};
use crate::cli::ReportArgs;
use crate::ingest::{self, Inputs};
use crate::manifest::{self, FileEntry, Provenance, RunOptions, VerifyError};
use crate::pack::{self, PackError, Staging};
use crate::period::{Period, PeriodError};
use crate::render::context::CoverText;
use crate::render::templates::{Renderer, TemplateError};
use crate::safe_fs::io_message;
use std::path::{Path, PathBuf};

/// An option that cannot be used, named with what to do.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    Output(#[from] PackError),
    #[error(transparent)]
    Templates(#[from] TemplateError),
    #[error(transparent)]
    Register(#[from] RegisterError),
    #[error(transparent)]
    Scope(#[from] crate::analysis::scope::ScopeError),
    #[error("{path}: cannot be read: {}", io_message(cause))]
    Unreadable { path: String, cause: std::io::Error },
    #[error(transparent)]
    BaselineUnverifiable(#[from] VerifyError),
    #[error("{path}: the baseline pack does not match its manifest ({}); it cannot be used as a baseline", .differences.join("; "))]
    BaselineDiffers {
        path: String,
        differences: Vec<String>,
    },
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    #[error(transparent)]
    Period(#[from] PeriodError),
}

/// Everything a `report` run does, decided.
pub struct ReportPlan {
    pub inputs: Inputs,
    pub analysis: AnalysisPlan,
    pub renderer: Renderer,
    pub cover: CoverText,
    pub provenance: Provenance,
    pub out: PathBuf,
    pub force: bool,
    /// The folder the pack is written into, made before any input is read (its scratch space holds the
    /// workbook's rows until the file is saved).
    pub staging: Staging,
    pub dump_context: Option<PathBuf>,
    pub fail_on: Vec<crate::cli::Gate>,
    pub quiet: bool,
    pub verbose: bool,
}

/// The options that shape the pack's content, as recorded in its manifest.
fn run_options(args: &ReportArgs) -> RunOptions {
    let shown = |p: &PathBuf| p.display().to_string();
    RunOptions {
        inputs: args.inputs.iter().map(shown).collect(),
        as_of: args.as_of.as_ref().map(crate::time::format),
        period: args.period.as_ref().map(|p| p.label.clone()),
        from: args.from.map(|d| d.to_string()),
        to: args.to.map(|d| d.to_string()),
        exceptions: args.exceptions.as_ref().map(shown),
        skip_bad_inputs: args.skip_bad_inputs,
        complete_dumps: args.complete_dumps,
        fail_on: args.fail_on.iter().map(|g| g.code()).collect(),
        org: args.org.clone(),
        assessor: args.assessor.clone(),
        templates: args.templates.as_ref().map(shown),
        baseline: args.baseline.as_ref().map(shown),
    }
}

/// A bar of bytes read on stderr, only when stderr is a terminal and the run is not quiet.
fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
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

/// The register's entries and its file entry for the manifest.
fn register(path: &Path) -> Result<(Vec<exceptions::RegisterEntry>, FileEntry), PlanError> {
    let entries = exceptions::load(path)?;
    let (sha256, size) = crate::digest::hash_file(path).map_err(|cause| PlanError::Unreadable {
        path: path.display().to_string(),
        cause,
    })?;
    let entry = FileEntry {
        path: path.display().to_string(),
        sha256,
        size,
    };
    Ok((entries, entry))
}

/// A previous pack, verified against its manifest first, then read.
fn previous_pack(path: &Path) -> Result<baseline::PreviousPack, PlanError> {
    let v = manifest::verify(path)?;
    if !v.ok() {
        return Err(PlanError::BaselineDiffers {
            path: path.display().to_string(),
            differences: v.lines(),
        });
    }
    Ok(baseline::load(path)?)
}

fn period(args: &ReportArgs) -> Result<PeriodChoice, PlanError> {
    Ok(match (&args.period, args.from, args.to) {
        (Some(p), _, _) => PeriodChoice::Given(p.clone()),
        (None, Some(from), Some(to)) => PeriodChoice::Given(Period::range(from, to)?),
        _ => PeriodChoice::QuarterOfAsOf,
    })
}

impl ReportPlan {
    pub fn from_args(args: &ReportArgs) -> Result<ReportPlan, PlanError> {
        let staging = Staging::prepare(&args.out, args.force, &args.inputs)?;
        if let Some(path) = &args.dump_context {
            pack::check_apart(path, &args.inputs)?;
        }
        let renderer = match &args.templates {
            Some(dir) => Renderer::with_overrides(dir)?,
            None => Renderer::built_in()?,
        };
        let (register, register_file) = match &args.exceptions {
            Some(path) => {
                let (entries, file) = register(path)?;
                (Some(entries), Some(file))
            }
            None => (None, None),
        };
        let previous = args.baseline.as_deref().map(previous_pack).transpose()?;
        let scope = args
            .scope
            .as_deref()
            .map(crate::analysis::scope::load)
            .transpose()?;
        let mut ingest = ingest::Options {
            skip_bad_inputs: args.skip_bad_inputs,
            complete_dumps: args.complete_dumps,
            exclude: vec![args.out.clone()],
            jobs: args.jobs.map_or_else(ingest::default_jobs, usize::from),
            progress: progress_bar(args.quiet),
            ..Default::default()
        };
        if let Some(n) = args.split_min_bytes {
            ingest.split_min_bytes = n;
        }
        Ok(ReportPlan {
            inputs: Inputs::Paths(args.inputs.clone()),
            analysis: AnalysisPlan {
                ingest,
                as_of: args.as_of,
                period: period(args)?,
                register,
                previous,
                scope,
            },
            renderer,
            cover: CoverText {
                org: args.org.clone(),
                assessor: args.assessor.clone(),
            },
            provenance: Provenance {
                options: run_options(args),
                register: register_file,
            },
            out: args.out.clone(),
            force: args.force,
            staging,
            dump_context: args.dump_context.clone(),
            fail_on: args.fail_on.clone(),
            quiet: args.quiet,
            verbose: args.verbose,
        })
    }
}
