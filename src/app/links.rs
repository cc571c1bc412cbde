//! Links: `o` opens the article's link in the browser, `y` copies it and `Y` copies the
//! title and link as a Markdown link. The loop does the opening and copying (`Effect`).

use super::{App, Effect, Tone};

impl App {
    /// The selected article's link, if it has one.
    pub fn current_link(&self) -> Option<&str> {
        self.current()
            .and_then(|a| a.url.as_deref())
            .map(str::trim)
            .filter(|u| !u.is_empty())
    }

    fn link_or_say(&mut self) -> Option<String> {
        self.current()?;
        match self.current_link() {
            Some(u) => Some(u.to_string()),
            None => {
                self.say("this article has no link", Tone::Info);
                None
            }
        }
    }

    pub(super) fn open_link(&mut self, effects: &mut Vec<Effect>) {
        if let Some(u) = self.link_or_say() {
            self.say(format!("opening {u}"), Tone::Info);
            effects.push(Effect::OpenUrl(u));
        }
    }

    pub(super) fn copy_link(&mut self, markdown: bool, effects: &mut Vec<Effect>) {
        let Some(u) = self.link_or_say() else { return };
        let text = if markdown {
            let title = self
                .current()
                .map(|a| crate::text::one_line(&a.title))
                .unwrap_or_default();
            format!("[{}]({})", markdown_escape(&title), u.replace(')', "%29"))
        } else {
            u
        };
        self.say(
            if markdown {
                "copied the title and link as Markdown"
            } else {
                "copied the link"
            },
            Tone::Info,
        );
        effects.push(Effect::Copy(text));
    }
}

/// A title safe inside a Markdown link's brackets.
fn markdown_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Open a web link with `$BROWSER` when set, else the system's opener, detached and with no
/// way to write on the screen. Only http(s) links: a corpus is untrusted, and a link that is
/// a local file, a script or an option is not opened.
pub fn open_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.chars().any(char::is_control)
    {
        return Err(format!(
            "not opened: {} is not a web link",
            crate::text::one_line(url)
        ));
    }
    opener::open_browser(url).map_err(|e| format!("could not open the link: {e}"))
}

/// Put text on the clipboard with an OSC 52 escape sequence: terminals (and tmux, and
/// terminals over SSH) take it from the program's output.
pub fn copy_osc52(out: &mut impl std::io::Write, text: &str) -> std::io::Result<()> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    write!(out, "\x1b]52;c;{b64}\x07")?;
    out.flush()
}
