//! folio: a terminal reader for news corpora.
//!
//! `corpus`, `import`, `query` and `store` are plain data and logic (no terminal code);
//! `app` holds the reader's state, its reducer, the pane geometry and the event loop; `ui`
//! draws it (`ui` depends on `app`, and `app` on nothing of `ui` but the theme's type);
//! `config` reads the config file into the keymap, theme, layout and views `app` takes;
//! `cli` runs the commands.

pub mod app;
pub mod cli;
pub mod config;
pub mod corpus;
pub mod hooks;
pub mod import;
pub mod query;
pub mod runtime;
pub mod store;
pub mod text;
pub mod theme;
pub mod ui;
