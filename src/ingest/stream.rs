//! Streaming JSON: one pass over a file, handing each record to a [`Sink`] as soon as it is parsed.
//!
//! A file holds one or more top-level JSON values (one for a `get-findings` page, many for JSON Lines or for
//! the `}{`-concatenated events Firehose writes). The big arrays (`Findings`, `taskSets`, `services`) are
//! never built in memory: each element is parsed and handed over on its own. Findings arrive as raw JSON text
//! so the sink can skip the full parse of findings that cannot be ECS.16. Everything else at the top level of
//! an object is either a key a finding or event can carry (kept, to classify a single finding or event) or
//! ignored (its name is remembered for the error message when the file turns out to be something else).

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::io::Read;

/// What a sink is told about one top-level value that was neither a findings list nor an ECS dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognised {
    Finding,
    Event,
    Neither,
}

/// Receives records as they are parsed, each as its raw JSON text: the sink reads it (`record::parse`),
/// so that duplicate keys and values a plain parse would choke on are seen, not lost.
pub trait Sink {
    /// One element of a findings list.
    fn finding_raw(&mut self, raw: &str);
    /// A top-level object that is not a list of records: a single finding or an EventBridge event (a
    /// single-object file, one JSON line), rebuilt from the members a finding or event can carry.
    fn finding_record(&mut self, raw: &str) -> Recognised;
    /// One element of `taskSets` in `describe-task-sets` output.
    fn task_set(&mut self, raw: &str);
    /// One element of `services` in `describe-services` output.
    fn service(&mut self, raw: &str);
    /// One element of `failures` in an ECS dump.
    fn failure(&mut self, raw: &str);
    /// Something about the file as a whole (a list given twice), for its problems.
    fn file_note(&mut self, note: String);
}

/// The shape of one top-level value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// `{"Findings": [...], "NextToken": ...}` from `get-findings` or `get-findings-v2`.
    FindingsPage,
    /// `[finding, ...]`.
    FindingsArray,
    /// One finding object.
    Finding,
    /// One EventBridge event carrying findings.
    Event,
    /// `{"taskSets": [...], "failures": [...]}` from `describe-task-sets`.
    TaskSetsDump,
    /// `{"services": [...], "failures": [...]}` from `describe-services`.
    ServicesDump,
}

/// Keys a finding (ASFF or OCSF) or an EventBridge event may carry at its top level: kept while reading a
/// top-level object so a single finding or event can be classified and used; all other keys are skipped.
const RECORD_KEYS: &[&str] = &[
    // ASFF
    "SchemaVersion",
    "Id",
    "ProductArn",
    "ProductName",
    "CompanyName",
    "Region",
    "GeneratorId",
    "AwsAccountId",
    "AwsAccountName",
    "Types",
    "FirstObservedAt",
    "LastObservedAt",
    "CreatedAt",
    "UpdatedAt",
    "ProcessedAt",
    "Severity",
    "Title",
    "Description",
    "Remediation",
    "ProductFields",
    "Resources",
    "Compliance",
    "Workflow",
    "WorkflowState",
    "RecordState",
    "Note",
    // EventBridge
    "version",
    "id",
    "detail-type",
    "source",
    "account",
    "time",
    "region",
    "resources",
    "detail",
    // OCSF
    "class_uid",
    "class_name",
    "category_uid",
    "type_uid",
    "activity_id",
    "finding_info",
    "compliance",
    "cloud",
    "status",
    "status_id",
    "comment",
    "metadata",
    "severity",
    "severity_id",
    "remediation",
    "time_dt",
];

/// Reads every top-level value of a file, feeding the sink. Returns the shape of each value in order.
pub fn read_values(
    reader: impl Read,
    sink: &mut dyn Sink,
) -> Result<Vec<Shape>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let mut shapes = Vec::new();
    // `end` only peeks past whitespace: Ok here means the file holds no value at all.
    if de.end().is_ok() {
        return Ok(shapes);
    }
    loop {
        shapes.push(Top { sink: &mut *sink }.deserialize(&mut de)?);
        // `end` only peeks: when more text follows, the next loop iteration parses it as the next value.
        if de.end().is_ok() {
            return Ok(shapes);
        }
    }
}

struct Top<'s> {
    sink: &'s mut dyn Sink,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = Shape;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        d.deserialize_any(self)
    }
}

fn not_ours<E: de::Error>(what: &str) -> E {
    E::custom(format!("{what}: not a Security Hub export or an ECS dump"))
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = Shape;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Security Hub export or an ECS dump")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            self.sink.finding_raw(raw.get());
        }
        Ok(Shape::FindingsArray)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        // Members a finding or an event can carry, raw and in order (a key given twice stays twice).
        let mut kept: Vec<(String, Box<RawValue>)> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut lists: Vec<&'static str> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let list = match key.as_str() {
                "Findings" => Some(("Findings", Element::Finding)),
                "taskSets" => Some(("taskSets", Element::TaskSet)),
                "services" => Some(("services", Element::Service)),
                "failures" => Some(("failures", Element::Failure)),
                _ => None,
            };
            match list {
                Some((field, each)) => {
                    if lists.contains(&field) {
                        self.sink.file_note(format!(
                            "the file holds the list \"{field}\" twice; the records of both were read"
                        ));
                    }
                    map.next_value_seed(Each {
                        sink: &mut *self.sink,
                        field,
                        each,
                    })?;
                    lists.push(field);
                }
                None if RECORD_KEYS.contains(&key.as_str()) => {
                    kept.push((key.clone(), map.next_value()?));
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            keys.push(key);
        }
        let has = |field: &str| lists.contains(&field);
        if has("Findings") {
            return Ok(Shape::FindingsPage);
        }
        if has("taskSets") || (has("failures") && !has("services")) {
            return Ok(Shape::TaskSetsDump);
        }
        if has("services") {
            return Ok(Shape::ServicesDump);
        }
        match self.sink.finding_record(&object_text(&kept)) {
            Recognised::Finding => Ok(Shape::Finding),
            Recognised::Event => Ok(Shape::Event),
            Recognised::Neither => Err(not_ours(&describe_keys(&keys))),
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Shape, E> {
        Err(not_ours("a top-level true/false"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Shape, E> {
        Err(not_ours("a top-level number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Shape, E> {
        Err(not_ours("a top-level number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Shape, E> {
        Err(not_ours("a top-level number"))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Shape, E> {
        Err(not_ours("a top-level string"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Shape, E> {
        Err(not_ours("a top-level null"))
    }
}

/// The text of an object made of raw members, in their order.
fn object_text(members: &[(String, Box<RawValue>)]) -> String {
    let mut text = String::from("{");
    for (i, (key, raw)) in members.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        // A key is plain text here; serialising it as a JSON string cannot fail.
        text.push_str(&serde_json::to_string(key).unwrap_or_default());
        text.push(':');
        text.push_str(raw.get());
    }
    text.push('}');
    text
}

/// "a JSON object with keys A, B, C, …" — the start of the message for a file of an unknown kind.
pub fn describe_keys(keys: &[String]) -> String {
    if keys.is_empty() {
        return "an empty JSON object".to_string();
    }
    const SHOWN: usize = 6;
    let mut text = keys
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > SHOWN {
        text.push_str(&format!(", … ({} keys)", keys.len()));
    }
    format!("a JSON object with keys {text}")
}

#[derive(Clone, Copy)]
enum Element {
    Finding,
    TaskSet,
    Service,
    Failure,
}

/// Streams the elements of one of the big arrays to the sink.
struct Each<'s> {
    sink: &'s mut dyn Sink,
    field: &'static str,
    each: Element,
}

impl<'de> DeserializeSeed<'de> for Each<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Each<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "`{}` to be a JSON array", self.field)
    }

    /// `"taskSets": null` is what some SDK serialisers print for an empty list.
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.each {
            Element::Finding => {
                while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
                    self.sink.finding_raw(raw.get());
                }
            }
            Element::TaskSet => {
                while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
                    self.sink.task_set(raw.get());
                }
            }
            Element::Service => {
                while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
                    self.sink.service(raw.get());
                }
            }
            Element::Failure => {
                while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
                    self.sink.failure(raw.get());
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Tally {
        raw: Vec<String>,
        values: Vec<String>,
        task_sets: usize,
        services: usize,
        failures: usize,
        notes: Vec<String>,
    }

    impl Sink for Tally {
        fn finding_raw(&mut self, raw: &str) {
            self.raw.push(raw.to_string());
        }
        fn finding_record(&mut self, raw: &str) -> Recognised {
            let r = if raw.contains("\"SchemaVersion\"") {
                Recognised::Finding
            } else if raw.contains("\"detail-type\"") {
                Recognised::Event
            } else {
                Recognised::Neither
            };
            self.values.push(raw.to_string());
            r
        }
        fn task_set(&mut self, _: &str) {
            self.task_sets += 1;
        }
        fn service(&mut self, _: &str) {
            self.services += 1;
        }
        fn failure(&mut self, _: &str) {
            self.failures += 1;
        }
        fn file_note(&mut self, note: String) {
            self.notes.push(note);
        }
    }

    fn run(text: &str) -> (Result<Vec<Shape>, String>, Tally) {
        let mut t = Tally::default();
        let r = read_values(text.as_bytes(), &mut t).map_err(|e| e.to_string());
        (r, t)
    }

    #[test]
    fn findings_page_streams_each_element_raw() {
        let (r, t) = run(r#"{"Findings": [{"Id": "a"}, {"Id": "b"}], "NextToken": "x"}"#);
        assert_eq!(r.unwrap(), vec![Shape::FindingsPage]);
        assert_eq!(t.raw, vec![r#"{"Id": "a"}"#, r#"{"Id": "b"}"#]);
    }

    #[test]
    fn json_lines_and_concatenated_values() {
        let (r, t) =
            run("{\"SchemaVersion\":\"2018-10-08\"}\n{\"SchemaVersion\":\"2018-10-08\"}\n");
        assert_eq!(r.unwrap(), vec![Shape::Finding, Shape::Finding]);
        assert_eq!(t.values.len(), 2);
        let (r, _) = run(r#"{"detail-type":"x","detail":{}}{"detail-type":"y","detail":{}}"#);
        assert_eq!(r.unwrap(), vec![Shape::Event, Shape::Event]);
    }

    #[test]
    fn ecs_dumps() {
        let (r, t) = run(r#"{"taskSets": [{}, {}], "failures": [{}]}"#);
        assert_eq!(r.unwrap(), vec![Shape::TaskSetsDump]);
        assert_eq!((t.task_sets, t.failures), (2, 1));
        let (r, t) = run(r#"{"services": [{}], "failures": []}"#);
        assert_eq!(r.unwrap(), vec![Shape::ServicesDump]);
        assert_eq!(t.services, 1);
    }

    #[test]
    fn a_list_given_twice_is_read_whole_and_noted() {
        let (r, t) = run(r#"{"taskSets": [{}], "taskSets": [{}], "failures": []}"#);
        assert_eq!(r.unwrap(), vec![Shape::TaskSetsDump]);
        assert_eq!(t.task_sets, 2);
        assert!(t.notes[0].contains("\"taskSets\" twice"), "{:?}", t.notes);
    }

    #[test]
    fn a_single_record_keeps_its_members_in_order_and_duplicates() {
        let (r, t) = run(
            r#"{"SchemaVersion": "2018-10-08", "Other": 1, "Compliance": {"Status": "FAILED"}, "Compliance": {"Status": "PASSED"}}"#,
        );
        assert_eq!(r.unwrap(), vec![Shape::Finding]);
        assert_eq!(
            t.values[0],
            r#"{"SchemaVersion":"2018-10-08","Compliance":{"Status": "FAILED"},"Compliance":{"Status": "PASSED"}}"#
        );
    }

    #[test]
    fn unknown_objects_are_named_by_their_keys() {
        let (r, _) = run(r#"{"Reservations": [], "NextToken": null}"#);
        let err = r.unwrap_err();
        assert!(
            err.starts_with("a JSON object with keys Reservations, NextToken: not a Security Hub export or an ECS dump"),
            "{err}"
        );
        assert!(err.contains("line 1 column"), "{err}");
    }

    #[test]
    fn scalars_and_bad_arrays_are_errors_with_positions() {
        for (text, want) in [
            ("42", "a top-level number"),
            ("null", "a top-level null"),
            ("\"x\"", "a top-level string"),
            (r#"{"Findings": 3}"#, "`Findings` to be a JSON array"),
            (r#"{"Findings": [{"Id": "a"},"#, "EOF while parsing"),
        ] {
            let (r, _) = run(text);
            let err = r.unwrap_err();
            assert!(err.contains(want), "{text}: {err}");
        }
    }
}
