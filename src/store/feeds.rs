//! Subscriptions, kept in `folio.db` with the rest of the user's state: each feed's address,
//! title and tags, the validators of its newest 200 (`ETag`, Last-Modified), the last fetch and
//! its outcome, consecutive failures and when it may be fetched again.

use super::error::StoreError;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Feed {
    pub url: String,
    pub title: String,
    pub tags: Vec<String>,
    /// When it was subscribed (RFC 3339).
    pub added: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// When it was last fetched (RFC 3339).
    pub last_fetch: Option<String>,
    /// What the last fetch did: "new 3", "not modified", or "failed: why".
    pub last_outcome: Option<String>,
    /// The last error, while it keeps failing.
    pub last_error: Option<String>,
    /// Articles the last fetch brought.
    pub last_new: u64,
    /// Failures in a row.
    pub failures: u32,
    /// Not fetched before this (RFC 3339): a server's Retry-After, or backing off after
    /// failures.
    pub next_fetch: Option<String>,
    /// Fetch each article's page for its full text while syncing.
    pub full_text: bool,
}

impl Feed {
    /// The feed's host, without `www.`.
    pub fn host(&self) -> String {
        host_of(&self.url)
    }

    /// Whether it may be fetched at `now` (RFC 3339 strings compare in time order when both
    /// are UTC, as folio writes them).
    pub fn is_due(&self, now: &str) -> bool {
        self.next_fetch.as_deref().is_none_or(|t| t <= now)
    }

    /// Whether `name` names it: its address, its title (any case), or a unique prefix of
    /// either.
    pub fn is_named(&self, name: &str) -> bool {
        let n = name.trim();
        self.url == n || self.title.eq_ignore_ascii_case(n)
    }
}

pub use crate::text::host_of;

/// The subscriptions table, through a connection of its own to `folio.db`.
pub struct Feeds {
    conn: Connection,
    path: PathBuf,
}

fn tags_json(t: &[String]) -> String {
    serde_json::to_string(t).unwrap_or_else(|_| "[]".into())
}

fn feed_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Feed> {
    Ok(Feed {
        url: r.get(0)?,
        title: r.get(1)?,
        tags: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
        added: r.get(3)?,
        etag: r.get(4)?,
        last_modified: r.get(5)?,
        last_fetch: r.get(6)?,
        last_outcome: r.get(7)?,
        last_error: r.get(8)?,
        last_new: r.get::<_, i64>(9)?.try_into().unwrap_or(0),
        failures: r.get::<_, i64>(10)?.try_into().unwrap_or(0),
        next_fetch: r.get(11)?,
        full_text: r.get::<_, i64>(12)? != 0,
    })
}

const COLUMNS: &str = "url, title, tags, added, etag, last_modified, last_fetch, last_outcome,
    last_error, last_new, failures, next_fetch, full_text";

impl Feeds {
    /// The subscriptions in the database at `path`. The database must have been opened by
    /// `Store::open` first (which creates and migrates it).
    pub fn open(path: &Path) -> Result<Feeds, StoreError> {
        let conn = Connection::open(path).map_err(|e| StoreError::sql(path, &e))?;
        conn.busy_timeout(Duration::from_secs(30))
            .map_err(|e| StoreError::sql(path, &e))?;
        Ok(Feeds {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        |e| StoreError::sql(&self.path, &e)
    }

    /// Every subscription, in the order they were added.
    pub fn all(&self) -> Result<Vec<Feed>, StoreError> {
        let mut st = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM feeds ORDER BY added, url"))
            .map_err(self.err())?;
        let rows = st.query_map([], feed_of).map_err(self.err())?;
        rows.collect::<rusqlite::Result<_>>().map_err(self.err())
    }

    pub fn get(&self, url: &str) -> Result<Option<Feed>, StoreError> {
        self.conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM feeds WHERE url = ?1"))
            .map_err(self.err())?
            .query_row([url], feed_of)
            .optional()
            .map_err(self.err())
    }

    /// Add a subscription, or replace the one at the same address.
    pub fn put(&self, f: &Feed) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(&format!(
                "INSERT OR REPLACE INTO feeds({COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
            ))
            .map_err(self.err())?
            .execute(params![
                f.url,
                f.title,
                tags_json(&f.tags),
                f.added,
                f.etag,
                f.last_modified,
                f.last_fetch,
                f.last_outcome,
                f.last_error,
                i64::try_from(f.last_new).unwrap_or(i64::MAX),
                i64::from(f.failures),
                f.next_fetch,
                i64::from(f.full_text),
            ])
            .map(|_| ())
            .map_err(self.err())
    }

    /// A feed moved for good: the same subscription at its new address (one already there
    /// is kept, and this one goes).
    pub fn rename(&self, from: &str, to: &str) -> Result<(), StoreError> {
        let exists = self.get(to)?.is_some();
        if exists {
            self.remove(from)?;
            return Ok(());
        }
        self.conn
            .execute(
                "UPDATE feeds SET url = ?2 WHERE url = ?1",
                params![from, to],
            )
            .map(|_| ())
            .map_err(self.err())
    }

    pub fn remove(&self, url: &str) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM feeds WHERE url = ?1", [url])
            .map(|n| n > 0)
            .map_err(self.err())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_found_in_any_link() {
        assert_eq!(host_of("https://www.Example.com:8443/a?b"), "example.com");
        assert_eq!(host_of("http://user@127.0.0.2:9/x"), "127.0.0.2");
        assert_eq!(host_of("http://[::1]:80/"), "::1");
        assert_eq!(host_of("nothing"), "nothing");
    }

    #[test]
    fn feeds_are_kept_and_renamed() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = dir.path().join("folio.db");
        drop(crate::store::Store::open(
            db.clone(),
            crate::store::db::Load::Bookmarks,
        ));
        let feeds = Feeds::open(&db).expect("open");
        let f = Feed {
            url: "http://a.example/rss".into(),
            title: "A".into(),
            tags: vec!["news".into()],
            added: "2026-01-01T00:00:00Z".into(),
            ..Feed::default()
        };
        feeds.put(&f).expect("put");
        assert_eq!(feeds.all().expect("all"), std::slice::from_ref(&f));
        feeds
            .rename(&f.url, "https://a.example/feed")
            .expect("rename");
        assert!(feeds.get(&f.url).expect("get").is_none());
        assert_eq!(
            feeds
                .get("https://a.example/feed")
                .expect("get")
                .map(|x| x.tags),
            Some(vec!["news".to_string()])
        );
        assert!(f.is_due("2026-01-01T00:00:00Z"));
    }
}
