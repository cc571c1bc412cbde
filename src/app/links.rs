//! Links: `o` opens the article's link in the browser, `y` copies it and `Y` copies the
//! title and link as a Markdown link. The runtime does the opening and copying (`Effect::OpenUrl`, `Effect::Copy`).

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
        if let Some(u) = self.current_link() {
            Some(u.to_string())
        } else {
            self.say("this article has no link", Tone::Info);
            None
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
