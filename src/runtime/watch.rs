//! Live reload, the runtime's side: a thread looks at the open corpus files about once a
//! second (size, modification time, inode); one that changed is loaded and indexed again
//! there and handed to the reader (`Done::Reloaded`). A file caught half-written is not an
//! error to show: the corpus shown stays and the load is tried again; only an error that
//! persists while the file stays the same is reported (`Done::ReloadFailed`), once.

use super::Event;
use crate::app::reload::Reload;
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
            // A database in WAL mode: a commit changes its log, a checkpoint the file.
            Source::Library(p) => {
                let main = fingerprint(p);
                let wal = fingerprint(&std::path::PathBuf::from(format!("{}-wal", p.display())));
                main.map(|(len, t, ino)| {
                    let (wl, wt, _) = wal.unwrap_or((0, None, 0));
                    (len.wrapping_add(wl.rotate_left(32)), wt.max(t), ino)
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
    /// The corpus the reader shows (the last one handed to it).
    shown: Arc<Corpus>,
    /// The last failure: the files then, how many tries, whether it was reported.
    failed: Option<(Vec<Fingerprint>, usize, bool)>,
}

impl Watcher {
    /// Watch `sources`, which `shown` was loaded from when they looked like `loaded`.
    pub fn new(sources: Vec<Source>, loaded: Vec<Fingerprint>, shown: Arc<Corpus>) -> Watcher {
        Watcher {
            sources,
            loaded,
            shown,
            failed: None,
        }
    }

    /// Look once: a reload when a file changed and loads, a failure to report when one stays
    /// broken, else nothing.
    pub fn look(&mut self) -> Option<Done> {
        let now = fingerprints(&self.sources);
        if now == self.loaded {
            self.failed = None;
            return None;
        }
        if let Some((fps, tries, _)) = &self.failed {
            // The same broken file: tried enough, wait for it to change.
            if *fps == now && *tries >= TRIES {
                return None;
            }
        }
        match crate::store::open_sources(&self.sources, &std::sync::atomic::AtomicU64::new(0)) {
            Ok(c) => {
                let r = Reload::between(Arc::clone(&self.shown), c);
                self.shown = Arc::clone(&r.corpus);
                self.loaded = now;
                self.failed = None;
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

/// Start watching in a thread of its own (nothing to watch: no thread).
pub fn start(watcher: Watcher, events: mpsc::Sender<Event>) {
    if watcher.sources.iter().all(|s| *s == Source::Builtin) {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("folio-watch".into())
        .spawn(move || {
            super::workers::lower_priority();
            let mut w = watcher;
            loop {
                std::thread::sleep(LOOK_EVERY);
                if let Some(d) = w.look() {
                    if events.send(Event::Done(d)).is_err() {
                        return;
                    }
                }
            }
        });
}
