//! The query texts: names and folders refused or accepted, every value quoted, the period's bounds.

use super::*;

fn q3() -> Period {
    Period::parse_quarter("2026-Q3").unwrap()
}

fn query(source: Source, unload: Option<&str>) -> String {
    athena(&AthenaQuery {
        source,
        table: Table::parse("security.findings").unwrap(),
        period: q3(),
        unload: unload.map(|u| S3Folder::parse(u).unwrap()),
    })
    .unwrap()
}

#[test]
fn table_names_are_one_or_two_words_of_letters_digits_and_underscores() {
    let longest = format!("{0}.{0}", "n".repeat(255));
    for ok in ["t", "db.t", "DB_1.Table_2", "_x", "2026.x", &longest] {
        assert!(Table::parse(ok).is_ok(), "{ok}");
    }
    let too_long = "n".repeat(256);
    assert!(Table::parse(&too_long).is_err());
    assert!(Table::parse(&format!("db.{too_long}")).is_err());
    for bad in [
        "",
        ".",
        "db.",
        ".t",
        "a.b.c",
        "db.t;DROP TABLE x",
        "db.t'--",
        "db.\"t\"",
        "db.`t`",
        "d b.t",
        "db-1.t",
        "tablé",
        "db.t\n",
    ] {
        assert_eq!(
            Table::parse(bad),
            Err(QueryError::NotATable(bad.to_string())),
            "{bad:?}"
        );
    }
}

#[test]
fn names_are_quoted_for_the_language_they_land_in() {
    let t = Table::parse("db_1.findings").unwrap();
    assert_eq!(t.in_query(), "\"db_1\".\"findings\"");
    assert_eq!(t.in_ddl(), "`db_1`.`findings`");
    assert_eq!(Table::parse("findings").unwrap().in_query(), "\"findings\"");
    assert_eq!(identifier("a\"b", '"'), "\"a\"\"b\"");
    assert_eq!(identifier("a`b", '`'), "`a``b`");
}

#[test]
fn s3_folders_are_bucket_and_prefix_of_safe_characters() {
    for ok in [
        "s3://my-bucket/ecs16/",
        "s3://my.bucket.2/a/b/c/",
        "s3://abc/dt=2026-07-01/run_1/",
    ] {
        assert_eq!(S3Folder::parse(ok).unwrap().as_str(), ok);
    }
    for bad in [
        "",
        "s3://",
        "s3://bucket",
        "s3://bucket/",
        "s3://bucket/prefix",
        "S3://bucket/prefix/",
        "https://bucket/prefix/",
        "s3://ab/prefix/",
        "s3://Bucket/prefix/",
        "s3://-bucket/prefix/",
        "s3://bucket-/prefix/",
        "s3://bucket/a//b/",
        "s3://bucket/../",
        "s3://bucket/./x/",
        "s3://bucket/it's/",
        "s3://bucket/x') TO 's3://evil/'--/",
        "s3://bucket/with space/",
        "s3://bucket/quote\"/",
        "s3://bucket/back\\slash/",
        "s3://bucket/new\nline/",
        "s3://bucket/ünïcode/",
    ] {
        assert_eq!(
            S3Folder::parse(bad),
            Err(QueryError::NotAnS3Folder(bad.to_string())),
            "{bad:?}"
        );
    }
}

#[test]
fn a_literal_doubles_every_single_quote() {
    assert_eq!(literal(""), "''");
    assert_eq!(literal("ECS.16"), "'ECS.16'");
    assert_eq!(literal("it's"), "'it''s'");
    assert_eq!(literal("'; DROP TABLE t; --"), "'''; DROP TABLE t; --'");
}

#[test]
fn the_firehose_prefixes_reach_an_hour_before_and_a_day_after() {
    let w = Window::of(&q3()).unwrap();
    assert_eq!(
        firehose::prefixes(&w),
        ("2026/06/30/23".to_string(), "2026/10/01/23".to_string())
    );
    let one_day = Period::range(
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    )
    .unwrap();
    let w = Window::of(&one_day).unwrap();
    assert_eq!(
        firehose::prefixes(&w),
        ("2025/12/31/23".to_string(), "2026/01/02/23".to_string())
    );
}

#[test]
fn the_firehose_select_filters_on_control_stamp_and_prefix() {
    let sql = query(Source::Firehose, None);
    assert!(sql.starts_with("SELECT line\nFROM (\n"), "{sql}");
    assert!(sql.contains("FROM \"security\".\"findings\"\n"), "{sql}");
    assert!(
        sql.contains("WHERE dt BETWEEN '2026/06/30/23' AND '2026/10/01/23'"),
        "{sql}"
    );
    assert!(sql.contains("WHERE control_id = 'ECS.16'"), "{sql}");
    assert!(
        sql.contains("stamped_at >= from_iso8601_timestamp('2026-07-01T00:00:00Z')"),
        "{sql}"
    );
    assert!(
        sql.contains("stamped_at < from_iso8601_timestamp('2026-10-01T00:00:00Z')"),
        "{sql}"
    );
    // Dated by service-stamped times only.
    for path in ["$.time", "$.ProcessedAt", "$.time_dt"] {
        assert!(sql.contains(&format!("'{path}'")), "{path}");
    }
    assert!(!sql.contains("UpdatedAt"), "{sql}");
    // The control id as the tool reads it, for events and bare findings.
    for path in [
        "$.detail.findings[0].Compliance.SecurityControlId",
        "$.detail.findings[0].GeneratorId",
        "$.detail.findings[0].ProductFields.ControlId",
        "$.Compliance.SecurityControlId",
        "$.GeneratorId",
        "$.ProductFields.ControlId",
    ] {
        assert!(sql.contains(&format!("'{path}'")), "{path}");
    }
    let security = sql.find("'$.Compliance.SecurityControlId'").unwrap();
    let generator = sql.find("'$.GeneratorId'").unwrap();
    let product = sql.find("'$.ProductFields.ControlId'").unwrap();
    assert!(
        security < generator && generator < product,
        "the tool's order"
    );
}

#[test]
fn the_security_lake_select_reads_what_the_ocsf_reader_needs() {
    let sql = query(Source::SecurityLake, None);
    assert!(
        sql.contains("WHERE compliance.control = 'ECS.16'\n"),
        "{sql}"
    );
    assert!(
        sql.contains("AND time_dt >= TIMESTAMP '2026-07-01 00:00:00'\n"),
        "{sql}"
    );
    assert!(
        sql.contains("AND time_dt < TIMESTAMP '2026-10-01 00:00:00'\n"),
        "{sql}"
    );
    let (selected, _) = sql.split_once("\nFROM ").unwrap();
    let names: Vec<&str> = selected
        .lines()
        .map(|l| l.trim().trim_end_matches(','))
        .map(|l| l.strip_prefix(") AS ").unwrap_or(l))
        .collect();
    for column in [
        "class_uid",
        "activity_id",
        "status_id",
        "status",
        "comment",
        "severity",
        "time",
        "finding_info",
        "compliance",
        "cloud",
        "resources",
    ] {
        assert!(names.contains(&column), "{column}: {names:?}");
    }
    // No zone-less timestamp reaches the JSON the reader reads.
    assert!(!selected.contains("_dt"), "{selected}");
}

#[test]
fn unload_wraps_the_select_and_names_the_format_each_source_needs() {
    let select = query(Source::Firehose, None);
    let sql = query(Source::Firehose, Some("s3://results-bucket/ecs16/2026-q3/"));
    assert!(sql.starts_with("UNLOAD (\n  SELECT line\n"), "{sql}");
    assert!(sql.ends_with(
        ")\nTO 's3://results-bucket/ecs16/2026-q3/'\nWITH (format = 'TEXTFILE', compression = 'GZIP')\n"
    ));
    let inner: String = select.lines().map(|l| format!("  {l}\n")).collect();
    assert!(sql.contains(&inner), "the SELECT unchanged inside");
    let sql = query(Source::SecurityLake, Some("s3://results-bucket/x/"));
    assert!(sql.ends_with("WITH (format = 'JSON', compression = 'GZIP')\n"));
}

#[test]
fn the_ddl_projects_the_firehose_prefix_and_reads_text() {
    let sql = ddl(Source::Firehose, &Table::parse("db.raw").unwrap());
    assert!(sql.starts_with("CREATE EXTERNAL TABLE IF NOT EXISTS `db`.`raw` (\n  `line` string\n)\nPARTITIONED BY (\n  `dt` string\n)\n"));
    assert!(sql.contains("STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'"));
    assert!(sql.contains("'projection.dt.format' = 'yyyy/MM/dd/HH'"));
    assert!(sql.contains("'projection.dt.range' = '2018/01/01/00,NOW'"));
    assert!(sql.contains(
        "'storage.location.template' = 's3://REPLACE-WITH-BUCKET/REPLACE-WITH-PREFIX/${dt}/'"
    ));
    let sql = ddl(Source::SecurityLake, &Table::parse("db.sh").unwrap());
    assert!(sql.starts_with("CREATE EXTERNAL TABLE IF NOT EXISTS `db`.`sh` (\n"));
    assert!(sql.contains("STORED AS PARQUET\n"));
}

#[test]
fn a_period_outside_the_evidence_years_is_refused() {
    for (first, last) in [
        ((2014, 12, 1), (2015, 1, 31)),
        ((2099, 12, 1), (2100, 1, 1)),
    ] {
        let d = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let p = Period::range(d(first), d(last)).unwrap();
        assert_eq!(
            Window::of(&p),
            Err(QueryError::OutsideEvidenceYears {
                label: p.label.clone()
            })
        );
    }
    let message = QueryError::OutsideEvidenceYears {
        label: "1999-Q1".into(),
    }
    .to_string();
    assert_eq!(
        message,
        "period 1999-Q1 falls outside 2015-2099: no Security Hub evidence is dated there"
    );
}

#[test]
fn the_config_query_names_both_types_and_every_field_the_reader_reads() {
    assert_eq!(
        config_query(),
        "SELECT accountId, awsRegion, arn, resourceId, resourceType, configurationItemCaptureTime, \
         configurationItemStatus, configuration WHERE resourceType IN ('AWS::ECS::TaskSet', \
         'AWS::ECS::Service')\n"
    );
    // The advanced-query dialect has no FROM and no AS, and the API takes at most 4096 characters.
    let q = config_query();
    assert!(!q.contains(" FROM ") && !q.contains(" AS "));
    assert!(q.len() < 4096);
}

proptest::proptest! {
    /// Whatever the text, a literal holds it exactly and nothing outside the outer quotes: inside, single
    /// quotes come only in pairs, and undoing the pairs gives the text back.
    #[test]
    fn a_literal_always_holds_its_text_and_nothing_more(text in ".*") {
        let sql = literal(&text);
        let inner = &sql[1..sql.len() - 1];
        proptest::prop_assert!(sql.starts_with('\'') && sql.ends_with('\''));
        proptest::prop_assert!(!inner.replace("''", "").contains('\''));
        proptest::prop_assert_eq!(inner.replace("''", "'"), text);
    }

    /// A name or folder accepted holds none of the characters that could end a quoted value or a
    /// statement, whatever was tried.
    #[test]
    fn accepted_names_and_folders_hold_only_safe_characters(text in "[a-z0-9_./:'\"`;= -]{0,24}") {
        let unsafe_char = |c: char| "'\"`; \\\n".contains(c);
        if Table::parse(&text).is_ok() {
            proptest::prop_assert!(text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.'));
        }
        let folder = format!("s3://bucket/{text}");
        if let Ok(f) = S3Folder::parse(&folder) {
            proptest::prop_assert!(!f.as_str().chars().any(unsafe_char));
        }
    }
}
