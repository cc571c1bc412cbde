//! Subscriptions and sync against a server the tests start on loopback addresses: what folio
//! printed, what it kept, and what the server saw (headers sent, requests in flight per host).

mod common;

use assert_cmd::Command;
use common::server::{gzip, rss, Reply, Seen, Server};
use serde_json::Value;
use std::net::Ipv4Addr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// folio with its own data and config folders, and a config with short timeouts.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Home {
        Home::with_config(
            "[sync]\nconnect_timeout = \"2s\"\nread_timeout = \"2s\"\nmax_size = \"1MB\"\n",
        )
    }

    fn with_config(cfg: &str) -> Home {
        let dir = tempfile::tempdir().expect("tmp");
        let c = dir.path().join("config/folio");
        std::fs::create_dir_all(&c).expect("mkdir");
        std::fs::write(c.join("config.toml"), cfg).expect("config");
        Home { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn folio(&self) -> Command {
        let mut c = Command::cargo_bin("folio").expect("binary");
        c.env("XDG_DATA_HOME", self.path().join("data"))
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_STATE_HOME", self.path().join("state"))
            .env("FOLIO_TODAY", "2026-01-15")
            .env_remove("HTTP_PROXY")
            .env_remove("HTTPS_PROXY")
            .env_remove("http_proxy")
            .env_remove("https_proxy")
            .env_remove("ALL_PROXY");
        c
    }

    /// Run folio; (success, stdout, stderr).
    fn run(&self, args: &[&str]) -> (bool, String, String) {
        let out = self.folio().args(args).output().expect("runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        let (ok, out, err) = self.run(args);
        assert!(ok, "{args:?} failed: {err}");
        out + &err
    }

    fn feeds(&self) -> Vec<Value> {
        let out = self.ok(&["feeds", "list", "--json"]);
        serde_json::from_str(&out[..out.rfind(']').map_or(out.len(), |i| i + 1)]).expect("json")
    }

    fn articles(&self) -> Vec<Value> {
        let (ok, out, err) = self.run(&["list", "--json"]);
        assert!(ok, "{err}");
        serde_json::from_str(&out).expect("json")
    }
}

/// A feed whose items and `ETag` can change, answering conditional requests with 304.
/// A feed's ETag and its items (guid, title, body).
type FeedState = (String, Vec<(String, String, String)>);

#[derive(Clone)]
struct LiveFeed {
    state: Arc<Mutex<FeedState>>,
}

impl LiveFeed {
    fn new(etag: &str, items: &[(&str, &str, &str)]) -> LiveFeed {
        LiveFeed {
            state: Arc::new(Mutex::new((
                etag.to_string(),
                items
                    .iter()
                    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
                    .collect(),
            ))),
        }
    }

    fn set(&self, etag: &str, items: &[(&str, &str, &str)]) {
        *self.state.lock().expect("lock") = (
            etag.to_string(),
            items
                .iter()
                .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
                .collect(),
        );
    }

    fn reply(&self, req: &Seen, title: &str) -> Reply {
        let (etag, items) = self.state.lock().expect("lock").clone();
        let lm = "Mon, 01 Jan 2024 10:00:00 GMT";
        if req.header("if-none-match") == Some(etag.as_str()) {
            return Reply::new(304).header("ETag", &etag);
        }
        let items: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
            .collect();
        Reply::ok(rss(title, &items), "application/rss+xml")
            .header("ETag", &etag)
            .header("Last-Modified", lm)
    }
}

const TWO: &[(&str, &str, &str)] = &[
    (
        "g1",
        "Battery maker expands",
        "A battery maker opened a plant in Hefei.",
    ),
    (
        "g2",
        "Chip exports slow",
        "Chip exports slowed in the third quarter.",
    ),
];

#[test]
fn add_then_two_syncs_the_second_all_conditional_and_not_modified() {
    let feed = LiveFeed::new("\"v1\"", TWO);
    let f = feed.clone();
    let server = Server::start(move |req| match req.path.as_str() {
        "/feed.xml" => f.reply(req, "Tech Wire"),
        _ => Reply::new(404),
    });
    let home = Home::new();
    let url = server.url(0, "/feed.xml");
    let out = home.ok(&["feeds", "add", &url, "--tag", "tech"]);
    assert!(
        out.contains("Tech Wire") && out.contains("2 new articles"),
        "{out}"
    );
    assert_eq!(home.articles().len(), 2);
    let first = &server.seen_path("/feed.xml")[0];
    assert!(
        first
            .header("user-agent")
            .is_some_and(|u| u.starts_with("folio/")),
        "{first:?}"
    );
    assert!(first
        .header("accept-encoding")
        .is_some_and(|e| e.contains("gzip")));
    assert!(
        first.header("if-none-match").is_none(),
        "the first fetch is plain"
    );

    let out = home.ok(&["sync"]);
    assert!(out.contains("Tech Wire: not modified"), "{out}");
    assert!(out.contains("0 new articles"), "{out}");
    let second = server.seen_path("/feed.xml").pop().expect("request");
    assert_eq!(second.header("if-none-match"), Some("\"v1\""));
    assert_eq!(
        second.header("if-modified-since"),
        Some("Mon, 01 Jan 2024 10:00:00 GMT")
    );
    assert_eq!(home.articles().len(), 2, "a 304 adds nothing");

    // The feed gains an item and a new ETag: one new article, and the new ETag is sent next.
    let mut three = TWO.to_vec();
    three.push((
        "g3",
        "Robotaxi permits widen",
        "More cities issued permits.",
    ));
    feed.set("\"v2\"", &three);
    let out = home.ok(&["sync"]);
    assert!(out.contains("Tech Wire: new 1"), "{out}");
    assert_eq!(home.articles().len(), 3);
    home.ok(&["sync"]);
    let last = server.seen_path("/feed.xml").pop().expect("request");
    assert_eq!(
        last.header("if-none-match"),
        Some("\"v2\""),
        "the newest ETag replaces the old"
    );

    // An item whose text changed is updated in place: same id, new text, nothing added.
    let before: Vec<String> = home
        .articles()
        .iter()
        .map(|a| a["id"].to_string())
        .collect();
    let mut edited = three.clone();
    edited[0] = (
        "g1",
        "Battery maker expands",
        "A battery maker opened two plants.",
    );
    feed.set("\"v3\"", &edited);
    let out = home.ok(&["sync"]);
    assert!(out.contains("new 0, updated 1"), "{out}");
    let after: Vec<String> = home
        .articles()
        .iter()
        .map(|a| a["id"].to_string())
        .collect();
    assert_eq!(before, after);

    let feeds = home.feeds();
    assert_eq!(feeds.len(), 1);
    assert_eq!(feeds[0]["tags"], serde_json::json!(["tech"]));
    assert_eq!(feeds[0]["articles"], 3);
    assert_eq!(feeds[0]["unread"], 3);
    assert_eq!(feeds[0]["failures"], 0);
    // Articles carry the feed's tag and name.
    let a = &home.articles()[0];
    assert_eq!(a["feed"], "Tech Wire");
    assert!(
        a["tags"]
            .as_array()
            .expect("tags")
            .iter()
            .any(|t| t == "tech"),
        "{a}"
    );
}

#[test]
fn a_page_that_links_to_its_feed_is_followed_and_other_pages_are_refused() {
    let feed = LiveFeed::new("\"e\"", TWO);
    let f = feed.clone();
    let server = Server::start(move |req| {
        match req.path.as_str() {
        "/blog/" => Reply::ok(
            "<!doctype html><html><head><title>Blog</title>\
             <link rel=\"alternate\" type=\"application/rss+xml\" title=\"RSS\" href=\"../rss/feed.xml\">\
             </head><body>Hello</body></html>",
            "text/html; charset=utf-8",
        ),
        "/rss/feed.xml" => f.reply(req, "The Blog"),
        "/plain/" => Reply::ok("<html><head></head><body>no feed</body></html>", "text/html"),
        "/text" => Reply::ok("just words, not a feed", "text/plain"),
        _ => Reply::new(404),
    }
    });
    let home = Home::new();
    let out = home.ok(&["feeds", "add", &server.url(0, "/blog/")]);
    assert!(out.contains("The Blog") && out.contains("2 new"), "{out}");
    assert_eq!(home.feeds()[0]["url"], server.url(0, "/rss/feed.xml"));

    let (ok, _, err) = home.run(&["feeds", "add", &server.url(0, "/plain/")]);
    assert!(!ok && err.contains("no feed found on this page"), "{err}");
    let (ok, _, err) = home.run(&["feeds", "add", &server.url(0, "/missing")]);
    assert!(!ok && err.contains("404"), "{err}");
    let (ok, _, err) = home.run(&["feeds", "add", &server.url(0, "/text")]);
    assert!(
        !ok && err.contains("not a feed") && err.contains("text/plain"),
        "{err}"
    );
    let (ok, _, err) = home.run(&["feeds", "add", "not a url"]);
    assert!(!ok && err.contains("not a web address"), "{err}");
    assert_eq!(home.feeds().len(), 1);
}

#[test]
fn redirects_move_a_subscription_only_when_permanent() {
    let feed = LiveFeed::new("\"r\"", TWO);
    let (f1, f2) = (feed.clone(), feed.clone());
    let server = Server::start(move |req| match req.path.as_str() {
        "/old" => Reply::new(301).header("Location", "/new"),
        "/new" => f1.reply(req, "Moved Feed"),
        "/temp" => Reply::new(302).header("Location", "/elsewhere"),
        "/elsewhere" => f2.reply(req, "Temp Feed"),
        "/loop" => Reply::new(302).header("Location", "/loop"),
        _ => Reply::new(404),
    });
    let home = Home::new();
    home.ok(&["feeds", "add", &server.url(0, "/old")]);
    assert_eq!(home.feeds()[0]["url"], server.url(0, "/new"));
    // Subscribed at the temporary address, and it stays there across syncs.
    let opml = home.path().join("subs.opml");
    std::fs::write(
        &opml,
        format!(
            "<opml version=\"2.0\"><body><outline text=\"T\" xmlUrl=\"{}\"/></body></opml>",
            server.url(0, "/temp")
        ),
    )
    .expect("opml");
    home.ok(&["feeds", "import", &opml.display().to_string()]);
    let out = home.ok(&["sync"]);
    assert!(out.contains("Temp Feed") || out.contains("T:"), "{out}");
    let urls: Vec<String> = home
        .feeds()
        .iter()
        .map(|f| f["url"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(urls.contains(&server.url(0, "/temp")), "{urls:?}");
    // A redirect loop is an error after five hops, not a hang.
    let (ok, _, err) = home.run(&["feeds", "add", &server.url(0, "/loop")]);
    assert!(!ok && err.contains("redirects"), "{err}");
    assert!(server.seen_path("/loop").len() <= 6);
}

#[test]
fn failures_are_outcomes_that_back_off_and_the_other_feeds_go_on() {
    let hits = Arc::new(AtomicUsize::new(0));
    let h = Arc::clone(&hits);
    let good = LiveFeed::new("\"g\"", TWO);
    let g = good.clone();
    let broken = Arc::new(Mutex::new(false));
    let b = Arc::clone(&broken);
    let server = Server::start(move |req| match req.path.as_str() {
        "/good" => g.reply(req, "Good"),
        "/busy" => {
            h.fetch_add(1, Ordering::SeqCst);
            if *b.lock().expect("lock") {
                Reply::new(429).header("Retry-After", "3600")
            } else {
                Reply::ok(rss("Busy", &TWO[..1]), "application/rss+xml")
            }
        }
        "/error" => {
            if *b.lock().expect("lock") {
                Reply::new(500)
            } else {
                Reply::ok(rss("Error", &TWO[1..]), "application/rss+xml")
            }
        }
        "/invalid" => {
            if *b.lock().expect("lock") {
                Reply::ok(
                    "<html><body><h1>Maintenance</h1>Back soon.</body></html>",
                    "text/html",
                )
            } else {
                Reply::ok(
                    rss("Invalid", &[("i1", "Kept article", "Text.")]),
                    "application/rss+xml",
                )
            }
        }
        _ => Reply::new(404),
    });
    let home = Home::new();
    for p in ["/good", "/busy", "/error", "/invalid"] {
        home.ok(&["feeds", "add", &server.url(0, p)]);
    }
    let before = home.articles().len();
    *broken.lock().expect("lock") = true;
    let (ok, out, err) = home.run(&["sync"]);
    assert!(ok, "a sync with failures still exits 0: {err}");
    assert!(out.contains("Busy: failed: 429"), "{out}");
    assert!(out.contains("Error: failed: 500"), "{out}");
    assert!(out.contains("Invalid: failed: not a feed"), "{out}");
    assert!(out.contains("Good: not modified"), "{out}");
    assert!(out.contains("3 failed"), "{out}");
    assert_eq!(
        home.articles().len(),
        before,
        "the failing feeds keep their articles"
    );
    let feeds = home.feeds();
    let busy = feeds.iter().find(|f| f["title"] == "Busy").expect("busy");
    assert_eq!(busy["failures"], 1);
    let next = busy["next_fetch"].as_str().expect("next fetch");
    let last = busy["last_fetch"].as_str().expect("last fetch");
    // Retry-After: 3600 moves the next fetch an hour on.
    let secs = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .expect("time")
            .timestamp()
    };
    assert!(
        (3590..=3610).contains(&(secs(next) - secs(last))),
        "{next} vs {last}"
    );
    let error = feeds.iter().find(|f| f["title"] == "Error").expect("error");
    assert!(error["last_error"]
        .as_str()
        .is_some_and(|e| e.contains("500")));
    assert!(error["next_fetch"].is_string(), "a failing feed backs off");
    // Not due: not fetched at all; --force fetches anyway.
    let n = hits.load(Ordering::SeqCst);
    let out = home.ok(&["sync"]);
    assert_eq!(
        hits.load(Ordering::SeqCst),
        n,
        "no request before Retry-After"
    );
    assert!(out.contains("Busy: skipped until"), "{out}");
    home.ok(&["sync", "--force"]);
    assert_eq!(hits.load(Ordering::SeqCst), n + 1);
    // JSON for scripts.
    let (ok, out, _) = home.run(&["sync", "--json", "--force"]);
    assert!(ok);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["failed"], 3);
    assert!(v["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .any(|r| r["outcome"] == "not_modified"));
}

#[test]
fn slow_huge_and_gzipped_answers() {
    let body = rss("Zipped", TWO);
    let zipped = gzip(body.as_bytes());
    let server = Server::start(move |req| match req.path.as_str() {
        "/gz" => {
            if req
                .header("accept-encoding")
                .is_some_and(|e| e.contains("gzip"))
            {
                Reply::ok(zipped.clone(), "application/rss+xml").header("Content-Encoding", "gzip")
            } else {
                Reply::new(406)
            }
        }
        "/stall" => Reply {
            stall: Duration::from_secs(6),
            ..Reply::ok(rss("Stall", TWO), "application/rss+xml")
        },
        "/huge" => Reply {
            endless: Some(5 * 1024 * 1024),
            ..Reply::new(200).header("Content-Type", "application/rss+xml")
        },
        _ => Reply::new(404),
    });
    let home = Home::new();
    let out = home.ok(&["feeds", "add", &server.url(0, "/gz")]);
    assert!(out.contains("Zipped") && out.contains("2 new"), "{out}");
    let t = std::time::Instant::now();
    let (ok, _, err) = home.run(&["feeds", "add", &server.url(0, "/stall")]);
    assert!(!ok && err.contains("timed out"), "{err}");
    assert!(
        t.elapsed() < Duration::from_secs(6),
        "the read timeout ended it"
    );
    let (ok, _, err) = home.run(&["feeds", "add", &server.url(0, "/huge")]);
    assert!(!ok && err.contains("larger than 1 MB"), "{err}");
}

#[test]
fn one_request_per_host_at_a_time_and_several_hosts_at_once() {
    let ips: Vec<Ipv4Addr> = (2..=4).map(|i| Ipv4Addr::new(127, 0, 0, i)).collect();
    let server = Server::on(&ips, |req| {
        let name = req.path.trim_start_matches('/').to_string();
        Reply::ok(
            rss(&name, &[(&name, &name, "Body text here.")]),
            "application/rss+xml",
        )
        .delay(Duration::from_millis(150))
    });
    let home = Home::new();
    let mut opml = String::from("<opml version=\"2.0\"><body>");
    for h in 0..3 {
        for k in 0..4 {
            opml.push_str(&format!(
                "<outline text=\"f{h}{k}\" xmlUrl=\"{}\"/>",
                server.url(h, &format!("/feed{h}{k}"))
            ));
        }
    }
    opml.push_str("</body></opml>");
    let p = home.path().join("many.opml");
    std::fs::write(&p, opml).expect("opml");
    home.ok(&["feeds", "import", &p.display().to_string()]);
    let out = home.ok(&["sync"]);
    assert!(out.contains("12 feeds: 12 new articles"), "{out}");
    assert_eq!(
        server.max_in_flight_per_host(),
        1,
        "never two requests to one host"
    );
    assert!(
        server.max_in_flight() >= 2,
        "hosts are fetched side by side"
    );
}

#[test]
fn opml_round_trip_keeps_folders_as_tags() {
    let home = Home::new();
    let p = home.path().join("in.opml");
    std::fs::write(
        &p,
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body>\
         <outline text=\"Tech\"><outline text=\"A\" xmlUrl=\"http://127.0.0.1:9/a\"/>\
         <outline text=\"AI\"><outline text=\"B\" xmlUrl=\"http://127.0.0.1:9/b\"/></outline></outline>\
         <outline text=\"C\" xmlUrl=\"http://127.0.0.1:9/c\"/></body></opml>",
    )
    .expect("write");
    let out = home.ok(&["feeds", "import", &p.display().to_string()]);
    assert!(out.contains("3 subscriptions added"), "{out}");
    let feeds = home.feeds();
    let tags = |t: &str| {
        feeds
            .iter()
            .find(|f| f["title"] == t)
            .map(|f| f["tags"].clone())
            .expect("feed")
    };
    assert_eq!(tags("A"), serde_json::json!(["Tech"]));
    assert_eq!(tags("B"), serde_json::json!(["Tech", "AI"]));
    assert_eq!(tags("C"), serde_json::json!([]));
    let exported = home.path().join("out.opml");
    home.ok(&["feeds", "export", "-o", &exported.display().to_string()]);
    let other = Home::new();
    other.ok(&["feeds", "import", &exported.display().to_string()]);
    let strip = |v: Vec<Value>| -> Vec<(String, Value)> {
        let mut x: Vec<(String, Value)> = v
            .iter()
            .map(|f| {
                (
                    f["url"].as_str().unwrap_or("").to_string(),
                    f["tags"].clone(),
                )
            })
            .collect();
        x.sort_by(|a, b| a.0.cmp(&b.0));
        x
    };
    assert_eq!(strip(other.feeds()), strip(feeds.clone()));
    // A broken file names its place.
    std::fs::write(&p, "<opml><body>\n<outline text=\"x\">\n</body>").expect("write");
    let (ok, _, err) = home.run(&["feeds", "import", &p.display().to_string()]);
    assert!(!ok && err.contains("in.opml:"), "{err}");
}

#[test]
fn remove_stops_fetching_and_purge_keeps_bookmarked_articles() {
    let feed = LiveFeed::new("\"p\"", TWO);
    let f = feed.clone();
    let server = Server::start(move |req| f.reply(req, "Purged"));
    let home = Home::new();
    home.ok(&["feeds", "add", &server.url(0, "/feed")]);
    let ids: Vec<String> = home
        .articles()
        .iter()
        .map(|a| a["id"].as_str().unwrap_or("").to_string())
        .collect();
    home.ok(&["bookmarks", "add", &ids[0]]);
    let out = home.ok(&["feeds", "remove", "purg", "--purge"]);
    assert!(
        out.contains("1 of its articles removed, 1 bookmarked kept"),
        "{out}"
    );
    assert!(home.feeds().is_empty());
    let left: Vec<String> = home
        .articles()
        .iter()
        .map(|a| a["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(left.contains(&ids[0]));
    let n = server.seen().len();
    home.ok(&["sync"]);
    assert_eq!(server.seen().len(), n, "nothing fetched once removed");
}

#[test]
fn a_sync_killed_half_way_leaves_everything_consistent_and_the_next_redoes_the_rest() {
    let server = Server::start(|req| {
        let n = req.path.trim_start_matches("/f");
        let etag = format!("\"{n}\"");
        if req.header("if-none-match") == Some(etag.as_str()) {
            return Reply::new(304);
        }
        let g = format!("item-{n}");
        let t = format!("Story from feed {n}");
        Reply::ok(
            rss(&format!("Feed {n}"), &[(&g, &t, "Text.")]),
            "application/rss+xml",
        )
        .header("ETag", &etag)
        .delay(Duration::from_millis(400))
    });
    let home = Home::new();
    let mut opml = String::from("<opml version=\"2.0\"><body>");
    for i in 0..6 {
        opml.push_str(&format!(
            "<outline text=\"F{i}\" xmlUrl=\"{}\"/>",
            server.url(0, &format!("/f{i}"))
        ));
    }
    opml.push_str("</body></opml>");
    let p = home.path().join("s.opml");
    std::fs::write(&p, opml).expect("opml");
    home.ok(&["feeds", "import", &p.display().to_string()]);
    // One host: the feeds are fetched one after another; kill it after a couple.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("sync")
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    while server.seen().len() < 3 && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill -9");
    let _ = child.wait();
    let partial = home.articles().len();
    assert!(partial < 6, "killed before the end ({partial} articles)");
    let out = home.ok(&["sync"]);
    assert_eq!(home.articles().len(), 6, "{out}");
    // What was committed before the kill is not fetched again as new: it answers 304.
    let not_modified = out.matches("not modified").count();
    assert!(not_modified >= partial.saturating_sub(1), "{out}");
    let mut ids: Vec<String> = home
        .articles()
        .iter()
        .map(|a| a["id"].to_string())
        .collect();
    ids.dedup();
    assert_eq!(ids.len(), 6, "no article twice");
}
