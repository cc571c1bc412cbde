//! The article list pane.

use super::{pane_block, strings};
use crate::app::layout;
use crate::app::{App, Focus};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// A short label for a sector, for the list's narrow column.
pub fn short_sector(sector: &str) -> String {
    let s = match sector {
        "Policy & Regulation" => "Policy",
        "Blockchain & Crypto" => "Crypto",
        "Metaverse & XR" => "XR",
        "Fintech & Payments" => "Fintech",
        "Auto & EV" => "Auto/EV",
        "E-commerce & Retail" => "Retail",
        "Semiconductors & Hardware" => "Chips",
        "Content & Entertainment" => "Media",
        "Data & Cloud" => "Cloud",
        "Capital Markets" => "Markets",
        other => other.split_whitespace().next().unwrap_or(""),
    };
    text::truncate(&text::one_line(s), 7)
}

pub fn render_list(app: &App, pane: Rect, area: Rect, buf: &mut Buffer) {
    let focused = app.focus == Focus::List && app.search_box.is_none();
    let mut title = format!(
        "{} {}/{}",
        strings::LIST_TITLE,
        app.visible.len(),
        app.corpus.articles.len()
    );
    if !app.query_text.is_empty() && app.search_box.is_none() {
        // A saved view is named; any other query is shown as typed.
        let what = match app.view_in_use() {
            Some(v) => format!("view: {}", v.name),
            None => app.query_text.clone(),
        };
        title.push_str(" · ");
        title.push_str(&text::truncate(
            &text::one_line(&what),
            usize::from(pane.width).saturating_sub(text::width(&title) + 6),
        ));
    }
    if let Some(block) = pane_block(app, title, focused, area) {
        block.render(pane, buf);
    }
    let inner = layout::inner(pane, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    if app.visible.is_empty() {
        Paragraph::new(text::truncate(
            strings::NO_ARTICLES,
            usize::from(inner.width),
        ))
        .style(app.theme.dim)
        .render(inner, buf);
        return;
    }
    let w = usize::from(inner.width);
    let show_date = w >= 24;
    let show_sector = w >= 44;
    let mut lines = Vec::new();
    let highlight_title = app.query.has_text();
    for (row, &idx) in app
        .visible
        .iter()
        .enumerate()
        .skip(app.list_offset)
        .take(usize::from(inner.height))
    {
        let a = &app.corpus.articles[idx];
        let selected = row == app.selected;
        let read = app.is_read(idx);
        let base = if read { app.theme.dim } else { app.theme.base };
        let mut spans = Vec::new();
        let mut used = 0;
        let mark = if app.is_bookmarked(idx) { "*" } else { " " };
        spans.push(Span::styled(mark, app.theme.mark));
        used += 1;
        if show_date {
            let d = a.date.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
            spans.push(Span::styled(
                text::pad(&d, 10),
                if read { app.theme.dim } else { app.theme.date },
            ));
            spans.push(Span::raw(" "));
            used += 11;
        }
        if show_sector {
            let s = a.sector.as_deref().map(short_sector).unwrap_or_default();
            spans.push(Span::styled(
                text::pad(&s, 7),
                if read {
                    app.theme.dim
                } else {
                    app.theme.sector
                },
            ));
            spans.push(Span::raw(" "));
            used += 8;
        }
        let title = text::one_line(&a.title);
        let room = w.saturating_sub(used);
        let shown = text::pad(&title, room);
        if highlight_title {
            // Matched characters stand out.
            let marks = crate::query::engine::title_highlights(&title, &app.query);
            let mut cur = String::new();
            let mut cur_hl = false;
            for (ci, ch) in shown.chars().enumerate() {
                let hl = marks.binary_search(&ci).is_ok() && ch != '…';
                if hl != cur_hl && !cur.is_empty() {
                    let st = if cur_hl { app.theme.matched } else { base };
                    spans.push(Span::styled(std::mem::take(&mut cur), st));
                }
                cur_hl = hl;
                cur.push(ch);
            }
            if !cur.is_empty() {
                spans.push(Span::styled(
                    cur,
                    if cur_hl { app.theme.matched } else { base },
                ));
            }
        } else {
            spans.push(Span::styled(shown, base));
        }
        let mut line = Line::from(spans);
        if selected {
            let style = if focused {
                app.theme.selected
            } else {
                app.theme.selected_unfocused
            };
            line = Line::from(
                line.spans
                    .into_iter()
                    .map(|s| {
                        let st = if s.style == app.theme.matched {
                            style.add_modifier(ratatui::style::Modifier::UNDERLINED)
                        } else {
                            style
                        };
                        Span::styled(s.content, st)
                    })
                    .collect::<Vec<_>>(),
            );
        }
        lines.push(line);
    }
    Paragraph::new(lines).render(inner, buf);
}
