//! Any text as a query: parsed, and when it parses, run over the built-in corpus.
#![no_main]

use folio::corpus::Corpus;
use folio::query::{self, Index};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn corpus() -> &'static (Corpus, Index) {
    static C: OnceLock<(Corpus, Index)> = OnceLock::new();
    C.get_or_init(|| {
        let c = Corpus::embedded().expect("embedded corpus");
        let ix = Index::build(&c.articles);
        (c, ix)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(q) = query::parse(text) else {
        return;
    };
    let (c, ix) = corpus();
    let state = folio::store::StateView::default();
    let hits =
        query::engine::search_in_steps(&c.articles, ix, &q, &state, None, &|| false, &mut |_| {});
    if let Some(hits) = hits {
        for h in hits.iter().take(5) {
            let a = &c.articles[h.idx as usize];
            let _ = query::highlight::title_highlights(&a.title, &q);
            for p in a.paragraphs().take(3) {
                let _ = query::highlight::text_matches(p, &q);
            }
        }
    }
    let _ = q.highlights();
});
