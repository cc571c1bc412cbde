//! The reading pane: opening and leaving articles, scrolling, the remembered reading
//! position, keeping the place across resizes, and the mouse. The open article is laid out
//! once for its width and kept (`Laid`): paging, percentages, finding and drawing all read
//! that one layout.

use super::search_box::ArticleSearch;
use super::{doc, layout, Action, App, Effect, Focus, Tone};
use crate::store::Op;
use std::sync::Arc;

/// An article laid out for the reader at one width.
#[derive(Debug)]
pub struct Laid {
    /// (corpus generation, article number, text width): what it was made for.
    key: (u64, usize, usize),
    pub lines: Vec<doc::DocLine>,
}

/// The reading pane's state.
#[derive(Debug, Default)]
pub(super) struct ReaderState {
    /// First line of the article shown.
    pub(super) top: usize,
    /// The place kept across a burst of resizes.
    pub(super) anchor: Option<(usize, usize)>,
    /// The shown article's layout.
    pub(super) laid: Option<Arc<Laid>>,
    /// Find in the article (`/` from the reader).
    pub(super) find: Option<ArticleSearch>,
    /// A link's number typed before `o` or `y`.
    pub(super) count: Option<usize>,
}

const NO_LINES: &[doc::DocLine] = &[];

impl App {
    /// (text width, height) of the reader, if it is shown.
    pub fn reader_size(&self) -> Option<(usize, usize)> {
        self.panes()
            .reader
            .map(|r| layout::reader_text_size(r, self.area()))
    }

    /// The current article as the reader lays it out (empty when no article is shown).
    pub fn reader_doc(&self) -> &[doc::DocLine] {
        match &self.reader.laid {
            Some(l) if Some(l.key) == self.layout_key() => &l.lines,
            _ => NO_LINES,
        }
    }

    /// First line of the article shown.
    pub fn reader_top(&self) -> usize {
        self.reader.top
    }

    /// Find in the article, while it is on.
    pub fn article_search(&self) -> Option<&ArticleSearch> {
        self.reader.find.as_ref()
    }

    /// What the layout of the article shown must be made for.
    fn layout_key(&self) -> Option<(u64, usize, usize)> {
        let idx = self.current_index()?;
        let (w, _) = self.reader_size()?;
        Some((self.corpus_generation, idx, w.clamp(1, doc::MAX_LINE)))
    }

    /// Lay out the article shown when it, its width or the corpus changed (once, however
    /// many keys and frames read it); keep the reader within its text.
    pub(super) fn settle_reader(&mut self) {
        let key = self.layout_key();
        let fresh = match (&self.reader.laid, key) {
            (Some(l), Some(k)) => l.key == k,
            (_, None) => true,
            (None, Some(_)) => false,
        };
        if !fresh {
            if let (Some(k), Some(a)) = (key, self.current()) {
                let lines = doc::layout(a, k.2);
                self.reader.laid = Some(Arc::new(Laid { key: k, lines }));
            }
        }
        self.reader.top = self.reader.top.min(self.reader_max_top());
    }

    pub fn reader_max_top(&self) -> usize {
        let h = self.reader_size().map_or(0, |(_, h)| h);
        self.reader_doc().len().saturating_sub(h.max(1))
    }

    /// Reading position in percent (100 when the end is on screen).
    pub fn reader_percent(&self) -> u16 {
        let max = self.reader_max_top();
        ((self.reader.top.min(max) * 100).checked_div(max)).unwrap_or(100) as u16
    }

    pub(super) fn scroll_reader(&mut self, delta: isize) {
        let max = self.reader_max_top();
        self.reader.top = self.reader.top.saturating_add_signed(delta).min(max);
    }

    /// Movement keys in the reader scroll it; false for any other action.
    pub(super) fn scroll_reader_by(&mut self, action: &Action, page: isize) -> bool {
        match action {
            Action::Up => self.scroll_reader(-1),
            Action::Down => self.scroll_reader(1),
            Action::Top => self.reader.top = 0,
            Action::Bottom => self.reader.top = self.reader_max_top(),
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
            self.reader.top = 0;
            self.settle_reader();
            self.restore_position();
            self.mark_read_on_open(effects);
        }
    }

    pub(super) fn back(&mut self, effects: &mut Vec<Effect>) {
        self.leave_article(effects);
        self.reader.find = None;
        self.focus = Focus::List;
    }

    pub(super) fn toggle_focus(&mut self, effects: &mut Vec<Effect>) {
        self.focus = match self.focus {
            Focus::Facets => Focus::List,
            Focus::List if self.current().is_some() => Focus::Reader,
            Focus::Reader if self.facets.open => Focus::Facets,
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
        self.reader.top = 0;
        if self.focus == Focus::Reader {
            self.settle_reader();
            self.restore_position();
            self.mark_read_on_open(effects);
        }
    }

    /// Return to where the reader left this article last time.
    fn restore_position(&mut self) {
        let Some(a) = self.current() else { return };
        let pos = self.marks.position(&a.id);
        if let Some(anchor) = pos {
            self.reader.top = doc::find_anchor(self.reader_doc(), anchor);
            self.reader.top = self.reader.top.min(self.reader_max_top());
            if self.reader.top > 0 {
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
        let anchor = (self.reader.top > 0).then(|| doc::anchor(self.reader_doc(), self.reader.top));
        if self.marks.position(&id) != anchor {
            self.change(Op::SetPosition(id, anchor), effects);
        }
    }

    /// A new terminal size: the reader keeps the line it showed at the top (a burst of
    /// resizes keeps the place it had before the first).
    pub(super) fn resize(&mut self, w: u16, h: u16) {
        let anchor = match self.reader.anchor {
            Some(a) => a,
            None => doc::anchor(self.reader_doc(), self.reader.top),
        };
        self.reader.anchor = Some(anchor);
        self.size = (w, h);
        self.settle_reader();
        self.reader.top = doc::find_anchor(self.reader_doc(), anchor);
        if let Some(s) = self.reader.find.clone() {
            self.search_article(&s.text);
            if let Some(n) = self.reader.find.as_mut() {
                n.current = s.current.min(n.lines.len().saturating_sub(1));
            }
            self.reader.top = doc::find_anchor(self.reader_doc(), anchor);
        }
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
            self.facets.cursor = self.facets.cursor.saturating_add_signed(delta);
        }
    }
}
