//! HTML (feed content, saved and fetched pages) to the corpus's plain text, keeping what the
//! author wrote: paragraphs and headings as paragraphs; list items each on a line with `•`
//! or its number (nested ones indented); block quotes with `> ` before each line; code
//! blocks line by line, each line four spaces in (never re-wrapped); table rows as lines of
//! cells separated by ` | `; images as `[image: alt]` on their own line; a line break kept.
//! Each link becomes a number after its text (`[3]`), and the numbers are listed at the end,
//! in a last paragraph that starts `Links:`. Entities are always decoded; scripts, styles,
//! frames, embeds, objects and meta tags are left out; struck-through text is plain text.
//!
//! The reader draws these conventions (`app::doc`); search, find and export read the text
//! as it is.

use dom_query::{Document, NodeRef};

/// The first line of the list of links at the end of an article.
pub const LINKS_HEADING: &str = "Links:";

/// Elements whose content is never text.
const SKIP: &[&str] = &[
    "script", "style", "meta", "link", "template", "head", "svg", "math", "input", "button",
    "select", "textarea", "source", "track", "canvas", "param", "frame", "frameset",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "center",
    "dl",
    "dt",
    "dd",
    "fieldset",
    "legend",
    "caption",
    "body",
    "html",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hgroup",
];

/// How deep the walk goes; deeper content is taken as plain text.
const MAX_DEPTH: usize = 200;

/// HTML rendered to paragraphs, with the links it numbered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub paragraphs: Vec<String>,
    pub links: Vec<String>,
}

impl Rendered {
    /// The paragraphs, then the list of links as a last paragraph.
    pub fn into_paragraphs(mut self) -> Vec<String> {
        if !self.links.is_empty() {
            let mut l = String::from(LINKS_HEADING);
            for (i, u) in self.links.iter().enumerate() {
                l.push_str(&format!("\n[{}] {u}", i + 1));
            }
            self.paragraphs.push(l);
        }
        self.paragraphs
    }
}

struct Renderer {
    out: Vec<String>,
    /// The paragraph being written.
    cur: String,
    /// Lines of the list or table being written, kept together as one paragraph.
    group: Option<Vec<String>>,
    /// Before the next line: a list item's marker and indent.
    prefix: Option<String>,
    /// Indent of continued lines of a list item.
    indent: usize,
    quote: usize,
    list_depth: usize,
    links: Vec<String>,
    base: Option<url::Url>,
    number_links: bool,
}

fn collapse_into(out: &mut String, text: &str) {
    for (i, piece) in text.split(char::is_whitespace).enumerate() {
        if i > 0 && !out.ends_with([' ', '\n']) && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(piece);
    }
}

impl Renderer {
    fn new(base: Option<&str>, number_links: bool) -> Renderer {
        Renderer {
            out: Vec::new(),
            cur: String::new(),
            group: None,
            prefix: None,
            indent: 0,
            quote: 0,
            list_depth: 0,
            links: Vec::new(),
            base: base.and_then(|b| url::Url::parse(b).ok()),
            number_links,
        }
    }

    /// End the paragraph (or list line) being written.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.cur);
        let lines: Vec<String> = text
            .split('\n')
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect();
        let lines: Vec<&String> = {
            // Blank lines at either end go; inside, a blank line ends a paragraph.
            let first = lines.iter().position(|l| !l.is_empty());
            let last = lines.iter().rposition(|l| !l.is_empty());
            match (first, last) {
                (Some(a), Some(b)) => lines[a..=b].iter().collect(),
                _ => Vec::new(),
            }
        };
        if lines.is_empty() {
            return;
        }
        let mut block = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            let lead = if i == 0 {
                self.prefix.take().unwrap_or_default()
            } else {
                " ".repeat(self.indent)
            };
            block.push(format!("{lead}{l}"));
        }
        self.emit(block);
    }

    /// Add lines: to the group being written, or as a paragraph of their own.
    fn emit(&mut self, lines: Vec<String>) {
        let q = "> ".repeat(self.quote);
        let lines: Vec<String> = lines.into_iter().map(|l| format!("{q}{l}")).collect();
        if let Some(g) = &mut self.group {
            g.extend(lines);
        } else {
            let p = lines.join("\n");
            if !p.trim().is_empty() {
                self.out.push(p);
            }
        }
    }

    fn link_number(&mut self, href: &str) -> Option<usize> {
        let h = href.trim();
        if h.is_empty() || h.starts_with('#') {
            return None;
        }
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("javascript:") || lower.starts_with("data:") {
            return None;
        }
        let abs = match &self.base {
            Some(b) => b.join(h).map_or_else(|_| h.to_string(), |u| u.to_string()),
            None => h.to_string(),
        };
        if let Some(i) = self.links.iter().position(|l| *l == abs) {
            return Some(i + 1);
        }
        self.links.push(abs);
        Some(self.links.len())
    }

    fn children(&mut self, node: &NodeRef<'_>, depth: usize) {
        for c in node.children_it(false) {
            self.node(&c, depth + 1);
        }
    }

    fn node(&mut self, node: &NodeRef<'_>, depth: usize) {
        if node.is_text() {
            let t = node.text();
            collapse_into(&mut self.cur, &t);
            return;
        }
        if !node.is_element() {
            if node.is_document() || node.is_fragment() {
                self.children(node, depth);
            }
            return;
        }
        let name = node
            .node_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        if SKIP.contains(&name.as_str()) {
            return;
        }
        if depth > MAX_DEPTH {
            collapse_into(&mut self.cur, &node.text());
            return;
        }
        match name.as_str() {
            "br" => self.cur.push('\n'),
            "hr" => self.flush(),
            "img" => {
                let alt = node
                    .attr("alt")
                    .or_else(|| node.attr("title"))
                    .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
                    .unwrap_or_default();
                self.flush();
                let line = if alt.is_empty() {
                    "[image]".to_string()
                } else {
                    format!("[image: {alt}]")
                };
                let lead = self.prefix.take().unwrap_or_default();
                self.emit(vec![format!("{lead}{line}")]);
            }
            "a" => {
                let before = self.cur.len();
                let blocks = self.out.len() + self.group.as_ref().map_or(0, Vec::len);
                self.children(node, depth);
                // The link's own text: what was added to the paragraph, unless a block inside
                // the link (an image, a paragraph) ended it.
                let same_paragraph =
                    self.out.len() + self.group.as_ref().map_or(0, Vec::len) == blocks;
                let has_text = if same_paragraph {
                    self.cur
                        .get(before..)
                        .is_some_and(|t| t.chars().any(|c| !c.is_whitespace()))
                } else {
                    !self.cur.trim().is_empty()
                };
                if self.number_links && has_text {
                    if let Some(href) = node.attr("href").map(|h| h.to_string()) {
                        if let Some(n) = self.link_number(&href) {
                            let t = self.cur.trim_end().len();
                            let spaced = t < self.cur.len();
                            self.cur.truncate(t);
                            self.cur.push_str(&format!(" [{n}]"));
                            if spaced {
                                self.cur.push(' ');
                            }
                        }
                    }
                }
            }
            "pre" => {
                self.flush();
                let text = node.text();
                let lines: Vec<String> = text
                    .trim_end()
                    .trim_start_matches('\n')
                    .lines()
                    .map(|l| format!("    {}", l.trim_end().replace('\t', "    ")))
                    .collect();
                if !lines.is_empty() {
                    let lead = self.prefix.take();
                    let mut lines = lines;
                    if let Some(p) = lead {
                        lines.insert(0, p.trim_end().to_string());
                    }
                    self.emit(lines);
                }
            }
            "ul" | "ol" | "menu" => {
                self.flush();
                let outer = self.group.is_none();
                if outer {
                    self.group = Some(Vec::new());
                }
                let mut n: i64 = node
                    .attr("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                let saved_indent = self.indent;
                self.list_depth += 1;
                for c in node.children_it(false) {
                    let is_li = c.node_name().is_some_and(|x| x.eq_ignore_ascii_case("li"));
                    if !is_li {
                        self.node(&c, depth + 1);
                        continue;
                    }
                    let pad = "  ".repeat(self.list_depth - 1);
                    let marker = if name == "ol" {
                        let m = format!("{n}. ");
                        n += 1;
                        m
                    } else {
                        "• ".to_string()
                    };
                    self.flush();
                    self.indent = pad.len() + marker.chars().count();
                    self.prefix = Some(format!("{pad}{marker}"));
                    self.children(&c, depth + 1);
                    self.flush();
                    self.prefix = None;
                    self.indent = saved_indent;
                }
                self.list_depth -= 1;
                if outer {
                    let lines = self.group.take().unwrap_or_default();
                    if !lines.is_empty() {
                        self.out.push(lines.join("\n"));
                    }
                }
            }
            "li" => {
                // A list item outside a list.
                self.flush();
                self.prefix = Some("• ".into());
                self.indent = 2;
                self.children(node, depth);
                self.flush();
                self.indent = 0;
            }
            "blockquote" => {
                self.flush();
                self.quote += 1;
                self.children(node, depth);
                self.flush();
                self.quote -= 1;
            }
            "table" => {
                self.flush();
                let mut rows = Vec::new();
                for tr in node.descendants_it() {
                    if !tr.node_name().is_some_and(|x| x.eq_ignore_ascii_case("tr")) {
                        continue;
                    }
                    let mut cells = Vec::new();
                    for cell in tr.children_it(false) {
                        let is_cell = cell.node_name().is_some_and(|x| {
                            x.eq_ignore_ascii_case("td") || x.eq_ignore_ascii_case("th")
                        });
                        if !is_cell {
                            continue;
                        }
                        let mut sub = Renderer::new(None, false);
                        sub.base.clone_from(&self.base);
                        sub.children(&cell, depth + 1);
                        sub.flush();
                        let text = sub
                            .out
                            .join(" ")
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ");
                        // Links inside cells are numbered with the rest.
                        if self.number_links {
                            for a in cell.descendants_it() {
                                if a.node_name().is_some_and(|x| x.eq_ignore_ascii_case("a")) {
                                    if let Some(h) = a.attr("href").map(|h| h.to_string()) {
                                        let _ = self.link_number(&h);
                                    }
                                }
                            }
                        }
                        if !text.is_empty() {
                            cells.push(text);
                        }
                    }
                    if !cells.is_empty() {
                        rows.push(cells.join(" | "));
                    }
                }
                if !rows.is_empty() {
                    self.emit(rows);
                }
            }
            n if BLOCKS.contains(&n) => {
                self.flush();
                self.children(node, depth);
                self.flush();
            }
            _ => self.children(node, depth),
        }
    }
}

/// Elements whose content an HTML parser reads as raw text up to their end tag, so one left
/// open swallows the rest: their tags are dropped before parsing (their content stays, as a
/// sanitizer leaves it).
const RAW_TEXT: &[&str] = &[
    "iframe",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    "textarea",
    "title",
    "noscript",
];

fn drop_raw_text_tags(html: &str) -> std::borrow::Cow<'_, str> {
    let lower = html.to_ascii_lowercase();
    if !RAW_TEXT.iter().any(|t| lower.contains(&format!("<{t}"))) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut i = 0;
    while let Some(k) = lower[i..].find('<') {
        let at = i + k;
        out.push_str(&html[i..at]);
        let rest = &lower[at + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let is_raw = RAW_TEXT.iter().any(|t| {
            rest.starts_with(t)
                && !rest[t.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        });
        if is_raw {
            let end = lower[at..].find('>').map_or(html.len(), |e| at + e + 1);
            i = end;
        } else {
            out.push('<');
            i = at + 1;
        }
    }
    out.push_str(&html[i..]);
    std::borrow::Cow::Owned(out)
}

/// Render an HTML fragment (or page) to paragraphs, relative links resolved against `base`.
pub fn render(html: &str, base: Option<&str>) -> Rendered {
    let html = drop_raw_text_tags(html);
    let doc = Document::fragment(html.as_ref());
    let mut r = Renderer::new(base, true);
    r.node(&doc.root(), 0);
    r.flush();
    Rendered {
        paragraphs: r.out,
        links: r.links,
    }
}

/// Whether a string looks like HTML rather than plain text.
pub fn looks_like_html(s: &str) -> bool {
    // Every sign below starts with `<` or `&`: plain text (most bodies) is done at once.
    if !s.bytes().any(|b| b == b'<' || b == b'&') {
        return false;
    }
    let l = s.to_ascii_lowercase();
    [
        "<p",
        "<br",
        "<div",
        "</a>",
        "<img",
        "<li",
        "<span",
        "</",
        "&lt;p",
        "&nbsp;",
        "<b>",
        "<i>",
        "<em>",
        "<strong>",
        "<h1",
        "<h2",
        "<h3",
        "<table",
        "<pre",
        "<blockquote",
    ]
    .iter()
    .any(|t| l.contains(t))
}

/// Plain paragraphs of an HTML fragment, links numbered and listed at the end.
pub fn html_to_paragraphs(html: &str) -> Vec<String> {
    render(html, None).into_paragraphs()
}

/// Plain text of a short HTML fragment (a title), on one line, links not numbered.
pub fn html_to_line(s: &str) -> String {
    if !s.contains(['<', '&']) {
        return s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let doc = Document::fragment(s);
    let mut r = Renderer::new(None, false);
    r.node(&doc.root(), 0);
    r.flush();
    r.out
        .join(" ")
        .replace("[image]", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_is_kept_as_written() {
        let r = render(
            "<h2>Heading</h2><p>First <b>bold</b> &amp; <a href=\"/x\">link</a>.</p>\
             <ul><li>one</li><li>two<ol><li>deep</li></ol></li></ul>\
             <ol start=\"3\"><li>third</li></ol>\
             <blockquote><p>quoted</p><p>more</p></blockquote>\
             <pre><code>fn main() {\n    println!(\"hi\");\n}</code></pre>\
             <table><tr><th>Name</th><th>Score</th></tr><tr><td>A</td><td>1</td></tr></table>\
             <figure><img src=\"p.jpg\" alt=\"A photo\"><figcaption>The caption</figcaption></figure>\
             <p>line<br>break <s>gone</s> x<sup></sup>19<sup>th</sup></p><hr>\
             <script>alert(1)</script><iframe src=\"x\"></iframe><p>End &quot;зоопарк&quot; &#X61;</p>",
            Some("https://example.com/a/"),
        );
        let p = r.clone().into_paragraphs();
        assert_eq!(p[0], "Heading");
        assert_eq!(p[1], "First bold & link [1].");
        assert_eq!(p[2], "• one\n• two\n  1. deep");
        assert_eq!(p[3], "3. third");
        assert_eq!(p[4], "> quoted");
        assert_eq!(p[5], "> more");
        assert_eq!(p[6], "    fn main() {\n        println!(\"hi\");\n    }");
        assert_eq!(p[7], "Name | Score\nA | 1");
        assert_eq!(p[8], "[image: A photo]");
        assert_eq!(p[9], "The caption");
        assert_eq!(p[10], "line\nbreak gone x19th");
        assert_eq!(p[11], "End \"зоопарк\" a");
        assert_eq!(p[12], "Links:\n[1] https://example.com/x");
        assert_eq!(r.links, ["https://example.com/x"]);
        assert!(!p.iter().any(|x| x.contains("alert")));
    }

    #[test]
    fn titles_are_one_line() {
        assert_eq!(html_to_line("A &amp; B"), "A & B");
        assert_eq!(
            html_to_line("<b>Big</b> <a href=\"/x\">news</a>"),
            "Big news"
        );
        assert_eq!(html_to_line("plain  text"), "plain text");
    }
}
