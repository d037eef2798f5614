//! The exceptions register: accepted risks as Security Hub records them (a SUPPRESSED finding with its note)
//! checked against the organisation's own register (`--exceptions FILE`).
//!
//! The register is a CSV with header `task_set_arn,justification,approver,ticket,expires`; an ARN ending in
//! `*` covers every task set whose ARN starts with the text before it. A suppressed finding with no entry is
//! `undocumented`; an entry whose `expires` is before `as_of` is `expired`; an entry that matches no task set is
//! `unused`. When several entries match, an exact ARN beats a prefix, a longer prefix beats a shorter one, and
//! an earlier line beats a later one.

use crate::reconcile::{Outcome, Row};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::path::Path;

/// The largest register read: a register is a hand-kept list, thousands of lines at most.
const REGISTER_LIMIT: u64 = 64 * 1024 * 1024;

/// A register that cannot be used: its path, the line when the problem has one, and what is wrong.
pub type RegisterError = crate::csv_lines::LineError<RegisterProblem>;

#[derive(Debug, thiserror::Error)]
pub enum RegisterProblem {
    #[error(transparent)]
    Table(#[from] crate::csv_lines::CsvLineError),
    #[error(transparent)]
    Unreadable(crate::safe_fs::FsError),
    #[error("task_set_arn is empty")]
    EmptyArn,
    #[error("expires: {0:?} is not a date like 2026-12-31")]
    NotADate(String),
    #[error("basis: {0:?} is not one of compensating-control, customized-approach, remediation-plan (or empty)")]
    UnknownBasis(String),
}

/// On what grounds PCI DSS accepts an exposure: the register's `basis` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Basis {
    /// A compensating control; `reference` is the compensating control worksheet (CCW) id.
    CompensatingControl,
    /// A customized approach; `reference` is the targeted risk analysis id.
    CustomizedApproach,
    /// A plan to remediate; `reference` is the ticket. The task set stays exposed for the verdict.
    RemediationPlan,
}

impl Basis {
    pub fn code(self) -> &'static str {
        match self {
            Basis::CompensatingControl => "compensating-control",
            Basis::CustomizedApproach => "customized-approach",
            Basis::RemediationPlan => "remediation-plan",
        }
    }

    fn parse(text: &str) -> Option<Basis> {
        [
            Basis::CompensatingControl,
            Basis::CustomizedApproach,
            Basis::RemediationPlan,
        ]
        .into_iter()
        .find(|b| b.code() == text)
    }
}

impl Serialize for Basis {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

pub const REGISTER_COLUMNS: [&str; 5] = [
    "task_set_arn",
    "justification",
    "approver",
    "ticket",
    "expires",
];

/// One line of the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisterEntry {
    pub line: u64,
    pub task_set_arn: String,
    pub justification: String,
    pub approver: String,
    pub ticket: String,
    pub expires: Option<NaiveDate>,
    /// `None` in a register of the old five-column form, or an empty cell.
    pub basis: Option<Basis>,
    /// The compensating control worksheet id, the targeted risk analysis id, or the ticket.
    pub reference: String,
}

impl RegisterEntry {
    /// Why the entry is not a valid PCI DSS exception at `as_of`, or `None` when it is one: a basis of
    /// compensating control or customized approach, a reference, an approver, and an `expires` after
    /// `as_of`.
    pub fn not_valid_because(&self, as_of: NaiveDate) -> Option<String> {
        let mut missing = Vec::new();
        match self.basis {
            None => missing.push("no basis".to_string()),
            Some(Basis::RemediationPlan) => {
                missing.push("a remediation plan leaves the task set exposed".to_string())
            }
            Some(_) => {}
        }
        if self.reference.is_empty() {
            missing.push("no reference".to_string());
        }
        if self.approver.is_empty() {
            missing.push("no approver".to_string());
        }
        match self.expires {
            None => missing.push("no expiry date".to_string()),
            Some(d) if d <= as_of => missing.push(format!("expires {d}, not after as_of")),
            Some(_) => {}
        }
        (!missing.is_empty()).then(|| missing.join(", "))
    }

    /// How well the entry matches an ARN: `None` when it does not; higher is better.
    fn specificity(&self, arn: &str) -> Option<usize> {
        match self.task_set_arn.strip_suffix('*') {
            Some(prefix) => arn.starts_with(prefix).then_some(prefix.len()),
            None => (self.task_set_arn == arn).then_some(usize::MAX),
        }
    }
}

/// Reads the register. Errors say `PATH:LINE: what is wrong`. The old five-column form still loads: its
/// entries have no basis, so none is a valid PCI DSS exception.
pub fn load(path: &Path) -> Result<Vec<RegisterEntry>, RegisterError> {
    let error = |line: Option<u64>, problem: RegisterProblem| RegisterError {
        path: path.display().to_string(),
        line,
        problem,
    };
    let bytes = crate::safe_fs::read_regular(path, REGISTER_LIMIT)
        .map_err(|e| error(None, RegisterProblem::Unreadable(e)))?;
    let rows = crate::csv_lines::records_with(&bytes, &REGISTER_COLUMNS, &["basis", "reference"])
        .map_err(|e| error(Some(e.line()), e.into()))?;
    let mut entries = Vec::new();
    for (line, fields) in rows {
        let [arn, justification, approver, ticket, expires, basis, reference] =
            <[String; 7]>::try_from(fields).expect("one field per column");
        if arn.is_empty() {
            return Err(error(Some(line), RegisterProblem::EmptyArn));
        }
        let expires = if expires.is_empty() {
            None
        } else {
            Some(
                parse_date(&expires)
                    .ok_or_else(|| error(Some(line), RegisterProblem::NotADate(expires)))?,
            )
        };
        let basis = if basis.is_empty() {
            None
        } else {
            Some(
                Basis::parse(&basis)
                    .ok_or_else(|| error(Some(line), RegisterProblem::UnknownBasis(basis)))?,
            )
        };
        entries.push(RegisterEntry {
            line,
            task_set_arn: arn,
            justification,
            approver,
            ticket,
            expires,
            basis,
            reference,
        });
    }
    Ok(entries)
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(d);
    }
    crate::time::parse_str(text).ok().map(|t| t.date_naive())
}

/// Where an exception stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionStatus {
    /// Suppressed in Security Hub and covered by a register entry that has not expired.
    Documented,
    /// Suppressed in Security Hub with no register entry.
    Undocumented,
    /// Covered by a register entry whose `expires` is before `as_of`.
    Expired,
    /// A register entry covers an exposed task set but Security Hub does not suppress its finding.
    NotSuppressed,
    /// A register entry that matches no task set.
    Unused,
}

impl ExceptionStatus {
    /// Every status, in the order the report lists them.
    pub const ALL: [ExceptionStatus; 5] = [
        ExceptionStatus::Documented,
        ExceptionStatus::Undocumented,
        ExceptionStatus::Expired,
        ExceptionStatus::NotSuppressed,
        ExceptionStatus::Unused,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExceptionStatus::Documented => "documented",
            ExceptionStatus::Undocumented => "undocumented",
            ExceptionStatus::Expired => "expired",
            ExceptionStatus::NotSuppressed => "not-suppressed",
            ExceptionStatus::Unused => "unused",
        }
    }

    /// The status's name in the report's table headers; the code stays in the data files.
    pub fn label(self) -> &'static str {
        match self {
            ExceptionStatus::Documented => "Documented",
            ExceptionStatus::Undocumented => "Undocumented",
            ExceptionStatus::Expired => "Expired",
            ExceptionStatus::NotSuppressed => "Not suppressed",
            ExceptionStatus::Unused => "Unused",
        }
    }
}

/// One line of `data/exceptions.csv`.
#[derive(Debug, Clone, Serialize)]
pub struct ExceptionRow {
    pub task_set_arn: String,
    pub account_id: String,
    pub account_name: String,
    pub outcome: String,
    pub status: ExceptionStatus,
    pub note_text: String,
    pub note_updated_by: String,
    pub note_updated_at: Option<DateTime<Utc>>,
    pub register_line: Option<u64>,
    pub register_task_set_arn: String,
    pub justification: String,
    pub approver: String,
    pub ticket: String,
    pub expires: Option<NaiveDate>,
    pub basis: Option<Basis>,
    pub reference: String,
    /// True when the entry is a valid PCI DSS exception at `as_of` (see
    /// [`RegisterEntry::not_valid_because`]); only then can it keep an exposure out of the verdict.
    pub valid_pci_exception: bool,
    /// Why it is not, in words (empty when it is, or when no entry covers the row).
    pub not_valid_because: String,
}

fn is_suppressed(r: &Row) -> bool {
    r.workflow_status == "SUPPRESSED" && r.outcome != Outcome::Gone
}

/// Checks every suppressed task set and every register entry. Rows come first (by ARN), then unused entries.
pub fn evaluate(
    rows: &[Row],
    register: &[RegisterEntry],
    as_of: &DateTime<Utc>,
) -> Vec<ExceptionRow> {
    let mut used = vec![false; register.len()];
    let mut out = Vec::new();
    let today = as_of.date_naive();
    for r in rows {
        let best = register
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                e.specificity(&r.task_set_arn)
                    .map(|s| (s, std::cmp::Reverse(e.line), i))
            })
            .max()
            .map(|(_, _, i)| i);
        let suppressed = is_suppressed(r);
        if let Some(i) = best {
            used[i] = true;
        }
        // A prefix entry also covers compliant or gone task sets of its service: nothing to say about those.
        if !suppressed && (best.is_none() || !r.outcome.is_exposed()) {
            continue;
        }
        let entry = best.map(|i| &register[i]);
        let status = match entry {
            Some(e) if e.expires.is_some_and(|d| d < as_of.date_naive()) => {
                ExceptionStatus::Expired
            }
            Some(_) if !suppressed => ExceptionStatus::NotSuppressed,
            Some(_) => ExceptionStatus::Documented,
            None => ExceptionStatus::Undocumented,
        };
        out.push(ExceptionRow {
            task_set_arn: r.task_set_arn.clone(),
            account_id: r.account_id.clone(),
            account_name: r.account_name.clone(),
            outcome: r.outcome.code().to_string(),
            status,
            note_text: r.note_text.clone(),
            note_updated_by: r.note_updated_by.clone(),
            note_updated_at: r.note_updated_at,
            register_line: entry.map(|e| e.line),
            register_task_set_arn: entry.map(|e| e.task_set_arn.clone()).unwrap_or_default(),
            justification: entry.map(|e| e.justification.clone()).unwrap_or_default(),
            approver: entry.map(|e| e.approver.clone()).unwrap_or_default(),
            ticket: entry.map(|e| e.ticket.clone()).unwrap_or_default(),
            expires: entry.and_then(|e| e.expires),
            basis: entry.and_then(|e| e.basis),
            reference: entry.map(|e| e.reference.clone()).unwrap_or_default(),
            valid_pci_exception: entry.is_some_and(|e| e.not_valid_because(today).is_none()),
            not_valid_because: match entry {
                Some(e) => e.not_valid_because(today).unwrap_or_default(),
                None => "no register entry".to_string(),
            },
        });
    }
    for (e, _) in register.iter().zip(&used).filter(|(_, u)| !**u) {
        out.push(ExceptionRow {
            task_set_arn: String::new(),
            account_id: String::new(),
            account_name: String::new(),
            outcome: String::new(),
            status: ExceptionStatus::Unused,
            note_text: String::new(),
            note_updated_by: String::new(),
            note_updated_at: None,
            register_line: Some(e.line),
            register_task_set_arn: e.task_set_arn.clone(),
            justification: e.justification.clone(),
            approver: e.approver.clone(),
            ticket: e.ticket.clone(),
            expires: e.expires,
            basis: e.basis,
            reference: e.reference.clone(),
            valid_pci_exception: false,
            not_valid_because: "matches no task set".to_string(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(line: u64, arn: &str, expires: Option<&str>) -> RegisterEntry {
        RegisterEntry {
            line,
            task_set_arn: arn.into(),
            justification: "j".into(),
            approver: "a".into(),
            ticket: "t".into(),
            expires: expires.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
            basis: None,
            reference: String::new(),
        }
    }

    #[test]
    fn exact_beats_prefix_and_longer_prefix_beats_shorter() {
        let arn = "arn:aws:ecs:eu-west-1:1:task-set/c/s/ecs-svc/1";
        let short = entry(2, "arn:aws:ecs:eu-west-1:1:*", None);
        let long = entry(3, "arn:aws:ecs:eu-west-1:1:task-set/c/*", None);
        let exact = entry(4, arn, None);
        assert!(short.specificity(arn) < long.specificity(arn));
        assert!(long.specificity(arn) < exact.specificity(arn));
        assert_eq!(
            entry(5, "arn:aws:ecs:us-east-1:*", None).specificity(arn),
            None
        );
    }

    #[test]
    fn line_numbers_are_right_in_a_register_saved_by_excel() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("r.csv");
        for newline in ["\n", "\r\n"] {
            let text = [
                "task_set_arn,justification,approver,ticket,expires",
                "arn:a,j,a,t,2026-12-31",
                "arn:b,j,a,t,soon",
                "",
            ]
            .join(newline);
            std::fs::write(&p, text).unwrap();
            let e = load(&p).unwrap_err().to_string();
            assert!(e.contains("r.csv:3: expires"), "{newline:?}: {e}");
        }
    }

    #[test]
    fn loading_checks_header_and_dates() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("register.csv");
        std::fs::write(&p, "task_set_arn,justification,approver,ticket,expires\narn:x*,why,ciso,RISK-1,2026-12-31\n").unwrap();
        let e = load(&p).unwrap();
        assert_eq!(
            (e[0].line, e[0].expires.unwrap().to_string()),
            (2, "2026-12-31".to_string())
        );
        std::fs::write(&p, "task_set_arn,justification\narn:x,why\n").unwrap();
        assert!(load(&p)
            .unwrap_err()
            .to_string()
            .contains(":1: the header must name the columns"));
        std::fs::write(
            &p,
            "task_set_arn,justification,approver,ticket,expires\narn:x,why,ciso,RISK-1,soon\n",
        )
        .unwrap();
        assert!(load(&p)
            .unwrap_err()
            .to_string()
            .ends_with(":2: expires: \"soon\" is not a date like 2026-12-31"));
    }
}
