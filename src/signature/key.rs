//! The signing key: an unencrypted Ed25519 private key in OpenSSH's format, read from a regular file.
//!
//! Everything else is refused with what to do instead: a passphrase-protected key (this tool never asks for
//! a passphrase; `ssh-keygen -Y sign` can use it and writes the same file), another algorithm (RSA, ECDSA:
//! one algorithm keeps the assessor's check simple and its signatures deterministic), a public key given
//! by mistake, a pipe or a device (which could block or stream forever). The file's bytes are wiped from
//! memory once parsed; `ssh-key` wipes the parsed key when it is dropped.

use crate::safe_fs::io_message;
use ssh_key::{Algorithm, PrivateKey};
use std::fs;
use std::io::{self, Read};
use std::path::Path;
use zeroize::Zeroizing;

/// The first line of every OpenSSH private key file.
const ARMOUR: &str = "-----BEGIN OPENSSH PRIVATE KEY-----";

/// An OpenSSH private key is a few kilobytes at most (a 16384-bit RSA key is about 12 KB).
const MAX_KEY_BYTES: u64 = 64 * 1024;

/// Why the key file cannot sign.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: cannot read the signing key: {}", io_message(cause))]
    Io { path: String, cause: io::Error },
    #[error("{path}: is {what}, not a key file; give the OpenSSH private key file (e.g. ~/.ssh/id_ed25519)")]
    NotAFile { path: String, what: &'static str },
    #[error(
        "{path}: is {size} bytes, too large for an OpenSSH private key; give the private key file"
    )]
    TooLarge { path: String, size: u64 },
    #[error("{path}: is a public key; give the private key (the same name without .pub)")]
    PublicKey { path: String },
    #[error("{path}: is not an OpenSSH private key: it should begin with {ARMOUR} (make one with: ssh-keygen -t ed25519 -N '' -f KEYFILE)")]
    NotOpenSsh { path: String },
    #[error("{path}: is a damaged OpenSSH private key ({cause}); give an intact copy of the key")]
    Damaged { path: String, cause: ssh_key::Error },
    #[error("{path}: is an {algorithm} key; ecs16-evidence signs with Ed25519 keys only (make one with: ssh-keygen -t ed25519 -N '' -f KEYFILE)")]
    NotEd25519 { path: String, algorithm: String },
    #[error("{path}: is protected by a passphrase, and this tool never asks for one; sign with ssh-keygen instead (`ssh-keygen -Y sign -n ecs16-evidence -f KEYFILE PACK/manifest.json` writes the same PACK/manifest.json.sig), or use an Ed25519 key without a passphrase kept offline")]
    Encrypted { path: String },
}

/// Reads and checks the signing key.
pub fn load(path: &Path) -> Result<PrivateKey, KeyError> {
    let shown = path.display().to_string();
    let bytes = read_regular_file(path).map_err(|e| e.named(&shown))?;
    judge(&bytes, &shown)
}

/// The key as a signer: Ed25519, not encrypted. The algorithm is checked first: a passphrase would not
/// make an RSA key usable.
fn judge(bytes: &[u8], shown: &str) -> Result<PrivateKey, KeyError> {
    let path = shown.to_string();
    let key = PrivateKey::from_openssh(bytes).map_err(|cause| {
        if looks_like_public_key(bytes) {
            KeyError::PublicKey { path }
        } else if !bytes.trim_ascii_start().starts_with(ARMOUR.as_bytes()) {
            KeyError::NotOpenSsh { path }
        } else {
            KeyError::Damaged { path, cause }
        }
    })?;
    let algorithm = key.public_key().algorithm();
    if algorithm != Algorithm::Ed25519 {
        return Err(KeyError::NotEd25519 {
            path: shown.to_string(),
            algorithm: key_type_name(&algorithm),
        });
    }
    if key.is_encrypted() {
        return Err(KeyError::Encrypted {
            path: shown.to_string(),
        });
    }
    Ok(key)
}

/// `ssh-ed25519 AAAA... comment`, the one-line form of a `.pub` file or an authorized_keys line.
fn looks_like_public_key(bytes: &[u8]) -> bool {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| text.split_whitespace().next())
        .is_some_and(|first| first.parse::<Algorithm>().is_ok())
}

/// The key type as ssh-keygen prints it (`ED25519`, `RSA`, `ECDSA`).
pub fn key_type_name(algorithm: &Algorithm) -> String {
    match algorithm {
        Algorithm::Ed25519 => "ED25519".to_string(),
        Algorithm::Rsa { .. } => "RSA".to_string(),
        Algorithm::Ecdsa { .. } => "ECDSA".to_string(),
        Algorithm::Dsa => "DSA".to_string(),
        Algorithm::SkEd25519 => "ED25519-SK".to_string(),
        Algorithm::SkEcdsaSha2NistP256 => "ECDSA-SK".to_string(),
        other => other.as_str().to_string(),
    }
}

/// Why a file could not be read, before its name is attached.
enum ReadError {
    Io(io::Error),
    NotAFile(&'static str),
    TooLarge(u64),
}

impl ReadError {
    fn named(self, path: &str) -> KeyError {
        let path = path.to_string();
        match self {
            ReadError::Io(cause) => KeyError::Io { path, cause },
            ReadError::NotAFile(what) => KeyError::NotAFile { path, what },
            ReadError::TooLarge(size) => KeyError::TooLarge { path, size },
        }
    }
}

/// A regular file's bytes (a symlink to one is fine), wiped when dropped. Checked before opening, so a
/// named pipe is never opened (which would block), and again on the open file.
fn read_regular_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    check_regular(&fs::metadata(path).map_err(ReadError::Io)?)?;
    let file = fs::File::open(path).map_err(ReadError::Io)?;
    check_regular(&file.metadata().map_err(ReadError::Io)?)?;
    let mut bytes = Zeroizing::new(Vec::new());
    file.take(MAX_KEY_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > MAX_KEY_BYTES {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

fn check_regular(meta: &fs::Metadata) -> Result<(), ReadError> {
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(ReadError::NotAFile(what_it_is(kind)));
    }
    if meta.len() > MAX_KEY_BYTES {
        return Err(ReadError::TooLarge(meta.len()));
    }
    Ok(())
}

/// What a path that is not a regular file is, in words.
fn what_it_is(kind: fs::FileType) -> &'static str {
    if kind.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    "something other than a regular file"
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use ssh_key::private::Ed25519Keypair;
    use ssh_key::LineEnding;

    /// A fixed Ed25519 key for unit tests: no randomness, no key files in the repository.
    pub fn test_key(seed: u8) -> PrivateKey {
        PrivateKey::from(Ed25519Keypair::from_seed(&[seed; 32]))
    }

    #[test]
    fn an_unencrypted_ed25519_key_is_accepted() {
        let pem = test_key(1).to_openssh(LineEnding::LF).unwrap();
        let key = judge(pem.as_bytes(), "k").unwrap();
        assert_eq!(key.public_key(), test_key(1).public_key());
    }

    #[test]
    fn a_public_key_and_garbage_are_named_for_what_they_are() {
        let public = test_key(1).public_key().to_openssh().unwrap();
        assert!(matches!(
            judge(public.as_bytes(), "k.pub"),
            Err(KeyError::PublicKey { .. })
        ));
        for garbage in [
            &b""[..],
            b"hello",
            b"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n",
        ] {
            let e = judge(garbage, "k").unwrap_err();
            assert!(matches!(e, KeyError::NotOpenSsh { .. }), "{e}");
            assert!(
                e.to_string()
                    .starts_with("k: is not an OpenSSH private key"),
                "{e}"
            );
        }
    }

    #[test]
    fn a_folder_and_a_missing_file_are_named() {
        let d = tempfile::tempdir().unwrap();
        let e = load(d.path()).unwrap_err();
        assert!(e.to_string().contains("is a folder, not a key file"), "{e}");
        let e = load(&d.path().join("nope")).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("cannot read the signing key: no such file"),
            "{e}"
        );
    }

    #[test]
    fn an_oversized_file_is_not_read_whole() {
        let d = tempfile::tempdir().unwrap();
        let big = d.path().join("big");
        fs::write(&big, vec![b'x'; (MAX_KEY_BYTES + 1) as usize]).unwrap();
        assert!(matches!(load(&big), Err(KeyError::TooLarge { .. })));
    }
}
