//! Counting words and phrases in text, fast enough for large imports: the text is split into
//! tokens once and terms are looked up by their first token.

use crate::text::FxMap;

/// A token: its lowercase form, and the original when that differs.
#[derive(Debug, Clone)]
pub struct Token {
    pub lower: String,
    orig: Option<String>,
}

impl Token {
    /// The token as written.
    pub fn orig(&self) -> &str {
        self.orig.as_deref().unwrap_or(&self.lower)
    }
}

/// Split text into word tokens (letters, digits, inner hyphens, dots and apostrophes),
/// dropping a possessive `'s`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let norm = if text.contains(['’', '‘']) {
        std::borrow::Cow::Owned(text.replace(['’', '‘'], "'"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    for raw in norm
        .split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '.' || c == '&'))
    {
        let t = raw.trim_matches(|c: char| c == '-' || c == '\'' || c == '.' || c == '&');
        let t = t.strip_suffix("'s").unwrap_or(t);
        if t.is_empty() {
            continue;
        }
        // "jd.com" stays one token; "end." lost its dot above; "U.S" keeps inner dots.
        let lower = if t.is_ascii() {
            t.to_ascii_lowercase()
        } else {
            t.to_lowercase()
        };
        let orig = (lower != t).then(|| t.to_string());
        out.push(Token { lower, orig });
    }
    out
}

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
        let words: Vec<String> = toks
            .iter()
            .map(|t| {
                if case_sensitive {
                    t.orig().to_string()
                } else {
                    t.lower.clone()
                }
            })
            .collect();
        let idx = self.terms.len();
        if prefix_last && words.len() == 1 {
            let key: String = words[0].to_lowercase().chars().take(3).collect();
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

    fn term_at(term: &Term, toks: &[Token], i: usize) -> bool {
        if i + term.words.len() > toks.len() {
            return false;
        }
        let n = term.words.len();
        term.words.iter().enumerate().all(|(k, w)| {
            let t = &toks[i + k];
            let have = if term.case_sensitive {
                t.orig()
            } else {
                t.lower.as_str()
            };
            if k == n - 1 && term.prefix_last {
                have.starts_with(w.as_str())
            } else {
                have == w
            }
        })
    }

    /// Hits per term index in the tokens.
    pub fn count(&self, toks: &[Token]) -> FxMap<usize, usize> {
        let mut hits: FxMap<usize, usize> = FxMap::default();
        for i in 0..toks.len() {
            if let Some(cands) = self.by_first.get(&toks[i].lower) {
                for &ti in cands {
                    if Self::term_at(&self.terms[ti], toks, i) {
                        *hits.entry(ti).or_default() += 1;
                    }
                }
            }
            let l = &toks[i].lower;
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

    #[test]
    fn counts_words_phrases_prefixes_and_acronyms() {
        let mut m = Matcher::default();
        m.add("electric vehicle*", 0);
        m.add("crypto", 1);
        m.add("CAC", 2);
        m.add("jd.com", 3);
        let toks = tokenize("Electric vehicles and an electric vehicle. Crypto-mining, crypto! The cac and CAC. JD.com’s sales");
        let h = m.count(&toks);
        assert_eq!(h.get(&0), Some(&2));
        assert_eq!(h.get(&1), Some(&1), "crypto-mining is another word");
        assert_eq!(h.get(&2), Some(&1), "acronyms match in capitals only");
        assert_eq!(h.get(&3), Some(&1));
    }
}
