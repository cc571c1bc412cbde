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
                let mut ix = Index::names(articles);
                let mut newest: Vec<u32> = (0..articles.len() as u32).collect();
                newest.sort_by(|&a, &b| {
                    crate::corpus::compare_newest_first(
                        &articles[a as usize],
                        &articles[b as usize],
                    )
                });
                let mut rank = vec![0u32; articles.len()];
                for (pos, &i) in newest.iter().enumerate() {
                    rank[i as usize] = pos as u32;
                }
                ix.newest = newest;
                ix.rank = rank;
                ix
            });
            let (title, word_names, title_words, title_word_at) = Index::titles(articles);
            match other.join() {
                Ok(ix) => Index {
                    title,
                    word_names,
                    title_words,
                    title_word_at,
                    ..ix
                },
                Err(p) => std::panic::resume_unwind(p),
            }
        })
    }

    /// Lower-case titles, their distinct words, and each title's words by number.
    fn titles(articles: &[Article]) -> (Vec<String>, Vec<String>, Vec<u32>, Vec<u32>) {
        let mut words: FxMap<String, u32> = FxMap::default();
        let mut names = Vec::new();
        let mut title = Vec::with_capacity(articles.len());
        let mut title_words = Vec::with_capacity(articles.len() * 10);
        let mut title_word_at = Vec::with_capacity(articles.len() + 1);
        for a in articles {
            let t = a.title.to_lowercase();
            title_word_at.push(title_words.len() as u32);
            for w in words_of(&t) {
                let id = if let Some(&id) = words.get(w) {
                    id
                } else {
                    let id = names.len() as u32;
                    names.push(w.to_string());
                    words.insert(w.to_string(), id);
                    id
                };
                title_words.push(id);
            }
            title.push(t);
        }
        title_word_at.push(title_words.len() as u32);
        (title, names, title_words, title_word_at)
    }

    /// Tags, entities, sectors and sources interned, and the dates.
    fn names(articles: &[Article]) -> Index {
        let mut feeds = Interner::default();
        let mut authors = Interner::default();
        let (mut tags, mut ents, mut secs, mut srcs) = (
            Interner::default(),
            Interner::default(),
            Interner::default(),
            Interner::default(),
        );
        let mut ix = Index {
            tags: Vec::with_capacity(articles.len()),
            entities: Vec::with_capacity(articles.len()),
            sector: Vec::with_capacity(articles.len()),
            source: Vec::with_capacity(articles.len()),
            dates: Vec::with_capacity(articles.len()),
            ..Index::default()
        };
        for a in articles {
            ix.tags.push(a.tags.iter().map(|t| tags.id(t)).collect());
            ix.entities
                .push(a.entities.iter().map(|t| ents.id(t)).collect());
            ix.sector
                .push(a.sector.as_deref().map_or(NONE, |s| secs.id(s)));
            ix.source
                .push(a.source.as_deref().map_or(NONE, |s| srcs.id(s)));
            ix.author
                .push(a.author.as_deref().map_or(NONE, |s| authors.id(s)));
            ix.feed.push(if a.feed.is_some() || a.feed_url.is_some() {
                let host = a
                    .feed_url
                    .as_deref()
                    .map(crate::text::host_of)
                    .unwrap_or_default();
                feeds.id(&format!("{}\u{1}{host}", a.feed.as_deref().unwrap_or("")))
            } else {
                NONE
            });
            ix.dates
                .push(a.date.map(|d| (d.get_year(), d.get_month().unwrap_or(0))));
        }
        ix.tag_names = tags.names;
        ix.tag_display = tags.display;
        ix.entity_names = ents.names;
        ix.sector_names = secs.names;
        ix.sector_display = secs.display;
        ix.source_names = srcs.names;
        ix.feed_names = feeds.names;
        ix.author_names = authors.names;
        ix.source_display = srcs.display;
        ix
    }
}
