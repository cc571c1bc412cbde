//! JSON and JSON Lines from other tools: the corpus format, or objects with the field names
//! feed readers, scrapers and exporters use.

use super::dates::parse_date_statement;
use super::html::{html_to_line, html_to_paragraphs, looks_like_html};
use super::Incoming;
use crate::corpus::load::line_col;
use serde_json::Value;

const TITLE: &[&str] = &["title", "headline", "name"];
const BODY: &[&str] = &[
    "body",
    "content",
    "text",
    "content_text",
    "content_html",
    "description",
    "summary",
    "article",
];
const DATE: &[&str] = &[
    "date",
    "published",
    "pubDate",
    "pubdate",
    "published_at",
    "publishedAt",
    "date_published",
    "created_at",
    "updated",
    "time",
];
const SECTOR: &[&str] = &["sector", "category", "section", "categories"];
const TAGS: &[&str] = &["tags", "keywords", "topics", "labels"];
const URL: &[&str] = &["url", "link", "href", "permalink"];
const SOURCE: &[&str] = &["source", "site", "publisher", "feed", "outlet"];
const ENTITIES: &[&str] = &["entities", "companies", "organizations"];

fn field<'a>(obj: &'a serde_json::Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names
        .iter()
        .find_map(|n| obj.get(*n).filter(|v| !v.is_null()))
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => {
            let parts: Vec<String> = a.iter().filter_map(as_text).collect();
            (!parts.is_empty()).then(|| parts.join("\n\n"))
        }
        Value::Object(o) => o
            .get("name")
            .or_else(|| o.get("title"))
            .or_else(|| o.get("text"))
            .and_then(as_text),
        _ => None,
    }
}

fn as_list(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => s
            .split([',', ';'])
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect(),
        Value::Array(a) => a.iter().filter_map(as_text).collect(),
        other => as_text(other).into_iter().collect(),
    }
}

fn paragraphs_of(body: &str) -> Vec<String> {
    if looks_like_html(body) {
        return html_to_paragraphs(body);
    }
    let mut out = Vec::new();
    let body = if body.contains('\r') {
        std::borrow::Cow::Owned(body.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    for block in body.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        out.push(lines.join(" "));
    }
    out
}

/// One item object to an incoming article; `position` names where it is in the file.
pub(super) fn item(v: &Value, position: String) -> Result<Incoming, String> {
    let Value::Object(obj) = v else {
        return Err(format!("{position}: not a JSON object"));
    };
    let title = field(obj, TITLE)
        .and_then(as_text)
        .map(|t| html_to_line(&t));
    let body = field(obj, BODY).and_then(as_text).unwrap_or_default();
    let date_text = field(obj, DATE).and_then(as_text);
    let date = date_text.as_deref().and_then(parse_date_statement);
    let sector_list = field(obj, SECTOR).map(as_list).unwrap_or_default();
    Ok(Incoming {
        title: title.filter(|t| !t.is_empty()),
        paragraphs: paragraphs_of(&body),
        date,
        date_text: if date.is_none() { date_text } else { None },
        sector: sector_list.first().cloned(),
        categories: sector_list.into_iter().skip(1).collect(),
        sections: Vec::new(),
        tags: field(obj, TAGS).map(as_list).unwrap_or_default(),
        entities: field(obj, ENTITIES).map(as_list).unwrap_or_default(),
        source: field(obj, SOURCE).and_then(as_text),
        publisher: None,
        url: field(obj, URL).and_then(as_text),
        id: obj.get("id").and_then(as_text),
        time: obj
            .get("time")
            .and_then(as_text)
            .and_then(|t| crate::corpus::load::normal_time(&t)),
        author: field(obj, &["author", "byline", "creator"]).and_then(as_text),
        feed: obj.get("feed").and_then(as_text),
        key: None,
        position,
    })
}

fn json_error(text: &str, base: usize, e: &serde_json::Error) -> String {
    let (bl, bc) = line_col(text, base);
    let (line, col) = if e.line() <= 1 {
        (bl, bc + e.column().saturating_sub(1))
    } else {
        (bl + e.line() - 1, e.column())
    };
    let mut msg = e.to_string();
    if let Some(p) = msg.rfind(" at line ") {
        msg.truncate(p);
    }
    format!("line {line}, column {col}: invalid JSON: {msg}")
}

/// Items of a JSON document (corpus object, array, or an object holding an item list) or of
/// JSON Lines. Errors for single items are returned beside the items that did parse.
pub fn parse_json_items(text: &str) -> Result<(Vec<Incoming>, Vec<String>), String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err("the file is empty".into());
    }
    let whole: Result<Value, _> = serde_json::from_str(trimmed);
    let mut items = Vec::new();
    let mut problems = Vec::new();
    match whole {
        Ok(v) => {
            let list = match &v {
                Value::Array(a) => a.clone(),
                Value::Object(o) => {
                    if let Some(ver) = o.get("version") {
                        if o.contains_key("articles") && ver.as_u64() != Some(1) {
                            return Err(format!("unsupported corpus version {ver}"));
                        }
                    }
                    match ["articles", "items", "entries", "posts", "data", "results"]
                        .iter()
                        .find_map(|k| o.get(*k).and_then(Value::as_array))
                    {
                        Some(a) => a.clone(),
                        None => vec![v.clone()],
                    }
                }
                _ => return Err("expected a JSON object or array of articles".into()),
            };
            for (n, it) in list.iter().enumerate() {
                match item(it, format!("item {}", n + 1)) {
                    Ok(i) => items.push(i),
                    Err(e) => problems.push(e),
                }
            }
        }
        Err(doc_err) => {
            // JSON Lines: one object per line.
            let mut offset = 0;
            let mut any_line = false;
            for (ln, line) in text.split_inclusive('\n').enumerate() {
                let content = line.trim();
                if !content.is_empty() {
                    match serde_json::from_str::<Value>(content) {
                        Ok(v) => {
                            any_line = true;
                            match item(&v, format!("line {}", ln + 1)) {
                                Ok(i) => items.push(i),
                                Err(e) => problems.push(e),
                            }
                        }
                        Err(e) => problems.push(json_error(
                            text,
                            offset + (line.len() - line.trim_start().len()),
                            &e,
                        )),
                    }
                }
                offset += line.len();
            }
            if !any_line {
                let base = text.len() - trimmed.len();
                return Err(json_error(text, base, &doc_err));
            }
        }
    }
    Ok((items, problems))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_other_tools_field_names() {
        let (items, problems) = parse_json_items(
            r#"[{"headline": "A &amp; B", "content": "<p>One</p><p>Two</p>", "pubDate": "Tue, 10 Jun 2003 04:00:00 GMT", "category": "Auto", "keywords": "ev, byd", "link": "https://x.example/a"}]"#,
        )
        .expect("parses");
        assert!(problems.is_empty());
        let i = &items[0];
        assert_eq!(i.title.as_deref(), Some("A & B"));
        assert_eq!(i.paragraphs, ["One", "Two"]);
        assert_eq!(i.date.map(|d| d.to_string()).as_deref(), Some("2003-06-10"));
        assert_eq!(i.sector.as_deref(), Some("Auto"));
        assert_eq!(i.tags, ["ev", "byd"]);
        assert_eq!(i.url.as_deref(), Some("https://x.example/a"));
    }

    #[test]
    fn json_lines_with_a_bad_line_keep_the_rest() {
        let (items, problems) = parse_json_items(
            "{\"title\": \"a\", \"text\": \"b\"}\n{oops\n{\"title\": \"c\", \"body\": \"d\"}\n",
        )
        .expect("parses");
        assert_eq!(items.len(), 2);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("line 2, column"), "{problems:?}");
    }

    #[test]
    fn refuses_what_is_not_articles() {
        assert!(parse_json_items("").is_err());
        assert!(parse_json_items("42").is_err());
        let deep = "[".repeat(10_000);
        assert!(parse_json_items(&deep).is_err());
        assert!(parse_json_items("{\"version\": 7, \"articles\": []}").is_err());
    }
}
