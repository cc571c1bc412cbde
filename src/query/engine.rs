//! Running a query over a corpus: one engine for the CLI and the TUI. Each clause is
//! compiled against the index's name tables, then scored article by article: titles, tags,
//! entities and filters first, bodies in a second step.

use super::find::Needle;
use super::index::words_of;
pub use super::index::{Index, NONE};
use super::parse::{DayRange, Query, Sort, State, Term};
use super::typos::{compact_span, typo_budget, within_typos};
use crate::corpus::stored::{BodyMatch, Stored};
use crate::corpus::{Article, Corpus};
use crate::import::infer::canonical_tag;

/// The articles a query runs over, and where those whose bodies are not in memory keep
/// them (the library's).
#[derive(Clone, Copy)]
pub struct Docs<'a> {
    pub articles: &'a [Article],
    pub stored: Option<&'a Stored>,
}

impl<'a> From<&'a [Article]> for Docs<'a> {
    fn from(articles: &'a [Article]) -> Docs<'a> {
        Docs {
            articles,
            stored: None,
        }
    }
}

impl<'a> From<&'a Vec<Article>> for Docs<'a> {
    fn from(articles: &'a Vec<Article>) -> Docs<'a> {
        Docs {
            articles,
            stored: None,
        }
    }
}

impl<'a> From<&'a Corpus> for Docs<'a> {
    fn from(c: &'a Corpus) -> Docs<'a> {
        Docs {
            articles: &c.articles,
            stored: c.stored(),
        }
    }
}

/// Matches counted in stored bodies, by article (0: none), as the second step needs them.
type Counts = Option<Vec<u8>>;

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

/// One result: the article index and its relevance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub idx: u32,
    pub score: i64,
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
    // Each character of `w` that is not a letter or digit costs an edit against any word of
    // the text (words have none): with more of them than the budget, no word is near.
    if budget > 0
        && w.chars().filter(|c| !c.is_alphanumeric()).count() <= budget
        && words_of(text).any(|t| within_typos(t, w, budget))
    {
        return 450;
    }
    0
}

/// `word_score`'s verdict on each of `names` as one word of a text: the whole word (1000),
/// its start (900), within the typo budget (450), or nothing.
fn spanning_scores(names: &[String], w: &str, budget: usize) -> Vec<i64> {
    let punct = w.chars().filter(|c| !c.is_alphanumeric()).count();
    names
        .iter()
        .map(|t| {
            if t == w {
                1000
            } else if t.starts_with(w) {
                900
            } else if budget > 0 && punct <= budget && within_typos(t, w, budget) {
                450
            } else {
                0
            }
        })
        .collect()
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

/// How well query word `w` matches a tag or entity: as `word_score`, at most 850, and a
/// typo's match just below a title word's typo.
fn name_score(n: &str, w: &str, budget: usize) -> i64 {
    match word_score(n, w, budget).min(850) {
        450 => 440,
        s => s,
    }
}

/// A query clause prepared against the index's name tables.
enum Compiled {
    Word {
        /// Score against each distinct title word.
        title_words: Vec<i64>,
        /// A word with punctuation inside (`u.s.`, `covid-19`) spans title words: it is
        /// matched against the whole title instead, as `word_score` does: (the word, its
        /// score against each distinct title word: whole 1000, start 900, typos 450).
        spanning: Option<(String, Vec<i64>)>,
        tags: Vec<i64>,
        entities: Vec<i64>,
        body: Option<Needle>,
        stored: Counts,
    },
    Phrase(Needle, Counts),
    /// Sector, tag, source or entity filters: which names pass.
    Names(NameKind, Vec<bool>),
    Date(DayRange),
    Undated,
    Is(State),
    Any(Vec<Compiled>),
    /// Groups of (negated, clause), any of which must hold entirely.
    Or(Vec<Vec<(bool, Compiled)>>),
}

#[derive(Clone, Copy)]
enum NameKind {
    Sector,
    Tag,
    Source,
    Entity,
    Feed,
    Author,
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
        Term::Tag(v) => same_tag(&n, v),
        Term::Source(v) => n.contains(v.as_str()),
        Term::Entity(v) => {
            n.starts_with(v.as_str()) || n.split(' ').any(|p| p.starts_with(v.as_str()))
        }
        Term::Feed(v) => feed_matches(&n, v),
        Term::Author(v) => {
            n.starts_with(v.as_str())
                || n.split(|c: char| !c.is_alphanumeric())
                    .any(|p| !p.is_empty() && p.starts_with(v.as_str()))
        }
        Term::AnyOf(ts) => ts.iter().any(|t| term_matches_name(t, name)),
        _ => false,
    }
}

/// Whether tag `name` is the tag `v` asked for: the same, or the same concept as imports
/// write it (`tag:auto` finds `#autos`, `#layoffs` finds `#layoff`, in any corpus).
fn same_tag(name: &str, v: &str) -> bool {
    name == v || canonical_tag(name) == canonical_tag(v)
}

/// Whether a feed ("title\u{1}host", lower case) is named by `v`: a prefix of its title or
/// of a word of it, or of its host.
fn feed_matches(name: &str, v: &str) -> bool {
    let (title, host) = name.split_once('\u{1}').unwrap_or((name, ""));
    title.starts_with(v)
        || title
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| !w.is_empty() && w.starts_with(v))
        || (!host.is_empty() && host.starts_with(v))
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
                    .then(|| (w.clone(), spanning_scores(&ix.word_names, w, budget))),
                // A tag or entity within the typo budget ranks below a title word within
                // it: the title is what the reader sees matched.
                tags: ix
                    .tag_names
                    .iter()
                    .map(|n| name_score(n, w, budget))
                    .collect(),
                entities: ix
                    .entity_names
                    .iter()
                    .map(|n| name_score(n, w, budget))
                    .collect(),
                body: (chars >= 3 || !w.is_ascii()).then(|| Needle::new(w, true)),
                stored: None,
            }
        }
        Term::Phrase(p) => Compiled::Phrase(Needle::new(p, false), None),
        Term::Sector(v) => names(NameKind::Sector, &ix.sector_names, &|n| {
            sector_matches(n, v)
        }),
        Term::Tag(v) => {
            let want = canonical_tag(v);
            names(NameKind::Tag, &ix.tag_names, &|n| {
                n == v || canonical_tag(n) == want
            })
        }
        Term::Source(v) => names(NameKind::Source, &ix.source_names, &|n| {
            n.contains(v.as_str())
        }),
        Term::Entity(v) => names(NameKind::Entity, &ix.entity_names, &|n| {
            n.starts_with(v.as_str()) || n.split(' ').any(|p| p.starts_with(v.as_str()))
        }),
        Term::Feed(v) => names(NameKind::Feed, &ix.feed_names, &|n| feed_matches(n, v)),
        Term::Author(v) => names(NameKind::Author, &ix.author_names, &|n| {
            n.starts_with(v.as_str())
                || n.split(|c: char| !c.is_alphanumeric())
                    .any(|p| !p.is_empty() && p.starts_with(v.as_str()))
        }),
        Term::Date(r) => Compiled::Date(*r),
        Term::Undated => Compiled::Undated,
        Term::Is(s) => Compiled::Is(*s),
        Term::AnyOf(ts) => Compiled::Any(ts.iter().map(|t| compile(t, ix)).collect()),
        Term::Or(groups) => Compiled::Or(
            groups
                .iter()
                .map(|g| {
                    g.iter()
                        .map(|c| (c.negated, compile(&c.term, ix)))
                        .collect()
                })
                .collect(),
        ),
    }
}

/// The score of a group of clauses that must all hold, or None. A negated clause is looked
/// for in the body even in the quick step: its word must be absent from the body too.
fn all_score(
    compiled: &[(bool, Compiled)],
    a: &Article,
    ix: &Index,
    i: usize,
    state: &dyn ArticleState,
    bodies: bool,
    on_disk: bool,
) -> Option<i64> {
    let mut score = 0i64;
    for (negated, c) in compiled {
        match (
            clause_score(c, a, ix, i, state, bodies || *negated, on_disk),
            negated,
        ) {
            (Some(s), false) => score += s,
            (None, true) => {}
            _ => return None,
        }
    }
    Some(score)
}

/// Score of a compiled clause for article `i`, or None. Bodies are searched only when
/// `bodies` is set (the second, slower step).
#[allow(clippy::too_many_arguments)]
fn clause_score(
    c: &Compiled,
    a: &Article,
    ix: &Index,
    i: usize,
    state: &dyn ArticleState,
    bodies: bool,
    on_disk: bool,
) -> Option<i64> {
    // Matches in the body: counted in the store for a stored body, else here.
    let count = |n: &Needle, stored: &Counts| match stored {
        Some(c) if on_disk => usize::from(c.get(i).copied().unwrap_or(0)),
        _ => n.count(a.body.as_bytes(), 20),
    };
    let has = |ok: &[bool], id: u32| id != NONE && ok.get(id as usize).copied().unwrap_or(false);
    match c {
        Compiled::Word {
            title_words,
            spanning,
            tags,
            entities,
            body,
            stored,
        } => {
            let (from, to) = (
                ix.title_word_at[i] as usize,
                ix.title_word_at[i + 1] as usize,
            );
            let mut best = 0;
            for &w in &ix.title_words[from..to] {
                best = best.max(title_words[w as usize]);
            }
            if let Some((w, scores)) = spanning {
                // `word_score` over the title, its words looked up rather than compared.
                let mut b = 0;
                for &t in &ix.title_words[from..to] {
                    b = b.max(scores[t as usize]);
                }
                if b < 900 && w.len() >= 3 {
                    if let Some(span) = compact_span(ix.title[i].as_bytes(), w.as_bytes()) {
                        b = 500 + (100 * w.len() / span) as i64;
                    }
                }
                best = best.max(b);
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
            let n = count(body.as_ref()?, stored);
            (n > 0).then(|| 100 + n as i64)
        }
        Compiled::Phrase(n, stored) => {
            if n.is_in(ix.title[i].as_bytes()) {
                Some(1200)
            } else if bodies {
                let k = count(n, stored);
                (k > 0).then(|| 200 + k as i64)
            } else {
                None
            }
        }
        Compiled::Names(kind, ok) => {
            let hit = match kind {
                NameKind::Sector => has(ok, ix.sector[i]),
                NameKind::Source => has(ok, ix.source[i]),
                NameKind::Feed => has(ok, ix.feed[i]),
                NameKind::Author => has(ok, ix.author[i]),
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
            .find_map(|c| clause_score(c, a, ix, i, state, bodies, on_disk)),
        // Every group that holds adds its score: an article about both ranks higher.
        Compiled::Or(groups) => groups
            .iter()
            .filter_map(|g| all_score(g, a, ix, i, state, bodies, on_disk))
            .reduce(|x, y| x + y),
    }
}

/// Whether a clause could need the body (a word or phrase).
fn needs_body(c: &Compiled) -> bool {
    match c {
        Compiled::Word { body, .. } => body.is_some(),
        Compiled::Phrase(..) => true,
        Compiled::Any(cs) => cs.iter().any(needs_body),
        Compiled::Or(groups) => groups
            .iter()
            .flatten()
            .any(|(neg, c)| !neg && needs_body(c)),
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
    docs: Docs<'_>,
    ix: &Index,
    i: usize,
    state: &dyn ArticleState,
    bodies: bool,
) -> Option<i64> {
    let on_disk = docs.stored.is_some_and(|s| s.holds(i));
    all_score(compiled, &docs.articles[i], ix, i, state, bodies, on_disk)
}

/// Count the matches of the body clauses of `compiled` that `which` picks (by whether they
/// are negated) in the stored bodies. `None` when cancelled.
fn count_stored(
    compiled: &mut [(bool, Compiled)],
    which: &dyn Fn(bool) -> bool,
    docs: Docs<'_>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<()> {
    let Some(st) = docs.stored else {
        return Some(());
    };
    /// Count `c`'s needles; with `only_negated`, only those under a negation (inside a
    /// group: the quick step needs them).
    fn one(
        c: &mut Compiled,
        only_negated: bool,
        st: &Stored,
        len: usize,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<()> {
        if let Compiled::Or(groups) = c {
            for (neg, c) in groups.iter_mut().flatten() {
                one(c, only_negated && !*neg, st, len, cancelled)?;
            }
            return Some(());
        }
        if only_negated {
            return Some(());
        }
        let (needle, slot, word_start) = match c {
            Compiled::Word {
                body: Some(n),
                stored,
                ..
            } => (&*n, stored, true),
            Compiled::Phrase(n, stored) => (&*n, stored, false),
            Compiled::Any(cs) => {
                for c in cs {
                    one(c, false, st, len, cancelled)?;
                }
                return Some(());
            }
            _ => return Some(()),
        };
        if slot.is_some() || needle.is_empty() {
            return Some(());
        }
        let m = BodyMatch {
            text: needle.text().to_string(),
            word_start,
        };
        let mut counts = vec![0u8; len];
        // A body that cannot be read counts as not matching (the reader says so when it
        // opens the article).
        if let Some(mut found) = st
            .store
            .count_matches(&m, 20, cancelled)
            .unwrap_or(Some(Vec::new()))
        {
            if !found.is_sorted_by_key(|&(r, _)| r) {
                found.sort_unstable_by_key(|&(r, _)| r);
            }
            st.each_idx(&found, |&(r, _)| r, |i, &(_, k)| counts[i] = k);
        } else {
            return None;
        }
        *slot = Some(counts);
        Some(())
    }
    for (neg, c) in compiled.iter_mut() {
        one(c, !which(*neg), st, docs.articles.len(), cancelled)?;
    }
    Some(())
}

/// Run a query. `within` limits the search to earlier results (when the query only grew).
pub fn search<'a>(
    docs: impl Into<Docs<'a>>,
    ix: &Index,
    q: &Query,
    state: &(dyn ArticleState + Sync),
    within: Option<&[u32]>,
) -> Vec<Hit> {
    search_steps(
        docs.into(),
        ix,
        q,
        state,
        within,
        &|| false,
        &mut |_| {},
        true,
    )
    .unwrap_or_default()
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
        .map_or(1, std::num::NonZero::get)
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
pub fn search_in_steps<'a>(
    docs: impl Into<Docs<'a>>,
    ix: &Index,
    q: &Query,
    state: &(dyn ArticleState + Sync),
    within: Option<&[u32]>,
    cancelled: &(dyn Fn() -> bool + Sync),
    first: &mut dyn FnMut(&[Hit]),
) -> Option<Vec<Hit>> {
    search_steps(docs.into(), ix, q, state, within, cancelled, first, true)
}

/// Only the first step: titles, tags, entities and filters, no bodies (but negated words,
/// which must be absent from bodies too).
pub fn search_quick<'a>(
    docs: impl Into<Docs<'a>>,
    ix: &Index,
    q: &Query,
    state: &(dyn ArticleState + Sync),
) -> Vec<Hit> {
    search_steps(
        docs.into(),
        ix,
        q,
        state,
        None,
        &|| false,
        &mut |_| {},
        false,
    )
    .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn search_steps(
    docs: Docs<'_>,
    ix: &Index,
    q: &Query,
    state: &(dyn ArticleState + Sync),
    within: Option<&[u32]>,
    cancelled: &(dyn Fn() -> bool + Sync),
    first: &mut dyn FnMut(&[Hit]),
    with_bodies: bool,
) -> Option<Vec<Hit>> {
    let articles = docs.articles;
    let mut compiled = compile_all(q, ix);
    // Negated words are looked for in bodies in the first step already.
    count_stored(&mut compiled, &|neg| neg, docs, cancelled)?;
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
    let second = with_bodies && compiled.iter().any(|(neg, c)| !neg && needs_body(c));
    let mut hits = {
        let compiled = &compiled;
        check_all(candidates, cancelled, &|i| {
            article_score(compiled, docs, ix, i, state, false)
        })?
    };
    if second {
        sort_hits(ix, q, &mut hits);
        first(&hits);
        count_stored(&mut compiled, &|neg| !neg, docs, cancelled)?;
        let compiled = &compiled;
        let check = |i: usize, bodies: bool| article_score(compiled, docs, ix, i, state, bodies);
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
    let rank = |h: &Hit| ix.rank[h.idx as usize];
    match q.sort {
        Sort::Title => hits.sort_by(|a, b| {
            ix.title[a.idx as usize]
                .cmp(&ix.title[b.idx as usize])
                .then_with(|| rank(a).cmp(&rank(b)))
        }),
        Sort::Relevance | Sort::Auto if q.has_text() => sort_by_key_cached(hits, |h| {
            // Higher scores first, then newest (ranks are unique, so no two keys tie).
            let score = u64::try_from(h.score.clamp(0, i64::from(u32::MAX))).unwrap_or(0);
            ((u64::from(u32::MAX) - score) << 32) | u64::from(rank(h))
        }),
        _ => sort_by_key_cached(hits, |h| u64::from(rank(h))),
    }
}

/// Sort by a key worked out once per hit, as plain numbers: a million hits sort without
/// reading the index's tables at random on every comparison. A radix sort (least
/// significant byte first, skipping the bytes every key shares): a few passes over the
/// hits instead of ~20 rounds of comparisons each. Stable, so the order is exactly that of
/// sorting by the key.
fn sort_by_key_cached(hits: &mut [Hit], key: impl Fn(&Hit) -> u64) {
    if hits.len() < 256 {
        hits.sort_by_cached_key(|h| key(h));
        return;
    }
    let mut keyed: Vec<(u64, Hit)> = hits.iter().map(|h| (key(h), *h)).collect();
    radix_sort(&mut keyed);
    for (slot, (_, h)) in hits.iter_mut().zip(keyed) {
        *slot = h;
    }
}

/// Sort by the `u64` stably, least significant byte first.
fn radix_sort<T: Copy>(items: &mut Vec<(u64, T)>) {
    let mut counts = vec![[0usize; 256]; 8];
    for (k, _) in items.iter() {
        for (b, c) in counts.iter_mut().enumerate() {
            c[((k >> (8 * b)) & 0xff) as usize] += 1;
        }
    }
    let n = items.len();
    let mut other: Vec<(u64, T)> = Vec::with_capacity(n);
    for (b, c) in counts.iter().enumerate() {
        // Every key has the same byte here: nothing to do.
        if c.contains(&n) {
            continue;
        }
        let mut at = [0usize; 256];
        let mut sum = 0;
        for (slot, &x) in at.iter_mut().zip(c.iter()) {
            *slot = sum;
            sum += x;
        }
        other.clear();
        other.resize(n, items[0]);
        for &item in items.iter() {
            let d = ((item.0 >> (8 * b)) & 0xff) as usize;
            other[at[d]] = item;
            at[d] += 1;
        }
        std::mem::swap(items, &mut other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::typos::{compact_fuzzy, typo_distance};
    use fuzzy_matcher::skim::SkimMatcherV2;

    #[test]
    fn the_radix_sort_sorts_stably_by_the_key() {
        // Keys spread over several bytes, with repeats (stability shows in the payloads).
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut items: Vec<(u64, usize)> = (0..5000)
            .map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let k = match i % 3 {
                    0 => seed,
                    1 => seed & 0xff00_ff00,
                    _ => (seed % 7) << 40,
                };
                (k, i)
            })
            .collect();
        let mut expect = items.clone();
        expect.sort_by_key(|&(k, _)| k);
        radix_sort(&mut items);
        assert_eq!(items, expect);
        let mut one = vec![(5u64, 1usize); 300];
        radix_sort(&mut one);
        assert!(one.iter().all(|&x| x == (5, 1)));
    }

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
    fn a_title_within_a_typo_ranks_above_an_entity_within_one() {
        let mut arts = titled(&["Markets rally on earnings", "Tencent opens a lab"]);
        // The entity's article is the newer one: only the rank can put the title first.
        arts[0].entities = vec!["Tencent".into()];
        arts[0].date = "2025-01-02".parse().ok();
        arts[1].date = "2021-01-02".parse().ok();
        let ix = Index::build(&arts);
        let q = super::super::parse::parse("tencnet").expect("query");
        let got: Vec<&str> = search(&arts, &ix, &q, &NoState, None)
            .iter()
            .map(|h| arts[h.idx as usize].title.as_str())
            .collect();
        assert_eq!(got, ["Tencent opens a lab", "Markets rally on earnings"]);
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

    #[test]
    fn a_tag_is_found_whatever_its_number_or_case() {
        let mut arts = titled(&["One", "Two", "Three"]);
        arts[0].tags = vec!["autos".into()];
        arts[1].tags = vec!["layoff".into()];
        arts[2].tags = vec!["batteries".into()];
        let ix = Index::build(&arts);
        let ids = |q: &str| -> Vec<u32> {
            let q = super::super::parse::parse(q).expect("query");
            search(&arts, &ix, &q, &NoState, None)
                .iter()
                .map(|h| h.idx)
                .collect()
        };
        assert_eq!(ids("tag:auto"), [0]);
        assert_eq!(ids("#Autos"), [0]);
        assert_eq!(ids("#layoffs"), [1]);
        assert_eq!(
            ids("tag:battery"),
            [2],
            "a corpus not imported by folio too"
        );
        assert!(term_matches_name(&Term::Tag("auto".into()), "autos"));
    }

    #[test]
    fn feed_names_a_feed_by_its_title_or_host() {
        let mut arts = titled(&["One", "Two", "Three"]);
        arts[0].feed = Some("Ars Technica".into());
        arts[0].feed_url = Some("https://feeds.arstechnica.com/arstechnica/index".into());
        arts[1].feed = Some("The Verge".into());
        arts[1].feed_url = Some("https://www.theverge.com/rss/index.xml".into());
        let ix = Index::build(&arts);
        let ids = |q: &str| -> Vec<u32> {
            let q = super::super::parse::parse(q).expect("query");
            let mut v: Vec<u32> = search(&arts, &ix, &q, &NoState, None)
                .iter()
                .map(|h| h.idx)
                .collect();
            v.sort_unstable();
            v
        };
        assert_eq!(ids("feed:ars"), [0]);
        assert_eq!(ids("feed:technica"), [0], "a word of the title");
        assert_eq!(ids("feed:theverge.com"), [1], "the host, without www.");
        assert_eq!(ids("feed:\"the verge\""), [1]);
        assert_eq!(ids("-feed:ars"), [1, 2]);
        assert_eq!(ids("feed:ars,verge"), [0, 1]);
    }
}
