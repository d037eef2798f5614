//! The places for a verdict and a pack id (the analysis fills the verdict): when the context holds them, the
//! first screen opens with the verdict line, the Markdown starts with it, the workbook gains a Verdict
//! sheet, and the printed footer names the pack. Without them, none of that appears.

use super::analysis_with_text;
use crate::render::context::{self, CoverText, VerdictView};
use crate::render::templates::Renderer;
use crate::render::{render_context, PackFile, RenderOptions};
use std::io::Read;

fn verdict() -> VerdictView {
    VerdictView {
        requirement: "1.4.4".into(),
        status: "NOT_IN_PLACE".into(),
        line: "PCI DSS v4.0.1 1.4.4: NOT IN PLACE <b>as of</b> 2026-09-20".into(),
        rests_on: vec!["1 in-scope task set is exposed without a compensating control.".into()],
        limits: vec!["Security groups and routes are not examined.".into()],
    }
}

fn text(files: &[PackFile], name: &str) -> String {
    let f = files.iter().find(|f| f.path == name).expect("the file");
    String::from_utf8(f.bytes.clone()).expect("UTF-8")
}

fn sheet_names(files: &[PackFile]) -> Vec<String> {
    let f = files
        .iter()
        .find(|f| f.path == "evidence.xlsx")
        .expect("a workbook");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&f.bytes)).expect("a zip");
    let mut wb = String::new();
    z.by_name("xl/workbook.xml")
        .expect("workbook.xml")
        .read_to_string(&mut wb)
        .expect("text");
    wb.split("<sheet name=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().map(str::to_string))
        .collect()
}

fn pack(with_verdict: bool) -> Vec<PackFile> {
    let a = analysis_with_text("plain");
    let mut ctx = context::build(&a, &CoverText::default());
    if with_verdict {
        ctx.verdict = Some(verdict());
        ctx.pack_id = Some("0123456789ab".into());
    } else {
        // A context made by hand (a template author's, say) may hold neither.
        ctx.verdict = None;
        ctx.pack_id = None;
    }
    let renderer = Renderer::built_in().expect("built-in templates");
    render_context(&a, &ctx, &renderer, &RenderOptions::default()).expect("renders")
}

#[test]
fn a_verdict_opens_the_report_and_the_workbook_and_a_pack_id_signs_every_page() {
    let files = pack(true);
    let html = text(&files, "index.html");
    let line = "<p class=\"verdict\" id=\"verdict\"><strong>PCI DSS v4.0.1 1.4.4: NOT IN PLACE &lt;b&gt;as of&lt;&#x2F;b&gt; 2026-09-20</strong></p>";
    let at = |needle: &str| html.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(
        at(line) < at("id=\"figure-in_scope\""),
        "the verdict comes first"
    );
    assert!(at("id=\"figure-in_scope\"") < at("id=\"chart-outcomes-t\""));
    assert!(
        html.contains("<li>1 in-scope task set is exposed without a compensating control.</li>")
    );
    assert!(html.contains("content: \"pack id 0123456789ab \\0000b7  ecs16-evidence"));
    assert!(html.contains("<dt>Pack id</dt><dd class=\"code\">0123456789ab</dd>"));
    let md = text(&files, "report.md");
    let top: Vec<&str> = md.lines().take(5).collect();
    assert!(
        top.contains(&"**PCI DSS v4.0.1 1.4.4: NOT IN PLACE \\<b\\>as of\\</b\\> 2026-09-20**"),
        "{top:?}"
    );
    assert!(md.contains("| Pack id | 0123456789ab |"));
    let sheets = sheet_names(&files);
    assert_eq!(sheets[..2], ["Summary", "Verdict"]);
}

#[test]
fn without_a_verdict_nothing_pretends_to_be_one() {
    let files = pack(false);
    let html = text(&files, "index.html");
    assert!(!html.contains("class=\"verdict\"") && !html.contains("Pack id"));
    assert!(html.contains("content: \"ecs16-evidence 0.1.0 \\0000b7  as of 2026-09-20T00:00:00Z\""));
    assert!(!text(&files, "report.md").contains("Pack id"));
    assert!(!sheet_names(&files).contains(&"Verdict".to_string()));
}
