//! File-system helpers every stage shares: I/O errors in words that name no Rust internals.
//! A leaf: it uses no stage.

use std::io;

/// An I/O error in words, without the Rust `(os error N)` suffix noise where the kind says it all.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied: the file cannot be read".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => e.to_string(),
    }
}
