//! The reader's state and its reducer: keys become actions (`keymap::action_for`), `update`
//! applies an action and hands back effects for the event loop.

pub mod action;
pub mod doc;
pub mod keymap;
pub mod run;

use crate::corpus::{Article, Corpus};
use crate::ui::layout::{self, Panes};
use crate::ui::theme::Theme;
pub use action::{Action, Effect};
use keymap::{Binding, Context, DEFAULT_KEYMAP};
use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
}

/// Everything the reader shows. Drawing reads it and changes nothing.
pub struct App {
    pub corpus: Corpus,
    pub keymap: Vec<Binding>,
    pub theme: Theme,
    /// Corpus indexes shown in the list, in order.
    pub visible: Vec<usize>,
    /// Position of the selection in `visible`.
    pub selected: usize,
    /// First list row shown.
    pub list_offset: usize,
    pub focus: Focus,
    /// First reader line shown.
    pub reader_top: usize,
    /// Where the reader was when a run of resizes began, so resizing back returns exactly.
    reader_anchor: Option<(usize, usize)>,
    /// Scroll of the help overlay, when it is open.
    pub help: Option<usize>,
    /// The terminal size.
    pub size: (u16, u16),
    pub should_quit: bool,
}

impl App {
    pub fn new(corpus: Corpus, theme: Theme) -> App {
        let visible = corpus.newest_first();
        App {
            corpus,
            keymap: DEFAULT_KEYMAP.to_vec(),
            theme,
            visible,
            selected: 0,
            list_offset: 0,
            focus: Focus::List,
            reader_top: 0,
            reader_anchor: None,
            help: None,
            size: (80, 24),
            should_quit: false,
        }
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub fn panes(&self) -> Panes {
        layout::panes(self.area(), self.focus == Focus::Reader)
    }

    /// The selected article.
    pub fn current(&self) -> Option<&Article> {
        self.visible
            .get(self.selected)
            .and_then(|&i| self.corpus.articles.get(i))
    }

    /// Rows the list shows at once.
    pub fn list_height(&self) -> usize {
        self.panes()
            .list
            .map(|p| usize::from(layout::inner(p, self.area()).height))
            .unwrap_or(0)
    }

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

    /// The context keys are looked up in.
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            Context::Help
        } else if self.focus == Focus::Reader {
            Context::Reader
        } else {
            Context::List
        }
    }

    fn select(&mut self, pos: usize) {
        let pos = pos.min(self.visible.len().saturating_sub(1));
        if pos != self.selected {
            self.selected = pos;
            self.reader_top = 0;
        }
    }

    fn move_selection(&mut self, delta: isize) {
        let pos = self.selected.saturating_add_signed(delta);
        self.select(pos);
    }

    fn scroll_reader(&mut self, delta: isize) {
        let max = self.reader_max_top();
        self.reader_top = self.reader_top.saturating_add_signed(delta).min(max);
    }

    /// Keep the selection on screen and the reader within its text.
    fn settle(&mut self) {
        if self.visible.is_empty() {
            self.selected = 0;
        } else {
            self.selected = self.selected.min(self.visible.len() - 1);
        }
        let h = self.list_height().max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + h {
            self.list_offset = self.selected + 1 - h;
        }
        let max_offset = self.visible.len().saturating_sub(h);
        self.list_offset = self.list_offset.min(max_offset);
        self.reader_top = self.reader_top.min(self.reader_max_top());
    }

    /// The page size of the pane that has focus.
    fn page(&self) -> usize {
        match self.focus {
            Focus::List => self.list_height().max(1),
            Focus::Reader => self.reader_size().map(|(_, h)| h).unwrap_or(1).max(1),
        }
    }

    /// Apply one action. Returns the effects the loop must perform.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !matches!(action, Action::Resize(..)) {
            self.reader_anchor = None;
        }
        if let Some(scroll) = self.help {
            match action {
                Action::ToggleHelp => self.help = None,
                Action::Down => {
                    let max = keymap::help_rows(&self.keymap).len() + 8;
                    self.help = Some((scroll + 1).min(max));
                }
                Action::Up => self.help = Some(scroll.saturating_sub(1)),
                Action::Quit => {
                    self.should_quit = true;
                    effects.push(Effect::Quit);
                }
                Action::Resize(w, h) => self.resize(w, h),
                _ => {}
            }
            return effects;
        }
        let page = self.page() as isize;
        let in_reader = self.focus == Focus::Reader;
        match action {
            Action::Quit => {
                self.should_quit = true;
                effects.push(Effect::Quit);
            }
            Action::ToggleHelp => self.help = Some(0),
            Action::Up if in_reader => self.scroll_reader(-1),
            Action::Down if in_reader => self.scroll_reader(1),
            Action::Top if in_reader => self.reader_top = 0,
            Action::Bottom if in_reader => self.reader_top = self.reader_max_top(),
            Action::PageUp if in_reader => self.scroll_reader(-page.max(2) + 1),
            Action::PageDown | Action::ReadOn if in_reader => self.scroll_reader(page.max(2) - 1),
            Action::HalfPageUp if in_reader => self.scroll_reader(-(page / 2).max(1)),
            Action::HalfPageDown if in_reader => self.scroll_reader((page / 2).max(1)),
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown | Action::ReadOn => self.move_selection(page),
            Action::HalfPageUp => self.move_selection(-(page / 2).max(1)),
            Action::HalfPageDown => self.move_selection((page / 2).max(1)),
            Action::Open => {
                if self.current().is_some() {
                    self.focus = Focus::Reader;
                    self.reader_top = 0;
                }
            }
            Action::Back => self.focus = Focus::List,
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::List if self.current().is_some() => Focus::Reader,
                    _ => Focus::List,
                }
            }
            Action::NextArticle => {
                self.move_selection(1);
                self.reader_top = 0;
            }
            Action::PrevArticle => {
                self.move_selection(-1);
                self.reader_top = 0;
            }
            Action::Resize(w, h) => self.resize(w, h),
            Action::Click(x, y) => self.click(x, y),
            Action::WheelUp(x, y) => self.wheel(x, y, -3),
            Action::WheelDown(x, y) => self.wheel(x, y, 3),
        }
        self.settle();
        effects
    }

    fn resize(&mut self, w: u16, h: u16) {
        let anchor = match self.reader_anchor {
            Some(a) => a,
            None => doc::anchor(&self.reader_doc(), self.reader_top),
        };
        self.reader_anchor = Some(anchor);
        self.size = (w, h);
        let after = self.reader_doc();
        self.reader_top = doc::find_anchor(&after, anchor);
        self.settle();
    }

    fn click(&mut self, x: u16, y: u16) {
        let panes = self.panes();
        if let Some(list) = panes.list {
            if layout::contains(list, x, y) {
                self.focus = Focus::List;
                let inner = layout::inner(list, self.area());
                if layout::contains(inner, x, y) {
                    let row = self.list_offset + usize::from(y - inner.y);
                    if row < self.visible.len() {
                        self.select(row);
                    }
                }
                return;
            }
        }
        if let Some(reader) = panes.reader {
            if layout::contains(reader, x, y) && self.current().is_some() {
                self.focus = Focus::Reader;
            }
        }
    }

    fn wheel(&mut self, x: u16, y: u16, delta: isize) {
        let panes = self.panes();
        if panes.list.is_some_and(|l| layout::contains(l, x, y)) {
            self.move_selection(delta);
        } else if panes.reader.is_some_and(|r| layout::contains(r, x, y)) {
            self.scroll_reader(delta);
        }
    }
}
