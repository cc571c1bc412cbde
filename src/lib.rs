//! folio: a terminal reader for news.
//!
//! - `corpus`, `import`, `query` and `store` are data and logic: no terminal code.
//! - `app` is the reader's state and its reducer: pure (no threads, no I/O, no drawing).
//! - `ui` draws `&App` (one file per pane); it depends on `app`, never the reverse.
//! - `runtime` sits above both: the terminal, the event loop, the workers (searches, the
//!   store thread, the file watcher), the effects and crash reports.
//! - `theme` and `text` are shared by all of them; `config` reads the config file; `cli`
//!   runs the commands; `hooks` holds the test hooks, read once.

pub mod app;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod fetch;
pub mod guard;
pub mod hooks;
pub mod import;
pub mod query;
pub mod runtime;
pub mod store;
pub mod text;
pub mod theme;
pub mod ui;
