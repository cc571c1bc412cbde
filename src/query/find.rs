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
}

impl Needle {
    pub fn new(lower: &str, word_start: bool) -> Needle {
        let bytes = lower.as_bytes().to_vec();
        let pivot = (0..bytes.len())
            .min_by_key(|&i| rarity(bytes[i]))
            .unwrap_or(0);
        Needle {
            bytes,
            pivot,
            word_start,
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

    /// Byte offsets of every match.
    pub fn find_iter<'a>(&'a self, hay: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
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
        let hay = b"Tencent and TENCENT and tencent-backed, not xtencent.";
        assert_eq!(n.find_iter(hay).collect::<Vec<_>>(), [0, 12, 24]);
        let p = Needle::new("new york", false);
        assert!(p.is_in(b"the New York Stock Exchange"));
        assert!(!p.is_in(b"the New Yor"));
        let cjk = Needle::new("比亚迪", false);
        assert!(cjk.is_in("今天比亚迪发布".as_bytes()));
        assert_eq!(Needle::new("ab", true).count(b"ab ab ab xab", 2), 2);
    }
}
