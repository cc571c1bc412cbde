//! Curation: corrections to imported articles by id, each one visible and reviewable in a
//! JSON file (`assets/curation.json` for the shipped corpus).

use super::error::ImportError;
use crate::corpus::{Article, PartialDate};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub id: String,
    /// Why the correction is right (for the reviewer; not applied).
    #[serde(default)]
    pub why: Option<String>,
    pub title: Option<String>,
    /// A partial date, or "none" to remove the date.
    pub date: Option<String>,
    pub sector: Option<String>,
    pub tags: Option<Vec<String>>,
    pub entities: Option<Vec<String>>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Curation {
    pub version: u32,
    #[serde(default)]
    pub about: Option<String>,
    pub corrections: Vec<Correction>,
}

impl Curation {
    pub fn load(path: &std::path::Path) -> Result<Curation, ImportError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ImportError::unreadable(path, &e))?;
        let c: Curation = serde_json::from_str(&text).map_err(|e| ImportError::json(&name, &e))?;
        if c.version != 1 {
            return Err(ImportError::invalid(
                &name,
                format!("unsupported curation version {}", c.version),
            ));
        }
        for k in &c.corrections {
            if let Some(d) = k.date.as_deref().filter(|d| *d != "none") {
                d.parse::<PartialDate>().map_err(|e| {
                    ImportError::invalid(&name, format!("correction for {}: bad date {e}", k.id))
                })?;
            }
        }
        Ok(c)
    }

    /// Apply the corrections; returns warnings for ids not found.
    pub fn apply(&self, articles: &mut [Article]) -> (usize, Vec<String>) {
        let mut warnings = Vec::new();
        let mut applied = 0;
        for k in &self.corrections {
            let Some(a) = articles.iter_mut().find(|a| a.id == k.id) else {
                warnings.push(format!("curation: no article with id {}", k.id));
                continue;
            };
            applied += 1;
            if let Some(t) = &k.title {
                a.title.clone_from(t);
            }
            if let Some(d) = &k.date {
                a.date = if d == "none" { None } else { d.parse().ok() };
            }
            if let Some(s) = &k.sector {
                a.sector = (s != "none").then(|| s.clone());
            }
            if let Some(t) = &k.tags {
                a.tags.clear();
                for tag in t {
                    let tag = crate::import::infer::canonical_tag(tag);
                    if !a.tags.contains(&tag) {
                        a.tags.push(tag);
                    }
                }
            }
            if let Some(e) = &k.entities {
                a.entities.clone_from(e);
            }
            if let Some(s) = &k.source {
                a.source = (s != "none").then(|| s.clone());
            }
        }
        (applied, warnings)
    }
}
