//! A small HTTP/1.1 server for tests and benchmarks, on loopback addresses only, with an
//! ephemeral port per address. It serves what a route returns and records every request:
//! its address and path, its headers, and how many requests each host had in flight at
//! once. Shared by the tests (`mod common`) and the sync benchmark (`#[path]`).
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// The address it came in on (the "host").
    pub addr: SocketAddr,
    pub method: String,
    pub path: String,
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// What to answer.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Send the headers, then stall this long before the body.
    pub stall: Duration,
    /// Send this many bytes of body in all (repeating `body`), with no Content-Length.
    pub endless: Option<usize>,
}

impl Reply {
    pub fn new(status: u16) -> Reply {
        Reply {
            status,
            ..Reply::default()
        }
    }

    pub fn ok(body: impl Into<Vec<u8>>, content_type: &str) -> Reply {
        Reply::new(200)
            .body(body)
            .header("Content-Type", content_type)
    }

    pub fn body(mut self, b: impl Into<Vec<u8>>) -> Reply {
        self.body = b.into();
        self
    }

    pub fn header(mut self, k: &str, v: &str) -> Reply {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }

    pub fn delay(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
}

type Route = dyn Fn(&Seen) -> Reply + Send + Sync;

#[derive(Default)]
struct Counters {
    in_flight: HashMap<SocketAddr, usize>,
    max_in_flight: HashMap<SocketAddr, usize>,
    max_total: usize,
    total: usize,
}

/// The server: `url(i, path)` is a link to it on its `i`-th address.
pub struct Server {
    pub addrs: Vec<SocketAddr>,
    seen: Arc<Mutex<Vec<Seen>>>,
    counters: Arc<Mutex<Counters>>,
    stop: Arc<AtomicBool>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting threads.
        for a in &self.addrs {
            let _ = TcpStream::connect_timeout(a, Duration::from_millis(100));
        }
    }
}

impl Server {
    /// Serve `route` on 127.0.0.1.
    pub fn start(route: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        Server::on(&[Ipv4Addr::LOCALHOST], route)
    }

    /// Serve `route` on each of these loopback addresses (127.0.0.0/8 only).
    pub fn on(ips: &[Ipv4Addr], route: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let route: Arc<Route> = Arc::new(route);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let counters = Arc::new(Mutex::new(Counters::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let mut addrs = Vec::new();
        for ip in ips {
            assert!(ip.is_loopback(), "tests serve on loopback addresses only");
            let l = TcpListener::bind((*ip, 0)).expect("bind a loopback port");
            let addr = l.local_addr().expect("addr");
            addrs.push(addr);
            let (route, seen, counters, stop) = (
                Arc::clone(&route),
                Arc::clone(&seen),
                Arc::clone(&counters),
                Arc::clone(&stop),
            );
            std::thread::spawn(move || {
                for conn in l.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let Ok(conn) = conn else { continue };
                    let (route, seen, counters) =
                        (Arc::clone(&route), Arc::clone(&seen), Arc::clone(&counters));
                    std::thread::spawn(move || serve(conn, addr, &*route, &seen, &counters));
                }
            });
        }
        Server {
            addrs,
            seen,
            counters,
            stop,
        }
    }

    /// A link to `path` on the server's `i`-th address.
    pub fn url(&self, i: usize, path: &str) -> String {
        format!("http://{}{path}", self.addrs[i])
    }

    /// Every request so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Requests for `path` so far.
    pub fn seen_path(&self, path: &str) -> Vec<Seen> {
        self.seen().into_iter().filter(|s| s.path == path).collect()
    }

    /// The most requests any one address had in flight at once.
    pub fn max_in_flight_per_host(&self) -> usize {
        self.counters
            .lock()
            .map_or(0, |c| c.max_in_flight.values().copied().max().unwrap_or(0))
    }

    /// The most requests in flight at once over all addresses.
    pub fn max_in_flight(&self) -> usize {
        self.counters.lock().map_or(0, |c| c.max_total)
    }
}

fn read_request(conn: &TcpStream, addr: SocketAddr) -> Option<Seen> {
    let mut r = BufReader::new(conn.try_clone().ok()?);
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if r.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    if let Some(n) = headers
        .get("content-length")
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut body = vec![0; n];
        r.read_exact(&mut body).ok()?;
    }
    Some(Seen {
        addr,
        method,
        path,
        headers,
        at: Instant::now(),
    })
}

fn serve(
    mut conn: TcpStream,
    addr: SocketAddr,
    route: &Route,
    seen: &Mutex<Vec<Seen>>,
    counters: &Mutex<Counters>,
) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    // One request per connection: the answer says so.
    let Some(req) = read_request(&conn, addr) else {
        return;
    };
    if let Ok(mut c) = counters.lock() {
        let n = c.in_flight.entry(addr).or_insert(0);
        *n += 1;
        let now = *n;
        let m = c.max_in_flight.entry(addr).or_insert(0);
        *m = (*m).max(now);
        c.total += 1;
        c.max_total = c.max_total.max(c.total);
    }
    if let Ok(mut s) = seen.lock() {
        s.push(req.clone());
    }
    let reply = route(&req);
    std::thread::sleep(reply.delay);
    let reason = match reply.status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    };
    // A request is done, for the counts, just before its last bytes go: the client can
    // only send its next one after reading them.
    let mut counted = false;
    let mut done = || {
        if !std::mem::replace(&mut counted, true) {
            if let Ok(mut c) = counters.lock() {
                if let Some(n) = c.in_flight.get_mut(&addr) {
                    *n -= 1;
                }
                c.total -= 1;
            }
        }
    };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nConnection: close\r\n",
        reply.status
    );
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if reply.status == 304 || reply.body.is_empty() && reply.endless.is_none() {
        done();
    }
    if reply.endless.is_none() && reply.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    let mut ok = conn.write_all(head.as_bytes()).is_ok();
    if ok && !reply.stall.is_zero() {
        let _ = conn.flush();
        std::thread::sleep(reply.stall);
    }
    if ok && reply.status != 304 {
        if let Some(total) = reply.endless {
            let chunk = if reply.body.is_empty() {
                vec![b'x'; 64 * 1024]
            } else {
                reply.body.clone()
            };
            let mut sent = 0;
            while ok && sent < total {
                if sent + chunk.len() >= total {
                    done();
                }
                ok = conn.write_all(&chunk).is_ok();
                sent += chunk.len();
            }
        } else {
            done();
            let _ = conn.write_all(&reply.body);
        }
    }
    let _ = conn.flush();
    done();
}

/// An RSS 2.0 feed with these items: (guid, title, body).
pub fn rss(title: &str, items: &[(&str, &str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>http://example.com/</link><description>d</description>\n"
    );
    for (i, (guid, t, body)) in items.iter().enumerate() {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{t}</title><link>http://example.com/{guid}</link><pubDate>Mon, {:02} Jan 2024 10:00:00 +0000</pubDate><description>{body}</description></item>\n",
            i % 28 + 1
        ));
    }
    s.push_str("</channel></rss>\n");
    s
}

/// A body compressed with gzip.
pub fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).expect("gzip");
    e.finish().expect("gzip")
}
