//! Links: `o` opens the article's link in the browser, `y` copies it and `Y` copies the
//! title and link as a Markdown link. The runtime does the opening and copying (`Effect::OpenUrl`, `Effect::Copy`).

use super::{App, Effect, Tone};

/// The links an article lists at its end (`Links:` then `[n] address`), by number from 1.
pub fn article_links(body: &str) -> Vec<String> {
    let Some(block) = crate::corpus::paragraphs_of(body)
        .filter(|p| p.starts_with(crate::import::html::LINKS_HEADING))
        .last()
    else {
        return Vec::new();
    };
    block
        .lines()
        .skip(1)
        .filter_map(|l| {
            let l = l.trim();
            let close = l.find("] ")?;
            l.starts_with('[')
                .then(|| l[close + 2..].trim().to_string())
        })
        .collect()
}

impl App {
    /// The link numbered `n` in the selected article.
    fn numbered_link(&mut self, n: usize) -> Option<String> {
        let idx = self.current_index()?;
        let Some(body) = self.body_of(idx) else {
            self.say("the text is still being read: try again", Tone::Info);
            return None;
        };
        let links = article_links(body);
        match links.get(n.wrapping_sub(1)) {
            Some(u) => Some(u.clone()),
            None => {
                let what = if links.is_empty() {
                    "this article lists no links".to_string()
                } else {
                    format!("no link [{n}] here (the article lists {})", links.len())
                };
                self.say(what, Tone::Info);
                None
            }
        }
    }

    /// `x`: the article's full text fetched from its page (it arrives with the library's next
    /// reload), or, when it has one, a switch back to the feed's text (and again).
    pub(super) fn full_text(&mut self, effects: &mut Vec<Effect>) {
        let Some(a) = self.current() else { return };
        let id = a.id.clone();
        if let Some(shown) = a.full_text {
            effects.push(Effect::FullText {
                id,
                url: None,
                toggle: true,
            });
            self.say(
                if shown {
                    "switching to the feed's text…"
                } else {
                    "switching to the full text…"
                },
                Tone::Info,
            );
            return;
        }
        match self.current_link().map(str::to_string) {
            Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                self.say(format!("fetching the full text from {u}…"), Tone::Info);
                effects.push(Effect::FullText {
                    id,
                    url: Some(u),
                    toggle: false,
                });
            }
            _ => self.say(
                "this article has no web link to fetch its text from",
                Tone::Info,
            ),
        }
    }

    /// A digit typed in the reader: the number of the link `o` or `y` acts on.
    pub(super) fn count_digit(&mut self, d: u8) {
        let n = self
            .reader
            .count
            .unwrap_or(0)
            .saturating_mul(10)
            .saturating_add(usize::from(d))
            .min(99_999);
        self.reader.count = Some(n);
        self.say(format!("link [{n}]: o opens it, y copies it"), Tone::Info);
    }

    /// The selected article's link, if it has one.
    pub fn current_link(&self) -> Option<&str> {
        self.current()
            .and_then(|a| a.url.as_deref())
            .map(str::trim)
            .filter(|u| !u.is_empty())
    }

    fn link_or_say(&mut self) -> Option<String> {
        self.current()?;
        if let Some(n) = self.reader.count.take() {
            return self.numbered_link(n);
        }
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
