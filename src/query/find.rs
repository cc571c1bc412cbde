//! ASCII-case-insensitive substring search over text that is never lower-cased as a whole.
//! The main path: a packed SIMD searcher (Teddy, from aho-corasick) looks for every
//! upper/lower-case spelling of the needle's rarest window of three or four ASCII letters or
//! digits, and each candidate is checked in place. A needle without such a window (short,
//! or not ASCII) falls back to a memchr scan for its rarest byte in both cases. Bodies are
//! searched as they are stored; no copies.

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
    /// A SIMD multi-pattern searcher (Teddy, from aho-corasick) for every upper/lower-case
    /// spelling of the needle's rarest window of up to four ASCII letters or digits, and where
    /// that window sits in the needle. It finds `WeChat`, WECHAT and wechat alike; candidates
    /// are checked in full.
    window: Option<(aho_corasick::packed::Searcher, usize)>,
}

/// The rarest window of ASCII letters and digits in `b` (four bytes, or three when no run is
/// longer): (start, length).
fn window_of(b: &[u8]) -> Option<(usize, usize)> {
    let run_ok = |s: usize, n: usize| b[s..s + n].iter().all(u8::is_ascii_alphanumeric);
    for n in [4, 3] {
        if b.len() < n {
            continue;
        }
        let best = (0..=b.len() - n)
            .filter(|&s| run_ok(s, n))
            .min_by_key(|&s| {
                b[s..s + n]
                    .iter()
                    .map(|&c| u32::from(rarity(c)))
                    .sum::<u32>()
            });
        if let Some(s) = best {
            return Some((s, n));
        }
    }
    None
}

/// Every upper/lower-case spelling of `w` (at most 16 for four letters).
fn case_variants(w: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = vec![Vec::new()];
    for &c in w {
        let (lo, up) = (c.to_ascii_lowercase(), c.to_ascii_uppercase());
        out = out
            .into_iter()
            .flat_map(|v| {
                let mut a = v.clone();
                a.push(lo);
                if lo == up {
                    vec![a]
                } else {
                    let mut b = v;
                    b.push(up);
                    vec![a, b]
                }
            })
            .collect();
    }
    out
}

impl Needle {
    pub fn new(lower: &str, word_start: bool) -> Needle {
        let bytes = lower.as_bytes().to_vec();
        let pivot = (0..bytes.len())
            .min_by_key(|&i| rarity(bytes[i]))
            .unwrap_or(0);
        let window = window_of(&bytes).and_then(|(s, n)| {
            aho_corasick::packed::Searcher::new(case_variants(&bytes[s..s + n])).map(|f| (f, s))
        });
        Needle {
            bytes,
            pivot,
            word_start,
            window,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// What it looks for (lower case).
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap_or("")
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

    /// Byte offsets of every match, in any ASCII case.
    pub fn find_iter<'a>(&'a self, hay: &'a [u8]) -> Box<dyn Iterator<Item = usize> + 'a> {
        if let Some((finder, off)) = &self.window {
            let off = *off;
            let mut pos = 0;
            return Box::new(std::iter::from_fn(move || {
                while pos < hay.len() {
                    let m = finder.find_in(hay, aho_corasick::Span::from(pos..hay.len()))?;
                    // Overlapping windows are all looked at.
                    pos = m.start() + 1;
                    if m.start() >= off && self.matches_at(hay, m.start() - off) {
                        return Some(m.start() - off);
                    }
                }
                None
            }));
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

    #[test]
    fn any_mix_of_cases_is_found() {
        let n = Needle::new("wechat", true);
        let hay = b"WeChat, WECHAT, wechat, weChat and Wechat; not aWeChat.";
        assert_eq!(n.count(hay, 20), 5);
        assert!(Needle::new("bytedance", true).is_in(b"ByteDance said"));
        assert!(Needle::new("tiktok", true).is_in(b"on TikTok"));
        assert!(Needle::new("wechat pay", false).is_in(b"via WeChat Pay"));
        // Overlapping windows: "nana" at 2 and 4 in "bananana".
        assert_eq!(Needle::new("nana", false).count(b"bananana", 20), 2);
        assert_eq!(
            Needle::new("anan", false)
                .find_iter(b"ananan")
                .collect::<Vec<_>>(),
            [0, 2]
        );
    }
}
