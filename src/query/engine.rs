//! Running a query over a corpus: one engine for the CLI and the TUI.

use super::find::Needle;
use super::parse::{Query, Sort, State, Term};
use crate::corpus::Article;
use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// What folio knows about an article besides the corpus (bookmarks, read state).
pub trait ArticleState {
    fn is_bookmarked(&self, idx: usize) -> bool;
    fn is_read(&self, idx: usize) -> bool;
}

/// No bookmarks, nothing read.
pub struct NoState;

impl ArticleState for NoState {
    fn is_bookmarked(&self, _: usize) -> bool {
        false
    }
    fn is_read(&self, _: usize) -> bool {
        false
    }
}

/// Lower-case copies of the short fields (never of bodies), built once per corpus.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub title: Vec<String>,
    pub title_words: Vec<Vec<String>>,
    pub tags: Vec<Vec<String>>,
    pub entities: Vec<Vec<String>>,
    pub sector: Vec<String>,
    pub source: Vec<String>,
    /// Position of each article in newest-first order (0 = newest).
    pub rank: Vec<u32>,
    /// Articles in newest-first order.
    pub newest: Vec<u32>,
}

fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

impl Index {
    pub fn build(articles: &[Article]) -> Index {
        let lower = |v: &[String]| v.iter().map(|x| x.to_lowercase()).collect::<Vec<_>>();
        let mut newest: Vec<u32> = (0..articles.len() as u32).collect();
        newest.sort_by(|&a, &b| {
            crate::corpus::compare_newest_first(&articles[a as usize], &articles[b as usize])
        });
        let mut rank = vec![0u32; articles.len()];
        for (pos, &i) in newest.iter().enumerate() {
            rank[i as usize] = pos as u32;
        }
        let title: Vec<String> = articles.iter().map(|a| a.title.to_lowercase()).collect();
        Index {
            title_words: title.iter().map(|t| words_of(t)).collect(),
            title,
            tags: articles.iter().map(|a| lower(&a.tags)).collect(),
            entities: articles.iter().map(|a| lower(&a.entities)).collect(),
            sector: articles
                .iter()
                .map(|a| a.sector.as_deref().unwrap_or("").to_lowercase())
                .collect(),
            source: articles
                .iter()
                .map(|a| a.source.as_deref().unwrap_or("").to_lowercase())
                .collect(),
            rank,
            newest,
        }
    }
}

/// One result: the article index and its relevance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub idx: u32,
    pub score: i64,
}

/// Whether `needle`'s bytes appear in order in `hay` (a cheap test before fuzzy scoring).
fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = needle.iter().peekable();
    for &b in hay {
        match it.peek() {
            Some(&&n) if n == b => {
                it.next();
            }
            Some(_) => {}
            None => return true,
        }
    }
    it.peek().is_none()
}

/// Optimal string alignment distance (edits and adjacent swaps), stopping early past `max`.
fn typo_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
    }
    d[a.len()][b.len()]
}

/// Typos allowed for a word of this length.
fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// A compiled word clause.
struct WordMatcher {
    word: String,
    body: Option<Needle>,
    budget: usize,
}

/// Fuzzy match of `w` in `field` with a compact span: the characters must sit close together,
/// so a word scattered over a long text does not count. Returns the skim score.
pub fn compact_fuzzy(m: &SkimMatcherV2, field: &str, w: &str) -> Option<(i64, Vec<usize>)> {
    if w.len() < 2 || !is_subsequence(w.as_bytes(), field.as_bytes()) {
        return None;
    }
    let (score, idx) = m.fuzzy_indices(field, w)?;
    let n = w.chars().count();
    let span = idx.last()? - idx.first()? + 1;
    (span <= n + n / 2 + 1 && score >= 8 * n as i64).then_some((score, idx))
}

impl WordMatcher {
    fn new(w: &str) -> WordMatcher {
        let chars = w.chars().count();
        WordMatcher {
            word: w.to_string(),
            body: (chars >= 3 || !w.is_ascii()).then(|| Needle::new(w, true)),
            budget: typo_budget(chars),
        }
    }

    /// Score of the word in an article, or None.
    fn score(&self, m: &SkimMatcherV2, ix: &Index, i: usize, body: &str) -> Option<i64> {
        let w = self.word.as_str();
        // Whole word or word prefix in the title, tags or entities.
        if ix.title_words[i].iter().any(|t| t == w) {
            return Some(1000);
        }
        if ix.title_words[i].iter().any(|t| t.starts_with(w)) {
            return Some(900);
        }
        let short = ix.tags[i].iter().chain(ix.entities[i].iter());
        if short.clone().any(|t| {
            t == w
                || t.split(|c: char| !c.is_alphanumeric())
                    .any(|p| p.starts_with(w))
        }) {
            return Some(850);
        }
        // Fuzzy: compact subsequence in the title, a tag or an entity.
        let mut best: Option<i64> = None;
        for f in std::iter::once(&ix.title[i]).chain(short.clone()) {
            if let Some((s, _)) = compact_fuzzy(m, f, w) {
                best = Some(best.map_or(s, |b: i64| b.max(s)));
            }
        }
        if let Some(s) = best {
            return Some(500 + s.min(300));
        }
        // A typo: a title, tag or entity word a small edit away.
        if self.budget > 0 {
            let b = self.budget;
            let near = ix.title_words[i]
                .iter()
                .any(|t| typo_distance(t, w, b) <= b)
                || ix.tags[i]
                    .iter()
                    .chain(ix.entities[i].iter())
                    .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()))
                    .any(|t| typo_distance(t, w, b) <= b);
            if near {
                return Some(450);
            }
        }
        // Body: the word or a word starting with it.
        let n = self.body.as_ref()?.count(body.as_bytes(), 20);
        (n > 0).then(|| 100 + n as i64)
    }
}

enum Compiled {
    Word(WordMatcher),
    Phrase(Needle),
    Other,
}

fn sector_matches(sector: &str, v: &str) -> bool {
    !sector.is_empty()
        && (sector.starts_with(v)
            || sector
                .split(|c: char| c.is_whitespace() || c == '&' || c == '/')
                .any(|w| !w.is_empty() && w.starts_with(v)))
}

/// Whether a filter term (not a word or phrase) holds for article `i`.
fn filter_matches(t: &Term, a: &Article, ix: &Index, i: usize, state: &dyn ArticleState) -> bool {
    match t {
        Term::Sector(v) => sector_matches(&ix.sector[i], v),
        Term::Tag(v) => ix.tags[i].iter().any(|t| t == v),
        Term::Source(v) => ix.source[i].contains(v.as_str()),
        Term::Entity(v) => ix.entities[i]
            .iter()
            .any(|e| e.starts_with(v.as_str()) || e.split(' ').any(|p| p.starts_with(v.as_str()))),
        Term::Date(r) => a.date.is_some_and(|d| r.overlaps(&d)),
        Term::Undated => a.date.is_none(),
        Term::Is(State::Bookmarked) => state.is_bookmarked(i),
        Term::Is(State::Read) => state.is_read(i),
        Term::Is(State::Unread) => !state.is_read(i),
        Term::AnyOf(ts) => ts.iter().any(|t| filter_matches(t, a, ix, i, state)),
        Term::Word(_) | Term::Phrase(_) => false,
    }
}

/// Run a query. `within` limits the search to earlier results (when the query only grew).
pub fn search(
    articles: &[Article],
    ix: &Index,
    q: &Query,
    state: &dyn ArticleState,
    within: Option<&[u32]>,
) -> Vec<Hit> {
    search_cancellable(articles, ix, q, state, within, &|| false).unwrap_or_default()
}

/// How many articles are checked between looks at `cancelled`.
const SLICE: usize = 2048;

/// Run a query, giving up (`None`) as soon as `cancelled` returns true.
pub fn search_cancellable(
    articles: &[Article],
    ix: &Index,
    q: &Query,
    state: &dyn ArticleState,
    within: Option<&[u32]>,
    cancelled: &dyn Fn() -> bool,
) -> Option<Vec<Hit>> {
    let m = SkimMatcherV2::default().ignore_case();
    let compiled: Vec<Compiled> = q
        .clauses
        .iter()
        .map(|c| match &c.term {
            Term::Word(w) => Compiled::Word(WordMatcher::new(w)),
            Term::Phrase(p) => Compiled::Phrase(Needle::new(p, false)),
            _ => Compiled::Other,
        })
        .collect();
    let check = |i: usize| -> Option<i64> {
        let a = &articles[i];
        let mut score = 0i64;
        for (c, comp) in q.clauses.iter().zip(&compiled) {
            let hit: Option<i64> = match (&c.term, comp) {
                (Term::Word(_), Compiled::Word(wm)) => wm.score(&m, ix, i, &a.body),
                (Term::Phrase(_), Compiled::Phrase(n)) => {
                    if n.is_in(ix.title[i].as_bytes()) {
                        Some(1200)
                    } else {
                        let k = n.count(a.body.as_bytes(), 20);
                        (k > 0).then(|| 200 + k as i64)
                    }
                }
                (t, _) => filter_matches(t, a, ix, i, state).then_some(0),
            };
            match (hit, c.negated) {
                (Some(s), false) => score += s,
                (None, true) => {}
                (Some(_), true) | (None, false) => return None,
            }
        }
        Some(score)
    };
    let candidates: &[u32] = match within {
        Some(w) => w,
        None => &ix.newest,
    };
    let mut hits: Vec<Hit> = Vec::new();
    for chunk in candidates.chunks(SLICE) {
        if cancelled() {
            return None;
        }
        hits.extend(
            chunk
                .iter()
                .filter_map(|&i| check(i as usize).map(|score| Hit { idx: i, score })),
        );
    }
    sort_hits(ix, q, &mut hits);
    Some(hits)
}

/// Order results: relevance (ties newest first) when the query has words, else newest first.
pub fn sort_hits(ix: &Index, q: &Query, hits: &mut [Hit]) {
    let by_rank = |a: &Hit, b: &Hit| ix.rank[a.idx as usize].cmp(&ix.rank[b.idx as usize]);
    match q.sort {
        Sort::Date => hits.sort_by(by_rank),
        Sort::Title => hits.sort_by(|a, b| {
            ix.title[a.idx as usize]
                .cmp(&ix.title[b.idx as usize])
                .then_with(|| by_rank(a, b))
        }),
        Sort::Relevance | Sort::Auto if q.has_text() => {
            hits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| by_rank(a, b)))
        }
        _ => hits.sort_by(by_rank),
    }
}

/// Character positions in `title` to highlight for the query's words and phrases.
pub fn title_highlights(title: &str, q: &Query) -> Vec<usize> {
    let lower = title.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut marks = vec![false; chars.len()];
    let m = SkimMatcherV2::default().ignore_case();
    for w in q.highlights() {
        let wl: Vec<char> = w.chars().collect();
        let mut found = false;
        // Whole words and word prefixes, and phrases anywhere.
        let mut i = 0;
        while i + wl.len() <= chars.len() && !wl.is_empty() {
            let at_word = i == 0 || !chars[i - 1].is_alphanumeric() || w.contains(' ');
            if at_word && chars[i..i + wl.len()] == wl[..] {
                marks[i..i + wl.len()].iter_mut().for_each(|m| *m = true);
                found = true;
                i += wl.len();
            } else {
                i += 1;
            }
        }
        if !found {
            if let Some((_, idx)) = compact_fuzzy(&m, &lower, &w) {
                for k in idx {
                    if k < marks.len() {
                        marks[k] = true;
                    }
                }
            }
        }
    }
    marks
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| b.then_some(i))
        .collect()
}

/// Byte ranges in `text` where the query's words (at word starts) and phrases occur.
pub fn text_matches(text: &str, q: &Query) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for c in q.clauses.iter().filter(|c| !c.negated) {
        let (needle, len) = match &c.term {
            Term::Word(w) if w.chars().count() >= 2 => (Needle::new(w, true), w.len()),
            Term::Phrase(p) => (Needle::new(p, false), p.len()),
            _ => continue,
        };
        for s in needle.find_iter(text.as_bytes()) {
            // Extend a word match to the end of the word.
            let mut e = s + len;
            if matches!(c.term, Term::Word(_)) {
                while e < text.len() && text.is_char_boundary(e) {
                    let ch = text[e..].chars().next().unwrap_or(' ');
                    if !ch.is_alphanumeric() {
                        break;
                    }
                    e += ch.len_utf8();
                }
            }
            if text.is_char_boundary(s) && text.is_char_boundary(e.min(text.len())) {
                out.push((s, e.min(text.len())));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_within_budget() {
        assert_eq!(typo_distance("tencent", "tencnet", 1), 1);
        assert_eq!(typo_distance("tencent", "tencant", 1), 1);
        assert!(typo_distance("tencent", "alibaba", 1) > 1);
        assert_eq!(typo_distance("metaverse", "metavrse", 2), 1);
    }

    #[test]
    fn compact_fuzzy_refuses_scattered_letters() {
        let m = SkimMatcherV2::default().ignore_case();
        assert!(
            compact_fuzzy(&m, "china establishes metaverse working group", "metavrse").is_some()
        );
        assert!(compact_fuzzy(&m, "the ten year central entertainment", "tencent").is_none());
    }
}
