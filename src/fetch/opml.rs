//! OPML 2.0, the list of subscriptions every reader reads and writes: outlines with an
//! `xmlUrl` are feeds; the folders (outlines around them) are their tags, and an outline's
//! `category` (`/news,/tech`) adds more. Export writes each feed under the folder of its
//! first tag, its other tags in `category`, so an export read back gives the same tags.

use quick_xml::events::Event;

/// A feed named by an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub url: String,
    pub title: String,
    pub tags: Vec<String>,
}

/// Why an OPML file could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {why}")]
pub struct OpmlError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub why: String,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    crate::corpus::load::line_col(text, offset)
}

/// The feeds of an OPML document (`file` names it in errors).
pub fn parse(file: &str, text: &str) -> Result<Vec<Outline>, OpmlError> {
    let err = |offset: usize, why: String| {
        let (line, column) = line_col(text, offset);
        OpmlError {
            file: file.to_string(),
            line,
            column,
            why,
        }
    };
    let mut reader = quick_xml::Reader::from_str(text.trim_start_matches('\u{feff}'));
    reader.config_mut().trim_text(true);
    let skipped = text.len() - text.trim_start_matches('\u{feff}').len();
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut out = Vec::new();
    let mut saw_opml = false;
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(0) + skipped;
        let ev = reader.read_event().map_err(|e| {
            let pos = usize::try_from(reader.error_position()).unwrap_or(0) + skipped;
            err(pos, format!("not well-formed XML: {e}"))
        })?;
        let (start, empty) = match &ev {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(e) => {
                if e.name().as_ref().eq_ignore_ascii_case("outline") {
                    folders.pop();
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        let Some(e) = start else { continue };
        let name = e.name().as_ref().to_ascii_lowercase();
        if name == "opml" {
            saw_opml = true;
            continue;
        }
        if name != "outline" {
            continue;
        }
        let mut attrs = std::collections::HashMap::new();
        for a in e.attributes() {
            let a = a.map_err(|x| err(at, format!("a bad attribute: {x}")))?;
            let key = a.key.as_ref().to_ascii_lowercase();
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|x| err(at, format!("a bad attribute value: {x}")))?
                .trim()
                .to_string();
            attrs.insert(key, value);
        }
        let title = attrs
            .get("title")
            .filter(|t| !t.is_empty())
            .or_else(|| attrs.get("text"))
            .cloned()
            .unwrap_or_default();
        match attrs.get("xmlurl").filter(|u| !u.is_empty()) {
            Some(url) => {
                let mut tags: Vec<String> = folders.iter().flatten().cloned().collect();
                if let Some(c) = attrs.get("category") {
                    for t in c.split(',') {
                        let t = t.trim().trim_matches('/').trim();
                        // A path category names its last folder.
                        let t = t.rsplit('/').next().unwrap_or(t).trim();
                        if !t.is_empty() && !tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                            tags.push(t.to_string());
                        }
                    }
                }
                out.push(Outline {
                    url: url.clone(),
                    title,
                    tags,
                });
                if !empty {
                    folders.push(None);
                }
            }
            None => {
                if !empty {
                    folders.push((!title.is_empty()).then_some(title));
                }
            }
        }
    }
    if !saw_opml {
        return Err(err(0, "not an OPML file (no <opml> element)".into()));
    }
    Ok(out)
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c if c.is_control() && c != '\t' => {}
            c => o.push(c),
        }
    }
    o
}

/// An OPML 2.0 document of these feeds: under the folder of their first tag, the other tags
/// in `category`.
pub fn write(feeds: &[Outline], created: &str) -> String {
    let mut s =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    s.push_str(&format!(
        "  <head>\n    <title>folio subscriptions</title>\n    <dateCreated>{}</dateCreated>\n  </head>\n  <body>\n",
        escape(created)
    ));
    let line = |f: &Outline, indent: &str, rest: &[String]| {
        let mut l = format!(
            "{indent}<outline type=\"rss\" text=\"{t}\" title=\"{t}\" xmlUrl=\"{u}\"",
            t = escape(&f.title),
            u = escape(&f.url)
        );
        if !rest.is_empty() {
            let cats: Vec<String> = rest.iter().map(|c| format!("/{c}")).collect();
            l.push_str(&format!(" category=\"{}\"", escape(&cats.join(","))));
        }
        l.push_str("/>\n");
        l
    };
    let mut folders: Vec<&str> = Vec::new();
    for f in feeds {
        if let Some(t) = f.tags.first() {
            if !folders.contains(&t.as_str()) {
                folders.push(t);
            }
        }
    }
    for f in feeds.iter().filter(|f| f.tags.is_empty()) {
        s.push_str(&line(f, "    ", &[]));
    }
    for folder in folders {
        s.push_str(&format!(
            "    <outline text=\"{0}\" title=\"{0}\">\n",
            escape(folder)
        ));
        for f in feeds
            .iter()
            .filter(|f| f.tags.first().map(String::as_str) == Some(folder))
        {
            s.push_str(&line(f, "      ", &f.tags[1..]));
        }
        s.push_str("    </outline>\n");
    }
    s.push_str("  </body>\n</opml>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_tags_and_back() {
        let text = r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>x</title></head><body>
  <outline text="Tech">
    <outline text="Blog &amp; more" type="rss" xmlUrl="https://a.example/feed?x=1&amp;y=2"/>
    <outline text="Sub">
      <outline title="Deep" xmlUrl="http://b.example/rss" category="/extra,/Tech/ai"/>
    </outline>
  </outline>
  <outline text="Loose" xmlUrl="http://c.example/atom"/>
</body></opml>"#;
        let got = parse("subs.opml", text).expect("parses");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].url, "https://a.example/feed?x=1&y=2");
        assert_eq!(got[0].title, "Blog & more");
        assert_eq!(got[0].tags, ["Tech"]);
        assert_eq!(got[1].tags, ["Tech", "Sub", "extra", "ai"]);
        assert!(got[2].tags.is_empty());
        let back = parse("again.opml", &write(&got, "now")).expect("round trip");
        let mut a = got.clone();
        let mut b = back;
        a.sort_by(|x, y| x.url.cmp(&y.url));
        b.sort_by(|x, y| x.url.cmp(&y.url));
        assert_eq!(a, b);
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse(
            "bad.opml",
            "<opml>\n<body>\n<outline text=\"x\" xmlUrl=\"u\">\n</body>",
        )
        .expect_err("broken");
        assert_eq!(e.file, "bad.opml");
        assert!(e.line >= 3, "{e}");
        let e = parse("rss.xml", "<rss><channel/></rss>").expect_err("not opml");
        assert!(e.why.contains("not an OPML"), "{e}");
    }
}
