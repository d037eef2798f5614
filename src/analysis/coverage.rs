//! What each export covered: per export date, the accounts, regions and account-regions its finding copies
//! came from, what changed since the export date before it, and how many task sets it saw exposed.
//!
//! An export of fewer accounts sees fewer exposed task sets without anything being fixed; exposure per
//! covered account-region compares exports of different coverage, and the change itself is reported.

use crate::model::Finding;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The day of the export a finding copy came from: the export's own time, else the copy's `UpdatedAt`.
pub fn export_day(f: &Finding) -> Option<NaiveDate> {
    f.exported_at.or(f.updated_at).map(|t| t.date_naive())
}

/// What one export date covered and what it saw exposed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportCoverage {
    pub date: NaiveDate,
    /// Distinct accounts, regions and account-region pairs the finding copies of that date came from.
    pub accounts: u64,
    pub regions: u64,
    pub account_regions: u64,
    /// Account-region pairs covered now but not by the previous export date, and the other way round.
    pub account_regions_added: u64,
    pub account_regions_dropped: u64,
    /// Task sets exposed in that export.
    pub exposed: u64,
}

impl ExportCoverage {
    /// Exposed task sets per covered account-region: comparable between exports of different coverage.
    pub fn exposed_per_account_region(&self) -> f64 {
        if self.account_regions == 0 {
            0.0
        } else {
            self.exposed as f64 / self.account_regions as f64
        }
    }

    /// The export covered other account-regions than the one before it.
    pub fn coverage_changed(&self) -> bool {
        self.account_regions_added + self.account_regions_dropped > 0
    }
}

/// Account-region pairs per export day, from every finding copy that has an export date.
fn covered_per_day(all: &[Finding]) -> BTreeMap<NaiveDate, BTreeSet<(&str, &str)>> {
    let mut covered: BTreeMap<NaiveDate, BTreeSet<(&str, &str)>> = BTreeMap::new();
    for f in all {
        if let Some(day) = export_day(f) {
            covered
                .entry(day)
                .or_default()
                .insert((f.account_id.as_str(), f.region.as_str()));
        }
    }
    covered
}

/// What each export date covered, compared with the date before it, and what it saw exposed.
pub fn coverage(all: &[Finding], exposed_per: &BTreeMap<NaiveDate, u64>) -> Vec<ExportCoverage> {
    let covered = covered_per_day(all);
    let empty = BTreeSet::new();
    let mut previous: Option<&BTreeSet<(&str, &str)>> = None;
    let mut out = Vec::with_capacity(covered.len());
    for (date, pairs) in &covered {
        let accounts: BTreeSet<&str> = pairs.iter().map(|p| p.0).collect();
        let regions: BTreeSet<&str> = pairs.iter().map(|p| p.1).collect();
        let before = previous.unwrap_or(&empty);
        let (added, dropped) = match previous {
            Some(_) => (
                pairs.difference(before).count() as u64,
                before.difference(pairs).count() as u64,
            ),
            None => (0, 0),
        };
        out.push(ExportCoverage {
            date: *date,
            accounts: accounts.len() as u64,
            regions: regions.len() as u64,
            account_regions: pairs.len() as u64,
            account_regions_added: added,
            account_regions_dropped: dropped,
            exposed: exposed_per.get(date).copied().unwrap_or(0),
        });
        previous = Some(pairs);
    }
    out
}
