//! The store thread: it owns the `SQLite` connection, so the UI thread never waits on the
//! disk. The reader applies a change to its own state at once and sends it here; this
//! thread commits each burst of changes in one transaction and reports back (`Done::Saved`,
//! `Done::SaveFailed`); a busy database (another folio writing) delays the save and never
//! the screen. It also looks for other folios' changes once a second and reports them
//! (`Done::StoreChanged`).
//!
//! `StoreWorker` is the thread's logic without the thread: tests drive it directly, which
//! is their flush barrier ("saved before the next look").

use crate::app::{ChangedRows, Done, Save, StoreChange};
use crate::store::db::Changed;
use crate::store::{Store, StoreEvent};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// What the reader sends the store thread.
#[derive(Debug)]
pub enum Request {
    Save(Save),
    Remember(String),
    /// Where the reader is as it closes.
    Session(crate::store::Session),
    /// Commit what is pending, then answer (tests, and quitting).
    Flush(mpsc::Sender<()>),
}

/// How long a commit waits for another folio's write before trying again later.
const BUSY_WAIT: Duration = Duration::from_millis(200);
/// How often changes that failed to commit are tried again.
const RETRY_EVERY: Duration = Duration::from_millis(500);
/// How often other folios' changes are looked for.
const LOOK_EVERY: Duration = Duration::from_secs(1);
/// A busy database is reported only after this long (a short wait is nothing to show).
const BUSY_SAY_AFTER: Duration = Duration::from_secs(2);

/// The store thread's logic.
pub struct StoreWorker {
    store: Store,
    /// The highest change number staged (applied in the store's state).
    staged: u64,
    /// When the changes pending began to fail, and whether that was said.
    failing_since: Option<(Instant, bool)>,
}

impl StoreWorker {
    pub fn new(mut store: Store) -> StoreWorker {
        store.set_busy_timeout(BUSY_WAIT);
        StoreWorker {
            store,
            staged: 0,
            failing_since: None,
        }
    }

    /// What the store needs the reader to know since it opened (moved aside, migrated...).
    pub fn notices(&mut self) -> Vec<Done> {
        self.store
            .take_events()
            .into_iter()
            .map(|e| {
                let error = !matches!(e, StoreEvent::Recovered | StoreEvent::Migrated { .. });
                Done::StoreNotice(e.to_string(), error)
            })
            .collect()
    }

    /// Take a request; returns the reports for the reader.
    pub fn handle(&mut self, req: Request) -> Vec<Done> {
        match req {
            Request::Save(s) => {
                self.stage(s);
                Vec::new()
            }
            Request::Remember(q) => match self.store.remember(&q) {
                Ok(()) => Vec::new(),
                Err(e) => vec![Done::Failed(format!(
                    "could not save the search history: {e}"
                ))],
            },
            Request::Session(s) => match self.store.set_session(&s) {
                Ok(()) => Vec::new(),
                Err(e) => vec![Done::Failed(format!(
                    "could not keep the query and selection for next time: {e}"
                ))],
            },
            Request::Flush(reply) => {
                let out = self.commit();
                let _ = reply.send(());
                out
            }
        }
    }

    /// Stage a change without committing (a burst is committed as one).
    pub fn stage(&mut self, s: Save) {
        self.staged = self.staged.max(s.seq);
        self.store.stage(s.op, s.at);
    }

    /// Whether changes wait to be committed.
    pub fn has_pending(&self) -> bool {
        self.store.has_pending()
    }

    /// Commit what is staged, in one transaction.
    pub fn commit(&mut self) -> Vec<Done> {
        if !self.store.has_pending() {
            return Vec::new();
        }
        let r = self.store.flush();
        // The store's own events about saving are reported here, not again.
        let _ = self.store.take_events();
        match r {
            Ok(()) => {
                self.failing_since = None;
                vec![Done::Saved(self.staged)]
            }
            Err(e) => {
                let busy = e.is_busy();
                let (since, said) = self.failing_since.get_or_insert((Instant::now(), false));
                if busy && since.elapsed() < BUSY_SAY_AFTER {
                    return Vec::new();
                }
                if *said {
                    return Vec::new();
                }
                *said = true;
                let why = e.to_string();
                vec![Done::SaveFailed(why)]
            }
        }
    }

    /// Look for other folios' changes (cheap when there are none).
    pub fn look(&mut self) -> Option<Done> {
        let changed = self.store.poll()?;
        let rows = match changed {
            Changed::All => ChangedRows::All(self.store.data.clone()),
            Changed::Ids(ids) => ChangedRows::Ids(
                ids.into_iter()
                    .map(|id| {
                        let b = self.store.data.bookmarks.get(&id).cloned();
                        let r = self.store.data.reading.get(&id).cloned();
                        (id, b, r)
                    })
                    .collect(),
            ),
        };
        Some(Done::StoreChanged(std::sync::Arc::new(StoreChange {
            upto: self.staged,
            rows,
        })))
    }
}

/// Start the store thread; what it reports goes to `report`. It ends once the sender is
/// dropped, after a last try at committing what is pending.
pub fn start(
    store: Store,
    report: impl Fn(Done) + Send + 'static,
) -> (mpsc::Sender<Request>, Option<std::thread::JoinHandle<()>>) {
    let (tx, rx) = mpsc::channel::<Request>();
    let handle = std::thread::Builder::new()
        .name("folio-store".into())
        .spawn(move || {
            let mut w = StoreWorker::new(store);
            for d in w.notices() {
                report(d);
            }
            let mut last_look = Instant::now();
            loop {
                let wait = if w.has_pending() {
                    RETRY_EVERY
                } else {
                    LOOK_EVERY.saturating_sub(last_look.elapsed())
                };
                match rx.recv_timeout(wait) {
                    Ok(req) => {
                        let mut reports = w.handle(req);
                        // A burst (a key that makes two changes, keys held down) is one
                        // transaction.
                        let mut flushes = Vec::new();
                        while let Ok(more) = rx.try_recv() {
                            match more {
                                Request::Flush(reply) => flushes.push(reply),
                                other => reports.extend(w.handle(other)),
                            }
                        }
                        reports.extend(w.commit());
                        for f in flushes {
                            let _ = f.send(());
                        }
                        for d in reports {
                            report(d);
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        for d in w.commit() {
                            report(d);
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => {
                        // The reader is gone: a last try at what is pending.
                        w.store.set_busy_timeout(Duration::from_secs(5));
                        let _ = w.commit();
                        return;
                    }
                }
                if last_look.elapsed() >= LOOK_EVERY {
                    last_look = Instant::now();
                    if let Some(d) = w.look() {
                        report(d);
                    }
                }
            }
        })
        .ok();
    (tx, handle)
}
