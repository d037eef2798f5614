//! Opening an input: byte-level sniffing before any JSON is parsed.
//!
//! gzip is recognised by its magic bytes (`1f 8b`) and inflated as a stream (Firehose may write several gzip
//! members into one object, hence the multi-member decoder); a UTF-8 byte-order mark is skipped; UTF-16 text,
//! which PowerShell's `>` redirection produces, is refused with a message that says how to fix it.
//! The SHA-256 of the file's bytes (as stored, compressed or not) is computed while it is read, so the
//! manifest costs no second pass over a large export; for a large file, on a thread of its own.

use crate::digest::{Background, Sha256};
use crate::safe_fs::io_message;
use flate2::bufread::MultiGzDecoder;
use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

const BUFFER: usize = 256 * 1024;

/// Where an input's bytes come from: a file, or memory (the tests and the fuzz targets feed the very same
/// reading path with bytes).
#[derive(Debug, Clone)]
pub enum Source {
    File(PathBuf),
    Memory { name: String, bytes: Arc<[u8]> },
}

impl Source {
    /// The input's name as messages and the pack show it.
    pub fn display(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Memory { name, .. } => name.clone(),
        }
    }

    /// Its size in bytes (0 when a file cannot be examined: reading it then says why).
    pub fn size(&self) -> u64 {
        match self {
            Source::File(p) => std::fs::metadata(p).map(|m| m.len()).unwrap_or(0),
            Source::Memory { bytes, .. } => bytes.len() as u64,
        }
    }

    /// The raw bytes, from the start.
    fn raw(&self) -> io::Result<Box<dyn ReadSeek>> {
        Ok(match self {
            Source::File(p) => Box::new(open_input(p)?),
            Source::Memory { bytes, .. } => Box::new(Cursor::new(Arc::clone(bytes))),
        })
    }
}

/// An input file, opened only if it is a regular file (a named pipe would block the run forever).
fn open_input(path: &std::path::Path) -> io::Result<File> {
    crate::safe_fs::open_regular(path).map_err(|e| match e {
        crate::safe_fs::FsError::Io(e) => e,
        other => io::Error::other(other.to_string()),
    })
}

trait ReadSeek: Read + Seek + Send {}
impl<T: Read + Seek + Send> ReadSeek for T {}

/// Why an input could not even be opened as text.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{}", io_message(.0))]
    Io(io::Error),
    #[error("gzip: {}", io_message(.0))]
    Gzip(io::Error),
    #[error(
        "the file is UTF-16 (or another wide encoding), not UTF-8: re-save it as UTF-8 \
         (PowerShell: `... | Out-File -Encoding utf8`, or `iconv -f UTF-16 -t UTF-8`)"
    )]
    WideEncoding,
}

/// An opened input, ready for the JSON parser.
pub struct Opened {
    pub reader: Box<dyn BufRead + Send>,
    pub gzip: bool,
    pub digest: InputDigest,
}

/// Where a file's hash is computed: inline on the reading thread (small files), or on a thread of its own
/// (large files, so that hashing runs beside parsing).
enum Hasher {
    Inline(Sha256),
    Background(Background),
}

/// The running SHA-256 and byte count of a file being read.
#[derive(Clone)]
pub struct InputDigest {
    state: Arc<Mutex<Option<Hasher>>>,
}

impl InputDigest {
    /// Hashes on the thread that reads.
    pub fn inline() -> Self {
        Self::with(Hasher::Inline(Sha256::default()))
    }

    /// Hashes on a thread of its own.
    pub fn background() -> Self {
        Self::with(Hasher::Background(Background::default()))
    }

    fn with(h: Hasher) -> Self {
        InputDigest {
            state: Arc::new(Mutex::new(Some(h))),
        }
    }

    /// Adds bytes read (the next bytes of the file, in order). A block the caller hands over (`Vec<u8>`) is
    /// not copied when hashing in the background; borrowed bytes are.
    pub fn update<'a>(&self, bytes: impl Into<Cow<'a, [u8]>>) {
        let bytes = bytes.into();
        let mut guard = self.state.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_mut() {
            Some(Hasher::Inline(h)) => h.update(&bytes),
            Some(Hasher::Background(b)) => b.update(bytes.into_owned()),
            None => {}
        }
    }

    /// Hashes whatever the parser did not read (trailing bytes after the last value) and returns the
    /// lowercase hex SHA-256 and the size of the whole input.
    pub fn finish(self, source: &Source) -> io::Result<(String, u64)> {
        let taken = self.state.lock().unwrap_or_else(|e| e.into_inner()).take();
        let mut hasher = match taken {
            Some(Hasher::Inline(h)) => h,
            Some(Hasher::Background(b)) => b.finish(),
            None => Sha256::default(),
        };
        let mut file = source.raw()?;
        file.seek(SeekFrom::Start(hasher.len()))?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        let size = hasher.len();
        Ok((hasher.finish_hex(), size))
    }
}

struct Hashing<R> {
    inner: R,
    digest: InputDigest,
    progress: Option<indicatif::ProgressBar>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.digest.update(&buf[..n]);
        if let Some(p) = &self.progress {
            p.inc(n as u64);
        }
        Ok(n)
    }
}

/// Opens an input and returns a reader of its (decompressed, BOM-less) text.
/// `background`: hash on a thread of its own (worth it for large files when a core is free).
pub fn open(
    source: &Source,
    progress: Option<&indicatif::ProgressBar>,
    background: bool,
) -> Result<Opened, OpenError> {
    let raw = source.raw().map_err(OpenError::Io)?;
    let digest = if background {
        InputDigest::background()
    } else {
        InputDigest::inline()
    };
    open_with(raw, progress, digest)
}

fn open_with(
    source: impl Read + Send + 'static,
    progress: Option<&indicatif::ProgressBar>,
    digest: InputDigest,
) -> Result<Opened, OpenError> {
    let hashing = Hashing {
        inner: source,
        digest: digest.clone(),
        progress: progress.cloned(),
    };
    let mut reader = BufReader::with_capacity(BUFFER, hashing);
    let head = reader.fill_buf().map_err(OpenError::Io)?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let inflated = BufReader::with_capacity(BUFFER, MultiGzDecoder::new(reader));
        let text = strip_text_marks(Box::new(inflated), true)?;
        return Ok(Opened {
            reader: text,
            gzip: true,
            digest,
        });
    }
    Ok(Opened {
        reader: strip_text_marks(Box::new(reader), false)?,
        gzip: false,
        digest,
    })
}

/// Inputs at most this large are read whole and parsed from memory (see [`read_whole`]).
pub const WHOLE_MAX: u64 = 8 * 1024 * 1024;
/// A small gzip input is inflated whole only up to this many bytes; past it (a bomb, or a long Firehose
/// part) it is streamed, so memory stays bounded by the parse and never by the inflated size.
const INFLATED_MAX: u64 = 32 * 1024 * 1024;

/// A small input read whole: its text (inflated, without BOM), and its SHA-256 and size as stored.
pub struct Whole {
    pub text: Vec<u8>,
    /// Where the text starts in `text` (3 after a UTF-8 BOM).
    pub start: usize,
    pub gzip: bool,
    pub sha256: String,
    pub size: u64,
}

impl Whole {
    pub fn text(&self) -> &[u8] {
        self.text.get(self.start..).unwrap_or_default()
    }
}

/// Reads a small input whole, hashes it in one call and inflates it in one go. Per file this costs one
/// `open`, one `fstat`, the reads and one allocation the size of the file, where the streaming road costs a
/// 256 KB buffer (two for gzip), a boxed reader chain, a mutex-guarded hasher called per block, and
/// serde_json's byte-by-byte `Read` parser: for the 86,000 dumps of the dense-organisation benchmark
/// (about 4 KB each) that setup cost more than the files. `None` when the input is larger than
/// [`WHOLE_MAX`], inflates past [`INFLATED_MAX`], is not plain or gzip UTF-8 text, or cannot be read: the
/// streaming road then reads it and says what is wrong, in its canonical words.
pub fn read_whole(source: &Source, progress: Option<&indicatif::ProgressBar>) -> Option<Whole> {
    let stored = match source {
        Source::File(path) => {
            let (file, len) = crate::safe_fs::open_regular_with_len(path).ok()?;
            if len > WHOLE_MAX {
                return None;
            }
            let mut bytes = Vec::with_capacity(len as usize + 1);
            file.take(WHOLE_MAX + 1).read_to_end(&mut bytes).ok()?;
            Cow::Owned(bytes)
        }
        Source::Memory { bytes, .. } => Cow::Borrowed(&bytes[..]),
    };
    if stored.len() as u64 > WHOLE_MAX {
        return None;
    }
    if let Some(p) = progress {
        p.inc(stored.len() as u64);
    }
    let sha256 = crate::digest::sha256_hex(&stored);
    let size = stored.len() as u64;
    let gzip = stored.starts_with(&[0x1f, 0x8b]);
    let text = if gzip {
        let mut inflated = Vec::with_capacity((stored.len() * 8).min(INFLATED_MAX as usize));
        MultiGzDecoder::new(&stored[..])
            .take(INFLATED_MAX + 1)
            .read_to_end(&mut inflated)
            .ok()?;
        if inflated.len() as u64 > INFLATED_MAX {
            return None;
        }
        inflated
    } else {
        stored.into_owned()
    };
    let start = if text.starts_with(&[0xef, 0xbb, 0xbf]) {
        3
    } else if is_wide(&text) {
        return None;
    } else {
        0
    };
    Some(Whole {
        text,
        start,
        gzip,
        sha256,
        size,
    })
}

/// True when text starts like UTF-16 or UTF-32 (a byte-order mark, or a NUL in the first two bytes).
fn is_wide(head: &[u8]) -> bool {
    head.starts_with(&[0xff, 0xfe])
        || head.starts_with(&[0xfe, 0xff])
        || (head.len() >= 2 && (head[0] == 0 || head[1] == 0))
}

/// Skips a UTF-8 BOM and refuses UTF-16 / UTF-32 text.
fn strip_text_marks(
    mut reader: Box<dyn BufRead + Send>,
    gzip: bool,
) -> Result<Box<dyn BufRead + Send>, OpenError> {
    let head = reader.fill_buf().map_err(|e| {
        if gzip {
            OpenError::Gzip(e)
        } else {
            OpenError::Io(e)
        }
    })?;
    if head.starts_with(&[0xef, 0xbb, 0xbf]) {
        reader.consume(3);
        return Ok(reader);
    }
    if is_wide(head) {
        return Err(OpenError::WideEncoding);
    }
    Ok(reader)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn text_of(bytes: &[u8]) -> Result<(String, bool), OpenError> {
        let source = Source::Memory {
            name: "f".into(),
            bytes: bytes.into(),
        };
        let mut o = open(&source, None, false)?;
        let gz = o.gzip;
        let mut text = String::new();
        o.reader.read_to_string(&mut text).unwrap();
        Ok((text, gz))
    }

    #[test]
    fn plain_bom_and_gzip() {
        assert_eq!(text_of(b"{}").unwrap(), ("{}".to_string(), false));
        assert_eq!(
            text_of(b"\xef\xbb\xbf[1]").unwrap(),
            ("[1]".to_string(), false)
        );
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"\xef\xbb\xbf{\"a\":1}").unwrap();
        let bytes = gz.finish().unwrap();
        assert_eq!(text_of(&bytes).unwrap(), ("{\"a\":1}".to_string(), true));
    }

    #[test]
    fn the_digest_covers_every_byte_even_those_not_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"{}  trailing bytes").unwrap();
        let source = Source::File(p.clone());
        for background in [false, true] {
            let o = open(&source, None, background).unwrap();
            let mut r = o.reader;
            let mut two = [0u8; 2];
            r.read_exact(&mut two).unwrap();
            let (sha, size) = o.digest.finish(&source).unwrap();
            assert_eq!(size, 18);
            assert_eq!(sha, crate::digest::sha256_hex(b"{}  trailing bytes"));
            assert_eq!(crate::digest::hash_file(&p).unwrap(), (sha, size));
        }
    }

    #[test]
    fn utf16_is_refused_with_advice() {
        let err = text_of(b"\xff\xfe{\0}\0").unwrap_err().to_string();
        assert!(err.contains("UTF-16"), "{err}");
        let err = text_of(b"{\0\"\0").unwrap_err().to_string();
        assert!(err.contains("UTF-8"), "{err}");
    }
}
