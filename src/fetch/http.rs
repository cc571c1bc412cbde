//! HTTP as a careful client does it (ureq with rustls: nothing needs a system TLS library):
//! conditional GET with the validators of the newest 200, gzip and deflate bodies, at most
//! five redirects followed by hand (so a permanent one can move the subscription and a
//! temporary one does not), connect and read timeouts, a size cap on the body as it is
//! decoded, a User-Agent naming folio, and `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` honoured.

use super::SyncSettings;
use std::io::Read;
use std::time::{Duration, SystemTime};

/// Redirects followed at most.
pub const MAX_REDIRECTS: usize = 5;

/// What the User-Agent says.
pub fn user_agent() -> String {
    format!(
        "folio/{} (terminal news reader; +https://crates.io/crates/folio)",
        env!("CARGO_PKG_VERSION")
    )
}

/// The validators a conditional request sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A response worth reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub body: Vec<u8>,
    /// The address the body came from, after redirects.
    pub final_url: String,
    /// Where permanent redirects from the start led (the subscription's new address), when
    /// the first hops were permanent.
    pub moved_to: Option<String>,
    pub content_type: Option<String>,
    /// The validators of this 200 (absent ones are absent: they replace the old ones).
    pub validators: Validators,
}

/// What one fetch came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Fetched(Fetched),
    /// 304: nothing changed since the validators sent (a success; nothing to parse).
    NotModified {
        moved_to: Option<String>,
    },
}

/// Why a fetch failed, with what the caller needs to back off.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{url}: {why}")]
pub struct FetchError {
    pub url: String,
    pub why: String,
    /// The HTTP status, when the server answered.
    pub status: Option<u16>,
    /// The server asked not to come back before this (429/503 with Retry-After).
    pub retry_after: Option<SystemTime>,
}

impl FetchError {
    fn new(url: &str, why: impl Into<String>) -> FetchError {
        FetchError {
            url: url.to_string(),
            why: why.into(),
            status: None,
            retry_after: None,
        }
    }
}

/// `Retry-After` as a moment: seconds from `now`, or an HTTP date.
pub fn retry_after(value: &str, now: SystemTime) -> Option<SystemTime> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return now.checked_add(Duration::from_secs(secs));
    }
    let d = chrono::DateTime::parse_from_rfc2822(v)
        .ok()
        .or_else(|| chrono::DateTime::parse_from_rfc2822(&v.replace("GMT", "+0000")).ok())?;
    let secs = u64::try_from(d.timestamp()).ok()?;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// The proxy for a link by the environment's convention, or none (`NO_PROXY` lists hosts,
/// domain suffixes, `*`).
pub fn proxy_for(url: &url::Url, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let get = |name: &str| {
        env(name)
            .or_else(|| env(&name.to_ascii_lowercase()))
            .filter(|v| !v.trim().is_empty())
    };
    let host = url
        .host_str()
        .unwrap_or("")
        .trim_matches(['[', ']'])
        .to_ascii_lowercase();
    if let Some(no) = get("NO_PROXY") {
        for pat in no.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let p = pat.split(':').next().unwrap_or(pat).trim_start_matches('.');
            let p = p.trim_start_matches("*.").to_ascii_lowercase();
            if pat == "*" || host == p || host.ends_with(&format!(".{p}")) {
                return None;
            }
        }
    }
    match url.scheme() {
        "https" => get("HTTPS_PROXY").or_else(|| get("ALL_PROXY")),
        "http" => get("HTTP_PROXY").or_else(|| get("ALL_PROXY")),
        _ => None,
    }
}

/// The HTTP client: one agent without a proxy, and one per proxy in use.
pub struct Client {
    settings: SyncSettings,
    direct: ureq::Agent,
    proxied: std::sync::Mutex<Vec<(String, ureq::Agent)>>,
}

impl Client {
    pub fn new(settings: SyncSettings) -> Client {
        let direct = Client::builder(&settings).build();
        Client {
            settings,
            direct,
            proxied: std::sync::Mutex::new(Vec::new()),
        }
    }

    pub fn settings(&self) -> &SyncSettings {
        &self.settings
    }

    fn builder(s: &SyncSettings) -> ureq::AgentBuilder {
        ureq::AgentBuilder::new()
            .timeout_connect(s.connect_timeout)
            .timeout_read(s.read_timeout)
            .timeout_write(s.read_timeout)
            .redirects(0)
            .try_proxy_from_env(false)
            .user_agent(&user_agent())
    }

    fn agent_for(&self, url: &url::Url) -> Result<ureq::Agent, String> {
        let Some(proxy) = proxy_for(url, &|k| std::env::var(k).ok()) else {
            return Ok(self.direct.clone());
        };
        let mut cache = self
            .proxied
            .lock()
            .map_err(|_| "the proxy settings are unusable".to_string())?;
        if let Some((_, a)) = cache.iter().find(|(p, _)| *p == proxy) {
            return Ok(a.clone());
        }
        let p = ureq::Proxy::new(&proxy).map_err(|e| format!("bad proxy {proxy}: {e}"))?;
        let agent = Client::builder(&self.settings).proxy(p).build();
        cache.push((proxy, agent.clone()));
        Ok(agent)
    }

    /// GET `url` with `validators` (conditional when there are any), following redirects.
    pub fn get(&self, url: &str, validators: &Validators) -> Result<Outcome, FetchError> {
        let mut current = url::Url::parse(url.trim())
            .map_err(|e| FetchError::new(url, format!("not a web address: {e}")))?;
        if !matches!(current.scheme(), "http" | "https") {
            return Err(FetchError::new(
                url,
                "only http and https addresses are fetched",
            ));
        }
        // Permanent hops from the start move the subscription; the first temporary one ends
        // that.
        let mut moved_to: Option<String> = None;
        let mut all_permanent = true;
        for hop in 0..=MAX_REDIRECTS {
            let agent = self
                .agent_for(&current)
                .map_err(|e| FetchError::new(current.as_str(), e))?;
            let mut req = agent
                .request_url("GET", &current)
                .set("Accept-Encoding", "gzip, deflate")
                .set(
                    "Accept",
                    "application/rss+xml, application/atom+xml, application/rdf+xml, application/feed+json;q=0.9, application/xml;q=0.8, text/xml;q=0.8, text/html;q=0.7, */*;q=0.5",
                );
            if let Some(e) = &validators.etag {
                req = req.set("If-None-Match", e);
            }
            if let Some(m) = &validators.last_modified {
                req = req.set("If-Modified-Since", m);
            }
            let resp = match req.call() {
                Ok(r) => r,
                Err(ureq::Error::Status(code, r)) => return Err(status_error(code, &r)),
                Err(ureq::Error::Transport(t)) => {
                    return Err(FetchError::new(current.as_str(), transport_why(&t)))
                }
            };
            let code = resp.status();
            if (300..400).contains(&code) && code != 304 {
                if hop == MAX_REDIRECTS {
                    return Err(FetchError {
                        status: Some(code),
                        ..FetchError::new(
                            url,
                            format!(
                                "more than {MAX_REDIRECTS} redirects; the last went to {current}"
                            ),
                        )
                    });
                }
                let Some(loc) = resp.header("Location").map(str::to_string) else {
                    return Err(FetchError {
                        status: Some(code),
                        ..FetchError::new(current.as_str(), format!("{code} without a Location"))
                    });
                };
                let next = current.join(loc.trim()).map_err(|e| {
                    FetchError::new(current.as_str(), format!("bad redirect to {loc:?}: {e}"))
                })?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(FetchError::new(
                        current.as_str(),
                        format!("a redirect to {next}, which is not a web address"),
                    ));
                }
                let permanent = matches!(code, 301 | 308);
                all_permanent &= permanent;
                if all_permanent {
                    moved_to = Some(next.to_string());
                }
                // Drain what is left of the body (small), so the connection can be reused.
                let _ = std::io::copy(
                    &mut resp.into_reader().take(64 * 1024),
                    &mut std::io::sink(),
                );
                current = next;
                continue;
            }
            if code == 304 {
                return Ok(Outcome::NotModified { moved_to });
            }
            if !(200..300).contains(&code) {
                return Err(status_error(code, &resp));
            }
            let validators = Validators {
                etag: resp.header("ETag").map(str::to_string),
                last_modified: resp.header("Last-Modified").map(str::to_string),
            };
            let content_type = resp.header("Content-Type").map(str::to_string);
            // ureq decodes gzip itself; deflate (zlib, or raw as some servers send it) is
            // decoded here.
            let deflate = resp
                .header("Content-Encoding")
                .is_some_and(|e| e.trim().eq_ignore_ascii_case("deflate"));
            let final_url = resp.get_url().to_string();
            // Each read waits at most the read timeout (ureq's); the whole body at most a few
            // of them, so a server that trickles a byte at a time cannot hold a sync forever.
            let deadline = std::time::Instant::now() + self.settings.read_timeout * 4;
            let reader = Deadline {
                inner: resp.into_reader(),
                deadline,
            };
            let raw = read_capped(reader, self.settings.max_bytes)
                .map_err(|e| FetchError::new(&final_url, e))?;
            let body = if deflate {
                inflate(&raw, self.settings.max_bytes)
                    .map_err(|e| FetchError::new(&final_url, e))?
            } else {
                raw
            };
            return Ok(Outcome::Fetched(Fetched {
                body,
                final_url,
                moved_to,
                content_type,
                validators,
            }));
        }
        Err(FetchError::new(url, "too many redirects"))
    }
}

/// A reader that gives up at a deadline.
struct Deadline<R> {
    inner: R,
    deadline: std::time::Instant,
}

impl<R: Read> Read for Deadline<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if std::time::Instant::now() > self.deadline {
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the body took too long",
            ));
        }
        self.inner.read(buf)
    }
}

/// Read at most `cap` bytes; more is an error, never a body held whole.
fn read_capped(r: impl Read, cap: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let n = r
        .take(cap + 1)
        .read_to_end(&mut out)
        .map_err(|e| read_why(&e))?;
    if n as u64 > cap {
        return Err(format!(
            "the response is larger than {} (the limit: [sync] max_size)",
            human_bytes(cap)
        ));
    }
    Ok(out)
}

fn inflate(raw: &[u8], cap: u64) -> Result<Vec<u8>, String> {
    let zlib = read_capped(flate2::read::ZlibDecoder::new(raw), cap);
    match zlib {
        Ok(v) => Ok(v),
        Err(e) if e.contains("larger") => Err(e),
        Err(_) => read_capped(flate2::read::DeflateDecoder::new(raw), cap)
            .map_err(|e| format!("cannot decode the deflate body: {e}")),
    }
}

pub fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MB", n >> 20)
    } else if n >= 1 << 10 {
        format!("{} KB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

fn read_why(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
            "the server stopped sending (timed out; [sync] read_timeout)".into()
        }
        _ => format!("the response could not be read: {e}"),
    }
}

fn transport_why(t: &ureq::Transport) -> String {
    let s = t.to_string();
    let lower = s.to_ascii_lowercase();
    if lower.contains("timed out") || lower.contains("timeout") {
        format!("timed out ({})", t.kind())
    } else {
        s
    }
}

fn status_error(code: u16, r: &ureq::Response) -> FetchError {
    let url = r.get_url().to_string();
    let retry = if matches!(code, 429 | 503) {
        r.header("Retry-After")
            .and_then(|v| retry_after(v, SystemTime::now()))
    } else {
        None
    };
    let reason = r.status_text();
    let why = match code {
        304 => "not modified".to_string(),
        429 => "429 Too Many Requests: the server asks folio to come back later".to_string(),
        404 | 410 => format!("{code} {reason}: the feed is not there"),
        _ => format!("{code} {reason}"),
    };
    FetchError {
        url,
        why,
        status: Some(code),
        retry_after: retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(
            retry_after("120", now),
            Some(now + Duration::from_secs(120))
        );
        let t = retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now).expect("date");
        assert_eq!(
            t.duration_since(SystemTime::UNIX_EPOCH)
                .expect("after")
                .as_secs(),
            1_445_412_480
        );
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn proxies_follow_the_environment() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let u = |s: &str| url::Url::parse(s).expect("url");
        let e = env(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("http_proxy", "http://p2:80"),
        ]);
        assert_eq!(
            proxy_for(&u("https://a.example/x"), &e).as_deref(),
            Some("http://proxy:3128")
        );
        assert_eq!(
            proxy_for(&u("http://a.example/x"), &e).as_deref(),
            Some("http://p2:80")
        );
        let e = env(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "localhost,.example.org,127.0.0.1"),
        ]);
        assert_eq!(proxy_for(&u("https://news.example.org/"), &e), None);
        assert_eq!(proxy_for(&u("https://127.0.0.1:8080/"), &e), None);
        assert!(proxy_for(&u("https://example.com/"), &e).is_some());
        let e = env(&[("HTTPS_PROXY", "http://proxy:3128"), ("NO_PROXY", "*")]);
        assert_eq!(proxy_for(&u("https://example.com/"), &e), None);
    }
}
