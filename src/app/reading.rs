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
    /// What it was made for.
    key: LaidKey,
    pub lines: Vec<doc::DocLine>,
}

/// (corpus generation, article number, text width, whether its body was there, a hash of
/// the reader's note on it).
type LaidKey = (u64, usize, usize, bool, u64);

/// Bodies kept on disk that the reader has read (the last few), and those asked for.
#[derive(Debug, Default)]
pub(super) struct Bodies {
    /// (corpus generation, article number, body), oldest first.
    kept: std::collections::VecDeque<(u64, usize, Arc<str>)>,
    asked: Vec<(u64, usize)>,
}

/// How many bodies read from disk are kept.
const BODIES_KEPT: usize = 24;

impl Bodies {
    fn get(&self, generation: u64, idx: usize) -> Option<&Arc<str>> {
        self.kept
            .iter()
            .find(|(g, i, _)| *g == generation && *i == idx)
            .map(|(_, _, b)| b)
    }

    fn put(&mut self, generation: u64, idx: usize, body: Arc<str>) {
        self.asked.retain(|&a| a != (generation, idx));
        if self.get(generation, idx).is_none() {
            if self.kept.len() >= BODIES_KEPT {
                self.kept.pop_front();
            }
            self.kept.push_back((generation, idx, body));
        }
    }
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
    /// Bodies read from disk.
    pub(super) bodies: Bodies,
    /// The reading position is to be restored once the body arrives.
    pub(super) restore_pending: bool,
    /// Where the reader was when the find box opened: matches are looked for from there,
    /// and it goes back there when none is found.
    pub(super) find_from: Option<usize>,
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
    fn layout_key(&self) -> Option<LaidKey> {
        let idx = self.current_index()?;
        let (w, _) = self.reader_size()?;
        // The note is part of the layout (under the header): read in place, not copied,
        // since this is asked on every key and frame.
        let note = self.corpus.articles.get(idx).map_or(0, |a| {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            self.bookmark(&a.id)
                .map_or("", |b| b.note.as_str())
                .hash(&mut h);
            h.finish()
        });
        Some((
            self.corpus_generation,
            idx,
            w.clamp(1, doc::MAX_LINE),
            self.body_of(idx).is_some(),
            note,
        ))
    }

    /// Article `idx`'s body, when it is in memory (in the corpus, or read from disk).
    pub fn body_of(&self, idx: usize) -> Option<&str> {
        if self.corpus.body_on_disk(idx) {
            self.reader
                .bodies
                .get(self.corpus_generation, idx)
                .map(|b| &**b)
        } else {
            self.corpus.articles.get(idx).map(|a| a.body.as_str())
        }
    }

    /// Whether the selected article's body is here (else it is being read).
    pub fn current_body_loaded(&self) -> bool {
        self.current_index()
            .is_some_and(|i| self.body_of(i).is_some())
    }

    /// Ask for the bodies on disk the reader will want next: the selected article's and its
    /// neighbours'.
    pub(super) fn request_bodies(&mut self, effects: &mut Vec<Effect>) {
        if self.corpus.stored().is_none() {
            return;
        }
        let sel = self.list.selected;
        let gen = self.corpus_generation;
        for pos in [Some(sel), sel.checked_add(1), sel.checked_sub(1)] {
            let Some(&idx) = pos.and_then(|p| self.list.visible.get(p)) else {
                continue;
            };
            if self.body_of(idx).is_none() && !self.reader.bodies.asked.contains(&(gen, idx)) {
                self.reader.bodies.asked.push((gen, idx));
                effects.push(Effect::LoadBody {
                    generation: gen,
                    idx,
                });
            }
        }
    }

    /// A body read from disk arrived.
    pub(super) fn body_arrived(
        &mut self,
        generation: u64,
        idx: usize,
        body: Result<Arc<str>, String>,
    ) -> bool {
        if generation != self.corpus_generation {
            return false;
        }
        let body = body.unwrap_or_else(|e| Arc::from(format!("[The text could not be read: {e}]")));
        self.reader.bodies.put(generation, idx, body);
        if self.current_index() != Some(idx) {
            return false;
        }
        self.settle_reader();
        if std::mem::take(&mut self.reader.restore_pending) && self.focus == Focus::Reader {
            self.restore_position();
        }
        true
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
                let note = self.note_of(&a.id);
                let lines = doc::layout_noted(a, self.body_of(k.1).unwrap_or(""), &note, k.2);
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
        // One reading place, however the article is reached: leaving keeps it, coming back
        // (Tab as Enter) returns to it.
        self.leave_article(effects);
        self.focus = match self.focus {
            Focus::Facets => Focus::List,
            Focus::List if self.current().is_some() => Focus::Reader,
            Focus::Reader if self.facets.open => Focus::Facets,
            _ => Focus::List,
        };
        if self.focus == Focus::Reader {
            self.settle_reader();
            self.restore_position();
            self.mark_read_on_open(effects);
        }
    }

    /// `n` in the list, `U` anywhere: the next unread article of the list after the
    /// selection (around to the top), opened when the reader has the focus.
    pub(super) fn next_unread(&mut self, effects: &mut Vec<Effect>) {
        let n = self.list.visible.len();
        let at = self.list.selected;
        let found = (1..=n)
            .map(|k| (at + k) % n.max(1))
            .find(|&p| !self.is_read(self.list.visible[p]));
        let Some(p) = found else {
            self.say("no unread article in the list", Tone::Info);
            return;
        };
        if p == at {
            self.say("this is the only unread article in the list", Tone::Info);
            return;
        }
        self.leave_article(effects);
        self.list.selected = p;
        self.settle_list();
        self.reader.top = 0;
        if self.focus == Focus::Reader {
            self.settle_reader();
            self.restore_position();
            self.mark_read_on_open(effects);
        }
    }

    /// `n`/`p`: the next or previous article, opened where it was left.
    pub(super) fn step_article(&mut self, delta: isize, effects: &mut Vec<Effect>) {
        let n = self.list.visible.len();
        let at = self.list.selected;
        if n == 0 {
            self.say("no article to go to", Tone::Info);
            return;
        }
        if delta > 0 && at + 1 >= n {
            self.say("this is the last article of the list", Tone::Info);
            return;
        }
        if delta < 0 && at == 0 {
            self.say("this is the first article of the list", Tone::Info);
            return;
        }
        self.leave_article(effects);
        self.move_selection(delta);
        self.reader.top = 0;
        if self.focus == Focus::Reader {
            self.settle_reader();
            self.restore_position();
            self.mark_read_on_open(effects);
        }
    }

    /// Return to where the reader left this article last time (once its body is here).
    fn restore_position(&mut self) {
        if self.current().is_none() {
            return;
        }
        if !self.current_body_loaded() {
            self.reader.restore_pending = true;
            return;
        }
        self.reader.restore_pending = false;
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
        if self.focus != Focus::Reader || !self.current_body_loaded() {
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
                let inner = layout::inner(f, self.area());
                if layout::contains(inner, x, y) {
                    self.click_facets(
                        usize::from(x - inner.x),
                        usize::from(y - inner.y),
                        usize::from(inner.height),
                        effects,
                    );
                }
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
