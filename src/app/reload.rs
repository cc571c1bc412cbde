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
    /// The corpus it replaces: `renumber` is from its numbers.
    pub replaces: Arc<Corpus>,
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
    pub fn between(old: Arc<Corpus>, new: Corpus) -> Reload {
        let index = Index::build(&new.articles);
        let renumber: Vec<Option<u32>> = old
            .articles
            .iter()
            .map(|a| new.index_of(&a.id).map(|i| i as u32))
            .collect();
        let kept = renumber.iter().filter(|r| r.is_some()).count();
        Reload {
            added: new.articles.len() - kept,
            gone: old.articles.len() - kept,
            corpus: Arc::new(new),
            index: Arc::new(index),
            replaces: old,
            renumber,
            completes: false,
        }
    }
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
    /// A reload arrived: swap the corpus in, keeping the reader's place.
    pub(super) fn reloaded(&mut self, r: &Arc<Reload>, effects: &mut Vec<Effect>) {
        let old = Arc::clone(&self.corpus);
        let new = Arc::clone(&r.corpus);
        let current_id = self.current().map(|a| a.id.clone());
        // Until the search runs again, show the same articles under their new numbers
        // (worked out with the load, from the corpus shown when it began; look them up by
        // id should that not be this one).
        self.list.visible = if Arc::ptr_eq(&r.replaces, &old) {
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
        // Earlier results hold old numbers: never narrow from them, and never take one
        // that is still on its way (even when the query in the box does not parse now).
        self.search.last_result = None;
        self.search.generation += 1;
        self.list.pinned = None;
        self.search.refreshing = false;
        self.search.running = false;
        let text = self.search.text.clone();
        let restore = self.search.restore.take();
        self.set_query(text, effects);
        self.search.restore = restore;
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
