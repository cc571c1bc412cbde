//! Queries: the language (`parse`), the index of the short fields (`index`), the engine that
//! runs a query (`engine`), near matches (`typos`), the body search it uses (`find`), where
//! matches are for drawing (`highlight`) and facet counts (`facets`). No terminal code here.

pub mod engine;
pub mod facets;
pub mod find;
pub mod highlight;
pub mod index;
pub mod parse;
pub mod typos;

pub use engine::{search, ArticleState, Hit, Index, NoState};
pub use parse::{parse, Query, QueryError, Sort, Term};
