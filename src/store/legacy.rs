//! Version 1's files: `bookmarks.json` (bookmarks and reading state) and `history.json`
//! (search history), read once and moved into the database (`migrate_into`).

use super::atomic::aside_path;
use super::db::{free_name, log, position_columns, EVERYTHING};
use super::{Bookmark, Data, Reading, StoreEvent};
use rusqlite::{params, Connection, TransactionBehavior};
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
            b.added.clone_from(&file_time);
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

/// Copy version 1's files in the data folder into the database, then rename them
/// `*.migrated` (never deleted). Entries already in the database win.
pub(super) fn migrate_into(conn: &mut Connection, dir: &Path, events: &mut Vec<StoreEvent>) {
    let file = dir.join(BOOKMARKS_NAME);
    match read_data(&file) {
        Ok(None) => {}
        Ok(Some(d)) => {
            let r = (|| -> rusqlite::Result<()> {
                let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
                {
                    let mut put = tx.prepare(
                        "INSERT OR IGNORE INTO bookmarks(id, added, title, note, updated)
                         VALUES (?1, ?2, ?3, ?4, ?5)",
                    )?;
                    for (id, b) in &d.bookmarks {
                        put.execute(params![id, b.added, b.title, b.note, b.updated])?;
                    }
                    let mut read = tx.prepare(
                        "INSERT OR IGNORE INTO reading(id, read, block, offset)
                         VALUES (?1, ?2, ?3, ?4)",
                    )?;
                    for (id, r) in &d.reading {
                        let (b, o) = position_columns(r.position);
                        read.execute(params![id, r.read, b, o])?;
                    }
                }
                log(&tx, EVERYTHING)?;
                tx.commit()
            })();
            match r {
                Ok(()) => {
                    let to = free_name(&file, ".migrated");
                    match std::fs::rename(&file, &to) {
                        Ok(()) => events.push(StoreEvent::Migrated {
                            bookmarks: d.bookmarks.len(),
                            to,
                        }),
                        Err(e) => events.push(StoreEvent::SaveFailed(format!(
                            "{} was copied into the database but could not be renamed: {e}",
                            file.display()
                        ))),
                    }
                }
                Err(e) => events.push(StoreEvent::SaveFailed(format!(
                    "could not move {} into the database: {e}; it is left as it is",
                    file.display()
                ))),
            }
        }
        Err(ReadProblem::Damaged(why)) => {
            let to = aside_path(&file);
            match std::fs::rename(&file, &to) {
                Ok(()) => events.push(StoreEvent::MovedAside {
                    what: "the bookmarks file",
                    to,
                    why,
                }),
                Err(e) => events.push(StoreEvent::SaveFailed(format!(
                    "{} is damaged ({why}) and could not be moved aside: {e}",
                    file.display()
                ))),
            }
        }
        Err(ReadProblem::Newer(v)) => events.push(StoreEvent::ReadOnly(format!(
            "{} was written by a newer folio (version {v}); it is left as it is and not read",
            file.display()
        ))),
        Err(ReadProblem::Io(e)) => events.push(StoreEvent::SaveFailed(format!(
            "cannot read {}: {e}; it is left for the next start",
            file.display()
        ))),
    }
    let hist = dir.join(HISTORY_NAME);
    if let Some(h) = read_history(&hist) {
        let r = (|| -> rusqlite::Result<()> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let base: i64 = tx.query_row("SELECT COALESCE(MAX(seq), 0) FROM history", [], |r| {
                r.get(0)
            })?;
            {
                let mut put =
                    tx.prepare("INSERT OR IGNORE INTO history(query, seq) VALUES (?1, ?2)")?;
                for (i, q) in h.iter().enumerate() {
                    put.execute(params![q, base + 1 + i as i64])?;
                }
            }
            tx.commit()
        })();
        if r.is_ok() {
            let _ = std::fs::rename(&hist, free_name(&hist, ".migrated"));
        }
    }
}
