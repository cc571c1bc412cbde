//! What can go wrong with what folio keeps, as types: the reader says "another folio is
//! writing" rather than a raw SQLite message, and knows a busy database is worth waiting
//! for while a damaged one is not.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// Another folio (or another program) holds the database's write lock.
    #[error("another folio is writing to {}", .path.display())]
    Busy { path: PathBuf },
    /// The database cannot be written: a newer folio's, or a read-only file or folder.
    #[error("not saved: {why}")]
    ReadOnly { why: String },
    /// The file is not a usable database.
    #[error("{} is damaged ({why})", .path.display())]
    Damaged { path: PathBuf, why: String },
    /// The disk refused: a folder that cannot be made, a full disk, a lock that fails.
    #[error("cannot {what} {}: {message}", .path.display())]
    Io {
        what: &'static str,
        path: PathBuf,
        message: String,
    },
    /// Anything else SQLite reports.
    #[error("{}: {message}", .path.display())]
    Sql { path: PathBuf, message: String },
    /// There is no data folder to keep anything in.
    #[error("no data folder: set XDG_DATA_HOME or HOME")]
    NoDataFolder,
}

impl StoreError {
    /// An SQLite error on the database at `path`, by kind.
    pub fn sql(path: &Path, e: &rusqlite::Error) -> StoreError {
        use rusqlite::ErrorCode as C;
        let path = path.to_path_buf();
        match e.sqlite_error_code() {
            Some(C::DatabaseBusy | C::DatabaseLocked) => StoreError::Busy { path },
            Some(C::ReadOnly) => StoreError::ReadOnly {
                why: format!("{} is read-only", path.display()),
            },
            Some(C::DatabaseCorrupt | C::NotADatabase) => StoreError::Damaged {
                path,
                why: e.to_string(),
            },
            Some(C::CannotOpen | C::DiskFull | C::SystemIoFailure | C::PermissionDenied) => {
                StoreError::Io {
                    what: "write",
                    path,
                    message: e.to_string(),
                }
            }
            _ => StoreError::Sql {
                path,
                message: e.to_string(),
            },
        }
    }

    /// A file system error while doing `what` to `path`.
    pub fn io(what: &'static str, path: &Path, e: &std::io::Error) -> StoreError {
        StoreError::Io {
            what,
            path: path.to_path_buf(),
            message: e.to_string(),
        }
    }

    /// Whether waiting (for another folio's write to end) will help.
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Busy { .. })
    }
}
