//! Output that stays inert (issue 18, items 11-14): a hostile name cannot add lines to a runbook's AppSpec
//! or commands, control and bidirectional characters never reach the report or the terminal raw, a
//! baseline's folder name cannot break out of the Markdown, and the formula guard sees through leading
//! blanks and full-width signs. Each case changed what a reader saw or would run before its fix.

use crate::support::build::*;
use crate::support::*;
use crate::workbook::xlsx_part;
use serde_json::{json, Value};
use std::fs;
use std::path::Path;

/// An exposed task set: a FAILED finding and a dump saying ENABLED.
fn exposed(input: &Path, task_sets: Vec<Value>) {
    let findings = task_sets
        .iter()
        .map(|t| {
            let arn = t["taskSetArn"].as_str().unwrap();
            finding("ECS.16", arn, "FAILED", "NEW", "ACTIVE")
        })
        .collect();
    write_json(&input.join("page.json"), &page(findings));
    write_json(&input.join("dump.json"), &task_sets_dump(task_sets, vec![]));
}

#[test]
fn item_13_a_baseline_folder_name_stays_inside_its_sentence() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    exposed(&input, vec![task_set(&arn("api", 1), Some("ENABLED"))]);
    let baseline = dir
        .path()
        .join("base\n\n# Forged heading\n\n`x` [link](javascript:alert(1)) <b>bold");
    report(&[&input], &baseline, &["--as-of", "2026-09-30"]);
    let out = dir.path().join("pack");
    report(
        &[&input],
        &out,
        &[
            "--as-of",
            "2026-09-30",
            "--baseline",
            baseline.to_str().unwrap(),
        ],
    );
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    let line = md
        .lines()
        .find(|l| l.starts_with("Compared with the pack at "))
        .expect("the baseline sentence");
    // The whole name is on the sentence's line, each piece of markup escaped.
    assert!(line.contains("Forged heading"), "{line}");
    assert!(
        line.contains("\\`x\\` \\[link\\](javascript:alert(1)) \\<b\\>bold"),
        "{line}"
    );
    assert!(!md.lines().any(|l| l.starts_with("# Forged")), "{md}");
    assert!(line.ends_with("which matched its manifest."), "{line}");
}

/// The style of every workbook cell whose text is `text`, across the sheets, as `quotePrefix` or not.
fn quote_prefixed_cells(xlsx: &Path, text: &str) -> Vec<bool> {
    let styles = xlsx_part(xlsx, "xl/styles.xml");
    let xfs: Vec<bool> = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap()
        .split("<xf ")
        .skip(1)
        .map(|x| x.split('>').next().unwrap().contains("quotePrefix=\"1\""))
        .collect();
    let mut out = Vec::new();
    for n in 1..=11 {
        let sheet = xlsx_part(xlsx, &format!("xl/worksheets/sheet{n}.xml"));
        for cell in sheet.split("<c ").skip(1) {
            let tag = cell.split('>').next().unwrap();
            let shown = cell
                .split("<t")
                .nth(1)
                .and_then(|t| t.split_once('>'))
                .map(|(_, body)| body.split("</t>").next().unwrap());
            if shown == Some(text) {
                let style = tag.split(" s=\"").nth(1).map_or(0, |s| {
                    s.split('"').next().unwrap().parse::<usize>().unwrap()
                });
                out.push(xfs[style]);
            }
        }
    }
    out
}

#[test]
fn item_14_the_formula_guard_sees_through_leading_blanks_and_full_width_signs() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let a = arn("api", 1);
    let attacks = [
        " =1+1",
        "\u{a0}-2+3",
        "\u{200b}@SUM(1+1)",
        "\n+cmd|/C calc!A0",
        "＝1+1",
        "＋1",
        "－1",
        "＠SUM(1)",
    ];
    let mut f = finding("ECS.16", &a, "FAILED", "SUPPRESSED", "ACTIVE");
    f["Note"] =
        json!({"Text": attacks[0], "UpdatedBy": attacks[1], "UpdatedAt": "2026-09-02T00:00:00Z"});
    f["AwsAccountName"] = json!(attacks[2]);
    f["Title"] = json!(attacks[3]);
    let mut t = task_set(&a, Some("ENABLED"));
    t["launchType"] = json!(attacks[4]);
    t["stabilityStatus"] = json!(attacks[5]);
    t["externalId"] = json!(attacks[6]);
    t["taskDefinition"] = json!(attacks[7]);
    write_json(&input.join("page.json"), &page(vec![f]));
    write_json(&input.join("dump.json"), &task_sets_dump(vec![t], vec![]));
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    let mut cells: Vec<String> = Vec::new();
    for file in ["exceptions", "findings", "task_sets", "reconciliation"] {
        for row in csv_rows(&out.join(format!("data/{file}.csv"))) {
            cells.extend(row.into_values());
        }
    }
    for attack in attacks {
        assert!(
            cells.iter().any(|c| *c == format!("'{attack}")),
            "{attack:?} is not guarded in the CSV files"
        );
        assert!(!cells.iter().any(|c| c == attack), "{attack:?} unguarded");
        let styles = quote_prefixed_cells(&out.join("evidence.xlsx"), attack);
        assert!(!styles.is_empty(), "{attack:?} not in the workbook");
        assert!(
            styles.iter().all(|q| *q),
            "{attack:?} without Excel's quote prefix in the workbook"
        );
    }
}
