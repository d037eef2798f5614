//! The assessment period: a calendar quarter (`2026-Q3`), an explicit `--from`/`--to`, or by default the quarter
//! that contains `as_of`. Evidence last observed before the period starts is stale for that period.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::Serialize;

/// Why a period cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PeriodError {
    #[error("period {0:?} is not a quarter like 2026-Q3")]
    NotAQuarter(String),
    #[error("period {text:?}: {year:?} is not a year")]
    NotAYear { text: String, year: String },
    #[error("period {0:?}: quarter must be 1 to 4")]
    NoSuchQuarter(String),
    #[error("--to {last_day} is before --from {first_day}")]
    Backwards {
        first_day: NaiveDate,
        last_day: NaiveDate,
    },
}

/// A closed interval of whole UTC days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// `2026-Q3`, or `2026-07-01..2026-09-30` for an explicit range.
    pub label: String,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
}

/// Where a moment falls relative to the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Placement {
    Before,
    Inside,
    After,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Before => "before",
            Placement::Inside => "inside",
            Placement::After => "after",
        }
    }
}

fn quarter_of(date: NaiveDate) -> (i32, u32) {
    (date.year(), (date.month() - 1) / 3 + 1)
}

fn quarter(year: i32, q: u32) -> Option<Period> {
    if !(1..=4).contains(&q) {
        return None;
    }
    let first_day = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1)?;
    let next = if q == 4 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, q * 3 + 1, 1)?
    };
    Some(Period {
        label: format!("{year}-Q{q}"),
        first_day,
        last_day: next.pred_opt()?,
    })
}

impl Period {
    /// Parses `2026-Q3` (also `2026Q3`, case-insensitive).
    pub fn parse_quarter(text: &str) -> Result<Period, PeriodError> {
        let t = text.trim().to_ascii_uppercase();
        let (year, q) = t
            .split_once("-Q")
            .or_else(|| t.split_once('Q'))
            .ok_or_else(|| PeriodError::NotAQuarter(text.to_string()))?;
        let year_number: i32 = year.parse().map_err(|_| PeriodError::NotAYear {
            text: text.to_string(),
            year: year.to_string(),
        })?;
        let q: u32 = q
            .parse()
            .map_err(|_| PeriodError::NoSuchQuarter(text.to_string()))?;
        quarter(year_number, q).ok_or_else(|| PeriodError::NoSuchQuarter(text.to_string()))
    }

    /// An explicit range of days, both included.
    pub fn range(first_day: NaiveDate, last_day: NaiveDate) -> Result<Period, PeriodError> {
        if last_day < first_day {
            return Err(PeriodError::Backwards {
                first_day,
                last_day,
            });
        }
        Ok(Period {
            label: format!("{first_day}..{last_day}"),
            first_day,
            last_day,
        })
    }

    /// The calendar quarter containing a moment. The quarter of the last representable date has no day
    /// after it; it then ends on that date.
    pub fn quarter_containing(t: &DateTime<Utc>) -> Period {
        let day = t.date_naive();
        let (year, q) = quarter_of(day);
        quarter(year, q).unwrap_or(Period {
            label: format!("{year}-Q{q}"),
            first_day: day,
            last_day: day,
        })
    }

    /// The first instant of the period.
    pub fn start(&self) -> DateTime<Utc> {
        Utc.from_utc_datetime(&self.first_day.and_time(chrono::NaiveTime::MIN))
    }

    /// The first instant after the period.
    pub fn end_exclusive(&self) -> DateTime<Utc> {
        let next = self.last_day.succ_opt().unwrap_or(self.last_day);
        Utc.from_utc_datetime(&next.and_time(chrono::NaiveTime::MIN))
    }

    pub fn place(&self, t: &DateTime<Utc>) -> Placement {
        if *t < self.start() {
            Placement::Before
        } else if *t < self.end_exclusive() {
            Placement::Inside
        } else {
            Placement::After
        }
    }

    /// Whole days of the period (both ends included).
    pub fn days(&self) -> i64 {
        (self.last_day - self.first_day).num_days() + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters() {
        let p = Period::parse_quarter("2026-Q3").unwrap();
        assert_eq!(
            (p.first_day.to_string(), p.last_day.to_string()),
            ("2026-07-01".into(), "2026-09-30".into())
        );
        let p = Period::parse_quarter("2026q4").unwrap();
        assert_eq!(p.last_day.to_string(), "2026-12-31");
        assert_eq!(p.days(), 92);
        assert!(Period::parse_quarter("2026-Q5").is_err());
        assert!(Period::parse_quarter("Q3").is_err());
    }

    #[test]
    fn default_is_the_quarter_of_as_of() {
        let t = crate::time::parse_str("2026-09-30T23:59:59Z").unwrap();
        assert_eq!(Period::quarter_containing(&t).label, "2026-Q3");
        let t = crate::time::parse_str("2026-10-01T00:00:00Z").unwrap();
        assert_eq!(Period::quarter_containing(&t).label, "2026-Q4");
    }

    #[test]
    fn placement_is_by_whole_utc_days() {
        let p = Period::parse_quarter("2026-Q3").unwrap();
        let at = |s: &str| p.place(&crate::time::parse_str(s).unwrap());
        assert_eq!(at("2026-06-30T23:59:59.999Z"), Placement::Before);
        assert_eq!(at("2026-07-01T00:00:00Z"), Placement::Inside);
        assert_eq!(at("2026-09-30T23:59:59.999Z"), Placement::Inside);
        assert_eq!(at("2026-10-01T00:00:00Z"), Placement::After);
        assert!(Period::range(p.last_day, p.first_day).is_err());
    }
}
