//! User-facing words of the reader, in one place.

pub const LIST_TITLE: &str = "Articles";
pub const READER_TITLE: &str = "Reader";
pub const HELP_MORE: &str = " more ↓ ";
pub const HELP_TITLE: &str = "Keys — ? or Esc closes";
pub const NO_ARTICLES: &str = "No articles to show.";
pub const NOTHING_SELECTED: &str = "Select an article to read it here.";
pub const HINTS_LIST: &[(&str, &str)] = &[
    ("Enter", "open"),
    ("Tab", "focus"),
    ("?", "help"),
    ("q", "quit"),
];
pub const HINTS_READER: &[(&str, &str)] = &[
    ("Esc", "back"),
    ("Space", "page"),
    ("n/p", "next/prev"),
    ("/", "find"),
    ("?", "help"),
    ("q", "quit"),
];
pub const HINTS_HELP: &[(&str, &str)] = &[("j/k", "scroll"), ("Esc", "close")];
pub const HINTS_SEARCH: &[(&str, &str)] =
    &[("Enter", "keep"), ("Esc", "leave"), ("↑/↓", "history")];
pub const HINTS_ARTICLE_SEARCH: &[(&str, &str)] = &[("Enter", "go"), ("Esc", "cancel")];
pub const HINTS_FACETS: &[(&str, &str)] = &[
    ("Space", "select"),
    ("1/2/3", "30 days/this/last year"),
    ("f", "close"),
];
pub const HINTS_NOTE: &[(&str, &str)] = &[("Esc", "save and close")];
pub const HINTS_VIEWS: &[(&str, &str)] = &[("Enter", "apply"), ("j/k", "move"), ("Esc", "close")];
pub const VIEWS_TITLE: &str = "Saved views — Enter applies";
pub const COUNTING: &str = "…";
pub const HINTS_FEEDS: &[(&str, &str)] = &[
    ("Enter", "this feed only"),
    ("R", "sync"),
    ("j/k", "move"),
    ("Esc", "close"),
];
pub const FEEDS_TITLE: &str = "Feeds — unread, last fetch";
pub const NO_FEEDS: &str =
    "No subscriptions yet: folio feeds add URL (or folio feeds import FILE.opml) in a shell.";
pub const FACETS_TITLE: &str = "Facets";
pub const NOTE_TITLE: &str = "Note · Ctrl-S saves · Esc cancels";
pub const NOTE_ASKED: &str = "Unsaved · Esc again discards · Ctrl-S saves";
pub const SEARCH_PROMPT: &str = "/ ";
pub const ARTICLE_SEARCH_PROMPT: &str = "find in article: ";
pub const SEARCHING: &str = "searching…";
pub const NO_MATCHES: &str = "no matches";
pub const NO_FACETS: &str = "Nothing to count.";
pub const LOADING: &str = "Loading";
pub const INDEXING: &str = "Indexing";
pub const LOADING_HINT: &str = "q or Ctrl-C stops";
