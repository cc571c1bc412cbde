//! The reading view as lines: title, metadata, wrapped paragraphs. Pure text layout shared by
//! `update` (paging, keeping the place on resize) and the renderer.
//!
//! A body's structure is written in its text (see `import::html`): a paragraph of several
//! lines, or one that starts with a list marker, is laid out line by line. Code lines (four
//! spaces in) are never re-wrapped, only cut where the width ends; quote lines (`> `) are drawn
//! behind a bar; list items, table rows and the list of links wrap under their own start.

use crate::corpus::Article;
use crate::text;

/// The longest line the reader wraps to, however wide the terminal.
pub const MAX_LINE: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Title,
    Meta,
    /// The article's link, under the metadata.
    Link,
    Blank,
    Body,
    /// A line of a code block.
    Code,
    /// A line of a block quote.
    Quote,
    /// A list item, table row or link reference (wrapped under its own start).
    Item,
}

/// One laid-out line of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocLine {
    pub kind: LineKind,
    pub text: String,
    /// Which block it belongs to: 0 the title, 1 the metadata, then 2 + paragraph index.
    pub block: usize,
    /// Character offset of the line's start within its block.
    pub offset: usize,
}

fn push_wrapped(out: &mut Vec<DocLine>, kind: LineKind, block: usize, para: &str, width: usize) {
    // Body text starts at 1 so that the blank line before a paragraph (offset 0) has its own place.
    let offset = usize::from(kind == LineKind::Body);
    push_wrapped_from(out, kind, block, para, width, offset);
}

fn push_wrapped_from(
    out: &mut Vec<DocLine>,
    kind: LineKind,
    block: usize,
    para: &str,
    width: usize,
    mut offset: usize,
) {
    for l in text::wrap(para, width) {
        let n = l.chars().count();
        out.push(DocLine {
            kind,
            text: l,
            block,
            offset,
        });
        offset += n + 1;
    }
}

/// Lay out an article at `width` columns (capped at [`MAX_LINE`]).
pub fn layout(a: &Article, width: usize) -> Vec<DocLine> {
    layout_with(a, &a.body, width)
}

/// As `layout`, with the body given (one read from disk for an article whose body is not in
/// memory).
pub fn layout_with(a: &Article, body: &str, width: usize) -> Vec<DocLine> {
    layout_noted(a, body, "", width)
}

/// As `layout_with`, with the reader's note on the article under its header (in the
/// metadata's block, so that saved places in the text keep their blocks).
pub fn layout_noted(a: &Article, body: &str, note: &str, width: usize) -> Vec<DocLine> {
    let width = width.clamp(1, MAX_LINE);
    let mut out = Vec::new();
    push_wrapped(
        &mut out,
        LineKind::Title,
        0,
        &text::one_line(&a.title),
        width,
    );
    let meta = a.meta_line();
    push_wrapped(&mut out, LineKind::Meta, 1, &meta, width);
    // The link belongs to the metadata's block, so saved places in the text keep their block.
    if let Some(u) = a.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        let from = meta.chars().count() + 1;
        push_wrapped_from(&mut out, LineKind::Link, 1, &text::one_line(u), width, from);
    }
    let mut from = out
        .last()
        .map_or(0, |l| l.offset + l.text.chars().count() + 1);
    for line in note.trim_end().lines() {
        let line = format!("✎ {}", text::one_line(line));
        push_wrapped_from(&mut out, LineKind::Quote, 1, &line, width, from);
        from = out
            .last()
            .map_or(from, |l| l.offset + l.text.chars().count() + 1);
    }
    for (i, p) in crate::corpus::paragraphs_of(body).enumerate() {
        out.push(DocLine {
            kind: LineKind::Blank,
            text: String::new(),
            block: i + 2,
            offset: 0,
        });
        if is_structured(p) {
            push_structured(&mut out, i + 2, p, width);
        } else {
            push_wrapped(&mut out, LineKind::Body, i + 2, &text::one_line(p), width);
        }
    }
    out
}

/// The marker that starts a list item or a link reference (`• `, `12. `, `[3] `), if any.
fn marker(line: &str) -> Option<usize> {
    if line.starts_with("• ") {
        return Some("• ".len());
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < 6 && line[digits..].starts_with(". ") {
        return Some(digits + 2);
    }
    if line.starts_with('[') {
        let close = line.find("] ")?;
        if close > 1 && close < 7 && line[1..close].bytes().all(|b| b.is_ascii_digit()) {
            return Some(close + 2);
        }
    }
    None
}

/// Whether a paragraph is laid out line by line.
fn is_structured(p: &str) -> bool {
    let p = p.trim_matches('\n');
    p.contains('\n') || p.starts_with("    ") || p.starts_with("> ") || marker(p).is_some()
}

/// Cut a line at `width` columns without looking for words (code).
fn cut(line: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    for c in line.chars() {
        let cw = text::width(c.encode_utf8(&mut [0; 4]));
        if w + cw > width && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            w = 0;
        }
        cur.push(c);
        w += cw;
    }
    out.push(cur);
    out
}

/// A paragraph line by line: code cut, quotes behind a bar, items under their own start.
fn push_structured(out: &mut Vec<DocLine>, block: usize, para: &str, width: usize) {
    let mut offset = 1;
    for raw in para.trim_matches('\n').split('\n') {
        let line = text::sanitize(raw, false);
        let n = line.chars().count();
        if let Some(code) = line.strip_prefix("    ") {
            let mut off = offset;
            for piece in cut(&format!("  {}", code.trim_end()), width) {
                let k = piece.chars().count();
                out.push(DocLine {
                    kind: LineKind::Code,
                    text: piece,
                    block,
                    offset: off,
                });
                off += k;
            }
        } else if line.starts_with("> ") || line == ">" {
            let mut depth = 0;
            let mut rest = line.as_str();
            while let Some(r) = rest.strip_prefix("> ").or_else(|| rest.strip_prefix('>')) {
                depth += 1;
                rest = r;
            }
            let bar = "│ ".repeat(depth);
            let inner = width.saturating_sub(2 * depth).max(1);
            let mut off = offset;
            for piece in text::wrap(&text::one_line(rest), inner) {
                let k = piece.chars().count();
                out.push(DocLine {
                    kind: LineKind::Quote,
                    text: format!("{bar}{piece}"),
                    block,
                    offset: off,
                });
                off += k + 1;
            }
        } else {
            let lead = line.len() - line.trim_start().len();
            let body = line.trim_start();
            let first = &line[..(lead + marker(body).unwrap_or(0)).min(line.len())];
            let hang = text::width(first);
            let hang = if hang * 2 > width { 0 } else { hang };
            let rest = &line[first.len()..];
            let pieces = text::wrap(&text::one_line(rest), width.saturating_sub(hang).max(1));
            let mut off = offset;
            let kind = if marker(body).is_some() || lead > 0 {
                LineKind::Item
            } else {
                LineKind::Body
            };
            for (k, piece) in pieces.into_iter().enumerate() {
                let lead = if k == 0 {
                    first.to_string()
                } else {
                    " ".repeat(hang)
                };
                let len = piece.chars().count();
                out.push(DocLine {
                    kind,
                    text: format!("{lead}{piece}"),
                    block,
                    offset: off,
                });
                off += len + 1;
            }
        }
        offset += n + 1;
    }
}

/// Where a line index is, as (block, character offset), to find it again at another width.
pub fn anchor(lines: &[DocLine], top: usize) -> (usize, usize) {
    lines.get(top).map_or((0, 0), |l| (l.block, l.offset))
}

/// The line index holding an anchor.
pub fn find_anchor(lines: &[DocLine], anchor: (usize, usize)) -> usize {
    let mut best = 0;
    for (i, l) in lines.iter().enumerate() {
        let here = (l.block, l.offset);
        if here == anchor {
            return i;
        }
        if here > anchor {
            break;
        }
        best = i;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Article {
        Article {
            id: "x".into(),
            title: "A title long enough to wrap at narrow widths".into(),
            body: "First paragraph with a number of words in it that will wrap.\n\nSecond paragraph, also with enough words to wrap over lines.".into(),
            date: None,
            sector: Some("Auto & EV".into()),
            tags: vec!["ev".into()],
            entities: vec![],
            ..Article::default()
        }
    }

    #[test]
    fn structure_is_laid_out_line_by_line() {
        let a = Article {
            id: "s".into(),
            title: "T".into(),
            body: "Intro text.\n\n• first item that is long enough to wrap\n  1. nested\n\n    let x = 1; // a long line of code that is cut\n\n> a quote that wraps over two lines\n\nName | Score\nA | 1".into(),
            ..Article::default()
        };
        let lines = layout(&a, 20);
        let texts: Vec<(&str, LineKind)> = lines
            .iter()
            .skip(3)
            .map(|l| (l.text.as_str(), l.kind))
            .collect();
        assert!(
            texts.contains(&("• first item that is", LineKind::Item)),
            "{texts:?}"
        );
        assert!(
            texts.contains(&("  long enough to", LineKind::Item)),
            "hanging indent: {texts:?}"
        );
        assert!(
            texts.contains(&("  1. nested", LineKind::Item)),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|(t, k)| *k == LineKind::Code && t.starts_with("  let x = 1;")),
            "{texts:?}"
        );
        assert!(
            texts
                .iter()
                .any(|(t, k)| *k == LineKind::Quote && t.starts_with("│ a quote")),
            "{texts:?}"
        );
        assert!(
            texts.contains(&("Name | Score", LineKind::Body)),
            "{texts:?}"
        );
        assert!(
            lines.iter().all(|l| text::width(&l.text) <= 20),
            "{lines:?}"
        );
    }

    #[test]
    fn anchors_survive_rewrapping() {
        let a = article();
        let wide = layout(&a, 60);
        let narrow = layout(&a, 12);
        // The start of the second paragraph at both widths.
        let top = wide
            .iter()
            .position(|l| l.text.starts_with("Second"))
            .expect("line");
        let at = find_anchor(&narrow, anchor(&wide, top));
        assert!(narrow[at].text.starts_with("Second"), "{:?}", narrow[at]);
        assert_eq!(find_anchor(&narrow, anchor(&wide, 0)), 0);
        assert!(narrow.iter().all(|l| text::width(&l.text) <= 12));
    }
}
