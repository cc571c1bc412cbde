//! The article model, corpus files and the embedded default corpus.

pub mod date;
pub mod id;
pub mod load;
pub mod stats;
pub mod stored;
pub mod stream;
pub mod synth;

pub use date::{PartialDate, Precision};
pub use load::{load_bytes, load_path, LoadError};

use serde::{Deserialize, Serialize};

/// The corpus shipped inside the binary (built by `folio import`, see README).
pub const EMBEDDED_CORPUS: &str = include_str!("../../assets/corpus.json");

/// The name shown for the embedded corpus.
pub const EMBEDDED_NAME: &str = "default corpus";

/// One article. `body` holds paragraphs separated by blank lines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub title: String,
    pub body: String,
    pub date: Option<PartialDate>,
    pub sector: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub entities: Vec<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// The time of day it was published (`HH:MM`), when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// Who wrote it, when the source says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The feed it came from (its title), for articles a subscription brought.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed: Option<String>,
    /// The address of that feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<String>,
    /// Whether the body is the full text fetched from the article's page (`Some(false)`: it
    /// has one, but the feed's text is shown); `None`: it has none. Kept by the library.
    #[serde(skip)]
    pub full_text: Option<bool>,
}

/// A body's paragraphs, without empty ones (see `Article::paragraphs`).
pub fn paragraphs_of(body: &str) -> impl Iterator<Item = &str> {
    body.split("\n\n")
        .map(|p| p.trim_matches(['\n', '\r']).trim_end())
        .filter(|p| !p.trim().is_empty())
}

/// Every field of an article but its body (what `list --json` prints).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleMeta<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date: Option<PartialDate>,
    pub sector: Option<&'a str>,
    pub tags: &'a [String],
    pub entities: &'a [String],
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_url: Option<&'a str>,
}

impl Article {
    /// The body's paragraphs, without empty ones. Leading spaces stay: four of them mark a
    /// line of code.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        paragraphs_of(&self.body)
    }

    /// The first paragraph (the lead).
    pub fn lead(&self) -> &str {
        self.paragraphs().next().unwrap_or("")
    }

    /// The metadata line a reader shows under the title: date, sector, source, tags.
    pub fn meta_line(&self) -> String {
        let mut meta = vec![self
            .date
            .map_or_else(|| "undated".to_string(), |d| d.to_string())];
        if let (Some(t), Some(_)) = (&self.time, &self.date) {
            meta[0].push_str(&format!(" {} UTC", crate::text::one_line(t)));
        }
        if let Some(x) = &self.author {
            meta.push(format!("by {}", crate::text::one_line(x)));
        }
        if let Some(x) = &self.sector {
            meta.push(crate::text::one_line(x));
        }
        if let Some(x) = &self.source {
            meta.push(crate::text::one_line(x));
        }
        if !self.tags.is_empty() {
            meta.push(
                self.tags
                    .iter()
                    .map(|t| format!("#{}", crate::text::one_line(t)))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
        }
        meta.join(" · ")
    }

    pub fn meta(&self) -> ArticleMeta<'_> {
        ArticleMeta {
            id: &self.id,
            title: &self.title,
            date: self.date,
            sector: self.sector.as_deref(),
            tags: &self.tags,
            entities: &self.entities,
            source: self.source.as_deref(),
            url: self.url.as_deref(),
            time: self.time.as_deref(),
            author: self.author.as_deref(),
            feed: self.feed.as_deref(),
            feed_url: self.feed_url.as_deref(),
        }
    }
}

/// Where a corpus comes from: the built-in one, a file, or the user's library (a database,
/// opened by `store::library`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin,
    File(std::path::PathBuf),
    Library(std::path::PathBuf),
}

impl Source {
    /// `builtin` names the built-in corpus; anything else is a file.
    pub fn from_arg(p: &std::path::Path) -> Source {
        if p.as_os_str() == "builtin" {
            Source::Builtin
        } else {
            Source::File(p.to_path_buf())
        }
    }

    /// Its size on disk (0 for the built-in corpus), for progress.
    pub fn size(&self) -> u64 {
        match self {
            Source::Builtin => 0,
            // What takes a while to open is moving an old `library.jsonl` in.
            Source::Library(p) => {
                std::fs::metadata(p.with_file_name("library.jsonl")).map_or(0, |m| m.len())
            }
            Source::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Builtin => f.write_str("the built-in corpus"),
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Library(_) => f.write_str("your library"),
        }
    }
}

/// The corpus file written by `folio import`.
#[derive(Debug, Serialize)]
pub struct CorpusFile<'a> {
    pub version: u32,
    pub articles: &'a [Article],
}

pub const CORPUS_VERSION: u32 = 1;

/// Serialise articles in the corpus format, pretty-printed, with a final newline.
pub fn to_corpus_json(articles: &[Article]) -> String {
    let file = CorpusFile {
        version: CORPUS_VERSION,
        articles,
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_else(|_| String::from("{}"));
    s.push('\n');
    s
}

/// A loaded corpus: its articles and a name to show.
#[derive(Debug, Clone)]
pub struct Corpus {
    pub name: String,
    pub articles: Vec<Article>,
    /// Article numbers by id, built the first time one is looked up.
    ids: std::sync::OnceLock<IdTable>,
    /// The articles whose bodies are on disk (the library's), if any: their `body` is empty
    /// in memory.
    stored: Option<stored::Stored>,
    /// Which corpus this is (unique in a run; a reload says which corpus its numbers are
    /// from).
    identity: u64,
    /// A library's last change as of the read that made this corpus.
    change: Option<i64>,
}

/// Article numbers by id: (a hash of the id, the number), sorted. 16 bytes an article,
/// where a map from the ids would copy them all (~90 MB at a million articles); a lookup
/// checks the id itself, so two ids with one hash are told apart.
#[derive(Debug, Clone, Default)]
struct IdTable(Vec<(u64, u32)>);

fn id_hash(id: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::text::Fx::default();
    h.write(id.as_bytes());
    h.write_usize(id.len());
    h.finish()
}

impl IdTable {
    fn build(articles: &[Article]) -> IdTable {
        let mut t: Vec<(u64, u32)> = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (id_hash(&a.id), i as u32))
            .collect();
        t.sort_unstable();
        IdTable(t)
    }

    fn find(&self, articles: &[Article], id: &str) -> Option<usize> {
        let h = id_hash(id);
        let from = self.0.partition_point(|&(x, _)| x < h);
        self.0[from..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .map(|&(_, i)| i as usize)
            .filter(|&i| articles.get(i).is_some_and(|a| a.id == id))
            .last()
    }

    /// Take in `articles[from..]` (merged in: no sort of the whole again).
    fn add(&mut self, articles: &[Article], from: usize) {
        let mut new: Vec<(u64, u32)> = articles
            .iter()
            .enumerate()
            .skip(from)
            .map(|(i, a)| (id_hash(&a.id), i as u32))
            .collect();
        new.sort_unstable();
        self.0 = merge_sorted(&self.0, &new, |n, o| n < o);
    }
}

/// Two sorted lists as one: an item of `new` goes before one of `old` only when `before`
/// says so (so on a tie `old`'s comes first, as a stable sort of both would put it).
pub(crate) fn merge_sorted<T: Copy>(
    old: &[T],
    new: &[T],
    before: impl Fn(&T, &T) -> bool,
) -> Vec<T> {
    let mut out = Vec::with_capacity(old.len() + new.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() && j < new.len() {
        if before(&new[j], &old[i]) {
            out.push(new[j]);
            j += 1;
        } else {
            out.push(old[i]);
            i += 1;
        }
    }
    out.extend_from_slice(&old[i..]);
    out.extend_from_slice(&new[j..]);
    out
}

/// The identity of the next corpus made.
static NEXT_IDENTITY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

impl Corpus {
    pub fn new(name: String, articles: Vec<Article>) -> Corpus {
        Corpus {
            name,
            articles,
            ids: std::sync::OnceLock::new(),
            stored: None,
            identity: NEXT_IDENTITY.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            change: None,
        }
    }

    /// A corpus whose articles' bodies are in `store`, under `rows` (ascending, one per
    /// article).
    pub fn with_store(
        name: String,
        articles: Vec<Article>,
        store: std::sync::Arc<dyn stored::BodyStore>,
        rows: Vec<i64>,
    ) -> Corpus {
        Corpus {
            stored: Some(stored::Stored {
                store,
                start: 0,
                rows,
            }),
            ..Corpus::new(name, articles)
        }
    }

    /// The articles whose bodies are on disk, if any.
    /// A library read as of its change `seq` (what a reader following it takes next is
    /// what changed after).
    #[must_use]
    pub fn at_change(mut self, seq: i64) -> Corpus {
        self.change = Some(seq);
        self
    }

    /// The library's last change this corpus holds, when it was read from a library.
    pub fn change(&self) -> Option<i64> {
        self.change
    }

    /// Which corpus this is (a copy made by `clone` is the same one).
    pub fn identity(&self) -> u64 {
        self.identity
    }

    /// The last row of a corpus that is a whole library, every article's body stored, in
    /// the order of its rows (what a library that grew can be appended to).
    pub fn last_row(&self) -> Option<i64> {
        let s = self.stored.as_ref()?;
        (s.start == 0 && s.rows.len() == self.articles.len())
            .then(|| s.rows.last().copied().unwrap_or(0))
    }

    /// Add articles a library gained after its last row (`rows`, ascending, theirs), in
    /// place: the articles already here keep their numbers. Refused (`false`, nothing
    /// changed) when this corpus is not a whole library or the rows do not come after its
    /// last one.
    pub fn append(&mut self, articles: Vec<Article>, rows: &[i64]) -> bool {
        let Some(last) = self.last_row() else {
            return false;
        };
        if articles.len() != rows.len()
            || rows.first().is_some_and(|&r| r <= last)
            || !rows.windows(2).all(|w| w[0] < w[1])
        {
            return false;
        }
        let from = self.articles.len();
        self.articles.extend(articles);
        if let Some(ids) = self.ids.get_mut() {
            ids.add(&self.articles, from);
        }
        if let Some(s) = &mut self.stored {
            s.rows.extend_from_slice(rows);
        }
        true
    }

    pub fn stored(&self) -> Option<&stored::Stored> {
        self.stored.as_ref()
    }

    /// Whether article `idx`'s body must be read from disk (it is not in memory).
    pub fn body_on_disk(&self, idx: usize) -> bool {
        self.stored.as_ref().is_some_and(|s| s.holds(idx))
    }

    /// Article `idx`'s body, from memory or read from disk.
    pub fn body(&self, idx: usize) -> Result<std::borrow::Cow<'_, str>, stored::BodyError> {
        if let Some(row) = self.stored.as_ref().and_then(|s| s.row_of(idx)) {
            if let Some(s) = &self.stored {
                return Ok(std::borrow::Cow::Owned(
                    s.store.body(row)?.unwrap_or_default(),
                ));
            }
        }
        Ok(std::borrow::Cow::Borrowed(
            self.articles.get(idx).map_or("", |a| a.body.as_str()),
        ))
    }

    /// Article `idx` with its body (read from disk when it is stored there).
    pub fn full_article(&self, idx: usize) -> Result<Option<Article>, stored::BodyError> {
        let Some(a) = self.articles.get(idx) else {
            return Ok(None);
        };
        let mut a = a.clone();
        if self.body_on_disk(idx) {
            a.body = self.body(idx)?.into_owned();
        }
        Ok(Some(a))
    }

    /// The number of the article with this id (the last one, should two have it).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids
            .get_or_init(|| IdTable::build(&self.articles))
            .find(&self.articles, id)
    }

    /// The corpus embedded in the binary.
    pub fn embedded() -> Result<Corpus, LoadError> {
        let articles = load_bytes("<embedded corpus>", EMBEDDED_CORPUS.as_bytes())?;
        Ok(Corpus::new(EMBEDDED_NAME.to_string(), articles))
    }

    /// A corpus file on disk, or the embedded corpus when `path` is `None`.
    pub fn open(path: Option<&std::path::Path>) -> Result<Corpus, LoadError> {
        Corpus::open_with_progress(path, &std::sync::atomic::AtomicU64::new(0))
    }

    /// As `open`, reporting bytes read to `progress`. Large files are streamed (see
    /// `stream`), so the whole file is never held in memory beside the articles.
    pub fn open_with_progress(
        path: Option<&std::path::Path>,
        progress: &std::sync::atomic::AtomicU64,
    ) -> Result<Corpus, LoadError> {
        match path {
            None => Corpus::embedded(),
            Some(p) => {
                let big = std::fs::metadata(p).is_ok_and(|m| m.len() >= stream::STREAM_MIN_BYTES);
                let articles = if big {
                    stream::load_streaming(p, progress)?
                } else {
                    load_path(p)?
                };
                let name = p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                Ok(Corpus::new(name, articles))
            }
        }
    }

    /// Several corpora opened together (`--corpus` given more than once, or `corpus = [...]`
    /// in the config): their articles one after another. Ids must stay unique across them: a
    /// clash names both files. The same file named twice is read once.
    pub fn open_all(
        sources: &[Source],
        progress: &std::sync::atomic::AtomicU64,
    ) -> Result<Corpus, LoadError> {
        Corpus::open_all_with(sources, progress, &|p| {
            Err(LoadError {
                file: p.display().to_string(),
                line: 0,
                column: 0,
                message: "the library is opened through the store".into(),
            })
        })
    }

    /// As `open_all`, with `library` opening the library.
    pub fn open_all_with(
        sources: &[Source],
        progress: &std::sync::atomic::AtomicU64,
        library: &dyn Fn(&std::path::Path) -> Result<Corpus, LoadError>,
    ) -> Result<Corpus, LoadError> {
        let mut seen_files = Vec::new();
        let mut parts: Vec<(String, Corpus)> = Vec::new();
        for src in sources {
            let key = match src {
                Source::Builtin => None,
                Source::File(p) | Source::Library(p) => {
                    Some(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
                }
            };
            if seen_files.contains(&key) {
                continue;
            }
            seen_files.push(key);
            let c = match src {
                Source::Builtin => Corpus::embedded()?,
                Source::File(p) => Corpus::open_with_progress(Some(p), progress)?,
                Source::Library(p) => library(p)?,
            };
            parts.push((src.to_string(), c));
        }
        if parts.len() == 1 {
            return Ok(parts
                .pop()
                .map_or_else(|| Corpus::new(String::new(), Vec::new()), |(_, c)| c));
        }
        let mut owner: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut names = Vec::new();
        let mut articles = Vec::new();
        let mut stored = None;
        for (k, (from, c)) in parts.iter().enumerate() {
            names.push(c.name.clone());
            for a in &c.articles {
                if let Some(&first) = owner.get(&a.id) {
                    return Err(LoadError {
                        file: from.clone(),
                        line: 0,
                        column: 0,
                        message: format!(
                            "the id \"{}\" is in both {} and {}: ids must be unique across the corpora opened together",
                            crate::text::one_line(&a.id),
                            parts[first].0,
                            from
                        ),
                    });
                }
                owner.insert(a.id.clone(), k);
            }
        }
        for (_, c) in parts {
            if let Some(mut s) = c.stored {
                s.start += articles.len();
                stored = Some(s);
            }
            articles.extend(c.articles);
        }
        Ok(Corpus {
            stored,
            ..Corpus::new(names.join(" + "), articles)
        })
    }

    /// Indexes of the articles ordered newest first (undated last), ties by title.
    pub fn newest_first(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.articles.len()).collect();
        idx.sort_by(|&a, &b| compare_newest_first(&self.articles[a], &self.articles[b]));
        idx
    }

    pub fn find(&self, id: &str) -> Option<&Article> {
        self.index_of(id).and_then(|i| self.articles.get(i))
    }
}

/// Newest first by date (by the start of its interval, so `2023` comes after `2023-06`),
/// undated last; on one day by time of day, newest first (those without one after); then by
/// title and id.
pub fn compare_newest_first(a: &Article, b: &Article) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a.date, b.date) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| match (&a.time, &b.time) {
        (Some(x), Some(y)) => y.cmp(x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    })
    .then_with(|| a.title.cmp(&b.title))
    .then_with(|| a.id.cmp(&b.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_are_found_by_id_before_and_after_more_are_added() {
        let mut arts = synth::articles(300, 1);
        arts[200].id = arts[10].id.clone();
        let (more, rows): (Vec<Article>, Vec<i64>) = synth::articles(50, 2)
            .into_iter()
            .enumerate()
            .map(|(k, mut a)| {
                a.id = format!("more-{k}");
                (a, 1000 + k as i64)
            })
            .unzip();
        let rows0: Vec<i64> = (1..=300).collect();
        let mut c = Corpus::with_store(
            "t".into(),
            arts.clone(),
            std::sync::Arc::new(stored::NoBodies),
            rows0,
        );
        assert_eq!(c.index_of(&arts[5].id), Some(5));
        assert_eq!(
            c.index_of(&arts[10].id),
            Some(200),
            "the last of two with one id"
        );
        assert_eq!(c.index_of("no-such-id"), None);
        // Rows that do not follow are refused; those that do go in, found by id.
        assert!(!c.append(more.clone(), &vec![5; 50]));
        assert!(c.append(more, &rows));
        assert_eq!(c.articles.len(), 350);
        assert_eq!(c.index_of("more-7"), Some(307));
        assert_eq!(c.index_of(&arts[5].id), Some(5));
        assert_eq!(c.last_row(), Some(1049));
        let fresh = Corpus::new("t".into(), c.articles.clone());
        for a in &c.articles {
            assert_eq!(c.index_of(&a.id), fresh.index_of(&a.id));
        }
    }
}
