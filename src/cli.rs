//! The command line, parsed once into typed values that the rest of the program sees.

use crate::period::{Period, PeriodError};
use crate::query::{QueryError, S3Folder, Table};
use crate::reconcile::Outcome;
use chrono::{DateTime, NaiveDate, Utc};
use clap::builder::NonEmptyStringValueParser;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "ecs16-evidence",
    version,
    about = "Offline evidence packs for AWS Security Hub control ECS.16 (PCI DSS v4.0.1 1.4.4)",
    long_about = "Turns exported AWS Security Hub findings and ECS inventory dumps into an evidence pack for \
                  control ECS.16 (ECS task sets that auto-assign public IPs) and PCI DSS v4.0.1 requirement 1.4.4. \
                  Never opens a network connection."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build an evidence pack from findings exports and ECS dumps
    Report(Box<ReportArgs>),
    /// Say what each input is, how many records it holds and what is wrong with it
    Inspect(InspectArgs),
    /// Check a pack against its manifest: every file's SHA-256, nothing missing, nothing added
    Verify(VerifyArgs),
    /// Sign a pack's manifest.json with an Ed25519 OpenSSH key (checked with ssh-keygen -Y verify)
    Sign(SignArgs),
    /// Write the built-in templates to a folder, as a starting point for --templates
    Templates(TemplatesArgs),
    /// Print the SQL that picks the evidence out of S3 (Amazon Athena) or AWS Config; never runs it
    Query(QueryArgs),
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files or folders (read recursively, in sorted order): Security Hub exports and ECS dumps
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Folder to write the pack to
    #[arg(
        short,
        long,
        value_name = "DIR",
        default_value = "evidence-pack",
        help_heading = "Output"
    )]
    pub out: PathBuf,

    /// Replace an existing pack at --out (only once the new one is complete)
    #[arg(long, help_heading = "Output")]
    pub force: bool,

    /// The moment the evidence describes (RFC 3339, e.g. 2026-09-30T23:59:59Z); default: the newest
    /// timestamp found in the inputs, never the clock
    #[arg(long, value_name = "TIME", value_parser = parse_as_of, help_heading = "Evidence")]
    pub as_of: Option<DateTime<Utc>>,

    /// Assessment period, a calendar quarter such as 2026-Q3 (default: the quarter containing --as-of)
    #[arg(long, value_name = "QUARTER", value_parser = parse_period, conflicts_with_all = ["from", "to"], help_heading = "Evidence")]
    pub period: Option<Period>,

    /// First day of the assessment period (with --to)
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "to", help_heading = "Evidence")]
    pub from: Option<NaiveDate>,

    /// Last day of the assessment period (with --from)
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "from", help_heading = "Evidence")]
    pub to: Option<NaiveDate>,

    /// Exceptions register: CSV with header task_set_arn,justification,approver,ticket,expires
    #[arg(long, value_name = "FILE", help_heading = "Evidence")]
    pub exceptions: Option<PathBuf>,

    /// A previous pack (e.g. last quarter's) to compare with: what is new, fixed, still open
    #[arg(long, value_name = "PACK", help_heading = "Evidence")]
    pub baseline: Option<PathBuf>,

    /// Exit 1 (after writing the pack) when any task set has one of these outcomes, or the verdict is one of
    /// these statuses, e.g. NON_COMPLIANT,UNASSESSED_EXPOSED or verdict:NOT_IN_PLACE,verdict:NOT_TESTED
    #[arg(long, value_name = "OUTCOME|verdict:STATUS", value_delimiter = ',', value_parser = parse_gate, help_heading = "Gating")]
    pub fail_on: Vec<Gate>,

    /// The scope file (CSV: account_id,region,cluster,service,scope,data_flow_ref; scope is stores-chd, cde,
    /// connected or out-of-scope; region, cluster and service may be *). Without it every task set is undeclared
    #[arg(long, value_name = "FILE", help_heading = "Evidence")]
    pub scope: Option<PathBuf>,

    /// Folder of templates overriding the built-in ones by file name (index.html, report.md)
    #[arg(long, value_name = "DIR", help_heading = "Output")]
    pub templates: Option<PathBuf>,

    /// Also write the template context as JSON to this file (what a template author can use)
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub dump_context: Option<PathBuf>,

    /// Organisation named on the report's cover
    #[arg(long, value_name = "NAME", help_heading = "Output")]
    pub org: Option<String>,

    /// Assessor named on the report's cover
    #[arg(long, value_name = "NAME", help_heading = "Output")]
    pub assessor: Option<String>,

    /// Who prepared the pack, named in the cover's sign-off block (signature and date lines stay blank
    /// for a pen); without it the name line is blank too
    #[arg(long, value_name = "NAME", value_parser = NonEmptyStringValueParser::new(), help_heading = "Sign-off")]
    pub prepared_by: Option<String>,

    /// Who reviewed the pack, named in the cover's sign-off block; without it the name line is blank
    #[arg(long, value_name = "NAME", value_parser = NonEmptyStringValueParser::new(), help_heading = "Sign-off")]
    pub reviewed_by: Option<String>,

    /// Go on without inputs that cannot be read; the pack lists them as rejected
    #[arg(long, help_heading = "Inputs")]
    pub skip_bad_inputs: bool,

    /// Every describe-task-sets dump given was run without --task-sets, so it lists its whole service:
    /// a task set of that service it does not list no longer exists. Without this, a describe-task-sets
    /// dump speaks only for the task sets it lists and those its failures name
    #[arg(long, help_heading = "Inputs")]
    pub complete_dumps: bool,

    /// Threads to read with, 1 to 256 (default: every core). The pack is the same whatever the number
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256), help_heading = "Inputs")]
    pub jobs: Option<u16>,

    /// Split files at least this large across threads (tests use a small value to exercise the path)
    #[arg(long, value_name = "BYTES", hide = true)]
    pub split_min_bytes: Option<u64>,

    /// Print nothing but errors
    #[arg(short, long)]
    pub quiet: bool,

    /// Also list every input and its problems on stderr
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files or folders to look at
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "With --allowed-signers and --identity, also checks PACK/manifest.json.sig as \
                  `ssh-keygen -Y verify -f FILE -I ID -n ecs16-evidence -s PACK/manifest.json.sig < PACK/manifest.json` \
                  does. A key limited to a time window (valid-after/valid-before) is checked only at the moment \
                  given with --verify-time: a signature does not record when it was made, and this tool never \
                  reads the clock."
)]
pub struct VerifyArgs {
    /// The pack folder (holding manifest.json)
    #[arg(value_name = "PACK")]
    pub pack: PathBuf,

    /// Also check the pack's signature against this OpenSSH allowed_signers file (see `man ssh-keygen`)
    #[arg(
        long,
        value_name = "FILE",
        requires = "identity",
        help_heading = "Signature"
    )]
    pub allowed_signers: Option<PathBuf>,

    /// Who must have signed: a principal of the allowed_signers file, e.g. an e-mail address
    #[arg(long, value_name = "ID", requires = "allowed_signers", value_parser = NonEmptyStringValueParser::new(), help_heading = "Signature")]
    pub identity: Option<String>,

    /// Check keys limited to a time window at this moment (RFC 3339), like ssh-keygen's -Overify-time
    #[arg(long, value_name = "TIME", requires = "allowed_signers", value_parser = parse_time, help_heading = "Signature")]
    pub verify_time: Option<DateTime<Utc>>,
}

#[derive(Debug, Args)]
#[command(
    after_help = "The pack must pass `verify` first. Writes PACK/manifest.json.sig, an SSHSIG signature (namespace \
                  ecs16-evidence) over PACK/manifest.json, which lists the SHA-256 of every other file: the same \
                  bytes `ssh-keygen -Y sign -n ecs16-evidence -f KEYFILE PACK/manifest.json` writes."
)]
pub struct SignArgs {
    /// The pack folder (holding manifest.json)
    #[arg(value_name = "PACK")]
    pub pack: PathBuf,

    /// Ed25519 private key in OpenSSH format, without a passphrase (make one with: ssh-keygen -t ed25519 -N '' -f KEYFILE)
    #[arg(long, value_name = "KEYFILE")]
    pub key: PathBuf,

    /// Replace an existing PACK/manifest.json.sig
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// Folder to write index.html and report.md to
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Overwrite templates already in the folder
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Prints SQL on stdout and nothing else; the tool never runs it (no network code). \
                  Athena: create the table once (--ddl), run the SELECT, or its UNLOAD with --unload, and \
                  give `report` what lands in S3 (gzip JSON Lines). Config: run the query with \
                  `aws configservice select-aggregate-resource-config --expression` and give `report` its \
                  output. The period is always given: the SQL never depends on the day it is printed."
)]
pub struct QueryArgs {
    /// Which service runs the SQL: athena (the findings) or config (the inventory, as an AWS Config
    /// advanced query)
    #[arg(long, value_enum)]
    pub engine: Engine,

    /// Where the findings are stored (athena): firehose (raw lines under yyyy/MM/dd/HH/ prefixes) or
    /// security-lake (the Security Hub table of Security Lake)
    #[arg(long, value_enum, required_if_eq("engine", "athena"))]
    pub source: Option<Source>,

    /// The Athena table (athena): DATABASE.TABLE or TABLE, letters, digits and _ only
    #[arg(long, value_name = "DB.TABLE", value_parser = parse_table, required_if_eq("engine", "athena"))]
    pub table: Option<Table>,

    /// Period, a calendar quarter such as 2026-Q3 (UTC)
    #[arg(long, value_name = "QUARTER", value_parser = parse_period, conflicts_with_all = ["from", "to"])]
    pub period: Option<Period>,

    /// First day of the period (with --to), UTC
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "to")]
    pub from: Option<NaiveDate>,

    /// Last day of the period (with --from), UTC
    #[arg(long, value_name = "DATE", value_parser = parse_date, requires = "from")]
    pub to: Option<NaiveDate>,

    /// Wrap the SELECT in UNLOAD ... TO this S3 folder (s3://bucket/prefix/), so the result lands there as
    /// gzip JSON Lines; Athena refuses a folder that already holds objects
    #[arg(long, value_name = "S3URI", value_parser = parse_s3_folder, conflicts_with = "ddl")]
    pub unload: Option<S3Folder>,

    /// Print the CREATE EXTERNAL TABLE of the source's table instead of the query
    #[arg(long, conflicts_with_all = ["period", "from", "to"])]
    pub ddl: bool,
}

/// The services `query` writes SQL for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// Amazon Athena (Trino SQL) over the findings archive
    Athena,
    /// AWS Config advanced query over an aggregator
    Config,
}

/// Where the findings are stored, for `query --engine athena`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Source {
    /// EventBridge → Firehose → S3: one event or finding per line, gzip, yyyy/MM/dd/HH/ prefixes
    Firehose,
    /// The Security Lake table of Security Hub findings (OCSF)
    SecurityLake,
}

/// An option value that is not what the option takes.
#[derive(Debug, thiserror::Error)]
pub enum ArgError {
    #[error("{0:?} is not a date like 2026-07-01")]
    NotADate(String),
    #[error("{text:?} is not an outcome; use one of {} (or verdict:STATUS)", Outcome::ALL.map(|o| o.code()).join(", "))]
    NotAnOutcome { text: String },
    #[error("{text:?} is not a verdict: give verdict: and one of NOT_IN_PLACE, NOT_TESTED, IN_PLACE_WITH_CCW, IN_PLACE_CUSTOMIZED, IN_PLACE, NOT_APPLICABLE")]
    NotAVerdict { text: String },
    #[error(transparent)]
    Time(#[from] crate::time::TimeError),
}

fn parse_period(text: &str) -> Result<Period, PeriodError> {
    Period::parse_quarter(text)
}

fn parse_table(text: &str) -> Result<Table, QueryError> {
    Table::parse(text)
}

fn parse_s3_folder(text: &str) -> Result<S3Folder, QueryError> {
    S3Folder::parse(text)
}

fn parse_date(text: &str) -> Result<NaiveDate, ArgError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| ArgError::NotADate(text.to_string()))
}

/// What `--fail-on` gates on: an outcome any task set has, or the verdict's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Outcome(Outcome),
    Verdict(crate::analysis::verdict::Status),
}

impl Gate {
    /// As given on the command line: `NON_COMPLIANT`, `verdict:NOT_IN_PLACE`.
    pub fn code(self) -> String {
        match self {
            Gate::Outcome(o) => o.code().to_string(),
            Gate::Verdict(s) => format!("verdict:{}", s.code()),
        }
    }
}

fn parse_gate(text: &str) -> Result<Gate, ArgError> {
    let text = text.trim();
    if let Some(status) = text.strip_prefix("verdict:") {
        return crate::analysis::verdict::Status::parse(status)
            .map(Gate::Verdict)
            .ok_or_else(|| ArgError::NotAVerdict {
                text: text.to_string(),
            });
    }
    Outcome::parse(text)
        .map(Gate::Outcome)
        .ok_or_else(|| ArgError::NotAnOutcome {
            text: text.to_string(),
        })
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, ArgError> {
    Ok(crate::time::parse_str(text)?)
}

fn parse_as_of(text: &str) -> Result<DateTime<Utc>, ArgError> {
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        // A bare date means the end of that day in UTC: the evidence covers the whole day.
        let end_of_day =
            chrono::NaiveTime::from_hms_opt(23, 59, 59).expect("23:59:59 is a time of day");
        return Ok(date.and_time(end_of_day).and_utc());
    }
    Ok(crate::time::parse_str(text)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn fail_on_takes_outcome_codes() {
        let fail_on = |value: &str| {
            let cli = Cli::try_parse_from(["x", "report", "in", "--fail-on", value]).unwrap();
            let Command::Report(r) = cli.command else {
                panic!()
            };
            r.fail_on
        };
        assert_eq!(
            fail_on("NON_COMPLIANT,UNASSESSED_EXPOSED"),
            vec![
                Gate::Outcome(Outcome::NonCompliant),
                Gate::Outcome(Outcome::UnassessedExposed)
            ]
        );
        use crate::analysis::verdict::Status;
        assert_eq!(
            fail_on("verdict:NOT_IN_PLACE,verdict:NOT_TESTED"),
            vec![
                Gate::Verdict(Status::NotInPlace),
                Gate::Verdict(Status::NotTested)
            ]
        );
        let err = Cli::try_parse_from(["x", "report", "in", "--fail-on", "verdict:BAD"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not a verdict"), "{err}");
        let err = Cli::try_parse_from(["x", "report", "in", "--fail-on", "BAD"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not an outcome"), "{err}");
        assert!(Cli::try_parse_from(["x", "report", "in", "--from", "2026-07-01"]).is_err());
        assert!(Cli::try_parse_from([
            "x",
            "report",
            "in",
            "--period",
            "2026-Q3",
            "--from",
            "2026-07-01",
            "--to",
            "2026-07-02"
        ])
        .is_err());
    }

    #[test]
    fn allowed_signers_and_identity_come_together() {
        let ok = Cli::try_parse_from([
            "x",
            "verify",
            "p",
            "--allowed-signers",
            "f",
            "--identity",
            "a@b",
            "--verify-time",
            "2026-10-01T00:00:00Z",
        ]);
        assert!(ok.is_ok(), "{ok:?}");
        for alone in [
            &["--allowed-signers", "f"][..],
            &["--identity", "a@b"],
            &["--verify-time", "2026-10-01T00:00:00Z"],
            &["--allowed-signers", "f", "--identity", ""],
            &[
                "--allowed-signers",
                "f",
                "--identity",
                "a",
                "--verify-time",
                "2026-10-01",
            ],
        ] {
            let args = ["x", "verify", "p"].iter().chain(alone.iter());
            assert!(Cli::try_parse_from(args).is_err(), "{alone:?}");
        }
        assert!(
            Cli::try_parse_from(["x", "sign", "p"]).is_err(),
            "--key is required"
        );
    }

    #[test]
    fn as_of_takes_a_date_or_a_timestamp() {
        assert_eq!(
            crate::time::format(&parse_as_of("2026-09-30").unwrap()),
            "2026-09-30T23:59:59Z"
        );
        assert_eq!(
            crate::time::format(&parse_as_of("2026-09-30T10:00:00+02:00").unwrap()),
            "2026-09-30T08:00:00Z"
        );
        assert!(parse_as_of("last tuesday").is_err());
    }
}
