//! Where folio keeps its files: `$XDG_DATA_HOME/folio/` (via `directories`).

use std::path::PathBuf;

/// The data folder, e.g. `~/.local/share/folio`.
pub fn data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "folio").map(|d| d.data_dir().to_path_buf())
}

/// The database of bookmarks, notes, reading state and search history.
pub fn db_file() -> Option<PathBuf> {
    data_dir().map(|d| d.join(super::db::DB_NAME))
}

/// Version 1's bookmarks file, migrated into the database on first run.
pub fn legacy_bookmarks_file() -> Option<PathBuf> {
    data_dir().map(|d| d.join(super::legacy::BOOKMARKS_NAME))
}

/// The state folder (crash reports), e.g. `~/.local/state/folio`.
pub fn state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "folio")?;
    Some(dirs.state_dir().map_or_else(
        || dirs.data_local_dir().join("state"),
        std::path::Path::to_path_buf,
    ))
}
