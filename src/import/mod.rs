//! `folio import`: raw text, JSON, JSON Lines and RSS/Atom feeds into articles, with
//! metadata the input states kept and the gaps filled by inference.

pub mod batched;
pub mod curation;
pub mod datefind;
pub mod dates;
pub mod encoding;
pub mod error;
pub mod feed;
pub mod headline;
pub mod html;
pub mod infer;
pub mod json;
pub mod matcher;
pub mod raw;
pub mod xml;

use crate::corpus::id::{derive_id, slug};
use crate::corpus::{Article, PartialDate};
pub use error::ImportError;
use infer::{DateEvidence, Knowledge, Zones};
use std::path::{Path, PathBuf};

/// Longest article body imported; anything longer is not an article but a dump or an error.
pub const MAX_ARTICLE_BYTES: usize = 8 * 1024 * 1024;

/// Longest title taken from running text, in characters.
pub const TITLE_MAX: usize = 90;

/// An article as read from some input, before inference.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    pub date: Option<PartialDate>,
    /// A date the input stated but that could not be read.
    pub date_text: Option<String>,
    pub sector: Option<String>,
    pub categories: Vec<String>,
    /// Section labels a saved page or dump shows (`Policy & Regulation·…`, `Auto, E-commerce`):
    /// where the site filed the piece, which is evidence for its sector, not a statement of it.
    pub sections: Vec<String>,
    pub tags: Vec<String>,
    pub entities: Vec<String>,
    pub source: Option<String>,
    /// The publisher of the whole file, when it names one (inferred, below a stated source).
    pub publisher: Option<String>,
    pub url: Option<String>,
    pub id: Option<String>,
    /// The time of day it was published, `HH:MM`.
    pub time: Option<String>,
    pub author: Option<String>,
    /// The feed it came from (its title).
    pub feed: Option<String>,
    /// What makes it the same item on every fetch of its feed: its guid, else its link,
    /// else its title and date.
    pub key: Option<String>,
    /// Where it is in its file ("line 12", "item 3").
    pub position: String,
}

/// What an import run did, printed as its summary.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub files: usize,
    pub articles: usize,
    pub dates_given: usize,
    pub dates_inferred: usize,
    pub sectors_given: usize,
    pub sectors_inferred: usize,
    pub curated: usize,
    /// Items skipped and files that could not be read at all.
    pub refused: usize,
    pub warnings: Vec<String>,
    /// With `explain`: one line per article on how its sector was chosen.
    pub explain: Vec<String>,
}

impl Report {
    /// Add what importing one file found.
    fn absorb(&mut self, other: Report) {
        self.dates_given += other.dates_given;
        self.dates_inferred += other.dates_inferred;
        self.sectors_given += other.sectors_given;
        self.sectors_inferred += other.sectors_inferred;
        self.refused += other.refused;
        self.warnings.extend(other.warnings);
        self.explain.extend(other.explain);
    }

    pub fn summary(&self) -> String {
        let undated = self.articles - self.dates_given - self.dates_inferred;
        let unsectored = self.articles - self.sectors_given - self.sectors_inferred;
        let mut s = format!(
            "{} articles from {} files\n  dates:   {} given, {} inferred, {} empty\n  sectors: {} given, {} inferred, {} empty\n",
            self.articles,
            self.files,
            self.dates_given,
            self.dates_inferred,
            undated,
            self.sectors_given,
            self.sectors_inferred,
            unsectored
        );
        if self.curated > 0 {
            s.push_str(&format!(
                "  curation: {} articles corrected\n",
                self.curated
            ));
        }
        for e in &self.explain {
            s.push_str(e);
            s.push('\n');
        }
        for w in &self.warnings {
            s.push_str("warning: ");
            s.push_str(w);
            s.push('\n');
        }
        s
    }
}

/// Options for an import run.
#[derive(Debug, Default, Clone)]
pub struct Options {
    pub taxonomy: Option<PathBuf>,
    pub curation: Option<PathBuf>,
    pub explain: bool,
}

const EXTENSIONS: &[&str] = &[
    "txt", "text", "md", "json", "jsonl", "ndjson", "xml", "rss", "atom",
];

/// Files to read for the given paths: files as given, folders walked (sorted) for the
/// extensions folio reads.
pub fn expand_paths(paths: &[PathBuf], report: &mut Report) -> Vec<PathBuf> {
    let mut out = Vec::new();
    // Each folder and file once, however links lead back to it (`loop -> .`).
    let mut seen_dirs = std::collections::HashSet::new();
    let mut seen_files = std::collections::HashSet::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                if let Ok(real) = std::fs::canonicalize(&dir) {
                    if !seen_dirs.insert(real) {
                        continue;
                    }
                }
                match std::fs::read_dir(&dir) {
                    Ok(rd) => {
                        for e in rd.flatten() {
                            let path = e.path();
                            if path.is_dir() {
                                stack.push(path);
                            } else if ext_of(&path)
                                .is_some_and(|e| EXTENSIONS.contains(&e.as_str()))
                            {
                                let real =
                                    std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                                if seen_files.insert(real) {
                                    found.push(path);
                                }
                            }
                        }
                    }
                    Err(e) => report
                        .warnings
                        .push(format!("{}: cannot read folder: {e}", dir.display())),
                }
            }
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn ext_of(p: &Path) -> Option<String> {
    p.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Incoming articles from raw text; `ordered` when the text is a feed dump, newest first.
pub fn incoming_from_text(text: &str) -> (Vec<Incoming>, bool) {
    let ordered = text.contains("]]>");
    let items = raw::split_text(text)
        .into_iter()
        .map(|d| Incoming {
            title: d.headline,
            paragraphs: d.paragraphs,
            date: d.date,
            date_text: None,
            // Category lines are topics as well as where the site filed the piece.
            tags: d.categories.clone(),
            sections: d.sector.into_iter().chain(d.categories).collect(),
            source: d.source,
            position: format!("line {}", d.line),
            ..Incoming::default()
        })
        .collect();
    (items, ordered)
}

/// Read one file into incoming articles. Problems inside the file are warnings; a file that
/// cannot be read at all is an error.
fn read_file(
    path: &Path,
    k: &Knowledge,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Incoming>, bool), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    parse_bytes(path, &bytes, k, warnings)
}

/// Incoming articles from a file's bytes; `path` decides the format by its extension when
/// the content does not.
fn parse_bytes(
    path: &Path,
    bytes: &[u8],
    k: &Knowledge,
    warnings: &mut Vec<String>,
) -> Result<(Vec<Incoming>, bool), String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".into());
    }
    let ext = ext_of(path).unwrap_or_default();
    if matches!(ext.as_str(), "xml" | "rss" | "atom") || feed::looks_like_feed(bytes) {
        return feed::parse_feed(bytes).map(|v| (v, false));
    }
    if bytes.contains(&0) {
        return Err("not text: it holds NUL bytes (a binary file?)".into());
    }
    // Text in another encoding (Latin-1, Windows-1252, …) is read in it, saying which.
    let decoded;
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (enc, by_bom) = match encoding_rs::Encoding::for_bom(bytes) {
                Some((enc, _)) => (enc, true),
                None => {
                    let mut det =
                        chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
                    det.feed(bytes, true);
                    (det.guess(None, chardetng::Utf8Detection::Deny), false)
                }
            };
            let (t, _, bad) = enc.decode(bytes);
            if bad && !by_bom {
                let good = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
                let (l, c) = crate::corpus::load::line_col(good, good.len());
                return Err(format!(
                    "line {l}, column {c}: not text in UTF-8 or any encoding folio can tell (a binary file?)"
                ));
            }
            warnings.push(format!("not UTF-8: read as {}", enc.name()));
            decoded = t.into_owned();
            decoded.as_str()
        }
    };
    if text.contains('\0') {
        return Err("not text: it holds NUL bytes (a binary file?)".into());
    }
    let first = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .next();
    if matches!(ext.as_str(), "json" | "jsonl" | "ndjson") || matches!(first, Some('[' | '{')) {
        let (items, problems) = json::parse_json_items(text)?;
        warnings.extend(problems);
        return Ok((items, false));
    }
    // A line longer than any article is not article text: leave it out, saying where.
    if text.len() > MAX_ARTICLE_BYTES {
        let mut kept = String::with_capacity(text.len().min(64 * 1024 * 1024));
        let mut cuts = Vec::new();
        for (n, line) in text.split_inclusive('\n').enumerate() {
            if line.len() > MAX_ARTICLE_BYTES {
                cuts.push(n + 1);
                warnings.push(format!(
                    "line {}: {:.1} MB in one line, longer than any article ({} MB); left out",
                    n + 1,
                    line.len() as f64 / 1_048_576.0,
                    MAX_ARTICLE_BYTES / 1_048_576
                ));
                kept.push('\n');
            } else {
                kept.push_str(line);
            }
        }
        let (mut items, ordered) = with_publisher(incoming_from_text(&kept), k, &kept);
        if !cuts.is_empty() {
            // What is left of the article a line was cut from may be no article at all: a
            // headline, a caption. Such a remnant is not imported as if it were one (other
            // articles of the file, short or not, are).
            let starts: Vec<usize> = items
                .iter()
                .map(|it| {
                    it.position
                        .strip_prefix("line ")
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(0)
                })
                .collect();
            let cut_from: Vec<usize> = cuts
                .iter()
                .filter_map(|&c| starts.iter().rposition(|&s| s <= c).or(Some(0)))
                .collect();
            let before = items.len();
            let mut i = 0;
            items.retain(|it| {
                let words: usize = it
                    .paragraphs
                    .iter()
                    .map(|p| p.split_whitespace().count())
                    .sum();
                let keep = !cut_from.contains(&i) || it.paragraphs.len() > 1 || words >= 25;
                i += 1;
                keep
            });
            if items.len() < before {
                warnings.push(format!(
                    "{} article{} left with no text but a line or two once the long line{} \
                     went: not imported",
                    before - items.len(),
                    if before - items.len() == 1 { "" } else { "s" },
                    if cuts.len() == 1 { "" } else { "s" },
                ));
            }
        }
        return Ok((items, ordered));
    }
    Ok(with_publisher(incoming_from_text(text), k, text))
}

/// Give a text file's articles the publisher the whole file names, if any.
fn with_publisher(
    (mut items, ordered): (Vec<Incoming>, bool),
    k: &Knowledge,
    text: &str,
) -> (Vec<Incoming>, bool) {
    if let Some(p) = k.publisher_of_text(text) {
        for it in &mut items {
            it.publisher = Some(p.clone());
        }
    }
    (items, ordered)
}

fn dedup_push(v: &mut Vec<String>, x: String) {
    if !x.is_empty() && !v.iter().any(|y| y.eq_ignore_ascii_case(&x)) {
        v.push(x);
    }
}

/// Turn one file's incoming articles into articles: stated metadata kept, gaps inferred.
fn finish(
    file: &str,
    items: Vec<Incoming>,
    ordered: bool,
    k: &Knowledge,
    explain: bool,
    report: &mut Report,
) -> (Vec<Article>, Vec<Option<String>>) {
    let mut evidence = Vec::new();
    let mut kept = Vec::new();
    for mut it in items {
        let size: usize = it.paragraphs.iter().map(String::len).sum();
        if size > MAX_ARTICLE_BYTES {
            report.warnings.push(format!(
                "{file}: {}: {:.1} MB of text, longer than any article; skipped",
                it.position,
                size as f64 / 1_048_576.0
            ));
            report.refused += 1;
            continue;
        }
        // What a corpus file cannot hold: a blank title or blank text.
        it.title = it
            .title
            .take()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty());
        it.paragraphs.retain(|p| !p.trim().is_empty());
        if it.paragraphs.is_empty() {
            if let Some(t) = &it.title {
                it.paragraphs.push(t.clone());
            } else {
                report.warnings.push(format!(
                    "{file}: {}: no title and no text; skipped",
                    it.position
                ));
                report.refused += 1;
                continue;
            }
        }
        if let Some(d) = &it.date_text {
            report.warnings.push(format!(
                "{file}: {}: cannot read the date {:?}; inferring one",
                it.position, d
            ));
        }
        let mut title = it
            .title
            .clone()
            .unwrap_or_else(|| headline::from_paragraphs(&it.paragraphs, TITLE_MAX));
        if title.trim().is_empty() {
            // No words to make a headline of: the text's opening as it stands.
            title = raw::title_from_text(&it.paragraphs.join("\n\n"), TITLE_MAX)
                .trim()
                .to_string();
        }
        if title.is_empty() {
            report.warnings.push(format!(
                "{file}: {}: nothing to title it with; skipped",
                it.position
            ));
            report.refused += 1;
            continue;
        }
        // A stated date needs no evidence, unless neighbours' dates are inferred from it.
        evidence.push(if it.date.is_some() && !ordered {
            DateEvidence::default()
        } else {
            DateEvidence::of(&title, &it.paragraphs)
        });
        kept.push((it, title));
    }
    let inferred_dates = if ordered {
        infer::dates_in_order(&evidence)
    } else {
        evidence.iter().map(DateEvidence::estimate).collect()
    };
    // A feed is read as a whole: the taxonomy is about one field of news, and a feed about
    // something else (a homelab forum, a general tech blog) gets no inferred sector at all
    // rather than a wrong one from an incidental word. A feed is on topic when most of its
    // items carry the evidence on their own.
    let from_feed = kept
        .iter()
        .any(|(it, _)| it.feed.is_some() || it.key.is_some());
    let on_topic = !from_feed || {
        let strong = kept
            .iter()
            .filter(|(it, title)| {
                let z = Zones::new(title, &it.paragraphs);
                k.infer_sector(&z, None).is_some()
            })
            .count();
        strong * 2 >= kept.len() && strong > 0
    };
    let mut out = Vec::new();
    let mut keys = Vec::new();
    for ((it, title), guess) in kept.into_iter().zip(inferred_dates) {
        let zones = Zones::new(&title, &it.paragraphs);
        let body = it.paragraphs.join("\n\n");
        let date = if let Some(d) = it.date {
            report.dates_given += 1;
            Some(d)
        } else {
            if guess.is_some() {
                report.dates_inferred += 1;
            }
            guess
        };
        let stated_sector = it
            .sector
            .iter()
            .chain(it.categories.iter())
            .find_map(|s| k.sector_named(s));
        let section = it.sections.iter().find_map(|s| k.sector_named(s));
        if explain {
            let scores = k.sector_scores(&zones, section.as_deref());
            let top: Vec<String> = scores
                .iter()
                .take(3)
                .map(|(n, v)| format!("{n} {v:.1}"))
                .collect();
            report.explain.push(format!(
                "{file}: {}: {title:?}\n    stated or shown: {:?} · scores: {}",
                it.position,
                it.sector
                    .iter()
                    .chain(&it.categories)
                    .chain(&it.sections)
                    .collect::<Vec<_>>(),
                top.join(" · ")
            ));
        }
        let sector = if let Some(s) = stated_sector {
            report.sectors_given += 1;
            Some(s)
        } else if on_topic {
            let s = k.infer_sector(&zones, section.as_deref());
            if s.is_some() {
                report.sectors_inferred += 1;
            }
            s
        } else {
            None
        };
        let mut tags = Vec::new();
        for t in it.tags.iter().chain(&it.categories) {
            dedup_push(&mut tags, infer::canonical_tag(&slug(t, 4, 40)));
        }
        for t in k.infer_tags(&zones) {
            dedup_push(&mut tags, t);
        }
        let mut entities = it.entities.clone();
        if entities.is_empty() {
            entities = k.infer_entities(&zones);
        }
        // The id hashes only what the input states, so better inference never changes it:
        // without a stated headline, its slug comes from the opening words as they stand.
        let id = it
            .id
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| {
                let slug_from = match &it.title {
                    Some(t) => t.clone(),
                    None => raw::title_from_text(&it.paragraphs.join("\n\n"), TITLE_MAX),
                };
                derive_id(&slug_from, it.source.as_deref(), &body)
            });
        let source = it
            .source
            .clone()
            .or_else(|| k.infer_source(&it.paragraphs))
            .or_else(|| it.publisher.clone());
        out.push(Article {
            id,
            title,
            body,
            date,
            sector,
            tags,
            entities,
            source,
            url: it.url,
            time: it.time,
            author: it.author,
            feed: it.feed,
            feed_url: None,
            full_text: None,
        });
        keys.push(it.key);
    }
    (out, keys)
}

/// Import every path; problems with one file become warnings and the others still import.
pub fn import_paths(
    paths: &[PathBuf],
    opts: &Options,
) -> Result<(Vec<Article>, Report), ImportError> {
    let knowledge = match &opts.taxonomy {
        Some(p) => Knowledge::with_taxonomy_file(p)?,
        None => Knowledge::builtin()?,
    };
    let curation = match &opts.curation {
        Some(p) => Some(curation::Curation::load(p)?),
        None => None,
    };
    let mut report = Report::default();
    let files = expand_paths(paths, &mut report);
    let mut articles: Vec<Article> = Vec::new();
    for f in &files {
        report.files += 1;
        // A panic reading one file (in folio or a library it uses) costs that file only: it
        // is reported as that file's error, and the other files import.
        let one = import_caught(f, &knowledge, opts);
        match one {
            Ok((got, part)) => {
                articles.extend(got);
                report.absorb(part);
            }
            Err(p) => {
                report.warnings.push(format!(
                    "{}: could not be read ({p}); nothing of it was imported",
                    f.display()
                ));
                report.refused += 1;
            }
        }
    }
    Ok(finish_all(articles, curation, report))
}

/// Import one file's bytes as if read from `name` (its extension picks the format when the
/// content does not): what `folio import` does with a file, without the disk.
pub fn import_bytes(
    name: &Path,
    bytes: &[u8],
    opts: &Options,
) -> Result<(Vec<Article>, Report), ImportError> {
    import_bytes_keyed(name, bytes, opts).map(|(a, _, r)| (a, r))
}

/// Articles, each one's key in its feed by the same position, and the report.
pub type Keyed = (Vec<Article>, Vec<Option<String>>, Report);

/// As `import_bytes`, with each article's key in its feed (its guid, else its link, else its
/// title and date), by the same position: what a subscription's fetch imports.
pub fn import_bytes_keyed(name: &Path, bytes: &[u8], opts: &Options) -> Result<Keyed, ImportError> {
    let knowledge = Knowledge::builtin()?;
    let mut report = Report {
        files: 1,
        ..Report::default()
    };
    let mut articles = Vec::new();
    let mut warnings = Vec::new();
    let read = parse_bytes(name, bytes, &knowledge, &mut warnings);
    let keys = import_one(
        name,
        read,
        warnings,
        &knowledge,
        opts,
        &mut articles,
        &mut report,
    );
    let (articles, report) = finish_all(articles, None, report);
    Ok((articles, keys, report))
}

/// A feed as a subscription fetched it: its title, and its items imported as `folio add`
/// would (the same inference), each with its key in the feed. Bytes that are not a feed
/// are an error saying why.
pub fn import_feed(
    name: &str,
    bytes: &[u8],
    opts: &Options,
) -> Result<(Option<String>, Keyed), ImportError> {
    let knowledge = Knowledge::builtin()?;
    let (title, items) = feed::read_feed_at(bytes, name.contains("://").then_some(name))
        .map(|(t, i, _)| (t, i))
        .map_err(|why| ImportError::invalid(name, why))?;
    let mut report = Report {
        files: 1,
        ..Report::default()
    };
    let mut articles = Vec::new();
    let keys = import_one(
        Path::new(name),
        Ok((items, false)),
        Vec::new(),
        &knowledge,
        opts,
        &mut articles,
        &mut report,
    );
    // An empty feed is no warning here.
    report
        .warnings
        .retain(|w| !w.ends_with("no articles found"));
    let (articles, report) = finish_all(articles, None, report);
    Ok((title, (articles, keys, report)))
}

/// Add one file's articles (or its problem, as a warning) to the run; returns their keys.
/// Import one file, a panic inside (folio's or a library's) caught as that file's error:
/// its articles and its part of the report.
pub(super) fn import_caught(
    f: &Path,
    knowledge: &Knowledge,
    opts: &Options,
) -> Result<(Vec<Article>, Report), String> {
    crate::guard::catch(|| {
        let mut warnings = Vec::new();
        let read = read_file(f, knowledge, &mut warnings);
        let mut got = Vec::new();
        let mut part = Report::default();
        import_one(f, read, warnings, knowledge, opts, &mut got, &mut part);
        (got, part)
    })
}

fn import_one(
    path: &Path,
    read: Result<(Vec<Incoming>, bool), String>,
    warnings: Vec<String>,
    knowledge: &Knowledge,
    opts: &Options,
    articles: &mut Vec<Article>,
    report: &mut Report,
) -> Vec<Option<String>> {
    let name = path.display().to_string();
    match read {
        Ok((items, ordered)) => {
            for w in warnings {
                report.warnings.push(format!("{name}: {w}"));
            }
            if items.is_empty() {
                report.warnings.push(format!("{name}: no articles found"));
            }
            let (got, keys) = finish(&name, items, ordered, knowledge, opts.explain, report);
            articles.extend(got);
            keys
        }
        Err(e) => {
            report.warnings.push(format!("{name}: {e}"));
            report.refused += 1;
            Vec::new()
        }
    }
}

/// Unique ids, then the curation, then the count.
fn finish_all(
    mut articles: Vec<Article>,
    curation: Option<curation::Curation>,
    mut report: Report,
) -> (Vec<Article>, Report) {
    dedupe_ids(&mut articles);
    if let Some(c) = curation {
        let (n, w) = c.apply(&mut articles);
        report.curated = n;
        report.warnings.extend(w);
    }
    report.articles = articles.len();
    (articles, report)
}

/// Give colliding ids a numeric suffix, in order, so every id is unique.
pub fn dedupe_ids(articles: &mut [Article]) {
    // None of them is explicit, so this never fails.
    let _ = crate::corpus::load::finish_ids(articles, &vec![false; articles.len()]);
}
