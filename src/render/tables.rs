//! The tables of the pack, defined once and written both as CSV and as workbook sheets.
//!
//! CSV: RFC 4180, comma-separated, UTF-8, CRLF line ends, header row, text cells through the formula guard.
//! Column names are the contract later tools rely on.

use crate::analysis::aggregate::{Aggregates, Breakdown};
use crate::analysis::baseline::Baseline;
use crate::analysis::exceptions::ExceptionRow;
use crate::analysis::history::History;
use crate::analysis::population::Population;
use crate::analysis::reach::Reach;
use crate::analysis::scope::Scope;
use crate::escape::spreadsheet_cell;
use crate::ingest::InputReport;
use crate::model::{Finding, Inventory, TaskSet};
use crate::period::Period;
use crate::reconcile::{Outcome, Row};
use crate::time::format_opt;
use chrono::{DateTime, NaiveDate, Utc};

/// A typed cell: text goes through the formula guard; numbers, dates and times stay numbers, dates and
/// times in the workbook (an empty optional value is an empty cell).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(u64),
    /// A whole number that may be absent or negative (days, line numbers).
    OptInt(Option<i64>),
    /// A ratio, written with two decimals.
    Decimal(f64),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
    Bool(bool),
}

impl Cell {
    /// The cell as CSV text (before the formula guard).
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::OptInt(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            Cell::Decimal(x) => format!("{x:.2}"),
            Cell::Time(t) => format_opt(t),
            Cell::Date(d) => d.map(|d| d.to_string()).unwrap_or_default(),
            Cell::Bool(b) => b.to_string(),
        }
    }
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt(s: &Option<String>) -> Cell {
    Cell::Text(s.clone().unwrap_or_default())
}

/// A header and its rows.
pub struct Table<'a> {
    pub header: Vec<&'static str>,
    pub rows: Rows<'a>,
}

/// A table's rows, each made when it is written (as CSV, then as a sheet) and dropped right after. Held
/// whole as cells, the reconciliation of an organisation (100,000 task sets × 31 columns) took about
/// 200 MB, as much again as the analysis it was made from; made one at a time, a row costs a few KB.
pub struct Rows<'a> {
    len: usize,
    make: Box<dyn Fn(usize) -> Vec<Cell> + Send + Sync + 'a>,
}

impl<'a> Rows<'a> {
    /// A row per item of a slice.
    pub fn of<T: Sync>(
        items: &'a [T],
        row: impl Fn(&'a T) -> Vec<Cell> + Send + Sync + 'a,
    ) -> Self {
        Rows {
            len: items.len(),
            make: Box::new(move |i| items.get(i).map(&row).unwrap_or_default()),
        }
    }

    /// A row per item of a list made for the table.
    pub fn of_vec<T: Send + Sync + 'a>(
        items: Vec<T>,
        row: impl Fn(&T) -> Vec<Cell> + Send + Sync + 'a,
    ) -> Self {
        Rows {
            len: items.len(),
            make: Box::new(move |i| items.get(i).map(&row).unwrap_or_default()),
        }
    }

    /// A row per index below `len`: for tables that join slices kept side by side (rows and their
    /// reachability, gaps and their scope).
    pub fn by_index(len: usize, row: impl Fn(usize) -> Vec<Cell> + Send + Sync + 'a) -> Self {
        Rows {
            len,
            make: Box::new(move |i| if i < len { row(i) } else { Vec::new() }),
        }
    }

    /// A row per item of a list of references (the values of a map).
    pub fn of_refs<T: Sync>(
        items: Vec<&'a T>,
        row: impl Fn(&'a T) -> Vec<Cell> + Send + Sync + 'a,
    ) -> Self {
        Rows {
            len: items.len(),
            make: Box::new(move |i| items.get(i).map(|t| row(t)).unwrap_or_default()),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every row, made in order.
    pub fn iter(&self) -> impl Iterator<Item = Vec<Cell>> + '_ {
        (0..self.len).map(|i| (self.make)(i))
    }
}

/// Rows already made (the small tables: summary lines, the verdict).
impl From<Vec<Vec<Cell>>> for Rows<'_> {
    fn from(rows: Vec<Vec<Cell>>) -> Self {
        Rows {
            len: rows.len(),
            make: Box::new(move |i| rows.get(i).cloned().unwrap_or_default()),
        }
    }
}

impl std::fmt::Debug for Rows<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rows({})", self.len)
    }
}

/// Writes a table as CSV, in memory.
pub fn csv_bytes(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(&table.header)?;
    for row in table.rows.iter() {
        debug_assert_eq!(row.len(), table.header.len());
        w.write_record(row.iter().map(|c| spreadsheet_cell(&c.text()).into_owned()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

pub fn reconciliation<'a>(
    rows: &'a [Row],
    scopes: &'a [Scope],
    reach: &'a [Reach],
    period: &'a Period,
    catalog_label: &'a str,
) -> Table<'a> {
    Table {
        header: vec![
            "task_set_arn",
            "account_id",
            "account_name",
            "region",
            "cluster",
            "service",
            "scope",
            "outcome",
            "securityhub_status",
            "workflow_status",
            "record_state",
            "inventory_state",
            "assign_public_ip",
            "reachability",
            "reachable_ports",
            "path",
            "reachability_reason",
            "task_set_status",
            "launch_type",
            "started_by",
            "finding_id",
            "finding_standard",
            "findings_for_task_set",
            "copies_disagree",
            "finding_updated_at",
            "last_observed_at",
            "observed_in_period",
            "task_set_created_at",
            "severity",
            "note_text",
            "note_updated_by",
            "note_updated_at",
            "related_requirements",
            "requirement_mapping",
            "record_problems",
            "reason",
        ],
        rows: Rows::by_index(rows.len(), move |i| {
            let r = &rows[i];
            let reach = reach.get(i);
            vec![
                t(&r.task_set_arn),
                t(&r.account_id),
                t(&r.account_name),
                t(&r.region),
                t(&r.cluster),
                t(&r.service),
                t(scopes.get(i).map(|s| s.code()).unwrap_or_default()),
                t(r.outcome.code()),
                t(&r.securityhub_status),
                t(&r.workflow_status),
                t(&r.record_state),
                t(r.inventory_state.code()),
                t(&r.assign_public_ip),
                t(reach.map(|x| x.value.as_str()).unwrap_or_default()),
                t(reach.map(|x| x.ports_text()).unwrap_or_default()),
                t(reach.map(|x| x.path_words.as_str()).unwrap_or_default()),
                t(reach.map(Reach::explanation).unwrap_or_default()),
                t(&r.task_set_status),
                t(&r.launch_type),
                t(&r.started_by),
                t(&r.finding_id),
                t(&r.finding_standard),
                Cell::Int(r.findings_for_task_set as u64),
                Cell::Bool(r.copies_disagree),
                Cell::Time(r.finding_updated_at),
                Cell::Time(r.last_observed_at),
                t(r.last_observed_at
                    .map(|o| period.place(&o).as_str())
                    .unwrap_or("")),
                Cell::Time(r.task_set_created_at),
                t(&r.severity),
                t(&r.note_text),
                t(&r.note_updated_by),
                Cell::Time(r.note_updated_at),
                t(r.related_requirements.join("; ")),
                t(requirement_mapping(r, catalog_label)),
                t(r.record_problems.join("; ")),
                t(&r.reason),
            ]
        }),
    }
}

/// Where a row's PCI DSS 1.4.4 mapping comes from: the finding's own `RelatedRequirements`, or the catalog.
pub fn requirement_mapping(r: &Row, catalog_label: &str) -> &'static str {
    if r.related_requirements.iter().any(|q| q == catalog_label) {
        "finding"
    } else {
        "catalog"
    }
}

pub fn findings<'a>(findings: &'a [Finding], inputs: &'a [InputReport]) -> Table<'a> {
    Table {
        header: vec![
            "finding_id",
            "task_set_arn",
            "format",
            "account_id",
            "account_name",
            "region",
            "cluster",
            "service",
            "generator_id",
            "control_id_source",
            "standard",
            "compliance_status",
            "workflow_status",
            "record_state",
            "severity",
            "title",
            "first_observed_at",
            "last_observed_at",
            "created_at",
            "updated_at",
            "note_text",
            "note_updated_by",
            "note_updated_at",
            "related_requirements",
            "record_problems",
            "source_file",
            "source_record",
        ],
        rows: Rows::of(findings, |f| {
            vec![
                t(&f.id),
                t(&f.task_set_arn),
                t(f.format.as_str()),
                t(&f.account_id),
                opt(&f.account_name),
                t(&f.region),
                t(&f.cluster),
                t(&f.service),
                t(&f.generator_id),
                t(f.control_id_source.as_str()),
                opt(&f.standard),
                t(f.compliance_status.as_str()),
                t(f.workflow_status.as_ref().map(|w| w.as_str()).unwrap_or("")),
                t(f.record_state.as_str()),
                opt(&f.severity),
                t(&f.title),
                Cell::Time(f.first_observed_at),
                Cell::Time(f.last_observed_at),
                Cell::Time(f.created_at),
                Cell::Time(f.updated_at),
                t(f.note.as_ref().map(|n| n.text.as_str()).unwrap_or("")),
                t(f.note.as_ref().map(|n| n.updated_by.as_str()).unwrap_or("")),
                Cell::Time(f.note.as_ref().and_then(|n| n.updated_at)),
                t(f.related_requirements.join("; ")),
                t(f.flags.join("; ")),
                t(inputs
                    .get(f.origin.input)
                    .map(|i| i.path.as_str())
                    .unwrap_or("")),
                Cell::Int(f.origin.record),
            ]
        }),
    }
}

/// Every description of every task set: the one the reconciliation uses (`current`, the newest `updatedAt`)
/// and, under it, the older ones other dumps gave (`superseded`, newest first), kept as history.
pub fn task_sets<'a>(inv: &'a Inventory, inputs: &'a [InputReport]) -> Table<'a> {
    let described: Vec<(&TaskSet, &str)> = inv
        .task_sets
        .values()
        .flat_map(|current| {
            let older = inv.earlier.get(&current.arn).into_iter().flatten();
            let mut older: Vec<&TaskSet> = older.collect();
            older.sort_by_key(|t| std::cmp::Reverse(t.updated_at));
            std::iter::once((current, "current"))
                .chain(older.into_iter().map(|t| (t, "superseded")))
        })
        .collect();
    Table {
        header: vec![
            "task_set_arn",
            "description",
            "id",
            "account_id",
            "region",
            "cluster",
            "service",
            "status",
            "assign_public_ip",
            "subnets",
            "security_groups",
            "launch_type",
            "task_definition",
            "started_by",
            "external_id",
            "stability_status",
            "created_at",
            "updated_at",
            "target_groups",
            "record_problems",
            "source_file",
        ],
        rows: Rows::of_vec(described, move |&(ts, description)| {
            vec![
                t(&ts.arn),
                t(description),
                t(&ts.id),
                t(&ts.account_id),
                t(&ts.region),
                t(&ts.cluster),
                t(&ts.service),
                t(ts.status.as_ref().map(|s| s.as_str()).unwrap_or("")),
                t(ts.assign_public_ip
                    .as_ref()
                    .map(|a| a.as_str())
                    .unwrap_or("NOT_AWSVPC")),
                t(ts.subnets.join(" ")),
                t(ts.security_groups.join(" ")),
                opt(&ts.launch_type),
                opt(&ts.task_definition),
                opt(&ts.started_by),
                opt(&ts.external_id),
                opt(&ts.stability_status),
                Cell::Time(ts.created_at),
                Cell::Time(ts.updated_at),
                t(ts.load_balancers
                    .iter()
                    .filter_map(|lb| {
                        lb.target_group_arn
                            .clone()
                            .or(lb.load_balancer_name.clone())
                    })
                    .collect::<Vec<_>>()
                    .join(" ")),
                t(ts.flags.join("; ")),
                t(inputs
                    .get(ts.origin.input)
                    .map(|i| i.path.as_str())
                    .unwrap_or("")),
            ]
        }),
    }
}

/// A breakdown as a table: its key columns, task sets, exposed, then a count per outcome (by code).
fn breakdown<'a>(key: &[&'static str], lines: &'a [Breakdown]) -> Table<'a> {
    let mut header = key.to_vec();
    header.extend(["task_sets", "exposed"]);
    header.extend(Outcome::ALL.iter().map(|o| o.code()));
    Table {
        header,
        rows: Rows::of(lines, |b| {
            let mut row: Vec<Cell> = b.key.iter().map(t).collect();
            row.push(Cell::Int(b.total));
            row.push(Cell::Int(b.exposed));
            row.extend(b.counts.iter().map(|n| Cell::Int(*n)));
            row
        }),
    }
}

pub fn by_account(agg: &Aggregates) -> Table<'_> {
    breakdown(&["account_id", "account_name"], &agg.by_account)
}

pub fn by_region(agg: &Aggregates) -> Table<'_> {
    breakdown(&["region"], &agg.by_region)
}

pub fn by_service(agg: &Aggregates) -> Table<'_> {
    breakdown(
        &["account_id", "region", "cluster", "service"],
        &agg.by_service,
    )
}

/// What each export date covered and saw exposed (the history chart's numbers).
pub fn exports(h: &History) -> Table<'_> {
    Table {
        header: vec![
            "export_date",
            "accounts",
            "regions",
            "account_regions",
            "account_regions_added",
            "account_regions_dropped",
            "exposed",
            "exposed_per_account_region",
        ],
        rows: Rows::of(&h.exports, |e| {
            vec![
                Cell::Date(Some(e.date)),
                Cell::Int(e.accounts),
                Cell::Int(e.regions),
                Cell::Int(e.account_regions),
                Cell::Int(e.account_regions_added),
                Cell::Int(e.account_regions_dropped),
                Cell::Int(e.exposed),
                Cell::Decimal(e.exposed_per_account_region()),
            ]
        }),
    }
}

pub fn exceptions(rows: &[ExceptionRow]) -> Table<'_> {
    Table {
        header: vec![
            "task_set_arn",
            "account_id",
            "account_name",
            "outcome",
            "status",
            "note_text",
            "note_updated_by",
            "note_updated_at",
            "register_line",
            "register_task_set_arn",
            "justification",
            "approver",
            "ticket",
            "expires",
            "basis",
            "reference",
            "valid_pci_exception",
            "not_valid_because",
        ],
        rows: Rows::of(rows, |e| {
            vec![
                t(&e.task_set_arn),
                t(&e.account_id),
                t(&e.account_name),
                t(&e.outcome),
                t(e.status.code()),
                t(&e.note_text),
                t(&e.note_updated_by),
                Cell::Time(e.note_updated_at),
                Cell::OptInt(e.register_line.map(|l| l as i64)),
                t(&e.register_task_set_arn),
                t(&e.justification),
                t(&e.approver),
                t(&e.ticket),
                Cell::Date(e.expires),
                t(e.basis.map(|b| b.code()).unwrap_or_default()),
                t(&e.reference),
                Cell::Bool(e.valid_pci_exception),
                t(&e.not_valid_because),
            ]
        }),
    }
}

pub fn inputs(inputs: &[InputReport]) -> Table<'_> {
    Table {
        header: vec![
            "path",
            "status",
            "why",
            "kind",
            "size",
            "sha256",
            "records_read",
            "records_used",
            "ecs16_findings",
            "task_sets",
            "problems",
            "exported_at",
        ],
        rows: Rows::of(inputs, |i| {
            vec![
                t(&i.path),
                t(i.status.as_str()),
                t(i.status.why().unwrap_or_default()),
                t(&i.kind),
                Cell::Int(i.size),
                t(&i.sha256),
                Cell::Int(i.records_read()),
                Cell::Int(i.records_used),
                Cell::Int(i.ecs16_findings),
                Cell::Int(i.task_sets),
                t(i.problems
                    .iter()
                    .map(|p| format!("record {}: {}", p.record, p.message))
                    .collect::<Vec<_>>()
                    .join("\n")),
                Cell::Time(i.exported_at),
            ]
        }),
    }
}

pub fn history(h: &History) -> Table<'_> {
    let day = |d: Option<NaiveDate>| Cell::Date(d);
    Table {
        header: vec![
            "task_set_arn",
            "first_seen_exposed",
            "last_seen_exposed",
            "fixed_at",
            "exposure_days_in_period",
            "snapshots_seen",
            "account_id",
            "time_to_remediate_days",
            "source",
        ],
        rows: Rows::of(&h.timelines, move |t| {
            vec![
                Cell::Text(t.task_set_arn.clone()),
                day(t.first_seen_exposed),
                day(t.last_seen_exposed),
                day(t.fixed_at),
                Cell::Int(t.exposure_days_in_period as u64),
                Cell::Int(t.snapshots_seen as u64),
                Cell::Text(t.account_id.clone()),
                Cell::OptInt(t.time_to_remediate_days),
                Cell::Text(t.source.as_str().to_string()),
            ]
        }),
    }
}

pub fn changes(b: &Baseline) -> Table<'_> {
    Table {
        header: vec!["task_set_arn", "change", "baseline", "current"],
        rows: Rows::of(&b.changes, |c| {
            vec![
                Cell::Text(c.task_set_arn.clone()),
                Cell::Text(c.change.as_str().to_string()),
                Cell::Text(c.baseline.clone()),
                Cell::Text(c.current.clone()),
            ]
        }),
    }
}

/// Where the evidence may not reach all of the population (see `analysis::population`).
pub fn coverage_gaps<'a>(p: &'a Population, scopes: &'a [Scope]) -> Table<'a> {
    Table {
        header: vec![
            "gap",
            "account_id",
            "region",
            "cluster",
            "service",
            "scope",
            "subject",
            "detail",
        ],
        rows: Rows::by_index(p.gaps.len(), move |i| {
            let g = &p.gaps[i];
            vec![
                t(g.kind.code()),
                t(&g.account_id),
                t(&g.region),
                t(&g.cluster),
                t(&g.service),
                t(scopes.get(i).map(|s| s.code()).unwrap_or_default()),
                t(&g.subject),
                t(&g.detail),
            ]
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_round_trips_and_guards_formulas() {
        let table = Table {
            header: vec!["a", "b", "c"],
            rows: vec![vec![t("=1+1"), t("x,\"y\"\nz"), Cell::Int(3)]].into(),
        };
        let bytes = csv_bytes(&table).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("a,b,c\r\n"));
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[0], "'=1+1");
        assert_eq!(&rec[1], "x,\"y\"\nz");
        assert_eq!(&rec[2], "3");
    }
}
