//! `query`: the SQL it prints is pinned byte for byte, and the Athena SQL is run, transpiled, on DuckDB.
//!
//! `tests/golden/query/` holds the three Athena outputs (`--ddl`, the SELECT, the UNLOAD) for each source
//! and the AWS Config query. Re-bless on purpose, as for the samples' pack, after a change meant to alter
//! the SQL, and commit the changed files on their own saying why:
//!
//! ```sh
//! ECS16_BLESS=1 cargo test --locked golden
//! ```
//!
//! The round trip (`scripts/athena-roundtrip.py`) needs python3 with duckdb and sqlglot. Without them it
//! says `skipped: …` and passes, unless `ECS16_REQUIRE_PYTHON=1` (which `.ci/run` sets): then it fails.

use crate::support::*;
use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

const FIREHOSE: &[&str] = &[
    "query",
    "--engine",
    "athena",
    "--source",
    "firehose",
    "--table",
    "security.findings_raw",
];
const SECURITY_LAKE: &[&str] = &[
    "query",
    "--engine",
    "athena",
    "--source",
    "security-lake",
    "--table",
    "amazon_security_lake_glue_db_us_east_1.amazon_security_lake_table_us_east_1_sh_findings_2_0",
];

/// Each golden file and the arguments that print it.
fn cases() -> Vec<(&'static str, Vec<&'static str>)> {
    let with = |base: &[&'static str], extra: &[&'static str]| -> Vec<&'static str> {
        base.iter().chain(extra).copied().collect()
    };
    vec![
        ("firehose-ddl.sql", with(FIREHOSE, &["--ddl"])),
        (
            "firehose-select.sql",
            with(FIREHOSE, &["--period", "2026-Q3"]),
        ),
        (
            "firehose-unload.sql",
            with(
                FIREHOSE,
                &[
                    "--period",
                    "2026-Q3",
                    "--unload",
                    "s3://ecs16-results/firehose/2026-q3/",
                ],
            ),
        ),
        ("security-lake-ddl.sql", with(SECURITY_LAKE, &["--ddl"])),
        (
            "security-lake-select.sql",
            with(SECURITY_LAKE, &["--period", "2026-Q3"]),
        ),
        (
            // The same period spelled as days: the same bounds as 2026-Q3.
            "security-lake-unload.sql",
            with(
                SECURITY_LAKE,
                &[
                    "--from",
                    "2026-07-01",
                    "--to",
                    "2026-09-30",
                    "--unload",
                    "s3://ecs16-results/security-lake/2026-q3/",
                ],
            ),
        ),
        ("config.sql", vec!["query", "--engine", "config"]),
    ]
}

fn golden_dir() -> PathBuf {
    repo().join("tests/golden/query")
}

#[test]
fn the_printed_sql_matches_the_golden_files() {
    let bless = std::env::var_os("ECS16_BLESS").is_some();
    let mut differences = Vec::new();
    for (name, args) in cases() {
        let o = bin().args(&args).output().expect("the binary runs");
        assert_exit(&o, 0);
        assert!(o.stderr.is_empty(), "{name}: {}", stderr(&o));
        let path = golden_dir().join(name);
        if bless {
            fs::create_dir_all(golden_dir()).unwrap();
            fs::write(&path, &o.stdout).unwrap();
            continue;
        }
        match fs::read(&path) {
            Ok(want) if want == o.stdout => {}
            Ok(want) => differences.push(format!(
                "{name} (ecs16-evidence {}):\n--- golden\n{}--- now\n{}",
                args.join(" "),
                String::from_utf8_lossy(&want),
                stdout(&o)
            )),
            Err(_) => differences.push(format!("{name}: no golden copy")),
        }
    }
    assert!(
        differences.is_empty(),
        "the SQL differs from tests/golden/query (re-bless on purpose with \
         `ECS16_BLESS=1 cargo test --locked golden`):\n{}",
        differences.join("\n")
    );
}

#[test]
fn the_quarter_and_its_days_print_the_same_select() {
    let quarter = bin()
        .args(FIREHOSE)
        .args(["--period", "2026-Q4"])
        .output()
        .unwrap();
    let days = bin()
        .args(FIREHOSE)
        .args(["--from", "2026-10-01", "--to", "2026-12-31"])
        .output()
        .unwrap();
    assert_exit(&quarter, 0);
    assert_eq!(quarter.stdout, days.stdout);
    assert!(stdout(&quarter).contains("WHERE dt BETWEEN '2026/09/30/23' AND '2027/01/01/23'"));
}

#[test]
fn hostile_arguments_are_refused_and_never_reach_the_sql() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let text = |s: &str| OsString::from(s);
    let hostile: Vec<(&str, OsString)> = vec![
        ("--table", text("db.t' OR '1'='1")),
        ("--table", text("db.t;DROP TABLE x")),
        ("--table", text("db.\"t\"")),
        ("--table", text("db.t\n--")),
        ("--table", text("\u{202e}db.t")),
        ("--table", text(&"a".repeat(256))),
        ("--table", OsString::from_vec(b"db.t\xff".to_vec())),
        ("--unload", text("s3://bucket/x') TO 's3://evil/")),
        ("--unload", text("s3://bucket/x/'--/")),
        ("--unload", text("s3://bucket/$(id)/")),
        (
            "--unload",
            OsString::from_vec(b"s3://bucket/\xfe/".to_vec()),
        ),
        ("--period", text("2026-Q3' OR 1=1")),
        ("--period", text("99999999999-Q1")),
        ("--from", text("2026-07-01' --")),
        ("--from", text("2026-13-01")),
    ];
    for (option, value) in hostile {
        let mut args: Vec<OsString> = ["query", "--engine", "athena", "--source", "firehose"]
            .map(OsString::from)
            .to_vec();
        if option != "--table" {
            args.extend(["--table", "db.t"].map(OsString::from));
        }
        if !["--period", "--from"].contains(&option) {
            args.extend(["--period", "2026-Q3"].map(OsString::from));
        }
        args.push(OsString::from(option));
        args.push(value.clone());
        if option == "--from" {
            args.extend(["--to", "2026-09-30"].map(OsString::from));
        }
        let o = bin().args(&args).output().unwrap();
        let shown: String = format!("{value:?}").chars().take(80).collect();
        assert_eq!(o.status.code(), Some(2), "{option} {shown}: {}", stderr(&o));
        assert!(o.stdout.is_empty(), "{option} {shown}: printed SQL");
        assert!(!stderr(&o).contains("panicked"), "{option} {shown}");
    }
}

/// True when `python3` can import both modules the round trip needs.
fn python_with_duckdb_and_sqlglot() -> bool {
    Command::new("python3")
        .args(["-c", "import duckdb, sqlglot"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_athena_sql_selects_exactly_the_period_s_ecs16_records_on_duckdb() {
    if !python_with_duckdb_and_sqlglot() {
        let message =
            "skipped: python3 with duckdb and sqlglot not installed (pip install duckdb sqlglot)";
        assert!(
            std::env::var_os("ECS16_REQUIRE_PYTHON").is_none_or(|v| v != "1"),
            "ECS16_REQUIRE_PYTHON=1 but {message}"
        );
        // Straight to the terminal, past the harness's capture, as the browser tests do.
        let _ = writeln!(std::io::stderr().lock(), "{message}");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let o = Command::new("python3")
        .arg(repo().join("scripts/athena-roundtrip.py"))
        .arg("--bin")
        .arg(env!("CARGO_BIN_EXE_ecs16-evidence"))
        .arg("--work")
        .arg(work.path())
        .args(["--events", "100000"])
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "the DuckDB round trip failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    let figures: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let _ = writeln!(
        std::io::stderr().lock(),
        "athena round trip on DuckDB: {figures}"
    );
    assert!(figures["events"].as_u64().unwrap() >= 100_000);
    let ecs16 = figures["ecs16_lines"].as_u64().unwrap();
    assert!(
        (1_900..=2_100).contains(&ecs16),
        "about 2 % ECS.16: {ecs16}"
    );
    assert!(figures["firehose_q3_selected"].as_u64().unwrap() > 0);
    // Period pruning reads about one of the two quarters the archive holds.
    let (q3, whole) = (
        figures["bytes_q3"].as_u64().unwrap(),
        figures["bytes_whole"].as_u64().unwrap(),
    );
    assert!(q3 * 10 < whole * 6, "pruned {q3} of {whole} bytes");
}
