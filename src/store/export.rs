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
                    lead: Some(a.lead().trim()),
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
            let mut meta = vec![e.date.map_or_else(|| "undated".into(), |d| d.to_string())];
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

/// One bookmark read back from a JSON export (`folio bookmarks import`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Imported {
    pub id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub added: Option<String>,
}

/// Read a JSON export: an array of bookmarks, each with at least an `id`. Errors name the
/// file, line and column.
pub fn read_export(name: &str, text: &str) -> Result<Vec<Imported>, String> {
    let v: Vec<Imported> = serde_json::from_str(text).map_err(|e| {
        let mut msg = e.to_string();
        if let Some(p) = msg.rfind(" at line ") {
            msg.truncate(p);
        }
        format!(
            "{name}:{}:{}: not a bookmarks export ({msg}); expected what `folio bookmarks export --format json` writes",
            e.line(),
            e.column()
        )
    })?;
    if let Some(i) = v.iter().position(|b| b.id.trim().is_empty()) {
        return Err(format!("{name}: bookmark {} has an empty id", i + 1));
    }
    Ok(v)
}

/// What importing one bookmark does to the one already kept, if any: `None` when there is
/// nothing to change. A bookmark is never doubled and a note never lost: an imported note
/// the kept one does not already hold is added below it.
pub fn merge(kept: Option<&Bookmark>, new: &Imported, now: &str) -> Option<Bookmark> {
    match kept {
        None => Some(Bookmark {
            added: new.added.clone().unwrap_or_else(|| now.to_string()),
            title: new.title.clone(),
            note: new.note.clone(),
            updated: None,
        }),
        Some(k) => {
            let note = new.note.trim();
            if note.is_empty() || k.note.contains(note) {
                return None;
            }
            let mut b = k.clone();
            b.note = if k.note.trim().is_empty() {
                note.to_string()
            } else {
                format!("{}\n\n{note}", k.note.trim_end())
            };
            b.updated = Some(now.to_string());
            Some(b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn imp(id: &str, note: &str) -> Imported {
        Imported {
            id: id.into(),
            title: "T".into(),
            note: note.into(),
            added: Some("2025-01-01T00:00:00Z".into()),
        }
    }

    #[test]
    fn merging_never_doubles_nor_loses_a_note() {
        let new = merge(None, &imp("a", "n"), "now").expect("added");
        assert_eq!(new.added, "2025-01-01T00:00:00Z");
        assert_eq!(merge(Some(&new), &imp("a", "n"), "now"), None, "same note");
        assert_eq!(merge(Some(&new), &imp("a", ""), "now"), None, "no note");
        let both = merge(Some(&new), &imp("a", "other"), "now").expect("note added");
        assert_eq!(both.note, "n\n\nother");
        assert_eq!(merge(Some(&both), &imp("a", "other"), "now"), None);
    }

    #[test]
    fn a_bad_export_names_line_and_column() {
        let e = read_export("x.json", "[{\"id\": \"a\"},\n {\"title\": 3}]").expect_err("an error");
        assert!(e.starts_with("x.json:2:"), "{e}");
        assert!(read_export("x.json", "[{\"id\": \" \"}]").is_err());
    }
}
