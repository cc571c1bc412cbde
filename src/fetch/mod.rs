//! Getting the news: subscriptions fetched over HTTP (`http`), feeds found from web pages
//! (`discover`), OPML in and out (`opml`), and syncing every due feed into the library
//! (`sync`) politely: at most eight requests in flight and one per host, conditional
//! requests, Retry-After honoured, failing feeds backing off. No terminal code here.

pub mod discover;
pub mod fulltext;
pub mod http;
pub mod opml;
pub mod sync;

use std::time::Duration;

/// How syncing behaves (`[sync]` in the config file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSettings {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// The largest body read; a larger one is an error.
    pub max_bytes: u64,
    /// Sync on this schedule while the reader is open.
    pub interval: Option<Duration>,
    /// An article whose title or text changed reads as unread again.
    pub changed_unread: bool,
    /// Requests in flight at most, over all hosts.
    pub max_in_flight: usize,
    /// Fetch the full text of every new article of every feed (`[feed] full_text = true`)...
    pub full_text_all: bool,
    /// ...or of these: subscriptions by address or title, or `#tag` (`[feed."..."]`).
    pub full_text_for: Vec<String>,
}

impl SyncSettings {
    /// Whether a feed's new articles get their full text while syncing.
    pub fn wants_full_text(&self, f: &crate::store::feeds::Feed) -> bool {
        f.full_text
            || self.full_text_all
            || self.full_text_for.iter().any(|s| {
                let s = s.trim();
                match s.strip_prefix('#') {
                    Some(tag) => f.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
                    None => f.url == s || f.title.eq_ignore_ascii_case(s),
                }
            })
    }
}

impl Default for SyncSettings {
    fn default() -> SyncSettings {
        SyncSettings {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            max_bytes: 20 * 1024 * 1024,
            interval: None,
            changed_unread: false,
            max_in_flight: 8,
            full_text_all: false,
            full_text_for: Vec::new(),
        }
    }
}

/// A duration as the config writes it: `90s`, `30m`, `2h`, `1d`, or plain seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (write 90s, 30m, 2h or 1d)"))?;
    let secs = match unit.trim() {
        "" | "s" | "sec" | "secs" => n,
        "m" | "min" | "mins" => n * 60,
        "h" | "hour" | "hours" => n * 3600,
        "d" | "day" | "days" => n * 86_400,
        _ => {
            return Err(format!(
                "{s:?} is not a duration (write 90s, 30m, 2h or 1d)"
            ))
        }
    };
    Ok(Duration::from_secs(secs))
}

/// A size as the config writes it: `20MB`, `512KB`, or plain bytes.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a size (write 20MB, 512KB or bytes)"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" | "k" | "kib" => 1024,
        "mb" | "m" | "mib" => 1024 * 1024,
        "gb" | "g" | "gib" => 1024 * 1024 * 1024,
        _ => return Err(format!("{s:?} is not a size (write 20MB, 512KB or bytes)")),
    };
    Ok(n * mult)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_parse() {
        assert_eq!(parse_duration("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert!(parse_duration("soon").is_err());
        assert_eq!(parse_size("20MB"), Ok(20 * 1024 * 1024));
        assert!(parse_size("lots").is_err());
    }
}
