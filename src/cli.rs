//! The command line, parsed once into typed values that the rest of the program sees.

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
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
    Report(ReportArgs),
    /// Say what each input is, how many records it holds and what is wrong with it
    Inspect(InspectArgs),
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

    /// Go on without inputs that cannot be read; the pack lists them as rejected
    #[arg(long, help_heading = "Inputs")]
    pub skip_bad_inputs: bool,

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

fn parse_as_of(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        // A bare date means the end of that day in UTC: the evidence covers the whole day.
        return Ok(date.and_hms_opt(23, 59, 59).expect("valid time").and_utc());
    }
    crate::time::parse_str(text)
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
