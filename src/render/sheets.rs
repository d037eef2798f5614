//! The workbook's own sheets, beside the data tables it shares with the CSV files: the Summary sheet's
//! lines (each a typed value, so counts are numbers and dates are dates; the pack id and the sign-off
//! block last), its outcome table, and the Verdict sheet when the context holds a verdict.

use super::context::{Context, VerdictView};
use super::tables::{Cell, Rows, Table};
use crate::analysis::Analysis;

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// The Summary sheet's lines: what the first screen of the report says, as numbers and dates.
pub fn summary_lines(a: &Analysis, ctx: &Context) -> Vec<(String, Cell)> {
    let h = &a.history;
    let oldest = h.oldest_open_exposure.as_ref();
    let mut lines = vec![
        (
            "Control",
            text(format!(
                "{} {}",
                a.catalog.control.id, a.catalog.control.title
            )),
        ),
        ("Requirement", text(&a.catalog.requirement.display)),
        ("Period", text(&a.period.label)),
        ("Period first day", Cell::Date(Some(a.period.first_day))),
        ("Period last day", Cell::Date(Some(a.period.last_day))),
        ("As of (UTC)", Cell::Time(Some(a.as_of))),
        ("Task sets in scope", Cell::Int(a.aggregates.total)),
        ("Exposed now", Cell::Int(a.aggregates.exposed)),
        (
            "Exposed at some time in the period",
            Cell::Int(h.exposed_during_period),
        ),
        ("Fixed in the period", Cell::Int(h.fixed_during_period)),
        (
            "Not covered by inventory",
            Cell::Int(a.aggregates.inventory_states[3]),
        ),
        (
            "Oldest open exposure (days)",
            Cell::OptInt(oldest.map(|o| o.days)),
        ),
        (
            "Oldest open exposure since",
            Cell::Date(oldest.map(|o| o.since)),
        ),
        ("Findings selected", Cell::Int(ctx.totals.findings_selected)),
        ("Findings read", Cell::Int(ctx.totals.findings_read)),
        ("Inputs used", Cell::Int(ctx.totals.inputs_used)),
        ("Inputs rejected", Cell::Int(ctx.totals.inputs_rejected)),
        ("Inputs skipped", Cell::Int(ctx.totals.inputs_skipped)),
        (
            "Tool",
            text(format!("{} {}", ctx.tool.name, ctx.tool.version)),
        ),
        ("Control catalog", text(&a.catalog.catalog_version)),
        ("Times", text("all date-times are UTC")),
    ];
    if let Some(id) = &ctx.pack_id {
        lines.push(("Pack id", text(id)));
    }
    let mut lines: Vec<(String, Cell)> =
        lines.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    lines.extend(signoff_lines(ctx));
    lines
}

/// The sign-off block as Summary lines: per role its name (or a blank line), a signature line and a date
/// line. Names are text cells: the workbook writer neutralises one that a spreadsheet would run.
fn signoff_lines(ctx: &Context) -> Vec<(String, Cell)> {
    let s = &ctx.signoff;
    let blank = || text(&s.blank);
    s.rows
        .iter()
        .flat_map(|r| {
            let name = if r.name.is_empty() {
                blank()
            } else {
                text(&r.name)
            };
            [
                (r.role.clone(), name),
                (format!("{}: signature", r.role), blank()),
                (format!("{}: date", r.role), blank()),
            ]
        })
        .collect()
}

/// The outcome table under the Summary lines: code, label, count, exposed or not, meaning.
pub fn outcomes(ctx: &Context) -> Table<'_> {
    Table {
        header: vec!["outcome", "label", "task_sets", "exposed", "meaning"],
        rows: Rows::of(&ctx.outcomes, |o| {
            vec![
                text(&o.code),
                text(&o.label),
                Cell::Int(o.count),
                Cell::Bool(o.exposed),
                text(&o.meaning),
            ]
        }),
    }
}

/// The Verdict sheet: the status, the line to quote, then what it rests on and what it does not examine,
/// one line each.
pub fn verdict(v: &VerdictView) -> Table<'static> {
    let mut rows = vec![
        vec![text("requirement"), text(&v.requirement)],
        vec![text("status"), text(&v.status)],
        vec![text("verdict"), text(&v.line)],
    ];
    rows.extend(v.rests_on.iter().map(|r| vec![text("rests on"), text(r)]));
    rows.extend(v.limits.iter().map(|l| vec![text("not examined"), text(l)]));
    Table {
        header: vec!["part", "text"],
        rows: rows.into(),
    }
}

/// The left part of every printed footer: the pack id when there is one, the tool and `as_of`.
pub fn footer(ctx: &Context) -> String {
    let base = format!(
        "{} {} · as of {}",
        ctx.tool.name, ctx.tool.version, ctx.as_of
    );
    match &ctx.pack_id {
        Some(id) => format!("pack id {id} · {base}"),
        None => base,
    }
}
