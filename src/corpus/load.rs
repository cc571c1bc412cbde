//! Reading corpus files: the versioned corpus object, a bare JSON array of articles, or
//! JSON Lines. Every error names the file, line and column.

use super::id::derive_id;
use super::{Article, PartialDate, CORPUS_VERSION};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// A corpus that could not be loaded, with where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for LoadError {}

/// A body given as one string (paragraphs separated by blank lines) or as a list of paragraphs.
/// (A hand-written visitor: serde's untagged enums buffer every body before choosing.)
pub(crate) enum RawBody {
    Text(String),
    Paragraphs(Vec<String>),
}

impl<'de> Deserialize<'de> for RawBody {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawBody;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a list of paragraph strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawBody, E> {
                Ok(RawBody::Text(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<RawBody, E> {
                Ok(RawBody::Text(v))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawBody, A::Error> {
                let mut v = Vec::new();
                while let Some(p) = seq.next_element::<String>()? {
                    v.push(p);
                }
                Ok(RawBody::Paragraphs(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
pub(crate) struct RawArticle {
    id: Option<String>,
    title: Option<String>,
    body: Option<RawBody>,
    date: Option<String>,
    sector: Option<String>,
    tags: Option<Vec<String>>,
    entities: Option<Vec<String>>,
    source: Option<String>,
    url: Option<String>,
    time: Option<String>,
    author: Option<String>,
    feed: Option<String>,
    feed_url: Option<String>,
}

#[derive(Deserialize)]
struct RawCorpus<'a> {
    #[serde(borrow)]
    version: Option<&'a RawValue>,
    #[serde(borrow)]
    articles: Vec<&'a RawValue>,
}

/// Whether text that starts with `{` is JSON Lines rather than one corpus object: its
/// first line alone is a complete JSON value, and either more follows or that one object is
/// an article (it has no `articles`). The in-memory and the streaming loaders share this.
pub(crate) fn looks_like_lines(t: &str) -> bool {
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        articles: Option<serde::de::IgnoredAny>,
    }
    let first = t.split('\n').next().unwrap_or("");
    let rest = &t[first.len()..];
    if !rest.trim().is_empty() {
        return serde_json::from_str::<serde::de::IgnoredAny>(first).is_ok();
    }
    serde_json::from_str::<Probe>(first).is_ok_and(|p| p.articles.is_none())
}

/// Line and column (1-based, column counted in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

/// Read and parse a corpus file.
pub fn load_path(path: &Path) -> Result<Vec<Article>, LoadError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| LoadError {
        file: name.clone(),
        line: 0,
        column: 0,
        message: format!("cannot read the corpus: {e}"),
    })?;
    load_bytes(&name, &bytes)
}

/// Parse a corpus from bytes; `name` is used in error messages.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Vec<Article>, LoadError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            let (line, column) = line_col(good, good.len());
            return Err(LoadError {
                file: name.to_string(),
                line,
                column,
                message: "the file is not valid UTF-8 text".into(),
            });
        }
    };
    Loader { name, text }.load()
}

struct Loader<'a> {
    name: &'a str,
    text: &'a str,
}

impl<'a> Loader<'a> {
    fn err_at(&self, offset: usize, message: impl Into<String>) -> LoadError {
        let (line, column) = line_col(self.text, offset);
        LoadError {
            file: self.name.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    /// Translate a `serde_json` error inside a slice starting at `base` into file coordinates.
    fn json_err(&self, base: usize, e: &serde_json::Error) -> LoadError {
        let (bl, bc) = line_col(self.text, base);
        let (line, column) = if e.line() == 0 {
            (bl, bc)
        } else if e.line() == 1 {
            (bl, bc + e.column().saturating_sub(1))
        } else {
            (bl + e.line() - 1, e.column())
        };
        let mut message = e.to_string();
        if let Some(p) = message.rfind(" at line ") {
            message.truncate(p);
        }
        LoadError {
            file: self.name.to_string(),
            line,
            column,
            message: format!("invalid JSON: {message}"),
        }
    }

    fn offset_of(&self, raw: &RawValue) -> usize {
        (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    fn load(&self) -> Result<Vec<Article>, LoadError> {
        let trimmed = self.text.trim_start();
        let start = self.text.len() - trimmed.len();
        match trimmed.as_bytes().first() {
            None => Err(self.err_at(0, "the corpus file is empty")),
            Some(b'[') => {
                let raws: Vec<&RawValue> =
                    serde_json::from_str(self.text).map_err(|e| self.json_err(0, &e))?;
                self.articles_from(raws.into_iter().map(|r| (self.offset_of(r), r.get())))
            }
            Some(b'{') if self.is_json_lines(start) => self.load_lines(),
            Some(b'{') => {
                let corpus: RawCorpus =
                    serde_json::from_str(self.text).map_err(|e| self.json_err(0, &e))?;
                if let Some(v) = corpus.version {
                    let off = self.offset_of(v);
                    match serde_json::from_str::<u64>(v.get()) {
                        Ok(n) if n == u64::from(CORPUS_VERSION) => {}
                        Ok(n) => {
                            return Err(self.err_at(
                                off,
                                format!(
                                    "unsupported corpus version {n} (this folio reads version {CORPUS_VERSION})"
                                ),
                            ))
                        }
                        Err(_) => {
                            return Err(self.err_at(
                                off,
                                format!("the corpus version must be a number, found {}", v.get()),
                            ))
                        }
                    }
                }
                self.articles_from(
                    corpus
                        .articles
                        .into_iter()
                        .map(|r| (self.offset_of(r), r.get())),
                )
            }
            Some(_) => Err(self.err_at(start, not_a_corpus(trimmed.as_bytes()))),
        }
    }

    fn is_json_lines(&self, start: usize) -> bool {
        looks_like_lines(&self.text[start..])
    }

    fn load_lines(&self) -> Result<Vec<Article>, LoadError> {
        let mut items = Vec::new();
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if !content.trim().is_empty() {
                items.push((offset, content));
            }
            offset += line.len();
        }
        self.articles_from(items.into_iter())
    }

    fn articles_from(
        &self,
        items: impl Iterator<Item = (usize, &'a str)>,
    ) -> Result<Vec<Article>, LoadError> {
        let mut out: Vec<Article> = Vec::new();
        let mut offsets: Vec<usize> = Vec::new();
        let mut explicit: Vec<bool> = Vec::new();
        for (n, (offset, raw)) in items.enumerate() {
            let pos = n + 1;
            let a: RawArticle = serde_json::from_str(raw).map_err(|e| {
                let mut err = self.json_err(offset, &e);
                err.message = format!("article {pos}: {}", err.message);
                err
            })?;
            let (article, given) = convert(a, pos).map_err(|e| self.err_at(offset, e))?;
            explicit.push(given);
            out.push(article);
            offsets.push(offset);
        }
        if let Err((i, j)) = finish_ids(&mut out, &explicit) {
            let (l, c) = line_col(self.text, offsets[j]);
            return Err(self.err_at(
                offsets[i],
                format!(
                    "article {} has the id \"{}\", already used by article {} (line {l}, column {c})",
                    i + 1,
                    out[i].id,
                    j + 1
                ),
            ));
        }
        Ok(out)
    }
}

/// An article checked and converted; `explicit` when it came with its own id.
pub(crate) fn convert(a: RawArticle, pos: usize) -> Result<(Article, bool), String> {
    let title = a
        .title
        .map(|t| {
            if t.trim().len() == t.len() {
                t
            } else {
                t.trim().to_string()
            }
        })
        .filter(|t| !t.is_empty())
        .ok_or_else(|| format!("article {pos} has no title"))?;
    let body = match a.body {
        Some(RawBody::Text(t)) => t,
        Some(RawBody::Paragraphs(p)) => p.join("\n\n"),
        None => String::new(),
    };
    if body.trim().is_empty() {
        return Err(format!("article {pos} (\"{title}\") has no body"));
    }
    let date = match a.date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            s.parse::<PartialDate>()
                .map_err(|e| format!("article {pos} (\"{title}\"): bad date {e}"))?,
        ),
    };
    let nonempty = |s: Option<String>| {
        s.map(|x| {
            if x.trim().len() == x.len() {
                x
            } else {
                x.trim().to_string()
            }
        })
        .filter(|x| !x.is_empty())
    };
    let time =
        match nonempty(a.time) {
            None => None,
            Some(t) => Some(normal_time(&t).ok_or_else(|| {
                format!("article {pos} (\"{title}\"): bad time {t:?} (write HH:MM)")
            })?),
        };
    let source = nonempty(a.source);
    let given_id = nonempty(a.id);
    let explicit = given_id.is_some();
    let id = given_id.unwrap_or_else(|| derive_id(&title, source.as_deref(), &body));
    Ok((
        Article {
            id,
            title,
            body,
            date,
            sector: nonempty(a.sector),
            tags: a.tags.unwrap_or_default(),
            entities: a.entities.unwrap_or_default(),
            source,
            url: nonempty(a.url),
            time,
            author: nonempty(a.author),
            feed: nonempty(a.feed),
            feed_url: nonempty(a.feed_url),
            full_text: None,
        },
        explicit,
    ))
}

/// A time of day as `HH:MM` (from `H:MM`, `HH:MM` or `HH:MM:SS`), if it is one.
pub fn normal_time(t: &str) -> Option<String> {
    let mut parts = t.trim().split(':');
    let h: u8 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    if let Some(s) = parts.next() {
        let s: u8 = s.parse().ok()?;
        if s > 60 {
            return None;
        }
    }
    if parts.next().is_some() || h > 23 || m > 59 {
        return None;
    }
    Some(format!("{h:02}:{m:02}"))
}

/// Make ids unique: a repeated explicit id is an error naming both articles (by index);
/// derived ids that collide get a numeric suffix (`-2`, `-3`...), in order.
pub fn finish_ids(out: &mut [Article], explicit: &[bool]) -> Result<(), (usize, usize)> {
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(out.len());
    for i in 0..out.len() {
        if explicit[i] {
            if let Some(&j) = seen.get(&out[i].id) {
                return Err((i, j));
            }
            seen.insert(out[i].id.clone(), i);
        }
    }
    for i in 0..out.len() {
        if !explicit[i] {
            let base = out[i].id.clone();
            let mut id = base.clone();
            let mut k = 2;
            while seen.contains_key(&id) {
                id = format!("{base}-{k}");
                k += 1;
            }
            seen.insert(id.clone(), i);
            out[i].id = id;
        }
    }
    Ok(())
}

/// What to say of a file that is not a corpus, from how it starts: what it looks like, and
/// the command that reads it.
pub fn not_a_corpus(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]).to_ascii_lowercase();
    let what = if text.contains("<rss") || text.contains("<feed") || text.contains("<rdf") {
        "a feed (RSS or Atom)"
    } else if text.trim_start().starts_with('<') {
        "XML or HTML"
    } else if head.iter().take(4096).any(|&b| b == 0) {
        "a binary file"
    } else {
        "plain text"
    };
    format!(
        "not a corpus but {what}: `folio add FILE` reads it into your library, `folio import FILE > corpus.json` makes a corpus of it (a corpus is a JSON object {{\"version\": 1, \"articles\": [...]}}, a JSON array of articles, or JSON Lines)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(s: &str) -> Result<Vec<Article>, LoadError> {
        load_bytes("t.json", s.as_bytes())
    }

    #[test]
    fn reads_the_corpus_object() {
        let a = load(r#"{"version": 1, "articles": [{"id": "x", "title": "T", "body": "B", "date": "2023-06", "sector": "S", "tags": ["a"], "entities": [], "source": null, "url": null}]}"#).expect("loads");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].id, "x");
        assert_eq!(a[0].date.map(|d| d.to_string()).as_deref(), Some("2023-06"));
    }

    #[test]
    fn reads_array_and_json_lines_and_derives_ids() {
        let a = load(r#"[{"title": "One", "body": "b1"}, {"title": "Two", "body": ["p1", "p2"]}]"#)
            .expect("array");
        assert_eq!(a.len(), 2);
        assert!(a[0].id.starts_with("one-"));
        assert_eq!(a[1].body, "p1\n\np2");
        let b = load(
            "{\"title\": \"One\", \"body\": \"b1\"}\n\n{\"title\": \"Two\", \"body\": \"b2\"}\n",
        )
        .expect("jsonl");
        assert_eq!(b.len(), 2);
        assert_eq!(a[0].id, b[0].id, "same article, same id");
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let e = load("{\n  \"version\": 1,\n  \"articles\": [ {\"title\": \"x\",, } ]\n}")
            .expect_err("an error");
        assert_eq!(e.line, 3, "{e}");
        assert!(e.to_string().starts_with("t.json:3:"), "{e}");
        let e = load("{\"title\": \"a\", \"body\": \"b\"}\n{\"title\": \"c\", \"body\": 5}\n")
            .expect_err("an error");
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("article 2"), "{e}");
    }

    #[test]
    fn refuses_bad_articles_with_their_position() {
        let e = load("[\n{\"title\": \"a\", \"body\": \"b\"},\n{\"body\": \"b\"}\n]")
            .expect_err("an error");
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("article 2 has no title"), "{e}");
        let e = load("[{\"title\": \"a\"}]").expect_err("an error");
        assert!(e.message.contains("has no body"), "{e}");
        let e = load("[{\"id\":\"d\",\"title\":\"a\",\"body\":\"b\"},\n{\"id\":\"d\",\"title\":\"c\",\"body\":\"e\"}]").expect_err("an error");
        assert_eq!(e.line, 2);
        assert!(e.message.contains("already used by article 1"), "{e}");
        let e = load("{\"version\": 2, \"articles\": []}").expect_err("an error");
        assert!(e.message.contains("unsupported corpus version 2"), "{e}");
        let e =
            load("[{\"title\":\"a\",\"body\":\"b\",\"date\":\"2021-13\"}]").expect_err("an error");
        assert!(e.message.contains("2021-13"), "{e}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let deep = "[".repeat(100_000);
        for input in [
            "",
            "   ",
            "null",
            "42",
            "\"s\"",
            "[",
            "{",
            "[1,2]",
            "{\"articles\": 5}",
            &deep,
            "{\"version\": \"x\", \"articles\": []}",
            "[{\"title\": 5, \"body\": \"b\"}]",
        ] {
            assert!(load(input).is_err(), "{input:.20} should be refused");
        }
        let e = load_bytes("bin", &[0x7b, 0xff, 0xfe]).expect_err("an error");
        assert!(e.message.contains("UTF-8"));
        assert!(load("[]")
            .expect("empty array is an empty corpus")
            .is_empty());
    }
}
