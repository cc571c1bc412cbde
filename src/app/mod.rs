//! The reader's state and its reducer: keys become actions (`keymap::action_for`), `update`
//! applies an action and hands back effects for the event loop (searches to run, changes to
//! save). Nothing here draws, and nothing here touches the disk.

pub mod action;
pub mod doc;
pub mod keymap;
pub mod run;
pub mod searching;

use crate::corpus::{Article, Corpus};
use crate::query::facets::Facets;
use crate::query::{self, Query, Term};
use crate::store::{self, Bookmark, Op, StateView, Store};
use crate::ui::layout::{self, Panes};
use crate::ui::theme::Theme;
pub use action::{Action, Effect, SearchRequest, SearchResult};
use keymap::{Binding, Context, DEFAULT_KEYMAP};
use ratatui::layout::Rect;
use std::sync::Arc;
use tui_textarea::{CursorMove, Input, TextArea};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Reader,
    Facets,
}

/// How a message in the status line should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

/// One facet row: which facet, the value, its count, whether it is selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetRow {
    pub facet: FacetKind,
    pub value: String,
    pub count: usize,
    pub selected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetKind {
    Sector,
    Tag,
    Source,
    Year,
}

impl FacetKind {
    pub fn field(self) -> &'static str {
        match self {
            FacetKind::Sector => "sector",
            FacetKind::Tag => "tag",
            FacetKind::Source => "source",
            FacetKind::Year => "date",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FacetKind::Sector => "Sectors",
            FacetKind::Tag => "Tags",
            FacetKind::Source => "Sources",
            FacetKind::Year => "Years",
        }
    }
}

/// The search inside one article: its matches as reader line numbers.
#[derive(Debug, Clone, Default)]
pub struct ArticleSearch {
    pub text: String,
    pub lines: Vec<usize>,
    pub current: usize,
}

/// Everything the reader shows. Drawing reads it and changes nothing.
pub struct App {
    pub corpus: Arc<Corpus>,
    pub index: Arc<query::Index>,
    pub keymap: Vec<Binding>,
    pub theme: Theme,
    pub store: Store,
    pub state: Arc<StateView>,
    /// Corpus indexes shown in the list, in order.
    pub visible: Vec<usize>,
    /// Position of the selection in `visible`.
    pub selected: usize,
    /// First list row shown.
    pub list_offset: usize,
    pub focus: Focus,
    /// Which pane a narrow screen shows besides the focused one.
    pub reader_top: usize,
    reader_anchor: Option<(usize, usize)>,
    /// Scroll of the help overlay, when it is open.
    pub help: Option<usize>,
    pub size: (u16, u16),
    pub should_quit: bool,
    /// The query text in force and its parse.
    pub query_text: String,
    pub query: Query,
    pub query_error: Option<String>,
    /// The search box, while it is open.
    pub search_box: Option<TextArea<'static>>,
    /// Whether the open search box searches the article (from the reader).
    pub search_in_article: bool,
    pub article_search: Option<ArticleSearch>,
    /// Search generation: results from older ones are dropped.
    pub generation: u64,
    pub searching: bool,
    last_result: Option<(String, Arc<Vec<u32>>)>,
    pub facets: Facets,
    pub facets_open: bool,
    pub facet_cursor: usize,
    pub history: Vec<String>,
    history_pos: Option<usize>,
    /// The note editor, while it is open, and the article it is for.
    pub note_box: Option<(String, TextArea<'static>)>,
    undo: Vec<Vec<Op>>,
    pub message: Option<(String, Tone)>,
}

fn new_box(text: &str, theme: &Theme) -> TextArea<'static> {
    let mut t = TextArea::new(text.lines().map(str::to_string).collect());
    if t.lines().is_empty() {
        t = TextArea::default();
    }
    t.set_cursor_line_style(theme.base);
    t.set_style(theme.base);
    t.move_cursor(CursorMove::Bottom);
    t.move_cursor(CursorMove::End);
    t
}

impl App {
    pub fn new(corpus: Corpus, theme: Theme) -> App {
        App::with_store(corpus, theme, Store::in_memory(), Vec::new())
    }

    pub fn with_store(corpus: Corpus, theme: Theme, store: Store, history: Vec<String>) -> App {
        let index = query::Index::build(&corpus.articles);
        let visible: Vec<usize> = index.newest.iter().map(|&i| i as usize).collect();
        let state = Arc::new(StateView::of(&store.data, &corpus.articles));
        let facets = query::facets::count_indexed(&index, visible.iter().copied());
        let mut app = App {
            corpus: Arc::new(corpus),
            index: Arc::new(index),
            keymap: DEFAULT_KEYMAP.to_vec(),
            theme,
            store,
            state,
            visible,
            selected: 0,
            list_offset: 0,
            focus: Focus::List,
            reader_top: 0,
            reader_anchor: None,
            help: None,
            size: (80, 24),
            should_quit: false,
            query_text: String::new(),
            query: Query::default(),
            query_error: None,
            search_box: None,
            search_in_article: false,
            article_search: None,
            generation: 0,
            searching: false,
            last_result: None,
            facets,
            facets_open: false,
            facet_cursor: 0,
            history,
            history_pos: None,
            note_box: None,
            undo: Vec::new(),
            message: None,
        };
        app.take_store_events();
        app
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub fn panes(&self) -> Panes {
        layout::panes(
            self.area(),
            self.focus,
            self.facets_open,
            self.search_box.is_some(),
        )
    }

    pub fn current_index(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// The selected article.
    pub fn current(&self) -> Option<&Article> {
        self.current_index()
            .and_then(|i| self.corpus.articles.get(i))
    }

    pub fn is_bookmarked(&self, idx: usize) -> bool {
        self.state.bookmarked.contains(&idx)
    }

    pub fn is_read(&self, idx: usize) -> bool {
        self.state.read.contains(&idx)
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
        } else if self.note_box.is_some() {
            Context::Note
        } else if self.search_box.is_some() {
            Context::Search
        } else {
            match self.focus {
                Focus::Reader => Context::Reader,
                Focus::Facets => Context::Facets,
                Focus::List => Context::List,
            }
        }
    }

    /// The facet pane's rows, in display order.
    pub fn facet_rows(&self) -> Vec<FacetRow> {
        let selected = |kind: FacetKind| self.selected_values(kind);
        let mut rows = Vec::new();
        let groups: [(FacetKind, &Vec<query::facets::FacetValue>, usize); 4] = [
            (FacetKind::Sector, &self.facets.sectors, 12),
            (FacetKind::Year, &self.facets.years, 12),
            (FacetKind::Tag, &self.facets.tags, 15),
            (FacetKind::Source, &self.facets.sources, 10),
        ];
        for (kind, values, max) in groups {
            let sel = selected(kind);
            let mut seen = Vec::new();
            for v in values.iter().take(max) {
                seen.push(v.value.to_lowercase());
                rows.push(FacetRow {
                    facet: kind,
                    value: v.value.clone(),
                    count: v.count,
                    selected: sel.contains(&v.value.to_lowercase()),
                });
            }
            // Selected values with no results now still show, so they can be cleared.
            for s in sel.iter().filter(|s| !seen.contains(s)) {
                rows.push(FacetRow {
                    facet: kind,
                    value: s.clone(),
                    count: 0,
                    selected: true,
                });
            }
        }
        rows
    }

    /// Values selected in a facet: those of its first plain (not negated) clause.
    fn selected_values(&self, kind: FacetKind) -> Vec<String> {
        let Some(i) = self.facet_clause(kind) else {
            return Vec::new();
        };
        let term = &self.query.clauses[i].term;
        let one = |t: &Term| -> Option<String> {
            match (kind, t) {
                (FacetKind::Sector, Term::Sector(v))
                | (FacetKind::Tag, Term::Tag(v))
                | (FacetKind::Source, Term::Source(v)) => Some(v.clone()),
                (FacetKind::Year, Term::Date(r)) => {
                    let (y, m, d) = crate::corpus::date::civil_from_days(r.start);
                    let (y2, m2, d2) = crate::corpus::date::civil_from_days(r.end);
                    (m == 1 && d == 1 && m2 == 12 && d2 == 31 && y == y2).then(|| y.to_string())
                }
                _ => None,
            }
        };
        match term {
            Term::AnyOf(ts) => ts.iter().filter_map(one).collect(),
            t => one(t).into_iter().collect(),
        }
    }

    /// The clause a facet edits.
    fn facet_clause(&self, kind: FacetKind) -> Option<usize> {
        searching::facet_clause(&self.query, kind.field())
    }

    fn select(&mut self, pos: usize) {
        let pos = pos.min(self.visible.len().saturating_sub(1));
        if pos != self.selected {
            self.selected = pos;
            self.reader_top = 0;
            self.article_search = None;
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
        let rows = self.facet_rows().len();
        self.facet_cursor = self.facet_cursor.min(rows.saturating_sub(1));
        if self.focus == Focus::Facets && !self.facets_open {
            self.focus = Focus::List;
        }
    }

    /// The page size of the pane that has focus.
    fn page(&self) -> usize {
        match self.focus {
            Focus::Reader => self.reader_size().map(|(_, h)| h).unwrap_or(1).max(1),
            _ => self.list_height().max(1),
        }
    }

    fn say(&mut self, text: impl Into<String>, tone: Tone) {
        self.message = Some((text.into(), tone));
    }

    /// Tell the user what the store needs them to know.
    pub fn take_store_events(&mut self) {
        for e in self.store.take_events() {
            let tone = match e {
                store::StoreEvent::Recovered => Tone::Info,
                _ => Tone::Error,
            };
            self.say(e.to_string(), tone);
        }
    }

    /// Perform a store change (called by the loop for `Effect::Store`), then refresh the
    /// views of it.
    pub fn persist(&mut self, op: Op) {
        if let Err(e) = self.store.apply(op) {
            self.say(
                format!("not saved yet: {e} (kept in memory, retrying)"),
                Tone::Error,
            );
        }
        self.take_store_events();
        self.refresh_state();
    }

    /// Retry saving changes that failed (the loop calls this now and then).
    pub fn retry_saves(&mut self) {
        if self.store.has_pending() && self.store.flush().is_ok() {
            self.say("bookmarks saved", Tone::Info);
        }
        self.take_store_events();
    }

    fn refresh_state(&mut self) {
        self.state = Arc::new(StateView::of(&self.store.data, &self.corpus.articles));
    }

    /// Apply one action. Returns the effects the loop must perform.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !matches!(action, Action::Resize(..) | Action::SearchDone(..)) {
            self.reader_anchor = None;
            if !matches!(action, Action::Input(_)) {
                self.message = None;
            }
        }
        if let Action::SearchDone(generation, result, done) = action {
            self.search_done(generation, result, done);
            self.settle();
            return effects;
        }
        if let Action::Resize(w, h) = action {
            self.resize(w, h);
            return effects;
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
                _ => {}
            }
            return effects;
        }
        if self.note_box.is_some() {
            self.update_note(action, &mut effects);
            self.settle();
            return effects;
        }
        if self.search_box.is_some() {
            self.update_search_box(action, &mut effects);
            self.settle();
            return effects;
        }
        let page = self.page() as isize;
        let focus = self.focus;
        match action {
            Action::Quit => {
                self.leave_article(&mut effects);
                self.should_quit = true;
                effects.push(Effect::Quit);
            }
            Action::ToggleHelp => self.help = Some(0),
            Action::Search => {
                let in_article = focus == Focus::Reader && self.current().is_some();
                self.search_in_article = in_article;
                let text = if in_article {
                    self.article_search
                        .as_ref()
                        .map(|s| s.text.clone())
                        .unwrap_or_default()
                } else {
                    self.query_text.clone()
                };
                self.search_box = Some(new_box(&text, &self.theme));
                self.history_pos = None;
            }
            Action::ToggleFacets => {
                self.facets_open = !self.facets_open;
                self.focus = if self.facets_open {
                    Focus::Facets
                } else {
                    Focus::List
                };
            }
            Action::Up if focus == Focus::Facets => {
                self.facet_cursor = self.facet_cursor.saturating_sub(1)
            }
            Action::Down if focus == Focus::Facets => self.facet_cursor += 1,
            Action::Top if focus == Focus::Facets => self.facet_cursor = 0,
            Action::Bottom if focus == Focus::Facets => self.facet_cursor = usize::MAX,
            Action::ReadOn if focus == Focus::Facets => self.toggle_facet(&mut effects),
            Action::DatePreset(p) => self.date_preset(p, &mut effects),
            Action::Up if focus == Focus::Reader => self.scroll_reader(-1),
            Action::Down if focus == Focus::Reader => self.scroll_reader(1),
            Action::Top if focus == Focus::Reader => self.reader_top = 0,
            Action::Bottom if focus == Focus::Reader => self.reader_top = self.reader_max_top(),
            Action::PageUp if focus == Focus::Reader => self.scroll_reader(-page.max(2) + 1),
            Action::PageDown | Action::ReadOn if focus == Focus::Reader => {
                self.scroll_reader(page.max(2) - 1)
            }
            Action::HalfPageUp if focus == Focus::Reader => self.scroll_reader(-(page / 2).max(1)),
            Action::HalfPageDown if focus == Focus::Reader => self.scroll_reader((page / 2).max(1)),
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown | Action::ReadOn => self.move_selection(page),
            Action::HalfPageUp => self.move_selection(-(page / 2).max(1)),
            Action::HalfPageDown => self.move_selection((page / 2).max(1)),
            Action::Open => self.open(&mut effects),
            Action::Back => {
                self.leave_article(&mut effects);
                self.article_search = None;
                self.focus = Focus::List;
            }
            Action::Cancel => {
                if !self.query_text.is_empty() {
                    self.set_query(String::new(), &mut effects);
                }
            }
            Action::ToggleFocus => {
                self.focus = match self.focus {
                    Focus::Facets => Focus::List,
                    Focus::List if self.current().is_some() => Focus::Reader,
                    Focus::Reader if self.facets_open => Focus::Facets,
                    _ => Focus::List,
                };
                if self.focus == Focus::Reader {
                    self.mark_read_on_open(&mut effects);
                }
            }
            Action::NextArticle if self.article_search.is_some() => self.jump_match(1),
            Action::NextMatch => self.jump_match(1),
            Action::PrevMatch => self.jump_match(-1),
            Action::NextArticle | Action::PrevArticle => {
                self.leave_article(&mut effects);
                self.move_selection(if action == Action::NextArticle { 1 } else { -1 });
                self.reader_top = 0;
                if self.focus == Focus::Reader {
                    self.restore_position();
                    self.mark_read_on_open(&mut effects);
                }
            }
            Action::ToggleBookmark => self.toggle_bookmark(&mut effects),
            Action::BookmarksOnly => self.toggle_bookmarks_only(&mut effects),
            Action::EditNote => self.edit_note(&mut effects),
            Action::ToggleRead => self.toggle_read(&mut effects),
            Action::Undo => self.undo(&mut effects),
            Action::Click(x, y) => self.click(x, y, &mut effects),
            Action::WheelUp(x, y) => self.wheel(x, y, -3),
            Action::WheelDown(x, y) => self.wheel(x, y, 3),
            Action::Input(_)
            | Action::Accept
            | Action::HistoryPrev
            | Action::HistoryNext
            | Action::Resize(..)
            | Action::SearchDone(..) => {}
        }
        self.settle();
        effects
    }

    fn open(&mut self, effects: &mut Vec<Effect>) {
        if self.current().is_some() {
            self.focus = Focus::Reader;
            self.reader_top = 0;
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
    fn leave_article(&mut self, effects: &mut Vec<Effect>) {
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

    fn mark_read_on_open(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        if !self.is_read(i) {
            let id = self.corpus.articles[i].id.clone();
            self.undo.push(vec![Op::SetRead(id.clone(), false)]);
            effects.push(Effect::Store(Op::SetRead(id, true)));
        }
    }

    fn toggle_bookmark(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        let a = &self.corpus.articles[i];
        let id = a.id.clone();
        match self.store.data.bookmarks.get(&id).cloned() {
            Some(old) => {
                self.undo.push(vec![Op::Put(id.clone(), old)]);
                effects.push(Effect::Store(Op::Remove(id)));
                self.say("bookmark removed (u to undo)", Tone::Info);
            }
            None => {
                let b = Bookmark {
                    added: store::now(),
                    title: a.title.clone(),
                    note: String::new(),
                    updated: None,
                };
                self.undo.push(vec![Op::Remove(id.clone())]);
                effects.push(Effect::Store(Op::Put(id, b)));
                self.say("bookmarked (e adds a note)", Tone::Info);
            }
        }
    }

    fn toggle_read(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        let id = self.corpus.articles[i].id.clone();
        let was = self.is_read(i);
        self.undo.push(vec![Op::SetRead(id.clone(), was)]);
        effects.push(Effect::Store(Op::SetRead(id, !was)));
    }

    fn edit_note(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        let a = &self.corpus.articles[i];
        let id = a.id.clone();
        if !self.store.data.bookmarks.contains_key(&id) {
            // A note makes a bookmark.
            let b = Bookmark {
                added: store::now(),
                title: a.title.clone(),
                note: String::new(),
                updated: None,
            };
            self.undo.push(vec![Op::Remove(id.clone())]);
            effects.push(Effect::Store(Op::Put(id.clone(), b)));
        }
        let note = self
            .store
            .data
            .bookmarks
            .get(&id)
            .map(|b| b.note.clone())
            .unwrap_or_default();
        self.note_box = Some((id, new_box(&note, &self.theme)));
    }

    fn update_note(&mut self, action: Action, effects: &mut Vec<Effect>) {
        match action {
            Action::Accept => {
                if let Some((id, ta)) = self.note_box.take() {
                    let text = ta.lines().join("\n").trim_end().to_string();
                    let old = self
                        .store
                        .data
                        .bookmarks
                        .get(&id)
                        .map(|b| b.note.clone())
                        .unwrap_or_default();
                    if text != old {
                        self.undo.push(vec![Op::SetNote(id.clone(), old)]);
                        effects.push(Effect::Store(Op::SetNote(id, text)));
                        self.say("note saved", Tone::Info);
                    }
                }
            }
            Action::Quit => {
                // Never lose typed text: save it, then quit.
                self.update_note(Action::Accept, effects);
                self.should_quit = true;
                effects.push(Effect::Quit);
            }
            Action::Input(key) => {
                if let Some((_, ta)) = self.note_box.as_mut() {
                    ta.input(Input::from(key));
                }
            }
            _ => {}
        }
    }

    fn undo(&mut self, effects: &mut Vec<Effect>) {
        match self.undo.pop() {
            Some(ops) => {
                for op in ops {
                    effects.push(Effect::Store(op));
                }
                self.say("undone", Tone::Info);
            }
            None => self.say("nothing to undo", Tone::Info),
        }
    }

    fn toggle_bookmarks_only(&mut self, effects: &mut Vec<Effect>) {
        let has = self
            .query
            .clauses
            .iter()
            .any(|c| !c.negated && c.term == Term::Is(query::parse::State::Bookmarked));
        let text = if has {
            self.query
                .clauses
                .iter()
                .filter(|c| c.negated || c.term != Term::Is(query::parse::State::Bookmarked))
                .map(|c| c.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            format!("{} is:bookmarked", self.query_text)
                .trim()
                .to_string()
        };
        self.set_query(text, effects);
    }

    /// Change the query text: parse it, and start a search when it parses.
    pub fn set_query(&mut self, text: String, effects: &mut Vec<Effect>) {
        match query::parse(&text) {
            Ok(q) => {
                self.query_error = None;
                let within = self.narrowing_base(&text, &q);
                self.query = q.clone();
                self.query_text = text.clone();
                self.generation += 1;
                self.searching = true;
                effects.push(Effect::Search(SearchRequest {
                    generation: self.generation,
                    query: q,
                    within,
                }));
            }
            Err(e) => {
                self.query_text = text;
                self.query_error = Some(e.to_string());
            }
        }
    }

    /// Earlier results a grown query can be narrowed from.
    fn narrowing_base(&self, text: &str, q: &Query) -> Option<Arc<Vec<u32>>> {
        let (prev_text, prev) = self.last_result.as_ref()?;
        if prev_text.is_empty() || !text.starts_with(prev_text.as_str()) || text == prev_text {
            return None;
        }
        let old = query::parse(prev_text).ok()?;
        searching::can_narrow(&old, q).then(|| Arc::clone(prev))
    }

    fn search_done(&mut self, generation: u64, result: Arc<SearchResult>, done: bool) {
        if generation != self.generation {
            return; // stale
        }
        self.searching = !done;
        let keep = self.current_index();
        self.visible = result.hits.iter().map(|h| h.idx as usize).collect();
        self.facets = result.facets.clone();
        if done {
            self.last_result = Some((
                self.query_text.clone(),
                Arc::new(result.hits.iter().map(|h| h.idx).collect()),
            ));
        }
        // Keep the selected article selected when it is still there.
        let pos = keep.and_then(|k| self.visible.iter().position(|&i| i == k));
        match pos {
            Some(p) => self.selected = p,
            None => {
                self.selected = 0;
                self.reader_top = 0;
            }
        }
        self.list_offset = self.list_offset.min(self.selected);
    }

    fn update_search_box(&mut self, action: Action, effects: &mut Vec<Effect>) {
        match action {
            Action::Quit => {
                self.should_quit = true;
                effects.push(Effect::Quit);
            }
            Action::Accept => {
                let text = self.box_text();
                self.search_box = None;
                if self.search_in_article {
                    self.jump_match(0);
                } else {
                    self.remember_query(&text, effects);
                    if self.focus == Focus::Facets {
                        self.focus = Focus::List;
                    }
                }
            }
            Action::Cancel => {
                self.search_box = None;
                if self.search_in_article {
                    self.article_search = None;
                } else if self.query_error.is_some() {
                    // Leave with the last query that worked.
                    let text = self
                        .last_result
                        .as_ref()
                        .map(|r| r.0.clone())
                        .unwrap_or_default();
                    self.query_error = None;
                    self.set_query(text, effects);
                }
            }
            Action::HistoryPrev | Action::HistoryNext if !self.search_in_article => {
                if self.history.is_empty() {
                    return;
                }
                let n = self.history.len();
                let pos = match (self.history_pos, action == Action::HistoryPrev) {
                    (None, true) => Some(n - 1),
                    (None, false) => None,
                    (Some(p), true) => Some(p.saturating_sub(1)),
                    (Some(p), false) if p + 1 < n => Some(p + 1),
                    (Some(_), false) => None,
                };
                self.history_pos = pos;
                let text = pos.map(|p| self.history[p].clone()).unwrap_or_default();
                self.search_box = Some(new_box(&text, &self.theme));
                self.set_query(text, effects);
            }
            Action::Input(key) => {
                use crossterm::event::{KeyCode, KeyModifiers};
                let Some(ta) = self.search_box.as_mut() else {
                    return;
                };
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    // Shell editing: Ctrl-U deletes to the start, Ctrl-W the word before.
                    KeyCode::Char('u') if ctrl => {
                        ta.delete_line_by_head();
                    }
                    KeyCode::Char('w') if ctrl => {
                        ta.delete_word();
                    }
                    KeyCode::Char('m') | KeyCode::Char('j') if ctrl => {}
                    KeyCode::Tab | KeyCode::BackTab => {}
                    _ => {
                        ta.input(Input::from(key));
                    }
                }
                let text = self.box_text();
                if self.search_in_article {
                    self.search_article(&text);
                } else if text != self.query_text || self.query_error.is_some() {
                    self.history_pos = None;
                    self.set_query(text, effects);
                }
            }
            _ => {}
        }
    }

    fn box_text(&self) -> String {
        self.search_box
            .as_ref()
            .map(|t| t.lines().join(" "))
            .unwrap_or_default()
    }

    fn remember_query(&mut self, text: &str, effects: &mut Vec<Effect>) {
        let t = text.trim();
        if t.is_empty() || self.query_error.is_some() {
            return;
        }
        self.history.retain(|h| h != t);
        self.history.push(t.to_string());
        let n = self.history.len();
        if n > 200 {
            self.history.drain(..n - 200);
        }
        effects.push(Effect::SaveHistory);
    }

    /// Find `text` in the current article: matches as reader lines.
    fn search_article(&mut self, text: &str) {
        let doc = self.reader_doc();
        let q = query::parse(text).unwrap_or_default();
        let needles: Vec<String> = if text.trim().is_empty() {
            Vec::new()
        } else {
            let h = q.highlights();
            if h.is_empty() {
                vec![text.trim().to_lowercase()]
            } else {
                h
            }
        };
        let lines: Vec<usize> = doc
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let low = l.text.to_lowercase();
                needles.iter().any(|n| low.contains(n.as_str()))
            })
            .map(|(i, _)| i)
            .collect();
        self.article_search = Some(ArticleSearch {
            text: text.to_string(),
            lines,
            current: 0,
        });
        self.jump_match(0);
    }

    /// Move to the next (1), previous (-1) or current (0) match of the article search.
    fn jump_match(&mut self, dir: isize) {
        let h = self.reader_size().map(|(_, h)| h).unwrap_or(1);
        let Some(s) = self.article_search.as_mut() else {
            return;
        };
        if s.lines.is_empty() {
            return;
        }
        let n = s.lines.len() as isize;
        s.current = ((s.current as isize + dir).rem_euclid(n)) as usize;
        let line = s.lines[s.current];
        self.reader_top = line.saturating_sub(h / 3);
        self.reader_top = self.reader_top.min(self.reader_max_top());
    }

    fn toggle_facet(&mut self, effects: &mut Vec<Effect>) {
        let rows = self.facet_rows();
        let Some(row) = rows.get(self.facet_cursor) else {
            return;
        };
        let kind = row.facet;
        let mut values = self.selected_values(kind);
        let v = row.value.to_lowercase();
        if let Some(p) = values.iter().position(|x| *x == v) {
            values.remove(p);
        } else {
            values.push(v);
        }
        let clause = if values.is_empty() {
            None
        } else {
            let vals: Vec<String> = values
                .iter()
                .map(|x| {
                    if x.contains(|c: char| c.is_whitespace() || c == ',' || c == '&') {
                        format!("\"{x}\"")
                    } else {
                        x.clone()
                    }
                })
                .collect();
            Some(format!("{}:{}", kind.field(), vals.join(",")))
        };
        let text = self.replace_facet_clause(kind, clause);
        self.set_query(text, effects);
    }

    /// The query text with a facet's clause replaced (or removed, or added).
    fn replace_facet_clause(&self, kind: FacetKind, clause: Option<String>) -> String {
        let mut parts: Vec<String> = self.query.clauses.iter().map(|c| c.text.clone()).collect();
        match (self.facet_clause(kind), clause) {
            (Some(i), Some(c)) => parts[i] = c,
            (Some(i), None) => {
                parts.remove(i);
            }
            (None, Some(c)) => parts.push(c),
            (None, None) => {}
        }
        if let Some(sort) = self
            .query_text
            .split_whitespace()
            .find(|w| w.starts_with("sort:"))
        {
            parts.push(sort.to_string());
        }
        parts.join(" ")
    }

    fn date_preset(&mut self, p: u8, effects: &mut Vec<Effect>) {
        let year = crate::corpus::date::today().get_year();
        let clause = match p {
            1 => Some("date:30d".to_string()),
            2 => Some(format!("date:{year}")),
            3 => Some(format!("date:{}", year - 1)),
            _ => None,
        };
        // Replace any date clause.
        let mut parts: Vec<String> = self
            .query
            .clauses
            .iter()
            .filter(|c| {
                !matches!(c.term, Term::Date(_) | Term::Undated) && !c.text.starts_with("date:")
            })
            .map(|c| c.text.clone())
            .collect();
        if let Some(c) = clause {
            parts.push(c);
        }
        self.set_query(parts.join(" "), effects);
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
        if let Some(s) = self.article_search.clone() {
            self.search_article(&s.text);
            if let Some(n) = self.article_search.as_mut() {
                n.current = s.current.min(n.lines.len().saturating_sub(1));
            }
            self.reader_top = doc::find_anchor(&after, anchor);
        }
        self.settle();
    }

    fn click(&mut self, x: u16, y: u16, effects: &mut Vec<Effect>) {
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

    fn wheel(&mut self, x: u16, y: u16, delta: isize) {
        let panes = self.panes();
        if panes.list.is_some_and(|l| layout::contains(l, x, y)) {
            self.move_selection(delta);
        } else if panes.reader.is_some_and(|r| layout::contains(r, x, y)) {
            self.scroll_reader(delta);
        } else if panes.facets.is_some_and(|r| layout::contains(r, x, y)) {
            self.facet_cursor = self.facet_cursor.saturating_add_signed(delta);
        }
    }

    /// Run every effect here and now (tests, and the CLI): searches synchronously, store
    /// changes directly. Returns whether the app asked to quit.
    pub fn run_effects_now(&mut self, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        for e in effects {
            match e {
                Effect::Quit => quit = true,
                Effect::Store(op) => self.persist(op),
                Effect::SaveHistory => {}
                Effect::Search(req) => {
                    let result = searching::run(
                        &self.corpus,
                        &self.index,
                        &self.state,
                        &req,
                        &|| false,
                        &mut |_| {},
                    );
                    if let Some(r) = result {
                        let more =
                            self.update(Action::SearchDone(req.generation, Arc::new(r), true));
                        quit |= self.run_effects_now(more);
                    }
                }
            }
        }
        quit
    }
}
