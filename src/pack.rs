//! Writing the pack: complete or absent.
//!
//! Every file is written into a temporary folder beside `--out` (same file system, so the final rename is
//! atomic), then the folder is renamed into place. An existing non-empty `--out` is refused unless `--force`,
//! and then the old pack is moved aside only once the new one is complete, and removed after. A symlink at
//! `--out` is refused, so the pack can never be redirected elsewhere. This is the only module that writes.

use crate::render::PackFile;
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
    #[error("{0}: exists and is not a folder")]
    NotAFolder(String),
    #[error("{path}: {cause}")]
    Io { path: String, cause: io::Error },
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> PackError + '_ {
    move |cause| PackError::Io {
        path: path.display().to_string(),
        cause,
    }
}

/// Checks `--out` before any work is done, so a run that would be refused at the end is refused at once.
pub fn check_target(out: &Path, force: bool) -> Result<(), PackError> {
    match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(out)(e)),
        Ok(meta) if meta.file_type().is_symlink() => {
            Err(PackError::Symlink(out.display().to_string()))
        }
        Ok(meta) if !meta.is_dir() => Err(PackError::NotAFolder(out.display().to_string())),
        Ok(_) => {
            let empty = fs::read_dir(out).map_err(io_err(out))?.next().is_none();
            if empty || force {
                Ok(())
            } else {
                Err(PackError::NotEmpty(out.display().to_string()))
            }
        }
    }
}

/// The folder a pack is staged in, and the name the old pack is moved to while being replaced.
fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "evidence-pack".to_string());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Writes the pack atomically.
pub fn write(out: &Path, files: &[PackFile], force: bool) -> Result<(), PackError> {
    check_target(out, force)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    let staging = sibling(out, "partial");
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    }
    if let Err(e) = stage(&staging, files) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let result = swap_in(&staging, out);
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn stage(staging: &Path, files: &[PackFile]) -> Result<(), PackError> {
    fs::create_dir(staging).map_err(io_err(staging))?;
    for f in files {
        let path = staging.join(&f.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        let mut file = fs::File::create(&path).map_err(io_err(&path))?;
        file.write_all(&f.bytes).map_err(io_err(&path))?;
        file.sync_all().map_err(io_err(&path))?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Vec<PackFile> {
        vec![
            PackFile {
                path: "a.txt".into(),
                bytes: b"a".to_vec(),
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
}
