//! The status line: corpus name, shown/total, and the few keys that matter now.

use super::strings;
use crate::app::keymap::Context;
use crate::app::{App, Overlay, Tone};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

pub fn render_status(app: &App, area: Rect, buf: &mut Buffer) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let w = usize::from(area.width);
    // An error or message takes the line: a bad query keeps the typed text and says why.
    let alert = app
        .query_error()
        .map(|e| (format!(" {e}"), app.theme().error))
        .or_else(|| {
            app.message().as_ref().map(|(m, tone)| {
                let st = match tone {
                    Tone::Error => app.theme().error,
                    Tone::Info => app.theme().status_key,
                };
                (format!(" {m}"), st)
            })
        });
    let mut left = format!(
        " {} · {}/{}",
        text::one_line(&app.corpus().name),
        app.visible().len(),
        app.corpus().articles.len()
    );
    if let Some(s) = app.sync_state() {
        if s.total > 0 {
            left.push_str(&format!(
                " · syncing {}/{} feeds · {} new",
                s.done, s.total, s.new
            ));
        } else {
            left.push_str(" · syncing");
        }
    }
    if let Some((done, total)) = app.indexing() {
        left.push_str(&format!(
            " · indexing for search {}%",
            done.saturating_mul(100) / total.max(1)
        ));
    }
    if app.searching() {
        left.push_str(" · ");
        left.push_str(strings::SEARCHING);
    }
    if app.context() == Context::Reader && app.current().is_some() {
        left.push_str(&format!(" · {}%", app.reader_percent()));
    }
    if let Some(s) = &app.article_search() {
        if s.lines.is_empty() {
            left.push_str(&format!(" · {}", strings::NO_MATCHES));
        } else {
            left.push_str(&format!(" · match {}/{}", s.current + 1, s.lines.len()));
        }
    }
    let hints = match app.context() {
        Context::Help => strings::HINTS_HELP,
        Context::Reader => strings::HINTS_READER,
        Context::Search if matches!(app.overlay(), Overlay::Search(s) if s.in_article()) => {
            strings::HINTS_ARTICLE_SEARCH
        }
        Context::Search => strings::HINTS_SEARCH,
        Context::Facets => strings::HINTS_FACETS,
        Context::Note => strings::HINTS_NOTE,
        Context::Views => strings::HINTS_VIEWS,
        Context::Feeds => strings::HINTS_FEEDS,
        Context::List | Context::Global => strings::HINTS_LIST,
    };
    let mut spans = Vec::new();
    let mut used = 0;
    if let Some((msg, st)) = alert {
        let m = text::truncate(&text::one_line(&msg), w);
        used += text::width(&m);
        spans.push(Span::styled(m, st));
    } else {
        let l = text::truncate(&left, w);
        used += text::width(&l);
        spans.push(Span::styled(l, app.theme().status));
        for (key, what) in hints {
            let piece_w = 3 + text::width(key) + 1 + text::width(what);
            if used + piece_w > w {
                break;
            }
            spans.push(Span::styled("   ", app.theme().status));
            spans.push(Span::styled(*key, app.theme().status_key));
            spans.push(Span::styled(format!(" {what}"), app.theme().status));
            used += piece_w;
        }
    }
    spans.push(Span::styled(
        " ".repeat(w.saturating_sub(used)),
        app.theme().status,
    ));
    Paragraph::new(Line::from(spans)).render(area, buf);
}
