//! Where folio keeps its files: `$XDG_DATA_HOME/folio/` (via `directories`).

use std::path::PathBuf;

/// The data folder, e.g. `~/.local/share/folio`.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "folio").map(|d| d.data_dir().to_path_buf())
}

pub fn bookmarks_file() -> Option<PathBuf> {
    data_dir().map(|d| d.join("bookmarks.json"))
}

/// The search history.
pub fn history_file() -> Option<PathBuf> {
    data_dir().map(|d| d.join("history.json"))
}
