//! What folio writes: bookmarks with notes, and reading state. Every change is written
//! atomically under a lock, merged with what other running copies wrote, and never lost:
//! a damaged file is moved aside byte for byte, a failed save is kept and retried.

pub mod export;
pub mod file;
pub mod history;
pub mod paths;

use crate::corpus::Article;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

pub use file::{Store, StoreEvent};

/// The version of the files folio writes.
pub const STORE_VERSION: u32 = 1;

/// A bookmark: when it was made, the title then (so an export works without the corpus),
/// and the user's note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bookmark {
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

/// The whole saved state, keyed by article id. Entries for articles not in the corpus now
/// loaded are kept as they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Data {
    pub version: u32,
    #[serde(default)]
    pub bookmarks: BTreeMap<String, Bookmark>,
    #[serde(default)]
    pub reading: BTreeMap<String, Reading>,
}

/// One change to the saved state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// Add or replace a bookmark.
    Put(String, Bookmark),
    Remove(String),
    SetNote(String, String),
    SetRead(String, bool),
    SetPosition(String, Option<(usize, usize)>),
}

/// The time now as RFC 3339 (UTC), or `FOLIO_NOW` when set (for reproducible tests).
pub fn now() -> String {
    if let Ok(t) = std::env::var("FOLIO_NOW") {
        return t;
    }
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Data {
    pub fn empty() -> Data {
        Data {
            version: STORE_VERSION,
            ..Data::default()
        }
    }

    pub fn apply(&mut self, op: &Op) {
        match op {
            Op::Put(id, b) => {
                self.bookmarks.insert(id.clone(), b.clone());
            }
            Op::Remove(id) => {
                self.bookmarks.remove(id);
            }
            Op::SetNote(id, note) => {
                if let Some(b) = self.bookmarks.get_mut(id) {
                    b.note = note.clone();
                    b.updated = Some(now());
                }
            }
            Op::SetRead(id, r) => {
                self.reading.entry(id.clone()).or_default().read = *r;
            }
            Op::SetPosition(id, p) => {
                self.reading.entry(id.clone()).or_default().position = *p;
            }
        }
        self.reading.retain(|_, r| r.read || r.position.is_some());
    }
}

/// Bookmark and read state by article index, for queries (`is:bookmarked`, `is:read`).
#[derive(Debug, Clone, Default)]
pub struct StateView {
    pub bookmarked: HashSet<usize>,
    pub read: HashSet<usize>,
}

impl StateView {
    pub fn of(data: &Data, articles: &[Article]) -> StateView {
        let mut v = StateView::default();
        for (i, a) in articles.iter().enumerate() {
            if data.bookmarks.contains_key(&a.id) {
                v.bookmarked.insert(i);
            }
            if data.reading.get(&a.id).is_some_and(|r| r.read) {
                v.read.insert(i);
            }
        }
        v
    }

    /// The saved state as it is on disk now, read without changing anything (for `folio list`).
    pub fn load_quiet(articles: &[Article]) -> StateView {
        match paths::bookmarks_file() {
            Some(p) => match file::read_data(&p) {
                Ok(Some(d)) => StateView::of(&d, articles),
                _ => StateView::default(),
            },
            None => StateView::default(),
        }
    }
}

impl crate::query::ArticleState for StateView {
    fn is_bookmarked(&self, idx: usize) -> bool {
        self.bookmarked.contains(&idx)
    }
    fn is_read(&self, idx: usize) -> bool {
        self.read.contains(&idx)
    }
}
