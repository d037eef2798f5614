//! The pack id: the first 12 hex digits of the SHA-256 of the manifest's *core*, the whole of
//! `manifest.json` but three members, written in one fixed form. It names the evidence and how it was
//! read (inputs by their hashes, options, `as_of`, period, register, baseline, tool version, catalog), so
//! the report can show it on its cover and in every footer: same evidence, same options, same tool
//! version ⇒ same pack id.
//!
//! Left out of the core, and why:
//! - `pack_id`: the id itself.
//! - `outputs`: the SHA-256 of every file of the pack. The report is one of them and shows the id, so the
//!   id has to exist before the files do; a hash of the finished `manifest.json` cannot be printed inside
//!   a file that `manifest.json` hashes. The files still depend on nothing outside the core (the pack is
//!   byte-identical for identical core), and `verify` checks them against `outputs`.
//! - `tool.executable_sha256`: the build of the binary, not the evidence. It differs with every compiler,
//!   target and build of the same source, and two builds of one version must give one pack id for the
//!   same evidence (an assessor who rebuilds the tool to check a pack; the golden files of the tests).
//!
//! The fixed form is the one `jq -S 'del(.pack_id, .outputs, .tool.executable_sha256)' manifest.json`
//! prints (jq 1.6 and later): keys sorted by their bytes at every level, two-space indentation, `": "`
//! after a key, `"`, `\` and control characters (U+0000–U+001F and U+007F) escaped as jq escapes them,
//! everything else as is, a final line feed. So an assessor can recompute the id without this tool:
//! `jq -S 'del(.pack_id, .outputs, .tool.executable_sha256)' manifest.json | sha256sum | cut -c1-12`.

use crate::digest::sha256_hex;
use serde_json::Value;

/// Hex digits of the SHA-256 shown as the pack id: 48 bits, enough to tell packs apart by eye, short
/// enough for a footer. `manifest.json` holds the full hash of every file; the id is a name, not a seal
/// (the signature is that).
pub const LEN: usize = 12;

/// The members of the top-level object left out of the core (`tool.executable_sha256` is the third).
const OUTSIDE: [&str; 2] = ["pack_id", "outputs"];

/// The core of a manifest, as bytes: `None` when the manifest is not a JSON object.
pub fn core_text(manifest: &Value) -> Option<Vec<u8>> {
    let mut core = manifest.as_object()?.clone();
    for key in OUTSIDE {
        core.remove(key);
    }
    if let Some(tool) = core.get_mut("tool").and_then(Value::as_object_mut) {
        tool.remove("executable_sha256");
    }
    let mut out = Vec::new();
    write(&Value::Object(core), 0, &mut out);
    out.push(b'\n');
    Some(out)
}

/// The pack id of a manifest (see the module comment), `None` when it is not a JSON object.
pub fn of(manifest: &Value) -> Option<String> {
    let text = core_text(manifest)?;
    let mut id = sha256_hex(&text);
    id.truncate(LEN);
    Some(id)
}

/// Writes `value` in the fixed form: jq's pretty form with sorted keys.
fn write(value: &Value, depth: usize, out: &mut Vec<u8>) {
    let indent = |out: &mut Vec<u8>, depth: usize| out.extend(std::iter::repeat_n(b' ', 2 * depth));
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Number(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Value::String(s) => string(s, out),
        Value::Array(items) if items.is_empty() => out.extend_from_slice(b"[]"),
        Value::Array(items) => {
            out.extend_from_slice(b"[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                indent(out, depth + 1);
                write(item, depth + 1, out);
            }
            out.push(b'\n');
            indent(out, depth);
            out.push(b']');
        }
        Value::Object(map) if map.is_empty() => out.extend_from_slice(b"{}"),
        Value::Object(map) => {
            // Sorted here, whatever order the map keeps (serde_json's `preserve_order` may be on).
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.extend_from_slice(b"{\n");
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                indent(out, depth + 1);
                string(key, out);
                out.extend_from_slice(b": ");
                write(&map[key], depth + 1, out);
            }
            out.push(b'\n');
            indent(out, depth);
            out.push(b'}');
        }
    }
}

/// A JSON string as jq writes it: `"` and `\` escaped, `\b \f \n \r \t` by name, the other control
/// characters and DEL as `\u00xx`, nothing else.
fn string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\u{8}' => out.extend_from_slice(b"\\b"),
            '\u{c}' => out.extend_from_slice(b"\\f"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes())
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_core_leaves_out_the_id_the_outputs_and_the_executable_and_nothing_else() {
        let m = json!({
            "schema": "s", "pack_id": "x", "outputs": [{"path": "a"}],
            "tool": {"name": "t", "version": "1", "executable_sha256": "ab"},
            "options": {"org": null, "inputs": []}, "extra": {}
        });
        let text = String::from_utf8(core_text(&m).unwrap()).unwrap();
        assert_eq!(
            text,
            "{\n  \"extra\": {},\n  \"options\": {\n    \"inputs\": [],\n    \"org\": null\n  },\n  \
             \"schema\": \"s\",\n  \"tool\": {\n    \"name\": \"t\",\n    \"version\": \"1\"\n  }\n}\n"
        );
        // Changing a member outside the core keeps the id; changing one inside changes it.
        let id = of(&m).unwrap();
        assert_eq!(id.len(), LEN);
        let mut outside = m.clone();
        outside["pack_id"] = json!("y");
        outside["outputs"] = json!([]);
        outside["tool"]["executable_sha256"] = json!("cd");
        assert_eq!(of(&outside).unwrap(), id);
        let mut inside = m.clone();
        inside["options"]["org"] = json!("Acme");
        assert_ne!(of(&inside).unwrap(), id);
        assert_eq!(of(&json!([1])), None);
    }

    #[test]
    fn strings_are_escaped_as_jq_escapes_them() {
        let mut out = Vec::new();
        string(
            "a\"\\\u{8}\u{c}\n\r\t\u{1}\u{7f}/é\u{2028}\u{202e}",
            &mut out,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u007f/é\u{2028}\u{202e}\""
        );
    }

    #[test]
    fn key_order_does_not_matter() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": [true, {"d": 2, "c": 3}]}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a": [true, {"c": 3, "d": 2}], "b": 1}"#).unwrap();
        assert_eq!(core_text(&a), core_text(&b));
        assert_eq!(
            String::from_utf8(core_text(&a).unwrap()).unwrap(),
            "{\n  \"a\": [\n    true,\n    {\n      \"c\": 3,\n      \"d\": 2\n    }\n  ],\n  \"b\": 1\n}\n"
        );
    }
}
