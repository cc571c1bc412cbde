//! The bookmarks file on disk: read, written atomically under a lock, merged with other
//! running copies, moved aside (never overwritten) when damaged.

use super::{Data, Op, STORE_VERSION};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Something the user must be told about the saved state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreEvent {
    /// A damaged or unreadable file was moved aside, byte for byte.
    MovedAside { to: PathBuf, why: String },
    /// The file was written by a newer folio: it is opened read-only.
    ReadOnly(String),
    /// A save failed; the change is kept in memory and saved at the next chance.
    SaveFailed(String),
    /// Changes that had failed to save are saved now.
    Recovered,
}

impl std::fmt::Display for StoreEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreEvent::MovedAside { to, why } => write!(
                f,
                "bookmarks file was damaged ({why}); it was moved to {} and a new one started",
                to.display()
            ),
            StoreEvent::ReadOnly(why) => write!(f, "bookmarks are read-only: {why}"),
            StoreEvent::SaveFailed(why) => {
                write!(
                    f,
                    "could not save bookmarks ({why}); kept in memory, will retry"
                )
            }
            StoreEvent::Recovered => write!(f, "bookmarks saved"),
        }
    }
}

/// Why a file could not be used.
#[derive(Debug)]
pub enum ReadProblem {
    /// Not valid (truncated, not JSON, wrong shape, unknown version below ours...).
    Damaged(String),
    /// Written by a newer folio.
    Newer(u32),
    Io(std::io::Error),
}

/// Read the saved state; `Ok(None)` when there is no file yet.
pub fn read_data(path: &Path) -> Result<Option<Data>, ReadProblem> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ReadProblem::Io(e)),
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        ReadProblem::Damaged(format!("line {}, column {}: {e}", e.line(), e.column()))
    })?;
    match v.get("version").and_then(serde_json::Value::as_u64) {
        Some(n) if n == u64::from(STORE_VERSION) => {}
        Some(n) if n > u64::from(STORE_VERSION) => return Err(ReadProblem::Newer(n as u32)),
        Some(n) => return Err(ReadProblem::Damaged(format!("unknown version {n}"))),
        None => return Err(ReadProblem::Damaged("no version".into())),
    }
    serde_json::from_value(v)
        .map(Some)
        .map_err(|e| ReadProblem::Damaged(e.to_string()))
}

/// Where a damaged file goes: `bookmarks.json.corrupt-<timestamp>` (never over another).
fn aside_path(path: &Path) -> PathBuf {
    let ts = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let base = format!("{}.corrupt-{ts}", path.display());
    let mut p = PathBuf::from(&base);
    let mut k = 2;
    while p.exists() {
        p = PathBuf::from(format!("{base}-{k}"));
        k += 1;
    }
    p
}

/// Write bytes atomically: a temporary file beside the target, synced, renamed over it, and
/// the folder synced, so a crash leaves the old file or the new one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = atomic_write_file::AtomicWriteFile::open(path)?;
    f.write_all(bytes)?;
    f.commit()?;
    if let Some(dir) = path.parent() {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// An exclusive lock on `<file>.lock`, held until dropped.
struct Lock(File);

impl Lock {
    fn take(path: &Path) -> std::io::Result<Lock> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let lock_path = PathBuf::from(format!("{}.lock", path.display()));
        let f = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path)?;
        f.lock()?;
        Ok(Lock(f))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// The saved state of one folio: what is on disk plus changes not yet saved.
#[derive(Debug)]
pub struct Store {
    pub path: PathBuf,
    /// The state as this copy sees it (disk merged with pending changes).
    pub data: Data,
    pending: Vec<Op>,
    read_only: Option<String>,
    /// Things to tell the user, oldest first.
    pub events: Vec<StoreEvent>,
}

impl Store {
    /// Open the store at `path`. A damaged file is moved aside and reported; a newer one is
    /// opened read-only.
    pub fn open(path: PathBuf) -> Store {
        let mut s = Store {
            path,
            data: Data::empty(),
            pending: Vec::new(),
            read_only: None,
            events: Vec::new(),
        };
        match read_data(&s.path) {
            Ok(Some(d)) => s.data = d,
            Ok(None) => {}
            Err(_) => {
                // Look again under the lock before moving anything.
                if let Err(e) = s.sync() {
                    s.events.push(StoreEvent::SaveFailed(e));
                }
            }
        }
        s
    }

    /// A store that never touches the disk (no data folder).
    pub fn in_memory() -> Store {
        Store {
            path: PathBuf::new(),
            data: Data::empty(),
            pending: Vec::new(),
            read_only: Some("no data folder".into()),
            events: Vec::new(),
        }
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Apply a change now and save it. On a failed save the change stays in memory (and is
    /// retried by the next `apply` or `flush`); the error is returned and recorded.
    pub fn apply(&mut self, op: Op) -> Result<(), String> {
        self.data.apply(&op);
        self.pending.push(op);
        self.flush()
    }

    /// Save pending changes, if any.
    pub fn flush(&mut self) -> Result<(), String> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if let Some(why) = &self.read_only {
            return Err(format!("not saved: bookmarks are read-only ({why})"));
        }
        let had_failed = self
            .events
            .last()
            .is_some_and(|e| matches!(e, StoreEvent::SaveFailed(_)));
        match self.sync() {
            Ok(()) => {
                if had_failed {
                    self.events.push(StoreEvent::Recovered);
                }
                Ok(())
            }
            Err(e) => {
                self.events.push(StoreEvent::SaveFailed(e.clone()));
                Err(e)
            }
        }
    }

    /// Re-read the file (picking up other copies' changes) and reapply what is pending.
    pub fn refresh(&mut self) {
        if self.pending.is_empty() && self.read_only.is_none() {
            if let Ok(Some(d)) = read_data(&self.path) {
                self.data = d;
            }
        }
    }

    /// Under the lock: read the file, handle damage, apply pending changes, write, unlock.
    fn sync(&mut self) -> Result<(), String> {
        let _lock = Lock::take(&self.path).map_err(|e| e.to_string())?;
        let mut disk = match read_data(&self.path) {
            Ok(Some(d)) => d,
            Ok(None) => Data::empty(),
            Err(ReadProblem::Newer(v)) => {
                let why = format!(
                    "{} was written by a newer folio (version {v}); it is left as it is",
                    self.path.display()
                );
                self.read_only = Some(why.clone());
                self.events.push(StoreEvent::ReadOnly(why.clone()));
                return Err(why);
            }
            Err(ReadProblem::Damaged(why)) => {
                let to = aside_path(&self.path);
                std::fs::rename(&self.path, &to).map_err(|e| {
                    format!("the file is damaged ({why}) and could not be moved aside: {e}")
                })?;
                self.events.push(StoreEvent::MovedAside { to, why });
                Data::empty()
            }
            Err(ReadProblem::Io(e)) => {
                return Err(format!("cannot read {}: {e}", self.path.display()))
            }
        };
        for op in &self.pending {
            disk.apply(op);
        }
        if !self.pending.is_empty() {
            let mut json = serde_json::to_string_pretty(&disk).map_err(|e| e.to_string())?;
            json.push('\n');
            write_atomic(&self.path, json.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
            self.pending.clear();
        }
        self.data = disk;
        Ok(())
    }

    /// Events not yet shown, taken.
    pub fn take_events(&mut self) -> Vec<StoreEvent> {
        std::mem::take(&mut self.events)
    }
}
