//! The input files: a line per kind of file, then the first files with what was read from each and their
//! problems. An organisation's run reads tens of thousands of files; the workbook's Inputs sheet and
//! `data/inputs.csv` list them all.

use super::{Capped, InputView, InputsView, KindLine};
use crate::analysis::Analysis;
use crate::ingest::{InputReport, InputStatus};
use std::collections::BTreeMap;

/// A file's kind as the report names it: what it was recognised as, or why it was not read.
fn kind_of(i: &InputReport) -> String {
    match (&i.status, i.kind.is_empty()) {
        (_, false) => i.kind.clone(),
        (InputStatus::Skipped(_), true) => "not read (skipped)".to_string(),
        (InputStatus::Rejected(_), true) => "not recognised (rejected)".to_string(),
        (InputStatus::Used, true) => "no records".to_string(),
    }
}

fn kinds(a: &Analysis) -> Vec<KindLine> {
    let mut lines: BTreeMap<String, KindLine> = BTreeMap::new();
    for i in &a.inputs {
        let kind = kind_of(i);
        let l = lines.entry(kind.clone()).or_insert_with(|| KindLine {
            kind,
            files: 0,
            used: 0,
            rejected: 0,
            skipped: 0,
            bytes: 0,
            records_read: 0,
            ecs16_findings: 0,
            task_sets: 0,
            problems: 0,
        });
        l.files += 1;
        match i.status {
            InputStatus::Used => l.used += 1,
            InputStatus::Rejected(_) => l.rejected += 1,
            InputStatus::Skipped(_) => l.skipped += 1,
        }
        l.bytes += i.size;
        l.records_read += i.records_read();
        l.ecs16_findings += i.ecs16_findings;
        l.task_sets += i.task_sets;
        l.problems += i.problems.len() as u64;
    }
    lines.into_values().collect()
}

/// Problems listed per file; a file of many bad records would otherwise fill the report on its own.
const PROBLEMS_SHOWN: usize = 5;

fn file(i: &InputReport) -> InputView {
    InputView {
        path: i.path.clone(),
        size: i.size,
        sha256: i.sha256.clone(),
        kind: i.kind.clone(),
        status: i.status.as_str().to_string(),
        why: i.status.why().unwrap_or_default().to_string(),
        records_read: i.records_read(),
        ecs16_findings: i.ecs16_findings,
        task_sets: i.task_sets,
        problems_not_shown: i.problems.len().saturating_sub(PROBLEMS_SHOWN) as u64,
        problems: i
            .problems
            .iter()
            .take(PROBLEMS_SHOWN)
            .map(|p| {
                if p.record == 0 {
                    p.message.clone()
                } else {
                    format!("record {}: {}", p.record, p.message)
                }
            })
            .collect(),
    }
}

pub fn view(a: &Analysis) -> InputsView {
    InputsView {
        kinds: kinds(a),
        files: Capped::first(a.inputs.iter().map(file)),
    }
}
