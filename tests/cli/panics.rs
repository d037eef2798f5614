//! No input reaches a panic: every subcommand, fed every file of a hostile corpus in every role a file can
//! play (an export, a folder of them, an exceptions register, a template, a pack's manifest or CSV, a
//! baseline, a signing key, an allowed_signers file, a pack's signature), ends with exit 0, 1 or 2 and a
//! message — never 101, never "panicked".

use crate::support::*;
use std::fs;
use std::path::Path;
use std::process::Output;

/// Broken and hostile bytes, each named for what it is.
fn corpus() -> Vec<(&'static str, Vec<u8>)> {
    let page = |inner: &str| format!("{{\"Findings\": [{inner}]}}");
    let ecs16 = r#"{"SchemaVersion":"2018-10-08","Id":"f1","GeneratorId":"security-control/ECS.16","UpdatedAt":"2026-09-01T00:00:00Z","RecordState":"ACTIVE","Resources":[{"Type":"Other","Id":"arn:aws:ecs:eu-west-1:111122223333:task-set/c/s/ecs-svc/1"}],"Compliance":{"Status":"FAILED"}}"#;
    vec![
        ("empty", Vec::new()),
        ("blank", b"\n \n".to_vec()),
        ("null", b"null".to_vec()),
        ("number", b"42".to_vec()),
        ("truncated", page(ecs16).as_bytes()[..90].to_vec()),
        ("latin1", b"{\"Findings\": [{\"Title\": \"caf\xe9\"}]}".to_vec()),
        ("utf16", b"\xff\xfe{\0}\0".to_vec()),
        ("gzip-garbage", b"\x1f\x8b\x08\x00garbage".to_vec()),
        (
            "deep-array",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        (
            "deep-in-finding",
            page(&format!(
                "{{\"GeneratorId\": \"security-control/ECS.16\", \"x\": {}1{}}}",
                "[".repeat(5_000),
                "]".repeat(5_000)
            ))
            .into_bytes(),
        ),
        ("duplicate-keys", page(&ecs16.replace("\"FAILED\"}", "\"FAILED\",\"Status\":\"PASSED\"}")).into_bytes()),
        ("wrong-types", page(&ecs16.replace("\"FAILED\"", "3").replace("\"f1\"", "[1]")).into_bytes()),
        ("bad-dates", page(&ecs16.replace("2026-09-01T00:00:00Z", "2026-02-30T00:00:00Z")).into_bytes()),
        ("huge-number", page(&ecs16.replace("\"2026-09-01T00:00:00Z\"", "1e400")).into_bytes()),
        ("lone-surrogate", page(&ecs16.replace("\"Other\"", "\"\\ud83d\"")).into_bytes()),
        ("odd-arn", page(&ecs16.replace("task-set/c/s/ecs-svc/1", "task-set/\u{202e}c/\n/ecs-svc/\u{0}")).into_bytes()),
        // Issue 18, items 11, 12 and 14: a name that would add an AppSpec hook or a JSON member, escape
        // sequences and bidi overrides in an ARN and a note, notes led by blanks and full-width signs.
        ("appspec-hooks", br#"{"taskSets": [{"taskSetArn": "arn:aws:ecs:eu-west-1:111122223333:task-set/x\rHooks:\n  - BeforeInstall: evil/s/ecs-svc/1", "startedBy": "CODE_DEPLOY", "networkConfiguration": {"awsvpcConfiguration": {"subnets": ["subnet-1],assignPublicIp=ENABLED,x=["], "assignPublicIp": "ENABLED"}}}], "failures": []}"#.to_vec()),
        ("terminal-escapes", page(&ecs16.replace("task-set/c/s/ecs-svc/1", "task-set/\\u001b[2J\\u202ec/s\\u0000\\n/ecs-svc/1").replace("\"RecordState\"", "\"Note\":{\"Text\":\"\\u001b]8;;http://evil.example\\u0007x\\u009b31m\\u2066\",\"UpdatedBy\":\"a\\rb\"},\"RecordState\"")).into_bytes()),
        ("formula-leads", page(&ecs16.replace("\"RecordState\"", "\"AwsAccountName\":\"\\u200b@SUM(1)\",\"Note\":{\"Text\":\" =1+1\",\"UpdatedBy\":\"＝cmd\"},\"RecordState\"")).into_bytes()),
        ("task-sets-garbage", br#"{"taskSets": [1, "x", {"taskSetArn": {}}], "failures": [{"arn": 5}]}"#.to_vec()),
        ("services-garbage", br#"{"services": [{"serviceArn": "arn:aws:ecs:x:1:service/a/b", "taskSets": 7}]}"#.to_vec()),
        ("register-no-header", b"".to_vec()),
        ("register-bad-row", b"task_set_arn,justification,approver,ticket,expires\n\"unclosed,x\n".to_vec()),
        ("register-crlf", b"task_set_arn,justification,approver,ticket,expires\r\narn:x,,,,soon\r\n".to_vec()),
        ("template-bad", b"{% for x in %}{{ }}".to_vec()),
        ("template-loop", b"{% include \"report.md\" %}{% include \"index.html\" %}".to_vec()),
        ("template-macro-loop", b"{% macro m() %}{{ self::m() }}{% endmacro %}{{ self::m() }}".to_vec()),
        ("manifest-shaped", br#"{"schema": "ecs16-evidence/manifest/v1", "outputs": [{"path": "../../etc/passwd", "sha256": "", "size": 1}]}"#.to_vec()),
        ("manifest-wrong-types", br#"{"schema": 1, "tool": [], "outputs": "x"}"#.to_vec()),
        ("csv-ragged", b"task_set_arn,outcome\r\na\r\nb,c,d\r\n".to_vec()),
    ]
}

fn assert_no_panic(what: &str, o: &Output) {
    let err = stderr(o);
    assert!(
        o.status.code().is_some_and(|c| c <= 2) && !err.contains("panicked"),
        "{what}: exit {:?}\n{err}",
        o.status.code()
    );
}

/// A copy of a pack this tool wrote, with one file replaced by `bytes`.
fn pack_with(
    dir: &Path,
    original: &Path,
    name: &str,
    file: &str,
    bytes: &[u8],
) -> std::path::PathBuf {
    let pack = dir.join(format!("pack-{name}-{}", file.replace('/', "-")));
    for (rel, content) in tree(original) {
        let to = pack.join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::write(to, content).unwrap();
    }
    fs::write(pack.join(file), bytes).unwrap();
    if file != "manifest.json" {
        // Re-hash the replaced file in the manifest, so the pack passes `verify` and its content is read.
        use sha2::Digest;
        let path = pack.join("manifest.json");
        let mut m: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        for entry in m["outputs"].as_array_mut().unwrap() {
            if entry["path"] == file {
                entry["sha256"] = format!("{:x}", sha2::Sha256::digest(bytes)).into();
                entry["size"] = bytes.len().into();
            }
        }
        fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    }
    pack
}

#[test]
fn no_subcommand_panics_on_any_hostile_file_in_any_role() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let samples_dir = samples();
    let original = d.join("original-pack");
    report(&[&samples()], &original, &[]);
    for (name, bytes) in corpus() {
        let f = d.join(format!("{name}.json"));
        fs::write(&f, &bytes).unwrap();
        let folder = d.join(format!("in-{name}"));
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("export.json"), &bytes).unwrap();
        let out = d.join(format!("out-{name}"));
        let runs: Vec<(String, Vec<&dyn AsRef<std::ffi::OsStr>>)> = vec![
            (
                "report".into(),
                vec![
                    &"report",
                    &f,
                    &"--out",
                    &out,
                    &"-q",
                    &"--as-of",
                    &"2026-09-30",
                ],
            ),
            (
                "report --skip-bad-inputs".into(),
                vec![
                    &"report",
                    &folder,
                    &samples_dir,
                    &"--skip-bad-inputs",
                    &"--force",
                    &"--out",
                    &out,
                    &"-q",
                ],
            ),
            ("inspect".into(), vec![&"inspect", &f]),
            ("inspect folder".into(), vec![&"inspect", &folder]),
            (
                "--exceptions".into(),
                vec![
                    &"report",
                    &samples_dir,
                    &"--exceptions",
                    &f,
                    &"--force",
                    &"--out",
                    &out,
                    &"-q",
                ],
            ),
        ];
        for (what, args) in runs {
            assert_no_panic(&format!("{what} {name}"), &run(&args));
        }
        signature_roles(d, &original, name, &f, &bytes);
        // As a template, under both names.
        for template in ["index.html", "report.md"] {
            let t = d.join(format!("t-{name}-{template}"));
            fs::create_dir_all(&t).unwrap();
            fs::write(t.join(template), &bytes).unwrap();
            let o = run(&[
                &"report",
                &samples(),
                &"--templates",
                &t,
                &"--force",
                &"--out",
                &out,
                &"-q",
            ]);
            assert_no_panic(&format!("--templates {template} {name}"), &o);
        }
        // As a pack's manifest, reconciliation and exceptions: `verify` and `--baseline` read them.
        for file in [
            "manifest.json",
            "data/reconciliation.csv",
            "data/exceptions.csv",
        ] {
            let pack = pack_with(d, &original, name, file, &bytes);
            assert_no_panic(
                &format!("verify with {file} = {name}"),
                &run(&[&"verify", &pack]),
            );
            let o = run(&[
                &"report",
                &samples(),
                &"--baseline",
                &pack,
                &"--force",
                &"--out",
                &out,
                &"-q",
            ]);
            assert_no_panic(&format!("--baseline with {file} = {name}"), &o);
        }
    }
}

/// The file as a signing key, as an allowed_signers file, and as a pack's `manifest.json.sig`.
fn signature_roles(d: &Path, original: &Path, name: &str, file: &Path, bytes: &[u8]) {
    let o = run(&[&"sign", &original, &"--key", &file]);
    assert_no_panic(&format!("sign --key {name}"), &o);
    assert_exit(&o, 2);
    let o = run(&[
        &"verify",
        &original,
        &"--allowed-signers",
        &file,
        &"--identity",
        &"a",
    ]);
    assert_no_panic(&format!("verify --allowed-signers {name}"), &o);
    let signers = d.join("allowed_signers");
    fs::write(
        &signers,
        "a ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBJmekDvZiQe1E3X7aZD3MTvN6XaE6CWfB3CCloBx7nI\n",
    )
    .unwrap();
    let pack = pack_with(d, original, name, "manifest.json.sig", bytes);
    let o = run(&[
        &"verify",
        &pack,
        &"--allowed-signers",
        &signers,
        &"--identity",
        &"a",
    ]);
    assert_no_panic(&format!("verify with manifest.json.sig = {name}"), &o);
    assert_exit(&o, 1);
}

#[test]
fn a_baseline_that_verifies_but_lacks_its_columns_is_refused_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = repo().join("tests/fixtures/broken-baseline");
    let o = run(&[&"verify", &baseline]);
    assert_exit(&o, 0);
    let o = run(&[
        &"report",
        &samples(),
        &"--baseline",
        &baseline,
        &"--out",
        &dir.path().join("p"),
    ]);
    assert_no_panic("broken baseline", &o);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("has no `task_set_arn` column"),
        "{}",
        stderr(&o)
    );
}
