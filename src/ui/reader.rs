//! The reading pane: title, metadata, wrapped paragraphs, a scrollbar.

use super::{pane_block, strings};
use crate::app::doc::LineKind;
use crate::app::layout;
use crate::app::{App, Focus};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget,
};

pub fn render_reader(app: &App, pane: Rect, area: Rect, buf: &mut Buffer) {
    let focused = app.focus() == Focus::Reader;
    // A place in an article only when one is open.
    let title = if app.current().is_some() {
        format!("{} {}%", strings::READER_TITLE, app.reader_percent())
    } else {
        strings::READER_TITLE.to_string()
    };
    if let Some(block) = pane_block(app, &title, focused, area) {
        block.render(pane, buf);
    }
    let inner = layout::inner(pane, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    if app.current().is_none() {
        Paragraph::new(text::truncate(
            strings::NOTHING_SELECTED,
            usize::from(inner.width),
        ))
        .style(app.theme().dim)
        .render(inner, buf);
        return;
    }
    let doc = app.reader_doc();
    let h = usize::from(inner.height);
    let top = app.reader_top().min(doc.len().saturating_sub(1));
    // Words of the list query, and the article search, stand out in the text.
    let article_q = app
        .article_search()
        .and_then(|s| crate::query::parse(&s.text).ok());
    let current_line = app
        .article_search()
        .and_then(|s| s.lines.get(s.current).copied());
    let lines: Vec<Line> = doc
        .iter()
        .enumerate()
        .skip(top)
        .take(h)
        .map(|(n, l)| {
            let style = match l.kind {
                LineKind::Title => app.theme().title,
                LineKind::Meta => app.theme().meta,
                LineKind::Link => app.theme().link,
                LineKind::Blank | LineKind::Body | LineKind::Item => app.theme().base,
                LineKind::Code => app.theme().code,
                LineKind::Quote => app.theme().quote,
            };
            if matches!(l.kind, LineKind::Meta | LineKind::Link | LineKind::Blank) {
                return Line::styled(l.text.clone(), style);
            }
            let mut ranges = crate::query::highlight::text_matches(&l.text, app.query());
            let hl = if current_line == Some(n) {
                app.theme().current_match
            } else {
                app.theme().matched
            };
            if let Some(q) = &article_q {
                ranges.extend(crate::query::highlight::text_matches(&l.text, q));
                ranges.sort_unstable();
            }
            highlight(&l.text, &ranges, style, hl)
        })
        .collect();
    let text_area = Rect {
        x: inner
            .x
            .saturating_add(1)
            .min(inner.x + inner.width.saturating_sub(1)),
        width: inner.width.saturating_sub(3).max(1),
        ..inner
    };
    Paragraph::new(lines).render(text_area, buf);
    // ratatui 0.29's Scrollbar panics on an empty area: only draw it where it fits.
    if inner.width >= 3 && inner.height >= 2 && doc.len() > h {
        let sb_area = Rect {
            x: inner.x + inner.width - 1,
            width: 1,
            ..inner
        };
        let mut state = ScrollbarState::new(app.reader_max_top() + 1).position(top);
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None)
            .style(app.theme().scrollbar)
            .render(sb_area, buf, &mut state);
    }
}

/// A line with byte ranges styled as matches.
fn highlight(text: &str, ranges: &[(usize, usize)], base: Style, hl: Style) -> Line<'static> {
    if ranges.is_empty() {
        return Line::styled(text.to_string(), base);
    }
    let mut spans = Vec::new();
    let mut pos = 0;
    for &(s, e) in ranges {
        if s < pos || e > text.len() || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        if s > pos {
            spans.push(Span::styled(text[pos..s].to_string(), base));
        }
        spans.push(Span::styled(text[s..e].to_string(), hl));
        pos = e;
    }
    if pos < text.len() {
        spans.push(Span::styled(text[pos..].to_string(), base));
    }
    Line::from(spans)
}

/// Where the article's link is on screen, for the runtime to make it a hyperlink (OSC 8):
/// each visible line of it, and the address. Computed from `&App` as drawing does.
pub fn link_spots(app: &App, area: Rect) -> Vec<(Rect, String)> {
    let panes = layout::panes(
        area,
        app.focus(),
        app.facets_open(),
        matches!(app.overlay(), crate::app::Overlay::Search(_)),
        app.prefs().list_width,
    );
    if !matches!(
        app.overlay(),
        crate::app::Overlay::None | crate::app::Overlay::Search(_)
    ) {
        return Vec::new();
    }
    let (Some(pane), Some(url)) = (panes.reader, app.current_link()) else {
        return Vec::new();
    };
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://"))
        || url.chars().any(|c| c.is_control() || c.is_whitespace())
    {
        return Vec::new();
    }
    let inner = layout::inner(pane, area);
    if inner.width < 4 || inner.height == 0 {
        return Vec::new();
    }
    let doc = app.reader_doc();
    let top = app.reader_top().min(doc.len().saturating_sub(1));
    let x = inner.x.saturating_add(1);
    let max_w = inner.width.saturating_sub(3);
    doc.iter()
        .enumerate()
        .skip(top)
        .take(usize::from(inner.height))
        .filter(|(_, l)| l.kind == LineKind::Link)
        .map(|(n, l)| {
            let w = (text::width(&l.text) as u16).min(max_w);
            (
                Rect::new(x, inner.y + (n - top) as u16, w, 1),
                url.to_string(),
            )
        })
        .collect()
}
