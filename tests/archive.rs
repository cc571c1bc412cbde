//! The library as an archive: bodies on disk, searched through the body index, must give
//! exactly what the same articles give in memory, for any query: with the index up to date,
//! with the index behind the library (changes it has not taken in), and with no index at
//! all.

use folio::corpus::{Article, Corpus, Source};
use folio::query::{self, engine, Index, NoState};
use folio::store::library::Library;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;

/// Bodies with what trips word rules up: curly quotes, dashes, CJK runs, accents, acronyms
/// with dots, hyphenated words, words inside words, capitals, long runs without a break.
const TRICKY: &[&str] = &[
    "“Tencent” said the U.S. and the u.s.-China talks stalled; covid-19 hit Covid-19s.",
    "Bitcoin and coin and COINS: a coinbase listing — Tencent—backed, e-CNY pilots.",
    "比亚迪汽车 sales rise; 亚迪 again; Zürich and ZÜRICH and zurich; café and CAFÉ.",
    "JD.com and jd.com’s results; .NET and node.js; AI, A.I. and ai-driven; 5G and 5g.",
    "Electric vehicles and hydroelectric vehicles; data security and metadata security.",
    "The quarter a year ago; a quarter; quartered. Li Auto and li auto and LI AUTO said.",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxtail and tail",
    "Ünicode at the start; ünicode; Ärger; Ä; naïve naive NAÏVE. Tab\there and new\nline.",
];

fn articles(n: usize, seed: u64) -> Vec<Article> {
    let mut v = folio::corpus::synth::articles(n, seed);
    for (i, a) in v.iter_mut().enumerate() {
        if i % 3 == 0 {
            a.body = format!("{}\n\n{}", TRICKY[i % TRICKY.len()], a.body);
        }
        if i % 7 == 0 {
            a.body = TRICKY[(i / 7) % TRICKY.len()].to_string();
        }
    }
    v
}

/// The library's corpus (bodies on disk) and the same articles in memory, in one order.
fn both(lib_path: &Path) -> (Corpus, Index, Corpus, Index) {
    let lib = folio::store::open_sources(
        &[Source::Library(lib_path.to_path_buf())],
        &std::sync::atomic::AtomicU64::new(0),
    )
    .expect("open the library");
    assert!(lib.stored().is_some(), "bodies stay on disk");
    assert!(lib.articles.iter().all(|a| a.body.is_empty()));
    let full = Library::open(lib_path)
        .expect("open")
        .articles()
        .expect("read");
    let mem = Corpus::new("mem".into(), full);
    let (li, mi) = (Index::build(&lib.articles), Index::build(&mem.articles));
    (lib, li, mem, mi)
}

/// Words, word starts, words with their ends cut, phrases (some starting inside a word),
/// punctuated words, negations and fields, from the bodies.
fn query_strategy(words: Vec<String>) -> impl Strategy<Value = String> {
    let w = words.clone();
    let word = (0..w.len(), 1usize..12).prop_map(move |(i, cut)| {
        let s = &w[i];
        let end = s
            .char_indices()
            .map(|(k, _)| k)
            .chain([s.len()])
            .find(|&k| k >= cut.min(s.len()))
            .unwrap_or(s.len());
        s[..end].to_lowercase()
    });
    let w2 = words;
    let phrase = (0..w2.len(), 1usize..4, 0usize..3).prop_map(move |(i, len, skip)| {
        let end = (i + len).min(w2.len());
        let mut p = w2[i..end].join(" ").to_lowercase();
        let cut = p.char_indices().nth(skip).map_or(0, |(k, _)| k);
        p.replace_range(..cut, "");
        format!("\"{}\"", p.replace('"', ""))
    });
    prop_oneof![
        4 => word.clone(),
        3 => phrase,
        1 => (word.clone(), word.clone()).prop_map(|(a, b)| format!("{a} {b}")),
        1 => (word.clone(), word.clone()).prop_map(|(a, b)| format!("{a} -{b}")),
        1 => word.clone().prop_map(|a| format!("sector:fintech {a}")),
        1 => (word.clone(), word.clone()).prop_map(|(a, b)| format!("{a} OR {b}")),
        1 => (word.clone(), word.clone(), word.clone())
            .prop_map(|(a, b, c)| format!("({a} -{b}) OR {c}")),
        1 => (word.clone(), word).prop_map(|(a, b)| format!("-({a} OR {b})")),
    ]
}

fn words_of(arts: &[Article]) -> Vec<String> {
    let mut out: Vec<String> = TRICKY
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(|w| w.trim_matches(|c: char| c == '"' || c == '-').to_string())
        .filter(|w| !w.is_empty())
        .collect();
    for a in arts.iter().take(40) {
        out.extend(a.body.split_whitespace().take(30).map(str::to_string));
    }
    out.retain(|w| !w.starts_with('-') && !w.contains(':'));
    out
}

fn same_results(lib: &(Corpus, Index, Corpus, Index), cases: u32, what: &str) {
    let (lc, li, mc, mi) = lib;
    let words = words_of(&mc.articles);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let found = std::cell::Cell::new(0u32);
    let bodies_only = std::cell::Cell::new(0u32);
    runner
        .run(&query_strategy(words), |q| {
            let Ok(parsed) = query::parse(&q) else {
                return Ok(());
            };
            let a = engine::search(lc, li, &parsed, &NoState, None);
            let b = engine::search(mc, mi, &parsed, &NoState, None);
            prop_assert_eq!(&a, &b, "{}: query {:?}", what, q);
            if !a.is_empty() {
                found.set(found.get() + 1);
            }
            // Results found only in bodies (scores of body matches are below 300).
            if a.iter().any(|h| h.score > 100 && h.score < 300) {
                bodies_only.set(bodies_only.get() + 1);
            }
            Ok(())
        })
        .expect("the same results");
    // The queries find things, in bodies too: the comparison is not of empty lists.
    assert!(
        found.get() > cases / 3,
        "{what}: {} of {cases} found anything",
        found.get()
    );
    assert!(
        bodies_only.get() > cases / 5,
        "{what}: {} of {cases} matched bodies",
        bodies_only.get()
    );
}

#[test]
fn bodies_on_disk_search_exactly_as_bodies_in_memory() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("library.db");
    let mut lib = Library::open(&path).expect("open");
    lib.add(articles(600, 11)).expect("add");
    lib.update_index(&mut |_, _| {}, std::time::Duration::from_secs(5))
        .expect("index");
    // Up to date.
    same_results(&both(&path), 400, "index up to date");
    // Behind: more articles, a changed text and a removal it has not taken in.
    lib.add(articles(700, 12)[600..].to_vec())
        .expect("add more");
    let first = lib.articles().expect("read")[3].id.clone();
    lib.set_full_text(
        &first,
        "Now Tencent’s full text, about coin and U.S. rules.",
    )
    .expect("full text");
    let gone = lib.articles().expect("read")[5].id.clone();
    lib.remove(&[gone]).expect("remove");
    same_results(&both(&path), 300, "index behind");
    // Caught up again.
    lib.update_index(&mut |_, _| {}, std::time::Duration::from_secs(5))
        .expect("index");
    same_results(&both(&path), 200, "index caught up");
    // The last row taken out and its number given to a new article: the index, which had
    // that row, takes the old text out before putting the new one in.
    let all = lib.articles().expect("read");
    let last = all.last().expect("articles").id.clone();
    lib.remove(&[last]).expect("remove last");
    lib.update_index(&mut |_, _| {}, std::time::Duration::from_secs(5))
        .expect("index");
    let mut again = articles(1, 13);
    again[0].id = "row-again".into();
    again[0].url = Some("https://again.example/1".into());
    again[0].body = "A zeppelin over the harbour, and nothing else.".into();
    lib.add(again).expect("add again");
    lib.update_index(&mut |_, _| {}, std::time::Duration::from_secs(5))
        .expect("index");
    same_results(&both(&path), 100, "a row number used again");
    // No index at all: every body is read.
    std::fs::remove_dir_all(folio::store::bodyindex::dir_for(&path)).expect("rm index");
    same_results(&both(&path), 100, "no index");
    // Built again from nothing.
    let r = lib
        .update_index(&mut |_, _| {}, std::time::Duration::from_secs(5))
        .expect("rebuild");
    assert!(
        matches!(r, folio::store::bodyindex::Updated::Indexed(_)),
        "{r:?}"
    );
    same_results(&both(&path), 100, "index rebuilt");
}

#[test]
fn a_damaged_index_is_built_again() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("library.db");
    let mut lib = Library::open(&path).expect("open");
    lib.add(articles(50, 3)).expect("add");
    lib.update_index(&mut |_, _| {}, std::time::Duration::from_secs(5))
        .expect("index");
    let idx = folio::store::bodyindex::dir_for(&path);
    std::fs::write(idx.join("meta.json"), b"{ not json").expect("damage");
    // Searches still answer, from the bodies.
    same_results(&both(&path), 30, "damaged index");
    let r = lib
        .update_index(&mut |_, _| {}, std::time::Duration::from_secs(5))
        .expect("rebuild");
    assert!(
        matches!(r, folio::store::bodyindex::Updated::Indexed(50)),
        "{r:?}"
    );
    same_results(&both(&path), 30, "rebuilt index");
}

// ---- The real binary: kill -9 during an add, an index deleted, two folios at once. ----

fn folio_cmd(home: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_folio"));
    c.env("FOLIO_TODAY", "2026-01-15")
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"));
    c
}

/// `folio list --json` with `args`: the ids, in order.
fn ids(home: &Path, args: &[&str]) -> Vec<String> {
    let out = folio_cmd(home)
        .args(["list", "--json", "--limit", "100000"])
        .args(args)
        .output()
        .expect("list");
    assert!(
        out.status.success(),
        "folio {args:?} list: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    v.iter()
        .map(|a| a["id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Queries that reach into the bodies: words, a word start, a phrase, a punctuated word,
/// fields with a word.
const PROBES: &[&str] = &[
    "tencent",
    "regulat",
    "\"data security\"",
    "u.s.",
    "sector:fintech coin",
    "-china electric",
];

/// The library answers every probe as the same articles read from a file do: library,
/// index and bodies agree.
fn consistent(home: &Path, what: &str) -> usize {
    let export = home.join("export.jsonl");
    let out = folio_cmd(home)
        .args(["export", "-o"])
        .arg(&export)
        .output()
        .expect("export");
    assert!(
        out.status.success(),
        "{what}: export: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let file = export.display().to_string();
    let all = ids(home, &[]);
    for q in PROBES {
        let lib = ids(home, &["--query", q]);
        let mem = ids(home, &["--corpus", &file, "--query", q]);
        assert_eq!(lib, mem, "{what}: {q}");
    }
    all.len()
}

fn corpus_file(dir: &Path, n: usize, seed: u64) -> std::path::PathBuf {
    let p = dir.join(format!("corpus-{seed}.jsonl"));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).expect("create"));
    folio::corpus::synth::write(n, seed, true, &mut f).expect("write");
    std::io::Write::flush(&mut f).expect("flush");
    p
}

fn rows_in(db: &Path) -> i64 {
    let Ok(c) = rusqlite::Connection::open_with_flags(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return 0;
    };
    c.query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
        .unwrap_or(0)
}

/// Wait (up to a minute) until `ready` holds; false when it never did.
fn until(ready: &mut dyn FnMut() -> bool) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(60) {
        if ready() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    false
}

#[test]
fn kill_9_during_an_add_leaves_a_library_that_opens_and_answers_right() {
    let home = tempfile::tempdir().expect("tmp");
    let home = home.path();
    let file = corpus_file(home, 6000, 5);
    let db = home.join("data/folio/library.db");
    // Killed while articles go in (some batches committed), then while the index is built.
    for stage in ["adding", "indexing"] {
        let mut child = folio_cmd(home)
            .arg("add")
            .arg(&file)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("add");
        let index = folio::store::bodyindex::dir_for(&db);
        let got_there = until(&mut || match stage {
            "adding" => rows_in(&db) > 0,
            _ => index.join("meta.json").exists() || rows_in(&db) >= 6000,
        });
        let _ = child.kill();
        let _ = child.wait();
        assert!(got_there, "{stage}: the add never got there");
        let n = consistent(home, &format!("killed while {stage}"));
        assert!(n > 0 && n <= 6000, "{stage}: {n}");
    }
    // The same add again completes what was cut short: every article, once.
    let out = folio_cmd(home).arg("add").arg(&file).output().expect("add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(consistent(home, "added again"), 6000);
    let ix = folio::store::bodyindex::BodyIndex::open(&folio::store::bodyindex::dir_for(&db))
        .expect("the index is there");
    assert_eq!(ix.applied().and_then(|a| a.built_upto), None, "fully built");
}

#[test]
fn a_deleted_index_is_rebuilt_and_searches_answer_meanwhile() {
    let home = tempfile::tempdir().expect("tmp");
    let home = home.path();
    let file = corpus_file(home, 800, 9);
    let out = folio_cmd(home).arg("add").arg(&file).output().expect("add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before: Vec<Vec<String>> = PROBES.iter().map(|q| ids(home, &["--query", q])).collect();
    let db = home.join("data/folio/library.db");
    let dir = folio::store::bodyindex::dir_for(&db);
    std::fs::remove_dir_all(&dir).expect("delete the index");
    // Without it: the same answers, from the bodies.
    let without: Vec<Vec<String>> = PROBES.iter().map(|q| ids(home, &["--query", q])).collect();
    assert_eq!(before, without);
    assert!(before.iter().any(|v| !v.is_empty()));
    // The next change to the library builds it again.
    let more = corpus_file(home, 3, 10);
    let out = folio_cmd(home).arg("add").arg(&more).output().expect("add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join("meta.json").exists(), "rebuilt");
    consistent(home, "rebuilt");
}
