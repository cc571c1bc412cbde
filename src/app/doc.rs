//! The reading view as lines: title, metadata, wrapped paragraphs. Pure text layout shared by
//! `update` (paging, keeping the place on resize) and the renderer.

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
    for (i, p) in a.paragraphs().enumerate() {
        out.push(DocLine {
            kind: LineKind::Blank,
            text: String::new(),
            block: i + 2,
            offset: 0,
        });
        push_wrapped(&mut out, LineKind::Body, i + 2, &text::one_line(p), width);
    }
    out
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
