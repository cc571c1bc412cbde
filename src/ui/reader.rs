//! The reading pane: title, metadata, wrapped paragraphs, a scrollbar.

use super::{layout, pane_block, strings};
use crate::app::doc::LineKind;
use crate::app::{App, Focus};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{
    Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget,
};

pub fn render_reader(app: &App, pane: Rect, area: Rect, buf: &mut Buffer) {
    let focused = app.focus == Focus::Reader;
    let title = format!("{} {}%", strings::READER_TITLE, app.reader_percent());
    if let Some(block) = pane_block(app, title, focused, area) {
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
        .style(app.theme.dim)
        .render(inner, buf);
        return;
    }
    let doc = app.reader_doc();
    let h = usize::from(inner.height);
    let top = app.reader_top.min(doc.len().saturating_sub(1));
    let lines: Vec<Line> = doc
        .iter()
        .skip(top)
        .take(h)
        .map(|l| {
            let style = match l.kind {
                LineKind::Title => app.theme.title,
                LineKind::Meta => app.theme.meta,
                LineKind::Blank | LineKind::Body => app.theme.base,
            };
            Line::styled(l.text.clone(), style)
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
            .style(app.theme.scrollbar)
            .render(sb_area, buf, &mut state);
    }
}
