//! Hooks for tests and benchmarks, read from the environment once, at first use, so the
//! rest of folio never looks at the environment for them again:
//!
//! - `FOLIO_TODAY=YYYY-MM-DD` fixes "today" for relative dates;
//! - `FOLIO_NOW=<RFC 3339>` fixes the time bookmarks and notes are stamped with;
//! - `FOLIO_SLOW_LOAD_MS=N` makes opening the reader take N ms longer (the loading screen);
//! - `FOLIO_PANIC_AFTER_DRAW=1` panics after the first frame (the crash report);
//! - `FOLIO_HEAD=N` opens a library of more than 20×N articles with its newest N first
//!   (the rest loading after), where the reader would otherwise wait for 10,000.

use std::sync::OnceLock;

#[derive(Debug, Default, Clone)]
pub struct Hooks {
    pub today: Option<String>,
    pub now: Option<String>,
    pub slow_load_ms: Option<u64>,
    pub panic_after_draw: bool,
    pub head: Option<usize>,
}

/// The hooks set for this process.
pub fn hooks() -> &'static Hooks {
    static HOOKS: OnceLock<Hooks> = OnceLock::new();
    HOOKS.get_or_init(|| Hooks {
        today: std::env::var("FOLIO_TODAY").ok(),
        now: std::env::var("FOLIO_NOW").ok(),
        slow_load_ms: std::env::var("FOLIO_SLOW_LOAD_MS")
            .ok()
            .and_then(|v| v.parse().ok()),
        panic_after_draw: std::env::var_os("FOLIO_PANIC_AFTER_DRAW").is_some(),
        head: std::env::var("FOLIO_HEAD")
            .ok()
            .and_then(|v| v.parse().ok()),
    })
}
