//! File-system helpers every stage shares: I/O errors in words, and reads that only ever touch regular
//! files. A leaf: it uses no stage.
//!
//! A named pipe given as an input blocks a plain `open` forever; a symlink to `/dev/zero` makes a plain
//! `read` fill memory. So every file this tool reads is opened without blocking and checked to be a
//! regular file on the open handle itself (no window between a check and the open), and reads of files
//! whose size is known are capped at that size.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};

/// An I/O error in words, without the Rust `(os error N)` suffix noise where the kind says it all.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied: the file cannot be read".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    }
}

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    #[error("{}", io_message(.0))]
    Io(io::Error),
    #[error("is {0}, not a regular file: only regular files are read")]
    NotRegular(&'static str),
    #[error("is larger than the {0} bytes expected of it: not read")]
    TooLarge(u64),
    #[error("goes through the symlink {0}: files of a pack are read only from inside the pack")]
    ThroughSymlink(String),
}

/// What a file-system entry is, in words ("a named pipe", "a directory", …).
pub fn kind_of(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else if meta.file_type().is_symlink() {
        "a symlink"
    } else if meta.is_file() {
        "a regular file"
    } else {
        "not a file"
    }
}

/// Opens a file for reading only if it is a regular file (following symlinks), without ever blocking on a
/// named pipe or a device.
pub fn open_regular(path: &Path) -> Result<File, FsError> {
    open_regular_with_len(path).map(|(file, _)| file)
}

/// [`open_regular`], with the file's length from the same `fstat` (a small input read whole needs it, and a
/// second `stat` per file is measurable across tens of thousands of dumps).
pub fn open_regular_with_len(path: &Path) -> Result<(File, u64), FsError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever; it changes
        // nothing for a regular file.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(FsError::Io)?;
    let meta = file.metadata().map_err(FsError::Io)?;
    if !meta.is_file() {
        return Err(FsError::NotRegular(kind_of(&meta)));
    }
    Ok((file, meta.len()))
}

/// The whole of a regular file, refusing one larger than `limit` bytes.
pub fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, FsError> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(FsError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(FsError::TooLarge(limit));
    }
    Ok(bytes)
}

/// `base/relative`, when no component on the way (the last included) is a symlink: the files of a pack are
/// read only from inside the pack, so a `data` symlinked to `/dev` cannot be followed.
pub fn inside(base: &Path, relative: &str) -> Result<PathBuf, FsError> {
    let mut path = base.to_path_buf();
    for component in Path::new(relative).components() {
        let Component::Normal(part) = component else {
            return Err(FsError::ThroughSymlink(relative.to_string()));
        };
        path.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let shown = path
                    .strip_prefix(base)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                return Err(FsError::ThroughSymlink(shown));
            }
            Ok(_) => {}
            // What does not exist is reported by the read that follows.
            Err(_) => break,
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_opened_and_a_fifo_does_not_block() {
        let d = tempfile::tempdir().unwrap();
        let fifo = d.path().join("pipe");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let e = open_regular(&fifo).unwrap_err();
        assert_eq!(
            e.to_string(),
            "is a named pipe, not a regular file: only regular files are read"
        );
        assert!(matches!(
            open_regular(d.path()),
            Err(FsError::NotRegular("a directory"))
        ));
        assert!(matches!(
            open_regular(Path::new("/dev/zero")),
            Err(FsError::NotRegular("a device"))
        ));
        let f = d.path().join("f");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(read_regular(&f, 5).unwrap(), b"12345");
        assert!(matches!(read_regular(&f, 4), Err(FsError::TooLarge(4))));
    }

    #[test]
    fn paths_through_a_symlink_are_refused() {
        let d = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("/dev", d.path().join("data")).unwrap();
        let e = inside(d.path(), "data/zero").unwrap_err();
        assert_eq!(
            e.to_string(),
            "goes through the symlink data: files of a pack are read only from inside the pack"
        );
        std::fs::create_dir(d.path().join("real")).unwrap();
        assert_eq!(
            inside(d.path(), "real/x.csv").unwrap(),
            d.path().join("real/x.csv")
        );
        assert!(inside(d.path(), "../x").is_err());
    }
}
