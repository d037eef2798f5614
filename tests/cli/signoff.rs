//! Sign-off and provenance (issue 13, sections 5 and 6): the names on the cover's sign-off block, blank
//! lines where none is given, the executable's SHA-256 and every option in `manifest.json`, the pack id
//! (cover, footer, Markdown, summary.json, workbook, manifest: one value, the hash of the manifest's core,
//! checked by `verify`), and the glossary and testing procedure lines of both reports.

use crate::support::*;
use ecs16_evidence::escape::unescaped_pipes;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const BLANK: &str = "________________";

/// HTML, Markdown, a formula and a hidden control at once: none of it may act anywhere it lands.
const HOSTILE_PREPARER: &str = "<img src=x onerror=alert(1)>|**bold** [link](http://e.x) `code`";
const HOSTILE_REVIEWER: &str = "=HYPERLINK(\"http://e.x\",\"x\")\u{1b}[31m\u{202e}";

fn text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The part of `html` after `start` up to the first `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("{start}")) + start.len();
    let to = html[from..].find(end).unwrap_or_else(|| panic!("{end}")) + from;
    &html[from..to]
}

/// The Markdown sign-off table: its header line and the three lines after the delimiter row.
fn md_signoff(md: &str) -> Vec<String> {
    let lines: Vec<&str> = md.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "| Sign-off | Name | Signature | Date |")
        .expect("the sign-off table");
    lines[at..at + 5].iter().map(|l| l.to_string()).collect()
}

/// XML text as the workbook wrote it, back to the text: the five entities, and `_xHHHH_` for a character
/// XML cannot hold (a control).
fn xml_text(s: &str) -> String {
    let s = s
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&");
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(at) = rest.find("_x") {
        let code = rest
            .get(at + 2..at + 6)
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match (code.and_then(char::from_u32), rest.get(at + 6..at + 7)) {
            (Some(c), Some("_")) => {
                out.push_str(&rest[..at]);
                out.push(c);
                rest = &rest[at + 7..];
            }
            _ => {
                out.push_str(&rest[..at + 2]);
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The Summary sheet as label → (value, whether the value cell carries Excel's quote prefix).
fn summary_sheet(xlsx: &Path) -> BTreeMap<String, (String, bool)> {
    let shared: Vec<String> = crate::workbook::xlsx_part(xlsx, "xl/sharedStrings.xml")
        .split("<si>")
        .skip(1)
        .map(|si| {
            let si = si.split("</si>").next().unwrap();
            let joined: String = si
                .split("<t")
                .skip(1)
                .filter_map(|t| Some(t[t.find('>')? + 1..].split("</t>").next()?.to_string()))
                .collect();
            xml_text(&joined)
        })
        .collect();
    let styles = crate::workbook::xlsx_part(xlsx, "xl/styles.xml");
    let quoted: Vec<bool> = between(&styles, "<cellXfs", "</cellXfs>")
        .split("<xf ")
        .skip(1)
        .map(|xf| xf.split('>').next().unwrap().contains("quotePrefix=\"1\""))
        .collect();
    let sheet = crate::workbook::xlsx_part(xlsx, "xl/worksheets/sheet1.xml");
    assert!(!sheet.contains("<f>"), "no formula in the Summary sheet");
    let mut cells: BTreeMap<(u32, String), (String, bool)> = BTreeMap::new();
    for piece in sheet.split("<c ").skip(1) {
        let tag = piece.split('>').next().unwrap();
        let attr = |name: &str| {
            tag.split(&format!("{name}=\""))
                .nth(1)
                .map(|v| v.split('"').next().unwrap().to_string())
        };
        let r = attr("r").unwrap();
        let split = r.find(|c: char| c.is_ascii_digit()).unwrap();
        if attr("t").as_deref() != Some("s") {
            continue;
        }
        let v: usize = piece
            .split("<v>")
            .nth(1)
            .unwrap()
            .split("</v>")
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let style: usize = attr("s").map_or(0, |s| s.parse().unwrap());
        cells.insert(
            (r[split..].parse().unwrap(), r[..split].to_string()),
            (
                shared[v].clone(),
                quoted.get(style).copied().unwrap_or(false),
            ),
        );
    }
    cells
        .iter()
        .filter(|((_, col), _)| col == "A")
        .filter_map(|((row, _), (label, _))| {
            cells
                .get(&(*row, "B".to_string()))
                .map(|v| (label.clone(), v.clone()))
        })
        .collect()
}

fn sha256_file(path: &Path) -> String {
    let bytes = fs::read(path).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The value with every object's keys in sorted order, whatever order serde_json keeps.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let by_key: BTreeMap<&String, Value> = m.iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(by_key.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The pack id computed here, independently of the tool: the manifest without `pack_id`, `outputs` and
/// `tool.executable_sha256`, keys sorted, two-space indentation, a final line feed, hashed. (The samples'
/// text holds no DEL, the one character jq's form escapes and serde_json's does not.)
fn recomputed_pack_id(manifest: &Value) -> String {
    let mut core = manifest.clone();
    let top = core.as_object_mut().unwrap();
    top.remove("pack_id");
    top.remove("outputs");
    top["tool"]
        .as_object_mut()
        .unwrap()
        .remove("executable_sha256");
    let mut bytes = serde_json::to_vec_pretty(&sorted(&core)).unwrap();
    bytes.push(b'\n');
    let hex: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    hex[..12].to_string()
}

#[test]
fn names_are_on_the_cover_and_inert_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    let o = bin()
        .args(["report", "--out"])
        .arg(&out)
        .arg(samples())
        .args([
            "--prepared-by",
            HOSTILE_PREPARER,
            "--reviewed-by",
            HOSTILE_REVIEWER,
        ])
        .output()
        .unwrap();
    assert_exit(&o, 0);

    // HTML: the names in the sign-off block as text; no element, no hidden control.
    let html = text(&out.join("index.html"));
    let block = between(&html, "<table class=\"signoff", "</table>");
    assert!(block.contains(
        "<tr id=\"signoff-prepared_by\"><th>Prepared by</th><td>&lt;img src=x onerror=alert(1)&gt;|**bold** [link](http:&#x2F;&#x2F;e.x) `code`</td>"
    ), "{block}");
    assert!(block.contains("<tr id=\"signoff-reviewed_by\"><th>Reviewed by</th><td>=HYPERLINK(&quot;http:&#x2F;&#x2F;e.x&quot;,&quot;x&quot;)\\u001b[31m\\u202e</td>"), "{block}");
    assert!(!html.contains("<img") && !html.contains('\u{1b}') && !html.contains('\u{202e}'));

    // Markdown: one cell per name, every character that could act escaped.
    let md = text(&out.join("report.md"));
    let rows = md_signoff(&md);
    assert_eq!(
        rows[2],
        format!("| Prepared by | \\<img src=x onerror=alert(1)\\>\\|\\*\\*bold\\*\\* \\[link\\](http://e.x) \\`code\\` | {BLANK} | {BLANK} |")
    );
    assert_eq!(
        rows[3],
        format!("| Reviewed by | =HYPERLINK(\"http://e.x\",\"x\")\\u001b\\[31m\\u202e | {BLANK} | {BLANK} |")
    );
    for row in &rows {
        assert_eq!(unescaped_pipes(row), 5, "{row}");
    }
    assert!(
        !md.replace("\\<", "").contains("<img"),
        "the name's < escaped"
    );
    assert!(!md.contains('\u{1b}') && !md.contains('\u{202e}'));

    // Workbook: the names are text cells, the formula one with Excel's quote prefix; no formula at all.
    let summary = summary_sheet(&out.join("evidence.xlsx"));
    assert_eq!(summary["Prepared by"].0, HOSTILE_PREPARER);
    assert_eq!(summary["Reviewed by"], (HOSTILE_REVIEWER.to_string(), true));

    // The manifest keeps them exactly; the terminal shows them escaped, on one line.
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["options"]["prepared_by"], HOSTILE_PREPARER);
    assert_eq!(m["options"]["reviewed_by"], HOSTILE_REVIEWER);
    let printed = stdout(&o);
    assert!(
        !printed.contains('\u{1b}') && !printed.contains('\u{202e}'),
        "{printed}"
    );
    assert!(printed.contains(&format!(
        "\nsign-off: prepared by {HOSTILE_PREPARER}; reviewed by =HYPERLINK(\"http://e.x\",\"x\")\\u001b[31m\\u202e\n"
    )), "{printed}");
}

#[test]
fn a_name_not_given_leaves_a_blank_line_never_not_given() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &["--prepared-by", "A. Preparer"]);

    let html = text(&out.join("index.html"));
    let block = between(&html, "<table class=\"signoff", "</table>");
    // Three rows of name, signature and date: one name given, eight lines to write on.
    assert_eq!(block.matches(BLANK).count(), 8, "{block}");
    assert!(block.contains("<th>Management attestation</th>"));
    assert!(block.contains("<td>A. Preparer</td>"));
    assert!(!block.to_lowercase().contains("not given"), "{block}");

    let md = text(&out.join("report.md"));
    let rows = md_signoff(&md);
    assert_eq!(
        rows[2],
        format!("| Prepared by | A. Preparer | {BLANK} | {BLANK} |")
    );
    assert_eq!(
        rows[3],
        format!("| Reviewed by | {BLANK} | {BLANK} | {BLANK} |")
    );
    assert_eq!(
        rows[4],
        format!("| Management attestation | {BLANK} | {BLANK} | {BLANK} |")
    );
    assert!(!rows.concat().to_lowercase().contains("not given"));

    let summary = summary_sheet(&out.join("evidence.xlsx"));
    assert_eq!(summary["Prepared by"].0, "A. Preparer");
    for label in [
        "Prepared by: signature",
        "Prepared by: date",
        "Reviewed by",
        "Reviewed by: signature",
        "Reviewed by: date",
        "Management attestation",
        "Management attestation: signature",
        "Management attestation: date",
    ] {
        assert_eq!(summary[label].0, BLANK, "{label}");
    }
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["options"]["reviewed_by"], Value::Null);
}

#[test]
fn the_manifest_records_the_executable_and_every_option_that_shapes_the_pack() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline");
    report(&[&samples()], &baseline, &[]);
    let register = dir.path().join("register.csv");
    fs::write(
        &register,
        "task_set_arn,justification,approver,ticket,expires\n\
         arn:aws:ecs:eu-west-1:111122223333:task-set/none/none/ecs-svc/1,why,who,T-1,2027-01-01\n",
    )
    .unwrap();
    let templates = dir.path().join("templates");
    assert_exit(&run(&[&"templates", &templates]), 0);
    let out = dir.path().join("pack");
    let o = bin()
        .args(["report", "-q", "--out"])
        .arg(&out)
        .arg(samples())
        .args([
            "--as-of",
            "2026-09-30T12:00:00Z",
            "--from",
            "2026-07-01",
            "--to",
            "2026-09-30",
        ])
        .arg("--exceptions")
        .arg(&register)
        .arg("--baseline")
        .arg(&baseline)
        .arg("--templates")
        .arg(&templates)
        .args([
            "--fail-on",
            "GONE,CONFLICT",
            "--org",
            "Acme",
            "--assessor",
            "QSA Ltd",
        ])
        .args(["--prepared-by", "P. Reparer", "--reviewed-by", "R. Eviewer"])
        .args(["--complete-dumps", "--skip-bad-inputs", "-j", "2"])
        .output()
        .unwrap();
    assert_exit(&o, 1); // --fail-on matched; the pack is written
    let m = json(&out.join("manifest.json"));
    let shown = |p: &Path| p.display().to_string();
    assert_eq!(
        m["options"],
        json!({
            "inputs": [shown(&samples())],
            "as_of": "2026-09-30T12:00:00Z",
            "period": null,
            "from": "2026-07-01",
            "to": "2026-09-30",
            "exceptions": shown(&register),
            "scope": null,
            "skip_bad_inputs": true,
            "complete_dumps": true,
            "fail_on": ["GONE", "CONFLICT"],
            "org": "Acme",
            "assessor": "QSA Ltd",
            "prepared_by": "P. Reparer",
            "reviewed_by": "R. Eviewer",
            "templates": shown(&templates),
            "baseline": shown(&baseline),
        }),
        "every option that shapes the pack, and no other (not -j: the pack is the same for every -j)"
    );
    assert_eq!(m["exceptions_register"]["sha256"], sha256_file(&register));

    // The executable that ran, hashed from its file: 64 lowercase hex digits.
    let exe = Path::new(env!("CARGO_BIN_EXE_ecs16-evidence"));
    let recorded = m["tool"]["executable_sha256"].as_str().unwrap();
    assert_eq!(recorded.len(), 64);
    assert!(recorded.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')));
    assert_eq!(recorded, sha256_file(exe));
}

#[test]
fn the_pack_id_is_the_hash_of_the_manifests_core_wherever_it_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let m = json(&out.join("manifest.json"));
    let id = m["pack_id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 12);
    assert_eq!(id, recomputed_pack_id(&m));

    let html = text(&out.join("index.html"));
    assert!(html.contains(&format!("<dt>Pack id</dt><dd class=\"code\">{id}</dd>")));
    assert!(html.contains(&format!(
        "@bottom-left {{ content: \"pack id {id} \\0000b7  ecs16-evidence 0.1.0"
    )));
    assert!(text(&out.join("report.md")).contains(&format!("\n| Pack id | {id} |\n")));
    assert_eq!(json(&out.join("summary.json"))["pack_id"], id.as_str());
    assert_eq!(summary_sheet(&out.join("evidence.xlsx"))["Pack id"].0, id);

    // As an assessor recomputes it without the tool, when jq is there to do it.
    match std::process::Command::new("sh")
        .arg("-c")
        .arg("jq -S 'del(.pack_id, .outputs, .tool.executable_sha256)' manifest.json | sha256sum | cut -c1-12")
        .current_dir(&out)
        .output()
    {
        Ok(jq) if jq.status.success() && !stdout(&jq).trim().is_empty() => {
            assert_eq!(stdout(&jq).trim(), id, "the README's jq command")
        }
        _ => eprintln!("skipped: jq not installed (the README's jq command was not run)"),
    }
}

#[test]
fn another_build_of_the_tool_gives_the_same_pack_id_and_files_and_another_option_another_id() {
    let dir = tempfile::tempdir().unwrap();
    // Another build: the same program with a byte appended (the ELF loader ignores it), so its SHA-256
    // differs.
    let copy = dir.path().join("ecs16-evidence-copy");
    let mut bytes = fs::read(env!("CARGO_BIN_EXE_ecs16-evidence")).unwrap();
    bytes.push(0);
    fs::write(&copy, &bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&copy, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let first = dir.path().join("first");
    report(&[&samples()], &first, &[]);
    let second = dir.path().join("second");
    // Another test's child may still hold the copy open for a moment between its fork and its exec
    // ("text file busy"): try again.
    let mut tries = 0;
    let o = loop {
        match std::process::Command::new(&copy)
            .args(["report", "-q", "--out"])
            .arg(&second)
            .arg(samples())
            .output()
        {
            Err(e) if e.raw_os_error() == Some(26) && tries < 50 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            other => break other.unwrap(),
        }
    };
    assert_exit(&o, 0);
    let (a, b) = (
        json(&first.join("manifest.json")),
        json(&second.join("manifest.json")),
    );
    assert_ne!(
        a["tool"]["executable_sha256"],
        b["tool"]["executable_sha256"]
    );
    assert_eq!(b["tool"]["executable_sha256"], sha256_file(&copy).as_str());
    assert_eq!(a["pack_id"], b["pack_id"]);
    let (mut ta, mut tb) = (tree(&first), tree(&second));
    assert!(ta.remove("manifest.json").is_some() && tb.remove("manifest.json").is_some());
    assert_eq!(ta, tb, "every other file is the same, byte for byte");

    let third = dir.path().join("third");
    report(&[&samples()], &third, &["--reviewed-by", "R. Eviewer"]);
    let c = json(&third.join("manifest.json"));
    assert_ne!(c["pack_id"], a["pack_id"], "an option changes the id");
    assert_eq!(c["pack_id"].as_str().unwrap(), recomputed_pack_id(&c));
}

/// Writes a changed manifest back, pretty as the tool writes it.
fn rewrite(path: &Path, change: impl FnOnce(&mut Value)) {
    let mut m = json(path);
    change(&mut m);
    let mut bytes = serde_json::to_vec_pretty(&m).unwrap();
    bytes.push(b'\n');
    fs::write(path, bytes).unwrap();
}

#[test]
fn verify_recomputes_the_pack_id_and_older_manifests_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let manifest = out.join("manifest.json");
    let original = fs::read(&manifest).unwrap();
    let id = json(&manifest)["pack_id"].as_str().unwrap().to_string();
    let files = json(&manifest)["outputs"].as_array().unwrap().len();

    // The id altered: the manifest no longer names its own content.
    rewrite(&manifest, |m| m["pack_id"] = json!("000000000000"));
    let o = run(&[&"verify", &out]);
    assert_exit(&o, 1);
    assert_eq!(
        stdout(&o),
        format!("changed: manifest.json (its pack_id 000000000000 is not the pack id of its content, {id}: a member the id covers was changed)\n")
    );

    // A member of the core altered, the id left: the same.
    fs::write(&manifest, &original).unwrap();
    rewrite(&manifest, |m| m["options"]["org"] = json!("Someone else"));
    let o = run(&[&"verify", &out]);
    assert_exit(&o, 1);
    assert!(
        stdout(&o).starts_with(&format!("changed: manifest.json (its pack_id {id} is not")),
        "{}",
        stdout(&o)
    );

    // The executable's hash is outside the core: only a signature guards it (tests/cli/signature.rs).
    fs::write(&manifest, &original).unwrap();
    rewrite(&manifest, |m| {
        m["tool"]["executable_sha256"] = json!("0".repeat(64))
    });
    assert_exit(&run(&[&"verify", &out]), 0);

    // A manifest written before pack ids (no pack_id, no executable, no sign-off or scope options)
    // verifies, and serves as a baseline.
    fs::write(&manifest, &original).unwrap();
    rewrite(&manifest, |m| {
        m.as_object_mut().unwrap().remove("pack_id");
        m["tool"]
            .as_object_mut()
            .unwrap()
            .remove("executable_sha256");
        for key in ["prepared_by", "reviewed_by", "scope"] {
            m["options"].as_object_mut().unwrap().remove(key);
        }
    });
    let o = run(&[&"verify", &out]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), format!("OK: {files} files verified\n"));
    let next = dir.path().join("next");
    report(&[&samples()], &next, &["--baseline", out.to_str().unwrap()]);
    assert!(next.join("data/changes.csv").is_file());
}

#[test]
fn both_reports_have_the_glossary_and_a_procedure_line_per_section() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    let html = text(&out.join("index.html"));
    let md = text(&out.join("report.md"));

    // The glossary: every term, in both.
    let glossary = between(&html, "<section id=\"glossary-section\">", "</section>");
    for (id, term) in [
        ("exposed", "Exposed"),
        ("in-scope", "In scope"),
        ("not-covered", "NOT_COVERED"),
        ("consolidated-findings", "Consolidated findings"),
        ("as-of", "as_of"),
        ("pack-id", "pack id"),
        ("reachability", "Reachability"),
        ("suppressed", "Suppressed in Security Hub"),
        ("compensating-control", "Compensating control"),
        ("customized-approach", "Customized approach"),
    ] {
        assert!(
            glossary.contains(&format!("<dt id=\"term-{id}\">{term}</dt><dd>")),
            "{id}"
        );
        let md_term = term.replace('_', "\\_");
        assert!(
            md.contains(&format!("\n| {md_term} | ")),
            "{term} in the Markdown"
        );
    }
    for p in ["1.4.4.a (diagrams)", "1.4.4.b (NSC configurations)"] {
        assert!(
            glossary.contains(&format!("\">{p}</dt><dd>Examine ")),
            "{p}"
        );
        assert!(md.contains(&format!("\n| {p} | Examine ")), "{p}");
    }
    assert!(glossary.contains("paraphrased") && md.contains("paraphrased"));

    // A line per section: every h2 but the contents, in the HTML; every ## but the contents, in the
    // Markdown; each naming what it supports and what it does not show.
    let sections: Vec<&str> = html.split("<h2 id=\"").skip(1).collect();
    assert!(sections.len() >= 14, "{}", sections.len());
    for s in sections {
        let id = s.split('"').next().unwrap();
        if id == "contents" {
            continue;
        }
        let after = s.split("</h2>\n").nth(1).unwrap();
        assert!(
            after.starts_with("<p class=\"procedure keep\">Supports ") || id == "summary",
            "{id}: {}",
            &after[..after.len().min(120)]
        );
        let line = between(s, "<p class=\"procedure keep\">", "</p>");
        assert!(line.contains(". Not shown: "), "{id}: {line}");
    }
    let headings: Vec<&str> = md.split("\n## ").skip(1).collect();
    assert!(headings.len() >= 14, "{}", headings.len());
    for h in headings {
        let title = h.lines().next().unwrap();
        if title == "Contents" {
            continue;
        }
        let first = h.lines().nth(2).unwrap_or_default();
        let summary_line = h
            .lines()
            .any(|l| l.starts_with("Supports ") && l.contains(". Not shown: "));
        assert!(
            (first.starts_with("Supports ") && first.contains(". Not shown: "))
                || (title == "Executive summary" && summary_line),
            "{title}: {first}"
        );
    }

    // Both contents lists name the glossary; the Markdown's stays numbered 1, 2, 3, … in order.
    assert!(html.contains(
        "<li><a href=\"#glossary\">Appendix B. Glossary and testing procedures</a></li>"
    ));
    let contents = between(&md, "## Contents\n\n", "\n\n");
    for (i, line) in contents.lines().enumerate() {
        assert!(line.starts_with(&format!("{}. [", i + 1)), "{line}");
    }
    assert!(
        contents.contains(". [Appendix B. Glossary and testing procedures](#appendix-b-glossary-and-testing-procedures)")
    );

    // The words live in one place (src/render/context/method.rs), not in the templates.
    for t in ["templates/index.html", "templates/report.md"] {
        let template = text(&repo().join(t));
        for words in [
            "Not shown:",
            "Examine the",
            "compensating control worksheet",
            BLANK,
        ] {
            assert!(!template.contains(words), "{t} holds {words:?}");
        }
    }
}
