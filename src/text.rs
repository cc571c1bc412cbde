//! Text safety and layout shared by the CLI and the TUI: removing terminal control
//! sequences, measuring by display width, truncating and wrapping.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Whether a character is invisible formatting that could reorder or hide text
/// (bidirectional overrides and isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Remove escape sequences (CSI, OSC, DCS and two-byte ESC forms) and control characters.
/// Newlines are kept when `keep_newlines`, otherwise they become spaces; tabs become spaces;
/// carriage returns are dropped. The result is safe to print to a terminal.
pub fn sanitize(s: &str, keep_newlines: bool) -> String {
    if !s
        .chars()
        .any(|c| c.is_control() || is_bidi_control(c) || c == '\u{FEFF}')
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek().copied() {
                // CSI: ESC [ params intermediates final(0x40..=0x7E)
                Some('[') => {
                    chars.next();
                    for n in chars.by_ref() {
                        if ('\u{40}'..='\u{7e}').contains(&n) {
                            break;
                        }
                    }
                }
                // OSC, DCS, SOS, PM, APC: up to BEL or ST (ESC \)
                Some(']' | 'P' | 'X' | '^' | '_') => {
                    chars.next();
                    while let Some(n) = chars.next() {
                        if n == '\u{7}' || n == '\u{9c}' {
                            break;
                        }
                        if n == '\u{1b}' {
                            if chars.peek() == Some(&'\\') {
                                chars.next();
                            }
                            break;
                        }
                    }
                }
                Some(_) => {
                    chars.next();
                }
                None => {}
            },
            // C1 CSI and OSC introducers
            '\u{9b}' => {
                for n in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&n) {
                        break;
                    }
                }
            }
            '\u{9d}' | '\u{90}' => {
                for n in chars.by_ref() {
                    if n == '\u{7}' || n == '\u{9c}' {
                        break;
                    }
                }
            }
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\t' => out.push(' '),
            '\r' => {}
            c if c.is_control() || is_bidi_control(c) || c == '\u{FEFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A one-line version of `s`: sanitised, whitespace runs collapsed to single spaces.
pub fn one_line(s: &str) -> String {
    let clean = sanitize(s, false);
    clean.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Display width in terminal columns.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn char_width(c: char) -> usize {
    UnicodeWidthChar::width(c).unwrap_or(0)
}

/// Cut `s` to at most `max` columns, ending with `…` when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Cut `s` to at most `max` columns at a word boundary, ending with `…` when something was
/// cut (between characters only when even the first word does not fit).
pub fn truncate_words(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for w in s.split_whitespace() {
        let next = if out.is_empty() {
            width(w)
        } else {
            width(&out) + 1 + width(w)
        };
        if next + 1 > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    if out.is_empty() {
        return truncate(s, max);
    }
    let out = out.trim_end_matches([',', ';', ':', '-', '—', '–', ' ']);
    format!("{out}…")
}

/// Pad `s` with spaces to exactly `w` columns (truncating with `…` if wider).
pub fn pad(s: &str, w: usize) -> String {
    let t = truncate(s, w);
    let tw = width(&t);
    let mut out = t;
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(tw)));
    out
}

/// Greedy word wrap of one paragraph to `max` columns. Words wider than a line are broken
/// between characters, so no line is ever wider than `max` (wide characters included).
pub fn wrap(paragraph: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut lw = 0;
    for word in paragraph.split_whitespace() {
        let ww = width(word);
        if lw > 0 && lw + 1 + ww <= max {
            line.push(' ');
            line.push_str(word);
            lw += 1 + ww;
            continue;
        }
        if lw > 0 {
            lines.push(std::mem::take(&mut line));
            lw = 0;
        }
        if ww <= max {
            line.push_str(word);
            lw = ww;
            continue;
        }
        for c in word.chars() {
            let cw = char_width(c);
            if lw + cw > max && lw > 0 {
                lines.push(std::mem::take(&mut line));
                lw = 0;
            }
            if cw > max {
                // A wide character on a one-column line: show a placeholder instead.
                line.push('?');
                lw += 1;
                continue;
            }
            line.push(c);
            lw += cw;
        }
    }
    if lw > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A link's host in lower case, without `www.` (empty when it has none).
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    let host = host.to_ascii_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_escape_sequences_and_controls() {
        let evil = "a\u{1b}[2Jb\u{1b}[31mred\u{1b}[0m\u{7}c\u{1b}]0;pwned\u{7}d\u{1b}]2;x\u{1b}\\e\r\nf\u{9b}31mg\u{202E}h";
        assert_eq!(sanitize(evil, true), "abredcde\nfgh");
        assert_eq!(sanitize(evil, false), "abredcde fgh");
        assert_eq!(sanitize("plain", false), "plain");
        assert_eq!(sanitize("tail\u{1b}", false), "tail");
        assert_eq!(one_line("  a\n\tb  "), "a b");
    }

    #[test]
    fn measures_and_truncates_wide_text() {
        assert_eq!(width("中文"), 4);
        assert_eq!(truncate("中文标题很长", 5), "中文…");
        assert_eq!(width(&truncate("中文标题很长", 5)), 5);
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(truncate("abcd", 3), "ab…");
        assert_eq!(truncate("abcd", 0), "");
        assert_eq!(pad("中", 4), "中  ");
    }

    #[test]
    fn wraps_within_width() {
        let p = "The quick brown fox jumps over the lazy dog 中文标题很长很长很长 🎉🎉🎉";
        for w in 1..30 {
            for l in wrap(p, w) {
                assert!(width(&l) <= w, "{l:?} wider than {w}");
            }
        }
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("", 5), [""]);
    }
}

/// A fast hasher for short keys built from our own text (`FxHash`'s multiply-rotate): for
/// maps that never see keys chosen by an adversary to collide.
#[derive(Default, Clone, Copy)]
pub struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A hash map with the `Fx` hasher.
pub type FxMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// A count with thousands separated by commas: `1,000,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
