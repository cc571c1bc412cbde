//! The note editor: a box over the middle of the screen.

use super::strings;
use crate::app::note::NoteEditor;
use crate::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

pub fn render_note(app: &App, editor: &NoteEditor, area: Rect, buf: &mut Buffer) {
    let ta = editor.textarea();
    let w = area.width.saturating_sub(4).clamp(1, 70);
    let h = area.height.saturating_sub(4).clamp(1, 12);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(w)) / 2,
        y: area.y + (area.height.saturating_sub(h)) / 2,
        width: w.min(area.width),
        height: h.min(area.height),
    };
    if rect.width == 0 || rect.height == 0 {
        return;
    }
    Clear.render(rect, buf);
    let inner = if rect.width >= 6 && rect.height >= 3 {
        let title = app
            .current()
            .map(|a| {
                crate::text::truncate(
                    &crate::text::one_line(&a.title),
                    usize::from(rect.width.saturating_sub(4)),
                )
            })
            .unwrap_or_default();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(app.theme().border_focus)
            .title(format!(" {} ", strings::NOTE_TITLE))
            .title_bottom(format!(" {title} "))
            .title_style(app.theme().border_focus);
        let i = block.inner(rect);
        block.render(rect, buf);
        i
    } else {
        rect
    };
    if inner.width > 0 && inner.height > 0 {
        ta.render(inner, buf);
    }
}
