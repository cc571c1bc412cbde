//! Queries: the language (`parse`), the engine that runs it (`engine`), the body search it
//! uses (`find`) and facet counts (`facets`). No terminal code here.

pub mod engine;
pub mod facets;
pub mod find;
pub mod parse;

pub use engine::{search, ArticleState, Hit, Index, NoState};
pub use parse::{parse, Query, QueryError, Sort, Term};
