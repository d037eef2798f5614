//! `--baseline PACK`: what changed since a previous quarter's pack.
//!
//! The baseline must pass `verify` first (a pack that does not match its manifest is not evidence of
//! anything; the plan checks that before anything is read). [`load`] then reads its
//! `data/reconciliation.csv` and `data/exceptions.csv`, and [`compare`] says which exposed task sets are new,
//! which were fixed, which are still open, and which exceptions are new or have expired since.

use crate::analysis::exceptions::{ExceptionRow, ExceptionStatus};
// Our own CSV files carry the formula guard; the baseline's values are read back without it.
use crate::escape::unguard_spreadsheet_cell as unguard;
use crate::reconcile::{Outcome, Row};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The kinds of change, in the order the report and `summary.json` list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Exposed now, not in the baseline.
    New,
    /// Exposed in the baseline, not now.
    Fixed,
    StillOpen,
    ExceptionNew,
    ExceptionExpired,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::New,
        ChangeKind::Fixed,
        ChangeKind::StillOpen,
        ChangeKind::ExceptionNew,
        ChangeKind::ExceptionExpired,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::New => "new",
            ChangeKind::Fixed => "fixed",
            ChangeKind::StillOpen => "still_open",
            ChangeKind::ExceptionNew => "exception_new",
            ChangeKind::ExceptionExpired => "exception_expired",
        }
    }

    /// The kind's name in the report's table headers; the code stays in the data files.
    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::New => "New",
            ChangeKind::Fixed => "Fixed",
            ChangeKind::StillOpen => "Still open",
            ChangeKind::ExceptionNew => "New exception",
            ChangeKind::ExceptionExpired => "Expired exception",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub task_set_arn: String,
    pub change: ChangeKind,
    /// The baseline's outcome or exception status, `absent` when the baseline does not have the task set.
    pub baseline: String,
    pub current: String,
}

/// A previous pack, read: what it said of each task set and each exception.
#[derive(Debug, Clone)]
pub struct PreviousPack {
    pub path: String,
    pub as_of: String,
    pub period: String,
    pub manifest_sha256: String,
    /// Outcome code per task set ARN.
    pub outcomes: BTreeMap<String, String>,
    /// Exception status per task set ARN.
    pub exceptions: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    pub path: String,
    pub as_of: String,
    pub period: String,
    pub manifest_sha256: String,
    pub changes: Vec<Change>,
}

/// Why a baseline pack cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: {cause}")]
    Unreadable {
        path: String,
        cause: crate::safe_fs::FsError,
    },
    #[error("{path}: {cause}")]
    Csv { path: String, cause: csv::Error },
    #[error("{path}:{line}:{column}: not an ecs16-evidence manifest: {message}")]
    Manifest {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{path}: has no `{column}` column, so it is not a file this tool wrote; give a pack written by \
         ecs16-evidence as --baseline"
    )]
    MissingColumn { path: String, column: &'static str },
}

/// The values of two columns of a CSV file of a pack, row by row (the formula guard undone).
fn two_columns(
    path: &Path,
    key: &'static str,
    value: &'static str,
) -> Result<Vec<(String, String)>, BaselineError> {
    let shown = || path.display().to_string();
    let csv_error = |cause| BaselineError::Csv {
        path: shown(),
        cause,
    };
    let file = crate::safe_fs::open_regular(path).map_err(|cause| BaselineError::Unreadable {
        path: shown(),
        cause,
    })?;
    let mut r = csv::Reader::from_reader(file);
    let headers = r.headers().map_err(csv_error)?.clone();
    let index = |column: &'static str| {
        headers
            .iter()
            .position(|h| h == column)
            .ok_or(BaselineError::MissingColumn {
                path: shown(),
                column,
            })
    };
    let (k, v) = (index(key)?, index(value)?);
    let mut out = Vec::new();
    for record in r.records() {
        let record = record.map_err(csv_error)?;
        let cell = |i: usize| unguard(record.get(i).unwrap_or_default()).to_string();
        out.push((cell(k), cell(v)));
    }
    Ok(out)
}

/// A file of the pack, when no symlink leads to it.
fn inside(pack: &Path, relative: &str) -> Result<std::path::PathBuf, BaselineError> {
    crate::safe_fs::inside(pack, relative).map_err(|cause| BaselineError::Unreadable {
        path: pack.join(relative).display().to_string(),
        cause,
    })
}

/// Reads a previous pack that passed `verify`.
pub fn load(pack: &Path) -> Result<PreviousPack, BaselineError> {
    let manifest_path = pack.join("manifest.json");
    // The pack passed `verify` just before: its files are regular files inside it, of known size.
    let manifest_bytes =
        crate::safe_fs::read_regular(&manifest_path, 512 * 1024 * 1024).map_err(|cause| {
            BaselineError::Unreadable {
                path: manifest_path.display().to_string(),
                cause,
            }
        })?;
    let manifest: serde_json::Value =
        serde_json::from_slice(&manifest_bytes).map_err(|e| BaselineError::Manifest {
            path: manifest_path.display().to_string(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
    let outcomes = two_columns(
        &inside(pack, "data/reconciliation.csv")?,
        "task_set_arn",
        "outcome",
    )?
    .into_iter()
    .collect();
    // Packs without an exceptions table (none was written) have no exceptions to compare.
    let exceptions_path = inside(pack, "data/exceptions.csv")?;
    let exceptions = if exceptions_path.is_file() {
        two_columns(&exceptions_path, "task_set_arn", "status")?
            .into_iter()
            .filter(|(arn, _)| !arn.is_empty())
            .collect()
    } else {
        BTreeMap::new()
    };
    let text = |pointer: &str| {
        manifest
            .pointer(pointer)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    Ok(PreviousPack {
        path: pack.display().to_string(),
        as_of: text("/as_of"),
        period: text("/period/label"),
        manifest_sha256: crate::digest::sha256_hex(&manifest_bytes),
        outcomes,
        exceptions,
    })
}

fn exposed(code: &str) -> bool {
    Outcome::parse(code).is_some_and(|o| o.is_exposed())
}

impl Baseline {
    /// How many changes of each kind, every kind listed (zero included).
    pub fn change_counts(&self) -> impl Iterator<Item = (ChangeKind, u64)> + '_ {
        ChangeKind::ALL.into_iter().map(|kind| {
            let n = self.changes.iter().filter(|c| c.change == kind).count();
            (kind, n as u64)
        })
    }
}

fn or_absent(text: &str) -> String {
    if text.is_empty() {
        "absent".to_string()
    } else {
        text.to_string()
    }
}

/// Lists the changes since a previous pack.
pub fn compare(before: &PreviousPack, rows: &[Row], exceptions: &[ExceptionRow]) -> Baseline {
    let now: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r.task_set_arn.as_str(), r.outcome.code()))
        .collect();
    let arns: BTreeSet<&str> = before
        .outcomes
        .keys()
        .map(String::as_str)
        .chain(now.keys().copied())
        .collect();
    let mut changes = Vec::new();
    for arn in arns {
        let b = before.outcomes.get(arn).map(String::as_str).unwrap_or("");
        let c = now.get(arn).copied().unwrap_or("");
        let change = match (exposed(b), exposed(c)) {
            (false, true) => ChangeKind::New,
            (true, false) => ChangeKind::Fixed,
            (true, true) => ChangeKind::StillOpen,
            (false, false) => continue,
        };
        changes.push(Change {
            task_set_arn: arn.to_string(),
            change,
            baseline: or_absent(b),
            current: or_absent(c),
        });
    }
    for e in exceptions.iter().filter(|e| !e.task_set_arn.is_empty()) {
        let was = before.exceptions.get(&e.task_set_arn);
        let change = match (was.map(String::as_str), e.status) {
            (None, _) => ChangeKind::ExceptionNew,
            (Some(w), ExceptionStatus::Expired) if w != "expired" => ChangeKind::ExceptionExpired,
            _ => continue,
        };
        changes.push(Change {
            task_set_arn: e.task_set_arn.clone(),
            change,
            baseline: was.cloned().unwrap_or_else(|| "absent".into()),
            current: e.status.code().to_string(),
        });
    }
    Baseline {
        path: before.path.clone(),
        as_of: before.as_of.clone(),
        period: before.period.clone(),
        manifest_sha256: before.manifest_sha256.clone(),
        changes,
    }
}
