//! The HTML report in a real browser: headless Chromium prints it to PDF, `pdftotext` reads the PDF back.
//! CI installs `chromium` and `poppler-utils` (see .ci/run). Without them these tests fail and say how to
//! install them, rather than passing without having looked.

use crate::support::build::*;
use crate::support::*;
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tool(name: &str) -> PathBuf {
    for dir in std::env::var("PATH").unwrap_or_default().split(':') {
        let p = Path::new(dir).join(name);
        if p.is_file() {
            return p;
        }
    }
    panic!(
        "`{name}` is not installed, so the browser test cannot run. Install Chromium and poppler-utils \
         (Debian/Ubuntu: `sudo apt-get install -y chromium poppler-utils`), then run `cargo test` again."
    );
}

/// Runs headless Chromium with the flags this machine needs (no sandbox as root, no network chatter).
fn chromium_output(profile: &Path, args: &[String]) -> std::process::Output {
    let o = Command::new(tool("chromium"))
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        o.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn chromium(profile: &Path, args: &[String]) {
    chromium_output(profile, args);
}

/// Prints a page to PDF and returns its text.
fn pdf_text(page: &Path, work: &Path) -> String {
    let pdf = work.join("report.pdf");
    chromium(
        &work.join("profile"),
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
            format!("file://{}", page.display()),
        ],
    );
    assert!(
        fs::metadata(&pdf)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no PDF printed"
    );
    let o = Command::new(tool("pdftotext"))
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Text without whitespace or hyphens: table cells and headings wrap, and pdftotext joins a line that
/// ends in `-` to the next one without it (`ecs-svc` can come back as `ecssvc`).
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// Where test artifacts (the screenshot, the PDF) are kept for a person to look at.
fn artifacts() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser-artifacts");
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_printed_report_shows_counts_requirement_and_every_exposed_task_set() {
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
    let text = pdf_text(&out.join("index.html"), dir.path());
    let flat = squeeze(&text);
    assert!(flat.contains("PCIDSSv4.0.11.4.4"), "requirement");
    assert!(flat.contains("AcmePaymentsLtd") && flat.contains("2026Q3"));
    let summary = json(&out.join("summary.json"));
    for (code, n) in summary["outcomes"].as_object().unwrap() {
        assert!(
            flat.contains(&format!("{code}{n}")),
            "{code} {n} not in the PDF"
        );
    }
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    let exposed: Vec<_> = rows
        .iter()
        .filter(|r| {
            [
                "NON_COMPLIANT",
                "RISK_ACCEPTED",
                "CONFLICT",
                "UNASSESSED_EXPOSED",
            ]
            .contains(&r["outcome"].as_str())
        })
        .collect();
    assert_eq!(exposed.len(), 9);
    for r in exposed {
        assert!(
            flat.contains(&squeeze(&r["task_set_arn"])),
            "{} not in the PDF",
            r["task_set_arn"]
        );
    }
    fs::copy(
        dir.path().join("report.pdf"),
        artifacts().join("report.pdf"),
    )
    .unwrap();
    let shot = artifacts().join("report.png");
    let _ = fs::remove_file(&shot);
    chromium(
        &dir.path().join("profile2"),
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,2000".into(),
            format!("file://{}", out.join("index.html").display()),
        ],
    );
    assert!(
        fs::metadata(&shot)
            .map(|m| m.len() > 20_000)
            .unwrap_or(false),
        "no screenshot"
    );
}

#[test]
fn attack_strings_are_shown_as_text_in_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let attacks = [
        "<script>document.title='pwned'</script>",
        "\"><img src=x onerror=\"document.title='pwned'\">",
        "javascript:document.title='pwned'",
    ];
    let a = arn("api", 1);
    let mut f = finding("ECS.16", &a, "FAILED", "SUPPRESSED", "ACTIVE");
    f["Title"] = json!(attacks[0]);
    f["AwsAccountName"] = json!(attacks[1]);
    f["Note"] =
        json!({"Text": attacks[2], "UpdatedBy": attacks[1], "UpdatedAt": "2026-09-02T00:00:00Z"});
    f["Resources"][0]["Tags"] = json!({"x": attacks[0]});
    write_json(&input.join("p.json"), &page(vec![f]));
    let out = dir.path().join("pack");
    report(
        &[&input],
        &out,
        &["--org", attacks[0], "--assessor", attacks[1]],
    );
    // The DOM after the page ran: no element came from the inputs, the title is the report's own.
    let o = chromium_output(
        &dir.path().join("profile"),
        &[
            "--dump-dom".into(),
            format!("file://{}", out.join("index.html").display()),
        ],
    );
    let dom = String::from_utf8_lossy(&o.stdout);
    assert!(
        dom.contains("<title>ECS.16 evidence"),
        "{}",
        &dom[..dom.len().min(400)]
    );
    assert!(!dom.contains("pwned</title>"));
    assert!(!dom.contains("<script"), "a script element exists");
    assert!(!dom.contains("<img"), "an img element exists");
    assert!(!dom.contains("href=\"javascript:"));
    // And the printed page shows the strings as text.
    let text = squeeze(&pdf_text(&out.join("index.html"), dir.path()));
    for a in attacks {
        assert!(text.contains(&squeeze(a)), "{a} not shown as text");
    }
}
