//! Chart geometry for the HTML report. Rust computes where every bar and label goes; the template draws the
//! SVG, so every label (account names included) passes through Tera's autoescape and nothing is marked safe.
//! Coordinates are rounded to a tenth of a pixel, so the same counts always give the same bytes.
//! No chart relies on colour alone, printed in greyscale or seen with a colour-vision deficiency: each
//! outcome's bar in the outcome chart is labelled with its name and count; the stacked per-account
//! segments are filled with a pattern per outcome (defined once in the page, `p-<CODE>`) named in the
//! legend; the outcome colours (the stylesheet's `o-<CODE>`) step in lightness so that outcomes side by side
//! differ in grey. Each chart has a table beside it in the report.

use crate::analysis::aggregate::{most_exposed, Aggregates};
use crate::reconcile::Outcome;
use serde::Serialize;

mod exposure;
pub use exposure::{exposure_over_time, ExportPoint, EXPORTS_DRAWN};

#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub desc: String,
    pub width: f64,
    pub height: f64,
    pub bars: Vec<Bar>,
    pub labels: Vec<Label>,
    pub legend: Vec<LegendItem>,
    /// Rows not drawn (the table beside the chart has them all).
    pub not_shown: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// CSS class giving the colour (`o-NON_COMPLIANT`, …).
    pub class: String,
    /// The id of the pattern that fills the bar (`p-NON_COMPLIANT`, …), or empty for the class's colour.
    pub pattern: String,
    /// Tooltip text.
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub anchor: String,
    pub class: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    pub class: String,
    /// The pattern the chart fills this item's bars with.
    pub pattern: String,
    pub text: String,
}

pub(crate) fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

pub(crate) fn label(x: f64, y: f64, text: impl Into<String>, anchor: &str, class: &str) -> Label {
    Label {
        x: r1(x),
        y: r1(y),
        text: text.into(),
        anchor: anchor.to_string(),
        class: class.to_string(),
    }
}

pub(crate) const WIDTH: f64 = 720.0;
const ROW: f64 = 26.0;
const BAR: f64 = 18.0;

/// One horizontal bar per outcome, each labelled with the outcome's name and its count.
pub fn outcomes(a: &Aggregates) -> Chart {
    let left = 150.0;
    let right = 60.0;
    let max = a.outcomes.iter().copied().max().unwrap_or(0).max(1) as f64;
    let span = WIDTH - left - right;
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, (o, n)) in Outcome::ALL.iter().zip(a.outcomes).enumerate() {
        let y = 6.0 + i as f64 * ROW;
        let w = span * n as f64 / max;
        labels.push(label(left - 8.0, y + BAR * 0.72, o.label(), "end", "axis"));
        if n > 0 {
            bars.push(Bar {
                x: left,
                y: r1(y),
                w: r1(w.max(1.0)),
                h: BAR,
                class: format!("o-{}", o.code()),
                pattern: String::new(),
                title: format!("{} ({}): {n}", o.label(), o.code()),
            });
        }
        labels.push(label(
            left + w + 6.0,
            y + BAR * 0.72,
            n.to_string(),
            "start",
            "value",
        ));
    }
    Chart {
        id: "chart-outcomes".into(),
        title: "Task sets per outcome".into(),
        desc: Outcome::ALL
            .iter()
            .zip(a.outcomes)
            .map(|(o, n)| format!("{} ({}) {n}", o.label(), o.code()))
            .collect::<Vec<_>>()
            .join(", "),
        width: WIDTH,
        height: r1(6.0 + 7.0 * ROW),
        bars,
        labels,
        legend: Vec::new(),
        not_shown: 0,
    }
}

/// Accounts drawn in the stacked chart; the table beside it lists them all.
pub const ACCOUNTS_DRAWN: usize = 25;

/// One stacked bar per account, a segment per outcome, the most exposed accounts first (as in the table).
pub fn outcomes_per_account(a: &Aggregates) -> Chart {
    let left = 230.0;
    let right = 50.0;
    let span = WIDTH - left - right;
    let shown: Vec<_> = most_exposed(&a.by_account)
        .into_iter()
        .take(ACCOUNTS_DRAWN)
        .collect();
    let max = shown.iter().map(|b| b.total).max().unwrap_or(0).max(1) as f64;
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    for (i, b) in shown.iter().enumerate() {
        let y = 10.0 + i as f64 * ROW;
        let account = b.key.first().cloned().unwrap_or_default();
        let name = b.key.get(1).cloned().unwrap_or_default();
        let mut text = if name.is_empty() {
            account.clone()
        } else {
            format!("{name} ({account})")
        };
        if text.chars().count() > 34 {
            text = text.chars().take(33).collect::<String>() + "…";
        }
        labels.push(label(left - 8.0, y + BAR * 0.72, text, "end", "axis"));
        let mut x = left;
        for (o, n) in Outcome::ALL.iter().zip(b.counts) {
            if n == 0 {
                continue;
            }
            let w = span * n as f64 / max;
            bars.push(Bar {
                x: r1(x),
                y: r1(y),
                w: r1(w),
                h: BAR,
                class: "seg".into(),
                pattern: format!("p-{}", o.code()),
                title: format!("{account}: {} ({}) {n}", o.label(), o.code()),
            });
            if w >= 16.0 {
                labels.push(label(
                    x + w / 2.0,
                    y + BAR * 0.72,
                    n.to_string(),
                    "middle",
                    "inbar",
                ));
            }
            x += w;
        }
        labels.push(label(
            x + 6.0,
            y + BAR * 0.72,
            b.total.to_string(),
            "start",
            "value",
        ));
    }
    let height = 10.0 + shown.len().max(1) as f64 * ROW;
    Chart {
        id: "chart-accounts".into(),
        title: "Task sets per account and outcome".into(),
        desc: shown
            .iter()
            .map(|b| {
                let parts: Vec<String> = Outcome::ALL
                    .iter()
                    .zip(b.counts)
                    .filter(|(_, n)| *n > 0)
                    .map(|(o, n)| format!("{} {n}", o.label()))
                    .collect();
                format!(
                    "{}: {}",
                    b.key.first().cloned().unwrap_or_default(),
                    parts.join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        width: WIDTH,
        height: r1(height),
        bars,
        labels,
        legend: Outcome::ALL
            .iter()
            .map(|o| LegendItem {
                class: format!("o-{}", o.code()),
                pattern: format!("p-{}", o.code()),
                text: o.label().to_string(),
            })
            .collect(),
        not_shown: a.by_account.len().saturating_sub(ACCOUNTS_DRAWN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::aggregate::Breakdown;

    fn agg() -> Aggregates {
        Aggregates {
            outcomes: [3, 2, 2, 2, 2, 3, 3],
            inventory_states: [0; 4],
            total: 17,
            exposed: 9,
            by_account: vec![Breakdown {
                key: vec!["111122223333".into(), "<b>payments</b>".into()],
                counts: [1, 1, 0, 0, 0, 2, 2],
                total: 6,
                exposed: 2,
            }],
            by_region: vec![],
            by_cluster: vec![],
            by_service: vec![],
        }
    }

    #[test]
    fn every_outcome_has_a_label_and_every_count_is_written() {
        let c = outcomes(&agg());
        assert_eq!(c.bars.len(), 7);
        for o in Outcome::ALL {
            assert!(c.labels.iter().any(|l| l.text == o.label()));
        }
        assert!(
            !c.labels.iter().any(|l| l.text == "17"),
            "the total is not an outcome bar"
        );
        assert!(
            c.bars.iter().all(|b| b.pattern.is_empty()),
            "named bars are solid"
        );
        assert!(c
            .desc
            .starts_with("Non-compliant (NON_COMPLIANT) 3, Suppressed (RISK_ACCEPTED) 2,"));
    }

    #[test]
    fn stacked_segments_fill_the_total() {
        let c = outcomes_per_account(&agg());
        let sum: f64 = c.bars.iter().map(|b| b.w).sum();
        assert!((sum - (720.0 - 230.0 - 50.0)).abs() < 0.5, "{sum}");
        assert!(
            c.labels.iter().any(|l| l.text.contains("<b>payments</b>")),
            "raw here; the template escapes it"
        );
        assert_eq!(c.legend.len(), 7);
        assert!(
            c.bars.iter().all(|b| b.pattern.starts_with("p-")),
            "unnamed segments carry their outcome's pattern"
        );
    }

    #[test]
    fn geometry_is_deterministic() {
        assert_eq!(
            serde_json::to_string(&outcomes(&agg())).unwrap(),
            serde_json::to_string(&outcomes(&agg())).unwrap()
        );
    }
}
