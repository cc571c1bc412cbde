//! The facet pane: a month histogram of the results, then sectors, years, tags and sources
//! with their counts; selected values are marked.

use super::{pane_block, strings};
use crate::app::layout;
use crate::app::{App, Focus};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// Month counts from the first to the last month with results, gaps as zeros, and the
/// first month's number (`year * 12 + month - 1`).
pub fn histogram(app: &App) -> (Vec<u64>, i32) {
    let months = &app.facet_counts().months;
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return (Vec::new(), 0);
    };
    let ym = |s: &str| -> Option<(i32, u32)> {
        let (y, m) = s.split_once('-')?;
        Some((y.parse().ok()?, m.parse().ok()?))
    };
    let (Some((y0, m0)), Some((y1, m1))) = (ym(&first.value), ym(&last.value)) else {
        return (Vec::new(), 0);
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
    (v, start)
}

/// A month's number as `2023-06`.
fn month_name(n: i32) -> String {
    format!("{:04}-{:02}", n.div_euclid(12), n.rem_euclid(12) + 1)
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
    // The histogram: per month, the most recent months that fit the width, with its scale.
    if app.histogram_lines(usize::from(inner.height)) > 0 {
        let (hist, start) = histogram(app);
        let take = hist.len().min(w);
        let data = &hist[hist.len() - take..];
        // The months the bars show (the most recent when not all fit).
        let first = start + (hist.len() - take) as i32;
        let span = format!(
            "{} … {}",
            month_name(first),
            month_name(start + hist.len() as i32 - 1)
        );
        let peak = data.iter().copied().max().unwrap_or(0);
        let (top, bottom) = bars(data);
        let style = app.theme().date;
        buf.set_stringn(inner.x, y, &top, w, style);
        buf.set_stringn(inner.x, y + 1, &bottom, w, style);
        y += 2;
        let scale = format!("{span} · top {peak}/month");
        let scale = if text::width(&scale) <= w {
            scale
        } else {
            span
        };
        Paragraph::new(text::truncate(&scale, w))
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
    let height = usize::from(inner.y + inner.height - y);
    let (line_rows, skip) = app.facet_lines(&rows, height);
    let mut shown: Vec<Line> = Vec::new();
    for k in skip..line_rows.len().min(skip + height) {
        let Some(i) = line_rows[k] else {
            // A heading: the facet of the row under it.
            if let Some(r) = line_rows
                .get(k + 1)
                .copied()
                .flatten()
                .and_then(|n| rows.get(n))
            {
                shown.push(Line::styled(r.facet.title(), app.theme().help_section));
            }
            continue;
        };
        let r = &rows[i];
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
        shown.push(Line::from(vec![
            Span::styled(mark, style),
            Span::styled(text::pad(&text::one_line(&label), label_w), style),
            Span::styled(format!(" {count}"), style),
        ]));
    }
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

/// Two rows of bars, one column a month, scaled to the busiest month; a month with any
/// article shows at least the lowest bar, so a quiet month is never mistaken for none.
pub fn bars(data: &[u64]) -> (String, String) {
    const LEVELS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let peak = data.iter().copied().max().unwrap_or(0).max(1);
    let mut top = String::new();
    let mut bottom = String::new();
    for &v in data {
        // Sixteen steps over the two rows.
        let mut level = (v * 16).div_ceil(peak) as usize;
        if v > 0 {
            level = level.max(1);
        }
        let level = level.min(16);
        bottom.push(LEVELS[level.min(8)]);
        top.push(LEVELS[level.saturating_sub(8)]);
    }
    (top, bottom)
}
