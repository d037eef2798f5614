//! The manifest, `verify`, reproducibility of every file (the workbook included) and atomic replacement.

use crate::support::*;
use std::fs;

fn pack() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    report(&[&samples()], &out, &[]);
    (dir, out)
}

#[test]
fn the_manifest_lists_inputs_options_and_every_output_but_itself() {
    let (_d, out) = pack();
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["schema"], "ecs16-evidence/manifest/v1");
    assert_eq!(m["tool"]["name"], "ecs16-evidence");
    assert_eq!(m["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert!(!m["catalog_version"].as_str().unwrap().is_empty());
    assert_eq!(m["as_of"], "2026-09-29T21:40:00Z");
    assert_eq!(m["period"]["label"], "2026-Q3");
    assert_eq!(m["options"]["inputs"][0], samples().display().to_string());
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(
        inputs.len(),
        20,
        "10 exports and dumps, 7 network outputs, and the skipped README, scope.csv and exceptions.csv"
    );
    let page1 = inputs
        .iter()
        .find(|i| {
            i["path"]
                .as_str()
                .unwrap()
                .ends_with("get-findings-page-1.json")
        })
        .unwrap();
    let bytes =
        fs::read(samples().join("securityhub/payments-prod/get-findings-page-1.json")).unwrap();
    assert_eq!(page1["size"], bytes.len());
    assert_eq!(page1["sha256"], sha256(&bytes));
    assert_eq!(page1["records_read"], 6);
    assert_eq!(
        page1["records_used"], 3,
        "three ECS.16 findings; the other controls are read, not used"
    );
    assert_eq!(page1["status"], "used");
    let outputs: Vec<&str> = m["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["path"].as_str().unwrap())
        .collect();
    assert!(!outputs.contains(&"manifest.json"));
    let files = tree(&out);
    assert_eq!(outputs.len(), files.len() - 1);
    for o in m["outputs"].as_array().unwrap() {
        let bytes = &files[o["path"].as_str().unwrap()];
        assert_eq!(o["sha256"], sha256(bytes));
        assert_eq!(o["size"], bytes.len());
    }
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn verify_passes_on_a_fresh_pack() {
    let (_d, out) = pack();
    let o = run(&[&"verify", &out]);
    assert_exit(&o, 0);
    assert_eq!(stdout(&o), "OK: 15 files verified\n");
}

#[test]
fn verify_names_changed_missing_and_added_files() {
    let (_d, out) = pack();
    let csv = out.join("data/reconciliation.csv");
    let text = fs::read_to_string(&csv)
        .unwrap()
        .replace("NON_COMPLIANT", "COMPLIANT");
    fs::write(&csv, text).unwrap();
    fs::remove_file(out.join("report.md")).unwrap();
    fs::write(out.join("data/extra.csv"), "x").unwrap();
    let o = run(&[&"verify", &out]);
    assert_exit(&o, 1);
    assert_eq!(
        stdout(&o),
        "added: data/extra.csv\nchanged: data/reconciliation.csv\nmissing: report.md\n"
    );
}

#[test]
fn verify_refuses_what_is_not_a_pack() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[&"verify", &dir.path()]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("manifest.json: no such file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn every_file_including_the_workbook_is_byte_identical_on_a_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let register = dir.path().join("register.csv");
    fs::write(&register, "task_set_arn,justification,approver,ticket,expires\narn:aws:ecs:eu-west-1:111122223333:task-set/payments/tokenizer/*,canary,CISO,RISK-2291,2026-12-15\n").unwrap();
    let reg = register.display().to_string();
    let args = [
        "--exceptions",
        reg.as_str(),
        "--org",
        "Acme",
        "--assessor",
        "QSA Ltd",
    ];
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    report(&[&samples()], &a, &args);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    report(&[&samples()], &b, &args);
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.contains_key("evidence.xlsx"));
    assert_eq!(ta, tb);
}

#[test]
fn force_replaces_a_pack_only_with_a_complete_one() {
    let (dir, out) = pack();
    fs::write(out.join("note-from-last-quarter.txt"), "x").unwrap();
    let o = run(&[&"report", &samples(), &"--out", &out, &"-q"]);
    assert_exit(&o, 2);
    assert!(
        out.join("note-from-last-quarter.txt").exists(),
        "refused runs change nothing"
    );
    // A forced run whose input is bad fails before anything is replaced.
    let bad = dir.path().join("bad.json");
    fs::write(&bad, "{").unwrap();
    let o = run(&[&"report", &bad, &"--out", &out, &"--force", &"-q"]);
    assert_exit(&o, 2);
    assert!(out.join("note-from-last-quarter.txt").exists());
    report(&[&samples()], &out, &["--force"]);
    assert!(!out.join("note-from-last-quarter.txt").exists());
    let names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.starts_with('.')).count(),
        0,
        "no staging folder left: {names:?}"
    );
}

#[test]
fn a_symlink_at_out_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere");
    fs::create_dir(&target).unwrap();
    let link = dir.path().join("pack");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let o = run(&[&"report", &samples(), &"--out", &link, &"--force"]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("is a symlink"), "{}", stderr(&o));
    assert_eq!(fs::read_dir(&target).unwrap().count(), 0);
}

#[test]
fn the_workbook_needs_no_system_temporary_folder_and_leaves_no_scratch_file() {
    // The workbook's sheets keep their rows in scratch files until it is saved. They go beside the pack (a
    // folder that must be writable anyway), not to $TMPDIR, which may be missing on a locked-down machine.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pack");
    let o = bin()
        .env("TMPDIR", dir.path().join("no-such-folder"))
        .args(["report", "-q", "--out"])
        .arg(&out)
        .arg(samples())
        .output()
        .unwrap();
    assert_exit(&o, 0);
    assert!(out.join("evidence.xlsx").is_file());
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["pack"], "nothing but the pack beside it");
}
