//! The status line: corpus name, shown/total, and the few keys that matter now.

use super::strings;
use crate::app::keymap::Context;
use crate::app::App;
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let w = usize::from(area.width);
    let mut left = format!(
        " {} · {}/{}",
        text::one_line(&app.corpus.name),
        app.visible.len(),
        app.corpus.articles.len()
    );
    if app.context() == Context::Reader {
        left.push_str(&format!(" · {}%", app.reader_percent()));
    }
    let hints = match app.context() {
        Context::Help => strings::HINTS_HELP,
        Context::Reader => strings::HINTS_READER,
        _ => strings::HINTS_LIST,
    };
    let mut spans = vec![Span::styled(text::truncate(&left, w), app.theme.status)];
    let mut used = text::width(&left).min(w);
    for (key, what) in hints {
        let piece_w = 3 + text::width(key) + 1 + text::width(what);
        if used + piece_w > w {
            break;
        }
        spans.push(Span::styled("   ", app.theme.status));
        spans.push(Span::styled(*key, app.theme.status_key));
        spans.push(Span::styled(format!(" {what}"), app.theme.status));
        used += piece_w;
    }
    spans.push(Span::styled(" ".repeat(w - used), app.theme.status));
    Paragraph::new(Line::from(spans)).render(area, buf);
}
