//! The article list: the selection, which rows are on screen, and how tall each row is.
//! Rows may take more than one line, so scrolling walks row heights (only the rows near the
//! screen, whatever the size of the list).

use super::layout::{self, Rows};
use super::App;
use crate::text;

/// Columns before a row's title: the bookmark mark and the unread mark.
pub const MARKS_W: usize = 2;

/// The rows shown and the selection.
#[derive(Debug, Default)]
pub(super) struct ListState {
    /// Corpus numbers of the articles shown, in order.
    pub(super) visible: Vec<usize>,
    /// The selection's place in `visible`.
    pub(super) selected: usize,
    /// The first row on screen.
    pub(super) offset: usize,
    /// The article being read when a live query (`is:unread`) stopped matching it: kept in
    /// the list until the reader leaves it, so reading does not pull the article away.
    pub(super) pinned: Option<usize>,
}

impl ListState {
    pub(super) fn new(visible: Vec<usize>) -> ListState {
        ListState {
            visible,
            selected: 0,
            offset: 0,
            pinned: None,
        }
    }
}

impl App {
    /// The list's inside (without its border), if the list is shown.
    pub fn list_inner(&self) -> Option<ratatui::layout::Rect> {
        self.panes().list.map(|p| layout::inner(p, self.area()))
    }

    /// Lines the list shows at once.
    pub fn list_height(&self) -> usize {
        self.list_inner().map_or(0, |r| usize::from(r.height))
    }

    /// Whether list rows take two lines or more (the title whole, then date, sector and
    /// source): where the list sits beside the reader with some height, unless the config
    /// says otherwise.
    pub fn two_line_rows(&self) -> bool {
        match self.prefs.rows {
            Rows::One => false,
            Rows::Two => true,
            Rows::Auto => self.size.0 >= layout::WIDE_MIN && self.list_height() >= 10,
        }
    }

    /// Columns a row's title gets in two-line rows (after the marks).
    pub fn title_width(&self) -> usize {
        self.list_inner()
            .map_or(0, |r| usize::from(r.width).saturating_sub(MARKS_W))
            .max(1)
    }

    /// The title of article `idx` as the list shows it in two-line rows: wrapped at word
    /// boundaries to at most two lines, the second cut at a word boundary if need be.
    pub fn title_lines(&self, idx: usize) -> Vec<String> {
        let Some(a) = self.corpus.articles.get(idx) else {
            return vec![String::new()];
        };
        let w = self.title_width();
        let title = text::one_line(&a.title);
        let mut lines = text::wrap(&title, w);
        if lines.len() > 2 {
            let rest = lines[1..].join(" ");
            lines.truncate(1);
            lines.push(text::truncate_words(&rest, w));
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
    }

    /// Lines the row of article `idx` takes.
    pub fn row_height(&self, idx: usize) -> usize {
        if self.two_line_rows() {
            self.title_lines(idx).len() + 1 + usize::from(self.has_note(idx))
        } else {
            1
        }
    }

    /// Whether article `idx` has a note (a line of its row), without formatting it.
    fn has_note(&self, idx: usize) -> bool {
        self.corpus
            .articles
            .get(idx)
            .and_then(|a| self.bookmark(&a.id))
            .is_some_and(|b| !b.note.trim().is_empty())
    }

    /// The note of article `idx` on one line, when it has one (shown under its row).
    pub fn note_line(&self, idx: usize) -> Option<String> {
        let a = self.corpus.articles.get(idx)?;
        let note = self.bookmark(&a.id)?.note.trim();
        (!note.is_empty()).then(|| format!("✎ {}", text::one_line(note)))
    }

    /// Rows a page moves.
    pub(super) fn list_page(&self) -> usize {
        let h = self.list_height().max(1);
        let row = self
            .current_index()
            .map_or(1, |i| self.row_height(i))
            .max(1);
        (h / row).max(1)
    }

    /// The first row on screen.
    pub fn list_offset(&self) -> usize {
        self.list.offset
    }

    /// The rows on screen, from `list_offset`: (position in `visible`, first line, height).
    pub fn rows_on_screen(&self) -> Vec<(usize, usize, usize)> {
        let h = self.list_height();
        let mut out = Vec::new();
        let mut y = 0;
        for (pos, &idx) in self.list.visible.iter().enumerate().skip(self.list.offset) {
            if y >= h {
                break;
            }
            let rh = self.row_height(idx);
            out.push((pos, y, rh));
            y += rh;
        }
        out
    }

    /// The row whose lines include line `y` of the list's inside.
    pub(super) fn row_at(&self, y: usize) -> Option<usize> {
        self.rows_on_screen()
            .into_iter()
            .find(|&(_, top, h)| y >= top && y < top + h)
            .map(|(pos, _, _)| pos)
    }

    pub(super) fn select(&mut self, pos: usize) {
        // The user picks: an article still to be restored from the last session is not.
        self.search.restore = None;
        let pos = pos.min(self.list.visible.len().saturating_sub(1));
        if pos != self.list.selected {
            self.list.selected = pos;
            self.reader.top = 0;
            self.reader.find = None;
        }
    }

    pub(super) fn move_selection(&mut self, delta: isize) {
        let pos = self.list.selected.saturating_add_signed(delta);
        self.select(pos);
    }

    /// Keep the selection in range and its whole row on screen, with no empty space below
    /// the last row when the list could fill it.
    pub(super) fn settle_list(&mut self) {
        if self.list.visible.is_empty() {
            self.list.selected = 0;
            self.list.offset = 0;
            return;
        }
        self.list.selected = self.list.selected.min(self.list.visible.len() - 1);
        let h = self.list_height().max(1);
        if self.list.selected < self.list.offset {
            self.list.offset = self.list.selected;
        }
        // The lowest offset that still shows the selected row whole.
        let mut used = 0;
        let mut lowest = self.list.selected;
        for pos in (0..=self.list.selected).rev() {
            used += self.row_height(self.list.visible[pos]);
            if used > h {
                break;
            }
            lowest = pos;
        }
        if lowest > self.list.offset {
            self.list.offset = lowest;
        }
        // The highest offset that fills the screen to the end of the list.
        let mut used = 0;
        let mut highest = self.list.visible.len() - 1;
        for pos in (0..self.list.visible.len()).rev() {
            used += self.row_height(self.list.visible[pos]);
            if used > h {
                break;
            }
            highest = pos;
        }
        self.list.offset = self.list.offset.min(highest);
    }
}
