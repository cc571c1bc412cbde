//! Where a query matched, for drawing: characters of a title, byte ranges of a line.

use super::find::Needle;
use super::parse::{Query, Term};
use super::typos::compact_fuzzy;
use fuzzy_matcher::skim::SkimMatcherV2;

/// Character positions in `title` to highlight for the query's words and phrases.
pub fn title_highlights(title: &str, q: &Query) -> Vec<usize> {
    let lower = title.to_lowercase();
    let chars: Vec<char> = lower.chars().collect();
    let mut marks = vec![false; chars.len()];
    let m = SkimMatcherV2::default().ignore_case();
    for w in q.highlights() {
        let wl: Vec<char> = w.chars().collect();
        let mut found = false;
        // Whole words and word prefixes, and phrases anywhere.
        let mut i = 0;
        while i + wl.len() <= chars.len() && !wl.is_empty() {
            let at_word = i == 0 || !chars[i - 1].is_alphanumeric() || w.contains(' ');
            if at_word && chars[i..i + wl.len()] == wl[..] {
                marks[i..i + wl.len()].iter_mut().for_each(|m| *m = true);
                found = true;
                i += wl.len();
            } else {
                i += 1;
            }
        }
        if !found {
            if let Some((_, idx)) = compact_fuzzy(&m, &lower, &w) {
                for k in idx {
                    if k < marks.len() {
                        marks[k] = true;
                    }
                }
            }
        }
    }
    marks
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| b.then_some(i))
        .collect()
}

/// Byte ranges in `text` where the query's words (at word starts) and phrases occur.
pub fn text_matches(text: &str, q: &Query) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for term in q.positive_terms() {
        let (needle, len) = match term {
            Term::Word(w) if w.chars().count() >= 2 => (Needle::new(w, true), w.len()),
            Term::Phrase(p) => (Needle::new(p, false), p.len()),
            _ => continue,
        };
        for s in needle.find_iter(text.as_bytes()) {
            // Extend a word match to the end of the word.
            let mut e = s + len;
            if matches!(term, Term::Word(_)) {
                while e < text.len() && text.is_char_boundary(e) {
                    let ch = text[e..].chars().next().unwrap_or(' ');
                    if !ch.is_alphanumeric() {
                        break;
                    }
                    e += ch.len_utf8();
                }
            }
            if text.is_char_boundary(s) && text.is_char_boundary(e.min(text.len())) {
                out.push((s, e.min(text.len())));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}
