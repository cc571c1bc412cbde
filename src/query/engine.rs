//! Running a query over a corpus: one engine for the CLI and the TUI.

use super::find::Needle;
use super::parse::{DayRange, Query, Sort, State, Term};
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

/// Lower-case copies of the short fields (never of bodies), built once per corpus. Tags,
/// entities, sectors and sources are interned: a query matches each distinct name once and
/// articles are checked by number.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub title: Vec<String>,
    /// The distinct lower-case words of all titles. A query word is scored against each
    /// distinct word once; an article's title score is then a few table lookups.
    pub word_names: Vec<String>,
    /// Each title's words by number: those of article `i` are
    /// `title_words[title_word_at[i]..title_word_at[i + 1]]`.
    pub title_words: Vec<u32>,
    pub title_word_at: Vec<u32>,
    pub tag_names: Vec<String>,
    pub tags: Vec<Vec<u32>>,
    pub entity_names: Vec<String>,
    pub entities: Vec<Vec<u32>>,
    pub sector_names: Vec<String>,
    /// `u32::MAX` for none.
    pub sector: Vec<u32>,
    pub source_names: Vec<String>,
    pub source: Vec<u32>,
    /// (year, month or 0) of each dated article, for facet counts.
    pub dates: Vec<Option<(i32, u8)>>,
    /// Names as first written (for facets), by the same numbers.
    pub tag_display: Vec<String>,
    pub sector_display: Vec<String>,
    pub source_display: Vec<String>,
    /// Position of each article in newest-first order (0 = newest).
    pub rank: Vec<u32>,
    /// Articles in newest-first order.
    pub newest: Vec<u32>,
}

pub const NONE: u32 = u32::MAX;

/// A fast hasher for short keys built from our own text (FxHash's multiply-rotate).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// Numbers for names, the same for names that differ only in case.
#[derive(Default)]
struct Interner {
    names: Vec<String>,
    display: Vec<String>,
    exact: FxMap<String, u32>,
    lower: FxMap<String, u32>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.exact.get(s) {
            return i;
        }
        let l = s.to_lowercase();
        let i = match self.lower.get(&l) {
            Some(&i) => i,
            None => {
                let i = self.names.len() as u32;
                self.names.push(l.clone());
                self.display.push(s.to_string());
                self.lower.insert(l, i);
                i
            }
        };
        self.exact.insert(s.to_string(), i);
        i
    }
}

fn words_of(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

impl Index {
    pub fn build(articles: &[Article]) -> Index {
        // Two halves on two threads: the titles on this one; the date order and the
        // interned names on the other.
        std::thread::scope(|sc| {
            let other = sc.spawn(|| {
                let mut ix = Index::names(articles);
                let mut newest: Vec<u32> = (0..articles.len() as u32).collect();
                newest.sort_by(|&a, &b| {
                    crate::corpus::compare_newest_first(
                        &articles[a as usize],
                        &articles[b as usize],
                    )
                });
                let mut rank = vec![0u32; articles.len()];
                for (pos, &i) in newest.iter().enumerate() {
                    rank[i as usize] = pos as u32;
                }
                ix.newest = newest;
                ix.rank = rank;
                ix
            });
            let (title, word_names, title_words, title_word_at) = Index::titles(articles);
            match other.join() {
                Ok(ix) => Index {
                    title,
                    word_names,
                    title_words,
                    title_word_at,
                    ..ix
                },
                Err(p) => std::panic::resume_unwind(p),
            }
        })
    }

    /// Lower-case titles, their distinct words, and each title's words by number.
    fn titles(articles: &[Article]) -> (Vec<String>, Vec<String>, Vec<u32>, Vec<u32>) {
        let mut words: FxMap<String, u32> = FxMap::default();
        let mut names = Vec::new();
        let mut title = Vec::with_capacity(articles.len());
        let mut title_words = Vec::with_capacity(articles.len() * 10);
        let mut title_word_at = Vec::with_capacity(articles.len() + 1);
        for a in articles {
            let t = a.title.to_lowercase();
            title_word_at.push(title_words.len() as u32);
            for w in words_of(&t) {
                let id = match words.get(w) {
                    Some(&id) => id,
                    None => {
                        let id = names.len() as u32;
                        names.push(w.to_string());
                        words.insert(w.to_string(), id);
                        id
                    }
                };
                title_words.push(id);
            }
            title.push(t);
        }
        title_word_at.push(title_words.len() as u32);
        (title, names, title_words, title_word_at)
    }

    /// Tags, entities, sectors and sources interned, and the dates.
    fn names(articles: &[Article]) -> Index {
        let (mut tags, mut ents, mut secs, mut srcs) = (
            Interner::default(),
            Interner::default(),
            Interner::default(),
            Interner::default(),
        );
        let mut ix = Index {
            tags: Vec::with_capacity(articles.len()),
            entities: Vec::with_capacity(articles.len()),
            sector: Vec::with_capacity(articles.len()),
            source: Vec::with_capacity(articles.len()),
            dates: Vec::with_capacity(articles.len()),
            ..Index::default()
        };
        for a in articles {
            ix.tags.push(a.tags.iter().map(|t| tags.id(t)).collect());
            ix.entities
                .push(a.entities.iter().map(|t| ents.id(t)).collect());
            ix.sector
                .push(a.sector.as_deref().map_or(NONE, |s| secs.id(s)));
            ix.source
                .push(a.source.as_deref().map_or(NONE, |s| srcs.id(s)));
            ix.dates
                .push(a.date.map(|d| (d.get_year(), d.get_month().unwrap_or(0))));
        }
        ix.tag_names = tags.names;
        ix.tag_display = tags.display;
        ix.entity_names = ents.names;
        ix.sector_names = secs.names;
        ix.sector_display = secs.display;
        ix.source_names = srcs.names;
        ix.source_display = srcs.display;
        ix
    }
}

/// One result: the article index and its relevance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub idx: u32,
    pub score: i64,
}

/// Optimal string alignment distance (edits and adjacent swaps) between two short words,
/// stopping early past `max`; on the stack, no allocation (words over 31 bytes never match).
fn typo_distance(a: &str, b: &str, max: usize) -> usize {
    if a.is_ascii() && b.is_ascii() {
        return distance(a.as_bytes(), b.as_bytes(), max);
    }
    // Accented and CJK words: count characters, not bytes.
    let (mut ca, mut cb) = (['\0'; 32], ['\0'; 32]);
    let (mut na, mut nb) = (0, 0);
    for c in a.chars() {
        if na == 32 {
            return max + 1;
        }
        ca[na] = c;
        na += 1;
    }
    for c in b.chars() {
        if nb == 32 {
            return max + 1;
        }
        cb[nb] = c;
        nb += 1;
    }
    distance(&ca[..na], &cb[..nb], max)
}

fn distance<T: PartialEq>(a: &[T], b: &[T], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max || a.len() > 31 || b.len() > 31 {
        return max + 1;
    }
    let mut prev2 = [0usize; 32];
    let mut prev: [usize; 32] = std::array::from_fn(|j| j);
    let mut cur = [0usize; 32];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return max + 1;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[b.len()]
}

/// Whether title word `t` is within `budget` typos of query word `w`, with cheap guards
/// first (similar length, the first or second letter in place).
fn within_typos(t: &str, w: &str, budget: usize) -> bool {
    if t.is_ascii() && w.is_ascii() {
        let (tb, wb) = (t.as_bytes(), w.as_bytes());
        if tb.is_empty()
            || wb.is_empty()
            || tb.len().abs_diff(wb.len()) > budget
            || (tb[0] != wb[0] && tb.get(1) != wb.get(1))
        {
            return false;
        }
    } else {
        let (mut tc, mut wc) = (t.chars(), w.chars());
        let (t0, w0) = (tc.next(), wc.next());
        if t0.is_none() || w0.is_none() || (t0 != w0 && tc.next() != wc.next()) {
            return false;
        }
        if t.chars().count().abs_diff(w.chars().count()) > budget {
            return false;
        }
    }
    typo_distance(t, w, budget) <= budget
}

/// Typos allowed for a word of this length.
fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The shortest stretch of `hay` holding `needle`'s bytes in order, if short enough to mean
/// the word was typed there (a scattered subsequence in a long text says nothing).
fn compact_span(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let n = needle.len();
    if n == 0 || hay.len() < n {
        return None;
    }
    let limit = n + n / 2 + 1;
    let mut best: Option<usize> = None;
    let first = needle[0];
    let mut start = 0;
    while let Some(off) = memchr::memchr(first, &hay[start..]) {
        let i = start + off;
        let mut k = 1;
        let mut j = i + 1;
        while k < n && j < hay.len() && j - i < limit {
            if hay[j] == needle[k] {
                k += 1;
            }
            j += 1;
        }
        if k == n {
            let span = j - i;
            if best.is_none_or(|b| span < b) {
                best = Some(span);
                if span == n {
                    break;
                }
            }
        }
        start = i + 1;
    }
    best
}

/// Fuzzy match of `w` in `field` with a compact span, scored by fuzzy-matcher's skim
/// algorithm, with the matched character positions (for highlighting).
pub fn compact_fuzzy(m: &SkimMatcherV2, field: &str, w: &str) -> Option<(i64, Vec<usize>)> {
    if w.len() < 2 {
        return None;
    }
    compact_span(field.as_bytes(), w.as_bytes())?;
    let (score, idx) = m.fuzzy_indices(field, w)?;
    Some((score, idx))
}

/// How well word `w` matches one short text (a title, tag or entity): 0 for not at all.
fn word_score(text: &str, w: &str, budget: usize) -> i64 {
    let mut best = 0;
    for t in words_of(text) {
        if t == w {
            return 1000;
        }
        if t.starts_with(w) {
            best = 900;
        }
    }
    if best > 0 {
        return best;
    }
    if w.len() >= 3 {
        if let Some(span) = compact_span(text.as_bytes(), w.as_bytes()) {
            return 500 + (100 * w.len() / span) as i64;
        }
    }
    if budget > 0 && words_of(text).any(|t| within_typos(t, w, budget)) {
        return 450;
    }
    0
}

/// How well query word `w` matches one title word: the whole word (1000), its start (900),
/// its letters close together in order (500 and up), or within the typo budget (450).
fn one_word_score(t: &str, w: &str, budget: usize) -> i64 {
    if t == w {
        return 1000;
    }
    if t.starts_with(w) {
        return 900;
    }
    if w.len() >= 3 && t.len() > w.len() {
        if let Some(span) = compact_span(t.as_bytes(), w.as_bytes()) {
            return 500 + (100 * w.len() / span) as i64;
        }
    }
    if budget > 0 && within_typos(t, w, budget) {
        return 450;
    }
    0
}

/// A query clause prepared against the index's name tables.
enum Compiled {
    Word {
        /// Score against each distinct title word.
        title_words: Vec<i64>,
        /// A word with punctuation inside (`u.s.`, `covid-19`) spans title words: it is
        /// matched against the whole title instead (word, budget).
        spanning: Option<(String, usize)>,
        tags: Vec<i64>,
        entities: Vec<i64>,
        body: Option<Needle>,
    },
    Phrase(Needle),
    /// Sector, tag, source or entity filters: which names pass.
    Names(NameKind, Vec<bool>),
    Date(DayRange),
    Undated,
    Is(State),
    Any(Vec<Compiled>),
}

#[derive(Clone, Copy)]
enum NameKind {
    Sector,
    Tag,
    Source,
    Entity,
}

fn sector_matches(sector: &str, v: &str) -> bool {
    !sector.is_empty()
        && (sector.starts_with(v)
            || sector
                .split(|c: char| c.is_whitespace() || c == '&' || c == '/')
                .any(|w| !w.is_empty() && w.starts_with(v)))
}

/// Whether a field term (`sector:`, `tag:`, `source:`, `entity:`) matches a name, by the
/// same rule the search uses: the facet pane marks what the typed term selects.
pub fn term_matches_name(t: &Term, name: &str) -> bool {
    let n = name.to_lowercase();
    match t {
        Term::Sector(v) => sector_matches(&n, v),
        Term::Tag(v) => n == *v,
        Term::Source(v) => n.contains(v.as_str()),
        Term::Entity(v) => {
            n.starts_with(v.as_str()) || n.split(' ').any(|p| p.starts_with(v.as_str()))
        }
        Term::AnyOf(ts) => ts.iter().any(|t| term_matches_name(t, name)),
        _ => false,
    }
}

fn compile(t: &Term, ix: &Index) -> Compiled {
    let names = |kind: NameKind, table: &[String], f: &dyn Fn(&str) -> bool| {
        Compiled::Names(kind, table.iter().map(|n| f(n)).collect())
    };
    match t {
        Term::Word(w) => {
            let chars = w.chars().count();
            let budget = typo_budget(chars);
            Compiled::Word {
                title_words: ix
                    .word_names
                    .iter()
                    .map(|n| one_word_score(n, w, budget))
                    .collect(),
                spanning: w
                    .chars()
                    .any(|c| !c.is_alphanumeric())
                    .then(|| (w.clone(), budget)),
                tags: ix
                    .tag_names
                    .iter()
                    .map(|n| word_score(n, w, budget).min(850))
                    .collect(),
                entities: ix
                    .entity_names
                    .iter()
                    .map(|n| word_score(n, w, budget).min(850))
                    .collect(),
                body: (chars >= 3 || !w.is_ascii()).then(|| Needle::new(w, true)),
            }
        }
        Term::Phrase(p) => Compiled::Phrase(Needle::new(p, false)),
        Term::Sector(v) => names(NameKind::Sector, &ix.sector_names, &|n| {
            sector_matches(n, v)
        }),
        Term::Tag(v) => names(NameKind::Tag, &ix.tag_names, &|n| n == v),
        Term::Source(v) => names(NameKind::Source, &ix.source_names, &|n| {
            n.contains(v.as_str())
        }),
        Term::Entity(v) => names(NameKind::Entity, &ix.entity_names, &|n| {
            n.starts_with(v.as_str()) || n.split(' ').any(|p| p.starts_with(v.as_str()))
        }),
        Term::Date(r) => Compiled::Date(*r),
        Term::Undated => Compiled::Undated,
        Term::Is(s) => Compiled::Is(*s),
        Term::AnyOf(ts) => Compiled::Any(ts.iter().map(|t| compile(t, ix)).collect()),
    }
}

/// Score of a compiled clause for article `i`, or None. Bodies are searched only when
/// `bodies` is set (the second, slower step).
fn clause_score(
    c: &Compiled,
    a: &Article,
    ix: &Index,
    i: usize,
    state: &dyn ArticleState,
    bodies: bool,
) -> Option<i64> {
    let has = |ok: &[bool], id: u32| id != NONE && ok.get(id as usize).copied().unwrap_or(false);
    match c {
        Compiled::Word {
            title_words,
            spanning,
            tags,
            entities,
            body,
        } => {
            let (from, to) = (
                ix.title_word_at[i] as usize,
                ix.title_word_at[i + 1] as usize,
            );
            let mut best = 0;
            for &w in &ix.title_words[from..to] {
                best = best.max(title_words[w as usize]);
            }
            if let Some((w, budget)) = spanning {
                best = best.max(word_score(&ix.title[i], w, *budget));
            }
            for &t in &ix.tags[i] {
                best = best.max(tags[t as usize]);
            }
            for &e in &ix.entities[i] {
                best = best.max(entities[e as usize]);
            }
            if best > 0 {
                return Some(best);
            }
            if !bodies {
                return None;
            }
            let n = body.as_ref()?.count(a.body.as_bytes(), 20);
            (n > 0).then(|| 100 + n as i64)
        }
        Compiled::Phrase(n) => {
            if n.is_in(ix.title[i].as_bytes()) {
                Some(1200)
            } else if bodies {
                let k = n.count(a.body.as_bytes(), 20);
                (k > 0).then(|| 200 + k as i64)
            } else {
                None
            }
        }
        Compiled::Names(kind, ok) => {
            let hit = match kind {
                NameKind::Sector => has(ok, ix.sector[i]),
                NameKind::Source => has(ok, ix.source[i]),
                NameKind::Tag => ix.tags[i].iter().any(|&t| has(ok, t)),
                NameKind::Entity => ix.entities[i].iter().any(|&t| has(ok, t)),
            };
            hit.then_some(0)
        }
        Compiled::Date(r) => a.date.is_some_and(|d| r.overlaps(&d)).then_some(0),
        Compiled::Undated => a.date.is_none().then_some(0),
        Compiled::Is(State::Bookmarked) => state.is_bookmarked(i).then_some(0),
        Compiled::Is(State::Read) => state.is_read(i).then_some(0),
        Compiled::Is(State::Unread) => (!state.is_read(i)).then_some(0),
        Compiled::Any(cs) => cs
            .iter()
            .find_map(|c| clause_score(c, a, ix, i, state, bodies)),
    }
}

/// Whether a clause could need the body (a word or phrase).
fn needs_body(c: &Compiled) -> bool {
    match c {
        Compiled::Word { body, .. } => body.is_some(),
        Compiled::Phrase(_) => true,
        Compiled::Any(cs) => cs.iter().any(needs_body),
        _ => false,
    }
}

/// Compile a query's clauses against the index: (negated, clause).
fn compile_all(q: &Query, ix: &Index) -> Vec<(bool, Compiled)> {
    q.clauses
        .iter()
        .map(|c| (c.negated, compile(&c.term, ix)))
        .collect()
}

/// An article's score when every clause holds, else None. Bodies are searched only with
/// `bodies`, except for negated clauses: a negated word must be absent from the body too.
fn article_score(
    compiled: &[(bool, Compiled)],
    articles: &[Article],
    ix: &Index,
    i: usize,
    state: &dyn ArticleState,
    bodies: bool,
) -> Option<i64> {
    let a = &articles[i];
    let mut score = 0i64;
    for (negated, c) in compiled {
        match (
            clause_score(c, a, ix, i, state, bodies || *negated),
            negated,
        ) {
            (Some(s), false) => score += s,
            (None, true) => {}
            _ => return None,
        }
    }
    Some(score)
}

/// Run a query. `within` limits the search to earlier results (when the query only grew).
pub fn search(
    articles: &[Article],
    ix: &Index,
    q: &Query,
    state: &(dyn ArticleState + Sync),
    within: Option<&[u32]>,
) -> Vec<Hit> {
    search_steps(articles, ix, q, state, within, &|| false, &mut |_| {}, true).unwrap_or_default()
}

/// How many articles are checked between looks at `cancelled`.
const SLICE: usize = 2048;

/// Below this many candidates one thread does it all.
const PARALLEL_MIN: usize = 8192;

/// Check `candidates` in parallel slices; `None` when cancelled.
fn check_all(
    candidates: &[u32],
    cancelled: &(dyn Fn() -> bool + Sync),
    check: &(dyn Fn(usize) -> Option<i64> + Sync),
) -> Option<Vec<Hit>> {
    let run = |part: &[u32]| -> Option<Vec<Hit>> {
        let mut hits = Vec::new();
        for chunk in part.chunks(SLICE) {
            if cancelled() {
                return None;
            }
            hits.extend(
                chunk
                    .iter()
                    .filter_map(|&i| check(i as usize).map(|score| Hit { idx: i, score })),
            );
        }
        Some(hits)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(4);
    if candidates.len() < PARALLEL_MIN || threads < 2 {
        return run(candidates);
    }
    let per = candidates.len().div_ceil(threads);
    let parts: Vec<Option<Vec<Hit>>> = std::thread::scope(|s| {
        let hs: Vec<_> = candidates
            .chunks(per)
            .map(|p| s.spawn(move || run(p)))
            .collect();
        hs.into_iter().map(|h| h.join().ok().flatten()).collect()
    });
    let mut out = Vec::new();
    for p in parts {
        out.extend(p?);
    }
    Some(out)
}

/// Run a query in two steps: titles, tags, entities and filters first (fast), then bodies
/// for what is left. `first` receives the first step's results, sorted, when a second step
/// follows. `None` as soon as `cancelled` returns true.
pub fn search_in_steps(
    articles: &[Article],
    ix: &Index,
    q: &Query,
    state: &(dyn ArticleState + Sync),
    within: Option<&[u32]>,
    cancelled: &(dyn Fn() -> bool + Sync),
    first: &mut dyn FnMut(&[Hit]),
) -> Option<Vec<Hit>> {
    search_steps(articles, ix, q, state, within, cancelled, first, true)
}

/// Only the first step: titles, tags, entities and filters, no bodies.
pub fn search_quick(
    articles: &[Article],
    ix: &Index,
    q: &Query,
    state: &(dyn ArticleState + Sync),
) -> Vec<Hit> {
    search_steps(articles, ix, q, state, None, &|| false, &mut |_| {}, false).unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn search_steps(
    articles: &[Article],
    ix: &Index,
    q: &Query,
    state: &(dyn ArticleState + Sync),
    within: Option<&[u32]>,
    cancelled: &(dyn Fn() -> bool + Sync),
    first: &mut dyn FnMut(&[Hit]),
    with_bodies: bool,
) -> Option<Vec<Hit>> {
    let compiled = compile_all(q, ix);
    // Checked in storage order, not newest first: the per-article tables are then read
    // front to back instead of at random (results are sorted afterwards anyway).
    let candidates: Vec<u32> = match within {
        Some(w) => {
            let mut v = w.to_vec();
            v.sort_unstable();
            v
        }
        None => (0..articles.len() as u32).collect(),
    };
    let candidates = &candidates[..];
    let check = |i: usize, bodies: bool| article_score(&compiled, articles, ix, i, state, bodies);
    let mut hits = check_all(candidates, cancelled, &|i| check(i, false))?;
    let second = with_bodies && compiled.iter().any(|(neg, c)| !neg && needs_body(c));
    if second {
        sort_hits(ix, q, &mut hits);
        first(&hits);
        let mut found = vec![false; articles.len()];
        for h in &hits {
            found[h.idx as usize] = true;
        }
        let rest: Vec<u32> = candidates
            .iter()
            .copied()
            .filter(|&i| !found[i as usize])
            .collect();
        let more = check_all(&rest, cancelled, &|i| check(i, true))?;
        hits.extend(more);
    }
    sort_hits(ix, q, &mut hits);
    Some(hits)
}

/// Order results: relevance (ties newest first) when the query has words, else newest first.
pub fn sort_hits(ix: &Index, q: &Query, hits: &mut [Hit]) {
    let by_rank = |a: &Hit, b: &Hit| ix.rank[a.idx as usize].cmp(&ix.rank[b.idx as usize]);
    match q.sort {
        Sort::Date => hits.sort_unstable_by_key(|h| ix.rank[h.idx as usize]),
        Sort::Title => hits.sort_by(|a, b| {
            ix.title[a.idx as usize]
                .cmp(&ix.title[b.idx as usize])
                .then_with(|| by_rank(a, b))
        }),
        Sort::Relevance | Sort::Auto if q.has_text() => {
            hits.sort_unstable_by_key(|h| (std::cmp::Reverse(h.score), ix.rank[h.idx as usize]))
        }
        _ => hits.sort_unstable_by_key(|h| ix.rank[h.idx as usize]),
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
        // Characters, not bytes.
        assert_eq!(typo_distance("zürich", "zurich", 1), 1);
        assert_eq!(typo_distance("比亚迪汽车", "比亚迪气车", 1), 1);
        assert!(within_typos("zürich", "zurich", 1));
    }

    #[test]
    fn compact_fuzzy_refuses_scattered_letters() {
        let m = SkimMatcherV2::default().ignore_case();
        assert!(
            compact_fuzzy(&m, "china establishes metaverse working group", "metavrse").is_some()
        );
        assert!(compact_fuzzy(&m, "the ten year central entertainment", "tencent").is_none());
    }

    fn titled(titles: &[&str]) -> Vec<Article> {
        titles
            .iter()
            .map(|t| Article {
                id: t.to_string(),
                title: t.to_string(),
                body: String::new(),
                ..Article::default()
            })
            .collect()
    }

    #[test]
    fn title_words_rank_whole_then_start_then_close_letters_then_typos() {
        let arts = titled(&[
            "Metaversal thinking in Beijing",
            "China establishes metaverse working group",
            "A metavrse typo in a headline",
            "Metaverses compared",
            "Nothing to see here",
            "比亚迪汽车 sales rise",
            "Tencent and Alibaba",
        ]);
        let ix = Index::build(&arts);
        let titles = |q: &str| -> Vec<String> {
            let q = super::super::parse::parse(q).expect("query");
            search(&arts, &ix, &q, &NoState, None)
                .iter()
                .map(|h| arts[h.idx as usize].title.clone())
                .collect()
        };
        // "metavrse": the whole word first, then the typo'd forms.
        let got = titles("metavrse");
        assert_eq!(got[0], "A metavrse typo in a headline");
        assert!(got.contains(&"China establishes metaverse working group".to_string()));
        assert!(!got.contains(&"Nothing to see here".to_string()));
        // A word start beats letters close together.
        let got = titles("metaverse");
        assert_eq!(got[0], "China establishes metaverse working group");
        assert_eq!(got[1], "Metaverses compared");
        // Letters in order inside one word; CJK inside a run of characters.
        assert_eq!(titles("tcnt"), ["Tencent and Alibaba"]);
        assert_eq!(titles("亚迪"), ["比亚迪汽车 sales rise"]);
        // Words with punctuation inside match across title words.
        let arts = titled(&["U.S. curbs chip exports", "Covid-19 slows factories"]);
        let ix = Index::build(&arts);
        for (q, want) in [("u.s.", 0), ("covid-19", 1)] {
            let q = super::super::parse::parse(q).expect("query");
            let hits = search(&arts, &ix, &q, &NoState, None);
            assert_eq!(hits.len(), 1, "{q:?}");
            assert_eq!(hits[0].idx, want);
        }
    }
}
