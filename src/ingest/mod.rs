//! Ingest: input files → ECS.16 findings and the ECS inventory, one file at a time, streaming.
//!
//! Each file is opened (`reader`: gzip, BOM, UTF-16), parsed as a stream of JSON values (`stream`), its
//! records turned into the model (`asff`, `ocsf`, `ecs`) by a per-file collector (`collect`), and merged
//! only once the whole file was read. A file that cannot be read fails the run with `PATH:LINE:COLUMN:
//! message` unless bad inputs may be skipped, in which case it is listed as rejected with that message.

pub mod asff;
pub mod boundaries;
pub mod collect;
pub mod config;
pub mod ecs;
pub mod fields;
pub mod files;
pub mod network;
pub mod ocsf;
pub mod parallel;
pub mod problem;
pub mod reader;
pub mod record;
pub mod stream;

use crate::model::{Finding, Inventory, Origin, RecordProblem, TaskSet};
use crate::safe_fs::io_message;
use collect::FileCollector;
pub use files::WalkError;
pub use reader::{OpenError, Source};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use stream::{List, RecognisedKind, Shape};

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
    /// The user declares that every `describe-task-sets` dump lists its whole service (it was run without
    /// `--task-sets`): a task set of that service the dump does not list no longer exists.
    pub complete_dumps: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            skip_bad_inputs: false,
            exclude: Vec::new(),
            jobs: 1,
            split_min_bytes: 32 * 1024 * 1024,
            progress: None,
            complete_dumps: false,
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
    /// Other inventory records read (listed ARNs, Config items, network resources, the collector's files).
    pub other_records: u64,
    pub problems: Vec<RecordProblem>,
    /// Records that went into the evidence: ECS.16 findings (readable or not: an unreadable one is counted),
    /// task sets, services and failures that could be read. Findings of other controls are read and
    /// counted, not used.
    pub records_used: u64,
    /// For a file of findings (any control) or of AWS Config items: the newest time the service stamped on
    /// any of its records, which dates the export it is. ECS dumps carry no time of their own (a task set's
    /// `updatedAt` is when it last changed, not when it was described).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<chrono::DateTime<chrono::Utc>>,
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
            other_records: 0,
            problems: Vec::new(),
            records_used: 0,
            exported_at: None,
            status,
            threads: 1,
        }
    }

    /// Records read from the file: findings of any control, task sets, services, failures and every other
    /// inventory record (listed ARNs, Config items, network resources).
    pub fn records_read(&self) -> u64 {
        self.findings_read + self.task_sets + self.services + self.failures + self.other_records
    }
}

/// Everything ingest produced: the inputs report, every ECS.16 finding read (duplicates included), and the
/// joined inventory.
#[derive(Debug, Default)]
pub struct Ingested {
    pub inputs: Vec<InputReport>,
    pub findings: Vec<Finding>,
    /// Records that may be ECS.16 findings but cannot be placed: counted, never dropped.
    pub unreadable_findings: Vec<crate::model::UnreadableFinding>,
    pub inventory: Inventory,
    /// The newest time a service stamped on any finding read (any control): with the dumps' own times,
    /// what `as_of` defaults to.
    pub newest_stamp: Option<chrono::DateTime<chrono::Utc>>,
    /// AWS Config items of other resource types and the network resources of the CLI, kept for the
    /// reachability analysis.
    pub network_items: Vec<(Origin, config::Item)>,
    pub network_records: Vec<NetworkRecord>,
}

/// One element of an EC2 or ELBv2 `describe-*` output, kept for the reachability analysis, which places it
/// by its input's path (the collector writes `<account>/<region>/ec2/…`; route tables and ACLs do not
/// name their region).
#[derive(Debug, Clone)]
pub struct NetworkRecord {
    pub origin: Origin,
    /// The output's list: `Subnets`, `RouteTables`, `SecurityGroups`, `NetworkAcls`, `PrefixLists`,
    /// `Entries`, `LoadBalancers`, `TargetGroups`, `Listeners`.
    pub list: &'static str,
    pub value: serde_json::Value,
}

/// A failure that stops the run.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    BadInput(#[from] InputError),
    #[error(transparent)]
    Walk(#[from] WalkError),
    /// Nothing could be used; every input is listed with what happened to it.
    #[error("no input could be used:{}", unusable_list(.0))]
    NoInputs(Vec<InputReport>),
    #[error("could not start {threads} reading threads ({cause}); give a smaller -j")]
    Threads {
        threads: usize,
        cause: std::io::Error,
    },
}

/// Each input on a line of its own with why it was not used. Each entry is escaped for the terminal here,
/// so the message's own line breaks are the only ones left and the printer may show it line by line.
fn unusable_list(inputs: &[InputReport]) -> String {
    if inputs.is_empty() {
        return " the inputs given hold no file".to_string();
    }
    inputs
        .iter()
        .map(|i| match i.status.why() {
            Some(why) if why.starts_with(&i.path) => why.to_string(),
            Some(why) => format!("{}: {why}", i.path),
            None => format!("{}: holds no record", i.path),
        })
        .map(|line| format!("\n  {}", crate::escape::terminal_line(&line)))
        .collect()
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

/// Reads one input (`size` as listed), splitting it across threads when it is a large `get-findings` page.
fn read_any(
    source: &Source,
    size: u64,
    index: usize,
    options: &Options,
) -> Result<FileRead, Located> {
    // Also with one job: the page is then read block by block and parsed from slices on this thread.
    if let (Source::File(path), true) = (source, size >= options.split_min_bytes) {
        match parallel::read_page(path, index, options.jobs, options.progress.as_ref()) {
            Ok(Some((collector, (sha256, size)))) => {
                let page = Shape::Lists {
                    lists: vec![List::Findings],
                    others: Vec::new(),
                };
                let kind = describe_kind(&[page], &collector);
                return Ok(FileRead {
                    collector,
                    kind,
                    gzip: false,
                    sha256,
                    size,
                    threads: options.jobs,
                    config_complete: false,
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

/// A source to read, why it is skipped when it is, and its size as listed.
type Candidate = (Source, Option<String>, u64);

/// The sources to read, in order.
fn candidates(inputs: &Inputs, options: &Options) -> Result<Vec<Candidate>, WalkError> {
    Ok(match inputs {
        Inputs::Paths(paths) => files::expand(paths, &options.exclude)?
            .into_iter()
            .map(|c| (Source::File(c.path), c.skipped, c.size))
            .collect(),
        Inputs::Memory(files) => files
            .iter()
            .map(|f| {
                let source = Source::Memory {
                    name: f.name.clone(),
                    bytes: Arc::clone(&f.bytes),
                };
                (source, None, f.bytes.len() as u64)
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
            .filter(|(_, skipped, _)| skipped.is_none())
            .map(|(_, _, size)| size)
            .sum();
        p.set_length(total);
    }
    let mut merged = Merged::new(options);
    let threads = options.jobs.clamp(1, candidates.len().max(1));
    if threads == 1 {
        for (i, candidate) in candidates.iter().enumerate() {
            let read = candidate
                .1
                .is_none()
                .then(|| read_any(&candidate.0, candidate.2, i, options));
            merged.add(candidate, read)?;
        }
    } else {
        read_on_threads(&candidates, options, threads, &mut merged)?;
    }
    merged.finish()
}

/// Reads the candidates on `threads` threads while this one merges each file's records in input order as
/// soon as they are read. Merged early, a file's collector is gone before the last file is read: holding
/// all of them until the end (86,000 in the dense-organisation benchmark) cost about 1 KB of empty maps
/// and lists a file on top of the records themselves. The queue of read files is bounded, so readers that
/// run ahead of a large file still being read wait instead of piling up.
fn read_on_threads(
    candidates: &[Candidate],
    options: &Options,
    threads: usize,
    merged: &mut Merged,
) -> Result<(), IngestError> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Option<Result<FileRead, Located>>)>(256);
    std::thread::scope(|s| -> Result<(), IngestError> {
        for n in 0..threads {
            let done = done_tx.clone();
            let (next, stop) = (&next, &stop);
            let work = move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((source, skipped, size)) = candidates.get(i) else {
                    return;
                };
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let read = skipped
                    .is_none()
                    .then(|| read_any(source, *size, i, options));
                if done.send((i, read)).is_err() {
                    return;
                }
            };
            std::thread::Builder::new()
                .name(format!("reader-{n}"))
                .spawn_scoped(s, work)
                .map_err(|cause| IngestError::Threads { threads, cause })?;
        }
        drop(done_tx);
        // Files arrive in any order; each is merged once every file before it has been.
        let mut waiting = BTreeMap::new();
        let mut upto = 0;
        let result = done_rx.iter().try_for_each(|(i, read)| {
            waiting.insert(i, read);
            while let (Some(candidate), Some(read)) = (candidates.get(upto), waiting.remove(&upto))
            {
                merged.add(candidate, read)?;
                upto += 1;
            }
            Ok(())
        });
        if result.is_err() {
            // Stop the readers: the run fails on this file whatever the others hold.
            stop.store(true, Ordering::Relaxed);
            drop(done_rx);
        }
        result
    })
}

/// Everything read so far, merged in input order.
struct Merged<'o> {
    out: Ingested,
    deleted: BTreeMap<String, (Option<chrono::DateTime<chrono::Utc>>, String)>,
    options: &'o Options,
}

impl<'o> Merged<'o> {
    fn new(options: &'o Options) -> Self {
        Merged {
            out: Ingested::default(),
            deleted: BTreeMap::new(),
            options,
        }
    }

    /// Adds the next input: skipped (`read` is `None`), read, or not readable.
    fn add(
        &mut self,
        (source, skipped, size): &Candidate,
        read: Option<Result<FileRead, Located>>,
    ) -> Result<(), IngestError> {
        let path = source.display();
        let out = &mut self.out;
        if let Some(why) = skipped {
            out.inputs.push(InputReport::new(
                path,
                *size,
                InputStatus::Skipped(why.clone()),
            ));
            return Ok(());
        }
        match read.unwrap_or(Err(Located::nowhere(InputProblem::Json(
            "was not read".to_string(),
        )))) {
            Ok(read) => {
                let mut report = InputReport::new(path, read.size, InputStatus::Used);
                report.threads = read.threads;
                report.kind = read.kind;
                report.gzip = read.gzip;
                report.sha256 = read.sha256;
                let complete = Completeness {
                    dumps: self.options.complete_dumps,
                    config: read.config_complete,
                };
                merge(
                    out,
                    &mut report,
                    read.collector,
                    complete,
                    &mut self.deleted,
                );
                out.inputs.push(report);
            }
            Err(located) => {
                let error = located.at(&path);
                if !self.options.skip_bad_inputs {
                    return Err(IngestError::BadInput(error));
                }
                let mut report =
                    InputReport::new(path, *size, InputStatus::Rejected(error.to_string()));
                if let Source::File(p) = source {
                    if let Ok((sha256, _)) = crate::digest::hash_file(p) {
                        report.sha256 = sha256;
                    }
                }
                out.inputs.push(report);
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Ingested, IngestError> {
        let mut out = self.out;
        if !out.inputs.iter().any(|i| i.status == InputStatus::Used) {
            return Err(IngestError::NoInputs(out.inputs));
        }
        finish_inventory(&mut out.inventory, &mut self.deleted);
        Ok(out)
    }
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
    /// The file is an AWS Config snapshot or advanced query: complete for the accounts and regions it holds.
    config_complete: bool,
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

/// Reads one input to the end: a small one whole, from memory; anything else, or anything the whole road
/// finds wrong, as a stream (whose errors are the canonical ones, so the road never shows in a message).
fn read_file(
    source: &Source,
    index: usize,
    progress: Option<&indicatif::ProgressBar>,
    background_hash: bool,
) -> Result<FileRead, Located> {
    if let Some(whole) = reader::read_whole(source, progress) {
        let mut collector = FileCollector::new(index);
        if let Ok(shapes) = stream::read_slice(whole.text(), &mut collector) {
            let hashed = (whole.sha256, whole.size);
            if let Ok(read) = finish_read(source, collector, &shapes, whole.gzip, hashed) {
                return Ok(read);
            }
        }
        if let Some(p) = progress {
            p.set_position(p.position().saturating_sub(whole.size));
        }
    }
    let opened = reader::open(source, progress, background_hash)
        .map_err(|e| Located::nowhere(InputProblem::Open(e)))?;
    let gzip = opened.gzip;
    let digest = opened.digest.clone();
    let mut collector = FileCollector::new(index);
    let shapes =
        stream::read_values(opened.reader, &mut collector).map_err(|e| json_error(&e, gzip))?;
    check_read(&collector, &shapes)?;
    let (sha256, size) = digest
        .finish(source)
        .map_err(|e| Located::nowhere(InputProblem::Io(e)))?;
    finish_read(source, collector, &shapes, gzip, (sha256, size))
}

/// A file read to the end that holds nothing this tool reads is an error.
fn check_read(collector: &FileCollector, shapes: &[Shape]) -> Result<(), Located> {
    if shapes.is_empty() {
        return Err(Located::nowhere(InputProblem::Empty));
    }
    if collector.non_findings > 0 && collector.records_read() == 0 {
        return Err(Located::nowhere(InputProblem::NotOurs {
            count: collector.non_findings,
            first: collector.first_non_finding.clone().unwrap_or_default(),
        }));
    }
    Ok(())
}

/// What a file read to the end gives, once its hash is known.
fn finish_read(
    source: &Source,
    mut collector: FileCollector,
    shapes: &[Shape],
    gzip: bool,
    (sha256, size): (String, u64),
) -> Result<FileRead, Located> {
    check_read(&collector, shapes)?;
    collector.date_the_export();
    let mut kind = describe_kind(shapes, &collector);
    // A Config snapshot or an advanced query lists every resource of the accounts and regions it holds. A
    // snapshot says so by its `configSnapshotId`, or, where that is missing (AWS's own documented example
    // has none), by the name Config gives the file in S3.
    let named_snapshot = named_config_snapshot(&source.display())
        && shapes.iter().any(|s| s.holds(List::ConfigurationItems));
    if named_snapshot {
        if let Some(rest) = kind.strip_prefix("config-history") {
            kind = format!("config-snapshot{rest}");
        }
    }
    let config_complete = named_snapshot
        || shapes
            .iter()
            .any(|s| s.holds(List::Results) || s.has_member("configSnapshotId"));
    Ok(FileRead {
        collector,
        kind,
        gzip,
        sha256,
        size,
        threads: 1,
        config_complete,
    })
}

/// AWS Config names the snapshot files it delivers to S3
/// `ACCOUNT_Config_REGION_ConfigSnapshot_YYYYMMDDTHHMMSSZ_ID.json.gz`.
fn named_config_snapshot(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.contains("_Config_") && name.contains("_ConfigSnapshot_")
}

/// Where and what from a serde_json error, without serde_json's own " at line N column M" suffix.
fn json_error(e: &serde_json::Error, gzip: bool) -> Located {
    if let Some(message) = stream::record_too_large(e) {
        return Located::nowhere(InputProblem::Json(message));
    }
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

/// The command whose output holds a list, as `inspect` names the kind of a file.
fn list_kind(list: List, shape: &Shape) -> &'static str {
    match list {
        List::TaskSets => "ecs describe-task-sets",
        List::Services => "ecs describe-services",
        List::Failures => "ecs describe-task-sets",
        List::ClusterArns => "ecs list-clusters",
        List::ServiceArns => "ecs list-services",
        List::ConfigurationItems if shape.has_member("configSnapshotId") => "config-snapshot",
        List::ConfigurationItems => "config-history",
        List::BaseConfigurationItems => "config-batch",
        List::Results => "config-query",
        List::Network("Subnets") => "ec2 describe-subnets",
        List::Network("RouteTables") => "ec2 describe-route-tables",
        List::Network("SecurityGroups") => "ec2 describe-security-groups",
        List::Network("NetworkAcls") => "ec2 describe-network-acls",
        List::Network("PrefixLists") => "ec2 describe-managed-prefix-lists",
        List::Network("Entries") => "ec2 get-managed-prefix-list-entries",
        List::Network("LoadBalancers") => "elbv2 describe-load-balancers",
        List::Network("TargetGroups") => "elbv2 describe-target-groups",
        List::Network("Listeners") => "elbv2 describe-listeners",
        List::Network(_) => "network resources",
        List::Findings | List::TopLevel => "securityhub get-findings",
    }
}

/// What a shape is, for telling whether a file's values are all of one kind (a page with `NextToken` and
/// one without are the same kind).
fn shape_class(shape: &Shape) -> (u8, Vec<List>, Option<RecognisedKind>) {
    match shape {
        Shape::Lists { lists, .. } => (0, lists.clone(), None),
        Shape::Array => (1, Vec::new(), None),
        Shape::Object(k) => (2, Vec::new(), Some(*k)),
    }
}

/// The kind of a file in words, from the shapes of its top-level values and what was read from them.
fn describe_kind(shapes: &[Shape], c: &collect::FileCollector) -> String {
    let Some(first) = shapes.first() else {
        return String::new();
    };
    let all_same = shapes.iter().all(|s| shape_class(s) == shape_class(first));
    let many = shapes.len() > 1;
    let findings = if c.ocsf_seen {
        "findings (OCSF)"
    } else {
        "findings"
    };
    let text = match (first, all_same, many) {
        (_, false, _) => format!("stream of {} JSON values (mixed)", shapes.len()),
        (Shape::Lists { lists, .. }, _, false) if lists.contains(&List::Findings) => {
            format!("securityhub get-findings page, {findings}")
        }
        (Shape::Lists { lists, .. }, _, true) if lists.contains(&List::Findings) => format!(
            "securityhub get-findings pages ({} in one file), {findings}",
            shapes.len()
        ),
        (Shape::Lists { .. }, _, _)
            if first.has_member("schema")
                && first.has_member("calls")
                && first.has_member("accounts") =>
        {
            "inventory collection (collect-inventory.sh)".to_string()
        }
        // The main list decides: task sets or services before the failures beside them.
        (Shape::Lists { lists, .. }, _, _) => lists
            .iter()
            .find(|l| **l != List::Failures)
            .or(lists.first())
            .map(|l| list_kind(*l, first))
            .unwrap_or_default()
            .to_string(),
        (Shape::Array, _, _) if c.findings_read == 0 && !c.task_sets.is_empty() => {
            "JSON array of ecs task sets".to_string()
        }
        (Shape::Array, _, _) => format!("JSON array of {findings}"),
        (Shape::Object(RecognisedKind::Finding), _, false) => {
            format!("single finding{}", if c.ocsf_seen { " (OCSF)" } else { "" })
        }
        (Shape::Object(RecognisedKind::Finding), _, true) => format!("JSON Lines of {findings}"),
        (Shape::Object(RecognisedKind::Event), _, false) => "EventBridge event".to_string(),
        (Shape::Object(RecognisedKind::Event), _, true) => {
            "EventBridge events (JSON Lines / concatenated)".to_string()
        }
        (Shape::Object(RecognisedKind::Inventory(kind)), _, false) => kind.to_string(),
        (Shape::Object(RecognisedKind::Inventory(kind)), _, true) => {
            format!("JSON Lines of {kind}")
        }
    };
    if c.config_types.is_empty() {
        return text;
    }
    let per_type: Vec<String> = c
        .config_types
        .iter()
        .map(|(t, n)| match t.as_str() {
            // A query that did not select resourceType.
            "" => format!("resourceType not given {n}"),
            t => format!("{t} {n}"),
        })
        .collect();
    format!("{text} ({})", per_type.join(", "))
}

/// Which of a file's listings say they are complete.
#[derive(Debug, Clone, Copy)]
struct Completeness {
    /// `--complete-dumps`: `describe-task-sets` dumps list their whole services.
    dumps: bool,
    /// The file is a Config snapshot or advanced query.
    config: bool,
}

/// After every file: the task sets AWS Config recorded deleted, unless a later description shows them.
fn finish_inventory(
    inv: &mut Inventory,
    deleted: &mut BTreeMap<String, (Option<chrono::DateTime<chrono::Utc>>, String)>,
) {
    for (arn, (when, why)) in std::mem::take(deleted) {
        let described_later = inv
            .task_sets
            .get(&arn)
            .is_some_and(|t| t.updated_at.max(t.created_at) > when);
        if !described_later {
            inv.missing_task_sets.entry(arn).or_insert(why);
        }
    }
    for points in inv.config_timeline.values_mut() {
        points.sort();
        points.dedup();
    }
}

/// Adds one file's records to the whole.
fn merge(
    out: &mut Ingested,
    report: &mut InputReport,
    c: FileCollector,
    complete: Completeness,
    deleted: &mut BTreeMap<String, (Option<chrono::DateTime<chrono::Utc>>, String)>,
) {
    report.findings_read = c.findings_read;
    report.other_records = c.other_records;
    report.ecs16_findings = c.findings.len() as u64;
    report.task_sets = c.task_sets.len() as u64;
    report.services = c.services_read;
    report.failures = c.failures_read;
    report.records_used = c.used();
    // Files of findings and AWS Config files carry the time their service took them.
    report.exported_at = c
        .newest_stamp
        .filter(|_| c.findings_read > 0 || !c.config_types.is_empty());
    out.newest_stamp = out.newest_stamp.max(c.newest_stamp);
    let read_nothing = c.records_read() == 0;
    let inv = &mut out.inventory;
    inv.covered_services
        .extend(c.services_covered(complete.dumps));
    inv.listed_services.extend(c.listed_services);
    inv.listed_clusters.extend(c.listed_clusters);
    if complete.config {
        inv.config_scopes.extend(c.config_scopes_seen);
    }
    for (arn, point) in c.config_points {
        inv.config_timeline.entry(arn).or_default().push(point);
    }
    for (arn, (when, why)) in c.config_deleted {
        match deleted.get(&arn) {
            Some((earlier, _)) if *earlier >= when => {}
            _ => {
                deleted.insert(arn, (when, why));
            }
        }
    }
    inv.collection_gaps.extend(c.collection_gaps);
    out.network_items.extend(c.network_items);
    out.network_records.extend(c.network_records);
    if read_nothing {
        report.problems.push(crate::model::RecordProblem {
            record: 0,
            message: "the file lists no findings and no task sets: it covers nothing".to_string(),
        });
    }
    report.problems.extend(c.problems);
    inv.missing_task_sets.extend(c.missing_task_sets);
    inv.missing_services.extend(c.missing_services);
    // Inputs are merged in order, so an earlier description's file is already among `out.inputs`.
    let earlier = &out.inputs;
    let path_of = |o: &crate::model::Origin| {
        earlier
            .get(o.input)
            .map_or_else(|| report.path.clone(), |i| i.path.clone())
    };
    for ts in c.task_sets {
        for t in [ts.created_at, ts.updated_at].into_iter().flatten() {
            inv.newest_timestamp = inv.newest_timestamp.max(Some(t));
        }
        let kept = match inv.task_sets.remove(&ts.arn) {
            None => ts,
            Some(existing) => {
                let (mut kept, other) = if newer_description(&ts, &existing) {
                    (ts, existing)
                } else {
                    (existing, ts)
                };
                if let Some(words) = same_moment_disagreement(&kept, &other, &path_of) {
                    kept.readings.push(words);
                }
                inv.earlier.entry(kept.arn.clone()).or_default().push(other);
                kept
            }
        };
        inv.task_sets.insert(kept.arn.clone(), kept);
    }
    out.findings.extend(c.findings);
    out.unreadable_findings.extend(c.unreadable);
}

/// `ENABLED`, `DISABLED`, `NOT_AWSVPC` or a verbatim value: what a description says of exposure.
fn exposure_word(t: &TaskSet) -> &str {
    t.assign_public_ip
        .as_ref()
        .map_or("NOT_AWSVPC", |a| a.as_str())
}

/// Two descriptions of the same moment that disagree on exposure, in words; `None` when they agree or are
/// of different moments (then the newer one simply wins).
fn same_moment_disagreement(
    kept: &TaskSet,
    other: &TaskSet,
    path_of: &dyn Fn(&crate::model::Origin) -> String,
) -> Option<String> {
    let moment = |t: &TaskSet| (t.updated_at, t.created_at);
    if moment(kept) != moment(other) || exposure_word(kept) == exposure_word(other) {
        return None;
    }
    Some(format!(
        "two descriptions of the same moment disagree: assignPublicIp {} in {} (record {}) and {} in {} (record {}); read as {}, the more exposed reading",
        exposure_word(kept),
        path_of(&kept.origin),
        kept.origin.record,
        exposure_word(other),
        path_of(&other.origin),
        other.origin.record,
        exposure_word(kept)
    ))
}

/// Two dumps describe the same task set: the newer description wins; on a tie, the more exposed reading of
/// `assignPublicIp`, then the larger serialised content, so the winner never depends on the order the
/// files were given in.
fn newer_description(candidate: &TaskSet, existing: &TaskSet) -> bool {
    let key = |t: &TaskSet| (t.updated_at, t.created_at);
    // Lower rank is more exposed; `Reverse` makes the more exposed compare greater.
    let exposure = |t: &TaskSet| std::cmp::Reverse(ecs::assign_rank(exposure_word(t)));
    let content = |t: &TaskSet| {
        let mut t = t.clone();
        t.origin = crate::model::Origin {
            input: 0,
            record: 0,
        };
        serde_json::to_string(&t).unwrap_or_default()
    };
    key(candidate)
        .cmp(&key(existing))
        .then_with(|| exposure(candidate).cmp(&exposure(existing)))
        .then_with(|| content(candidate).cmp(&content(existing)))
        == std::cmp::Ordering::Greater
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of a folder, recursively.
    fn files_under(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files_under(&path, out);
            } else {
                out.push(path);
            }
        }
    }

    /// What a read gave, in words: the same text from both roads means the same evidence.
    fn described(read: Result<FileRead, Located>) -> String {
        match read {
            Ok(r) => format!(
                "{} {} {} {} {:?} {:?} {:?} {:?} {}",
                r.kind,
                r.gzip,
                r.sha256,
                r.size,
                r.collector.findings,
                r.collector.task_sets,
                r.collector.problems,
                r.collector.newest_stamp,
                r.collector.findings_read
            ),
            Err(e) => format!("error {:?} {}", e.position, e.problem),
        }
    }

    /// The whole-file road (small files, parsed from memory) and the streaming road give the same read of
    /// every shipped sample and shape fixture, and of a few broken files (where the whole road hands over
    /// to the streaming one for its words).
    #[test]
    fn small_files_read_whole_give_what_the_stream_gives() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        files_under(&root.join("samples"), &mut files);
        files_under(&root.join("tests/fixtures/shapes"), &mut files);
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in [
            ("truncated.json", "{\"Findings\": [{\"Id\": 1}"),
            ("jsonl-other.json", "{\"SchemaVersion\":\"2018-10-08\",\"GeneratorId\":\"security-control/S3.1\",\"ProcessedAt\":\"2026-09-01T00:00:00Z\"}\n{\"SchemaVersion\":\"2018-10-08\",\"GeneratorId\":\"x/ECS.16\"}"),
            ("unknown.json", "{\"Reservations\": []}"),
            ("empty.json", "  \n"),
            ("wide.json", "{\0\"\0"),
        ] {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            files.push(p);
        }
        files.sort();
        assert!(files.len() > 30, "{files:?}");
        for path in files {
            let source = Source::File(path.clone());
            let whole = reader::read_whole(&source, None).is_some();
            let via_whole = described(read_file(&source, 0, None, false));
            // The streaming road alone: what `read_file` did before small files were read whole.
            let via_stream = described((|| -> Result<FileRead, Located> {
                let opened = reader::open(&source, None, false)
                    .map_err(|e| Located::nowhere(InputProblem::Open(e)))?;
                let gzip = opened.gzip;
                let digest = opened.digest.clone();
                let mut collector = FileCollector::new(0);
                let shapes = stream::read_values(opened.reader, &mut collector)
                    .map_err(|e| json_error(&e, gzip))?;
                check_read(&collector, &shapes)?;
                let hashed = digest
                    .finish(&source)
                    .map_err(|e| Located::nowhere(InputProblem::Io(e)))?;
                finish_read(&source, collector, &shapes, gzip, hashed)
            })());
            assert_eq!(
                via_whole,
                via_stream,
                "{} (read whole: {whole})",
                path.display()
            );
        }
    }
}
