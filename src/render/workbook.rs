//! `evidence.xlsx`: the same tables as the CSV files, one sheet each, for auditors who filter and pivot.
//!
//! Header row frozen, autofilter on, widths from the content, numbers as numbers and times as real Excel
//! date-times (UTC) on every sheet, the Summary sheet included. Every sheet prints landscape, one page wide,
//! its header row on each page. Text a spreadsheet would evaluate is written as a string cell with Excel's
//! quote prefix, so it stays text even when edited. Document properties come from `as_of`, never from the
//! clock, so the file is reproducible.
//!
//! The table sheets are written in rust_xlsxwriter's constant-memory mode: each row goes to an unnamed
//! temporary file as soon as the next begins, with strings inline rather than in a shared-string table.
//! An organisation's tens of thousands of rows would otherwise be held as cell structures many times their
//! size, and the workbook was the largest allocation of a whole run.

use super::tables::{Cell, Table};
use crate::escape::is_formula_like;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// What the Summary sheet says: the workbook title, `as_of` (the document's date), the summary lines
/// (each a typed value: counts are numbers, dates are dates) and the table under them.
pub struct SummarySheet<'a> {
    pub title: String,
    pub as_of: DateTime<Utc>,
    pub lines: Vec<(String, Cell)>,
    pub table: &'a Table<'a>,
}

fn excel_time(t: &DateTime<Utc>) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?.and_hms_milli(
        t.hour() as u16,
        t.minute() as u8,
        t.second() as u8,
        (t.nanosecond() / 1_000_000).min(999) as u16,
    )
}

fn excel_date(d: &NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

struct Formats {
    header: Format,
    time: Format,
    date: Format,
    decimal: Format,
    quoted: Format,
    wrap: Format,
    quoted_wrap: Format,
}

/// Excel's limit on the length of one cell, in UTF-16 code units.
const CELL_LIMIT: usize = 32_767;

/// The widest a column is set (in characters); longer text wraps inside it.
const WIDEST: usize = 60;

/// Text clipped to Excel's cell limit (counted in UTF-16 units); the full text stays in the CSV files.
fn clipped(s: &str) -> std::borrow::Cow<'_, str> {
    if s.encode_utf16().count() <= CELL_LIMIT {
        return s.into();
    }
    let mut keep = String::new();
    let mut used = 0;
    for c in s.chars() {
        used += c.len_utf16();
        if used > CELL_LIMIT - 200 {
            break;
        }
        keep.push(c);
    }
    format!("{keep} … [cut: the full text is in the CSV files]").into()
}

/// Writes a text cell and returns the width it wants: its longest line, in characters.
fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    f: &Formats,
) -> Result<usize, XlsxError> {
    let s = clipped(s);
    let width = s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    // Text wider than a column may be, or on several lines, wraps, so that it prints inside its column.
    let wraps = width > WIDEST || s.contains('\n');
    match (is_formula_like(&s), wraps) {
        (true, true) => ws.write_string_with_format(row, col, s.as_ref(), &f.quoted_wrap)?,
        (true, false) => ws.write_string_with_format(row, col, s.as_ref(), &f.quoted)?,
        (false, true) => ws.write_string_with_format(row, col, s.as_ref(), &f.wrap)?,
        (false, false) => ws.write_string(row, col, s.as_ref())?,
    };
    Ok(width)
}

/// Writes one cell as its type: numbers as numbers, dates and times as Excel dates with a date format,
/// text as a string (never a formula). Returns the width the cell wants, in characters.
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    f: &Formats,
) -> Result<usize, XlsxError> {
    Ok(match cell {
        Cell::Text(s) => write_text(ws, row, col, s, f)?,
        Cell::Int(n) => {
            ws.write_number(row, col, *n as f64)?;
            n.to_string().len()
        }
        Cell::OptInt(Some(n)) => {
            ws.write_number(row, col, *n as f64)?;
            n.to_string().len()
        }
        Cell::Decimal(x) => {
            ws.write_number_with_format(row, col, *x, &f.decimal)?;
            format!("{x:.2}").len()
        }
        Cell::Bool(b) => {
            ws.write_boolean(row, col, *b)?;
            5
        }
        Cell::Time(Some(t)) => {
            ws.write_datetime_with_format(row, col, excel_time(t)?, &f.time)?;
            19
        }
        Cell::Date(Some(d)) => {
            ws.write_datetime_with_format(row, col, excel_date(d)?, &f.date)?;
            10
        }
        Cell::OptInt(None) | Cell::Time(None) | Cell::Date(None) => 0,
    })
}

/// Writes a table from `first_row` (its header there) and returns the width each column wants.
fn write_table(
    ws: &mut Worksheet,
    first_row: u32,
    table: &Table,
    f: &Formats,
) -> Result<Vec<usize>, XlsxError> {
    // The header's own width, and room for the filter button.
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.len() + 2).collect();
    for (c, h) in table.header.iter().enumerate() {
        ws.write_string_with_format(first_row, c as u16, *h, &f.header)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = first_row + 1 + i as u32;
        for (c, cell) in row.iter().enumerate() {
            let width = write_cell(ws, r, c as u16, cell, f)?;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width);
            }
        }
    }
    Ok(widths)
}

/// Column widths that fit their content, within reason: long text wraps at `WIDEST`.
fn set_widths(ws: &mut Worksheet, widths: &[usize]) -> Result<(), XlsxError> {
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w).clamp(6, WIDEST) as f64 + 1.0)?;
    }
    Ok(())
}

/// Header frozen and filtered over the whole table.
fn freeze_and_filter(ws: &mut Worksheet, first_row: u32, table: &Table) -> Result<(), XlsxError> {
    ws.set_freeze_panes(first_row + 1, 0)?;
    let last_row = first_row + table.rows.len() as u32;
    ws.autofilter(
        first_row,
        0,
        last_row,
        table.header.len().saturating_sub(1) as u16,
    )?;
    Ok(())
}

/// How every sheet prints: landscape, one page wide (as many long as it takes), the header row on every
/// page, and a footer with the tool, `as_of`, the sheet's name and "page N of M". The paper is the
/// printer's (A4 or US Letter).
fn print_setup(ws: &mut Worksheet, header_row: u32, footer: &str) -> Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    // `&` starts a control code in Excel's header and footer language: a literal one is doubled.
    ws.set_footer(format!(
        "&L{}&R&A, page &P of &N",
        footer.replace('&', "&&")
    ));
    Ok(())
}

/// A workbook written one sheet at a time, so that each table can be dropped as soon as its sheet is
/// written: the Summary sheet first, then [`add_sheet`](Self::add_sheet) per table, then
/// [`finish`](Self::finish).
pub struct Builder {
    workbook: Workbook,
    formats: Formats,
    footer: String,
}

impl Builder {
    /// `scratch_dir`: where the constant-memory sheets keep their rows until the file is saved (unnamed
    /// files, removed by the system when closed); `None` for the system's temporary folder. `footer`: the
    /// left part of every sheet's printed footer.
    pub fn new(
        scratch_dir: Option<&std::path::Path>,
        summary: &SummarySheet<'_>,
        footer: &str,
    ) -> Result<Self, XlsxError> {
        let f = Formats {
            header: Format::new().set_bold().set_background_color("F2F2F2"),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            decimal: Format::new().set_num_format("0.00"),
            quoted: Format::new().set_quote_prefix(),
            wrap: Format::new().set_text_wrap(),
            quoted_wrap: Format::new().set_quote_prefix().set_text_wrap(),
        };
        let mut wb = Workbook::new();
        if let Some(dir) = scratch_dir {
            wb.set_tempdir(dir)?;
        }
        let created = excel_time(&summary.as_of)?;
        wb.set_properties(
            &DocProperties::new()
                .set_title(&summary.title)
                .set_author("ecs16-evidence")
                .set_creation_datetime(&created),
        );
        let ws = wb.add_worksheet();
        ws.set_name("Summary")?;
        write_summary(ws, summary, &f)?;
        print_setup(ws, 0, footer)?;
        Ok(Builder {
            workbook: wb,
            formats: f,
            footer: footer.to_string(),
        })
    }

    /// Adds a sheet holding a table, header frozen and filtered.
    pub fn add_sheet(&mut self, name: &str, table: &Table) -> Result<(), XlsxError> {
        // Rows are written strictly in order, as this mode requires; widths, filters and print settings are
        // set after the data, which the mode allows (they are assembled when the file is saved).
        let ws = self.workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        let widths = write_table(ws, 0, table, &self.formats)?;
        set_widths(ws, &widths)?;
        freeze_and_filter(ws, 0, table)?;
        print_setup(ws, 0, &self.footer)
    }

    /// The bytes of the `.xlsx` file.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.workbook.save_to_buffer()
    }
}

/// The Summary sheet: an `item`/`value` table of the summary lines, then the outcome table under it, the
/// columns as wide as the wider of the two needs.
fn write_summary(
    ws: &mut Worksheet,
    summary: &SummarySheet<'_>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let lines = Table {
        header: vec!["item", "value"],
        rows: summary
            .lines
            .iter()
            .map(|(k, v)| vec![Cell::Text(k.clone()), v.clone()])
            .collect::<Vec<_>>()
            .into(),
    };
    let mut widths = write_table(ws, 0, &lines, f)?;
    let below = write_table(ws, lines.rows.len() as u32 + 2, summary.table, f)?;
    for (i, w) in below.into_iter().enumerate() {
        match widths.get_mut(i) {
            Some(existing) => *existing = (*existing).max(w),
            None => widths.push(w),
        }
    }
    set_widths(ws, &widths)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
