//! A corpus file mapped into memory for the streaming loader: no copy through `read`, and the
//! pages already scanned are handed back at once, so the mapping never adds the whole file to
//! the process's memory.
//!
//! A mapped file that shrinks while it is read would normally kill the process with SIGBUS
//! (and leave the terminal in raw mode). While a mapping is being scanned, a SIGBUS handler
//! puts a page of zeros where the file was cut and notes it; the loader then reports that the
//! file changed while loading.

use std::fs::File;
use std::os::unix::io::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

/// A read-only private mapping of a whole file, unmapped on drop.
pub struct Mapped {
    ptr: *mut libc::c_void,
    len: usize,
}

// SAFETY: the mapping is read-only and owned; sharing its address across threads is fine.
unsafe impl Send for Mapped {}
unsafe impl Sync for Mapped {}

fn page() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 {
        p as usize
    } else {
        4096
    }
}

impl Mapped {
    /// Map `f` (which must not be empty).
    pub fn new(f: &File) -> std::io::Result<Mapped> {
        let len = f.metadata()?.len() as usize;
        if len == 0 {
            return Err(std::io::Error::other("empty file"));
        }
        // SAFETY: a fresh read-only private mapping of an open file; checked for failure.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                f.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: advice on our own mapping.
        unsafe { libc::madvise(ptr, len, libc::MADV_SEQUENTIAL) };
        Ok(Mapped { ptr, len })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes `from..to` of the file.
    pub fn slice(&self, from: usize, to: usize) -> &[u8] {
        let to = to.min(self.len);
        let from = from.min(to);
        // SAFETY: within the mapping, which lives as long as `self`.
        unsafe { std::slice::from_raw_parts((self.ptr as *const u8).add(from), to - from) }
    }

    /// Hand the whole pages inside `from..to` back to the kernel. The caller holds no
    /// references into that range (the loader copies what it keeps); reading it again would
    /// simply map the file's pages anew.
    pub fn release(&self, from: usize, to: usize) {
        let p = page();
        let start = from.div_ceil(p) * p;
        let end = (to.min(self.len) / p) * p;
        if end > start {
            // SAFETY: a page-aligned range inside our own read-only mapping.
            unsafe {
                libc::madvise(
                    (self.ptr as *mut u8).add(start) as *mut libc::c_void,
                    end - start,
                    libc::MADV_DONTNEED,
                )
            };
        }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        // SAFETY: unmapping our own mapping once.
        unsafe { libc::munmap(self.ptr, self.len) };
    }
}

static BASE: AtomicUsize = AtomicUsize::new(0);
static LEN: AtomicUsize = AtomicUsize::new(0);
static CUT: AtomicBool = AtomicBool::new(false);
/// One guarded mapping at a time (the handler knows one range).
static GUARD: Mutex<()> = Mutex::new(());

extern "C" fn on_sigbus(_: libc::c_int, info: *mut libc::siginfo_t, _: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    let (base, len) = (BASE.load(Ordering::SeqCst), LEN.load(Ordering::SeqCst));
    if base != 0 && addr >= base && addr < base + len {
        let p = page();
        // SAFETY: replaces one page of our own mapping, past the file's new end, with zeros;
        // mmap is a plain system call.
        let r = unsafe {
            libc::mmap(
                (addr & !(p - 1)) as *mut libc::c_void,
                p,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if r != libc::MAP_FAILED {
            CUT.store(true, Ordering::SeqCst);
            return;
        }
    }
    // Not ours: the default action when the faulting access is retried.
    // SAFETY: signal() is async-signal-safe.
    unsafe { libc::signal(libc::SIGBUS, libc::SIG_DFL) };
}

/// While alive, a file cut short under `m` reads as zeros instead of killing the process.
pub struct BusGuard<'a> {
    old: libc::sigaction,
    _lock: std::sync::MutexGuard<'a, ()>,
}

impl BusGuard<'static> {
    pub fn install(m: &Mapped) -> BusGuard<'static> {
        let lock = GUARD.lock().unwrap_or_else(|p| p.into_inner());
        BASE.store(m.ptr as usize, Ordering::SeqCst);
        LEN.store(m.len, Ordering::SeqCst);
        CUT.store(false, Ordering::SeqCst);
        // SAFETY: installing a handler with a zeroed, then filled, sigaction.
        let old = unsafe {
            let mut new: libc::sigaction = std::mem::zeroed();
            new.sa_sigaction = on_sigbus as *const () as usize;
            new.sa_flags = libc::SA_SIGINFO;
            libc::sigemptyset(&mut new.sa_mask);
            let mut old: libc::sigaction = std::mem::zeroed();
            libc::sigaction(libc::SIGBUS, &new, &mut old);
            old
        };
        BusGuard { old, _lock: lock }
    }

    /// Whether the file was cut short while mapped.
    pub fn was_cut(&self) -> bool {
        CUT.load(Ordering::SeqCst)
    }
}

impl Drop for BusGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: restoring the handler saved at install.
        unsafe { libc::sigaction(libc::SIGBUS, &self.old, std::ptr::null_mut()) };
        BASE.store(0, Ordering::SeqCst);
        LEN.store(0, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_cut_short_while_mapped_reads_as_zeros_and_is_noticed() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("f");
        std::fs::write(&p, vec![b'x'; 64 * 1024]).expect("write");
        let f = File::open(&p).expect("open");
        let m = Mapped::new(&f).expect("map");
        let guard = BusGuard::install(&m);
        std::fs::OpenOptions::new()
            .write(true)
            .open(&p)
            .and_then(|w| w.set_len(4096))
            .expect("truncate");
        let tail = m.slice(32 * 1024, 64 * 1024);
        let sum: u64 = tail.iter().map(|&b| b as u64).sum();
        assert_eq!(sum, 0);
        assert!(guard.was_cut());
        assert_eq!(m.slice(0, 1), b"x");
    }
}
