//! Every style the reader uses, in one place. `NO_COLOR` gives a monochrome theme.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub date: Style,
    pub sector: Style,
    pub dim: Style,
    pub title: Style,
    pub meta: Style,
    pub border: Style,
    pub border_focus: Style,
    pub status: Style,
    pub status_key: Style,
    pub help_key: Style,
    pub help_section: Style,
    pub mark: Style,
    pub scrollbar: Style,
    /// Characters that match the query.
    pub matched: Style,
    pub error: Style,
    /// The current match of an article search.
    pub current_match: Style,
}

impl Theme {
    pub fn color() -> Theme {
        Theme {
            base: Style::default(),
            selected: Style::default()
                .bg(Color::Blue)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            selected_unfocused: Style::default().bg(Color::DarkGray).fg(Color::White),
            date: Style::default().fg(Color::Cyan),
            sector: Style::default().fg(Color::Yellow),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            meta: Style::default().fg(Color::Yellow),
            border: Style::default().fg(Color::DarkGray),
            border_focus: Style::default().fg(Color::LightBlue),
            status: Style::default().bg(Color::DarkGray).fg(Color::White),
            status_key: Style::default()
                .bg(Color::DarkGray)
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            help_key: Style::default()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD),
            help_section: Style::default()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            mark: Style::default().fg(Color::LightYellow),
            scrollbar: Style::default().fg(Color::Gray),
            matched: Style::default()
                .fg(Color::LightYellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            error: Style::default()
                .bg(Color::Red)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            current_match: Style::default().bg(Color::Yellow).fg(Color::Black),
        }
    }

    /// No colours at all: only bold, dim and reverse video.
    pub fn mono() -> Theme {
        let plain = Style::default();
        Theme {
            base: plain,
            selected: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: plain.add_modifier(Modifier::REVERSED),
            date: plain,
            sector: plain,
            dim: plain.add_modifier(Modifier::DIM),
            title: plain.add_modifier(Modifier::BOLD),
            meta: plain.add_modifier(Modifier::DIM),
            border: plain,
            border_focus: plain.add_modifier(Modifier::BOLD),
            status: plain.add_modifier(Modifier::REVERSED),
            status_key: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            help_key: plain.add_modifier(Modifier::BOLD),
            help_section: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            mark: plain.add_modifier(Modifier::BOLD),
            scrollbar: plain,
            matched: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            error: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            current_match: plain.add_modifier(Modifier::REVERSED),
        }
    }

    /// The monochrome theme when `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::color(),
        }
    }
}
