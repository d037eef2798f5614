//! The history chart: exposure per covered account-region per export date, coverage changes marked.

use super::{label, r1, Bar, Chart, WIDTH};
use serde::Serialize;

/// What one export date covered and saw exposed: a point of the history chart and a row of its table.
#[derive(Debug, Clone, Serialize)]
pub struct ExportPoint {
    pub date: String,
    pub accounts: u64,
    pub regions: u64,
    pub account_regions: u64,
    pub account_regions_added: u64,
    pub account_regions_dropped: u64,
    /// It covered other account-regions than the export date before it.
    pub coverage_changed: bool,
    pub exposed: u64,
    /// Exposed task sets per covered account-region, two decimals.
    pub per_account_region: String,
    /// The same, unrounded, for the geometry.
    pub ratio: f64,
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Export dates drawn in the history chart, the most recent; the table beside it lists them all.
pub const EXPORTS_DRAWN: usize = 24;

/// Exposed task sets per covered account-region per export date, as vertical bars: an export that covered
/// fewer accounts or regions cannot look like a fix. Under each bar, its date, how many task sets it saw
/// exposed and how many account-regions it covered; a dashed line marks each change of coverage.
/// `None` with fewer than two dates.
pub fn exposure_over_time(all: &[ExportPoint]) -> Option<Chart> {
    if all.len() < 2 {
        return None;
    }
    let points = &all[all.len().saturating_sub(EXPORTS_DRAWN)..];
    let (top, plot_h, left) = (30.0, 140.0, 40.0);
    let slot = ((WIDTH - left - 10.0) / points.len() as f64).min(100.0);
    let max = points.iter().map(|p| p.ratio).fold(0.0, f64::max);
    let max = if max > 0.0 { max } else { 1.0 };
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let h = plot_h * p.ratio / max;
        let x0 = left + i as f64 * slot;
        let (x, w) = (x0 + slot * 0.2, slot * 0.6);
        let y = top + plot_h - h;
        let mid = x + w / 2.0;
        if i > 0 && p.coverage_changed {
            bars.push(Bar {
                x: r1(x0),
                y: top - 14.0,
                w: 1.0,
                h: plot_h + 14.0,
                class: "change".into(),
                pattern: String::new(),
                title: format!(
                    "{}: coverage changed (+{} / -{} account-regions)",
                    p.date, p.account_regions_added, p.account_regions_dropped
                ),
            });
            labels.push(label(
                x0 + 3.0,
                top - 4.0,
                "coverage changed",
                "start",
                "warn",
            ));
        }
        if p.exposed > 0 {
            bars.push(Bar {
                x: r1(x),
                y: r1(y),
                w: r1(w),
                h: r1(h),
                class: "exp".into(),
                pattern: String::new(),
                title: format!(
                    "{}: {} exposed in {} account-region{}",
                    p.date,
                    p.exposed,
                    p.account_regions,
                    plural(p.account_regions)
                ),
            });
        }
        labels.push(label(
            mid,
            y - 4.0,
            p.per_account_region.clone(),
            "middle",
            "value",
        ));
        let below = top + plot_h;
        labels.push(label(mid, below + 14.0, p.date.clone(), "middle", "axis"));
        labels.push(label(
            mid,
            below + 28.0,
            format!("{} exposed", p.exposed),
            "middle",
            "small",
        ));
        labels.push(label(
            mid,
            below + 41.0,
            format!(
                "{} acct-region{}",
                p.account_regions,
                plural(p.account_regions)
            ),
            "middle",
            "small",
        ));
    }
    Some(Chart {
        id: "chart-exposure".into(),
        title: "Exposed task sets per covered account-region, per export date".into(),
        desc: points
            .iter()
            .map(|p| {
                format!(
                    "{}: {} exposed in {} account-region{} ({} per account-region)",
                    p.date,
                    p.exposed,
                    p.account_regions,
                    plural(p.account_regions),
                    p.per_account_region
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        width: WIDTH,
        height: r1(top + plot_h + 50.0),
        bars,
        labels,
        legend: Vec::new(),
        not_shown: all.len() - points.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(date: &str, exposed: u64, account_regions: u64, changed: bool) -> ExportPoint {
        let ratio = exposed as f64 / account_regions as f64;
        ExportPoint {
            date: date.into(),
            accounts: account_regions,
            regions: 1,
            account_regions,
            account_regions_added: 0,
            account_regions_dropped: if changed { 1 } else { 0 },
            coverage_changed: changed,
            exposed,
            per_account_region: format!("{ratio:.2}"),
            ratio,
        }
    }

    #[test]
    fn a_coverage_change_is_marked_and_bars_are_per_covered_scope() {
        let c = exposure_over_time(&[
            point("2026-09-28", 6, 4, false),
            point("2026-09-29", 2, 1, true),
        ])
        .unwrap();
        let exp: Vec<&Bar> = c.bars.iter().filter(|b| b.class == "exp").collect();
        assert!(exp[1].h > exp[0].h, "2 in 1 is more than 6 in 4");
        assert_eq!(c.bars.iter().filter(|b| b.class == "change").count(), 1);
        assert!(c.labels.iter().any(|l| l.text == "coverage changed"));
        assert!(c.labels.iter().any(|l| l.text == "4 acct-regions"));
    }

    #[test]
    fn one_export_date_draws_no_chart() {
        assert!(exposure_over_time(&[point("2026-07-31", 2, 1, false)]).is_none());
    }
}
