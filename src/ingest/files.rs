//! Which files to read: inputs as given, folders walked recursively in sorted order.
//!
//! The walk is deterministic (entries sorted by name) so the same folder always gives the same pack.
//! Inside folders, hidden files, documentation (`README*`, `*.md`, `*.txt`) and CSV files (a scope file or
//! an exceptions register kept beside the exports: no export is CSV) are skipped and listed as skipped, so
//! a folder of exports with a README in it just works; a file named on the command line is always read. Symlinked folders are followed, but never back into a folder already being walked.
//! The same file reached twice is read once.

use crate::safe_fs::io_message;
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A file found among the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    /// Why it is not read, when it is not.
    pub skipped: Option<String>,
    /// Its size when it was listed (0 when it could not be examined: reading it then says why).
    pub size: u64,
    /// Device and inode, which tell the same file reached twice (`None` when it could not be examined).
    identity: Option<(u64, u64)>,
}

impl Candidate {
    fn new(path: PathBuf, meta: Option<&fs::Metadata>, skipped: Option<String>) -> Self {
        use std::os::unix::fs::MetadataExt;
        Candidate {
            path,
            skipped,
            size: meta.map_or(0, |m| m.len()),
            identity: meta.map(|m| (m.dev(), m.ino())),
        }
    }
}

/// Why the inputs could not be listed.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{path}: {}", io_message(cause))]
    Io { path: String, cause: io::Error },
    #[error("{0}: is the output folder (--out); it cannot also be an input")]
    IsTheOutput(String),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WalkError + '_ {
    move |cause| WalkError::Io {
        path: path.display().to_string(),
        cause,
    }
}

/// Expands the inputs. `exclude` holds folders never to walk into (the pack being written).
pub fn expand(inputs: &[PathBuf], exclude: &[PathBuf]) -> Result<Vec<Candidate>, WalkError> {
    let exclude: BTreeSet<PathBuf> = exclude
        .iter()
        .filter_map(|p| fs::canonicalize(p).ok())
        .collect();
    let mut out = Vec::new();
    for input in inputs {
        let meta = fs::metadata(input).map_err(io_error(input))?;
        if meta.is_dir() && fs::canonicalize(input).is_ok_and(|r| exclude.contains(&r)) {
            return Err(WalkError::IsTheOutput(input.display().to_string()));
        }
        if meta.is_dir() {
            let mut stack = Vec::new();
            walk(input, &exclude, &mut stack, &mut out)?;
        } else {
            out.push(Candidate::new(input.clone(), Some(&meta), None));
        }
    }
    mark_duplicates(&mut out);
    Ok(out)
}

fn walk(
    dir: &Path,
    exclude: &BTreeSet<PathBuf>,
    stack: &mut Vec<PathBuf>,
    out: &mut Vec<Candidate>,
) -> Result<(), WalkError> {
    let real = fs::canonicalize(dir).map_err(io_error(dir))?;
    if exclude.contains(&real) {
        let why = "the output folder (--out) is never read as an input";
        out.push(Candidate::new(
            dir.to_path_buf(),
            None,
            Some(why.to_string()),
        ));
        return Ok(());
    }
    if stack.contains(&real) {
        let why = "symlink loop: this folder is already being read";
        out.push(Candidate::new(
            dir.to_path_buf(),
            None,
            Some(why.to_string()),
        ));
        return Ok(());
    }
    stack.push(real);
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(io_error(dir))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        // One `stat` per entry, and the only one before the file is opened: it tells folders from files,
        // and gives the size (progress) and the identity (duplicates) that used to cost a `stat` each and a
        // `realpath` (a `lstat` per path component) per file.
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(_) => {
                // A dangling symlink or an entry that cannot be examined: reading it will fail with a
                // message naming it, which stops the run unless bad inputs may be skipped.
                out.push(Candidate::new(path, None, None));
                continue;
            }
        };
        if meta.is_dir() {
            walk(&path, exclude, stack, out)?;
        } else if is_documentation(&name) {
            let why = "documentation, not an export".to_string();
            out.push(Candidate::new(path, Some(&meta), Some(why)));
        } else if name.to_ascii_lowercase().ends_with(".csv") {
            let why = "CSV (a scope file or an exceptions register?), not an export".to_string();
            out.push(Candidate::new(path, Some(&meta), Some(why)));
        } else {
            out.push(Candidate::new(path, Some(&meta), None));
        }
    }
    stack.pop();
    Ok(())
}

fn is_documentation(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("readme") || lower.ends_with(".md") || lower.ends_with(".txt")
}

/// Marks every file reached a second time (through another argument, a symlink or a hard link: the same
/// device and inode) as skipped, naming the first path it was reached by. A map, not a list: an
/// organisation's dumps are thousands of files.
fn mark_duplicates(out: &mut [Candidate]) {
    let mut seen: HashMap<(u64, u64), String> = HashMap::new();
    for c in out.iter_mut().filter(|c| c.skipped.is_none()) {
        let Some(real) = c.identity else {
            continue;
        };
        match seen.get(&real) {
            Some(first) => c.skipped = Some(format!("same file as {first}")),
            None => {
                seen.insert(real, c.path.display().to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_walked_sorted_and_docs_skipped() {
        let d = tempfile::tempdir().unwrap();
        fs::create_dir_all(d.path().join("b/inner")).unwrap();
        for f in [
            "b/inner/z.json",
            "b/a.json",
            "a.json",
            "README.md",
            ".hidden.json",
            "scope.CSV",
        ] {
            fs::write(d.path().join(f), "{}").unwrap();
        }
        let got = expand(&[d.path().to_path_buf()], &[]).unwrap();
        let names: Vec<String> = got
            .iter()
            .map(|c| c.path.strip_prefix(d.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "README.md",
                "a.json",
                "b/a.json",
                "b/inner/z.json",
                "scope.CSV"
            ]
        );
        let skipped: Vec<bool> = got.iter().map(|c| c.skipped.is_some()).collect();
        assert_eq!(skipped, [true, false, false, false, true]);
    }

    #[test]
    fn the_same_file_twice_is_read_once() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a.json");
        fs::write(&f, "{}").unwrap();
        let got = expand(&[f.clone(), d.path().to_path_buf()], &[]).unwrap();
        assert_eq!(got.len(), 2);
        assert!(got[1]
            .skipped
            .as_deref()
            .unwrap()
            .starts_with("same file as"));
    }

    #[test]
    fn a_missing_input_is_an_error_naming_it() {
        let err = expand(&[PathBuf::from("/nonexistent/x.json")], &[]).unwrap_err();
        assert_eq!(err.to_string(), "/nonexistent/x.json: no such file");
    }
}
