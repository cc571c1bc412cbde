//! Work off the UI thread: the search thread (the newest request wins, older ones are given
//! up), view counts, and freeing what a reload replaced.

use super::Event;
use crate::app::{searching, Done, SearchRequest};
use crate::corpus::Corpus;
use crate::query::Index;
use crate::store::StateView;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

/// What a search runs over: the corpus may be replaced by a reload while the reader runs.
pub struct Snapshot {
    pub corpus: Arc<Corpus>,
    pub index: Arc<Index>,
    pub state: Arc<StateView>,
}

type Job = (SearchRequest, Snapshot);

pub use super::sys::lower_priority;

/// The search thread: takes the newest request, drops older ones, and gives up on a
/// running search as soon as a newer one arrives.
pub struct Searcher {
    tx: mpsc::Sender<Job>,
    latest: Arc<AtomicU64>,
}

impl Searcher {
    pub fn start(events: mpsc::Sender<Event>) -> Searcher {
        let (tx, rx) = mpsc::channel::<Job>();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = Arc::clone(&latest);
        let _ = std::thread::Builder::new()
            .name("folio-search".into())
            .spawn(move || {
                lower_priority();
                while let Ok(mut job) = rx.recv() {
                    while let Ok(newer) = rx.try_recv() {
                        job = newer;
                    }
                    let (req, snap) = job;
                    let generation = req.generation;
                    let cancelled = || newest.load(Ordering::Relaxed) != generation;
                    let quick = events.clone();
                    let mut first = |r| {
                        let _ =
                            quick.send(Event::Done(Done::Search(generation, Arc::new(r), false)));
                    };
                    if let Some(r) = searching::run(
                        &snap.corpus,
                        &snap.index,
                        &snap.state,
                        &req,
                        &cancelled,
                        &mut first,
                    ) {
                        let done = Event::Done(Done::Search(generation, Arc::new(r), true));
                        if events.send(done).is_err() {
                            break;
                        }
                    }
                }
            });
        Searcher { tx, latest }
    }

    pub fn submit(&self, req: SearchRequest, snap: Snapshot) {
        self.latest.store(req.generation, Ordering::Relaxed);
        let _ = self.tx.send((req, snap));
    }
}

/// Count the saved views' results off the UI thread.
pub fn count_views(snap: Snapshot, queries: Vec<crate::query::Query>, events: mpsc::Sender<Event>) {
    let _ = std::thread::Builder::new()
        .name("folio-views".into())
        .spawn(move || {
            lower_priority();
            let counts = searching::count(&snap.corpus, &snap.index, &snap.state, &queries);
            let _ = events.send(Event::Done(Done::ViewsCounted(counts)));
        });
}

/// Free what a reload replaced (a corpus of 100,000 articles takes a while) elsewhere.
pub fn free<T: Send + 'static>(t: T) {
    if std::thread::Builder::new()
        .name("folio-free".into())
        .spawn(move || drop(t))
        .is_err()
    {
        // No thread to be had: it is freed here, which is only slower.
    }
}

/// Sync every due subscription, telling `report` how far it has got and how it ended.
pub fn sync_now(settings: &crate::fetch::SyncSettings, report: &dyn Fn(Done)) {
    use crate::app::feeds::{SyncReport, SyncState};
    use crate::fetch::sync::{self, SyncError};
    let Some(places) = sync::places() else {
        report(Done::SyncDone(Arc::new(SyncReport {
            summary: Err("no data folder: set XDG_DATA_HOME or HOME".into()),
            failed: 0,
            changed: Vec::new(),
            mark_changed_unread: false,
        })));
        return;
    };
    // The state database is made and brought up to date by opening it.
    drop(crate::store::Store::open(
        places.db.clone(),
        crate::store::db::Load::Bookmarks,
    ));
    let client = crate::fetch::http::Client::new(settings.clone());
    let has_feeds = crate::store::feeds::Feeds::open(&places.db)
        .and_then(|f| f.all())
        .is_ok_and(|f| !f.is_empty());
    let result = if has_feeds {
        sync::sync(&places, &client, false, None, &mut |p| {
            report(Done::SyncProgress(SyncState {
                done: p.done,
                total: p.total,
                new: p.new,
            }));
        })
    } else {
        Err(SyncError::Store(crate::store::StoreError::Io {
            what: "find",
            path: places.db.clone(),
            message: "no subscriptions (folio feeds add URL)".into(),
        }))
    };
    let done = match result {
        Ok(s) => SyncReport {
            summary: Ok(s.line()),
            failed: s.failed,
            changed: s.updated_ids,
            mark_changed_unread: settings.changed_unread,
        },
        Err(SyncError::Store(crate::store::StoreError::Io { message, .. }))
            if message.starts_with("no subscriptions") =>
        {
            SyncReport {
                summary: Err(message),
                failed: 0,
                changed: Vec::new(),
                mark_changed_unread: false,
            }
        }
        Err(e) => SyncReport {
            summary: Err(e.to_string()),
            failed: 0,
            changed: Vec::new(),
            mark_changed_unread: false,
        },
    };
    report(Done::SyncDone(Arc::new(done)));
}

/// The subscriptions, for the feeds pane.
pub fn load_feeds() -> Done {
    let feeds = crate::store::paths::db_file()
        .and_then(|p| crate::store::feeds::Feeds::open(&p).ok())
        .and_then(|f| f.all().ok())
        .unwrap_or_default();
    Done::FeedsLoaded(Arc::new(feeds))
}

/// Fetch an article's full text into the library, or switch it; what to tell the user.
pub fn full_text(
    settings: &crate::fetch::SyncSettings,
    id: &str,
    url: Option<&str>,
    toggle: bool,
) -> Done {
    let r = (|| -> Result<String, String> {
        let path =
            crate::store::library::path().ok_or("no data folder: set XDG_DATA_HOME or HOME")?;
        if !path.exists() {
            return Err(
                "the full text is kept with articles of your library, and this one is not in it"
                    .into(),
            );
        }
        let mut lib = crate::store::library::Library::open(&path).map_err(|e| e.to_string())?;
        if lib.url_of(id).map_err(|e| e.to_string())?.is_none() {
            return Err(
                "the full text is kept with articles of your library, and this one is not in it"
                    .into(),
            );
        }
        if toggle {
            let shown = lib.toggle_full_text(id).map_err(|e| e.to_string())?;
            lib.index_quietly();
            return match shown {
                Some(true) => Ok("showing the full text (x for the feed's)".into()),
                Some(false) => Ok("showing the feed's text (x for the full text)".into()),
                None => Err("this article has no full text yet".into()),
            };
        }
        let url = url.ok_or("this article has no web link")?;
        let client = crate::fetch::http::Client::new(settings.clone());
        let text = crate::fetch::fulltext::fetch(&client, url)?;
        let words = text.split_whitespace().count();
        lib.set_full_text(id, &text).map_err(|e| e.to_string())?;
        lib.index_quietly();
        Ok(format!(
            "full text saved, {words} words (x shows the feed's text)"
        ))
    })();
    Done::FullText(r)
}

/// Read a body kept on disk.
pub fn load_body(corpus: &crate::corpus::Corpus, generation: u64, idx: usize) -> Done {
    Done::Body {
        generation,
        idx,
        body: corpus
            .body(idx)
            .map(|b| std::sync::Arc::from(b.as_ref()))
            .map_err(|e| e.to_string()),
    }
}
