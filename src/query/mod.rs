//! Queries over a corpus. (The full query language arrives with the Search issue;
//! for now plain words match case-insensitively in titles.)

use crate::corpus::Article;

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    pub words: Vec<String>,
}

/// A query that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

pub fn parse(q: &str) -> Result<Query, QueryError> {
    Ok(Query {
        words: q.split_whitespace().map(|w| w.to_lowercase()).collect(),
    })
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn matches(&self, a: &Article) -> bool {
        let t = a.title.to_lowercase();
        self.words.iter().all(|w| t.contains(w.as_str()))
    }
}

/// Indexes of the matching articles, newest first.
pub fn run(articles: &[Article], order: &[usize], q: &Query) -> Vec<usize> {
    order
        .iter()
        .copied()
        .filter(|&i| q.matches(&articles[i]))
        .collect()
}
