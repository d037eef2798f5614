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
pub mod ocsf;
pub mod parallel;
pub mod reader;
pub mod stream;

use crate::model::{Finding, Inventory, RecordProblem, TaskSet};
use collect::FileCollector;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use stream::Shape;

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
    fn new(path: &Path, size: u64, status: InputStatus) -> Self {
        InputReport {
            path: path.display().to_string(),
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
    /// An input that cannot be read; the message starts with the path (and line and column).
    #[error("{0}")]
    BadInput(String),
    #[error("no input file to read: the inputs given hold no export or dump")]
    NoInputs,
}

/// The kind of JSON value, in words, for messages.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reads one file, splitting it across threads when it is large and laid out as the AWS CLI prints it.
fn read_any(path: &Path, index: usize, options: &Options) -> Result<FileRead, String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if options.jobs > 1 && size >= options.split_min_bytes {
        match parallel::read_page(path, index, options.jobs, options.progress.as_ref()) {
            Ok(Some((collector, hashed))) => {
                let kind = describe_kind(&[Shape::FindingsPage], collector.ocsf_seen);
                return Ok((collector, kind, false, hashed, options.jobs));
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
    read_file(path, index, options.progress.as_ref(), background)
}

/// Files at least this large are hashed on a thread of their own (below it, the thread costs more than the
/// overlap gains).
const BACKGROUND_HASH_MIN_BYTES: u64 = 8 * 1024 * 1024;

/// Reads every input: files in parallel (`jobs` threads), results merged in input order, so the outcome is
/// the same as reading them one by one.
pub fn ingest(inputs: &[PathBuf], options: &Options) -> Result<Ingested, IngestError> {
    let candidates = files::expand(inputs, &options.exclude).map_err(IngestError::BadInput)?;
    if let Some(p) = &options.progress {
        let total: u64 = candidates
            .iter()
            .filter(|c| c.skipped.is_none())
            .filter_map(|c| std::fs::metadata(&c.path).ok())
            .map(|m| m.len())
            .sum();
        p.set_length(total);
    }
    let results: Vec<Mutex<Option<Result<FileRead, String>>>> =
        candidates.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let work = || loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(c) = candidates.get(i) else { return };
        if c.skipped.is_none() {
            let r = read_any(&c.path, i, options);
            *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
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
    for (candidate, result) in candidates.into_iter().zip(results) {
        let size = std::fs::metadata(&candidate.path)
            .map(|m| m.len())
            .unwrap_or(0);
        if let Some(why) = candidate.skipped {
            out.inputs.push(InputReport::new(
                &candidate.path,
                size,
                InputStatus::Skipped(why),
            ));
            continue;
        }
        let result = result.into_inner().unwrap_or_else(|e| e.into_inner());
        match result.unwrap_or_else(|| Err(" was not read".to_string())) {
            Ok((collector, kind, gzip, (sha256, size), threads)) => {
                let mut report = InputReport::new(&candidate.path, size, InputStatus::Used);
                report.threads = threads;
                report.kind = kind;
                report.gzip = gzip;
                report.sha256 = sha256;
                merge(&mut out, &mut report, collector);
                out.inputs.push(report);
            }
            Err(message) => {
                let full = format!("{}:{message}", candidate.path.display());
                if !options.skip_bad_inputs {
                    return Err(IngestError::BadInput(full));
                }
                let mut report =
                    InputReport::new(&candidate.path, size, InputStatus::Rejected(full));
                if let Ok((sha256, _)) = reader::hash_file(&candidate.path) {
                    report.sha256 = sha256;
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

/// Reads one input held in memory, as `report` reads a file: kind recognition, parse and normalisation.
/// Returns the kind and the ECS.16 findings and task sets it holds; `Err` is the message `report` would
/// give (after the path). Used by the fuzz targets.
pub fn read_bytes(bytes: Vec<u8>) -> Result<(String, Vec<Finding>, Vec<TaskSet>), String> {
    let opened =
        reader::open_reader(std::io::Cursor::new(bytes), None).map_err(|m| format!(" {m}"))?;
    let gzip = opened.gzip;
    let mut collector = FileCollector::new(0);
    let shapes =
        stream::read_values(opened.reader, &mut collector).map_err(|e| json_error(&e, gzip))?;
    if shapes.is_empty() {
        return Err(" the file is empty: no JSON value in it".to_string());
    }
    collector.date_the_export();
    let kind = describe_kind(&shapes, collector.ocsf_seen);
    Ok((kind, collector.findings, collector.task_sets))
}

/// What reading one file gives: its records, its kind, whether it was gzip, its SHA-256 and size, and the
/// number of threads it was split across.
type FileRead = (FileCollector, String, bool, (String, u64), usize);

/// Reads one file to the end. `Err` holds `LINE:COLUMN: message` (or ` message` when there is no position).
fn read_file(
    path: &Path,
    index: usize,
    progress: Option<&indicatif::ProgressBar>,
    background_hash: bool,
) -> Result<FileRead, String> {
    let opened = reader::open(path, progress, background_hash).map_err(|m| format!(" {m}"))?;
    let gzip = opened.gzip;
    let digest = opened.digest.clone();
    let mut collector = FileCollector::new(index);
    let shapes =
        stream::read_values(opened.reader, &mut collector).map_err(|e| json_error(&e, gzip))?;
    if shapes.is_empty() {
        return Err(" the file is empty: no JSON value in it".to_string());
    }
    let recognised = collector.findings_read
        + collector.task_sets.len() as u64
        + collector.services_read
        + collector.failures_read;
    if collector.non_findings > 0 && recognised == 0 {
        let first = collector.first_non_finding.clone().unwrap_or_default();
        return Err(format!(
            " {} value(s), none of them a finding (the first is {first}): not a Security Hub export or an ECS dump",
            collector.non_findings
        ));
    }
    collector.date_the_export();
    let kind = describe_kind(&shapes, collector.ocsf_seen);
    let hashed = digest
        .finish(path)
        .map_err(|e| format!(" {}", reader::io_message(&e)))?;
    Ok((collector, kind, gzip, hashed, 1))
}

/// `LINE:COLUMN: message` from a serde_json error, without serde_json's own " at line N column M" suffix.
fn json_error(e: &serde_json::Error, gzip: bool) -> String {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    match e.classify() {
        serde_json::error::Category::Io if gzip => format!(
            " gzip: {message} (after line {} column {} of the decompressed text)",
            e.line(),
            e.column()
        ),
        serde_json::error::Category::Io => format!(" {message}"),
        serde_json::error::Category::Eof if e.line() == 1 && e.column() == 0 => {
            " the file is empty: no JSON value in it".to_string()
        }
        serde_json::error::Category::Eof => format!(
            "{}:{}: {message}: the file ends in the middle of a JSON value (truncated?)",
            e.line(),
            e.column()
        ),
        _ => format!("{}:{}: {message}", e.line(), e.column()),
    }
}

/// The kind of a file in words, from the shapes of its top-level values.
fn describe_kind(shapes: &[Shape], ocsf: bool) -> String {
    let first = shapes.first().copied();
    let all_same = shapes.iter().all(|s| Some(*s) == first);
    let many = shapes.len() > 1;
    let findings = if ocsf { "findings (OCSF)" } else { "findings" };
    let text = match (first, all_same, many) {
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
    };
    text
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
