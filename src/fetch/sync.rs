//! Syncing: every due subscription fetched, politely, and its new articles added to the
//! library through the library's own add path (the same inference and recognition as
//! `folio add`).
//!
//! - At most `max_in_flight` requests at once over all hosts, and one per host: a worker
//!   takes the next feed whose host has nothing in flight.
//! - A feed is due unless a server's Retry-After or the back-off after failures (ten minutes,
//!   doubling, at most a day) says not yet; `force` ignores both.
//! - Each feed's articles are committed to the library before its state (validators, last
//!   fetch) is saved, so a sync killed half-way redoes only what was not committed, and
//!   finds again what was.
//! - A feed that cannot be fetched or read records its error and keeps its articles; the
//!   other feeds go on.

use super::http::{Client, FetchError, Fetched, Outcome, Validators};
use crate::import;
use crate::store::feeds::{host_of, Feed, Feeds};
use crate::store::library::{FeedAdded, Item, Library};
use crate::store::StoreError;
use std::collections::{HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::{mpsc, Condvar, Mutex};
use std::time::{Duration, SystemTime};

/// The first back-off after a failure; each further failure doubles it, up to a day.
const BACKOFF: Duration = Duration::from_secs(10 * 60);
const BACKOFF_MAX: Duration = Duration::from_secs(24 * 3600);

/// What happened to one feed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FeedOutcome {
    /// Fetched and read: articles new and updated in place.
    Fetched {
        new: usize,
        updated: usize,
    },
    NotModified,
    Failed {
        error: String,
    },
    /// Not due yet (a Retry-After, or backing off).
    Skipped {
        until: String,
    },
}

/// One line of a sync's report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FeedReport {
    pub url: String,
    pub title: String,
    #[serde(flatten)]
    pub outcome: FeedOutcome,
    /// The new address, when the feed moved for good.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
}

impl FeedReport {
    /// One line for a person: `title: new 3`, `not modified`, `failed: why`.
    pub fn line(&self) -> String {
        let name = if self.title.is_empty() {
            self.url.clone()
        } else {
            self.title.clone()
        };
        let what = match &self.outcome {
            FeedOutcome::Fetched { new, updated: 0 } => format!("new {new}"),
            FeedOutcome::Fetched { new, updated } => format!("new {new}, updated {updated}"),
            FeedOutcome::NotModified => "not modified".into(),
            FeedOutcome::Failed { error } => format!("failed: {error}"),
            FeedOutcome::Skipped { until } => format!("skipped until {until}"),
        };
        let moved = self
            .moved_to
            .as_ref()
            .map(|m| format!(" (moved to {m})"))
            .unwrap_or_default();
        format!("{name}: {what}{moved}")
    }
}

/// What a sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub feeds: usize,
    pub fetched: usize,
    pub not_modified: usize,
    pub failed: usize,
    pub skipped: usize,
    pub new: usize,
    pub updated: usize,
    /// New articles whose full text was fetched from their page.
    pub full_texts: usize,
    pub reports: Vec<FeedReport>,
    /// Ids of the articles whose text changed (to mark unread when asked).
    #[serde(skip)]
    pub updated_ids: Vec<String>,
}

impl Summary {
    pub fn line(&self) -> String {
        let full = if self.full_texts > 0 {
            format!(" ({} with their full text)", self.full_texts)
        } else {
            String::new()
        };
        format!(
            "{} feed{}: {} new article{}{full}, {} updated; {} fetched, {} not modified, {} failed, {} skipped",
            self.feeds,
            if self.feeds == 1 { "" } else { "s" },
            self.new,
            if self.new == 1 { "" } else { "s" },
            self.updated,
            self.fetched,
            self.not_modified,
            self.failed,
            self.skipped
        )
    }
}

/// Where a sync writes: the user's state (subscriptions) and the library.
#[derive(Debug, Clone)]
pub struct Places {
    pub db: PathBuf,
    pub library: PathBuf,
}

/// RFC 3339 in UTC, to the second (what is stored, and compares in time order).
pub fn rfc3339(t: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// What fetching one feed brought, before it is written anywhere.
struct Got {
    feed: Feed,
    result: Result<Outcome, FetchError>,
}

/// Run `work` on each job, at most `max` at once and never two for one host at once; results
/// go to `out` as they come.
fn polite<T: Send, R: Send>(
    jobs: Vec<(String, T)>,
    max: usize,
    work: &(dyn Fn(T) -> R + Sync),
    out: &mpsc::Sender<R>,
) {
    struct Queue<T> {
        waiting: VecDeque<(String, T)>,
        busy: HashSet<String>,
    }
    let workers = max.clamp(1, 64).min(jobs.len());
    let queue = Mutex::new(Queue {
        waiting: jobs.into(),
        busy: HashSet::new(),
    });
    let freed = Condvar::new();
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let (host, job) = {
                    let Ok(mut q) = queue.lock() else { return };
                    loop {
                        if q.waiting.is_empty() {
                            return;
                        }
                        let free = q.waiting.iter().position(|(h, _)| !q.busy.contains(h));
                        if let Some(i) = free {
                            let Some(j) = q.waiting.remove(i) else { return };
                            q.busy.insert(j.0.clone());
                            break j;
                        }
                        q = match freed.wait(q) {
                            Ok(g) => g,
                            Err(_) => return,
                        };
                    }
                };
                let r = work(job);
                let _ = out.send(r);
                if let Ok(mut q) = queue.lock() {
                    q.busy.remove(&host);
                }
                freed.notify_all();
            });
        }
    });
}

/// Fetch feeds politely; results go to `out` as they come.
fn fetch_all(client: &Client, feeds: Vec<Feed>, max: usize, out: &mpsc::Sender<Got>) {
    let jobs = feeds.into_iter().map(|f| (host_of(&f.url), f)).collect();
    polite(
        jobs,
        max,
        &|feed: Feed| {
            let validators = Validators {
                etag: feed.etag.clone(),
                last_modified: feed.last_modified.clone(),
            };
            let result = client.get(&feed.url, &validators);
            Got { feed, result }
        },
        out,
    );
}

/// Fetch the pages of new articles for their full text, politely, and keep it; returns how
/// many were kept.
fn full_texts(
    client: &Client,
    library: &mut Library,
    jobs: Vec<(String, String)>,
    max: usize,
) -> usize {
    let (tx, rx) = mpsc::channel();
    let jobs = jobs
        .into_iter()
        .map(|(id, url)| (host_of(&url), (id, url)))
        .collect();
    let mut kept = 0;
    std::thread::scope(|s| {
        s.spawn(move || {
            polite(
                jobs,
                max,
                &|(id, url): (String, String)| (id, super::fulltext::fetch(client, &url)),
                &tx,
            );
        });
        for (id, r) in rx {
            if let Ok(text) = r {
                if library.set_full_text(&id, &text).unwrap_or(false) {
                    kept += 1;
                }
            }
        }
    });
    kept
}

/// The back-off after `failures` failures in a row.
pub fn backoff(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(16);
    BACKOFF
        .checked_mul(1u32 << doublings)
        .unwrap_or(BACKOFF_MAX)
        .min(BACKOFF_MAX)
}

/// Read a fetched feed into items for the library.
fn items_of(feed: &Feed, got: &Fetched) -> Result<(Option<String>, Vec<Item>), String> {
    let (title, (mut articles, keys, _report)) =
        import::import_feed(&got.final_url, &got.body, &import::Options::default()).map_err(
            |e| {
                let why = match e {
                    import::ImportError::Invalid { why, .. } => why,
                    other @ import::ImportError::Unreadable { .. } => other.to_string(),
                };
                match &got.content_type {
                    Some(t) => format!("not a feed ({why}; the server said it is {t})"),
                    None => format!("not a feed ({why})"),
                }
            },
        )?;
    let name = if feed.title.is_empty() {
        title.clone().unwrap_or_default()
    } else {
        feed.title.clone()
    };
    for a in &mut articles {
        a.feed = (!name.is_empty()).then(|| name.clone());
        for t in &feed.tags {
            if !a.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                a.tags.push(t.clone());
            }
        }
    }
    let items = articles
        .into_iter()
        .zip(keys.into_iter().chain(std::iter::repeat(None)))
        .collect();
    Ok((title, items))
}

/// Record a failure on a feed: its error, and when it may be tried again.
fn failed(feed: &mut Feed, now: SystemTime, e: &FetchError) -> String {
    feed.failures = feed.failures.saturating_add(1);
    let error = e.why.clone();
    let until = match e.retry_after {
        Some(t) if t > now => t,
        _ => now + backoff(feed.failures),
    };
    feed.next_fetch = Some(rfc3339(until));
    feed.last_error = Some(error.clone());
    feed.last_outcome = Some(format!("failed: {error}"));
    feed.last_new = 0;
    error
}

/// Write what one fetch brought: articles first, then the feed's state.
fn apply(
    got: Got,
    now: SystemTime,
    feeds: &Feeds,
    library: &mut Library,
) -> Result<(FeedReport, FeedAdded), StoreError> {
    let Got { mut feed, result } = got;
    feed.last_fetch = Some(rfc3339(now));
    let original = feed.url.clone();
    let mut added = FeedAdded::default();
    let mut moved_to = None;
    let outcome = match result {
        Ok(Outcome::NotModified { moved_to: m }) => {
            moved_to = m;
            feed.failures = 0;
            feed.next_fetch = None;
            feed.last_error = None;
            feed.last_outcome = Some("not modified".into());
            feed.last_new = 0;
            FeedOutcome::NotModified
        }
        Ok(Outcome::Fetched(f)) => {
            moved_to = f.moved_to.clone();
            match items_of(&feed, &f) {
                Ok((title, items)) => {
                    if feed.title.is_empty() {
                        feed.title = title.unwrap_or_default();
                    }
                    let origin = moved_to.clone().unwrap_or_else(|| feed.url.clone());
                    if origin != feed.url {
                        library.rename_origin(&feed.url, &origin)?;
                    }
                    added = library.add_feed_items(&origin, items)?;
                    // The newest 200's validators always replace the old ones.
                    feed.etag = f.validators.etag.clone();
                    feed.last_modified = f.validators.last_modified.clone();
                    feed.failures = 0;
                    feed.next_fetch = None;
                    feed.last_error = None;
                    feed.last_new = added.added.new as u64;
                    feed.last_outcome = Some(if added.added.updated > 0 {
                        format!("new {}, updated {}", added.added.new, added.added.updated)
                    } else {
                        format!("new {}", added.added.new)
                    });
                    FeedOutcome::Fetched {
                        new: added.added.new,
                        updated: added.added.updated,
                    }
                }
                Err(why) => {
                    let e = FetchError {
                        url: f.final_url.clone(),
                        why,
                        status: Some(200),
                        retry_after: None,
                    };
                    FeedOutcome::Failed {
                        error: failed(&mut feed, now, &e),
                    }
                }
            }
        }
        Err(e) => FeedOutcome::Failed {
            error: failed(&mut feed, now, &e),
        },
    };
    if let Some(to) = &moved_to {
        if *to != original {
            feeds.rename(&original, to)?;
            library.rename_origin(&original, to)?;
            feed.url.clone_from(to);
        }
    }
    feeds.put(&feed)?;
    Ok((
        FeedReport {
            url: feed.url.clone(),
            title: feed.title.clone(),
            outcome,
            moved_to: moved_to.filter(|m| *m != original),
        },
        added,
    ))
}

/// How far a sync has got: feeds done of the total, new articles so far, the last report.
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    pub done: usize,
    pub total: usize,
    pub new: usize,
    pub report: &'a FeedReport,
}

/// Sync every due feed (every feed with `force`); `only` limits it to these addresses.
/// Another sync already running makes this one say so and do nothing.
pub fn sync(
    places: &Places,
    client: &Client,
    force: bool,
    only: Option<&[String]>,
    progress: &mut dyn FnMut(&Progress<'_>),
) -> Result<Summary, SyncError> {
    let lock_path = places.db.with_file_name("sync.lock");
    let Some(_lock) = crate::store::atomic::Lock::try_take(&lock_path, Duration::ZERO)
        .map_err(|e| SyncError::Store(StoreError::io("lock", &lock_path, &e)))?
    else {
        return Err(SyncError::Running);
    };
    let feeds = Feeds::open(&places.db)?;
    let mut library = Library::open(&places.library)?;
    let now = SystemTime::now();
    let now_s = rfc3339(now);
    let mut summary = Summary::default();
    let mut due = Vec::new();
    for f in feeds.all()? {
        if only.is_some_and(|o| !o.contains(&f.url)) {
            continue;
        }
        summary.feeds += 1;
        if force || f.is_due(&now_s) {
            due.push(f);
        } else {
            summary.skipped += 1;
            summary.reports.push(FeedReport {
                url: f.url.clone(),
                title: f.title.clone(),
                outcome: FeedOutcome::Skipped {
                    until: f.next_fetch.clone().unwrap_or_default(),
                },
                moved_to: None,
            });
        }
    }
    let total = due.len();
    // Feeds whose new articles get their full text.
    let full_for: Vec<Feed> = due
        .iter()
        .filter(|f| client.settings().wants_full_text(f))
        .cloned()
        .collect();
    let mut pages: Vec<(String, String)> = Vec::new();
    let (tx, rx) = mpsc::channel();
    let max = client.settings().max_in_flight;
    let mut error = None;
    std::thread::scope(|s| {
        s.spawn(move || fetch_all(client, due, max, &tx));
        for got in rx {
            if error.is_some() {
                continue;
            }
            match apply(got, SystemTime::now(), &feeds, &mut library) {
                Ok((report, added)) => {
                    match &report.outcome {
                        FeedOutcome::Fetched { new, updated } => {
                            summary.fetched += 1;
                            summary.new += new;
                            summary.updated += updated;
                        }
                        FeedOutcome::NotModified => summary.not_modified += 1,
                        FeedOutcome::Failed { .. } => summary.failed += 1,
                        FeedOutcome::Skipped { .. } => summary.skipped += 1,
                    }
                    let wanted = full_for
                        .iter()
                        .any(|f| f.url == report.url || Some(&f.url) == report.moved_to.as_ref());
                    if wanted {
                        for id in &added.new_ids {
                            if let Ok(Some(Some(u))) = library.url_of(id) {
                                pages.push((id.clone(), u));
                            }
                        }
                    }
                    summary.updated_ids.extend(added.updated_ids);
                    summary.reports.push(report);
                    if let Some(r) = summary.reports.last() {
                        progress(&Progress {
                            done: summary.fetched + summary.not_modified + summary.failed,
                            total,
                            new: summary.new,
                            report: r,
                        });
                    }
                }
                Err(e) => error = Some(e),
            }
        }
    });
    if let Some(e) = error {
        return Err(e.into());
    }
    if !pages.is_empty() {
        summary.full_texts = full_texts(client, &mut library, pages, max);
    }
    if summary.new + summary.updated + summary.full_texts > 0 {
        library.index_quietly();
    }
    Ok(summary)
}

/// Why a sync could not run at all (a feed's failure is an outcome, not this).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncError {
    #[error("another sync is running; try again when it is done")]
    Running,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Subscribe: fetch `url` once; a web page is searched for its feed link. Returns the
/// subscription and what its first fetch added. Refused, with the reason, when the address
/// gives neither a feed nor a page naming one.
pub fn subscribe(
    places: &Places,
    client: &Client,
    url: &str,
    tags: &[String],
) -> Result<(Feed, FeedAdded), SubscribeError> {
    let first = client
        .get(url, &Validators::default())
        .map_err(SubscribeError::Fetch)?;
    let Outcome::Fetched(page) = first else {
        return Err(SubscribeError::Refused(format!(
            "{url}: the server answered 304 Not Modified to a plain request"
        )));
    };
    let (feed_url, fetched) = if super::discover::looks_like_html(
        &page.body,
        page.content_type.as_deref(),
    ) && import::feed::parse_feed_titled(&page.body).is_err()
    {
        let html = String::from_utf8_lossy(&page.body);
        let links = super::discover::feed_links(&html, &page.final_url);
        let Some(link) = links.first() else {
            return Err(SubscribeError::Refused(format!(
                "{}: no feed found on this page (it names no <link rel=\"alternate\" type=\"application/rss+xml\"> or Atom feed)",
                page.final_url
            )));
        };
        match client
            .get(link, &Validators::default())
            .map_err(SubscribeError::Fetch)?
        {
            Outcome::Fetched(f) => (f.moved_to.clone().unwrap_or_else(|| link.clone()), f),
            Outcome::NotModified { .. } => {
                return Err(SubscribeError::Refused(format!(
                    "{link}: the server answered 304 Not Modified to a plain request"
                )))
            }
        }
    } else {
        (
            page.moved_to
                .clone()
                .unwrap_or_else(|| url.trim().to_string()),
            page,
        )
    };
    let mut feed = Feed {
        url: feed_url.clone(),
        tags: tags.to_vec(),
        added: crate::store::now(),
        ..Feed::default()
    };
    let (title, items) = items_of(&feed, &fetched)
        .map_err(|why| SubscribeError::Refused(format!("{}: {why}", fetched.final_url)))?;
    feed.title = title.unwrap_or_else(|| host_of(&feed_url));
    let feeds = Feeds::open(&places.db)?;
    if let Some(old) = feeds.get(&feed_url)? {
        return Err(SubscribeError::Already(old.title, old.url));
    }
    let mut library = Library::open(&places.library)?;
    // The items were made before the title was known: name the feed on them now.
    let items: Vec<Item> = items
        .into_iter()
        .map(|(mut a, k)| {
            a.feed = Some(feed.title.clone());
            (a, k)
        })
        .collect();
    let added = library.add_feed_items(&feed_url, items)?;
    library.index_quietly();
    feed.etag = fetched.validators.etag.clone();
    feed.last_modified = fetched.validators.last_modified.clone();
    feed.last_fetch = Some(rfc3339(SystemTime::now()));
    feed.last_new = added.added.new as u64;
    feed.last_outcome = Some(format!("new {}", added.added.new));
    feeds.put(&feed)?;
    Ok((feed, added))
}

/// Why subscribing failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscribeError {
    #[error("{0}")]
    Fetch(FetchError),
    #[error("{0}")]
    Refused(String),
    #[error("already subscribed to {1} ({0})")]
    Already(String, String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The places for the user's data folder.
pub fn places() -> Option<Places> {
    Some(Places {
        db: crate::store::paths::db_file()?,
        library: crate::store::library::path()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_up_to_a_day() {
        assert_eq!(backoff(1), Duration::from_secs(600));
        assert_eq!(backoff(2), Duration::from_secs(1200));
        assert_eq!(backoff(4), Duration::from_secs(4800));
        assert_eq!(backoff(30), Duration::from_secs(86_400));
    }
}
