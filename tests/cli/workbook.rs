//! `evidence.xlsx` read back as its XML: every sheet, every cell's type (numbers as numbers, dates as
//! numbers with a date format, text as strings), the print setup of every sheet, and column widths.

use crate::support::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

pub fn xlsx_part(path: &Path, part: &str) -> String {
    let mut z = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The value of `name="…"` in an XML start tag.
fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(tag[start..].split('"').next()?.to_string())
}

/// The text of every `<t>` in a piece of XML, joined (a shared or inline string).
fn texts(xml: &str) -> String {
    xml.split("<t")
        .skip(1)
        .filter_map(|p| {
            let body = &p[p.find('>')? + 1..];
            Some(body.split("</t>").next()?.to_string())
        })
        .collect()
}

#[derive(Debug)]
struct XCell {
    col: String,
    row: u32,
    /// `t` attribute: `s`, `inlineStr`, `b`, or none for a number.
    kind: Option<String>,
    style: usize,
    /// The text of a string cell, or the raw value.
    value: String,
}

fn cells(sheet: &str, shared: &[String]) -> Vec<XCell> {
    let data = sheet.split("<sheetData>").nth(1).unwrap_or_default();
    data.split("<c ")
        .skip(1)
        .map(|piece| {
            let tag_end = piece.find('>').unwrap();
            let tag = format!(" {}", &piece[..tag_end]);
            let r = attr(&tag, "r").unwrap();
            let split = r.find(|c: char| c.is_ascii_digit()).unwrap();
            let kind = attr(&tag, "t");
            let inner = if tag.ends_with('/') {
                ""
            } else {
                piece[tag_end + 1..].split("</c>").next().unwrap()
            };
            let raw = inner
                .split("<v>")
                .nth(1)
                .map(|v| v.split("</v>").next().unwrap().to_string());
            let value = match kind.as_deref() {
                Some("s") => shared[raw.unwrap().parse::<usize>().unwrap()].clone(),
                Some("inlineStr") => texts(inner),
                _ => raw.unwrap_or_default(),
            };
            XCell {
                col: r[..split].to_string(),
                row: r[split..].parse().unwrap(),
                kind,
                style: attr(&tag, "s").map_or(0, |s| s.parse().unwrap()),
                value,
            }
        })
        .collect()
}

/// Which cell styles format a number as a date (or a date-time).
fn date_styles(styles: &str) -> Vec<bool> {
    let formats: BTreeMap<String, String> = styles
        .split("<numFmt ")
        .skip(1)
        .map(|t| {
            let t = format!(" {t}");
            (
                attr(&t, "numFmtId").unwrap(),
                attr(&t, "formatCode").unwrap(),
            )
        })
        .collect();
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap();
    xfs.split("<xf ")
        .skip(1)
        .map(|t| {
            let id = attr(&format!(" {t}"), "numFmtId").unwrap();
            formats.get(&id).is_some_and(|f| f.contains("yyyy-mm-dd"))
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Number,
    Date,
    Bool,
    Text,
}

/// What a column of the data sheets holds, by its header (the CSV column names).
fn kind_of(header: &str) -> Kind {
    const NUMBERS: &[&str] = &[
        "task_sets",
        "exposed",
        "size",
        "records_read",
        "records_used",
        "ecs16_findings",
        "findings_for_task_set",
        "source_record",
        "exposure_days_in_period",
        "snapshots_seen",
        "time_to_remediate_days",
        "register_line",
        "accounts",
        "regions",
        "account_regions",
        "account_regions_added",
        "account_regions_dropped",
        "exposed_per_account_region",
        "NON_COMPLIANT",
        "RISK_ACCEPTED",
        "CONFLICT",
        "UNASSESSED_EXPOSED",
        "UNASSESSED",
        "COMPLIANT",
        "GONE",
    ];
    const DATES: &[&str] = &[
        "first_seen_exposed",
        "last_seen_exposed",
        "fixed_at",
        "expires",
        "export_date",
    ];
    if NUMBERS.contains(&header) {
        Kind::Number
    } else if DATES.contains(&header) || header.ends_with("_at") {
        Kind::Date
    } else if matches!(header, "copies_disagree" | "valid_pci_exception") {
        Kind::Bool
    } else {
        Kind::Text
    }
}

fn kind_of_cell(c: &XCell, dates: &[bool]) -> Kind {
    match c.kind.as_deref() {
        Some("s") | Some("inlineStr") | Some("str") => Kind::Text,
        Some("b") => Kind::Bool,
        None | Some("n") if dates.get(c.style).copied().unwrap_or(false) => Kind::Date,
        None | Some("n") => Kind::Number,
        Some(other) => panic!("cell type {other}"),
    }
}

const SHEETS: [&str; 13] = [
    "Summary",
    "Verdict",
    "Reconciliation",
    "Findings",
    "Task sets",
    "Exceptions",
    "By account",
    "By region",
    "By service",
    "History",
    "Exports",
    "Coverage gaps",
    "Inputs",
];

#[test]
fn every_sheet_has_typed_cells_print_setup_and_widths_that_fit() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let x = out.join("evidence.xlsx");
    let wb = xlsx_part(&x, "xl/workbook.xml");
    let names: Vec<&str> = wb
        .split("<sheet name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(names, SHEETS, "the Verdict sheet second, after the Summary");
    let shared: Vec<String> = xlsx_part(&x, "xl/sharedStrings.xml")
        .split("<si>")
        .skip(1)
        .map(texts)
        .collect();
    let dates = date_styles(&xlsx_part(&x, "xl/styles.xml"));
    let mut checked: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in SHEETS.iter().enumerate() {
        let sheet = xlsx_part(&x, &format!("xl/worksheets/sheet{}.xml", i + 1));
        // Print: landscape, one page wide and as long as it takes, the header row on every page, a footer.
        assert!(
            sheet.contains("orientation=\"landscape\""),
            "{name}: landscape"
        );
        assert!(
            sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{name}: fit to page"
        );
        assert!(
            sheet.contains("fitToHeight=\"0\""),
            "{name}: any number of pages long"
        );
        assert!(
            attr(&sheet, "fitToWidth").is_none_or(|w| w == "1"),
            "{name}: one page wide"
        );
        let titles = format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">");
        let range = wb
            .split(&titles)
            .nth(1)
            .unwrap_or_else(|| panic!("{name}: print titles"));
        assert!(
            range.split('<').next().unwrap().ends_with("!$1:$1"),
            "{name}: {range}"
        );
        assert!(
            sheet.contains("as of 2026-09-29T21:40:00Z&amp;R&amp;A, page &amp;P of &amp;N"),
            "{name}: footer"
        );
        // Widths: set for every column, none narrower than what it holds (up to the cap, then wrapped).
        // One `<col>` may cover several columns of the same width (`min`..=`max`, 1-based).
        let mut cols: Vec<f64> = Vec::new();
        for c in sheet.split("<col ").skip(1) {
            let c = format!(" {c}");
            let (min, max): (usize, usize) = (
                attr(&c, "min").unwrap().parse().unwrap(),
                attr(&c, "max").unwrap().parse().unwrap(),
            );
            cols.resize(max, 0.0);
            for w in &mut cols[min - 1..max] {
                *w = attr(&c, "width").unwrap().parse().unwrap();
            }
        }
        assert!(!cols.is_empty(), "{name}: column widths");
        let all = cells(&sheet, &shared);
        let header: BTreeMap<&str, &str> = all
            .iter()
            .filter(|c| c.row == 1)
            .map(|c| (c.col.as_str(), c.value.as_str()))
            .collect();
        for c in all.iter().filter(|c| c.kind.is_some() && c.row > 1) {
            let col = c
                .col
                .bytes()
                .fold(0usize, |n, b| n * 26 + (b - b'A' + 1) as usize)
                - 1;
            let want = c
                .value
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0)
                .min(60) as f64;
            assert!(
                cols[col] >= want,
                "{name} {}{}: width {} for {want}",
                c.col,
                c.row,
                cols[col]
            );
        }
        if *name == "Summary" {
            check_summary(&all, &dates);
            continue;
        }
        for c in all.iter().filter(|c| c.row > 1) {
            let h = header[c.col.as_str()];
            let want = kind_of(h);
            assert_eq!(
                kind_of_cell(c, &dates),
                want,
                "{name} {}{} ({h}): {:?}",
                c.col,
                c.row,
                c
            );
            *checked
                .entry(match want {
                    Kind::Number => "numbers",
                    Kind::Date => "dates",
                    Kind::Bool => "booleans",
                    Kind::Text => "texts",
                })
                .or_default() += 1;
        }
    }
    // Not a vacuous pass: every kind was met, many times.
    for (kind, at_least) in [
        ("numbers", 200),
        ("dates", 100),
        ("booleans", 17),
        ("texts", 500),
    ] {
        assert!(
            checked.get(kind).copied().unwrap_or(0) >= at_least,
            "{kind}: {checked:?}"
        );
    }
    let core = xlsx_part(&x, "docProps/core.xml");
    assert!(
        core.contains("2026-09-29T21:40:00Z"),
        "created from as_of: {core}"
    );
    let rec = xlsx_part(&x, "xl/worksheets/sheet2.xml");
    assert!(
        rec.contains("<pane ySplit=\"1\" topLeftCell=\"A2\""),
        "frozen header row"
    );
    assert!(rec.contains("<autoFilter ref=\"A1:"), "autofilter");
}

/// The Summary sheet: `item`/`value` lines whose counts are numbers and whose dates are dates, then the
/// outcome table with numeric counts.
fn check_summary(all: &[XCell], dates: &[bool]) {
    let value_of = |item: &str| {
        let row = all
            .iter()
            .find(|c| c.col == "A" && c.value == item)
            .unwrap_or_else(|| panic!("Summary lacks {item}"))
            .row;
        all.iter().find(|c| c.col == "B" && c.row == row).unwrap()
    };
    for (item, kind, value) in [
        ("Task sets in scope", Kind::Number, "17"),
        ("Exposed now", Kind::Number, "9"),
        ("Fixed in the period", Kind::Number, "0"),
        ("Not covered by inventory", Kind::Number, "4"),
        ("Oldest open exposure (days)", Kind::Number, "141"),
        // Excel's serial dates: 2026-09-29 21:40 UTC, 2026-07-01, 2026-05-11.
        ("As of (UTC)", Kind::Date, "46294.90277777778"),
        ("Period first day", Kind::Date, "46204"),
        ("Oldest open exposure since", Kind::Date, "46153"),
        ("Period", Kind::Text, "2026-Q3"),
    ] {
        let c = value_of(item);
        assert_eq!(
            (kind_of_cell(c, dates), c.value.as_str()),
            (kind, value),
            "{item}"
        );
    }
    let outcome_header = all.iter().find(|c| c.value == "task_sets").unwrap();
    let counts: Vec<&XCell> = all
        .iter()
        .filter(|c| c.col == outcome_header.col && c.row > outcome_header.row)
        .collect();
    assert_eq!(counts.len(), 7);
    assert!(counts
        .iter()
        .all(|c| kind_of_cell(c, dates) == Kind::Number));
}
