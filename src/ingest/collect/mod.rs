//! The per-file collector: turns the records one file streams out into findings, task sets and coverage.
//! `findings` reads findings and events, `inventory` everything else (dumps, listings, Config items, the
//! collector's files).
//!
//! Everything a file yields stays in its collector until the file has been read to the end without error;
//! only then is it merged, so a file that is rejected half-way contributes nothing.
//! Findings whose raw text never mentions the control are counted and dropped without a full parse; any
//! `\u` escape in the text disables that shortcut, because `\u0045CS.16` spells the control too.

mod findings;
mod inventory;

pub use findings::{describe_value, may_mention_control, newest_stamp};

use super::config::Item;
use super::stream::{List, Recognised, Sink};
use super::NetworkRecord;
use crate::arn::ServiceKey;
use crate::model::{ConfigPoint, Finding, Origin, RecordProblem, TaskSet, UnreadableFinding};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// What one file contributed.
#[derive(Debug, Default)]
pub struct FileCollector {
    input: usize,
    record: u64,
    pub findings_read: u64,
    pub non_findings: u64,
    pub first_non_finding: Option<String>,
    pub ocsf_seen: bool,
    pub findings: Vec<Finding>,
    /// Records that may be ECS.16 findings but cannot be placed (their task set or status unreadable).
    pub unreadable: Vec<UnreadableFinding>,
    pub task_sets: Vec<TaskSet>,
    pub services_read: u64,
    pub failures_read: u64,
    /// Other inventory records read: listed ARNs, Config items, network resources, the collector's files.
    pub other_records: u64,
    /// Services whose task sets a record lists in full (`describe-services`, a service output).
    pub covered_services: BTreeSet<ServiceKey>,
    /// Services of the task sets `describe-task-sets` lists: they cover their service only when the user
    /// says the dumps are complete (`--complete-dumps`).
    listed_by_task_set_dump: BTreeSet<ServiceKey>,
    pub missing_task_sets: BTreeMap<String, String>,
    pub missing_services: BTreeSet<ServiceKey>,
    /// Services and clusters some listing names.
    pub listed_services: BTreeSet<ServiceKey>,
    pub listed_clusters: BTreeSet<(String, String, String)>,
    /// Accounts and regions of the Config items read (they cover them when the file is a snapshot or a
    /// query).
    pub config_scopes_seen: BTreeSet<(String, String)>,
    /// Config items read, per resource type.
    pub config_types: BTreeMap<String, u64>,
    /// Task set configurations Config captured, and the task sets it recorded deleted (with when and why).
    pub config_points: Vec<(String, ConfigPoint)>,
    pub config_deleted: BTreeMap<String, (Option<DateTime<Utc>>, String)>,
    /// Config items of other resource types (network evidence), and network resources of the CLI.
    pub network_items: Vec<(Origin, Item)>,
    pub network_records: Vec<NetworkRecord>,
    /// Failed calls of an inventory collection, in words.
    pub collection_gaps: Vec<crate::model::CollectionGap>,
    pub problems: Vec<RecordProblem>,
    /// Inventory records that could not be used (they are counted as read, not as used).
    unusable_inventory: u64,
    /// The newest time a service stamped on any record of the file (`ProcessedAt`, an event's `time`, an
    /// OCSF `time`, a Config capture time), whatever its control: dates the export.
    pub newest_stamp: Option<DateTime<Utc>>,
}

impl FileCollector {
    pub fn new(input: usize) -> Self {
        FileCollector {
            input,
            ..Default::default()
        }
    }

    /// A collector for a run of records that starts after `records_before` records of the same file.
    pub fn starting_at(input: usize, records_before: u64) -> Self {
        FileCollector {
            input,
            record: records_before,
            ..Default::default()
        }
    }

    /// Takes in what a collector of a later run of the same file gathered (runs are absorbed in order).
    pub fn absorb(&mut self, o: FileCollector) {
        self.record = self.record.max(o.record);
        self.findings_read += o.findings_read;
        self.non_findings += o.non_findings;
        if self.first_non_finding.is_none() {
            self.first_non_finding = o.first_non_finding;
        }
        self.ocsf_seen |= o.ocsf_seen;
        self.findings.extend(o.findings);
        self.unreadable.extend(o.unreadable);
        self.task_sets.extend(o.task_sets);
        self.services_read += o.services_read;
        self.failures_read += o.failures_read;
        self.other_records += o.other_records;
        self.covered_services.extend(o.covered_services);
        self.listed_by_task_set_dump
            .extend(o.listed_by_task_set_dump);
        self.missing_task_sets.extend(o.missing_task_sets);
        self.missing_services.extend(o.missing_services);
        self.listed_services.extend(o.listed_services);
        self.listed_clusters.extend(o.listed_clusters);
        self.config_scopes_seen.extend(o.config_scopes_seen);
        for (k, n) in o.config_types {
            *self.config_types.entry(k).or_default() += n;
        }
        self.config_points.extend(o.config_points);
        self.config_deleted.extend(o.config_deleted);
        self.network_items.extend(o.network_items);
        self.network_records.extend(o.network_records);
        self.collection_gaps.extend(o.collection_gaps);
        self.problems.extend(o.problems);
        self.newest_stamp = self.newest_stamp.max(o.newest_stamp);
        self.unusable_inventory += o.unusable_inventory;
    }

    fn next_origin(&mut self) -> Origin {
        self.record += 1;
        Origin {
            input: self.input,
            record: self.record,
        }
    }

    fn problem(&mut self, record: u64, message: String) {
        self.problems.push(RecordProblem { record, message });
    }

    fn stamped(&mut self, t: Option<DateTime<Utc>>) {
        self.newest_stamp = self.newest_stamp.max(t);
    }

    /// A record that may be an ECS.16 finding and cannot be placed: listed and counted.
    fn unreadable_ecs16(&mut self, origin: Origin, why: String) {
        self.problem(origin.record, why.clone());
        self.unreadable.push(UnreadableFinding { origin, why });
    }

    /// Records of the file that went into the evidence (see `InputReport::records_used`).
    pub fn used(&self) -> u64 {
        (self.findings.len() as u64
            + self.unreadable.len() as u64
            + self.task_sets.len() as u64
            + self.services_read
            + self.failures_read
            + self.other_records)
            .saturating_sub(self.unusable_inventory)
    }

    /// Records read: findings of every control and inventory records of every kind.
    pub fn records_read(&self) -> u64 {
        self.findings_read
            + self.task_sets.len() as u64
            + self.services_read
            + self.failures_read
            + self.other_records
    }

    /// Dates every finding of the file that no event dated: the newest time a service stamped on any
    /// record of the file. Without one, the findings stay undated (history cannot place them).
    pub fn date_the_export(&mut self) {
        let newest = self.newest_stamp;
        for f in self.findings.iter_mut().filter(|f| f.exported_at.is_none()) {
            f.exported_at = newest;
        }
    }

    /// Services this file describes in full: those a service record embeds with all its task sets, and,
    /// when the user declares the dumps complete (`--complete-dumps`, "every describe-task-sets dump was run
    /// without --task-sets"), the services of the task sets `describe-task-sets` lists. Otherwise a
    /// `describe-task-sets` dump speaks only for the ARNs it lists and the ARNs its failures name: the AWS
    /// CLI prints `"failures": []` for a `--task-sets` query too.
    pub fn services_covered(&self, complete_dumps: bool) -> BTreeSet<ServiceKey> {
        let mut covered = self.covered_services.clone();
        if complete_dumps {
            covered.extend(self.listed_by_task_set_dump.iter().cloned());
        }
        covered
    }
}

impl Sink for FileCollector {
    fn element(&mut self, list: List, raw: &str) {
        match list {
            List::Findings | List::TopLevel => self.finding_element(raw),
            List::TaskSets => self.task_set_element(raw),
            List::Services => self.service_element(raw),
            List::Failures => self.failure_element(raw),
            List::ClusterArns | List::ServiceArns => self.listed_element(list, raw),
            List::ConfigurationItems | List::BaseConfigurationItems => self.config_element(raw),
            List::Results => self.query_result_element(raw),
            List::Network(key) => self.network_element(key, raw),
        }
    }

    fn object(&mut self, raw: &str) -> Recognised {
        let origin = self.next_origin();
        self.standalone_object(raw, origin)
    }

    fn file_note(&mut self, note: String) {
        self.problem(0, note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_shortcut_never_hides_an_escaped_control_id() {
        assert!(may_mention_control(
            br#"{"GeneratorId":"security-control/ECS.16"}"#
        ));
        assert!(may_mention_control(
            br#"{"GeneratorId":"security-control/\u0045CS.16"}"#
        ));
        assert!(!may_mention_control(
            br#"{"GeneratorId":"security-control/ECS.2"}"#
        ));
    }

    #[test]
    fn escaped_control_id_is_still_selected() {
        let raw = r#"{"SchemaVersion":"2018-10-08","Id":"f1","GeneratorId":"security-control/ECS.1\u0036",
            "UpdatedAt":"2026-09-01T00:00:00Z","RecordState":"ACTIVE",
            "Resources":[{"Type":"Other","Id":"arn:aws:ecs:eu-west-1:111122223333:task-set/c/s/ecs-svc/1"}],
            "Compliance":{"Status":"FAILED"}}"#;
        let mut c = FileCollector::new(0);
        c.element(List::Findings, raw);
        assert_eq!(c.findings.len(), 1, "{:?}", c.problems);
        assert_eq!(c.findings_read, 1);
    }

    #[test]
    fn stamps_are_found_without_parsing_and_only_service_stamps_count() {
        let raw = br#"{"UpdatedAt": "2026-12-20T10:00:00Z", "ProcessedAt":"2026-09-21T00:00:00.5Z", "time_dt": "2026-09-22T00:00:00Z"}"#;
        assert_eq!(
            crate::time::format(&newest_stamp(raw).unwrap()),
            "2026-09-22T00:00:00Z"
        );
        assert_eq!(
            newest_stamp(br#"{"UpdatedAt": "2026-12-20T10:00:00Z"}"#),
            None
        );
        assert_eq!(
            newest_stamp(br#"{"ProcessedAt": "9999-12-31T00:00:00Z"}"#),
            None
        );
    }

    #[test]
    fn other_controls_are_counted_not_kept() {
        let mut c = FileCollector::new(0);
        c.element(
            List::Findings,
            r#"{"SchemaVersion":"2018-10-08","GeneratorId":"security-control/S3.1"}"#,
        );
        assert_eq!((c.findings_read, c.findings.len()), (1, 0));
        c.element(List::Findings, r#"{"InstanceId":"i-1"}"#);
        assert_eq!(c.non_findings, 1);
        assert!(c.problems[0].message.contains("keys InstanceId"));
    }
}
