//! Every style the reader uses, in one place: three presets (dark, light, mono) and each
//! style role overridable by name from the config file. `NO_COLOR` gives the mono preset.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub date: Style,
    pub sector: Style,
    pub source: Style,
    pub dim: Style,
    pub title: Style,
    pub meta: Style,
    pub link: Style,
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
    /// Code blocks in articles.
    pub code: Style,
    /// Block quotes in articles.
    pub quote: Style,
}

/// The style roles by the name the config file uses.
pub const ROLES: &[&str] = &[
    "base",
    "selected",
    "selected_unfocused",
    "date",
    "sector",
    "source",
    "dim",
    "title",
    "meta",
    "link",
    "border",
    "border_focus",
    "status",
    "status_key",
    "help_key",
    "help_section",
    "mark",
    "scrollbar",
    "matched",
    "error",
    "current_match",
    "code",
    "quote",
];

/// The presets by name.
pub const PRESETS: &[&str] = &["dark", "light", "mono"];

impl Theme {
    /// Colours for a dark background (the default).
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
            source: Style::default().fg(Color::Green),
            dim: Style::default().fg(Color::DarkGray),
            title: Style::default()
                .fg(Color::LightCyan)
                .add_modifier(Modifier::BOLD),
            meta: Style::default().fg(Color::Yellow),
            link: Style::default()
                .fg(Color::LightBlue)
                .add_modifier(Modifier::UNDERLINED),
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
            code: Style::default().fg(Color::LightGreen),
            quote: Style::default()
                .fg(Color::Gray)
                .add_modifier(Modifier::ITALIC),
        }
    }

    /// Colours for a light background: darker foregrounds, no light greys for text.
    pub fn light() -> Theme {
        let c = Theme::color();
        Theme {
            selected_unfocused: Style::default().bg(Color::Gray).fg(Color::Black),
            date: Style::default().fg(Color::Blue),
            sector: Style::default().fg(Color::Magenta),
            source: Style::default().fg(Color::Green),
            dim: Style::default().fg(Color::Gray),
            title: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            meta: Style::default().fg(Color::Magenta),
            link: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            border: Style::default().fg(Color::Gray),
            border_focus: Style::default().fg(Color::Blue),
            status: Style::default().bg(Color::Gray).fg(Color::Black),
            status_key: Style::default()
                .bg(Color::Gray)
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            help_key: Style::default()
                .fg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            help_section: Style::default()
                .fg(Color::Magenta)
                .add_modifier(Modifier::BOLD),
            mark: Style::default().fg(Color::Red),
            scrollbar: Style::default().fg(Color::DarkGray),
            matched: Style::default()
                .fg(Color::Red)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            code: Style::default().fg(Color::Green),
            quote: Style::default()
                .fg(Color::DarkGray)
                .add_modifier(Modifier::ITALIC),
            ..c
        }
    }

    /// No colours at all: only bold, dim, underline and reverse video.
    pub fn mono() -> Theme {
        let plain = Style::default();
        Theme {
            base: plain,
            selected: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: plain.add_modifier(Modifier::REVERSED),
            date: plain,
            sector: plain,
            source: plain,
            dim: plain.add_modifier(Modifier::DIM),
            title: plain.add_modifier(Modifier::BOLD),
            meta: plain.add_modifier(Modifier::DIM),
            link: plain.add_modifier(Modifier::UNDERLINED),
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
            code: plain,
            quote: plain.add_modifier(Modifier::ITALIC),
        }
    }

    /// A preset by name.
    pub fn preset(name: &str) -> Option<Theme> {
        match name {
            "dark" => Some(Theme::color()),
            "light" => Some(Theme::light()),
            "mono" => Some(Theme::mono()),
            _ => None,
        }
    }

    /// The monochrome theme when `NO_COLOR` is set to anything non-empty (no-color.org).
    pub fn from_env() -> Theme {
        if no_color() {
            Theme::mono()
        } else {
            Theme::color()
        }
    }

    /// A role by name.
    pub fn role_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "base" => &mut self.base,
            "selected" => &mut self.selected,
            "selected_unfocused" => &mut self.selected_unfocused,
            "date" => &mut self.date,
            "sector" => &mut self.sector,
            "source" => &mut self.source,
            "dim" => &mut self.dim,
            "title" => &mut self.title,
            "meta" => &mut self.meta,
            "link" => &mut self.link,
            "border" => &mut self.border,
            "border_focus" => &mut self.border_focus,
            "status" => &mut self.status,
            "status_key" => &mut self.status_key,
            "help_key" => &mut self.help_key,
            "help_section" => &mut self.help_section,
            "mark" => &mut self.mark,
            "scrollbar" => &mut self.scrollbar,
            "matched" => &mut self.matched,
            "error" => &mut self.error,
            "current_match" => &mut self.current_match,
            "code" => &mut self.code,
            "quote" => &mut self.quote,
            _ => return None,
        })
    }

    /// Whether no role has a colour (the mono preset, `NO_COLOR`).
    pub fn is_colourless(&self) -> bool {
        ROLES.iter().all(|r| {
            self.role(r)
                .is_none_or(|s| s.fg.is_none() && s.bg.is_none() && s.underline_color.is_none())
        })
    }

    pub fn role(&self, name: &str) -> Option<Style> {
        let mut t = *self;
        t.role_mut(name).map(|s| *s)
    }
}

/// Whether `NO_COLOR` asks for no colour.
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// A colour as the config file writes it: a name (`red`, `lightblue`, `darkgray`, `reset`),
/// a 256-colour index (`208`) or `#rrggbb`.
pub fn parse_color(s: &str) -> Result<Color, String> {
    let t = s.trim();
    if let Some(hex) = t.strip_prefix('#') {
        if hex.len() == 6 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            let v = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
            return Ok(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8));
        }
        return Err(format!(
            "{t:?} is not a colour: write #rrggbb with six hex digits"
        ));
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return match t.parse::<u8>() {
            Ok(n) => Ok(Color::Indexed(n)),
            Err(_) => Err(format!("{t}: a colour index is 0 to 255")),
        };
    }
    let name: String = t
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | ' '))
        .collect::<String>()
        .to_ascii_lowercase();
    Ok(match name.as_str() {
        "reset" | "default" | "none" => Color::Reset,
        "black" => Color::Black,
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" | "grey" => Color::Gray,
        "darkgray" | "darkgrey" => Color::DarkGray,
        "lightred" => Color::LightRed,
        "lightgreen" => Color::LightGreen,
        "lightyellow" => Color::LightYellow,
        "lightblue" => Color::LightBlue,
        "lightmagenta" => Color::LightMagenta,
        "lightcyan" => Color::LightCyan,
        "white" => Color::White,
        _ => {
            return Err(format!(
                "{:?} is not a colour: use a name (black, red, green, yellow, blue, magenta, cyan, gray, darkgray, light… white, reset), 0-255 or #rrggbb",
                crate::text::one_line(t)
            ))
        }
    })
}

/// A colour as the config file writes it (the inverse of `parse_color`).
pub fn color_name(c: Color) -> String {
    match c {
        Color::Reset => "reset".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(n) => n.to_string(),
        other => {
            let s = format!("{other:?}");
            s.to_ascii_lowercase()
        }
    }
}

/// The modifiers a style may name, by name.
pub const MODIFIERS: &[(&str, Modifier)] = &[
    ("bold", Modifier::BOLD),
    ("dim", Modifier::DIM),
    ("italic", Modifier::ITALIC),
    ("underlined", Modifier::UNDERLINED),
    ("reversed", Modifier::REVERSED),
    ("crossed_out", Modifier::CROSSED_OUT),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_by_name_index_and_hex() {
        assert_eq!(parse_color("red"), Ok(Color::Red));
        assert_eq!(parse_color("Light-Blue"), Ok(Color::LightBlue));
        assert_eq!(parse_color("208"), Ok(Color::Indexed(208)));
        assert_eq!(parse_color("#ff8000"), Ok(Color::Rgb(255, 128, 0)));
        for bad in ["256", "#ff80", "#gg0000", "purple", ""] {
            assert!(parse_color(bad).is_err(), "{bad}");
        }
        for c in [
            Color::Red,
            Color::Indexed(7),
            Color::Rgb(1, 2, 3),
            Color::DarkGray,
        ] {
            assert_eq!(parse_color(&color_name(c)), Ok(c));
        }
    }

    #[test]
    fn every_role_has_a_name_and_mono_has_no_colour() {
        let mut t = Theme::mono();
        for r in ROLES {
            let s = t.role_mut(r).expect(r);
            assert_eq!((s.fg, s.bg), (None, None), "{r}");
        }
    }
}
