//! Signing a pack and checking its signature: the stage after `pack`.
//!
//! [`sign`] writes `PACK/manifest.json.sig`, an OpenSSH signature in the SSHSIG format of
//! `ssh-keygen -Y sign` (namespace `ecs16-evidence`, SHA-512 as ssh-keygen uses, an Ed25519 key) over the
//! bytes of `manifest.json`. The manifest holds the SHA-256 of every other file, so the signature covers
//! the whole pack, and an assessor checks it with the standard tool on an air-gapped machine:
//! `ssh-keygen -Y verify -f allowed_signers -I ID -n ecs16-evidence -s PACK/manifest.json.sig
//! < PACK/manifest.json`. Ed25519 signatures are deterministic: the same key and manifest give the same
//! bytes, as ssh-keygen's own.
//!
//! A pack is signed only when it passes `verify`: a signature vouches for what the manifest lists, so a
//! pack that differs from its manifest is refused. The `.sig` is the one file ever written into an existing
//! pack, only here, and atomically (a temporary file in the pack, then a rename); an existing signature is
//! replaced only with `--force`, and a symlink in its place is always refused.
//!
//! [`check`] is `verify --allowed-signers FILE --identity ID`: the signature must be over these manifest
//! bytes, in our namespace, by a key the allowed_signers file lets sign as ID. The format and the
//! cryptography are the `ssh-key` crate's; the allowed_signers file is read by [`allowed_signers`] and
//! judged by [`decision`] (a line format, see there).

pub mod allowed_signers;
pub mod decision;
pub mod key;
mod pattern;

use crate::escape::terminal_quoted;
use crate::manifest::{self, VerifyError, FILE_NAME, SIGNATURE_FILE_NAME};
use crate::safe_fs::io_message;
use allowed_signers::{AllowedSigners, AllowedSignersError};
use chrono::{DateTime, Utc};
use decision::Decision;
use key::{key_type_name, KeyError};
use ssh_key::public::KeyData;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The SSHSIG namespace of every signature this tool makes or accepts: a signature made for another
/// purpose (`git`, `file`) is never taken for a pack's.
pub const NAMESPACE: &str = "ecs16-evidence";

/// The first line of an armoured SSHSIG signature.
const ARMOUR: &str = "-----BEGIN SSH SIGNATURE-----";

/// A signature is a few hundred bytes; anything this large is not one.
const MAX_SIGNATURE_BYTES: u64 = 64 * 1024;

/// Why a pack could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error(transparent)]
    Pack(#[from] VerifyError),
    #[error("{pack}: does not match its manifest ({problems}); a signature vouches for what the manifest lists, so the pack is not signed: restore those files or rebuild the pack")]
    PackDiffers { pack: String, problems: String },
    #[error(
        "{0}: is a symlink; refusing to write a signature through it: remove it, then sign again"
    )]
    SignatureIsSymlink(String),
    #[error("{0}: exists and is not a file: remove it, then sign again")]
    SignatureNotAFile(String),
    #[error("{0}: already exists; pass --force to replace the signature")]
    SignatureExists(String),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error("{path}: cannot sign with this key: {cause}")]
    Signing { path: String, cause: ssh_key::Error },
    #[error("{path}: {}", io_message(cause))]
    Io { path: String, cause: io::Error },
}

/// Why a signature could not be checked at all (a signature that fails the check is a [`Verdict`]).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    AllowedSigners(#[from] AllowedSignersError),
    #[error("{path}: {}", io_message(cause))]
    Io { path: String, cause: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> SignError + '_ {
    move |cause| SignError::Io {
        path: path.display().to_string(),
        cause,
    }
}

/// A key as ssh-keygen names it in its messages: `ED25519 key SHA256:...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName {
    pub key_type: String,
    pub fingerprint: String,
}

impl KeyName {
    pub fn of(key: &KeyData) -> Self {
        Self {
            key_type: key_type_name(&key.algorithm()),
            fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        }
    }
}

impl fmt::Display for KeyName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} key {}", self.key_type, self.fingerprint)
    }
}

/// What `sign` wrote.
#[derive(Debug, Clone)]
pub struct Signed {
    pub path: PathBuf,
    pub key: KeyName,
    /// `ssh-ed25519 AAAA...` without the key's comment: what goes on the assessor's allowed_signers line.
    pub public_key: String,
}

/// Signs `PACK/manifest.json` with the key in `key_path`. The place of the signature is checked first (a
/// symlink there would otherwise be reported as a file added to the pack), then the pack (a signature
/// vouches for it), then the key.
pub fn sign(pack: &Path, key_path: &Path, force: bool) -> Result<Signed, SignError> {
    let target = pack.join(SIGNATURE_FILE_NAME);
    check_target(&target, force)?;
    check_pack(pack)?;
    let key = key::load(key_path)?;
    let manifest_path = pack.join(FILE_NAME);
    let manifest = fs::read(&manifest_path).map_err(io_error(&manifest_path))?;
    let armored = armored_signature(&key, &manifest).map_err(|cause| SignError::Signing {
        path: key_path.display().to_string(),
        cause,
    })?;
    write_atomically(pack, &target, armored.as_bytes())?;
    let public = key.public_key().key_data();
    Ok(Signed {
        path: target,
        key: KeyName::of(public),
        public_key: PublicKey::from(public.clone())
            .to_openssh()
            .map_err(|cause| SignError::Signing {
                path: key_path.display().to_string(),
                cause,
            })?,
    })
}

/// The signature as ssh-keygen armours it: PEM, 70 columns, LF line ends.
fn armored_signature(key: &PrivateKey, manifest: &[u8]) -> Result<String, ssh_key::Error> {
    key.sign(NAMESPACE, HashAlg::Sha512, manifest)?
        .to_pem(LineEnding::LF)
}

fn check_pack(pack: &Path) -> Result<(), SignError> {
    let v = manifest::verify(pack)?;
    if v.ok() {
        return Ok(());
    }
    Err(SignError::PackDiffers {
        pack: pack.display().to_string(),
        problems: v.lines().join(", "),
    })
}

/// Where the signature goes: free, or (with `--force`) a regular file to replace — never a symlink.
fn check_target(target: &Path, force: bool) -> Result<(), SignError> {
    let shown = || target.display().to_string();
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(target)(e)),
        Ok(m) if m.file_type().is_symlink() => Err(SignError::SignatureIsSymlink(shown())),
        Ok(m) if !m.file_type().is_file() => Err(SignError::SignatureNotAFile(shown())),
        Ok(_) if force => Ok(()),
        Ok(_) => Err(SignError::SignatureExists(shown())),
    }
}

/// A new temporary file in the pack (never an existing one: `create_new` does not follow a symlink),
/// synced, then renamed over the target (a rename replaces a name, it does not write through it).
fn write_atomically(pack: &Path, target: &Path, bytes: &[u8]) -> Result<(), SignError> {
    let partial = pack.join(format!(
        ".{SIGNATURE_FILE_NAME}.partial-{}",
        std::process::id()
    ));
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .map_err(io_error(&partial))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io_error(&partial))
        .and_then(|()| fs::rename(&partial, target).map_err(io_error(target)));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written
}

/// What the signature check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Over these manifest bytes, in our namespace, by a key allowed to sign as the identity.
    Good { key: KeyName, identity: String },
    /// The pack has no `manifest.json.sig`.
    Missing { path: String },
    /// The file is not a signature of this manifest in our namespace.
    Bad { path: String, why: Bad },
    /// Made with a key type this tool does not check (ssh-keygen can).
    Unsupported { path: String, key: KeyName },
    /// A good signature, by a key the allowed_signers file does not allow (or not at the moment given).
    NotAllowed {
        key: KeyName,
        identity: String,
        signers: String,
        decision: Decision,
    },
}

/// Why a signature file is bad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bad {
    NotAFile,
    TooLarge,
    /// Does not begin with `-----BEGIN SSH SIGNATURE-----`.
    NotASignature,
    /// Begins as one, but cannot be read.
    Damaged(String),
    Namespace(String),
    Mismatch(KeyName),
}

impl Verdict {
    pub fn is_good(&self) -> bool {
        matches!(self, Verdict::Good { .. })
    }

    /// The `signature: ...` line `verify` prints.
    pub fn line(&self) -> String {
        format!("signature: {}", self.words())
    }

    fn words(&self) -> String {
        match self {
            Verdict::Good { key, identity } => format!(
                "good ({key} of {}, namespace {NAMESPACE})",
                terminal_quoted(identity)
            ),
            Verdict::Missing { path } => format!(
                "missing ({path} does not exist; sign the pack with: ecs16-evidence sign PACK --key KEYFILE)"
            ),
            Verdict::Bad { path, why } => format!("BAD ({})", bad_words(path, why)),
            Verdict::Unsupported { path, key } => format!(
                "UNCHECKED ({path} is by an {key}; this tool checks Ed25519 signatures only: check it with ssh-keygen -Y verify)"
            ),
            Verdict::NotAllowed {
                key,
                identity,
                signers,
                decision,
            } => not_allowed_words(key, &terminal_quoted(identity), signers, decision),
        }
    }
}

fn bad_words(path: &str, why: &Bad) -> String {
    match why {
        Bad::NotAFile => format!("{path} is not a regular file"),
        Bad::TooLarge => format!("{path} is too large to be an SSH signature"),
        Bad::NotASignature => format!("{path} is not an SSH signature: it does not begin with {ARMOUR}"),
        Bad::Damaged(cause) => format!("{path} is a damaged SSH signature: {cause}"),
        Bad::Namespace(found) => format!(
            "{path} was made for namespace {}, not {NAMESPACE}: it is not a signature of an evidence pack",
            terminal_quoted(found)
        ),
        Bad::Mismatch(key) => format!(
            "{path}, by {key}, does not match {FILE_NAME}: the manifest changed after it was signed, or the signature is of another file"
        ),
    }
}

fn not_allowed_words(key: &KeyName, identity: &str, signers: &str, d: &Decision) -> String {
    let lines = |lines: &[usize]| {
        lines
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    // `window` holds only option names and times the parser checked (digits, `Z`/`UTC`): safe to print.
    match d {
        // Not built by `check`, which makes an allowed signature a `Verdict::Good`.
        Decision::Allowed { .. } => format!("good ({key} of {identity})"),
        Decision::KeyNotListed => format!("NOT ALLOWED ({key} is not listed in {signers})"),
        Decision::IdentityNotListed { lines: l } => format!(
            "NOT ALLOWED ({key} is listed in {signers} (line {}) for other principals than {identity})",
            lines(l)
        ),
        Decision::NamespaceNotListed { line, namespaces } => format!(
            "NOT ALLOWED ({signers} line {line} allows {key} of {identity} only for namespaces {}, not {NAMESPACE})",
            terminal_quoted(namespaces)
        ),
        Decision::Unchecked { line, window } => format!(
            "UNCHECKED ({signers} line {line} allows {key} of {identity} only with {window}; an SSH signature does not record when it was made, so name the moment to check with --verify-time TIME, as ssh-keygen's -Overify-time)"
        ),
        Decision::OutsideWindow { line, window } => format!(
            "NOT ALLOWED ({signers} line {line} allows {key} of {identity} only with {window}, which excludes the --verify-time given)"
        ),
    }
}

/// True when the pack holds something under the signature's name.
pub fn is_present(pack: &Path) -> bool {
    fs::symlink_metadata(pack.join(SIGNATURE_FILE_NAME)).is_ok()
}

/// Checks `PACK/manifest.json.sig`: over this manifest, in our namespace, by a key `signers` allows to
/// sign as `identity` (at `at`, for a key with a time window).
pub fn check(
    pack: &Path,
    signers: &Path,
    identity: &str,
    at: Option<DateTime<Utc>>,
) -> Result<Verdict, CheckError> {
    let signers = AllowedSigners::load(signers)?;
    let sig_path = pack.join(SIGNATURE_FILE_NAME);
    let path = sig_path.display().to_string();
    let sig = match read_signature(&sig_path)? {
        Read::Missing => return Ok(Verdict::Missing { path }),
        Read::Bad(why) => return Ok(Verdict::Bad { path, why }),
        Read::Signature(sig) => sig,
    };
    let key = KeyName::of(sig.public_key());
    if sig.algorithm() != Algorithm::Ed25519 {
        return Ok(Verdict::Unsupported { path, key });
    }
    let manifest_path = pack.join(FILE_NAME);
    let manifest = fs::read(&manifest_path).map_err(|cause| CheckError::Io {
        path: manifest_path.display().to_string(),
        cause,
    })?;
    let signer = PublicKey::from(sig.public_key().clone());
    if signer.verify(NAMESPACE, &manifest, &sig).is_err() {
        return Ok(Verdict::Bad {
            path,
            why: Bad::Mismatch(key),
        });
    }
    let verdict = match signers.decide(sig.public_key(), identity, NAMESPACE, at)? {
        Decision::Allowed { .. } => Verdict::Good {
            key,
            identity: identity.to_string(),
        },
        decision => Verdict::NotAllowed {
            key,
            identity: identity.to_string(),
            signers: signers.path.clone(),
            decision,
        },
    };
    Ok(verdict)
}

/// What is under the signature's name.
enum Read {
    Missing,
    Bad(Bad),
    Signature(SshSig),
}

/// The signature file, never through a symlink, parsed and in our namespace.
fn read_signature(path: &Path) -> Result<Read, CheckError> {
    let io = |cause| CheckError::Io {
        path: path.display().to_string(),
        cause,
    };
    let meta = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Read::Missing),
        other => other.map_err(io)?,
    };
    if !meta.file_type().is_file() {
        return Ok(Read::Bad(Bad::NotAFile));
    }
    if meta.len() > MAX_SIGNATURE_BYTES {
        return Ok(Read::Bad(Bad::TooLarge));
    }
    let bytes = fs::read(path).map_err(io)?;
    let sig = match SshSig::from_pem(&bytes) {
        Ok(sig) => sig,
        Err(_) if !bytes.trim_ascii_start().starts_with(ARMOUR.as_bytes()) => {
            return Ok(Read::Bad(Bad::NotASignature))
        }
        Err(e) => return Ok(Read::Bad(Bad::Damaged(e.to_string()))),
    };
    if sig.namespace() != NAMESPACE {
        return Ok(Read::Bad(Bad::Namespace(sig.namespace().to_string())));
    }
    Ok(Read::Signature(sig))
}

#[cfg(test)]
mod tests;
