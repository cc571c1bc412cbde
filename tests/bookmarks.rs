//! Bookmarks: the storage promises (atomic, locked, never lost), the CLI, the briefing.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
}

/// `folio --corpus CORPUS` with its data under `xdg`.
fn folio(xdg: &Path, corpus: &Path) -> Command {
    let mut c = Command::cargo_bin("folio").expect("binary");
    c.env("XDG_DATA_HOME", xdg)
        .env("FOLIO_TODAY", "2026-01-15")
        .env("FOLIO_NOW", "2026-01-15T09:00:00Z")
        .arg("--corpus")
        .arg(corpus);
    c
}

fn file(xdg: &Path) -> PathBuf {
    xdg.join("folio/bookmarks.json")
}

fn saved(xdg: &Path) -> serde_json::Value {
    let bytes = std::fs::read(file(xdg)).expect("bookmarks file");
    serde_json::from_slice(&bytes).expect("valid JSON")
}

/// A corpus of `n` small articles with ids a0..a(n-1).
fn corpus_of(dir: &Path, n: usize) -> PathBuf {
    let p = dir.join("many.jsonl");
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&format!(
            "{{\"id\": \"a{i}\", \"title\": \"Article number {i}\", \"body\": \"Body of article {i}.\", \"sector\": \"Auto & EV\"}}\n"
        ));
    }
    std::fs::write(&p, s).expect("write corpus");
    p
}

#[test]
fn add_remove_list_and_export_match_the_golden_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path();
    let c = data("tricky.json");
    folio(xdg, &c)
        .args([
            "bookmarks",
            "add",
            "cjk",
            "--note",
            "Check the range claim.\nAsk BYD.",
        ])
        .assert()
        .success();
    folio(xdg, &c)
        .args(["bookmarks", "add", "long-body"])
        .assert()
        .success();
    folio(xdg, &c)
        .args(["bookmarks", "add", "undated", "--note", "Find a date"])
        .assert()
        .success();
    folio(xdg, &c)
        .args(["bookmarks", "add", "escape-body"])
        .assert()
        .success();
    folio(xdg, &c)
        .args(["bookmarks", "remove", "escape-body"])
        .assert()
        .success();
    folio(xdg, &c)
        .args(["bookmarks", "remove", "escape-body"])
        .assert()
        .failure();
    folio(xdg, &c)
        .args(["bookmarks", "add", "no-such-article"])
        .assert()
        .failure();
    let v = saved(xdg);
    let keys: Vec<&String> = v["bookmarks"].as_object().expect("map").keys().collect();
    assert_eq!(keys, ["cjk-title", "long-body", "undated"]);
    let list = folio(xdg, &c)
        .args(["bookmarks", "list"])
        .output()
        .expect("list");
    let list = String::from_utf8_lossy(&list.stdout);
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(list.contains("Check the range claim."));
    for (format, golden) in [("markdown", "briefing.md"), ("json", "briefing.json")] {
        let out = folio(xdg, &c)
            .args(["bookmarks", "export", "--format", format])
            .output()
            .expect("export");
        assert!(out.status.success());
        let path = data(&format!("golden/{golden}"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &out.stdout).expect("update golden");
        }
        let want = std::fs::read(&path).expect("golden file (UPDATE_GOLDEN=1 writes it)");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&want),
            "{golden} differs"
        );
    }
    // Export to a file.
    let out = dir.path().join("brief.md");
    folio(xdg, &c)
        .args(["bookmarks", "export", "-o"])
        .arg(&out)
        .assert()
        .success();
    assert!(std::fs::read_to_string(&out)
        .expect("written")
        .starts_with("# Briefing: 3 bookmarked articles"));
}

#[test]
fn bookmarks_for_articles_not_loaded_are_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path();
    folio(xdg, &data("tricky.json"))
        .args(["bookmarks", "add", "cjk-title"])
        .assert()
        .success();
    let other = corpus_of(dir.path(), 3);
    folio(xdg, &other)
        .args(["bookmarks", "add", "a1"])
        .assert()
        .success();
    let v = saved(xdg);
    assert!(v["bookmarks"]["cjk-title"].is_object(), "kept: {v}");
    assert!(v["bookmarks"]["a1"].is_object());
    let list = folio(xdg, &other)
        .args(["bookmarks", "list"])
        .output()
        .expect("list");
    assert!(String::from_utf8_lossy(&list.stdout).contains("not in this corpus"));
}

#[test]
fn two_processes_adding_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 120);
    let bin = env!("CARGO_BIN_EXE_folio");
    let spawn = |from: usize| {
        let xdg = xdg.clone();
        let corpus = corpus.clone();
        std::thread::spawn(move || {
            for i in from..from + 60 {
                let st = std::process::Command::new(bin)
                    .env("XDG_DATA_HOME", &xdg)
                    .arg("--corpus")
                    .arg(&corpus)
                    .args(["bookmarks", "add", &format!("a{i}")])
                    .stderr(Stdio::null())
                    .status()
                    .expect("run");
                assert!(st.success());
            }
        })
    };
    let (t1, t2) = (spawn(0), spawn(60));
    t1.join().expect("first");
    t2.join().expect("second");
    let v = saved(&xdg);
    let n = v["bookmarks"].as_object().expect("map").len();
    assert_eq!(n, 120, "every bookmark from both processes is there");
}

#[test]
fn kill_9_during_writes_always_leaves_a_valid_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 40);
    let bin = env!("CARGO_BIN_EXE_folio");
    // A large note makes each write take a while.
    let note = "x".repeat(100_000);
    let mut kills = 0;
    for round in 0..25u64 {
        let mut child = std::process::Command::new(bin)
            .env("XDG_DATA_HOME", &xdg)
            .arg("--corpus")
            .arg(&corpus)
            .args([
                "bookmarks",
                "add",
                &format!("a{}", round % 40),
                "--note",
                &note,
            ])
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_micros(500 + (round * 397) % 6000));
        if child.kill().is_ok() {
            kills += 1;
        }
        let _ = child.wait();
        if file(&xdg).exists() {
            let bytes = std::fs::read(file(&xdg)).expect("read");
            let v: serde_json::Value = serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("round {round}: damaged file after kill -9: {e}"));
            assert_eq!(v["version"], 1);
        }
    }
    assert!(kills > 0);
}

#[test]
fn damaged_files_are_moved_aside_byte_for_byte_and_reported() {
    let cases: &[(&str, &[u8])] = &[
        (
            "truncated",
            b"{\"version\": 1, \"bookmarks\": {\"a1\": {\"added\": \"x\"",
        ),
        ("binary", &[0x00, 0xff, 0x13, 0x37, 0x80]),
        ("empty", b""),
        ("not an object", b"[1, 2, 3]"),
        ("no version", b"{\"bookmarks\": {}}"),
        ("version zero", b"{\"version\": 0, \"bookmarks\": {}}"),
        ("wrong shape", b"{\"version\": 1, \"bookmarks\": [\"a1\"]}"),
    ];
    for (what, bytes) in cases {
        let dir = tempfile::tempdir().expect("tmp");
        let xdg = dir.path().join("xdg");
        let corpus = corpus_of(dir.path(), 3);
        std::fs::create_dir_all(xdg.join("folio")).expect("mkdir");
        std::fs::write(file(&xdg), bytes).expect("write damaged");
        let out = folio(&xdg, &corpus)
            .args(["bookmarks", "add", "a2"])
            .output()
            .expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{what}: {err}");
        assert!(
            err.contains("damaged") && err.contains("corrupt-"),
            "{what}: told on stderr: {err}"
        );
        let aside: Vec<PathBuf> = std::fs::read_dir(xdg.join("folio"))
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.to_string_lossy().contains("bookmarks.json.corrupt-"))
            .collect();
        assert_eq!(aside.len(), 1, "{what}: one file moved aside");
        assert_eq!(
            &std::fs::read(&aside[0]).expect("aside"),
            bytes,
            "{what}: byte for byte"
        );
        let v = saved(&xdg);
        assert!(
            v["bookmarks"]["a2"].is_object(),
            "{what}: the new bookmark is saved"
        );
    }
}

#[test]
fn a_newer_file_is_left_alone_and_changes_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 3);
    std::fs::create_dir_all(xdg.join("folio")).expect("mkdir");
    let newer = b"{\"version\": 2, \"bookmarks\": {}, \"future\": true}";
    std::fs::write(file(&xdg), newer).expect("write");
    let out = folio(&xdg, &corpus)
        .args(["bookmarks", "add", "a1"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer folio"));
    assert_eq!(std::fs::read(file(&xdg)).expect("read"), newer, "untouched");
}

#[test]
fn a_failed_save_is_an_error_not_a_silent_loss() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 3);
    // The data folder cannot be created: a file stands where it should be (this fails even
    // for root, unlike a read-only folder).
    std::fs::create_dir_all(&xdg).expect("mkdir");
    std::fs::write(xdg.join("folio"), b"in the way").expect("write");
    let out = folio(&xdg, &corpus)
        .args(["bookmarks", "add", "a1"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not save"));
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 3);
    std::fs::create_dir_all(xdg.join("folio")).expect("mkdir");
    std::fs::set_permissions(xdg.join("folio"), std::fs::Permissions::from_mode(0o555))
        .expect("chmod");
    let probe = xdg.join("folio/probe");
    let root = std::fs::write(&probe, b"x").is_ok();
    if root {
        // Root writes anyway; the test above covers a failed save for root.
        let _ = std::fs::remove_file(&probe);
        return;
    }
    let out = folio(&xdg, &corpus)
        .args(["bookmarks", "add", "a1"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not save"));
    std::fs::set_permissions(xdg.join("folio"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod back");
}
