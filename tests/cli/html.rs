//! The HTML and Markdown reports: self-contained, escaped, scalable, overridable templates.

use crate::support::build::*;
use crate::support::*;
use std::fs;

fn sample_pack() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(
        &[&samples()],
        &out,
        &[
            "--org",
            "Acme Payments Ltd",
            "--assessor",
            "J. Q. Assessor, QSA",
        ],
    );
    (dir, out)
}

#[test]
fn the_page_loads_nothing_from_outside() {
    let (_d, out) = sample_pack();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains(r#"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">"#));
    let lower = html.to_lowercase();
    for banned in [
        "<script", "<link", "@import", " src=", "<iframe", "<object", "<embed",
    ] {
        assert!(!lower.contains(banned), "{banned} in index.html");
    }
    // `url(` only names a pattern or marker of the page itself (`url(#p-…)`, `url(#arrowhead)`), never a
    // resource.
    for (i, _) in lower.match_indices("url(") {
        assert!(
            lower[i..].starts_with("url(#p-") || lower[i..].starts_with("url(#arrowhead)"),
            "{}",
            &lower[i..i + 40]
        );
    }
    // The only external references are plain links to public documentation.
    for href in lower
        .split("href=\"")
        .skip(1)
        .map(|h| h.split('"').next().unwrap().replace("&#x2f;", "/"))
    {
        assert!(
            href.starts_with('#') || href.starts_with("https://docs.aws.amazon.com/"),
            "{href}"
        );
    }
}

#[test]
fn the_report_has_every_section_with_anchors() {
    let (_d, out) = sample_pack();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    for id in [
        "summary",
        "control",
        "method",
        "results",
        "accounts",
        "period",
        "exceptions",
        "remediation",
        "inputs",
    ] {
        assert!(html.contains(&format!("href=\"#{id}\"")), "toc entry {id}");
        assert!(html.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    for text in [
        "Acme Payments Ltd",
        "J. Q. Assessor, QSA",
        "2026-Q3 (2026-07-01 to 2026-09-30, 92 days)",
        "2026-09-29T21:40:00Z",
        "ecs16-evidence 0.1.0",
    ] {
        assert!(html.contains(text), "cover lacks {text}");
    }
    for sentence in [
        "<p>17 task sets were reconciled for 2026-Q3.</p>",
        "<p>9 are exposed now: 3 non-compliant, 2 suppressed in Security Hub, 2 in conflict",
    ] {
        assert!(html.contains(sentence), "{sentence}");
    }
    for (id, value) in [
        ("in_scope", "17"),
        ("exposed_now", "9"),
        ("fixed_in_period", "0"),
        ("not_covered", "4"),
        ("oldest_open_exposure", "141 days"),
    ] {
        assert!(
            html.contains(&format!("id=\"figure-{id}\""))
                && html.contains(&format!("<span class=\"value\">{value}</span>")),
            "figure {id} {value}"
        );
    }
    assert_eq!(
        html.matches("<svg role=\"img\"").count(),
        3,
        "outcomes, per account, and exposure over the two export dates"
    );
    assert!(html.contains("<desc id=\"chart-outcomes-d\">Non-compliant (NON_COMPLIANT) 3, Suppressed (RISK_ACCEPTED) 2, Conflict (CONFLICT) 2, Unassessed, exposed (UNASSESSED_EXPOSED) 2, Unassessed (UNASSESSED) 2, Compliant (COMPLIANT) 3, Gone (GONE) 3</desc>"));
    // The first screen comes before the contents, the runbooks after everything else.
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(at("id=\"figure-in_scope\"") < at("id=\"chart-outcomes-t\""));
    assert!(at("id=\"chart-outcomes-t\"") < at("id=\"contents\""));
    assert!(at("id=\"inputs\"") < at("id=\"runbooks\""));
    // The verdict opens the first screen, before the figures.
    assert!(at("id=\"verdict\"") < at("id=\"figure-in_scope\""));
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    for h in [
        "## Executive summary",
        "## Control and requirement",
        "## How outcomes are decided",
        "## Scope",
        "## Population and coverage",
        "## Reachability from the internet",
        "## Results per outcome",
        "## Results per account",
        "## Assessment period and stale evidence",
        "## Exceptions register",
        "## Remediation",
        "## Inputs and integrity",
        "## Appendix A. Remediation runbooks",
    ] {
        assert!(md.contains(h), "report.md lacks {h}");
    }
    // The same order as the HTML.
    let md_at = |needle: &str| md.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(md_at("| task sets examined | **17** |") < md_at("## Contents"));
    assert!(md_at("## Scope") < md_at("## Population and coverage"));
    assert!(md_at("## Population and coverage") < md_at("## Reachability from the internet"));
    assert!(md_at("## Reachability from the internet") < md_at("## Results per outcome"));
    assert!(md_at("## Inputs and integrity") < md_at("## Appendix A."));
    assert!(
        !md.contains("<svg") && !md.contains("<table") && !md.contains("<br"),
        "Markdown needs no raw HTML"
    );
}

/// Unescaped `|` in a table line: the cell separators (the library's own counter).
use ecs16_evidence::escape::unescaped_pipes as cells;

#[test]
fn every_markdown_table_keeps_its_column_count() {
    let (_d, out) = sample_pack();
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    let mut tables = 0;
    let mut header: Option<usize> = None;
    for line in md.lines() {
        if line.starts_with('|') {
            match header {
                None => {
                    header = Some(cells(line));
                    tables += 1;
                }
                Some(n) => assert_eq!(cells(line), n, "{line}"),
            }
        } else {
            header = None;
        }
    }
    assert!(tables >= 12, "{tables} tables");
}

#[test]
fn ten_thousand_task_sets_stay_under_ten_megabytes() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let mut findings = Vec::new();
    let mut task_sets = Vec::new();
    for i in 0..10_000u32 {
        let a = arn(&format!("svc-{}", i % 40), i);
        let status = if i % 3 == 0 { "PASSED" } else { "FAILED" };
        findings.push(finding(
            "ECS.16",
            &a,
            status,
            if status == "PASSED" {
                "RESOLVED"
            } else {
                "NEW"
            },
            "ACTIVE",
        ));
        task_sets.push(task_set(
            &a,
            Some(if i % 3 == 0 { "DISABLED" } else { "ENABLED" }),
        ));
    }
    write_json(&input.join("findings.json"), &page(findings));
    write_json(&input.join("dump.json"), &task_sets_dump(task_sets, vec![]));
    let out = dir.path().join("pack");
    report(&[&input], &out, &[]);
    let size = fs::metadata(out.join("index.html")).unwrap().len();
    assert!(size < 10 * 1024 * 1024, "index.html is {size} bytes");
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("6466 more NON_COMPLIANT task sets in <code>data/reconciliation.csv</code>"),
        "says how many rows are not shown"
    );
    assert!(html.contains("6616 more exposed task sets need the same steps"));
    assert!(html.contains("6466 more exposed task sets in <code>data/reconciliation.csv</code>"));
    assert_eq!(csv_rows(&out.join("data/reconciliation.csv")).len(), 10_000);
    assert!(fs::metadata(out.join("report.md")).unwrap().len() < 5 * 1024 * 1024);
}

#[test]
fn templates_are_written_out_and_override_by_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    let o = run(&[&"templates", &tpl]);
    assert_exit(&o, 0);
    assert!(tpl.join("index.html").exists() && tpl.join("report.md").exists());
    assert_exit(&run(&[&"templates", &tpl]), 2);
    // Unchanged copies give the built-in output.
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&[&samples()], &a, &[]);
    report(&[&samples()], &b, &["--templates", tpl.to_str().unwrap()]);
    assert_eq!(
        fs::read(a.join("index.html")).unwrap(),
        fs::read(b.join("index.html")).unwrap()
    );
    // Overriding one template leaves the other built in.
    let only = dir.path().join("only");
    fs::create_dir(&only).unwrap();
    fs::write(
        only.join("report.md"),
        "# {{ catalog.control.id }} for {{ cover.org | md }}: {{ totals.task_sets }} task sets\n",
    )
    .unwrap();
    let c = dir.path().join("c");
    report(
        &[&samples()],
        &c,
        &["--templates", only.to_str().unwrap(), "--org", "A|B"],
    );
    assert_eq!(
        fs::read_to_string(c.join("report.md")).unwrap(),
        "# ECS.16 for A\\|B: 17 task sets\n"
    );
    let html = fs::read_to_string(c.join("index.html")).unwrap();
    assert!(
        html.contains("<h2>Executive summary</h2>") && html.contains("<dd>A|B</dd>"),
        "index.html stays built in"
    );
}

#[test]
fn a_template_error_names_template_line_and_cause_and_leaves_no_pack() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl");
    fs::create_dir(&tpl).unwrap();
    fs::write(
        tpl.join("report.md"),
        "# Report\n\n{{ totals.task_sets }}\n{{ totals.no_such_count }}\n",
    )
    .unwrap();
    let out = dir.path().join("pack");
    let o = run(&[&"report", &samples(), &"--out", &out, &"--templates", &tpl]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert!(err.contains("template report.md: line 4: "), "{err}");
    assert!(err.contains("totals.no_such_count"), "{err}");
    fs::write(tpl.join("report.md"), "ok\n{% if %}\n").unwrap();
    let o = run(&[&"report", &samples(), &"--out", &out, &"--templates", &tpl]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("template report.md: "),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "nothing but the template folder"
    );
}

#[test]
fn dump_context_shows_what_templates_get() {
    let dir = tempfile::tempdir().unwrap();
    let ctx = dir.path().join("context.json");
    report(
        &[&samples()],
        &dir.path().join("p"),
        &["--dump-context", ctx.to_str().unwrap()],
    );
    let v = json(&ctx);
    assert_eq!(v["totals"]["task_sets"], 17);
    assert_eq!(v["catalog"]["control"]["id"], "ECS.16");
}
