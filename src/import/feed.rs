//! RSS 1.0/2.0 and Atom feeds (parsed by feed-rs) into article drafts.

use super::dates::parse_date_statement;
use super::html::{html_to_line, html_to_paragraphs, looks_like_html};
use super::Incoming;

/// The id feed-rs gives an entry that has none of its own.
const GENERATED: &str = "\u{1}folio-no-id";

/// Whether bytes look like an XML feed.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<?xml")
        || t.starts_with("<rss")
        || t.starts_with("<feed")
        || t.starts_with("<rdf")
}

/// Feed timestamps as the calendar date the feed wrote (noon UTC of that local date, so the
/// day never shifts), read leniently: RFC 2822, RFC 3339, and the odd forms real feeds use
/// ("Sat, Dec 16 2023 02:02:33 PM").
fn lenient_timestamp(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, TimeZone, Utc};
    let s = s.trim();
    let local = chrono::DateTime::parse_from_rfc2822(s)
        .or_else(|_| chrono::DateTime::parse_from_rfc3339(s))
        .map(|d| d.date_naive())
        .ok()
        .or_else(|| {
            let d = parse_date_statement(s)?;
            NaiveDate::from_ymd_opt(
                d.get_year(),
                u32::from(d.get_month().unwrap_or(1)),
                u32::from(d.get_day().unwrap_or(1)),
            )
        })?;
    Utc.from_local_datetime(&local.and_hms_opt(12, 0, 0)?)
        .single()
}

/// Parse a feed. Errors say what is wrong; a feed without items is an error too.
pub fn parse_feed(bytes: &[u8]) -> Result<Vec<Incoming>, String> {
    let (_, items) = parse_feed_titled(bytes)?;
    if items.is_empty() {
        return Err("the feed has no items".into());
    }
    Ok(items)
}

/// Parse a feed: its title and its items (none is not an error: a subscription may be
/// empty for now).
pub fn parse_feed_titled(bytes: &[u8]) -> Result<(Option<String>, Vec<Incoming>), String> {
    let feed = feed_rs::parser::Builder::new()
        .timestamp_parser(lenient_timestamp)
        // An entry without its own id is told apart by this mark (its key is then its link,
        // else its title and date).
        .id_generator(|_, _, _| GENERATED.to_string())
        .build()
        .parse(bytes)
        .map_err(|e| format!("not a readable feed: {e}"))?;
    let source = feed
        .title
        .as_ref()
        .map(|t| html_to_line(&t.content))
        .filter(|t| !t.is_empty());
    let mut out = Vec::new();
    for (n, e) in feed.entries.into_iter().enumerate() {
        let title = e
            .title
            .as_ref()
            .map(|t| html_to_line(&t.content))
            .unwrap_or_default();
        let raw_body = e
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .filter(|b| !b.trim().is_empty())
            .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
            .unwrap_or_default();
        let mut paragraphs = if looks_like_html(&raw_body) {
            html_to_paragraphs(&raw_body)
        } else {
            raw_body
                .split("\n\n")
                .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|p| !p.is_empty())
                .collect()
        };
        // A headline repeated at the top of the body (an <h1> or image alt text).
        if let Some(first) = paragraphs.first_mut() {
            while !title.is_empty() && first.starts_with(&title) {
                *first = first[title.len()..].trim().to_string();
            }
            if first.is_empty() {
                paragraphs.remove(0);
            }
        }
        let date = e
            .published
            .or(e.updated)
            .and_then(|d| parse_date_statement(&d.to_rfc3339()));
        let url = e
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or_else(|| e.links.first())
            .map(|l| l.href.clone());
        let key = if e.id.is_empty() || e.id == GENERATED {
            match url.as_deref() {
                Some(u) => Some(format!("link:{}", crate::store::library::normal_url(u))),
                None => (!title.is_empty()).then(|| {
                    format!(
                        "title:{}|{}",
                        crate::store::library::normal_title(&title),
                        date.map(|d| d.to_string()).unwrap_or_default()
                    )
                }),
            }
        } else {
            Some(format!("guid:{}", e.id.trim()))
        };
        let categories = e
            .categories
            .iter()
            .map(|c| c.label.clone().unwrap_or_else(|| c.term.clone()))
            .filter(|c| !c.trim().is_empty())
            .collect();
        out.push(Incoming {
            title: (!title.is_empty()).then_some(title),
            paragraphs,
            date,
            date_text: None,
            sector: None,
            categories,
            sections: Vec::new(),
            tags: Vec::new(),
            entities: Vec::new(),
            source: source.clone(),
            publisher: None,
            url,
            id: None,
            time: None,
            author: None,
            feed: source.clone(),
            key,
            position: format!("item {}", n + 1),
        });
    }
    Ok((source, out))
}
