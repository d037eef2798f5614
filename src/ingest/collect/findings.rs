//! Findings and EventBridge events: selection of ECS.16 by control id, the byte shortcut that spares the
//! parse of other controls' findings, and the service-stamped times that date an export.

use super::FileCollector;
use crate::ingest::asff::{self, Selection};
use crate::ingest::record::{self, Parsed};
use crate::ingest::stream::Recognised;
use crate::ingest::{ocsf, stream::describe_keys};
use crate::model::Origin;
use chrono::{DateTime, Utc};
use memchr::memmem;
use serde_json::Value;
use std::sync::LazyLock;

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

/// The newest OCSF `"time"` in raw text, given as epoch milliseconds (the number form OCSF always carries).
fn newest_ms_stamp(raw: &[u8]) -> Option<DateTime<Utc>> {
    let mut newest = None;
    for at in TIME.find_iter(raw) {
        let rest = &raw[at + TIME.needle().len()..];
        let rest = rest
            .iter()
            .skip_while(|b| b.is_ascii_whitespace() || **b == b':');
        let digits: String = rest
            .take_while(|b| b.is_ascii_digit())
            .map(|b| *b as char)
            .collect();
        let stamp = digits
            .parse::<i64>()
            .ok()
            .and_then(|ms| crate::time::from_epoch_seconds(ms as f64 / 1000.0).ok())
            .and_then(|t| crate::time::within_evidence_years(t).ok());
        newest = newest.max(stamp);
    }
    newest
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
static TIME: Finder = LazyLock::new(|| memmem::Finder::new(b"\"time\""));

/// A service-stamped time of a parsed record, when it has one.
fn stamp_of(v: &Value, keys: &[&str]) -> Option<DateTime<Utc>> {
    keys.iter()
        .filter_map(|k| v.get(*k))
        .find_map(|t| crate::time::parse_value(t).ok())
        .and_then(|t| crate::time::within_evidence_years(t).ok())
}

impl FileCollector {
    /// One element of a findings list (or of a top-level array): counted without a parse when it cannot
    /// be ECS.16, else read and classified.
    pub(super) fn finding_element(&mut self, raw: &str) {
        let origin = self.next_origin();
        if self.counted_unparsed(raw.as_bytes()) {
            return;
        }
        self.record_text(raw, origin, true);
    }

    /// A top-level object (a line of JSON Lines, a Firehose record): a finding that cannot be ECS.16 is
    /// counted without a parse, exactly as an element of a findings list is (the same byte search, the
    /// same service stamps). On a Firehose archive every finding is a top-level object, and each one's
    /// full value used to be built; with this and the whole-file road (`reader::read_whole`) the 2,000
    /// parts of the benchmark went from 22.4 s to 4.2 s (one run each, same loaded machine). An event is
    /// always read: each finding it carries counts.
    pub(super) fn standalone_object(&mut self, raw: &str, origin: Origin) -> Recognised {
        if DETAIL_TYPE.find(raw.as_bytes()).is_none() && self.counted_unparsed(raw.as_bytes()) {
            return Recognised::Finding;
        }
        self.record_text(raw, origin, false)
    }

    /// Counts a record that looks like a finding and whose text never mentions the control, dating the
    /// export by its service stamps; false (nothing done) for any other record, which must be read.
    fn counted_unparsed(&mut self, bytes: &[u8]) -> bool {
        if may_mention_control(bytes) || !looks_like_finding(bytes) {
            return false;
        }
        self.findings_read += 1;
        let stamp = newest_stamp(bytes);
        self.stamped(stamp);
        // Once a file is known to hold OCSF, no need to look again.
        if !self.ocsf_seen && CLASS_UID.find(bytes).is_some() {
            self.ocsf_seen = true;
        }
        if self.ocsf_seen {
            self.stamped(newest_ms_stamp(bytes));
        }
        true
    }

    /// One record's text: read (with duplicate keys seen and bad values salvaged), then classified. A
    /// record that is neither a finding nor an event is listed as a problem when `list_neither` (an
    /// element of a findings list); a top-level object that is neither makes the file unreadable instead.
    pub(super) fn record_text(
        &mut self,
        raw: &str,
        origin: Origin,
        list_neither: bool,
    ) -> Recognised {
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
    pub(super) fn classify(&mut self, p: &Parsed, origin: Origin, raw: &[u8]) -> Recognised {
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
            // Not a finding: perhaps an inventory record standing alone (one task set, a create-service
            // output, a Config item, the collector's own files).
            return self.inventory_object(p, origin);
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
