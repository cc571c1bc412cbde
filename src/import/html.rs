//! HTML bodies (feed content, exported pages) to plain paragraphs.

/// Whether a string looks like HTML rather than plain text.
pub fn looks_like_html(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    [
        "<p", "<br", "<div", "</a>", "<img", "<li", "<span", "</", "&lt;p", "&nbsp;",
    ]
    .iter()
    .any(|t| l.contains(t))
}

/// Plain paragraphs of an HTML fragment: no tags, no link footnotes, entities decoded,
/// paragraphs separated by blank lines, lines not wrapped.
pub fn html_to_paragraphs(html: &str) -> Vec<String> {
    let text = html2text::config::with_decorator(html2text::render::TrivialDecorator::new())
        .string_from_read(html.as_bytes(), 100_000)
        .unwrap_or_else(|_| html.to_string());
    let mut paras = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            if !cur.is_empty() {
                paras.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(t);
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    paras
}

/// Plain text of a short HTML fragment (a title), on one line.
pub fn html_to_line(s: &str) -> String {
    if looks_like_html(s) || s.contains('&') {
        html_to_paragraphs(s).join(" ")
    } else {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_without_tags_or_footnotes() {
        let p = html_to_paragraphs(
            "<p>First <b>bold</b> &amp; <a href=\"http://x.example\">link</a>.</p><p>Second<br>line</p>",
        );
        assert_eq!(p[0], "First bold & link.");
        assert!(
            p.iter()
                .all(|x| !x.contains("http://x.example") && !x.contains('<')),
            "{p:?}"
        );
        assert!(p.len() >= 2);
        assert_eq!(html_to_line("A &amp; B"), "A & B");
    }
}
