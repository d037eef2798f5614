//! A task set's timeline from AWS Config: each captured configuration with its time, so the exposure window
//! is exact (from the capture that showed `ENABLED` to the capture that showed it deleted), where exports
//! only bracket it between two export dates.

use super::{Bounds, Timeline, TimelineSource};
use crate::model::{ConfigPoint, Exposure};
use crate::reconcile::Outcome;
use chrono::NaiveDate;

/// Whether a captured configuration leaves the task set reachable through its own public IP. A value this
/// tool does not know counts as exposed: exposure that cannot be ruled out is not ended.
fn exposed(e: &Exposure) -> bool {
    matches!(e, Exposure::Enabled | Exposure::Unknown(_))
}

/// Exposure windows as (first day, first day after), from the ordered captures: each opens at a capture
/// that shows exposure and closes at the next capture that does not; the last may stay open (`None`).
fn windows(points: &[ConfigPoint]) -> Vec<(NaiveDate, Option<NaiveDate>)> {
    let mut out = Vec::new();
    let mut open: Option<NaiveDate> = None;
    for p in points {
        let day = p.captured_at.date_naive();
        match (open, exposed(&p.exposure)) {
            (None, true) => open = Some(day),
            (Some(start), false) => {
                out.push((start, Some(day)));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        out.push((start, None));
    }
    out
}

/// Whether the captures show the task set exposed on `day` (inside a window: opened on or before, closed after).
pub fn exposed_on(points: &[ConfigPoint], day: NaiveDate) -> bool {
    windows(points)
        .iter()
        .any(|(start, end)| *start <= day && end.is_none_or(|e| day < e))
}

/// Whether Config recorded the task set deleted on or before `day`.
pub fn deleted_by(points: &[ConfigPoint], day: NaiveDate) -> bool {
    points
        .iter()
        .any(|p| p.exposure == Exposure::Deleted && p.captured_at.date_naive() <= day)
}

/// The timeline of one task set from its Config captures (oldest first).
pub fn timeline(
    arn: &str,
    points: &[ConfigPoint],
    current: Option<Outcome>,
    b: &Bounds,
) -> Timeline {
    let windows = windows(points);
    let first = windows.first().map(|(s, _)| *s);
    let last_exposed = points
        .iter()
        .rev()
        .find(|p| exposed(&p.exposure))
        .map(|p| p.captured_at.date_naive());
    // Fixed when the last window closed (deleted, or a capture without exposure).
    let fixed_at = windows.last().and_then(|(_, end)| *end);
    let gone = current == Some(Outcome::Gone)
        || points
            .last()
            .is_some_and(|p| p.exposure == Exposure::Deleted);
    let open_until = b.as_of_day.succ_opt().unwrap_or(b.as_of_day);
    let days = windows
        .iter()
        .map(|(start, end)| {
            let end = end.unwrap_or(open_until);
            (end.min(b.period_end) - (*start).max(b.period_start))
                .num_days()
                .max(0)
        })
        .sum();
    Timeline {
        task_set_arn: arn.to_string(),
        account_id: arn.split(':').nth(4).unwrap_or_default().to_string(),
        first_seen_exposed: first,
        last_seen_exposed: last_exposed,
        fixed_at,
        exposure_days_in_period: days,
        snapshots_seen: points.len(),
        exposed_since: first,
        gone,
        time_to_remediate_days: match (first, fixed_at) {
            (Some(s), Some(f)) => Some((f - s).num_days()),
            _ => None,
        },
        source: TimelineSource::Config,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn point(day: &str, exposure: Exposure) -> ConfigPoint {
        ConfigPoint {
            captured_at: crate::time::parse_str(&format!("{day}T10:00:00Z")).unwrap(),
            exposure,
            origin: Origin {
                input: 0,
                record: 1,
            },
        }
    }

    fn q3(as_of: &str) -> Bounds {
        Bounds {
            period_start: NaiveDate::from_ymd_opt(2026, 7, 1).unwrap(),
            period_end: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            as_of_day: NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap(),
        }
    }

    #[test]
    fn exposure_days_run_from_the_enabled_capture_to_the_deletion() {
        let points = [
            point("2026-06-20", Exposure::Enabled),
            point("2026-07-15", Exposure::Enabled),
            point("2026-08-09", Exposure::Deleted),
        ];
        let t = timeline(
            "arn:aws:ecs:r:111122223333:task-set/c/s/ecs-svc/1",
            &points,
            Some(Outcome::Gone),
            &q3("2026-09-30"),
        );
        // In the period: 1 July to 9 August, 39 days; the exposure began on 20 June.
        assert_eq!(t.exposure_days_in_period, 39);
        assert_eq!(t.first_seen_exposed.unwrap().to_string(), "2026-06-20");
        assert_eq!(t.fixed_at.unwrap().to_string(), "2026-08-09");
        assert_eq!(t.time_to_remediate_days, Some(50));
        assert!(t.gone);
    }

    #[test]
    fn a_window_still_open_runs_to_as_of_and_a_disabled_one_never_opens() {
        let open = [point("2026-09-01", Exposure::Enabled)];
        let t = timeline("a", &open, Some(Outcome::NonCompliant), &q3("2026-09-30"));
        assert_eq!(t.exposure_days_in_period, 30);
        assert_eq!(t.fixed_at, None);
        let never = [
            point("2026-07-01", Exposure::Disabled),
            point("2026-08-01", Exposure::Deleted),
        ];
        let t = timeline("a", &never, Some(Outcome::Gone), &q3("2026-09-30"));
        assert_eq!((t.exposure_days_in_period, t.first_seen_exposed), (0, None));
    }
}
