//! Whole ingest path on arbitrary bytes: gzip/BOM/UTF-16 sniffing → kind recognition → streaming parse →
//! normalisation of findings and task sets. It may refuse the input; it must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((_kind, findings, task_sets)) = ecs16_evidence::ingest::read_bytes(data.to_vec()) {
        // Whatever was read must reconcile and aggregate too.
        let mut inventory = ecs16_evidence::model::Inventory::default();
        for t in task_sets {
            inventory.task_sets.insert(t.arn.clone(), t);
        }
        let (findings, _) = ecs16_evidence::dedupe::by_id(findings);
        let rows = ecs16_evidence::reconcile::reconcile(&findings, &inventory);
        ecs16_evidence::aggregate::aggregate(&rows).expect("aggregation of read rows");
    }
});
