//! Panics caught where one input must cost only itself (a feed entry, a file of an import):
//! inside `catch`, a panic is turned into an error for that input, and the crash report
//! (`runtime::crash`) stays out of it. Anywhere else a panic is a crash, reported as such.

use std::cell::Cell;

thread_local! {
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// Whether the calling thread is inside `catch`.
pub fn is_catching() -> bool {
    CATCHING.with(|c| c.get() > 0)
}

/// Run `f`; a panic in it becomes `Err` with its message.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    r.map_err(|p| {
        p.downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an internal error".to_string())
    })
}

/// A hook for panics that are caught: say nothing (the caller reports the error).
pub fn quiet_when_catching(info: &std::panic::PanicHookInfo<'_>) -> bool {
    let _ = info;
    is_catching()
}
