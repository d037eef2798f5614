//! JSON values described in words, for messages about inputs ("… is a number, expected a string").
//! A leaf: every stage may use it, it uses none.

use serde_json::Value;

/// The kind of a JSON value, in words.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
