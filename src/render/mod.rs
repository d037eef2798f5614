//! Render: the analysis → the files of the pack, all in memory, before anything touches the disk.
//!
//! Rendering everything first means a template error can never leave a half-written pack behind.
//! `templates` wraps Tera (templates embedded in the binary, Markdown filter registered), `context` builds
//! the template context, `tables` writes the CSV files, `escape` holds the per-format escaping.

pub mod context;
pub mod escape;
pub mod tables;
pub mod templates;

use crate::aggregate::Aggregates;
use crate::catalog::Catalog;
use crate::ingest::InputReport;
use crate::model::{Finding, Inventory};
use crate::reconcile::{Outcome, Row};
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
    pub as_of: String,
    pub rows: &'a [Row],
    pub findings: &'a [Finding],
    pub duplicates_dropped: u64,
    pub inventory: &'a Inventory,
    pub inputs: &'a [InputReport],
    pub aggregates: &'a Aggregates,
}

/// `summary.json`, schema `ecs16-evidence/summary/v1`.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub schema: &'static str,
    pub control: String,
    pub requirement: String,
    pub as_of: String,
    pub tool: context::ToolInfo,
    pub catalog_version: String,
    pub task_sets_total: u64,
    pub exposed: u64,
    pub findings_selected: u64,
    pub findings_read: u64,
    pub duplicates_dropped: u64,
    pub outcomes: BTreeMap<String, u64>,
    pub inventory_states: BTreeMap<String, u64>,
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

pub fn summary(ctx: &context::Context, a: &Aggregates) -> Summary {
    Summary {
        schema: "ecs16-evidence/summary/v1",
        control: ctx.catalog.control.id.clone(),
        requirement: ctx.catalog.requirement.display.clone(),
        as_of: ctx.as_of.clone(),
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

/// Renders every file of the pack, sorted by path.
pub fn render(
    analysis: &Analysis<'_>,
    renderer: &templates::Renderer,
) -> Result<Vec<PackFile>, templates::TemplateError> {
    let ctx = context::build(context::Sources {
        catalog: analysis.catalog,
        as_of: analysis.as_of.clone(),
        rows: analysis.rows,
        aggregates: analysis.aggregates,
        inputs: analysis.inputs,
        findings_selected: analysis.findings.len() as u64,
        duplicates_dropped: analysis.duplicates_dropped,
        task_sets_in_dumps: analysis.inventory.task_sets.len() as u64,
    });
    let mut files = vec![
        PackFile {
            path: "index.html".into(),
            bytes: renderer.render("index.html", &ctx)?.into_bytes(),
        },
        PackFile {
            path: "report.md".into(),
            bytes: renderer.render("report.md", &ctx)?.into_bytes(),
        },
        PackFile {
            path: "summary.json".into(),
            bytes: json_bytes(&summary(&ctx, analysis.aggregates)),
        },
        PackFile {
            path: "data/reconciliation.csv".into(),
            bytes: tables::reconciliation(analysis.rows),
        },
        PackFile {
            path: "data/findings.csv".into(),
            bytes: tables::findings(analysis.findings, analysis.inputs),
        },
        PackFile {
            path: "data/task_sets.csv".into(),
            bytes: tables::task_sets(analysis.inventory.task_sets.values(), analysis.inputs),
        },
        PackFile {
            path: "data/by_account.csv".into(),
            bytes: tables::by_account(analysis.aggregates),
        },
    ];
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
