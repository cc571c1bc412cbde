//! Feeds into article drafts: RSS 0.90, 0.91-0.94, 1.0 (RDF) and 2.0, Atom 0.3 and 1.0, read
//! by folio's own forgiving reader (`xml`) after decoding the bytes (`encoding`). A feed is
//! read entry by entry: one entry that cannot be used costs only itself (with a warning
//! naming it), never the file.
//!
//! For each entry: the title (`title`, else `dc:title`); the link (Atom's alternate link,
//! RSS's `link`, else a permalink guid), resolved against `xml:base` and the feed's own
//! address; the date as the source gives it (`pubDate`, `dc:date`, `published`, `issued`,
//! `created`, else `updated`, `modified`, `dcterms:modified`), converted to UTC, with its time
//! of day; the author (`author`, `dc:creator`); the categories; and the text: the content
//! (`content:encoded`, Atom `content` of any type — text, HTML, XHTML, base64 — or
//! `xhtml:body`), else the summary (`description`, `summary`, `dc:description`), HTML or
//! plain, escaped or written inline.

use super::dates::parse_date_statement;
use super::encoding;
use super::html::{self, html_to_line};
use super::xml::{self, Doc, Id};
use super::Incoming;
use crate::corpus::PartialDate;

const ATOM_10: &str = "http://www.w3.org/2005/Atom";
const ATOM_03: &str = "http://purl.org/atom/ns#";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const DCTERMS: &str = "http://purl.org/dc/terms/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const XHTML: &str = "http://www.w3.org/1999/xhtml";

/// Whether bytes look like an XML feed.
pub fn looks_like_feed(bytes: &[u8]) -> bool {
    let d = encoding::decode(&bytes[..bytes.len().min(4096)]);
    let t = d
        .text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase();
    if t.starts_with("<?xml") {
        return true;
    }
    // Past comments and a doctype, the first element.
    let mut rest = t.as_str();
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.find("-->").map_or("", |k| &r[k + 3..]);
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |k| &rest[k + 1..]);
        } else {
            break;
        }
    }
    ["<rss", "<feed", "<rdf", "<channel"]
        .iter()
        .any(|p| rest.starts_with(p))
}

/// Which family an element belongs to, by its namespace, else by its prefix.
fn family(e: &xml::Element) -> &'static str {
    match e.ns.as_deref() {
        Some(ATOM_10 | ATOM_03) => "atom",
        Some(DC) => "dc",
        Some(DCTERMS) => "dcterms",
        Some(CONTENT) => "content",
        Some(XHTML) => "xhtml",
        Some(u) if u.contains("itunes") => "itunes",
        Some(u) if u.contains("search.yahoo.com/mrss") => "media",
        Some(u) if u.contains("slash") => "slash",
        // RSS 0.90, 1.0 and the userland namespace of 2.0: plain RSS, whatever the prefix.
        Some(u)
            if u.contains("purl.org/rss/1.0/") && !u.contains("modules")
                || u.contains("netscape.com/rdf/simple")
                || u.contains("backend.userland.com/rss") =>
        {
            ""
        }
        _ => match e.prefix().as_str() {
            "" => "",
            "dc" => "dc",
            "dcterms" => "dcterms",
            "content" => "content",
            "xhtml" | "html" => "xhtml",
            "atom" | "atom10" => "atom",
            "itunes" => "itunes",
            "media" => "media",
            _ => "other",
        },
    }
}

/// A child element of `id` by local name, in families that count (`""` is no prefix or a
/// default namespace).
fn child(doc: &Doc, id: Id, local: &str, families: &[&str]) -> Option<Id> {
    doc.children(id).find(|&c| {
        let e = doc.get(c);
        e.local() == local && {
            let f = family(e);
            families.contains(&f) || (f == "atom" && families.contains(&""))
        }
    })
}

fn children<'a>(doc: &'a Doc, id: Id, local: &'a str) -> impl Iterator<Item = Id> + 'a {
    doc.children(id)
        .filter(move |&c| doc.get(c).local() == local)
}

fn text_of(doc: &Doc, id: Id) -> String {
    doc.text(id).trim().to_string()
}

/// `xml:base` of `id` and its ancestors resolved against `doc_base`.
fn base_of(doc: &Doc, id: Id, doc_base: Option<&str>) -> Option<url::Url> {
    let mut chain = Vec::new();
    let mut cur = Some(id);
    while let Some(c) = cur {
        let e = doc.get(c);
        if let Some(b) = e.attr("xml:base") {
            chain.push(b.trim().to_string());
        }
        cur = e.parent;
    }
    let mut base = doc_base.and_then(|b| url::Url::parse(b).ok());
    for b in chain.iter().rev() {
        base = match &base {
            Some(u) => u.join(b).ok().or_else(|| url::Url::parse(b).ok()),
            None => url::Url::parse(b).ok(),
        };
    }
    base
}

fn resolve(href: &str, base: Option<&url::Url>) -> String {
    let h = href.trim();
    match base {
        Some(b) if !h.contains("://") => {
            b.join(h).map_or_else(|_| h.to_string(), |u| u.to_string())
        }
        _ => h.to_string(),
    }
}

/// Text content of an element by its type: (the text as HTML or plain, whether it is HTML).
fn content_of(doc: &Doc, id: Id) -> Option<(String, bool)> {
    let e = doc.get(id);
    let ty = type_of(e);
    let mode = e.attr("mode").unwrap_or("").trim().to_ascii_lowercase();
    let inline = doc.has_elements(id);
    if mode == "base64" || is_binary(&ty) {
        // Base64 content (Atom 0.3's mode, or a non-text type): decode it if it is text. Only
        // an HTML type makes it markup.
        let text = base64_text(&doc.text(id))?;
        let is_html = ty.contains("html");
        return Some((text, is_html));
    }
    if ty == "xhtml" || ty.contains("xhtml") || mode == "xml" || inline {
        let mut markup = if ty.contains("html") && !ty.contains("xhtml") {
            doc.inner_markup_raw(id)
        } else {
            doc.inner_markup(id)
        };
        if markup.trim().is_empty() {
            markup = xml::escape(&doc.text(id));
        }
        return Some((markup, true));
    }
    let text = doc.text(id);
    if text.trim().is_empty() {
        return None;
    }
    match ty.as_str() {
        "text" | "text/plain" => Some((text, false)),
        "" if mode != "escaped" && !html::looks_like_html(&text) && text.contains("\n\n") => {
            Some((text, false))
        }
        _ => Some((text, true)),
    }
}

/// An element's content type: its `type` in lower case; Atom's default is text.
fn type_of(e: &xml::Element) -> String {
    let ty = e.attr("type").unwrap_or("").trim().to_ascii_lowercase();
    if ty.is_empty() && family(e) == "atom" {
        return "text".into();
    }
    match ty.as_str() {
        "plain" => "text".into(),
        _ => ty,
    }
}

/// A media type that is not text: its content is base64.
fn is_binary(ty: &str) -> bool {
    ty.contains('/') && !ty.starts_with("text/") && !ty.contains("xml") && !ty.contains("html")
}

/// Base64 that decodes to text (a title or content in Atom 0.3's `mode="base64"`).
fn base64_text(s: &str) -> Option<String> {
    use base64::Engine;
    let raw: String = s.split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raw.as_bytes())
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD
                .decode(raw.trim_end_matches('=').as_bytes())
        })
        .ok()?;
    let d = encoding::decode(&bytes);
    let binary = d
        .text
        .chars()
        .any(|c| (c.is_control() && !c.is_whitespace()) || c == '\u{fffd}');
    (!d.text.trim().is_empty() && !binary && !d.lossy).then_some(d.text)
}

/// Paragraphs of a content: HTML rendered, plain text split at blank lines.
fn paragraphs(content: &str, is_html: bool, base: Option<&url::Url>) -> Vec<String> {
    if is_html {
        html::render(content, base.map(url::Url::as_str)).into_paragraphs()
    } else {
        content
            .split("\n\n")
            .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|p| !p.is_empty())
            .collect()
    }
}

/// A title as plain text: HTML (Atom `type="html"`, escaped or inline markup) rendered.
fn title_text(doc: &Doc, id: Id) -> String {
    let e = doc.get(id);
    let ty = type_of(e);
    let mode = e.attr("mode").unwrap_or("").trim().to_ascii_lowercase();
    if doc.has_elements(id) {
        return html_to_line(&doc.inner_markup(id));
    }
    let mut t = doc.text(id);
    let binary_type = is_binary(&ty);
    if mode == "base64" || binary_type {
        if let Some(d) = base64_text(&t) {
            t = d;
            if binary_type {
                return t.split_whitespace().collect::<Vec<_>>().join(" ");
            }
        }
    }
    if ty == "text" || ty.starts_with("text/plain") {
        return t.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    html_to_line(&t)
}

/// A feed's timestamp read leniently, in UTC; the bool says whether it had a time of day.
pub fn parse_timestamp(s: &str) -> Option<(chrono::DateTime<chrono::Utc>, bool)> {
    use chrono::{NaiveDate, TimeZone, Utc};
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some((d.with_timezone(&Utc), true));
    }
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some((d.with_timezone(&Utc), true));
    }
    // W3C-DTF without seconds, or with a space, or without a zone (taken as UTC).
    let norm = s.replace(' ', "T");
    for f in [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%z",
    ] {
        if let Ok(d) = chrono::DateTime::parse_from_str(&norm.replace('Z', "+00:00"), f) {
            return Some((d.with_timezone(&Utc), true));
        }
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(norm.trim_end_matches('Z'), f) {
            return Some((Utc.from_utc_datetime(&d), true));
        }
    }
    rfc822_lenient(s).or_else(|| {
        let d = parse_date_statement(s)?;
        let nd = NaiveDate::from_ymd_opt(
            d.get_year(),
            u32::from(d.get_month().unwrap_or(1)),
            u32::from(d.get_day().unwrap_or(1)),
        )?;
        Some((Utc.from_utc_datetime(&nd.and_hms_opt(12, 0, 0)?), false))
    })
}

/// RFC 822 as feeds write it wrongly: no weekday or a wrong one, two-digit years, named
/// zones, AM/PM, `Dec 16 2023`.
fn rfc822_lenient(s: &str) -> Option<(chrono::DateTime<chrono::Utc>, bool)> {
    use chrono::{NaiveDate, TimeZone, Utc};
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let mut day = None;
    let mut month = None;
    let mut year = None;
    let mut hms: Option<(u32, u32, u32)> = None;
    let mut offset_min: i32 = 0;
    let mut pm = None;
    for tok in s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let l = tok.to_ascii_lowercase();
        let l = l.trim_end_matches('.');
        if let Some(m) = months.iter().position(|m| l.starts_with(m) && l.len() <= 9) {
            month = Some(m as u32 + 1);
        } else if tok.contains(':') {
            let parts: Vec<u32> = tok
                .split(':')
                .filter_map(|p| p.trim().parse().ok())
                .collect();
            if parts.len() >= 2 {
                hms = Some((parts[0], parts[1], parts.get(2).copied().unwrap_or(0)));
            }
        } else if l == "am" || l == "pm" {
            pm = Some(l == "pm");
        } else if (tok.starts_with('+') || tok.starts_with('-')) && tok.len() == 5 {
            if let Ok(n) = tok[1..].parse::<i32>() {
                let m = (n / 100) * 60 + n % 100;
                offset_min = if tok.starts_with('-') { -m } else { m };
            }
        } else if let Some(z) = named_zone(l) {
            offset_min = z;
        } else if let Ok(n) = l.parse::<i32>() {
            if n > 31 || l.len() == 4 {
                year = Some(if n < 100 {
                    n + if n < 70 { 2000 } else { 1900 }
                } else {
                    n
                });
            } else if day.is_none() {
                day = Some(n as u32);
            } else if year.is_none() {
                year = Some(n + if n < 70 { 2000 } else { 1900 });
            }
        }
    }
    let nd = NaiveDate::from_ymd_opt(year?, month?, day?)?;
    let (mut h, m, sec) = hms.unwrap_or((12, 0, 0));
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let naive = nd.and_hms_opt(h.min(23), m.min(59), sec.min(59))?;
    let utc = Utc.from_utc_datetime(&naive) - chrono::Duration::minutes(i64::from(offset_min));
    Some((utc, hms.is_some()))
}

fn named_zone(z: &str) -> Option<i32> {
    Some(match z {
        "ut" | "utc" | "gmt" | "z" => 0,
        "est" => -300,
        "edt" => -240,
        "cst" => -360,
        "cdt" => -300,
        "mst" => -420,
        "mdt" => -360,
        "pst" => -480,
        "pdt" => -420,
        "cet" => 60,
        "cest" => 120,
        "bst" => 60,
        "jst" => 540,
        "kst" => 540,
        "ist" => 330,
        "aest" => 600,
        _ => return None,
    })
}

/// The first date element found among `names` (local name, families).
fn date_from(
    doc: &Doc,
    entry: Id,
    names: &[(&str, &[&str])],
) -> Option<(chrono::DateTime<chrono::Utc>, bool)> {
    for (name, fams) in names {
        if let Some(c) = child(doc, entry, name, fams) {
            if let Some(t) = parse_timestamp(&text_of(doc, c)) {
                return Some(t);
            }
        }
    }
    None
}

/// An RSS `author` (`mail@example.com (Name)`) or an Atom author (`name`, `email`).
fn author_of(doc: &Doc, entry: Id) -> Option<String> {
    let from = |id: Id| -> Option<String> {
        if let Some(n) = child(doc, id, "name", &["", "atom"]) {
            let t = text_of(doc, n);
            if !t.is_empty() {
                return Some(t);
            }
        }
        let t = text_of(doc, id);
        if t.is_empty() {
            return None;
        }
        // "mail@example.com (Name)" names the person in brackets.
        if let (Some(a), Some(b)) = (t.find('('), t.rfind(')')) {
            if a < b && t[..a].contains('@') {
                let n = t[a + 1..b].trim();
                if !n.is_empty() {
                    return Some(n.to_string());
                }
            }
        }
        Some(t.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    child(doc, entry, "author", &["", "atom"])
        .and_then(from)
        .or_else(|| child(doc, entry, "creator", &["dc"]).and_then(from))
        .or_else(|| child(doc, entry, "author", &["itunes"]).and_then(from))
        .map(|a| html_to_line(&a))
        .filter(|a| !a.is_empty())
}

/// The entry's link: Atom's alternate (or the first without a rel), RSS's `link`, a
/// permalink guid.
fn link_of(doc: &Doc, entry: Id, base: Option<&url::Url>) -> Option<String> {
    // As feed readers have long read them: in order, an alternate link (`href`) or a link
    // written as text (RSS, old Atom) each names the entry's link, the last one winning.
    let mut last: Option<String> = None;
    for l in children(doc, entry, "link") {
        let e = doc.get(l);
        if !matches!(family(e), "" | "atom") {
            continue;
        }
        match e.attr("href").map(str::trim).filter(|h| !h.is_empty()) {
            Some(h) => {
                let rel = e.attr("rel").unwrap_or("alternate").trim();
                if rel.eq_ignore_ascii_case("alternate") {
                    last = Some(h.to_string());
                }
            }
            None => {
                let t = text_of(doc, l);
                if !t.is_empty() {
                    last = Some(t);
                }
            }
        }
    }
    if let Some(l) = last {
        return Some(resolve(&l, base));
    }
    let mut best: Option<(u8, String)> = None;
    for l in children(doc, entry, "link") {
        let e = doc.get(l);
        let href = e.attr("href").map(str::to_string);
        let rel = e
            .attr("rel")
            .unwrap_or("alternate")
            .trim()
            .to_ascii_lowercase();
        let value = match href {
            Some(h) if !h.trim().is_empty() => h,
            _ => text_of(doc, l),
        };
        if value.is_empty() {
            continue;
        }
        let rank = match rel.as_str() {
            "alternate" => {
                let ty = e.attr("type").unwrap_or("text/html").to_ascii_lowercase();
                if ty.contains("html") {
                    3
                } else {
                    2
                }
            }
            "self" | "replies" | "edit" | "enclosure" | "related" | "via" | "license" => 0,
            _ => 1,
        };
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, value));
        }
    }
    if let Some((rank, v)) = &best {
        if *rank > 0 {
            return Some(resolve(v, base));
        }
    }
    if let Some(g) = child(doc, entry, "guid", &[""]) {
        let perma = doc
            .get(g)
            .attr("isPermaLink")
            .is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"));
        let t = text_of(doc, g);
        if perma && (t.starts_with("http://") || t.starts_with("https://")) {
            return Some(t);
        }
    }
    best.map(|(_, v)| resolve(&v, base))
}

/// One entry as an incoming article, or why it cannot be one.
fn entry(
    doc: &Doc,
    id: Id,
    n: usize,
    feed_title: Option<&String>,
    doc_base: Option<&str>,
) -> Result<Incoming, String> {
    let base = base_of(doc, id, doc_base);
    let media_group = child(doc, id, "group", &["media"]);
    let title = child(doc, id, "title", &["", "atom"])
        .or_else(|| child(doc, id, "title", &["dc"]))
        .or_else(|| child(doc, id, "title", &["media"]))
        .or_else(|| media_group.and_then(|g| child(doc, g, "title", &["media"])))
        .map(|t| title_text(doc, t))
        .unwrap_or_default();
    // The text: content first (`content:encoded`, Atom content, `xhtml:body`, RSS `body`),
    // then the summary. As feed readers have long done, a second summary element (an
    // `itunes:summary` after the `description`) counts as the content.
    let as_content = |c: Id| -> Option<(String, bool)> {
        if doc.get(c).local() == "body" && family(doc.get(c)) == "xhtml" {
            // `xhtml:body` is itself the markup.
            let m = doc.inner_markup(c);
            return (!m.trim().is_empty()).then_some((m, true));
        }
        content_of(doc, c)
    };
    let contents = [
        child(doc, id, "encoded", &["content"]),
        child(doc, id, "content", &["", "atom"]),
        child(doc, id, "body", &["xhtml"]),
        child(doc, id, "body", &["", "other"]),
        child(doc, id, "fullitem", &["", "other"]),
    ];
    let mut summaries: Vec<Id> = doc
        .children(id)
        .filter(|&c| {
            let e = doc.get(c);
            let (l, f) = (e.local(), family(e));
            (matches!(l.as_str(), "description" | "summary")
                && matches!(f, "" | "atom" | "dc" | "itunes"))
                || (l == "abstract" && matches!(f, "" | "other"))
                || (l == "description" && f == "media")
        })
        .collect();
    if let Some(g) = media_group {
        summaries.extend(child(doc, g, "description", &["media"]));
    }
    let content = contents
        .into_iter()
        .flatten()
        .find_map(as_content)
        .or_else(|| {
            let mut found: Vec<(String, bool)> =
                summaries.iter().filter_map(|&c| as_content(c)).collect();
            if found.len() >= 2 {
                Some(found.swap_remove(1))
            } else {
                found.pop()
            }
        });
    let mut paras = match &content {
        Some((c, is_html)) => paragraphs(c, *is_html, base.as_ref()),
        None => Vec::new(),
    };
    // A headline repeated at the top of the text (an <h1>, or an image whose alt text is
    // the headline).
    while !title.is_empty() {
        let Some(first) = paras.first_mut() else {
            break;
        };
        if *first == format!("[image: {title}]") {
            paras.remove(0);
            continue;
        }
        if first.starts_with(&title) && !first.contains('\n') {
            *first = first[title.len()..].trim().to_string();
            // Nothing left but the numbers of links.
            let rest_is_refs = first.split_whitespace().all(|w| {
                w.starts_with('[')
                    && w.ends_with(']')
                    && w[1..w.len() - 1].bytes().all(|b| b.is_ascii_digit())
            });
            if first.is_empty() || rest_is_refs {
                paras.remove(0);
                continue;
            }
        }
        break;
    }
    let published = date_from(
        doc,
        id,
        &[
            ("pubdate", &[""]),
            ("date", &["dc"]),
            ("published", &["", "atom"]),
            ("issued", &["", "atom", "dcterms"]),
            ("created", &["", "atom", "dcterms"]),
        ],
    );
    let updated = || {
        date_from(
            doc,
            id,
            &[
                ("updated", &["", "atom"]),
                ("modified", &["", "atom", "dcterms"]),
            ],
        )
    };
    let when = published.or_else(updated);
    let (date, time) = match when {
        Some((t, has_time)) => {
            let d = t.date_naive();
            let pd = PartialDate::day(
                chrono::Datelike::year(&d),
                chrono::Datelike::month(&d) as u8,
                chrono::Datelike::day(&d) as u8,
            )
            .ok();
            (pd, has_time.then(|| t.format("%H:%M").to_string()))
        }
        None => (None, None),
    };
    let guid = child(doc, id, "guid", &[""])
        .or_else(|| child(doc, id, "id", &["", "atom"]))
        .map(|g| text_of(doc, g))
        .filter(|g| !g.is_empty())
        .or_else(|| {
            doc.get(id)
                .attr("about")
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
        });
    // No link of its own: the guid (unless it says it is not a permalink) or the id is one.
    let perma = child(doc, id, "guid", &[""]).is_none_or(|g| {
        doc.get(g)
            .attr("isPermaLink")
            .is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"))
    });
    let url = link_of(doc, id, base.as_ref()).or_else(|| guid.clone().filter(|_| perma));
    let key = match (&guid, &url) {
        (Some(g), _) => Some(format!("guid:{g}")),
        (None, Some(u)) => Some(format!("link:{}", crate::store::library::normal_url(u))),
        (None, None) => (!title.is_empty()).then(|| {
            format!(
                "title:{}|{}",
                crate::store::library::normal_title(&title),
                date.map(|d| d.to_string()).unwrap_or_default()
            )
        }),
    };
    let mut categories: Vec<String> = Vec::new();
    for c in children(doc, id, "category").chain(children(doc, id, "subject")) {
        let e = doc.get(c);
        let v = e
            .attr("label")
            .or_else(|| e.attr("term"))
            .map_or_else(|| text_of(doc, c), str::to_string);
        let v = html_to_line(&v);
        if !v.is_empty() && !categories.iter().any(|x| x.eq_ignore_ascii_case(&v)) {
            categories.push(v);
        }
    }
    // An entry with neither title nor text is still an entry when it has a link or an id:
    // it is called by that, and says where it is.
    let (title, paras) = if title.is_empty() && paras.is_empty() {
        match url.clone().or_else(|| guid.clone()) {
            Some(name) => (name.clone(), vec![name]),
            None => return Err(format!("item {}: no title, text, link or id", n + 1)),
        }
    } else {
        (title, paras)
    };
    Ok(Incoming {
        title: (!title.is_empty()).then_some(title),
        paragraphs: paras,
        date,
        date_text: None,
        sector: None,
        categories,
        sections: Vec::new(),
        tags: Vec::new(),
        entities: Vec::new(),
        source: feed_title.cloned(),
        publisher: None,
        url,
        id: None,
        time,
        author: author_of(doc, id),
        feed: feed_title.cloned(),
        key,
        position: format!("item {}", n + 1),
    })
}

/// The entries of a document: Atom `entry` elements, else RSS/RDF `item` elements, wherever
/// they are (not one inside another).
fn entries(doc: &Doc) -> Vec<Id> {
    let Some(root) = doc.root() else {
        return Vec::new();
    };
    let all = doc.descendants(root);
    let named = |n: &str| -> Vec<Id> {
        all.iter()
            .copied()
            .filter(|&e| doc.get(e).local() == n)
            .filter(|&e| {
                // Not nested in another of the same.
                let mut p = doc.get(e).parent;
                while let Some(x) = p {
                    if doc.get(x).local() == n {
                        return false;
                    }
                    p = doc.get(x).parent;
                }
                true
            })
            .collect()
    };
    let root_name = doc.get(root).local();
    // A document that is one entry.
    if root_name == "entry" || root_name == "item" {
        return vec![root];
    }
    let is_atom = root_name == "feed";
    let first = if is_atom {
        named("entry")
    } else {
        named("item")
    };
    if first.is_empty() {
        if is_atom {
            named("item")
        } else {
            named("entry")
        }
    } else {
        first
    }
}

/// The feed's title and own address.
fn feed_meta(doc: &Doc) -> (Option<String>, Option<String>) {
    let Some(root) = doc.root() else {
        return (None, None);
    };
    let channel = child(doc, root, "channel", &["", "other"]).unwrap_or(root);
    let title = child(doc, channel, "title", &["", "atom"])
        .or_else(|| child(doc, channel, "title", &["dc"]))
        .map(|t| title_text(doc, t))
        .filter(|t| !t.is_empty());
    let link = link_of(doc, channel, None).filter(|l| l.contains("://"));
    (title, link)
}

/// Parse a feed. Errors say what is wrong; a feed without items is an error too.
pub fn parse_feed(bytes: &[u8]) -> Result<Vec<Incoming>, String> {
    let (_, items, warnings) = read_feed(bytes)?;
    if items.is_empty() {
        return Err(match warnings.first() {
            Some(w) => format!("the feed has no usable items ({w})"),
            None => "the feed has no items".into(),
        });
    }
    Ok(items)
}

/// Parse a feed: its title and its items (none is not an error: a subscription may be
/// empty for now).
pub fn parse_feed_titled(bytes: &[u8]) -> Result<(Option<String>, Vec<Incoming>), String> {
    read_feed(bytes).map(|(t, i, _)| (t, i))
}

/// A feed read: its title, its items, and a warning for each entry left out.
pub type ReadFeed = (Option<String>, Vec<Incoming>, Vec<String>);

/// Parse a feed: its title, its items, and a warning for each entry left out.
pub fn read_feed(bytes: &[u8]) -> Result<ReadFeed, String> {
    read_feed_at(bytes, None)
}

/// As `read_feed`, for a feed fetched from `doc_url`: relative links are resolved against it
/// (and against `xml:base`).
pub fn read_feed_at(bytes: &[u8], doc_url: Option<&str>) -> Result<ReadFeed, String> {
    let decoded = encoding::decode(bytes);
    let doc = xml::parse(&decoded.text);
    let Some(root) = doc.root() else {
        return Err("not a feed: no XML element in it".into());
    };
    let name = doc.get(root).local();
    if !matches!(
        name.as_str(),
        "rss" | "rdf" | "feed" | "channel" | "entry" | "item"
    ) {
        let found = doc
            .descendants(root)
            .into_iter()
            .any(|e| matches!(doc.get(e).local().as_str(), "channel" | "item" | "entry"));
        if !found {
            return Err(format!(
                "not a feed: its first element is <{}>",
                doc.get(root).name
            ));
        }
    }
    let (title, _channel_link) = feed_meta(&doc);
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for (n, e) in entries(&doc).into_iter().enumerate() {
        // A panic in reading one entry costs that entry only.
        match crate::guard::catch(|| entry(&doc, e, n, title.as_ref(), doc_url)) {
            Ok(Ok(i)) => out.push(i),
            Ok(Err(w)) => warnings.push(w),
            Err(p) => warnings.push(format!("item {}: could not be read ({p}); left out", n + 1)),
        }
    }
    Ok((title, out, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_leniently_in_utc() {
        let t =
            |s: &str| parse_timestamp(s).map(|(d, h)| (d.format("%Y-%m-%d %H:%M").to_string(), h));
        assert_eq!(
            t("Tue, 10 Jun 2003 04:00:00 GMT"),
            Some(("2003-06-10 04:00".into(), true))
        );
        assert_eq!(
            t("2024-01-02T01:30:00+09:00"),
            Some(("2024-01-01 16:30".into(), true))
        );
        assert_eq!(
            t("2003-12-31T10:14Z"),
            Some(("2003-12-31 10:14".into(), true))
        );
        assert_eq!(
            t("10 Jun 03 04:00 EDT"),
            Some(("2003-06-10 08:00".into(), true))
        );
        assert_eq!(
            t("Sat, Dec 16 2023 02:02:33 PM"),
            Some(("2023-12-16 14:02".into(), true))
        );
        assert_eq!(t("2003-12-31").map(|x| x.1), Some(false));
        assert_eq!(t("nonsense"), None);
    }

    #[test]
    fn dialects_read() {
        let rss090 = br#"<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>Old</title></channel><item><title>First</title><link>http://a.example/1</link></item><item><title>No link here</title></item></rdf:RDF>"#;
        let (t, items, _) = read_feed(rss090).expect("reads");
        assert_eq!(t.as_deref(), Some("Old"));
        assert_eq!(items.len(), 2);
        let atom03 = br#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>A</title><entry><title>E</title><link rel="alternate" type="text/html" href="http://a.example/e"/><issued>2003-12-13T08:29:29-04:00</issued><content type="text/html" mode="base64">PHA+SGVsbG8gd29ybGQ8L3A+</content></entry></feed>"#;
        let (_, items, _) = read_feed(atom03).expect("reads");
        assert_eq!(items[0].paragraphs, ["Hello world"]);
        assert_eq!(items[0].url.as_deref(), Some("http://a.example/e"));
        assert_eq!(
            items[0].date.map(|d| d.to_string()).as_deref(),
            Some("2003-12-13")
        );
        assert_eq!(items[0].time.as_deref(), Some("12:29"));
        let noversion = b"<rss><channel><title>T</title><item><dc:title xmlns:dc=\"http://purl.org/dc/elements/1.1/\">Only dc</dc:title><description><p>Naked <b>markup</b></p></description><dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">Ann</dc:creator></item></channel></rss>";
        let (_, items, _) = read_feed(noversion).expect("reads");
        assert_eq!(items[0].title.as_deref(), Some("Only dc"));
        assert_eq!(items[0].paragraphs, ["Naked markup"]);
        assert_eq!(items[0].author.as_deref(), Some("Ann"));
        // One odd entry does not cost the others.
        let odd = br#"<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Good</title><content type="text">fine</content></entry><entry><content type="image/png">@@@</content></entry><entry><title>Also good</title><content type="">x</content></entry></feed>"#;
        let (_, items, warnings) = read_feed(odd).expect("reads");
        assert_eq!(items.len(), 2);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }
}
