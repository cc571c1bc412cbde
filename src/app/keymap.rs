//! The keymap, held as data: every action has a name (for the config file) and a
//! description (for the help); the defaults are written as the config file writes keys, and
//! `action_for` is the one pure function from keys to actions. User bindings are merged
//! over the defaults (`merge`).

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere but text boxes.
    Global,
    /// The article list has focus.
    List,
    /// The reading pane has focus.
    Reader,
    /// Typing in the search box.
    Search,
    /// The facet pane has focus.
    Facets,
    /// Typing a bookmark's note.
    Note,
    /// The help overlay is open.
    Help,
    /// The saved views pane is open.
    Views,
    /// The feeds pane is open.
    Feeds,
}

impl Context {
    pub const ALL: [Context; 9] = [
        Context::Global,
        Context::List,
        Context::Reader,
        Context::Search,
        Context::Facets,
        Context::Note,
        Context::Help,
        Context::Views,
        Context::Feeds,
    ];

    /// The name used in the config file (`[keys.list]`).
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Reader => "reader",
            Context::Search => "search",
            Context::Facets => "facets",
            Context::Note => "note",
            Context::Help => "help",
            Context::Views => "views",
            Context::Feeds => "feeds",
        }
    }

    pub fn from_name(s: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == s)
    }

    /// The heading of its section in the help.
    pub fn heading(self) -> &'static str {
        match self {
            Context::Global => "Everywhere",
            Context::List => "In the list",
            Context::Reader => "In the reader",
            Context::Search => "In the search box",
            Context::Facets => "In the facet pane",
            Context::Note => "In the note editor",
            Context::Help => "In this help",
            Context::Views => "In the views pane",
            Context::Feeds => "In the feeds pane",
        }
    }
}

/// One key binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub context: Context,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
}

/// Every action a key can be bound to: its config name, the action, what it does.
pub const ACTIONS: &[(&str, Action, &str)] = &[
    ("quit", Action::Quit, "quit"),
    ("help", Action::ToggleHelp, "show or hide this help"),
    (
        "toggle_focus",
        Action::ToggleFocus,
        "switch focus between panes",
    ),
    (
        "search",
        Action::Search,
        "search (in the reader: this article)",
    ),
    (
        "facets",
        Action::ToggleFacets,
        "facets: filter by sector, year, tag, source",
    ),
    (
        "views",
        Action::ToggleViews,
        "saved views (from the config file)",
    ),
    ("bookmark", Action::ToggleBookmark, "bookmark / unbookmark"),
    (
        "bookmarks_only",
        Action::BookmarksOnly,
        "bookmarks only (is:bookmarked)",
    ),
    ("edit_note", Action::EditNote, "edit the bookmark's note"),
    ("toggle_read", Action::ToggleRead, "mark read / unread"),
    (
        "mark_all_read",
        Action::MarkAllRead,
        "mark every article in the results read",
    ),
    (
        "undo",
        Action::Undo,
        "undo the last bookmark, note or read change",
    ),
    (
        "sync",
        Action::Sync,
        "sync the subscriptions in the background",
    ),
    (
        "feeds",
        Action::ToggleFeeds,
        "feeds pane: unread and last fetch of each",
    ),
    (
        "full_text",
        Action::FullText,
        "full text from the article's page (again: the feed's text)",
    ),
    (
        "open_link",
        Action::OpenLink,
        "open the article's link in the browser",
    ),
    (
        "copy_link",
        Action::CopyLink,
        "copy the article's link to the clipboard",
    ),
    (
        "copy_markdown_link",
        Action::CopyMarkdownLink,
        "copy title and link as a Markdown link",
    ),
    ("down", Action::Down, "next article / scroll down a line"),
    ("up", Action::Up, "previous article / scroll up a line"),
    ("top", Action::Top, "first article / top of the article"),
    (
        "bottom",
        Action::Bottom,
        "last article / end of the article",
    ),
    ("page_down", Action::PageDown, "a page down"),
    ("page_up", Action::PageUp, "a page up"),
    ("half_page_down", Action::HalfPageDown, "half a page down"),
    ("half_page_up", Action::HalfPageUp, "half a page up"),
    ("open", Action::Open, "open the selected article"),
    ("back", Action::Back, "back to the list"),
    (
        "read_on",
        Action::ReadOn,
        "page down in the reader; select a facet value",
    ),
    (
        "next_article",
        Action::NextArticle,
        "next article; next match after /",
    ),
    ("prev_article", Action::PrevArticle, "previous article"),
    (
        "next_unread",
        Action::NextUnread,
        "next unread article of the list",
    ),
    (
        "next_match",
        Action::NextMatch,
        "next match of the article search",
    ),
    ("prev_match", Action::PrevMatch, "previous match"),
    ("last_30_days", Action::DatePreset(1), "last 30 days"),
    ("this_year", Action::DatePreset(2), "this year"),
    ("last_year", Action::DatePreset(3), "last year"),
    ("no_date_filter", Action::DatePreset(0), "no date filter"),
    ("accept", Action::Accept, "keep the text and leave the box"),
    ("cancel", Action::Cancel, "leave the box; clear the search"),
    ("history_prev", Action::HistoryPrev, "earlier queries"),
    ("history_next", Action::HistoryNext, "later queries"),
];

/// The name that unbinds a default key in the config file.
pub const UNBIND: &str = "none";

/// The action with this config name.
pub fn action_named(name: &str) -> Option<Action> {
    ACTIONS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, a, _)| a.clone())
}

/// The config name of an action (views have theirs from the config).
pub fn action_name(action: &Action) -> String {
    match action {
        Action::ApplyView(i) => format!("view {}", i + 1),
        a => ACTIONS
            .iter()
            .find(|(_, x, _)| x == a)
            .map_or_else(|| format!("{a:?}"), |(n, _, _)| n.to_string()),
    }
}

/// What an action does where it is bound, for the help.
pub fn describe(context: Context, action: &Action) -> String {
    let special = match (context, action) {
        (Context::Search, Action::Accept) => "keep the query and go to the list",
        (Context::Search, Action::Cancel) => "leave the box (a second Esc clears the query)",
        (Context::Note, Action::Accept) => "save the note and close",
        (Context::Note, Action::Cancel) => {
            "close without saving (asks first when the note changed)"
        }
        (Context::List, Action::Cancel) => "clear the search",
        (Context::Help, Action::ToggleHelp) => "close this help",
        (Context::Help, Action::Down) => "scroll down",
        (Context::Help, Action::Up) => "scroll up",
        (Context::Reader, Action::ReadOn) => "page down",
        (Context::Facets, Action::ReadOn) => "select or clear the value",
        (Context::Facets, Action::ToggleFacets) => "close the facets",
        (Context::Views, Action::Open) => "apply the view",
        (Context::Views, Action::ToggleViews) => "close the views",
        (Context::Views, Action::Down) => "next view",
        (Context::Views, Action::Up) => "previous view",
        (Context::Feeds, Action::Open) => "show only this feed's articles",
        (Context::Feeds, Action::ToggleFeeds) => "close the feeds",
        (Context::Feeds, Action::Down) => "next feed",
        (Context::Feeds, Action::Up) => "previous feed",
        _ => "",
    };
    if !special.is_empty() {
        return special.to_string();
    }
    match action {
        Action::ApplyView(i) => format!("apply saved view {}", i + 1),
        a => ACTIONS
            .iter()
            .find(|(_, x, _)| x == a)
            .map(|(_, _, d)| d.to_string())
            .unwrap_or_default(),
    }
}

/// Parse a key as the config file writes it: `x`, `X`, `?`, `ctrl-x`, `alt-x`, `enter`,
/// `esc`, `tab`, `backtab`, `space`, `up`, `down`, `left`, `right`, `home`, `end`, `pageup`,
/// `pagedown`, `backspace`, `delete`, `insert`, `f1`..`f12`.
pub fn parse_key(s: &str) -> Result<(KeyCode, KeyModifiers), String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        if lower.len() > 5 && lower.starts_with("ctrl-") {
            mods |= KeyModifiers::CONTROL;
            rest = &rest[5..];
        } else if lower.len() > 4 && lower.starts_with("alt-") {
            mods |= KeyModifiers::ALT;
            rest = &rest[4..];
        } else {
            break;
        }
    }
    let mut chars = rest.chars();
    let code = match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_control() => {
            if mods.contains(KeyModifiers::CONTROL) {
                KeyCode::Char(c.to_ascii_lowercase())
            } else {
                KeyCode::Char(c)
            }
        }
        _ => match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                match f[1..].parse::<u8>() {
                    Ok(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(bad_key(s)),
                }
            }
            _ => return Err(bad_key(s)),
        },
    };
    Ok((code, mods))
}

fn bad_key(s: &str) -> String {
    format!(
        "unknown key {:?}: write a character (x, X, ?), ctrl-x, alt-x, enter, esc, tab, backtab, space, up, down, left, right, home, end, pageup, pagedown, backspace, delete, insert or f1..f12",
        crate::text::one_line(s)
    )
}

/// A key as the config file writes it (the inverse of `parse_key`).
pub fn key_name(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Char(' ') => "space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "backtab".into(),
        KeyCode::Up => "up".into(),
        KeyCode::Down => "down".into(),
        KeyCode::Left => "left".into(),
        KeyCode::Right => "right".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::PageUp => "pageup".into(),
        KeyCode::PageDown => "pagedown".into(),
        KeyCode::Backspace => "backspace".into(),
        KeyCode::Delete => "delete".into(),
        KeyCode::Insert => "insert".into(),
        KeyCode::F(n) => format!("f{n}"),
        other => format!("{other:?}").to_lowercase(),
    };
    let mut s = String::new();
    if mods.contains(KeyModifiers::CONTROL) {
        s.push_str("ctrl-");
    }
    if mods.contains(KeyModifiers::ALT) {
        s.push_str("alt-");
    }
    s.push_str(&base);
    s
}

/// A key as the help shows it: `q`, `Ctrl-c`, `↑`, `PgDn`, `Space`.
pub fn key_label(code: KeyCode, mods: KeyModifiers) -> String {
    let base = match code {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Insert => "Ins".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    let mut s = String::new();
    if mods.contains(KeyModifiers::CONTROL) {
        s.push_str("Ctrl-");
    }
    if mods.contains(KeyModifiers::ALT) {
        s.push_str("Alt-");
    }
    s.push_str(&base);
    s
}

use Context::{
    Facets as F, Feeds as D, Global as G, Help as H, List as L, Note as T, Reader as R,
    Search as Q, Views as V,
};

/// The default keymap, written as the config file writes keys. Context bindings are looked
/// up before global ones.
#[rustfmt::skip]
pub const DEFAULT_KEYS: &[(Context, &str, &str)] = &[
    (Q, "enter", "accept"), (Q, "esc", "cancel"), (Q, "up", "history_prev"),
    (Q, "down", "history_next"), (Q, "ctrl-c", "quit"),
    (T, "ctrl-s", "accept"), (T, "esc", "cancel"),
    (T, "ctrl-c", "cancel"),
    (F, "space", "read_on"), (F, "enter", "read_on"), (F, "1", "last_30_days"),
    (F, "2", "this_year"), (F, "3", "last_year"), (F, "0", "no_date_filter"),
    (F, "esc", "facets"),
    (H, "esc", "help"), (H, "?", "help"), (H, "q", "help"), (H, "ctrl-c", "quit"), (H, "j", "down"),
    (H, "down", "down"), (H, "k", "up"), (H, "up", "up"),
    (H, "g", "top"), (H, "G", "bottom"), (H, "home", "top"), (H, "end", "bottom"),
    (H, "pagedown", "page_down"), (H, "pageup", "page_up"), (H, "space", "page_down"),
    (V, "j", "down"), (V, "down", "down"), (V, "k", "up"), (V, "up", "up"),
    (V, "enter", "open"), (V, "esc", "views"), (V, "v", "views"), (V, "q", "views"),
    (V, "ctrl-c", "quit"),
    (D, "j", "down"), (D, "down", "down"), (D, "k", "up"), (D, "up", "up"),
    (D, "g", "top"), (D, "G", "bottom"), (D, "home", "top"), (D, "end", "bottom"),
    (D, "pagedown", "page_down"), (D, "pageup", "page_up"),
    (D, "enter", "open"), (D, "esc", "feeds"), (D, "F", "feeds"), (D, "q", "feeds"),
    (D, "R", "sync"), (D, "ctrl-c", "quit"),
    (G, "q", "quit"), (G, "ctrl-c", "quit"), (G, "?", "help"), (G, "tab", "toggle_focus"),
    (G, "/", "search"), (G, "f", "facets"), (G, "v", "views"), (G, "b", "bookmark"),
    (G, "B", "bookmarks_only"), (G, "e", "edit_note"), (G, "r", "toggle_read"),
    (G, "A", "mark_all_read"), (G, "u", "undo"), (G, "o", "open_link"), (G, "y", "copy_link"),
    (G, "Y", "copy_markdown_link"), (G, "R", "sync"), (G, "F", "feeds"),
    (G, "x", "full_text"),
    (G, "j", "down"), (G, "down", "down"), (G, "k", "up"), (G, "up", "up"),
    (G, "g", "top"), (G, "home", "top"), (G, "G", "bottom"), (G, "end", "bottom"),
    (G, "pagedown", "page_down"), (G, "pageup", "page_up"),
    (G, "ctrl-d", "half_page_down"), (G, "ctrl-u", "half_page_up"),
    (L, "enter", "open"), (L, "l", "open"), (L, "right", "open"), (L, "esc", "cancel"),
    (L, "n", "next_unread"), (G, "U", "next_unread"),
    (R, "space", "read_on"), (R, "n", "next_article"), (R, "N", "prev_match"),
    (R, "p", "prev_article"), (R, "esc", "back"), (R, "h", "back"), (R, "left", "back"),
];

/// The default keymap as bindings.
pub fn default_keymap() -> Vec<Binding> {
    DEFAULT_KEYS
        .iter()
        .filter_map(|&(context, key, action)| {
            let (code, mods) = parse_key(key).ok()?;
            Some(Binding {
                context,
                code,
                mods,
                action: action_named(action)?,
            })
        })
        .collect()
}

/// Put a user's binding over the keymap: the key's old binding in that context goes, and
/// `None` (the config's "none") only removes it.
pub fn merge(keymap: &mut Vec<Binding>, context: Context, key: &str, action: Option<Action>) {
    let Ok((code, mods)) = parse_key(key) else {
        return;
    };
    let (code, mods) = normalise(code, mods);
    keymap.retain(|b| !(b.context == context && normalise(b.code, b.mods) == (code, mods)));
    if let Some(action) = action {
        // First in the list: it wins over any default.
        keymap.insert(
            0,
            Binding {
                context,
                code,
                mods,
                action,
            },
        );
    }
}

/// Terminals differ on whether an upper-case letter or Shift-Tab carries SHIFT: ignore it.
fn normalise(code: KeyCode, mods: KeyModifiers) -> (KeyCode, KeyModifiers) {
    let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    match code {
        KeyCode::Char(c) if !c.is_ascii_lowercase() => mods -= KeyModifiers::SHIFT,
        KeyCode::BackTab => mods -= KeyModifiers::SHIFT,
        _ => {}
    }
    (code, mods)
}

/// The action a key means in `context`, looking at `context`'s bindings first, then global.
pub fn action_for(keymap: &[Binding], context: Context, key: &KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let want = normalise(key.code, key.modifiers);
    let matches = |bd: &&Binding| normalise(bd.code, bd.mods) == want;
    let specific = keymap
        .iter()
        .filter(|bd| bd.context == context)
        .find(matches);
    if let Some(bd) = specific {
        return Some(bd.action.clone());
    }
    // Digits in the reader count a link's number (`3o` opens the article's link [3]).
    if context == Context::Reader && key.modifiers - KeyModifiers::SHIFT == KeyModifiers::NONE {
        if let KeyCode::Char(c @ '0'..='9') = key.code {
            return Some(Action::Digit(c as u8 - b'0'));
        }
    }
    match context {
        Context::Help | Context::Views | Context::Feeds => return None,
        // Text boxes take every other key as text.
        Context::Search | Context::Note => return Some(Action::Input(*key)),
        _ => {}
    }
    keymap
        .iter()
        .filter(|bd| bd.context == Context::Global)
        .find(matches)
        .map(|bd| bd.action.clone())
}

/// Help rows (section, keys, description) generated from the keymap: one row per action
/// in each context, its keys joined ("q, Ctrl-c  quit").
pub fn help_rows(keymap: &[Binding]) -> Vec<(&'static str, String, String)> {
    let mut rows: Vec<(&'static str, String, String)> = Vec::new();
    for ctx in Context::ALL {
        let mut actions: Vec<&Action> = Vec::new();
        for bd in keymap.iter().filter(|bd| bd.context == ctx) {
            if !actions.contains(&&bd.action) {
                actions.push(&bd.action);
            }
        }
        // Defaults first, in the order they are written; views by number.
        actions.sort_by_key(|a| match a {
            Action::ApplyView(i) => ACTIONS.len() + i,
            a => ACTIONS
                .iter()
                .position(|(_, x, _)| x == *a)
                .unwrap_or(ACTIONS.len()),
        });
        for a in actions {
            let keys: Vec<String> = keymap
                .iter()
                .filter(|bd| bd.context == ctx && bd.action == *a)
                .map(|bd| key_label(bd.code, bd.mods))
                .collect();
            rows.push((ctx.heading(), keys.join(", "), describe(ctx, a)));
        }
        if ctx == Context::Reader {
            rows.push((
                ctx.heading(),
                "0-9".to_string(),
                "a link's number, then o opens it, y copies it".to_string(),
            ));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_key_and_action_parses() {
        for (ctx, key, action) in DEFAULT_KEYS {
            assert!(parse_key(key).is_ok(), "{key}");
            assert!(action_named(action).is_some(), "{ctx:?} {action}");
        }
        assert_eq!(default_keymap().len(), DEFAULT_KEYS.len());
    }

    #[test]
    fn keys_parse_and_print_back() {
        for k in [
            "x",
            "X",
            "?",
            "ctrl-x",
            "alt-x",
            "ctrl-alt-x",
            "enter",
            "esc",
            "tab",
            "backtab",
            "space",
            "up",
            "pagedown",
            "f1",
            "f12",
            "é",
        ] {
            let (c, m) = parse_key(k).expect(k);
            assert_eq!(key_name(c, m), k);
        }
        assert_eq!(
            parse_key("CTRL-X"),
            Ok((KeyCode::Char('x'), KeyModifiers::CONTROL))
        );
        for bad in ["", "f13", "f0", "f+5", "ctrl-", "hyper-x", "xy", "\u{7}"] {
            assert!(parse_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn merged_bindings_win_and_none_unbinds() {
        let mut km = default_keymap();
        merge(&mut km, Context::Global, "Q", Some(Action::Quit));
        merge(&mut km, Context::Global, "q", None);
        merge(&mut km, Context::List, "z", Some(Action::Open));
        let key = |c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(
            action_for(&km, Context::List, &key('Q')),
            Some(Action::Quit)
        );
        assert_eq!(action_for(&km, Context::List, &key('q')), None);
        assert_eq!(
            action_for(&km, Context::List, &key('z')),
            Some(Action::Open)
        );
        assert_eq!(action_for(&km, Context::Reader, &key('z')), None);
        // The help shows the merge.
        let rows = help_rows(&km);
        assert!(rows
            .iter()
            .any(|r| r.0 == "Everywhere" && r.1 == "Q, Ctrl-c" && r.2 == "quit"));
    }
}
