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
    ids: std::sync::OnceLock<std::collections::HashMap<String, u32>>,
    /// The articles whose bodies are on disk (the library's), if any: their `body` is empty
    /// in memory.
    stored: Option<stored::Stored>,
}

impl Corpus {
    pub fn new(name: String, articles: Vec<Article>) -> Corpus {
        Corpus {
            name,
            articles,
            ids: std::sync::OnceLock::new(),
            stored: None,
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

    /// The number of the article with this id (a map lookup).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids
            .get_or_init(|| {
                self.articles
                    .iter()
                    .enumerate()
                    .map(|(i, a)| (a.id.clone(), i as u32))
                    .collect()
            })
            .get(id)
            .map(|&i| i as usize)
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
