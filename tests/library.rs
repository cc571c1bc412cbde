//! The user's library: `folio add` and `folio remove`, what opens by default, several
//! corpora at once.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn folio(xdg: &Path) -> Command {
    let mut c = Command::cargo_bin("folio").expect("binary");
    c.env("FOLIO_TODAY", "2026-01-15")
        .env("XDG_DATA_HOME", xdg.join("data"))
        .env("XDG_CONFIG_HOME", xdg.join("config"));
    c
}

fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
}

fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn listed(xdg: &Path, args: &[&str]) -> Vec<Value> {
    let (ok, out, err) = run(folio(xdg).args(args).args(["list", "--json"]));
    assert!(ok, "{err}");
    serde_json::from_str::<Vec<Value>>(&out).expect("json")
}

/// What `folio import` makes of the same files (the articles `add` must add).
fn imported(paths: &[PathBuf]) -> Vec<Value> {
    let out = Command::cargo_bin("folio")
        .expect("bin")
        .arg("import")
        .args(paths)
        .output()
        .expect("import");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v["articles"].as_array().cloned().unwrap_or_default()
}

#[test]
fn adding_a_folder_of_feeds_twice_adds_its_articles_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path();
    let feeds = data("feeds");
    let (ok, _, err) = run(folio(xdg).arg("add").arg(&feeds));
    assert!(ok, "{err}");
    let want = imported(std::slice::from_ref(&feeds));
    assert!(want.len() >= 6);
    assert!(
        err.contains(&format!("{} new, 0 already in the library", want.len())),
        "{err}"
    );
    // Without --corpus, folio opens the library: exactly those articles.
    let got = listed(xdg, &[]);
    let mut ids: Vec<&str> = got.iter().map(|a| a["id"].as_str().expect("id")).collect();
    let mut want_ids: Vec<&str> = want.iter().map(|a| a["id"].as_str().expect("id")).collect();
    ids.sort_unstable();
    want_ids.sort_unstable();
    assert_eq!(ids, want_ids);
    // Again: nothing new.
    let (ok, _, err) = run(folio(xdg).arg("add").arg(&feeds));
    assert!(ok, "{err}");
    assert!(
        err.contains(&format!("0 new, {} already", want.len())),
        "{err}"
    );
    assert_eq!(listed(xdg, &[]).len(), want.len());
    // The built-in corpus is still there by name.
    assert_eq!(listed(xdg, &["--corpus", "builtin"]).len(), 41);
    // Remove takes one out; an unknown id is an error naming it.
    let (ok, _, _) = run(folio(xdg).args(["remove", want_ids[0]]));
    assert!(ok);
    assert_eq!(listed(xdg, &[]).len(), want.len() - 1);
    let (ok, _, err) = run(folio(xdg).args(["remove", "no-such-id"]));
    assert!(!ok && err.contains("no-such-id"), "{err}");
}

#[test]
fn an_empty_library_opens_the_built_in_corpus() {
    let dir = tempfile::tempdir().expect("tmp");
    assert_eq!(listed(dir.path(), &[]).len(), 41);
}

#[test]
fn two_adds_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().to_path_buf();
    // Forty small files, added by two processes at once, ten at a time each.
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("mkdir");
    for i in 0..40 {
        std::fs::write(
            src.join(format!("a{i:02}.json")),
            format!("{{\"id\": \"art-{i}\", \"title\": \"Story number {i}\", \"body\": \"Text of story {i}.\", \"date\": \"2024-01-01\"}}"),
        )
        .expect("write");
    }
    let bin = env!("CARGO_BIN_EXE_folio");
    let spawn = |from: usize| {
        let xdg = xdg.clone();
        let src = src.clone();
        std::thread::spawn(move || {
            for chunk in 0..2 {
                let files: Vec<PathBuf> = (from + chunk * 10..from + chunk * 10 + 10)
                    .map(|i| src.join(format!("a{i:02}.json")))
                    .collect();
                let st = std::process::Command::new(bin)
                    .env("XDG_DATA_HOME", xdg.join("data"))
                    .env("XDG_CONFIG_HOME", xdg.join("config"))
                    .arg("add")
                    .args(&files)
                    .stderr(std::process::Stdio::null())
                    .status()
                    .expect("run");
                assert!(st.success());
            }
        })
    };
    let (a, b) = (spawn(0), spawn(20));
    a.join().expect("a");
    b.join().expect("b");
    assert_eq!(listed(&xdg, &[]).len(), 40);
}

#[test]
fn several_corpora_open_together_and_a_clash_names_both_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path();
    let tricky = data("tricky.json");
    let t = tricky.display().to_string();
    let both = listed(xdg, &["--corpus", &t, "--corpus", "builtin"]);
    assert_eq!(both.len(), 6 + 41);
    // The same file twice is read once.
    assert_eq!(listed(xdg, &["--corpus", &t, "--corpus", &t]).len(), 6);
    // A copy under another name clashes on every id.
    let copy = dir.path().join("copy.json");
    std::fs::copy(&tricky, &copy).expect("copy");
    let (ok, _, err) = run(folio(xdg)
        .args(["--corpus", &t, "--corpus"])
        .arg(&copy)
        .arg("list"));
    assert!(!ok);
    assert!(
        err.contains("tricky.json") && err.contains("copy.json"),
        "{err}"
    );
    assert!(err.contains("is in both"), "{err}");
}

#[test]
fn export_writes_what_add_and_corpus_read_back() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("one");
    let (ok, _, err) = run(folio(&xdg).arg("add").arg(data("feeds")));
    assert!(ok, "{err}");
    let all = listed(&xdg, &[]);
    let out = dir.path().join("all.jsonl");
    let (ok, _, err) = run(folio(&xdg).args(["export", "-o"]).arg(&out));
    assert!(ok, "{err}");
    assert!(err.contains(&format!("{} articles", all.len())), "{err}");
    // The same articles through --corpus, and into another library.
    let again = listed(&xdg, &["--corpus", &out.display().to_string()]);
    assert_eq!(again, all);
    let other = dir.path().join("two");
    let (ok, _, err) = run(folio(&other).arg("add").arg(&out));
    assert!(ok, "{err}");
    let ids = |v: &[Value]| {
        let mut i: Vec<String> = v.iter().map(|a| a["id"].to_string()).collect();
        i.sort();
        i
    };
    assert_eq!(ids(&listed(&other, &[])), ids(&all));
    // A query's results only, as a corpus file.
    let (ok, text, _) =
        run(folio(&xdg).args(["export", "--format", "json", "--query", "date:..2000"]));
    assert!(ok);
    let v: Value = serde_json::from_str(&text).expect("corpus json");
    assert_eq!(v["version"], 1);
    assert!(v["articles"].as_array().expect("list").len() < all.len());
}
