//! The help overlay, generated from the keymap.

use super::strings;
use crate::app::keymap::help_rows;
use crate::app::App;
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// The help's lines: a heading per context, then key and description.
pub fn help_lines(app: &App, width: usize) -> Vec<Line<'static>> {
    let rows = help_rows(app.keymap());
    let kw = rows.iter().map(|r| text::width(&r.1)).max().unwrap_or(0);
    let mut lines = Vec::new();
    let mut section = "";
    for (sec, key, what) in rows {
        if sec != section {
            lines.push(Line::styled(sec.to_string(), app.theme().help_section));
            section = sec;
        }
        // The description wrapped under itself (never cut), beside the key.
        let desc_w = width.saturating_sub(kw + 3).max(8);
        for (i, part) in text::wrap(&what, desc_w).into_iter().enumerate() {
            let k = if i == 0 {
                format!(" {}", text::pad(&key, kw))
            } else {
                " ".repeat(kw + 1)
            };
            lines.push(Line::from(vec![
                Span::styled(k, app.theme().help_key),
                Span::raw("  "),
                Span::styled(text::truncate(&part, desc_w), app.theme().base),
            ]));
        }
    }
    lines
}

pub fn render_help(app: &App, scroll: usize, area: Rect, buf: &mut Buffer) {
    let w = area.width.min(64);
    let h = area.height.saturating_sub(1).max(1).min(area.height);
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y,
        width: w,
        height: h,
    };
    let inner = super::overlay(app, rect, strings::HELP_TITLE, (10, 4), buf);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let lines = help_lines(app, usize::from(inner.width));
    let max_scroll = lines.len().saturating_sub(usize::from(inner.height));
    let scroll = scroll.min(max_scroll);
    let lines: Vec<Line> = lines.into_iter().skip(scroll).collect();
    Paragraph::new(lines).render(inner, buf);
    // Say there is more below when the help does not fit.
    if scroll < max_scroll && rect.height >= 4 && rect.width >= 12 {
        let more = strings::HELP_MORE;
        let x = rect.x + rect.width - 2 - text::width(more) as u16;
        buf.set_string(x, rect.y + rect.height - 1, more, app.theme().border_focus);
    }
}
