//! A headline for text that has none, written the way an editor trims a lead sentence: the
//! first sentence of the story (an editor's note before it is skipped), without its lead-in
//! ("On Tuesday,", "Last week,", a dateline such as "BEIJING, June 3 (Reuters) -"), and when
//! it is still too long, without a leading subordinate phrase or cut at a clause boundary,
//! never in the middle of a phrase.

use super::datefind::WEEKDAYS;
use super::dates::month_number;
use super::raw::first_sentence;

/// Words after which a headline must not stop.
const DANGLING: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "by", "from", "and", "or",
    "but", "as", "that", "which", "who", "its", "their", "his", "her", "is", "are", "was", "were",
    "be", "has", "have", "had", "will", "would", "into", "over", "than", "about", "after",
    "before", "under", "amid", "while", "said", "says", "after", "up",
];

/// Where a long sentence may be cut: before these, the rest is a clause of its own.
const CLAUSE_BREAKS: &[&str] = &[
    ", which ",
    ", who ",
    ", while ",
    ", whereas ",
    ", as ",
    ", after ",
    ", amid ",
    ", but ",
    ", and ",
    ", according to ",
    ", saying ",
    ", citing ",
    ", following ",
    ", despite ",
    ", with ",
    ", in a ",
    ", in an ",
    ", marking ",
    ", making ",
    ", sparking ",
    ", a move ",
    ", the ",
    "; ",
    " — ",
    " – ",
    " - ",
    " as ",
    " after ",
    " amid ",
    " following ",
    " according to ",
    " in a bid to ",
    " in an effort to ",
    ", ",
];

/// Small words inside a phrase that says when: "on the", "late last", "in early".
const TIME_JOINERS: &[&str] = &[
    "on", "last", "this", "past", "the", "of", "early", "late", "in", "by", "over", "during",
    "since", "until", "next",
];

/// Whether a paragraph is an editor's note about the piece rather than the story.
fn is_editors_note(p: &str) -> bool {
    let l: String = p
        .trim_start()
        .chars()
        .take(16)
        .collect::<String>()
        .to_lowercase();
    [
        "editor’s note",
        "editor's note",
        "editors’ note",
        "editors' note",
        "note:",
        "update:",
    ]
    .iter()
    .any(|n| l.starts_with(n))
}

/// Whether a phrase (before its comma) says when: "On Tuesday", "Last week", "On June 1",
/// "Earlier this month", "Late Monday", "Yesterday".
fn is_time_phrase(phrase: &str) -> bool {
    let words: Vec<String> = phrase
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let timeish = |w: &str| {
        WEEKDAYS.contains(&w)
            || month_number(w).is_some()
            || matches!(
                w,
                "week"
                    | "weekend"
                    | "month"
                    | "year"
                    | "morning"
                    | "afternoon"
                    | "evening"
                    | "night"
                    | "today"
                    | "yesterday"
                    | "tonight"
                    | "recently"
                    | "earlier"
                    | "later"
            )
            || w.chars().all(|c| c.is_ascii_digit())
            || w.ends_with("th")
                && w.len() <= 4
                && w.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    let first = words[0].as_str();
    // A time phrase opens with a joiner ("On", "Last", "In"; not "The", "Of", "Past"),
    // a time word or a weekday, and is made of nothing else.
    let opener = (TIME_JOINERS.contains(&first) && !matches!(first, "the" | "of" | "past"))
        || matches!(first, "earlier" | "yesterday" | "today" | "recently")
        || WEEKDAYS.contains(&first);
    opener
        && words
            .iter()
            .all(|w| timeish(w) || TIME_JOINERS.contains(&w.as_str()))
        && words.iter().any(|w| timeish(w))
}

/// Drop a dateline: `BEIJING, June 3 (Reuters) -`, `SHANGHAI (Reuters) —`, `HONG KONG, Jan 5 –`.
fn strip_dateline(s: &str) -> &str {
    let head: String = s.chars().take(80).collect();
    for dash in [" - ", " — ", " – ", " -- "] {
        let Some(p) = head.find(dash) else { continue };
        let before = &head[..p];
        // The place is written in capitals.
        let place: String = before
            .split([',', '('])
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
        let capitals = letters.len() >= 3 && letters.iter().all(|c| c.is_uppercase());
        let agency = before.contains('(') && before.trim_end().ends_with(')');
        if capitals || (agency && before.len() < 60) {
            return s[p + dash.len()..].trim_start();
        }
    }
    s
}

/// Drop a lead-in that says when, capitalising what follows.
fn strip_time_lead(s: &str) -> String {
    if let Some(p) = s.find(", ") {
        if p <= 40 && is_time_phrase(&s[..p]) {
            return capitalise(&s[p + 2..]);
        }
    }
    s.to_string()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f.is_lowercase() => f.to_uppercase().chain(c).collect(),
        Some(f) => std::iter::once(f).chain(c).collect(),
        None => String::new(),
    }
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// The byte offset of the `n`th character (or the end).
fn at_char(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn ends_dangling(s: &str) -> bool {
    s.split_whitespace()
        .last()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .is_some_and(|w| DANGLING.contains(&w.as_str()))
}

/// Words that open an aside between commas: "Ant Group, the company behind Alipay, is".
const ASIDE_OPENERS: &[&str] = &[
    "the ",
    "a ",
    "an ",
    "especially ",
    "including ",
    "particularly ",
    "one of ",
    "also ",
    "known as ",
    "formerly ",
    "which ",
    "who ",
    "whose ",
    "once ",
    "now ",
    "previously ",
];

/// Remove the first aside between commas, if there is one.
fn without_aside(s: &str) -> Option<String> {
    let open = s.find(", ")?;
    // Only an aside about the subject, right after it.
    if s[..open].split_whitespace().count() > 6 {
        return None;
    }
    let inner = &s[open + 2..];
    if !ASIDE_OPENERS.iter().any(|o| inner.starts_with(o)) {
        return None;
    }
    let close = inner.find(", ")?;
    let rest = &inner[close + 2..];
    // Something must follow: the sentence's own verb.
    if rest.split_whitespace().count() < 2 {
        return None;
    }
    Some(format!("{} {rest}", &s[..open]))
}

/// Shorten a sentence longer than `max` characters.
fn shorten(s: &str, max: usize) -> String {
    if len(s) <= max {
        return s.to_string();
    }
    // Asides in brackets go first: "MissFresh (Meiri Youxian) has stopped".
    if let Some(open) = s.find(" (") {
        if let Some(close) = s[open..].find(')') {
            let without = format!("{}{}", &s[..open], &s[open + close + 1..]);
            return shorten(&without, max);
        }
    }
    // Then asides between commas: "Ant Group, the company behind Alipay, is seeing".
    if let Some(shorter) = without_aside(s) {
        return shorten(&shorter, max);
    }
    // Then a leading phrase: "Five years after a Nasdaq IPO, Chinese video site Bilibili",
    // "As part of the plan, officials gathered", "According to goals set this week, ...".
    if let Some(p) = s.find(", ") {
        let rest = &s[p + 2..];
        let lead_words = s[..p].split_whitespace().count();
        let attribution = s.starts_with("According to ") && lead_words <= 20;
        if (lead_words <= 9 || attribution) && len(rest) >= 30 {
            return shorten(&capitalise(rest), max);
        }
    }
    // The last clause boundary that leaves a headline of some substance (a whole clause
    // may run a little over `max` rather than be cut).
    let limit = at_char(s, max + max / 10);
    let mut best: Option<usize> = None;
    for b in CLAUSE_BREAKS {
        // A bare comma only when nothing better was found, and only late in the sentence.
        let bare = *b == ", ";
        if bare && best.is_some() {
            break;
        }
        let mut from = 0;
        while let Some(i) = s[from..].find(b) {
            let at = from + i;
            if at > limit {
                break;
            }
            let cut = s[..at].trim_end();
            let enough = if bare { max / 2 } else { 30 };
            if len(cut) >= enough && !ends_dangling(cut) && best.is_none_or(|x| at > x) {
                best = Some(at);
            }
            from = at + b.len();
        }
    }
    if let Some(at) = best {
        return s[..at]
            .trim_end_matches([',', ';', ':', ' ', '-', '—', '–'])
            .to_string();
    }
    // No clause to cut at: whole words, never ending on a word that needs another.
    let mut words: Vec<&str> = Vec::new();
    for w in s.split_whitespace() {
        let next = words.iter().map(|x| len(x) + 1).sum::<usize>() + len(w);
        if next > max.saturating_sub(1) {
            break;
        }
        words.push(w);
    }
    while words.len() > 3 && ends_dangling(&words.join(" ")) {
        words.pop();
    }
    if words.is_empty() {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        return format!("{cut}…");
    }
    let out = words.join(" ");
    format!(
        "{}…",
        out.trim_end_matches([',', ';', ':', ' ', '-', '—', '–'])
    )
}

/// A headline from an article's paragraphs, at most about `max` characters.
pub fn from_paragraphs(paragraphs: &[String], max: usize) -> String {
    // Paragraphs with words in them (a stray "," or "—" is not a story).
    let paras: Vec<&str> = paragraphs
        .iter()
        .map(|p| p.trim())
        .filter(|p| p.chars().any(char::is_alphanumeric))
        .collect();
    let mut i = 0;
    while i < paras.len() && is_editors_note(paras[i]) {
        // A note's label alone ("Editor’s note:") heads the note in the next paragraph.
        let label_only = paras[i].ends_with(':') && paras[i].split_whitespace().count() <= 2;
        i += if label_only { 2 } else { 1 };
    }
    let story = paras
        .get(i)
        .or_else(|| paras.first())
        .copied()
        .unwrap_or("");
    // A headline comes from the opening of the story: never look past a few hundred
    // characters (a paragraph with no full stop can be megabytes long).
    let story = &story[..story
        .char_indices()
        .nth(600)
        .map_or(story.len(), |(i, _)| i)];
    let sentence = first_sentence(story);
    let sentence = strip_dateline(sentence);
    let sentence = strip_time_lead(sentence);
    let sentence = sentence
        .trim()
        .trim_end_matches('.')
        .trim_end_matches([':', ';', ','])
        .trim();
    shorten(sentence, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(text: &str) -> String {
        let paras: Vec<String> = text.split("\n\n").map(str::to_string).collect();
        from_paragraphs(&paras, 90)
    }

    #[test]
    fn lead_ins_are_dropped() {
        assert_eq!(
            h("On Tuesday, China’s top political advisory body held a session. More."),
            "China’s top political advisory body held a session"
        );
        assert_eq!(h("Last week, regulators met. More."), "Regulators met");
        assert_eq!(
            h("On June 1, Bilibili reported earnings. More."),
            "Bilibili reported earnings"
        );
        assert_eq!(
            h("Earlier this month, Nio cut prices. More."),
            "Nio cut prices"
        );
        assert_eq!(
            h("BEIJING, June 3 (Reuters) - China's central bank cut rates on Friday."),
            "China's central bank cut rates on Friday"
        );
        assert_eq!(
            h("HONG KONG — Ant Group plans a listing. More."),
            "Ant Group plans a listing"
        );
        // Not a time: kept.
        assert_eq!(
            h("In Beijing, regulators met. More."),
            "In Beijing, regulators met"
        );
    }

    #[test]
    fn an_editors_note_is_not_the_story() {
        assert_eq!(
            h("Editor’s note: China is on holiday this week. We selected past reports.\n\nByteDance laid off 1,000 staff from its edtech businesses. More."),
            "ByteDance laid off 1,000 staff from its edtech businesses"
        );
    }

    #[test]
    fn long_sentences_lose_a_leading_phrase_or_end_at_a_clause() {
        assert_eq!(
            h("Five years after a Nasdaq IPO, Chinese video site Bilibili faces mounting pressure to reach profitability."),
            "Chinese video site Bilibili faces mounting pressure to reach profitability"
        );
        let t = h("Chinese online grocery company MissFresh (Meiri Youxian) has stopped offering on-demand grocery deliveries, a signature business offering, and has begun to lay off the majority of its staff, according to multiple reports.");
        assert!(t.chars().count() <= 90, "{t}");
        assert!(
            t.starts_with("Chinese online grocery company MissFresh"),
            "{t}"
        );
        assert!(!t.ends_with('…'), "cut at a clause: {t}");
        assert!(!ends_dangling(&t), "{t}");
        let t = h("Proposed revisions to China’s cybersecurity review process would require companies that hold personal data of more than one million users to apply for a review before listing abroad.");
        assert!(t.chars().count() <= 91, "{t}");
        assert!(!ends_dangling(t.trim_end_matches('…')), "{t}");
    }

    #[test]
    fn asides_and_leading_phrases_go_before_the_verb_does() {
        assert_eq!(
            h("Ant Group, the company behind China’s popular mobile payment service Alipay, is seeing an exodus of senior executives this year."),
            "Ant Group is seeing an exodus of senior executives this year"
        );
        assert_eq!(
            h("Chinese firms, especially those dealing with data, may have to submit every overseas IPO to regulators for a data security review, experts told TechNode."),
            "Chinese firms may have to submit every overseas IPO to regulators for a data security review"
        );
        assert_eq!(
            h("As part of China’s 14th five-year plan, officials gathered in Beijing to discuss ways to advance blockchain technology development."),
            "Officials gathered in Beijing to discuss ways to advance blockchain technology development"
        );
        assert_eq!(
            h("Editor’s note:\n\nChina is on holiday this week, so we selected past reports.\n\nByteDance laid off staff."),
            "ByteDance laid off staff"
        );
    }

    #[test]
    fn a_short_note_is_not_taken_for_a_label() {
        assert_eq!(
            h("Update: corrected.\n\nNio cut prices on Monday. More."),
            "Nio cut prices on Monday"
        );
    }

    #[test]
    fn short_sentences_stay_whole() {
        assert_eq!(
            h("China had a rough ride in 2022.\n\nThroughout"),
            "China had a rough ride in 2022"
        );
        assert_eq!(h(""), "");
        assert_eq!(h("Ünïcödé ☃ only"), "Ünïcödé ☃ only");
    }
}
