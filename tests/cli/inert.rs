//! Output that stays inert (issue 18, items 11-14): a hostile name cannot add lines to a runbook's AppSpec
//! or commands, control and bidirectional characters never reach the report or the terminal raw, a
//! baseline's folder name cannot break out of the Markdown, and the formula guard sees through leading
//! blanks and full-width signs. Each case changed what a reader saw or would run before its fix.

use crate::support::build::*;
use crate::support::*;
use crate::workbook::xlsx_part;
use serde_json::json;
use std::path::Path;

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
