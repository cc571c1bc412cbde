//! What folio keeps for the user: bookmarks with notes, reading state (read marks and
//! reading positions) and the search history, in one `SQLite` database under the data folder
//! (`db`). One change is one small transaction, whatever has accumulated; two folios share
//! the database and see each other's changes; a damaged database is moved aside byte for
//! byte; a change that cannot be saved is kept in memory and retried. Version 1 kept all of
//! this in `bookmarks.json`, which is migrated once (`legacy`).

pub mod atomic;
pub mod bodies;
pub mod bodyindex;
pub mod db;
pub mod error;
pub mod export;
pub mod feeds;
pub mod legacy;
pub mod library;
pub mod paths;

use crate::corpus::Article;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use atomic::write_atomic;
pub use db::{Store, StoreEvent};
pub use error::StoreError;

/// A bookmark: when it was made, the title then (so an export works without the corpus),
/// and the user's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
    /// When it was made (RFC 3339); a version 1 file that lacks it is still read.
    #[serde(default)]
    pub added: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}

/// Reading state of one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Reading {
    #[serde(default)]
    pub read: bool,
    /// The reader's place: (paragraph block, character offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<(usize, usize)>,
}

impl Reading {
    /// Whether there is anything to keep.
    pub fn is_empty(&self) -> bool {
        !self.read && self.position.is_none()
    }
}

/// The saved state as this folio sees it, keyed by article id. Entries for articles not in
/// the corpus now loaded are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Data {
    pub bookmarks: BTreeMap<String, Bookmark>,
    pub reading: BTreeMap<String, Reading>,
}

/// Open what folio was told to open: the built-in corpus, corpus files, the library.
pub fn open_sources(
    sources: &[crate::corpus::Source],
    progress: &std::sync::atomic::AtomicU64,
) -> Result<crate::corpus::Corpus, crate::corpus::LoadError> {
    crate::corpus::Corpus::open_all_with(sources, progress, &|p| {
        let as_load_error = |e: StoreError| crate::corpus::LoadError {
            file: p.display().to_string(),
            line: 0,
            column: 0,
            message: e.to_string(),
        };
        let lib = library::Library::open_with(p, progress).map_err(as_load_error)?;
        let (articles, rows, seq) = lib.articles_meta_at().map_err(as_load_error)?;
        Ok(crate::corpus::Corpus::with_store(
            "library".into(),
            articles,
            std::sync::Arc::new(bodies::LibraryBodies::new(p)),
            rows,
        )
        .at_change(seq))
    })
}

/// The newest articles of a large library (at least `head` of them), to show while the rest
/// loads; `None` when the library is small enough to open whole at once (or cannot be
/// read: opening it whole then says why).
pub fn open_library_head(
    path: &std::path::Path,
    head: usize,
    progress: &std::sync::atomic::AtomicU64,
) -> Option<(crate::corpus::Corpus, usize)> {
    let lib = library::Library::open_with(path, progress).ok()?;
    let total = lib.len().ok()?;
    if total <= head.saturating_mul(20) {
        return None;
    }
    let (articles, rows) = lib.articles_meta_newest(head).ok()?;
    Some((
        crate::corpus::Corpus::with_store(
            "library".into(),
            articles,
            std::sync::Arc::new(bodies::LibraryBodies::new(path)),
            rows,
        ),
        total,
    ))
}

/// Where a reader was when it closed: the query in force (a saved view's too) and the
/// selected article's id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Session {
    /// Which corpora it was (another `--corpus` starts afresh).
    pub corpus: String,
    pub query: String,
    pub selected: Option<String>,
}

/// The saved state a reader starts with (read by the store when it opens).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub data: Data,
    /// The search history, oldest first.
    pub history: Vec<String>,
    /// Where the last reader was when it closed.
    pub session: Option<Session>,
}

/// One change to the saved state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Add or replace a bookmark.
    Put(String, Bookmark),
    Remove(String),
    SetNote(String, String),
    SetRead(String, bool),
    /// Several read marks at once (mark all read, and its undo): one transaction.
    SetReadMany(Vec<(String, bool)>),
    SetPosition(String, Option<(usize, usize)>),
}

impl Op {
    /// The articles the change touches.
    pub fn ids(&self) -> Vec<&str> {
        match self {
            Op::Put(id, _)
            | Op::Remove(id)
            | Op::SetNote(id, _)
            | Op::SetRead(id, _)
            | Op::SetPosition(id, _) => vec![id.as_str()],
            Op::SetReadMany(v) => v.iter().map(|(id, _)| id.as_str()).collect(),
        }
    }
}

/// The time now as RFC 3339 (UTC), or `FOLIO_NOW` when set (for reproducible tests).
pub fn now() -> String {
    if let Some(t) = &crate::hooks::hooks().now {
        return t.clone();
    }
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Data {
    /// Apply a change made at time `at` (RFC 3339).
    pub fn apply(&mut self, op: &Op, at: &str) {
        match op {
            Op::Put(id, b) => {
                self.bookmarks.insert(id.clone(), b.clone());
            }
            Op::Remove(id) => {
                self.bookmarks.remove(id);
            }
            Op::SetNote(id, note) => {
                if let Some(b) = self.bookmarks.get_mut(id) {
                    b.note.clone_from(note);
                    b.updated = Some(at.to_string());
                }
            }
            Op::SetRead(id, r) => self.set_reading(id, |x| x.read = *r),
            Op::SetReadMany(v) => {
                for (id, r) in v {
                    self.set_reading(id, |x| x.read = *r);
                }
            }
            Op::SetPosition(id, p) => self.set_reading(id, |x| x.position = *p),
        }
    }

    fn set_reading(&mut self, id: &str, f: impl FnOnce(&mut Reading)) {
        if let Some(r) = self.reading.get_mut(id) {
            f(r);
            if r.is_empty() {
                self.reading.remove(id);
            }
        } else {
            let mut r = Reading::default();
            f(&mut r);
            if !r.is_empty() {
                self.reading.insert(id.to_string(), r);
            }
        }
    }

    pub fn is_read(&self, id: &str) -> bool {
        self.reading.get(id).is_some_and(|r| r.read)
    }
}

/// A set of article numbers as bits: cheap to copy, so a search can hold one while the
/// reader changes its own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bits {
    words: Vec<u64>,
    len: usize,
}

impl Bits {
    pub fn new(n: usize) -> Bits {
        Bits {
            words: vec![0; n.div_ceil(64)],
            len: 0,
        }
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    pub fn set(&mut self, i: usize, on: bool) {
        if i / 64 >= self.words.len() {
            if !on {
                return;
            }
            self.words.resize(i / 64 + 1, 0);
        }
        let w = &mut self.words[i / 64];
        let bit = 1u64 << (i % 64);
        let was = *w & bit != 0;
        if on && !was {
            *w |= bit;
            self.len += 1;
        } else if !on && was {
            *w &= !bit;
            self.len -= 1;
        }
    }

    /// How many are set.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// Bookmark and read state by article number, for queries (`is:bookmarked`, `is:read`) and
/// the list's marks. Built once per corpus, then kept up to date change by change.
#[derive(Debug, Clone, Default)]
pub struct StateView {
    pub bookmarked: Bits,
    pub read: Bits,
}

impl StateView {
    /// The state of every article of a corpus; `index_of` finds an article by id.
    pub fn of(data: &Data, n: usize, index_of: impl Fn(&str) -> Option<usize>) -> StateView {
        let mut v = StateView {
            bookmarked: Bits::new(n),
            read: Bits::new(n),
        };
        for id in data.bookmarks.keys() {
            if let Some(i) = index_of(id) {
                v.bookmarked.set(i, true);
            }
        }
        for (id, r) in &data.reading {
            if r.read {
                if let Some(i) = index_of(id) {
                    v.read.set(i, true);
                }
            }
        }
        v
    }

    /// Bring one article up to date with `data`.
    pub fn update(&mut self, data: &Data, id: &str, idx: usize) {
        self.bookmarked.set(idx, data.bookmarks.contains_key(id));
        self.read.set(idx, data.is_read(id));
    }

    /// The saved state as it is on disk now, read without changing anything (for
    /// `folio list`): an empty view when there is no database or it cannot be read.
    pub fn load_quiet(articles: &[Article]) -> StateView {
        let Some(path) = paths::db_file() else {
            return StateView::default();
        };
        let data = db::read_quiet(&path)
            .or_else(|| {
                // Not migrated yet: the legacy file says the same.
                paths::legacy_bookmarks_file().and_then(|p| legacy::read_data(&p).ok().flatten())
            })
            .unwrap_or_default();
        let by_id: std::collections::HashMap<&str, usize> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        StateView::of(&data, articles.len(), |id| by_id.get(id).copied())
    }
}

impl crate::query::ArticleState for StateView {
    fn is_bookmarked(&self, idx: usize) -> bool {
        self.bookmarked.contains(idx)
    }
    fn is_read(&self, idx: usize) -> bool {
        self.read.contains(idx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bits_count_what_is_set() {
        let mut b = Bits::new(10);
        b.set(3, true);
        b.set(3, true);
        b.set(200, true);
        assert!(b.contains(3) && b.contains(200) && !b.contains(4) && !b.contains(10_000));
        assert_eq!(b.len(), 2);
        b.set(3, false);
        b.set(9_999, false);
        assert_eq!(b.len(), 1);
    }

    #[test]
    fn empty_reading_entries_are_dropped() {
        let mut d = Data::default();
        d.apply(&Op::SetRead("a".into(), true), "t");
        d.apply(&Op::SetPosition("a".into(), Some((2, 5))), "t");
        d.apply(&Op::SetRead("a".into(), false), "t");
        assert_eq!(d.reading.len(), 1);
        d.apply(&Op::SetPosition("a".into(), None), "t");
        assert!(d.reading.is_empty());
        d.apply(
            &Op::SetReadMany(vec![("x".into(), true), ("y".into(), true)]),
            "t",
        );
        assert!(d.is_read("x") && d.is_read("y"));
    }
}
