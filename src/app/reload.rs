//! Live reload: the corpus files that are open are looked at about once a second (size,
//! modification time, inode); one that changed is loaded and indexed again in the
//! background, and the new corpus replaces the old one keeping the selection, the query,
//! the facet selection and the reader's place. A file caught half-written is not an error to
//! show: the loaded corpus stays and the load is tried again; only an error that persists
//! while the file stays the same is shown.

use super::{Action, App, Effect, Tone};
use crate::corpus::{Corpus, Source};
use crate::query::Index;
use crate::store::StateView;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How a file looked: (size, modification time, inode); `None` when it cannot be read.
pub type Fingerprint = Option<(u64, Option<std::time::SystemTime>, u64)>;

/// Tries of a load that fails on an unchanged file before the error is shown (a second
/// apart).
const TRIES: usize = 3;

/// What to load again, and the corpus shown now (to map its articles onto the new one).
#[derive(Debug, Clone)]
pub struct ReloadRequest {
    pub sources: Vec<Source>,
    pub shown: Arc<Corpus>,
}

impl PartialEq for ReloadRequest {
    fn eq(&self, other: &ReloadRequest) -> bool {
        self.sources == other.sources && Arc::ptr_eq(&self.shown, &other.shown)
    }
}

/// A corpus loaded and indexed off the UI thread, with everything the swap needs that
/// grows with the corpus worked out there too.
pub struct Reload {
    pub corpus: Arc<Corpus>,
    pub index: Arc<Index>,
    /// The files as they were when the load began.
    pub seen: Vec<Fingerprint>,
    /// Each article shown now, by number: its number in the new corpus, if it is there.
    pub renumber: Vec<Option<u32>>,
    /// Articles that are new, and those that are gone.
    pub added: usize,
    pub gone: usize,
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

/// What the reader watches.
#[derive(Debug, Default)]
pub struct Watch {
    pub sources: Vec<Source>,
    /// The files as they were when the corpus shown was loaded.
    loaded: Vec<Fingerprint>,
    /// A load is running.
    in_flight: bool,
    /// The last failure: the files then, the error, how many tries, whether it was shown.
    failed: Option<(Vec<Fingerprint>, String, usize, bool)>,
    last_look: Option<Instant>,
}

pub fn fingerprints(sources: &[Source]) -> Vec<Fingerprint> {
    sources
        .iter()
        .map(|s| match s {
            Source::Builtin => Some((0, None, 0)),
            Source::File(p) => std::fs::metadata(p).ok().map(|m| {
                #[cfg(unix)]
                let ino = std::os::unix::fs::MetadataExt::ino(&m);
                #[cfg(not(unix))]
                let ino = 0;
                (m.len(), m.modified().ok(), ino)
            }),
        })
        .collect()
}

/// Load and index the corpora again (run off the UI thread).
pub fn load(req: &ReloadRequest) -> Result<Reload, (Vec<Fingerprint>, String)> {
    let seen = fingerprints(&req.sources);
    match Corpus::open_all(&req.sources, &std::sync::atomic::AtomicU64::new(0)) {
        Ok(c) => {
            let index = Index::build(&c.articles);
            let renumber: Vec<Option<u32>> = req
                .shown
                .articles
                .iter()
                .map(|a| c.index_of(&a.id).map(|i| i as u32))
                .collect();
            let kept = renumber.iter().filter(|r| r.is_some()).count();
            Ok(Reload {
                added: c.articles.len() - kept,
                gone: req.shown.articles.len() - kept,
                corpus: Arc::new(c),
                index: Arc::new(index),
                seen,
                renumber,
            })
        }
        Err(e) => Err((seen, e.to_string())),
    }
}

impl App {
    /// Watch these sources for changes (what `main` opened).
    pub fn watch(&mut self, sources: Vec<Source>) {
        self.watch = Watch {
            loaded: fingerprints(&sources),
            sources,
            ..Watch::default()
        };
    }

    /// Look at the files (the loop calls this often; it looks once a second) and ask for a
    /// reload when one changed.
    pub fn look_for_changes(&mut self) -> Option<Effect> {
        let w = &mut self.watch;
        if w.sources.is_empty() || w.in_flight {
            return None;
        }
        if w.last_look
            .is_some_and(|t| t.elapsed() < Duration::from_secs(1))
        {
            return None;
        }
        w.last_look = Some(Instant::now());
        let now = fingerprints(&w.sources);
        if now == w.loaded {
            w.failed = None;
            return None;
        }
        if let Some((fps, _, tries, _)) = &w.failed {
            // The same broken file: tried enough, wait for it to change.
            if *fps == now && *tries >= TRIES {
                return None;
            }
        }
        w.in_flight = true;
        Some(Effect::Reload(ReloadRequest {
            sources: w.sources.clone(),
            shown: Arc::clone(&self.corpus),
        }))
    }

    /// A reload failed: keep what is shown; say so only when the file stays broken.
    pub(super) fn reload_failed(&mut self, seen: Vec<Fingerprint>, error: String) {
        let w = &mut self.watch;
        w.in_flight = false;
        let tries = match &w.failed {
            Some((fps, _, n, _)) if *fps == seen => n + 1,
            _ => 1,
        };
        let shown = w.failed.as_ref().is_some_and(|f| f.0 == seen && f.3);
        let show = tries >= TRIES && !shown;
        w.failed = Some((seen, error.clone(), tries, shown || show));
        if show {
            self.say(
                format!("cannot reload: {error} (still showing what was loaded)"),
                Tone::Error,
            );
        }
    }

    /// A reload arrived: swap the corpus in, keeping the reader's place.
    pub(super) fn reloaded(&mut self, r: Arc<Reload>, effects: &mut Vec<Effect>) {
        self.watch.in_flight = false;
        self.watch.failed = None;
        self.watch.loaded = r.seen.clone();
        let old = Arc::clone(&self.corpus);
        let new = Arc::clone(&r.corpus);
        let current_id = self.current().map(|a| a.id.clone());
        let (added, gone) = (r.added, r.gone);
        // Until the search runs again, show the same articles under their new numbers
        // (worked out with the load; only one load runs at a time, so they are this
        // corpus's, but look them up by id should that ever not hold).
        self.visible = if r.renumber.len() == old.articles.len() {
            self.visible
                .iter()
                .filter_map(|&i| r.renumber.get(i).copied().flatten().map(|n| n as usize))
                .collect()
        } else {
            self.visible
                .iter()
                .filter_map(|&i| old.articles.get(i).and_then(|a| new.index_of(&a.id)))
                .collect()
        };
        let same = current_id.as_deref().and_then(|id| new.index_of(id));
        let old_index = std::mem::replace(&mut self.index, Arc::clone(&r.index));
        self.corpus = new;
        // Freeing the old corpus takes a while at 100,000 articles: not on this thread.
        std::thread::spawn(move || drop((old, old_index)));
        self.state = Arc::new(StateView::of(
            &self.store.data,
            self.corpus.articles.len(),
            |id| self.corpus.index_of(id),
        ));
        match same.and_then(|i| self.visible.iter().position(|&v| v == i)) {
            Some(p) => self.selected = p,
            None => {
                self.selected = self.selected.min(self.visible.len().saturating_sub(1));
                self.reader_top = 0;
                self.article_search = None;
            }
        }
        // Earlier results hold old numbers: never narrow from them, and never take one
        // that is still on its way (even when the query in the box does not parse now).
        self.last_result = None;
        self.generation += 1;
        self.searching = false;
        let text = self.query_text.clone();
        self.set_query(text, effects);
        let mut said = Vec::new();
        if added > 0 {
            said.push(format!(
                "{added} new article{}",
                if added == 1 { "" } else { "s" }
            ));
        }
        if gone > 0 {
            said.push(format!("{gone} gone"));
        }
        if !said.is_empty() {
            self.say(format!("reloaded: {}", said.join(", ")), Tone::Info);
        }
    }

    pub(super) fn update_reload(&mut self, action: Action, effects: &mut Vec<Effect>) {
        match action {
            Action::Reloaded(r) => self.reloaded(r, effects),
            Action::ReloadFailed(seen, e) => self.reload_failed(seen, e),
            _ => {}
        }
    }
}
