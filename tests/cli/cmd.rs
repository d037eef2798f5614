//! The command-line contract as data: every `tests/cmd/*.case` file is one run of the binary with its
//! arguments, optional standard input, and the exact standard output, standard error and exit status
//! expected (in the spirit of `trycmd`; a few lines of our own instead of a dependency).
//!
//! A case file:
//!
//! ```text
//! # what the case shows (lines starting with # are comments)
//! setup: report samples --out [TMP]/pack -q      (a run of the binary that must succeed first; repeatable)
//! append: [TMP]/pack/report.md tampered          (appends a line of text to a file; repeatable)
//! write: [TMP]/file.json {"x": 1}                 (writes a one-line file; repeatable)
//! symlink: /dev [TMP]/pack/data                   (makes a symlink, after removing what is there)
//! mkfifo: [TMP]/in/pipe.json                      (makes a named pipe)
//! args: verify [TMP]/pack
//! status: 1
//! stdin:
//! (lines fed to standard input, until `stdout:`)
//! stdout:
//! (exact lines, until `stderr:`)
//! stderr:
//! (exact lines, to the end of the file)
//! ```
//!
//! Runs start in the repository root. `[TMP]` is a fresh temporary folder per case, substituted in the
//! arguments and written back for the real path in the outputs, so the expected text is the same on every
//! machine. Arguments are split on spaces (cases avoid arguments with spaces).
//!
//! To re-bless after a deliberate change of wording: `ECS16_BLESS=1 cargo test --release --locked cmd::` rewrites the
//! `stdout:`, `stderr:` and `status:` of every case from what the binary printed.

use crate::support::*;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

#[derive(Debug, Default)]
struct Case {
    /// Every line before `stdin:`/`stdout:` (comments and directives), kept for re-blessing.
    head: Vec<String>,
    setup: Vec<String>,
    actions: Vec<(String, String)>,
    args: String,
    status: i32,
    stdin: Option<String>,
    stdout: String,
    stderr: String,
}

fn parse(text: &str) -> Case {
    let mut case = Case::default();
    let mut section: Option<&str> = None;
    let (mut stdin, mut stdout, mut stderr) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines() {
        match (section, line) {
            (_, "stdin:") => section = Some("stdin"),
            (_, "stdout:") => section = Some("stdout"),
            (_, "stderr:") => section = Some("stderr"),
            (Some("stdin"), l) => stdin.push(l),
            (Some("stdout"), l) => stdout.push(l),
            (Some("stderr"), l) => stderr.push(l),
            (None, l) => {
                case.head.push(l.to_string());
                if l.starts_with('#') || l.trim().is_empty() {
                    continue;
                }
                let (key, value) = l.split_once(": ").unwrap_or((l, ""));
                match key {
                    "setup" => case.setup.push(value.to_string()),
                    "args" => case.args = value.to_string(),
                    "status" => case.status = value.parse().expect("status: a number"),
                    "append" | "write" | "symlink" | "mkfifo" | "mkdir" => {
                        case.actions.push((key.to_string(), value.to_string()))
                    }
                    other => panic!("unknown directive {other:?}"),
                }
            }
            (Some(_), _) => unreachable!(),
        }
    }
    let joined = |v: Vec<&str>| {
        let mut s = v.join("\n");
        if !s.is_empty() {
            s.push('\n');
        }
        s
    };
    case.stdin = (!stdin.is_empty()).then(|| joined(stdin));
    case.stdout = joined(stdout);
    case.stderr = joined(stderr);
    case
}

fn split_args(line: &str, tmp: &Path) -> Vec<String> {
    line.split(' ')
        .filter(|a| !a.is_empty())
        .map(|a| a.replace("[TMP]", &tmp.display().to_string()))
        .collect()
}

fn act(key: &str, value: &str, tmp: &Path) {
    let value = value.replace("[TMP]", &tmp.display().to_string());
    let (first, rest) = value.split_once(' ').unwrap_or((&value, ""));
    match key {
        "append" => {
            let mut f = fs::OpenOptions::new().append(true).open(first).unwrap();
            writeln!(f, "{rest}").unwrap();
        }
        "write" => {
            if let Some(d) = Path::new(first).parent() {
                fs::create_dir_all(d).unwrap();
            }
            fs::write(first, format!("{rest}\n")).unwrap();
        }
        "mkdir" => fs::create_dir_all(first).unwrap(),
        "symlink" => {
            let link = Path::new(rest);
            if link.is_dir() && !link.is_symlink() {
                fs::remove_dir_all(link).unwrap();
            } else if link.symlink_metadata().is_ok() {
                fs::remove_file(link).unwrap();
            }
            std::os::unix::fs::symlink(first, link).unwrap();
        }
        "mkfifo" => {
            if let Some(d) = Path::new(first).parent() {
                fs::create_dir_all(d).unwrap();
            }
            let ok = std::process::Command::new("mkfifo")
                .arg(first)
                .status()
                .unwrap();
            assert!(ok.success(), "mkfifo {first}");
        }
        other => unreachable!("{other}"),
    }
}

/// Runs one case; `Err` describes how it differs.
fn check(path: &Path, bless: bool) -> Result<(), String> {
    let text = fs::read_to_string(path).unwrap();
    let case = parse(&text);
    let dir = tempfile::tempdir().unwrap();
    // Canonical, so that the path the binary prints is the one substituted back.
    let tmp = fs::canonicalize(dir.path()).unwrap();
    for s in &case.setup {
        let o = bin()
            .current_dir(repo())
            .args(split_args(s, &tmp))
            .output()
            .unwrap();
        if !o.status.success() {
            return Err(format!("setup `{s}` failed: {}", stderr(&o)));
        }
    }
    for (k, v) in &case.actions {
        act(k, v, &tmp);
    }
    let mut child = bin()
        .current_dir(repo())
        .args(split_args(&case.args, &tmp))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut input = child.stdin.take().unwrap();
        if let Some(s) = &case.stdin {
            input.write_all(s.as_bytes()).unwrap();
        }
    }
    let o = child.wait_with_output().unwrap();
    let shown = |b: &[u8]| String::from_utf8_lossy(b).replace(&tmp.display().to_string(), "[TMP]");
    let (out, err, status) = (shown(&o.stdout), shown(&o.stderr), o.status.code());
    if bless {
        let mut blessed = case.head.join("\n");
        blessed = blessed.replace(
            &format!("status: {}", case.status),
            &format!("status: {}", status.unwrap_or(-1)),
        );
        blessed.push('\n');
        if let Some(s) = &case.stdin {
            blessed.push_str("stdin:\n");
            blessed.push_str(s);
        }
        blessed.push_str("stdout:\n");
        blessed.push_str(&out);
        blessed.push_str("stderr:\n");
        blessed.push_str(&err);
        fs::write(path, blessed).unwrap();
        return Ok(());
    }
    let mut diffs = Vec::new();
    if status != Some(case.status) {
        diffs.push(format!("status {status:?}, expected {}", case.status));
    }
    if out != case.stdout {
        diffs.push(format!(
            "stdout:\n--- expected\n{}--- got\n{out}",
            case.stdout
        ));
    }
    if err != case.stderr {
        diffs.push(format!(
            "stderr:\n--- expected\n{}--- got\n{err}",
            case.stderr
        ));
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n"))
    }
}

fn cases() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(repo().join("tests/cmd"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "case"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_command_line_case_gives_its_recorded_output() {
    let bless = std::env::var_os("ECS16_BLESS").is_some();
    let all = cases();
    assert!(all.len() >= 10, "the contract cases are missing");
    let failures: Vec<String> = all
        .iter()
        .filter_map(|p| {
            check(p, bless)
                .err()
                .map(|e| format!("== {}\n{e}", p.display()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} command-line cases differ (re-bless deliberate wording changes with \
         `ECS16_BLESS=1 cargo test --release --locked cmd::`):\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
