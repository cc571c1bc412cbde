//! Effects performed on the calling thread, at once: searches run to the end, changes are
//! committed before `perform` returns (a flush barrier), and every report goes straight back
//! into the app. For tests, the fuzz targets and benchmarks; the reader uses threads.

use super::store::StoreWorker;
use crate::app::{searching, Action, App, Done, Effect};
use crate::store::Store;

/// Performs effects synchronously, with a store or without one.
#[derive(Default)]
pub struct Immediate {
    store: Option<StoreWorker>,
    /// Links opened and texts copied (nothing is opened or copied).
    pub opened: Vec<String>,
    pub copied: Vec<String>,
    /// How syncs run.
    pub sync: crate::fetch::SyncSettings,
}

impl Immediate {
    /// Nothing is saved anywhere.
    pub fn new() -> Immediate {
        Immediate::default()
    }

    /// Changes go to `store`; what it needs to tell at start is told to `app`.
    pub fn with_store(store: Store, app: &mut App) -> Immediate {
        let mut worker = StoreWorker::new(store);
        let notices = worker.notices();
        let mut me = Immediate {
            store: Some(worker),
            ..Immediate::default()
        };
        for d in notices {
            me.report(app, d);
        }
        me
    }

    fn report(&mut self, app: &mut App, done: Done) -> bool {
        let u = app.update(Action::Done(done));
        self.perform(app, u.effects)
    }

    /// Perform effects now; returns whether the app asked to quit.
    pub fn perform(&mut self, app: &mut App, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        let mut saved = false;
        for e in effects {
            match e {
                Effect::Quit => quit = true,
                Effect::Save(s) => {
                    if let Some(w) = self.store.as_mut() {
                        w.stage(s);
                        saved = true;
                    } else {
                        quit |= self.report(app, Done::Saved(s.seq));
                    }
                }
                Effect::Remember(q) => {
                    if let Some(w) = self.store.as_mut() {
                        let reports = w.handle(super::store::Request::Remember(q));
                        for d in reports {
                            quit |= self.report(app, d);
                        }
                    }
                }
                Effect::CountViews(queries) => {
                    let counts = searching::count(app.corpus(), app.index(), app.state(), &queries);
                    quit |= self.report(app, Done::ViewsCounted(counts));
                }
                Effect::Sync => {
                    let mut reports = Vec::new();
                    let collect = std::cell::RefCell::new(&mut reports);
                    super::workers::sync_now(&self.sync, &|d| collect.borrow_mut().push(d));
                    for d in reports {
                        quit |= self.report(app, d);
                    }
                }
                Effect::LoadFeeds => quit |= self.report(app, super::workers::load_feeds()),
                Effect::LoadBody { generation, idx } => {
                    let d = super::workers::load_body(app.corpus(), generation, idx);
                    quit |= self.report(app, d);
                }
                Effect::FullText { id, url, toggle } => {
                    let d = super::workers::full_text(&self.sync, &id, url.as_deref(), toggle);
                    quit |= self.report(app, d);
                }
                Effect::OpenUrl(u) => self.opened.push(u),
                Effect::Copy(t) => self.copied.push(t),
                Effect::Search(req) => {
                    let result = searching::run(
                        app.corpus(),
                        app.index(),
                        app.state(),
                        &req,
                        &|| false,
                        &mut |_| {},
                    );
                    if let Some(r) = result {
                        let done = Done::Search(req.generation, std::sync::Arc::new(r), true);
                        quit |= self.report(app, done);
                    }
                }
            }
        }
        if saved {
            quit |= self.commit(app);
        }
        drop(app.take_retired());
        quit
    }

    /// Commit what is staged (again, after a failure) and report it.
    pub fn commit(&mut self, app: &mut App) -> bool {
        let reports = self
            .store
            .as_mut()
            .map(StoreWorker::commit)
            .unwrap_or_default();
        let mut quit = false;
        for d in reports {
            quit |= self.report(app, d);
        }
        quit
    }

    /// Look for other folios' changes and report them.
    pub fn look(&mut self, app: &mut App) -> bool {
        match self.store.as_mut().and_then(StoreWorker::look) {
            Some(d) => self.report(app, d),
            None => false,
        }
    }

    /// Whether changes wait to be committed.
    pub fn has_pending(&self) -> bool {
        self.store.as_ref().is_some_and(StoreWorker::has_pending)
    }

    /// The store, for tests that look into it.
    pub fn store(&mut self) -> Option<&mut StoreWorker> {
        self.store.as_mut()
    }
}
