//! `sign` and `verify --allowed-signers` against the standard tool: keys are made by `ssh-keygen` in each
//! test, and every signature `sign` writes must pass `ssh-keygen -Y verify`, as an assessor runs it.
//!
//! CI installs openssh-client (see .ci/run). Without `ssh-keygen` these tests fail and say how to install
//! it, rather than passing without having looked — unless ECS16_ALLOW_MISSING_TOOLS=1, which skips them
//! with a note (for a machine where the tool cannot be installed).

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const NAMESPACE: &str = "ecs16-evidence";

/// Whether `ssh-keygen` can be used; see the module comment for what happens when it cannot.
fn ssh_keygen_installed() -> bool {
    let on_path = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .any(|dir| Path::new(dir).join("ssh-keygen").is_file());
    if on_path {
        return true;
    }
    if std::env::var("ECS16_ALLOW_MISSING_TOOLS").as_deref() == Ok("1") {
        eprintln!("skipped: ssh-keygen not installed");
        return false;
    }
    panic!(
        "`ssh-keygen` is not installed, so the signature tests cannot check `sign` against the standard \
         tool. Install openssh-client (Debian/Ubuntu: `sudo apt-get install -y openssh-client`), then run \
         `cargo test` again; or set ECS16_ALLOW_MISSING_TOOLS=1 to skip them."
    );
}

fn ssh_keygen(args: &[&dyn AsRef<std::ffi::OsStr>], stdin: Option<&Path>) -> Output {
    let mut c = Command::new("ssh-keygen");
    for a in args {
        c.arg(a);
    }
    c.stdin(match stdin {
        Some(path) => Stdio::from(fs::File::open(path).unwrap()),
        None => Stdio::null(),
    });
    c.output().expect("ssh-keygen runs")
}

/// A new key pair `dir/name` (and `dir/name.pub`), with `ssh-keygen -t TYPE -N PASSPHRASE`.
fn keygen(dir: &Path, name: &str, key_type: &str, passphrase: &str) -> PathBuf {
    let key = dir.join(name);
    let o = ssh_keygen(
        &[
            &"-q",
            &"-t",
            &key_type,
            &"-N",
            &passphrase,
            &"-C",
            &"test",
            &"-f",
            &key,
        ],
        None,
    );
    assert!(
        o.status.success(),
        "ssh-keygen -t {key_type}: {}",
        stderr(&o)
    );
    key
}

/// An allowed_signers file saying `identity` may sign packs with `key`, built from its `.pub` as the
/// README tells an assessor to.
fn allowed_signers(dir: &Path, identity: &str, key: &Path, options: &str) -> PathBuf {
    let public = fs::read_to_string(key.with_extension("pub")).unwrap();
    let mut fields = public.split_whitespace();
    let (key_type, base64) = (fields.next().unwrap(), fields.next().unwrap());
    let path = dir.join("allowed_signers");
    fs::write(&path, format!("{identity} {options} {key_type} {base64}\n")).unwrap();
    path
}

/// A pack built from the samples, signed with a fresh unencrypted Ed25519 key.
struct Signed {
    dir: tempfile::TempDir,
    pack: PathBuf,
    key: PathBuf,
    sign_output: Output,
}

impl Signed {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("pack");
        report(&[&samples()], &pack, &[]);
        let key = keygen(dir.path(), "key", "ed25519", "");
        let sign_output = run(&[&"sign", &pack, &"--key", &key]);
        assert_exit(&sign_output, 0);
        Signed {
            dir,
            pack,
            key,
            sign_output,
        }
    }

    fn sig(&self) -> PathBuf {
        self.pack.join("manifest.json.sig")
    }

    fn manifest(&self) -> PathBuf {
        self.pack.join("manifest.json")
    }

    fn signers(&self, identity: &str, options: &str) -> PathBuf {
        allowed_signers(self.dir.path(), identity, &self.key, options)
    }

    /// `ssh-keygen -Y verify`, exactly as the README gives it to the assessor.
    fn ssh_keygen_verify(&self, signers: &Path, identity: &str, extra: &[&str]) -> Output {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
            &"-Y", &"verify", &"-f", &signers, &"-I", &identity, &"-n", &NAMESPACE, &"-s",
        ];
        let sig = self.sig();
        args.push(&sig);
        for e in extra {
            args.push(e);
        }
        ssh_keygen(&args, Some(&self.manifest()))
    }

    fn verify(&self, signers: &Path, identity: &str, extra: &[&str]) -> Output {
        let mut args: Vec<&dyn AsRef<std::ffi::OsStr>> = vec![
            &"verify",
            &self.pack,
            &"--allowed-signers",
            &signers,
            &"--identity",
            &identity,
        ];
        for e in extra {
            args.push(e);
        }
        run(&args)
    }
}

#[test]
fn ssh_keygen_verifies_what_sign_wrote_and_so_does_verify() {
    if !ssh_keygen_installed() {
        return;
    }
    let s = Signed::new();
    let printed = stdout(&s.sign_output);
    assert!(
        printed.starts_with(&format!(
            "signed: {} (ED25519 key SHA256:",
            s.sig().display()
        )),
        "{printed}"
    );
    let public = fs::read_to_string(s.key.with_extension("pub")).unwrap();
    let key_fields: Vec<&str> = public.split_whitespace().take(2).collect();
    assert!(
        printed.contains(&format!(
            "allowed_signers line for the assessor: ID namespaces=\"ecs16-evidence\" {}\n",
            key_fields.join(" ")
        )),
        "{printed}"
    );

    let signers = s.signers("auditor@example.com", "namespaces=\"ecs16-evidence\"");
    let theirs = s.ssh_keygen_verify(&signers, "auditor@example.com", &[]);
    assert!(
        theirs.status.success(),
        "ssh-keygen -Y verify: {}",
        stderr(&theirs)
    );
    assert!(stdout(&theirs).starts_with(
        "Good \"ecs16-evidence\" signature for auditor@example.com with ED25519 key SHA256:"
    ));

    let ours = s.verify(&signers, "auditor@example.com", &[]);
    assert_exit(&ours, 0);
    let fingerprint = stdout(&theirs)
        .split_whitespace()
        .last()
        .unwrap()
        .to_string();
    assert_eq!(
        stdout(&ours),
        format!(
            "{}\nsignature: good (ED25519 key {fingerprint} of \"auditor@example.com\", namespace ecs16-evidence)\n", files_verified(&s.pack)
        )
    );
}

#[test]
fn the_signature_is_the_same_bytes_every_time_and_the_same_as_ssh_keygens() {
    if !ssh_keygen_installed() {
        return;
    }
    let s = Signed::new();
    let first = fs::read(s.sig()).unwrap();
    assert_exit(&run(&[&"sign", &s.pack, &"--key", &s.key, &"--force"]), 0);
    assert_eq!(
        fs::read(s.sig()).unwrap(),
        first,
        "same key and manifest, same bytes"
    );

    // ssh-keygen -Y sign over a copy of the manifest writes the very same file.
    let copy = s.dir.path().join("copy");
    fs::create_dir(&copy).unwrap();
    fs::copy(s.manifest(), copy.join("manifest.json")).unwrap();
    let o = ssh_keygen(
        &[
            &"-Y",
            &"sign",
            &"-n",
            &NAMESPACE,
            &"-f",
            &s.key,
            &copy.join("manifest.json"),
        ],
        None,
    );
    assert!(o.status.success(), "ssh-keygen -Y sign: {}", stderr(&o));
    assert_eq!(fs::read(copy.join("manifest.json.sig")).unwrap(), first);
}

#[test]
fn one_changed_byte_of_the_manifest_fails_both_checks() {
    if !ssh_keygen_installed() {
        return;
    }
    let s = Signed::new();
    let signers = s.signers("auditor@example.com", "");
    let original = fs::read(s.manifest()).unwrap();
    // One byte changed after `key`: a digit of the executable's SHA-256 (outside the pack id's core: the
    // manifest stays a manifest, every file it lists still matches and its pack id still holds, so only
    // the signature can tell), then a digit of the tool's version (inside the core: the pack id no longer
    // holds either).
    for (key, caught_by_pack_id) in [
        ("\"executable_sha256\": \"", false),
        ("\"version\": \"", true),
    ] {
        let mut bytes = original.clone();
        let at = String::from_utf8_lossy(&bytes).find(key).unwrap() + key.len();
        bytes[at] = if bytes[at] == b'9' { b'8' } else { b'9' };
        fs::write(s.manifest(), &bytes).unwrap();

        let theirs = s.ssh_keygen_verify(&signers, "auditor@example.com", &[]);
        assert!(
            !theirs.status.success(),
            "ssh-keygen accepted a changed manifest ({key})"
        );
        let ours = s.verify(&signers, "auditor@example.com", &[]);
        assert_exit(&ours, 1);
        let out = stdout(&ours);
        let first = if caught_by_pack_id {
            "changed: manifest.json (its pack_id ".to_string()
        } else {
            format!("{}\nsignature: BAD (", files_verified(&s.pack))
        };
        assert!(out.starts_with(&first), "{key}: {out}");
        assert!(out.contains("\nsignature: BAD ("), "{key}: {out}");
        assert!(out.contains("does not match manifest.json"), "{key}: {out}");
    }
}

#[test]
fn an_identity_or_namespace_the_file_does_not_allow_is_refused_by_both() {
    if !ssh_keygen_installed() {
        return;
    }
    let s = Signed::new();
    let cases = [
        (
            "auditor@example.com",
            "",
            "someone@example.com",
            "for other principals than \"someone@example.com\"",
        ),
        (
            "*@example.com,!mallory@example.com",
            "",
            "mallory@example.com",
            "for other principals",
        ),
        (
            "auditor@example.com",
            "namespaces=\"git,file\"",
            "auditor@example.com",
            "only for namespaces \"git,file\"",
        ),
    ];
    for (principals, options, identity, why) in cases {
        let signers = s.signers(principals, options);
        let theirs = s.ssh_keygen_verify(&signers, identity, &[]);
        assert!(
            !theirs.status.success(),
            "ssh-keygen allowed {identity} by {principals} {options}"
        );
        let ours = s.verify(&signers, identity, &[]);
        assert_exit(&ours, 1);
        let out = stdout(&ours);
        assert!(
            out.contains("signature: NOT ALLOWED (") && out.contains(why),
            "{out}"
        );
    }
    // And a pattern that does allow: both agree again.
    let signers = s.signers(
        "*@example.com,!mallory@example.com",
        "namespaces=\"ecs16-*\"",
    );
    assert!(s
        .ssh_keygen_verify(&signers, "auditor@example.com", &[])
        .status
        .success());
    assert_exit(&s.verify(&signers, "auditor@example.com", &[]), 0);
}

#[test]
fn a_time_window_is_checked_at_the_moment_named_as_ssh_keygen_does() {
    if !ssh_keygen_installed() {
        return;
    }
    let s = Signed::new();
    let window = "valid-after=\"20260101Z\",valid-before=\"20261231Z\"";
    let signers = s.signers("auditor@example.com", window);
    // Without a moment: not judged (a signature does not say when it was made; the clock is not read).
    let ours = s.verify(&signers, "auditor@example.com", &[]);
    assert_exit(&ours, 1);
    assert!(
        stdout(&ours).contains("signature: UNCHECKED ("),
        "{}",
        stdout(&ours)
    );
    for (ours_at, theirs_at, inside) in [
        ("2026-06-30T12:00:00Z", "20260630120000Z", true),
        ("2025-12-31T23:59:59Z", "20251231235959Z", false),
        ("2027-01-01T00:00:00Z", "20270101000000Z", false),
    ] {
        let theirs = s.ssh_keygen_verify(
            &signers,
            "auditor@example.com",
            &["-O", &format!("verify-time={theirs_at}")],
        );
        assert_eq!(
            theirs.status.success(),
            inside,
            "ssh-keygen at {theirs_at}: {}",
            stderr(&theirs)
        );
        let ours = s.verify(&signers, "auditor@example.com", &["--verify-time", ours_at]);
        assert_exit(&ours, if inside { 0 } else { 1 });
    }
}

#[test]
fn a_signature_for_another_namespace_is_bad() {
    if !ssh_keygen_installed() {
        return;
    }
    let s = Signed::new();
    fs::remove_file(s.sig()).unwrap();
    let o = ssh_keygen(
        &[&"-Y", &"sign", &"-n", &"file", &"-f", &s.key, &s.manifest()],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let signers = s.signers("auditor@example.com", "");
    assert!(!s
        .ssh_keygen_verify(&signers, "auditor@example.com", &[])
        .status
        .success());
    let ours = s.verify(&signers, "auditor@example.com", &[]);
    assert_exit(&ours, 1);
    assert!(
        stdout(&ours).contains("was made for namespace \"file\", not ecs16-evidence"),
        "{}",
        stdout(&ours)
    );
}

#[test]
fn encrypted_rsa_and_ecdsa_keys_are_refused_naming_the_file() {
    if !ssh_keygen_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    report(&[&samples()], &pack, &[]);
    let before = tree(&pack);
    let cases = [
        (
            "encrypted",
            "ed25519",
            "secret",
            "is protected by a passphrase, and this tool never asks for one",
        ),
        (
            "rsa",
            "rsa",
            "",
            "is an RSA key; ecs16-evidence signs with Ed25519 keys only",
        ),
        (
            "ecdsa",
            "ecdsa",
            "",
            "is an ECDSA key; ecs16-evidence signs with Ed25519 keys only",
        ),
        ("rsa-encrypted", "rsa", "secret", "is an RSA key"),
    ];
    for (name, key_type, passphrase, why) in cases {
        let key = keygen(dir.path(), name, key_type, passphrase);
        let o = run(&[&"sign", &pack, &"--key", &key]);
        assert_exit(&o, 2);
        let err = stderr(&o);
        assert!(
            err.starts_with(&format!("error: {}: {why}", key.display())),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(
            err.matches(&key.display().to_string()).count(),
            1,
            "named once: {err}"
        );
    }
    assert_eq!(tree(&pack), before, "nothing was written into the pack");
}

#[test]
fn a_second_sign_is_refused_without_force() {
    if !ssh_keygen_installed() {
        return;
    }
    let s = Signed::new();
    let first = fs::read(s.sig()).unwrap();
    let other = keygen(s.dir.path(), "other", "ed25519", "");
    let o = run(&[&"sign", &s.pack, &"--key", &other]);
    assert_exit(&o, 2);
    assert_eq!(
        stderr(&o),
        format!(
            "error: {}: already exists; pass --force to replace the signature\n",
            s.sig().display()
        )
    );
    assert_eq!(fs::read(s.sig()).unwrap(), first);
    assert_exit(&run(&[&"sign", &s.pack, &"--key", &other, &"--force"]), 0);
    assert_ne!(fs::read(s.sig()).unwrap(), first, "replaced with --force");
}

#[test]
fn verify_takes_the_signature_as_part_of_the_pack_but_not_other_files() {
    if !ssh_keygen_installed() {
        return;
    }
    let s = Signed::new();
    let o = run(&[&"verify", &s.pack]);
    assert_exit(&o, 0);
    assert_eq!(
        stdout(&o),
        format!(
            "{}\nsignature: not checked (give --allowed-signers FILE --identity ID to check it)\n",
            files_verified(&s.pack)
        )
    );
    fs::write(s.pack.join("extra.txt"), "x").unwrap();
    let o = run(&[&"verify", &s.pack]);
    assert_exit(&o, 1);
    assert!(
        stdout(&o).starts_with("added: extra.txt\n"),
        "{}",
        stdout(&o)
    );
    assert!(
        !stdout(&o).contains("added: manifest.json.sig"),
        "{}",
        stdout(&o)
    );
}

/// `OK: N files verified` for a pack: N is every file its manifest lists.
fn files_verified(pack: &std::path::Path) -> String {
    let m = json(&pack.join("manifest.json"));
    format!(
        "OK: {} files verified",
        m["outputs"].as_array().unwrap().len()
    )
}
