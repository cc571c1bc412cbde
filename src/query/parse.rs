//! The query language: bare words, "phrases", field filters, dates, states, negation, sorting.
//! The CLI and the TUI parse with this one function.

use crate::corpus::date::{civil_from_days, days_from_civil, today};
use crate::corpus::PartialDate;
use std::fmt;

/// An inclusive range of days since 1970-01-01; open ends are `i64::MIN`/`i64::MAX`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRange {
    pub start: i64,
    pub end: i64,
}

impl DayRange {
    pub fn overlaps(&self, date: &PartialDate) -> bool {
        date.overlaps(self.start, self.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Bookmarked,
    Read,
    Unread,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Fuzzy in title, tags and entities; word prefix in the body.
    Word(String),
    /// Case-insensitive substring in title or body.
    Phrase(String),
    Sector(String),
    Tag(String),
    Source(String),
    Entity(String),
    /// Who wrote it: a prefix of the author's name or of a word of it.
    Author(String),
    /// The feed an article came from: a prefix of its title (or of a word of it) or of its
    /// host.
    Feed(String),
    Date(DayRange),
    Undated,
    Is(State),
    /// Any of these (`sector:crypto,fintech`): OR within one field.
    AnyOf(Vec<Term>),
    /// Any of these groups of clauses (`(tencent OR alibaba)`, `a OR (b -c)`): each group
    /// holds when all its clauses do. A negated `-(a b)` is one group.
    Or(Vec<Vec<Clause>>),
}

impl Term {
    /// Whether the term depends on the saved state (`is:`), directly or in a list.
    pub fn mentions_state(&self) -> bool {
        match self {
            Term::Is(_) => true,
            Term::AnyOf(ts) => ts.iter().any(Term::mentions_state),
            Term::Or(groups) => groups.iter().flatten().any(|c| c.term.mentions_state()),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub negated: bool,
    pub term: Term,
    /// The clause as typed.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Relevance when the query has words or phrases, else newest first.
    #[default]
    Auto,
    Date,
    Title,
    Relevance,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub clauses: Vec<Clause>,
    pub sort: Sort,
}

/// A query that cannot be run: the term and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub term: String,
    pub why: String,
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.term, self.why)
    }
}

impl std::error::Error for QueryError {}

fn err(term: &str, why: impl Into<String>) -> QueryError {
    QueryError {
        term: term.to_string(),
        why: why.into(),
    }
}

/// Split into tokens, keeping quoted parts together: `sector:"auto & ev"` is one token.
fn tokens(q: &str) -> Result<Vec<String>, QueryError> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_quote = false;
    for c in q.chars() {
        match c {
            '"' | '“' | '”' => {
                in_quote = !in_quote;
                cur.push('"');
            }
            c if c.is_whitespace() && !in_quote => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if in_quote {
        return Err(err(&cur, "the quote is not closed"));
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

fn unquote(s: &str) -> String {
    s.trim_matches('"').to_string()
}

/// A date bound: an absolute partial date's interval.
fn date_interval(term: &str, s: &str) -> Result<(i64, i64), QueryError> {
    let d: PartialDate = s
        .parse()
        .map_err(|e: crate::corpus::date::DateError| err(term, e.0))?;
    Ok(d.interval())
}

/// `30d`, `6m`, `1y`, `2w`: from that long ago until today.
fn relative(term: &str, s: &str) -> Result<Option<DayRange>, QueryError> {
    // The unit is the last character, whatever its width (`date:2023é` is not relative).
    let Some(unit_char) = s.chars().last() else {
        return Ok(None);
    };
    let (num, unit) = s.split_at(s.len() - unit_char.len_utf8());
    if num.is_empty()
        || !num.bytes().all(|b| b.is_ascii_digit())
        || !matches!(unit, "d" | "w" | "m" | "y")
    {
        return Ok(None);
    }
    let n: i64 = num
        .parse()
        .map_err(|_| err(term, "the number is too large"))?;
    if n == 0 || n > 10_000 {
        return Err(err(term, "use a count from 1 to 10000"));
    }
    let t = today().start_days();
    let start = match unit {
        "d" => t - n + 1,
        "w" => t - 7 * n + 1,
        _ => {
            let months = if unit == "y" { 12 * n } else { n };
            let (y, m, d) = civil_from_days(t);
            let total = i64::from(y) * 12 + i64::from(m) - 1 - months;
            let (ny, nm) = (
                total.div_euclid(12) as i32,
                (total.rem_euclid(12) + 1) as u8,
            );
            let nd = d.min(crate::corpus::date::days_in_month(ny, nm));
            days_from_civil(ny, nm, nd) + 1
        }
    };
    Ok(Some(DayRange { start, end: t }))
}

fn parse_date_value(term: &str, v: &str) -> Result<Term, QueryError> {
    if v.is_empty() {
        return Err(err(
            term,
            "needs a date: 2023, 2023-06, 2023-06-01, 2021-06..2022-01, 30d, 6m, 1y or none",
        ));
    }
    if v.eq_ignore_ascii_case("none") {
        return Ok(Term::Undated);
    }
    if let Some(r) = relative(term, v)? {
        return Ok(Term::Date(r));
    }
    if let Some((a, b)) = v.split_once("..") {
        let start = if a.is_empty() {
            i64::MIN
        } else {
            date_interval(term, a)?.0
        };
        let end = if b.is_empty() {
            i64::MAX
        } else {
            date_interval(term, b)?.1
        };
        if start > end {
            return Err(err(term, "the range ends before it starts"));
        }
        return Ok(Term::Date(DayRange { start, end }));
    }
    let (start, end) = date_interval(term, v)?;
    Ok(Term::Date(DayRange { start, end }))
}

const FIELDS: &[&str] = &[
    "sector", "tag", "source", "entity", "feed", "author", "by", "date", "after", "before", "is",
];

/// Whether `name:value` is written as a field filter (a name of letters, a value that is not
/// a link's `//`), so that a misspelt field is refused rather than searched as a word.
fn looks_like_field(name: &str, value: &str) -> bool {
    name.len() >= 2
        && name.bytes().all(|b| b.is_ascii_alphabetic())
        && !value.is_empty()
        && !value.starts_with('/')
}

/// Edit distance between two short ASCII names.
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, &x) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What to say of an unknown field: the closest known one, or all of them.
fn unknown_field(name: &str) -> String {
    let all = FIELDS.iter().chain(["sort"].iter());
    let best = all
        .clone()
        .map(|f| (distance(name, f), *f))
        .min_by_key(|&(d, _)| d);
    match best {
        Some((d, f)) if d <= 2 || f.starts_with(name) => {
            format!("unknown field \"{name}\" — did you mean {f}:?")
        }
        _ => format!(
            "unknown field \"{name}\" (fields: {}); quote it to search for the text",
            all.map(|f| format!("{f}:")).collect::<Vec<_>>().join(" ")
        ),
    }
}

/// Split a field value on commas outside quotes: `"a, b",c` is two alternatives.
fn split_alternatives(v: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut q = false;
    for c in v.chars() {
        match c {
            '"' => {
                q = !q;
                cur.push(c);
            }
            ',' if !q => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// One field's term: `field:value` with `value` unquoted.
fn field_term(tok: &str, field: &str, value: &str) -> Result<Term, QueryError> {
    let need = |v: &str| -> Result<String, QueryError> {
        if v.trim().is_empty() {
            Err(err(tok, format!("{field}: needs a value")))
        } else {
            Ok(v.trim().to_lowercase())
        }
    };
    Ok(match field {
        "sector" => Term::Sector(need(value)?),
        "tag" => Term::Tag(need(value)?.trim_start_matches('#').to_string()),
        "source" => Term::Source(need(value)?),
        "entity" => Term::Entity(need(value)?),
        "feed" => Term::Feed(need(value)?),
        "author" | "by" => Term::Author(need(value)?),
        "date" => parse_date_value(tok, value.trim())?,
        "after" => {
            let (_, end) = date_interval(tok, &need(value)?)?;
            Term::Date(DayRange {
                start: end + 1,
                end: i64::MAX,
            })
        }
        "before" => {
            let (start, _) = date_interval(tok, &need(value)?)?;
            Term::Date(DayRange {
                start: i64::MIN,
                end: start - 1,
            })
        }
        _ => match value.trim().to_ascii_lowercase().as_str() {
            "bookmarked" | "bookmark" | "starred" => Term::Is(State::Bookmarked),
            "read" => Term::Is(State::Read),
            "unread" | "new" => Term::Is(State::Unread),
            _ => return Err(err(tok, "use is:bookmarked, is:read or is:unread")),
        },
    })
}

/// A token of a query: a term as typed, an opening or closing parenthesis, or `OR`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Item(String),
    /// `(`, or `-(` when negated.
    Open(bool),
    Close,
    Or,
}

/// The tokens with parentheses split off: `(` (or `-(`) opening a token and `)` closing
/// one, outside quotes; parentheses inside a word stay part of it.
fn group_tokens(q: &str) -> Result<Vec<Tok>, QueryError> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for tok in tokens(q)? {
        let mut rest = tok.as_str();
        loop {
            if let Some(r) = rest.strip_prefix('(') {
                out.push(Tok::Open(false));
                rest = r;
            } else if let Some(r) = rest.strip_prefix("-(") {
                out.push(Tok::Open(true));
                rest = r;
            } else {
                break;
            }
            depth += 1;
        }
        let mut closes = 0;
        while let Some(r) = rest.strip_suffix(')') {
            // A quoted phrase's own parenthesis stays (`"(beta)"`), and so does a word's
            // (`f(x)`, `:)` with no group open).
            if r.matches('"').count() % 2 == 1
                || r.matches('(').count() > r.matches(')').count()
                || depth == 0
            {
                break;
            }
            closes += 1;
            depth = depth.saturating_sub(1);
            rest = r;
        }
        if rest == "OR" {
            out.push(Tok::Or);
        } else if !rest.is_empty() {
            out.push(Tok::Item(rest.to_string()));
        }
        out.extend(std::iter::repeat_n(Tok::Close, closes));
    }
    Ok(out)
}

/// What one unit of a query gave: clauses that all hold, or the order.
enum Unit {
    All(Vec<Clause>),
    Sort(Sort, String),
}

/// The text of a group of clauses, in parentheses when there are several.
fn group_text(clauses: &[Clause]) -> String {
    let inner: Vec<&str> = clauses.iter().map(|c| c.text.as_str()).collect();
    if clauses.len() == 1 {
        inner.join(" ")
    } else {
        format!("({})", inner.join(" "))
    }
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    /// Terms up to the end or a `)`: they all must hold.
    fn all(&mut self, depth: usize, sort: &mut Sort) -> Result<Vec<Clause>, QueryError> {
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None | Some(Tok::Close) => return Ok(out),
                Some(Tok::Or) => {
                    return Err(err("OR", "OR needs a term before it (tencent OR alibaba)"));
                }
                _ => {}
            }
            match self.any()? {
                Unit::All(cs) => out.extend(cs),
                Unit::Sort(s, text) => {
                    if depth > 0 {
                        return Err(err(
                            &text,
                            "sort: orders the whole query: put it outside parentheses",
                        ));
                    }
                    *sort = s;
                }
            }
        }
    }

    /// One unit or several joined by `OR`.
    fn any(&mut self) -> Result<Unit, QueryError> {
        let first = self.unit()?;
        if self.peek() != Some(&Tok::Or) {
            return Ok(first);
        }
        let mut groups = Vec::new();
        let mut push = |u: Unit| match u {
            Unit::All(cs) => {
                groups.push(cs);
                Ok(())
            }
            Unit::Sort(_, text) => Err(err(
                &text,
                "sort: orders the whole query: it cannot be one side of OR",
            )),
        };
        push(first)?;
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            match self.peek() {
                None | Some(Tok::Close | Tok::Or) => {
                    return Err(err("OR", "OR needs a term after it (tencent OR alibaba)"));
                }
                _ => push(self.unit()?)?,
            }
        }
        let text = groups
            .iter()
            .map(|g| group_text(g))
            .collect::<Vec<_>>()
            .join(" OR ");
        Ok(Unit::All(vec![Clause {
            negated: false,
            term: Term::Or(groups),
            text,
        }]))
    }

    /// A term, or a group in parentheses.
    fn unit(&mut self) -> Result<Unit, QueryError> {
        let Some(tok) = self.peek().cloned() else {
            return Ok(Unit::All(Vec::new()));
        };
        self.at += 1;
        match tok {
            Tok::Item(t) => clause(&t),
            Tok::Open(negated) => {
                let mut sort = Sort::Auto;
                let inner = self.all(1, &mut sort)?;
                let open = if negated { "-(" } else { "(" };
                if self.peek() != Some(&Tok::Close) {
                    return Err(err(open, "the parenthesis is not closed"));
                }
                self.at += 1;
                if inner.is_empty() {
                    return Err(err(&format!("{open})"), "nothing inside the parentheses"));
                }
                if !negated {
                    return Ok(Unit::All(inner));
                }
                let inner_text: Vec<&str> = inner.iter().map(|c| c.text.as_str()).collect();
                let text = format!("-({})", inner_text.join(" "));
                Ok(Unit::All(vec![Clause {
                    negated: true,
                    term: Term::Or(vec![inner]),
                    text,
                }]))
            }
            Tok::Close => Err(err(")", "no ( for this ) to close")),
            Tok::Or => Err(err("OR", "OR needs a term before it (tencent OR alibaba)")),
        }
    }
}

/// One term as typed: a clause, or the order (`sort:`).
fn clause(tok: &str) -> Result<Unit, QueryError> {
    let (negated, body) = match tok.strip_prefix('-') {
        Some(rest) if !rest.is_empty() => (true, rest.to_string()),
        _ => (false, tok.to_string()),
    };
    let term = if body.starts_with('"') {
        let p = unquote(&body);
        if p.trim().is_empty() {
            return Err(err(tok, "the phrase is empty"));
        }
        Term::Phrase(p.to_lowercase())
    } else if let Some(t) = body.strip_prefix('#').filter(|t| !t.is_empty()) {
        Term::Tag(t.to_lowercase())
    } else if let Some((field, raw_value)) = body.split_once(':') {
        let field_l = field.to_ascii_lowercase();
        if field_l == "sort" {
            if negated {
                return Err(err(tok, "sort: cannot be negated"));
            }
            let sort = match unquote(raw_value).to_ascii_lowercase().as_str() {
                "date" | "newest" => Sort::Date,
                "title" => Sort::Title,
                "relevance" | "score" => Sort::Relevance,
                _ => return Err(err(tok, "use sort:date, sort:title or sort:relevance")),
            };
            return Ok(Unit::Sort(sort, tok.to_string()));
        }
        if FIELDS.contains(&field_l.as_str()) {
            let alternatives = split_alternatives(raw_value);
            let mut terms = Vec::new();
            for alt in &alternatives {
                terms.push(field_term(tok, &field_l, &unquote(alt))?);
            }
            if terms.len() == 1 {
                terms.pop().unwrap_or(Term::Undated)
            } else {
                Term::AnyOf(terms)
            }
        } else if looks_like_field(field, raw_value) {
            return Err(err(tok, unknown_field(&field_l)));
        } else {
            // Not a field: a word with a colon in it ("u.s.:", "10:30", a link).
            Term::Word(body.to_lowercase())
        }
    } else {
        Term::Word(body.to_lowercase())
    };
    Ok(Unit::All(vec![Clause {
        negated,
        term,
        text: tok.to_string(),
    }]))
}

/// Parse a query. An empty query matches everything, newest first. Terms combine with AND;
/// `OR` between terms (binding tighter than AND, as in web search: `a b OR c` is `a` and
/// either `b` or `c`) and parentheses group them.
pub fn parse(q: &str) -> Result<Query, QueryError> {
    let mut p = Parser {
        toks: group_tokens(q)?,
        at: 0,
    };
    let mut sort = Sort::Auto;
    let clauses = p.all(0, &mut sort)?;
    if p.peek() == Some(&Tok::Close) {
        return Err(err(")", "no ( for this ) to close"));
    }
    Ok(Query { clauses, sort })
}

/// Every clause of `clauses` that must hold for a match (not negated, also inside groups).
fn positive<'a>(clauses: &'a [Clause], out: &mut Vec<&'a Term>) {
    for c in clauses.iter().filter(|c| !c.negated) {
        match &c.term {
            Term::Or(groups) => {
                for g in groups {
                    positive(g, out);
                }
            }
            t => out.push(t),
        }
    }
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The terms that count towards a match: not negated, also inside `OR` and groups.
    pub fn positive_terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        positive(&self.clauses, &mut out);
        out
    }

    /// The words and phrases to highlight (not negated ones).
    pub fn highlights(&self) -> Vec<String> {
        self.positive_terms()
            .into_iter()
            .filter_map(|t| match t {
                Term::Word(w) | Term::Phrase(w) => Some(w.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether the query has words or phrases to rank by.
    pub fn has_text(&self) -> bool {
        self.positive_terms()
            .iter()
            .any(|t| matches!(t, Term::Word(_) | Term::Phrase(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_field_is_refused_with_the_closest_one() {
        let e = parse("sectr:auto").expect_err("refused");
        assert_eq!(e.term, "sectr:auto");
        assert!(e.why.contains("did you mean sector:?"), "{}", e.why);
        let e = parse("bitcoin -tga:nft").expect_err("refused");
        assert!(e.why.contains("did you mean tag:?"), "{}", e.why);
        let e = parse("foo:bar").expect_err("refused");
        assert!(e.why.contains("unknown field \"foo\""), "{}", e.why);
        assert!(e.why.contains("sector:"), "{}", e.why);
        // Words with a colon that are not fields stay words.
        for q in [
            "u.s.:",
            "10:30",
            "https://example.com/a",
            "note:",
            "\"foo:bar\"",
        ] {
            assert!(parse(q).is_ok(), "{q}");
        }
    }

    fn terms(q: &str) -> Vec<(bool, Term)> {
        parse(q)
            .expect("parses")
            .clauses
            .into_iter()
            .map(|c| (c.negated, c.term))
            .collect()
    }

    fn range(a: &str, b: &str) -> Term {
        let a: PartialDate = a.parse().expect("a");
        let b: PartialDate = b.parse().expect("b");
        Term::Date(DayRange {
            start: a.start_days(),
            end: b.end_days(),
        })
    }

    #[test]
    fn parses_every_form() {
        assert_eq!(terms("Tencent"), [(false, Term::Word("tencent".into()))]);
        assert_eq!(
            terms("\"Digital Yuan\""),
            [(false, Term::Phrase("digital yuan".into()))]
        );
        assert_eq!(terms("sector:Auto"), [(false, Term::Sector("auto".into()))]);
        assert_eq!(
            terms("sector:\"auto & ev\""),
            [(false, Term::Sector("auto & ev".into()))]
        );
        assert_eq!(
            terms("tag:nft #NFT"),
            [
                (false, Term::Tag("nft".into())),
                (false, Term::Tag("nft".into()))
            ]
        );
        assert_eq!(
            terms("source:technode entity:tencent"),
            [
                (false, Term::Source("technode".into())),
                (false, Term::Entity("tencent".into()))
            ]
        );
        assert_eq!(terms("date:2023"), [(false, range("2023", "2023"))]);
        assert_eq!(
            terms("date:2023-06"),
            [(false, range("2023-06", "2023-06"))]
        );
        assert_eq!(
            terms("date:2023-06-01"),
            [(false, range("2023-06-01", "2023-06-01"))]
        );
        assert_eq!(
            terms("date:2021-06..2022-01"),
            [(false, range("2021-06", "2022-01"))]
        );
        assert_eq!(terms("date:none"), [(false, Term::Undated)]);
        let after = "2022-03".parse::<PartialDate>().expect("d").end_days() + 1;
        assert_eq!(
            terms("after:2022-03"),
            [(
                false,
                Term::Date(DayRange {
                    start: after,
                    end: i64::MAX
                })
            )]
        );
        let before = "2023".parse::<PartialDate>().expect("d").start_days() - 1;
        assert_eq!(
            terms("before:2023"),
            [(
                false,
                Term::Date(DayRange {
                    start: i64::MIN,
                    end: before
                })
            )]
        );
        assert_eq!(
            terms("is:bookmarked is:read is:unread"),
            [
                (false, Term::Is(State::Bookmarked)),
                (false, Term::Is(State::Read)),
                (false, Term::Is(State::Unread))
            ]
        );
        assert_eq!(
            terms("-crypto -sector:auto"),
            [
                (true, Term::Word("crypto".into())),
                (true, Term::Sector("auto".into()))
            ]
        );
        assert_eq!(parse("x sort:title").expect("q").sort, Sort::Title);
        assert_eq!(parse("sort:date").expect("q").sort, Sort::Date);
        assert_eq!(parse("sort:relevance").expect("q").sort, Sort::Relevance);
        assert!(parse("").expect("empty").is_empty());
        assert_eq!(terms("-"), [(false, Term::Word("-".into()))]);
        assert_eq!(
            terms("sector:\"Blockchain & Crypto\",fintech"),
            [(
                false,
                Term::AnyOf(vec![
                    Term::Sector("blockchain & crypto".into()),
                    Term::Sector("fintech".into())
                ])
            )]
        );
        assert_eq!(
            terms("u.s.:trade"),
            [(false, Term::Word("u.s.:trade".into()))]
        );
    }

    #[test]
    fn relative_dates_count_back_from_today() {
        let t = today().start_days();
        assert_eq!(
            terms("date:30d"),
            [(
                false,
                Term::Date(DayRange {
                    start: t - 29,
                    end: t
                })
            )]
        );
        // Months and years back, to the day after the same date (so six months is 181 to
        // 184 days, a year 365 or 366).
        let Term::Date(r) = &terms("date:6m")[0].1 else {
            panic!("date")
        };
        assert_eq!(r.end, t);
        assert!((180..=183).contains(&(t - r.start)), "{}", t - r.start);
        let Term::Date(r) = &terms("date:1y")[0].1 else {
            panic!("date")
        };
        assert!((364..=365).contains(&(t - r.start)), "{}", t - r.start);
    }

    #[test]
    fn or_binds_tighter_than_and_and_parentheses_group() {
        let q = parse("(tencent OR alibaba) date:2022 -nft").expect("query");
        assert_eq!(q.clauses.len(), 3);
        let Term::Or(groups) = &q.clauses[0].term else {
            panic!("{:?}", q.clauses[0]);
        };
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0][0].term, Term::Word("tencent".into()));
        assert_eq!(q.clauses[0].text, "tencent OR alibaba");
        assert!(q.clauses[2].negated);
        // `a b OR c` is a and (b or c).
        let q = parse("china bitcoin OR nft").expect("query");
        assert_eq!(q.clauses.len(), 2);
        assert!(matches!(q.clauses[1].term, Term::Or(_)));
        // Parentheses that change nothing are dropped; negated ones stay one clause.
        let q = parse("(china bitcoin)").expect("query");
        assert_eq!(q.clauses.len(), 2);
        let q = parse("-(china bitcoin) sort:date").expect("query");
        assert_eq!(q.clauses.len(), 1);
        assert!(q.clauses[0].negated);
        assert_eq!(q.clauses[0].text, "-(china bitcoin)");
        assert_eq!(q.sort, Sort::Date);
        // Lower-case `or`, and parentheses inside words or phrases, are text.
        let q = parse("this or that \"(beta)\" f(x)").expect("query");
        assert_eq!(q.clauses.len(), 5);
        assert_eq!(q.clauses[3].term, Term::Phrase("(beta)".into()));
        assert_eq!(q.clauses[4].term, Term::Word("f(x)".into()));
        let q = parse("(f(x) OR y) great :)").expect("query");
        assert_eq!(q.clauses.len(), 3);
        assert_eq!(q.clauses[2].term, Term::Word(":)".into()));
        // Highlights reach inside groups, not into negations.
        let q = parse("(tencent OR \"digital yuan\") -(nft OR dao)").expect("query");
        assert_eq!(q.highlights(), ["tencent", "digital yuan"]);
        assert!(q.has_text());
    }

    #[test]
    fn malformed_groups_say_what_is_wrong() {
        for (q, why) in [
            ("(tencent", "not closed"),
            ("OR tencent", "needs a term before"),
            ("tencent OR", "needs a term after"),
            ("tencent OR OR alibaba", "needs a term after"),
            ("()", "nothing inside"),
            ("(tencent sort:date)", "outside parentheses"),
            ("sort:date OR tencent", "one side of OR"),
            ("(tencent OR sectr:auto)", "did you mean sector:?"),
        ] {
            let e = parse(q).expect_err(q);
            assert!(e.why.contains(why), "{q}: {e}");
        }
    }

    #[test]
    fn errors_name_the_term_and_say_why() {
        let e = parse("crypto date:2021-13").expect_err("an error");
        assert_eq!(e.term, "date:2021-13");
        assert!(e.why.contains("month 13"), "{e}");
        let e = parse("\"digital yuan").expect_err("an error");
        assert!(e.why.contains("not closed"), "{e}");
        assert!(parse("sector:")
            .expect_err("an error")
            .why
            .contains("needs a value"));
        assert!(parse("is:maybe").is_err());
        assert!(parse("date:2022..2021")
            .expect_err("an error")
            .why
            .contains("ends before"));
        assert!(parse("sort:size").is_err());
        assert!(parse("date:2023-02-30")
            .expect_err("an error")
            .why
            .contains("does not exist"));
    }

    #[test]
    fn date_ranges_overlap_partial_dates() {
        let Term::Date(r) = &terms("date:2023")[0].1 else {
            panic!("date")
        };
        assert!(r.overlaps(&"2023-06".parse().expect("d")));
        assert!(!r.overlaps(&"2022-12-31".parse().expect("d")));
        let Term::Date(r) = &terms("date:2023-06-15")[0].1 else {
            panic!("date")
        };
        assert!(
            r.overlaps(&"2023-06".parse().expect("d")),
            "a month overlaps a day in it"
        );
        assert!(r.overlaps(&"2023".parse().expect("d")));
        let Term::Date(r) = &terms("after:2022-03")[0].1 else {
            panic!("date")
        };
        assert!(r.overlaps(&"2022".parse().expect("d")));
        assert!(!r.overlaps(&"2022-03-31".parse().expect("d")));
    }
}
