//! Near matches: typos within a budget (optimal string alignment distance, from strsim),
//! and letters typed close together in order (a compact subsequence).

use fuzzy_matcher::skim::SkimMatcherV2;
use fuzzy_matcher::FuzzyMatcher;

/// Optimal string alignment distance (edits and adjacent swaps) between two words, in
/// characters; anything over `max` is `max + 1`.
pub fn typo_distance(a: &str, b: &str, max: usize) -> usize {
    strsim::osa_distance(a, b).min(max + 1)
}

/// Whether title word `t` is within `budget` typos of query word `w`, with cheap guards
/// first (similar length, the first or second letter in place).
pub fn within_typos(t: &str, w: &str, budget: usize) -> bool {
    if t.is_ascii() && w.is_ascii() {
        let (tb, wb) = (t.as_bytes(), w.as_bytes());
        if tb.is_empty()
            || wb.is_empty()
            || tb.len().abs_diff(wb.len()) > budget
            || (tb[0] != wb[0] && tb.get(1) != wb.get(1))
        {
            return false;
        }
    } else {
        let (mut tc, mut wc) = (t.chars(), w.chars());
        let (t0, w0) = (tc.next(), wc.next());
        if t0.is_none() || w0.is_none() || (t0 != w0 && tc.next() != wc.next()) {
            return false;
        }
        if t.chars().count().abs_diff(w.chars().count()) > budget {
            return false;
        }
    }
    typo_distance(t, w, budget) <= budget
}

/// Typos allowed for a word of this length.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The shortest stretch of `hay` holding `needle`'s bytes in order, if short enough to mean
/// the word was typed there (a scattered subsequence in a long text says nothing).
pub fn compact_span(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let n = needle.len();
    if n == 0 || hay.len() < n {
        return None;
    }
    let limit = n + n / 2 + 1;
    let mut best: Option<usize> = None;
    let first = needle[0];
    let mut start = 0;
    while let Some(off) = memchr::memchr(first, &hay[start..]) {
        let i = start + off;
        let mut k = 1;
        let mut j = i + 1;
        while k < n && j < hay.len() && j - i < limit {
            if hay[j] == needle[k] {
                k += 1;
            }
            j += 1;
        }
        if k == n {
            let span = j - i;
            if best.is_none_or(|b| span < b) {
                best = Some(span);
                if span == n {
                    break;
                }
            }
        }
        start = i + 1;
    }
    best
}

/// Fuzzy match of `w` in `field` with a compact span, scored by fuzzy-matcher's skim
/// algorithm, with the matched character positions (for highlighting).
pub fn compact_fuzzy(m: &SkimMatcherV2, field: &str, w: &str) -> Option<(i64, Vec<usize>)> {
    if w.len() < 2 {
        return None;
    }
    compact_span(field.as_bytes(), w.as_bytes())?;
    let (score, idx) = m.fuzzy_indices(field, w)?;
    Some((score, idx))
}
