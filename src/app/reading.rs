//! The reading pane: opening and leaving articles, scrolling, the remembered reading
//! position, keeping the place across resizes, and the mouse.

use super::{doc, layout, Action, App, Effect, Focus, Tone};
use crate::store::Op;

impl App {
    /// (text width, height) of the reader, if it is shown.
    pub fn reader_size(&self) -> Option<(usize, usize)> {
        self.panes()
            .reader
            .map(|r| layout::reader_text_size(r, self.area()))
    }

    /// The current article laid out for the reader pane.
    pub fn reader_doc(&self) -> Vec<doc::DocLine> {
        match (self.current(), self.reader_size()) {
            (Some(a), Some((w, _))) => doc::layout(a, w),
            _ => Vec::new(),
        }
    }

    pub fn reader_max_top(&self) -> usize {
        let h = self.reader_size().map(|(_, h)| h).unwrap_or(0);
        self.reader_doc().len().saturating_sub(h.max(1))
    }

    /// Reading position in percent (100 when the end is on screen).
    pub fn reader_percent(&self) -> u16 {
        let max = self.reader_max_top();
        ((self.reader_top.min(max) * 100).checked_div(max)).unwrap_or(100) as u16
    }

    pub(super) fn scroll_reader(&mut self, delta: isize) {
        let max = self.reader_max_top();
        self.reader_top = self.reader_top.saturating_add_signed(delta).min(max);
    }

    /// Movement keys in the reader scroll it; false for any other action.
    pub(super) fn scroll_reader_by(&mut self, action: &Action, page: isize) -> bool {
        match action {
            Action::Up => self.scroll_reader(-1),
            Action::Down => self.scroll_reader(1),
            Action::Top => self.reader_top = 0,
            Action::Bottom => self.reader_top = self.reader_max_top(),
            Action::PageUp => self.scroll_reader(-page.max(2) + 1),
            Action::PageDown | Action::ReadOn => self.scroll_reader(page.max(2) - 1),
            Action::HalfPageUp => self.scroll_reader(-(page / 2).max(1)),
            Action::HalfPageDown => self.scroll_reader((page / 2).max(1)),
            _ => return false,
        }
        true
    }

    pub(super) fn open(&mut self, effects: &mut Vec<Effect>) {
        if self.current().is_some() {
            self.focus = Focus::Reader;
            self.reader_top = 0;
            self.restore_position();
            self.mark_read_on_open(effects);
        }
    }

    pub(super) fn back(&mut self, effects: &mut Vec<Effect>) {
        self.leave_article(effects);
        self.article_search = None;
        self.focus = Focus::List;
    }

    pub(super) fn toggle_focus(&mut self, effects: &mut Vec<Effect>) {
        self.focus = match self.focus {
            Focus::Facets => Focus::List,
            Focus::List if self.current().is_some() => Focus::Reader,
            Focus::Reader if self.facets_open => Focus::Facets,
            _ => Focus::List,
        };
        if self.focus == Focus::Reader {
            self.mark_read_on_open(effects);
        }
    }

    /// `n`/`p`: the next or previous article, opened where it was left.
    pub(super) fn step_article(&mut self, delta: isize, effects: &mut Vec<Effect>) {
        self.leave_article(effects);
        self.move_selection(delta);
        self.reader_top = 0;
        if self.focus == Focus::Reader {
            self.restore_position();
            self.mark_read_on_open(effects);
        }
    }

    /// Return to where the reader left this article last time.
    fn restore_position(&mut self) {
        let Some(a) = self.current() else { return };
        let pos = self.store.data.reading.get(&a.id).and_then(|r| r.position);
        if let Some(anchor) = pos {
            let doc = self.reader_doc();
            self.reader_top = doc::find_anchor(&doc, anchor);
            if self.reader_top > 0 {
                self.say(
                    format!(
                        "back where you left off ({}%) — g for the top",
                        self.reader_percent()
                    ),
                    Tone::Info,
                );
            }
        }
    }

    /// Remember the reading position of the article being left.
    pub(super) fn leave_article(&mut self, effects: &mut Vec<Effect>) {
        if self.focus != Focus::Reader {
            return;
        }
        let Some(a) = self.current() else { return };
        let id = a.id.clone();
        let doc = self.reader_doc();
        let anchor = (self.reader_top > 0).then(|| doc::anchor(&doc, self.reader_top));
        let saved = self.store.data.reading.get(&id).and_then(|r| r.position);
        if saved != anchor {
            effects.push(Effect::Store(Op::SetPosition(id, anchor)));
        }
    }

    /// A new terminal size: the reader keeps the line it showed at the top (a burst of
    /// resizes keeps the place it had before the first).
    pub(super) fn resize(&mut self, w: u16, h: u16) -> Vec<Effect> {
        let anchor = match self.reader_anchor {
            Some(a) => a,
            None => doc::anchor(&self.reader_doc(), self.reader_top),
        };
        self.reader_anchor = Some(anchor);
        self.size = (w, h);
        let after = self.reader_doc();
        self.reader_top = doc::find_anchor(&after, anchor);
        if let Some(s) = self.article_search.clone() {
            self.search_article(&s.text);
            if let Some(n) = self.article_search.as_mut() {
                n.current = s.current.min(n.lines.len().saturating_sub(1));
            }
            self.reader_top = doc::find_anchor(&after, anchor);
        }
        self.settle();
        Vec::new()
    }

    pub(super) fn click(&mut self, x: u16, y: u16, effects: &mut Vec<Effect>) {
        let panes = self.panes();
        if let Some(list) = panes.list {
            if layout::contains(list, x, y) {
                self.focus = Focus::List;
                let inner = layout::inner(list, self.area());
                if layout::contains(inner, x, y) {
                    if let Some(pos) = self.row_at(usize::from(y - inner.y)) {
                        self.select(pos);
                    }
                }
                return;
            }
        }
        if let Some(f) = panes.facets {
            if layout::contains(f, x, y) {
                self.focus = Focus::Facets;
                return;
            }
        }
        if let Some(reader) = panes.reader {
            if layout::contains(reader, x, y)
                && self.current().is_some()
                && self.focus != Focus::Reader
            {
                self.focus = Focus::Reader;
                self.mark_read_on_open(effects);
            }
        }
    }

    pub(super) fn wheel(&mut self, x: u16, y: u16, delta: isize) {
        let panes = self.panes();
        if panes.list.is_some_and(|l| layout::contains(l, x, y)) {
            self.move_selection(delta);
        } else if panes.reader.is_some_and(|r| layout::contains(r, x, y)) {
            self.scroll_reader(delta);
        } else if panes.facets.is_some_and(|r| layout::contains(r, x, y)) {
            self.facet_cursor = self.facet_cursor.saturating_add_signed(delta);
        }
    }
}
