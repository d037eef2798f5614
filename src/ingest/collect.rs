//! The per-file collector: turns the records one file streams out into findings, task sets and coverage.
//!
//! Everything a file yields stays in its collector until the file has been read to the end without error;
//! only then is it merged, so a file that is rejected half-way contributes nothing.
//! Findings whose raw text never mentions the control are counted and dropped without a full parse; any
//! `\u` escape in the text disables that shortcut, because `\u0045CS.16` spells the control too.

use super::asff::Selection;
use super::record::{self, Parsed};
use super::stream::{describe_keys, Recognised, Sink};
use super::{asff, ecs, ocsf};
use crate::arn::ServiceKey;
use crate::model::{Finding, Origin, RecordProblem, TaskSet, UnreadableFinding};
use chrono::{DateTime, Utc};
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
    /// Records that may be ECS.16 findings but cannot be placed (their task set or status unreadable).
    pub unreadable: Vec<UnreadableFinding>,
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
    /// Services and failures that could not be read (they are counted as read, not as used).
    unusable_inventory: u64,
    /// The newest time a service stamped on any record of the file (`ProcessedAt`, an event's `time`, an
    /// OCSF `time`), whatever its control: dates the export.
    pub newest_stamp: Option<DateTime<Utc>>,
}

/// The newest service-stamped time in raw finding text (`"ProcessedAt"`, OCSF `"time_dt"`), found by byte
/// search so findings of other controls can date their export without being parsed. Provider-set times
/// (`UpdatedAt`, …) are never used, and a time outside the evidence years never counts.
pub fn newest_stamp(raw: &[u8]) -> Option<DateTime<Utc>> {
    let mut newest = None;
    for key in [&*PROCESSED_AT, &*TIME_DT] {
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
            let stamp = std::str::from_utf8(&value[..close])
                .ok()
                .and_then(|s| crate::time::parse_str(s).ok())
                .and_then(|t| crate::time::within_evidence_years(t).ok());
            newest = newest.max(stamp);
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
static PROCESSED_AT: Finder = LazyLock::new(|| memmem::Finder::new(b"\"ProcessedAt\""));
static TIME_DT: Finder = LazyLock::new(|| memmem::Finder::new(b"\"time_dt\""));

/// A service-stamped time of a parsed record, when it has one.
fn stamp_of(v: &Value, keys: &[&str]) -> Option<DateTime<Utc>> {
    keys.iter()
        .filter_map(|k| v.get(*k))
        .find_map(|t| crate::time::parse_value(t).ok())
        .and_then(|t| crate::time::within_evidence_years(t).ok())
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
        self.covered_services.extend(o.covered_services);
        self.listed_by_task_set_dump
            .extend(o.listed_by_task_set_dump);
        self.missing_task_sets.extend(o.missing_task_sets);
        self.missing_services.extend(o.missing_services);
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

    /// One record's text: read (with duplicate keys seen and bad values salvaged), then classified. A
    /// record that is neither a finding nor an event is listed as a problem when `list_neither` (an
    /// element of a findings list); a top-level object that is neither makes the file unreadable instead.
    fn record_text(&mut self, raw: &str, origin: Origin, list_neither: bool) -> Recognised {
        match record::parse(raw) {
            Ok(p) => {
                let recognised = self.classify(&p, origin, raw.as_bytes());
                if recognised == Recognised::Neither {
                    self.non_findings += 1;
                    let what = describe_value(&p.value);
                    if list_neither {
                        self.problem(origin.record, format!("not a finding: {what}"));
                    }
                    self.first_non_finding.get_or_insert(what);
                }
                recognised
            }
            Err(e) => {
                self.non_findings += 1;
                self.first_non_finding.get_or_insert(e.to_string());
                if may_mention_control(raw.as_bytes()) {
                    self.unreadable_ecs16(
                        origin,
                        format!("a record that may be an ECS.16 finding: {e}"),
                    );
                } else {
                    self.problem(origin.record, e.to_string());
                }
                Recognised::Neither
            }
        }
    }

    /// A finding of either format, or an EventBridge event carrying findings.
    fn classify(&mut self, p: &Parsed, origin: Origin, raw: &[u8]) -> Recognised {
        let v = &p.value;
        if v.get("detail-type").is_some() && v.get("detail").is_some() {
            self.event(p, origin);
            return Recognised::Event;
        }
        let selection = if ocsf::is_compliance_finding(v) {
            self.ocsf_seen = true;
            self.stamped(stamp_of(v, &["time_dt", "time"]));
            ocsf::normalize(p, origin)
        } else if v.get("SchemaVersion").is_some()
            || v.get("GeneratorId").is_some()
            || v.get("Compliance").is_some()
        {
            self.stamped(stamp_of(v, &["ProcessedAt"]));
            asff::normalize(p, origin)
        } else if v.get("class_uid").is_some() {
            // An OCSF finding of another class (detections, vulnerabilities): not a control result.
            self.ocsf_seen = true;
            self.stamped(stamp_of(v, &["time_dt", "time"]));
            Ok(Selection::OtherControl)
        } else {
            return Recognised::Neither;
        };
        self.findings_read += 1;
        match selection {
            Ok(Selection::Ecs16(finding)) => {
                for flag in &finding.flags {
                    self.problem(
                        origin.record,
                        format!("ECS.16 finding {}: {flag}", finding.id),
                    );
                }
                self.findings.push(*finding);
            }
            Ok(Selection::Unreadable(e)) => self.unreadable_ecs16(origin, e.to_string()),
            Ok(Selection::OtherControl) => {}
            // The control id itself could not be read: when the text names this control, it is counted
            // as an ECS.16 finding that cannot be placed, never dropped.
            Err(e) if may_mention_control(raw) => self.unreadable_ecs16(origin, e.to_string()),
            Err(e) => self.problem(origin.record, e.to_string()),
        }
        Recognised::Finding
    }

    /// `Security Hub Findings - Imported` / `- Custom Action` / `Findings Imported V2`: `detail.findings[]`.
    fn event(&mut self, p: &Parsed, origin: Origin) {
        let detail_type = p
            .value
            .get("detail-type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let event_time = stamp_of(&p.value, &["time"]);
        self.stamped(event_time);
        let count = match p.value.pointer("/detail/findings") {
            Some(Value::Array(findings)) => findings.len(),
            _ => {
                self.problem(
                    origin.record,
                    format!("EventBridge event of type {detail_type:?} carries no detail.findings"),
                );
                return;
            }
        };
        for i in 0..count {
            let o = if i == 0 { origin } else { self.next_origin() };
            let Some(child) = p.child(&["detail", "findings"], i) else {
                continue;
            };
            let raw = child.value.to_string();
            let before = self.findings.len();
            let recognised = self.classify(&child, o, raw.as_bytes());
            for kept in self.findings.iter_mut().skip(before) {
                kept.exported_at = event_time;
            }
            if recognised == Recognised::Neither {
                self.problem(
                    o.record,
                    format!(
                        "EventBridge event ({detail_type}) holds something that is not a finding"
                    ),
                );
            }
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
            let stamp = newest_stamp(bytes);
            self.stamped(stamp);
            // Once a file is known to hold OCSF, no need to look again.
            if !self.ocsf_seen && CLASS_UID.find(bytes).is_some() {
                self.ocsf_seen = true;
            }
            return;
        }
        self.record_text(raw, origin, true);
    }

    fn finding_record(&mut self, raw: &str) -> Recognised {
        let origin = self.next_origin();
        self.record_text(raw, origin, false)
    }

    fn task_set(&mut self, raw: &str) {
        let origin = self.next_origin();
        let Some(p) = self.parse_inventory(raw, origin, "task set") else {
            return;
        };
        if let Some(ts) = self.read_task_set(&p, origin) {
            self.listed_by_task_set_dump.insert(ServiceKey {
                account_id: ts.account_id.clone(),
                region: ts.region.clone(),
                cluster: ts.cluster.clone(),
                service: ts.service.clone(),
            });
            self.task_sets.push(ts);
        }
    }

    fn service(&mut self, raw: &str) {
        let origin = self.next_origin();
        self.services_read += 1;
        let Some(p) = self.parse_inventory(raw, origin, "service") else {
            self.unusable_inventory += 1;
            return;
        };
        match ecs::service(&p.value) {
            Ok(service) => {
                if service.inactive {
                    self.missing_services.insert(service.key.clone());
                }
                self.covered_services.insert(service.key);
                for i in 0..service.task_sets.len() {
                    let o = self.next_origin();
                    if let Some(child) = p.child(&["taskSets"], i) {
                        if let Some(ts) = self.read_task_set(&child, o) {
                            self.task_sets.push(ts);
                        }
                    }
                }
            }
            Err(e) => {
                self.unusable_inventory += 1;
                self.problem(origin.record, e.to_string());
            }
        }
    }

    fn failure(&mut self, raw: &str) {
        let origin = self.next_origin();
        self.failures_read += 1;
        let Some(p) = self.parse_inventory(raw, origin, "failure") else {
            self.unusable_inventory += 1;
            return;
        };
        match ecs::failure(&p.value) {
            Ok(Some(ecs::Missing::TaskSet(arn, why))) => {
                self.missing_task_sets.insert(arn, why);
            }
            Ok(Some(ecs::Missing::Service(key))) => {
                self.covered_services.insert(key.clone());
                self.missing_services.insert(key);
            }
            Ok(None) => {}
            Err(e) => {
                self.unusable_inventory += 1;
                self.problem(origin.record, e.to_string());
            }
        }
    }

    fn file_note(&mut self, note: String) {
        self.problem(0, note);
    }
}

impl FileCollector {
    /// An inventory record's text, read; `None` (and a problem listed) when it cannot be read at all.
    fn parse_inventory(&mut self, raw: &str, origin: Origin, what: &str) -> Option<Parsed> {
        match record::parse(raw) {
            Ok(p) => Some(p),
            Err(e) => {
                self.problem(origin.record, format!("a {what} that cannot be read: {e}"));
                None
            }
        }
    }

    /// One task set of a dump, kept with its flags listed; `None` when it cannot be placed.
    fn read_task_set(&mut self, p: &Parsed, origin: Origin) -> Option<TaskSet> {
        match ecs::task_set(p, origin) {
            Ok(ts) => {
                for flag in &ts.flags {
                    self.problem(origin.record, format!("task set {}: {flag}", ts.arn));
                }
                Some(ts)
            }
            Err(e) => {
                self.problem(origin.record, e.to_string());
                None
            }
        }
    }

    /// Records of the file that went into the evidence (see `InputReport::records_used`).
    pub fn used(&self) -> u64 {
        self.findings.len() as u64
            + self.unreadable.len() as u64
            + self.task_sets.len() as u64
            + self.services_read
            + self.failures_read
            - self.unusable_inventory
    }

    /// Dates every finding of the file that no event dated: the newest time a service stamped on any
    /// record of the file. Without one, the findings stay undated (history cannot place them).
    pub fn date_the_export(&mut self) {
        let newest = self.newest_stamp;
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
        c.finding_raw(r#"{"SchemaVersion":"2018-10-08","GeneratorId":"security-control/S3.1"}"#);
        assert_eq!((c.findings_read, c.findings.len()), (1, 0));
        c.finding_raw(r#"{"InstanceId":"i-1"}"#);
        assert_eq!(c.non_findings, 1);
        assert!(c.problems[0].message.contains("keys InstanceId"));
    }
}
