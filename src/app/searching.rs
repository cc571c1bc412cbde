//! Running searches for the reader: the same engine as the CLI, cancellable, with facet
//! counts, plus the rule for when a grown query may be narrowed from earlier results.

use super::action::{SearchRequest, SearchResult};
use crate::corpus::Corpus;
use crate::query::parse::Term;
use crate::query::{self, Index, Query};
use crate::store::StateView;

/// Run a search; `None` when `cancelled` says a newer one has started.
pub fn run(
    corpus: &Corpus,
    index: &Index,
    state: &StateView,
    req: &SearchRequest,
    cancelled: &dyn Fn() -> bool,
) -> Option<SearchResult> {
    let hits = query::engine::search_cancellable(
        &corpus.articles,
        index,
        &req.query,
        state,
        req.within.as_deref().map(|v| v.as_slice()),
        cancelled,
    )?;
    let facets = query::facets::count(&corpus.articles, hits.iter().map(|h| h.idx as usize));
    Some(SearchResult { hits, facets })
}

fn typo_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Whether results for `new` are a subset of results for `old`: the same clauses with the
/// last word grown (without gaining typo tolerance), or more clauses added; nothing negated
/// or alternative changed.
pub fn can_narrow(old: &Query, new: &Query) -> bool {
    if new.clauses.len() < old.clauses.len() || old.clauses.is_empty() {
        return false;
    }
    for (i, (o, n)) in old.clauses.iter().zip(&new.clauses).enumerate() {
        if o == n {
            continue;
        }
        // Only the last old clause may differ, by growing.
        if i + 1 != old.clauses.len() || o.negated || n.negated {
            return false;
        }
        match (&o.term, &n.term) {
            (Term::Word(a), Term::Word(b)) => {
                if !b.starts_with(a.as_str())
                    || typo_budget(a.chars().count()) != typo_budget(b.chars().count())
                    || a.chars().count() < 3
                {
                    return false;
                }
            }
            _ => return false,
        }
    }
    new.clauses[old.clauses.len()..].iter().all(|c| !c.negated)
}
