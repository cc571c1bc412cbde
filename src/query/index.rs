//! The index of the short fields, built once per corpus: lower-case titles and their words
//! by number, tags, entities, sectors and sources interned, dates, and the newest-first
//! order.

use crate::corpus::Article;

/// Lower-case copies of the short fields (never of bodies), built once per corpus. Tags,
/// entities, sectors and sources are interned: a query matches each distinct name once and
/// articles are checked by number.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub title: Vec<String>,
    /// The distinct lower-case words of all titles. A query word is scored against each
    /// distinct word once; an article's title score is then a few table lookups.
    pub word_names: Vec<String>,
    /// Each title's words by number: those of article `i` are
    /// `title_words[title_word_at[i]..title_word_at[i + 1]]`.
    pub title_words: Vec<u32>,
    pub title_word_at: Vec<u32>,
    pub tag_names: Vec<String>,
    pub tags: Vec<Vec<u32>>,
    pub entity_names: Vec<String>,
    pub entities: Vec<Vec<u32>>,
    pub sector_names: Vec<String>,
    /// `u32::MAX` for none.
    pub sector: Vec<u32>,
    pub source_names: Vec<String>,
    /// Authors, in lower case, and each article's (`NONE` for none).
    pub author_names: Vec<String>,
    pub author: Vec<u32>,
    /// Feeds, each as "title\u{1}host" in lower case.
    pub feed_names: Vec<String>,
    /// `NONE` for an article that came from no feed.
    pub feed: Vec<u32>,
    pub source: Vec<u32>,
    /// (year, month or 0) of each dated article, for facet counts.
    pub dates: Vec<Option<(i32, u8)>>,
    /// Names as first written (for facets), by the same numbers.
    pub tag_display: Vec<String>,
    pub sector_display: Vec<String>,
    pub source_display: Vec<String>,
    /// Position of each article in newest-first order (0 = newest).
    pub rank: Vec<u32>,
    /// Articles in newest-first order.
    pub newest: Vec<u32>,
}

pub const NONE: u32 = u32::MAX;

use crate::text::FxMap;

/// Numbers for names, the same for names that differ only in case.
#[derive(Default)]
struct Interner {
    names: Vec<String>,
    display: Vec<String>,
    exact: FxMap<String, u32>,
    lower: FxMap<String, u32>,
}

impl Interner {
    /// Carry on numbering after `names` (lower case) shown as `display` (which may be
    /// empty, for names kept only in lower case).
    fn resume(names: Vec<String>, display: Vec<String>) -> Interner {
        let lower = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        Interner {
            names,
            display,
            exact: FxMap::default(),
            lower,
        }
    }

    fn id(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.exact.get(s) {
            return i;
        }
        let l = s.to_lowercase();
        let i = if let Some(&i) = self.lower.get(&l) {
            i
        } else {
            let i = self.names.len() as u32;
            self.names.push(l.clone());
            self.display.push(s.to_string());
            self.lower.insert(l, i);
            i
        };
        self.exact.insert(s.to_string(), i);
        i
    }
}

pub(super) fn words_of(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

impl Index {
    pub fn build(articles: &[Article]) -> Index {
        // Two halves on two threads: the titles on this one; the date order and the
        // interned names on the other.
        std::thread::scope(|sc| {
            let other = sc.spawn(|| {
                let mut ix = Index::default();
                ix.add_names(articles);
                ix.add_to_order(articles, 0);
                ix
            });
            let mut t = Index::default();
            t.add_titles(articles);
            match other.join() {
                Ok(ix) => Index {
                    title: t.title,
                    word_names: t.word_names,
                    title_words: t.title_words,
                    title_word_at: t.title_word_at,
                    ..ix
                },
                Err(p) => std::panic::resume_unwind(p),
            }
        })
    }

    /// Take in `articles[from..]`, articles added after those this index was built from
    /// (which keep their numbers): the same index as building it from all of them, without
    /// a second copy of what is here.
    pub fn append(&mut self, articles: &[Article], from: usize) {
        let new = articles.get(from..).unwrap_or_default();
        if new.is_empty() {
            return;
        }
        self.add_titles(new);
        self.add_names(new);
        self.add_to_order(articles, from);
    }

    /// Lower-case titles, their distinct words, and each title's words by number, for
    /// `new` articles after those here (the words already numbered keep their numbers).
    fn add_titles(&mut self, new: &[Article]) {
        let mut words: FxMap<String, u32> = self
            .word_names
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        self.title.reserve(new.len());
        self.title_words.reserve(new.len() * 10);
        self.title_word_at.reserve(new.len() + 1);
        // The end of the last title's words is written again after the new ones.
        self.title_word_at.pop();
        for a in new {
            let t = a.title.to_lowercase();
            self.title_word_at.push(self.title_words.len() as u32);
            for w in words_of(&t) {
                let id = if let Some(&id) = words.get(w) {
                    id
                } else {
                    let id = self.word_names.len() as u32;
                    self.word_names.push(w.to_string());
                    words.insert(w.to_string(), id);
                    id
                };
                self.title_words.push(id);
            }
            self.title.push(t);
        }
        self.title_word_at.push(self.title_words.len() as u32);
    }

    /// Tags, entities, sectors, sources, authors and feeds interned (a name first seen
    /// now numbered after those here), and the dates, for `new` articles after those here.
    fn add_names(&mut self, new: &[Article]) {
        use std::mem::take;
        let mut tags = Interner::resume(take(&mut self.tag_names), take(&mut self.tag_display));
        let mut ents = Interner::resume(take(&mut self.entity_names), Vec::new());
        let mut secs =
            Interner::resume(take(&mut self.sector_names), take(&mut self.sector_display));
        let mut srcs =
            Interner::resume(take(&mut self.source_names), take(&mut self.source_display));
        let mut authors = Interner::resume(take(&mut self.author_names), Vec::new());
        let mut feeds = Interner::resume(take(&mut self.feed_names), Vec::new());
        for v in [
            &mut self.sector,
            &mut self.source,
            &mut self.author,
            &mut self.feed,
        ] {
            v.reserve(new.len());
        }
        self.tags.reserve(new.len());
        self.entities.reserve(new.len());
        self.dates.reserve(new.len());
        for a in new {
            self.tags.push(a.tags.iter().map(|t| tags.id(t)).collect());
            self.entities
                .push(a.entities.iter().map(|t| ents.id(t)).collect());
            self.sector
                .push(a.sector.as_deref().map_or(NONE, |s| secs.id(s)));
            self.source
                .push(a.source.as_deref().map_or(NONE, |s| srcs.id(s)));
            self.author
                .push(a.author.as_deref().map_or(NONE, |s| authors.id(s)));
            self.feed.push(if a.feed.is_some() || a.feed_url.is_some() {
                let host = a
                    .feed_url
                    .as_deref()
                    .map(crate::text::host_of)
                    .unwrap_or_default();
                feeds.id(&format!("{}\u{1}{host}", a.feed.as_deref().unwrap_or("")))
            } else {
                NONE
            });
            self.dates
                .push(a.date.map(|d| (d.get_year(), d.get_month().unwrap_or(0))));
        }
        (self.tag_names, self.tag_display) = (tags.names, tags.display);
        self.entity_names = ents.names;
        (self.sector_names, self.sector_display) = (secs.names, secs.display);
        (self.source_names, self.source_display) = (srcs.names, srcs.display);
        self.author_names = authors.names;
        self.feed_names = feeds.names;
    }

    /// The newest-first order with `articles[from..]` in it: those sorted, then merged
    /// with the order here (on a tie the older number first, as one stable sort of all of
    /// them puts it), and each article's place in it.
    fn add_to_order(&mut self, articles: &[Article], from: usize) {
        let cmp = |a: &u32, b: &u32| {
            crate::corpus::compare_newest_first(&articles[*a as usize], &articles[*b as usize])
        };
        let mut added: Vec<u32> = (from as u32..articles.len() as u32).collect();
        added.sort_by(cmp);
        let old = std::mem::take(&mut self.newest);
        let merged =
            crate::corpus::merge_sorted(&old, &added, |n, o| cmp(n, o) == std::cmp::Ordering::Less);
        self.rank.resize(articles.len(), 0);
        for (pos, &k) in merged.iter().enumerate() {
            self.rank[k as usize] = pos as u32;
        }
        self.newest = merged;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appending_gives_the_index_a_build_gives() {
        let mut all = crate::corpus::synth::articles(400, 3);
        // Names only the new articles have, repeats of old ones in other cases, ties.
        for (k, a) in all.iter_mut().enumerate().skip(300) {
            if k % 3 == 0 {
                a.tags.push(format!("Fresh-{}", k % 5));
                a.entities.push("NEWCO".into());
                a.source = Some("A Source Never Seen".into());
            }
            if k % 4 == 0 {
                a.date = all_dates_tie();
                a.title = "Same title, same day".into();
            }
            if k % 7 == 0 {
                a.tags = vec!["AI".into()];
                a.author = Some("Ann Writer".into());
                a.feed = Some("A feed".into());
                a.feed_url = Some("https://feed.example/rss".into());
            }
        }
        all[10].date = all_dates_tie();
        all[10].title = "Same title, same day".into();
        let built = Index::build(&all);
        for from in [0, 1, 250, 300, 399, 400] {
            let mut ix = Index::build(&all[..from]);
            ix.append(&all, from);
            assert_eq!(
                format!("{ix:?}"),
                format!("{built:?}"),
                "appended from {from}"
            );
        }
    }

    fn all_dates_tie() -> Option<crate::corpus::PartialDate> {
        "2023-05-04".parse().ok()
    }
}
