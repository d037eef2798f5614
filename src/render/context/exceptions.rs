//! The exceptions register as checked against Security Hub's suppressions, and the remediation blocks.

use super::{CodeCount, ExceptionView, RemediationView, REMEDIATION_SHOWN, ROWS_SHOWN};
use crate::analysis::exceptions::ExceptionStatus;
use crate::analysis::remediation::fence_for;
use crate::analysis::Analysis;
use crate::time::format_opt;

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
        })
        .collect()
}

/// How many exceptions have each status, every status listed.
pub fn counts(a: &Analysis) -> Vec<CodeCount> {
    ExceptionStatus::ALL
        .iter()
        .map(|st| CodeCount {
            code: st.code().to_string(),
            count: a.exceptions.iter().filter(|e| e.status == *st).count() as u64,
        })
        .collect()
}

pub fn remediation(a: &Analysis) -> Vec<RemediationView> {
    a.remediation
        .iter()
        .take(REMEDIATION_SHOWN)
        .map(|r| RemediationView {
            task_set_arn: r.task_set_arn.clone(),
            outcome: r.outcome.clone(),
            method: r.method.clone(),
            fence: fence_for(&r.script),
            script: r.script.clone(),
            notes: r.notes.clone(),
        })
        .collect()
}
