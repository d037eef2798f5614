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

/// Characters that act without being seen: controls, bidirectional formatting, line separators.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The hidden characters of a text other than the line feeds (and tabs, when `tabs`) a file is made of.
fn hidden_in(text: &str, tabs: bool) -> Vec<char> {
    text.chars()
        .filter(|&c| is_hidden(c) && c != '\n' && !(tabs && c == '\t'))
        .collect()
}

fn task_set_arn(cluster: &str, service: &str, n: u32) -> String {
    format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task-set/{cluster}/{service}/ecs-svc/{n}")
}

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

/// One runbook of report.md's appendix: its heading, the text between heading and code, the code.
struct Runbook {
    heading: String,
    notes: String,
    lang: String,
    code: String,
}

/// The runbooks of report.md. Lines are split on `\n` only: a `\r` stays inside its line, as it does in
/// the file, so that a check can see it.
fn runbooks(md: &str) -> Vec<Runbook> {
    let appendix = md.split("## Appendix A.").nth(1).expect("an appendix");
    let mut out = Vec::new();
    for part in appendix.split("\n### A.").skip(1) {
        let (heading, rest) = part.split_once('\n').unwrap();
        let fence_at = rest.find("```").expect("a code block");
        let fence: String = rest[fence_at..].chars().take_while(|c| *c == '`').collect();
        let after = &rest[fence_at + fence.len()..];
        let (lang, body) = after.split_once('\n').unwrap();
        let end = body.find(&format!("\n{fence}\n")).expect("a closed fence");
        out.push(Runbook {
            heading: heading.to_string(),
            notes: rest[..fence_at].to_string(),
            lang: lang.to_string(),
            code: body[..end].to_string(),
        });
    }
    out
}

fn runbook<'a>(books: &'a [Runbook], heading_has: &str) -> &'a Runbook {
    books
        .iter()
        .find(|b| b.heading.contains(heading_has))
        .unwrap_or_else(|| panic!("no runbook for {heading_has}"))
}

/// The lines of a YAML text as a YAML parser sees them: CR, LF, NEL and the Unicode separators all end one.
fn yaml_lines(text: &str) -> Vec<&str> {
    text.split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}'])
        .collect()
}

/// The keys the built-in AppSpec has; a line with any other key was put there by a value.
const APPSPEC_KEYS: [&str; 14] = [
    "version",
    "Resources",
    "TargetService",
    "Type",
    "Properties",
    "TaskDefinition",
    "LoadBalancerInfo",
    "ContainerName",
    "ContainerPort",
    "NetworkConfiguration",
    "AwsvpcConfiguration",
    "Subnets",
    "SecurityGroups",
    "AssignPublicIp",
];

/// The key a YAML line starts (`  - TargetService:` → `TargetService`), `None` for comments and blanks.
fn yaml_key(line: &str) -> Option<&str> {
    let t = line.trim_start().trim_start_matches("- ").trim_start();
    if t.is_empty() || t.starts_with('#') {
        return None;
    }
    Some(t.split(':').next().unwrap_or(t).trim())
}

/// Runs a runbook's commands in `sh` with `aws` replaced by a function that prints its arguments:
/// what the shell would really pass, one `Vec` per command.
fn shell_arguments(script: &str) -> Vec<Vec<String>> {
    let stub = "aws() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; printf '\\1'; }\n";
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{stub}{script}"))
        .output()
        .expect("sh runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout)
        .unwrap()
        .split('\u{1}')
        .filter(|c| !c.is_empty())
        .map(|c| {
            c.split('\0')
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn argument_after<'a>(args: &'a [String], flag: &str) -> &'a str {
    let at = args.iter().position(|a| a == flag).unwrap_or_else(|| {
        panic!("no {flag} in {args:?}");
    });
    &args[at + 1]
}

#[test]
fn item_11_a_line_break_in_a_name_adds_no_line_to_the_appspec_or_the_commands() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let hooks = "x\rHooks:\n  - BeforeInstall: arn:aws:lambda:eu-west-1:111122223333:function:evil";
    let mut deployed = task_set(&task_set_arn(hooks, "deploy", 1), Some("ENABLED"));
    deployed["startedBy"] = json!("CODE_DEPLOY");
    let carriage = task_set(
        &task_set_arn("payments", "api\raws iam create-user --user-name evil", 2),
        Some("ENABLED"),
    );
    let mut shorthand = task_set(&task_set_arn("payments", "shorthand", 3), Some("ENABLED"));
    shorthand["networkConfiguration"]["awsvpcConfiguration"]["subnets"] =
        json!(["subnet-0aaa],assignPublicIp=ENABLED,securityGroups=[sg-evil"]);
    exposed(&input, vec![deployed, carriage, shorthand]);
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    let books = runbooks(&md);

    // The AppSpec: every line is a comment or one of the template's own keys; no Hooks.
    let appspec = runbook(&books, "deploy");
    assert_eq!(appspec.lang, "yaml");
    for line in yaml_lines(&appspec.code) {
        if let Some(key) = yaml_key(line) {
            assert!(
                APPSPEC_KEYS.contains(&key),
                "a value started the line {line:?} in\n{}",
                appspec.code
            );
        }
    }
    assert!(
        hidden_in(&appspec.code, false).is_empty(),
        "{:?}",
        appspec.code
    );
    // The name is still there, escaped, on the comment line.
    assert!(
        appspec
            .code
            .contains("\\u000dHooks:\\u000a  - BeforeInstall"),
        "{}",
        appspec.code
    );

    // Commands: a value with a control character is refused, and the runbook says why in words.
    let refused = runbook(&books, "aws iam create-user");
    assert!(
        hidden_in(&refused.code, false).is_empty(),
        "{:?}",
        refused.code
    );
    assert!(!refused.code.contains("aws ecs"), "{}", refused.code);
    assert!(
        refused.notes.contains("No command is shown"),
        "{}",
        refused.notes
    );

    // A value cannot add a key to a command's JSON argument: the shell passes it whole, JSON reads it whole.
    let commands = runbook(&books, "shorthand");
    let created = &shell_arguments(&commands.code)[0];
    let network: Value = serde_json::from_str(argument_after(created, "--network-configuration"))
        .expect("the network configuration is JSON");
    assert_eq!(
        network["awsvpcConfiguration"]["subnets"],
        json!(["subnet-0aaa],assignPublicIp=ENABLED,securityGroups=[sg-evil"])
    );
    assert_eq!(network["awsvpcConfiguration"]["assignPublicIp"], "DISABLED");
    assert_eq!(
        network["awsvpcConfiguration"]["securityGroups"],
        json!(["sg-0bbb"])
    );

    // The HTML shows the same scripts: no raw control character there either.
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    let scripts: Vec<&str> = html
        .split("<pre><code>")
        .skip(1)
        .map(|s| s.split("</code></pre>").next().unwrap())
        .collect();
    assert_eq!(scripts.len(), 3);
    for script in scripts {
        assert!(hidden_in(script, false).is_empty(), "{script:?}");
    }
}

#[test]
fn item_12_control_and_bidi_characters_are_shown_escaped_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let arn = task_set_arn("pay\u{1b}[2J\u{0}", "\u{202e}ipa\u{2066}", 1);
    let mut f = finding("ECS.16", &arn, "FAILED", "SUPPRESSED", "ACTIVE");
    f["Note"] = json!({"Text": "ok \u{1b}]8;;http://evil.example\u{7}click\u{1b}]8;;\u{7} \u{200f}", "UpdatedBy": "a\u{9b}31m", "UpdatedAt": "2026-09-02T00:00:00Z"});
    write_json(&input.join("page.json"), &page(vec![f]));
    write_json(
        &input.join("dump.json"),
        &task_sets_dump(vec![task_set(&arn, Some("ENABLED"))], vec![]),
    );
    let out = dir.path().join("pack");
    report(&[&input], &out, &["--as-of", "2026-09-30"]);

    // Report and page: nothing raw, everything visible.
    let md = fs::read_to_string(out.join("report.md")).unwrap();
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        hidden_in(&md, false).is_empty(),
        "report.md: {:?}",
        hidden_in(&md, false)
    );
    assert!(
        hidden_in(&html, true).is_empty(),
        "index.html: {:?}",
        hidden_in(&html, true)
    );
    for shown in [
        "\\u001b", "\\u0000", "\\u202e", "\\u2066", "\\u0007", "\\u200f", "\\u009b",
    ] {
        assert!(md.contains(shown), "report.md lacks {shown}");
        assert!(html.contains(shown), "index.html lacks {shown}");
    }
    // The page isolates identifiers, so what is around them cannot reorder them, nor they it.
    assert!(
        html.contains("<bdi dir=\"ltr\">arn:<wbr>aws:<wbr>ecs:<wbr>eu-<wbr>west-<wbr>1:<wbr>111122223333:<wbr>task-<wbr>set&#x2F;<wbr>pay\\u001b[2J\\u0000&#x2F;<wbr>\\u202eipa\\u2066&#x2F;<wbr>ecs-<wbr>svc&#x2F;<wbr>1</bdi>"),
        "no isolated identifier"
    );

    // The data files keep the exact text, and the record says what it holds.
    let rows = csv_rows(&out.join("data/reconciliation.csv"));
    assert_eq!(rows[0]["task_set_arn"], arn);
    assert!(
        rows[0]["record_problems"]
            .contains("the ARN holds control or bidirectional-override characters"),
        "{:?}",
        rows[0]
    );
    let exceptions = csv_rows(&out.join("data/exceptions.csv"));
    assert!(exceptions[0]["note_text"].contains("\u{1b}]8;;"));

    // The terminal: file names, the outcome table and verbose lines are shown escaped too.
    let named = dir.path().join("in2");
    fs::create_dir_all(&named).unwrap();
    fs::copy(
        input.join("page.json"),
        named.join("\u{1b}[2J\u{202e}page.json"),
    )
    .unwrap();
    let inspected = run(&[&"inspect", &named]);
    assert!(
        hidden_in(&stdout(&inspected), false).is_empty(),
        "{:?}",
        stdout(&inspected)
    );
    assert!(
        stdout(&inspected).contains("\\u001b[2J\\u202epage.json"),
        "{}",
        stdout(&inspected)
    );
    let loud = run(&[
        &"report",
        &named,
        &"-v",
        &"--as-of",
        &"2026-09-30",
        &"--out",
        &dir.path().join("pack\u{1b}[31m"),
    ]);
    assert_exit(&loud, 0);
    for (what, text) in [("stdout", stdout(&loud)), ("stderr", stderr(&loud))] {
        assert!(hidden_in(&text, false).is_empty(), "{what}: {text:?}");
    }
    assert!(
        stdout(&loud).contains("pack\\u001b[31m"),
        "{}",
        stdout(&loud)
    );
}

#[test]
fn item_12_a_line_break_in_a_file_name_cannot_forge_an_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("a\nerror: forged.json");
    fs::write(&f, "null").unwrap();
    let o = run(&[&"report", &f, &"--out", &dir.path().join("pack")]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("a\\u000aerror: forged.json"), "{err}");
}

#[test]
fn item_12_a_line_break_in_a_usage_error_cannot_forge_an_error_line() {
    // The argument parser quotes the value it could not use.
    let o = run(&[&"report", &"--jobs", &"x\nerror: forged", &"in"]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
    assert!(err.contains("x\\u000aerror: forged"), "{err}");
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

#[test]
fn item_12_the_list_of_unusable_inputs_keeps_one_line_per_input_and_no_forged_one() {
    // The one message that spans lines: each input on its own line, its name escaped within it.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    fs::write(input.join("a\nerror: forged.json"), "{").unwrap();
    fs::write(input.join("b.json"), "{").unwrap();
    let o = run(&[
        &"report",
        &"--skip-bad-inputs",
        &input,
        &"--out",
        &dir.path().join("pack"),
    ]);
    assert_exit(&o, 2);
    let err = stderr(&o);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors, ["error: no input could be used:"], "{err}");
    let listed: Vec<&str> = err.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(listed.len(), 2, "{err}");
    assert!(
        listed
            .iter()
            .any(|l| l.contains("a\\u000aerror: forged.json:1:")),
        "{err}"
    );
}
