//! Where each pane goes for a terminal size and the app's state. Pure, so `update` can use it
//! to page and hit-test exactly as the renderer draws.

use ratatui::layout::Rect;

/// Below this width the list and the reader are shown one at a time.
pub const WIDE_MIN: u16 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The list pane (with its border), if shown.
    pub list: Option<Rect>,
    /// The reader pane (with its border), if shown.
    pub reader: Option<Rect>,
    /// The status line.
    pub status: Rect,
}

/// Whether panes get borders at this size (tiny terminals use every cell for text).
pub fn bordered(area: Rect) -> bool {
    area.width >= 20 && area.height >= 6
}

/// The inside of a pane.
pub fn inner(pane: Rect, area: Rect) -> Rect {
    if bordered(area) {
        Rect {
            x: pane.x.saturating_add(1),
            y: pane.y.saturating_add(1),
            width: pane.width.saturating_sub(2),
            height: pane.height.saturating_sub(2),
        }
    } else {
        pane
    }
}

/// Split the screen. `reader_shown` says which pane a narrow screen shows.
pub fn panes(area: Rect, reader_shown: bool) -> Panes {
    let status_h = u16::from(area.height >= 2);
    let body = Rect {
        height: area.height.saturating_sub(status_h),
        ..area
    };
    let status = Rect {
        y: area.y.saturating_add(body.height),
        height: status_h,
        ..area
    };
    if area.width >= WIDE_MIN {
        let lw = (area.width * 2 / 5).clamp(30, 70);
        let list = Rect { width: lw, ..body };
        let reader = Rect {
            x: body.x + lw,
            width: body.width - lw,
            ..body
        };
        Panes {
            list: Some(list),
            reader: Some(reader),
            status,
        }
    } else if reader_shown {
        Panes {
            list: None,
            reader: Some(body),
            status,
        }
    } else {
        Panes {
            list: Some(body),
            reader: None,
            status,
        }
    }
}

/// Text width and height inside the reader pane (one column kept for the scrollbar).
pub fn reader_text_size(reader: Rect, area: Rect) -> (usize, usize) {
    let i = inner(reader, area);
    (
        usize::from(i.width.saturating_sub(3)).max(1),
        usize::from(i.height),
    )
}

pub fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x.saturating_add(r.width) && y >= r.y && y < r.y.saturating_add(r.height)
}
