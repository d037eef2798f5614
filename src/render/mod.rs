//! Render: the analysis → the files of the pack, all in memory, before anything touches the disk.
//!
//! Rendering everything first means a template error can never leave a half-written pack behind.
//! `templates` wraps Tera (templates embedded in the binary, Markdown filter registered), `context` builds
//! the template context, `tables` defines the tables written as CSV and as workbook sheets, `workbook` writes
//! the XLSX, `escape` holds the per-format escaping. The manifest is rendered last, over every other file.

pub mod charts;
pub mod context;
pub mod escape;
pub mod tables;
pub mod templates;
pub mod workbook;

use crate::aggregate::Aggregates;
use crate::catalog::Catalog;
use crate::exceptions::ExceptionRow;
use crate::ingest::InputReport;
use crate::manifest::{self, FileEntry, Manifest, RunOptions};
use crate::model::{Finding, Inventory};
use crate::period::Period;
use crate::reconcile::{Outcome, Row};
use crate::remediation::Remediation;
use crate::time;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// One file of the pack: its path relative to the pack folder (with `/`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The analysis a pack is rendered from.
pub struct Analysis<'a> {
    pub catalog: &'a Catalog,
    pub as_of: DateTime<Utc>,
    pub period: &'a Period,
    pub rows: &'a [Row],
    pub findings: &'a [Finding],
    pub duplicates_dropped: u64,
    pub inventory: &'a Inventory,
    pub inputs: &'a [InputReport],
    pub aggregates: &'a Aggregates,
    pub exceptions: &'a [ExceptionRow],
    pub register: Option<FileEntry>,
    pub remediation: &'a [Remediation],
    pub exposure_points: &'a [charts::ExposurePoint],
    pub history: &'a crate::history::History,
    pub baseline: Option<&'a crate::baseline::Baseline>,
    pub options: &'a RunOptions,
    /// Where the workbook writer may put its scratch files (unnamed, gone when closed): the folder the pack
    /// is written into, which must be writable anyway. `None`: the system's temporary folder.
    pub scratch_dir: Option<&'a std::path::Path>,
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
    pub outcomes: BTreeMap<String, u64>,
    pub inventory_states: BTreeMap<String, u64>,
    pub last_observed: context::Timing,
    pub exceptions: BTreeMap<String, u64>,
    pub exports: u64,
    pub exposed_during_period: u64,
    pub time_to_remediate: Vec<crate::history::RemediationTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes_since_baseline: Option<BTreeMap<String, u64>>,
    pub by_account: Vec<AccountSummary>,
    pub inputs: SummaryInputs,
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

pub fn summary(ctx: &context::Context, an: &Analysis<'_>) -> Summary {
    let a = an.aggregates;
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
        exports: an.history.snapshots.len() as u64,
        exposed_during_period: an.history.exposed_during_period,
        time_to_remediate: an.history.time_to_remediate.clone(),
        changes_since_baseline: an.baseline.map(|b| {
            b.change_counts()
                .map(|(kind, n)| (kind.to_string(), n))
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
    }
}

fn json_bytes(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("serialising plain data cannot fail");
    bytes.push(b'\n');
    bytes
}

/// Why rendering failed: a template, or the workbook writer.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Template(#[from] templates::TemplateError),
    #[error("evidence.xlsx: {0}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
}

fn file(path: &str, bytes: Vec<u8>) -> PackFile {
    PackFile {
        path: path.to_string(),
        bytes,
    }
}

/// The template context of an analysis.
pub fn context_for(a: &Analysis<'_>) -> context::Context {
    context::build(context::Sources {
        catalog: a.catalog,
        as_of: time::format(&a.as_of),
        period: a.period,
        org: a.options.org.clone(),
        assessor: a.options.assessor.clone(),
        exceptions: a.exceptions,
        register_given: a.register.is_some(),
        remediation: a.remediation,
        exposure_points: a.exposure_points,
        history: a.history,
        baseline: a.baseline,
        rows: a.rows,
        aggregates: a.aggregates,
        inputs: a.inputs,
        findings_selected: a.findings.len() as u64,
        duplicates_dropped: a.duplicates_dropped,
        task_sets_in_dumps: a.inventory.task_sets.len() as u64,
    })
}

/// The tables of the pack, each a CSV file and a sheet of `evidence.xlsx`, and the workbook itself.
fn tabular_files(
    a: &Analysis<'_>,
    ctx: &context::Context,
) -> Result<Vec<PackFile>, rust_xlsxwriter::XlsxError> {
    let label = &a.catalog.requirement.label;
    let outcome_table = tables::Table {
        header: vec!["outcome", "task_sets", "meaning"],
        rows: ctx
            .outcomes
            .iter()
            .map(|o| {
                vec![
                    tables::Cell::Text(o.code.clone()),
                    tables::Cell::Int(o.count),
                    tables::Cell::Text(o.meaning.clone()),
                ]
            })
            .collect(),
    };
    let mut book = workbook::Builder::new(
        a.scratch_dir,
        &workbook::SummarySheet {
            title: format!(
                "{} evidence, {} ({})",
                a.catalog.control.id, a.catalog.requirement.display, a.period.label
            ),
            as_of: a.as_of,
            lines: vec![
                (
                    "Control".into(),
                    format!("{} {}", a.catalog.control.id, a.catalog.control.title),
                ),
                ("Requirement".into(), a.catalog.requirement.display.clone()),
                (
                    "Period".into(),
                    format!(
                        "{} ({} to {})",
                        a.period.label, a.period.first_day, a.period.last_day
                    ),
                ),
                ("As of (UTC)".into(), ctx.as_of.clone()),
                ("Task sets".into(), a.aggregates.total.to_string()),
                ("Exposed now".into(), a.aggregates.exposed.to_string()),
                (
                    "Tool".into(),
                    format!("{} {}", ctx.tool.name, ctx.tool.version),
                ),
                ("Control catalog".into(), a.catalog.catalog_version.clone()),
                ("Times".into(), "all date-times are UTC".into()),
            ],
            table: &outcome_table,
        },
    )?;
    // One table at a time, each a sheet and a CSV file: a table of an organisation's task sets is tens of
    // megabytes of cells, and only its CSV bytes need to outlive it.
    let mut files = Vec::new();
    let mut sheet = |name: &str, path: &str, table: tables::Table| {
        files.push(file(path, tables::csv_bytes(&table)));
        book.add_sheet(name, &table)
    };
    sheet(
        "Reconciliation",
        "data/reconciliation.csv",
        tables::reconciliation(a.rows, a.period, label),
    )?;
    sheet(
        "Findings",
        "data/findings.csv",
        tables::findings(a.findings, a.inputs),
    )?;
    sheet(
        "Task sets",
        "data/task_sets.csv",
        tables::task_sets(a.inventory.task_sets.values(), a.inputs),
    )?;
    sheet(
        "Exceptions",
        "data/exceptions.csv",
        tables::exceptions(a.exceptions),
    )?;
    let inputs = tables::inputs(a.inputs);
    book.add_sheet("Inputs", &inputs)?;
    drop(inputs);
    files.push(file("evidence.xlsx", book.finish()?));
    Ok(files)
}

/// The pages (HTML and Markdown report), `summary.json` and the small CSV files.
fn page_files(
    a: &Analysis<'_>,
    ctx: &context::Context,
    renderer: &templates::Renderer,
) -> Result<Vec<PackFile>, templates::TemplateError> {
    let mut files = vec![
        file(
            "index.html",
            renderer.render("index.html", ctx)?.into_bytes(),
        ),
        file("report.md", renderer.render("report.md", ctx)?.into_bytes()),
        file("summary.json", json_bytes(&summary(ctx, a))),
        file(
            "data/history.csv",
            tables::csv_bytes(&tables::history(a.history)),
        ),
        file(
            "data/by_account.csv",
            tables::csv_bytes(&tables::by_account(a.aggregates)),
        ),
    ];
    if let Some(b) = a.baseline {
        files.push(file(
            "data/changes.csv",
            tables::csv_bytes(&tables::changes(b)),
        ));
    }
    Ok(files)
}

/// Renders every file of the pack, manifest included, sorted by path.
pub fn render(
    a: &Analysis<'_>,
    renderer: &templates::Renderer,
) -> Result<Vec<PackFile>, RenderError> {
    let ctx = context_for(a);
    // The workbook and the CSV tables on one thread, the templates on another: the two halves share only
    // the analysis and the context, and each takes about as long as the other on a large organisation.
    let (tabular, pages) = std::thread::scope(|s| {
        let tabular = s.spawn(|| tabular_files(a, &ctx));
        let pages = page_files(a, &ctx, renderer);
        (tabular.join(), pages)
    });
    let mut files = match tabular {
        Ok(files) => files?,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    files.extend(pages?);
    files.sort_by(|x, y| x.path.cmp(&y.path));
    let m = Manifest {
        schema: manifest::SCHEMA.to_string(),
        tool: manifest::Tool {
            name: ctx.tool.name.clone(),
            version: ctx.tool.version.clone(),
        },
        catalog_version: a.catalog.catalog_version.clone(),
        options: a.options.clone(),
        as_of: ctx.as_of.clone(),
        period: manifest::PeriodInfo {
            label: a.period.label.clone(),
            first_day: a.period.first_day.to_string(),
            last_day: a.period.last_day.to_string(),
        },
        inputs: manifest::input_entries(a.inputs),
        exceptions_register: a.register.clone(),
        baseline: a.baseline.map(|b| FileEntry {
            path: b.path.clone(),
            sha256: b.manifest_sha256.clone(),
            size: 0,
        }),
        outputs: manifest::output_entries(&files),
    };
    files.push(file(manifest::FILE_NAME, manifest::to_bytes(&m)));
    files.sort_by(|x, y| x.path.cmp(&y.path));
    Ok(files)
}
