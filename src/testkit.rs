//! Builds a whole pack in memory around one piece of text placed in every text field that comes from the
//! inputs (title, note, who, account name, cluster and service names, subnets, register entries). Used by
//! the property tests and the rendering fuzz target to check that no output format lets the text become
//! markup, break a table, or turn into a formula. Not part of the tool's interface.

use crate::arn::TaskSetArn;
use crate::exceptions::RegisterEntry;
use crate::manifest::RunOptions;
use crate::model::*;
use crate::period::Period;
use crate::render::{self, templates::Renderer, PackFile};
use crate::time;

/// A name usable inside an ARN path segment: the text without `/`, never empty.
fn segment(text: &str) -> String {
    let s: String = text.chars().filter(|c| *c != '/').collect();
    if s.is_empty() {
        "x".to_string()
    } else {
        s
    }
}

/// Renders every file of a pack whose input text fields all hold `text`.
pub fn pack_with_text(text: &str) -> Vec<PackFile> {
    let arn_text = format!(
        "arn:aws:ecs:eu-west-1:111122223333:task-set/{}/{}/ecs-svc/1",
        segment(text),
        segment(text)
    );
    let a = TaskSetArn::parse(&arn_text).expect("a task set ARN");
    let at = time::parse_str("2026-09-20T00:00:00Z").expect("a time");
    let finding = Finding {
        id: format!(
            "arn:aws:securityhub:eu-west-1:111122223333:security-control/ECS.16/finding/{text}"
        ),
        format: FindingFormat::Asff,
        control_id: "ECS.16".into(),
        control_id_source: ControlIdSource::SecurityControlId,
        generator_id: "security-control/ECS.16".into(),
        standard: None,
        task_set_arn: arn_text.clone(),
        resource_type: text.to_string(),
        account_id: a.account_id.clone(),
        account_name: Some(text.to_string()),
        region: a.region.clone(),
        cluster: a.cluster.clone(),
        service: a.service.clone(),
        title: text.to_string(),
        severity: Some(text.to_string()),
        compliance_status: ComplianceStatus::Failed,
        workflow_status: Some(WorkflowStatus::Suppressed),
        record_state: RecordState::Active,
        first_observed_at: Some(at),
        last_observed_at: Some(at),
        created_at: Some(at),
        updated_at: Some(at),
        processed_at: None,
        exported_at: Some(at),
        note: Some(Note {
            text: text.to_string(),
            updated_by: text.to_string(),
            updated_at: Some(at),
        }),
        related_requirements: vec![text.to_string()],
        origin: Origin {
            input: 0,
            record: 1,
        },
    };
    let mut inventory = Inventory::default();
    inventory.task_sets.insert(
        arn_text.clone(),
        TaskSet {
            arn: arn_text.clone(),
            id: a.id.clone(),
            account_id: a.account_id.clone(),
            region: a.region.clone(),
            cluster: a.cluster.clone(),
            service: a.service.clone(),
            status: Some(TaskSetStatus::Other(text.to_string())),
            assign_public_ip: Some(AssignPublicIp::Enabled),
            subnets: vec![text.to_string()],
            security_groups: vec![text.to_string()],
            launch_type: Some(text.to_string()),
            task_definition: Some(text.to_string()),
            started_by: None,
            external_id: Some(text.to_string()),
            stability_status: Some(text.to_string()),
            created_at: Some(at),
            updated_at: Some(at),
            load_balancers: vec![LoadBalancer {
                target_group_arn: Some(text.to_string()),
                load_balancer_name: None,
                container_name: Some(text.to_string()),
                container_port: Some(443),
            }],
            origin: Origin {
                input: 1,
                record: 1,
            },
        },
    );
    let findings = vec![finding];
    let rows = crate::reconcile::reconcile(&findings, &inventory);
    let aggregates = crate::aggregate::aggregate(&rows).expect("aggregates");
    let register = vec![
        RegisterEntry {
            line: 2,
            task_set_arn: arn_text.clone(),
            justification: text.to_string(),
            approver: text.to_string(),
            ticket: text.to_string(),
            expires: None,
        },
        RegisterEntry {
            line: 3,
            task_set_arn: format!("{text}*"),
            justification: text.to_string(),
            approver: text.to_string(),
            ticket: text.to_string(),
            expires: None,
        },
    ];
    let exceptions = crate::exceptions::evaluate(&rows, &register, &at);
    let plan = crate::remediation::plan(&rows, &inventory);
    let period = Period::quarter_containing(&at);
    let history = crate::history::build(&findings, &rows, &period, &at);
    let inputs = vec![crate::ingest::InputReport {
        path: text.to_string(),
        size: 1,
        sha256: String::new(),
        kind: text.to_string(),
        gzip: false,
        findings_read: 1,
        ecs16_findings: 1,
        task_sets: 1,
        services: 0,
        failures: 0,
        problems: vec![RecordProblem {
            record: 1,
            message: text.to_string(),
        }],
        status: crate::ingest::InputStatus::Used,
        threads: 1,
    }];
    let options = RunOptions {
        org: Some(text.to_string()),
        assessor: Some(text.to_string()),
        ..Default::default()
    };
    let analysis = render::Analysis {
        catalog: crate::catalog::catalog(),
        as_of: at,
        period: &period,
        rows: &rows,
        findings: &findings,
        duplicates_dropped: 0,
        inventory: &inventory,
        inputs: &inputs,
        aggregates: &aggregates,
        exceptions: &exceptions,
        register: None,
        remediation: &plan,
        exposure_points: &[],
        history: &history,
        baseline: None,
        options: &options,
        scratch_dir: None,
    };
    let renderer = Renderer::built_in().expect("built-in templates");
    render::render(&analysis, &renderer).expect("a pack renders whatever the text")
}

/// Unescaped `|` in a Markdown line.
pub fn markdown_pipes(line: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in line.chars() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == '|' {
            n += 1;
        }
    }
    n
}

/// Checks every output invariant for a pack built around `text`; `Err` says which one broke.
pub fn check_outputs(text: &str) -> Result<(), String> {
    let pack = pack_with_text(text);
    // The same template branches are taken for any non-empty text, so a benign one gives the page's own markup.
    let plain = pack_with_text(if text.is_empty() { "" } else { "plain" });
    let file = |p: &[PackFile], name: &str| -> String {
        p.iter()
            .find(|f| f.path == name)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap_or_default()
    };
    // HTML: the text adds no markup. Every `<` of the page is the template's own.
    let (html, base) = (file(&pack, "index.html"), file(&plain, "index.html"));
    if html.matches('<').count() != base.matches('<').count() {
        return Err("the text added markup to index.html".into());
    }
    // Markdown: every table line keeps its header's column count, and no raw HTML tag opens.
    let md = file(&pack, "report.md");
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
            let n = markdown_pipes(line);
            match header {
                None => header = Some(n),
                Some(h) if h != n => {
                    return Err(format!(
                        "a Markdown table line has {n} cells, its header {h}: {line}"
                    ))
                }
                Some(_) => {}
            }
        } else {
            header = None;
        }
    }
    if in_fence.is_some() {
        return Err("the text left a Markdown code fence open".into());
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
        let width = r.headers().map_err(|e| e.to_string())?.len();
        let mut found = false;
        for rec in r.records() {
            let rec = rec.map_err(|e| format!("{name}: {e}"))?;
            if rec.len() != width {
                return Err(format!(
                    "{name}: a row has {} cells, the header {width}",
                    rec.len()
                ));
            }
            for cell in rec.iter() {
                if crate::render::escape::is_formula_like(cell) {
                    return Err(format!("{name}: a cell starts a formula: {cell:?}"));
                }
                let unguarded = crate::render::escape::unguard_spreadsheet_cell(cell);
                found |= unguarded == text;
            }
        }
        if !found {
            return Err(format!("{name}: the text did not come back from the CSV"));
        }
    }
    Ok(())
}
