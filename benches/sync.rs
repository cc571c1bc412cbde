//! Syncing 200 feeds served from 20 loopback host names (127.0.0.2 ... 127.0.0.21) with 50 ms
//! added to every response: the wall time of a sync against the same sync made one request at
//! a time, requests in flight per host (never above 1), and a second sync where every feed
//! answers 304. `cargo bench --bench sync`.

#[path = "../tests/common/server.rs"]
mod server;

use folio::fetch::http::Client;
use folio::fetch::sync::{self, Places};
use folio::fetch::SyncSettings;
use folio::store::feeds::{Feed, Feeds};
use server::{rss, Reply, Server};
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

fn setup(server: &Server, dir: &std::path::Path) -> Places {
    let places = Places {
        db: dir.join("folio.db"),
        library: dir.join("library.db"),
    };
    drop(folio::store::Store::open(
        places.db.clone(),
        folio::store::db::Load::Bookmarks,
    ));
    let feeds = Feeds::open(&places.db).expect("feeds");
    for i in 0..200 {
        feeds
            .put(&Feed {
                url: server.url(i % 20, &format!("/feed{i}.xml")),
                title: format!("Feed {i}"),
                added: "2026-01-01T00:00:00Z".into(),
                ..Feed::default()
            })
            .expect("put");
    }
    places
}

fn run(places: &Places, settings: &SyncSettings) -> (Duration, usize, usize) {
    let client = Client::new(settings.clone());
    let t = Instant::now();
    let s = sync::sync(places, &client, true, None, &mut |_| {}).expect("sync");
    (t.elapsed(), s.new, s.not_modified)
}

fn main() {
    let ips: Vec<Ipv4Addr> = (2..=21).map(|i| Ipv4Addr::new(127, 0, 0, i)).collect();
    let server = Server::on(&ips, |req| {
        let n = req
            .path
            .trim_start_matches("/feed")
            .trim_end_matches(".xml");
        let etag = format!("\"{n}\"");
        if req.header("if-none-match") == Some(etag.as_str()) {
            return Reply::new(304).delay(Duration::from_millis(50));
        }
        let items: Vec<(String, String)> = (0..5)
            .map(|k| (format!("f{n}-{k}"), format!("Story {k} of feed {n}")))
            .collect();
        let refs: Vec<(&str, &str, &str)> = items
            .iter()
            .map(|(g, t)| {
                (
                    g.as_str(),
                    t.as_str(),
                    "A paragraph of text about batteries and chips.",
                )
            })
            .collect();
        Reply::ok(rss(&format!("Feed {n}"), &refs), "application/rss+xml")
            .header("ETag", &etag)
            .delay(Duration::from_millis(50))
    });
    let mut rows = Vec::new();
    for round in 0..3 {
        let parallel = tempfile::tempdir().expect("tmp");
        let serial = tempfile::tempdir().expect("tmp");
        let (pp, sp) = (
            setup(&server, parallel.path()),
            setup(&server, serial.path()),
        );
        let polite = SyncSettings::default();
        let one = SyncSettings {
            max_in_flight: 1,
            ..SyncSettings::default()
        };
        let (t1, new1, _) = run(&pp, &polite);
        let (t2, new2, nm2) = run(&pp, &polite);
        let (ts, news, _) = run(&sp, &one);
        assert_eq!((new1, new2, nm2, news), (1000, 0, 200, 1000));
        println!(
            "round {round}: first sync {:.0} ms, second (all 304) {:.0} ms, one at a time {:.0} ms",
            t1.as_secs_f64() * 1000.0,
            t2.as_secs_f64() * 1000.0,
            ts.as_secs_f64() * 1000.0
        );
        rows.push((t1, t2, ts));
    }
    let med = |f: &dyn Fn(&(Duration, Duration, Duration)) -> Duration| {
        let mut v: Vec<Duration> = rows.iter().map(f).collect();
        v.sort();
        v[v.len() / 2]
    };
    let (a, b, c) = (med(&|r| r.0), med(&|r| r.1), med(&|r| r.2));
    println!(
        "median: first sync {:.0} ms, second sync (all 304) {:.0} ms, one request at a time {:.0} ms ({:.1}x); serial sum of the 50 ms delays alone: 10000 ms",
        a.as_secs_f64() * 1000.0,
        b.as_secs_f64() * 1000.0,
        c.as_secs_f64() * 1000.0,
        c.as_secs_f64() / a.as_secs_f64()
    );
    println!(
        "requests in flight: per host at most {}, over all hosts at most {}",
        server.max_in_flight_per_host(),
        server.max_in_flight()
    );
    assert_eq!(server.max_in_flight_per_host(), 1);
}
