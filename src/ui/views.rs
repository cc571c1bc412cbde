//! The saved views pane: a box over the middle of the screen listing each view, its key and
//! its count of results.

use super::strings;
use crate::app::keymap;
use crate::app::App;
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub fn render_views(app: &App, cursor: usize, area: Rect, buf: &mut Buffer) {
    let w = area.width.saturating_sub(4).clamp(1, 64);
    let h = (app.views().len() as u16 + 2)
        .min(area.height.saturating_sub(2))
        .max(1);
    let rect = Rect {
        x: area.x + area.width.saturating_sub(w) / 2,
        y: area.y + area.height.saturating_sub(h) / 3,
        width: w.min(area.width),
        height: h.min(area.height),
    };
    if rect.width == 0 || rect.height == 0 {
        return;
    }
    let inner = super::overlay(app, rect, strings::VIEWS_TITLE, (10, 3), buf);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let width = usize::from(inner.width);
    let rows = usize::from(inner.height);
    let skip = (cursor + 1).saturating_sub(rows);
    let in_use = app.view_in_use();
    let lines: Vec<Line> = app
        .views()
        .iter()
        .enumerate()
        .skip(skip)
        .take(rows)
        .map(|(i, v)| {
            let count = match app.view_counts().get(i).copied().flatten() {
                Some(n) => n.to_string(),
                None => strings::COUNTING.to_string(),
            };
            let key = v
                .key
                .as_deref()
                .and_then(|k| keymap::parse_key(k).ok())
                .map(|(c, m)| keymap::key_label(c, m))
                .unwrap_or_default();
            let mark = if in_use == Some(v) { "● " } else { "  " };
            let right = format!(" {key:>4} {count:>6}");
            let name_w = width.saturating_sub(text::width(&right) + 2);
            let style = if i == cursor {
                app.theme().selected
            } else {
                app.theme().base
            };
            Line::from(vec![
                Span::styled(mark, style),
                Span::styled(text::pad(&text::one_line(&v.name), name_w), style),
                Span::styled(right, style),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}
