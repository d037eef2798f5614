//! The scope section: what the customer's scope file declares (accounts, regions, clusters, services),
//! how many task sets fall in each scope value, and the data-flow references it cites. Without a scope
//! file, it says that the whole population was treated as in scope.

use super::{Capped, CodeCount};
use crate::analysis::scope::Scope;
use crate::analysis::Analysis;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Serialize)]
pub struct ScopeView {
    pub given: bool,
    pub statement: String,
    pub counts: Vec<CodeCount>,
    pub declared: Capped<DeclaredRow>,
    /// Every `data_flow_ref` the scope file cites, sorted, once each.
    pub data_flow_refs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeclaredRow {
    pub line: u64,
    pub account_id: String,
    pub region: String,
    pub cluster: String,
    pub service: String,
    pub code: String,
    pub label: String,
    pub data_flow_ref: String,
    /// Task sets this row decides the scope of.
    pub task_sets: u64,
}

fn statement(a: &Analysis) -> String {
    let m = a.rows.len();
    let in_pci = a.scopes.iter().filter(|s| s.in_pci_scope()).count();
    let counted = a.verdict.counts.in_scope;
    match &a.scope_file {
        None => format!(
            "No scope file was given (--scope FILE): every one of the {m} task sets is undeclared, and the whole population was treated as in scope."
        ),
        Some(f) => format!(
            "The scope file declares {} row{}. {in_pci} of the {m} task sets seen are in PCI DSS scope; {counted} count for 1.4.4 (stores-chd, cde or undeclared).",
            f.entries.len(),
            if f.entries.len() == 1 { "" } else { "s" }
        ),
    }
}

pub fn view(a: &Analysis) -> ScopeView {
    let counts = Scope::ALL
        .iter()
        .map(|s| CodeCount {
            code: s.code().to_string(),
            label: s.label().to_string(),
            count: a.scopes.iter().filter(|x| *x == s).count() as u64,
        })
        .collect();
    let entries = a
        .scope_file
        .as_ref()
        .map(|f| f.entries.as_slice())
        .unwrap_or_default();
    // Which row decided each task set, to count them per row.
    let deciding: Vec<u64> = a
        .rows
        .iter()
        .filter_map(|r| {
            let f = a.scope_file.as_ref()?;
            f.entry_for(&crate::analysis::scope::Location {
                account_id: &r.account_id,
                region: &r.region,
                cluster: &r.cluster,
                service: &r.service,
            })
            .map(|e| e.line)
        })
        .collect();
    let declared = Capped::first(entries.iter().map(|e| DeclaredRow {
        line: e.line,
        account_id: e.account_id.clone(),
        region: e.region.clone(),
        cluster: e.cluster.clone(),
        service: e.service.clone(),
        code: e.scope.code().to_string(),
        label: e.scope.label().to_string(),
        data_flow_ref: e.data_flow_ref.clone(),
        task_sets: deciding.iter().filter(|l| **l == e.line).count() as u64,
    }));
    let data_flow_refs: BTreeSet<String> = entries
        .iter()
        .filter(|e| !e.data_flow_ref.is_empty())
        .map(|e| e.data_flow_ref.clone())
        .collect();
    ScopeView {
        given: a.scope_file.is_some(),
        statement: statement(a),
        counts,
        declared,
        data_flow_refs: data_flow_refs.into_iter().collect(),
    }
}
