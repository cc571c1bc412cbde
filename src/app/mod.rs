//! The reader's state and its reducer: keys become actions (`keymap::action_for`), `update`
//! applies an action and hands back the effects for the runtime to perform (searches to run,
//! changes to save) and whether the screen must be drawn again. Nothing here starts a thread,
//! reads or writes a file, or draws: the runtime (`crate::runtime`) does, and `crate::ui`
//! draws from `&App`.
//!
//! The state is a few small parts, each in its own file with fields no one outside `app`
//! can touch: `list` (the rows shown and the selection), `reading` (the reading pane and its
//! laid-out article, cached), `search_box` (the query in force and the box), `facets`,
//! `marks` (bookmarks, notes, read state, undo, and what is not saved yet), `views`, and
//! one `Overlay` for what is drawn over the panes: at most one of help, the search box, the
//! note editor or the views pane is open, by construction.

pub mod action;
pub mod doc;
pub mod facets;
pub mod feeds;
pub mod keymap;
pub mod layout;
pub mod links;
pub mod list;
pub mod marks;
pub mod note;
pub mod reading;
pub mod reload;
pub mod search_box;
pub mod searching;
pub mod views;

use crate::corpus::{Article, Corpus};
use crate::query;
use crate::store::Saved;
use crate::theme::Theme;
pub use action::{
    Action, ChangedRows, Done, Effect, Save, SearchRequest, SearchResult, StoreChange, Update,
};
pub use facets::{FacetKind, FacetRow};
use keymap::{Binding, Context};
use layout::{Panes, Prefs};
use ratatui::layout::Rect;
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

/// What is drawn over the panes and takes the keys: at most one at a time.
#[derive(Debug, Default)]
pub enum Overlay {
    #[default]
    None,
    /// The help, scrolled this far.
    Help(usize),
    /// The search box (the corpus query, or find in the article).
    Search(search_box::SearchBox),
    /// The note editor.
    Note(note::NoteEditor),
    /// The saved views pane, its cursor here.
    Views(usize),
    /// The feeds pane, its cursor here.
    Feeds(usize),
}

/// Everything the reader shows. Drawing reads it and changes nothing.
pub struct App {
    corpus: Arc<Corpus>,
    index: Arc<query::Index>,
    /// Which corpus this is: a reload makes a new one.
    corpus_generation: u64,
    keymap: Vec<Binding>,
    theme: Theme,
    prefs: Prefs,
    views: views::Views,
    syncing: feeds::Syncing,
    marks: marks::Marks,
    list: list::ListState,
    reader: reading::ReaderState,
    search: search_box::SearchState,
    facets: facets::FacetState,
    overlay: Overlay,
    focus: Focus,
    size: (u16, u16),
    message: Option<(String, Tone)>,
    /// The library's search index being built: (done, total).
    indexing: Option<(u64, u64)>,
    should_quit: bool,
    /// Effects asked for before the loop began (the search of the query restored at start),
    /// handed out with the first update.
    queued: Vec<Effect>,
    /// Corpora and indexes replaced, for the runtime to free off the UI thread.
    retired: Vec<(Arc<Corpus>, Arc<query::Index>)>,
    /// Articles a library gained, waiting to be added in place (while a worker still
    /// reads the corpus).
    appends: Vec<Arc<reload::Appended>>,
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
    /// A reader on `corpus` with nothing saved (tests, and where there is no data folder).
    pub fn new(corpus: Corpus, theme: Theme) -> App {
        App::with_saved(corpus, theme, Saved::default())
    }

    /// A reader on `corpus` with the saved state as the store read it at start.
    pub fn with_saved(corpus: Corpus, theme: Theme, saved: Saved) -> App {
        let index = query::Index::build(&corpus.articles);
        let visible: Vec<usize> = index.newest.iter().map(|&i| i as usize).collect();
        let corpus = Arc::new(corpus);
        let marks = marks::Marks::new(saved, &corpus);
        // Counted with the read marks the reader starts with (the marks' own view of them).
        let facet_counts = {
            use query::ArticleState;
            let state = marks.state_view();
            query::facets::count_with_state(&index, visible.iter().copied(), &|i| state.is_read(i))
        };
        let mut app = App {
            corpus,
            index: Arc::new(index),
            corpus_generation: 0,
            keymap: keymap::default_keymap(),
            theme,
            prefs: Prefs::default(),
            views: views::Views::default(),
            syncing: feeds::Syncing::default(),
            marks,
            list: list::ListState::new(visible),
            reader: reading::ReaderState::default(),
            search: search_box::SearchState::default(),
            facets: facets::FacetState::new(facet_counts),
            overlay: Overlay::None,
            focus: Focus::List,
            size: (80, 24),
            message: None,
            indexing: None,
            should_quit: false,
            queued: Vec::new(),
            retired: Vec::new(),
            appends: Vec::new(),
        };
        app.settle();
        app
    }

    /// What the config file chose: keys (merged over the defaults), layout, saved views.
    pub fn configure(&mut self, keymap: Vec<Binding>, prefs: Prefs, views: Vec<View>) {
        self.keymap = keymap;
        self.prefs = prefs;
        self.views = views::Views::new(views);
        self.settle();
    }

    /// Show a message on the status line (the runtime's, e.g. a broken config at start).
    pub fn tell(&mut self, text: impl Into<String>, tone: Tone) {
        self.say(text, tone);
    }

    // What the drawing and the runtime read.

    pub fn corpus(&self) -> &Arc<Corpus> {
        &self.corpus
    }

    /// How far a build of the library's search index has got: (done, total).
    pub fn indexing(&self) -> Option<(u64, u64)> {
        self.indexing
    }

    pub fn index(&self) -> &Arc<query::Index> {
        &self.index
    }

    pub fn keymap(&self) -> &[Binding] {
        &self.keymap
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn prefs(&self) -> Prefs {
        self.prefs
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    pub fn message(&self) -> Option<&(String, Tone)> {
        self.message.as_ref()
    }

    pub fn should_quit(&self) -> bool {
        self.should_quit
    }

    /// Corpora and indexes this reader no longer shows (the runtime frees them elsewhere).
    pub fn take_retired(&mut self) -> Vec<(Arc<Corpus>, Arc<query::Index>)> {
        std::mem::take(&mut self.retired)
    }

    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    pub fn panes(&self) -> Panes {
        layout::panes(
            self.area(),
            self.focus,
            self.facets.open,
            matches!(self.overlay, Overlay::Search(_)),
            self.prefs.list_width,
        )
    }

    /// The corpus numbers of the articles shown, in order.
    pub fn visible(&self) -> &[usize] {
        &self.list.visible
    }

    /// The selection's place in `visible`.
    pub fn selected(&self) -> usize {
        self.list.selected
    }

    pub fn current_index(&self) -> Option<usize> {
        self.list.visible.get(self.list.selected).copied()
    }

    /// The selected article.
    pub fn current(&self) -> Option<&Article> {
        self.current_index()
            .and_then(|i| self.corpus.articles.get(i))
    }

    /// The context keys are looked up in.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Overlay::Help(_) => Context::Help,
            Overlay::Note(_) => Context::Note,
            Overlay::Views(_) => Context::Views,
            Overlay::Feeds(_) => Context::Feeds,
            Overlay::Search(_) => Context::Search,
            Overlay::None => match self.focus {
                Focus::Reader => Context::Reader,
                Focus::Facets => Context::Facets,
                Focus::List => Context::List,
            },
        }
    }

    /// Keep the selection on screen, the reader's layout for what it shows, and the reader
    /// within its text.
    fn settle(&mut self) {
        self.settle_list();
        self.settle_reader();
        let rows = self.facet_rows().len();
        self.facets.cursor = self.facets.cursor.min(rows.saturating_sub(1));
        if self.focus == Focus::Facets && !self.facets.open {
            self.focus = Focus::List;
        }
    }

    /// The page size of the pane that has focus.
    fn page(&self) -> usize {
        match self.focus {
            Focus::Reader => self.reader_size().map_or(1, |(_, h)| h).max(1),
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

    /// Apply one action: the effects the runtime must perform, and whether to draw again.
    pub fn update(&mut self, action: Action) -> Update {
        let mut effects = std::mem::take(&mut self.queued);
        let redraw = match action {
            Action::Done(done) => self.update_done(done, &mut effects),
            Action::Resize(w, h) => {
                self.resize(w, h);
                if let Overlay::Search(sb) = std::mem::take(&mut self.overlay) {
                    self.overlay = Overlay::Search(sb.redrawn(&self.theme));
                }
                true
            }
            action => {
                self.reader.anchor = None;
                if !matches!(
                    action,
                    Action::Digit(_)
                        | Action::OpenLink
                        | Action::CopyLink
                        | Action::CopyMarkdownLink
                ) {
                    self.reader.count = None;
                }
                if !matches!(action, Action::Input(_)) {
                    self.message = None;
                }
                match std::mem::take(&mut self.overlay) {
                    Overlay::None => self.update_panes(action, &mut effects),
                    Overlay::Help(scroll) => self.update_help(scroll, action, &mut effects),
                    Overlay::Note(editor) => self.update_note(editor, action, &mut effects),
                    Overlay::Views(cursor) => self.update_views(cursor, action, &mut effects),
                    Overlay::Feeds(cursor) => self.update_feeds(cursor, action, &mut effects),
                    Overlay::Search(search) => {
                        self.update_search_box(search, action, &mut effects);
                    }
                }
                true
            }
        };
        // Articles a library gained go in as soon as no worker reads the corpus (after the
        // action, so that its message is not cleared by a key).
        let redraw = self.take_in_appends(&mut effects) | redraw;
        self.drop_pinned();
        self.settle();
        self.request_bodies(&mut effects);
        Update { effects, redraw }
    }

    /// Background work reported: returns whether anything shown changed.
    fn update_done(&mut self, done: Done, effects: &mut Vec<Effect>) -> bool {
        match done {
            Done::Search(generation, result, finished) => {
                self.search_done(generation, &result, finished)
            }
            Done::ViewsCounted(counts) => {
                self.views.counted(counts);
                matches!(self.overlay, Overlay::Views(_))
            }
            Done::Failed(why) => {
                self.say(why, Tone::Error);
                true
            }
            Done::Reloaded(r) => {
                self.reloaded(&r, effects);
                true
            }
            Done::Appended(a) => {
                self.appends.push(a);
                false
            }
            Done::Wake => false,
            Done::ReloadFailed(e) => {
                self.say(
                    format!("cannot reload: {e} (still showing what was loaded)"),
                    Tone::Error,
                );
                true
            }
            Done::Saved(upto) => self.saved(upto),
            Done::SaveFailed(why) => {
                self.save_failed(why);
                true
            }
            Done::StoreChanged(change) => {
                self.store_changed(&change);
                self.refresh_live_query(effects);
                true
            }
            Done::StoreNotice(text, error) => {
                self.say(text, if error { Tone::Error } else { Tone::Info });
                true
            }
            Done::SyncDue => {
                self.start_sync(false, effects);
                self.syncing.running.is_some()
            }
            Done::SyncProgress(s) => {
                self.sync_progress(s);
                true
            }
            Done::SyncDone(r) => {
                self.sync_done(&r, effects);
                true
            }
            Done::FullText(r) => {
                match r {
                    Ok(m) => self.say(m, Tone::Info),
                    Err(e) => self.say(format!("no full text: {e}"), Tone::Error),
                }
                true
            }
            Done::FeedsLoaded(f) => {
                self.feeds_loaded(f.as_ref().clone());
                true
            }
            Done::Indexing(p) => {
                if p.is_none() && self.indexing.is_some() {
                    self.say("search index up to date", Tone::Info);
                }
                self.indexing = p;
                true
            }
            Done::Body {
                generation,
                idx,
                body,
            } => self.body_arrived(generation, idx, body),
        }
    }

    /// How far the help scrolls at this size: its lines (sections, and each key's
    /// description wrapped as `ui::help` draws it) less the rows it shows.
    fn help_scroll_max(&self) -> usize {
        let rows = keymap::help_rows(&self.keymap);
        let kw = rows
            .iter()
            .map(|r| crate::text::width(&r.1))
            .max()
            .unwrap_or(0);
        let width = usize::from(self.size.0.min(64)).saturating_sub(2);
        let desc_w = width.saturating_sub(kw + 3).max(8);
        let mut lines = 0;
        let mut section = "";
        for (sec, _, what) in &rows {
            if *sec != section {
                lines += 1;
                section = *sec;
            }
            lines += crate::text::wrap(what, desc_w).len().max(1);
        }
        lines.saturating_sub(usize::from(self.size.1.saturating_sub(3)))
    }

    fn update_help(&mut self, scroll: usize, action: Action, effects: &mut Vec<Effect>) {
        let max = self.help_scroll_max();
        let page = usize::from(self.size.1.saturating_sub(3)).max(1);
        let scroll = match action {
            Action::ToggleHelp | Action::Cancel | Action::Back => return,
            Action::Quit => {
                self.quit(effects);
                return;
            }
            Action::Down => scroll + 1,
            Action::Up => scroll.saturating_sub(1),
            Action::WheelDown(..) => scroll + 3,
            Action::WheelUp(..) => scroll.saturating_sub(3),
            Action::PageDown | Action::ReadOn | Action::HalfPageDown => scroll + page,
            Action::PageUp | Action::HalfPageUp => scroll.saturating_sub(page),
            Action::Top => 0,
            Action::Bottom => max,
            _ => scroll,
        };
        self.overlay = Overlay::Help(scroll.min(max));
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
            Action::ToggleHelp => self.overlay = Overlay::Help(0),
            Action::Search => self.open_search_box(),
            Action::ToggleFacets => {
                self.toggle_facets();
                // Reading while the pane was closed left its unread counts behind.
                if self.facets.open && std::mem::take(&mut self.facets.stale) {
                    self.refresh_live_query(effects);
                }
            }
            Action::ToggleViews => self.open_views(effects),
            Action::ToggleFeeds => self.open_feeds(effects),
            Action::Sync => self.start_sync(true, effects),
            Action::ApplyView(i) => self.apply_view(i, effects),
            Action::Digit(d) => self.count_digit(d),
            Action::FullText => self.full_text(effects),
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
            Action::Cancel => self.clear_query(effects),
            Action::ToggleFocus => self.toggle_focus(effects),
            Action::NextArticle if self.reader.find.is_some() => self.jump_match(1),
            Action::NextMatch => self.jump_match(1),
            Action::PrevMatch => self.jump_match(-1),
            Action::NextArticle => self.step_article(1, effects),
            Action::PrevArticle => self.step_article(-1, effects),
            Action::NextUnread => self.next_unread(effects),
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
            | Action::Done(_) => {}
        }
    }
}
