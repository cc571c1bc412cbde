//! Partial dates: a year, a month or a day, each knowing the interval it covers.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date known to the precision of a year, a month or a day.
///
/// Ordering is by the start of the covered interval; at equal starts the
/// less precise date sorts first (`2023` < `2023-01` < `2023-01-01`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    year: i32,
    month: Option<u8>,
    day: Option<u8>,
}

/// How precisely a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

impl PartialDate {
    pub fn year(year: i32) -> Result<Self, DateError> {
        Self::new(year, None, None)
    }

    pub fn month(year: i32, month: u8) -> Result<Self, DateError> {
        Self::new(year, Some(month), None)
    }

    pub fn day(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        Self::new(year, Some(month), Some(day))
    }

    pub fn new(year: i32, month: Option<u8>, day: Option<u8>) -> Result<Self, DateError> {
        if !(1..=9999).contains(&year) {
            return Err(DateError(format!("year {year} is out of range 1-9999")));
        }
        if let Some(m) = month {
            if !(1..=12).contains(&m) {
                return Err(DateError(format!("month {m} is not between 1 and 12")));
            }
        }
        match (month, day) {
            (None, Some(_)) => return Err(DateError("a day needs a month".into())),
            (Some(m), Some(d)) => {
                let max = days_in_month(year, m);
                if d == 0 || d > max {
                    return Err(DateError(format!(
                        "day {d} does not exist in {year:04}-{m:02} (it has {max} days)"
                    )));
                }
            }
            _ => {}
        }
        Ok(PartialDate { year, month, day })
    }

    /// The date of a day count since 1970-01-01, at day precision.
    pub fn from_days(days: i64) -> Self {
        let (y, m, d) = civil_from_days(days);
        PartialDate {
            year: y,
            month: Some(m),
            day: Some(d),
        }
    }

    pub fn get_year(&self) -> i32 {
        self.year
    }

    pub fn get_month(&self) -> Option<u8> {
        self.month
    }

    pub fn get_day(&self) -> Option<u8> {
        self.day
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The same date cut down to at most `p` precision.
    #[must_use]
    pub fn truncate(&self, p: Precision) -> Self {
        match p {
            Precision::Year => PartialDate {
                year: self.year,
                month: None,
                day: None,
            },
            Precision::Month => PartialDate {
                year: self.year,
                month: self.month,
                day: None,
            },
            Precision::Day => *self,
        }
    }

    /// First day covered, as days since 1970-01-01.
    pub fn start_days(&self) -> i64 {
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// Last day covered (inclusive), as days since 1970-01-01.
    pub fn end_days(&self) -> i64 {
        match (self.month, self.day) {
            (None, _) => days_from_civil(self.year, 12, 31),
            (Some(m), None) => days_from_civil(self.year, m, days_in_month(self.year, m)),
            (Some(m), Some(d)) => days_from_civil(self.year, m, d),
        }
    }

    /// The inclusive interval of days covered.
    pub fn interval(&self) -> (i64, i64) {
        (self.start_days(), self.end_days())
    }

    /// Whether this date's interval and `[start, end]` share a day.
    pub fn overlaps(&self, start: i64, end: i64) -> bool {
        let (s, e) = self.interval();
        s <= end && start <= e
    }

    /// Whether `other` lies wholly inside this date's interval.
    pub fn contains(&self, other: &PartialDate) -> bool {
        let (s, e) = self.interval();
        let (os, oe) = other.interval();
        s <= os && oe <= e
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || {
            DateError(format!(
                "'{t}' is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        };
        let parts: Vec<&str> = t.split('-').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(bad());
        }
        let num = |p: &str, len: usize| -> Result<u32, DateError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<u32>().map_err(|_| bad())
        };
        let year = num(parts[0], 4)? as i32;
        let month = match parts.get(1) {
            Some(p) => Some(num(p, 2)? as u8),
            None => None,
        };
        let day = match parts.get(2) {
            Some(p) => Some(num(p, 2)? as u8),
            None => None,
        };
        PartialDate::new(year, month, day).map_err(|e| DateError(format!("'{t}': {e}")))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.month, self.day) {
            (None, _) => write!(f, "{:04}", self.year),
            (Some(m), None) => write!(f, "{:04}-{:02}", self.year, m),
            (Some(m), Some(d)) => write!(f, "{:04}-{:02}-{:02}", self.year, m, d),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Today's date in UTC, or the date in `FOLIO_TODAY` (YYYY-MM-DD) for reproducible tests.
pub fn today() -> PartialDate {
    if let Some(s) = &crate::hooks::hooks().today {
        if let Ok(d) = s.parse::<PartialDate>() {
            if d.precision() == Precision::Day {
                return d;
            }
        }
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    PartialDate::from_days(secs.div_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().expect("valid date")
    }

    #[test]
    fn parses_and_prints_three_precisions() {
        for s in ["2023", "2023-06", "2023-06-01", "0999-01-31"] {
            assert_eq!(d(s).to_string(), s);
        }
        assert_eq!(d("2023").precision(), Precision::Year);
        assert_eq!(d("2023-06").precision(), Precision::Month);
        assert_eq!(d("2023-06-01").precision(), Precision::Day);
    }

    #[test]
    fn refuses_malformed_dates() {
        for s in [
            "",
            "23",
            "2023-6",
            "2023-13",
            "2023-00",
            "2023-02-29",
            "2024-02-30",
            "2023-06-01-02",
            "abcd",
            "2023/06",
            "2023-06-1",
            "0000",
            "+202-01",
        ] {
            assert!(s.parse::<PartialDate>().is_err(), "{s:?} should be refused");
        }
        assert!("2024-02-29".parse::<PartialDate>().is_ok());
        let e = "2021-13"
            .parse::<PartialDate>()
            .expect_err("an error")
            .to_string();
        assert!(e.contains("2021-13") && e.contains("month 13"), "{e}");
    }

    #[test]
    fn orders_by_start_then_precision() {
        let mut v = [
            d("2023-06-01"),
            d("2022"),
            d("2023"),
            d("2023-06"),
            d("2023-01-01"),
        ];
        v.sort();
        let s: Vec<String> = v.iter().map(std::string::ToString::to_string).collect();
        assert_eq!(s, ["2022", "2023", "2023-01-01", "2023-06", "2023-06-01"]);
    }

    #[test]
    fn intervals_cover_the_right_days() {
        let y = d("2024");
        assert_eq!(y.end_days() - y.start_days(), 365); // leap year: 366 days
        let m = d("2023-02");
        assert_eq!(m.end_days() - m.start_days(), 27);
        assert_eq!(d("1970-01-01").start_days(), 0);
        assert!(d("2023").contains(&d("2023-06-15")));
        assert!(!d("2023-06").contains(&d("2023")));
        assert!(d("2023-06").overlaps(d("2023").start_days(), d("2023").end_days()));
        assert!(!d("2023-06").overlaps(d("2023-07").start_days(), d("2023-07").end_days()));
    }

    #[test]
    fn civil_round_trip() {
        for days in [-1_000_000, -1, 0, 1, 19_000, 20_000, 2_000_000] {
            let (y, m, dd) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, dd), days);
        }
    }

    #[test]
    fn serde_as_string() {
        let v: PartialDate = serde_json::from_str("\"2023-06\"").expect("parse");
        assert_eq!(serde_json::to_string(&v).expect("ser"), "\"2023-06\"");
        assert!(serde_json::from_str::<PartialDate>("\"2023-6\"").is_err());
    }
}
