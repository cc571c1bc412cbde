//! Criterion benchmarks at 10,000 and 100,000 synthetic articles: loading (corpus JSON and
//! JSON Lines), a query typed one character at a time, a two-word query, a typo, a phrase over
//! every body, a sector plus date filter, facet recounts, and drawing one frame.
//! `cargo bench` runs them; set `FOLIO_BENCH_SIZES=10000` for the smaller corpus only.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use folio::app::{Action, App};
use folio::corpus::{synth, Corpus};
use folio::query::{self, Index, NoState};
use folio::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn sizes() -> Vec<usize> {
    std::env::var("FOLIO_BENCH_SIZES").ok().map_or_else(
        || vec![10_000, 100_000],
        |s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect(),
    )
}

/// Titles, tags and entities only: what the list shows while typing.
fn fields_step(articles: &[folio::corpus::Article], ix: &Index, q: &str) -> usize {
    let q = query::parse(q).expect("query");
    query::engine::search_quick(articles, ix, &q, &NoState).len()
}

fn full(articles: &[folio::corpus::Article], ix: &Index, q: &str) -> usize {
    let q = query::parse(q).expect("query");
    query::engine::search_in_steps(articles, ix, &q, &NoState, None, &|| false, &mut |_| {})
        .expect("search")
        .len()
}

fn benches(c: &mut Criterion) {
    for n in sizes() {
        let dir = tempfile::tempdir().expect("tmp");
        let json = dir.path().join("c.json");
        let jsonl = dir.path().join("c.jsonl");
        for (p, lines) in [(&json, false), (&jsonl, true)] {
            let mut f = std::io::BufWriter::new(std::fs::File::create(p).expect("create"));
            synth::write(n, 42, lines, &mut f).expect("write");
        }
        let mut g = c.benchmark_group(format!("{n}"));
        g.sample_size(10);
        g.bench_function("load json", |b| {
            b.iter(|| Corpus::open(Some(&json)).expect("load").articles.len());
        });
        g.bench_function("load jsonl", |b| {
            b.iter(|| Corpus::open(Some(&jsonl)).expect("load").articles.len());
        });
        let corpus = Corpus::open(Some(&jsonl)).expect("load");
        g.bench_function("index", |b| {
            b.iter(|| Index::build(&corpus.articles).title.len());
        });
        let ix = Index::build(&corpus.articles);
        let a = &corpus.articles;
        for q in ["t", "te", "ten", "tenc", "tence", "tencen", "tencent"] {
            g.bench_with_input(
                BenchmarkId::new("typing (titles/tags/entities)", q),
                q,
                |b, q| b.iter(|| fields_step(a, &ix, q)),
            );
        }
        for q in [
            "tencent",
            "tencent battery",
            "metavrse",
            "\"digital yuan pilot\"",
            "sector:auto date:2023",
        ] {
            g.bench_with_input(BenchmarkId::new("full (with bodies)", q), q, |b, q| {
                b.iter(|| full(a, &ix, q));
            });
        }
        g.bench_function("fields step: two words", |b| {
            b.iter(|| fields_step(a, &ix, "tencent cloud"));
        });
        g.bench_function("fields step: typo", |b| {
            b.iter(|| fields_step(a, &ix, "metavrse"));
        });
        let all: Vec<usize> = (0..a.len()).collect();
        g.bench_function("facet recount (all results)", |b| {
            b.iter(|| {
                query::facets::count_indexed(&ix, all.iter().copied())
                    .sectors
                    .len()
            });
        });
        let mut app = App::new(
            Corpus::new("bench".into(), corpus.articles.clone()),
            Theme::color(),
        );
        app.update(Action::Resize(160, 48));
        let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");
        g.bench_function("draw one frame (all results)", |b| {
            b.iter(|| {
                term.draw(|f| f.render_widget(&app, f.area()))
                    .expect("draw")
                    .area
                    .width
            });
        });
        g.finish();
    }
}

/// A key in a 1 MiB article: the reducer and the frame it draws (the article is laid out
/// once, when it is opened).
fn reader_keys(c: &mut Criterion) {
    let para = "The market said regulators and investors expect chip exports to grow. ".repeat(20);
    let mut body = String::new();
    while body.len() < 1 << 20 {
        body.push_str(&para);
        body.push_str("\n\n");
    }
    let big = folio::corpus::Article {
        id: "big".into(),
        title: "A one-megabyte article".into(),
        body,
        ..folio::corpus::Article::default()
    };
    let mut app = App::new(Corpus::new("bench".into(), vec![big]), Theme::color());
    app.update(Action::Resize(120, 40));
    app.update(Action::Open);
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    let mut g = c.benchmark_group("reader, 1 MiB article");
    let mut down = true;
    g.bench_function("j or k, then one frame", |b| {
        b.iter(|| {
            down = !down;
            app.update(if down { Action::Down } else { Action::Up });
            term.draw(|f| f.render_widget(&app, f.area()))
                .expect("draw")
                .area
                .width
        });
    });
    g.finish();
}

criterion_group!(group, benches, reader_keys);
criterion_main!(group);
