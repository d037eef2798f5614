//! The stages point one way: every `crate::` path in every source file of a top-level module names a leaf or
//! a module no later in the chain than its own. A test of the source text, so a new import that reaches
//! into a later stage fails here with its file and line.

use std::path::Path;

/// Modules any stage may use; they use only each other.
const LEAVES: &[&str] = &[
    "arn",
    "catalog",
    "csv_lines",
    "digest",
    "escape",
    "json",
    "model",
    "network",
    "period",
    "safe_fs",
    "time",
];

/// The stages in order, then the command line on top.
const CHAIN: &[&str] = &[
    "ingest",
    "dedupe",
    "reconcile",
    "analysis",
    "render",
    "manifest",
    "pack",
    "signature",
    // Command-level: writes SQL, runs no stage; `cli` parses its names and folders.
    "query",
    "cli",
    "app",
    "testkit",
];

fn rank(module: &str) -> Option<usize> {
    CHAIN.iter().position(|m| *m == module)
}

/// Every module named after `crate::` in the text outside line comments, with its line number; a group
/// (`crate::{a, b::c}`, over several lines too) names each of its members.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let code: Vec<&str> = text
        .lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect();
    let joined = code.join("\n");
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in joined.match_indices("crate::") {
        let line = joined[..i].matches('\n').count() + 1;
        let rest = &joined[i + 7..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let body = group.split('}').next().unwrap_or_default();
                out.extend(
                    body.split(',')
                        .map(ident)
                        .filter(|n| !n.is_empty())
                        .map(|n| (line, n)),
                );
            }
            None => out.push((line, ident(rest))),
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn no_module_imports_a_later_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut wrong = Vec::new();
    for path in all {
        let rel = path.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if ["lib", "main", "stage_order"].contains(&top.as_str()) {
            continue;
        }
        let own = rank(&top);
        assert!(
            own.is_some() || LEAVES.contains(&top.as_str()),
            "src/{}: module `{top}` is neither a leaf nor a stage: add it to stage_order.rs",
            rel.display()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, used) in crate_paths(&text) {
            let allowed = match (own, rank(&used)) {
                (_, None) => LEAVES.contains(&used.as_str()),
                (None, Some(_)) => false,
                (Some(me), Some(it)) => it <= me,
            };
            if !allowed {
                wrong.push(format!(
                    "src/{}:{line}: `{top}` uses `crate::{used}`",
                    rel.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up the chain:\n{}",
        wrong.join("\n")
    );
}
