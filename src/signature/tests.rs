//! Signing and checking a small pack made by hand, with fixed Ed25519 keys (no randomness, no key files).
//! The end-to-end tests against ssh-keygen itself are in `tests/cli/signature.rs`.

use super::key::tests::test_key;
use super::*;
use crate::manifest::{FileEntry, Manifest, PeriodInfo, RunOptions, Tool, SCHEMA};

/// A pack of one file and its manifest, in a fresh folder.
fn pack() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("pack");
    fs::create_dir(&pack).unwrap();
    fs::write(pack.join("a.txt"), "a").unwrap();
    let m = Manifest {
        schema: SCHEMA.to_string(),
        // A manifest without a pack id, as packs made before pack ids are: it still verifies.
        pack_id: None,
        tool: Tool {
            name: "ecs16-evidence".into(),
            version: "0".into(),
            executable_sha256: None,
        },
        catalog_version: "1".into(),
        options: RunOptions::default(),
        as_of: "2026-09-30T23:59:59Z".into(),
        period: PeriodInfo {
            label: "2026-Q3".into(),
            first_day: "2026-07-01".into(),
            last_day: "2026-09-30".into(),
        },
        inputs: vec![],
        exceptions_register: None,
        scope_file: None,
        baseline: None,
        outputs: vec![FileEntry {
            path: "a.txt".into(),
            sha256: crate::digest::sha256_hex(b"a"),
            size: 1,
        }],
    };
    fs::write(pack.join(FILE_NAME), serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    (dir, pack)
}

/// An unencrypted OpenSSH key file for seed `seed`, beside the pack.
fn key_file(dir: &Path, seed: u8) -> PathBuf {
    let path = dir.join(format!("key{seed}"));
    let pem = test_key(seed).to_openssh(LineEnding::LF).unwrap();
    fs::write(&path, pem.as_bytes()).unwrap();
    path
}

/// An allowed_signers file with one line.
fn signers(dir: &Path, line: &str) -> PathBuf {
    let path = dir.join("allowed_signers");
    fs::write(&path, format!("{line}\n")).unwrap();
    path
}

fn public(seed: u8) -> String {
    test_key(seed).public_key().to_openssh().unwrap()
}

#[test]
fn a_signed_pack_checks_out_and_the_signature_is_deterministic() {
    let (dir, pack) = pack();
    let key = key_file(dir.path(), 1);
    let signed = sign(&pack, &key, false).unwrap();
    assert_eq!(signed.path, pack.join(SIGNATURE_FILE_NAME));
    assert_eq!(signed.public_key, public(1).trim_end());
    let first = fs::read(&signed.path).unwrap();
    assert!(first.starts_with(b"-----BEGIN SSH SIGNATURE-----\n"));
    assert!(first.ends_with(b"-----END SSH SIGNATURE-----\n"));
    sign(&pack, &key, true).unwrap();
    assert_eq!(
        fs::read(&signed.path).unwrap(),
        first,
        "same key and manifest, same bytes"
    );
    // Nothing else in the pack changed, and no temporary file is left.
    let mut names: Vec<_> = fs::read_dir(&pack)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["a.txt", "manifest.json", "manifest.json.sig"]);
    assert!(
        manifest::verify(&pack).unwrap().ok(),
        "the .sig is not an added file"
    );

    let allowed = signers(dir.path(), &format!("alice@example.com {}", public(1)));
    let verdict = check(&pack, &allowed, "alice@example.com", None).unwrap();
    assert!(verdict.is_good(), "{verdict:?}");
    assert_eq!(
        verdict.line(),
        format!(
            "signature: good ({} of \"alice@example.com\", namespace ecs16-evidence)",
            signed.key
        )
    );
    assert!(signed.key.to_string().starts_with("ED25519 key SHA256:"));
}

#[test]
fn a_changed_manifest_breaks_the_signature() {
    let (dir, pack) = pack();
    sign(&pack, &key_file(dir.path(), 1), false).unwrap();
    let allowed = signers(dir.path(), &format!("alice {}", public(1)));
    let mut m = fs::read(pack.join(FILE_NAME)).unwrap();
    let last = m.len() - 1;
    m[last] ^= 0x20;
    fs::write(pack.join(FILE_NAME), m).unwrap();
    let verdict = check(&pack, &allowed, "alice", None).unwrap();
    assert!(
        matches!(
            verdict,
            Verdict::Bad {
                why: Bad::Mismatch(_),
                ..
            }
        ),
        "{verdict:?}"
    );
    assert!(
        verdict.line().starts_with("signature: BAD ("),
        "{}",
        verdict.line()
    );
}

#[test]
fn the_signer_must_be_allowed_as_the_identity() {
    let (dir, pack) = pack();
    sign(&pack, &key_file(dir.path(), 1), false).unwrap();
    let cases = [
        (format!("alice {}", public(2)), "NOT ALLOWED (ED25519 key SHA256:"),
        (format!("bob {}", public(1)), "for other principals than \"alice\")"),
        (
            format!("alice namespaces=\"git\" {}", public(1)),
            "only for namespaces \"git\", not ecs16-evidence)",
        ),
        (
            format!("alice valid-before=\"20270101Z\" {}", public(1)),
            "only with valid-before=\"20270101Z\"; an SSH signature does not record when it was made",
        ),
    ];
    for (line, want) in cases {
        let allowed = signers(dir.path(), &line);
        let verdict = check(&pack, &allowed, "alice", None).unwrap();
        assert!(!verdict.is_good(), "{line}");
        assert!(verdict.line().contains(want), "{line}\n{}", verdict.line());
    }
    let allowed = signers(
        dir.path(),
        &format!("alice valid-before=\"20270101Z\" {}", public(1)),
    );
    let at = |t: &str| Some(t.parse::<DateTime<Utc>>().unwrap());
    assert!(check(&pack, &allowed, "alice", at("2026-10-01T00:00:00Z"))
        .unwrap()
        .is_good());
    let late = check(&pack, &allowed, "alice", at("2027-01-01T00:00:01Z")).unwrap();
    assert!(
        late.line()
            .contains("which excludes the --verify-time given"),
        "{}",
        late.line()
    );
}

#[test]
fn missing_foreign_and_garbled_signatures_are_named() {
    let (dir, pack) = pack();
    let allowed = signers(dir.path(), &format!("alice {}", public(1)));
    let sig_path = pack.join(SIGNATURE_FILE_NAME);
    let line = |pack: &Path| check(pack, &allowed, "alice", None).unwrap().line();
    assert!(
        line(&pack).starts_with("signature: missing ("),
        "{}",
        line(&pack)
    );

    let manifest = fs::read(pack.join(FILE_NAME)).unwrap();
    let git = test_key(1).sign("git", HashAlg::Sha512, &manifest).unwrap();
    fs::write(&sig_path, git.to_pem(LineEnding::LF).unwrap()).unwrap();
    assert!(
        line(&pack).contains("was made for namespace \"git\", not ecs16-evidence"),
        "{}",
        line(&pack)
    );

    fs::write(&sig_path, "-----BEGIN SSH SIGNATURE-----\ngarbage\n").unwrap();
    assert!(
        line(&pack).contains("is a damaged SSH signature: "),
        "{}",
        line(&pack)
    );
    fs::write(&sig_path, "garbage\n").unwrap();
    assert!(
        line(&pack).ends_with(
            "is not an SSH signature: it does not begin with -----BEGIN SSH SIGNATURE-----)"
        ),
        "{}",
        line(&pack)
    );

    fs::remove_file(&sig_path).unwrap();
    std::os::unix::fs::symlink(pack.join(FILE_NAME), &sig_path).unwrap();
    assert!(
        line(&pack).ends_with("manifest.json.sig is not a regular file)"),
        "{}",
        line(&pack)
    );
}

#[test]
fn an_existing_signature_is_kept_unless_forced_and_a_symlink_never_followed() {
    let (dir, pack) = pack();
    let key = key_file(dir.path(), 1);
    let sig_path = pack.join(SIGNATURE_FILE_NAME);
    fs::write(&sig_path, "old").unwrap();
    let e = sign(&pack, &key, false).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("already exists; pass --force to replace the signature"),
        "{e}"
    );
    assert_eq!(fs::read(&sig_path).unwrap(), b"old");

    fs::remove_file(&sig_path).unwrap();
    let outside = dir.path().join("outside");
    fs::write(&outside, "user's file").unwrap();
    std::os::unix::fs::symlink(&outside, &sig_path).unwrap();
    let e = sign(&pack, &key, true).unwrap_err();
    assert!(matches!(e, SignError::SignatureIsSymlink(_)), "{e}");
    assert_eq!(fs::read(&outside).unwrap(), b"user's file");

    fs::remove_file(&sig_path).unwrap();
    fs::create_dir(&sig_path).unwrap();
    assert!(matches!(
        sign(&pack, &key, true),
        Err(SignError::SignatureNotAFile(_))
    ));
}

#[test]
fn a_pack_that_differs_from_its_manifest_is_not_signed() {
    let (dir, pack) = pack();
    fs::write(pack.join("a.txt"), "b").unwrap();
    fs::write(pack.join("extra.txt"), "x").unwrap();
    let e = sign(&pack, &key_file(dir.path(), 1), false).unwrap_err();
    assert!(
        e.to_string().contains(
            "does not match its manifest (changed: a.txt, added: extra.txt); a signature vouches"
        ),
        "{e}"
    );
    assert!(!pack.join(SIGNATURE_FILE_NAME).exists());
    let e = sign(&dir.path().join("nowhere"), &key_file(dir.path(), 1), false).unwrap_err();
    assert!(
        e.to_string()
            .ends_with("nowhere/manifest.json: no such file"),
        "{e}"
    );
}
