//! The `folio` binary on the command line.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::collections::HashSet;

fn folio() -> Command {
    let mut c = Command::cargo_bin("folio").expect("binary");
    // No library, no config: what a fresh machine opens.
    c.env("FOLIO_TODAY", "2026-01-15")
        .env("XDG_DATA_HOME", "/nonexistent/folio-test/data")
        .env("XDG_CONFIG_HOME", "/nonexistent/folio-test/config");
    c
}

fn json_of(args: &[&str]) -> Value {
    let out = folio().args(args).output().expect("runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn all_articles() -> Vec<Value> {
    let list = json_of(&["list", "--json"]);
    list.as_array()
        .expect("array")
        .iter()
        .map(|m| json_of(&["show", m["id"].as_str().expect("id"), "--json"]))
        .collect()
}

#[test]
fn list_shows_the_41_seed_articles_with_unique_ids_and_titles() {
    let out = folio().arg("list").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(text.lines().count(), 41);
    let list = json_of(&["list", "--json"]);
    let arr = list.as_array().expect("array");
    assert_eq!(arr.len(), 41);
    let ids: HashSet<&str> = arr.iter().map(|a| a["id"].as_str().expect("id")).collect();
    let titles: HashSet<&str> = arr
        .iter()
        .map(|a| a["title"].as_str().expect("title"))
        .collect();
    assert_eq!(ids.len(), 41);
    assert_eq!(titles.len(), 41);
    assert!(
        arr.iter().all(|a| a.get("body").is_none()),
        "list --json has no bodies"
    );
}

#[test]
fn list_is_newest_first_and_limit_and_words_work() {
    let list = json_of(&["list", "--json"]);
    let dates: Vec<&str> = list
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|a| a["date"].as_str())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let two = json_of(&["list", "--json", "--limit", "2"]);
    assert_eq!(two.as_array().map(Vec::len), Some(2));
}

#[test]
fn show_prints_metadata_and_wrapped_body() {
    let out = folio()
        .args(["show", "japan-plans-separate-tax"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.starts_with("Japan plans separate tax treatment"));
    assert!(text.contains("2025-12-29"));
    assert!(text.contains("Metaplanet"));
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "wrapped at 80"
    );
}

#[test]
fn show_unknown_id_suggests_close_ids() {
    folio()
        .args(["show", "japan-plans-separate-tax-treatmnt"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("did you mean").and(predicate::str::contains("japan-plans")),
        );
}

#[test]
fn broken_corpus_names_its_line_and_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("broken.json");
    std::fs::write(
        &p,
        "{\n  \"version\": 1,\n  \"articles\": [{\"title\": \"a\" \"body\": \"b\"}]\n}\n",
    )
    .expect("write");
    folio()
        .args(["list", "--corpus"])
        .arg(&p)
        .assert()
        .failure()
        .stderr(predicate::str::contains("broken.json:3:"));
    // --corpus before the subcommand works as well
    folio()
        .arg("--corpus")
        .arg(&p)
        .arg("list")
        .assert()
        .failure()
        .stderr(predicate::str::contains("broken.json:3:"));
}

#[test]
fn a_users_corpus_loads_from_json_lines() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("mine.jsonl");
    std::fs::write(
        &p,
        "{\"title\": \"First\", \"body\": \"one\", \"date\": \"2024-02\"}\n{\"title\": \"Second\", \"body\": \"two\"}\n",
    )
    .expect("write");
    let out = folio()
        .arg("--corpus")
        .arg(&p)
        .args(["list"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert_eq!(text.lines().count(), 2);
    assert!(text.lines().next().unwrap_or("").contains("First"));
}

const CHROME: &[&str] = &[
    "Top",
    "More to Read",
    "View All",
    "Loading",
    "Exit mobile version",
    "Source link",
    "news",
    "CoinTrust",
];

#[test]
fn page_chrome_is_absent_from_every_body() {
    for a in all_articles() {
        let body = a["body"].as_str().expect("body");
        for p in body.split("\n\n") {
            assert!(!CHROME.contains(&p.trim()), "chrome {p:?} in {}", a["id"]);
        }
        for bad in [
            "Photo by ",
            "https://asset.",
            ".webp",
            "READ MORE",
            "Unsplash",
            "Pexels",
        ] {
            assert!(!body.contains(bad), "{bad:?} in {}", a["id"]);
        }
    }
}

#[test]
fn seed_passages_are_each_in_exactly_one_body() {
    let bodies: Vec<String> = all_articles()
        .iter()
        .map(|a| a["body"].as_str().expect("body").to_string())
        .collect();
    let passages = [
        "Sichuan, a province once known as a crypto mining hub",
        "the ministry expressed concerns about the lack of clear definitions in virtual reality",
        "Recognizing the necessity for augmenting its Web3 endeavors",
        "chain of custody (for tamper-resistant forensic evidence",
        "Despite 315 million monthly active users",
        "Metaplanet shareholders authorized a long-term plan",
        "Justices Surya Kant and Dipankar Datta",
        "real estate platform Funble",
        "China had a rough ride in 2022.",
        "Tencent launched a non-fungible token (NFT) trading platform.",
    ];
    for p in passages {
        let n = bodies.iter().filter(|b| b.contains(p)).count();
        assert_eq!(n, 1, "{p:?} found in {n} bodies");
    }
}

#[test]
fn import_rebuilds_the_committed_corpus_byte_for_byte() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut seeds: Vec<_> = std::fs::read_dir(format!("{root}/assets/seeds"))
        .expect("seeds")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5);
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("corpus.json");
    folio()
        .arg("import")
        .args(&seeds)
        .arg("--curation")
        .arg(format!("{root}/assets/curation.json"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("41 articles from 5 files"));
    let built = std::fs::read(&out).expect("built");
    let committed = std::fs::read(format!("{root}/assets/corpus.json")).expect("committed");
    assert!(
        built == committed,
        "assets/corpus.json is stale: rebuild it with the command in the README"
    );
}

#[test]
fn import_keeps_going_past_bad_files() {
    let dir = tempfile::tempdir().expect("tmp");
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "A headline for the test\n\nSome body text here.\n").expect("w");
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, [0xffu8, 0xfe, 0x00, 0x41]).expect("w");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "").expect("w");
    let out = folio()
        .arg("import")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("empty.txt"), "{err}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["articles"][0]["title"], "A headline for the test");
}

/// Every command's path (`["bookmarks", "add"]`), walked from the top.
fn command_paths(cmd: &clap::Command, path: &[String], out: &mut Vec<Vec<String>>) {
    out.push(path.to_vec());
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let mut p = path.to_vec();
        p.push(sub.get_name().to_string());
        command_paths(sub, &p, out);
    }
}

#[test]
fn every_command_argument_and_value_has_a_description() {
    use clap::CommandFactory;
    let mut top = folio::cli::Cli::command();
    top.build();
    let mut missing = Vec::new();
    fn walk(cmd: &clap::Command, name: &str, missing: &mut Vec<String>) {
        if cmd
            .get_about()
            .is_none_or(|a| a.to_string().trim().is_empty())
        {
            missing.push(format!("{name}: the command"));
        }
        for arg in cmd.get_arguments() {
            let help = arg.get_help().or(arg.get_long_help());
            if help.is_none_or(|h| h.to_string().trim().is_empty()) {
                missing.push(format!("{name}: {}", arg.get_id()));
            }
            for v in arg.get_possible_values() {
                if !v.is_hide_set() && v.get_help().is_none() && arg.get_id() != "shell" {
                    missing.push(format!("{name}: {} = {}", arg.get_id(), v.get_name()));
                }
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{name} {}", sub.get_name()), missing);
        }
    }
    walk(&top, "folio", &mut missing);
    assert!(missing.is_empty(), "without a description: {missing:#?}");

    // And as a user sees it: `folio <cmd> --help` has no blank entry.
    let mut paths = Vec::new();
    command_paths(&top, &[], &mut paths);
    for p in paths {
        let mut args = p.clone();
        args.push("--help".into());
        let out = folio().args(&args).output().expect("runs");
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).expect("utf8");
        let mut section = "";
        for line in text.lines() {
            if !line.starts_with(' ') && line.ends_with(':') {
                section = line;
                continue;
            }
            if section.is_empty() || section.starts_with("Usage") {
                continue;
            }
            let t = line.trim_start();
            // An entry is the flag or name, two spaces or more, then its description.
            let is_entry = line.starts_with("  ") && !line.starts_with("          ");
            if is_entry && !t.is_empty() {
                let described = t.contains("  ") && !t.trim_end().ends_with('>');
                let next_describes = text
                    .lines()
                    .skip_while(|l| *l != line)
                    .nth(1)
                    .is_some_and(|n| n.starts_with("          ") && !n.trim().is_empty());
                assert!(
                    described || next_describes,
                    "`folio {}`: {t:?} has no description in\n{text}",
                    p.join(" ")
                );
            }
        }
    }
}

#[test]
fn help_says_that_folio_alone_opens_the_reader_and_lists_global_options_apart() {
    let out = folio().arg("--help").output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.contains("`folio` alone"), "{text}");
    let sub = folio().args(["list", "--help"]).output().expect("runs");
    let text = String::from_utf8(sub.stdout).expect("utf8");
    let global = text.find("Global options:").expect("a heading of its own");
    assert!(text[global..].contains("--corpus") && text[global..].contains("--config"));
    assert!(!text[..global].contains("--corpus"), "{text}");
}

#[test]
fn man_pages_refer_only_to_pages_that_exist() {
    let single = folio().arg("man").output().expect("runs");
    let page = String::from_utf8(single.stdout).expect("utf8");
    assert!(page.contains(".TH folio 1"), "{page}");
    assert!(
        !page.contains("folio\\-list(1)"),
        "the single page points at no other page"
    );
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("man1");
    folio()
        .args(["man", "--dir", &out.display().to_string()])
        .assert()
        .success();
    let names: HashSet<String> = std::fs::read_dir(&out)
        .expect("pages")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    for n in [
        "folio.1",
        "folio-list.1",
        "folio-bookmarks-add.1",
        "folio-man.1",
    ] {
        assert!(names.contains(n), "{n} in {names:?}");
    }
    for n in &names {
        let text = std::fs::read_to_string(out.join(n)).expect("page");
        for (i, _) in text.match_indices("(1)") {
            let start = text[..i]
                .rfind(|c: char| c.is_whitespace())
                .map_or(0, |s| s + 1);
            let referred = text[start..i].replace("\\-", "-");
            assert!(
                names.contains(&format!("{referred}.1")),
                "{n} refers to {referred}(1), which was not written"
            );
        }
    }
}

#[test]
fn an_unknown_field_is_refused_with_the_closest_one() {
    let out = folio()
        .args(["list", "--query", "sectr:auto"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown field \"sectr\""), "{err}");
    assert!(err.contains("did you mean sector:?"), "{err}");
    // A word with a colon that is no field still searches.
    let out = folio()
        .args(["list", "--query", "10:30"])
        .output()
        .expect("runs");
    assert!(out.status.success());
}

#[test]
fn an_ambiguous_id_lists_every_id_it_starts() {
    let out = folio().args(["show", "china"]).output().expect("runs");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let listed = folio().arg("list").output().expect("list");
    let ids: Vec<String> = String::from_utf8_lossy(&listed.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|id| id.starts_with("china"))
        .collect();
    assert!(ids.len() > 1);
    assert!(
        err.contains(&format!("start of {} ids", ids.len())),
        "{err}"
    );
    for id in &ids {
        assert!(err.contains(id.as_str()), "{id} missing: {err}");
    }
    // Only ids that start with it.
    for l in err.lines().skip(1) {
        let first = l.split_whitespace().next().unwrap_or("");
        assert!(first.starts_with("china") || first == "…", "{l}");
    }
}

#[test]
fn a_feed_or_text_given_as_a_corpus_says_what_it_is_and_what_reads_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let feed = dir.path().join("feed.xml");
    std::fs::write(
        &feed,
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title></channel></rss>",
    )
    .expect("write");
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "Just some notes\nwithout much\n").expect("write");
    for (file, what) in [(&feed, "a feed"), (&text, "plain text")] {
        let out = folio()
            .arg("--corpus")
            .arg(file)
            .arg("list")
            .output()
            .expect("runs");
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(what), "{err}");
        assert!(
            err.contains("folio add") && err.contains("folio import"),
            "{err}"
        );
    }
}
