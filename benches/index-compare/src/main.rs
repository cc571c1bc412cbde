//! SQLite FTS5 against tantivy as the persisted index of folio's library bodies, on one
//! corpus, side by side in one run: build time and size, then the two operations folio's
//! search needs from the index — for a word, how often it starts a word in each body
//! (capped at 20, the count the ranking uses); for a phrase, which bodies may hold it.
//!
//!     cargo run --release -- CORPUS.jsonl OUT_DIR [LIMIT]
//!
//! Not part of folio's build (its own workspace); BENCHMARKS.md has the figures.

use std::io::BufRead;
use std::time::{Duration, Instant};

const WORDS: &[&str] = &["tencent", "regulators", "xpeng", "china", "metaverse", "zzyzx"];
const PHRASES: &[&[&str]] = &[&["data", "security"], &["li", "auto"], &["quarter", "a"]];

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut ts = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        last = Some(f());
        ts.push(t.elapsed());
    }
    (median(ts), last.expect("runs > 0"))
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p).map_or(0, |rd| {
        rd.flatten()
            .map(|e| {
                let m = e.metadata().expect("meta");
                if m.is_dir() {
                    dir_size(&e.path())
                } else {
                    m.len()
                }
            })
            .sum()
    })
}

fn bodies(path: &str, limit: usize, mut each: impl FnMut(i64, &str)) -> usize {
    let f = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path).expect("corpus"));
    let mut n = 0;
    for line in f.lines() {
        let line = line.expect("line");
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line).expect("json");
        n += 1;
        each(n as i64, v["body"].as_str().unwrap_or(""));
        if n >= limit {
            break;
        }
    }
    n
}

mod fts {
    use rusqlite::Connection;

    pub fn build(db: &std::path::Path, corpus: &str, limit: usize) -> Connection {
        let _ = std::fs::remove_file(db);
        let c = Connection::open(db).expect("open");
        c.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE VIRTUAL TABLE fts USING fts5(body, content='', contentless_delete=1, tokenize='ascii');",
        )
        .expect("schema");
        c.execute_batch("BEGIN").expect("begin");
        let mut k = 0;
        super::bodies(corpus, limit, |n, b| {
            c.prepare_cached("INSERT INTO fts(rowid, body) VALUES (?1, ?2)")
                .expect("prep")
                .execute(rusqlite::params![n, b])
                .expect("insert");
            k += 1;
            if k % 20_000 == 0 {
                // Committed in batches, as folio's add does.
                c.execute_batch("COMMIT; BEGIN").expect("commit");
            }
        });
        c.execute_batch("COMMIT").expect("commit");
        c.execute_batch("CREATE VIRTUAL TABLE temp.fts_i USING fts5vocab(main, fts, instance);")
            .expect("vocab");
        c
    }

    /// Per-row counts of instances of terms starting with `w` (capped at 20).
    pub fn word_counts(c: &Connection, w: &str, out: &mut Vec<u8>) -> usize {
        out.iter_mut().for_each(|x| *x = 0);
        let mut hi = w.as_bytes().to_vec();
        if let Some(l) = hi.last_mut() {
            *l += 1;
        }
        let hi = String::from_utf8(hi).expect("ascii");
        let mut st = c
            .prepare_cached("SELECT doc FROM temp.fts_i WHERE term >= ?1 AND term < ?2")
            .expect("prep");
        let mut rows = st.query([w, hi.as_str()]).expect("query");
        let mut docs = 0;
        while let Some(r) = rows.next().expect("row") {
            let d: i64 = r.get(0).expect("doc");
            let x = &mut out[d as usize];
            if *x == 0 {
                docs += 1;
            }
            *x = (*x + 1).min(20);
        }
        docs
    }

    pub fn docs_matching(c: &Connection, q: &str) -> usize {
        let mut st = c
            .prepare_cached("SELECT rowid FROM fts WHERE fts MATCH ?1")
            .expect("prep");
        let rows = st.query_map([q], |r| r.get::<_, i64>(0)).expect("q");
        rows.count()
    }
}

mod tv {
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED};
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};
    use tantivy::{doc, Index, IndexReader, Term};

    pub struct Tv {
        pub index: Index,
        pub reader: IndexReader,
        pub body: tantivy::schema::Field,
        pub row: tantivy::schema::Field,
    }

    pub fn build(dir: &std::path::Path, corpus: &str, limit: usize) -> Tv {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).expect("dir");
        let mut sb = Schema::builder();
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("folio")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let body = sb.add_text_field("body", opts);
        let row = sb.add_i64_field("row", INDEXED | FAST);
        let index = Index::create_in_dir(dir, sb.build()).expect("create");
        index.tokenizers().register(
            "folio",
            TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .build(),
        );
        let mut w: tantivy::IndexWriter = index.writer_with_num_threads(2, 400_000_000).expect("writer");
        let mut k = 0;
        super::bodies(corpus, limit, |n, b| {
            w.add_document(doc!(body => b, row => n)).expect("add");
            k += 1;
            if k % 200_000 == 0 {
                w.commit().expect("commit");
            }
        });
        w.commit().expect("commit");
        w.wait_merging_threads().expect("merge");
        let reader = index.reader().expect("reader");
        Tv {
            index,
            reader,
            body,
            row,
        }
    }

    pub fn word_counts(t: &Tv, w: &str, out: &mut Vec<u8>) -> usize {
        out.iter_mut().for_each(|x| *x = 0);
        let searcher = t.reader.searcher();
        let mut hi = w.as_bytes().to_vec();
        if let Some(l) = hi.last_mut() {
            *l += 1;
        }
        let mut docs = 0;
        for seg in searcher.segment_readers() {
            let inv = seg.inverted_index(t.body).expect("inv");
            let rows = seg.fast_fields().i64("row").expect("row");
            let mut stream = inv
                .terms()
                .range()
                .ge(w.as_bytes())
                .lt(&hi)
                .into_stream()
                .expect("stream");
            while stream.advance() {
                let ti = stream.value();
                let mut p = inv
                    .read_postings_from_terminfo(ti, IndexRecordOption::WithFreqs)
                    .expect("postings");
                use tantivy::postings::Postings;
                use tantivy::DocSet;
                let mut d = p.doc();
                while d != tantivy::TERMINATED {
                    let r = rows.first(d).unwrap_or(0) as usize;
                    let x = &mut out[r];
                    if *x == 0 {
                        docs += 1;
                    }
                    *x = (u32::from(*x) + p.term_freq()).min(20) as u8;
                    d = p.advance();
                }
            }
        }
        docs
    }

    pub fn phrase_docs(t: &Tv, words: &[&str]) -> usize {
        let searcher = t.reader.searcher();
        let terms: Vec<Term> = words
            .iter()
            .map(|w| Term::from_field_text(t.body, w))
            .collect();
        let q = tantivy::query::PhrasePrefixQuery::new(terms);
        searcher.search(&q, &tantivy::collector::Count).expect("search")
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = args.get(1).expect("usage: index-compare CORPUS.jsonl OUT_DIR [LIMIT]");
    let out = std::path::PathBuf::from(args.get(2).expect("OUT_DIR"));
    let limit: usize = args.get(3).map_or(usize::MAX, |s| s.parse().expect("limit"));
    std::fs::create_dir_all(&out).expect("out");

    let t = Instant::now();
    let c = fts::build(&out.join("fts.db"), corpus, limit);
    let fts_build = t.elapsed();
    let fts_size = std::fs::metadata(out.join("fts.db")).map_or(0, |m| m.len())
        + std::fs::metadata(out.join("fts.db-wal")).map_or(0, |m| m.len());
    let t = Instant::now();
    let tv = tv::build(&out.join("tantivy"), corpus, limit);
    let tv_build = t.elapsed();
    let tv_size = dir_size(&out.join("tantivy"));
    let n = bodies(corpus, limit, |_, _| {});
    println!("articles: {n}");
    println!("| | SQLite FTS5 | tantivy 0.27 |");
    println!("| --- | --- | --- |");
    println!(
        "| build (one thread / two) | {:.1} s | {:.1} s |",
        fts_build.as_secs_f64(),
        tv_build.as_secs_f64()
    );
    println!(
        "| size on disk | {} MB | {} MB |",
        fts_size / 1_000_000,
        tv_size / 1_000_000
    );
    let mut a = vec![0u8; n + 1];
    let mut b = vec![0u8; n + 1];
    for w in WORDS {
        let (tf, df) = time(5, || fts::word_counts(&c, w, &mut a));
        let (tt, dt) = time(5, || tv::word_counts(&tv, w, &mut b));
        let same = a == b;
        println!(
            "| counts of `{w}` ({df} / {dt} bodies{}) | {:.1} ms | {:.1} ms |",
            if same { ", equal" } else { ", DIFFER" },
            tf.as_secs_f64() * 1e3,
            tt.as_secs_f64() * 1e3
        );
        let (tm, dm) = time(5, || fts::docs_matching(&c, &format!("{w}*")));
        println!(
            "| bodies with `{w}*`, no counts ({dm}) | {:.1} ms | |",
            tm.as_secs_f64() * 1e3
        );
    }
    for p in PHRASES {
        let q = format!("\"{}\" *", p.join(" "));
        let (tf, df) = time(5, || fts::docs_matching(&c, &q));
        let (tt, dt) = time(5, || tv::phrase_docs(&tv, p));
        println!(
            "| phrase `{}` ({df} / {dt} bodies) | {:.1} ms | {:.1} ms |",
            p.join(" "),
            tf.as_secs_f64() * 1e3,
            tt.as_secs_f64() * 1e3
        );
    }
    let _ = &tv.index;
    let _ = tv.row;
}
