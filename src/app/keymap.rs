//! The keymap, held as data: each binding names where it applies, its key, its action and
//! the words the help overlay shows. `action_for` is the one pure function from keys to actions.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere but text boxes.
    Global,
    /// The article list has focus.
    List,
    /// The reading pane has focus.
    Reader,
    /// The help overlay is open.
    Help,
    /// Typing in the search box.
    Search,
    /// The facet pane has focus.
    Facets,
    /// Typing a bookmark's note.
    Note,
}

/// One key binding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub action: Action,
    /// How the key is written in the help.
    pub label: &'static str,
    /// What it does, for the help.
    pub help: &'static str,
}

const fn b(
    context: Context,
    code: KeyCode,
    mods: KeyModifiers,
    action: Action,
    label: &'static str,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        code,
        mods,
        action,
        label,
        help,
    }
}

const N: KeyModifiers = KeyModifiers::NONE;
const C: KeyModifiers = KeyModifiers::CONTROL;
const S: KeyModifiers = KeyModifiers::SHIFT;

use Context::{
    Facets as F, Global as G, Help as H, List as L, Note as T, Reader as R, Search as Q,
};
use KeyCode::{Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

/// The default keymap. Earlier bindings win when two match.
#[rustfmt::skip]
pub const DEFAULT_KEYMAP: &[Binding] = &[
    b(Q, Enter, N, Action::Accept, "Enter", "keep the query and go to the list"),
    b(Q, Esc, N, Action::Cancel, "Esc", "leave the box (a second Esc clears the query)"),
    b(Q, Up, N, Action::HistoryPrev, "↑/↓", "earlier / later queries"),
    b(Q, Down, N, Action::HistoryNext, "", ""),
    b(Q, Char('c'), C, Action::Quit, "Ctrl-c", "quit"),
    b(T, Esc, N, Action::Accept, "Esc/Ctrl-s", "save the note and close"),
    b(T, Char('s'), C, Action::Accept, "", ""),
    b(T, Char('c'), C, Action::Quit, "", ""),
    b(F, Char(' '), N, Action::ReadOn, "Space/Enter", "select or clear the value"),
    b(F, Enter, N, Action::ReadOn, "", ""),
    b(F, Char('1'), N, Action::DatePreset(1), "1/2/3", "last 30 days / this year / last year"),
    b(F, Char('2'), N, Action::DatePreset(2), "", ""),
    b(F, Char('3'), N, Action::DatePreset(3), "", ""),
    b(F, Char('0'), N, Action::DatePreset(0), "0", "no date filter"),
    b(F, Esc, N, Action::ToggleFacets, "f/Esc", "close the facets"),
    b(H, Esc, N, Action::ToggleHelp, "Esc", "close this help"),
    b(H, Char('?'), N, Action::ToggleHelp, "?", "close this help"),
    b(H, Char('q'), N, Action::ToggleHelp, "q", "close this help"),
    b(H, Char('j'), N, Action::Down, "j/k/↓/↑", "scroll the help"),
    b(H, Down, N, Action::Down, "", ""),
    b(H, Char('k'), N, Action::Up, "", ""),
    b(H, Up, N, Action::Up, "", ""),
    b(G, Char('q'), N, Action::Quit, "q", "quit"),
    b(G, Char('c'), C, Action::Quit, "Ctrl-c", "quit"),
    b(G, Char('?'), N, Action::ToggleHelp, "?", "show or hide this help"),
    b(G, Tab, N, Action::ToggleFocus, "Tab", "switch focus between panes"),
    b(G, Char('/'), N, Action::Search, "/", "search (in the reader: this article)"),
    b(G, Char('f'), N, Action::ToggleFacets, "f", "facets: filter by sector, year, tag, source"),
    b(G, Char('b'), N, Action::ToggleBookmark, "b", "bookmark / unbookmark"),
    b(G, Char('B'), S, Action::BookmarksOnly, "B", "bookmarks only (is:bookmarked)"),
    b(G, Char('B'), N, Action::BookmarksOnly, "", ""),
    b(G, Char('e'), N, Action::EditNote, "e", "edit the bookmark's note"),
    b(G, Char('r'), N, Action::ToggleRead, "r", "mark read / unread"),
    b(G, Char('A'), S, Action::MarkAllRead, "A", "mark every article in the results read"),
    b(G, Char('A'), N, Action::MarkAllRead, "", ""),
    b(G, Char('u'), N, Action::Undo, "u", "undo the last bookmark, note or read change"),
    b(G, Char('j'), N, Action::Down, "j/↓", "next article / scroll down a line"),
    b(G, Down, N, Action::Down, "", ""),
    b(G, Char('k'), N, Action::Up, "k/↑", "previous article / scroll up a line"),
    b(G, Up, N, Action::Up, "", ""),
    b(G, Char('g'), N, Action::Top, "g/Home", "first article / top of the article"),
    b(G, Home, N, Action::Top, "", ""),
    b(G, Char('G'), S, Action::Bottom, "G/End", "last article / end of the article"),
    b(G, Char('G'), N, Action::Bottom, "", ""),
    b(G, End, N, Action::Bottom, "", ""),
    b(G, PageDown, N, Action::PageDown, "PgDn", "a page down"),
    b(G, PageUp, N, Action::PageUp, "PgUp", "a page up"),
    b(G, Char('d'), C, Action::HalfPageDown, "Ctrl-d", "half a page down"),
    b(G, Char('u'), C, Action::HalfPageUp, "Ctrl-u", "half a page up"),
    b(L, Enter, N, Action::Open, "Enter/l/→", "open the selected article"),
    b(L, Char('l'), N, Action::Open, "", ""),
    b(L, Right, N, Action::Open, "", ""),
    b(L, Esc, N, Action::Cancel, "Esc", "clear the search"),
    b(R, Char(' '), N, Action::ReadOn, "Space", "page down in the reader"),
    b(R, Char('n'), N, Action::NextArticle, "n", "next article; next match after /"),
    b(R, Char('N'), S, Action::PrevMatch, "N", "previous match"),
    b(R, Char('N'), N, Action::PrevMatch, "", ""),
    b(R, Char('p'), N, Action::PrevArticle, "p", "previous article"),
    b(R, Esc, N, Action::Back, "Esc/h/←", "back to the list"),
    b(R, Char('h'), N, Action::Back, "", ""),
    b(R, Left, N, Action::Back, "", ""),
];

fn normalise(key: &KeyEvent) -> (KeyCode, KeyModifiers) {
    let mut mods =
        key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    // Terminals differ on whether an upper-case letter carries SHIFT: ignore it for chars.
    if let KeyCode::Char(c) = key.code {
        if !c.is_ascii_lowercase() {
            mods -= KeyModifiers::SHIFT;
        }
    }
    (key.code, mods)
}

/// The action a key means in `context`, looking at `context`'s bindings first, then global.
pub fn action_for(keymap: &[Binding], context: Context, key: &KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let (code, mods) = normalise(key);
    let matches = |bd: &&Binding| {
        let bmods = if matches!(bd.code, KeyCode::Char(c) if !c.is_ascii_lowercase()) {
            bd.mods - KeyModifiers::SHIFT
        } else {
            bd.mods
        };
        bd.code == code && bmods == mods
    };
    let specific = keymap
        .iter()
        .filter(|bd| bd.context == context)
        .find(matches);
    if let Some(bd) = specific {
        return Some(bd.action.clone());
    }
    match context {
        Context::Help => return None,
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

/// Help rows (section, key labels, description) generated from the keymap; bindings with
/// the same description in the same section share a row ("q, Ctrl-c  quit").
pub fn help_rows(keymap: &[Binding]) -> Vec<(&'static str, String, &'static str)> {
    let section = |c: Context| match c {
        Context::Global => "Everywhere",
        Context::List => "In the list",
        Context::Reader => "In the reader",
        Context::Search => "In the search box",
        Context::Facets => "In the facet pane",
        Context::Note => "In the note editor",
        Context::Help => "In this help",
    };
    let mut rows: Vec<(&'static str, String, &'static str)> = Vec::new();
    for ctx in [
        Context::Global,
        Context::List,
        Context::Reader,
        Context::Search,
        Context::Facets,
        Context::Note,
        Context::Help,
    ] {
        for bd in keymap
            .iter()
            .filter(|bd| bd.context == ctx && !bd.label.is_empty())
        {
            match rows
                .iter_mut()
                .find(|r| r.0 == section(ctx) && r.2 == bd.help)
            {
                Some(r) => {
                    r.1.push_str(", ");
                    r.1.push_str(bd.label);
                }
                None => rows.push((section(ctx), bd.label.to_string(), bd.help)),
            }
        }
    }
    rows
}
