//! The database: bookmarks, notes, reading state and search history in one `SQLite` file
//! (`folio.db` in the data folder), in WAL mode so that readers never wait for a writer.
//!
//! - One change is one `BEGIN IMMEDIATE` transaction touching a row or two, so its cost does
//!   not grow with what has accumulated.
//! - Every change also appends the article id to `changes`; another folio notices a commit
//!   through `PRAGMA data_version` and re-reads only the rows named since it last looked.
//! - On open, under a lock file, the database is checked (`PRAGMA quick_check`) through a
//!   read-only connection (which never writes to it); a damaged one is moved aside byte for
//!   byte with its `-wal` and `-shm` files and the user is told.
//! - The schema version is `PRAGMA user_version`; migrations are the SQL in `MIGRATIONS`. A
//!   database from a newer folio is opened read-only.
//! - A change that cannot be committed (read-only folder, full disk) stays in memory, is
//!   shown, and is retried by `flush`.

use super::atomic::{aside_path, Lock};
use super::error::StoreError;
use super::legacy;
use super::{Bookmark, Data, Op, Reading};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The database's name in the data folder.
pub const DB_NAME: &str = "folio.db";

/// Schema migrations: entry `i` takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE bookmarks (
    id      TEXT PRIMARY KEY NOT NULL,
    added   TEXT NOT NULL,
    title   TEXT NOT NULL DEFAULT '',
    note    TEXT NOT NULL DEFAULT '',
    updated TEXT
) WITHOUT ROWID;
CREATE TABLE reading (
    id     TEXT PRIMARY KEY NOT NULL,
    read   INTEGER NOT NULL DEFAULT 0,
    block  INTEGER,
    offset INTEGER
) WITHOUT ROWID;
CREATE TABLE history (
    query TEXT PRIMARY KEY NOT NULL,
    seq   INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id  TEXT NOT NULL
);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) WITHOUT ROWID;
",
    r"
CREATE TABLE feeds (
    url           TEXT PRIMARY KEY NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '[]',
    added         TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    last_fetch    TEXT,
    last_outcome  TEXT,
    last_error    TEXT,
    last_new      INTEGER NOT NULL DEFAULT 0,
    failures      INTEGER NOT NULL DEFAULT 0,
    next_fetch    TEXT,
    full_text     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
",
    r"
CREATE TABLE session (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
",
];

/// The schema version this folio writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The id logged for a change too large to name article by article: re-read everything.
pub(super) const EVERYTHING: &str = "";

/// A batch that touches more articles than this is logged as one `EVERYTHING` change.
const LOG_MANY: usize = 500;

/// How many logged changes are kept for other folios to catch up with.
const LOG_KEEP: i64 = 5000;

/// Searches remembered.
pub const HISTORY_MAX: usize = 200;

/// Something the user must be told about the saved state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreEvent {
    /// A damaged or unreadable file was moved aside, byte for byte.
    MovedAside {
        what: &'static str,
        to: PathBuf,
        why: String,
    },
    /// The database (or the legacy file) was written by a newer folio: left as it is.
    ReadOnly(String),
    /// A save failed; the change is kept in memory and saved at the next chance.
    SaveFailed(String),
    /// Changes that had failed to save are saved now.
    Recovered,
    /// Version 1's bookmarks file was copied into the database and renamed.
    Migrated { bookmarks: usize, to: PathBuf },
}

impl std::fmt::Display for StoreEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreEvent::MovedAside { what, to, why } => write!(
                f,
                "{what} was damaged ({why}); it was moved to {} and a new one started",
                to.display()
            ),
            StoreEvent::ReadOnly(why) => write!(f, "bookmarks are read-only: {why}"),
            StoreEvent::SaveFailed(why) => {
                write!(
                    f,
                    "could not save bookmarks ({why}); kept in memory, will retry"
                )
            }
            StoreEvent::Recovered => write!(f, "bookmarks saved"),
            StoreEvent::Migrated { bookmarks, to } => write!(
                f,
                "moved {bookmarks} bookmark{} and the reading state into the database; the old file is {}",
                if *bookmarks == 1 { "" } else { "s" },
                to.display()
            ),
        }
    }
}

/// What to keep in memory: everything (the reader), or bookmarks only (the commands, which
/// never need the reading state of every article ever read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    Everything,
    Bookmarks,
}

/// What another folio changed, found by `poll`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// These articles' entries (re-read).
    Ids(Vec<String>),
    /// Anything: everything was re-read.
    All,
}

/// The saved state of one folio: the database plus changes not yet committed.
pub struct Store {
    pub path: PathBuf,
    conn: Option<Connection>,
    load: Load,
    /// The state as this folio sees it (the database with pending changes applied).
    pub data: Data,
    /// Changes not committed yet, with the time each was made.
    pending: Vec<(Op, String)>,
    read_only: Option<String>,
    events: Vec<StoreEvent>,
    /// The last change in the log this folio has seen.
    seen_seq: i64,
    data_version: Option<i64>,
    /// The search history, oldest first.
    history: Vec<String>,
    /// Where the reader was when it last closed.
    session: Option<super::Session>,
    /// Whether the last commit failed (the next good one says so).
    failing: bool,
    /// The lock shared with other folios while the database is open.
    lock: Option<Lock>,
    /// The data was loaded anew (a reconnect): the next `poll` says everything changed.
    reloaded: bool,
    /// How long a commit waits for another writer.
    busy_wait: Duration,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("bookmarks", &self.data.bookmarks.len())
            .field("reading", &self.data.reading.len())
            .field("pending", &self.pending.len())
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

/// Whether an error means the file is not a usable database.
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

fn side_file(path: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", path.display()))
}

/// What checking a database found.
enum Health {
    Good,
    Damaged(String),
    /// It could not be read without writing (a journal to roll back after a crash): check
    /// again once opened for writing.
    Unknown,
}

/// `PRAGMA quick_check` on a connection.
fn quick_check(conn: &Connection) -> Health {
    let rows: Result<Vec<String>, rusqlite::Error> = conn
        .prepare("PRAGMA quick_check(5)")
        .and_then(|mut st| st.query_map([], |r| r.get::<_, String>(0))?.collect());
    match rows {
        Ok(rows) if rows.len() == 1 && rows[0] == "ok" => Health::Good,
        Ok(rows) => Health::Damaged(format!("quick_check: {}", rows.join("; "))),
        Err(e) if is_damage(&e) => Health::Damaged(e.to_string()),
        Err(_) => Health::Unknown,
    }
}

/// Check an existing database through a read-only connection, which never changes it, so
/// a damaged file can be moved aside exactly as it was found.
fn check(path: &Path) -> Health {
    match std::fs::metadata(path) {
        Ok(m) if m.len() == 0 => return Health::Good,
        Ok(_) => {}
        Err(_) => return Health::Good,
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    match Connection::open_with_flags(path, flags) {
        Ok(conn) => quick_check(&conn),
        Err(e) if is_damage(&e) => Health::Damaged(e.to_string()),
        Err(_) => Health::Unknown,
    }
}

/// Move a damaged database and its `-wal` and `-shm` files aside.
fn move_aside(path: &Path, why: String, events: &mut Vec<StoreEvent>) -> Result<(), StoreError> {
    let to = aside_path(path);
    std::fs::rename(path, &to).map_err(|e| StoreError::Damaged {
        path: path.to_path_buf(),
        why: format!("{why}; it could not be moved aside: {e}"),
    })?;
    for suffix in ["-wal", "-shm"] {
        let side = side_file(path, suffix);
        if side.exists() {
            let _ = std::fs::rename(&side, side_file(&to, suffix));
        }
    }
    events.push(StoreEvent::MovedAside {
        what: "the bookmarks database",
        to,
        why,
    });
    Ok(())
}

fn open_rw(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    // Every commit reaches the disk before the next frame is drawn.
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

fn user_version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.pragma_query_value(None, "user_version", |r| r.get(0))
}

/// Bring the schema to `SCHEMA_VERSION`, in one transaction.
fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let from = user_version(&tx)?;
    if from < SCHEMA_VERSION {
        for sql in &MIGRATIONS[usize::try_from(from).unwrap_or(0)..] {
            tx.execute_batch(sql)?;
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    tx.commit()
}

/// A name beside `path` that is free: `<path><suffix>`, then `-2`, `-3`...
pub(super) fn free_name(path: &Path, suffix: &str) -> PathBuf {
    let base = side_file(path, suffix);
    let mut p = base.clone();
    let mut k = 2;
    while p.exists() {
        p = side_file(&base, &format!("-{k}"));
        k += 1;
    }
    p
}

pub(super) fn position_columns(p: Option<(usize, usize)>) -> (Option<i64>, Option<i64>) {
    match p {
        Some((b, o)) => (i64::try_from(b).ok(), i64::try_from(o).ok()),
        None => (None, None),
    }
}

fn position_of(b: Option<i64>, o: Option<i64>) -> Option<(usize, usize)> {
    Some((usize::try_from(b?).ok()?, usize::try_from(o?).ok()?))
}

/// Append a change to the log.
pub(super) fn log(conn: &Connection, id: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("INSERT INTO changes(id) VALUES (?1)")?
        .execute([id])?;
    Ok(conn.last_insert_rowid())
}

fn max_seq(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
        r.get(0)
    })
}

fn pruned_below(conn: &Connection) -> rusqlite::Result<i64> {
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'pruned_below'",
            [],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

fn set_reading_row(
    conn: &Connection,
    id: &str,
    read: Option<bool>,
    pos: Option<Option<(usize, usize)>>,
) -> rusqlite::Result<()> {
    if let Some(r) = read {
        conn.prepare_cached(
            "INSERT INTO reading(id, read) VALUES (?1, ?2)
             ON CONFLICT(id) DO UPDATE SET read = excluded.read",
        )?
        .execute(params![id, r])?;
    }
    if let Some(p) = pos {
        let (b, o) = position_columns(p);
        conn.prepare_cached(
            "INSERT INTO reading(id, read, block, offset) VALUES (?1, 0, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET block = excluded.block, offset = excluded.offset",
        )?
        .execute(params![id, b, o])?;
    }
    conn.prepare_cached("DELETE FROM reading WHERE id = ?1 AND read = 0 AND block IS NULL")?
        .execute([id])?;
    Ok(())
}

/// Write one change (inside a transaction) and log it; returns the last log number.
fn write_op(conn: &Connection, op: &Op, at: &str) -> rusqlite::Result<i64> {
    match op {
        Op::Put(id, b) => {
            conn.prepare_cached(
                "INSERT INTO bookmarks(id, added, title, note, updated) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET added = excluded.added, title = excluded.title,
                     note = excluded.note, updated = excluded.updated",
            )?
            .execute(params![id, b.added, b.title, b.note, b.updated])?;
        }
        Op::Remove(id) => {
            conn.prepare_cached("DELETE FROM bookmarks WHERE id = ?1")?
                .execute([id])?;
        }
        Op::SetNote(id, note) => {
            conn.prepare_cached("UPDATE bookmarks SET note = ?2, updated = ?3 WHERE id = ?1")?
                .execute(params![id, note, at])?;
        }
        Op::SetRead(id, r) => set_reading_row(conn, id, Some(*r), None)?,
        Op::SetReadMany(v) => {
            for (id, r) in v {
                set_reading_row(conn, id, Some(*r), None)?;
            }
            if v.len() > LOG_MANY || v.is_empty() {
                return log(conn, EVERYTHING);
            }
        }
        Op::SetPosition(id, p) => set_reading_row(conn, id, None, Some(*p))?,
    }
    let mut last = 0;
    for id in op.ids() {
        last = log(conn, id)?;
    }
    Ok(last)
}

fn read_bookmark(conn: &Connection, id: &str) -> rusqlite::Result<Option<Bookmark>> {
    conn.prepare_cached("SELECT added, title, note, updated FROM bookmarks WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Bookmark {
                added: r.get(0)?,
                title: r.get(1)?,
                note: r.get(2)?,
                updated: r.get(3)?,
            })
        })
        .optional()
}

fn read_reading(conn: &Connection, id: &str) -> rusqlite::Result<Option<Reading>> {
    conn.prepare_cached("SELECT read, block, offset FROM reading WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(Reading {
                read: r.get::<_, i64>(0)? != 0,
                position: position_of(r.get(1)?, r.get(2)?),
            })
        })
        .optional()
}

/// Everything in the database (reading state too when `load` says so).
fn read_all(conn: &Connection, load: Load) -> rusqlite::Result<Data> {
    let mut data = Data::default();
    let mut st = conn.prepare("SELECT id, added, title, note, updated FROM bookmarks")?;
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Bookmark {
                added: r.get(1)?,
                title: r.get(2)?,
                note: r.get(3)?,
                updated: r.get(4)?,
            },
        ))
    })?;
    for row in rows {
        let (id, b) = row?;
        data.bookmarks.insert(id, b);
    }
    if load == Load::Everything {
        // In key order, so the map is built in one pass rather than key by key.
        let mut st = conn.prepare(
            "SELECT id, read, block, offset FROM reading
             WHERE read != 0 OR block IS NOT NULL ORDER BY id",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                Reading {
                    read: r.get::<_, i64>(1)? != 0,
                    position: position_of(r.get(2)?, r.get(3)?),
                },
            ))
        })?;
        let v: Vec<(String, Reading)> = rows
            .filter(|r| r.as_ref().map_or(true, |(_, rd)| !rd.is_empty()))
            .collect::<rusqlite::Result<_>>()?;
        data.reading = v.into_iter().collect();
    }
    Ok(data)
}

/// Where the reader was when it closed: the query in force and the selected article.
fn read_session(conn: &Connection) -> rusqlite::Result<Option<super::Session>> {
    let mut st = conn.prepare("SELECT key, value FROM session")?;
    let mut s = super::Session::default();
    let mut any = false;
    for row in st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (k, v) = row?;
        any = true;
        match k.as_str() {
            "corpus" => s.corpus = v,
            "query" => s.query = v,
            "selected" => s.selected = Some(v).filter(|v| !v.is_empty()),
            _ => {}
        }
    }
    Ok(any.then_some(s))
}

fn read_history(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare("SELECT query FROM history ORDER BY seq DESC LIMIT ?1")?;
    let mut h: Vec<String> = st
        .query_map([HISTORY_MAX as i64], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    h.reverse();
    Ok(h)
}

/// The saved state as it is on disk, read without creating, migrating or changing anything
/// (`folio list`); `None` when there is no database or it cannot be read.
pub fn read_quiet(path: &Path) -> Option<Data> {
    if !path.exists() {
        return None;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).ok()?;
    conn.busy_timeout(Duration::from_secs(2)).ok()?;
    match user_version(&conn).ok()? {
        // Created, nothing written yet.
        0 => Some(Data::default()),
        // Bookmarks and reading are the same in every version so far.
        1..=SCHEMA_VERSION => read_all(&conn, Load::Everything).ok(),
        _ => None,
    }
}

impl Store {
    /// Open the database at `path` (created when missing), migrating version 1's files in the
    /// same folder. Problems are events to show, never a reason to lose what is saved.
    pub fn open(path: PathBuf, load: Load) -> Store {
        let mut s = Store::unopened(path, load);
        if let Err(e) = s.connect() {
            s.failing = true;
            s.events.push(StoreEvent::SaveFailed(e.to_string()));
            // Show what is saved even when it cannot be written (a read-only folder).
            if let Some(d) = read_quiet(&s.path) {
                s.data = d;
            }
        }
        s.reloaded = false;
        s
    }

    /// A store with nothing loaded and no database yet.
    fn unopened(path: PathBuf, load: Load) -> Store {
        Store {
            path,
            conn: None,
            load,
            data: Data::default(),
            pending: Vec::new(),
            read_only: None,
            events: Vec::new(),
            seen_seq: 0,
            data_version: None,
            history: Vec::new(),
            session: None,
            failing: false,
            lock: None,
            reloaded: false,
            busy_wait: Duration::from_secs(5),
        }
    }

    /// A store in memory only (tests, or no data folder): a real database that is never
    /// written to disk.
    pub fn in_memory() -> Store {
        let mut s = Store::unopened(PathBuf::new(), Load::Everything);
        match Connection::open_in_memory().and_then(|mut c| migrate(&mut c).map(|()| c)) {
            Ok(c) => s.conn = Some(c),
            Err(e) => s.read_only = Some(format!("no database: {e}")),
        }
        s
    }

    /// Open (or reopen) the database: check it, migrate it, load it, then commit what is
    /// pending.
    fn connect(&mut self) -> Result<(), StoreError> {
        let dir = self
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        std::fs::create_dir_all(&dir).map_err(|e| StoreError::io("create", &dir, &e))?;
        // Alone, this folio may move a damaged database aside and migrate old files; while
        // another folio has the database open (it holds the lock shared), it may not.
        let lock_path = side_file(&self.path, ".lock");
        let cannot_lock = |e: std::io::Error| StoreError::io("lock", &self.path, &e);
        let alone = Lock::try_take(&lock_path, Duration::ZERO).map_err(cannot_lock)?;
        let shared = match alone {
            Some(_) => None,
            None => Some(Lock::share(&lock_path).map_err(cannot_lock)?),
        };
        let damaged = |why: String, events: &mut Vec<StoreEvent>| -> Result<(), StoreError> {
            if alone.is_some() {
                move_aside(&self.path, why, events)
            } else {
                Err(StoreError::Damaged {
                    path: self.path.clone(),
                    why: format!("{why}; another folio has it open: close it and start again"),
                })
            }
        };
        let health = check(&self.path);
        if let Health::Damaged(why) = &health {
            damaged(why.clone(), &mut self.events)?;
        }
        let mut conn = match open_rw(&self.path) {
            Ok(c) => c,
            Err(e) if is_damage(&e) => {
                damaged(e.to_string(), &mut self.events)?;
                open_rw(&self.path).map_err(|e| StoreError::sql(&self.path, &e))?
            }
            Err(e) => return Err(StoreError::sql(&self.path, &e)),
        };
        if matches!(health, Health::Unknown) {
            if let Health::Damaged(why) = quick_check(&conn) {
                drop(conn);
                damaged(why, &mut self.events)?;
                conn = open_rw(&self.path).map_err(|e| StoreError::sql(&self.path, &e))?;
            }
        }
        let version = user_version(&conn).map_err(|e| StoreError::sql(&self.path, &e))?;
        if version > SCHEMA_VERSION {
            let why = format!(
                "{} was written by a newer folio (schema {version}); it is left as it is",
                self.path.display()
            );
            self.events.push(StoreEvent::ReadOnly(why.clone()));
            self.read_only = Some(why);
        } else {
            migrate(&mut conn).map_err(|e| StoreError::sql(&self.path, &e))?;
            if alone.is_some() {
                legacy::migrate_into(&mut conn, &dir, &mut self.events);
            }
        }
        // Held shared while the database is open, so no other folio moves it away.
        drop(alone);
        self.lock = Some(match shared {
            Some(l) => l,
            None => Lock::share(&lock_path).map_err(cannot_lock)?,
        });
        // Whatever was loaded before is replaced: the reader must look again.
        self.reloaded = true;
        self.seen_seq = max_seq(&conn).unwrap_or(0);
        self.data_version = conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .ok();
        let mut data = read_all(&conn, self.load).unwrap_or_default();
        self.history = read_history(&conn).unwrap_or_default();
        // A database from before sessions were kept has no table until it is migrated.
        self.session = read_session(&conn).ok().flatten();
        for (op, at) in &self.pending {
            data.apply(op, at);
        }
        self.data = data;
        let _ = conn.busy_timeout(self.busy_wait);
        self.conn = Some(conn);
        Ok(())
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.is_some()
    }

    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Apply a change now and commit it. When the commit fails the change stays in memory
    /// (retried by the next `apply` or `flush`); the error is returned and recorded.
    pub fn apply(&mut self, op: Op) -> Result<(), StoreError> {
        let at = super::now();
        self.data.apply(&op, &at);
        self.pending.push((op, at));
        self.flush()
    }

    /// The saved state as this store sees it, for a reader to start with.
    pub fn snapshot(&self) -> super::Saved {
        super::Saved {
            data: self.data.clone(),
            history: self.history.clone(),
            session: self.session.clone(),
        }
    }

    /// Apply a change made at `at` without committing it yet (`flush` commits every change
    /// staged, in one transaction).
    pub fn stage(&mut self, op: Op, at: String) {
        self.data.apply(&op, &at);
        self.pending.push((op, at));
    }

    /// How long a commit waits for another folio's write to end before it fails as busy
    /// (and is retried later).
    pub fn set_busy_timeout(&mut self, wait: Duration) {
        self.busy_wait = wait;
        if let Some(c) = &self.conn {
            let _ = c.busy_timeout(wait);
        }
    }

    /// Apply several changes and commit them in one transaction.
    pub fn apply_all(&mut self, ops: Vec<Op>) -> Result<(), StoreError> {
        let at = super::now();
        for op in ops {
            self.data.apply(&op, &at);
            self.pending.push((op, at.clone()));
        }
        self.flush()
    }

    /// Commit pending changes, if any, in one transaction.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        if let Some(why) = &self.read_only {
            return Err(StoreError::ReadOnly { why: why.clone() });
        }
        match self.commit_pending() {
            Ok(()) => {
                if std::mem::take(&mut self.failing) {
                    self.events.push(StoreEvent::Recovered);
                }
                Ok(())
            }
            Err(e) => {
                self.failing = true;
                self.events.push(StoreEvent::SaveFailed(e.to_string()));
                Err(e)
            }
        }
    }

    fn commit_pending(&mut self) -> Result<(), StoreError> {
        if self.conn.is_none() {
            self.connect()?;
            if let Some(why) = &self.read_only {
                return Err(StoreError::ReadOnly { why: why.clone() });
            }
            if self.pending.is_empty() {
                return Ok(());
            }
        }
        let path = self.path.clone();
        let err = |e: rusqlite::Error| StoreError::sql(&path, &e);
        let Some(conn) = self.conn.as_mut() else {
            return Err(StoreError::ReadOnly {
                why: "no database".into(),
            });
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let before = max_seq(&tx).map_err(err)?;
        let mut last = before;
        for (op, at) in &self.pending {
            last = write_op(&tx, op, at).map_err(err)?;
        }
        if before / 1000 != last / 1000 || last - before > LOG_KEEP {
            prune(&tx, last).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        self.pending.clear();
        // Nothing from others came between: what was seen reaches our own last change.
        if before == self.seen_seq {
            self.seen_seq = last;
        }
        Ok(())
    }

    /// Pick up what other folios committed: at most a few rows re-read, or everything when
    /// this folio has fallen behind the log. Cheap when nothing changed (one pragma).
    pub fn poll(&mut self) -> Option<Changed> {
        if std::mem::take(&mut self.reloaded) {
            return Some(Changed::All);
        }
        let conn = self.conn.as_ref()?;
        let dv: i64 = conn
            .pragma_query_value(None, "data_version", |r| r.get(0))
            .ok()?;
        if self.data_version == Some(dv) {
            return None;
        }
        let r = (|| -> rusqlite::Result<Option<Changed>> {
            let tx = conn.unchecked_transaction()?;
            let newest = max_seq(&tx)?;
            if newest == self.seen_seq {
                return Ok(None);
            }
            let ids: BTreeSet<String> = if pruned_below(&tx)? > self.seen_seq + 1 {
                BTreeSet::from([EVERYTHING.to_string()])
            } else {
                let mut st = tx.prepare("SELECT DISTINCT id FROM changes WHERE seq > ?1")?;
                let rows = st.query_map([self.seen_seq], |r| r.get(0))?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let changed = if ids.contains(EVERYTHING) {
                let mut data = read_all(&tx, self.load)?;
                for (op, at) in &self.pending {
                    data.apply(op, at);
                }
                self.data = data;
                Changed::All
            } else {
                for id in &ids {
                    match read_bookmark(&tx, id)? {
                        Some(b) => {
                            self.data.bookmarks.insert(id.clone(), b);
                        }
                        None => {
                            self.data.bookmarks.remove(id);
                        }
                    }
                    if self.load == Load::Everything {
                        match read_reading(&tx, id)? {
                            Some(r) if !r.is_empty() => {
                                self.data.reading.insert(id.clone(), r);
                            }
                            _ => {
                                self.data.reading.remove(id);
                            }
                        }
                    }
                }
                for (op, at) in &self.pending {
                    if op.ids().iter().any(|i| ids.contains(*i)) {
                        self.data.apply(op, at);
                    }
                }
                Changed::Ids(ids.into_iter().collect())
            };
            self.seen_seq = newest;
            Ok(Some(changed))
        })();
        // Only a look that worked counts as seen: after an error, look again next time.
        match r {
            Ok(c) => {
                self.data_version = Some(dv);
                c
            }
            Err(_) => None,
        }
    }

    /// The search history, oldest first.
    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// Remember a search (moved to the newest place when it was there already).
    pub fn remember(&mut self, query: &str) -> Result<(), StoreError> {
        self.history.retain(|h| h != query);
        self.history.push(query.to_string());
        let n = self.history.len();
        if n > HISTORY_MAX {
            self.history.drain(..n - HISTORY_MAX);
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO history(query, seq) VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM history))
                 ON CONFLICT(query) DO UPDATE SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM history)",
                [query],
            )?;
            tx.execute(
                "DELETE FROM history WHERE seq <= (SELECT COALESCE(MAX(seq), 0) FROM history) - ?1",
                [HISTORY_MAX as i64],
            )?;
            Ok(())
        })
    }

    /// Run `f` in one immediate transaction and commit it; nothing is written (and that is
    /// fine) when the database is read-only.
    fn write(
        &mut self,
        f: impl FnOnce(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>,
    ) -> Result<(), StoreError> {
        if self.read_only.is_some() {
            return Ok(());
        }
        let Some(conn) = self.conn.as_mut() else {
            return Err(StoreError::ReadOnly {
                why: "no database".into(),
            });
        };
        let r = (|| -> rusqlite::Result<()> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            f(&tx)?;
            tx.commit()
        })();
        r.map_err(|e| StoreError::sql(&self.path, &e))
    }

    /// Keep where the reader is (at its close), for the next one to start there.
    pub fn set_session(&mut self, session: &super::Session) -> Result<(), StoreError> {
        self.session = Some(session.clone());
        self.write(|tx| {
            for (k, v) in [
                ("corpus", session.corpus.as_str()),
                ("query", session.query.as_str()),
                ("selected", session.selected.as_deref().unwrap_or("")),
            ] {
                tx.execute(
                    "INSERT INTO session(key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [k, v],
                )?;
            }
            Ok(())
        })
    }

    /// Events not yet shown, taken.
    pub fn take_events(&mut self) -> Vec<StoreEvent> {
        std::mem::take(&mut self.events)
    }

    /// For tests: make the database refuse to grow (as a full disk does).
    #[doc(hidden)]
    pub fn limit_pages_for_test(&self, pages: i64) {
        if let Some(c) = &self.conn {
            let _ = c.pragma_update(None, "max_page_count", pages);
        }
    }
}

/// Keep the last `LOG_KEEP` logged changes; folios behind that re-read everything.
fn prune(conn: &Connection, last: i64) -> rusqlite::Result<()> {
    let below = last - LOG_KEEP;
    if below <= 0 {
        return Ok(());
    }
    conn.execute("DELETE FROM changes WHERE seq < ?1", [below])?;
    conn.execute(
        "INSERT INTO meta(key, value) VALUES ('pruned_below', ?1)
         ON CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value)",
        [below],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bm(title: &str) -> Bookmark {
        Bookmark {
            added: "2026-01-01T00:00:00Z".into(),
            title: title.into(),
            note: String::new(),
            updated: None,
        }
    }

    #[test]
    fn changes_survive_a_reopen_and_reach_another_store() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("folio.db");
        let mut a = Store::open(path.clone(), Load::Everything);
        let mut b = Store::open(path.clone(), Load::Everything);
        assert!(a.take_events().is_empty());
        a.apply(Op::Put("x".into(), bm("X"))).expect("put");
        a.apply(Op::SetRead("y".into(), true)).expect("read");
        a.apply(Op::SetPosition("y".into(), Some((3, 40))))
            .expect("pos");
        assert_eq!(b.poll(), Some(Changed::Ids(vec!["x".into(), "y".into()])));
        assert!(b.data.bookmarks.contains_key("x"));
        assert_eq!(
            b.data.reading.get("y"),
            Some(&Reading {
                read: true,
                position: Some((3, 40))
            })
        );
        assert_eq!(b.poll(), None, "nothing new");
        b.apply(Op::Remove("x".into())).expect("remove");
        assert_eq!(a.poll(), Some(Changed::Ids(vec!["x".into()])));
        assert!(a.data.bookmarks.is_empty());
        let c = Store::open(path, Load::Everything);
        assert_eq!(c.data, a.data);
    }

    #[test]
    fn a_big_batch_makes_others_reload_everything() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("folio.db");
        let mut a = Store::open(path.clone(), Load::Everything);
        let mut b = Store::open(path, Load::Everything);
        let many: Vec<(String, bool)> = (0..2000).map(|i| (format!("a{i}"), true)).collect();
        a.apply(Op::SetReadMany(many)).expect("many");
        assert_eq!(b.poll(), Some(Changed::All));
        assert_eq!(b.data.reading.len(), 2000);
    }

    #[test]
    fn a_full_disk_keeps_the_change_and_retries() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("folio.db");
        let mut s = Store::open(path.clone(), Load::Everything);
        s.apply(Op::Put("small".into(), bm("small"))).expect("fits");
        let pages: i64 = s
            .conn
            .as_ref()
            .and_then(|c| c.query_row("PRAGMA page_count", [], |r| r.get(0)).ok())
            .unwrap_or(10);
        s.limit_pages_for_test(pages);
        let mut big = bm("big");
        big.note = "n".repeat(200_000);
        let r = s.apply(Op::Put("big".into(), big));
        assert!(r.is_err(), "the disk is full");
        assert!(s.has_pending());
        assert!(s.data.bookmarks.contains_key("big"), "kept in memory");
        assert!(matches!(
            s.take_events().last(),
            Some(StoreEvent::SaveFailed(_))
        ));
        s.limit_pages_for_test(1_000_000);
        s.flush().expect("room again");
        assert!(!s.has_pending());
        assert_eq!(s.take_events(), [StoreEvent::Recovered]);
        let again = Store::open(path, Load::Everything);
        assert!(again.data.bookmarks.contains_key("big"));
    }

    #[test]
    fn a_database_another_folio_has_open_is_never_moved_away_from_it() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("folio.db");
        let mut a = Store::open(path.clone(), Load::Everything);
        a.apply(Op::Put("x".into(), bm("X"))).expect("put");
        // Damage the file under the running folio (its log folded in first, so that the
        // damage is what another folio reads).
        let c = Connection::open(&path).expect("open");
        c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .expect("checkpoint");
        drop(c);
        std::fs::write(
            &path,
            b"this is not a database at all, not even close......",
        )
        .expect("damage");
        let mut b = Store::open(path.clone(), Load::Everything);
        let said: Vec<String> = b
            .take_events()
            .iter()
            .map(std::string::ToString::to_string)
            .collect();
        assert!(
            said.iter().any(|e| e.contains("another folio has it open")),
            "{said:?}"
        );
        let aside = std::fs::read_dir(dir.path())
            .expect("dir")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().contains("corrupt"))
            })
            .count();
        assert_eq!(aside, 0, "not moved while in use");
        drop(a);
        let mut c = Store::open(path, Load::Everything);
        assert!(matches!(
            c.take_events().first(),
            Some(StoreEvent::MovedAside { .. })
        ));
    }

    #[test]
    fn a_reconnect_tells_the_reader_to_look_again() {
        let dir = tempfile::tempdir().expect("tmp");
        let blocked = dir.path().join("sub");
        std::fs::write(&blocked, b"a file where the folder should be").expect("block");
        let mut s = Store::open(blocked.join("folio.db"), Load::Everything);
        assert!(s.apply(Op::Put("x".into(), bm("X"))).is_err());
        assert_eq!(s.poll(), None);
        std::fs::remove_file(&blocked).expect("unblock");
        s.flush().expect("saved now");
        assert_eq!(s.poll(), Some(Changed::All));
        assert_eq!(s.poll(), None);
    }

    #[test]
    fn history_keeps_the_newest_once() {
        let mut s = Store::in_memory();
        for q in ["a", "b", "a", "c"] {
            s.remember(q).expect("saved");
        }
        assert_eq!(s.history(), ["b", "a", "c"]);
        let conn = s.conn.as_ref().expect("db");
        assert_eq!(read_history(conn).expect("read"), ["b", "a", "c"]);
    }
}
