//! Drawing: `impl Widget for &App` composes one `render_*` helper per pane. Drawing reads the
//! app and changes nothing.

pub mod facets;
pub mod feeds;
pub mod help;
pub mod list;
pub mod loading;
pub mod note;
pub mod reader;
pub mod search;
pub mod status;
pub mod strings;
pub mod views;

use crate::app::{layout, App, Overlay};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear, Widget};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let panes = layout::panes(
            area,
            self.focus(),
            self.facets_open(),
            matches!(self.overlay(), Overlay::Search(_)),
            self.prefs().list_width,
        );
        if let Some(s) = panes.search {
            search::render_search(self, s, buf);
        }
        if let Some(f) = panes.facets {
            facets::render_facets(self, f, area, buf);
        }
        if let Some(l) = panes.list {
            list::render_list(self, l, area, buf);
        }
        if let Some(r) = panes.reader {
            reader::render_reader(self, r, area, buf);
        }
        status::render_status(self, panes.status, buf);
        match self.overlay() {
            Overlay::None | Overlay::Search(_) => {}
            Overlay::Note(editor) => note::render_note(self, editor, area, buf),
            Overlay::Views(cursor) => views::render_views(self, *cursor, area, buf),
            Overlay::Feeds(cursor) => feeds::render_feeds(self, *cursor, area, buf),
            Overlay::Help(scroll) => help::render_help(self, *scroll, area, buf),
        }
    }
}

/// A box drawn over the panes at `rect`: cleared, framed with `title` when there is room
/// (at least `min_w` x `min_h`); returns its inside.
pub fn overlay(app: &App, rect: Rect, title: &str, min: (u16, u16), buf: &mut Buffer) -> Rect {
    Clear.render(rect, buf);
    if rect.width < min.0 || rect.height < min.1 {
        return rect;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(app.theme().border_focus)
        .title(format!(" {title} "))
        .title_style(app.theme().border_focus);
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// A pane's frame: a bordered block when there is room, highlighted when focused.
pub fn pane_block<'a>(app: &App, title: &str, focused: bool, area: Rect) -> Option<Block<'a>> {
    if !layout::bordered(area) {
        return None;
    }
    let style = if focused {
        app.theme().border_focus
    } else {
        app.theme().border
    };
    let title = if focused {
        format!("▶ {title} ")
    } else {
        format!(" {title} ")
    };
    Some(
        Block::default()
            .borders(Borders::ALL)
            .border_style(style)
            .title(title)
            .title_style(style),
    )
}
