//! Live reload, the reader's side: a corpus loaded and indexed again off the UI thread (by
//! the runtime's watcher, `crate::runtime::watch`) replaces the one shown, keeping the
//! selection, the query, the facet selection and the reader's place.

use super::{App, Effect, Tone};
use crate::corpus::Corpus;
use crate::query::Index;
use std::sync::Arc;

/// A corpus loaded and indexed off the UI thread, with everything the swap needs that
/// grows with the corpus worked out there too.
pub struct Reload {
    pub corpus: Arc<Corpus>,
    pub index: Arc<Index>,
    /// The corpus it replaces (its identity): `renumber` is from its numbers.
    pub replaces: u64,
    /// Each article of the corpus replaced, by number: its number in the new corpus.
    pub renumber: Vec<Option<u32>>,
    /// Articles that are new, and those that are gone.
    pub added: usize,
    pub gone: usize,
    /// It completes a corpus shown in part at the start (the newest of a large library).
    pub completes: bool,
}

impl Reload {
    /// Work out what the swap from `old` to `new` needs (off the UI thread).
    pub fn between(old: &Corpus, new: Corpus) -> Reload {
        let renumber: Vec<Option<u32>> = old
            .articles
            .iter()
            .map(|a| new.index_of(&a.id).map(|i| i as u32))
            .collect();
        Reload::with_renumber(old.identity(), renumber, new)
    }

    /// As `between`, from a library shown whole (its articles in the order of their rows,
    /// `old_rows`) to the library loaded again: an article keeps its row, so the numbers
    /// follow from the rows alone (the watcher keeps those, not the corpus).
    pub fn between_rows(old: u64, old_rows: &[i64], new: Corpus) -> Reload {
        let new_rows: &[i64] = new.stored().map_or(&[], |s| &s.rows);
        let start = new.stored().map_or(0, |s| s.start);
        let mut renumber = Vec::with_capacity(old_rows.len());
        let mut j = 0;
        for &row in old_rows {
            while j < new_rows.len() && new_rows[j] < row {
                j += 1;
            }
            renumber.push((new_rows.get(j) == Some(&row)).then(|| (start + j) as u32));
        }
        Reload::with_renumber(old, renumber, new)
    }

    fn with_renumber(replaces: u64, renumber: Vec<Option<u32>>, new: Corpus) -> Reload {
        let index = Index::build(&new.articles);
        let kept = renumber.iter().filter(|r| r.is_some()).count();
        Reload {
            added: new.articles.len() - kept,
            gone: renumber.len() - kept,
            corpus: Arc::new(new),
            index: Arc::new(index),
            replaces,
            renumber,
            completes: false,
        }
    }
}

/// Articles a library gained after the last row of the corpus shown: added to it in place
/// (a library of a million articles is not held twice for a thousand new ones).
#[derive(Debug, PartialEq)]
pub struct Appended {
    /// The last row of the corpus shown when they were read (they come after it).
    pub after: i64,
    pub articles: Vec<crate::corpus::Article>,
    /// Their rows, ascending.
    pub rows: Vec<i64>,
}

impl std::fmt::Debug for Reload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Reload({} articles)", self.corpus.articles.len())
    }
}

impl PartialEq for Reload {
    fn eq(&self, other: &Reload) -> bool {
        std::ptr::eq(self, other)
    }
}

impl App {
    /// Whether articles a library gained wait to be added (the runtime wakes the reader
    /// again shortly).
    pub fn appends_waiting(&self) -> bool {
        !self.appends.is_empty()
    }

    /// Add the articles waiting, in place, once nothing else holds the corpus and its
    /// index (a search under way does for a moment); whether anything changed.
    pub(super) fn take_in_appends(&mut self, effects: &mut Vec<Effect>) -> bool {
        if self.appends.is_empty() {
            return false;
        }
        let (Some(corpus), Some(index)) = (
            Arc::get_mut(&mut self.corpus),
            Arc::get_mut(&mut self.index),
        ) else {
            return false;
        };
        let from = corpus.articles.len();
        let mut missed = 0;
        for a in std::mem::take(&mut self.appends) {
            let a = Arc::try_unwrap(a).unwrap_or_else(|a| Appended {
                after: a.after,
                articles: a.articles.clone(),
                rows: a.rows.clone(),
            });
            let (n, follows) = (a.articles.len(), corpus.last_row() == Some(a.after));
            if !(follows && corpus.append(a.articles, &a.rows)) {
                missed += n;
            }
        }
        index.append(&corpus.articles, from);
        let added = self.corpus.articles.len() - from;
        // The articles here keep their numbers (and what is cached by them, such as the
        // open article's body and place): no new corpus generation.
        self.marks.renumber(&self.corpus);
        // Earlier results do not hold the new articles: search again (the list keeps its
        // numbers, which did not change, until the results come).
        self.search_again(effects);
        if missed > 0 {
            self.say(
                format!("{missed} new articles could not be added here: reopen folio to see them"),
                Tone::Error,
            );
        } else if added > 0 {
            self.say(
                format!(
                    "reloaded: {} new article{}",
                    added,
                    if added == 1 { "" } else { "s" }
                ),
                Tone::Info,
            );
        }
        true
    }

    /// Run the query in force again over a corpus that changed: never narrowing from
    /// earlier results, never taking one still on its way (even when the query in the box
    /// does not parse now); an article to restore stays asked for.
    fn search_again(&mut self, effects: &mut Vec<Effect>) {
        self.search.last_result = None;
        self.search.generation += 1;
        self.search.refreshing = false;
        self.search.running = false;
        let text = self.search.text.clone();
        let restore = self.search.restore.take();
        self.set_query(text, effects);
        self.search.restore = restore;
    }

    /// A reload arrived: swap the corpus in, keeping the reader's place.
    pub(super) fn reloaded(&mut self, r: &Arc<Reload>, effects: &mut Vec<Effect>) {
        // It holds whatever was waiting to be added, read afresh.
        self.appends.clear();
        let old = Arc::clone(&self.corpus);
        let new = Arc::clone(&r.corpus);
        let current_id = self.current().map(|a| a.id.clone());
        // Until the search runs again, show the same articles under their new numbers
        // (worked out with the load, from the corpus shown when it began; look them up by
        // id should that not be this one).
        self.list.visible = if r.replaces == old.identity() {
            self.list
                .visible
                .iter()
                .filter_map(|&i| r.renumber.get(i).copied().flatten().map(|n| n as usize))
                .collect()
        } else {
            self.list
                .visible
                .iter()
                .filter_map(|&i| old.articles.get(i).and_then(|a| new.index_of(&a.id)))
                .collect()
        };
        let same = current_id.as_deref().and_then(|id| new.index_of(id));
        let old_index = std::mem::replace(&mut self.index, Arc::clone(&r.index));
        self.corpus = new;
        // Freeing them takes a while at 100,000 articles: the runtime does it elsewhere.
        self.retired.push((old, old_index));
        self.corpus_generation += 1;
        self.marks.renumber(&self.corpus);
        if let Some(p) = same.and_then(|i| self.list.visible.iter().position(|&v| v == i)) {
            self.list.selected = p;
        } else {
            self.list.selected = self
                .list
                .selected
                .min(self.list.visible.len().saturating_sub(1));
            self.reader.top = 0;
            self.reader.find = None;
        }
        // Earlier results hold old numbers.
        self.list.pinned = None;
        self.search_again(effects);
        if r.completes {
            self.search.partial = false;
            let n = self.corpus.articles.len();
            self.say(
                format!("library open: {} articles", crate::text::thousands(n)),
                Tone::Info,
            );
            return;
        }
        let mut said = Vec::new();
        if r.added > 0 {
            said.push(format!(
                "{} new article{}",
                r.added,
                if r.added == 1 { "" } else { "s" }
            ));
        }
        if r.gone > 0 {
            said.push(format!("{} gone", r.gone));
        }
        if !said.is_empty() {
            self.say(format!("reloaded: {}", said.join(", ")), Tone::Info);
        }
    }
}
