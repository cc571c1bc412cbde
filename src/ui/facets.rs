//! The facet pane: a month histogram of the results, then sectors, years, tags and sources
//! with their counts; selected values are marked.

use super::{pane_block, strings};
use crate::app::layout;
use crate::app::{App, Focus};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline, Widget};

/// Month counts from the first to the last month with results, gaps as zeros.
pub fn histogram(app: &App) -> (Vec<u64>, String) {
    let months = &app.facet_counts().months;
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return (Vec::new(), String::new());
    };
    let ym = |s: &str| -> Option<(i32, u32)> {
        let (y, m) = s.split_once('-')?;
        Some((y.parse().ok()?, m.parse().ok()?))
    };
    let (Some((y0, m0)), Some((y1, m1))) = (ym(&first.value), ym(&last.value)) else {
        return (Vec::new(), String::new());
    };
    let start = y0 * 12 + m0 as i32 - 1;
    let end = y1 * 12 + m1 as i32 - 1;
    let mut v = vec![0u64; (end - start + 1).max(0) as usize];
    for m in months {
        if let Some((y, mm)) = ym(&m.value) {
            let k = (y * 12 + mm as i32 - 1 - start) as usize;
            if let Some(slot) = v.get_mut(k) {
                *slot = m.count as u64;
            }
        }
    }
    (v, format!("{} … {}", first.value, last.value))
}

pub fn render_facets(app: &App, pane: Rect, area: Rect, buf: &mut Buffer) {
    let focused = app.focus() == Focus::Facets;
    let rows = app.facet_rows();
    // Counts read "unread/all" where some are read.
    let title = if rows.iter().any(|r| r.unread < r.count) {
        format!("{} · unread/all", strings::FACETS_TITLE)
    } else {
        strings::FACETS_TITLE.to_string()
    };
    if let Some(block) = pane_block(app, &title, focused, area) {
        block.render(pane, buf);
    }
    let inner = layout::inner(pane, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let w = usize::from(inner.width);
    let mut y = inner.y;
    // The histogram: per month, the most recent months that fit the width.
    let (hist, span) = histogram(app);
    if !hist.is_empty() && inner.height >= 6 {
        let take = hist.len().min(w);
        let data = &hist[hist.len() - take..];
        Sparkline::default()
            .data(data)
            .style(app.theme().date)
            .render(
                Rect {
                    x: inner.x,
                    y,
                    width: take as u16,
                    height: 2,
                },
                buf,
            );
        y += 2;
        Paragraph::new(text::truncate(&span, w))
            .style(app.theme().dim)
            .render(
                Rect {
                    x: inner.x,
                    y,
                    width: inner.width,
                    height: 1,
                },
                buf,
            );
        y += 1;
    }
    if rows.is_empty() {
        Paragraph::new(text::truncate(strings::NO_FACETS, w))
            .style(app.theme().dim)
            .render(
                Rect {
                    x: inner.x,
                    y,
                    width: inner.width,
                    height: 1,
                },
                buf,
            );
        return;
    }
    // Lines: a heading before each facet, rows under it; keep the cursor in view.
    let mut lines: Vec<(Line, Option<usize>)> = Vec::new();
    let mut last = None;
    for (i, r) in rows.iter().enumerate() {
        if last != Some(r.facet) {
            lines.push((
                Line::styled(r.facet.title(), app.theme().help_section),
                None,
            ));
            last = Some(r.facet);
        }
        let mark = if r.selected { "[x] " } else { "[ ] " };
        let count = if r.unread < r.count {
            format!("{}/{}", r.unread, r.count)
        } else {
            r.count.to_string()
        };
        let label_w = w.saturating_sub(4 + count.len() + 1);
        let mut style = app.theme().base;
        if i == app.facet_cursor() {
            style = if focused {
                app.theme().selected
            } else {
                app.theme().selected_unfocused
            };
        }
        let label = if r.facet == crate::app::FacetKind::Tag {
            format!("#{}", r.value)
        } else {
            r.value.clone()
        };
        lines.push((
            Line::from(vec![
                Span::styled(mark, style),
                Span::styled(text::pad(&text::one_line(&label), label_w), style),
                Span::styled(format!(" {count}"), style),
            ]),
            Some(i),
        ));
    }
    let height = usize::from(inner.y + inner.height - y);
    let cursor_line = lines
        .iter()
        .position(|(_, r)| *r == Some(app.facet_cursor()))
        .unwrap_or(0);
    let skip = (cursor_line + 1).saturating_sub(height);
    let shown: Vec<Line> = lines
        .into_iter()
        .skip(skip)
        .take(height)
        .map(|(l, _)| l)
        .collect();
    Paragraph::new(shown).render(
        Rect {
            x: inner.x,
            y,
            width: inner.width,
            height: height as u16,
        },
        buf,
    );
}
