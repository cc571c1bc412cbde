//! `folio list`, `folio show` and what they print.

use super::{emit, CliError};
use crate::corpus::{Article, Corpus};
use crate::query;
use crate::text;
use std::io::{self, IsTerminal, Write};

/// Where `folio list` spent its time.
#[derive(Debug, Default)]
pub struct Timings {
    pub load: std::time::Duration,
    pub index: std::time::Duration,
    pub search: std::time::Duration,
    /// The first step (titles, tags, entities, filters), when bodies were searched after it.
    pub fields: Option<(std::time::Duration, usize)>,
    pub output: std::time::Duration,
    pub total: std::time::Duration,
    pub hits: usize,
    /// The facet counts (sectors, tags, entities, sources, months) of the results, when
    /// asked for (`Some` going in).
    pub facets: Option<std::time::Duration>,
}

impl Timings {
    pub fn report(&self, articles: usize) -> String {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let step = match self.fields {
            Some((d, n)) => format!(" (titles/tags/entities step {:.1} ms, {n} hits)", ms(d)),
            None => String::new(),
        };
        format!(
            "timings: load {:.1} ms · index {:.1} ms · search+sort {:.1} ms{step} ({} of {} articles){} · output {:.1} ms · total {:.1} ms",
            ms(self.load),
            ms(self.index),
            ms(self.search),
            self.hits,
            articles,
            self.facets
                .map(|d| format!(" · facets {:.1} ms", ms(d)))
                .unwrap_or_default(),
            ms(self.output),
            ms(self.total)
        )
    }
}

pub fn cmd_list(
    corpus: &Corpus,
    q: Option<&str>,
    limit: Option<usize>,
    json: bool,
) -> Result<(), CliError> {
    cmd_list_timed(corpus, q, limit, json, &mut Timings::default())
}

pub fn cmd_list_timed(
    corpus: &Corpus,
    q: Option<&str>,
    limit: Option<usize>,
    json: bool,
    t: &mut Timings,
) -> Result<(), CliError> {
    let parsed = query::parse(q.unwrap_or("")).map_err(|e| CliError(format!("bad query: {e}")))?;
    let t0 = std::time::Instant::now();
    let index = query::Index::build(&corpus.articles);
    t.index = t0.elapsed();
    let t1 = std::time::Instant::now();
    // The saved state matters only to `is:` terms: read it only for them.
    let state = if parsed.clauses.iter().any(|c| c.term.mentions_state()) {
        crate::store::StateView::load_quiet(&corpus.articles)
    } else {
        crate::store::StateView::default()
    };
    let mut first_step = None;
    let mut hits = query::engine::search_in_steps(
        corpus,
        &index,
        &parsed,
        &state,
        None,
        &|| false,
        &mut |h| first_step = Some((t1.elapsed(), h.len())),
    )
    .unwrap_or_default();
    t.fields = first_step;
    t.search = t1.elapsed();
    t.hits = hits.len();
    if t.facets.is_some() {
        let t3 = std::time::Instant::now();
        let f = query::facets::count_indexed(&index, hits.iter().map(|h| h.idx as usize));
        std::hint::black_box(&f);
        t.facets = Some(t3.elapsed());
    }
    let t2 = std::time::Instant::now();
    if let Some(n) = limit {
        hits.truncate(n);
    }
    let arts: Vec<&Article> = hits
        .iter()
        .map(|h| &corpus.articles[h.idx as usize])
        .collect();
    let r = if json {
        let metas: Vec<_> = arts.iter().map(|a| a.meta()).collect();
        let mut s = serde_json::to_string_pretty(&metas).map_err(|e| CliError(e.to_string()))?;
        s.push('\n');
        emit(&s)
    } else {
        // On a terminal, one line per article, the title cut to fit; piped, whole lines.
        let width = std::io::stdout()
            .is_terminal()
            .then(|| crossterm::terminal::size().ok())
            .flatten()
            .map(|(w, _)| usize::from(w));
        emit(&format_list_fit(&arts, width))
    };
    t.output = t2.elapsed();
    r
}

/// Aligned `id  date  sector  title` lines.
pub fn format_list(arts: &[&Article]) -> String {
    format_list_fit(arts, None)
}

/// As `format_list`, each line cut to `width` columns (the title ending in `…`) when given.
pub fn format_list_fit(arts: &[&Article], width: Option<usize>) -> String {
    let idw = arts.iter().map(|a| text::width(&a.id)).max().unwrap_or(0);
    let sectors: Vec<String> = arts
        .iter()
        .map(|a| text::one_line(a.sector.as_deref().unwrap_or("-")))
        .collect();
    let sw = sectors.iter().map(|s| text::width(s)).max().unwrap_or(0);
    let mut s = String::new();
    for (a, sector) in arts.iter().zip(&sectors) {
        let date = a.date.map_or_else(|| "-".into(), |d| d.to_string());
        let line = format!(
            "{}  {}  {}  {}",
            text::pad(&text::one_line(&a.id), idw),
            text::pad(&date, 10),
            text::pad(sector, sw),
            text::one_line(&a.title)
        );
        match width {
            Some(w) if w > 0 => s.push_str(&text::truncate(&line, w.saturating_sub(1))),
            _ => s.push_str(&line),
        }
        s.push('\n');
    }
    s
}

/// Find an article by exact id or unique id prefix; otherwise suggest close ids.
pub fn resolve_id<'a>(corpus: &'a Corpus, id: &str) -> Result<&'a Article, CliError> {
    if let Some(a) = corpus.find(id) {
        return Ok(a);
    }
    let prefixed: Vec<&Article> = corpus
        .articles
        .iter()
        .filter(|a| a.id.starts_with(id))
        .collect();
    if prefixed.len() == 1 && !id.is_empty() {
        return Ok(prefixed[0]);
    }
    // Several start with it: those are the choices (a screenful of them).
    if prefixed.len() > 1 {
        const SHOWN: usize = 20;
        let mut msg = format!(
            "\"{}\" is the start of {} ids; give more of one:",
            text::one_line(id),
            prefixed.len()
        );
        for a in prefixed.iter().take(SHOWN) {
            msg.push_str(&format!(
                "\n  {}  {}",
                text::one_line(&a.id),
                text::truncate(&text::one_line(&a.title), 60)
            ));
        }
        if prefixed.len() > SHOWN {
            msg.push_str(&format!(
                "\n  … and {} more (folio list shows every id)",
                prefixed.len() - SHOWN
            ));
        }
        return Err(CliError(msg));
    }
    let mut scored: Vec<(usize, &str)> = corpus
        .articles
        .iter()
        .map(|a| {
            let d = if a.id.contains(id) && !id.is_empty() {
                0
            } else {
                strsim::levenshtein(&a.id, id).min(
                    strsim::levenshtein(a.id.get(..id.len().min(a.id.len())).unwrap_or(""), id) + 1,
                )
            };
            (d, a.id.as_str())
        })
        .collect();
    scored.sort_unstable();
    let near: Vec<&str> = scored
        .iter()
        .filter(|(d, _)| *d <= (id.chars().count() / 3).max(3))
        .take(5)
        .map(|(_, s)| *s)
        .collect();
    let mut msg = format!("no article with id \"{}\"", text::one_line(id));
    if near.is_empty() {
        msg.push_str(" (folio list shows every id)");
    } else {
        msg.push_str("; did you mean:");
        for n in near {
            msg.push_str("\n  ");
            msg.push_str(n);
        }
    }
    Err(CliError(msg))
}

pub fn cmd_show(corpus: &Corpus, id: &str, json: bool) -> Result<(), CliError> {
    let found = resolve_id(corpus, id)?;
    let full = corpus
        .index_of(&found.id)
        .map(|i| corpus.full_article(i))
        .transpose()
        .map_err(|e| CliError(format!("cannot read the article's text: {e}")))?
        .flatten();
    let a = full.as_ref().unwrap_or(found);
    if json {
        let mut s = serde_json::to_string_pretty(a).map_err(|e| CliError(e.to_string()))?;
        s.push('\n');
        return emit(&s);
    }
    let width = if io::stdout().is_terminal() {
        crossterm::terminal::size().map_or(80, |(w, _)| usize::from(w))
    } else {
        80
    };
    emit(&format_article(a, width.clamp(20, 100)))
}

/// An article as plain text: title, metadata, wrapped paragraphs.
pub fn format_article(a: &Article, width: usize) -> String {
    let mut s = String::new();
    for l in text::wrap(&text::one_line(&a.title), width) {
        s.push_str(&l);
        s.push('\n');
    }
    for l in text::wrap(&a.meta_line(), width) {
        s.push_str(&l);
        s.push('\n');
    }
    s.push_str(&format!("id: {}\n", text::one_line(&a.id)));
    if let Some(u) = &a.url {
        s.push_str(&format!("{}\n", text::one_line(u)));
    }
    // The body as the reader lays it out: lists, quotes, code and tables line by line.
    for l in crate::app::doc::layout(a, width) {
        use crate::app::doc::LineKind;
        if matches!(l.kind, LineKind::Title | LineKind::Meta | LineKind::Link) {
            continue;
        }
        s.push_str(l.text.trim_end());
        s.push('\n');
    }
    s
}

/// `folio export`: the articles (or a query's results, in its order) with their bodies,
/// written as they are read (bodies come from the library one at a time), to a file that
/// appears whole or not at all.
pub fn cmd_export(
    corpus: &Corpus,
    q: Option<&str>,
    format: super::CorpusFormat,
    output: Option<&std::path::Path>,
) -> Result<(), CliError> {
    let order: Vec<usize> = match q {
        None => (0..corpus.articles.len()).collect(),
        Some(q) => {
            let parsed = query::parse(q).map_err(|e| CliError(format!("bad query: {e}")))?;
            let index = query::Index::build(&corpus.articles);
            let state = if parsed.clauses.iter().any(|c| c.term.mentions_state()) {
                crate::store::StateView::load_quiet(&corpus.articles)
            } else {
                crate::store::StateView::default()
            };
            query::engine::search(corpus, &index, &parsed, &state, None)
                .iter()
                .map(|h| h.idx as usize)
                .collect()
        }
    };
    let write =
        |w: &mut dyn io::Write| -> io::Result<()> { write_articles(corpus, &order, format, w) };
    let done = match output {
        Some(p) => crate::store::atomic::write_atomic_with(p, &write)
            .map_err(|e| CliError(format!("cannot write {}: {e}", p.display()))),
        None => {
            let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            match write(&mut out).and_then(|()| out.flush()) {
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(CliError::from),
            }
        }
    };
    done?;
    eprintln!(
        "folio: {} article{}",
        order.len(),
        if order.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

/// Articles `order` of `corpus`, bodies included, as JSON Lines or as a corpus file.
fn write_articles(
    corpus: &Corpus,
    order: &[usize],
    format: super::CorpusFormat,
    w: &mut dyn io::Write,
) -> io::Result<()> {
    let json = matches!(format, super::CorpusFormat::Json);
    if json {
        write!(
            w,
            "{{\n  \"version\": {},\n  \"articles\": [",
            crate::corpus::CORPUS_VERSION
        )?;
    }
    for (k, &i) in order.iter().enumerate() {
        let a = corpus
            .full_article(i)
            .map_err(|e| io::Error::other(e.to_string()))?
            .unwrap_or_default();
        if json {
            let text = serde_json::to_string_pretty(&a).map_err(io::Error::other)?;
            w.write_all(if k == 0 { b"\n" } else { b",\n" })?;
            for (n, line) in text.lines().enumerate() {
                if n > 0 {
                    w.write_all(b"\n")?;
                }
                write!(w, "    {line}")?;
            }
        } else {
            serde_json::to_writer(&mut *w, &a).map_err(io::Error::other)?;
            w.write_all(b"\n")?;
        }
    }
    if json {
        w.write_all(if order.is_empty() {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        })?;
    }
    Ok(())
}
