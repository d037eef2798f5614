//! One record's JSON text → a value, without losing what a plain parse would lose silently.
//!
//! Two things a plain `serde_json::from_str::<Value>` does are wrong for evidence:
//! - A key given twice keeps its last value without a word: a finding with `Compliance` FAILED then PASSED
//!   reads as PASSED. Here every duplicate is recorded with all its values, so the reader can take the
//!   more exposed reading and say so.
//! - One bad value makes the whole record unreadable: a Note cut in the middle of an emoji (a lone UTF-16
//!   surrogate escape `\ud83d`, as Python and JavaScript write it), a number beyond any float (`1e400`), or a
//!   member nested deeper than the parser's limit. Here the record is salvaged: lone surrogates become
//!   U+FFFD, and a member that still cannot be read is set to `null` — each repair recorded, so the reader
//!   flags the field instead of dropping the record.
//!
//! The text given has already been checked as JSON syntax by the stream reader (strings, brackets and
//! commas are where they should be), which is what makes the member spans below reliable.

use crate::escape::is_hidden_control;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// A key that occurs more than once in the same object, with every value it was given, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    /// Dotted path of the key (`Compliance.Status`, `Resources[0].Id`).
    pub path: String,
    pub values: Vec<Value>,
}

/// Something changed in the text to read the record, in words for the record's problems.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Repair {
    #[error("{count} lone UTF-16 surrogate escape(s) (a character cut in half, e.g. an emoji) replaced by U+FFFD")]
    LoneSurrogates { count: usize },
    #[error("{field} could not be read ({why}) and was left out")]
    Unreadable { field: String, why: String },
}

/// A record read: its value, its duplicate keys, and the repairs that were needed.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub value: Value,
    pub duplicates: Vec<Duplicate>,
    pub repairs: Vec<Repair>,
}

/// The record could not be read even with repairs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("a value that cannot be read ({0})")]
pub struct Unreadable(pub String);

/// How many members may be left out before the record counts as unreadable.
const MAX_REPAIRS: usize = 32;

/// Reads one record's text.
pub fn parse(raw: &str) -> Result<Parsed, Unreadable> {
    let mut text = std::borrow::Cow::Borrowed(raw);
    let mut repairs = Vec::new();
    loop {
        match parse_exact(&text) {
            Ok((value, duplicates)) => {
                return Ok(Parsed {
                    value,
                    duplicates,
                    repairs,
                })
            }
            Err(e) if repairs.len() >= MAX_REPAIRS => return Err(Unreadable(message(&e))),
            Err(e) => {
                let (repaired, repair) =
                    repair(&text, &e).ok_or_else(|| Unreadable(message(&e)))?;
                repairs.push(repair);
                text = std::borrow::Cow::Owned(repaired);
            }
        }
    }
}

/// serde_json's message without its " at line N column M" suffix.
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The text with one problem repaired, and what was done; `None` when nothing can be done.
fn repair(text: &str, e: &serde_json::Error) -> Option<(String, Repair)> {
    let (fixed, count) = replace_lone_surrogates(text);
    if count > 0 {
        return Some((fixed, Repair::LoneSurrogates { count }));
    }
    let at = offset(text, e.line(), e.column())?;
    let (key, span) = member_at(text, at)?;
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..span.start)?);
    out.push_str("null");
    out.push_str(text.get(span.end..)?);
    Some((
        out,
        Repair::Unreadable {
            field: key,
            why: message(e),
        },
    ))
}

/// The byte offset of a 1-based line and column (serde_json counts columns in bytes).
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += text.get(start..)?.find('\n')? + 1;
    }
    Some((start + column.saturating_sub(1)).min(text.len()))
}

/// The innermost object member whose value holds the byte `at` — except that a member nested deeper than
/// the parser can follow is cut where the parser still can: at the outermost member holding `at` below the
/// record's own top level. Returns the member's dotted key and the span of its value.
fn member_at(text: &str, at: usize) -> Option<(String, std::ops::Range<usize>)> {
    let members = members_containing(text, at);
    // The first member of the chain is a top-level field of the record: cutting there loses the least
    // that can still be parsed, whatever made the parser stop.
    let first = members.first()?;
    Some((first.0.clone(), first.1.clone()))
}

/// Every object member (key, value span) whose value holds `at`, outermost first.
fn members_containing(text: &str, at: usize) -> Vec<(String, std::ops::Range<usize>)> {
    let bytes = text.as_bytes();
    // A stack of open containers: for objects, the key being read and where its value started.
    struct Open {
        is_object: bool,
        key: Option<String>,
        value_start: Option<usize>,
    }
    let mut stack: Vec<Open> = Vec::new();
    let mut chain = Vec::new();
    let mut i = 0;
    let mut last_string: Option<String> = None;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                last_string = text.get(start..i.min(text.len())).map(str::to_string);
            }
            b':' => {
                if let Some(top) = stack.last_mut() {
                    top.key = last_string.take();
                    let mut j = i + 1;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    top.value_start = Some(j);
                }
            }
            b'{' | b'[' => stack.push(Open {
                is_object: bytes[i] == b'{',
                key: None,
                value_start: None,
            }),
            b',' | b'}' | b']' => {
                // The value of the current member ends here.
                if let Some(top) = stack.last_mut() {
                    if let (true, Some(key), Some(start)) =
                        (top.is_object, top.key.take(), top.value_start.take())
                    {
                        if start <= at && at < i {
                            chain.push((key, start..trim_end(bytes, start, i)));
                        }
                    }
                }
                if bytes[i] != b',' {
                    stack.pop();
                }
            }
            _ => {}
        }
        i += 1;
    }
    // Members close innermost first; the chain is wanted outermost first, with dotted names.
    chain.reverse();
    let mut dotted = String::new();
    chain
        .into_iter()
        .map(|(key, span)| {
            if !dotted.is_empty() {
                dotted.push('.');
            }
            dotted.push_str(&key);
            (dotted.clone(), span)
        })
        .collect()
}

fn trim_end(bytes: &[u8], start: usize, mut end: usize) -> usize {
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    end
}

/// Replaces `\uD800`-`\uDBFF` escapes not followed by a low surrogate escape, and low surrogate escapes not
/// preceded by a high one, with `\uFFFD`. Returns the text and how many were replaced.
fn replace_lone_surrogates(text: &str) -> (String, usize) {
    fn hex4(s: &str) -> Option<u32> {
        let h = s.get(..4)?;
        h.chars()
            .all(|c| c.is_ascii_hexdigit())
            .then(|| u32::from_str_radix(h, 16).ok())
            .flatten()
    }
    let mut out = String::with_capacity(text.len());
    let mut count = 0;
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let escape = after.get(1..2).unwrap_or("");
        if escape != "u" {
            // Any other escape (including `\\`) is copied whole, so `\\u` is never taken for `\u`.
            let len = 1 + escape.len();
            out.push_str(&after[..len]);
            rest = &after[len..];
            continue;
        }
        let Some(code) = after.get(2..).and_then(hex4) else {
            out.push_str(&after[..2]);
            rest = &after[2..];
            continue;
        };
        let high = (0xD800..=0xDBFF).contains(&code);
        let low = (0xDC00..=0xDFFF).contains(&code);
        let next_low = after
            .get(6..)
            .filter(|s| s.starts_with("\\u"))
            .and_then(|s| s.get(2..))
            .and_then(hex4)
            .is_some_and(|c| (0xDC00..=0xDFFF).contains(&c));
        if high && next_low {
            out.push_str(&after[..12]);
            rest = &after[12..];
        } else if high || low {
            out.push_str("\\uFFFD");
            count += 1;
            rest = &after[6..];
        } else {
            out.push_str(&after[..6]);
            rest = &after[6..];
        }
    }
    out.push_str(rest);
    (out, count)
}

/// A plain parse that records duplicate keys.
fn parse_exact(text: &str) -> Result<(Value, Vec<Duplicate>), serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut duplicates = Vec::new();
    let value = ValueSeed {
        at: None,
        duplicates: &mut duplicates,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok((value, duplicates))
}

/// Where a value sits in its record: a chain of borrowed steps back to the top. Only a duplicate key
/// turns it into a dotted name; building one name per member (a `String` for every key and `[i]` for every
/// list element) was a tenth of the CPU of reading an organisation's dumps.
#[derive(Clone, Copy)]
struct At<'p> {
    up: Option<&'p At<'p>>,
    step: Step<'p>,
}

#[derive(Clone, Copy)]
enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// `Resources`, `[0]`, `Id` → `Resources[0].Id`.
fn dotted(at: Option<&At<'_>>) -> String {
    let mut steps = Vec::new();
    let mut here = at;
    while let Some(a) = here {
        steps.push(a.step);
        here = a.up;
    }
    let mut s = String::new();
    for step in steps.iter().rev() {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Builds a `Value` like serde_json's own, remembering where it is and every duplicate key.
struct ValueSeed<'a, 'p> {
    at: Option<&'p At<'p>>,
    duplicates: &'a mut Vec<Duplicate>,
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let at = At {
                up: self.at,
                step: Step::Index(items.len()),
            };
            let next = seq.next_element_seed(ValueSeed {
                at: Some(&at),
                duplicates: self.duplicates,
            });
            match next? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let at = At {
                up: self.at,
                step: Step::Key(&key),
            };
            let value = map.next_value_seed(ValueSeed {
                at: Some(&at),
                duplicates: self.duplicates,
            })?;
            if object.contains_key(&key) {
                let dotted = dotted(Some(&at));
                let previous = object.insert(key, value.clone());
                match self.duplicates.iter_mut().find(|d| d.path == dotted) {
                    Some(d) => d.values.push(value),
                    None => self.duplicates.push(Duplicate {
                        path: dotted,
                        values: previous.into_iter().chain([value]).collect(),
                    }),
                }
            } else {
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

impl Parsed {
    /// The element `index` of the list at `path` as a record of its own (an event's finding, a service's
    /// task set): its value, the duplicate keys found inside it (paths made relative to it), and the
    /// record's repairs (a repair cannot always be placed more precisely).
    pub fn child(&self, path: &[&str], index: usize) -> Option<Parsed> {
        let value = super::fields::at(&self.value, path)?.get(index)?.clone();
        let prefix = format!("{}[{index}].", path.join("."));
        let duplicates = self
            .duplicates
            .iter()
            .filter_map(|d| {
                d.path.strip_prefix(&prefix).map(|rest| Duplicate {
                    path: rest.to_string(),
                    values: d.values.clone(),
                })
            })
            .collect();
        Some(Parsed {
            value,
            duplicates,
            repairs: self.repairs.clone(),
        })
    }
}

/// Every reading of the field at `path` that the record offers, in the order the text gives them: the
/// values any duplicate key on the way to it held, and its value. Distinct, nulls left out.
pub fn readings<'v>(parsed: &'v Parsed, path: &[&str]) -> Vec<&'v Value> {
    let mut out: Vec<&Value> = Vec::new();
    let mut add = |v: Option<&'v Value>| {
        if let Some(v) = v.filter(|v| !v.is_null()) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    };
    for d in &parsed.duplicates {
        for depth in 1..=path.len() {
            if path
                .get(..depth)
                .is_some_and(|head| d.path == head.join("."))
            {
                for v in &d.values {
                    add(super::fields::at(v, path.get(depth..).unwrap_or_default()));
                }
            }
        }
    }
    // The value a plain parser keeps (the last given) is already among them when a key was duplicated.
    add(super::fields::at(&parsed.value, path));
    out
}

/// The text of the repair that left out the member at `path` (or a member holding it), when one did.
pub fn left_out(parsed: &Parsed, path: &str) -> Option<String> {
    parsed.repairs.iter().find_map(|r| match r {
        Repair::Unreadable { field, .. }
            if path == field || path.starts_with(&format!("{field}.")) =>
        {
            Some(r.to_string())
        }
        _ => None,
    })
}

/// The reading of a text field that the record offers most exposed by `rank` (lower is more exposed), and,
/// when the record offers more than one (a key given twice), that choice in words.
pub fn most_exposed<'v>(
    parsed: &'v Parsed,
    path: &[&str],
    rank: impl Fn(&str) -> u8,
) -> (Option<&'v str>, Option<String>) {
    let texts: Vec<&str> = readings(parsed, path)
        .into_iter()
        .filter_map(Value::as_str)
        .collect();
    let chosen = texts.iter().copied().min_by_key(|t| rank(t));
    let words = match (chosen, texts.len()) {
        (Some(c), n) if n > 1 => Some(format!(
            "{} is given {n} ways ({}); read as {c}, the more exposed reading",
            path.join("."),
            texts.join(", ")
        )),
        _ => None,
    };
    (chosen, words)
}

/// The flag of a record whose free text holds characters that act unseen (controls other than the tabs
/// and line breaks a note may hold, bidirectional formatting), naming the fields: the data files keep the
/// text as written, so the reader of a CSV needs telling; the reports show it escaped.
pub fn hidden_text_flag(texts: &[(&str, &str)]) -> Option<String> {
    let mut fields: Vec<&str> = Vec::new();
    for (field, text) in texts {
        let hides = text
            .chars()
            .any(|c| is_hidden_control(c) && !matches!(c, '\t' | '\n' | '\r'));
        if hides && !fields.contains(field) {
            fields.push(field);
        }
    }
    (!fields.is_empty()).then(|| {
        format!(
            "{} {} control or bidirectional-override characters (kept as written here, shown escaped in the report)",
            fields.join(", "),
            if fields.len() == 1 { "holds" } else { "hold" }
        )
    })
}

/// The record's repairs and duplicate keys, in words for its flags.
pub fn flags(parsed: &Parsed) -> Vec<String> {
    let mut out: Vec<String> = parsed.repairs.iter().map(ToString::to_string).collect();
    out.extend(parsed.duplicates.iter().map(|d| {
        format!(
            "the key {} is given {} times (a JSON parser keeps only the last)",
            d.path,
            d.values.len()
        )
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_that_acts_unseen_is_flagged_by_field() {
        assert_eq!(
            hidden_text_flag(&[("Title", "ok"), ("Note.Text", "two\r\nlines\tand a tab")]),
            None
        );
        assert_eq!(
            hidden_text_flag(&[
                ("Title", "a\u{1b}[2J"),
                ("Note.Text", "\u{202e}x"),
                ("Note.Text", "nul\u{0}"),
                ("Severity", "HIGH"),
                ("Title", "\u{2066}"),
            ])
            .as_deref(),
            Some("Title, Note.Text hold control or bidirectional-override characters (kept as written here, shown escaped in the report)")
        );
    }

    #[test]
    fn duplicate_keys_are_recorded_with_every_value() {
        let p = parse(r#"{"Compliance": {"Status": "FAILED"}, "Compliance": {"Status": "PASSED"}, "a": {"b": 1, "b": 2, "b": 3}}"#).unwrap();
        assert_eq!(p.value["Compliance"]["Status"], "PASSED");
        assert_eq!(p.duplicates.len(), 2);
        assert_eq!(p.duplicates[0].path, "Compliance");
        assert_eq!(p.duplicates[1].path, "a.b");
        assert_eq!(p.duplicates[1].values, vec![json!(1), json!(2), json!(3)]);
        let status: Vec<&Value> = readings(&p, &["Compliance", "Status"]);
        assert_eq!(status, vec![&json!("FAILED"), &json!("PASSED")]);
    }

    #[test]
    fn lone_surrogates_become_the_replacement_character() {
        let p = parse(r#"{"Note": {"Text": "cut \ud83d", "ok": "\ud83d\ude00", "low": "\udc00", "esc": "\\ud83d"}}"#).unwrap();
        assert_eq!(p.value["Note"]["Text"], "cut \u{FFFD}");
        assert_eq!(p.value["Note"]["ok"], "\u{1F600}");
        assert_eq!(p.value["Note"]["low"], "\u{FFFD}");
        // `\\ud83d` is a backslash then text, not an escape.
        assert_eq!(p.value["Note"]["esc"], "\\ud83d");
        assert_eq!(p.repairs, vec![Repair::LoneSurrogates { count: 2 }]);
    }

    #[test]
    fn a_member_that_cannot_be_read_is_left_out_and_named() {
        let p =
            parse("{\n  \"Id\": \"f1\",\n  \"UpdatedAt\": 1e400,\n  \"Title\": \"t\"\n}").unwrap();
        assert_eq!(p.value["Id"], "f1");
        assert_eq!(p.value["UpdatedAt"], Value::Null);
        assert_eq!(p.value["Title"], "t");
        assert_eq!(
            p.repairs[0].to_string(),
            "UpdatedAt could not be read (number out of range) and was left out"
        );
        let deep = format!(
            "{{\"Id\": \"f1\", \"Details\": {{\"x\": {}1{}}}, \"Title\": \"t\"}}",
            "[".repeat(2000),
            "]".repeat(2000)
        );
        let p = parse(&deep).unwrap();
        assert_eq!(p.value["Details"], Value::Null);
        assert_eq!(p.value["Title"], "t");
        assert!(p.repairs[0]
            .to_string()
            .starts_with("Details could not be read (recursion limit exceeded)"));
    }

    #[test]
    fn what_cannot_be_repaired_is_unreadable() {
        let deep = format!("{}1{}", "[".repeat(2000), "]".repeat(2000));
        assert!(parse(&deep).is_err());
    }
}
