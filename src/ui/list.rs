//! The article list pane.

use super::{layout, pane_block, strings};
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
    let focused = app.focus == Focus::List;
    let title = format!(
        "{} {}/{}",
        strings::LIST_TITLE,
        app.visible.len(),
        app.corpus.articles.len()
    );
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
    for (row, &idx) in app
        .visible
        .iter()
        .enumerate()
        .skip(app.list_offset)
        .take(usize::from(inner.height))
    {
        let a = &app.corpus.articles[idx];
        let selected = row == app.selected;
        let mut spans = Vec::new();
        let mut used = 0;
        spans.push(Span::styled(" ", app.theme.mark));
        used += 1;
        if show_date {
            let d = a.date.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
            spans.push(Span::styled(text::pad(&d, 10), app.theme.date));
            spans.push(Span::raw(" "));
            used += 11;
        }
        if show_sector {
            let s = a.sector.as_deref().map(short_sector).unwrap_or_default();
            spans.push(Span::styled(text::pad(&s, 7), app.theme.sector));
            spans.push(Span::raw(" "));
            used += 8;
        }
        let title = text::one_line(&a.title);
        spans.push(Span::styled(
            text::pad(&title, w.saturating_sub(used)),
            app.theme.base,
        ));
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
                    .map(|s| Span::styled(s.content, style))
                    .collect::<Vec<_>>(),
            );
        }
        lines.push(line);
    }
    Paragraph::new(lines).render(inner, buf);
}
