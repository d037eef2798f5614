//! Typed, path-aware reads from one parsed JSON record.
//!
//! Inputs are hostile or just odd (numbers where strings belong, `null` for absent, dates that do not
//! exist), so a read never fails the record by itself: [`Fields`] hands back what it could read and
//! remembers, per field, what it could not. The record's reader then decides what a problem means — a
//! finding without a readable ARN cannot be placed, a bad `Note.UpdatedAt` is only a flag on that field.

use crate::time::TimeError;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// What is wrong with one field of a record. The messages name the field by its path (`Compliance.Status`).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldError {
    #[error("{field} is {found}, expected {expected}")]
    WrongType {
        field: String,
        found: &'static str,
        expected: &'static str,
    },
    #[error("{field} holds {found}, expected strings")]
    NotStrings { field: String, found: &'static str },
    #[error("{field} is {value}, expected a whole number")]
    NotWhole { field: String, value: String },
    #[error("{field}: {cause}")]
    Time { field: String, cause: TimeError },
    /// A field the record cannot be used without, or a list element that lacks its only purpose.
    #[error("{field}: no {what}")]
    Missing { field: String, what: &'static str },
    /// A value of the right type that means nothing here (`"10.0.0.0/33"` where a CIDR belongs).
    #[error("{field} is {value:?}, expected {expected}")]
    Invalid {
        field: String,
        value: String,
        expected: &'static str,
    },
}

impl FieldError {
    /// The path of the field the problem is about.
    pub fn field(&self) -> &str {
        match self {
            FieldError::WrongType { field, .. }
            | FieldError::NotStrings { field, .. }
            | FieldError::NotWhole { field, .. }
            | FieldError::Time { field, .. }
            | FieldError::Missing { field, .. }
            | FieldError::Invalid { field, .. } => field,
        }
    }
}

/// The longest text kept from a free-text field (a title, a note, a name). Security Hub itself caps a note at
/// 512 characters and a title at 256, so text this long is not a real finding's: it is cut, and the cut says
/// how long the whole was and its SHA-256, so the original can still be matched to the input.
pub const TEXT_LIMIT: usize = 4096;

/// A text cut at [`TEXT_LIMIT`] characters, with the mark of the cut.
pub fn clip(text: &str) -> String {
    match text.char_indices().nth(TEXT_LIMIT) {
        None => text.to_string(),
        Some((end, _)) => format!(
            "{} … [cut: {} characters in all, SHA-256 {}]",
            &text[..end],
            text.chars().count(),
            crate::digest::sha256_hex(text.as_bytes())
        ),
    }
}

/// Follows a path of object keys; `None` when any step is missing or `null`.
pub fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut v = value;
    for key in path {
        v = v.get(key)?;
    }
    (!v.is_null()).then_some(v)
}

fn name(path: &[&str]) -> String {
    path.join(".")
}

/// Reads the fields of one record (or of one object inside it), keeping every problem in reading order.
pub struct Fields<'v> {
    value: &'v Value,
    problems: Vec<FieldError>,
}

impl<'v> Fields<'v> {
    pub fn of(value: &'v Value) -> Self {
        Fields {
            value,
            problems: Vec::new(),
        }
    }

    /// The record being read.
    pub fn value(&self) -> &'v Value {
        self.value
    }

    /// Records a problem found by the caller (a value that read fine but means nothing).
    pub fn flag(&mut self, e: FieldError) {
        self.problems.push(e);
    }

    /// An optional string field; a value of another type is a problem and reads as absent.
    pub fn str(&mut self, path: &[&str]) -> Option<&'v str> {
        match at(self.value, path) {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(other) => {
                self.flag(FieldError::WrongType {
                    field: name(path),
                    found: crate::json::kind(other),
                    expected: "a string",
                });
                None
            }
        }
    }

    /// An optional string field as an owned, non-empty string.
    pub fn string(&mut self, path: &[&str]) -> Option<String> {
        self.str(path).filter(|s| !s.is_empty()).map(str::to_string)
    }

    /// An optional free-text field, cut at [`TEXT_LIMIT`] characters.
    pub fn text(&mut self, path: &[&str]) -> Option<String> {
        self.str(path).map(clip)
    }

    /// An optional list of strings (`RelatedRequirements`, `subnets`, …); empty when absent or unreadable.
    pub fn list(&mut self, path: &[&str]) -> Vec<String> {
        match at(self.value, path) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::String(s) => out.push(clip(s)),
                        other => {
                            self.flag(FieldError::NotStrings {
                                field: name(path),
                                found: crate::json::kind(other),
                            });
                            return Vec::new();
                        }
                    }
                }
                out
            }
            Some(other) => {
                self.flag(FieldError::WrongType {
                    field: name(path),
                    found: crate::json::kind(other),
                    expected: "a list of strings",
                });
                Vec::new()
            }
        }
    }

    /// An optional timestamp field (string or epoch number).
    pub fn time(&mut self, path: &[&str]) -> Option<DateTime<Utc>> {
        let v = at(self.value, path)?;
        match crate::time::parse_value(v).and_then(crate::time::within_evidence_years) {
            Ok(t) => Some(t),
            Err(cause) => {
                self.flag(FieldError::Time {
                    field: name(path),
                    cause,
                });
                None
            }
        }
    }

    /// An optional whole-number field.
    pub fn i64(&mut self, path: &[&str]) -> Option<i64> {
        match at(self.value, path)? {
            Value::Number(n) => match n.as_i64() {
                Some(i) => Some(i),
                None => {
                    self.flag(FieldError::NotWhole {
                        field: name(path),
                        value: n.to_string(),
                    });
                    None
                }
            },
            other => {
                self.flag(FieldError::WrongType {
                    field: name(path),
                    found: crate::json::kind(other),
                    expected: "a number",
                });
                None
            }
        }
    }

    /// An optional true/false field (`Main`, `Egress`, `IsDefault`).
    pub fn bool(&mut self, path: &[&str]) -> Option<bool> {
        match at(self.value, path)? {
            Value::Bool(b) => Some(*b),
            other => {
                self.flag(FieldError::WrongType {
                    field: name(path),
                    found: crate::json::kind(other),
                    expected: "true or false",
                });
                None
            }
        }
    }

    /// The problems so far, oldest first.
    pub fn problems(&self) -> &[FieldError] {
        &self.problems
    }

    /// The problems, taken.
    pub fn into_problems(self) -> Vec<FieldError> {
        self.problems
    }

    /// Adds the problems of a nested reader (an element of a list), in order.
    pub fn absorb(&mut self, other: Fields<'_>) {
        self.problems.extend(other.problems);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_text_is_cut_with_its_length_and_hash() {
        let long = "é".repeat(TEXT_LIMIT + 10);
        let cut = clip(&long);
        assert!(cut.starts_with(&"é".repeat(TEXT_LIMIT)));
        assert!(cut.contains(&format!(
            "[cut: {} characters in all, SHA-256 {}]",
            TEXT_LIMIT + 10,
            crate::digest::sha256_hex(long.as_bytes())
        )));
        assert_eq!(clip("short"), "short");
    }

    #[test]
    fn problems_name_the_field_and_read_as_absent() {
        let v = json!({"a": {"b": 3}, "l": ["x", 1], "t": "yesterday", "n": 1.5, "s": "ok", "z": null, "b": "yes"});
        let mut f = Fields::of(&v);
        assert_eq!(f.str(&["a", "b"]), None);
        assert_eq!(f.list(&["l"]), Vec::<String>::new());
        assert_eq!(f.time(&["t"]), None);
        assert_eq!(f.i64(&["n"]), None);
        assert_eq!(f.str(&["s"]), Some("ok"));
        assert_eq!(f.str(&["z"]), None);
        assert_eq!(f.str(&["missing"]), None);
        assert_eq!(f.bool(&["b"]), None);
        let messages: Vec<String> = f.problems().iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "a.b is a number, expected a string",
                "l holds a number, expected strings",
                "t: timestamp \"yesterday\" is not RFC 3339 / ISO 8601",
                "n is 1.5, expected a whole number",
                "b is a string, expected true or false",
            ]
        );
        assert_eq!(f.problems()[2].field(), "t");
    }
}
