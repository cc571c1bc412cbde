//! The library's bodies for a corpus in memory: read one when an article is opened, and
//! searched through the body index, with the query engine's exact semantics. A word is
//! counted from the index alone; a phrase, or a word with punctuation inside, takes its
//! candidates from the index and is checked in the bodies themselves. Rows the index has
//! not caught up with (or all of them, while there is no index) are searched in the
//! database.

use super::bodyindex::{term_of, word_spans, BodyIndex, Terms, MAX_TERM};
use super::library::{read_connection, SHOWN};
use crate::corpus::stored::{BodyError, BodyMatch, BodyStore, RowCounts};
use crate::query::find::Needle;
use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The bodies of the library at `path`.
pub struct LibraryBodies {
    path: PathBuf,
    conns: Mutex<Vec<Connection>>,
    index: Mutex<Option<Arc<BodyIndex>>>,
}

impl std::fmt::Debug for LibraryBodies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LibraryBodies")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A connection borrowed from the pool, given back when dropped.
struct Pooled<'a> {
    conn: Option<Connection>,
    pool: &'a Mutex<Vec<Connection>>,
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let (Some(c), Ok(mut pool)) = (self.conn.take(), self.pool.lock()) {
            pool.push(c);
        }
    }
}

/// The rows the index lacks.
enum Lag {
    /// Every row (there is no index).
    All,
    /// Rows after this one, and these.
    Rows { after: Option<i64>, rows: Vec<i64> },
}

impl Lag {
    fn has(&self, row: i64) -> bool {
        match self {
            Lag::All => true,
            Lag::Rows { after, rows } => {
                after.is_some_and(|a| row > a) || rows.binary_search(&row).is_ok()
            }
        }
    }
}

/// How to find a text with the index.
enum Plan {
    /// The index's counts are the answer.
    Count(Counter),
    /// The index gives candidates; their bodies are checked.
    Check(Candidates),
    /// The index cannot help: read every body.
    ScanAll,
}

enum Counter {
    Prefix(String),
    /// Occurrences inside a word where a word-start match may begin (after a non-ASCII
    /// character, for a text starting with one).
    WordInside(String),
    /// Occurrences anywhere inside a word.
    Inside(String),
}

enum Candidates {
    /// Words that count it (a single word with punctuation around it).
    Terms(Counter),
    /// Words in a row: the first one of `firsts` (`None`: any), then `middle`, then one
    /// starting with `last`.
    Phrase {
        firsts: Option<Vec<String>>,
        middle: Vec<String>,
        last: String,
    },
}

fn occurrences(term: &str, text: &str, at_word_start: bool) -> u32 {
    let (t, w) = (term.as_bytes(), text.as_bytes());
    if w.is_empty() || t.len() < w.len() {
        return 0;
    }
    let mut n = 0;
    for p in memchr::memmem::find_iter(t, w) {
        if !at_word_start || p == 0 || t[p - 1] >= 0x80 {
            n += 1;
        }
    }
    n
}

impl Counter {
    fn times(&self, term: &str) -> u32 {
        match self {
            Counter::Prefix(p) => u32::from(term.starts_with(p.as_str())),
            Counter::WordInside(w) => occurrences(term, w, true),
            Counter::Inside(w) => occurrences(term, w, false),
        }
    }
}

/// The longest run of first words tried as alternatives before the first word is left out.
const MAX_FIRSTS: usize = 64;

/// How to find `m`, and whether it may begin inside a word (so that the end of a word the
/// index cut short must be read in the body).
fn plan(
    m: &BodyMatch,
    ix: &BodyIndex,
    searcher: &tantivy::Searcher,
) -> tantivy::Result<(Plan, bool)> {
    let text = m.text.as_str();
    let spans: Vec<(usize, usize)> = word_spans(text).collect();
    let Some(&(s0, e0)) = spans.first() else {
        return Ok((Plan::ScanAll, false));
    };
    if spans.iter().any(|&(s, e)| e - s > MAX_TERM) {
        return Ok((Plan::ScanAll, false));
    }
    let t1 = &text[s0..e0];
    let ascii_start = t1.as_bytes()[0] < 0x80;
    // The first word as a whole word, or inside a longer one.
    let first_counter = || {
        if m.word_start && (s0 > 0 || ascii_start) {
            Counter::Prefix(t1.to_string())
        } else if m.word_start {
            Counter::WordInside(t1.to_string())
        } else if s0 > 0 {
            Counter::Prefix(t1.to_string())
        } else {
            Counter::Inside(t1.to_string())
        }
    };
    if spans.len() == 1 {
        let c = first_counter();
        let inside = !matches!(c, Counter::Prefix(_));
        if s0 == 0 && e0 == text.len() {
            return Ok((Plan::Count(c), inside));
        }
        return Ok((Plan::Check(Candidates::Terms(c)), inside));
    }
    // Several words: the first ends where the text's next separator is, so it is a whole
    // index term, or (when the match may start inside a word) a term's end.
    let inside = !(s0 > 0 || (m.word_start && ascii_start));
    let firsts = if inside {
        let want = t1.to_string();
        let word_start = m.word_start;
        let ends = move |t: &str| {
            t == want
                || (t.ends_with(want.as_str())
                    && (!word_start || t.as_bytes()[t.len() - want.len() - 1] >= 0x80))
        };
        ix.terms_where(searcher, &ends, MAX_FIRSTS)?
    } else {
        Some(vec![term_of(t1)])
    };
    let (middle_from, firsts) = match firsts {
        Some(f) => (1, Some(f)),
        None => (1, None),
    };
    let last = &spans[spans.len() - 1];
    Ok((
        Plan::Check(Candidates::Phrase {
            firsts,
            middle: spans[middle_from..spans.len() - 1]
                .iter()
                .map(|&(s, e)| term_of(&text[s..e]))
                .collect(),
            last: term_of(&text[last.0..last.1]),
        }),
        inside,
    ))
}

fn sql_err(path: &Path) -> impl Fn(rusqlite::Error) -> BodyError + '_ {
    move |e| BodyError(format!("{}: {e}", path.display()))
}

impl LibraryBodies {
    pub fn new(path: &Path) -> LibraryBodies {
        LibraryBodies {
            path: path.to_path_buf(),
            conns: Mutex::new(Vec::new()),
            index: Mutex::new(None),
        }
    }

    fn conn(&self) -> Result<Pooled<'_>, BodyError> {
        let pooled = self.conns.lock().ok().and_then(|mut p| p.pop());
        let conn = match pooled {
            Some(c) => c,
            None => read_connection(&self.path).map_err(|e| BodyError(e.to_string()))?,
        };
        Ok(Pooled {
            conn: Some(conn),
            pool: &self.conns,
        })
    }

    /// The index, opened the first time it is there.
    fn index(&self) -> Option<Arc<BodyIndex>> {
        let mut slot = self.index.lock().ok()?;
        if slot.is_none() {
            *slot = BodyIndex::open(&super::bodyindex::dir_for(&self.path)).map(Arc::new);
        }
        slot.clone()
    }

    /// Forget the index (it could not be read): opened again next time.
    fn drop_index(&self) {
        if let Ok(mut slot) = self.index.lock() {
            *slot = None;
        }
    }

    fn lag(
        &self,
        conn: &Connection,
        applied: Option<super::bodyindex::Applied>,
    ) -> Result<Lag, BodyError> {
        let Some(a) = applied else {
            return Ok(Lag::All);
        };
        let mut st = conn
            .prepare_cached("SELECT DISTINCT n FROM changes WHERE seq > ?1 ORDER BY n")
            .map_err(sql_err(&self.path))?;
        let rows = st
            .query_map([a.seq], |r| r.get(0))
            .map_err(sql_err(&self.path))?
            .collect::<rusqlite::Result<Vec<i64>>>()
            .map_err(sql_err(&self.path))?;
        Ok(Lag::Rows {
            after: a.built_upto,
            rows,
        })
    }

    /// Count `needle` in the bodies of `rows` (or of every row after `after`).
    fn check_rows(
        &self,
        conn: &Connection,
        needle: &Needle,
        cap: u8,
        rows: &[i64],
        cancelled: &dyn Fn() -> bool,
        out: &mut RowCounts,
    ) -> Result<bool, BodyError> {
        let mut st = conn
            .prepare_cached(&format!("SELECT {SHOWN} FROM bodies WHERE n = ?1"))
            .map_err(sql_err(&self.path))?;
        for (i, &n) in rows.iter().enumerate() {
            if i % 256 == 255 && cancelled() {
                return Ok(false);
            }
            let body: Option<String> = st
                .query_row([n], |r| r.get(0))
                .optional()
                .map_err(sql_err(&self.path))?;
            if let Some(b) = body {
                let k = needle.count(b.as_bytes(), usize::from(cap));
                if k > 0 {
                    out.push((n, k as u8));
                }
            }
        }
        Ok(true)
    }

    /// Count `needle` in every body after row `after` (all with `None`).
    fn scan(
        &self,
        conn: &Connection,
        needle: &Needle,
        cap: u8,
        after: Option<i64>,
        cancelled: &dyn Fn() -> bool,
        out: &mut RowCounts,
    ) -> Result<bool, BodyError> {
        let mut st = conn
            .prepare_cached(&format!(
                "SELECT n, {SHOWN} FROM bodies WHERE n > ?1 ORDER BY n"
            ))
            .map_err(sql_err(&self.path))?;
        let mut rows = st
            .query([after.unwrap_or(i64::MIN)])
            .map_err(sql_err(&self.path))?;
        let mut i = 0u32;
        while let Some(r) = rows.next().map_err(sql_err(&self.path))? {
            i += 1;
            if i.is_multiple_of(512) && cancelled() {
                return Ok(false);
            }
            let n: i64 = r.get(0).map_err(sql_err(&self.path))?;
            let b = r.get_ref(1).map_err(sql_err(&self.path))?;
            let bytes = b.as_bytes().unwrap_or_default();
            let k = needle.count(bytes, usize::from(cap));
            if k > 0 {
                out.push((n, k as u8));
            }
        }
        Ok(true)
    }

    /// What the index says for `m` over the rows it has: `None` when cancelled.
    #[allow(clippy::too_many_arguments)]
    fn search_index(
        &self,
        conn: &Connection,
        ix: &BodyIndex,
        m: &BodyMatch,
        needle: &Needle,
        cap: u8,
        lag: &Lag,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Option<RowCounts>, BodyError> {
        let searcher = ix.reader.searcher();
        let terr = |e: tantivy::TantivyError| BodyError(format!("the search index: {e}"));
        let (plan, inside) = plan(m, ix, &searcher).map_err(terr)?;
        // Rows with a word cut short in the index: read, when the text may begin inside one.
        let long = if inside {
            ix.long_rows(&searcher).map_err(terr)?
        } else {
            Vec::new()
        };
        let mut candidates = match plan {
            Plan::ScanAll => {
                let mut out = Vec::new();
                return Ok(self
                    .scan(conn, needle, cap, None, cancelled, &mut out)?
                    .then_some(out));
            }
            Plan::Count(c) => {
                let f = |t: &str| c.times(t);
                let terms = match &c {
                    Counter::Prefix(p) => Terms::Prefix(p),
                    _ => Terms::Each(&f),
                };
                let Some(mut got) = ix
                    .count_terms(&searcher, &terms, cap, cancelled)
                    .map_err(terr)?
                else {
                    return Ok(None);
                };
                got.retain(|&(r, _)| !lag.has(r) && long.binary_search(&r).is_err());
                let long: Vec<i64> = long.into_iter().filter(|&r| !lag.has(r)).collect();
                return Ok(self
                    .check_rows(conn, needle, cap, &long, cancelled, &mut got)?
                    .then_some(got));
            }
            Plan::Check(Candidates::Terms(c)) => {
                let f = |t: &str| c.times(t);
                let terms = match &c {
                    Counter::Prefix(p) => Terms::Prefix(p),
                    _ => Terms::Each(&f),
                };
                let Some(got) = ix
                    .count_terms(&searcher, &terms, 1, cancelled)
                    .map_err(terr)?
                else {
                    return Ok(None);
                };
                got.into_iter().map(|(r, _)| r).collect::<Vec<_>>()
            }
            Plan::Check(Candidates::Phrase {
                firsts,
                middle,
                last,
            }) => {
                if firsts.as_ref().is_some_and(Vec::is_empty) {
                    Vec::new()
                } else {
                    ix.phrase_rows(&searcher, firsts.as_deref().unwrap_or(&[]), &middle, &last)
                        .map_err(terr)?
                }
            }
        };
        candidates.extend(long);
        candidates.sort_unstable();
        candidates.dedup();
        let rows: Vec<i64> = candidates.into_iter().filter(|&r| !lag.has(r)).collect();
        let mut out = Vec::new();
        Ok(self
            .check_rows(conn, needle, cap, &rows, cancelled, &mut out)?
            .then_some(out))
    }
}

impl BodyStore for LibraryBodies {
    fn body(&self, row: i64) -> Result<Option<String>, BodyError> {
        let conn = self.conn()?;
        let body = conn
            .prepare_cached(&format!("SELECT {SHOWN} FROM bodies WHERE n = ?1"))
            .map_err(sql_err(&self.path))?
            .query_row([row], |r| r.get(0))
            .optional()
            .map_err(sql_err(&self.path));
        body
    }

    fn count_matches(
        &self,
        m: &BodyMatch,
        cap: u8,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Option<RowCounts>, BodyError> {
        let conn = self.conn()?;
        let needle = Needle::new(&m.text, m.word_start);
        let ix = self.index();
        let applied = ix.as_ref().and_then(|ix| ix.refresh());
        let lag = self.lag(&conn, applied)?;
        let mut out = match (&ix, &lag) {
            (Some(ix), Lag::Rows { .. }) => {
                match self.search_index(&conn, ix, m, &needle, cap, &lag, cancelled) {
                    Ok(Some(v)) => v,
                    Ok(None) => return Ok(None),
                    Err(_) => {
                        // The index could not be read: the bodies themselves, this time.
                        self.drop_index();
                        let mut out = Vec::new();
                        if !self.scan(&conn, &needle, cap, None, cancelled, &mut out)? {
                            return Ok(None);
                        }
                        return Ok(Some(out));
                    }
                }
            }
            _ => Vec::new(),
        };
        // What the index lacks, from the bodies.
        let ok = match &lag {
            Lag::All => self.scan(&conn, &needle, cap, None, cancelled, &mut out)?,
            Lag::Rows { after, rows } => {
                let listed: Vec<i64> = rows
                    .iter()
                    .copied()
                    .filter(|&r| after.is_none_or(|a| r <= a))
                    .collect();
                self.check_rows(&conn, &needle, cap, &listed, cancelled, &mut out)?
                    && (after.is_none()
                        || self.scan(&conn, &needle, cap, *after, cancelled, &mut out)?)
            }
        };
        if !ok {
            return Ok(None);
        }
        out.sort_unstable_by_key(|&(r, _)| r);
        out.dedup_by_key(|&mut (r, _)| r);
        Ok(Some(out))
    }

    fn for_each_body(&self, each: &mut dyn FnMut(i64, &str) -> bool) -> Result<(), BodyError> {
        let conn = self.conn()?;
        let mut st = conn
            .prepare(&format!("SELECT n, {SHOWN} FROM bodies ORDER BY n"))
            .map_err(sql_err(&self.path))?;
        let mut rows = st.query([]).map_err(sql_err(&self.path))?;
        while let Some(r) = rows.next().map_err(sql_err(&self.path))? {
            let n: i64 = r.get(0).map_err(sql_err(&self.path))?;
            let b: String = r.get(1).map_err(sql_err(&self.path))?;
            if !each(n, &b) {
                break;
            }
        }
        Ok(())
    }
}
