//! Bookmarks as a briefing: Markdown a person can send, or JSON for other tools.

use super::{Bookmark, Data};
use crate::corpus::{Article, PartialDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One bookmark with what the corpus knows of its article.
#[derive(Debug, Clone, Serialize)]
pub struct Entry<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub date: Option<PartialDate>,
    pub sector: Option<&'a str>,
    pub source: Option<&'a str>,
    pub url: Option<&'a str>,
    pub note: &'a str,
    pub added: &'a str,
    pub lead: Option<&'a str>,
    /// False when the article is not in the corpus now loaded (the bookmark is kept).
    pub in_corpus: bool,
}

/// Bookmarks joined with their articles, newest article first (then by title).
pub fn entries<'a>(data: &'a Data, articles: &'a [Article]) -> Vec<Entry<'a>> {
    let by_id: HashMap<&str, &Article> = articles.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut out: Vec<Entry> = data
        .bookmarks
        .iter()
        .map(
            |(id, b): (&String, &Bookmark)| match by_id.get(id.as_str()) {
                Some(a) => Entry {
                    id,
                    title: &a.title,
                    date: a.date,
                    sector: a.sector.as_deref(),
                    source: a.source.as_deref(),
                    url: a.url.as_deref(),
                    note: &b.note,
                    added: &b.added,
                    lead: Some(a.lead()),
                    in_corpus: true,
                },
                None => Entry {
                    id,
                    title: &b.title,
                    date: None,
                    sector: None,
                    source: None,
                    url: None,
                    note: &b.note,
                    added: &b.added,
                    lead: None,
                    in_corpus: false,
                },
            },
        )
        .collect();
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(b.title)));
    out
}

/// A Markdown briefing grouped by sector: title, date, source and link, the note, the lead.
pub fn markdown(entries: &[Entry], corpus_name: &str, today: &str) -> String {
    let mut groups: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        let key = match (e.in_corpus, e.sector) {
            (true, Some(s)) => s,
            (true, None) => "Other",
            (false, _) => "Not in the loaded corpus",
        };
        groups.entry(key).or_default().push(e);
    }
    let clean = |s: &str| crate::text::sanitize(s, true);
    let mut out = format!(
        "# Briefing: {} bookmarked article{}\n\n_{} · {}_\n",
        entries.len(),
        if entries.len() == 1 { "" } else { "s" },
        clean(corpus_name),
        today
    );
    // Sectors in a stable order, the catch-alls last.
    let mut keys: Vec<&str> = groups.keys().copied().collect();
    keys.sort_by_key(|k| (*k == "Other" || *k == "Not in the loaded corpus", *k));
    for k in keys {
        out.push_str(&format!("\n## {}\n", clean(k)));
        for e in &groups[k] {
            out.push_str(&format!("\n### {}\n\n", crate::text::one_line(e.title)));
            let mut meta = vec![e
                .date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "undated".into())];
            if let Some(s) = e.source {
                meta.push(crate::text::one_line(s));
            }
            match e.url {
                Some(u) => meta.push(format!("<{}>", crate::text::one_line(u))),
                None => meta.push(format!("id `{}`", e.id)),
            }
            out.push_str(&meta.join(" · "));
            out.push('\n');
            if !e.note.trim().is_empty() {
                out.push('\n');
                for line in clean(e.note).lines() {
                    out.push_str("> ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
            if let Some(lead) = e.lead {
                out.push('\n');
                out.push_str(&crate::text::one_line(lead));
                out.push('\n');
            }
        }
    }
    out
}
