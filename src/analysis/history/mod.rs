//! History across exports: a quarter, not a snapshot.
//!
//! Teams export monthly (Security Hub keeps findings for 90 days), so one run may hold several exports. Each
//! finding copy is dated by the export it came from (`Finding::exported_at`); copies are grouped by that
//! date into snapshots, and each task set gets a timeline: first and last snapshot where it was exposed
//! (an active FAILED finding), when it was fixed (the first later snapshot where it is PASSED or its finding
//! is archived, or the current reconciliation says GONE), and how many days of the period it was exposed.
//!
//! What each export covered (`coverage`) is recorded beside the timelines, so a report can show exposure
//! per covered account-region: an export of fewer accounts is a coverage change, never a fix.

mod config;

pub use super::coverage::ExportCoverage;
use super::coverage::{coverage, export_day};
use crate::model::{ComplianceStatus, ConfigPoint, Finding};
use crate::period::Period;
use crate::reconcile::{deciding_finding, InventoryState, Outcome, Row};
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
    /// When exposure began: the first export that saw it exposed, or Security Hub's first observation of the
    /// failure when that is earlier.
    pub exposed_since: Option<NaiveDate>,
    /// The current reconciliation says the task set no longer exists.
    pub gone: bool,
    /// Days from first seen exposed to fixed, for fixed task sets.
    pub time_to_remediate_days: Option<i64>,
    /// Where the timeline comes from: AWS Config's captures (exact) or the export dates (bracketed).
    pub source: TimelineSource,
}

/// The evidence a timeline rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimelineSource {
    /// Each change of `AssignPublicIp` with its AWS Config capture time.
    Config,
    /// The dates of the findings exports that saw it.
    Exports,
}

impl TimelineSource {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineSource::Config => "config",
            TimelineSource::Exports => "exports",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RemediationTime {
    pub account_id: String,
    pub account_name: String,
    pub fixed: u64,
    pub median_days: Option<f64>,
    pub max_days: Option<i64>,
}

/// The task set exposed now whose exposure began earliest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenExposure {
    pub task_set_arn: String,
    pub since: NaiveDate,
    /// Whole days from `since` to `as_of`.
    pub days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// Export dates, oldest first.
    pub snapshots: Vec<NaiveDate>,
    /// Per export date (oldest first): what it covered and how many task sets it saw exposed.
    pub exports: Vec<ExportCoverage>,
    pub timelines: Vec<Timeline>,
    /// Task sets exposed at any time in the period, whatever their state at the end.
    pub exposed_during_period: u64,
    /// Task sets whose fix is dated inside the period.
    pub fixed_during_period: u64,
    /// The oldest exposure still open at `as_of`, when any task set is exposed and its start is known.
    pub oldest_open_exposure: Option<OpenExposure>,
    pub time_to_remediate: Vec<RemediationTime>,
}

fn state_of(copies: &[&Finding]) -> State {
    let active: Vec<&Finding> = copies.iter().copied().filter(|f| f.is_active()).collect();
    match deciding_finding(&active).map(|f| &f.compliance_status) {
        Some(ComplianceStatus::Failed) => State::Exposed,
        Some(ComplianceStatus::Passed) => State::Fixed,
        Some(_) => State::Unknown,
        None if !copies.is_empty() => State::Archived,
        None => State::Unknown,
    }
}

fn median(mut v: Vec<i64>) -> Option<f64> {
    v.sort_unstable();
    let n = v.len();
    let upper = *v.get(n / 2)?;
    Some(if n % 2 == 1 {
        upper as f64
    } else {
        let lower = *v.get(n / 2 - 1)?;
        (lower + upper) as f64 / 2.0
    })
}

/// Copies of findings by task set, then by the day of the export they came from.
type Seen<'a> = BTreeMap<&'a str, BTreeMap<NaiveDate, Vec<&'a Finding>>>;

/// Groups every copy by task set and export day; also returns every export day.
fn by_snapshot(all: &[Finding]) -> (BTreeSet<NaiveDate>, Seen<'_>) {
    let mut seen: Seen<'_> = BTreeMap::new();
    let mut snapshots = BTreeSet::new();
    for f in all {
        let Some(day) = export_day(f) else {
            continue;
        };
        snapshots.insert(day);
        seen.entry(&f.task_set_arn)
            .or_default()
            .entry(day)
            .or_default()
            .push(f);
    }
    (snapshots, seen)
}

/// The days a timeline is measured against: the period (end exclusive) and `as_of`.
struct Bounds {
    period_start: NaiveDate,
    period_end: NaiveDate,
    as_of_day: NaiveDate,
}

/// One task set's timeline from what each export said of it and its current outcome.
fn timeline(
    arn: &str,
    by_day: &BTreeMap<NaiveDate, Vec<&Finding>>,
    states: &[(NaiveDate, State)],
    current: Option<Outcome>,
    b: &Bounds,
) -> Timeline {
    let exposed_days = || states.iter().filter(|(_, s)| *s == State::Exposed);
    let first = exposed_days().next().map(|(d, _)| *d);
    let last = exposed_days().next_back().map(|(d, _)| *d);
    let gone = current == Some(Outcome::Gone);
    let fixed_at = last.and_then(|l| {
        let fixed_later = states
            .iter()
            .find(|(d, s)| *d > l && matches!(s, State::Fixed | State::Archived));
        // The inventory says it is gone now: the first export after its exposure dates the fix.
        let gone_later = || states.iter().find(|(d, _)| *d > l).filter(|_| gone);
        fixed_later.or_else(gone_later).map(|(d, _)| *d)
    });
    // Exposure began when Security Hub first observed the failure, if that is earlier than the export.
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
    let end = match (fixed_at, start) {
        (Some(f), _) => Some(f),
        // Gone at an unknown moment: exposure is counted up to the last export that saw it exposed.
        (None, Some(_)) if gone => last.and_then(|l| l.succ_opt()),
        (None, Some(_)) if still_exposed || last.is_some() => {
            Some(b.as_of_day.succ_opt().unwrap_or(b.as_of_day))
        }
        _ => None,
    };
    let days = match (start, end) {
        (Some(s), Some(e)) => (e.min(b.period_end) - s.max(b.period_start))
            .num_days()
            .max(0),
        _ => 0,
    };
    Timeline {
        task_set_arn: arn.to_string(),
        account_id: arn.split(':').nth(4).unwrap_or_default().to_string(),
        first_seen_exposed: first,
        last_seen_exposed: last,
        fixed_at,
        exposure_days_in_period: days,
        snapshots_seen: by_day.len(),
        exposed_since: start,
        gone,
        time_to_remediate_days: match (start, fixed_at) {
            (Some(s), Some(f)) => Some((f - s).num_days()),
            _ => None,
        },
        source: TimelineSource::Exports,
    }
}

/// Task sets exposed at any time in the period: a timeline with exposure days in it, or exposed now when
/// the period holds `as_of` (with or without a finding).
fn exposed_during(
    timelines: &[Timeline],
    rows: &[Row],
    period: &Period,
    as_of: &DateTime<Utc>,
) -> u64 {
    let mut exposed: BTreeSet<&str> = timelines
        .iter()
        .filter(|t| t.exposure_days_in_period > 0)
        .map(|t| t.task_set_arn.as_str())
        .collect();
    if period.place(as_of) == crate::period::Placement::Inside {
        exposed.extend(
            rows.iter()
                .filter(|r| r.outcome.is_exposed())
                .map(|r| r.task_set_arn.as_str()),
        );
    }
    exposed.len() as u64
}

/// Time to remediate per account, over the task sets fixed.
fn remediation_times(timelines: &[Timeline], rows: &[Row]) -> Vec<RemediationTime> {
    let names: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r.account_id.as_str(), r.account_name.as_str()))
        .collect();
    let mut per_account: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    for t in timelines {
        let days = per_account.entry(&t.account_id).or_default();
        days.extend(t.time_to_remediate_days);
    }
    per_account
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
        .collect()
}

/// When a task set exposed now began to be: its creation when the inventory says its public IP is enabled
/// (the network configuration of a task set never changes in place), else the start of its timeline.
pub fn open_since(r: &Row, timeline: Option<&Timeline>) -> Option<NaiveDate> {
    let created = r
        .task_set_created_at
        .filter(|_| r.inventory_state == InventoryState::Enabled)
        .map(|t| t.date_naive());
    let observed = timeline.and_then(|t| t.exposed_since);
    match (created, observed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The exposure still open at `as_of` that began earliest (ties: the smallest ARN).
fn oldest_open(rows: &[Row], timelines: &[Timeline], as_of: NaiveDate) -> Option<OpenExposure> {
    let by_arn: BTreeMap<&str, &Timeline> = timelines
        .iter()
        .map(|t| (t.task_set_arn.as_str(), t))
        .collect();
    rows.iter()
        .filter(|r| r.outcome.is_exposed())
        .filter_map(|r| {
            let since = open_since(r, by_arn.get(r.task_set_arn.as_str()).copied())?;
            Some((since, r.task_set_arn.as_str()))
        })
        .min()
        .map(|(since, arn)| OpenExposure {
            task_set_arn: arn.to_string(),
            since,
            days: (as_of - since).num_days().max(0),
        })
}

/// Where Config and the exports both date a task set, Config's exact window is used, unless an export saw it
/// exposed on a day Config says it was not (Config started recording late, or missed a change): evidence of
/// exposure is never overruled by a second source. Exports only bracket a fix (up to the next export), so
/// their longer count alone is no contradiction, and neither is a FAILED finding exported after Config
/// recorded the deletion: Security Hub archives the findings of a deleted resource only later.
fn choose(
    points: &[ConfigPoint],
    states: &[(NaiveDate, State)],
    from_config: Timeline,
    from_exports: Timeline,
) -> Timeline {
    let contradicted = states.iter().any(|(day, s)| {
        *s == State::Exposed
            && !config::exposed_on(points, *day)
            && !config::deleted_by(points, *day)
    });
    // Security Hub observed the failure before Config's first capture: Config started recording late.
    let earlier = match (from_exports.exposed_since, points.first()) {
        (Some(since), Some(first)) => since < first.captured_at.date_naive(),
        _ => false,
    };
    if contradicted || earlier {
        return from_exports;
    }
    // Config captures only changes: an export that saw the exposure still open is the later sighting.
    let last_export = from_exports
        .last_seen_exposed
        .filter(|d| !config::deleted_by(points, *d));
    Timeline {
        last_seen_exposed: from_config.last_seen_exposed.max(last_export),
        ..from_config
    }
}

/// Builds every timeline from all finding copies (before deduplication), AWS Config's captures (which give
/// the exact window where they exist) and the current reconciliation.
pub fn build(
    all: &[Finding],
    config: &BTreeMap<String, Vec<ConfigPoint>>,
    rows: &[Row],
    period: &Period,
    as_of: &DateTime<Utc>,
) -> History {
    let (snapshots, seen) = by_snapshot(all);
    let outcome: BTreeMap<&str, Outcome> = rows
        .iter()
        .map(|r| (r.task_set_arn.as_str(), r.outcome))
        .collect();
    let bounds = Bounds {
        period_start: period.first_day,
        period_end: period.last_day.succ_opt().unwrap_or(period.last_day),
        as_of_day: as_of.date_naive(),
    };
    let mut exposed_per: BTreeMap<NaiveDate, u64> = snapshots.iter().map(|d| (*d, 0)).collect();
    let mut timelines = Vec::with_capacity(seen.len());
    for (arn, by_day) in &seen {
        let states: Vec<(NaiveDate, State)> =
            by_day.iter().map(|(d, c)| (*d, state_of(c))).collect();
        for (d, _) in states.iter().filter(|(_, s)| *s == State::Exposed) {
            *exposed_per.entry(*d).or_default() += 1;
        }
        let current = outcome.get(arn).copied();
        let from_exports = timeline(arn, by_day, &states, current, &bounds);
        timelines.push(match config.get(*arn) {
            Some(points) => choose(
                points,
                &states,
                config::timeline(arn, points, current, &bounds),
                from_exports,
            ),
            None => from_exports,
        });
    }
    for (arn, points) in config
        .iter()
        .filter(|(a, _)| !seen.contains_key(a.as_str()))
    {
        let current = outcome.get(arn.as_str()).copied();
        timelines.push(config::timeline(arn, points, current, &bounds));
    }
    timelines.sort_by(|a, b| a.task_set_arn.cmp(&b.task_set_arn));
    let in_period = |d: &NaiveDate| (period.first_day..=period.last_day).contains(d);
    History {
        snapshots: snapshots.into_iter().collect(),
        exports: coverage(all, &exposed_per),
        exposed_during_period: exposed_during(&timelines, rows, period, as_of),
        fixed_during_period: timelines
            .iter()
            .filter(|t| t.fixed_at.as_ref().is_some_and(in_period))
            .count() as u64,
        oldest_open_exposure: oldest_open(rows, &timelines, bounds.as_of_day),
        time_to_remediate: remediation_times(&timelines, rows),
        timelines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::time::parse_str;

    /// A FAILED (or PASSED) copy of the finding of task set `n` in `account`/`region`, exported on `day`.
    fn copy(account: &str, region: &str, n: u32, failed: bool, day: &str) -> Finding {
        let arn = format!("arn:aws:ecs:{region}:{account}:task-set/c/s/ecs-svc/{n}");
        let at = parse_str(&format!("{day}T12:00:00Z")).ok();
        Finding {
            id: format!("finding-{account}-{region}-{n}"),
            format: FindingFormat::Asff,
            control_id: "ECS.16".into(),
            control_id_source: ControlIdSource::SecurityControlId,
            generator_id: "security-control/ECS.16".into(),
            standard: None,
            task_set_arn: arn,
            resource_type: "AwsEcsTaskSet".into(),
            account_id: account.into(),
            account_name: None,
            region: region.into(),
            cluster: "c".into(),
            service: "s".into(),
            title: String::new(),
            severity: None,
            compliance_status: if failed {
                ComplianceStatus::Failed
            } else {
                ComplianceStatus::Passed
            },
            workflow_status: None,
            record_state: RecordState::Active,
            first_observed_at: None,
            last_observed_at: at,
            created_at: None,
            updated_at: at,
            processed_at: None,
            exported_at: at,
            note: None,
            related_requirements: vec![],
            flags: vec![],
            readings: vec![],
            origin: Origin {
                input: 0,
                record: 1,
            },
        }
    }

    /// Two exports: the first covers two account-regions (3 exposed), the second only one (1 exposed).
    /// The drop from 3 to 1 is coverage, and per covered account-region exposure does not fall.
    #[test]
    fn each_export_records_what_it_covered() {
        let all = vec![
            copy("111111111111", "eu-west-1", 1, true, "2026-08-01"),
            copy("111111111111", "eu-west-1", 2, false, "2026-08-01"),
            copy("222222222222", "us-east-1", 3, true, "2026-08-01"),
            copy("222222222222", "us-east-1", 4, true, "2026-08-01"),
            copy("111111111111", "eu-west-1", 1, true, "2026-09-01"),
            copy("111111111111", "eu-west-1", 2, false, "2026-09-01"),
        ];
        let (findings, _) = crate::dedupe::by_id(all.clone());
        let rows = crate::reconcile::reconcile(&findings, &Inventory::default());
        let as_of = parse_str("2026-09-02T00:00:00Z").unwrap();
        let h = build(
            &all,
            &BTreeMap::new(),
            &rows,
            &Period::quarter_containing(&as_of),
            &as_of,
        );
        let dates: Vec<String> = h.exports.iter().map(|e| e.date.to_string()).collect();
        assert_eq!(dates, ["2026-08-01", "2026-09-01"]);
        let (a, b) = (&h.exports[0], &h.exports[1]);
        assert_eq!(
            (a.accounts, a.regions, a.account_regions, a.exposed),
            (2, 2, 2, 3)
        );
        assert_eq!(
            (b.accounts, b.regions, b.account_regions, b.exposed),
            (1, 1, 1, 1)
        );
        assert!(!a.coverage_changed());
        assert_eq!((b.account_regions_added, b.account_regions_dropped), (0, 1));
        assert!(b.coverage_changed());
        assert_eq!(a.exposed_per_account_region(), 1.5);
        assert_eq!(b.exposed_per_account_region(), 1.0);
        // Task sets 3 and 4 were not seen again: no export says they were fixed.
        assert_eq!(h.fixed_during_period, 0);
        let oldest = h.oldest_open_exposure.expect("exposed task sets");
        assert_eq!(oldest.since.to_string(), "2026-08-01");
        assert_eq!(oldest.days, 32);
        assert!(oldest
            .task_set_arn
            .ends_with("111111111111:task-set/c/s/ecs-svc/1"));
    }

    #[test]
    fn a_fix_inside_the_period_is_counted() {
        let all = vec![
            copy("111111111111", "eu-west-1", 1, true, "2026-07-10"),
            copy("111111111111", "eu-west-1", 1, false, "2026-08-10"),
        ];
        let (findings, _) = crate::dedupe::by_id(all.clone());
        let rows = crate::reconcile::reconcile(&findings, &Inventory::default());
        let as_of = parse_str("2026-08-11T00:00:00Z").unwrap();
        let h = build(
            &all,
            &BTreeMap::new(),
            &rows,
            &Period::quarter_containing(&as_of),
            &as_of,
        );
        assert_eq!(h.fixed_during_period, 1);
        assert_eq!(h.oldest_open_exposure, None);
        assert_eq!(h.exports.len(), 2);
    }

    /// Config's captures date the exposure exactly (15 July to 9 August); the exports only bracket it.
    /// Where Config saw less than the exports (it started recording after the exposure began), the exports win.
    #[test]
    fn config_captures_date_exposure_unless_the_exports_saw_more() {
        let all = vec![
            copy("111111111111", "eu-west-1", 1, true, "2026-07-10"),
            copy("111111111111", "eu-west-1", 1, true, "2026-08-01"),
            copy("111111111111", "eu-west-1", 1, false, "2026-09-01"),
        ];
        let arn = all[0].task_set_arn.clone();
        let point = |day: &str, exposure: Exposure| ConfigPoint {
            captured_at: parse_str(&format!("{day}T10:00:00Z")).unwrap(),
            exposure,
            origin: Origin {
                input: 1,
                record: 1,
            },
        };
        let (findings, _) = crate::dedupe::by_id(all.clone());
        let rows = crate::reconcile::reconcile(&findings, &Inventory::default());
        let as_of = parse_str("2026-09-02T00:00:00Z").unwrap();
        let period = Period::quarter_containing(&as_of);
        let exact = BTreeMap::from([(
            arn.clone(),
            vec![
                point("2026-07-01", Exposure::Enabled),
                point("2026-08-09", Exposure::Deleted),
            ],
        )]);
        let h = build(&all, &exact, &rows, &period, &as_of);
        let t = &h.timelines[0];
        assert_eq!(
            (t.source, t.exposure_days_in_period),
            (TimelineSource::Config, 39)
        );
        assert_eq!(t.fixed_at.unwrap().to_string(), "2026-08-09");
        let late = BTreeMap::from([(arn, vec![point("2026-08-09", Exposure::Deleted)])]);
        let h = build(&all, &late, &rows, &period, &as_of);
        let t = &h.timelines[0];
        assert_eq!(t.source, TimelineSource::Exports);
        assert!(t.exposure_days_in_period > 0);
    }

    #[test]
    fn medians() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5, 1, 3]), Some(3.0));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2.5));
    }
}
