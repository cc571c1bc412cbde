//! The search box: one line at the top while it is open.

use super::strings;
use crate::app::{App, Overlay};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub fn render_search(app: &App, area: Rect, buf: &mut Buffer) {
    let Overlay::Search(sb) = app.overlay() else {
        return;
    };
    let ta = sb.textarea();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let prompt = if sb.in_article() {
        strings::ARTICLE_SEARCH_PROMPT
    } else {
        strings::SEARCH_PROMPT
    };
    let pw = (crate::text::width(prompt) as u16).min(area.width / 2);
    Span::styled(prompt, app.theme().help_key).render(Rect { width: pw, ..area }, buf);
    let rest = Rect {
        x: area.x + pw,
        width: area.width - pw,
        ..area
    };
    ta.render(rest, buf);
}
