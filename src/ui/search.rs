//! The search box: one line at the top while it is open.

use super::strings;
use crate::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Widget;

pub fn render_search(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(ta) = app.search_box.as_ref() else {
        return;
    };
    if area.width == 0 || area.height == 0 {
        return;
    }
    let prompt = if app.search_in_article {
        strings::ARTICLE_SEARCH_PROMPT
    } else {
        strings::SEARCH_PROMPT
    };
    let pw = (crate::text::width(prompt) as u16).min(area.width / 2);
    Span::styled(prompt, app.theme.help_key).render(Rect { width: pw, ..area }, buf);
    let rest = Rect {
        x: area.x + pw,
        width: area.width - pw,
        ..area
    };
    ta.render(rest, buf);
}
