//! folio: a terminal reader for news corpora.
//!
//! `corpus`, `import`, `query` and `store` are plain data and logic (no terminal code);
//! `app` holds the reader's state and reducer, `ui` draws it.

pub mod app;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod import;
pub mod query;
pub mod store;
pub mod text;
pub mod ui;
