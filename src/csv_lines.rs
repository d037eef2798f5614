//! The hand-kept CSV files a user gives (the exceptions register, the scope file): records with their line
//! numbers, fields picked by header name, as a spreadsheet saves them.
//!
//! Line numbers are counted from the bytes: the csv crate counts a CRLF-terminated record (a file saved by
//! Excel) one line short. A byte-order mark before the header is dropped; fields are trimmed; a blank line
//! is no record.

/// A hand-kept file that cannot be used: its path, the line when the problem has one, and what is wrong
/// (`PATH:LINE: what is wrong`).
#[derive(Debug, thiserror::Error)]
#[error("{path}:{}", match .line { Some(l) => format!("{l}: {problem}"), None => format!(" {problem}") })]
pub struct LineError<P: std::fmt::Display> {
    pub path: String,
    pub line: Option<u64>,
    pub problem: P,
}

/// Why the records cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum CsvLineError {
    #[error("{error}")]
    Csv { line: u64, error: csv::Error },
    #[error("the header must name the columns {}; `{column}` is missing", .columns.join(","))]
    MissingColumn {
        columns: &'static [&'static str],
        column: &'static str,
    },
}

impl CsvLineError {
    /// The line the problem is on (the header's, for a missing column).
    pub fn line(&self) -> u64 {
        match self {
            CsvLineError::Csv { line, .. } => *line,
            CsvLineError::MissingColumn { .. } => 1,
        }
    }
}

/// Each record as `(line, fields)`: first the `required` columns in their order, then the `optional` ones
/// (empty when the header does not name them).
pub fn records_with(
    bytes: &[u8],
    required: &'static [&'static str],
    optional: &[&'static str],
) -> Result<Vec<(u64, Vec<String>)>, CsvLineError> {
    let line_at = |pos: Option<&csv::Position>| {
        let mut end = pos.map_or(0, |p| p.byte() as usize).min(bytes.len());
        // A record may be said to start on the line end before it (the `\n` of a CRLF).
        while matches!(bytes.get(end), Some(b'\r' | b'\n')) {
            end += 1;
        }
        1 + bytes[..end].iter().filter(|b| **b == b'\n').count() as u64
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|error| CsvLineError::Csv { line: 1, error })?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let position = |name: &str| header.iter().position(|h| h == name);
    let mut columns: Vec<Option<usize>> = Vec::new();
    for column in required {
        columns.push(Some(position(column).ok_or(
            CsvLineError::MissingColumn {
                columns: required,
                column,
            },
        )?));
    }
    columns.extend(optional.iter().map(|c| position(c)));
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| CsvLineError::Csv {
            line: line_at(error.position()),
            error,
        })?;
        let line = line_at(record.position());
        let fields = columns
            .iter()
            .map(|c| {
                c.and_then(|i| record.get(i))
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        out.push((line, fields));
    }
    Ok(out)
}

/// Each record as `(line, fields)`, the fields of `columns` in their order, every column required.
pub fn records(
    bytes: &[u8],
    columns: &'static [&'static str],
) -> Result<Vec<(u64, Vec<String>)>, CsvLineError> {
    records_with(bytes, columns, &[])
}
