//! The per-file collector: turns the records one file streams out into findings, task sets and coverage.
//!
//! Everything a file yields stays in its collector until the file has been read to the end without error;
//! only then is it merged, so a file that is rejected half-way contributes nothing.
//! Findings whose raw text never mentions the control are counted and dropped without a full parse; any
//! `\u` escape in the text disables that shortcut, because `\u0045CS.16` spells the control too.

use super::asff::Flags;
use super::problem::{FindingProblem, RecordError};
use super::stream::{describe_keys, Recognised, Sink};
use super::{asff, ecs, ocsf};
use crate::arn::ServiceKey;
use crate::model::{Finding, Origin, RecordProblem, TaskSet};
use memchr::memmem;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

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
    pub task_sets: Vec<TaskSet>,
    pub services_read: u64,
    pub failures_read: u64,
    /// Services listed by `describe-services` (each covers its service whatever its task sets).
    pub covered_services: BTreeSet<ServiceKey>,
    /// Task sets listed by `describe-task-sets`, to derive the services that dump covers.
    listed_by_task_set_dump: BTreeSet<ServiceKey>,
    pub missing_task_sets: BTreeMap<String, String>,
    pub missing_services: BTreeSet<ServiceKey>,
    pub problems: Vec<RecordProblem>,
    /// Newest `UpdatedAt`/`ProcessedAt` of the findings of other controls (read without a full parse).
    newest_other: Option<chrono::DateTime<chrono::Utc>>,
}

/// The newest `"UpdatedAt"` / `"ProcessedAt"` string value in raw finding text, found by byte search so
/// findings of other controls can date their export without being parsed.
pub fn newest_stamp(raw: &[u8]) -> Option<chrono::DateTime<chrono::Utc>> {
    let mut newest = None;
    for key in [&*UPDATED_AT, &*PROCESSED_AT] {
        for at in key.find_iter(raw) {
            let rest = &raw[at + key.needle().len()..];
            let rest = &rest[..rest.len().min(64)];
            let Some(open) = rest.iter().position(|b| *b == b'"') else {
                continue;
            };
            let value = &rest[open + 1..];
            let Some(close) = value.iter().position(|b| *b == b'"') else {
                continue;
            };
            if let Ok(t) = std::str::from_utf8(&value[..close])
                .map_err(|_| ())
                .and_then(|s| crate::time::parse_str(s).map_err(|_| ()))
            {
                newest = newest.max(Some(t));
            }
        }
    }
    newest
}

/// True when the raw text of a finding may belong to the control (see the module comment).
pub fn may_mention_control(raw: &[u8]) -> bool {
    CONTROL.find(raw).is_some() || ESCAPE.find(raw).is_some()
}

/// True when raw text looks like a finding or an event without parsing it (for counting dropped records).
fn looks_like_finding(raw: &[u8]) -> bool {
    [&*SCHEMA_VERSION, &*GENERATOR_ID, &*CLASS_UID, &*DETAIL_TYPE]
        .iter()
        .any(|k| k.find(raw).is_some())
}

// The byte searches run several times over every finding of every control (hundreds of thousands in an
// organisation's export), so each searcher is built once rather than on every call.
type Finder = LazyLock<memmem::Finder<'static>>;
static CONTROL: Finder = LazyLock::new(|| memmem::Finder::new(asff::CONTROL_ID.as_bytes()));
static ESCAPE: Finder = LazyLock::new(|| memmem::Finder::new(b"\\u"));
static SCHEMA_VERSION: Finder = LazyLock::new(|| memmem::Finder::new(b"\"SchemaVersion\""));
static GENERATOR_ID: Finder = LazyLock::new(|| memmem::Finder::new(b"\"GeneratorId\""));
static CLASS_UID: Finder = LazyLock::new(|| memmem::Finder::new(b"\"class_uid\""));
static DETAIL_TYPE: Finder = LazyLock::new(|| memmem::Finder::new(b"\"detail-type\""));
static UPDATED_AT: Finder = LazyLock::new(|| memmem::Finder::new(b"\"UpdatedAt\""));
static PROCESSED_AT: Finder = LazyLock::new(|| memmem::Finder::new(b"\"ProcessedAt\""));

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
        self.task_sets.extend(o.task_sets);
        self.services_read += o.services_read;
        self.failures_read += o.failures_read;
        self.covered_services.extend(o.covered_services);
        self.listed_by_task_set_dump
            .extend(o.listed_by_task_set_dump);
        self.missing_task_sets.extend(o.missing_task_sets);
        self.missing_services.extend(o.missing_services);
        self.problems.extend(o.problems);
        self.newest_other = self.newest_other.max(o.newest_other);
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

    /// A finding of either format, or an EventBridge event carrying findings.
    fn classify(&mut self, v: Value, origin: Origin) -> Recognised {
        if v.get("detail-type").is_some() && v.get("detail").is_some() {
            self.event(v, origin);
            return Recognised::Event;
        }
        let selection = if ocsf::is_compliance_finding(&v) {
            self.ocsf_seen = true;
            ocsf::normalize(&v, origin)
        } else if v.get("SchemaVersion").is_some()
            || v.get("GeneratorId").is_some()
            || v.get("Compliance").is_some()
        {
            asff::normalize(&v, origin)
        } else if v.get("class_uid").is_some() {
            // An OCSF finding of another class (detections, vulnerabilities): not a control result.
            self.ocsf_seen = true;
            Ok(asff::Selection::OtherControl)
        } else {
            self.non_findings += 1;
            if self.first_non_finding.is_none() {
                self.first_non_finding = Some(describe_value(&v));
            }
            return Recognised::Neither;
        };
        self.findings_read += 1;
        match selection {
            Ok(asff::Selection::Ecs16(finding, flags)) => {
                let id = finding.id.clone();
                if self.accept(origin.record, flags, |p| RecordError::Finding {
                    id,
                    problem: FindingProblem::Field(p),
                }) {
                    self.findings.push(*finding);
                }
            }
            Ok(asff::Selection::OtherControl) => {}
            Err(e) => self.problem(origin.record, e.to_string()),
        }
        Recognised::Finding
    }

    /// What a record's flags mean for it, decided in this one place: notes about values kept verbatim are
    /// listed and the record is used; a field that could not be read makes the record unusable, named by
    /// the first such field.
    fn accept(
        &mut self,
        record: u64,
        flags: Flags,
        unusable: impl FnOnce(super::fields::FieldError) -> RecordError,
    ) -> bool {
        for n in flags.notes {
            self.problem(record, n);
        }
        match flags.unreadable.into_iter().next() {
            Some(first) => {
                self.problem(record, unusable(first).to_string());
                false
            }
            None => true,
        }
    }

    /// `Security Hub Findings - Imported` / `- Custom Action` / `Findings Imported V2`: `detail.findings[]`.
    fn event(&mut self, v: Value, origin: Origin) {
        let detail_type = v
            .get("detail-type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let event_time = v.get("time").and_then(|t| crate::time::parse_value(t).ok());
        let mut v = v;
        match v.pointer_mut("/detail/findings").map(Value::take) {
            Some(Value::Array(findings)) => {
                for (i, f) in findings.into_iter().enumerate() {
                    let o = if i == 0 { origin } else { self.next_origin() };
                    let before = self.findings.len();
                    let recognised = self.classify(f, o);
                    if let Some(kept) = self.findings.get_mut(before) {
                        kept.exported_at = event_time;
                    }
                    if recognised == Recognised::Neither {
                        self.problem(o.record, format!(
                            "EventBridge event ({detail_type}) holds something that is not a finding"
                        ));
                    }
                }
            }
            _ => self.problem(
                origin.record,
                format!("EventBridge event of type {detail_type:?} carries no detail.findings"),
            ),
        }
    }
}

/// "a JSON object with keys …" / "a JSON number" — what a record is, for messages.
pub fn describe_value(v: &Value) -> String {
    match v {
        Value::Object(m) => describe_keys(&m.keys().cloned().collect::<Vec<_>>()),
        other => format!("a JSON {}", crate::json::kind(other)),
    }
}

impl Sink for FileCollector {
    fn finding_raw(&mut self, raw: &str) {
        let origin = self.next_origin();
        let bytes = raw.as_bytes();
        if !may_mention_control(bytes) && looks_like_finding(bytes) {
            self.findings_read += 1;
            self.newest_other = self.newest_other.max(newest_stamp(bytes));
            // Once a file is known to hold OCSF, no need to look again.
            if !self.ocsf_seen && CLASS_UID.find(bytes).is_some() {
                self.ocsf_seen = true;
            }
            return;
        }
        match serde_json::from_str::<Value>(raw) {
            Ok(v) => {
                if self.classify(v, origin) == Recognised::Neither {
                    let what = self.first_non_finding.clone().unwrap_or_default();
                    self.problem(origin.record, format!("not a finding: {what}"));
                }
            }
            Err(e) => {
                // Valid JSON as a whole (the stream read it) but not as a value here, e.g. nested
                // deeper than the parser's limit: not a finding.
                self.non_findings += 1;
                let what = format!("a value that cannot be read ({e})");
                self.first_non_finding.get_or_insert(what.clone());
                self.problem(origin.record, what);
            }
        }
    }

    fn finding_value(&mut self, value: Value) -> Recognised {
        let origin = self.next_origin();
        self.classify(value, origin)
    }

    fn task_set(&mut self, value: Value) {
        let origin = self.next_origin();
        if let Some(ts) = self.read_task_set(&value, origin) {
            self.listed_by_task_set_dump.insert(ServiceKey {
                account_id: ts.account_id.clone(),
                region: ts.region.clone(),
                cluster: ts.cluster.clone(),
                service: ts.service.clone(),
            });
            self.task_sets.push(ts);
        }
    }

    fn service(&mut self, value: Value) {
        let origin = self.next_origin();
        self.services_read += 1;
        match ecs::service(&value) {
            Ok(service) => {
                if service.inactive {
                    self.missing_services.insert(service.key.clone());
                }
                self.covered_services.insert(service.key);
                for ts in service.task_sets {
                    let o = self.next_origin();
                    if let Some(ts) = self.read_task_set(&ts, o) {
                        self.task_sets.push(ts);
                    }
                }
            }
            Err(e) => self.problem(origin.record, e.to_string()),
        }
    }

    fn failure(&mut self, value: Value) {
        let origin = self.next_origin();
        self.failures_read += 1;
        match ecs::failure(&value) {
            Ok(Some(ecs::Missing::TaskSet(arn, why))) => {
                self.missing_task_sets.insert(arn, why);
            }
            Ok(Some(ecs::Missing::Service(key))) => {
                self.covered_services.insert(key.clone());
                self.missing_services.insert(key);
            }
            Ok(None) => {}
            Err(e) => self.problem(origin.record, e.to_string()),
        }
    }
}

impl FileCollector {
    /// One task set of a dump, when it can be used.
    fn read_task_set(&mut self, value: &Value, origin: Origin) -> Option<TaskSet> {
        match ecs::task_set(value, origin) {
            Ok((ts, flags)) => {
                let arn = ts.arn.clone();
                self.accept(origin.record, flags, |problem| RecordError::TaskSet {
                    arn,
                    problem,
                })
                .then_some(ts)
            }
            Err(e) => {
                self.problem(origin.record, e.to_string());
                None
            }
        }
    }

    /// Dates every finding of the file that no event dated: the newest `UpdatedAt`/`ProcessedAt` of the
    /// ECS.16 findings in it (findings of other controls are not parsed, so they do not count).
    pub fn date_the_export(&mut self) {
        let newest = self
            .findings
            .iter()
            .flat_map(|f| [f.updated_at, f.processed_at])
            .flatten()
            .chain(self.newest_other)
            .max();
        for f in self.findings.iter_mut().filter(|f| f.exported_at.is_none()) {
            f.exported_at = newest;
        }
    }

    /// Services this file describes in full. A `describe-task-sets` dump with failures was asked about named
    /// task sets, so it covers no whole service (see the module comment of `ecs`).
    pub fn services_covered(&self) -> BTreeSet<ServiceKey> {
        let mut covered = self.covered_services.clone();
        if self.missing_task_sets.is_empty() {
            covered.extend(self.listed_by_task_set_dump.iter().cloned());
        }
        covered
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
        c.finding_raw(raw);
        assert_eq!(c.findings.len(), 1, "{:?}", c.problems);
        assert_eq!(c.findings_read, 1);
    }

    #[test]
    fn stamps_are_found_without_parsing() {
        let raw = br#"{"UpdatedAt": "2026-09-20T10:00:00Z", "Note": {"UpdatedAt": "2026-09-01T00:00:00Z"}, "ProcessedAt":"2026-09-21T00:00:00.5Z"}"#;
        assert_eq!(
            crate::time::format(&newest_stamp(raw).unwrap()),
            "2026-09-21T00:00:00.500Z"
        );
        assert_eq!(newest_stamp(br#"{"UpdatedAt": 5}"#), None);
    }

    #[test]
    fn other_controls_are_counted_not_kept() {
        let mut c = FileCollector::new(0);
        c.finding_raw(r#"{"SchemaVersion":"2018-10-08","GeneratorId":"security-control/S3.1"}"#);
        assert_eq!((c.findings_read, c.findings.len()), (1, 0));
        c.finding_raw(r#"{"InstanceId":"i-1"}"#);
        assert_eq!(c.non_findings, 1);
        assert!(c.problems[0].message.contains("keys InstanceId"));
    }
}
