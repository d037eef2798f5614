//! Templates that would recurse without end are refused before anything is rendered.
//!
//! Tera 1 has no recursion limit: a template that includes or extends itself, or a macro that calls itself,
//! overflows the stack and aborts the process (Tera issues #770 and #872) — no error, no message. The
//! report's context is flat (lists of rows), so no template of this tool needs recursion; user templates
//! (`--templates DIR`) are checked here and a cycle is named instead.
//!
//! The check reads the template text: `{% include "x" %}`, `{% extends "x" %}`, `{% import "x" as ns %}`,
//! `{% macro m(...) %} … {% endmacro %}` and calls `self::m(` / `ns::m(`. Each template file and each macro
//! is a node; an include, extends or call is an edge; any cycle is refused.

use std::collections::{BTreeMap, BTreeSet};

/// A node: a template file (`macro_name` empty) or one macro of it.
type Node = (String, String);

/// The tags of a template: the text of every `{% … %}`, with its byte offset.
fn tags(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut offset = 0;
    while let Some(open) = rest.find("{%") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("%}") else { break };
        let inner = after[..close].trim_matches(|c: char| c == '-' || c.is_whitespace());
        out.push((offset + open, inner));
        let consumed = open + 2 + close + 2;
        offset += consumed;
        rest = &rest[consumed..];
    }
    out
}

/// The first quoted string of a tag's arguments (`"x"` or `'x'`).
fn quoted(args: &str) -> Option<&str> {
    let args = args.trim_start();
    let quote = args.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let body = &args[1..];
    body.find(quote).map(|end| &body[..end])
}

/// Every call `ns::name(` in a template's text, with the byte offset of its `::`.
fn calls(text: &str) -> Vec<(usize, &str, &str)> {
    let bytes = text.as_bytes();
    let ident = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text
        .get(from..)
        .and_then(|t| t.find("::"))
        .map(|k| k + from)
    {
        let start = bytes[..at]
            .iter()
            .rposition(|b| !ident(b))
            .map_or(0, |p| p + 1);
        let end = bytes[at + 2..]
            .iter()
            .position(|b| !ident(b))
            .map_or(bytes.len(), |p| at + 2 + p);
        if start < at && end > at + 2 && bytes.get(end) == Some(&b'(') {
            out.push((at, &text[start..at], &text[at + 2..end]));
        }
        from = at + 2;
    }
    out
}

/// The edges leaving one template file and its macros.
fn edges_of(file: &str, text: &str, out: &mut BTreeMap<Node, BTreeSet<Node>>) {
    let tags = tags(text);
    let mut imports: BTreeMap<&str, &str> = BTreeMap::new();
    for (_, tag) in &tags {
        if let Some(args) = tag.strip_prefix("import") {
            if let (Some(target), Some((_, alias))) = (quoted(args), args.rsplit_once(" as ")) {
                imports.insert(alias.trim(), target);
            }
        }
    }
    // Which macro each stretch of the text belongs to ("" outside any macro).
    let mut regions: Vec<(usize, usize, String)> = Vec::new();
    let mut open: Option<(usize, String)> = None;
    for (at, tag) in &tags {
        if let Some(rest) = tag.strip_prefix("macro ") {
            let name: String = rest
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            open = Some((*at, name));
        } else if tag.starts_with("endmacro") {
            if let Some((start, name)) = open.take() {
                regions.push((start, *at, name));
            }
        }
    }
    let owner = |at: usize| {
        regions
            .iter()
            .find(|(s, e, _)| *s <= at && at < *e)
            .map(|(_, _, n)| n.clone())
            .unwrap_or_default()
    };
    let mut add = |from: Node, to: Node| {
        out.entry(from).or_default().insert(to);
    };
    for (at, tag) in &tags {
        let from = (file.to_string(), owner(*at));
        for keyword in ["include", "extends", "import"] {
            if let Some(target) = tag.strip_prefix(keyword).and_then(quoted) {
                add(from.clone(), (target.to_string(), String::new()));
            }
        }
    }
    // Calls anywhere in the text (expressions and tags alike), owned by the macro they sit in.
    for (at, ns, name) in calls(text) {
        let target = match ns {
            "self" => Some(file),
            alias => imports.get(alias).copied(),
        };
        if let Some(target) = target {
            add(
                (file.to_string(), owner(at)),
                (target.to_string(), name.to_string()),
            );
        }
    }
    // A file runs its own top level; each macro belongs to its file.
    out.entry((file.to_string(), String::new())).or_default();
}

/// The first cycle among the templates, as the path of names around it; `None` when there is none.
pub fn find_cycle(sources: &BTreeMap<String, String>) -> Option<Vec<String>> {
    let mut graph: BTreeMap<Node, BTreeSet<Node>> = BTreeMap::new();
    for (file, text) in sources {
        edges_of(file, text, &mut graph);
    }
    let mut done: BTreeSet<Node> = BTreeSet::new();
    for start in graph.keys() {
        let mut path: Vec<Node> = Vec::new();
        if let Some(cycle) = visit(start, &graph, &mut path, &mut done) {
            return Some(cycle.iter().map(show).collect());
        }
    }
    None
}

fn show(n: &Node) -> String {
    if n.1.is_empty() {
        n.0.clone()
    } else {
        format!("{}::{}", n.0, n.1)
    }
}

fn visit(
    node: &Node,
    graph: &BTreeMap<Node, BTreeSet<Node>>,
    path: &mut Vec<Node>,
    done: &mut BTreeSet<Node>,
) -> Option<Vec<Node>> {
    if let Some(i) = path.iter().position(|n| n == node) {
        let mut cycle = path[i..].to_vec();
        cycle.push(node.clone());
        return Some(cycle);
    }
    if done.contains(node) {
        return None;
    }
    path.push(node.clone());
    for next in graph.get(node).into_iter().flatten() {
        if let Some(c) = visit(next, graph, path, done) {
            return Some(c);
        }
    }
    path.pop();
    done.insert(node.clone());
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(files: &[(&str, &str)]) -> Option<String> {
        let sources = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        find_cycle(&sources).map(|c| c.join(" → "))
    }

    #[test]
    fn includes_and_extends_in_a_circle_are_found() {
        assert_eq!(
            cycle(&[("report.md", "a {% include \"report.md\" %} b")]).as_deref(),
            Some("report.md → report.md")
        );
        assert_eq!(
            cycle(&[
                ("a.html", "{%- extends 'b.html' -%}"),
                ("b.html", "{% include \"a.html\" %}")
            ])
            .as_deref(),
            Some("a.html → b.html → a.html")
        );
        assert_eq!(
            cycle(&[("a.html", "{% include \"b.html\" %}"), ("b.html", "x")]),
            None
        );
    }

    #[test]
    fn macros_that_call_themselves_are_found_and_others_are_not() {
        let looping = "{% macro m(x) %}{{ self::m(x=x) }}{% endmacro m %}{{ self::m(x=1) }}";
        assert_eq!(
            cycle(&[("index.html", looping)]).as_deref(),
            Some("index.html::m → index.html::m")
        );
        let mutual = "{% import \"lib.html\" as lib %}{{ lib::a() }}";
        let lib = "{% macro a() %}{{ self::b() }}{% endmacro %}{% macro b() %}{{ self::a() }}{% endmacro %}";
        assert!(cycle(&[("index.html", mutual), ("lib.html", lib)]).is_some());
        let fine = "{% macro a() %}x{% endmacro %}{% macro b() %}{{ self::a() }}{% endmacro %}{{ self::b() }}";
        assert_eq!(cycle(&[("index.html", fine)]), None);
    }

    #[test]
    fn the_built_in_templates_do_not_recurse() {
        let sources = super::super::templates::BUILT_IN
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        assert_eq!(find_cycle(&sources), None);
    }
}
