//! Parallel parsing inside one large `get-findings` export.
//!
//! The file is read in blocks; each block is cut into runs of whole elements of the `Findings` array, and
//! the runs are parsed on every core. Each element is still validated in full (as the sequential parser
//! does) before its bytes are searched for the control. Two ways to find the cuts:
//!
//! - The AWS CLI's layout (`aws securityhub get-findings` prints four-space indentation): every element
//!   starts on a line of exactly eight spaces and `{`, and a raw newline can never occur inside a JSON
//!   string, so that line can only be an element start. A byte search finds it, and the parser threads
//!   split their own runs: the reading thread does almost nothing.
//! - Any other `{"Findings": [` file (compact JSON from an SDK script, other indentation): the reading
//!   thread scans for element boundaries with a string- and escape-aware pass (`boundaries`).
//!
//! Anything that does not look exactly like a page (a missing comma, an element that is not valid JSON, a
//! tail that is not `]` plus `NextToken`) makes this path give up, and the file is read again by the
//! sequential parser, which gives the canonical result or error. So the output never depends on which path
//! ran.

use super::boundaries::{findings_array_start, Scanner};
use super::collect::FileCollector;
use super::reader::{InputDigest, Source};
use super::stream::{List, Sink, RECORD_MAX};
use memchr::memmem;
use serde_json::value::RawValue;
use std::fs::File;
use std::io::Read;
use std::ops::Range;
use std::path::Path;
use std::sync::{mpsc, Arc, LazyLock, Mutex};

const HEAD: &[u8] = b"{\n    \"Findings\": [";
const ELEMENT: &[u8] = b"\n        {";
const ARRAY_END: &[u8] = b"\n    ]";
/// Read size; also about the size of one run of elements handed to a parser thread. With the run queue, the
/// runs being parsed and the blocks waiting to be hashed, about a dozen of these are alive at once.
const BLOCK: usize = 2 * 1024 * 1024;

/// A file read this way: its records, and its SHA-256 and size.
pub type PageRead = (FileCollector, (String, u64));

/// Each run's records, by run number.
type RunResults = Vec<(usize, Result<FileCollector, GiveUp>)>;

/// Why the fast path gave up (the caller then reads the file sequentially).
#[derive(Debug)]
pub struct GiveUp;

/// One run of whole elements, with the record number of its first element.
struct Run {
    seq: usize,
    first_record: u64,
    bytes: Vec<u8>,
    /// The run ends the array: its last element has no trailing comma.
    last: bool,
    /// Where its elements are, when the reading thread found them (any layout but the AWS CLI's).
    elements: Option<Vec<Range<usize>>>,
}

fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &b[..n]
}

/// Splits a run into elements and feeds them to a collector.
fn parse_run(run: &Run, input: usize) -> Result<FileCollector, GiveUp> {
    let mut c = FileCollector::starting_at(input, run.first_record);
    if let Some(elements) = &run.elements {
        for r in elements {
            let raw: &RawValue =
                serde_json::from_slice(&run.bytes[r.clone()]).map_err(|_| GiveUp)?;
            c.element(List::Findings, raw.get());
        }
        return Ok(c);
    }
    let starts: Vec<usize> = ELEMENT_FINDER
        .find_iter(&run.bytes)
        .map(|i| i + 1)
        .collect();
    if starts.first() != Some(&1) {
        return Err(GiveUp);
    }
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(run.bytes.len(), |e| e - 1);
        let mut elem = trim_end(&run.bytes[s..end]);
        let is_last = run.last && k + 1 == starts.len();
        if is_last {
            if elem.ends_with(b",") {
                return Err(GiveUp);
            }
        } else {
            elem = elem.strip_suffix(b",").ok_or(GiveUp)?;
        }
        let raw: &RawValue = serde_json::from_slice(elem).map_err(|_| GiveUp)?;
        c.element(List::Findings, raw.get());
    }
    Ok(c)
}

/// Counts elements in a run (record numbers of the next run start after them).
fn count_elements(bytes: &[u8]) -> u64 {
    ELEMENT_FINDER.find_iter(bytes).count() as u64
}

/// Built once: the search runs over every byte of the file, in every run.
static ELEMENT_FINDER: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new(ELEMENT));

/// The text after the array must be `]`, then optionally `"NextToken"`, then `}`.
fn tail_is_valid(tail: &[u8]) -> bool {
    let mut doc = b"{\"Findings\": [".to_vec();
    doc.extend_from_slice(tail);
    matches!(
        serde_json::from_slice::<serde_json::Value>(&doc),
        Ok(serde_json::Value::Object(_))
    )
}

/// Reads until `buf` is full or the file ends (one `read` may return less than asked).
fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// How the reading thread cuts blocks into runs of whole elements.
enum Cutter {
    /// The AWS CLI's layout: cut before the last element-start line seen.
    Cli { first: bool },
    /// Any other layout: the boundary scanner says where whole elements end.
    Any(Scanner),
}

/// A run's bytes, the number of elements in it, and their ranges when the reading thread found them.
type Cut = (Vec<u8>, u64, Option<Vec<Range<usize>>>);

impl Cutter {
    /// Takes whole elements off the front of `carry`, if any are complete.
    fn cut(&mut self, carry: &mut Vec<u8>) -> Result<Option<Cut>, GiveUp> {
        match self {
            Cutter::Cli { first } => {
                if *first {
                    // The first element must follow the `[` directly.
                    if carry.len() >= ELEMENT.len() && !carry.starts_with(ELEMENT) {
                        return Err(GiveUp);
                    }
                    *first = false;
                }
                // Everything before the last element start seen is whole elements.
                let Some(cut) =
                    memmem::rfind(carry.get(1..).unwrap_or_default(), ELEMENT).map(|i| i + 1)
                else {
                    return Ok(None);
                };
                let rest = carry.split_off(cut);
                let bytes = std::mem::replace(carry, rest);
                let count = count_elements(&bytes);
                Ok(Some((bytes, count, None)))
            }
            Cutter::Any(scanner) => {
                scanner.scan(carry).map_err(|_| GiveUp)?;
                Ok(scanner
                    .take_whole(carry)
                    .map(|(bytes, elements)| (bytes, elements.len() as u64, Some(elements))))
            }
        }
    }

    /// At the end of the file: the last run (if any elements are left) and whether the text after the
    /// array closes the page properly.
    fn last(self, mut carry: Vec<u8>) -> Result<Option<Cut>, GiveUp> {
        match self {
            Cutter::Cli { .. } => {
                let end = memmem::rfind(&carry, ARRAY_END).ok_or(GiveUp)?;
                let tail = carry.split_off(end + 1);
                if !tail_is_valid(&tail) || carry.is_empty() || !carry.starts_with(ELEMENT) {
                    return Err(GiveUp);
                }
                let count = count_elements(&carry);
                Ok(Some((carry, count, None)))
            }
            Cutter::Any(scanner) => {
                let end = scanner.finish(carry).map_err(|_| GiveUp)?;
                if !tail_is_valid(&end.tail) {
                    return Err(GiveUp);
                }
                let count = end.elements.len() as u64;
                Ok((count > 0).then_some((end.bytes, count, Some(end.elements))))
            }
        }
    }
}

/// Bytes read to recognise the start of a page.
const LEAD: usize = 4096;

/// Reads a large `get-findings` file (`{"Findings": [` first) on `jobs` threads. `Ok(None)`: the file does
/// not start that way; `Err(GiveUp)`: it did but is not exactly a page. Either way the caller reads it
/// sequentially.
pub fn read_page(
    path: &Path,
    input: usize,
    jobs: usize,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<Option<PageRead>, GiveUp> {
    let mut file = crate::safe_fs::open_regular(path).map_err(|_| GiveUp)?;
    let mut lead = vec![0u8; LEAD];
    let n = read_full(&mut file, &mut lead).map_err(|_| GiveUp)?;
    lead.truncate(n);
    let (cutter, array_start) = if lead.starts_with(HEAD) {
        (Cutter::Cli { first: true }, HEAD.len())
    } else if let Some(start) = findings_array_start(&lead) {
        (Cutter::Any(Scanner::default()), start)
    } else {
        return Ok(None);
    };
    if let Some(p) = progress {
        p.inc(lead.len() as u64);
    }
    let carry = lead[array_start..].to_vec();
    let mut reading = Reading {
        file,
        cutter,
        carry,
        progress,
        // With one job everything runs on the calling thread, the hash too; with more, the hash runs on a
        // thread of its own, fed with the blocks as they are read.
        digest: if jobs > 1 {
            InputDigest::background()
        } else {
            InputDigest::inline()
        },
    };
    reading.digest.update(lead);
    let result = if jobs > 1 {
        parse_on_threads(&mut reading, input, jobs)
    } else {
        // One job: each run is parsed as soon as it is cut, so the file is still read block by block
        // (memory stays a few blocks) and parsed from slices, not through serde_json's `Read` parser. The
        // 1 GB page with `-j 1`: 11.3 s through the `Read` parser, 3.5 s this way (one run each, same
        // loaded machine; BENCHMARKS.md has the medians).
        let mut parts = Vec::new();
        reading.cut_runs(&mut |run| {
            parts.push((run.seq, Ok(parse_run(&run, input)?)));
            Ok(())
        })?;
        Ok(parts)
    };
    let digest = reading.digest;
    let mut parts = result?;
    parts.sort_by_key(|(seq, _)| *seq);
    let mut whole = FileCollector::new(input);
    for (_, part) in parts {
        whole.absorb(part?);
    }
    whole.date_the_export();
    let hashed = digest
        .finish(&Source::File(path.to_path_buf()))
        .map_err(|_| GiveUp)?;
    Ok(Some((whole, hashed)))
}

/// A page being read: the file, how it is cut, the bytes not yet cut, and its running hash.
struct Reading<'p> {
    file: File,
    cutter: Cutter,
    carry: Vec<u8>,
    progress: Option<&'p indicatif::ProgressBar>,
    digest: InputDigest,
}

impl Reading<'_> {
    /// Reads the file to the end, handing each run of whole elements to `send` in order. Gives up on an
    /// empty array (the sequential parser says what the file holds).
    fn cut_runs(&mut self, send: &mut dyn FnMut(Run) -> Result<(), GiveUp>) -> Result<(), GiveUp> {
        let mut seq = 0;
        let mut record = 0u64;
        let mut emit = |(bytes, count, elements): Cut, last: bool| -> Result<(), GiveUp> {
            send(Run {
                seq,
                first_record: record,
                bytes,
                last,
                elements,
            })?;
            record += count;
            seq += 1;
            Ok(())
        };
        loop {
            let mut block = vec![0u8; BLOCK];
            let n = read_full(&mut self.file, &mut block).map_err(|_| GiveUp)?;
            if n == 0 {
                break;
            }
            block.truncate(n);
            if let Some(p) = self.progress {
                p.inc(n as u64);
            }
            self.carry.extend_from_slice(&block);
            self.digest.update(block);
            if let Some(cut) = self.cutter.cut(&mut self.carry)? {
                emit(cut, false)?;
            }
            // No element has ended for this long (an unclosed `[`, a record past the limit): the
            // sequential parser says so, after reading at most `RECORD_MAX` of that record.
            if self.carry.len() as u64 > RECORD_MAX {
                return Err(GiveUp);
            }
        }
        // The last elements and the tail.
        let cutter = std::mem::replace(&mut self.cutter, Cutter::Cli { first: false });
        if let Some(cut) = cutter.last(std::mem::take(&mut self.carry))? {
            emit(cut, true)?;
        }
        if record == 0 {
            return Err(GiveUp);
        }
        Ok(())
    }
}

/// Parses the runs on `jobs` threads while this one reads and cuts; each run's records, by run number.
fn parse_on_threads(
    reading: &mut Reading,
    input: usize,
    jobs: usize,
) -> Result<RunResults, GiveUp> {
    let (run_tx, run_rx) = mpsc::sync_channel::<Run>(jobs * 2);
    let run_rx = Arc::new(Mutex::new(run_rx));
    let (done_tx, done_rx) = mpsc::channel::<(usize, Result<FileCollector, GiveUp>)>();
    std::thread::scope(|scope| -> Result<RunResults, GiveUp> {
        // Owned here so that an early return closes the channel and the workers stop.
        let run_tx = run_tx;
        for _ in 0..jobs {
            let rx = Arc::clone(&run_rx);
            let tx = done_tx.clone();
            let worker = move || loop {
                let run = match rx.lock() {
                    Ok(guard) => guard.recv(),
                    Err(_) => return,
                };
                let Ok(run) = run else { return };
                let parsed = parse_run(&run, input);
                if tx.send((run.seq, parsed)).is_err() {
                    return;
                }
            };
            // No thread to spare: the sequential parser reads the file instead.
            std::thread::Builder::new()
                .name("page-parser".into())
                .spawn_scoped(scope, worker)
                .map_err(|_| GiveUp)?;
        }
        drop(done_tx);
        reading.cut_runs(&mut |run| run_tx.send(run).map_err(|_| GiveUp))?;
        drop(run_tx);
        Ok(done_rx.iter().collect())
    })
}
