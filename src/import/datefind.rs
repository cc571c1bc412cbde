//! Finding date mentions in running text: full dates, months with years, month-day mentions
//! without a year, "the week of Dec. 29 to Jan. 4", weekdays and bare years.

use super::dates::month_number;
use crate::corpus::PartialDate;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mention {
    /// A full date, or a month with its year.
    Date(PartialDate),
    /// A month and day with no year.
    MonthDay(u8, u8),
    /// A month with no year ("in March").
    Month(u8),
    /// "the week of <start> to <end>": the end's month and day.
    WeekEnding(u8, u8),
    /// A bare year, and whether it looks forward ("by 2025", "until 2028").
    Year(i32, bool),
    /// "on Tuesday".
    Weekday,
}

fn clean(t: &str) -> &str {
    t.trim_matches(|c: char| !c.is_alphanumeric())
}

fn year_of(t: &str) -> Option<i32> {
    let t = clean(t);
    if t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok().filter(|y| (1990..=2039).contains(y))
    } else {
        None
    }
}

fn day_of(t: &str) -> Option<u8> {
    let t = clean(t);
    let t = t
        .strip_suffix("st")
        .or_else(|| t.strip_suffix("nd"))
        .or_else(|| t.strip_suffix("rd"))
        .or_else(|| t.strip_suffix("th"))
        .unwrap_or(t);
    if (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok().filter(|d| (1..=31).contains(d))
    } else {
        None
    }
}

/// Words before a year that make it a target or deadline rather than the time of writing.
const FORWARD: &[&str] = &[
    "by",
    "until",
    "till",
    "through",
    "before",
    "late",
    "mid-to-late",
    "end",
];
/// Words shortly before a year that make it a goal or forecast.
const FUTURE_CUES: &[&str] = &[
    "goal",
    "goals",
    "target",
    "targets",
    "aim",
    "aims",
    "plan",
    "plans",
    "expected",
    "expects",
    "will",
    "forecast",
    "forecasts",
    "projected",
    "predicts",
    "slated",
    "scheduled",
    "hopes",
    "could",
    "would",
    "should",
    "outlook",
    "recovery",
];
pub(crate) const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// A month word that is really a month here: "May" and "March" are also ordinary words, so
/// they count only beside a day or year.
fn month_word(t: &str) -> Option<u8> {
    let c = clean(t);
    if c.is_empty() || !c.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    let dotted = t.trim_end_matches([',', ';', ')']).ends_with('.');
    let c_low = c.to_ascii_lowercase();
    // Abbreviations only with their dot or as a known short form (Sept, Dec).
    if c.len() <= 4 && !dotted && !matches!(c_low.as_str(), "may" | "june" | "july" | "sept") {
        return None;
    }
    month_number(c)
}

/// Every date mention in `text`, in order.
pub fn mentions(text: &str) -> Vec<Mention> {
    let toks: Vec<&str> = text.split_whitespace().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        let low = clean(t).to_ascii_lowercase();
        // the week of Dec. 29 to Jan. 4 / week of June 2 to June 8
        if low == "week"
            && toks
                .get(i + 1)
                .is_some_and(|n| clean(n).eq_ignore_ascii_case("of"))
        {
            if let (Some(_m1), Some(_d1)) = (
                toks.get(i + 2).and_then(|x| month_word(x)),
                toks.get(i + 3).and_then(|x| day_of(x)),
            ) {
                if toks.get(i + 4).is_some_and(|x| {
                    matches!(
                        clean(x).to_ascii_lowercase().as_str(),
                        "to" | "through" | "and"
                    )
                }) {
                    let (m2, d2, skip) = match (
                        toks.get(i + 5).and_then(|x| month_word(x)),
                        toks.get(i + 6).and_then(|x| day_of(x)),
                    ) {
                        (Some(m2), Some(d2)) => (Some(m2), Some(d2), 7),
                        _ => (
                            toks.get(i + 2).and_then(|x| month_word(x)),
                            toks.get(i + 5).and_then(|x| day_of(x)),
                            6,
                        ),
                    };
                    if let (Some(m2), Some(d2)) = (m2, d2) {
                        out.push(Mention::WeekEnding(m2, d2));
                        // "... to Nov. 30, 2021": the week's end with its year.
                        let last = toks.get(i + skip - 1).copied().unwrap_or("");
                        let year = if last.ends_with(',') {
                            toks.get(i + skip).and_then(|x| year_of(x))
                        } else {
                            None
                        };
                        if let Some(date) = year.and_then(|y| PartialDate::day(y, m2, d2).ok()) {
                            out.push(Mention::Date(date));
                            i += 1;
                        }
                        i += skip;
                        continue;
                    }
                }
            }
        }
        if let Some(m) = month_word(t) {
            // "Jan. 31-Feb. 6" and "June 2-8": a range; its end is what counts.
            if let Some(next) = toks.get(i + 1) {
                if let Some((a, b)) = clean(next).split_once(['-', '–']) {
                    if day_of(a).is_some() {
                        if let Some(d2) = day_of(b) {
                            out.push(Mention::WeekEnding(m, d2));
                            i += 2;
                            continue;
                        }
                        if let (Some(m2), Some(d2)) = (
                            month_word(&format!("{b}.")),
                            toks.get(i + 2).and_then(|x| day_of(x)),
                        ) {
                            out.push(Mention::WeekEnding(m2, d2));
                            i += 3;
                            continue;
                        }
                    }
                }
            }
            let day = toks.get(i + 1).and_then(|x| day_of(x));
            if let Some(d) = day {
                let after_day = toks[i + 1];
                let year = if after_day.ends_with(',') || !after_day.ends_with(['.', ';', ':']) {
                    toks.get(i + 2).and_then(|x| year_of(x))
                } else {
                    None
                };
                if let Some(date) = year.and_then(|y| PartialDate::day(y, m, d).ok()) {
                    out.push(Mention::Date(date));
                    i += 3;
                } else {
                    out.push(Mention::MonthDay(m, d));
                    i += 2;
                }
                continue;
            }
            if let Some(y) = toks.get(i + 1).and_then(|x| year_of(x)) {
                if let Ok(date) = PartialDate::month(y, m) {
                    out.push(Mention::Date(date));
                    i += 2;
                    continue;
                }
            }
            // "20 January 2024"
            if let (Some(d), Some(y)) = (
                i.checked_sub(1).and_then(|j| day_of(toks[j])),
                toks.get(i + 1).and_then(|x| year_of(x)),
            ) {
                if let Ok(date) = PartialDate::day(y, m, d) {
                    out.push(Mention::Date(date));
                    i += 2;
                    continue;
                }
            }
            let lower = clean(t).to_ascii_lowercase();
            if lower != "may" && lower != "march" {
                out.push(Mention::Month(m));
            }
        } else if let Some(y) = year_of(t) {
            // A bare year; not a number in a sum ("2,000") or an id.
            let prev = i
                .checked_sub(1)
                .map(|j| clean(toks[j]).to_ascii_lowercase())
                .unwrap_or_default();
            let last_part = prev
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            let cue = toks[i.saturating_sub(6)..i]
                .iter()
                .any(|w| FUTURE_CUES.contains(&clean(w).to_ascii_lowercase().as_str()));
            let forward = FORWARD.contains(&prev.as_str()) || FORWARD.contains(&last_part) || cue;
            out.push(Mention::Year(y, forward));
        } else if WEEKDAYS.contains(&low.as_str())
            && i > 0
            && clean(toks[i - 1]).eq_ignore_ascii_case("on")
        {
            out.push(Mention::Weekday);
        } else if let Some(iso) = t.get(..10).and_then(|s| s.parse::<PartialDate>().ok()) {
            out.push(Mention::Date(iso));
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Mention {
        Mention::Date(s.parse().expect("date"))
    }

    #[test]
    fn finds_the_forms_news_uses() {
        let m = mentions("On June 1, Bilibili reported earnings of 2023. In September 2023, MIIT acted. It closes Feb. 18 and opens Jan. 20, 2024. Plans run until 2028.");
        assert_eq!(
            m,
            vec![
                Mention::MonthDay(6, 1),
                Mention::Year(2023, false),
                d("2023-09"),
                Mention::MonthDay(2, 18),
                d("2024-01-20"),
                Mention::Year(2028, true),
            ]
        );
        let m = mentions("China's block-world in the week of June 2 to June 8. The week of Dec. 29 to Jan. 4 was quiet. It said on Tuesday that");
        assert_eq!(
            m,
            vec![
                Mention::WeekEnding(6, 8),
                Mention::WeekEnding(1, 4),
                Mention::Weekday
            ]
        );
        assert!(mentions("You may go. We march on.").is_empty());
        assert_eq!(
            mentions("for the week of Jan. 31-Feb. 6. And June 2-8 too, until mid-to-late 2024."),
            vec![
                Mention::WeekEnding(2, 6),
                Mention::WeekEnding(6, 8),
                Mention::Year(2024, true)
            ]
        );
    }
}
