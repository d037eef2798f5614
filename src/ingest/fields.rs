//! Typed, path-aware reads from a parsed JSON record.
//!
//! Inputs are hostile or just odd (numbers where strings belong, `null` for absent), so every read says
//! which field was wrong and how; the caller turns that into a record-level problem.

use crate::ingest::json_kind;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Follows a path of object keys; `None` when any step is missing or `null`.
pub fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut v = value;
    for key in path {
        v = v.get(key)?;
    }
    (!v.is_null()).then_some(v)
}

/// An optional string field; an error when present with another type.
pub fn opt_str<'v>(value: &'v Value, path: &[&str]) -> Result<Option<&'v str>, String> {
    match at(value, path) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.as_str())),
        Some(other) => Err(format!(
            "{} is {}, expected a string",
            path.join("."),
            json_kind(other)
        )),
    }
}

/// A required string field.
pub fn req_str<'v>(value: &'v Value, path: &[&str]) -> Result<&'v str, String> {
    opt_str(value, path)?.ok_or_else(|| format!("no {}", path.join(".")))
}

/// An optional string field as an owned, non-empty string.
pub fn opt_string(value: &Value, path: &[&str]) -> Result<Option<String>, String> {
    Ok(opt_str(value, path)?
        .filter(|s| !s.is_empty())
        .map(str::to_string))
}

/// An optional list of strings (`RelatedRequirements`, `subnets`, …).
pub fn str_list(value: &Value, path: &[&str]) -> Result<Vec<String>, String> {
    match at(value, path) {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(format!(
                    "{} holds {}, expected strings",
                    path.join("."),
                    json_kind(other)
                )),
            })
            .collect(),
        Some(other) => Err(format!(
            "{} is {}, expected a list of strings",
            path.join("."),
            json_kind(other)
        )),
    }
}

/// An optional timestamp field (string or epoch number).
pub fn opt_time(value: &Value, path: &[&str]) -> Result<Option<DateTime<Utc>>, String> {
    match at(value, path) {
        None => Ok(None),
        Some(v) => crate::time::parse_value(v)
            .map(Some)
            .map_err(|e| format!("{}: {e}", path.join("."))),
    }
}

/// An optional integer field.
pub fn opt_i64(value: &Value, path: &[&str]) -> Result<Option<i64>, String> {
    match at(value, path) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| format!("{} is {n}, expected a whole number", path.join("."))),
        Some(other) => Err(format!(
            "{} is {}, expected a number",
            path.join("."),
            json_kind(other)
        )),
    }
}
