//! ASCII-case-insensitive substring search over text that is never lower-cased as a whole:
//! candidates come from a SIMD scan (memchr) for the needle's rarest byte in both cases, then
//! each is checked in place. Bodies are searched as they are stored; no copies.

/// English letter frequency ranks (lower is rarer); anything else is rare.
fn rarity(b: u8) -> u8 {
    const ORDER: &[u8] = b"zqxjkvbpygfwmucldrhsnioate";
    match b.to_ascii_lowercase() {
        c @ b'a'..=b'z' => ORDER.iter().position(|&o| o == c).unwrap_or(0) as u8 + 10,
        b' ' => 60,
        _ => 0,
    }
}

/// A compiled needle (already lower-case).
#[derive(Debug, Clone)]
pub struct Needle {
    bytes: Vec<u8>,
    pivot: usize,
    /// Match only at the start of a word.
    word_start: bool,
    /// A SIMD substring finder for the longest word of the needle without its first letter
    /// (the part that is lower case in lower, Sentence and Title case text), and where that
    /// part sits in the needle. Candidates it finds are checked in full.
    tail: Option<(memchr::memmem::Finder<'static>, usize)>,
}

/// The longest run of ASCII letters and digits in `b`, less its first letter (which may be
/// a capital), if at least three bytes long.
fn tail_of(b: &[u8]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_alphanumeric() {
            let start = i;
            while i < b.len() && b[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let (s, e) = (start + 1, i);
            if e > s && best.is_none_or(|(bs, be)| e - s > be - bs) {
                best = Some((s, e));
            }
        } else {
            i += 1;
        }
    }
    best.filter(|(s, e)| e - s >= 3)
}

impl Needle {
    pub fn new(lower: &str, word_start: bool) -> Needle {
        let bytes = lower.as_bytes().to_vec();
        let pivot = (0..bytes.len())
            .min_by_key(|&i| rarity(bytes[i]))
            .unwrap_or(0);
        let tail = tail_of(&bytes)
            .map(|(s, e)| (memchr::memmem::Finder::new(&bytes[s..e]).into_owned(), s));
        Needle {
            bytes,
            pivot,
            word_start,
            tail,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    fn matches_at(&self, hay: &[u8], start: usize) -> bool {
        let end = start + self.bytes.len();
        if end > hay.len() {
            return false;
        }
        if !hay[start..end].eq_ignore_ascii_case(&self.bytes) {
            return false;
        }
        if self.word_start && start > 0 {
            let prev = hay[start - 1];
            // Inside a word (ASCII letters/digits, or any non-ASCII letter byte): no.
            if prev.is_ascii_alphanumeric() || (prev >= 0x80 && self.bytes[0] < 0x80) {
                return false;
            }
        }
        true
    }

    /// Byte offsets of every match. With a tail finder, matches whose tail is in capitals
    /// (ALL-CAPS words) are not found; lower, Sentence and Title case are.
    pub fn find_iter<'a>(&'a self, hay: &'a [u8]) -> Box<dyn Iterator<Item = usize> + 'a> {
        if let Some((finder, off)) = &self.tail {
            let off = *off;
            return Box::new(
                finder
                    .find_iter(hay)
                    .filter(move |&p| p >= off && self.matches_at(hay, p - off))
                    .map(move |p| p - off),
            );
        }
        Box::new(self.find_iter_pivot(hay))
    }

    fn find_iter_pivot<'a>(&'a self, hay: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
        let p = self.pivot;
        let b = self.bytes.get(p).copied().unwrap_or(0);
        let (lo, up) = (b.to_ascii_lowercase(), b.to_ascii_uppercase());
        let mut pos = p;
        std::iter::from_fn(move || {
            if self.bytes.is_empty() {
                return None;
            }
            while pos < hay.len() {
                let found = if lo == up {
                    memchr::memchr(lo, &hay[pos..])
                } else {
                    memchr::memchr2(lo, up, &hay[pos..])
                };
                let at = pos + found?;
                pos = at + 1;
                if at < p {
                    continue;
                }
                let start = at - p;
                if self.matches_at(hay, start) {
                    return Some(start);
                }
            }
            None
        })
    }

    pub fn is_in(&self, hay: &[u8]) -> bool {
        self.find_iter(hay).next().is_some()
    }

    /// How many matches, counting at most `cap`.
    pub fn count(&self, hay: &[u8], cap: usize) -> usize {
        self.find_iter(hay).take(cap).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_case_insensitively_at_word_starts() {
        let n = Needle::new("tencent", true);
        let hay = b"Tencent and Tencent and tencent-backed, not xtencent.";
        assert_eq!(n.find_iter(hay).collect::<Vec<_>>(), [0, 12, 24]);
        let short = Needle::new("ab", true);
        assert_eq!(short.find_iter(b"AB ab xab").collect::<Vec<_>>(), [0, 3]);
        let p = Needle::new("digital yuan pilot", false);
        assert!(p.is_in(b"the Digital Yuan Pilot began"));
        let p = Needle::new("new york", false);
        assert!(p.is_in(b"the New York Stock Exchange"));
        assert!(!p.is_in(b"the New Yor"));
        let cjk = Needle::new("比亚迪", false);
        assert!(cjk.is_in("今天比亚迪发布".as_bytes()));
        assert_eq!(Needle::new("ab", true).count(b"ab ab ab xab", 2), 2);
    }
}
