//! Bookmarks and reading state in the database: the storage promises (every change
//! committed, two writers, kill -9, damaged databases moved aside, read-only and failing
//! folders), the migration from version 1's `bookmarks.json`, and the CLI.

use assert_cmd::Command;
use folio::store::Data;
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
        .env("XDG_CONFIG_HOME", xdg.join("config"))
        .env("FOLIO_TODAY", "2026-01-15")
        .env("FOLIO_NOW", "2026-01-15T09:00:00Z")
        .arg("--corpus")
        .arg(corpus);
    c
}

fn db(xdg: &Path) -> PathBuf {
    xdg.join("folio/folio.db")
}

fn legacy(xdg: &Path) -> PathBuf {
    xdg.join("folio/bookmarks.json")
}

fn saved(xdg: &Path) -> Data {
    folio::store::db::read_quiet(&db(xdg)).expect("a database that opens")
}

/// `PRAGMA quick_check` of the database (opened as folio opens it, so that a crash's
/// journal is rolled back first).
fn quick_check(path: &Path) -> String {
    let c = rusqlite::Connection::open(path).expect("opens");
    c.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0))
        .expect("quick_check runs")
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

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn files_in(dir: &Path, containing: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.to_string_lossy().contains(containing))
        .collect();
    v.sort();
    v
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
    let keys: Vec<String> = saved(xdg).bookmarks.into_keys().collect();
    assert_eq!(keys, ["cjk-title", "long-body", "undated"]);
    let list = folio(xdg, &c)
        .args(["bookmarks", "list"])
        .output()
        .expect("list");
    let list = String::from_utf8_lossy(&list.stdout);
    // Three bookmarks, each note whole under its article (two lines, then one).
    assert_eq!(list.lines().count(), 6, "{list}");
    assert!(
        list.contains("    Check the range claim.\n    Ask BYD.\n"),
        "{list}"
    );
    assert!(list.contains("    Find a date\n"), "{list}");
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
fn export_then_import_moves_bookmarks_between_machines_without_doubles() {
    let dir = tempfile::tempdir().expect("tmp");
    let (home, away) = (dir.path().join("home"), dir.path().join("away"));
    let c = data("tricky.json");
    folio(&home, &c)
        .args(["bookmarks", "add", "cjk", "--note", "Ask BYD."])
        .assert()
        .success();
    folio(&home, &c)
        .args(["bookmarks", "add", "undated"])
        .assert()
        .success();
    let export = dir.path().join("export.json");
    folio(&home, &c)
        .args(["bookmarks", "export", "--format", "json", "-o"])
        .arg(&export)
        .assert()
        .success();
    // The other machine has one of them already, with its own note.
    folio(&away, &c)
        .args(["bookmarks", "add", "cjk", "--note", "Compare with NIO."])
        .assert()
        .success();
    let out = folio(&away, &c)
        .args(["bookmarks", "import"])
        .arg(&export)
        .output()
        .expect("import");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("1 bookmark added, 1 with a note merged"),
        "{}",
        stderr(&out)
    );
    let d = saved(&away);
    assert_eq!(d.bookmarks.len(), 2);
    assert_eq!(
        d.bookmarks["cjk-title"].note,
        "Compare with NIO.\n\nAsk BYD."
    );
    // Again: nothing changes.
    let out = folio(&away, &c)
        .args(["bookmarks", "import"])
        .arg(&export)
        .output()
        .expect("import");
    assert!(stderr(&out).contains("0 bookmarks added, 0 with a note merged, 2 already here"));
    assert_eq!(saved(&away), d);
    // A file that is not an export is refused with its place.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "[{\"id\": \"x\"},\n  {\"note\": 1}]").expect("write");
    let out = folio(&away, &c)
        .args(["bookmarks", "import"])
        .arg(&bad)
        .output()
        .expect("import");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("bad.json:2:"), "{}", stderr(&out));
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
    let d = saved(xdg);
    assert!(d.bookmarks.contains_key("cjk-title"), "kept: {d:?}");
    assert!(d.bookmarks.contains_key("a1"));
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
    assert_eq!(
        saved(&xdg).bookmarks.len(),
        120,
        "every bookmark from both processes is there"
    );
}

#[test]
fn kill_9_during_writes_loses_nothing_committed_and_leaves_a_database_that_opens() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 40);
    let bin = env!("CARGO_BIN_EXE_folio");
    // A large note makes each write take a while.
    let note = "x".repeat(100_000);
    let mut kills = 0;
    let mut committed = Vec::new();
    for round in 0..25u64 {
        let id = format!("a{}", round % 40);
        let mut child = std::process::Command::new(bin)
            .env("XDG_DATA_HOME", &xdg)
            .arg("--corpus")
            .arg(&corpus)
            .args(["bookmarks", "add", &id, "--note", &note])
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_micros(500 + (round * 397) % 9000));
        match child.try_wait().expect("try_wait") {
            Some(st) if st.success() => committed.push(id),
            Some(_) => {}
            None => {
                if child.kill().is_ok() {
                    kills += 1;
                }
            }
        }
        let _ = child.wait();
        if db(&xdg).exists() {
            // folio itself opens it without complaint.
            let out = folio(&xdg, &corpus)
                .args(["bookmarks", "list"])
                .output()
                .expect("list");
            assert!(out.status.success(), "round {round}: {}", stderr(&out));
            assert!(
                !stderr(&out).contains("damaged"),
                "round {round}: {}",
                stderr(&out)
            );
            assert_eq!(quick_check(&db(&xdg)), "ok", "round {round}");
            let d = saved(&xdg);
            for id in &committed {
                assert!(
                    d.bookmarks.contains_key(id),
                    "round {round}: {id} was committed"
                );
            }
        }
        // The next folio opens it as it is: nothing moved aside.
        if xdg.join("folio").exists() {
            assert!(
                files_in(&xdg.join("folio"), "corrupt").is_empty(),
                "round {round}"
            );
        }
    }
    assert!(kills > 0);
}

/// A real database holding one bookmark, made by folio.
fn real_database(xdg: &Path, corpus: &Path) -> Vec<u8> {
    folio(xdg, corpus)
        .args(["bookmarks", "add", "a0", "--note", &"n".repeat(20_000)])
        .assert()
        .success();
    // Checkpoint the WAL into the file, as a folio that quit would.
    let c = rusqlite::Connection::open(db(xdg)).expect("open");
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    drop(c);
    std::fs::read(db(xdg)).expect("read")
}

#[test]
fn damaged_databases_are_moved_aside_byte_for_byte_and_reported() {
    let scratch = tempfile::tempdir().expect("tmp");
    let corpus = corpus_of(scratch.path(), 3);
    let good = real_database(&scratch.path().join("good"), &corpus);
    assert!(good.len() >= 4096 * 4, "a database of several pages");
    let mut truncated = good.clone();
    truncated.truncate(good.len() / 2 + 100);
    let mut bad_page = good.clone();
    // Scribble over the second page (the first table's b-tree page).
    for b in &mut bad_page[4096..4096 + 512] {
        *b = 0xA5;
    }
    let mut bad_header = good.clone();
    bad_header[..16].copy_from_slice(b"SQLite format 2\0");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "not SQLite",
            b"{\"version\": 1, \"bookmarks\": {}}".to_vec(),
        ),
        (
            "binary noise",
            (0..10_000u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        ("truncated", truncated),
        ("a damaged page", bad_page),
        ("a wrong header", bad_header),
        ("header only", good[..100].to_vec()),
    ];
    for (what, bytes) in &cases {
        let dir = tempfile::tempdir().expect("tmp");
        let xdg = dir.path().join("xdg");
        std::fs::create_dir_all(xdg.join("folio")).expect("mkdir");
        std::fs::write(db(&xdg), bytes).expect("write damaged");
        let wal = b"not a wal".to_vec();
        std::fs::write(xdg.join("folio/folio.db-wal"), &wal).expect("wal");
        let out = folio(&xdg, &corpus)
            .args(["bookmarks", "add", "a2"])
            .output()
            .expect("run");
        let err = stderr(&out);
        assert!(out.status.success(), "{what}: {err}");
        assert!(
            err.contains("damaged") && err.contains("corrupt-"),
            "{what}: told on stderr: {err}"
        );
        let aside = files_in(&xdg.join("folio"), "folio.db.corrupt-");
        let main: Vec<&PathBuf> = aside
            .iter()
            .filter(|p| {
                !p.to_string_lossy().ends_with("-wal") && !p.to_string_lossy().ends_with("-shm")
            })
            .collect();
        assert_eq!(main.len(), 1, "{what}: one database moved aside: {aside:?}");
        assert_eq!(
            &std::fs::read(main[0]).expect("aside"),
            bytes,
            "{what}: byte for byte"
        );
        let wal_aside = PathBuf::from(format!("{}-wal", main[0].display()));
        assert_eq!(
            std::fs::read(&wal_aside).expect("wal aside"),
            wal,
            "{what}: the -wal too"
        );
        let d = saved(&xdg);
        assert!(
            d.bookmarks.contains_key("a2"),
            "{what}: the new bookmark is saved"
        );
        assert_eq!(quick_check(&db(&xdg)), "ok");
    }
}

#[test]
fn a_newer_database_is_left_alone_and_changes_are_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 3);
    real_database(&xdg, &corpus);
    let c = rusqlite::Connection::open(db(&xdg)).expect("open");
    c.pragma_update(None, "user_version", 99).expect("future");
    c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    drop(c);
    let before = std::fs::read(db(&xdg)).expect("read");
    let out = folio(&xdg, &corpus)
        .args(["bookmarks", "add", "a1"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("newer folio"), "{}", stderr(&out));
    assert_eq!(std::fs::read(db(&xdg)).expect("read"), before, "untouched");
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
    assert!(stderr(&out).contains("could not save"), "{}", stderr(&out));
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
    assert!(stderr(&out).contains("could not save"));
    std::fs::set_permissions(xdg.join("folio"), std::fs::Permissions::from_mode(0o755))
        .expect("chmod back");
}

/// A version 1 bookmarks file: `bookmarks` bookmarks (ids b0..), `read` read entries
/// (ids r0..), one reading position, and a bookmark for an article no corpus has.
fn legacy_json(bookmarks: usize, read: usize) -> String {
    let mut b = serde_json::Map::new();
    for i in 0..bookmarks {
        b.insert(
            format!("b{i}"),
            serde_json::json!({"added": "2025-03-01T10:00:00Z", "title": format!("Bookmark {i}"), "note": if i % 3 == 0 { format!("note {i}") } else { String::new() }}),
        );
    }
    // Written by hand, without its time: still a bookmark.
    b.insert(
        "bare-bookmark".into(),
        serde_json::json!({"title": "Kept without a time", "extra": true}),
    );
    b.insert(
        "gone-article".into(),
        serde_json::json!({"added": "2024-01-01T00:00:00Z", "title": "An article from an old corpus", "note": "keep me"}),
    );
    let mut r = serde_json::Map::new();
    for i in 0..read {
        r.insert(format!("r{i}"), serde_json::json!({"read": true}));
    }
    r.insert(
        "b1".into(),
        serde_json::json!({"read": true, "position": [3, 120]}),
    );
    serde_json::to_string_pretty(&serde_json::json!({"version": 1, "bookmarks": b, "reading": r}))
        .expect("json")
}

#[test]
fn version_1_bookmarks_are_migrated_once_and_the_file_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 3);
    std::fs::create_dir_all(xdg.join("folio")).expect("mkdir");
    let json = legacy_json(2000, 20_000);
    std::fs::write(legacy(&xdg), &json).expect("write");
    let out = folio(&xdg, &corpus)
        .args(["bookmarks", "list", "--json"])
        .output()
        .expect("list");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("moved 2002 bookmarks"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("damaged"), "{}", stderr(&out));
    let listed: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        listed.len(),
        2002,
        "every bookmark listed, the unknown article's too"
    );
    assert!(!legacy(&xdg).exists(), "renamed");
    let kept = xdg.join("folio/bookmarks.json.migrated");
    assert_eq!(
        std::fs::read_to_string(&kept).expect("kept"),
        json,
        "never deleted"
    );
    let d = saved(&xdg);
    assert_eq!(d.bookmarks.len(), 2002);
    assert_eq!(d.bookmarks["gone-article"].note, "keep me");
    assert!(
        !d.bookmarks["bare-bookmark"].added.is_empty(),
        "the file's time"
    );
    assert_eq!(d.bookmarks["b3"].note, "note 3");
    assert_eq!(d.reading.len(), 20_001);
    assert_eq!(d.reading["b1"].position, Some((3, 120)));
    // The second run has nothing to migrate and says nothing.
    let out = folio(&xdg, &corpus)
        .args(["bookmarks", "list"])
        .output()
        .expect("list");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_damaged_version_1_file_is_moved_aside_not_migrated() {
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().join("xdg");
    let corpus = corpus_of(dir.path(), 3);
    std::fs::create_dir_all(xdg.join("folio")).expect("mkdir");
    let bytes = b"{\"version\": 1, \"bookmarks\": {\"a1\": {\"added\": \"x\"";
    std::fs::write(legacy(&xdg), bytes).expect("write");
    let out = folio(&xdg, &corpus)
        .args(["bookmarks", "add", "a2"])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("bookmarks file was damaged") && stderr(&out).contains("corrupt-"),
        "{}",
        stderr(&out)
    );
    let aside = files_in(&xdg.join("folio"), "bookmarks.json.corrupt-");
    assert_eq!(aside.len(), 1);
    assert_eq!(
        std::fs::read(&aside[0]).expect("aside"),
        bytes,
        "byte for byte"
    );
    assert!(saved(&xdg).bookmarks.contains_key("a2"));
}
