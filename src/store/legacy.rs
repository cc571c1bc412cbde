//! Version 1's files: `bookmarks.json` (bookmarks and reading state) and `history.json`
//! (search history), read once to migrate them into the database.

use super::{Bookmark, Data, Reading};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

pub const BOOKMARKS_NAME: &str = "bookmarks.json";
pub const HISTORY_NAME: &str = "history.json";

/// The version `bookmarks.json` was written with.
pub const VERSION: u32 = 1;

/// Why a file could not be used.
#[derive(Debug)]
pub enum ReadProblem {
    /// Not valid (truncated, not JSON, wrong shape, unknown version below ours...).
    Damaged(String),
    /// Written by a newer folio.
    Newer(u32),
    Io(std::io::Error),
}

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    bookmarks: BTreeMap<String, Bookmark>,
    #[serde(default)]
    reading: BTreeMap<String, Reading>,
}

/// Read a version 1 bookmarks file; `Ok(None)` when there is none.
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
        Some(n) if n == u64::from(VERSION) => {}
        Some(n) if n > u64::from(VERSION) => {
            return Err(ReadProblem::Newer(u32::try_from(n).unwrap_or(u32::MAX)))
        }
        Some(n) => return Err(ReadProblem::Damaged(format!("unknown version {n}"))),
        None => return Err(ReadProblem::Damaged("no version".into())),
    }
    let f: File = serde_json::from_value(v).map_err(|e| ReadProblem::Damaged(e.to_string()))?;
    // A bookmark without its time takes the file's.
    let file_time = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map(|t| {
            chrono::DateTime::<chrono::Utc>::from(t)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_default();
    let mut bookmarks = f.bookmarks;
    for b in bookmarks.values_mut() {
        if b.added.trim().is_empty() {
            b.added = file_time.clone();
        }
    }
    let mut reading = f.reading;
    reading.retain(|_, r| !r.is_empty());
    Ok(Some(Data { bookmarks, reading }))
}

/// Read a version 1 search history (oldest first); `None` when it is missing or unreadable.
pub fn read_history(path: &Path) -> Option<Vec<String>> {
    let bytes = std::fs::read(path).ok()?;
    serde_json::from_slice::<Vec<String>>(&bytes).ok()
}
