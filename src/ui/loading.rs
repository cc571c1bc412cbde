//! The screen shown while a large corpus loads: what is loading, how far it is, how to stop.

use super::strings;
use crate::text;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Widget};

/// What the loading screen shows; the runtime fills it in.
#[derive(Debug, Clone)]
pub struct Loading {
    /// The corpus file's name.
    pub name: String,
    /// Bytes read so far and the file's size (0 when unknown).
    pub read: u64,
    pub total: u64,
    /// Reading done; building the search index.
    pub indexing: bool,
    pub elapsed_ms: u128,
    pub theme: crate::theme::Theme,
}

fn mb(b: u64) -> String {
    format!("{:.0} MB", b as f64 / 1_048_576.0)
}

impl Widget for &Loading {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.theme;
        buf.set_style(area, theme.base);
        if area.width < 4 || area.height == 0 {
            return;
        }
        let width = area.width.saturating_sub(4).min(60);
        let x = area.x + (area.width - width) / 2;
        let top = area.y + area.height.saturating_sub(4) / 2;
        let head = if self.indexing {
            format!("{} {}", strings::INDEXING, self.name)
        } else {
            format!("{} {}", strings::LOADING, self.name)
        };
        let head = text::truncate(&text::sanitize(&head, false), width as usize);
        buf.set_line(x, top, &Line::from(Span::styled(head, theme.title)), width);
        if area.height >= 2 {
            let ratio = if self.indexing {
                1.0
            } else if self.total > 0 {
                (self.read as f64 / self.total as f64).clamp(0.0, 1.0)
            } else {
                0.0
            };
            let label = if self.total > 0 {
                format!("{} of {}", mb(self.read.min(self.total)), mb(self.total))
            } else {
                format!("{:.1} s", self.elapsed_ms as f64 / 1000.0)
            };
            Gauge::default()
                .gauge_style(theme.selected)
                .style(theme.dim)
                .ratio(ratio)
                .label(Span::styled(label, Style::default()))
                .render(Rect::new(x, top + 1, width, 1), buf);
        }
        if area.height >= 4 {
            let hint = text::truncate(strings::LOADING_HINT, width as usize);
            buf.set_line(
                x,
                top + 3,
                &Line::from(Span::styled(hint, theme.dim)),
                width,
            );
        }
    }
}
