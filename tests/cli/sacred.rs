//! The user's files are sacred and resources are bounded (issue 18, items 5-8 and 10): `--force` replaces
//! only our own pack, no output touches an input, write errors are named once and early, only regular files
//! are read, and thread limits end in an error, not an abort.

use crate::support::build::*;
use crate::support::*;
use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

fn a_page() -> serde_json::Value {
    page(vec![finding(
        "ECS.16",
        &arn("api", 1),
        "FAILED",
        "NEW",
        "ACTIVE",
    )])
}

/// The whole tree under a folder, for "nothing changed" checks.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(dir)
}

#[test]
fn item_5_force_never_deletes_inputs_or_unrelated_files() {
    let dir = tempfile::tempdir().unwrap();
    let work = dir.path().join("work");
    write_json(&work.join("exports/page.json"), &a_page());
    fs::write(work.join("notes.txt"), "my notes").unwrap();
    let before = snapshot(&work);
    // The case: --out is the folder that holds the inputs.
    let o = run(&[
        &"report",
        &work.join("exports"),
        &"--out",
        &work,
        &"--force",
    ]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("contains the input"), "{}", stderr(&o));
    assert_eq!(snapshot(&work), before, "nothing under work/ changed");
    // A folder of someone else's files is not a pack of ours: --force does not replace it.
    let mine = dir.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("todo.txt"), "keep").unwrap();
    let o = run(&[
        &"report",
        &work.join("exports"),
        &"--out",
        &mine,
        &"--force",
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("is not a pack written by ecs16-evidence"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(mine.join("todo.txt")).unwrap(), b"keep");
    // Our own pack is replaced.
    let pack = dir.path().join("pack");
    report(&[&work.join("exports")], &pack, &[]);
    report(&[&work.join("exports")], &pack, &["--force"]);
}

#[test]
fn item_6_dump_context_never_overwrites_an_input_or_follows_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("page.json");
    write_json(&input, &a_page());
    let before = fs::read(&input).unwrap();
    let out = dir.path().join("pack");
    let o = run(&[
        &"report",
        &input,
        &"--out",
        &out,
        &"--dump-context",
        &input,
        &"--force",
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("page.json: is the input"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(&input).unwrap(), before);
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let link = dir.path().join("context.json");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let o = run(&[&"report", &input, &"--out", &out, &"--dump-context", &link]);
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("is a symlink"), "{}", stderr(&o));
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    // An existing file is replaced only with --force, and only if it is a context we dumped.
    let o = run(&[
        &"report",
        &input,
        &"--out",
        &out,
        &"--dump-context",
        &victim,
        &"--force",
    ]);
    assert_exit(&o, 2);
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
    let ctx = dir.path().join("ctx.json");
    report(
        &[&input],
        &dir.path().join("p1"),
        &["--dump-context", ctx.to_str().unwrap()],
    );
    let o = run(&[
        &"report",
        &input,
        &"--out",
        &dir.path().join("p2"),
        &"--dump-context",
        &ctx,
    ]);
    assert_exit(&o, 2);
    report(
        &[&input],
        &dir.path().join("p3"),
        &["--dump-context", ctx.to_str().unwrap(), "--force"],
    );
}

/// Runs `report` on the samples into a folder on a file system that is nearly full, or under a file-size
/// limit where mounting is not allowed; returns the run's output and how the disk was filled.
fn report_on_a_full_disk(dir: &Path) -> Option<(Output, &'static str)> {
    let mnt = dir.join("small");
    fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=60k", "tmpfs"])
        .arg(&mnt)
        .output()
        .is_ok_and(|o| o.status.success());
    let out = mnt.join("pack");
    let o = if mounted {
        let o = run(&[&"report", &samples(), &"--out", &out, &"-q"]);
        let _ = std::process::Command::new("umount").arg(&mnt).status();
        (o, "a 60 KB tmpfs")
    } else {
        // No mount here: a file-size limit makes writes past 20 KB fail the same way (EFBIG).
        let o = std::process::Command::new("bash")
            .arg("-c")
            .arg("trap '' XFSZ; ulimit -f 20; exec \"$0\" report \"$1\" --out \"$2\" -q")
            .arg(env!("CARGO_BIN_EXE_ecs16-evidence"))
            .arg(samples())
            .arg(&out)
            .output()
            .ok()?;
        (o, "a 20 KB file-size limit")
    };
    Some(o)
}

#[test]
fn item_7_a_full_disk_is_an_error_naming_the_file_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let Some((o, how)) = report_on_a_full_disk(dir.path()) else {
        panic!("neither mount nor bash is available to fill a disk");
    };
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{how}: {err}");
    assert!(!err.contains("panicked"), "{how}: {err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{how}: once: {err}"
    );
    assert!(
        err.contains("pack")
            && (err.contains("space") || err.contains("too large") || err.contains("disk")),
        "{how}: {err}"
    );
}

#[test]
fn item_7_an_unwritable_out_is_refused_before_reading_anything() {
    let dir = tempfile::tempdir().unwrap();
    let ro = dir.path().join("ro");
    fs::create_dir(&ro).unwrap();
    let mut perm = fs::metadata(&ro).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o555);
    fs::set_permissions(&ro, perm).unwrap();
    // A FIFO among the inputs would block a run that read first: refused before, it is never opened.
    let input = dir.path().join("in");
    fs::create_dir(&input).unwrap();
    assert!(std::process::Command::new("mkfifo")
        .arg(input.join("pipe.json"))
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let o = run(&[&"report", &input, &"--out", &ro.join("pack")]);
    let err = stderr(&o);
    // Root ignores permissions: then the run goes on and meets the FIFO (item 8), still without blocking.
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(
        err.lines().filter(|l| l.starts_with("error:")).count(),
        1,
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    let mut perm = fs::metadata(&ro).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perm, 0o755);
    fs::set_permissions(&ro, perm).unwrap();
    // A missing parent is made (it is the user's choice of path).
    report(&[&samples()], &dir.path().join("new/deeper/pack"), &[]);
}

#[test]
fn item_8_fifos_and_devices_are_refused_by_name_never_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let o = run(&[&"report", &fifo, &"--out", &dir.path().join("p")]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("pipe.json: is a named pipe, not a regular file"),
        "{}",
        stderr(&o)
    );
    // Inside a folder too; with --skip-bad-inputs it is listed as rejected and the run goes on.
    let input = dir.path().join("in");
    write_json(&input.join("page.json"), &a_page());
    assert!(std::process::Command::new("mkfifo")
        .arg(input.join("zz.json"))
        .status()
        .unwrap()
        .success());
    let o = run(&[&"report", &input, &"--out", &dir.path().join("p2")]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("zz.json: is a named pipe"),
        "{}",
        stderr(&o)
    );
    report(&[&input], &dir.path().join("p3"), &["--skip-bad-inputs"]);
    let m = json(&dir.path().join("p3/manifest.json"));
    assert!(m["inputs"].to_string().contains("is a named pipe"), "{m}");
    let o = run(&[&"inspect", &input]);
    assert_exit(&o, 1);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "nothing blocked"
    );
}

#[test]
fn item_8_a_pack_whose_data_is_a_symlink_to_dev_is_never_read_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    report(&[&samples()], &pack, &[]);
    fs::rename(pack.join("data"), dir.path().join("real-data")).unwrap();
    std::os::unix::fs::symlink("/dev", pack.join("data")).unwrap();
    // The manifest names data/zero with a size it never reaches in /dev/zero... or any file.
    let mpath = pack.join("manifest.json");
    let mut m = json(&mpath);
    m["outputs"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"path": "data/zero", "sha256": "00", "size": 10}));
    fs::write(&mpath, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let started = Instant::now();
    let o = run(&[&"verify", &pack]);
    assert_exit(&o, 1);
    assert!(
        stdout(&o).contains("goes through the symlink data"),
        "{}",
        stdout(&o)
    );
    let o = run(&[
        &"report",
        &samples(),
        &"--out",
        &dir.path().join("p2"),
        &"--baseline",
        &pack,
    ]);
    assert_exit(&o, 2);
    assert!(started.elapsed() < Duration::from_secs(20));
    // A FIFO or a device as a template, a register or a manifest is refused by name too.
    let t = dir.path().join("t");
    fs::create_dir(&t).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", t.join("index.html")).unwrap();
    let o = run(&[
        &"report",
        &samples(),
        &"--out",
        &dir.path().join("p3"),
        &"--templates",
        &t,
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("index.html: is a symlink; templates must be regular files"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        &"report",
        &samples(),
        &"--out",
        &dir.path().join("p4"),
        &"--exceptions",
        &"/dev/zero",
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("/dev/zero: is a device, not a regular file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn item_10_jobs_are_capped_and_a_thread_limit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(&[
        &"report",
        &samples(),
        &"--out",
        &dir.path().join("p"),
        &"-j",
        &"65535",
    ]);
    assert_exit(&o, 2);
    assert!(
        stderr(&o).contains("65535 is not in 1..=256"),
        "{}",
        stderr(&o)
    );
    // Under a process limit that leaves no room for reading threads: an error, exit 2, never an abort.
    let o = std::process::Command::new("bash")
        .arg("-c")
        .arg("ulimit -u 1 2>/dev/null || exit 77; exec \"$0\" report \"$1\" --out \"$2\" -q -j 256")
        .arg(env!("CARGO_BIN_EXE_ecs16-evidence"))
        .arg(samples())
        .arg(dir.path().join("p2"))
        .output()
        .unwrap();
    if o.status.code() == Some(77) {
        eprintln!("skipped the thread-limit half: ulimit -u is not settable here");
        return;
    }
    assert_ne!(o.status.code(), Some(134), "{}", stderr(&o));
    assert_ne!(o.status.code(), Some(101), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}
