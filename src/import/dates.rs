//! Reading dates written the way people and feeds write them.

use crate::corpus::PartialDate;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month number of a month name or abbreviation ("Jan", "Jan.", "Sept", "January").
pub fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as u8 + 1)
}

fn tokens(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || c == ',' || c == '/')
        .filter(|t| !t.is_empty())
        .map(std::string::ToString::to_string)
        .collect()
}

fn year_of(t: &str) -> Option<i32> {
    let t = t.trim_end_matches(['.', ')']);
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok().filter(|y| (1900..=2100).contains(y))
    } else {
        None
    }
}

fn day_of(t: &str) -> Option<u8> {
    let t = t
        .trim_end_matches(['.', ','])
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    if (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok().filter(|d| (1..=31).contains(d))
    } else {
        None
    }
}

/// Parse a whole date statement: ISO (`2024-01-20`, `2024-01-20T10:30:00Z`), RFC 2822
/// (`Mon, 02 Jan 2006 15:04:05 GMT`), `January 20, 2024, 10:30 AM`, `Dec 29, 2025`,
/// `20 January 2024`, `January 2024`. Returns `None` for anything else.
pub fn parse_date_statement(s: &str) -> Option<PartialDate> {
    let s = s.trim();
    // ISO 8601 prefix
    let b = s.as_bytes();
    if b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit) {
        let iso: String = s
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        let iso = iso.trim_end_matches('-');
        if let Ok(d) = iso.parse::<PartialDate>() {
            return Some(d);
        }
    }
    let toks = tokens(s);
    let mut i = 0;
    while i < toks.len() {
        if let Some(m) = month_number(&toks[i]) {
            // Month D, YYYY
            if let (Some(d), Some(y)) = (
                toks.get(i + 1).and_then(|t| day_of(t)),
                toks.get(i + 2).and_then(|t| year_of(t)),
            ) {
                return PartialDate::day(y, m, d).ok();
            }
            // D Month YYYY
            if let (Some(d), Some(y)) = (
                i.checked_sub(1).and_then(|j| day_of(&toks[j])),
                toks.get(i + 1).and_then(|t| year_of(t)),
            ) {
                return PartialDate::day(y, m, d).ok();
            }
            // Month YYYY
            if let Some(y) = toks.get(i + 1).and_then(|t| year_of(t)) {
                return PartialDate::month(y, m).ok();
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<String> {
        parse_date_statement(s).map(|d| d.to_string())
    }

    #[test]
    fn reads_common_forms() {
        assert_eq!(
            p("January 20, 2024, 10:30 AM").as_deref(),
            Some("2024-01-20")
        );
        assert_eq!(p("Dec 29, 2025").as_deref(), Some("2025-12-29"));
        assert_eq!(p("Nov 03, 2023").as_deref(), Some("2023-11-03"));
        assert_eq!(p("Sept. 24, 2021").as_deref(), Some("2021-09-24"));
        assert_eq!(
            p("Mon, 02 Jan 2006 15:04:05 GMT").as_deref(),
            Some("2006-01-02")
        );
        assert_eq!(p("2024-01-20T10:30:00Z").as_deref(), Some("2024-01-20"));
        assert_eq!(p("2023-06").as_deref(), Some("2023-06"));
        assert_eq!(p("March 2022").as_deref(), Some("2022-03"));
        assert_eq!(p("Feb 30, 2023"), None);
        assert_eq!(p("news"), None);
        assert_eq!(p(""), None);
    }
}
