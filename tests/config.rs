//! The config file from the command line: check, show, path, keys, completions, man, and a
//! config's corpus deciding what opens.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// `folio` with its config read from `dir/folio/config.toml` and its data under `dir/data`.
fn folio(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("folio").expect("binary");
    c.env("FOLIO_TODAY", "2026-01-15")
        .env("XDG_CONFIG_HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"));
    c
}

fn write_config(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("folio/config.toml");
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(&p, text).expect("write config");
    p
}

fn data(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(p)
        .display()
        .to_string()
}

fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().expect("runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const GOOD: &str = r#"# my folio
[theme]
preset = "mono"
[layout]
list_width = 70
[keys.global]
"Q" = "quit"
[[view]]
name = "Crypto in 2021"
query = "sector:crypto date:2021"
key = "f5"
"#;

#[test]
fn check_accepts_a_good_config_and_refuses_an_unknown_action_by_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_config(dir.path(), GOOD);
    let (ok, _, err) = run(folio(dir.path()).args(["config", "check"]));
    assert!(ok, "{err}");
    assert!(err.contains("fine"), "{err}");
    let bad = "[layout]\nlist_width = 60\n\n[keys.list]\n\"x\" = \"open_the_pod_bay_doors\"\n";
    write_config(dir.path(), bad);
    let (ok, _, err) = run(folio(dir.path()).args(["config", "check"]));
    assert!(!ok);
    let want = format!("{}:5:7:", p.display());
    assert!(err.contains(&want), "{err}");
    assert!(err.contains("open_the_pod_bay_doors"), "{err}");
    // The other commands warn and go on.
    let (ok, out, err) = run(folio(dir.path()).args(["list", "--limit", "2"]));
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 2);
    assert!(err.contains("warning") && err.contains(&want), "{err}");
}

#[test]
fn every_kind_of_error_is_named_with_its_place() {
    let dir = tempfile::tempdir().expect("tmp");
    for (text, at, what) in [
        (
            "[layout]\nlist_width = 50\nlist_hight = 3\n",
            ":3:1:",
            "list_hight",
        ),
        (
            "[keys.reader]\n\"ctrl-shift-q\" = \"quit\"\n",
            ":2:1:",
            "unknown key",
        ),
        ("[theme]\nselected = \"#12345\"\n", ":2:12:", "#rrggbb"),
        (
            "[[view]]\nname = \"v\"\nquery = \"\\\"open\"\n",
            ":3:9:",
            "not closed",
        ),
        (
            "[[view]]\nname = \"v\"\nquery = \"sectr:auto\"\n",
            ":3:9:",
            "did you mean sector:?",
        ),
        ("[theme\npreset = \"mono\"\n", ":1:", ""),
        ("corpus = 3\n", ":1:10:", "path"),
    ] {
        let p = write_config(dir.path(), text);
        let (ok, _, err) = run(folio(dir.path()).args(["config", "check"]));
        assert!(!ok, "{text}");
        assert!(
            err.contains(&format!("{}{at}", p.display())),
            "{text}: {err}"
        );
        assert!(err.contains(what), "{text}: {err}");
    }
}

#[test]
fn show_prints_the_effective_config_and_path_says_where() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_config(dir.path(), GOOD);
    let (ok, out, _) = run(folio(dir.path()).args(["config", "path"]));
    assert!(ok);
    assert_eq!(out.trim(), p.display().to_string());
    let (ok, out, err) = run(folio(dir.path()).args(["config", "show"]));
    assert!(ok, "{err}");
    for want in [
        "preset = \"mono\"",
        "list_width = 70",
        "\"Q\" = \"quit\"",
        "\"q\" = \"quit\"",
        "name = \"Crypto in 2021\"",
        "[keys.reader]",
    ] {
        assert!(out.contains(want), "{want}:\n{out}");
    }
    // What it prints is a valid config.
    let shown = dir.path().join("shown.toml");
    std::fs::write(&shown, &out).expect("write");
    let (ok, _, err) = run(folio(dir.path())
        .arg("--config")
        .arg(&shown)
        .args(["config", "check"]));
    assert!(ok, "{err}");
    // --config names a file that must exist.
    let (ok, _, err) =
        run(folio(dir.path()).args(["--config", "/nonexistent/x.toml", "config", "check"]));
    assert!(!ok && err.contains("/nonexistent/x.toml"), "{err}");
}

#[test]
fn the_config_corpus_decides_what_list_lists() {
    let dir = tempfile::tempdir().expect("tmp");
    let (_, all, _) = run(folio(dir.path()).arg("list"));
    assert_eq!(
        all.lines().count(),
        41,
        "the built-in corpus without a config"
    );
    write_config(
        dir.path(),
        &format!("corpus = [{:?}]\n", data("tricky.json")),
    );
    let (ok, out, err) = run(folio(dir.path()).arg("list"));
    assert!(ok, "{err}");
    assert_eq!(out.lines().count(), 6, "{out}");
    // A string works as well as a list, and --corpus still wins.
    write_config(dir.path(), &format!("corpus = {:?}\n", data("tricky.json")));
    let (_, out, _) = run(folio(dir.path()).arg("list"));
    assert_eq!(out.lines().count(), 6);
    let (_, out, _) = run(folio(dir.path()).args(["--corpus", "builtin", "list"]));
    assert_eq!(out.lines().count(), 41);
}

#[test]
fn keys_lists_every_action_with_the_merged_bindings() {
    let dir = tempfile::tempdir().expect("tmp");
    write_config(
        dir.path(),
        "[keys.global]\n\"Q\" = \"quit\"\n\"u\" = \"none\"\n",
    );
    let (_, shown, _) = run(folio(dir.path()).args(["config", "show"]));
    assert!(
        shown.contains("\"u\" = \"none\""),
        "show keeps the unbinding:\n{shown}"
    );
    let (ok, out, _) = run(folio(dir.path()).arg("keys"));
    assert!(ok);
    let quit = out
        .lines()
        .find(|l| l.starts_with("quit "))
        .expect("quit row");
    assert!(quit.contains("global: Q q ctrl-c"), "{quit}");
    let undo = out
        .lines()
        .find(|l| l.starts_with("undo "))
        .expect("undo row");
    assert!(undo.contains("(not bound)"), "{undo}");
    assert!(out.lines().count() >= 35);
}

#[test]
fn completions_and_man_page() {
    let dir = tempfile::tempdir().expect("tmp");
    let (ok, out, _) = run(folio(dir.path()).args(["completions", "bash"]));
    assert!(ok);
    assert!(out.contains("complete") && out.contains("folio"), "{out}");
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let (ok, out, _) = run(folio(dir.path()).args(["completions", shell]));
        assert!(ok && out.contains("folio"), "{shell}");
    }
    let (ok, out, _) = run(folio(dir.path()).arg("man"));
    assert!(ok);
    assert!(
        out.starts_with(".ie") || out.contains(".TH folio"),
        "{}",
        &out[..200.min(out.len())]
    );
}

#[test]
fn check_reports_a_missing_corpus_and_two_views_on_one_key() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = write_config(
        dir.path(),
        "corpus = [\"/nonexistent/folio/news.jsonl\"]\n[[view]]\nname = \"a\"\nquery = \"bitcoin\"\nkey = \"f5\"\n[[view]]\nname = \"b\"\nquery = \"tencent\"\nkey = \"f5\"\n",
    );
    let (ok, _, err) = run(folio(dir.path()).args(["config", "check"]));
    assert!(!ok);
    assert!(err.contains("/nonexistent/folio/news.jsonl"), "{err}");
    assert!(
        err.contains(&format!("{}:9:", p.display()))
            && err.contains("already the key of view \"a\""),
        "{err}"
    );
}
