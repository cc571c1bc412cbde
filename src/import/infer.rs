//! Metadata inference: sectors from the taxonomy, tags and entities from the vocabulary,
//! sources named in the text, and publication dates from what the text says.

use super::datefind::{mentions, Mention};
use super::error::ImportError;
use super::matcher::{tokenize, Matcher, Tokens};
use crate::corpus::PartialDate;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

pub const DEFAULT_TAXONOMY: &str = include_str!("../../assets/taxonomy.json");
pub const DEFAULT_VOCAB: &str = include_str!("../../assets/vocab.json");

#[derive(Debug, Clone, Deserialize)]
pub struct SectorDef {
    pub name: String,
    #[serde(default = "one")]
    pub factor: f64,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub terms: BTreeMap<String, f64>,
}

fn default_section_weight() -> f64 {
    15.0
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize)]
pub struct Taxonomy {
    pub version: u32,
    #[serde(default)]
    pub min_score: f64,
    #[serde(default)]
    pub min_margin: f64,
    /// Added to the score of the sector a page files the piece under (its section label).
    #[serde(default = "default_section_weight")]
    pub section_weight: f64,
    pub sectors: Vec<SectorDef>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Vocab {
    pub version: u32,
    pub tags: BTreeMap<String, Vec<String>>,
    pub entities: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub sites: Vec<String>,
}

fn parse_json<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> Result<T, ImportError> {
    serde_json::from_str(text).map_err(|e| ImportError::json(name, &e))
}

/// The text of an article split into the zones that weigh differently.
pub struct Zones {
    pub title: Tokens,
    pub lead: Tokens,
    pub rest: Tokens,
}

/// Inference reads at most this much of an article's text (news leads with what matters).
const INFER_BYTES: usize = 64 * 1024;

fn head(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

impl Zones {
    pub fn new(title: &str, paragraphs: &[String]) -> Zones {
        let lead = head(paragraphs.first().map_or("", String::as_str), INFER_BYTES);
        let mut rest = String::new();
        for p in paragraphs.iter().skip(1) {
            if rest.len() >= INFER_BYTES {
                break;
            }
            rest.push_str(head(p, INFER_BYTES));
            rest.push('\n');
        }
        Zones {
            title: tokenize(title),
            lead: tokenize(lead),
            rest: tokenize(&rest),
        }
    }
}

/// Weighted hits: title ×3, lead ×2, the rest with diminishing returns.
fn weigh(t: usize, l: usize, r: usize) -> f64 {
    let r = r as f64;
    let rest = if r <= 3.0 { r } else { 3.0 + (r - 3.0).sqrt() };
    3.0 * t as f64 + 2.0 * l as f64 + rest
}

/// Per-term (title, lead, rest) hit counts, by term.
fn zone_hits(m: &Matcher, z: &Zones) -> Vec<(usize, (usize, usize, usize))> {
    let mut out: crate::text::FxMap<usize, (usize, usize, usize)> = crate::text::FxMap::default();
    for (k, v) in m.count(&z.title) {
        out.entry(k).or_default().0 += v;
    }
    for (k, v) in m.count(&z.lead) {
        out.entry(k).or_default().1 += v;
    }
    for (k, v) in m.count(&z.rest) {
        out.entry(k).or_default().2 += v;
    }
    // In term order, so sums come out the same every run.
    let mut v: Vec<_> = out.into_iter().collect();
    v.sort_unstable_by_key(|&(k, _)| k);
    v
}

/// Words whose final `s` is not a plural's (or whose plural is a concept of its own).
const NOT_PLURAL: &[&str] = &[
    "news",
    "two-sessions",
    "series",
    "species",
    "means",
    "lens",
    "chaos",
    "siemens",
    "mercedes",
    "jobs",
    "securities",
    "sales",
    "earnings",
    "esports",
    "sports",
    "analytics",
    "economics",
    "politics",
    "logistics",
    "ethics",
    "physics",
    "graphics",
    "robotics",
    "electronics",
    "movies",
    "cookies",
    "aws",
    "ios",
    "macos",
    "ipados",
    "watchos",
    "tvos",
    "kudos",
    "ethos",
    "cosmos",
    "dns",
    "sms",
    "gps",
    "saas",
    "paas",
    "iaas",
];

/// One word's singular form, by the common English rules (`batteries` → `battery`,
/// `taxes` → `tax`, `autos` → `auto`); words that only look plural stay.
fn singular_word(w: &str) -> String {
    let n = w.chars().count();
    if n < 4 || !w.ends_with('s') || NOT_PLURAL.contains(&w) {
        return w.to_string();
    }
    for keep in ["ss", "us", "is", "ics", "ws"] {
        if w.ends_with(keep) {
            return w.to_string();
        }
    }
    if let Some(stem) = w.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for es in ["sses", "xes", "ches", "shes"] {
        if w.ends_with(es) {
            return w[..w.len() - 2].to_string();
        }
    }
    w[..w.len() - 1].to_string()
}

/// A tag's singular form: that of its last word (`data-centers` → `data-center`).
fn singular_tag(t: &str) -> String {
    if NOT_PLURAL.contains(&t) {
        return t.to_string();
    }
    match t.rsplit_once('-') {
        Some((head, last)) => format!("{head}-{}", singular_word(last)),
        None => singular_word(t),
    }
}

/// One concept, one tag: a tag in lower case, as the vocabulary names it when it names it in
/// the singular or the plural (`Auto`, `auto` and `autos` are all `autos`), else in the
/// singular (`Layoffs` → `layoff`). Stated tags and curated ones go through this on import.
pub fn canonical_tag(tag: &str) -> String {
    static NAMES: std::sync::OnceLock<std::collections::HashMap<String, String>> =
        std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| {
        serde_json::from_str::<Vocab>(DEFAULT_VOCAB)
            .map(|v| {
                v.tags
                    .keys()
                    .map(|name| (singular_tag(name), name.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });
    let lower = tag.trim().trim_start_matches('#').to_lowercase();
    let one = singular_tag(&lower);
    if let Some(name) = names.get(&one) {
        return name.clone();
    }
    // Short plurals the rules leave alone (`evs`), when the vocabulary has the singular.
    if let Some(name) = lower.strip_suffix('s').and_then(|s| names.get(s)) {
        return name.clone();
    }
    one
}

/// Everything inference knows: the taxonomy and the vocabulary, compiled.
pub struct Knowledge {
    pub taxonomy: Taxonomy,
    sector_terms: Matcher,
    weights: Vec<f64>,
    tag_names: Vec<String>,
    tags: Matcher,
    entity_names: Vec<String>,
    entities: Matcher,
    sites: Vec<String>,
}

impl Knowledge {
    /// The taxonomy and vocabulary shipped in assets/.
    pub fn builtin() -> Result<Knowledge, ImportError> {
        Knowledge::new(
            parse_json("assets/taxonomy.json", DEFAULT_TAXONOMY)?,
            parse_json("assets/vocab.json", DEFAULT_VOCAB)?,
        )
        .map_err(|e| ImportError::invalid("assets/taxonomy.json", e))
    }

    /// A user's taxonomy file with the shipped vocabulary.
    pub fn with_taxonomy_file(path: &std::path::Path) -> Result<Knowledge, ImportError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ImportError::unreadable(path, &e))?;
        let tax: Taxonomy = parse_json(&name, &text)?;
        Knowledge::new(tax, parse_json("assets/vocab.json", DEFAULT_VOCAB)?)
            .map_err(|e| ImportError::invalid(&name, e))
    }

    pub fn new(taxonomy: Taxonomy, vocab: Vocab) -> Result<Knowledge, String> {
        if taxonomy.version != 1 {
            return Err(format!(
                "unsupported taxonomy version {} (this folio reads version 1)",
                taxonomy.version
            ));
        }
        if taxonomy.sectors.is_empty() {
            return Err("the taxonomy has no sectors".into());
        }
        let mut sector_terms = Matcher::default();
        let mut weights = Vec::new();
        for (si, s) in taxonomy.sectors.iter().enumerate() {
            for (term, w) in &s.terms {
                sector_terms.add(term, si);
                weights.push(*w);
            }
        }
        let mut tags = Matcher::default();
        let mut tag_names = Vec::new();
        for (ti, (name, aliases)) in vocab.tags.iter().enumerate() {
            tag_names.push(name.clone());
            for a in aliases {
                tags.add(a, ti);
            }
        }
        let mut entities = Matcher::default();
        let mut entity_names = Vec::new();
        for (ei, (name, aliases)) in vocab.entities.iter().enumerate() {
            entity_names.push(name.clone());
            entities.add(name, ei);
            for a in aliases {
                entities.add(a, ei);
            }
        }
        Ok(Knowledge {
            taxonomy,
            sector_terms,
            weights,
            tag_names,
            tags,
            entity_names,
            entities,
            sites: vocab.sites,
        })
    }

    /// The taxonomy's sector for a stated sector or category name (exact name or alias).
    pub fn sector_named(&self, stated: &str) -> Option<String> {
        let s = stated.trim().to_lowercase();
        self.taxonomy
            .sectors
            .iter()
            .find(|d| d.name.to_lowercase() == s || d.aliases.iter().any(|a| a.to_lowercase() == s))
            .map(|d| d.name.clone())
    }

    /// Scores per sector, best first.
    pub fn sector_scores(&self, z: &Zones, section: Option<&str>) -> Vec<(String, f64)> {
        let mut scores = vec![0.0; self.taxonomy.sectors.len()];
        for (term, (t, l, r)) in zone_hits(&self.sector_terms, z) {
            let si = self.sector_terms.payload(term);
            scores[si] += self.weights[term] * weigh(t, l, r);
        }
        let mut out: Vec<(String, f64)> = self
            .taxonomy
            .sectors
            .iter()
            .zip(scores)
            .map(|(d, s)| {
                let shown = if section == Some(d.name.as_str()) {
                    self.taxonomy.section_weight
                } else {
                    0.0
                };
                (d.name.clone(), s * d.factor + shown)
            })
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }

    /// The primary sector, or none when the evidence is thin or split.
    pub fn infer_sector(&self, z: &Zones, section: Option<&str>) -> Option<String> {
        let scores = self.sector_scores(z, section);
        let best = scores.first()?;
        let second = scores.get(1).map_or(0.0, |s| s.1);
        (best.1 >= self.taxonomy.min_score && best.1 - second >= self.taxonomy.min_margin)
            .then(|| best.0.clone())
    }

    /// Topic tags: two hits, or one in the title or lead; at most six, strongest first.
    pub fn infer_tags(&self, z: &Zones) -> Vec<String> {
        let mut per_tag: HashMap<usize, f64> = HashMap::new();
        for (term, (t, l, r)) in zone_hits(&self.tags, z) {
            *per_tag.entry(self.tags.payload(term)).or_default() += weigh(t, l, r);
        }
        let mut v: Vec<(usize, f64)> = per_tag.into_iter().filter(|(_, s)| *s >= 2.0).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter()
            .take(6)
            .map(|(i, _)| self.tag_names[i].clone())
            .collect()
    }

    /// Entities named, most mentioned first, at most ten.
    pub fn infer_entities(&self, z: &Zones) -> Vec<String> {
        let mut per: HashMap<usize, f64> = HashMap::new();
        for (term, (t, l, r)) in zone_hits(&self.entities, z) {
            *per.entry(self.entities.payload(term)).or_default() += weigh(t, l, r);
        }
        let mut v: Vec<(usize, f64)> = per.into_iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter()
            .take(10)
            .map(|(i, _)| self.entity_names[i].clone())
            .collect()
    }

    /// The publisher of a whole file (a feed dump, a saved page): the name that people
    /// talk *to* and that speaks of itself across its items ("experts told `TechNode`",
    /// "`TechNode` selected", "keep checking `TechNode`", "In TechNode’s ... column"), or the
    /// site its own images are served from when the text names it too
    /// (`asset.coinness.com` and "`CoinNess`"). A known site needs one such mention; any
    /// other name needs two. Linear in the text, whatever it holds.
    pub fn publisher_of_text(&self, text: &str) -> Option<String> {
        let mut score: HashMap<String, usize> = HashMap::new();
        // "told X": X is the publication spoken to (a few capitalised words, in one sentence).
        for (i, _) in text.match_indices("told ") {
            let at_word = text[..i]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if !at_word {
                continue; // "untold", "foretold"
            }
            let mut end = (i + 5 + 64).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            let mut words: Vec<&str> = Vec::new();
            for w in text[i + 5..end].split(' ') {
                let clean = w.trim_end_matches([',', ';', ':', '.', '’', '\'', ')', '"', '”']);
                let capital = clean.chars().next().is_some_and(char::is_uppercase);
                // "Rest of World", "The Wall Street Journal": small words inside a name.
                let joiner = !words.is_empty() && matches!(clean, "of" | "the" | "and" | "for");
                if clean.is_empty()
                    || !(capital || joiner)
                    || !clean
                        .chars()
                        .all(|c| c.is_alphanumeric() || c == '-' || c == '.')
                {
                    break;
                }
                words.push(clean);
                // A sentence or clause ends here.
                if w.len() != clean.len() || words.len() == 5 {
                    break;
                }
            }
            while words
                .last()
                .is_some_and(|w| !w.chars().next().is_some_and(char::is_uppercase))
            {
                words.pop();
            }
            let name = words.join(" ");
            if name.is_empty() || is_pronoun_like(&name) {
                continue;
            }
            *score.entry(name).or_default() += 1;
        }
        // A known site speaking of itself: one pass over the text for all the names.
        if let Ok(ac) = aho_corasick::AhoCorasick::new(&self.sites) {
            for m in ac.find_iter(text) {
                let site = &self.sites[m.pattern().as_usize()];
                let before = &text[..m.start()];
                let after = &text[m.end()..];
                let cue_before = ["told ", "checking ", "In "]
                    .iter()
                    .any(|c| before.ends_with(c));
                let cue_after = [
                    " selected",
                    " highlights",
                    " examined",
                    " has ",
                    " brings",
                    " recently reported",
                    "’s weekly",
                    "'s weekly",
                ]
                .iter()
                .any(|c| after.starts_with(c))
                    || (before.ends_with("In ")
                        && (after.starts_with("’s") || after.starts_with("'s")));
                if cue_before || cue_after {
                    // A known site counts double: one mention is enough.
                    *score.entry(site.clone()).or_default() += 2;
                }
            }
        }
        // Its own images: the hosts of image and asset links, each looked at once.
        let mut hosts: Vec<String> = Vec::new();
        for word in text.split_whitespace() {
            let w = word.trim_matches(|c: char| matches!(c, '(' | ')' | '<' | '>' | '"' | ','));
            let lower = w.to_ascii_lowercase();
            let Some(rest) = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"))
            else {
                continue;
            };
            let host = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
            let path = rest[host.len()..].split(['?', '#']).next().unwrap_or("");
            let asset = [".webp", ".jpg", ".jpeg", ".png", ".gif", ".avif", ".svg"]
                .iter()
                .any(|e| path.ends_with(e))
                || [
                    "asset.", "assets.", "cdn.", "img.", "images.", "static.", "media.",
                ]
                .iter()
                .any(|p| host.starts_with(p));
            if !asset {
                continue;
            }
            if let Some(label) = site_label(host) {
                if hosts.len() < 50 && !hosts.contains(&label) {
                    hosts.push(label);
                }
            }
        }
        if !hosts.is_empty() {
            // How the text spells each host's name, found in one pass over its words.
            let mut spelled: HashMap<String, String> = HashMap::new();
            for w in text.split(|c: char| !c.is_alphanumeric()) {
                if w.len() < 3 || !w.chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                let l = w.to_lowercase();
                if hosts.contains(&l) && !spelled.contains_key(&l) {
                    spelled.insert(l, w.to_string());
                }
            }
            for h in &hosts {
                let known = self
                    .sites
                    .iter()
                    .find(|s| s.to_lowercase().replace(' ', "") == *h);
                match (known, spelled.get(h)) {
                    // The host and the text name the same site: that is enough.
                    (Some(k), _) => *score.entry(k.clone()).or_default() += 2,
                    (None, Some(name)) => *score.entry(name.clone()).or_default() += 2,
                    (None, None) => {}
                }
            }
        }
        score
            .into_iter()
            .filter(|(_, n)| *n >= 2)
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(name, _)| name)
    }

    /// A publisher the text names as itself ("`TechNode` selected past reports", "`TechNode` has").
    pub fn infer_source(&self, paragraphs: &[String]) -> Option<String> {
        for p in paragraphs {
            for site in &self.sites {
                for verb in [
                    " selected",
                    " has a selection",
                    "’s weekly",
                    "'s weekly",
                    " brings you",
                ] {
                    let pat = format!("{site}{verb}");
                    if let Some(pos) = p.find(&pat) {
                        // Not a citation in parentheses.
                        if !p[..pos].ends_with('(') {
                            return Some(site.clone());
                        }
                    }
                }
            }
        }
        None
    }
}

/// What a text says about when it was written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DateEvidence {
    /// Dates with a year (day or month precision), in order of mention.
    pub full: Vec<PartialDate>,
    /// Month-day mentions without a year, in order.
    pub month_days: Vec<(u8, u8)>,
    /// Month-day mentions in the title and lead.
    pub lead_month_days: Vec<(u8, u8)>,
    /// The end of a "week of ... to ..." range.
    pub week_end: Option<(u8, u8)>,
    /// Bare years written as past or present (not "by 2025").
    pub past_years: Vec<i32>,
}

impl DateEvidence {
    pub fn of(title: &str, paragraphs: &[String]) -> DateEvidence {
        let mut ev = DateEvidence::default();
        let lead = format!("{title}\n{}", paragraphs.first().map_or("", String::as_str));
        for m in mentions(&lead) {
            if let Mention::MonthDay(mo, d) = m {
                ev.lead_month_days.push((mo, d));
            }
        }
        let text = format!("{title}\n{}", paragraphs.join("\n"));
        for m in mentions(&text) {
            match m {
                Mention::Date(d) => ev.full.push(d),
                Mention::MonthDay(mo, d) => ev.month_days.push((mo, d)),
                Mention::WeekEnding(mo, d) => {
                    if ev.week_end.is_none() {
                        ev.week_end = Some((mo, d));
                    }
                }
                Mention::Year(y, false) => ev.past_years.push(y),
                Mention::Year(_, true) | Mention::Month(_) | Mention::Weekday => {}
            }
        }
        ev
    }

    /// The latest year the text writes of as past or present: the piece is no older.
    pub fn min_year(&self) -> Option<i32> {
        self.full
            .iter()
            .map(super::super::corpus::date::PartialDate::get_year)
            .chain(self.past_years.iter().copied())
            .max()
    }

    /// The month and day the piece is about, if it names one: a week's end, else the first
    /// month-day in the lead, else the first anywhere.
    pub fn anchor_day(&self) -> Option<(u8, u8)> {
        self.week_end
            .or_else(|| self.lead_month_days.first().copied())
            .or_else(|| self.month_days.first().copied())
    }

    /// A date from the text alone: the month of the piece's month-day in its latest year,
    /// or the latest full date's month, or the latest year.
    pub fn estimate(&self) -> Option<PartialDate> {
        let year = self.min_year()?;
        let latest_full = self
            .full
            .iter()
            .filter(|d| d.get_year() == year)
            .max()
            .copied();
        if let Some((m, d)) = self.anchor_day() {
            if let Ok(md) = PartialDate::day(year, m, d) {
                if latest_full.is_none_or(|f| f.start_days() <= md.start_days()) {
                    return PartialDate::month(year, m).ok();
                }
            }
        }
        if let Some(f) = latest_full {
            return Some(f.truncate(crate::corpus::Precision::Month));
        }
        PartialDate::year(year).ok()
    }
}

/// Dates for the items of a feed dump, newest first, read as a person would: walking down the
/// list, each item is no newer than the one above it; a month-day mention is placed in the
/// latest year that keeps that order (a step from January back to December is a year back),
/// and never before a year the text itself writes about. Items with no evidence take what
/// their neighbours share.
pub fn dates_in_order(evidence: &[DateEvidence]) -> Vec<Option<PartialDate>> {
    use crate::corpus::date::days_from_civil;
    let mut out: Vec<Option<PartialDate>> = vec![None; evidence.len()];
    // Items dated by what they are about (a week's end, a date in the lead).
    let mut about = vec![false; evidence.len()];
    // The newest date any item below can have: (year, month, day).
    let mut cur: Option<(i32, u8, u8)> = None;
    // Whether `cur` came from a date the item is about (a week's end, the lead) rather than
    // one it merely mentions; a mentioned date is only a lower bound for its own item.
    let mut cur_strong = false;
    let fits =
        |y: i32, m: u8, d: u8, cur: Option<(i32, u8, u8)>| cur.is_none_or(|c| (y, m, d) <= c);
    for (i, ev) in evidence.iter().enumerate() {
        let min_year = ev.min_year();
        if let Some((m, d)) = ev.anchor_day() {
            let strong = ev.week_end.is_some() || !ev.lead_month_days.is_empty();
            // The latest year that keeps the order. A strong date a little after a merely
            // mentioned one above is the same season, not a year back.
            let mut y = match cur {
                Some((cy, cm, cd)) if (m, d) <= (cm, cd) => Some(cy),
                Some((cy, cm, cd)) => {
                    let ahead =
                        days_from_civil(cy, m, d.min(28)) - days_from_civil(cy, cm, cd.min(28));
                    if strong && !cur_strong && ahead <= 60 {
                        Some(cy)
                    } else {
                        Some(cy - 1)
                    }
                }
                None => min_year,
            };
            if let (Some(yy), Some(my)) = (y, min_year) {
                // The text writes of a later year than the walk reached: trust the text.
                if my > yy && fits(my, m, d, cur) {
                    y = Some(my);
                }
            }
            // The text writes that very day with its year ("Nov. 30, 2021"): that year.
            if let Some(stated) = ev
                .full
                .iter()
                .filter(|f| f.get_month() == Some(m) && f.get_day() == Some(d))
                .map(super::super::corpus::date::PartialDate::get_year)
                .filter(|&fy| fits(fy, m, d, cur))
                .max()
            {
                y = Some(stated);
            }
            if let Some(y) = y {
                if let Ok(date) = PartialDate::month(y, m) {
                    out[i] = Some(date);
                    about[i] = strong;
                    cur = Some((y, m, d));
                    cur_strong = strong;
                    continue;
                }
            }
        }
        let Some(my) = min_year else { continue };
        if !fits(my, 1, 1, cur) {
            continue;
        }
        let full = ev
            .full
            .iter()
            .filter(|f| f.get_year() == my && f.get_month().is_some())
            .filter(|f| {
                fits(
                    my,
                    f.get_month().unwrap_or(1),
                    f.get_day().unwrap_or(1),
                    cur,
                )
            })
            .max()
            .copied();
        match (full, cur) {
            (Some(f), c) if c.is_none_or(|(cy, _, _)| cy == my) => {
                out[i] = Some(f.truncate(crate::corpus::Precision::Month));
                cur = Some((my, f.get_month().unwrap_or(12), f.get_day().unwrap_or(31)));
                cur_strong = false;
            }
            (_, Some((cy, _, _))) if cy > my => {
                // Between the year it writes of and the item above: the latter, since a
                // feed's neighbours are close in time.
                out[i] = PartialDate::year(cy).ok();
            }
            (_, Some(_)) => out[i] = PartialDate::year(my).ok(),
            (_, None) => {
                out[i] = PartialDate::year(my).ok();
                cur = Some((my, 12, 31));
                cur_strong = false;
            }
        }
    }
    // Between two items dated by what they are about, in the same month: that month, whatever
    // older dates the item itself mentions (the feed's order bounds it on both sides).
    let fixed = out.clone();
    // The nearest item above and below each one that is dated by what it is about.
    let mut above = vec![None; out.len()];
    let mut last = None;
    for i in 0..out.len() {
        above[i] = last;
        if about[i] {
            last = Some(i);
        }
    }
    let mut below = None;
    for i in (0..out.len()).rev() {
        if about[i] {
            below = Some(i);
        } else {
            let n = above[i].and_then(|j| fixed[j]);
            let o = below.and_then(|j: usize| fixed[j]);
            if let (Some(n), Some(o)) = (n, o) {
                if n.get_year() == o.get_year()
                    && n.get_month().is_some()
                    && n.get_month() == o.get_month()
                {
                    out[i] = Some(n);
                }
            }
        }
    }
    // No words of its own: what the neighbours share.
    let fixed = out.clone();
    let mut newer_of = vec![None; out.len()];
    let mut last = None;
    for i in 0..out.len() {
        newer_of[i] = last;
        if fixed[i].is_some() {
            last = fixed[i];
        }
    }
    let mut older = None;
    for i in (0..out.len()).rev() {
        if fixed[i].is_some() {
            older = fixed[i];
            continue;
        }
        if let (Some(o), Some(n)) = (older, newer_of[i]) {
            if o.get_year() == n.get_year() {
                out[i] = match (o.get_month(), n.get_month()) {
                    (Some(a), Some(b)) if a == b => PartialDate::month(o.get_year(), a).ok(),
                    _ => PartialDate::year(o.get_year()).ok(),
                };
            }
        }
    }
    out
}

/// Words after "told" that are not a publication.
fn is_pronoun_like(name: &str) -> bool {
    let first = name.split(' ').next().unwrap_or("");
    matches!(
        first,
        "The"
            | "A"
            | "An"
            | "He"
            | "She"
            | "It"
            | "They"
            | "We"
            | "I"
            | "You"
            | "His"
            | "Her"
            | "Their"
            | "Its"
            | "Our"
            | "This"
            | "That"
            | "Mr"
            | "Ms"
            | "Mrs"
            | "Dr"
    )
}

/// Hosts of pictures for anyone's pages, never a publisher's own.
const IMAGE_HOSTS: &[&str] = &[
    "unsplash",
    "pexels",
    "pixabay",
    "gettyimages",
    "shutterstock",
    "istockphoto",
    "imgur",
    "cloudfront",
    "amazonaws",
    "googleusercontent",
    "gstatic",
    "twimg",
    "fbcdn",
    "wp",
    "wordpress",
    "akamaized",
    "cloudinary",
    "imgix",
    "githubusercontent",
    "medium",
];

/// Second-level labels under a country code (`example.com.cn`, `example.co.uk`).
const SECOND_LEVEL: &[&str] = &["com", "co", "net", "org", "gov", "edu", "ac", "or", "ne"];

/// The name part of a host: `asset.coinness.com` → `coinness`, `static.caixin.com.cn` →
/// `caixin`; `None` for an address, a picture host or a name too short to be one.
fn site_label(host: &str) -> Option<String> {
    if host.is_empty() || host.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    if n < 2 {
        return None;
    }
    let main = if n >= 3 && labels[n - 1].len() == 2 && SECOND_LEVEL.contains(&labels[n - 2]) {
        labels[n - 3]
    } else {
        labels[n - 2]
    };
    (main.len() >= 3 && !IMAGE_HOSTS.contains(&main) && main.chars().any(char::is_alphabetic))
        .then(|| main.to_string())
}

#[cfg(test)]
mod publisher_tests {
    use super::*;

    fn k() -> Knowledge {
        Knowledge::builtin().expect("builtin")
    }

    #[test]
    fn who_was_told_is_the_publisher() {
        let t = "A lawyer told Rest of World. The fines grow. Analysts told Rest of World that \
                 untold sums moved; it was foretold Monday.";
        assert_eq!(k().publisher_of_text(t).as_deref(), Some("Rest of World"));
        // Once is not enough for a name folio does not know.
        assert_eq!(k().publisher_of_text("A lawyer told Acme News so."), None);
        // A known site speaking of itself once is.
        assert_eq!(
            k().publisher_of_text("Below, TechNode highlights the launches.")
                .as_deref(),
            Some("TechNode")
        );
    }

    #[test]
    fn image_hosts_name_a_publisher_only_with_the_text() {
        let page =
            "Story\n\nhttps://static.caixin.com.cn/img/a.png\n\nText from Caixin's reporters.";
        assert_eq!(k().publisher_of_text(page).as_deref(), Some("Caixin"));
        let stock = "Story\n\nhttps://images.unsplash.com/photo-1.jpg\nPhoto by A on Unsplash";
        assert_eq!(k().publisher_of_text(stock), None);
        assert_eq!(k().publisher_of_text("https://10.0.100.200/a.png"), None);
        assert_eq!(
            site_label("asset.coinness.com").as_deref(),
            Some("coinness")
        );
        assert_eq!(site_label("img.bbc.co.uk").as_deref(), Some("bbc"));
        assert_eq!(site_label("cdn.wp.com"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_one_per_concept_whatever_their_case_or_number() {
        for (t, want) in [
            ("Auto", "autos"),
            ("auto", "autos"),
            ("autos", "autos"),
            ("Semiconductor", "semiconductors"),
            ("security-token", "security-tokens"),
            ("Layoffs", "layoff"),
            ("batteries", "battery"),
            ("taxes", "tax"),
            ("Businesses", "business"),
            ("data-centres", "data-centre"),
            ("news", "news"),
            ("ios", "ios"),
            ("crisis", "crisis"),
            ("nfts", "nft"),
            ("EV", "ev"),
            ("evs", "ev"),
            ("securities", "securities"),
            ("analytics", "analytics"),
            ("Two-Sessions", "two-sessions"),
        ] {
            assert_eq!(canonical_tag(t), want, "{t}");
        }
    }

    fn ev(text: &str) -> DateEvidence {
        DateEvidence::of("", &[text.to_string()])
    }

    #[test]
    fn a_single_text_is_dated_by_its_latest_year_and_its_month_day() {
        let e = ev("On June 1, Bilibili reported its first quarterly earnings of 2023, down from 2022. Cash lasts until mid-to-late 2024.");
        assert_eq!(
            e.estimate().map(|d| d.to_string()).as_deref(),
            Some("2023-06")
        );
        assert_eq!(ev("Nothing dated here.").estimate(), None);
        assert_eq!(
            ev("China had a rough ride in 2022.")
                .estimate()
                .map(|d| d.to_string())
                .as_deref(),
            Some("2022")
        );
    }

    #[test]
    fn an_item_between_two_weeks_of_one_month_takes_that_month() {
        let items = [
            ev("Roundup for the week of July 7 to July 13, 2021."),
            DateEvidence::of(
                "Proposed revisions to the review process",
                &[
                    "The regulator revised the draft on Saturday.".to_string(),
                    "The first version came out on June 29.".to_string(),
                ],
            ),
            ev("Regulators acted on Wednesday night."),
            ev("Roundup for the week of June 30 to July 6."),
        ];
        let d: Vec<String> = dates_in_order(&items)
            .into_iter()
            .map(|x| x.map(|d| d.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(d, ["2021-07", "2021-07", "2021-07", "2021-07"]);
    }

    #[test]
    fn a_feed_dump_walks_back_through_the_year_boundary() {
        let items = [
            ev("The results of 2022 came out on Jan. 20."),
            ev("Baidu announced on Dec. 10 that it will update its app."),
            ev("Nothing here."),
            ev("Regulators acted on Nov. 25 in Shanghai."),
            ev("A Sept. 24 directive from the government."),
        ];
        let d: Vec<Option<String>> = dates_in_order(&items)
            .into_iter()
            .map(|x| x.map(|d| d.to_string()))
            .collect();
        assert_eq!(
            d,
            [
                Some("2022-01".to_string()),
                Some("2021-12".to_string()),
                Some("2021".to_string()),
                Some("2021-11".to_string()),
                Some("2021-09".to_string())
            ]
        );
    }
}
