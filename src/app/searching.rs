//! Running searches for the reader: the same engine as the CLI, cancellable, with facet
//! counts, plus the rule for when a grown query may be narrowed from earlier results.

use super::action::{SearchRequest, SearchResult};
use crate::corpus::Corpus;
use crate::query::parse::Term;
use crate::query::typos::typo_budget;
use crate::query::{self, ArticleState, Index, Query};
use crate::store::StateView;

/// Run a search; `None` when `cancelled` says a newer one has started. When bodies must be
/// searched too, `first` gets the quick results (titles, tags, entities) before that.
pub fn run(
    corpus: &Corpus,
    index: &Index,
    state: &StateView,
    req: &SearchRequest,
    cancelled: &(dyn Fn() -> bool + Sync),
    first: &mut dyn FnMut(SearchResult),
) -> Option<SearchResult> {
    let mut quick = |hits: &[query::Hit]| {
        first(SearchResult {
            hits: hits.to_vec(),
            facets: query::facets::count_with_state(
                index,
                hits.iter().map(|h| h.idx as usize),
                &|i| state.is_read(i),
            ),
        });
    };
    let hits = query::engine::search_in_steps(
        corpus,
        index,
        &req.query,
        state,
        req.within.as_deref().map(std::vec::Vec::as_slice),
        cancelled,
        &mut quick,
    )?;
    let mut facets =
        query::facets::count_with_state(index, hits.iter().map(|h| h.idx as usize), &|i| {
            state.is_read(i)
        });
    // A facet with values selected counts over the results without its own filter, so the
    // other values can still be added (OR within a facet, AND across facets).
    for field in ["sector", "tag", "source", "date"] {
        let Some(ci) = facet_clause(&req.query, field) else {
            continue;
        };
        let mut without = req.query.clone();
        without.clauses.remove(ci);
        let others = query::engine::search_in_steps(
            corpus,
            index,
            &without,
            state,
            None,
            cancelled,
            &mut |_| {},
        )?;
        let f =
            query::facets::count_with_state(index, others.iter().map(|h| h.idx as usize), &|i| {
                state.is_read(i)
            });
        match field {
            "sector" => facets.sectors = f.sectors,
            "tag" => facets.tags = f.tags,
            "source" => facets.sources = f.sources,
            _ => facets.years = f.years,
        }
    }
    Some(SearchResult { hits, facets })
}

/// How many articles each query finds (the saved views' counts).
pub fn count(corpus: &Corpus, index: &Index, state: &StateView, queries: &[Query]) -> Vec<usize> {
    queries
        .iter()
        .map(|q| {
            query::engine::search_in_steps(corpus, index, q, state, None, &|| false, &mut |_| {})
                .map_or(0, |h| h.len())
        })
        .collect()
}

/// The clause a facet edits: the first plain (not negated) `field:` clause (for dates, a
/// single value or a list, not a range).
pub fn facet_clause(q: &Query, field: &str) -> Option<usize> {
    q.clauses.iter().position(|c| {
        !c.negated
            && !matches!(c.term, Term::Or(_))
            && c.text
                .to_ascii_lowercase()
                .starts_with(&format!("{field}:"))
            && (field != "date" || !c.text.contains(".."))
    })
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
