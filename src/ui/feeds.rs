//! The feeds pane: a box over the screen listing every subscription with its unread count
//! and last update; a failing feed is marked `!` and the selected one's error is shown.

use super::strings;
use crate::app::App;
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// "2026-12-03T08:00:00Z" as "12-03 08:00" (the year when it is not this one).
fn when(t: &str) -> String {
    let (date, time) = t.split_once('T').unwrap_or((t, ""));
    let hm: String = time.chars().take(5).collect();
    let this_year = crate::corpus::date::today().get_year().to_string();
    let d = date.strip_prefix(&format!("{this_year}-")).unwrap_or(date);
    format!("{d} {hm}").trim().to_string()
}

pub fn render_feeds(app: &App, cursor: usize, area: Rect, buf: &mut Buffer) {
    let rows = app.feed_rows();
    let w = area.width.saturating_sub(4).clamp(1, 90);
    let h = area.height.saturating_sub(2).max(1);
    let rect = Rect {
        x: area.x + area.width.saturating_sub(w) / 2,
        y: area.y + 1.min(area.height.saturating_sub(h)),
        width: w.min(area.width),
        height: h.min(area.height),
    };
    if rect.width == 0 || rect.height == 0 {
        return;
    }
    let title = match app.sync_state() {
        Some(s) if s.total > 0 => {
            format!("{} — syncing {}/{}", strings::FEEDS_TITLE, s.done, s.total)
        }
        Some(_) => format!("{} — syncing", strings::FEEDS_TITLE),
        None => strings::FEEDS_TITLE.to_string(),
    };
    let inner = super::overlay(app, rect, &title, (12, 3), buf);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let width = usize::from(inner.width);
    let theme = app.theme();
    if rows.is_empty() {
        let msg = if app.feeds_loading() {
            strings::COUNTING
        } else {
            strings::NO_FEEDS
        };
        Paragraph::new(msg)
            .style(theme.dim)
            .wrap(Wrap { trim: true })
            .render(inner, buf);
        return;
    }
    // The selected feed's error takes the bottom lines when there is room.
    let error = rows
        .get(cursor)
        .and_then(|r| r.feed.last_error.as_deref())
        .filter(|_| inner.height >= 6);
    let err_h = u16::from(error.is_some()) * 2;
    let list_h = usize::from(inner.height - err_h);
    let skip = (cursor + 1).saturating_sub(list_h);
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(skip)
        .take(list_h)
        .map(|(i, r)| {
            let failing = r.feed.failures > 0;
            let mark = if failing { "! " } else { "  " };
            let last = r
                .feed
                .last_fetch
                .as_deref()
                .map_or_else(|| "never".into(), when);
            let right = format!(" {:>5} {:>11}", r.unread, last);
            let name = if r.feed.title.trim().is_empty() {
                r.feed.url.clone()
            } else {
                r.feed.title.clone()
            };
            let name_w = width.saturating_sub(text::width(&right) + 2);
            let style = if i == cursor {
                theme.selected
            } else if failing {
                theme.error
            } else {
                theme.base
            };
            Line::from(vec![
                Span::styled(mark, style),
                Span::styled(
                    text::pad(&text::truncate(&text::one_line(&name), name_w), name_w),
                    style,
                ),
                Span::styled(right, style),
            ])
        })
        .collect();
    Paragraph::new(lines).render(
        Rect {
            height: inner.height - err_h,
            ..inner
        },
        buf,
    );
    if let Some(e) = error {
        let at = Rect {
            y: inner.y + inner.height - err_h,
            height: err_h,
            ..inner
        };
        Paragraph::new(text::one_line(&format!("failing: {e}")))
            .style(theme.error)
            .wrap(Wrap { trim: true })
            .render(at, buf);
    }
}
