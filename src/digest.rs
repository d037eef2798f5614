//! SHA-256, the one digest of the evidence pack: of every input (as read) and of every file written.
//!
//! Hashing is the most expensive step of a large run: on CPUs without SHA extensions a gigabyte costs
//! seconds, and one file's SHA-256 cannot be split across cores. Two things follow. The implementation is
//! `ring`'s (hand-written SIMD code, about twice as fast as the portable `sha2` crate on such CPUs; it is a
//! digest library, no network code). And a large input is hashed on a thread of its own, fed with the very
//! blocks the parser reads, so the hash runs beside the parse instead of after it and still covers exactly
//! the bytes the evidence came from.

use std::sync::mpsc;
use std::thread::JoinHandle;

/// A running SHA-256 and the number of bytes it has seen.
#[derive(Clone)]
pub struct Sha256 {
    context: ring::digest::Context,
    bytes: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Sha256 {
            context: ring::digest::Context::new(&ring::digest::SHA256),
            bytes: 0,
        }
    }
}

impl Sha256 {
    pub fn update(&mut self, bytes: &[u8]) {
        self.context.update(bytes);
        self.bytes += bytes.len() as u64;
    }

    /// Bytes hashed so far.
    pub fn len(&self) -> u64 {
        self.bytes
    }

    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// Lowercase hex, as `sha256sum` prints it.
    pub fn finish_hex(self) -> String {
        hex(self.context.finish().as_ref())
    }
}

/// Lowercase hex SHA-256 of bytes in memory.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut h = Sha256::default();
    h.update(bytes);
    h.finish_hex()
}

/// SHA-256 and size of a whole file, read on its own (a side file such as the exceptions register, or an
/// input that was rejected before it was read to the end).
pub fn hash_file(path: &std::path::Path) -> std::io::Result<(String, u64)> {
    use std::io::Read;
    // Only a regular file: hashing a named pipe would wait forever, a device would never end.
    let mut file = crate::safe_fs::open_regular(path).map_err(|e| match e {
        crate::safe_fs::FsError::Io(e) => e,
        other => std::io::Error::other(other.to_string()),
    })?;
    let mut h = Sha256::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let size = h.len();
    Ok((h.finish_hex(), size))
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 0x0f)] as char);
    }
    s
}

/// Blocks in flight to a background hasher. Bounded, so a parser that runs ahead of the hash waits instead
/// of piling the file up in memory.
const QUEUE: usize = 4;

/// A SHA-256 computed on its own thread from blocks handed to it in order. When no thread can be started
/// (the process is at its thread limit), the blocks are hashed where they are handed over: slower, same hash.
pub struct Background {
    sender: Option<mpsc::SyncSender<Vec<u8>>>,
    worker: Option<JoinHandle<Sha256>>,
    /// The hash kept here when there is no worker.
    here: std::sync::Mutex<Sha256>,
}

impl Default for Background {
    fn default() -> Self {
        let (sender, receiver) = mpsc::sync_channel::<Vec<u8>>(QUEUE);
        let worker = std::thread::Builder::new()
            .name("sha256".into())
            .spawn(move || {
                let mut h = Sha256::default();
                for block in receiver {
                    h.update(&block);
                }
                h
            })
            .ok();
        Background {
            sender: worker.as_ref().map(|_| sender),
            worker,
            here: std::sync::Mutex::new(Sha256::default()),
        }
    }
}

impl Background {
    /// Hands a block over; blocks are hashed in the order given.
    pub fn update(&self, block: Vec<u8>) {
        match &self.sender {
            // The worker only stops when the sender is dropped, so sending cannot fail while it runs.
            Some(s) => {
                let _ = s.send(block);
            }
            None => self
                .here
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .update(&block),
        }
    }

    /// Waits for every block to be hashed and returns the running hash.
    pub fn finish(mut self) -> Sha256 {
        self.sender = None;
        let here = std::mem::take(&mut *self.here.lock().unwrap_or_else(|e| e.into_inner()));
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(h)) => h,
            // The worker hashes plain bytes and cannot panic; `here` holds every block when it is absent.
            Some(Err(_)) | None => here,
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        // Dropping without `finish` (a failed read): close the queue and let the worker end.
        self.sender = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn background_equals_inline_whatever_the_blocks() {
        let data: Vec<u8> = (0..1_000_003u32).map(|i| (i * 7 % 251) as u8).collect();
        let bg = Background::default();
        for chunk in data.chunks(65_537) {
            bg.update(chunk.to_vec());
        }
        let h = bg.finish();
        assert_eq!(h.len(), data.len() as u64);
        assert_eq!(h.finish_hex(), sha256_hex(&data));
    }
}
