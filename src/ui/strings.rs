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
    ("?", "help"),
    ("q", "quit"),
];
pub const HINTS_HELP: &[(&str, &str)] = &[("j/k", "scroll"), ("Esc", "close")];
