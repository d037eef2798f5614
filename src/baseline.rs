//! `--baseline PACK`: what changed since a previous quarter's pack.
//!
//! The baseline is verified against its own manifest first (a pack that fails `verify` is not evidence of
//! anything), then its `data/reconciliation.csv` and `data/exceptions.csv` are compared with this run:
//! which exposed task sets are new, which were fixed, which are still open, and which exceptions are new or
//! have expired since.

use crate::exceptions::{ExceptionRow, ExceptionStatus};
use crate::reconcile::{Outcome, Row};
// Our own CSV files carry the formula guard; the baseline's values are read back without it.
use crate::render::escape::unguard_spreadsheet_cell as unguard;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub task_set_arn: String,
    /// `new`, `fixed`, `still_open`, `exception_new` or `exception_expired`.
    pub change: String,
    pub baseline: String,
    pub current: String,
}

/// Every kind of change, in the order the report and `summary.json` list them.
pub const CHANGE_KINDS: [&str; 5] = [
    "new",
    "fixed",
    "still_open",
    "exception_new",
    "exception_expired",
];

#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    pub path: String,
    pub as_of: String,
    pub period: String,
    pub manifest_sha256: String,
    pub changes: Vec<Change>,
}

fn csv_rows(path: &Path) -> Result<Vec<BTreeMap<String, String>>, String> {
    let mut r = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = r
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    r.records()
        .map(|rec| {
            let rec = rec.map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect())
        })
        .collect()
}

fn exposed(code: &str) -> bool {
    Outcome::parse(code).is_some_and(|o| o.is_exposed())
}

impl Baseline {
    /// How many changes of each kind, every kind listed (zero included).
    pub fn change_counts(&self) -> impl Iterator<Item = (&'static str, u64)> + '_ {
        CHANGE_KINDS.into_iter().map(|kind| {
            let n = self.changes.iter().filter(|c| c.change == kind).count();
            (kind, n as u64)
        })
    }
}

/// Loads and checks a baseline pack, and lists the changes since it.
pub fn compare(pack: &Path, rows: &[Row], exceptions: &[ExceptionRow]) -> Result<Baseline, String> {
    let v = crate::manifest::verify(pack)?;
    if !v.ok() {
        return Err(format!(
            "{}: the baseline pack does not match its manifest ({}); it cannot be used as a baseline",
            pack.display(),
            v.lines().join("; ")
        ));
    }
    let manifest_path = pack.join(crate::manifest::FILE_NAME);
    let manifest_bytes =
        std::fs::read(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let manifest: serde_json::Value = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let before: BTreeMap<String, String> = csv_rows(&pack.join("data/reconciliation.csv"))?
        .into_iter()
        .map(|r| {
            (
                unguard(&r["task_set_arn"]).to_string(),
                r.get("outcome").cloned().unwrap_or_default(),
            )
        })
        .collect();
    let before_exceptions: BTreeMap<String, String> =
        match csv_rows(&pack.join("data/exceptions.csv")) {
            Ok(rows) => rows
                .into_iter()
                .filter(|r| !r["task_set_arn"].is_empty())
                .map(|r| {
                    (
                        unguard(&r["task_set_arn"]).to_string(),
                        r.get("status").cloned().unwrap_or_default(),
                    )
                })
                .collect(),
            Err(_) => BTreeMap::new(),
        };
    let now: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r.task_set_arn.as_str(), r.outcome.code()))
        .collect();
    let arns: BTreeSet<&str> = before
        .keys()
        .map(String::as_str)
        .chain(now.keys().copied())
        .collect();
    let mut changes = Vec::new();
    for arn in arns {
        let b = before.get(arn).map(String::as_str).unwrap_or("");
        let c = now.get(arn).copied().unwrap_or("");
        let change = match (exposed(b), exposed(c)) {
            (false, true) => "new",
            (true, false) => "fixed",
            (true, true) => "still_open",
            (false, false) => continue,
        };
        changes.push(Change {
            task_set_arn: arn.to_string(),
            change: change.to_string(),
            baseline: if b.is_empty() {
                "absent".into()
            } else {
                b.to_string()
            },
            current: if c.is_empty() {
                "absent".into()
            } else {
                c.to_string()
            },
        });
    }
    for e in exceptions.iter().filter(|e| !e.task_set_arn.is_empty()) {
        let was = before_exceptions.get(&e.task_set_arn);
        let change = match (was.map(String::as_str), e.status) {
            (None, _) => "exception_new",
            (Some(w), ExceptionStatus::Expired) if w != "expired" => "exception_expired",
            _ => continue,
        };
        changes.push(Change {
            task_set_arn: e.task_set_arn.clone(),
            change: change.to_string(),
            baseline: was.cloned().unwrap_or_else(|| "absent".into()),
            current: e.status.code().to_string(),
        });
    }
    Ok(Baseline {
        path: pack.display().to_string(),
        as_of: manifest["as_of"].as_str().unwrap_or_default().to_string(),
        period: manifest["period"]["label"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        manifest_sha256: crate::manifest::sha256_hex(&manifest_bytes),
        changes,
    })
}
