//! The SHA-256 of the running executable, for `manifest.json` (`tool.executable_sha256`): which build of
//! the tool made the pack, so an assessor can compare it with a build they trust.
//!
//! A run that cannot read its own executable is refused (exit 2, naming the file) rather than writing a
//! manifest that is silent about what made it: the manifest is evidence, and an executable that cannot be
//! read back (deleted or replaced while running, or installed without read permission) is an environment
//! to fix, not a fact to record. The file is opened when the run is planned, before any input is read, so
//! such a run stops at once; it is hashed on a thread of its own beside the ingest (a debug build is a few
//! hundred megabytes), and the open handle is what is hashed, so a build that replaces the file on disk
//! while the run goes on does not change what is recorded.

use crate::digest::Sha256;
use crate::safe_fs::io_message;
use std::io::Read;
use std::path::PathBuf;
use std::thread::JoinHandle;

/// Why the executable's SHA-256 could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum ExecutableError {
    #[error("the running executable cannot be located to record its SHA-256 in manifest.json: {}", io_message(.0))]
    Locate(std::io::Error),
    #[error("{path}: the running executable cannot be read to record its SHA-256 in manifest.json: {cause}")]
    Unreadable { path: String, cause: String },
}

/// The hash under way.
pub struct ExecutableHash {
    path: PathBuf,
    work: Work,
}

enum Work {
    Thread(JoinHandle<std::io::Result<String>>),
    /// No thread could be started: hashed when asked for.
    Here(std::fs::File),
}

fn hash(mut file: std::fs::File) -> std::io::Result<String> {
    let mut h = Sha256::default();
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Ok(h.finish_hex()),
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

impl ExecutableHash {
    /// Opens the running executable (a regular file) and starts hashing it.
    pub fn start() -> Result<ExecutableHash, ExecutableError> {
        let path = std::env::current_exe().map_err(ExecutableError::Locate)?;
        let file =
            crate::safe_fs::open_regular(&path).map_err(|e| ExecutableError::Unreadable {
                path: path.display().to_string(),
                cause: e.to_string(),
            })?;
        let work = match file.try_clone() {
            Ok(copy) => match std::thread::Builder::new()
                .name("executable sha256".into())
                .spawn(move || hash(copy))
            {
                Ok(handle) => Work::Thread(handle),
                Err(_) => Work::Here(file),
            },
            Err(_) => Work::Here(file),
        };
        Ok(ExecutableHash { path, work })
    }

    /// The lowercase hex SHA-256 of the executable.
    pub fn finish(self) -> Result<String, ExecutableError> {
        let unreadable = |cause: String| ExecutableError::Unreadable {
            path: self.path.display().to_string(),
            cause,
        };
        match self.work {
            Work::Here(file) => hash(file).map_err(|e| unreadable(io_message(&e))),
            Work::Thread(handle) => match handle.join() {
                Ok(result) => result.map_err(|e| unreadable(io_message(&e))),
                Err(_) => Err(unreadable("the thread hashing it stopped".into())),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_the_sha256_of_the_file_that_runs() {
        let exe = std::env::current_exe().unwrap();
        let want = crate::digest::sha256_hex(&std::fs::read(&exe).unwrap());
        let got = ExecutableHash::start().unwrap().finish().unwrap();
        assert_eq!(got, want);
        assert_eq!(got.len(), 64);
    }
}
