//! `evidence.xlsx`: the same tables as the CSV files, one sheet each, for auditors who filter and pivot.
//!
//! Header row frozen, autofilter on, widths from the content, times as real Excel date-times (UTC). Text a
//! spreadsheet would evaluate is written as a string cell with Excel's quote prefix, so it stays text even
//! when edited. Document properties come from `as_of`, never from the clock, so the file is reproducible.
//!
//! The table sheets are written in rust_xlsxwriter's constant-memory mode: each row goes to an unnamed
//! temporary file as soon as the next begins, with strings inline rather than in a shared-string table.
//! An organisation's tens of thousands of rows would otherwise be held as cell structures many times their
//! size, and the workbook was the largest allocation of a whole run.

use super::tables::{Cell, Table};
use crate::escape::is_formula_like;
use chrono::{DateTime, Datelike, Timelike, Utc};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// What the Summary sheet says: the workbook title, `as_of` (the document's date), the summary lines and
/// the table under them.
pub struct SummarySheet<'a> {
    pub title: String,
    pub as_of: DateTime<Utc>,
    pub lines: Vec<(String, String)>,
    pub table: &'a Table,
}

fn excel_time(t: &DateTime<Utc>) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day() as u8)?.and_hms_milli(
        t.hour() as u16,
        t.minute() as u8,
        t.second() as u8,
        (t.nanosecond() / 1_000_000).min(999) as u16,
    )
}

struct Formats {
    header: Format,
    time: Format,
    date: Format,
    quoted: Format,
    wrap: Format,
}

/// Excel's limit on the length of one cell, in UTF-16 code units.
const CELL_LIMIT: usize = 32_767;

fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    f: &Formats,
) -> Result<(), XlsxError> {
    // Excel's limit is counted in UTF-16 units; the full text stays in the CSV files.
    let units = s.encode_utf16().count();
    let clipped;
    let s = if units > CELL_LIMIT {
        let mut keep = String::new();
        let mut used = 0;
        for c in s.chars() {
            used += c.len_utf16();
            if used > CELL_LIMIT - 200 {
                break;
            }
            keep.push(c);
        }
        clipped = format!("{keep} … [cut: the full text is in the CSV files]");
        clipped.as_str()
    } else {
        s
    };
    if is_formula_like(s) {
        ws.write_string_with_format(row, col, s, &f.quoted)?;
    } else if s.contains('\n') {
        ws.write_string_with_format(row, col, s, &f.wrap)?;
    } else {
        ws.write_string(row, col, s)?;
    }
    Ok(())
}

fn write_table(
    ws: &mut Worksheet,
    first_row: u32,
    table: &Table,
    f: &Formats,
    filter: bool,
) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.len()).collect();
    for (c, h) in table.header.iter().enumerate() {
        ws.write_string_with_format(first_row, c as u16, *h, &f.header)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = first_row + 1 + i as u32;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            let width = match cell {
                Cell::Text(s) => {
                    write_text(ws, r, col, s, f)?;
                    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
                }
                Cell::Int(n) => {
                    ws.write_number(r, col, *n as f64)?;
                    n.to_string().len()
                }
                Cell::Bool(b) => {
                    ws.write_boolean(r, col, *b)?;
                    5
                }
                Cell::Time(Some(t)) => {
                    ws.write_datetime_with_format(r, col, excel_time(t)?, &f.time)?;
                    19
                }
                Cell::Date(Some(d)) => {
                    let x =
                        ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
                    ws.write_datetime_with_format(r, col, x, &f.date)?;
                    10
                }
                Cell::Time(None) | Cell::Date(None) => 0,
            };
            widths[c] = widths[c].max(width);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w as f64 + 2.0).clamp(8.0, 70.0))?;
    }
    if filter {
        ws.set_freeze_panes(first_row + 1, 0)?;
        let last_row = first_row + table.rows.len() as u32;
        ws.autofilter(
            first_row,
            0,
            last_row,
            table.header.len().saturating_sub(1) as u16,
        )?;
    }
    Ok(())
}

/// A workbook written one sheet at a time, so that each table can be dropped as soon as its sheet is
/// written: the Summary sheet first, then [`add_sheet`](Self::add_sheet) per table, then
/// [`finish`](Self::finish).
pub struct Builder {
    workbook: Workbook,
    formats: Formats,
}

impl Builder {
    /// `scratch_dir`: where the constant-memory sheets keep their rows until the file is saved (unnamed
    /// files, removed by the system when closed); `None` for the system's temporary folder.
    pub fn new(
        scratch_dir: Option<&std::path::Path>,
        summary: &SummarySheet<'_>,
    ) -> Result<Self, XlsxError> {
        let f = Formats {
            header: Format::new().set_bold().set_background_color("F2F2F2"),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            quoted: Format::new().set_quote_prefix(),
            wrap: Format::new().set_text_wrap(),
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
        {
            let ws = wb.add_worksheet();
            ws.set_name("Summary")?;
            for (i, (k, v)) in summary.lines.iter().enumerate() {
                ws.write_string_with_format(i as u32, 0, k, &f.header)?;
                write_text(ws, i as u32, 1, v, &f)?;
            }
            let start = summary.lines.len() as u32 + 1;
            write_table(ws, start, summary.table, &f, false)?;
            ws.set_column_width(0, 28)?;
            ws.set_column_width(1, 24)?;
        }
        Ok(Builder {
            workbook: wb,
            formats: f,
        })
    }

    /// Adds a sheet holding a table, header frozen and filtered.
    pub fn add_sheet(&mut self, name: &str, table: &Table) -> Result<(), XlsxError> {
        // Rows are written strictly in order, as this mode requires; widths and filters are set after the
        // data, which the mode allows (they are assembled when the file is saved).
        let ws = self.workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(name)?;
        write_table(ws, 0, table, &self.formats, true)
    }

    /// The bytes of the `.xlsx` file.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        self.workbook.save_to_buffer()
    }
}
