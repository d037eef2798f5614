//! Streaming JSON: one pass over a file, handing each record to a [`Sink`] as soon as it is parsed.
//!
//! A file holds one or more top-level JSON values (one for a `get-findings` page, many for JSON Lines or for
//! the `}{`-concatenated events Firehose writes). The big lists (`Findings`, `taskSets`, `services`,
//! `configurationItems`, `Subnets`, …) are never built in memory: each element is handed over on its own,
//! as its raw JSON text, so the sink can skip the full parse of findings that cannot be ECS.16 and can read
//! the rest itself (duplicate keys and bad values seen, not lost). Every other member of a top-level object
//! is kept raw, so a top-level object that holds no list (a single finding, an event, one task set, a
//! `create-service` output, a Config item) is handed over whole, to be recognised by its content.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::cell::Cell;
use std::fmt;
use std::io::Read;
use std::rc::Rc;

/// What a sink made of a top-level object that held no list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recognised {
    Finding,
    Event,
    /// An inventory record, named as `inspect` shows it ("ecs create-service output", "AWS Config item").
    Inventory(&'static str),
    Neither,
}

/// The lists of records this tool reads, each named by the key that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum List {
    /// `get-findings` / `get-findings-v2`.
    Findings,
    /// `describe-task-sets`.
    TaskSets,
    /// `describe-services`.
    Services,
    /// The `failures` of an ECS describe call.
    Failures,
    /// `list-clusters`: ARNs as strings.
    ClusterArns,
    /// `list-services`: ARNs as strings.
    ServiceArns,
    /// AWS Config snapshot and history files, `get-resource-config-history`.
    ConfigurationItems,
    /// `batch-get-resource-config`.
    BaseConfigurationItems,
    /// `select-resource-config` / `select-aggregate-resource-config`: each element a JSON text in a string.
    Results,
    /// `aws ec2 describe-subnets`, `describe-route-tables`, … and `aws elbv2 describe-*`: network evidence.
    Network(&'static str),
    /// The elements of a top-level array (a bare list of findings, of task sets, …).
    TopLevel,
}

/// Network lists, by key, as the AWS CLI prints them.
const NETWORK_LISTS: &[&str] = &[
    "Subnets",
    "RouteTables",
    "SecurityGroups",
    "NetworkAcls",
    "PrefixLists",
    "Entries",
    "LoadBalancers",
    "TargetGroups",
    "Listeners",
];

impl List {
    fn of(key: &str) -> Option<List> {
        Some(match key {
            "Findings" => List::Findings,
            "taskSets" => List::TaskSets,
            "services" => List::Services,
            "failures" => List::Failures,
            "clusterArns" => List::ClusterArns,
            "serviceArns" => List::ServiceArns,
            "configurationItems" => List::ConfigurationItems,
            "baseConfigurationItems" => List::BaseConfigurationItems,
            "Results" => List::Results,
            other => List::Network(NETWORK_LISTS.iter().find(|k| **k == other)?),
        })
    }

    pub fn key(self) -> &'static str {
        match self {
            List::Findings => "Findings",
            List::TaskSets => "taskSets",
            List::Services => "services",
            List::Failures => "failures",
            List::ClusterArns => "clusterArns",
            List::ServiceArns => "serviceArns",
            List::ConfigurationItems => "configurationItems",
            List::BaseConfigurationItems => "baseConfigurationItems",
            List::Results => "Results",
            List::Network(key) => key,
            List::TopLevel => "[]",
        }
    }
}

/// Receives records as they are parsed, each as its raw JSON text.
pub trait Sink {
    /// One element of a list.
    fn element(&mut self, list: List, raw: &str);
    /// A top-level object that holds no list, rebuilt from its members in their order.
    fn object(&mut self, raw: &str) -> Recognised;
    /// Something about the file as a whole (a list given twice), for its problems.
    fn file_note(&mut self, note: String);
}

/// The shape of one top-level value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shape {
    /// An object holding lists (a page, a dump, a Config file), with the names of its other members.
    Lists {
        lists: Vec<List>,
        others: Vec<String>,
    },
    /// A top-level array.
    Array,
    /// An object holding no list: what the sink recognised it as.
    Object(RecognisedKind),
}

/// [`Recognised`] without `Neither` (an unrecognised object is an error), ordered for `Shape`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RecognisedKind {
    Finding,
    Event,
    Inventory(&'static str),
}

impl Shape {
    /// True when the value holds the list.
    pub fn holds(&self, list: List) -> bool {
        matches!(self, Shape::Lists { lists, .. } if lists.contains(&list))
    }

    /// True when the object has a member of that name beside its lists.
    pub fn has_member(&self, name: &str) -> bool {
        matches!(self, Shape::Lists { others, .. } if others.iter().any(|o| o == name))
    }
}

/// The most text one record may take: one element of a list, or one top-level value that holds no list
/// (with what precedes it since the last record). Security Hub accepts findings of at most 240 KB; a record
/// of 128 MiB holds a 100 MB note and still leaves room, and past it the parser would hold any amount of
/// text in memory for one value (an unclosed `[` costs a byte of memory per byte of file). A file with a
/// larger record is refused by name, after reading at most this much of that record.
pub const RECORD_MAX: u64 = 128 * 1024 * 1024;

/// The read buffer in front of [`Bounded`].
const BUFFER: usize = 64 * 1024;

/// Reads every top-level value of a file, feeding the sink. Returns the shape of each value in order. A
/// record larger than [`RECORD_MAX`] stops the read with an error (see [`record_too_large`]).
pub fn read_values(
    reader: impl Read,
    sink: &mut dyn Sink,
) -> Result<Vec<Shape>, serde_json::Error> {
    read_values_bounded(reader, sink, RECORD_MAX)
}

fn read_values_bounded(
    reader: impl Read,
    sink: &mut dyn Sink,
    max: u64,
) -> Result<Vec<Shape>, serde_json::Error> {
    let since = Rc::new(Cell::new(0));
    // serde_json reads a byte at a time: from a buffer here, so `Bounded` counts a buffer at a time (and
    // runs ahead of the parser by at most one buffer, a 2,048th of the limit) and the per-byte read is
    // inlined instead of a call through the boxed reader.
    let buffer = usize::try_from(max / 2048).map_or(BUFFER, |b| b.clamp(1, BUFFER));
    let reader = std::io::BufReader::with_capacity(
        buffer,
        Bounded {
            inner: reader,
            since: Rc::clone(&since),
            max,
        },
    );
    let mut sink = Counted { inner: sink, since };
    read_all(serde_json::Deserializer::from_reader(reader), &mut sink)
}

const TOO_LARGE: &str = "one record is larger than";

/// Why a read stopped: one record was larger than the limit.
#[derive(Debug)]
struct RecordTooLarge(u64);

impl fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{TOO_LARGE} {} MiB (the most this tool reads of a single finding or task set); not read \
             (a record this large is not an export's: is the file cut or corrupt?)",
            self.0 >> 20
        )
    }
}

impl std::error::Error for RecordTooLarge {}

/// The message when `e` stopped a read at [`RECORD_MAX`], so the caller shows it as what it is (not as a
/// gzip or disk error). serde_json hands an I/O error's payload on only by its words.
pub fn record_too_large(e: &serde_json::Error) -> Option<String> {
    let message = e.to_string();
    (e.is_io() && message.starts_with(TOO_LARGE)).then_some(message)
}

/// A reader that fails once more than `max` bytes are read since the sink last received a record.
struct Bounded<R> {
    inner: R,
    since: Rc<Cell<u64>>,
    max: u64,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let since = self.since.get() + n as u64;
        if since > self.max {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                RecordTooLarge(self.max),
            ));
        }
        self.since.set(since);
        Ok(n)
    }
}

/// A sink that restarts the count of [`Bounded`] at every record it receives.
struct Counted<'s> {
    inner: &'s mut dyn Sink,
    since: Rc<Cell<u64>>,
}

impl Sink for Counted<'_> {
    fn element(&mut self, list: List, raw: &str) {
        self.since.set(0);
        self.inner.element(list, raw);
    }
    fn object(&mut self, raw: &str) -> Recognised {
        self.since.set(0);
        self.inner.object(raw)
    }
    fn file_note(&mut self, note: String) {
        self.inner.file_note(note);
    }
}

/// [`read_values`] over text held in memory. serde_json parses a slice several times faster than a `Read`
/// (it looks ahead in the buffer instead of going through the reader byte by byte), and JSON Lines of
/// records (a Firehose part, an EventBridge archive) take a shorter road still: each line is handed over as
/// the very text it is, instead of being rebuilt member by member. Any error: the caller reads the file
/// again through [`read_values`], whose messages and positions are the canonical ones.
pub fn read_slice(text: &[u8], sink: &mut dyn Sink) -> Result<Vec<Shape>, serde_json::Error> {
    if let Some(records) = standalone_records(text) {
        let mut shapes = Vec::with_capacity(records.len());
        for raw in records {
            shapes.push(match sink.object(raw.get()) {
                Recognised::Finding => Shape::Object(RecognisedKind::Finding),
                Recognised::Event => Shape::Object(RecognisedKind::Event),
                Recognised::Inventory(kind) => Shape::Object(RecognisedKind::Inventory(kind)),
                Recognised::Neither => return Err(not_ours("an object of an unknown kind")),
            });
        }
        return Ok(shapes);
    }
    read_all(serde_json::Deserializer::from_slice(text), sink)
}

/// The top-level values of a text, each as its raw text, when every one of them is an object that cannot
/// hold a list this tool reads (no list key and no `\u` escape, which could spell one, anywhere in the
/// text): what [`Top`] would rebuild and hand to `Sink::object` member by member is then the value's own
/// text. `None` when that is not certain (the caller takes the general road).
fn standalone_records(text: &[u8]) -> Option<Vec<&RawValue>> {
    if memchr::memmem::find(text, b"\\u").is_some()
        || LIST_KEYS.iter().any(|k| k.find(text).is_some())
    {
        return None;
    }
    let mut out = Vec::new();
    for value in serde_json::Deserializer::from_slice(text).into_iter::<&RawValue>() {
        let raw = value.ok()?;
        if !raw.get().starts_with('{') {
            return None;
        }
        out.push(raw);
    }
    (!out.is_empty()).then_some(out)
}

/// Every key [`List::of`] knows, quoted as it appears in a text.
static LIST_KEYS: std::sync::LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    std::sync::LazyLock::new(|| {
        [
            "Findings",
            "taskSets",
            "services",
            "failures",
            "clusterArns",
            "serviceArns",
            "configurationItems",
            "baseConfigurationItems",
            "Results",
        ]
        .iter()
        .chain(NETWORK_LISTS)
        .map(|k| memchr::memmem::Finder::new(format!("\"{k}\"").as_bytes()).into_owned())
        .collect()
    });

fn read_all<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    sink: &mut dyn Sink,
) -> Result<Vec<Shape>, serde_json::Error> {
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
            self.sink.element(List::TopLevel, raw.get());
        }
        Ok(Shape::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        // Members that are not lists, raw and in order (a key given twice stays twice).
        let mut kept: Vec<(String, Box<RawValue>)> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut lists: Vec<List> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match List::of(&key) {
                Some(list) => {
                    if lists.contains(&list) {
                        self.sink.file_note(format!(
                            "the file holds the list \"{}\" twice; the records of both were read",
                            list.key()
                        ));
                    }
                    map.next_value_seed(Each {
                        sink: &mut *self.sink,
                        list,
                    })?;
                    lists.push(list);
                }
                None => kept.push((key.clone(), map.next_value()?)),
            }
            keys.push(key);
        }
        if !lists.is_empty() {
            lists.sort();
            lists.dedup();
            let others = kept.into_iter().map(|(k, _)| k).collect();
            return Ok(Shape::Lists { lists, others });
        }
        match self.sink.object(&object_text(&kept)) {
            Recognised::Finding => Ok(Shape::Object(RecognisedKind::Finding)),
            Recognised::Event => Ok(Shape::Object(RecognisedKind::Event)),
            Recognised::Inventory(kind) => Ok(Shape::Object(RecognisedKind::Inventory(kind))),
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

/// Streams the elements of one of the lists to the sink.
struct Each<'s> {
    sink: &'s mut dyn Sink,
    list: List,
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
        write!(f, "`{}` to be a JSON array", self.list.key())
    }

    /// `"taskSets": null` is what some SDK serialisers print for an empty list.
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            self.sink.element(self.list, raw.get());
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
        fn element(&mut self, list: List, raw: &str) {
            match list {
                List::Findings | List::TopLevel => self.raw.push(raw.to_string()),
                List::TaskSets => self.task_sets += 1,
                List::Services => self.services += 1,
                List::Failures => self.failures += 1,
                _ => {}
            }
        }
        fn object(&mut self, raw: &str) -> Recognised {
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
        fn file_note(&mut self, note: String) {
            self.notes.push(note);
        }
    }

    fn lists(l: &[List]) -> Shape {
        Shape::Lists {
            lists: l.to_vec(),
            others: Vec::new(),
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
        assert_eq!(
            r.unwrap(),
            vec![Shape::Lists {
                lists: vec![List::Findings],
                others: vec!["NextToken".into()]
            }]
        );
        assert_eq!(t.raw, vec![r#"{"Id": "a"}"#, r#"{"Id": "b"}"#]);
    }

    #[test]
    fn json_lines_and_concatenated_values() {
        let (r, t) =
            run("{\"SchemaVersion\":\"2018-10-08\"}\n{\"SchemaVersion\":\"2018-10-08\"}\n");
        let one = Shape::Object(RecognisedKind::Finding);
        assert_eq!(r.unwrap(), vec![one.clone(), one]);
        assert_eq!(t.values.len(), 2);
        let (r, _) = run(r#"{"detail-type":"x","detail":{}}{"detail-type":"y","detail":{}}"#);
        let one = Shape::Object(RecognisedKind::Event);
        assert_eq!(r.unwrap(), vec![one.clone(), one]);
    }

    #[test]
    fn ecs_dumps() {
        let (r, t) = run(r#"{"taskSets": [{}, {}], "failures": [{}]}"#);
        assert_eq!(r.unwrap(), vec![lists(&[List::TaskSets, List::Failures])]);
        assert_eq!((t.task_sets, t.failures), (2, 1));
        let (r, t) = run(r#"{"services": [{}], "failures": []}"#);
        assert_eq!(r.unwrap(), vec![lists(&[List::Services, List::Failures])]);
        assert_eq!(t.services, 1);
    }

    #[test]
    fn a_list_given_twice_is_read_whole_and_noted() {
        let (r, t) = run(r#"{"taskSets": [{}], "taskSets": [{}], "failures": []}"#);
        assert_eq!(r.unwrap(), vec![lists(&[List::TaskSets, List::Failures])]);
        assert_eq!(t.task_sets, 2);
        assert!(t.notes[0].contains("\"taskSets\" twice"), "{:?}", t.notes);
    }

    #[test]
    fn a_single_record_keeps_its_members_in_order_and_duplicates() {
        let (r, t) = run(
            r#"{"SchemaVersion": "2018-10-08", "Other": 1, "Compliance": {"Status": "FAILED"}, "Compliance": {"Status": "PASSED"}}"#,
        );
        assert_eq!(r.unwrap(), vec![Shape::Object(RecognisedKind::Finding)]);
        assert_eq!(
            t.values[0],
            r#"{"SchemaVersion":"2018-10-08","Other":1,"Compliance":{"Status": "FAILED"},"Compliance":{"Status": "PASSED"}}"#
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
    fn a_record_past_the_limit_stops_the_read_but_many_small_ones_do_not() {
        let small = format!(
            "{{\"Findings\": [{}{{\"Id\": \"z\"}}]}}",
            "{\"Id\": \"a\"},".repeat(100)
        );
        let mut t = Tally::default();
        assert!(read_values_bounded(small.as_bytes(), &mut t, 64).is_ok());
        assert_eq!(t.raw.len(), 101);
        let lines = "{\"SchemaVersion\":\"2018-10-08\"}\n".repeat(100);
        assert!(read_values_bounded(lines.as_bytes(), &mut Tally::default(), 64).is_ok());
        // An unclosed `[` inside a record, and one long record: refused once the limit is passed.
        for text in [
            format!(
                "{{\"Findings\": [{{\"Id\": \"a\"}}, {{\"Details\": [{}",
                "1,".repeat(1000)
            ),
            format!("{{\"Findings\": [{{\"Note\": \"{}\"}}]}}", "x".repeat(1000)),
        ] {
            let mut t = Tally::default();
            let e = read_values_bounded(text.as_bytes(), &mut t, 64).unwrap_err();
            let message = record_too_large(&e).expect("the record-size error");
            assert!(
                message.starts_with("one record is larger than"),
                "{message}"
            );
        }
        assert!(record_too_large(&serde_json::from_str::<u8>("x").unwrap_err()).is_none());
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
