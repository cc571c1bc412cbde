//! Articles whose bodies stay on disk: the library keeps what the list needs in memory and
//! each body in its database, read when an article is opened, searched or exported. The
//! corpus knows such articles by their row in the store; the store answers body searches
//! from its full-text index.

use std::sync::Arc;

/// A text to find in bodies, as the query engine matches it: ASCII letters in any case;
/// with `word_start`, only where a word starts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyMatch {
    /// In lower case.
    pub text: String,
    pub word_start: bool,
}

/// Matches in stored bodies: (row, how many, at most `cap`), for every row with one.
pub type RowCounts = Vec<(i64, u8)>;

/// Why a stored body could not be read or searched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BodyError(pub String);

/// Where stored bodies are (the library's database).
pub trait BodyStore: Send + Sync + std::fmt::Debug {
    /// The body shown for the article at `row`; `None` when it is gone.
    fn body(&self, row: i64) -> Result<Option<String>, BodyError>;
    /// Every row whose body matches, with the count of matches up to `cap`; `Ok(None)` when
    /// `cancelled` said stop.
    fn count_matches(
        &self,
        m: &BodyMatch,
        cap: u8,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Option<RowCounts>, BodyError>;
    /// Call `each` with every row's body, in row order, until it returns false.
    fn for_each_body(&self, each: &mut dyn FnMut(i64, &str) -> bool) -> Result<(), BodyError>;
}

/// The stored articles of a corpus: `articles[start..start + rows.len()]`, whose bodies
/// are in `store` under `rows` (ascending).
#[derive(Debug, Clone)]
pub struct Stored {
    pub store: Arc<dyn BodyStore>,
    pub start: usize,
    pub rows: Vec<i64>,
}

impl Stored {
    /// The row of article `idx`, if its body is stored.
    pub fn row_of(&self, idx: usize) -> Option<i64> {
        idx.checked_sub(self.start)
            .and_then(|i| self.rows.get(i))
            .copied()
    }

    /// The article stored at `row`.
    pub fn idx_of(&self, row: i64) -> Option<usize> {
        self.rows.binary_search(&row).ok().map(|i| i + self.start)
    }

    /// The article of each of `found` (in ascending order of row, as `key` gives it), in
    /// one walk along both lists when they are of a size (a word in most bodies finds a
    /// million rows), else by binary search.
    pub fn each_idx<T>(&self, found: &[T], key: impl Fn(&T) -> i64, mut f: impl FnMut(usize, &T)) {
        if found.len().saturating_mul(16) < self.rows.len() {
            for x in found {
                if let Some(i) = self.idx_of(key(x)) {
                    f(i, x);
                }
            }
            return;
        }
        let mut j = 0;
        for x in found {
            let row = key(x);
            while j < self.rows.len() && self.rows[j] < row {
                j += 1;
            }
            if self.rows.get(j) == Some(&row) {
                f(self.start + j, x);
            }
        }
    }

    /// Whether article `idx` has its body in the store.
    pub fn holds(&self, idx: usize) -> bool {
        idx >= self.start && idx < self.start + self.rows.len()
    }
}

/// A store with no bodies (for tests).
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct NoBodies;
#[cfg(test)]
impl BodyStore for NoBodies {
    fn body(&self, _: i64) -> Result<Option<String>, BodyError> {
        Ok(None)
    }
    fn count_matches(
        &self,
        _: &BodyMatch,
        _: u8,
        _: &dyn Fn() -> bool,
    ) -> Result<Option<RowCounts>, BodyError> {
        Ok(None)
    }
    fn for_each_body(&self, _: &mut dyn FnMut(i64, &str) -> bool) -> Result<(), BodyError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_find_their_articles_whether_few_or_many() {
        let st = Stored {
            store: Arc::new(NoBodies),
            start: 3,
            rows: (0..100).map(|i| i * 3 + 1).collect(),
        };
        // Many (a walk), some not stored; few (binary search).
        let many: Vec<i64> = (0..300).filter(|r| r % 2 == 0).collect();
        let few = vec![4, 5, 298, 1000];
        for found in [many, few] {
            let mut got = Vec::new();
            st.each_idx(&found, |&r| r, |i, &r| got.push((i, r)));
            let expect: Vec<(usize, i64)> = found
                .iter()
                .filter_map(|&r| st.idx_of(r).map(|i| (i, r)))
                .collect();
            assert_eq!(got, expect);
            assert!(!got.is_empty());
        }
    }
}
