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

    /// Whether article `idx` has its body in the store.
    pub fn holds(&self, idx: usize) -> bool {
        idx >= self.start && idx < self.start + self.rows.len()
    }
}
