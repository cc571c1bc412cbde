//! The user's library: the articles `folio add` and subscriptions bring, in an SQLite
//! database of their own (`library.db` in the data folder), beside `folio.db` (bookmarks and
//! reading state, kept small so it opens and checks at once).
//!
//! - Adding k articles costs O(k): each is recognised (the same link; else the same id;
//!   else the same title and date, unless both have links) by indexed lookups, and inserted;
//!   nothing already there is read or written again. Large adds commit every few thousand
//!   articles, so a second `folio add` or a reader is never locked out for long, and a kill
//!   loses only the batch under way (the next add finds the rest already there).
//! - An article from a feed carries the feed (`origin`) and its key there, so a later fetch
//!   finds it again and updates it in place when its text changed.
//! - Metadata and bodies are in separate tables: what the list needs can be read without
//!   touching the bodies.
//! - Version 2 kept the library as `library.jsonl`, rewritten whole on every change; the first
//!   open moves it in, once, and renames it `library.jsonl.migrated`.

use super::error::StoreError;
use crate::corpus::{self, Article, PartialDate};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The library's name in the data folder.
pub const LIBRARY_NAME: &str = "library.db";

/// Version 2's library file, moved into the database on first open.
pub const LEGACY_NAME: &str = "library.jsonl";

/// Articles committed together by a large add.
const BATCH: usize = 2000;

/// Pages of write-ahead log between checkpoints while adding many articles (~1 GB).
const BULK_CHECKPOINT_PAGES: i64 = 262_144;

/// How long a write waits for another writer (a sync, another add).
const BUSY_WAIT: Duration = Duration::from_secs(60);

const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE articles (
    n         INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    title     TEXT NOT NULL,
    date      TEXT,
    day       INTEGER,
    time      TEXT,
    sector    TEXT,
    tags      TEXT NOT NULL DEFAULT '[]',
    entities  TEXT NOT NULL DEFAULT '[]',
    source    TEXT,
    url       TEXT,
    author    TEXT,
    feed      TEXT,
    url_key   TEXT,
    title_key TEXT NOT NULL,
    origin    TEXT,
    item_key  TEXT,
    hash      INTEGER NOT NULL,
    added     TEXT NOT NULL
);
CREATE TABLE bodies (
    n    INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE INDEX articles_url ON articles(url_key) WHERE url_key IS NOT NULL;
CREATE INDEX articles_title ON articles(title_key);
CREATE UNIQUE INDEX articles_item ON articles(origin, item_key)
    WHERE origin IS NOT NULL AND item_key IS NOT NULL;
CREATE INDEX articles_newest ON articles(day DESC, title, id);
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    n   INTEGER NOT NULL
);
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) WITHOUT ROWID;
",
    r"
ALTER TABLE bodies ADD COLUMN full TEXT;
ALTER TABLE bodies ADD COLUMN show_feed INTEGER NOT NULL DEFAULT 0;
",
    // The few articles with a full text, found without reading every body row.
    r"
CREATE INDEX bodies_full ON bodies(n, show_feed) WHERE full IS NOT NULL;
",
];

const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The text a reader is shown of a body row (the full text, unless the feed's is asked
/// for), as SQL over `bodies`.
pub(super) const SHOWN: &str =
    "CASE WHEN full IS NOT NULL AND show_feed = 0 THEN full ELSE body END";

/// A connection that only reads the library (searches, bodies, following changes).
pub fn read_connection(path: &Path) -> Result<Connection, StoreError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::sql(path, &e))?;
    conn.busy_timeout(Duration::from_secs(10))
        .map_err(|e| StoreError::sql(path, &e))?;
    Ok(conn)
}

/// Where the library's content stands: its last change (and its schema, so that a library
/// made again from nothing is not taken for the same); `None` when it cannot be read.
/// Unlike the file's size and time, this moves only when articles do (not when SQLite
/// checkpoints its log).
pub fn version(path: &Path) -> Option<(i64, i64)> {
    let conn = read_connection(path).ok()?;
    let seq = conn
        .query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
            r.get(0)
        })
        .ok()?;
    let rows = conn
        .query_row("SELECT COALESCE(MAX(n), 0) FROM articles", [], |r| r.get(0))
        .ok()?;
    Some((seq, rows))
}

/// The library file, e.g. `~/.local/share/folio/library.db`.
pub fn path() -> Option<PathBuf> {
    super::paths::data_dir().map(|d| d.join(LIBRARY_NAME))
}

/// Whether the library holds any article (or an old library file waits to be moved in),
/// looked at without creating or changing anything.
pub fn has_articles(path: &Path) -> bool {
    let legacy = path.with_file_name(LEGACY_NAME);
    if std::fs::metadata(&legacy).is_ok_and(|m| m.len() > 2) {
        return true;
    }
    if !path.exists() {
        return false;
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    Connection::open_with_flags(path, flags)
        .and_then(|c| {
            c.busy_timeout(Duration::from_secs(5))?;
            c.query_row("SELECT EXISTS (SELECT 1 FROM articles)", [], |r| r.get(0))
        })
        .unwrap_or(false)
}

/// A link compared loosely: scheme and host in lower case, no fragment, no trailing slash.
pub fn normal_url(u: &str) -> String {
    let u = u.trim();
    let u = u.split('#').next().unwrap_or(u);
    let (scheme, rest) = u.split_once("://").unwrap_or(("", u));
    let (host, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    let path = path.trim_end_matches('/');
    format!(
        "{}://{}{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase(),
        path
    )
}

/// A title compared loosely: lower case letters and digits, words single-spaced.
pub fn normal_title(t: &str) -> String {
    t.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_key(a: &Article) -> String {
    format!(
        "{}|{}",
        normal_title(&a.title),
        a.date.map(|d| d.to_string()).unwrap_or_default()
    )
}

fn url_key(a: &Article) -> Option<String> {
    a.url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .map(normal_url)
}

/// What tells a changed article from the same one: everything a reader sees.
fn content_hash(a: &Article) -> i64 {
    let mut text = String::with_capacity(a.title.len() + a.body.len() + 64);
    for part in [
        a.title.as_str(),
        a.body.as_str(),
        a.url.as_deref().unwrap_or(""),
        a.author.as_deref().unwrap_or(""),
        a.time.as_deref().unwrap_or(""),
    ] {
        text.push_str(part);
        text.push('\u{1}');
    }
    text.push_str(&a.date.map(|d| d.to_string()).unwrap_or_default());
    corpus::id::fnv1a(text.as_bytes()) as i64
}

/// How many were added and how many were there already.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    pub new: usize,
    pub already: usize,
    /// Articles from a feed found again with a changed title or text, updated in place.
    pub updated: usize,
    pub total: usize,
}

/// An article from a feed: the article and its key there (guid, link, or title and date).
pub type Item = (Article, Option<String>);

/// What adding items from a feed did, article by article.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FeedAdded {
    pub added: Added,
    /// Ids of the articles that are new, and of those updated in place.
    pub new_ids: Vec<String>,
    pub updated_ids: Vec<String>,
}

/// The library's database.
pub struct Library {
    conn: Connection,
    path: PathBuf,
    /// Articles added in one transaction.
    per_commit: usize,
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn now() -> String {
    super::now()
}

impl Library {
    /// Open the library at `path` (created when missing), moving an old `library.jsonl`
    /// beside it in first.
    pub fn open(path: &Path) -> Result<Library, StoreError> {
        Library::open_with(path, &std::sync::atomic::AtomicU64::new(0))
    }

    /// As `open`; `progress` receives the bytes of an old `library.jsonl` moved in so far.
    pub fn open_with(
        path: &Path,
        progress: &std::sync::atomic::AtomicU64,
    ) -> Result<Library, StoreError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create", dir, &e))?;
        }
        let err = |e: rusqlite::Error| StoreError::sql(path, &e);
        // Setting up (WAL mode, the schema, moving the old file in) is done by one folio at
        // a time: SQLite answers "busy" at once, without waiting, to a second one switching
        // a new database to WAL.
        let lock_path = PathBuf::from(format!("{}.lock", path.display()));
        let _setup = super::atomic::Lock::take(&lock_path)
            .map_err(|e| StoreError::io("lock", &lock_path, &e))?;
        let mut conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(BUSY_WAIT).map_err(err)?;
        let _: String = conn
            .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(StoreError::ReadOnly {
                why: format!(
                    "{} was written by a newer folio (schema {version}); it is left as it is",
                    path.display()
                ),
            });
        }
        if version < SCHEMA_VERSION {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            let from: i64 = tx
                .pragma_query_value(None, "user_version", |r| r.get(0))
                .map_err(err)?;
            for sql in &MIGRATIONS[usize::try_from(from).unwrap_or(0).min(MIGRATIONS.len())..] {
                tx.execute_batch(sql).map_err(err)?;
            }
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        let mut lib = Library {
            conn,
            path: path.to_path_buf(),
            per_commit: BATCH,
        };
        lib.move_legacy_in(progress)?;
        Ok(lib)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |e| StoreError::sql(&self.path, &e)
    }

    /// Move version 2's `library.jsonl` in, once: its articles are added as `folio add`
    /// would, then the file is renamed `library.jsonl.migrated` (never deleted).
    fn move_legacy_in(
        &mut self,
        progress: &std::sync::atomic::AtomicU64,
    ) -> Result<(), StoreError> {
        let legacy = self.path.with_file_name(LEGACY_NAME);
        if !legacy.exists() {
            return Ok(());
        }
        // Read a batch at a time (a library of a million articles is gigabytes), each batch
        // committed as it comes: a move cut short is carried on by the next start.
        let mut failed: Option<StoreError> = None;
        let mut pending: Vec<Article> = Vec::new();
        let read = corpus::stream::stream_articles(&legacy, progress, &mut |got| {
            pending.extend(got);
            if pending.len() >= BATCH {
                if let Err(e) = self.add_batch(std::mem::take(&mut pending)) {
                    failed = Some(e);
                    return Err(corpus::LoadError {
                        file: legacy.display().to_string(),
                        line: 0,
                        column: 0,
                        message: "stopped".into(),
                    });
                }
            }
            Ok(())
        });
        if let Some(e) = failed {
            return Err(e);
        }
        read.map_err(|e| StoreError::Damaged {
            path: legacy.clone(),
            why: format!("{e}; it was not moved into the library and is left as it is"),
        })?;
        self.add_batch(pending)?;
        let to = super::db::free_name(&legacy, ".migrated");
        match std::fs::rename(&legacy, &to) {
            // Another folio moved it in at the same time (its articles were found here).
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            r => r.map_err(|e| StoreError::io("rename", &legacy, &e)),
        }
    }

    /// Add articles, skipping those already here (and repeats among them).
    pub fn add(&mut self, incoming: Vec<Article>) -> Result<Added, StoreError> {
        self.add_with_progress(incoming, &mut |_| {})
    }

    /// As `add`, without counting the library afterwards (`total` is 0): for adding a large
    /// file a batch at a time.
    pub fn add_batch(&mut self, incoming: Vec<Article>) -> Result<Added, StoreError> {
        let items: Vec<Item> = incoming.into_iter().map(|a| (a, None)).collect();
        let mut out = FeedAdded::default();
        self.add_items_into(None, items, &mut |_| {}, &mut out)?;
        Ok(out.added)
    }

    /// Get ready to add many articles (a large file): a page cache large enough that the
    /// pages of the lookup indexes are written once per transaction rather than spilled and
    /// read back for every article, and transactions of `per_commit` articles.
    pub fn bulk(&mut self, per_commit: usize) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "cache_size", -256 * 1024)
            .map_err(self.err())?;
        // The log copied into the database once per GB rather than after every
        // transaction: a lookup index's page changed by many transactions is then written
        // to the database once, not once each (a million-article add wrote 12 GB less).
        self.conn
            .pragma_update(None, "wal_autocheckpoint", BULK_CHECKPOINT_PAGES)
            .map_err(self.err())?;
        self.per_commit = per_commit.max(1);
        Ok(())
    }

    /// As `add`, telling `progress` how many were looked at after each batch.
    pub fn add_with_progress(
        &mut self,
        incoming: Vec<Article>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Added, StoreError> {
        let items: Vec<Item> = incoming.into_iter().map(|a| (a, None)).collect();
        self.add_items(None, items, progress).map(|f| f.added)
    }

    /// Add a feed's items: one found again by its key is updated in place when what a reader
    /// sees of it changed (its id, and so its bookmark, note and read mark, stay); a new one
    /// is added unless the library has it already from elsewhere.
    pub fn add_feed_items(
        &mut self,
        origin: &str,
        items: Vec<Item>,
    ) -> Result<FeedAdded, StoreError> {
        self.add_items(Some(origin), items, &mut |_| {})
    }

    fn add_items(
        &mut self,
        origin: Option<&str>,
        items: Vec<Item>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<FeedAdded, StoreError> {
        let mut out = FeedAdded::default();
        self.add_items_into(origin, items, progress, &mut out)?;
        if origin.is_none() {
            out.added.total = self.len()?;
        }
        Ok(out)
    }

    fn add_items_into(
        &mut self,
        origin: Option<&str>,
        items: Vec<Item>,
        progress: &mut dyn FnMut(usize),
        out: &mut FeedAdded,
    ) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| StoreError::sql(&path, &e);
        let added_at = now();
        let mut seen = 0;
        let per_commit = self.per_commit;
        let mut items = items.into_iter().peekable();
        while items.peek().is_some() {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            for (a, key) in items.by_ref().take(per_commit) {
                seen += 1;
                let hash = content_hash(&a);
                if let (Some(o), Some(k)) = (origin, key.as_deref()) {
                    let found: Option<(i64, String, i64)> = tx
                        .prepare_cached(
                            "SELECT n, id, hash FROM articles WHERE origin = ?1 AND item_key = ?2",
                        )
                        .map_err(err)?
                        .query_row(params![o, k], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                        .optional()
                        .map_err(err)?;
                    if let Some((n, id, old)) = found {
                        if old == hash {
                            out.added.already += 1;
                        } else {
                            update_row(&tx, n, &a, hash).map_err(err)?;
                            out.added.updated += 1;
                            out.updated_ids.push(id);
                        }
                        continue;
                    }
                }
                if known(&tx, &a).map_err(err)? {
                    out.added.already += 1;
                    continue;
                }
                // Not known: its id is not taken either (`known` looked it up).
                let id = a.id.clone();
                insert_row(&tx, &id, &a, hash, origin, key.as_deref(), &added_at).map_err(err)?;
                out.added.new += 1;
                out.new_ids.push(id);
            }
            tx.commit().map_err(err)?;
            progress(seen);
        }
        Ok(())
    }

    /// Bring the body index up to date with what this folio (or another) changed; waits up
    /// to `wait` for another folio indexing. The library is the truth: an index that cannot
    /// be written is caught up later, and searches read what it lacks from here meanwhile.
    pub fn update_index(
        &self,
        progress: &mut dyn FnMut(u64, u64),
        wait: Duration,
    ) -> Result<super::bodyindex::Updated, StoreError> {
        super::bodyindex::update(&self.path, progress, &|| false, wait)
    }

    /// As `update_index`, quietly, waiting a few seconds: what a small change (a sync, a
    /// full text, a removal) does when it is done.
    pub fn index_quietly(&self) {
        let _ = self.update_index(&mut |_, _| {}, Duration::from_secs(5));
    }

    /// How many articles the library holds.
    pub fn len(&self) -> Result<usize, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))
            .map(|n| usize::try_from(n).unwrap_or(0))
            .map_err(self.err())
    }

    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    /// Take articles out by id; returns the ids removed and those not found.
    pub fn remove(&mut self, ids: &[String]) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| StoreError::sql(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let (mut removed, mut missing) = (Vec::new(), Vec::new());
        for id in ids {
            let n: Option<i64> = tx
                .prepare_cached("SELECT n FROM articles WHERE id = ?1")
                .map_err(err)?
                .query_row([id], |r| r.get(0))
                .optional()
                .map_err(err)?;
            match n {
                Some(n) => {
                    delete_row(&tx, n).map_err(err)?;
                    removed.push(id.clone());
                }
                None => missing.push(id.clone()),
            }
        }
        tx.commit().map_err(err)?;
        Ok((removed, missing))
    }

    /// Take out a feed's articles but those `keep` says to keep; returns how many went.
    pub fn remove_origin(
        &mut self,
        origin: &str,
        keep: &dyn Fn(&str) -> bool,
    ) -> Result<usize, StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| StoreError::sql(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let rows: Vec<(i64, String)> = {
            let mut st = tx
                .prepare("SELECT n, id FROM articles WHERE origin = ?1")
                .map_err(err)?;
            let rows = st
                .query_map([origin], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(err)?;
            rows.collect::<rusqlite::Result<_>>().map_err(err)?
        };
        let mut gone = 0;
        for (n, id) in rows {
            if !keep(&id) {
                delete_row(&tx, n).map_err(err)?;
                gone += 1;
            }
        }
        tx.commit().map_err(err)?;
        Ok(gone)
    }

    /// A feed moved for good (a permanent redirect): its articles follow it.
    pub fn rename_origin(&mut self, from: &str, to: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "UPDATE articles SET origin = ?2 WHERE origin = ?1",
                params![from, to],
            )
            .map(|_| ())
            .map_err(self.err())
    }

    /// Ids of a feed's articles.
    pub fn ids_of_origin(&self, origin: &str) -> Result<Vec<String>, StoreError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT id FROM articles WHERE origin = ?1")
            .map_err(self.err())?;
        let rows = st.query_map([origin], |r| r.get(0)).map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// Every article, bodies included, in the order they were added.
    pub fn articles(&self) -> Result<Vec<Article>, StoreError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT a.id, a.title, a.date, a.time, a.sector, a.tags, a.entities, a.source,
                        a.url, a.author, a.feed,
                        CASE WHEN b.full IS NOT NULL AND b.show_feed = 0 THEN b.full ELSE b.body END,
                        a.origin,
                        CASE WHEN b.full IS NULL THEN NULL ELSE b.show_feed = 0 END
                 FROM articles a JOIN bodies b ON b.n = a.n ORDER BY a.n",
            )
            .map_err(self.err())?;
        let rows = st.query_map([], article_of).map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    /// Every article without its body (what the list needs), in the order they were
    /// added, with the row each is stored under.
    pub fn articles_meta(&self) -> Result<(Vec<Article>, Vec<i64>), StoreError> {
        read_meta(&self.conn, &self.path, None)
    }

    /// As `articles_meta`, with the library's last change as of that same read (one read
    /// transaction): a reader following the library takes the changes after it.
    pub fn articles_meta_at(&self) -> Result<(Vec<Article>, Vec<i64>, i64), StoreError> {
        let tx = self.conn.unchecked_transaction().map_err(self.err())?;
        let seq: i64 = tx
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM changes", [], |r| {
                r.get(0)
            })
            .map_err(self.err())?;
        let (articles, rows) = read_meta(&tx, &self.path, None)?;
        Ok((articles, rows, seq))
    }

    /// The newest `limit` articles without their bodies (by day; with every article of the
    /// oldest day taken, so the newest-first order of the whole library starts with them),
    /// with their rows, in the order they were added.
    pub fn articles_meta_newest(
        &self,
        limit: usize,
    ) -> Result<(Vec<Article>, Vec<i64>), StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut st = self
            .conn
            .prepare(
                "SELECT n FROM articles WHERE day >= (SELECT day FROM articles
                     WHERE day IS NOT NULL ORDER BY day DESC LIMIT 1 OFFSET ?1)
                 UNION SELECT n FROM (SELECT n FROM articles ORDER BY day DESC LIMIT ?1)
                 ORDER BY 1",
            )
            .map_err(self.err())?;
        let rows: Vec<i64> = st
            .query_map([limit.saturating_sub(1)], |r| r.get(0))
            .map_err(self.err())?
            .collect::<rusqlite::Result<_>>()
            .map_err(self.err())?;
        read_meta(&self.conn, &self.path, Some(&rows))
    }

    /// Keep an article's full text (fetched from its page), shown from now on in place of
    /// the feed's text; `false` when the article is not in the library.
    pub fn set_full_text(&mut self, id: &str, text: &str) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE bodies SET full = ?2, show_feed = 0
                 WHERE n = (SELECT n FROM articles WHERE id = ?1)",
                params![id, text],
            )
            .map_err(self.err())?;
        if n > 0 {
            self.log_id(id)?;
        }
        Ok(n > 0)
    }

    /// Show the feed's text again, or the full text again; returns whether the full text is
    /// shown now (`None`: the article has no full text).
    pub fn toggle_full_text(&mut self, id: &str) -> Result<Option<bool>, StoreError> {
        let now: Option<Option<i64>> = self
            .conn
            .query_row(
                "SELECT CASE WHEN b.full IS NULL THEN NULL ELSE b.show_feed END
                 FROM articles a JOIN bodies b ON b.n = a.n WHERE a.id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        let Some(Some(show_feed)) = now else {
            return Ok(None);
        };
        let next = i64::from(show_feed == 0);
        self.conn
            .execute(
                "UPDATE bodies SET show_feed = ?2 WHERE n = (SELECT n FROM articles WHERE id = ?1)",
                params![id, next],
            )
            .map_err(self.err())?;
        self.log_id(id)?;
        Ok(Some(next == 0))
    }

    fn log_id(&self, id: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO changes(n) SELECT n FROM articles WHERE id = ?1",
                [id],
            )
            .map(|_| ())
            .map_err(self.err())
    }

    /// The address of an article, if the library has it.
    pub fn url_of(&self, id: &str) -> Result<Option<Option<String>>, StoreError> {
        self.conn
            .query_row("SELECT url FROM articles WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(self.err())
    }

    /// The body of one article.
    pub fn body(&self, id: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT b.body FROM articles a JOIN bodies b ON b.n = a.n WHERE a.id = ?1",
            )
            .map_err(self.err())?
            .query_row([id], |r| r.get(0))
            .optional()
            .map_err(self.err())
    }
}

/// The articles (without bodies) of `rows` (ascending) that are still there, with their
/// rows: what a reader following the library reads of its new articles.
pub fn read_rows(
    conn: &Connection,
    path: &Path,
    rows: &[i64],
) -> Result<(Vec<Article>, Vec<i64>), StoreError> {
    read_meta(conn, path, Some(rows))
}

/// Articles without bodies, with their rows; only `rows` when given.
pub(super) fn read_meta(
    conn: &Connection,
    path: &Path,
    only: Option<&[i64]>,
) -> Result<(Vec<Article>, Vec<i64>), StoreError> {
    let err = |e: rusqlite::Error| StoreError::sql(path, &e);
    let cols = "SELECT a.n, a.id, a.title, a.date, a.time, a.sector, a.tags, a.entities, a.source,
                       a.url, a.author, a.feed, a.origin
                FROM articles a";
    let expect = match only {
        Some(ns) => ns.len(),
        None => conn
            .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get::<_, i64>(0))
            .map_or(0, |n| usize::try_from(n).unwrap_or(0)),
    };
    let mut arts = Vec::with_capacity(expect);
    let mut rows = Vec::with_capacity(expect);
    let mut take = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
        rows.push(r.get::<_, i64>(0)?);
        arts.push(meta_of(r)?);
        Ok(())
    };
    match only {
        None => {
            let mut st = conn.prepare(&format!("{cols} ORDER BY a.n")).map_err(err)?;
            let mut q = st.query([]).map_err(err)?;
            while let Some(r) = q.next().map_err(err)? {
                take(r).map_err(err)?;
            }
        }
        Some(ns) => {
            let mut st = conn
                .prepare_cached(&format!("{cols} WHERE a.n = ?1"))
                .map_err(err)?;
            for n in ns {
                let mut q = st.query([n]).map_err(err)?;
                if let Some(r) = q.next().map_err(err)? {
                    take(r).map_err(err)?;
                }
            }
        }
    }
    // Which have a full text, and which of it is shown (from the small index of them).
    let mut st = conn
        .prepare_cached("SELECT n, show_feed = 0 FROM bodies WHERE full IS NOT NULL")
        .map_err(err)?;
    let mut q = st.query([]).map_err(err)?;
    while let Some(r) = q.next().map_err(err)? {
        let n: i64 = r.get(0).map_err(err)?;
        if let Ok(i) = rows.binary_search(&n) {
            arts[i].full_text = Some(r.get(1).map_err(err)?);
        }
    }
    Ok((arts, rows))
}

fn meta_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Article> {
    let list = |s: Option<String>| {
        s.filter(|s| s != "[]")
            .and_then(|s| serde_json::from_str::<Vec<String>>(&s).ok())
            .map(|mut v| {
                v.shrink_to_fit();
                v
            })
            .unwrap_or_default()
    };
    Ok(Article {
        id: r.get(1)?,
        title: r.get(2)?,
        date: r
            .get_ref(3)?
            .as_str_or_null()?
            .and_then(|d| d.parse::<PartialDate>().ok()),
        time: r.get(4)?,
        sector: r.get(5)?,
        tags: list(r.get(6)?),
        entities: list(r.get(7)?),
        source: r.get(8)?,
        url: r.get(9)?,
        author: r.get(10)?,
        feed: r.get(11)?,
        body: String::new(),
        feed_url: r.get(12)?,
        full_text: None,
    })
}

fn article_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Article> {
    let list = |s: String| serde_json::from_str::<Vec<String>>(&s).unwrap_or_default();
    Ok(Article {
        id: r.get(0)?,
        title: r.get(1)?,
        date: r
            .get::<_, Option<String>>(2)?
            .and_then(|d| d.parse::<PartialDate>().ok()),
        time: r.get(3)?,
        sector: r.get(4)?,
        tags: list(r.get(5)?),
        entities: list(r.get(6)?),
        source: r.get(7)?,
        url: r.get(8)?,
        author: r.get(9)?,
        feed: r.get(10)?,
        body: r.get(11)?,
        feed_url: r.get(12)?,
        full_text: r.get(13)?,
    })
}

/// Whether the library has this article already: the same link; else the same id; else the
/// same title and date, unless both have links (two pieces called "Corrections" on one day
/// at two addresses are two pieces).
fn known(conn: &Connection, a: &Article) -> rusqlite::Result<bool> {
    let exists = |sql: &str, key: &str| -> rusqlite::Result<bool> {
        conn.prepare_cached(sql)?.query_row([key], |r| r.get(0))
    };
    let tkey = title_key(a);
    match url_key(a) {
        Some(u) => Ok(exists(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE url_key = ?1)",
            &u,
        )? || exists(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?1)",
            &a.id,
        )? || exists(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE title_key = ?1 AND url_key IS NULL)",
            &tkey,
        )?),
        None => Ok(exists(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?1)",
            &a.id,
        )? || exists(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE title_key = ?1)",
            &tkey,
        )?),
    }
}

fn json_list(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

fn insert_row(
    conn: &Connection,
    id: &str,
    a: &Article,
    hash: i64,
    origin: Option<&str>,
    key: Option<&str>,
    added: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO articles(id, title, date, day, time, sector, tags, entities, source, url,
                              author, feed, url_key, title_key, origin, item_key, hash, added)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        id,
        a.title,
        a.date.map(|d| d.to_string()),
        a.date.map(|d| d.start_days()),
        a.time,
        a.sector,
        json_list(&a.tags),
        json_list(&a.entities),
        a.source,
        a.url,
        a.author,
        a.feed,
        url_key(a),
        title_key(a),
        origin,
        key,
        hash,
        added,
    ])?;
    let n = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO bodies(n, body) VALUES (?1, ?2)")?
        .execute(params![n, a.body])?;
    log(conn, n)
}

fn update_row(conn: &Connection, n: i64, a: &Article, hash: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE articles SET title = ?2, date = ?3, day = ?4, time = ?5, sector = ?6, tags = ?7,
                entities = ?8, source = ?9, url = ?10, author = ?11, feed = ?12, url_key = ?13,
                title_key = ?14, hash = ?15
         WHERE n = ?1",
    )?
    .execute(params![
        n,
        a.title,
        a.date.map(|d| d.to_string()),
        a.date.map(|d| d.start_days()),
        a.time,
        a.sector,
        json_list(&a.tags),
        json_list(&a.entities),
        a.source,
        a.url,
        a.author,
        a.feed,
        url_key(a),
        title_key(a),
        hash,
    ])?;
    conn.prepare_cached("UPDATE bodies SET body = ?2 WHERE n = ?1")?
        .execute(params![n, a.body])?;
    log(conn, n)
}

fn delete_row(conn: &Connection, n: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM articles WHERE n = ?1")?
        .execute([n])?;
    conn.prepare_cached("DELETE FROM bodies WHERE n = ?1")?
        .execute([n])?;
    log(conn, n)
}

/// Note a change, for readers that follow the library.
fn log(conn: &Connection, n: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO changes(n) VALUES (?1)")?
        .execute([n])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(id: &str, title: &str, url: Option<&str>, date: Option<&str>) -> Article {
        Article {
            id: id.into(),
            title: title.into(),
            body: "b".into(),
            date: date.and_then(|d| d.parse().ok()),
            url: url.map(str::to_string),
            ..Article::default()
        }
    }

    #[test]
    fn articles_are_recognised_by_link_then_id_then_title_and_date() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join(LIBRARY_NAME);
        let mut lib = Library::open(&p).expect("open");
        let first = vec![
            art("a", "One", Some("https://Example.com/x/"), Some("2024-01")),
            art("b", "Two", None, Some("2024-02")),
            art("c", "Three words here", None, Some("2024")),
        ];
        assert_eq!(lib.add(first).expect("add").new, 3);
        let again = vec![
            art("z", "Other title", Some("https://example.com/x#top"), None),
            art("b", "Changed title", None, None),
            art("q", "three  WORDS here!", None, Some("2024")),
            art(
                "c",
                "A different article",
                Some("https://example.com/new"),
                None,
            ),
            art("n", "New", None, None),
            art("n2", "Newer", None, None),
            // Same title and date as "One", another link: another article.
            art(
                "w",
                "One",
                Some("https://example.com/other"),
                Some("2024-01"),
            ),
        ];
        let r = lib.add(again).expect("add");
        assert_eq!((r.new, r.already, r.total), (3, 4, 6));
        let all = lib.articles().expect("read");
        assert_eq!(all.last().map(|a| a.id.as_str()), Some("w"));
        let (gone, missing) = lib.remove(&["a".into(), "nope".into()]).expect("remove");
        assert_eq!(
            (gone, missing),
            (vec!["a".to_string()], vec!["nope".to_string()])
        );
        assert_eq!(lib.len().expect("len"), 5);
        // Reopened: the same.
        drop(lib);
        let lib = Library::open(&p).expect("open");
        assert_eq!(lib.articles().expect("read").len(), 5);
    }

    #[test]
    fn a_feed_item_found_again_is_updated_in_place() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut lib = Library::open(&dir.path().join(LIBRARY_NAME)).expect("open");
        let mut a = art("x", "Title", Some("https://e.com/1"), Some("2024-01-02"));
        let f = "https://e.com/feed";
        let r = lib
            .add_feed_items(f, vec![(a.clone(), Some("guid:1".into()))])
            .expect("add");
        assert_eq!(r.new_ids, ["x"]);
        let r = lib
            .add_feed_items(f, vec![(a.clone(), Some("guid:1".into()))])
            .expect("again");
        assert_eq!((r.added.new, r.added.already, r.added.updated), (0, 1, 0));
        a.body = "New text".into();
        a.id = "x-other".into();
        let r = lib
            .add_feed_items(f, vec![(a, Some("guid:1".into()))])
            .expect("changed");
        assert_eq!(r.updated_ids, ["x"], "the id stays");
        assert_eq!(lib.body("x").expect("body").as_deref(), Some("New text"));
        assert_eq!(lib.ids_of_origin(f).expect("ids"), ["x"]);
        assert_eq!(lib.remove_origin(f, &|_| false).expect("purge"), 1);
    }

    #[test]
    fn an_old_library_file_is_moved_in_once() {
        let dir = tempfile::tempdir().expect("tmp");
        let legacy = dir.path().join(LEGACY_NAME);
        std::fs::write(
            &legacy,
            "{\"id\": \"one\", \"title\": \"First\", \"body\": \"Text.\"}\n{\"id\": \"two\", \"title\": \"Second\", \"body\": \"More.\"}\n",
        )
        .expect("write");
        assert!(has_articles(&dir.path().join(LIBRARY_NAME)));
        let lib = Library::open(&dir.path().join(LIBRARY_NAME)).expect("open");
        assert_eq!(lib.len().expect("len"), 2);
        assert!(!legacy.exists());
        assert!(dir.path().join("library.jsonl.migrated").exists());
        drop(lib);
        let lib = Library::open(&dir.path().join(LIBRARY_NAME)).expect("open");
        assert_eq!(lib.len().expect("len"), 2, "not twice");
    }
}
