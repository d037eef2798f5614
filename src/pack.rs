//! Writing the pack: complete or absent, and never at the expense of the user's files.
//!
//! The target is checked and a staging folder is made beside it before any input is read
//! ([`Staging::prepare`]): a missing or read-only parent, a symlink, a folder that is not one of our packs,
//! or an `--out` that equals, contains or sits inside an input are refused at once. Every file is then
//! written into the staging folder (same file system, so the final rename is atomic), and the folder is
//! renamed into place. `--force` replaces only a folder that is empty or is a pack this tool wrote (its
//! `manifest.json` carries our schema); the old pack is moved aside only once the new one is complete, and
//! removed after. This is the only module that writes a pack.

use crate::manifest::FileEntry;
use crate::render::{Output, PackFile, RenderError};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error(
        "{0}: is a symlink; refusing to write a pack through it (give the real folder as --out)"
    )]
    Symlink(String),
    #[error(
        "{0}: already exists and is not empty; choose another --out or pass --force to replace it"
    )]
    NotEmpty(String),
    #[error("{0}: is not a pack written by ecs16-evidence (no manifest.json of ours in it), so --force will not replace it; choose another --out")]
    NotOurs(String),
    #[error("{0}: exists and is not a folder")]
    NotAFolder(String),
    #[error("{out}: {relation} the input {input}; choose an --out outside every input")]
    TouchesInput {
        out: String,
        relation: &'static str,
        input: String,
    },
    #[error("{path}: {cause}")]
    Io { path: String, cause: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> PackError + '_ {
    move |cause| PackError::Io {
        path: path.display().to_string(),
        cause,
    }
}

/// The absolute form of a path that may not exist yet: its nearest existing ancestor resolved (symlinks
/// and all), the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            out.extend(rest.iter().rev());
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Refuses an output path that equals, contains or sits inside an input.
pub fn check_apart(out: &Path, inputs: &[PathBuf]) -> Result<(), PackError> {
    let target = resolved(out);
    for input in inputs {
        let Ok(real) = fs::canonicalize(input) else {
            // An input that does not exist is reported by ingest, with its name.
            continue;
        };
        let relation = if target == real {
            "is"
        } else if real.starts_with(&target) {
            "contains"
        } else if target.starts_with(&real) {
            "is inside"
        } else {
            continue;
        };
        return Err(PackError::TouchesInput {
            out: out.display().to_string(),
            relation,
            input: input.display().to_string(),
        });
    }
    Ok(())
}

/// True when a folder holds a pack this tool wrote: a `manifest.json` (a regular file) with our schema.
fn is_our_pack(dir: &Path) -> bool {
    let Ok(bytes) =
        crate::safe_fs::read_regular(&dir.join(crate::manifest::FILE_NAME), 512 * 1024 * 1024)
    else {
        return false;
    };
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|v| v.get("schema").and_then(|s| s.as_str()).map(str::to_string))
        .is_some_and(|s| s == crate::manifest::SCHEMA)
}

/// Checks `--out` before any work is done, so a run that would be refused at the end is refused at once.
pub fn check_target(out: &Path, force: bool, inputs: &[PathBuf]) -> Result<(), PackError> {
    check_apart(out, inputs)?;
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(out)(e)),
        Ok(meta) if meta.file_type().is_symlink() => {
            Err(PackError::Symlink(out.display().to_string()))
        }
        Ok(meta) if !meta.is_dir() => Err(PackError::NotAFolder(out.display().to_string())),
        Ok(_) => {
            let empty = fs::read_dir(out).map_err(io_err(out))?.next().is_none();
            match (empty, force) {
                (true, _) => Ok(()),
                (false, false) => Err(PackError::NotEmpty(out.display().to_string())),
                (false, true) if is_our_pack(out) => Ok(()),
                (false, true) => Err(PackError::NotOurs(out.display().to_string())),
            }
        }
    }
}

/// A name beside `--out` (same folder, hidden), tagged and made unique by the process id.
fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "evidence-pack".to_string());
    parent_of(out).join(format!(".{name}.{tag}-{}", std::process::id()))
}

fn parent_of(out: &Path) -> &Path {
    out.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The folder a pack is being written into, made before any input is read. Dropped without
/// [`commit`](Staging::commit), it is removed: a failed run leaves nothing behind.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out: PathBuf,
    force: bool,
    committed: bool,
}

impl Staging {
    /// Checks the target and makes the staging folder beside it (creating `--out`'s parent when missing),
    /// so that an unwritable target is reported before any input is read.
    pub fn prepare(out: &Path, force: bool, inputs: &[PathBuf]) -> Result<Staging, PackError> {
        check_target(out, force, inputs)?;
        let parent = parent_of(out);
        fs::create_dir_all(parent).map_err(io_err(parent))?;
        let dir = sibling(out, "partial");
        if fs::symlink_metadata(&dir).is_ok() {
            fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        fs::create_dir(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            force,
            committed: false,
        })
    }

    /// Where writers may keep scratch files until the pack is complete (the workbook's rows): a folder on
    /// the target's file system that is known to be writable, unlike, perhaps, `$TMPDIR`.
    pub fn scratch(&self) -> &Path {
        &self.dir
    }

    /// Writes every file into the staging folder (beside those [`Staged`] wrote), then renames it into
    /// place.
    pub fn commit(mut self, files: &[PackFile]) -> Result<(), PackError> {
        // Checked again: the target may have changed while the inputs were read.
        check_target(&self.out, self.force, &[])?;
        for f in files {
            self.write(f)?;
        }
        swap_in(&self.dir, &self.out)?;
        self.committed = true;
        Ok(())
    }

    /// Writes one file into the staging folder. A write error names the file where the pack was to go,
    /// not the hidden staging folder.
    fn write(&self, f: &PackFile) -> Result<(), PackError> {
        write_file(&self.dir.join(&f.path), &f.bytes).map_err(|e| match e {
            PackError::Io { cause, .. } => PackError::Io {
                path: self.out.join(&f.path).display().to_string(),
                cause,
            },
            other => other,
        })
    }
}

/// The files of a pack written into its staging folder as they are rendered, each then dropped from
/// memory: what the manifest records of each (path, SHA-256, size) is all that is kept.
pub struct Staged<'s> {
    staging: &'s Staging,
    written: std::sync::Mutex<Vec<FileEntry>>,
}

impl<'s> Staged<'s> {
    pub fn new(staging: &'s Staging) -> Self {
        Staged {
            staging,
            written: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// What was written, sorted by path (the order of the manifest's outputs).
    pub fn into_entries(self) -> Vec<FileEntry> {
        let mut entries = self.written.into_inner().unwrap_or_else(|e| e.into_inner());
        entries.sort_by(|x, y| x.path.cmp(&y.path));
        entries
    }
}

impl Output for Staged<'_> {
    fn put(&self, file: PackFile) -> Result<(), RenderError> {
        self.staging
            .write(&file)
            .map_err(|e| RenderError::Output(Box::new(e)))?;
        let entry = FileEntry {
            sha256: crate::digest::sha256_hex(&file.bytes),
            size: file.bytes.len() as u64,
            path: file.path,
        };
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), PackError> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_err(dir))?;
    }
    let mut file = fs::File::create(path).map_err(io_err(path))?;
    file.write_all(bytes).map_err(io_err(path))?;
    file.sync_all().map_err(io_err(path))
}

/// Writes the pack atomically (a staging folder, then a rename).
pub fn write(out: &Path, files: &[PackFile], force: bool) -> Result<(), PackError> {
    Staging::prepare(out, force, &[])?.commit(files)
}

fn swap_in(staging: &Path, out: &Path) -> Result<(), PackError> {
    if fs::symlink_metadata(out).is_ok() {
        let old = sibling(out, "old");
        fs::rename(out, &old).map_err(io_err(out))?;
        if let Err(e) = fs::rename(staging, out) {
            // Put the old pack back: the user keeps what they had.
            let _ = fs::rename(&old, out);
            return Err(io_err(out)(e));
        }
        fs::remove_dir_all(&old).map_err(io_err(&old))?;
    } else {
        fs::rename(staging, out).map_err(io_err(out))?;
    }
    Ok(())
}

/// Writes a side file (`--dump-context`) under the same rules as the pack: never an input or inside one,
/// never through a symlink, and over an existing file only with `force` and only when `ours` says the file
/// is one this tool wrote. Written to a temporary file beside it, then renamed.
pub fn write_side_file(
    path: &Path,
    bytes: &[u8],
    force: bool,
    inputs: &[PathBuf],
    ours: impl Fn(&[u8]) -> bool,
) -> Result<(), PackError> {
    check_apart(path, inputs)?;
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(path)(e)),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(PackError::Symlink(path.display().to_string()))
        }
        Ok(meta) if !meta.is_file() => {
            return Err(PackError::NotAFolder(path.display().to_string()))
        }
        Ok(_) if !force => return Err(PackError::NotEmpty(path.display().to_string())),
        Ok(_) => {
            let existing = crate::safe_fs::read_regular(path, 1024 * 1024 * 1024)
                .map_err(|e| io_err(path)(io::Error::other(e.to_string())))?;
            if !ours(&existing) {
                return Err(PackError::NotOurs(path.display().to_string()));
            }
        }
    }
    let temp = sibling(path, "partial");
    write_file(&temp, bytes)?;
    fs::rename(&temp, path).map_err(|e| {
        let _ = fs::remove_file(&temp);
        io_err(path)(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<PackFile> {
        vec![
            PackFile {
                path: crate::manifest::FILE_NAME.into(),
                bytes: format!("{{\"schema\": \"{}\"}}", crate::manifest::SCHEMA).into_bytes(),
            },
            PackFile {
                path: "data/b.csv".into(),
                bytes: b"b".to_vec(),
            },
        ]
    }

    #[test]
    fn writes_then_refuses_then_replaces_with_force() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("pack");
        write(&out, &files(), false).unwrap();
        assert_eq!(fs::read(out.join("data/b.csv")).unwrap(), b"b");
        assert!(matches!(
            write(&out, &files(), false),
            Err(PackError::NotEmpty(_))
        ));
        fs::write(out.join("stale.txt"), "x").unwrap();
        write(&out, &files(), true).unwrap();
        assert!(!out.join("stale.txt").exists());
        // Nothing is left beside the pack.
        let names: Vec<_> = fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("pack")]);
    }

    #[test]
    fn force_replaces_only_our_own_pack() {
        let d = tempfile::tempdir().unwrap();
        let notes = d.path().join("notes");
        fs::create_dir(&notes).unwrap();
        fs::write(notes.join("todo.txt"), "mine").unwrap();
        assert!(matches!(
            write(&notes, &files(), true),
            Err(PackError::NotOurs(_))
        ));
        assert_eq!(fs::read(notes.join("todo.txt")).unwrap(), b"mine");
    }

    #[test]
    fn an_out_touching_an_input_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let input = d.path().join("work/exports");
        fs::create_dir_all(&input).unwrap();
        let inputs = vec![input.clone()];
        for (out, relation) in [
            (d.path().join("work"), "contains"),
            (input.clone(), "is"),
            (input.join("pack"), "is inside"),
        ] {
            match check_target(&out, true, &inputs) {
                Err(PackError::TouchesInput { relation: r, .. }) => assert_eq!(r, relation),
                other => panic!("{}: {other:?}", out.display()),
            }
        }
        assert!(check_target(&d.path().join("pack"), true, &inputs).is_ok());
    }

    #[test]
    fn an_empty_folder_is_fine_and_a_symlink_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let empty = d.path().join("empty");
        fs::create_dir(&empty).unwrap();
        write(&empty, &files(), false).unwrap();
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&empty, &link).unwrap();
        assert!(matches!(
            write(&link, &files(), true),
            Err(PackError::Symlink(_))
        ));
    }

    #[test]
    fn a_failed_run_leaves_no_staging_folder() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("pack");
        let staging = Staging::prepare(&out, false, &[]).unwrap();
        assert!(staging.scratch().is_dir());
        drop(staging);
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 0);
    }
}
