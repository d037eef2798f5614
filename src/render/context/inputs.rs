//! Every input file: what it is, what was read from it, and its problems.

use super::InputView;
use crate::analysis::Analysis;

pub fn views(a: &Analysis) -> Vec<InputView> {
    a.inputs
        .iter()
        .map(|i| InputView {
            path: i.path.clone(),
            size: i.size,
            sha256: i.sha256.clone(),
            kind: i.kind.clone(),
            status: i.status.as_str().to_string(),
            why: i.status.why().unwrap_or_default().to_string(),
            records_read: i.records_read(),
            ecs16_findings: i.ecs16_findings,
            task_sets: i.task_sets,
            problems: i
                .problems
                .iter()
                .map(|p| {
                    if p.record == 0 {
                        p.message.clone()
                    } else {
                        format!("record {}: {}", p.record, p.message)
                    }
                })
                .collect(),
        })
        .collect()
}
