//! `folio import`: raw text, corpus files and feeds into articles.

pub mod dates;
pub mod raw;

use crate::corpus::id::derive_id;
use crate::corpus::{load_bytes, Article};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Longest title taken from running text, in characters.
pub const TITLE_MAX: usize = 90;

/// What an import run did, printed as its summary.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub files: usize,
    pub articles: usize,
    pub dates_given: usize,
    pub dates_inferred: usize,
    pub sectors_given: usize,
    pub sectors_inferred: usize,
    pub warnings: Vec<String>,
}

impl Report {
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
        for w in &self.warnings {
            s.push_str("warning: ");
            s.push_str(w);
            s.push('\n');
        }
        s
    }
}

/// Files to read for the given paths: files as given, folders walked (sorted) for
/// the extensions folio reads.
pub fn expand_paths(paths: &[PathBuf], report: &mut Report) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(dir) = stack.pop() {
                match std::fs::read_dir(&dir) {
                    Ok(rd) => {
                        for e in rd.flatten() {
                            let path = e.path();
                            if path.is_dir() {
                                stack.push(path);
                            } else if is_importable(&path) {
                                found.push(path);
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

fn is_importable(p: &Path) -> bool {
    matches!(
        p.extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref(),
        Some("txt" | "text" | "md" | "json" | "jsonl" | "ndjson")
    )
}

/// Articles from one raw text file.
pub fn articles_from_text(text: &str) -> Vec<Article> {
    raw::split_text(text)
        .into_iter()
        .map(|d| {
            let body = d.paragraphs.join("\n\n");
            let title = d
                .headline
                .clone()
                .unwrap_or_else(|| raw::title_from_text(&body, TITLE_MAX));
            let id = derive_id(&title, d.source.as_deref(), &body);
            let tags = d
                .categories
                .iter()
                .map(|c| crate::corpus::id::slug(c, 4, 40))
                .filter(|t| !t.is_empty())
                .collect();
            Article {
                id,
                title,
                body,
                date: d.date,
                sector: d.sector,
                tags,
                entities: Vec::new(),
                source: d.source,
                url: None,
            }
        })
        .collect()
}

/// Import every path; problems with one file become warnings and the others still import.
pub fn import_paths(paths: &[PathBuf]) -> (Vec<Article>, Report) {
    let mut report = Report::default();
    let files = expand_paths(paths, &mut report);
    let mut articles: Vec<Article> = Vec::new();
    for f in &files {
        report.files += 1;
        let name = f.display().to_string();
        let bytes = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                report.warnings.push(format!("{name}: cannot read: {e}"));
                continue;
            }
        };
        let ext = f
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .unwrap_or_default();
        let got = if matches!(ext.as_str(), "json" | "jsonl" | "ndjson") {
            match load_bytes(&name, &bytes) {
                Ok(a) => a,
                Err(e) => {
                    report.warnings.push(e.to_string());
                    continue;
                }
            }
        } else {
            match std::str::from_utf8(&bytes) {
                Ok(text) => {
                    let a = articles_from_text(text);
                    if a.is_empty() {
                        report
                            .warnings
                            .push(format!("{name}: no article text found"));
                    }
                    a
                }
                Err(e) => {
                    report.warnings.push(format!(
                        "{name}: not UTF-8 text (invalid byte at offset {})",
                        e.valid_up_to()
                    ));
                    continue;
                }
            }
        };
        for a in &got {
            if a.date.is_some() {
                report.dates_given += 1;
            }
            if a.sector.is_some() {
                report.sectors_given += 1;
            }
        }
        articles.extend(got);
    }
    dedupe_ids(&mut articles);
    report.articles = articles.len();
    (articles, report)
}

/// Give colliding ids a numeric suffix, in order, so every id is unique.
pub fn dedupe_ids(articles: &mut [Article]) {
    let mut seen: HashSet<String> = HashSet::with_capacity(articles.len());
    for a in articles.iter_mut() {
        if !seen.insert(a.id.clone()) {
            let mut k = 2;
            loop {
                let id = format!("{}-{k}", a.id);
                if seen.insert(id.clone()) {
                    a.id = id;
                    break;
                }
                k += 1;
            }
        }
    }
}
