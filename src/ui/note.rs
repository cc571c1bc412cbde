//! The note editor: a box over the middle of the screen.

use super::strings;
use crate::app::note::NoteEditor;
use crate::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Borders, Clear, Widget};
use unicode_width::UnicodeWidthChar;

/// Where `line`'s rows start and end (character indexes) when wrapped at `width` columns:
/// at the last space that fits, or inside a word longer than the row.
pub fn wrap_points(line: &str, width: usize) -> Vec<(usize, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let width = width.max(1);
    let mut rows = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut used = 0;
        let mut end = start;
        let mut last_space = None;
        while end < chars.len() {
            let w = chars[end].width().unwrap_or(0);
            if used + w > width && end > start {
                break;
            }
            used += w;
            if chars[end] == ' ' {
                last_space = Some(end);
            }
            end += 1;
        }
        if end < chars.len() {
            if let Some(sp) = last_space.filter(|&sp| sp > start) {
                end = sp + 1;
            }
        }
        rows.push((start, end));
        start = end;
    }
    if rows.is_empty() {
        rows.push((0, 0));
    }
    rows
}

/// The text wrapped into rows, and the cursor's (row, column) among them.
fn wrapped(
    lines: &[String],
    cursor: (usize, usize),
    width: usize,
) -> (Vec<String>, (usize, usize)) {
    let mut out = Vec::new();
    let mut at = (0, 0);
    for (li, line) in lines.iter().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let points = wrap_points(line, width);
        let last = points.len() - 1;
        for (ri, &(a, b)) in points.iter().enumerate() {
            if li == cursor.0 && ((a..b).contains(&cursor.1) || (ri == last && cursor.1 >= b)) {
                let col: usize = chars[a..cursor.1.min(b)]
                    .iter()
                    .map(|c| c.width().unwrap_or(0))
                    .sum();
                at = (out.len(), col);
            }
            out.push(chars[a..b].iter().collect());
        }
    }
    // A cursor after a full row goes to a row of its own under it (not onto the next
    // line's first character).
    if at.1 >= width {
        at = (at.0 + 1, 0);
        out.insert(at.0.min(out.len()), String::new());
    }
    (out, at)
}

pub fn render_note(app: &App, editor: &NoteEditor, area: Rect, buf: &mut Buffer) {
    let ta = editor.textarea();
    let w = area.width.saturating_sub(4).clamp(1, 70);
    let h = area.height.saturating_sub(4).clamp(1, 12);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(w)) / 2,
        y: area.y + (area.height.saturating_sub(h)) / 2,
        width: w.min(area.width),
        height: h.min(area.height),
    };
    if rect.width == 0 || rect.height == 0 {
        return;
    }
    Clear.render(rect, buf);
    let inner = if rect.width >= 6 && rect.height >= 3 {
        let title = app
            .current()
            .map(|a| {
                crate::text::truncate(
                    &crate::text::one_line(&a.title),
                    usize::from(rect.width.saturating_sub(4)),
                )
            })
            .unwrap_or_default();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(app.theme().border_focus)
            .title(format!(
                " {} ",
                if editor.asked() {
                    strings::NOTE_ASKED
                } else {
                    strings::NOTE_TITLE
                }
            ))
            .title_bottom(format!(" {title} "))
            .title_style(app.theme().border_focus);
        let i = block.inner(rect);
        block.render(rect, buf);
        i
    } else {
        rect
    };
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    // Wrapped, not scrolled sideways: every line of the note in sight, the cursor's row
    // kept on screen.
    let width = usize::from(inner.width);
    let (rows, (crow, ccol)) = wrapped(ta.lines(), ta.cursor(), width);
    let height = usize::from(inner.height);
    let top = crow.saturating_sub(height - 1);
    let base = app.theme().base;
    for (i, row) in rows.iter().skip(top).take(height).enumerate() {
        let y = inner.y + i as u16;
        buf.set_stringn(inner.x, y, row, width, base);
    }
    let (cx, cy) = (inner.x + ccol as u16, inner.y + (crow - top) as u16);
    if cx < inner.right() && cy < inner.bottom() {
        let cell = &mut buf[(cx, cy)];
        if cell.symbol().is_empty() {
            cell.set_symbol(" ");
        }
        cell.set_style(Style::default().add_modifier(Modifier::REVERSED));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_break_at_spaces_and_inside_long_words() {
        assert_eq!(wrap_points("one two three", 8), [(0, 8), (8, 13)]);
        assert_eq!(wrap_points("abcdefghij", 4), [(0, 4), (4, 8), (8, 10)]);
        assert_eq!(wrap_points("", 4), [(0, 0)]);
        // Wide characters count two columns.
        assert_eq!(wrap_points("比亚迪汽车", 4), [(0, 2), (2, 4), (4, 5)]);
    }

    #[test]
    fn the_cursor_follows_its_character_into_wrapped_rows() {
        let lines = vec!["one two three".to_string(), "four".to_string()];
        let (rows, at) = wrapped(&lines, (0, 10), 8);
        assert_eq!(rows, ["one two ", "three", "four"]);
        assert_eq!(at, (1, 2));
        assert_eq!(wrapped(&lines, (1, 4), 8).1, (2, 4));
        assert_eq!(wrapped(&lines, (0, 13), 8).1, (1, 5));
    }
}
