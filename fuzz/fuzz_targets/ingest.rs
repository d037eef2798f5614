//! Whole analysis on arbitrary bytes, through the very function a run uses (`analysis::analyse`): gzip/BOM/
//! UTF-16 sniffing → kind recognition → streaming parse → normalisation → dedupe → reconcile → aggregate,
//! exceptions, remediation, history. It may refuse the input; it must never panic.
#![no_main]
use ecs16_evidence::analysis::{analyse, AnalysisPlan, PeriodChoice};
use ecs16_evidence::ingest::{Inputs, MemoryFile, Options};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let plan = AnalysisPlan {
        ingest: Options::default(),
        as_of: None,
        period: PeriodChoice::QuarterOfAsOf,
        register: None,
        previous: None,
        scope: None,
    };
    let _ = analyse(&plan, &Inputs::Memory(vec![MemoryFile::new("fuzz.json", data)]));
});
