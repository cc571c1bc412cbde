//! Feed discovery: a web page names its feeds with
//! `<link rel="alternate" type="application/rss+xml" href="...">` (or Atom, RDF) in its
//! head; relative addresses are resolved against the page (or its `<base href>`).

/// Whether bytes look like an HTML page rather than a feed.
pub fn looks_like_html(bytes: &[u8], content_type: Option<&str>) -> bool {
    if content_type.is_some_and(|t| t.to_ascii_lowercase().contains("html")) {
        return true;
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let t = head.trim_start_matches('\u{feff}').trim_start();
    t.starts_with("<!doctype html") || t.starts_with("<html") || t.contains("<head")
}

/// The attributes of one tag (names in lower case), from just after its name to `>`.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let b = tag.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name = tag[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let s = i + 1;
                let e = tag[s..].find(char::from(q)).map_or(tag.len(), |k| s + k);
                value = tag[s..e].to_string();
                i = e + 1;
            } else {
                let s = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = tag[s..i].to_string();
            }
        }
        out.push((name, decode_entities(&value)));
    }
    out
}

fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#38;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The tags named `name` in `html`: the text between the name and `>` of each.
fn tags<'a>(html: &'a str, lower: &'a str, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let open = format!("<{name}");
    let mut pos = 0;
    std::iter::from_fn(move || {
        while let Some(k) = lower[pos..].find(&open) {
            let s = pos + k + open.len();
            pos = s;
            // `<linkfoo` is another tag.
            if lower[s..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
            {
                continue;
            }
            let e = lower[s..].find('>').map_or(lower.len(), |k| s + k);
            pos = e;
            return Some(&html[s..e]);
        }
        None
    })
}

/// The feeds a page names, in its order, as absolute addresses.
pub fn feed_links(html: &str, page: &str) -> Vec<String> {
    // ASCII lower-casing keeps every byte offset, so tags found in the copy are cut from
    // the original.
    let lower = html.to_ascii_lowercase();
    let mut base = url::Url::parse(page).ok();
    if let Some(b) = tags(html, &lower, "base")
        .flat_map(attributes)
        .find(|(n, _)| n == "href")
        .map(|(_, v)| v)
    {
        if let Some(joined) = base.as_ref().and_then(|p| p.join(b.trim()).ok()) {
            base = Some(joined);
        } else if let Ok(u) = url::Url::parse(b.trim()) {
            base = Some(u);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for tag in tags(html, &lower, "link") {
        let attrs = attributes(tag);
        let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        let rel_ok = get("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|t| t.eq_ignore_ascii_case("alternate"))
        });
        let type_ok = get("type").is_some_and(|t| {
            let t = t.trim().to_ascii_lowercase();
            let t = t.split(';').next().unwrap_or("").trim();
            matches!(
                t,
                "application/rss+xml" | "application/atom+xml" | "application/rdf+xml"
            )
        });
        let Some(href) = get("href").map(str::trim).filter(|h| !h.is_empty()) else {
            continue;
        };
        if !(rel_ok && type_ok) {
            continue;
        }
        let abs = match &base {
            Some(b) => b.join(href).map(|u| u.to_string()).ok(),
            None => url::Url::parse(href).map(|u| u.to_string()).ok(),
        };
        if let Some(a) = abs.filter(|a| a.starts_with("http://") || a.starts_with("https://")) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_and_resolved() {
        let html = r#"<!DOCTYPE html><html><head>
            <link rel="stylesheet" href="/s.css">
            <LINK REL="alternate" TYPE="application/rss+xml" title="News" HREF="/feed.xml">
            <link rel='alternate home' type='application/atom+xml; charset=utf-8' href='atom?x=1&amp;y=2'>
            <link rel=alternate type=application/rss+xml href=//cdn.example.org/rss>
            <link rel="alternate" type="text/html" href="/other">
            </head><body><a href="/feed.xml">feed</a></body></html>"#;
        assert_eq!(
            feed_links(html, "https://example.com/blog/post.html"),
            [
                "https://example.com/feed.xml",
                "https://example.com/blog/atom?x=1&y=2",
                "https://cdn.example.org/rss"
            ]
        );
        let based = r#"<head><base href="https://other.example/dir/"><link rel="alternate" type="application/rss+xml" href="f.rss"></head>"#;
        assert_eq!(
            feed_links(based, "http://x.example/"),
            ["https://other.example/dir/f.rss"]
        );
        assert!(feed_links("<html><head></head></html>", "http://x.example/").is_empty());
        assert!(looks_like_html(b"<!doctype html><html>", None));
        assert!(!looks_like_html(
            b"<?xml version=\"1.0\"?><rss>",
            Some("application/rss+xml")
        ));
    }
}
