//! The user's library: articles they added with `folio add`, kept as JSON Lines in the data
//! folder (`library.jsonl`). Every change rewrites it atomically (temporary file, fsync,
//! rename) under a lock, after reading it again, so two `folio add` at once lose nothing.

use super::atomic::{write_atomic, Lock};
use crate::corpus::{self, Article};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The library's name in the data folder.
pub const LIBRARY_NAME: &str = "library.jsonl";

/// The library file, e.g. `~/.local/share/folio/library.jsonl`.
pub fn path() -> Option<PathBuf> {
    super::paths::data_dir().map(|d| d.join(LIBRARY_NAME))
}

/// Whether the library holds any article (without reading it).
pub fn has_articles(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 2)
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

/// What is known of the articles already there, to recognise them again.
#[derive(Default)]
struct Known {
    urls: HashSet<String>,
    ids: HashSet<String>,
    /// Title and date of every article, and of those without a link.
    titles: HashSet<(String, Option<corpus::PartialDate>)>,
    titles_unlinked: HashSet<(String, Option<corpus::PartialDate>)>,
}

impl Known {
    fn of(articles: &[Article]) -> Known {
        let mut k = Known::default();
        for a in articles {
            k.add(a);
        }
        k
    }

    /// Same link; else same id; else same title and date, unless both have links (two
    /// pieces called "Corrections" on one day at two addresses are two pieces).
    fn has(&self, a: &Article) -> bool {
        let key = (normal_title(&a.title), a.date);
        match a.url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(u) => {
                self.urls.contains(&normal_url(u))
                    || self.ids.contains(&a.id)
                    || self.titles_unlinked.contains(&key)
            }
            None => self.ids.contains(&a.id) || self.titles.contains(&key),
        }
    }

    fn add(&mut self, a: &Article) {
        let key = (normal_title(&a.title), a.date);
        match a.url.as_deref().filter(|u| !u.trim().is_empty()) {
            Some(u) => {
                self.urls.insert(normal_url(u));
            }
            None => {
                self.titles_unlinked.insert(key.clone());
            }
        }
        self.ids.insert(a.id.clone());
        self.titles.insert(key);
    }
}

/// How many were added and how many were there already.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Added {
    pub new: usize,
    pub already: usize,
    pub total: usize,
}

fn lock_path(path: &Path) -> PathBuf {
    PathBuf::from(format!("{}.lock", path.display()))
}

/// The library's articles (none when there is no file yet).
pub fn read(path: &Path) -> Result<Vec<Article>, String> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    corpus::load_path(path).map_err(|e| {
        format!("the library cannot be read ({e}); nothing was changed: repair or move the file")
    })
}

fn write(path: &Path, articles: &[Article]) -> Result<(), String> {
    let mut out = String::new();
    for a in articles {
        let line = serde_json::to_string(a).map_err(|e| e.to_string())?;
        out.push_str(&line);
        out.push('\n');
    }
    write_atomic(path, out.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Add articles to the library, skipping those it has already (and repeats among them).
pub fn add(path: &Path, incoming: Vec<Article>) -> Result<Added, String> {
    let _lock =
        Lock::take(&lock_path(path)).map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
    let mut articles = read(path)?;
    let mut known = Known::of(&articles);
    let mut added = Added::default();
    for a in incoming {
        if known.has(&a) {
            added.already += 1;
            continue;
        }
        known.add(&a);
        articles.push(a);
        added.new += 1;
    }
    if added.new > 0 {
        write(path, &articles)?;
    }
    added.total = articles.len();
    Ok(added)
}

/// Take articles out by id; returns the ids removed and those not found.
pub fn remove(path: &Path, ids: &[String]) -> Result<(Vec<String>, Vec<String>), String> {
    let _lock =
        Lock::take(&lock_path(path)).map_err(|e| format!("cannot lock {}: {e}", path.display()))?;
    let mut articles = read(path)?;
    let want: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut removed = Vec::new();
    articles.retain(|a| {
        let hit = want.contains(a.id.as_str());
        if hit {
            removed.push(a.id.clone());
        }
        !hit
    });
    let gone: HashSet<&str> = removed.iter().map(String::as_str).collect();
    let missing = ids
        .iter()
        .filter(|i| !gone.contains(i.as_str()))
        .cloned()
        .collect();
    if !removed.is_empty() {
        write(path, &articles)?;
    }
    Ok((removed, missing))
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
        let p = dir.path().join("library.jsonl");
        let first = vec![
            art("a", "One", Some("https://Example.com/x/"), Some("2024-01")),
            art("b", "Two", None, Some("2024-02")),
            art("c", "Three words here", None, Some("2024")),
        ];
        assert_eq!(add(&p, first).expect("add").new, 3);
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
        let r = add(&p, again).expect("add");
        assert_eq!((r.new, r.already, r.total), (3, 4, 6));
        let all = read(&p).expect("read");
        assert_eq!(all.last().map(|a| a.id.as_str()), Some("w"));
        let (gone, missing) = remove(&p, &["a".into(), "nope".into()]).expect("remove");
        assert_eq!(
            (gone, missing),
            (vec!["a".to_string()], vec!["nope".to_string()])
        );
        assert_eq!(read(&p).expect("read").len(), 5);
    }
}
