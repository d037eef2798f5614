//! `inspect`: what each input is, how many records it holds, and what is wrong with it.

use super::say;
use crate::cli::InspectArgs;
use crate::ingest::{self, InputReport, InputStatus, Inputs};
use anyhow::Result;
use std::io;
use std::process::ExitCode;

/// One input in one line.
pub fn line(i: &InputReport) -> String {
    let kind = if i.kind.is_empty() {
        "-".to_string()
    } else if i.gzip {
        format!("{} (gzip)", i.kind)
    } else {
        i.kind.clone()
    };
    let head = format!(
        "{}  {}  records {}  ECS.16 findings {}  task sets {}  problems {}",
        i.path,
        kind,
        i.records_read(),
        i.ecs16_findings,
        i.task_sets,
        i.problems.len()
    );
    match &i.status {
        InputStatus::Used if i.threads > 1 => {
            format!("{head}  (split across {} threads)", i.threads)
        }
        InputStatus::Used => head,
        InputStatus::Rejected(why) => format!("{}  REJECTED  {why}", i.path),
        InputStatus::Skipped(why) => format!("{}  skipped  {why}", i.path),
    }
}

pub fn run(args: &InspectArgs) -> Result<ExitCode> {
    let options = ingest::Options {
        skip_bad_inputs: true,
        jobs: ingest::default_jobs(),
        ..Default::default()
    };
    let inputs = match ingest::ingest(&Inputs::Paths(args.inputs.clone()), &options) {
        Ok(i) => i.inputs,
        // Nothing could be used: still show each input and why.
        Err(ingest::IngestError::NoInputs(inputs)) if !inputs.is_empty() => inputs,
        Err(e) => return Err(e.into()),
    };
    let mut out = io::stdout().lock();
    for i in &inputs {
        say(&mut out, &line(i))?;
        for p in &i.problems {
            say(&mut out, &format!("    record {}: {}", p.record, p.message))?;
        }
    }
    let sum = |f: fn(&InputReport) -> u64| inputs.iter().map(f).sum::<u64>();
    let rejected = inputs
        .iter()
        .filter(|i| matches!(i.status, InputStatus::Rejected(_)))
        .count();
    let totals = format!(
        "total: {} files, {} rejected; records {}  ECS.16 findings {}  task sets {}  problems {}",
        inputs.len(),
        rejected,
        sum(|i| i.records_read()),
        sum(|i| i.ecs16_findings),
        sum(|i| i.task_sets),
        sum(|i| i.problems.len() as u64),
    );
    say(&mut out, &totals)?;
    Ok(
        if rejected > 0 || !inputs.iter().any(|i| i.status == InputStatus::Used) {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}
