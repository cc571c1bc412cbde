//! Where each pane goes for a terminal size and the app's state. Pure, so `update` can use it
//! to page and hit-test exactly as the renderer draws.

use super::Focus;
use ratatui::layout::Rect;

/// Below this width the list and the reader are shown one at a time.
pub const WIDE_MIN: u16 = 90;
/// Width of the facet pane on wide screens.
pub const FACETS_W: u16 = 34;

/// How many lines an article takes in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rows {
    /// Two lines (title, then date, sector, source and marks) where the list sits beside the
    /// reader and has the height; one line otherwise.
    #[default]
    Auto,
    One,
    Two,
}

impl Rows {
    pub fn from_name(s: &str) -> Option<Rows> {
        match s {
            "auto" => Some(Rows::Auto),
            "one" => Some(Rows::One),
            "two" => Some(Rows::Two),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Rows::Auto => "auto",
            Rows::One => "one",
            Rows::Two => "two",
        }
    }
}

/// Layout choices from the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefs {
    /// Percent of the width the list gets beside the reader (20-80).
    pub list_width: u16,
    pub rows: Rows,
}

impl Default for Prefs {
    fn default() -> Prefs {
        Prefs {
            list_width: 50,
            rows: Rows::Auto,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The list pane (with its border), if shown.
    pub list: Option<Rect>,
    /// The reader pane (with its border), if shown.
    pub reader: Option<Rect>,
    /// The facet pane, if shown.
    pub facets: Option<Rect>,
    /// The search box line, if open.
    pub search: Option<Rect>,
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

/// Split the screen; `list_width` is the list's percent of the width beside the reader.
pub fn panes(
    area: Rect,
    focus: Focus,
    facets_open: bool,
    search_open: bool,
    list_width: u16,
) -> Panes {
    let status_h = u16::from(area.height >= 2);
    let search_h = u16::from(search_open && area.height >= 3);
    let search = (search_h > 0).then_some(Rect { height: 1, ..area });
    let body = Rect {
        y: area.y + search_h,
        height: area.height.saturating_sub(status_h + search_h),
        ..area
    };
    let status = Rect {
        y: area.y.saturating_add(area.height.saturating_sub(status_h)),
        height: status_h,
        ..area
    };
    let mut p = Panes {
        search,
        status,
        ..Panes::default()
    };
    if area.width >= WIDE_MIN {
        let mut rest = body;
        if facets_open {
            let fw = FACETS_W.min(body.width / 3);
            p.facets = Some(Rect { width: fw, ..body });
            rest = Rect {
                x: body.x + fw,
                width: body.width - fw,
                ..body
            };
        }
        // The list's share of what the facets leave (all of the width when they are shut).
        let want = u32::from(rest.width) * u32::from(list_width.clamp(20, 80)) / 100;
        let lw = (want as u16)
            .clamp(24, rest.width.saturating_sub(24).max(24))
            .min(rest.width);
        p.list = Some(Rect { width: lw, ..rest });
        p.reader = Some(Rect {
            x: rest.x + lw,
            width: rest.width - lw,
            ..rest
        });
    } else {
        match focus {
            Focus::Reader => p.reader = Some(body),
            Focus::Facets if facets_open => p.facets = Some(body),
            _ => p.list = Some(body),
        }
    }
    p
}

/// Text width and height inside the reader pane (columns kept for a margin and the scrollbar).
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
