//! History across exports: a quarter, not a snapshot.
//!
//! Teams export monthly (Security Hub keeps findings for 90 days), so one run may hold several exports. Each
//! finding copy is dated by the export it came from (`Finding::exported_at`); copies are grouped by that
//! date into snapshots, and each task set gets a timeline: first and last snapshot where it was exposed
//! (an active FAILED finding), when it was fixed (the first later snapshot where it is PASSED or its finding
//! is archived, or the current reconciliation says GONE), and how many days of the period it was exposed.

use crate::model::{ComplianceStatus, Finding};
use crate::period::Period;
use crate::reconcile::{decide, Outcome, Row};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What one snapshot says of one task set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Exposed,
    Fixed,
    Archived,
    Unknown,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub task_set_arn: String,
    pub account_id: String,
    pub first_seen_exposed: Option<NaiveDate>,
    pub last_seen_exposed: Option<NaiveDate>,
    pub fixed_at: Option<NaiveDate>,
    pub exposure_days_in_period: i64,
    pub snapshots_seen: usize,
    /// The current reconciliation says the task set no longer exists.
    pub gone: bool,
    /// Days from first seen exposed to fixed, for fixed task sets.
    pub time_to_remediate_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemediationTime {
    pub account_id: String,
    pub account_name: String,
    pub fixed: u64,
    pub median_days: Option<f64>,
    pub max_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// Export dates, oldest first.
    pub snapshots: Vec<NaiveDate>,
    /// Exposed task sets per export date.
    pub exposed_per_snapshot: Vec<(NaiveDate, u64)>,
    pub timelines: Vec<Timeline>,
    /// Task sets exposed at any time in the period, whatever their state at the end.
    pub exposed_during_period: u64,
    pub time_to_remediate: Vec<RemediationTime>,
}

fn state_of(copies: &[&Finding]) -> State {
    let active: Vec<&Finding> = copies.iter().copied().filter(|f| f.is_active()).collect();
    match decide(&active).map(|f| &f.compliance_status) {
        Some(ComplianceStatus::Failed) => State::Exposed,
        Some(ComplianceStatus::Passed) => State::Fixed,
        Some(_) => State::Unknown,
        None if !copies.is_empty() => State::Archived,
        None => State::Unknown,
    }
}

fn median(mut v: Vec<i64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    })
}

/// Builds every timeline from all finding copies (before deduplication) and the current reconciliation.
pub fn build(all: &[Finding], rows: &[Row], period: &Period, as_of: &DateTime<Utc>) -> History {
    // task set → snapshot date → copies seen in that snapshot
    let mut seen: BTreeMap<&str, BTreeMap<NaiveDate, Vec<&Finding>>> = BTreeMap::new();
    let mut snapshots = BTreeSet::new();
    for f in all {
        let Some(t) = f.exported_at.or(f.updated_at) else {
            continue;
        };
        let day = t.date_naive();
        snapshots.insert(day);
        seen.entry(&f.task_set_arn)
            .or_default()
            .entry(day)
            .or_default()
            .push(f);
    }
    let outcome: BTreeMap<&str, Outcome> = rows
        .iter()
        .map(|r| (r.task_set_arn.as_str(), r.outcome))
        .collect();
    let names: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r.account_id.as_str(), r.account_name.as_str()))
        .collect();
    let as_of_day = as_of.date_naive();
    let (p_start, p_end) = (
        period.first_day,
        period.last_day.succ_opt().unwrap_or(period.last_day),
    );

    let mut exposed_per: BTreeMap<NaiveDate, u64> = snapshots.iter().map(|d| (*d, 0)).collect();
    let mut timelines = Vec::new();
    for (arn, by_day) in &seen {
        let states: Vec<(NaiveDate, State)> =
            by_day.iter().map(|(d, c)| (*d, state_of(c))).collect();
        for (d, s) in &states {
            if *s == State::Exposed {
                *exposed_per.entry(*d).or_default() += 1;
            }
        }
        let first = states
            .iter()
            .find(|(_, s)| *s == State::Exposed)
            .map(|(d, _)| *d);
        let last = states
            .iter()
            .rev()
            .find(|(_, s)| *s == State::Exposed)
            .map(|(d, _)| *d);
        let mut fixed_at = last.and_then(|l| {
            states
                .iter()
                .find(|(d, s)| *d > l && matches!(s, State::Fixed | State::Archived))
                .map(|(d, _)| *d)
        });
        let current = outcome.get(arn).copied();
        if fixed_at.is_none() && last.is_some() && current == Some(Outcome::Gone) {
            // The inventory says it is gone now; the last snapshot after its exposure dates the fix.
            fixed_at = states
                .iter()
                .find(|(d, _)| Some(*d) > last)
                .map(|(d, _)| *d);
        }
        // Exposure began when Security Hub first observed the failure, if that is earlier than the snapshot.
        let observed_start = by_day
            .values()
            .flatten()
            .filter(|f| f.compliance_status == ComplianceStatus::Failed)
            .filter_map(|f| f.first_observed_at.map(|t| t.date_naive()))
            .min();
        let start = match (first, observed_start) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, _) => a,
        };
        let still_exposed = current.is_some_and(|o| o.is_exposed()) && fixed_at.is_none();
        let gone = current == Some(Outcome::Gone);
        let end = match (fixed_at, start) {
            (Some(f), _) => Some(f),
            // Gone at an unknown moment: exposure is counted up to the last export that saw it exposed.
            (None, Some(_)) if gone => last.and_then(|l| l.succ_opt()),
            (None, Some(_)) if still_exposed || last.is_some() => {
                Some(as_of_day.succ_opt().unwrap_or(as_of_day))
            }
            _ => None,
        };
        let days = match (start, end) {
            (Some(s), Some(e)) => (e.min(p_end) - s.max(p_start)).num_days().max(0),
            _ => 0,
        };
        let account_id = arn.split(':').nth(4).unwrap_or_default().to_string();
        timelines.push(Timeline {
            task_set_arn: arn.to_string(),
            account_id,
            first_seen_exposed: first,
            last_seen_exposed: last,
            fixed_at,
            exposure_days_in_period: days,
            snapshots_seen: by_day.len(),
            gone,
            time_to_remediate_days: match (start, fixed_at) {
                (Some(s), Some(f)) => Some((f - s).num_days()),
                _ => None,
            },
        });
    }
    let with_history: BTreeSet<&str> = timelines
        .iter()
        .filter(|t| t.exposure_days_in_period > 0)
        .map(|t| t.task_set_arn.as_str())
        .collect();
    // Task sets exposed now (with or without a finding) count too when the period holds as_of.
    let now_in_period = period.place(as_of) == crate::period::Placement::Inside;
    let exposed_now: BTreeSet<&str> = rows
        .iter()
        .filter(|r| now_in_period && r.outcome.is_exposed())
        .map(|r| r.task_set_arn.as_str())
        .collect();
    let exposed_during_period = with_history.union(&exposed_now).count() as u64;

    let mut per_account: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for t in &timelines {
        let e = per_account.entry(&t.account_id).or_default();
        if let Some(d) = t.time_to_remediate_days {
            e.push(d);
        }
    }
    let time_to_remediate = per_account
        .into_iter()
        .map(|(account, days)| RemediationTime {
            account_id: account.to_string(),
            account_name: names
                .get(account)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            fixed: days.len() as u64,
            max_days: days.iter().copied().max(),
            median_days: median(days),
        })
        .collect();
    History {
        snapshots: snapshots.into_iter().collect(),
        exposed_per_snapshot: exposed_per.into_iter().collect(),
        timelines,
        exposed_during_period,
        time_to_remediate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2.5));
    }
}
