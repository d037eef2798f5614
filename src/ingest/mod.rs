//! Ingest: input files → ECS.16 findings and the ECS inventory, one file at a time, streaming.
//!
//! Each file is opened (`reader`: gzip, BOM, UTF-16), parsed as a stream of JSON values (`stream`), its
//! records turned into the model (`asff`, `ocsf`, `ecs`) by a per-file collector (`collect`), and merged
//! only once the whole file was read. A file that cannot be read fails the run with `PATH:LINE:COLUMN:
//! message` unless bad inputs may be skipped, in which case it is listed as rejected with that message.

pub mod asff;
pub mod boundaries;
pub mod collect;
pub mod ecs;
pub mod fields;
pub mod files;
pub mod network;
pub mod ocsf;
pub mod parallel;
pub mod problem;
pub mod reader;
pub mod stream;

use crate::model::{Finding, Inventory, RecordProblem, TaskSet};
use crate::safe_fs::io_message;
use collect::FileCollector;
pub use files::WalkError;
pub use reader::{OpenError, Source};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use stream::Shape;

/// The inputs of a run: paths as given on the command line, or files held in memory (the tests and the
/// fuzz targets run the very same stages on bytes).
#[derive(Debug, Clone)]
pub enum Inputs {
    Paths(Vec<PathBuf>),
    Memory(Vec<MemoryFile>),
}

/// One input held in memory, with the name the pack shows for it.
#[derive(Debug, Clone)]
pub struct MemoryFile {
    pub name: String,
    pub bytes: Arc<[u8]>,
}

impl MemoryFile {
    pub fn new(name: impl Into<String>, bytes: impl Into<Arc<[u8]>>) -> Self {
        MemoryFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// How ingest treats bad inputs, which folders it must not read, and how it uses the cores.
#[derive(Debug, Clone)]
pub struct Options {
    pub skip_bad_inputs: bool,
    pub exclude: Vec<PathBuf>,
    /// Threads: files are read in parallel, and a large `get-findings` file is split across threads.
    pub jobs: usize,
    /// Files at least this large are split across threads when their layout allows it.
    pub split_min_bytes: u64,
    /// Bytes read of the total, when a progress bar is shown.
    pub progress: Option<indicatif::ProgressBar>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            skip_bad_inputs: false,
            exclude: Vec::new(),
            jobs: 1,
            split_min_bytes: 32 * 1024 * 1024,
            progress: None,
        }
    }
}

/// The number of threads to use when the user does not say: every core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// What happened to one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "status", content = "why")]
pub enum InputStatus {
    Used,
    Rejected(String),
    Skipped(String),
}

impl InputStatus {
    /// `used`, `rejected` or `skipped`, as the manifest and the inputs table say it.
    pub fn as_str(&self) -> &'static str {
        match self {
            InputStatus::Used => "used",
            InputStatus::Rejected(_) => "rejected",
            InputStatus::Skipped(_) => "skipped",
        }
    }

    /// Why a file was rejected or skipped.
    pub fn why(&self) -> Option<&str> {
        match self {
            InputStatus::Used => None,
            InputStatus::Rejected(w) | InputStatus::Skipped(w) => Some(w),
        }
    }
}

/// One input file and what was read from it.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    pub path: String,
    pub size: u64,
    pub sha256: String,
    pub kind: String,
    pub gzip: bool,
    pub findings_read: u64,
    pub ecs16_findings: u64,
    pub task_sets: u64,
    pub services: u64,
    pub failures: u64,
    pub problems: Vec<RecordProblem>,
    #[serde(flatten)]
    pub status: InputStatus,
    /// Threads the file was split across (1 when read sequentially). Never written into a pack.
    #[serde(skip)]
    pub threads: usize,
}

impl InputReport {
    fn new(path: String, size: u64, status: InputStatus) -> Self {
        InputReport {
            path,
            size,
            sha256: String::new(),
            kind: String::new(),
            gzip: false,
            findings_read: 0,
            ecs16_findings: 0,
            task_sets: 0,
            services: 0,
            failures: 0,
            problems: Vec::new(),
            status,
            threads: 1,
        }
    }

    /// Records read from the file: findings of any control, task sets, services and failures.
    pub fn records_read(&self) -> u64 {
        self.findings_read + self.task_sets + self.services + self.failures
    }

    /// Records that went into the evidence: ECS.16 findings, task sets, services and failures that were read
    /// without a problem. Findings of other controls are read and counted, not used.
    pub fn records_used(&self) -> u64 {
        let unusable = self.problems.iter().filter(|p| p.record > 0).count() as u64;
        (self.ecs16_findings + self.task_sets + self.services + self.failures)
            .saturating_sub(unusable)
    }
}

/// Everything ingest produced: the inputs report, every ECS.16 finding read (duplicates included), and the
/// joined inventory.
#[derive(Debug, Default)]
pub struct Ingested {
    pub inputs: Vec<InputReport>,
    pub findings: Vec<Finding>,
    pub inventory: Inventory,
}

/// A failure that stops the run.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    BadInput(#[from] InputError),
    #[error(transparent)]
    Walk(#[from] WalkError),
    #[error("no input file to read: the inputs given hold no export or dump")]
    NoInputs,
}

/// An input that cannot be read: its path, the line and column when the problem has a place, and why.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{}", match .position { Some((l, c)) => format!("{l}:{c}: {reason}"), None => format!(" {reason}") })]
pub struct InputError {
    pub path: String,
    pub position: Option<(usize, usize)>,
    pub reason: InputProblem,
}

/// Why an input cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum InputProblem {
    #[error(transparent)]
    Open(#[from] OpenError),
    #[error("the file is empty: no JSON value in it")]
    Empty,
    /// Not JSON, or JSON of a kind this tool does not read; the parser's words.
    #[error("{0}")]
    Json(String),
    #[error("{0}: the file ends in the middle of a JSON value (truncated?)")]
    Truncated(String),
    #[error("gzip: {message} (after line {line} column {column} of the decompressed text)")]
    Gzip {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("{}", io_message(.0))]
    Io(std::io::Error),
    #[error("{count} value(s), none of them a finding (the first is {first}): not a Security Hub export or an ECS dump")]
    NotOurs { count: u64, first: String },
}

/// Reads one input, splitting it across threads when it is a large file laid out as the AWS CLI prints it.
fn read_any(source: &Source, index: usize, options: &Options) -> Result<FileRead, Located> {
    let size = source.size();
    if let (Source::File(path), true) =
        (source, options.jobs > 1 && size >= options.split_min_bytes)
    {
        match parallel::read_page(path, index, options.jobs, options.progress.as_ref()) {
            Ok(Some((collector, (sha256, size)))) => {
                let kind = describe_kind(&[Shape::FindingsPage], collector.ocsf_seen);
                return Ok(FileRead {
                    collector,
                    kind,
                    gzip: false,
                    sha256,
                    size,
                    threads: options.jobs,
                });
            }
            // Not that layout, or not exactly: the sequential parser reads it (and says what is wrong).
            Ok(None) | Err(parallel::GiveUp) => {
                if let Some(p) = &options.progress {
                    p.set_position(p.position().saturating_sub(size));
                }
            }
        }
    }
    // A large file that is read sequentially still gets its hash computed beside the parse.
    let background = options.jobs > 1 && size >= BACKGROUND_HASH_MIN_BYTES;
    read_file(source, index, options.progress.as_ref(), background)
}

/// Files at least this large are hashed on a thread of their own (below it, the thread costs more than the
/// overlap gains).
const BACKGROUND_HASH_MIN_BYTES: u64 = 8 * 1024 * 1024;

/// The sources to read, in order, each with why it is skipped when it is.
fn candidates(
    inputs: &Inputs,
    options: &Options,
) -> Result<Vec<(Source, Option<String>)>, WalkError> {
    Ok(match inputs {
        Inputs::Paths(paths) => files::expand(paths, &options.exclude)?
            .into_iter()
            .map(|c| (Source::File(c.path), c.skipped))
            .collect(),
        Inputs::Memory(files) => files
            .iter()
            .map(|f| {
                let source = Source::Memory {
                    name: f.name.clone(),
                    bytes: Arc::clone(&f.bytes),
                };
                (source, None)
            })
            .collect(),
    })
}

/// Reads every input: files in parallel (`jobs` threads), results merged in input order, so the outcome is
/// the same as reading them one by one.
pub fn ingest(inputs: &Inputs, options: &Options) -> Result<Ingested, IngestError> {
    let candidates = candidates(inputs, options)?;
    if let Some(p) = &options.progress {
        let total: u64 = candidates
            .iter()
            .filter(|(_, skipped)| skipped.is_none())
            .map(|(s, _)| s.size())
            .sum();
        p.set_length(total);
    }
    let results: Vec<Mutex<Option<Result<FileRead, Located>>>> =
        candidates.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some((source, skipped)) = candidates.get(i) else {
            return;
        };
        if skipped.is_none() {
            let r = read_any(source, i, options);
            if let Some(slot) = results.get(i) {
                *slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            }
        }
    };
    let threads = options.jobs.clamp(1, candidates.len().max(1));
    if threads == 1 {
        work();
    } else {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(work);
            }
        });
    }
    let mut out = Ingested::default();
    for ((source, skipped), result) in candidates.into_iter().zip(results) {
        let path = source.display();
        let size = source.size();
        if let Some(why) = skipped {
            out.inputs
                .push(InputReport::new(path, size, InputStatus::Skipped(why)));
            continue;
        }
        let result = result.into_inner().unwrap_or_else(|e| e.into_inner());
        match result.unwrap_or(Err(Located::nowhere(InputProblem::Json(
            "was not read".to_string(),
        )))) {
            Ok(read) => {
                let mut report = InputReport::new(path, read.size, InputStatus::Used);
                report.threads = read.threads;
                report.kind = read.kind;
                report.gzip = read.gzip;
                report.sha256 = read.sha256;
                merge(&mut out, &mut report, read.collector);
                out.inputs.push(report);
            }
            Err(located) => {
                let error = located.at(&path);
                if !options.skip_bad_inputs {
                    return Err(IngestError::BadInput(error));
                }
                let mut report =
                    InputReport::new(path, size, InputStatus::Rejected(error.to_string()));
                if let Source::File(p) = &source {
                    if let Ok((sha256, _)) = crate::digest::hash_file(p) {
                        report.sha256 = sha256;
                    }
                }
                out.inputs.push(report);
            }
        }
    }
    if !out.inputs.iter().any(|i| i.status == InputStatus::Used) {
        return Err(IngestError::NoInputs);
    }
    Ok(out)
}

/// What reading one file gives.
struct FileRead {
    collector: FileCollector,
    kind: String,
    gzip: bool,
    sha256: String,
    size: u64,
    /// Threads the file was split across.
    threads: usize,
}

/// A reading problem and where in the file it is, before the file's path is put in front.
struct Located {
    position: Option<(usize, usize)>,
    problem: InputProblem,
}

impl Located {
    fn nowhere(problem: InputProblem) -> Self {
        Located {
            position: None,
            problem,
        }
    }

    fn at(self, path: &str) -> InputError {
        InputError {
            path: path.to_string(),
            position: self.position,
            reason: self.problem,
        }
    }
}

/// Reads one input to the end.
fn read_file(
    source: &Source,
    index: usize,
    progress: Option<&indicatif::ProgressBar>,
    background_hash: bool,
) -> Result<FileRead, Located> {
    let opened = reader::open(source, progress, background_hash)
        .map_err(|e| Located::nowhere(InputProblem::Open(e)))?;
    let gzip = opened.gzip;
    let digest = opened.digest.clone();
    let mut collector = FileCollector::new(index);
    let shapes =
        stream::read_values(opened.reader, &mut collector).map_err(|e| json_error(&e, gzip))?;
    if shapes.is_empty() {
        return Err(Located::nowhere(InputProblem::Empty));
    }
    let recognised = collector.findings_read
        + collector.task_sets.len() as u64
        + collector.services_read
        + collector.failures_read;
    if collector.non_findings > 0 && recognised == 0 {
        return Err(Located::nowhere(InputProblem::NotOurs {
            count: collector.non_findings,
            first: collector.first_non_finding.clone().unwrap_or_default(),
        }));
    }
    collector.date_the_export();
    let kind = describe_kind(&shapes, collector.ocsf_seen);
    let (sha256, size) = digest
        .finish(source)
        .map_err(|e| Located::nowhere(InputProblem::Io(e)))?;
    Ok(FileRead {
        collector,
        kind,
        gzip,
        sha256,
        size,
        threads: 1,
    })
}

/// Where and what from a serde_json error, without serde_json's own " at line N column M" suffix.
fn json_error(e: &serde_json::Error, gzip: bool) -> Located {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let here = Some((e.line(), e.column()));
    match e.classify() {
        serde_json::error::Category::Io if gzip => Located::nowhere(InputProblem::Gzip {
            message,
            line: e.line(),
            column: e.column(),
        }),
        serde_json::error::Category::Io => Located::nowhere(InputProblem::Json(message)),
        serde_json::error::Category::Eof if e.line() == 1 && e.column() == 0 => {
            Located::nowhere(InputProblem::Empty)
        }
        serde_json::error::Category::Eof => Located {
            position: here,
            problem: InputProblem::Truncated(message),
        },
        _ => Located {
            position: here,
            problem: InputProblem::Json(message),
        },
    }
}

/// The kind of a file in words, from the shapes of its top-level values.
fn describe_kind(shapes: &[Shape], ocsf: bool) -> String {
    let first = shapes.first().copied();
    let all_same = shapes.iter().all(|s| Some(*s) == first);
    let many = shapes.len() > 1;
    let findings = if ocsf { "findings (OCSF)" } else { "findings" };
    match (first, all_same, many) {
        (Some(Shape::FindingsPage), true, false) => {
            format!("securityhub get-findings page, {findings}")
        }
        (Some(Shape::FindingsPage), true, true) => {
            format!(
                "securityhub get-findings pages ({} in one file), {findings}",
                shapes.len()
            )
        }
        (Some(Shape::FindingsArray), true, false) => format!("JSON array of {findings}"),
        (Some(Shape::Finding), true, false) => {
            format!("single finding{}", if ocsf { " (OCSF)" } else { "" })
        }
        (Some(Shape::Finding), true, true) => format!("JSON Lines of {findings}"),
        (Some(Shape::Event), true, false) => "EventBridge event".to_string(),
        (Some(Shape::Event), true, true) => {
            "EventBridge events (JSON Lines / concatenated)".to_string()
        }
        (Some(Shape::TaskSetsDump), true, _) => "ecs describe-task-sets".to_string(),
        (Some(Shape::ServicesDump), true, _) => "ecs describe-services".to_string(),
        _ => format!("stream of {} JSON values (mixed)", shapes.len()),
    }
}

/// Adds one file's records to the whole.
fn merge(out: &mut Ingested, report: &mut InputReport, c: FileCollector) {
    report.findings_read = c.findings_read;
    report.ecs16_findings = c.findings.len() as u64;
    report.task_sets = c.task_sets.len() as u64;
    report.services = c.services_read;
    report.failures = c.failures_read;
    let inv = &mut out.inventory;
    inv.covered_services.extend(c.services_covered());
    if c.task_sets.is_empty()
        && c.services_read == 0
        && c.failures_read == 0
        && c.findings_read == 0
    {
        report.problems.push(crate::model::RecordProblem {
            record: 0,
            message: "the file lists no findings and no task sets: it covers nothing".to_string(),
        });
    }
    report.problems.extend(c.problems);
    inv.missing_task_sets.extend(c.missing_task_sets);
    inv.missing_services.extend(c.missing_services);
    for ts in c.task_sets {
        for t in [ts.created_at, ts.updated_at].into_iter().flatten() {
            inv.newest_timestamp = inv.newest_timestamp.max(Some(t));
        }
        match inv.task_sets.get(&ts.arn) {
            Some(existing) if !newer_description(&ts, existing) => {}
            _ => {
                inv.task_sets.insert(ts.arn.clone(), ts);
            }
        }
    }
    out.findings.extend(c.findings);
}

/// Two dumps describe the same task set: the newer description wins; on a tie, the larger serialised
/// content, so the winner never depends on the order the files were given in.
fn newer_description(candidate: &TaskSet, existing: &TaskSet) -> bool {
    let key = |t: &TaskSet| (t.updated_at, t.created_at);
    match key(candidate).cmp(&key(existing)) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            let content = |t: &TaskSet| {
                let mut t = t.clone();
                t.origin = crate::model::Origin {
                    input: 0,
                    record: 0,
                };
                serde_json::to_string(&t).unwrap_or_default()
            };
            content(candidate) > content(existing)
        }
    }
}
