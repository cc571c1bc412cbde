//! The article list pane. Beside the reader each row is the title, whole (on two lines when
//! it needs them), then a line of date, sector and source, as mail clients show messages;
//! on narrow screens one line per article: date, sector, title. Two marks lead every row,
//! selected or not: `*` bookmarked, `•` unread.

use super::{pane_block, strings};
use crate::app::list::MARKS_W;
use crate::app::{layout, App, Focus, Overlay};
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
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

/// The two marks before a title.
fn marks(app: &App, idx: usize) -> [Span<'static>; 2] {
    let bookmark = if app.is_bookmarked(idx) { "*" } else { " " };
    let unread = if app.is_read(idx) { " " } else { "•" };
    [
        Span::styled(bookmark, app.theme().mark),
        Span::styled(unread, app.theme().mark),
    ]
}

/// `text` as spans, the characters the query matched standing out.
fn title_spans(app: &App, title: &str, base: Style) -> Vec<Span<'static>> {
    if !app.query().has_text() {
        return vec![Span::styled(title.to_string(), base)];
    }
    let marks = crate::query::highlight::title_highlights(title, app.query());
    let mut spans = Vec::new();
    let mut cur = String::new();
    let mut cur_hl = false;
    for (ci, ch) in title.chars().enumerate() {
        let hl = marks.binary_search(&ci).is_ok() && ch != '…';
        if hl != cur_hl && !cur.is_empty() {
            let st = if cur_hl { app.theme().matched } else { base };
            spans.push(Span::styled(std::mem::take(&mut cur), st));
        }
        cur_hl = hl;
        cur.push(ch);
    }
    if !cur.is_empty() {
        spans.push(Span::styled(
            cur,
            if cur_hl { app.theme().matched } else { base },
        ));
    }
    spans
}

/// A row's lines in the selection's style, matches still underlined, padded to the width.
fn selected_line(app: &App, line: Line<'static>, focused: bool, width: usize) -> Line<'static> {
    let style = if focused {
        app.theme().selected
    } else {
        app.theme().selected_unfocused
    };
    let used: usize = line.spans.iter().map(|s| text::width(&s.content)).sum();
    let mut spans: Vec<Span<'static>> = line
        .spans
        .into_iter()
        .map(|s| {
            let st = if s.style == app.theme().matched {
                style.add_modifier(Modifier::UNDERLINED)
            } else if s.style == app.theme().mark {
                // The marks stay readable on the selection.
                style.add_modifier(Modifier::BOLD)
            } else {
                style
            };
            Span::styled(s.content, st)
        })
        .collect();
    spans.push(Span::styled(" ".repeat(width.saturating_sub(used)), style));
    Line::from(spans)
}

/// Date, sector and source under a title.
fn meta_line(app: &App, idx: usize, width: usize, read: bool) -> Line<'static> {
    let a = &app.corpus().articles[idx];
    let pick = |st: Style| if read { app.theme().dim } else { st };
    let mut parts: Vec<(String, Style)> = Vec::new();
    parts.push((
        a.date.map_or_else(|| "undated".into(), |d| d.to_string()),
        pick(app.theme().date),
    ));
    if let Some(s) = &a.sector {
        parts.push((text::one_line(s), pick(app.theme().sector)));
    }
    if let Some(s) = &a.source {
        parts.push((text::one_line(s), pick(app.theme().source)));
    }
    let mut spans = vec![Span::raw(" ".repeat(MARKS_W))];
    let mut used = MARKS_W;
    for (i, (t, st)) in parts.into_iter().enumerate() {
        let sep = if i == 0 { "" } else { " · " };
        let room = width.saturating_sub(used + text::width(sep));
        if room == 0 {
            break;
        }
        let t = text::truncate(&t, room);
        used += text::width(sep) + text::width(&t);
        spans.push(Span::styled(sep.to_string(), app.theme().dim));
        spans.push(Span::styled(t, st));
    }
    Line::from(spans)
}

/// One line per article: marks, date, short sector, title cut at a word boundary.
fn one_line_row(app: &App, idx: usize, width: usize, read: bool) -> Line<'static> {
    let a = &app.corpus().articles[idx];
    let base = if read {
        app.theme().dim
    } else {
        app.theme().base
    };
    let mut spans: Vec<Span<'static>> = marks(app, idx).into();
    let mut used = MARKS_W;
    if width >= 26 {
        let d = a.date.map_or_else(|| "—".into(), |d| d.to_string());
        spans.push(Span::styled(
            text::pad(&d, 10),
            if read {
                app.theme().dim
            } else {
                app.theme().date
            },
        ));
        spans.push(Span::raw(" "));
        used += 11;
    }
    if width >= 46 {
        let s = a.sector.as_deref().map(short_sector).unwrap_or_default();
        spans.push(Span::styled(
            text::pad(&s, 7),
            if read {
                app.theme().dim
            } else {
                app.theme().sector
            },
        ));
        spans.push(Span::raw(" "));
        used += 8;
    }
    let room = width.saturating_sub(used);
    // A note shares the line with the title: the title gets three fifths at most.
    let note = app.note_line(idx).filter(|_| room >= 20);
    let title_room = if note.is_some() { room * 3 / 5 } else { room };
    let title = text::truncate_words(&text::one_line(&a.title), title_room);
    spans.extend(title_spans(app, &title, base));
    if let Some(note) = note {
        let left = room.saturating_sub(text::width(&title) + 3);
        spans.push(Span::styled(" · ", app.theme().dim));
        spans.push(Span::styled(text::truncate(&note, left), app.theme().quote));
    }
    Line::from(spans)
}

pub fn render_list(app: &App, pane: Rect, area: Rect, buf: &mut Buffer) {
    let focused = app.focus() == Focus::List && !matches!(app.overlay(), Overlay::Search(_));
    let unread = app.visible().iter().filter(|&&i| !app.is_read(i)).count();
    let mut title = format!(
        "{} {}/{}",
        strings::LIST_TITLE,
        app.visible().len(),
        app.corpus().articles.len(),
    );
    if !app.query_text().is_empty() && !matches!(app.overlay(), Overlay::Search(_)) {
        // A saved view is named; any other query is shown as typed.
        let what = match app.view_in_use() {
            Some(v) => format!("view: {}", v.name),
            // The query does not parse: the list still holds the last results; say whose.
            None if app.query_error().is_some() => match app.results_query() {
                Some(q) if !q.trim().is_empty() => format!("still the results of {}", q.trim()),
                _ => "still every article".to_string(),
            },
            None => app.query_text().to_string(),
        };
        title.push_str(" · ");
        let room = usize::from(pane.width)
            .saturating_sub(text::width(&title) + text::width(&format!(" · {unread} unread")) + 6);
        title.push_str(&text::truncate(&text::one_line(&what), room));
    }
    title.push_str(&format!(" · {unread} unread"));
    if let Some(block) = pane_block(app, &title, focused, area) {
        block.render(pane, buf);
    }
    let inner = layout::inner(pane, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    if app.visible().is_empty() {
        Paragraph::new(text::truncate(
            strings::NO_ARTICLES,
            usize::from(inner.width),
        ))
        .style(app.theme().dim)
        .render(inner, buf);
        return;
    }
    let w = usize::from(inner.width);
    let two = app.two_line_rows();
    let mut lines: Vec<Line> = Vec::new();
    for (pos, _, _) in app.rows_on_screen() {
        let idx = app.visible()[pos];
        let read = app.is_read(idx);
        let mut row: Vec<Line<'static>> = if two {
            let base = if read {
                app.theme().dim
            } else {
                app.theme().base.add_modifier(Modifier::BOLD)
            };
            let mut out = Vec::new();
            for (k, t) in app.title_lines(idx).into_iter().enumerate() {
                let mut spans: Vec<Span<'static>> = if k == 0 {
                    marks(app, idx).into()
                } else {
                    vec![Span::raw(" ".repeat(MARKS_W))]
                };
                spans.extend(title_spans(app, &t, base));
                out.push(Line::from(spans));
            }
            out.push(meta_line(app, idx, w, read));
            if let Some(note) = app.note_line(idx) {
                out.push(Line::from(vec![
                    Span::raw(" ".repeat(MARKS_W)),
                    Span::styled(
                        text::truncate(&note, w.saturating_sub(MARKS_W)),
                        app.theme().quote,
                    ),
                ]));
            }
            out
        } else {
            vec![one_line_row(app, idx, w, read)]
        };
        if pos == app.selected() {
            row = row
                .into_iter()
                .map(|l| selected_line(app, l, focused, w))
                .collect();
        }
        lines.extend(row);
    }
    lines.truncate(usize::from(inner.height));
    Paragraph::new(lines).render(inner, buf);
}
