//! What keys and mouse events become, and what `update` asks the loop to do.

use crate::query::facets::Facets;
use crate::query::{Hit, Query};
use crate::store::Op;
use std::sync::Arc;

/// Everything the reader can be asked to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    HalfPageUp,
    HalfPageDown,
    /// Space: a page down in the reader, toggling a value in the facet pane.
    ReadOn,
    Open,
    Back,
    ToggleFocus,
    NextArticle,
    PrevArticle,
    ToggleHelp,
    Quit,
    /// `/`: search the corpus from the list, the article from the reader.
    Search,
    /// `n` / `N` in the reader: next or previous match of the article search.
    NextMatch,
    PrevMatch,
    ToggleFacets,
    ToggleBookmark,
    BookmarksOnly,
    EditNote,
    ToggleRead,
    /// `A`: mark every article in the results read.
    MarkAllRead,
    /// `v`: the saved views pane.
    ToggleViews,
    /// Apply the saved view with this number.
    ApplyView(usize),
    /// Counts of the saved views, computed by the loop.
    ViewsCounted(Vec<usize>),
    OpenLink,
    CopyLink,
    CopyMarkdownLink,
    /// Background work failed: say why.
    Failed(String),
    /// The corpus, loaded again after its files changed.
    Reloaded(Arc<super::reload::Reload>),
    /// Loading it again failed (the files as they were, the error).
    ReloadFailed(Vec<super::reload::Fingerprint>, String),
    Undo,
    /// Date presets in the facet pane: last 30 days, this year, last year, none.
    DatePreset(u8),
    /// A key typed into a text box (search or note).
    Input(crossterm::event::KeyEvent),
    /// Leave a text box keeping its text (Enter in search; Esc/Ctrl-S in the note editor).
    Accept,
    /// Esc in the search box: leave it; a second Esc clears the query.
    Cancel,
    HistoryPrev,
    HistoryNext,
    Resize(u16, u16),
    Click(u16, u16),
    WheelUp(u16, u16),
    WheelDown(u16, u16),
    /// Results of the search started with this generation; `false` while bodies are still
    /// being searched (the quick results of titles, tags and entities).
    SearchDone(u64, Arc<SearchResult>, bool),
}

/// Results of one search: hits in order, and facet counts over them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// A search for the loop to run (off the UI thread).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub generation: u64,
    pub query: Query,
    /// Earlier results to narrow, when the query only grew.
    pub within: Option<Arc<Vec<u32>>>,
}

/// Side effects `update` hands back to the event loop.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Run a search and send back `Action::SearchDone`.
    Search(SearchRequest),
    /// Save a change to bookmarks or reading state (before the next frame).
    Store(Op),
    /// Add a query to the search history.
    Remember(String),
    /// Count the results of each saved view and send back `Action::ViewsCounted`.
    CountViews(Vec<Query>),
    /// Open a link with the browser.
    OpenUrl(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Load these corpora again, off the UI thread, and send back `Action::Reloaded`.
    Reload(super::reload::ReloadRequest),
}
