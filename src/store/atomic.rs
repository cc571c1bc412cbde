//! Writing a whole file so that a crash leaves the old one or the new one, never half.

use std::fs::File;
use std::io::Write;
use std::path::Path;

/// Write bytes atomically: a temporary file beside the target, synced, renamed over it, and
/// the folder synced.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, &|w| w.write_all(bytes))
}

/// As `write_atomic`, with the contents written by `write` as they come.
pub fn write_atomic_with(
    path: &Path,
    write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut f = atomic_write_file::AtomicWriteFile::open(path)?;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut f);
        write(&mut w)?;
        w.flush()?;
    }
    f.commit()?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// An exclusive lock on a file (created when missing), held until dropped. Other folios
/// wait for it.
pub struct Lock(File);

impl Lock {
    fn file(path: &Path) -> std::io::Result<File> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
    }

    /// Wait for the lock and take it alone.
    pub fn take(path: &Path) -> std::io::Result<Lock> {
        let f = Lock::file(path)?;
        f.lock()?;
        Ok(Lock(f))
    }

    /// Take it alone if no one holds it within `wait`; `None` when someone still does.
    pub fn try_take(path: &Path, wait: std::time::Duration) -> std::io::Result<Option<Lock>> {
        let f = Lock::file(path)?;
        let start = std::time::Instant::now();
        loop {
            match f.try_lock() {
                Ok(()) => return Ok(Some(Lock(f))),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
    }

    /// Share it with others doing the same (held while a folio has the database open).
    pub fn share(path: &Path) -> std::io::Result<Lock> {
        let f = Lock::file(path)?;
        f.lock_shared()?;
        Ok(Lock(f))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// Where a damaged file goes: `<file>.corrupt-<timestamp>`, never over another file.
pub fn aside_path(path: &Path) -> std::path::PathBuf {
    let ts = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let base = format!("{}.corrupt-{ts}", path.display());
    let mut p = std::path::PathBuf::from(&base);
    let mut k = 2;
    while p.exists() {
        p = std::path::PathBuf::from(format!("{base}-{k}"));
        k += 1;
    }
    p
}
