//! What keys, mouse events and background work become (`Action`), and what `update` asks the
//! runtime to do (`Effect`).

use crate::query::facets::Facets;
use crate::query::{Hit, Query};
use crate::store::{Bookmark, Data, Op, Reading};
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
    /// The next unread article of the list (from the selection on, around).
    NextUnread,
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
    /// `R`: sync the subscriptions in the background.
    Sync,
    /// `F`: the feeds pane.
    ToggleFeeds,
    /// `x`: fetch the article's full text from its page, or switch between it and the
    /// feed's text.
    FullText,
    /// A digit typed in the reader: the number of a link in the article, for `o` or `y`.
    Digit(u8),
    OpenLink,
    CopyLink,
    CopyMarkdownLink,
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
    /// What background work reports.
    Done(Done),
}

/// Reports from the runtime's workers: searches, counts, reloads, the store thread.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    /// Results of the search started with this generation; `false` while bodies are still
    /// being searched (the quick results of titles, tags and entities).
    Search(u64, Arc<SearchResult>, bool),
    /// Counts of the saved views.
    ViewsCounted(Vec<usize>),
    /// Background work failed: say why.
    Failed(String),
    /// The corpus, loaded again after its files changed.
    Reloaded(Arc<super::reload::Reload>),
    /// Articles the library gained (after the last row of the corpus shown), to add in
    /// place.
    Appended(Arc<super::reload::Appended>),
    /// Nothing happened: a chance to finish what waited (adding articles in place).
    Wake,
    /// Loading it again keeps failing: say so (the corpus shown stays).
    ReloadFailed(String),
    /// The store thread committed every change up to this one.
    Saved(u64),
    /// A commit failed; the changes are kept and retried.
    SaveFailed(String),
    /// Another folio changed the saved state (or this one reconnected).
    StoreChanged(Arc<StoreChange>),
    /// Something the store needs the user to know (a file moved aside, a migration).
    StoreNotice(String, bool),
    /// It is time for the scheduled sync (`[sync] interval`).
    SyncDue,
    /// How far the sync running in the background has got.
    SyncProgress(super::feeds::SyncState),
    /// The sync finished.
    SyncDone(Arc<super::feeds::SyncReport>),
    /// The subscriptions, for the feeds pane.
    FeedsLoaded(Arc<Vec<crate::store::feeds::Feed>>),
    /// Fetching or switching a full text ended: what to tell the user, or why it failed.
    FullText(Result<String, String>),
    /// The library's search index is being built or caught up: (done, total); `None` when
    /// that is over.
    Indexing(Option<(u64, u64)>),
    /// The body of article `idx` of corpus `generation`, read from the library (or why it
    /// could not be).
    Body {
        generation: u64,
        idx: usize,
        body: Result<Arc<str>, String>,
    },
}

/// What another folio changed, as the store thread read it after committing this folio's
/// changes up to `upto`.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreChange {
    pub upto: u64,
    pub rows: ChangedRows,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChangedRows {
    /// These articles' entries as they are now (`None`: no bookmark, no reading state).
    Ids(Vec<(String, Option<Bookmark>, Option<Reading>)>),
    /// Everything, read anew.
    All(Data),
}

/// Results of one search: hits in order, and facet counts over them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// A search for the runtime to run (off the UI thread).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    pub generation: u64,
    pub query: Query,
    /// Earlier results to narrow, when the query only grew.
    pub within: Option<Arc<Vec<u32>>>,
}

/// A change to the saved state for the store thread: numbered, so reports of what it has
/// committed can be matched with what the reader has applied already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Save {
    pub seq: u64,
    pub op: Op,
    /// When it was made (RFC 3339).
    pub at: String,
}

/// Side effects `update` hands back to the runtime.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Run a search and report `Done::Search`.
    Search(SearchRequest),
    /// Save a change (already applied in memory) and report `Done::Saved`.
    Save(Save),
    /// Add a query to the search history.
    Remember(String),
    /// Count the results of each saved view and report `Done::ViewsCounted`.
    CountViews(Vec<Query>),
    /// Open a link with the browser.
    OpenUrl(String),
    /// Put text on the clipboard (OSC 52).
    Copy(String),
    /// Sync every due subscription in the background, reporting `Done::SyncProgress` and
    /// `Done::SyncDone`.
    Sync,
    /// Read the subscriptions and report `Done::FeedsLoaded`.
    LoadFeeds,
    /// Fetch an article's page and keep its text in the library (`toggle`: switch between
    /// the full text and the feed's); report `Done::FullText`.
    FullText {
        id: String,
        url: Option<String>,
        toggle: bool,
    },
    /// Read the body of article `idx` of the corpus shown (kept on disk), and report
    /// `Done::Body`.
    LoadBody {
        generation: u64,
        idx: usize,
    },
}

/// What one `update` asks for: effects to perform, and whether the screen must be drawn
/// again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Update {
    pub effects: Vec<Effect>,
    pub redraw: bool,
}

impl IntoIterator for Update {
    type Item = Effect;
    type IntoIter = std::vec::IntoIter<Effect>;
    fn into_iter(self) -> Self::IntoIter {
        self.effects.into_iter()
    }
}
