//! Render: the analysis → the files of the pack, each handed to an [`Output`] as soon as it is complete.
//!
//! A real run's output writes each file into the pack's hidden staging folder at once and keeps only its
//! SHA-256 and size for the manifest: at 100,000 task sets the pack is about 275 MB of CSV and workbook,
//! which used to sit in memory whole until the end. A template error still never leaves a half-written
//! pack behind: the staging folder is removed, and only a complete one is renamed into place (`pack`).
//! `templates` wraps Tera (templates embedded in the binary, Markdown filter registered), `context` builds
//! the template context one section at a time, `tables` defines the tables written as CSV and as workbook
//! sheets, `sheets` the workbook's own (Summary, Verdict), `workbook` writes the XLSX, `charts` lays out the
//! SVG charts. The manifest is not made here: it is the next stage, over the files this one returns.

pub mod charts;
pub mod context;
mod recursion;
pub mod sheets;
pub mod tables;
pub mod templates;
pub mod workbook;

use crate::analysis::history::{OpenExposure, RemediationTime};
use crate::analysis::Analysis;
use crate::reconcile::Outcome;
use context::CoverText;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// One file of the pack: its path relative to the pack folder (with `/`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where the files of a pack go as each one is rendered (from two threads at once).
pub trait Output: Sync {
    fn put(&self, file: PackFile) -> Result<(), RenderError>;
}

/// An [`Output`] that keeps every file in memory (tests, and [`render`]).
#[derive(Debug, Default)]
pub struct Kept(std::sync::Mutex<Vec<PackFile>>);

impl Output for Kept {
    fn put(&self, file: PackFile) -> Result<(), RenderError> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

impl Kept {
    /// The files kept, sorted by path.
    pub fn into_sorted(self) -> Vec<PackFile> {
        let mut files = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|x, y| x.path.cmp(&y.path));
        files
    }
}

/// `summary.json`, schema `ecs16-evidence/summary/v1`.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub control: String,
    pub requirement: String,
    pub as_of: String,
    pub period: context::PeriodView,
    pub tool: context::ToolInfo,
    pub catalog_version: String,
    pub task_sets_total: u64,
    pub exposed: u64,
    pub findings_selected: u64,
    pub findings_read: u64,
    pub duplicates_dropped: u64,
    /// Records that may be ECS.16 findings but whose task set or status cannot be read: while there is
    /// one, the population cannot be shown complete.
    pub unreadable_ecs16_records: u64,
    pub outcomes: BTreeMap<String, u64>,
    pub inventory_states: BTreeMap<String, u64>,
    pub last_observed: context::Timing,
    pub exceptions: BTreeMap<String, u64>,
    /// Files of findings read (any control), whatever their dates.
    pub exports: u64,
    /// The dates those exports were taken (service-stamped), oldest first.
    pub export_dates: Vec<String>,
    pub exposed_during_period: u64,
    /// Task sets whose fix is dated inside the period.
    pub fixed_during_period: u64,
    /// The exposure still open at `as_of` that began earliest, when there is one.
    pub oldest_open_exposure: Option<OpenExposure>,
    pub time_to_remediate: Vec<RemediationTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes_since_baseline: Option<BTreeMap<String, u64>>,
    pub by_account: Vec<AccountSummary>,
    pub inputs: SummaryInputs,
    pub population: PopulationSummary,
    /// Task sets per reachability value (every value, zero included), and the network evidence behind them.
    pub reachability: ReachabilitySummary,
    /// Task sets per scope value (every value, zero included); all `undeclared` without a scope file.
    pub scope: ScopeSummary,
    /// The verdict on requirement 1.4.4, with what it rests on and what the pack does not examine.
    pub verdict: crate::analysis::verdict::Verdict,
}

#[derive(Debug, Serialize)]
pub struct ScopeSummary {
    pub file_given: bool,
    pub counts: BTreeMap<String, u64>,
}

fn scope_summary(an: &Analysis) -> ScopeSummary {
    use crate::analysis::scope::Scope;
    ScopeSummary {
        file_given: an.scope_file.is_some(),
        counts: Scope::ALL
            .iter()
            .map(|s| {
                let n = an.scopes.iter().filter(|x| *x == s).count();
                (s.code().to_string(), n as u64)
            })
            .collect(),
    }
}

/// How the internet reaches the task sets (rows: the `reachability` column of data/reconciliation.csv).
#[derive(Debug, Serialize)]
pub struct ReachabilitySummary {
    pub counts: BTreeMap<String, u64>,
    /// False when no input described any network resource: every task set is then `UNKNOWN`.
    pub network_evidence_given: bool,
    /// Network resources read, per kind.
    pub network_resources: BTreeMap<String, u64>,
}

fn reachability_summary(an: &Analysis) -> ReachabilitySummary {
    use crate::analysis::reach::Reachability;
    ReachabilitySummary {
        counts: Reachability::ALL
            .iter()
            .map(|v| {
                let n = an.reach.iter().filter(|r| r.value == *v).count();
                (v.as_str().to_string(), n as u64)
            })
            .collect(),
        network_evidence_given: !an.network_counts.is_empty(),
        network_resources: an
            .network_counts
            .iter()
            .map(|(k, n)| (k.as_str().replace(' ', "_").to_lowercase(), *n as u64))
            .collect(),
    }
}

/// The population examined and where the evidence may not reach all of it (rows: data/coverage_gaps.csv).
#[derive(Debug, Serialize)]
pub struct PopulationSummary {
    pub task_sets: u64,
    /// Every task set the evidence names is examined: always 100, never a sample.
    pub examined_percent: u64,
    pub sampling: bool,
    /// Coverage gaps per kind (every kind, zero included).
    pub coverage_gaps: BTreeMap<String, u64>,
    /// Days of the period (up to `as_of`) with evidence: findings exports and AWS Config files.
    pub evidence_days: Vec<String>,
    pub longest_gap: Option<crate::analysis::population::Stretch>,
    pub longest_gap_over_31_days: bool,
}

fn population_summary(p: &crate::analysis::population::Population) -> PopulationSummary {
    use crate::analysis::population::GapKind;
    PopulationSummary {
        task_sets: p.task_sets,
        examined_percent: 100,
        sampling: false,
        coverage_gaps: GapKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), p.count(*k)))
            .collect(),
        evidence_days: p.evidence_days.iter().map(|d| d.to_string()).collect(),
        longest_gap: p.longest_gap.clone(),
        longest_gap_over_31_days: p.gap_too_long(),
    }
}

#[derive(Debug, Serialize)]
pub struct AccountSummary {
    pub account_id: String,
    pub account_name: String,
    pub task_sets: u64,
    pub exposed: u64,
    pub outcomes: BTreeMap<String, u64>,
}

#[derive(Debug, Serialize)]
pub struct SummaryInputs {
    pub used: u64,
    pub rejected: u64,
    pub skipped: u64,
    pub record_problems: u64,
}

fn outcome_map(counts: &[u64]) -> BTreeMap<String, u64> {
    Outcome::ALL
        .iter()
        .zip(counts)
        .map(|(o, n)| (o.code().to_string(), *n))
        .collect()
}

/// The days the exports were taken: the days that date ECS.16 findings (history's snapshots) and the day of
/// every findings file read, whatever its controls, so an export without a task set still shows its date.
fn export_dates(an: &Analysis) -> Vec<String> {
    let files = an
        .inputs
        .iter()
        .filter(|i| i.findings_read > 0)
        .filter_map(|i| i.exported_at);
    let days: std::collections::BTreeSet<chrono::NaiveDate> = an
        .history
        .snapshots
        .iter()
        .copied()
        .chain(files.map(|t| t.date_naive()))
        .collect();
    days.iter().map(|d| d.to_string()).collect()
}

pub fn summary(ctx: &context::Context, an: &Analysis) -> Summary {
    let a = &an.aggregates;
    Summary {
        schema: "ecs16-evidence/summary/v1",
        control: ctx.catalog.control.id.clone(),
        requirement: ctx.catalog.requirement.display.clone(),
        as_of: ctx.as_of.clone(),
        period: ctx.period.clone(),
        tool: ctx.tool.clone(),
        catalog_version: ctx.catalog.catalog_version.clone(),
        task_sets_total: a.total,
        exposed: a.exposed,
        findings_selected: ctx.totals.findings_selected,
        findings_read: ctx.totals.findings_read,
        duplicates_dropped: ctx.totals.duplicates_dropped,
        unreadable_ecs16_records: an.unreadable_findings.len() as u64,
        outcomes: outcome_map(&a.outcomes),
        inventory_states: ctx
            .inventory_states
            .iter()
            .map(|c| (c.code.clone(), c.count))
            .collect(),
        last_observed: ctx.timing.clone(),
        exceptions: ctx
            .exception_counts
            .iter()
            .map(|c| (c.code.clone(), c.count))
            .collect(),
        exports: an.inputs.iter().filter(|i| i.findings_read > 0).count() as u64,
        export_dates: export_dates(an),
        exposed_during_period: an.history.exposed_during_period,
        fixed_during_period: an.history.fixed_during_period,
        oldest_open_exposure: an.history.oldest_open_exposure.clone(),
        time_to_remediate: an.history.time_to_remediate.clone(),
        changes_since_baseline: an.baseline.as_ref().map(|b| {
            b.change_counts()
                .map(|(kind, n)| (kind.as_str().to_string(), n))
                .collect()
        }),
        by_account: a
            .by_account
            .iter()
            .map(|b| AccountSummary {
                account_id: b.key.first().cloned().unwrap_or_default(),
                account_name: b.key.get(1).cloned().unwrap_or_default(),
                task_sets: b.total,
                exposed: b.exposed,
                outcomes: outcome_map(&b.counts),
            })
            .collect(),
        inputs: SummaryInputs {
            used: ctx.totals.inputs_used,
            rejected: ctx.totals.inputs_rejected,
            skipped: ctx.totals.inputs_skipped,
            record_problems: ctx.totals.record_problems,
        },
        population: population_summary(&an.population),
        reachability: reachability_summary(an),
        scope: scope_summary(an),
        verdict: an.verdict.clone(),
    }
}

/// Pretty JSON with a final newline. The values serialised here are plain data (strings, numbers,
/// sorted maps): serde_json cannot fail on them, and an empty file would show if it ever did.
pub fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Why rendering failed: a template, or the workbook writer.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Template(#[from] templates::TemplateError),
    #[error("evidence.xlsx: {0}")]
    Workbook(rust_xlsxwriter::XlsxError),
    #[error("{path}: {cause}")]
    Csv { path: String, cause: csv::Error },
    #[error("evidence.xlsx: could not be written ({0}); is the disk full?")]
    WorkbookStopped(String),
    #[error("could not start the thread that writes evidence.xlsx: {0}")]
    Thread(std::io::Error),
    /// The output could not take a file (a write error, already naming the file).
    #[error(transparent)]
    Output(Box<dyn std::error::Error + Send + Sync>),
}

/// The name of the thread that writes the workbook; `app` keeps the panic hook quiet for it, since its
/// panics are turned into [`RenderError::WorkbookStopped`].
pub const WORKBOOK_THREAD: &str = "evidence.xlsx writer";

/// The message a panic carried.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "the workbook writer stopped".to_string())
}

fn file(path: &str, bytes: Vec<u8>) -> PackFile {
    PackFile {
        path: path.to_string(),
        bytes,
    }
}

/// A table as a CSV file of the pack.
fn csv_file(path: &str, table: &tables::Table) -> Result<PackFile, RenderError> {
    let bytes = tables::csv_bytes(table).map_err(|cause| RenderError::Csv {
        path: path.to_string(),
        cause,
    })?;
    Ok(file(path, bytes))
}

/// How the pack is presented beside the analysis: the cover's text, and where the workbook writer may put
/// its scratch files.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions<'a> {
    pub cover: CoverText,
    /// Where the workbook writer keeps its rows until the file is saved (unnamed files, gone when closed):
    /// the folder the pack is written into, which must be writable anyway. `None`: the system's temporary
    /// folder.
    pub scratch_dir: Option<&'a Path>,
}

/// The tables of the pack, each a CSV file and a sheet of `evidence.xlsx`, and the workbook itself.
fn tabular_files(
    a: &Analysis,
    ctx: &context::Context,
    scratch_dir: Option<&Path>,
    out: &dyn Output,
) -> Result<(), RenderError> {
    let label = &a.catalog.requirement.label;
    let outcome_table = sheets::outcomes(ctx);
    let mut book = workbook::Builder::new(
        scratch_dir,
        &workbook::SummarySheet {
            title: format!(
                "{} evidence, {} ({})",
                a.catalog.control.id, a.catalog.requirement.display, a.period.label
            ),
            as_of: a.as_of,
            lines: sheets::summary_lines(a, ctx),
            table: &outcome_table,
        },
        &sheets::footer(ctx),
    )
    .map_err(RenderError::Workbook)?;
    if let Some(v) = &ctx.verdict {
        book.add_sheet("Verdict", &sheets::verdict(v))
            .map_err(RenderError::Workbook)?;
    }
    // One table at a time, each a sheet and a CSV file, handed to the output as soon as it is written.
    let mut sheet = |name: &str, path: &str, table: tables::Table| {
        out.put(csv_file(path, &table)?)?;
        book.add_sheet(name, &table).map_err(RenderError::Workbook)
    };
    sheet(
        "Reconciliation",
        "data/reconciliation.csv",
        tables::reconciliation(&a.rows, &a.scopes, &a.reach, &a.period, label),
    )?;
    sheet(
        "Findings",
        "data/findings.csv",
        tables::findings(&a.findings, &a.inputs),
    )?;
    sheet(
        "Task sets",
        "data/task_sets.csv",
        tables::task_sets(&a.inventory, &a.inputs),
    )?;
    sheet(
        "Exceptions",
        "data/exceptions.csv",
        tables::exceptions(&a.exceptions),
    )?;
    let ag = &a.aggregates;
    sheet("By account", "data/by_account.csv", tables::by_account(ag))?;
    sheet("By region", "data/by_region.csv", tables::by_region(ag))?;
    sheet("By service", "data/by_service.csv", tables::by_service(ag))?;
    sheet("History", "data/history.csv", tables::history(&a.history))?;
    sheet("Exports", "data/exports.csv", tables::exports(&a.history))?;
    sheet(
        "Coverage gaps",
        "data/coverage_gaps.csv",
        tables::coverage_gaps(&a.population),
    )?;
    sheet("Inputs", "data/inputs.csv", tables::inputs(&a.inputs))?;
    let workbook = book.finish().map_err(RenderError::Workbook)?;
    out.put(file("evidence.xlsx", workbook))
}

/// The pages (HTML and Markdown report), `summary.json` and the small CSV files.
fn page_files(
    a: &Analysis,
    ctx: &context::Context,
    renderer: &templates::Renderer,
    out: &dyn Output,
) -> Result<(), RenderError> {
    // Both templates are rendered before either is handed over, as before: a template error writes nothing.
    let html = renderer.render("index.html", ctx)?.into_bytes();
    let markdown = renderer.render("report.md", ctx)?.into_bytes();
    out.put(file("index.html", html))?;
    out.put(file("report.md", markdown))?;
    out.put(file("summary.json", json_bytes(&summary(ctx, a))))?;
    if let Some(b) = &a.baseline {
        out.put(csv_file("data/changes.csv", &tables::changes(b))?)?;
    }
    Ok(())
}

/// Renders every file of the pack but the manifest, sorted by path.
pub fn render(
    a: &Analysis,
    renderer: &templates::Renderer,
    options: &RenderOptions<'_>,
) -> Result<Vec<PackFile>, RenderError> {
    render_context(a, &context::build(a, &options.cover), renderer, options)
}

/// Renders every file of the pack from a context already built: what [`render`] does after building it.
/// Tests use it to fill the places the analysis does not fill yet (a verdict, a pack id).
pub fn render_context(
    a: &Analysis,
    ctx: &context::Context,
    renderer: &templates::Renderer,
    options: &RenderOptions<'_>,
) -> Result<Vec<PackFile>, RenderError> {
    let kept = Kept::default();
    render_to(a, ctx, renderer, options, &kept)?;
    Ok(kept.into_sorted())
}

/// Renders every file of the pack but the manifest into `out`, in no particular order.
pub fn render_to(
    a: &Analysis,
    ctx: &context::Context,
    renderer: &templates::Renderer,
    options: &RenderOptions<'_>,
    out: &dyn Output,
) -> Result<(), RenderError> {
    // The workbook and the CSV tables on one thread, the templates on another: the two halves share only
    // the analysis and the context, and each takes about as long as the other on a large organisation.
    let (tabular, pages) = std::thread::scope(|s| {
        let tabular = std::thread::Builder::new()
            .name(WORKBOOK_THREAD.into())
            .spawn_scoped(s, || tabular_files(a, ctx, options.scratch_dir, out));
        let pages = page_files(a, ctx, renderer, out);
        (tabular.map(|t| t.join()), pages)
    });
    match tabular {
        Err(cause) => return Err(RenderError::Thread(cause)),
        Ok(Ok(done)) => done?,
        // rust_xlsxwriter unwraps its own write errors (a full disk under its scratch files): a panic of
        // this thread is that, and becomes an error naming the file instead of a crash.
        Ok(Err(panic)) => return Err(RenderError::WorkbookStopped(panic_text(panic.as_ref()))),
    };
    pages
}
