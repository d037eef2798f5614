//! Aggregate: outcome counts overall and per account, region, cluster and service, computed with polars.
//!
//! The reconciliation rows become one DataFrame; each breakdown is a `group_by` on its dimensions plus the
//! outcome, counted. Results are read back into plain sorted structures (every outcome present, zeros
//! included) so templates and JSON never depend on hash order.

use crate::reconcile::{InventoryState, Outcome, Row};
use polars::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts of the seven outcomes, in `Outcome::ALL` order.
pub type OutcomeCounts = [u64; 7];

/// One line of a breakdown: its key values, the count per outcome, and totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakdown {
    /// The dimension values, e.g. `[account_id, account_name]` or `[account_id, region, cluster, service]`.
    pub key: Vec<String>,
    pub counts: OutcomeCounts,
    pub total: u64,
    /// Task sets that may be reachable from the internet now (NON_COMPLIANT, RISK_ACCEPTED, CONFLICT, UNASSESSED_EXPOSED).
    pub exposed: u64,
}

/// Every count the report and summary show.
#[derive(Debug, Clone, Serialize)]
pub struct Aggregates {
    pub outcomes: OutcomeCounts,
    pub inventory_states: [u64; 4],
    pub total: u64,
    pub exposed: u64,
    pub by_account: Vec<Breakdown>,
    pub by_region: Vec<Breakdown>,
    pub by_cluster: Vec<Breakdown>,
    pub by_service: Vec<Breakdown>,
}

fn frame(rows: &[Row]) -> PolarsResult<DataFrame> {
    let col = |name: &str, f: &dyn Fn(&Row) -> String| {
        Column::new(name.into(), rows.iter().map(f).collect::<Vec<String>>())
    };
    DataFrame::new_infer_height(vec![
        col("task_set_arn", &|r| r.task_set_arn.clone()),
        col("account_id", &|r| r.account_id.clone()),
        col("account_name", &|r| r.account_name.clone()),
        col("region", &|r| r.region.clone()),
        col("cluster", &|r| r.cluster.clone()),
        col("service", &|r| r.service.clone()),
        col("outcome", &|r| r.outcome.code().to_string()),
        col("inventory_state", &|r| r.inventory_state.code().to_string()),
    ])
}

/// Counts rows per (dimensions…, `by`) with a polars group_by; keys come back sorted.
fn count_by(
    df: &DataFrame,
    dims: &[&str],
    by: &str,
) -> PolarsResult<BTreeMap<(Vec<String>, String), u64>> {
    let mut keys: Vec<&str> = dims.to_vec();
    keys.push(by);
    let counted = df
        .group_by(keys.iter().copied())?
        .select(["task_set_arn"])
        .count()?;
    let count_col = counted.column("task_set_arn_count")?.idx()?;
    let key_cols = keys
        .iter()
        .map(|k| counted.column(k).and_then(|c| c.str()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let mut out = BTreeMap::new();
    for i in 0..counted.height() {
        let mut key: Vec<String> = key_cols
            .iter()
            .map(|c| c.get(i).unwrap_or_default().to_string())
            .collect();
        let last = key.pop().unwrap_or_default();
        out.insert((key, last), count_col.get(i).unwrap_or(0) as u64);
    }
    Ok(out)
}

fn outcome_index(code: &str) -> Option<usize> {
    Outcome::ALL.iter().position(|o| o.code() == code)
}

fn breakdown(df: &DataFrame, dims: &[&str]) -> PolarsResult<Vec<Breakdown>> {
    let mut lines: BTreeMap<Vec<String>, OutcomeCounts> = BTreeMap::new();
    for ((key, outcome), n) in count_by(df, dims, "outcome")? {
        if let Some(i) = outcome_index(&outcome) {
            lines.entry(key).or_default()[i] += n;
        }
    }
    Ok(lines
        .into_iter()
        .map(|(key, counts)| Breakdown {
            key,
            total: counts.iter().sum(),
            exposed: exposed(&counts),
            counts,
        })
        .collect())
}

/// A breakdown's lines, the most exposed first (then the most task sets, then by key): the order the
/// reports show them in, so a capped table or chart keeps the lines that matter.
pub fn most_exposed(lines: &[Breakdown]) -> Vec<&Breakdown> {
    let mut sorted: Vec<&Breakdown> = lines.iter().collect();
    sorted.sort_by(|x, y| {
        (y.exposed, y.total)
            .cmp(&(x.exposed, x.total))
            .then_with(|| x.key.cmp(&y.key))
    });
    sorted
}

fn exposed(counts: &OutcomeCounts) -> u64 {
    Outcome::ALL
        .iter()
        .zip(counts)
        .filter(|(o, _)| o.is_exposed())
        .map(|(_, n)| n)
        .sum()
}

/// Computes every breakdown of the reconciliation.
pub fn aggregate(rows: &[Row]) -> PolarsResult<Aggregates> {
    let df = frame(rows)?;
    let mut outcomes = OutcomeCounts::default();
    let mut inventory_states = [0u64; 4];
    if df.height() > 0 {
        for ((_, code), n) in count_by(&df, &[], "outcome")? {
            if let Some(i) = outcome_index(&code) {
                outcomes[i] = n;
            }
        }
        for ((_, code), n) in count_by(&df, &[], "inventory_state")? {
            if let Some(i) = InventoryState::ALL.iter().position(|s| s.code() == code) {
                inventory_states[i] = n;
            }
        }
    }
    let (by_account, by_region, by_cluster, by_service) = if df.height() > 0 {
        (
            breakdown(&df, &["account_id", "account_name"])?,
            breakdown(&df, &["region"])?,
            breakdown(&df, &["account_id", "region", "cluster"])?,
            breakdown(&df, &["account_id", "region", "cluster", "service"])?,
        )
    } else {
        Default::default()
    };
    Ok(Aggregates {
        total: outcomes.iter().sum(),
        exposed: exposed(&outcomes),
        outcomes,
        inventory_states,
        by_account,
        by_region,
        by_cluster,
        by_service,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(arn: &str, account: &str, region: &str, outcome: Outcome) -> Row {
        Row {
            task_set_arn: arn.into(),
            account_id: account.into(),
            account_name: format!("name-{account}"),
            region: region.into(),
            cluster: "c".into(),
            service: "s".into(),
            outcome,
            securityhub_status: "NONE".into(),
            workflow_status: String::new(),
            record_state: String::new(),
            inventory_state: InventoryState::Enabled,
            assign_public_ip: String::new(),
            task_set_status: String::new(),
            launch_type: String::new(),
            started_by: String::new(),
            finding_id: String::new(),
            finding_standard: String::new(),
            findings_for_task_set: 0,
            copies_disagree: false,
            finding_updated_at: None,
            last_observed_at: None,
            task_set_created_at: None,
            severity: String::new(),
            note_text: String::new(),
            note_updated_by: String::new(),
            note_updated_at: None,
            related_requirements: vec![],
            record_problems: vec![],
            reason: String::new(),
        }
    }

    #[test]
    fn counts_overall_and_per_account() {
        let rows = vec![
            row("a", "1", "eu-west-1", Outcome::NonCompliant),
            row("b", "1", "eu-west-1", Outcome::Compliant),
            row("c", "2", "us-east-1", Outcome::NonCompliant),
            row("d", "2", "us-east-1", Outcome::Gone),
        ];
        let a = aggregate(&rows).unwrap();
        assert_eq!(a.outcomes, [2, 0, 0, 0, 0, 1, 1]);
        assert_eq!((a.total, a.exposed), (4, 2));
        assert_eq!(a.inventory_states, [4, 0, 0, 0]);
        assert_eq!(a.by_account.len(), 2);
        assert_eq!(a.by_account[0].key, vec!["1", "name-1"]);
        assert_eq!(a.by_account[0].counts, [1, 0, 0, 0, 0, 1, 0]);
        assert_eq!(a.by_account[1].exposed, 1);
        assert_eq!(a.by_region[1].key, vec!["us-east-1"]);
        assert_eq!(a.by_service[0].key, vec!["1", "eu-west-1", "c", "s"]);
    }

    #[test]
    fn empty_reconciliation_gives_zeros() {
        let a = aggregate(&[]).unwrap();
        assert_eq!(a.outcomes, [0; 7]);
        assert!(a.by_account.is_empty());
    }
}
