//! `manifest.json`: what a pack was built from and with, and the SHA-256 of every file in it, so an assessor
//! can check the pack offline with `ecs16-evidence verify PACK` (or `sha256sum`). The manifest does not
//! list itself, nor `manifest.json.sig`, the signature `sign` may add later over the manifest's bytes: that
//! file is part of a pack without being listed (as a regular file; anything else under its name is
//! reported as added). Checking the signature is the `signature` stage's job.
//!
//! The stage after render: [`Draft`] is the manifest before the files exist (it gives the pack id the
//! report shows, `pack_id`), [`build`] takes the rendered files and the analysis they came from;
//! [`verify`] re-hashes a pack on disk and recomputes its pack id (the `verify` command, and a
//! `--baseline` before it is used). `executable` takes the SHA-256 of the running binary.
//!
//! Manifests written before the pack id and the executable's hash (schema v1 too, without those members
//! and without `prepared_by`, `reviewed_by`, `scope` in `options`) still load: every member added since
//! has a default, and a manifest without `pack_id` has none to check.

pub mod executable;
pub mod pack_id;

use crate::analysis::Analysis;
use crate::digest::sha256_hex;
use crate::ingest::InputReport;
use crate::render::PackFile;
use crate::safe_fs::io_message;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path};

/// Why a pack could not be checked at all (a pack that differs from its manifest is a [`Verification`]).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{path}: {}", io_message(cause))]
    Io { path: String, cause: std::io::Error },
    #[error("{path}: {cause}")]
    Unreadable {
        path: String,
        cause: crate::safe_fs::FsError,
    },
    #[error("{path}:{line}:{column}: not an ecs16-evidence manifest: {message}")]
    NotAManifest {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: schema {found:?}, expected {SCHEMA}")]
    Schema { path: String, found: String },
}

pub const FILE_NAME: &str = "manifest.json";
/// The OpenSSH signature of `manifest.json` (`ecs16-evidence sign`, or `ssh-keygen -Y sign`).
pub const SIGNATURE_FILE_NAME: &str = "manifest.json.sig";
pub const SCHEMA: &str = "ecs16-evidence/manifest/v1";

/// The largest `manifest.json` read: an organisation's hundred thousand inputs make tens of megabytes.
const MANIFEST_LIMIT: u64 = 512 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub schema: String,
    /// The first 12 hex digits of the SHA-256 of the manifest's core (`pack_id` module); absent from
    /// manifests written before pack ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack_id: Option<String>,
    pub tool: Tool,
    pub catalog_version: String,
    pub options: RunOptions,
    pub as_of: String,
    pub period: PeriodInfo,
    pub inputs: Vec<InputEntry>,
    pub exceptions_register: Option<FileEntry>,
    /// The scope file given (`--scope`), by its SHA-256; absent from manifests written before scope files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_file: Option<FileEntry>,
    /// The baseline pack compared with, by the SHA-256 of its manifest.
    #[serde(default)]
    pub baseline: Option<FileEntry>,
    pub outputs: Vec<FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tool {
    pub name: String,
    pub version: String,
    /// SHA-256 of the executable that wrote the pack. Outside the pack id's core: it names the build,
    /// not the evidence (see `pack_id`). Absent from older manifests and from packs built in memory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executable_sha256: Option<String>,
}

/// Every option that shapes a pack's content, as given. Left out because they do not: where the pack
/// was written (`--out`, `--force`), the context dump beside it (`--dump-context`), what is printed
/// (`-q`, `-v`), and the number of threads (`-j/--jobs`, and the hidden split size): the pack is byte
/// for byte the same whatever they are (`tests/cli/parallel.rs`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RunOptions {
    pub inputs: Vec<String>,
    pub as_of: Option<String>,
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub exceptions: Option<String>,
    /// The scope file (`--scope`), by its path as given.
    #[serde(default)]
    pub scope: Option<String>,
    pub skip_bad_inputs: bool,
    #[serde(default)]
    pub complete_dumps: bool,
    pub fail_on: Vec<String>,
    pub org: Option<String>,
    pub assessor: Option<String>,
    /// The names in the cover's sign-off block, as given.
    #[serde(default)]
    pub prepared_by: Option<String>,
    #[serde(default)]
    pub reviewed_by: Option<String>,
    pub templates: Option<String>,
    #[serde(default)]
    pub baseline: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PeriodInfo {
    pub label: String,
    pub first_day: String,
    pub last_day: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
    pub kind: String,
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub why: Option<String>,
    pub records_read: u64,
    pub records_used: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileEntry {
    pub path: String,
    pub sha256: String,
    pub size: u64,
}

fn input_entries(inputs: &[InputReport]) -> Vec<InputEntry> {
    inputs
        .iter()
        .map(|i| InputEntry {
            path: i.path.clone(),
            sha256: i.sha256.clone(),
            size: i.size,
            kind: i.kind.clone(),
            status: i.status.as_str().to_string(),
            why: i.status.why().map(str::to_string),
            records_read: i.records_read(),
            records_used: i.records_used,
        })
        .collect()
}

fn output_entries(files: &[PackFile]) -> Vec<FileEntry> {
    files
        .iter()
        .filter(|f| f.path != FILE_NAME)
        .map(|f| FileEntry {
            path: f.path.clone(),
            sha256: sha256_hex(&f.bytes),
            size: f.bytes.len() as u64,
        })
        .collect()
}

/// What the manifest records beside the analysis and the files.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub options: RunOptions,
    /// The exceptions register given, by its SHA-256.
    pub register: Option<FileEntry>,
    /// The scope file given, by its SHA-256.
    pub scope: Option<FileEntry>,
    /// The SHA-256 of the executable that made the pack (`None` for a pack built in memory).
    pub executable_sha256: Option<String>,
}

/// The manifest of a pack: every other file of it already rendered.
pub fn build(a: &Analysis, files: &[PackFile], provenance: &Provenance) -> PackFile {
    build_from(a, output_entries(files), provenance)
}

/// The manifest of a pack from what was recorded of every other file as it was written (`outputs`
/// sorted by path).
pub fn build_from(a: &Analysis, outputs: Vec<FileEntry>, provenance: &Provenance) -> PackFile {
    Draft::new(a, provenance).finish(outputs, provenance.executable_sha256.clone())
}

/// The manifest before the files of the pack exist: its core (see `pack_id`) and so the pack id, which
/// the report shows.
#[derive(Debug, Clone)]
pub struct Draft {
    manifest: Manifest,
}

impl Draft {
    pub fn new(a: &Analysis, provenance: &Provenance) -> Draft {
        let mut manifest = core(a, provenance);
        // A manifest made here is always an object, so it always has an id.
        manifest.pack_id = serde_json::to_value(&manifest)
            .ok()
            .and_then(|v| pack_id::of(&v));
        Draft { manifest }
    }

    /// The pack id: the first 12 hex digits of the SHA-256 of the manifest's core.
    pub fn pack_id(&self) -> &str {
        self.manifest.pack_id.as_deref().unwrap_or_default()
    }

    /// The finished `manifest.json`: the core, the pack id, the executable's hash and every other file.
    pub fn finish(self, outputs: Vec<FileEntry>, executable_sha256: Option<String>) -> PackFile {
        let mut m = self.manifest;
        m.tool.executable_sha256 = executable_sha256;
        m.outputs = outputs
            .into_iter()
            .filter(|f| f.path != FILE_NAME)
            .collect();
        PackFile {
            path: FILE_NAME.to_string(),
            bytes: crate::render::json_bytes(&m),
        }
    }
}

/// Everything the pack id covers: the manifest without its id, its outputs and the executable's hash.
fn core(a: &Analysis, provenance: &Provenance) -> Manifest {
    Manifest {
        schema: SCHEMA.to_string(),
        pack_id: None,
        tool: Tool {
            name: env!("CARGO_PKG_NAME").to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            executable_sha256: None,
        },
        catalog_version: a.catalog.catalog_version.clone(),
        options: provenance.options.clone(),
        as_of: crate::time::format(&a.as_of),
        period: PeriodInfo {
            label: a.period.label.clone(),
            first_day: a.period.first_day.to_string(),
            last_day: a.period.last_day.to_string(),
        },
        inputs: input_entries(&a.inputs),
        exceptions_register: provenance.register.clone(),
        scope_file: provenance.scope.clone(),
        baseline: a.baseline.as_ref().map(|b| FileEntry {
            path: b.path.clone(),
            sha256: b.manifest_sha256.clone(),
            size: 0,
        }),
        outputs: Vec::new(),
    }
}

/// What `verify` found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verification {
    pub verified: usize,
    pub changed: Vec<String>,
    pub missing: Vec<String>,
    pub added: Vec<String>,
}

impl Verification {
    pub fn ok(&self) -> bool {
        self.changed.is_empty() && self.missing.is_empty() && self.added.is_empty()
    }

    /// One line per problem, sorted by path; `OK: N files verified` when there is none.
    pub fn lines(&self) -> Vec<String> {
        if self.ok() {
            return vec![format!("OK: {} files verified", self.verified)];
        }
        let mut lines: Vec<(String, &str)> = Vec::new();
        lines.extend(self.changed.iter().map(|p| (p.clone(), "changed")));
        lines.extend(self.missing.iter().map(|p| (p.clone(), "missing")));
        lines.extend(self.added.iter().map(|p| (p.clone(), "added")));
        lines.sort();
        lines
            .into_iter()
            .map(|(p, what)| format!("{what}: {p}"))
            .collect()
    }
}

fn files_in(dir: &Path, base: &Path, out: &mut BTreeSet<String>) -> std::io::Result<()> {
    for e in fs::read_dir(dir)? {
        let e = e?;
        let p = e.path();
        let rel = p.strip_prefix(base).unwrap_or(&p);
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if e.file_type()?.is_dir() {
            files_in(&p, base, out)?;
        } else {
            out.insert(rel);
        }
    }
    Ok(())
}

/// A manifest path that stays inside the pack.
fn is_inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// A regular file, not a symlink to one.
fn is_regular_file(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file())
}

/// Re-hashes a pack against its manifest, and recomputes its pack id when it records one.
pub fn verify(pack: &Path) -> Result<Verification, VerifyError> {
    let manifest_path = pack.join(FILE_NAME);
    let shown = manifest_path.display().to_string();
    let text = crate::safe_fs::read_regular(&manifest_path, MANIFEST_LIMIT).map_err(|cause| {
        VerifyError::Unreadable {
            path: shown.clone(),
            cause,
        }
    })?;
    let m: Manifest = serde_json::from_slice(&text).map_err(|e| VerifyError::NotAManifest {
        path: shown.clone(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if m.schema != SCHEMA {
        return Err(VerifyError::Schema {
            path: shown,
            found: m.schema,
        });
    }
    let mut present = BTreeSet::new();
    files_in(pack, pack, &mut present).map_err(|cause| VerifyError::Io {
        path: pack.display().to_string(),
        cause,
    })?;
    present.remove(FILE_NAME);
    if is_regular_file(&pack.join(SIGNATURE_FILE_NAME)) {
        present.remove(SIGNATURE_FILE_NAME);
    }
    let mut v = Verification::default();
    if let Some(recorded) = &m.pack_id {
        // The manifest parsed, so it is JSON and an object: the id can be recomputed from its text.
        let computed = serde_json::from_slice::<serde_json::Value>(&text)
            .ok()
            .and_then(|value| pack_id::of(&value))
            .unwrap_or_default();
        if *recorded != computed {
            v.changed.push(format!(
                "{FILE_NAME} (its pack_id {recorded} is not the pack id of its content, {computed}: \
                 a member the id covers was changed)"
            ));
        }
    }
    for entry in &m.outputs {
        if !is_inside(&entry.path) {
            v.changed.push(format!(
                "{} (the manifest names a path outside the pack)",
                entry.path
            ));
            continue;
        }
        let path = pack.join(&entry.path);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                v.changed.push(format!("{} (now a symlink)", entry.path))
            }
            // Read only from inside the pack, only a regular file, never more than the manifest says
            // it holds: a `data` symlinked to /dev cannot make this read /dev/zero.
            Ok(_) => match crate::safe_fs::inside(pack, &entry.path)
                .and_then(|p| crate::safe_fs::read_regular(&p, entry.size))
            {
                Ok(bytes) if sha256_hex(&bytes) == entry.sha256 => v.verified += 1,
                Ok(_) | Err(crate::safe_fs::FsError::TooLarge(_)) => {
                    v.changed.push(entry.path.clone())
                }
                Err(e) => v.changed.push(format!("{} ({e})", entry.path)),
            },
            Err(_) => v.missing.push(entry.path.clone()),
        }
        present.remove(&entry.path);
    }
    v.added = present.into_iter().collect();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside_the_pack() {
        assert!(is_inside("data/reconciliation.csv"));
        for bad in ["../x", "/etc/passwd", "data/../../x", ""] {
            assert!(!is_inside(bad), "{bad}");
        }
    }

    #[test]
    fn lines_are_sorted_and_named() {
        let v = Verification {
            verified: 3,
            changed: vec!["b.csv".into()],
            missing: vec!["a.md".into()],
            added: vec!["c.txt".into()],
        };
        assert_eq!(
            v.lines(),
            vec!["missing: a.md", "changed: b.csv", "added: c.txt"]
        );
        assert_eq!(
            Verification {
                verified: 4,
                ..Default::default()
            }
            .lines(),
            vec!["OK: 4 files verified"]
        );
    }
}
