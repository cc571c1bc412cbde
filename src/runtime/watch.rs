//! Live reload, the runtime's side: a thread looks at the open corpus files about once a
//! second (size, modification time, inode); one that changed is loaded and indexed again
//! there and handed to the reader (`Done::Reloaded`). A file caught half-written is not an
//! error to show: the corpus shown stays and the load is tried again; only an error that
//! persists while the file stays the same is reported (`Done::ReloadFailed`), once.

use super::Event;
use crate::app::reload::{Appended, Reload};
use crate::app::Done;
use crate::corpus::{Corpus, Source};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// How a file looked: (size, modification time, inode); `None` when it cannot be read.
pub type Fingerprint = Option<(u64, Option<std::time::SystemTime>, u64)>;

/// Tries of a load that fails on an unchanged file before the error is shown (a second
/// apart).
const TRIES: usize = 3;

/// How often the files are looked at.
const LOOK_EVERY: Duration = Duration::from_secs(1);

pub fn fingerprints(sources: &[Source]) -> Vec<Fingerprint> {
    sources
        .iter()
        .map(|s| match s {
            Source::Builtin => Some((0, None, 0)),
            Source::File(p) => fingerprint(p),
            // The library's last change (a checkpoint of its log changes the files, not
            // the articles).
            Source::Library(p) => {
                let ino = fingerprint(p).map_or(0, |f| f.2);
                crate::store::library::version(p).map(|(seq, rows)| {
                    (
                        u64::try_from(seq).unwrap_or(0),
                        None,
                        ino ^ u64::try_from(rows).unwrap_or(0).rotate_left(40),
                    )
                })
            }
        })
        .collect()
}

fn fingerprint(p: &std::path::Path) -> Fingerprint {
    std::fs::metadata(p).ok().map(|m| {
        #[cfg(unix)]
        let ino = std::os::unix::fs::MetadataExt::ino(&m);
        #[cfg(not(unix))]
        let ino = 0;
        (m.len(), m.modified().ok(), ino)
    })
}

/// The watcher's state between looks.
pub struct Watcher {
    sources: Vec<Source>,
    /// The files as they were when the corpus shown was loaded.
    loaded: Vec<Fingerprint>,
    /// The corpus the reader shows (the last one handed to it, with what was handed over
    /// to add to it).
    shown: Shown,
    /// The library file's inode when it was loaded (another file put in its place is
    /// loaded whole).
    inode: Option<u64>,
    /// The last failure: the files then, how many tries, whether it was reported.
    failed: Option<(Vec<Fingerprint>, usize, bool)>,
    /// The corpus shown is a part (the newest articles of a large library): load the whole
    /// at once.
    partial: bool,
    /// Told after each reload of a library (its index may have changes to take in).
    indexer: Option<mpsc::Sender<()>>,
}

impl Watcher {
    /// Watch `sources`, which `shown` was loaded from when they looked like `loaded`.
    pub fn new(sources: Vec<Source>, loaded: Vec<Fingerprint>, shown: Arc<Corpus>) -> Watcher {
        Watcher {
            inode: library_inode(&sources),
            sources,
            loaded,
            shown: Shown::of(shown),
            failed: None,
            partial: false,
            indexer: None,
        }
    }

    /// The corpus shown is only the newest part of the library: the first look loads all
    /// of it (without waiting for a change).
    #[must_use]
    pub fn partial(mut self) -> Watcher {
        self.partial = true;
        self
    }

    /// Look once: a reload when a file changed and loads, a failure to report when one stays
    /// broken, else nothing.
    pub fn look(&mut self) -> Option<Done> {
        let now = fingerprints(&self.sources);
        if now == self.loaded && !self.partial {
            self.failed = None;
            return None;
        }
        if let Some((fps, tries, _)) = &self.failed {
            // The same broken file: tried enough, wait for it to change.
            if *fps == now && *tries >= TRIES {
                return None;
            }
        }
        if let Some(a) = self.appended(&now) {
            if let Shown::Library { rows, change, .. } = &mut self.shown {
                rows.extend_from_slice(&a.rows);
                *change = now
                    .first()
                    .copied()
                    .flatten()
                    .and_then(|f| i64::try_from(f.0).ok());
            }
            self.loaded = now;
            self.failed = None;
            if let Some(i) = &self.indexer {
                let _ = i.send(());
            }
            return (!a.rows.is_empty()).then(|| Done::Appended(Arc::new(a)));
        }
        match crate::store::open_sources(&self.sources, &std::sync::atomic::AtomicU64::new(0)) {
            Ok(c) => {
                let mut r = match &self.shown {
                    Shown::Corpus(old) => Reload::between(old, c),
                    Shown::Library { identity, rows, .. } => {
                        Reload::between_rows(*identity, rows, c)
                    }
                };
                r.completes = std::mem::take(&mut self.partial);
                self.shown = Shown::of(Arc::clone(&r.corpus));
                self.inode = library_inode(&self.sources);
                self.loaded = now;
                self.failed = None;
                if let Some(i) = &self.indexer {
                    let _ = i.send(());
                }
                Some(Done::Reloaded(Arc::new(r)))
            }
            Err(e) => {
                let tries = match &self.failed {
                    Some((fps, n, _)) if *fps == now => n + 1,
                    _ => 1,
                };
                let said = self.failed.as_ref().is_some_and(|f| f.0 == now && f.2);
                let say = tries >= TRIES && !said;
                self.failed = Some((now, tries, said || say));
                say.then(|| Done::ReloadFailed(e.to_string()))
            }
        }
    }
}

/// What the watcher keeps of the corpus shown, to number its articles in the next one.
enum Shown {
    /// The corpus itself (files: articles are matched by id).
    Corpus(Arc<Corpus>),
    /// A library shown whole: its rows alone (an article keeps its row), so that the
    /// reader can add the library's new articles to its corpus in place (nothing else
    /// may hold it then).
    Library {
        identity: u64,
        rows: Vec<i64>,
        /// The library's last change those rows hold (read with them).
        change: Option<i64>,
    },
}

impl Shown {
    fn of(c: Arc<Corpus>) -> Shown {
        match c.stored() {
            Some(s) if c.last_row().is_some() => Shown::Library {
                identity: c.identity(),
                rows: s.rows.clone(),
                change: c.change(),
            },
            _ => Shown::Corpus(c),
        }
    }
}

/// The inode of the library file, when the one source is a library.
fn library_inode(sources: &[Source]) -> Option<u64> {
    match sources {
        [Source::Library(p)] => fingerprint(p).map(|f| f.2),
        _ => None,
    }
}

/// A library that gained more articles than this at once is loaded again whole.
const APPEND_MAX: usize = 100_000;

impl Watcher {
    /// What a library shown whole gained since it was loaded, when all it did was gain
    /// articles after its last row (an add, a sync): those articles alone. `None` when
    /// anything else changed (an article removed or updated, the file replaced) or the
    /// library cannot be read: the whole is loaded again then.
    fn appended(&self, now: &[Fingerprint]) -> Option<Appended> {
        let ([Source::Library(p)], [Some(after)]) = (self.sources.as_slice(), now) else {
            return None;
        };
        let Shown::Library {
            rows,
            change: Some(before),
            ..
        } = &self.shown
        else {
            return None;
        };
        let (before, after) = (*before, i64::try_from(after.0).ok()?);
        if self.partial
            || self.failed.is_some()
            || after < before
            || self.inode.is_none()
            || library_inode(&self.sources) != self.inode
        {
            return None;
        }
        let last = rows.last().copied().unwrap_or(0);
        let conn = crate::store::library::read_connection(p).ok()?;
        let ns: Vec<i64> = conn
            .prepare("SELECT n FROM changes WHERE seq > ?1 AND seq <= ?2 ORDER BY n")
            .ok()?
            .query_map([before, after], |r| r.get(0))
            .ok()?
            .collect::<Result<_, _>>()
            .ok()?;
        let mut ns: Vec<i64> = ns;
        ns.dedup();
        if ns.first().is_some_and(|&n| n <= last) || ns.len() > APPEND_MAX {
            return None;
        }
        let (articles, rows) = crate::store::library::read_rows(&conn, p, &ns).ok()?;
        Some(Appended {
            after: last,
            articles,
            rows,
        })
    }
}

/// Progress of an index build shown once it has this many documents to take in.
const SHOW_INDEXING_FROM: u64 = 5000;

/// Keep the library's body index caught up, in a thread of its own: at the start (a build
/// after the index was deleted or damaged, or what an add cut short left), then whenever
/// `poke` says the library changed. Progress of a long build goes to the reader.
fn start_indexer(library: std::path::PathBuf, events: mpsc::Sender<Event>) -> mpsc::Sender<()> {
    let (poke, poked) = mpsc::channel::<()>();
    let _ = std::thread::Builder::new()
        .name("folio-index".into())
        .spawn(move || {
            super::workers::lower_priority();
            loop {
                let mut shown = false;
                let mut last = std::time::Instant::now();
                let r = crate::store::bodyindex::update(
                    &library,
                    &mut |done, total| {
                        if total >= SHOW_INDEXING_FROM
                            && (!shown || last.elapsed() >= Duration::from_millis(250))
                        {
                            shown = true;
                            last = std::time::Instant::now();
                            let _ = events.send(Event::Done(Done::Indexing(Some((done, total)))));
                        }
                    },
                    &|| false,
                    Duration::from_secs(1),
                );
                if shown || r.is_err() {
                    let _ = events.send(Event::Done(Done::Indexing(None)));
                }
                // Wait for a change; several at once are one update.
                if poked.recv().is_err() {
                    return;
                }
                while poked.try_recv().is_ok() {}
            }
        });
    poke
}

/// Start watching in a thread of its own (nothing to watch: no thread).
pub fn start(mut watcher: Watcher, events: mpsc::Sender<Event>) {
    if watcher.sources.iter().all(|s| *s == Source::Builtin) {
        return;
    }
    if let [Source::Library(p)] = watcher.sources.as_slice() {
        watcher.indexer = Some(start_indexer(p.clone(), events.clone()));
    }
    let _ = std::thread::Builder::new()
        .name("folio-watch".into())
        .spawn(move || {
            super::workers::lower_priority();
            let mut w = watcher;
            loop {
                if !w.partial {
                    std::thread::sleep(LOOK_EVERY);
                }
                if let Some(d) = w.look() {
                    if events.send(Event::Done(d)).is_err() {
                        return;
                    }
                }
            }
        });
}
