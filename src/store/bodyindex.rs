//! The full-text index of the library's bodies: a tantivy index in `library.index/` beside
//! `library.db`. It is derived data: missing or damaged, it is built again from the
//! database, and searches stay exact meanwhile (what it has not caught up with is read from
//! the database).
//!
//! - Words are what the query engine calls words: runs of ASCII letters and digits and of
//!   any non-ASCII characters, split at every other ASCII character, with ASCII letters in
//!   lower case (nothing else folded). A query word that starts with an ASCII letter matches
//!   at the start of a body word, so its matches in a body are the postings of the index's
//!   terms that start with it, and how often it occurs there is their frequencies' sum: no
//!   body is read.
//! - Each commit carries, as its payload, the number of the last change of the library's
//!   change log it has applied (and, while a first build is under way, the last row built).
//!   Whoever indexes carries on from there; a reader knows which rows the index has not
//!   caught up with and reads those from the database.

use super::error::StoreError;
use std::path::{Path, PathBuf};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The index's folder name, beside the library.
pub const INDEX_DIR: &str = "library.index";

const TOKENIZER: &str = "folio_words";

/// Longer words are cut to this many bytes (on a character boundary) in the index; a query
/// word longer than this is looked for in the bodies themselves.
pub const MAX_TERM: usize = 200;

/// The index folder of the library at `library`.
pub fn dir_for(library: &Path) -> PathBuf {
    library.with_file_name(INDEX_DIR)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The words of `text`: (start, end) byte offsets, as the index splits it.
pub fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < b.len() && !is_word_byte(b[at]) {
            at += 1;
        }
        if at >= b.len() {
            return None;
        }
        let s = at;
        while at < b.len() && is_word_byte(b[at]) {
            at += 1;
        }
        Some((s, at))
    })
}

/// Whether `text` has a word longer than `MAX_TERM` bytes.
fn has_long_word(text: &str) -> bool {
    let mut run = 0usize;
    for &b in text.as_bytes() {
        if is_word_byte(b) {
            run += 1;
            if run > MAX_TERM {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// A word as the index keeps it: ASCII in lower case, cut to `MAX_TERM` bytes.
pub fn term_of(word: &str) -> String {
    let mut cut = word.len().min(MAX_TERM);
    while !word.is_char_boundary(cut) {
        cut -= 1;
    }
    word[..cut].to_ascii_lowercase()
}

/// The tokenizer for bodies (see the module's description).
#[derive(Clone, Default)]
pub struct Words;

pub struct WordStream<'a> {
    text: &'a str,
    at: usize,
    token: Token,
}

impl Tokenizer for Words {
    type TokenStream<'a> = WordStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        WordStream {
            text,
            at: 0,
            token: Token::default(),
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let b = self.text.as_bytes();
        while self.at < b.len() && !is_word_byte(b[self.at]) {
            self.at += 1;
        }
        if self.at >= b.len() {
            return false;
        }
        let s = self.at;
        while self.at < b.len() && is_word_byte(b[self.at]) {
            self.at += 1;
        }
        let mut cut = self.at.min(s + MAX_TERM);
        while !self.text.is_char_boundary(cut) {
            cut -= 1;
        }
        self.token.text.clear();
        self.token.text.push_str(&self.text[s..cut]);
        self.token.text.make_ascii_lowercase();
        self.token.offset_from = s;
        self.token.offset_to = self.at;
        self.token.position = self.token.position.wrapping_add(1);
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// What the index has applied, kept as each commit's payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Applied {
    /// The last change (of the library's change log) applied.
    pub seq: i64,
    /// While a first build is under way: the last row built (rows after it are not in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub built_upto: Option<i64>,
    /// The highest row ever put in the index (a change to a row above it is a new row: it
    /// has nothing to take out first). `None` from an index written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_upto: Option<i64>,
}

/// The shown text of each of `ns` (ascending) still in the library: read as one range
/// when they lie close together (the rows an add made), else one by one.
fn bodies_of(
    conn: &rusqlite::Connection,
    shown: &str,
    ns: &[i64],
) -> rusqlite::Result<Vec<(i64, String)>> {
    let (Some(&first), Some(&last)) = (ns.first(), ns.last()) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(ns.len());
    let span = usize::try_from(last - first).unwrap_or(usize::MAX);
    if ns.len() >= 64 && span < ns.len().saturating_mul(2) {
        let mut st =
            conn.prepare_cached(&format!("{shown} WHERE n >= ?1 AND n <= ?2 ORDER BY n"))?;
        let mut rows = st.query([first, last])?;
        let mut k = 0;
        while let Some(r) = rows.next()? {
            let n: i64 = r.get(0)?;
            while k < ns.len() && ns[k] < n {
                k += 1;
            }
            if ns.get(k) == Some(&n) {
                out.push((n, r.get(1)?));
            }
        }
    } else {
        use rusqlite::OptionalExtension;
        let mut st = conn.prepare_cached(&format!("{shown} WHERE n = ?1"))?;
        for &n in ns {
            if let Some(text) = st.query_row([n], |r| r.get::<_, String>(1)).optional()? {
                out.push((n, text));
            }
        }
    }
    Ok(out)
}

/// The body index, opened for searching (and, by `update`, for writing).
pub struct BodyIndex {
    pub(super) index: tantivy::Index,
    pub(super) reader: tantivy::IndexReader,
    pub(super) body: Field,
    pub(super) row: Field,
    /// 1 in a document with a word longer than `MAX_TERM` (cut in the index, so a text
    /// inside its end is found only by reading the body).
    pub(super) long: Field,
}

impl std::fmt::Debug for BodyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyIndex").finish_non_exhaustive()
    }
}

fn schema() -> Schema {
    let mut sb = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_fieldnorms(false)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    sb.add_text_field("body", text);
    sb.add_i64_field("row", tantivy::schema::INDEXED | tantivy::schema::FAST);
    sb.add_u64_field("long", tantivy::schema::INDEXED);
    sb.build()
}

fn index_error(dir: &Path, e: &tantivy::TantivyError) -> StoreError {
    StoreError::Damaged {
        path: dir.to_path_buf(),
        why: e.to_string(),
    }
}

impl BodyIndex {
    fn from_index(dir: &Path, index: tantivy::Index) -> Result<BodyIndex, StoreError> {
        index.tokenizers().register(TOKENIZER, Words);
        let s = index.schema();
        let (Ok(body), Ok(row), Ok(long)) =
            (s.get_field("body"), s.get_field("row"), s.get_field("long"))
        else {
            return Err(StoreError::Damaged {
                path: dir.to_path_buf(),
                why: "not folio's index".into(),
            });
        };
        let reader = index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| index_error(dir, &e))?;
        Ok(BodyIndex {
            index,
            reader,
            body,
            row,
            long,
        })
    }

    /// Open the index for searching; `None` when there is none (or it cannot be read: it is
    /// then built again by whoever updates it next).
    pub fn open(dir: &Path) -> Option<BodyIndex> {
        if !dir.join("meta.json").exists() {
            return None;
        }
        let index = tantivy::Index::open_in_dir(dir).ok()?;
        BodyIndex::from_index(dir, index).ok()
    }

    /// Open the index, or make a new one (in place of one that cannot be read).
    pub fn open_or_create(dir: &Path) -> Result<BodyIndex, StoreError> {
        if let Some(ix) = BodyIndex::open(dir) {
            return Ok(ix);
        }
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| StoreError::io("remove", dir, &e))?;
        }
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, &e))?;
        let index =
            tantivy::Index::create_in_dir(dir, schema()).map_err(|e| index_error(dir, &e))?;
        BodyIndex::from_index(dir, index)
    }

    /// What the last commit applied (`None`: nothing yet).
    pub fn applied(&self) -> Option<Applied> {
        let metas = self.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    /// See the latest commit; returns what it applied. The payload is read first, so a
    /// commit landing in between makes the index look behind, never ahead.
    pub fn refresh(&self) -> Option<Applied> {
        let a = self.applied();
        let _ = self.reader.reload();
        a
    }
}

/// Which of the index's terms a text matches, and how many times in each.
pub(super) enum Terms<'a> {
    /// Every term that starts with this (once each).
    Prefix(&'a str),
    /// Every term for which this gives a count above 0 (the whole dictionary is read).
    Each(&'a dyn Fn(&str) -> u32),
}

/// The exclusive upper end of the byte strings that start with `p`, if any.
fn prefix_end(p: &[u8]) -> Option<Vec<u8>> {
    let mut hi = p.to_vec();
    while let Some(last) = hi.pop() {
        if last < 0xFF {
            hi.push(last + 1);
            return Some(hi);
        }
    }
    None
}

impl BodyIndex {
    /// The document for row `n` with body `text`.
    fn document(&self, n: i64, text: &str) -> tantivy::TantivyDocument {
        let mut d = tantivy::TantivyDocument::default();
        d.add_text(self.body, text);
        d.add_i64(self.row, n);
        if has_long_word(text) {
            d.add_u64(self.long, 1);
        }
        d
    }

    /// The highest row any document of the index has (0 for none).
    fn highest_row(&self) -> tantivy::Result<i64> {
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        let mut top = 0;
        for seg in searcher.segment_readers() {
            if seg.max_doc() > 0 {
                top = top.max(seg.fast_fields().i64("row")?.max_value());
            }
        }
        Ok(top)
    }

    /// Rows of the live documents with a word longer than `MAX_TERM`, in order.
    pub(super) fn long_rows(&self, searcher: &tantivy::Searcher) -> tantivy::Result<Vec<i64>> {
        let q = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_u64(self.long, 1),
            IndexRecordOption::Basic,
        );
        let found = searcher.search(&q, &tantivy::collector::DocSetCollector)?;
        Self::rows_of(searcher, found)
    }

    fn rows_of(
        searcher: &tantivy::Searcher,
        found: std::collections::HashSet<tantivy::DocAddress>,
    ) -> tantivy::Result<Vec<i64>> {
        let mut rows = Vec::with_capacity(found.len());
        let columns: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().i64("row"))
            .collect::<tantivy::Result<_>>()?;
        for a in found {
            if let Some(r) = columns
                .get(a.segment_ord as usize)
                .and_then(|c| c.first(a.doc_id))
            {
                rows.push(r);
            }
        }
        rows.sort_unstable();
        rows.dedup();
        Ok(rows)
    }

    /// For every live document with a matching term: (row, Σ count × frequency, at most
    /// `cap`). `None` when cancelled.
    pub(super) fn count_terms(
        &self,
        searcher: &tantivy::Searcher,
        terms: &Terms<'_>,
        cap: u8,
        cancelled: &dyn Fn() -> bool,
    ) -> tantivy::Result<Option<Vec<(i64, u8)>>> {
        use tantivy::postings::Postings;
        use tantivy::DocSet;
        let mut out = Vec::new();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(self.body)?;
            let rows = seg.fast_fields().i64("row")?;
            let alive = seg.alive_bitset();
            let mut counts = vec![0u8; seg.max_doc() as usize];
            let dict = inv.terms();
            let mut stream = match terms {
                Terms::Prefix(p) => {
                    let range = dict.range().ge(p.as_bytes());
                    match prefix_end(p.as_bytes()) {
                        Some(hi) => range.lt(hi),
                        None => range,
                    }
                    .into_stream()?
                }
                Terms::Each(_) => dict.stream()?,
            };
            let mut seen = 0u32;
            while stream.advance() {
                seen += 1;
                if seen.is_multiple_of(4096) && cancelled() {
                    return Ok(None);
                }
                let times = match terms {
                    Terms::Prefix(_) => 1,
                    Terms::Each(f) => match std::str::from_utf8(stream.key()) {
                        Ok(t) => f(t),
                        Err(_) => 0,
                    },
                };
                if times == 0 {
                    continue;
                }
                let mut p =
                    inv.read_postings_from_terminfo(stream.value(), IndexRecordOption::WithFreqs)?;
                let mut d = p.doc();
                while d != tantivy::TERMINATED {
                    if alive.is_none_or(|a| a.is_alive(d)) {
                        let c = &mut counts[d as usize];
                        *c = (u32::from(*c) + times.saturating_mul(p.term_freq()))
                            .min(u32::from(cap)) as u8;
                    }
                    d = p.advance();
                }
            }
            for (d, &c) in counts.iter().enumerate() {
                if c > 0 {
                    if let Some(r) = rows.first(d as u32) {
                        out.push((r, c));
                    }
                }
            }
        }
        out.sort_unstable_by_key(|&(r, _)| r);
        out.dedup_by_key(|&mut (r, _)| r);
        Ok(Some(out))
    }

    /// Rows of the live documents where the words follow one another, the first being one
    /// of `firsts` (or any word, when empty) and the last starting with `last`.
    pub(super) fn phrase_rows(
        &self,
        searcher: &tantivy::Searcher,
        firsts: &[String],
        middle: &[String],
        last: &str,
    ) -> tantivy::Result<Vec<i64>> {
        use tantivy::query::{BooleanQuery, PhrasePrefixQuery, Query};
        let term = |t: &str| tantivy::Term::from_field_text(self.body, t);
        // Every word starting with `last` is tried (the query sets room aside for as many
        // as it is told to try: as many as a segment has).
        let mut expansions = 1u32;
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(self.body)?;
            let range = inv.terms().range().ge(last.as_bytes());
            let mut stream = match prefix_end(last.as_bytes()) {
                Some(hi) => range.lt(hi),
                None => range,
            }
            .into_stream()?;
            let mut n = 0u32;
            while stream.advance() {
                n += 1;
            }
            expansions = expansions.max(n);
        }
        let phrase = |words: Vec<tantivy::Term>| -> Box<dyn Query> {
            let mut q = PhrasePrefixQuery::new(words);
            q.set_max_expansions(expansions);
            Box::new(q)
        };
        let query: Box<dyn Query> = if firsts.is_empty() {
            if middle.is_empty() {
                // Only the last word: every term starting with it.
                let rows = self
                    .count_terms(searcher, &Terms::Prefix(last), 1, &|| false)?
                    .unwrap_or_default();
                return Ok(rows.into_iter().map(|(r, _)| r).collect());
            }
            let mut words: Vec<_> = middle.iter().map(|m| term(m)).collect();
            words.push(term(last));
            phrase(words)
        } else {
            let qs: Vec<Box<dyn Query>> = firsts
                .iter()
                .map(|f| {
                    let mut words = vec![term(f)];
                    words.extend(middle.iter().map(|m| term(m)));
                    words.push(term(last));
                    phrase(words)
                })
                .collect();
            Box::new(BooleanQuery::union(qs))
        };
        let found = searcher.search(&query, &tantivy::collector::DocSetCollector)?;
        Self::rows_of(searcher, found)
    }

    /// Every term for which `keep` holds, across segments (the dictionary is read whole).
    pub(super) fn terms_where(
        &self,
        searcher: &tantivy::Searcher,
        keep: &dyn Fn(&str) -> bool,
        limit: usize,
    ) -> tantivy::Result<Option<Vec<String>>> {
        let mut out = std::collections::BTreeSet::new();
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(self.body)?;
            let mut stream = inv.terms().stream()?;
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    if keep(t) {
                        out.insert(t.to_string());
                        if out.len() > limit {
                            return Ok(None);
                        }
                    }
                }
            }
        }
        Ok(Some(out.into_iter().collect()))
    }
}

/// How an update of the index went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updated {
    /// It had everything already.
    UpToDate,
    /// It took in this many documents.
    Indexed(usize),
    /// Another folio holds the index for writing (it catches up itself).
    Busy,
    /// Stopped when asked; what was done is kept.
    Cancelled,
}

/// Documents committed together while building.
const COMMIT_EVERY: usize = 100_000;

/// Changes read at a time (fewer in unit tests, to reach a batch boundary).
const CHANGES_AT_ONCE: usize = if cfg!(test) { 50 } else { 20_000 };

/// Segments of at most this many documents are merged during a first build.
const BUILD_MERGE_UPTO: usize = 150_000;

/// Bring the index of the library at `library` up to date with it: build it (again) when
/// missing or unreadable, else apply the changes logged since its last commit. `progress`
/// gets (done, total) now and then. Waits up to `wait` for another folio's write lock.
pub fn update(
    library: &Path,
    progress: &mut dyn FnMut(u64, u64),
    cancelled: &dyn Fn() -> bool,
    wait: std::time::Duration,
) -> Result<Updated, StoreError> {
    let dir = dir_for(library);
    let conn = super::library::read_connection(library)?;
    let sql = |e: rusqlite::Error| StoreError::sql(library, &e);
    let ix = BodyIndex::open_or_create(&dir)?;
    let max_seq: i64 = conn
        .query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
            r.get(0)
        })
        .map_err(sql)?;
    let applied = ix.applied();
    if applied.is_some_and(|a| a.built_upto.is_none() && a.seq >= max_seq) {
        return Ok(Updated::UpToDate);
    }
    let rows: i64 = conn
        .query_row("SELECT COALESCE(MAX(n), 0) FROM articles", [], |r| r.get(0))
        .map_err(sql)?;
    let building = applied.is_none_or(|a| a.built_upto.is_some());
    // Much to take in (a first build of a large library, or a large add followed as it
    // goes): more memory and threads, fewer merges.
    let pending = if building {
        rows - applied.and_then(|a| a.built_upto).unwrap_or(0)
    } else {
        max_seq - applied.map_or(0, |a| a.seq)
    };
    let big = pending > 50_000;
    let (threads, budget) = if big {
        (
            std::thread::available_parallelism().map_or(1, |n| n.get().min(2)),
            240_000_000,
        )
    } else {
        (1, 40_000_000)
    };
    let started = std::time::Instant::now();
    let mut writer: tantivy::IndexWriter = loop {
        match ix.index.writer_with_num_threads(threads, budget) {
            Ok(w) => break w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                if started.elapsed() >= wait || cancelled() {
                    return Ok(Updated::Busy);
                }
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            Err(e) => return Err(index_error(&dir, &e)),
        }
    };
    if big {
        // A first build merges small segments into larger ones once, not again into ever
        // larger ones while it goes (at a million bodies that rewrote every position two
        // or three times): it ends with a handful of segments, which later merges treat
        // as any others.
        let mut policy = tantivy::merge_policy::LogMergePolicy::default();
        policy.set_max_docs_before_merge(BUILD_MERGE_UPTO);
        writer.set_merge_policy(Box::new(policy));
    }
    // What the index has now (another folio may have moved it on while this one waited).
    let applied = ix.applied();
    let tv = |e: tantivy::TantivyError| index_error(&dir, &e);
    let commit = |w: &mut tantivy::IndexWriter, a: Applied| -> Result<(), StoreError> {
        let mut p = w.prepare_commit().map_err(tv)?;
        p.set_payload(&serde_json::to_string(&a).unwrap_or_default());
        p.commit().map(|_| ()).map_err(tv)
    };
    let shown = format!("SELECT n, {} FROM bodies", super::library::SHOWN);
    let mut done = 0usize;
    // The highest row in the index (an index from before it was kept: read from the
    // index itself).
    let mut rows_upto = match applied.and_then(|a| a.rows_upto) {
        Some(r) => r,
        None => ix.highest_row().map_err(tv)?,
    };
    let mut seq = match applied {
        Some(a) if a.built_upto.is_none() => a.seq,
        _ => {
            // A first build (or one carried on): every row, in order, committed now and then
            // so that a kill loses little.
            let seq = applied.map_or(max_seq, |a| a.seq);
            let mut upto = applied.and_then(|a| a.built_upto).unwrap_or(0);
            let total = u64::try_from(rows).unwrap_or(0);
            let mut since = 0;
            let mut st = conn
                .prepare(&format!("{shown} WHERE n > ?1 ORDER BY n LIMIT 2000"))
                .map_err(sql)?;
            loop {
                let batch: Vec<(i64, String)> = st
                    .query_map([upto], |r| Ok((r.get(0)?, r.get(1)?)))
                    .map_err(sql)?
                    .collect::<rusqlite::Result<_>>()
                    .map_err(sql)?;
                let Some(&(last, _)) = batch.last() else {
                    break;
                };
                for (n, text) in &batch {
                    writer.add_document(ix.document(*n, text)).map_err(tv)?;
                }
                done += batch.len();
                since += batch.len();
                upto = last;
                rows_upto = rows_upto.max(last);
                if since >= COMMIT_EVERY || cancelled() {
                    since = 0;
                    commit(
                        &mut writer,
                        Applied {
                            seq,
                            built_upto: Some(upto),
                            rows_upto: Some(rows_upto),
                        },
                    )?;
                    progress(u64::try_from(upto).unwrap_or(0), total);
                    if cancelled() {
                        return Ok(Updated::Cancelled);
                    }
                }
            }
            commit(
                &mut writer,
                Applied {
                    seq,
                    built_upto: None,
                    rows_upto: Some(rows_upto),
                },
            )?;
            progress(total, total);
            seq
        }
    };
    // The changes since: each changed row taken out and put in again as it is now (a row
    // above any the index ever had is only put in).
    let mut st = conn
        .prepare(&format!(
            "SELECT seq, n FROM changes WHERE seq > ?1 ORDER BY seq LIMIT {CHANGES_AT_ONCE}"
        ))
        .map_err(sql)?;
    let total = u64::try_from(max_seq - seq).unwrap_or(0);
    let from = seq;
    let mut since = 0;
    loop {
        let batch: Vec<(i64, i64)> = st
            .query_map([seq], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql)?
            .collect::<rusqlite::Result<_>>()
            .map_err(sql)?;
        let Some(&(last, _)) = batch.last() else {
            break;
        };
        let mut ns: Vec<i64> = batch.iter().map(|&(_, n)| n).collect();
        ns.sort_unstable();
        ns.dedup();
        for &n in &ns {
            if n <= rows_upto {
                writer.delete_term(tantivy::Term::from_field_i64(ix.row, n));
            }
        }
        for (n, text) in bodies_of(&conn, &shown, &ns).map_err(sql)? {
            writer.add_document(ix.document(n, &text)).map_err(tv)?;
            rows_upto = rows_upto.max(n);
            done += 1;
        }
        seq = last;
        since += batch.len();
        // Committed every so many changes (and at the end, below): a kill loses little,
        // and a large add followed as it goes makes segments of a size.
        if since >= COMMIT_EVERY || cancelled() {
            since = 0;
            commit(
                &mut writer,
                Applied {
                    seq,
                    built_upto: None,
                    rows_upto: Some(rows_upto),
                },
            )?;
        }
        progress(u64::try_from(seq - from).unwrap_or(0), total.max(1));
        if cancelled() {
            return Ok(Updated::Cancelled);
        }
    }
    if since > 0 {
        commit(
            &mut writer,
            Applied {
                seq,
                built_upto: None,
                rows_upto: Some(rows_upto),
            },
        )?;
    }
    writer.wait_merging_threads().map_err(tv)?;
    Ok(if done == 0 {
        Updated::UpToDate
    } else {
        Updated::Indexed(done)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn articles(n: usize, from: usize) -> Vec<crate::corpus::Article> {
        (from..from + n)
            .map(|i| crate::corpus::Article {
                id: format!("a-{i}"),
                title: format!("Article number {i}"),
                body: format!("Body {i} about chips and cars."),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn changes_that_fill_their_last_batch_exactly_are_committed() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("library.db");
        let mut lib = crate::store::library::Library::open(&path).expect("open");
        lib.add(articles(10, 0)).expect("add");
        let wait = std::time::Duration::from_secs(5);
        assert!(matches!(
            update(&path, &mut |_, _| {}, &|| false, wait),
            Ok(Updated::Indexed(10))
        ));
        // Exactly one batch of changes: taken in and committed, so nothing is left.
        lib.add(articles(CHANGES_AT_ONCE, 10)).expect("add");
        assert!(matches!(
            update(&path, &mut |_, _| {}, &|| false, wait),
            Ok(Updated::Indexed(_))
        ));
        let r = update(&path, &mut |_, _| {}, &|| false, wait);
        assert!(matches!(r, Ok(Updated::UpToDate)), "{r:?}");
    }
}
