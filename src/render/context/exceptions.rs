//! The exceptions register as checked against Security Hub's suppressions, and remediation: a status line
//! per exposed task set for the body, runbooks for the appendix.

use super::results::{most_exposed_first, ExposureOrder};
use super::{
    Capped, CodeCount, ExceptionView, RemediationStatusView, RemediationView, REMEDIATION_SHOWN,
    ROWS_SHOWN,
};
use crate::analysis::exceptions::ExceptionStatus;
use crate::analysis::remediation::{fence_for, Remediation};
use crate::analysis::Analysis;
use crate::reconcile::Row;
use crate::time::format_opt;
use std::collections::BTreeMap;

pub fn views(a: &Analysis) -> Vec<ExceptionView> {
    a.exceptions
        .iter()
        .take(ROWS_SHOWN)
        .map(|e| ExceptionView {
            task_set_arn: e.task_set_arn.clone(),
            account_id: e.account_id.clone(),
            account_name: e.account_name.clone(),
            outcome: e.outcome.clone(),
            status: e.status.code().to_string(),
            note_text: e.note_text.clone(),
            note_updated_by: e.note_updated_by.clone(),
            note_updated_at: format_opt(&e.note_updated_at),
            register_line: e.register_line.map(|l| l.to_string()).unwrap_or_default(),
            register_task_set_arn: e.register_task_set_arn.clone(),
            justification: e.justification.clone(),
            approver: e.approver.clone(),
            ticket: e.ticket.clone(),
            expires: e.expires.map(|d| d.to_string()).unwrap_or_default(),
            basis: e.basis.map(|b| b.code().to_string()).unwrap_or_default(),
            reference: e.reference.clone(),
            pci: pci_words(e),
            valid_pci_exception: e.valid_pci_exception,
        })
        .collect()
}

/// Which exception, if any, makes an exposure valid in PCI DSS terms, in the register's words.
fn pci_words(e: &crate::analysis::exceptions::ExceptionRow) -> String {
    use crate::analysis::exceptions::Basis;
    match (e.valid_pci_exception, e.basis) {
        (true, Some(Basis::CompensatingControl)) => {
            format!("valid: compensating control, worksheet {}", e.reference)
        }
        (true, Some(Basis::CustomizedApproach)) => {
            format!(
                "valid: customized approach, targeted risk analysis {}",
                e.reference
            )
        }
        _ => format!("not a valid PCI DSS exception: {}", e.not_valid_because),
    }
}

/// How many exceptions have each status, every status listed.
pub fn counts(a: &Analysis) -> Vec<CodeCount> {
    ExceptionStatus::ALL
        .iter()
        .map(|st| CodeCount {
            code: st.code().to_string(),
            label: st.label().to_string(),
            count: a.exceptions.iter().filter(|e| e.status == *st).count() as u64,
        })
        .collect()
}

/// A task set that needs remediation, with its reconciliation row.
pub struct Runbook<'a> {
    pub plan: &'a Remediation,
    pub row: &'a Row,
}

/// The remediation plans, oldest exposure first: the appendix's runbooks and the status table follow
/// this order, so the runbooks shown are those of the longest exposures.
pub fn runbook_order<'a>(a: &'a Analysis, order: &ExposureOrder<'_>) -> Vec<Runbook<'a>> {
    let plans: BTreeMap<&str, &Remediation> = a
        .remediation
        .iter()
        .map(|r| (r.task_set_arn.as_str(), r))
        .collect();
    let rows = a
        .rows
        .iter()
        .filter(|r| plans.contains_key(r.task_set_arn.as_str()));
    most_exposed_first(rows, order)
        .into_iter()
        .filter_map(|row| {
            let plan = plans.get(row.task_set_arn.as_str())?;
            Some(Runbook { plan, row })
        })
        .collect()
}

/// The appendix: the first `REMEDIATION_SHOWN` runbooks.
pub fn remediation(runbooks: &[Runbook<'_>]) -> Vec<RemediationView> {
    runbooks
        .iter()
        .take(REMEDIATION_SHOWN)
        .map(|r| RemediationView {
            task_set_arn: r.plan.task_set_arn.clone(),
            outcome: r.plan.outcome.clone(),
            method: r.plan.method.clone(),
            fence: fence_for(&r.plan.script),
            script: r.plan.script.clone(),
            notes: r.plan.notes.clone(),
        })
        .collect()
}

/// The body's remediation status: what is open, since when, and where its runbook is.
pub fn status(a: &Analysis, runbooks: &[Runbook<'_>]) -> Capped<RemediationStatusView> {
    let timelines: BTreeMap<&str, _> = a
        .history
        .timelines
        .iter()
        .map(|t| (t.task_set_arn.as_str(), t))
        .collect();
    let as_of = a.as_of.date_naive();
    Capped::first(runbooks.iter().enumerate().map(|(i, r)| {
        let timeline = timelines.get(r.row.task_set_arn.as_str()).copied();
        let since = crate::analysis::history::open_since(r.row, timeline);
        RemediationStatusView {
            task_set_arn: r.row.task_set_arn.clone(),
            outcome: r.row.outcome.code().to_string(),
            outcome_label: r.row.outcome.label().to_string(),
            method: r.plan.method.clone(),
            open_since: since.map(|d| d.to_string()).unwrap_or_default(),
            days_open: since
                .map(|d| (as_of - d).num_days().max(0).to_string())
                .unwrap_or_default(),
            runbook: if i < REMEDIATION_SHOWN { i + 1 } else { 0 },
        }
    }))
}
