//! Timestamps as the inputs carry them, turned into UTC.
//!
//! ASFF times are RFC 3339 strings (`Z` or `±HH:MM`, sometimes `±HHMM`, up to nine fractional digits).
//! ECS dumps printed by AWS CLI v1 carry epoch seconds as JSON numbers (`1557207715.195`); CLI v2 prints
//! ISO 8601 in the local offset of the machine that ran it (`2025-10-30T12:48:03.551000-04:00`).
//! Everything is normalised to `DateTime<Utc>` here so no later stage sees an offset.

use chrono::{DateTime, FixedOffset, NaiveDateTime, SecondsFormat, TimeZone, Utc};
use serde_json::Value;

/// Why a value is not a point in time.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TimeError {
    #[error("timestamp {0} is not a number of seconds")]
    NotSeconds(String),
    #[error("expected a timestamp (string or epoch seconds), found {0}")]
    NotATimestamp(&'static str),
    #[error("timestamp {0:?} has no UTC offset")]
    NoOffset(String),
    #[error("timestamp {0:?} is not RFC 3339 / ISO 8601")]
    NotRfc3339(String),
    #[error("timestamp {0} is not a finite number of seconds")]
    NotFinite(f64),
    #[error("timestamp {0} is out of range")]
    OutOfRange(f64),
    #[error("timestamp {0} is before 2015 or after 2099, outside any evidence this tool reads")]
    OutsideEvidenceYears(String),
}

/// The years evidence of this kind can carry: Security Hub and AWS Config post-date 2015, and a date past
/// 2099 is not a real one. A time outside them is a problem of its record and never dates anything (one
/// forged `9999-12-31` must not move the assessment period).
pub const EVIDENCE_YEARS: std::ops::RangeInclusive<i32> = 2015..=2099;

/// The time, when it falls in [`EVIDENCE_YEARS`].
pub fn within_evidence_years(t: DateTime<Utc>) -> Result<DateTime<Utc>, TimeError> {
    use chrono::Datelike;
    if EVIDENCE_YEARS.contains(&t.year()) {
        Ok(t)
    } else {
        Err(TimeError::OutsideEvidenceYears(format(&t)))
    }
}

/// Parses a timestamp given as a JSON value: a string (RFC 3339 / ISO 8601) or a number of epoch seconds.
pub fn parse_value(value: &Value) -> Result<DateTime<Utc>, TimeError> {
    match value {
        Value::String(s) => parse_str(s),
        Value::Number(n) => {
            let secs = n
                .as_f64()
                .ok_or_else(|| TimeError::NotSeconds(n.to_string()))?;
            from_epoch_seconds(secs)
        }
        other => Err(TimeError::NotATimestamp(crate::json::kind(other))),
    }
}

/// Parses an RFC 3339 / ISO 8601 timestamp with an offset (or `Z`) into UTC.
pub fn parse_str(text: &str) -> Result<DateTime<Utc>, TimeError> {
    let s = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    // `±HHMM` offsets (no colon) are accepted by Security Hub filters and seen in hand-made exports.
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%.f%z"] {
        if let Ok(t) = DateTime::<FixedOffset>::parse_from_str(s, fmt) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    // A timestamp without any offset is ambiguous; refuse rather than guess the machine's zone.
    if NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok() {
        return Err(TimeError::NoOffset(text.to_string()));
    }
    Err(TimeError::NotRfc3339(text.to_string()))
}

/// Epoch seconds (with fractions, as AWS CLI v1 prints them) to UTC, kept to the microsecond.
pub fn from_epoch_seconds(secs: f64) -> Result<DateTime<Utc>, TimeError> {
    if !secs.is_finite() {
        return Err(TimeError::NotFinite(secs));
    }
    let micros = (secs * 1_000_000.0).round();
    if micros.abs() > 253_402_300_799_000_000.0 {
        return Err(TimeError::OutOfRange(secs));
    }
    Utc.timestamp_micros(micros as i64)
        .single()
        .ok_or(TimeError::OutOfRange(secs))
}

/// The one textual form used in every output: RFC 3339 in UTC with `Z`, as many fractional digits as needed.
pub fn format(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Same as [`format`] for an optional time; empty text when absent (CSV cells, report cells).
pub fn format_opt(t: &Option<DateTime<Utc>>) -> String {
    t.as_ref().map(format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rfc3339_with_z_and_millis() {
        let t = parse_str("2026-09-14T08:30:00.123Z").unwrap();
        assert_eq!(format(&t), "2026-09-14T08:30:00.123Z");
    }

    #[test]
    fn cli_v2_local_offsets_become_utc() {
        let t = parse_str("2025-10-30T12:48:03.551000-04:00").unwrap();
        assert_eq!(format(&t), "2025-10-30T16:48:03.551Z");
        let t = parse_str("2025-09-02T14:05:11+02:00").unwrap();
        assert_eq!(format(&t), "2025-09-02T12:05:11Z");
    }

    #[test]
    fn offset_without_colon_and_nine_digits() {
        let t = parse_str("2026-01-01T00:00:00.123456789+0530").unwrap();
        assert_eq!(format(&t), "2025-12-31T18:30:00.123456789Z");
    }

    #[test]
    fn cli_v1_epoch_numbers() {
        let t = parse_value(&json!(1557207715.195)).unwrap();
        assert_eq!(format(&t), "2019-05-07T05:41:55.195Z");
        let t = parse_value(&json!(1557207715)).unwrap();
        assert_eq!(format(&t), "2019-05-07T05:41:55Z");
    }

    #[test]
    fn refuses_what_it_cannot_place_in_time() {
        assert!(parse_str("2026-09-14T08:30:00")
            .unwrap_err()
            .to_string()
            .contains("no UTC offset"));
        assert!(parse_str("yesterday").is_err());
        assert!(parse_value(&json!(true)).is_err());
        assert!(parse_value(&json!(1e300)).is_err());
    }
}
