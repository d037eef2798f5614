//! Test helpers, compiled only for the tests and for the fuzz targets (feature `testkit`), never into the
//! tool: a whole pack built, through the very stages a run uses (`analysis::analyse`, `render::render`,
//! `manifest::build`), around one piece of text placed in every text field that comes from the inputs
//! (title, note, who, account name, cluster and service names, subnets, register entries, the input's file
//! name), for a task set replaced by commands and one replaced by a CodeDeploy AppSpec. The property tests
//! and the rendering fuzz target use it to check that no output format lets the text become markup, break
//! a table, add a line to a runbook, reach the reports as a raw control or bidirectional character, or turn
//! into a formula.

use crate::analysis::exceptions::RegisterEntry;
use crate::analysis::{analyse, Analysis, AnalysisPlan, PeriodChoice};
use crate::ingest::{self, Inputs, MemoryFile};
use crate::render::context::CoverText;
use crate::render::{self, templates::Renderer, PackFile, RenderOptions};
use serde_json::json;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod scale;
#[cfg(test)]
mod verdict;

/// A name usable inside an ARN path segment: the text without `/`, never empty.
fn segment(text: &str) -> String {
    let s: String = text.chars().filter(|c| *c != '/').collect();
    if s.is_empty() {
        "x".to_string()
    } else {
        s
    }
}

/// A get-findings page and a describe-task-sets dump whose text fields all hold `text`.
pub fn inputs_with_text(text: &str) -> Inputs {
    let arn = format!(
        "arn:aws:ecs:eu-west-1:111122223333:task-set/{}/{}/ecs-svc/1",
        segment(text),
        segment(text)
    );
    let at = "2026-09-20T00:00:00Z";
    let finding = json!({
        "SchemaVersion": "2018-10-08",
        "Id": format!("arn:aws:securityhub:eu-west-1:111122223333:security-control/ECS.16/finding/{text}"),
        "GeneratorId": "security-control/ECS.16",
        "AwsAccountId": "111122223333",
        "AwsAccountName": text,
        "FirstObservedAt": at, "LastObservedAt": at, "CreatedAt": at, "UpdatedAt": at,
        "Severity": {"Label": text},
        "Title": text,
        "Resources": [{"Type": text, "Id": arn}],
        "Compliance": {"Status": "FAILED", "SecurityControlId": "ECS.16", "RelatedRequirements": [text]},
        "Workflow": {"Status": "SUPPRESSED"},
        "RecordState": "ACTIVE",
        "Note": {"Text": text, "UpdatedBy": text, "UpdatedAt": at}
    });
    let task_set = json!({
        "id": "ecs-svc/1",
        "taskSetArn": arn,
        "status": text,
        "externalId": text,
        "taskDefinition": text,
        "launchType": text,
        "stabilityStatus": text,
        "createdAt": at,
        "updatedAt": at,
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": [text], "securityGroups": [text], "assignPublicIp": "ENABLED"}},
        "loadBalancers": [{"targetGroupArn": text, "containerName": text, "containerPort": 443}]
    });
    // A second task set, started by CodeDeploy, so that both kinds of runbook (commands and an AppSpec)
    // carry the text.
    let deployed_arn = arn.replace("/ecs-svc/1", "/ecs-svc/2");
    let mut deployed_finding = finding.clone();
    deployed_finding["Id"] = json!(format!("{}/2", finding["Id"].as_str().unwrap_or_default()));
    deployed_finding["Resources"][0]["Id"] = json!(deployed_arn);
    let mut deployed = task_set.clone();
    deployed["id"] = json!("ecs-svc/2");
    deployed["taskSetArn"] = json!(deployed_arn);
    deployed["startedBy"] = json!("CODE_DEPLOY");
    let page = json!({ "Findings": [finding, deployed_finding] });
    let dump = json!({ "taskSets": [task_set, deployed], "failures": [] });
    Inputs::Memory(vec![
        MemoryFile::new(text, page.to_string().into_bytes()),
        MemoryFile::new(format!("{text}.dump.json"), dump.to_string().into_bytes()),
    ])
}

/// The analysis of inputs whose text fields all hold `text`, with a register whose entries hold it too.
pub fn analysis_with_text(text: &str) -> Analysis {
    let register = vec![
        RegisterEntry {
            line: 2,
            task_set_arn: format!(
                "arn:aws:ecs:eu-west-1:111122223333:task-set/{}/{}/ecs-svc/1",
                segment(text),
                segment(text)
            ),
            justification: text.to_string(),
            approver: text.to_string(),
            ticket: text.to_string(),
            expires: None,
            basis: Some(crate::analysis::exceptions::Basis::CompensatingControl),
            reference: text.to_string(),
        },
        RegisterEntry {
            line: 3,
            task_set_arn: format!("{text}*"),
            justification: text.to_string(),
            approver: text.to_string(),
            ticket: text.to_string(),
            expires: None,
            basis: Some(crate::analysis::exceptions::Basis::RemediationPlan),
            reference: text.to_string(),
        },
    ];
    // The scope file's free text (the data-flow reference) is hostile too.
    let scope = crate::analysis::scope::ScopeFile {
        entries: vec![crate::analysis::scope::ScopeEntry {
            line: 2,
            account_id: "111122223333".to_string(),
            region: "*".to_string(),
            cluster: "*".to_string(),
            service: "*".to_string(),
            scope: crate::analysis::scope::Scope::Cde,
            data_flow_ref: text.to_string(),
        }],
    };
    let plan = AnalysisPlan {
        ingest: ingest::Options::default(),
        as_of: crate::time::parse_str("2026-09-20T00:00:00Z").ok(),
        period: PeriodChoice::QuarterOfAsOf,
        register: Some(register),
        previous: None,
        scope: Some(scope),
    };
    analyse(&plan, &inputs_with_text(text)).expect("inputs built to be read are read")
}

/// Renders every file of a pack whose input text fields all hold `text`.
pub fn pack_with_text(text: &str) -> Vec<PackFile> {
    let analysis = analysis_with_text(text);
    let renderer = Renderer::built_in().expect("built-in templates");
    let options = RenderOptions {
        cover: CoverText {
            org: Some(text.to_string()),
            assessor: Some(text.to_string()),
        },
        scratch_dir: None,
    };
    let mut files =
        render::render(&analysis, &renderer, &options).expect("a pack renders whatever the text");
    files.push(crate::manifest::build(
        &analysis,
        &files,
        &crate::manifest::Provenance::default(),
    ));
    files
}

/// A benign text that takes the same template branches as `text`: empty or not, and with a character that
/// acts unseen of the same kind, for those add a record problem (a flag on the ARN, one on the free text)
/// and make a runbook refuse its commands in favour of a warning.
fn benign_twin(text: &str) -> &'static str {
    use crate::escape::is_hidden_control;
    let flagged = |c: char| is_hidden_control(c) && !matches!(c, '\t' | '\n' | '\r');
    if text.is_empty() {
        ""
    } else if text.chars().any(flagged) {
        "plain\u{7}"
    } else if text.chars().any(is_hidden_control) {
        "plain\t"
    } else {
        "plain"
    }
}

/// The code blocks of report.md (its runbooks), each without its fences.
fn runbooks(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut open: Option<(String, Vec<&str>)> = None;
    for line in md.split('\n') {
        match &mut open {
            Some((fence, body)) if line == fence.as_str() => {
                out.push(body.join("\n"));
                open = None;
            }
            Some((_, body)) => body.push(line),
            None if line.starts_with("```") => {
                open = Some((line.chars().take_while(|c| *c == '`').collect(), Vec::new()));
            }
            None => {}
        }
    }
    out
}

/// The lines of a runbook as YAML or a terminal would break them.
fn lines_of(text: &str) -> usize {
    text.split([
        '\n', '\r', '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}',
    ])
    .count()
}

/// An output invariant a text broke, in words.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Broken(pub String);

/// Checks every output invariant for a pack built around `text`; `Err` says which one broke.
pub fn check_outputs(text: &str) -> Result<(), Broken> {
    let pack = pack_with_text(text);
    // A benign text of the same kind takes the same template branches, so it gives the page's own markup.
    let plain = pack_with_text(benign_twin(text));
    let file = |p: &[PackFile], name: &str| -> String {
        p.iter()
            .find(|f| f.path == name)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap_or_default()
    };
    // HTML: the text adds no markup. Every `<` of the page is the template's own, or a `<wbr>` the `ident`
    // filter put after a `/`, `:` or `-` of an identifier (the text's own `<` is always escaped).
    let (html, base) = (file(&pack, "index.html"), file(&plain, "index.html"));
    let tags = |page: &str| page.matches('<').count() - page.matches("<wbr>").count();
    if tags(&html) != tags(&base) {
        return Err(Broken("the text added markup to index.html".into()));
    }
    // Report and page: no character that acts unseen is left raw (the templates' own line feeds aside, and
    // the HTML's tabs, which it shows as spaces).
    let md = file(&pack, "report.md");
    for (name, page, allowed) in [("report.md", &md, "\n"), ("index.html", &html, "\n\t")] {
        if let Some(c) = page
            .chars()
            .find(|&c| crate::escape::is_hidden_control(c) && !allowed.contains(c))
        {
            return Err(Broken(format!("{name} holds a raw {c:?}")));
        }
    }
    // Runbooks: the text adds no line to an AppSpec or a command, counting every line break YAML or a
    // terminal knows (a value with one is refused from commands: fewer lines then).
    let (books, plain_books) = (runbooks(&md), runbooks(&file(&plain, "report.md")));
    if books.len() != plain_books.len() {
        return Err(Broken(format!(
            "{} runbooks, {} with plain text",
            books.len(),
            plain_books.len()
        )));
    }
    for (book, plain_book) in books.iter().zip(&plain_books) {
        if lines_of(book) > lines_of(plain_book) {
            return Err(Broken(format!(
                "the text added a line to a runbook:\n{book}"
            )));
        }
    }
    // Markdown: every table line keeps its header's column count, and no raw HTML tag opens.
    let mut header: Option<usize> = None;
    let mut in_fence: Option<String> = None;
    for line in md.lines() {
        if let Some(f) = &in_fence {
            if line == f {
                in_fence = None;
            }
            continue;
        }
        if line.starts_with("```") {
            in_fence = Some(line.chars().take_while(|c| *c == '`').collect());
            continue;
        }
        if line.starts_with('|') {
            let n = crate::escape::unescaped_pipes(line);
            match header {
                None => header = Some(n),
                Some(h) if h != n => {
                    return Err(Broken(format!(
                        "a Markdown table line has {n} cells, its header {h}: {line}"
                    )))
                }
                Some(_) => {}
            }
        } else {
            header = None;
        }
    }
    if in_fence.is_some() {
        return Err(Broken("the text left a Markdown code fence open".into()));
    }
    // CSV: parses back to the text (behind the formula guard), and no cell starts a formula.
    for name in [
        "data/reconciliation.csv",
        "data/findings.csv",
        "data/exceptions.csv",
        "data/task_sets.csv",
    ] {
        let bytes = pack
            .iter()
            .find(|f| f.path == name)
            .map(|f| f.bytes.clone())
            .unwrap_or_default();
        let mut r = csv::Reader::from_reader(bytes.as_slice());
        let width = r.headers().map_err(|e| Broken(e.to_string()))?.len();
        let mut found = false;
        for rec in r.records() {
            let rec = rec.map_err(|e| Broken(format!("{name}: {e}")))?;
            if rec.len() != width {
                return Err(Broken(format!(
                    "{name}: a row has {} cells, the header {width}",
                    rec.len()
                )));
            }
            for cell in rec.iter() {
                if crate::escape::is_formula_like(cell) {
                    return Err(Broken(format!("{name}: a cell starts a formula: {cell:?}")));
                }
                let unguarded = crate::escape::unguard_spreadsheet_cell(cell);
                found |= unguarded == text;
            }
        }
        if !found {
            return Err(Broken(format!(
                "{name}: the text did not come back from the CSV"
            )));
        }
    }
    Ok(())
}
