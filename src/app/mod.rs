//! The reader's state and its reducer: keys become actions (`keymap::action_for`), `update`
//! applies an action and hands back effects for the event loop (searches to run, changes to
//! save). Nothing here draws, and nothing here touches the disk.
//!
//! Each concern has its own file: `list` (selection and rows), `reading` (the reading pane,
//! positions, resizes, the mouse), `search_box` (the query box, history, find in article),
//! `facets`, `marks` (bookmarks, notes, read state, undo), `views` (saved views), `links`,
//! `layout` (where panes go, shared with `ui`), `searching` (running searches) and `run`
//! (the event loop).

pub mod action;
pub mod doc;
pub mod facets;
pub mod keymap;
pub mod layout;
pub mod links;
pub mod list;
pub mod marks;
pub mod reading;
pub mod reload;
pub mod run;
pub mod search_box;
pub mod searching;
pub mod views;

use crate::corpus::{Article, Corpus};
use crate::query::facets::Facets;
use crate::query::{self, Query};
use crate::store::{Op, StateView, Store};
use crate::ui::theme::Theme;
pub use action::{Action, Effect, SearchRequest, SearchResult};
pub use facets::{FacetKind, FacetRow};
use keymap::{Binding, Context};
use layout::{Panes, Prefs};
use ratatui::layout::Rect;
pub use search_box::ArticleSearch;
use std::sync::Arc;
use tui_textarea::{CursorMove, TextArea};
pub use views::View;

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

/// Everything the reader shows. Drawing reads it and changes nothing.
pub struct App {
    pub corpus: Arc<Corpus>,
    pub index: Arc<query::Index>,
    pub keymap: Vec<Binding>,
    pub theme: Theme,
    pub prefs: Prefs,
    /// Saved views from the config file.
    pub views: Vec<View>,
    /// The views pane's cursor, while it is open.
    pub views_cursor: Option<usize>,
    /// Each view's count of results (`None` while counting).
    pub view_counts: Vec<Option<usize>>,
    pub store: Store,
    pub state: Arc<StateView>,
    /// Corpus indexes shown in the list, in order.
    pub visible: Vec<usize>,
    /// Position of the selection in `visible`.
    pub selected: usize,
    /// First list row shown.
    pub list_offset: usize,
    pub focus: Focus,
    /// First line of the article shown in the reader.
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
    history_pos: Option<usize>,
    /// The note editor, while it is open, and the article it is for.
    pub note_box: Option<(String, TextArea<'static>)>,
    undo: Vec<Vec<Op>>,
    pub message: Option<(String, Tone)>,
    /// The corpus files, watched for changes.
    watch: reload::Watch,
}

/// A text box holding `text`, the cursor at its end.
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
    /// A reader on `corpus` whose bookmarks live in memory only.
    pub fn new(corpus: Corpus, theme: Theme) -> App {
        App::with_store(corpus, theme, Store::in_memory())
    }

    pub fn with_store(corpus: Corpus, theme: Theme, store: Store) -> App {
        let index = query::Index::build(&corpus.articles);
        let visible: Vec<usize> = index.newest.iter().map(|&i| i as usize).collect();
        let state = Arc::new(StateView::of(&store.data, corpus.articles.len(), |id| {
            corpus.index_of(id)
        }));
        let facets = query::facets::count_indexed(&index, visible.iter().copied());
        let mut app = App {
            corpus: Arc::new(corpus),
            index: Arc::new(index),
            keymap: keymap::default_keymap(),
            theme,
            prefs: Prefs::default(),
            views: Vec::new(),
            views_cursor: None,
            view_counts: Vec::new(),
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
            history_pos: None,
            note_box: None,
            undo: Vec::new(),
            message: None,
            watch: reload::Watch::default(),
        };
        app.take_store_events();
        app
    }

    /// What the config file chose: keys (merged over the defaults), layout, saved views.
    pub fn configure(&mut self, keymap: Vec<Binding>, prefs: Prefs, views: Vec<View>) {
        self.keymap = keymap;
        self.prefs = prefs;
        self.view_counts = vec![None; views.len()];
        self.views = views;
        self.settle();
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
            self.prefs.list_width,
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
        self.state.bookmarked.contains(idx)
    }

    pub fn is_read(&self, idx: usize) -> bool {
        self.state.read.contains(idx)
    }

    /// The search history, oldest first.
    pub fn history(&self) -> &[String] {
        self.store.history()
    }

    /// The context keys are looked up in.
    pub fn context(&self) -> Context {
        if self.help.is_some() {
            Context::Help
        } else if self.note_box.is_some() {
            Context::Note
        } else if self.views_cursor.is_some() {
            Context::Views
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

    /// Keep the selection on screen and the reader within its text.
    fn settle(&mut self) {
        self.settle_list();
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
            _ => self.list_page(),
        }
    }

    fn say(&mut self, text: impl Into<String>, tone: Tone) {
        self.message = Some((text.into(), tone));
    }

    fn quit(&mut self, effects: &mut Vec<Effect>) {
        self.should_quit = true;
        effects.push(Effect::Quit);
    }

    /// Apply one action. Returns the effects the loop must perform.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !matches!(
            action,
            Action::Resize(..)
                | Action::SearchDone(..)
                | Action::ViewsCounted(_)
                | Action::Reloaded(_)
                | Action::ReloadFailed(..)
        ) {
            self.reader_anchor = None;
            if !matches!(action, Action::Input(_)) {
                self.message = None;
            }
        }
        match action {
            Action::SearchDone(generation, result, done) => {
                self.search_done(generation, result, done)
            }
            Action::Resize(w, h) => return self.resize(w, h),
            Action::ViewsCounted(counts) => self.views_counted(counts),
            Action::Failed(why) => self.say(why, Tone::Error),
            a @ (Action::Reloaded(_) | Action::ReloadFailed(..)) => {
                self.update_reload(a, &mut effects)
            }
            action if self.help.is_some() => self.update_help(action, &mut effects),
            action if self.note_box.is_some() => self.update_note(action, &mut effects),
            action if self.views_cursor.is_some() => self.update_views(action, &mut effects),
            action if self.search_box.is_some() => self.update_search_box(action, &mut effects),
            action => self.update_panes(action, &mut effects),
        }
        self.settle();
        effects
    }

    fn update_help(&mut self, action: Action, effects: &mut Vec<Effect>) {
        let Some(scroll) = self.help else { return };
        match action {
            Action::ToggleHelp => self.help = None,
            Action::Down => {
                let max = keymap::help_rows(&self.keymap).len() + 8;
                self.help = Some((scroll + 1).min(max));
            }
            Action::Up => self.help = Some(scroll.saturating_sub(1)),
            Action::Quit => self.quit(effects),
            _ => {}
        }
    }

    /// Keys for the list, the reader and the facet pane.
    fn update_panes(&mut self, action: Action, effects: &mut Vec<Effect>) {
        let page = self.page() as isize;
        let focus = self.focus;
        match action {
            Action::Quit => {
                self.leave_article(effects);
                self.quit(effects);
            }
            Action::ToggleHelp => self.help = Some(0),
            Action::Search => self.open_search_box(),
            Action::ToggleFacets => self.toggle_facets(),
            Action::ToggleViews => self.toggle_views(effects),
            Action::ApplyView(i) => self.apply_view(i, effects),
            Action::OpenLink => self.open_link(effects),
            Action::CopyLink => self.copy_link(false, effects),
            Action::CopyMarkdownLink => self.copy_link(true, effects),
            Action::DatePreset(p) => self.date_preset(p, effects),
            a if focus == Focus::Facets && self.update_facet_cursor(&a, effects) => {}
            a if focus == Focus::Reader && self.scroll_reader_by(&a, page) => {}
            Action::Up => self.move_selection(-1),
            Action::Down => self.move_selection(1),
            Action::Top => self.select(0),
            Action::Bottom => self.select(usize::MAX),
            Action::PageUp => self.move_selection(-page),
            Action::PageDown | Action::ReadOn => self.move_selection(page),
            Action::HalfPageUp => self.move_selection(-(page / 2).max(1)),
            Action::HalfPageDown => self.move_selection((page / 2).max(1)),
            Action::Open => self.open(effects),
            Action::Back => self.back(effects),
            Action::Cancel => {
                if !self.query_text.is_empty() {
                    self.set_query(String::new(), effects);
                }
            }
            Action::ToggleFocus => self.toggle_focus(effects),
            Action::NextArticle if self.article_search.is_some() => self.jump_match(1),
            Action::NextMatch => self.jump_match(1),
            Action::PrevMatch => self.jump_match(-1),
            Action::NextArticle => self.step_article(1, effects),
            Action::PrevArticle => self.step_article(-1, effects),
            Action::ToggleBookmark => self.toggle_bookmark(effects),
            Action::BookmarksOnly => self.toggle_bookmarks_only(effects),
            Action::EditNote => self.edit_note(effects),
            Action::ToggleRead => self.toggle_read(effects),
            Action::MarkAllRead => self.mark_all_read(effects),
            Action::Undo => self.undo(effects),
            Action::Click(x, y) => self.click(x, y, effects),
            Action::WheelUp(x, y) => self.wheel(x, y, -3),
            Action::WheelDown(x, y) => self.wheel(x, y, 3),
            Action::Input(_)
            | Action::Accept
            | Action::HistoryPrev
            | Action::HistoryNext
            | Action::Resize(..)
            | Action::ViewsCounted(_)
            | Action::Failed(_)
            | Action::Reloaded(_)
            | Action::ReloadFailed(..)
            | Action::SearchDone(..) => {}
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
                Effect::Remember(q) => self.remember(&q),
                Effect::CountViews(queries) => {
                    let counts = searching::count(&self.corpus, &self.index, &self.state, &queries);
                    let more = self.update(Action::ViewsCounted(counts));
                    quit |= self.run_effects_now(more);
                }
                Effect::Reload(req) => {
                    let action = match reload::load(&req) {
                        Ok(r) => Action::Reloaded(Arc::new(r)),
                        Err((seen, e)) => Action::ReloadFailed(seen, e),
                    };
                    let more = self.update(action);
                    quit |= self.run_effects_now(more);
                }
                // Nothing to open or copy to without a terminal.
                Effect::OpenUrl(_) | Effect::Copy(_) => {}
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
