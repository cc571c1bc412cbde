//! Counting words and phrases in text, fast enough for large imports: the text is split into
//! tokens once and terms are looked up by their first token.

use crate::text::FxMap;

/// Text split into tokens: each token's lowercase form and its form as written, kept in two
/// buffers (one allocation each, however many tokens).
#[derive(Debug, Clone, Default)]
pub struct Tokens {
    lower: String,
    orig: String,
    /// Per token: (start, end) in `lower`, (start, end) in `orig`.
    spans: Vec<[u32; 4]>,
}

impl Tokens {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Token `i` in lower case.
    pub fn lower(&self, i: usize) -> &str {
        let [a, b, _, _] = self.spans[i];
        &self.lower[a as usize..b as usize]
    }

    /// Token `i` as written.
    pub fn orig(&self, i: usize) -> &str {
        let [_, _, a, b] = self.spans[i];
        &self.orig[a as usize..b as usize]
    }
}

/// Split text into word tokens (letters, digits, inner hyphens, dots and apostrophes),
/// dropping a possessive `'s`.
pub fn tokenize(text: &str) -> Tokens {
    // Curly apostrophes (’ and ‘ both start with the bytes E2 80) as straight ones.
    let curly = text.as_bytes().contains(&0xE2) && text.contains(['’', '‘']);
    let orig = if curly {
        text.replace(['’', '‘'], "'")
    } else {
        text.to_string()
    };
    let mut lower = String::with_capacity(orig.len());
    let mut spans = Vec::with_capacity(orig.len() / 5);
    let b = orig.as_bytes();
    let inner = |c: u8| matches!(c, b'-' | b'\'' | b'.' | b'&');
    // The character at `i` and its length, when it belongs in a token.
    let token_char = |i: usize| -> Option<usize> {
        let c = b[i];
        if c < 0x80 {
            return ASCII_TOKEN[c as usize].then_some(1);
        }
        let ch = orig[i..].chars().next()?;
        ch.is_alphanumeric().then_some(ch.len_utf8())
    };
    let mut i = 0;
    while i < b.len() {
        // Plain ASCII between words, skipped a byte at a time.
        if b[i] < 0x80 && !ASCII_TOKEN[b[i] as usize] {
            i += 1;
            continue;
        }
        let Some(n) = token_char(i) else {
            i += orig[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let start = i;
        i += n;
        while i < b.len() {
            if b[i] < 0x80 {
                if ASCII_TOKEN[b[i] as usize] {
                    i += 1;
                    continue;
                }
                break;
            }
            match token_char(i) {
                Some(n) => i += n,
                None => break,
            }
        }
        let (mut s, mut e) = (start, i);
        while s < e && inner(b[s]) {
            s += 1;
        }
        while e > s && inner(b[e - 1]) {
            e -= 1;
        }
        // "jd.com" stays one token; "end." lost its dot above; "U.S" keeps inner dots.
        if orig[s..e].ends_with("'s") {
            e -= 2;
        }
        if s == e {
            continue;
        }
        let t = &orig[s..e];
        let ls = lower.len();
        if t.is_ascii() {
            lower.push_str(t);
            lower[ls..].make_ascii_lowercase();
        } else {
            for c in t.chars() {
                lower.extend(c.to_lowercase());
            }
        }
        let u = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        spans.push([u(ls), u(lower.len()), u(s), u(e)]);
    }
    Tokens { lower, orig, spans }
}

/// ASCII bytes that belong in a token: letters, digits and the inner `-'.&`.
const ASCII_TOKEN: [bool; 128] = {
    let mut t = [false; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'\'' | b'.' | b'&');
        c += 1;
    }
    t
};

#[derive(Debug, Clone)]
struct Term {
    words: Vec<String>,
    prefix_last: bool,
    case_sensitive: bool,
    payload: usize,
}

/// A set of terms, each with a payload (which sector, tag or entity it counts for).
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    terms: Vec<Term>,
    by_first: FxMap<String, Vec<usize>>,
    by_prefix3: FxMap<String, Vec<usize>>,
    /// The first two bytes (lower case) any term can start with, as bits: most tokens of a
    /// text start no term and are passed over without a lookup.
    starts: Vec<u64>,
}

/// The bit of `starts` for a word's first two bytes (a one-byte word: its byte and 0).
fn start_bit(w: &[u8]) -> usize {
    (usize::from(w.first().copied().unwrap_or(0)) << 8)
        | usize::from(w.get(1).copied().unwrap_or(0))
}

impl Matcher {
    /// Add a term. A trailing `*` matches any ending of the last word; a term written all in
    /// capitals (an acronym such as `CAC`) matches only in capitals.
    pub fn add(&mut self, term: &str, payload: usize) {
        let prefix_last = term.ends_with('*');
        let body = term.trim_end_matches('*');
        let case_sensitive = body.chars().any(char::is_alphabetic)
            && body
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
            && body.chars().filter(|c| c.is_alphabetic()).count() >= 2;
        let toks = tokenize(body);
        if toks.is_empty() {
            return;
        }
        let words: Vec<String> = (0..toks.len())
            .map(|i| {
                if case_sensitive {
                    toks.orig(i).to_string()
                } else {
                    toks.lower(i).to_string()
                }
            })
            .collect();
        let idx = self.terms.len();
        if self.starts.is_empty() {
            self.starts = vec![0; 65536 / 64];
        }
        let first = words[0].to_lowercase();
        let mut mark = |bit: usize| self.starts[bit / 64] |= 1 << (bit % 64);
        if first.len() >= 2 {
            mark(start_bit(first.as_bytes()));
        } else {
            // A one-byte prefix starts tokens with any second byte (and one-byte tokens).
            let b0 = usize::from(first.as_bytes().first().copied().unwrap_or(0)) << 8;
            for b1 in 0..256 {
                mark(b0 | b1);
            }
        }
        if prefix_last && words.len() == 1 {
            let key: String = first.chars().take(3).collect();
            self.by_prefix3.entry(key).or_default().push(idx);
        } else {
            self.by_first
                .entry(words[0].to_lowercase())
                .or_default()
                .push(idx);
        }
        self.terms.push(Term {
            words,
            prefix_last,
            case_sensitive,
            payload,
        });
    }

    fn term_at(term: &Term, toks: &Tokens, i: usize) -> bool {
        if i + term.words.len() > toks.len() {
            return false;
        }
        let n = term.words.len();
        term.words.iter().enumerate().all(|(k, w)| {
            let have = if term.case_sensitive {
                toks.orig(i + k)
            } else {
                toks.lower(i + k)
            };
            if k == n - 1 && term.prefix_last {
                have.starts_with(w.as_str())
            } else {
                have == w
            }
        })
    }

    /// Hits per term index in the tokens.
    pub fn count(&self, toks: &Tokens) -> FxMap<usize, usize> {
        let mut hits: FxMap<usize, usize> = FxMap::default();
        for i in 0..toks.len() {
            let l = toks.lower(i);
            let bit = start_bit(l.as_bytes());
            if self
                .starts
                .get(bit / 64)
                .is_none_or(|w| w & (1 << (bit % 64)) == 0)
            {
                continue;
            }
            if let Some(cands) = self.by_first.get(l) {
                for &ti in cands {
                    if Self::term_at(&self.terms[ti], toks, i) {
                        *hits.entry(ti).or_default() += 1;
                    }
                }
            }
            let p3 = &l[..l.char_indices().nth(3).map_or(l.len(), |(at, _)| at)];
            if let Some(cands) = self.by_prefix3.get(p3) {
                for &ti in cands {
                    if Self::term_at(&self.terms[ti], toks, i) {
                        *hits.entry(ti).or_default() += 1;
                    }
                }
            }
        }
        hits
    }

    pub fn payload(&self, term: usize) -> usize {
        self.terms[term].payload
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokenizer as first written (a character at a time), which the fast one must
    /// match exactly.
    fn reference_tokenize(text: &str) -> Tokens {
        let orig = if text.contains(['’', '‘']) {
            text.replace(['’', '‘'], "'")
        } else {
            text.to_string()
        };
        let mut lower = String::with_capacity(orig.len());
        let mut spans = Vec::new();
        let b = orig.as_bytes();
        let inner = |c: u8| matches!(c, b'-' | b'\'' | b'.' | b'&');
        // The character at `i` and its length, when it belongs in a token.
        let token_char = |i: usize| -> Option<usize> {
            let c = b[i];
            if c < 0x80 {
                return (c.is_ascii_alphanumeric() || inner(c)).then_some(1);
            }
            let ch = orig[i..].chars().next()?;
            ch.is_alphanumeric().then_some(ch.len_utf8())
        };
        let mut i = 0;
        while i < b.len() {
            let Some(n) = token_char(i) else {
                i += if b[i] < 0x80 {
                    1
                } else {
                    orig[i..].chars().next().map_or(1, char::len_utf8)
                };
                continue;
            };
            let start = i;
            i += n;
            while i < b.len() {
                match token_char(i) {
                    Some(n) => i += n,
                    None => break,
                }
            }
            let (mut s, mut e) = (start, i);
            while s < e && inner(b[s]) {
                s += 1;
            }
            while e > s && inner(b[e - 1]) {
                e -= 1;
            }
            // "jd.com" stays one token; "end." lost its dot above; "U.S" keeps inner dots.
            if orig[s..e].ends_with("'s") {
                e -= 2;
            }
            if s == e {
                continue;
            }
            let t = &orig[s..e];
            let ls = lower.len();
            if t.is_ascii() {
                lower.extend(t.bytes().map(|c| char::from(c.to_ascii_lowercase())));
            } else {
                for c in t.chars() {
                    lower.extend(c.to_lowercase());
                }
            }
            let u = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
            spans.push([u(ls), u(lower.len()), u(s), u(e)]);
        }
        Tokens { lower, orig, spans }
    }

    #[test]
    fn the_fast_tokenizer_splits_as_the_plain_one() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut texts: Vec<String> = vec![
            "JD.com’s sales rose; U.S. rules—and ‘quotes’ end.".into(),
            "Électrique: 比亚迪汽车 sales & co-op's 5G... -x- 'a' &".into(),
            "a".into(),
            String::new(),
            "ÀÉÎ ÕÜ straße İstanbul ǅ".into(),
        ];
        for f in ["assets/corpus.json", "assets/taxonomy.json"] {
            texts.push(std::fs::read_to_string(format!("{root}/{f}")).expect("asset"));
        }
        for t in &texts {
            let (a, b) = (tokenize(t), reference_tokenize(t));
            assert_eq!(a.lower, b.lower);
            assert_eq!(a.orig, b.orig);
            assert_eq!(a.spans, b.spans);
        }
    }

    #[test]
    fn counts_words_phrases_prefixes_and_acronyms() {
        let mut m = Matcher::default();
        m.add("electric vehicle*", 0);
        m.add("crypto", 1);
        m.add("CAC", 2);
        m.add("jd.com", 3);
        m.add("é", 4);
        let toks = tokenize("Electric vehicles and an electric vehicle. Crypto-mining, crypto! The cac and CAC. JD.com’s sales; and É.");
        let h = m.count(&toks);
        assert_eq!(h.get(&0), Some(&2));
        assert_eq!(h.get(&1), Some(&1), "crypto-mining is another word");
        assert_eq!(h.get(&2), Some(&1), "acronyms match in capitals only");
        assert_eq!(h.get(&3), Some(&1));
        assert_eq!(h.get(&4), Some(&1), "a one-letter word");
    }
}
