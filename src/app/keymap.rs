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
}

/// One key binding.
#[derive(Debug, Clone, Copy)]
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

use Context::{Global as G, Help as H, List as L, Reader as R};
use KeyCode::{Char, Down, End, Enter, Esc, Home, Left, PageDown, PageUp, Right, Tab, Up};

/// The default keymap. Earlier bindings win when two match.
pub const DEFAULT_KEYMAP: &[Binding] = &[
    b(H, Esc, N, Action::ToggleHelp, "Esc", "close this help"),
    b(H, Char('?'), N, Action::ToggleHelp, "?", "close this help"),
    b(H, Char('q'), N, Action::ToggleHelp, "q", "close this help"),
    b(H, Char('j'), N, Action::Down, "j/k/↓/↑", "scroll the help"),
    b(H, Down, N, Action::Down, "", ""),
    b(H, Char('k'), N, Action::Up, "", ""),
    b(H, Up, N, Action::Up, "", ""),
    b(G, Char('q'), N, Action::Quit, "q", "quit"),
    b(G, Char('c'), C, Action::Quit, "Ctrl-c", "quit"),
    b(
        G,
        Char('?'),
        N,
        Action::ToggleHelp,
        "?",
        "show or hide this help",
    ),
    b(
        G,
        Tab,
        N,
        Action::ToggleFocus,
        "Tab",
        "switch focus between list and reader",
    ),
    b(
        G,
        Char('j'),
        N,
        Action::Down,
        "j/↓",
        "next article / scroll down a line",
    ),
    b(G, Down, N, Action::Down, "", ""),
    b(
        G,
        Char('k'),
        N,
        Action::Up,
        "k/↑",
        "previous article / scroll up a line",
    ),
    b(G, Up, N, Action::Up, "", ""),
    b(
        G,
        Char('g'),
        N,
        Action::Top,
        "g/Home",
        "first article / top of the article",
    ),
    b(G, Home, N, Action::Top, "", ""),
    b(
        G,
        Char('G'),
        S,
        Action::Bottom,
        "G/End",
        "last article / end of the article",
    ),
    b(G, Char('G'), N, Action::Bottom, "", ""),
    b(G, End, N, Action::Bottom, "", ""),
    b(G, PageDown, N, Action::PageDown, "PgDn", "a page down"),
    b(G, PageUp, N, Action::PageUp, "PgUp", "a page up"),
    b(
        G,
        Char('d'),
        C,
        Action::HalfPageDown,
        "Ctrl-d",
        "half a page down",
    ),
    b(
        G,
        Char('u'),
        C,
        Action::HalfPageUp,
        "Ctrl-u",
        "half a page up",
    ),
    b(
        L,
        Enter,
        N,
        Action::Open,
        "Enter/l/→",
        "open the selected article",
    ),
    b(L, Char('l'), N, Action::Open, "", ""),
    b(L, Right, N, Action::Open, "", ""),
    b(
        R,
        Char(' '),
        N,
        Action::ReadOn,
        "Space",
        "page down in the reader",
    ),
    b(
        R,
        Char('n'),
        N,
        Action::NextArticle,
        "n",
        "next article (in the reader)",
    ),
    b(
        R,
        Char('p'),
        N,
        Action::PrevArticle,
        "p",
        "previous article (in the reader)",
    ),
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
        return Some(bd.action);
    }
    if context == Context::Help {
        return None;
    }
    keymap
        .iter()
        .filter(|bd| bd.context == Context::Global)
        .find(matches)
        .map(|bd| bd.action)
}

/// Help rows (section, key labels, description) generated from the keymap; bindings with
/// the same description in the same section share a row ("q, Ctrl-c  quit").
pub fn help_rows(keymap: &[Binding]) -> Vec<(&'static str, String, &'static str)> {
    let section = |c: Context| match c {
        Context::Global => "Everywhere",
        Context::List => "In the list",
        Context::Reader => "In the reader",
        Context::Help => "In this help",
    };
    let mut rows: Vec<(&'static str, String, &'static str)> = Vec::new();
    for ctx in [
        Context::Global,
        Context::List,
        Context::Reader,
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
