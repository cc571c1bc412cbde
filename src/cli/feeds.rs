//! `folio feeds` (add, list, remove, import, export) and `folio sync`.

use super::{emit, CliError, FeedsCommand};
use crate::config::Config;
use crate::fetch::http::Client;
use crate::fetch::opml::{self, Outline};
use crate::fetch::sync::{self, Places, SubscribeError, SyncError};
use crate::store::feeds::{Feed, Feeds};
use crate::store::library::Library;
use crate::store::{self, Op};
use crate::text;

fn places() -> Result<Places, CliError> {
    let p = sync::places()
        .ok_or_else(|| CliError("no data folder: set XDG_DATA_HOME or HOME".into()))?;
    // The state database is created and brought up to date by opening it.
    let mut s = store::Store::open(p.db.clone(), store::db::Load::Bookmarks);
    for e in s.take_events() {
        eprintln!("folio: {e}");
    }
    Ok(p)
}

/// The feed `name` names: its address, its title, or a unique prefix of either.
fn find<'a>(feeds: &'a [Feed], name: &str) -> Result<&'a Feed, CliError> {
    if let Some(f) = feeds.iter().find(|f| f.is_named(name)) {
        return Ok(f);
    }
    let lower = name.trim().to_lowercase();
    let hits: Vec<&Feed> = feeds
        .iter()
        .filter(|f| f.url.starts_with(name.trim()) || f.title.to_lowercase().starts_with(&lower))
        .collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(CliError(format!(
            "no subscription called {:?} (folio feeds list shows them)",
            text::one_line(name)
        ))),
        many => Err(CliError(format!(
            "{:?} names {} subscriptions: {}; give more of it",
            text::one_line(name),
            many.len(),
            many.iter()
                .map(|f| f.url.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[derive(serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    feed: &'a Feed,
    articles: usize,
    unread: usize,
}

pub fn cmd_feeds(config: &Config, command: &FeedsCommand) -> Result<(), CliError> {
    let places = places()?;
    match command {
        FeedsCommand::Add {
            url,
            tags,
            full_text,
        } => {
            let client = Client::new(config.sync.clone());
            match sync::subscribe(&places, &client, url, tags) {
                Ok((mut feed, added)) => {
                    if *full_text {
                        feed.full_text = true;
                        Feeds::open(&places.db)?.put(&feed)?;
                    }
                    eprintln!(
                        "folio: subscribed to {} ({}): {} new article{}{}",
                        text::one_line(&feed.title),
                        feed.url,
                        added.added.new,
                        if added.added.new == 1 { "" } else { "s" },
                        if added.added.already > 0 {
                            format!(", {} already in the library", added.added.already)
                        } else {
                            String::new()
                        }
                    );
                    Ok(())
                }
                Err(SubscribeError::Already(title, url)) => {
                    eprintln!("folio: already subscribed to {url} ({title})");
                    Ok(())
                }
                Err(e) => Err(CliError(format!("not subscribed: {e}"))),
            }
        }
        FeedsCommand::List { json } => {
            let feeds = Feeds::open(&places.db)?.all()?;
            let lib = if places.library.exists() {
                Some(Library::open(&places.library)?)
            } else {
                None
            };
            let data = store::db::read_quiet(&places.db).unwrap_or_default();
            let mut rows = Vec::new();
            for f in &feeds {
                let ids = match &lib {
                    Some(l) => l.ids_of_origin(&f.url)?,
                    None => Vec::new(),
                };
                let unread = ids.iter().filter(|id| !data.is_read(id)).count();
                rows.push(Listed {
                    feed: f,
                    articles: ids.len(),
                    unread,
                });
            }
            if *json {
                let mut s =
                    serde_json::to_string_pretty(&rows).map_err(|e| CliError(e.to_string()))?;
                s.push('\n');
                return emit(&s);
            }
            if rows.is_empty() {
                return emit(
                    "no subscriptions yet (folio feeds add URL, or folio feeds import FILE.opml)\n",
                );
            }
            let mut out = String::new();
            for r in &rows {
                let f = r.feed;
                out.push_str(&format!("{}\n  {}\n", text::one_line(&f.title), f.url));
                let mut facts = vec![format!("{} articles, {} unread", r.articles, r.unread)];
                if !f.tags.is_empty() {
                    facts.push(
                        f.tags
                            .iter()
                            .map(|t| format!("#{t}"))
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                }
                match (&f.last_fetch, &f.last_outcome) {
                    (Some(t), Some(o)) => facts.push(format!("last fetch {t}: {o}")),
                    _ => facts.push("never fetched".into()),
                }
                if f.failures > 0 {
                    facts.push(format!(
                        "{} failure{} in a row",
                        f.failures,
                        if f.failures == 1 { "" } else { "s" }
                    ));
                }
                if let Some(n) = &f.next_fetch {
                    facts.push(format!("next fetch not before {n}"));
                }
                out.push_str(&format!("  {}\n", facts.join(" · ")));
            }
            emit(&out)
        }
        FeedsCommand::Remove { feed, purge } => {
            let feeds = Feeds::open(&places.db)?;
            let all = feeds.all()?;
            let f = find(&all, feed)?.clone();
            feeds.remove(&f.url)?;
            let mut said = format!("folio: unsubscribed from {} ({})", f.title, f.url);
            if *purge {
                let data = store::db::read_quiet(&places.db).unwrap_or_default();
                let mut lib = Library::open(&places.library)?;
                let kept_before = lib.ids_of_origin(&f.url)?;
                let gone = lib.remove_origin(&f.url, &|id| data.bookmarks.contains_key(id))?;
                lib.index_quietly();
                let kept = kept_before.len() - gone;
                said.push_str(&format!(
                    "; {gone} of its articles removed{}",
                    if kept > 0 {
                        format!(", {kept} bookmarked kept")
                    } else {
                        String::new()
                    }
                ));
            } else {
                said.push_str("; its articles stay in the library (--purge takes them out)");
            }
            eprintln!("{said}");
            Ok(())
        }
        FeedsCommand::Import { file } => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(file)
                .map_err(|e| CliError(format!("cannot read {name}: {e}")))?;
            let outlines = opml::parse(&name, &text).map_err(|e| CliError(e.to_string()))?;
            let feeds = Feeds::open(&places.db)?;
            let (mut added, mut already) = (0, 0);
            for o in outlines {
                let url = o.url.trim().to_string();
                if url::Url::parse(&url).is_err() {
                    eprintln!("folio: warning: {name}: {url:?} is not a web address; skipped");
                    continue;
                }
                if let Some(mut old) = feeds.get(&url)? {
                    // Tags from the file join the ones it had.
                    for t in o.tags {
                        if !old.tags.iter().any(|x| x.eq_ignore_ascii_case(&t)) {
                            old.tags.push(t);
                        }
                    }
                    feeds.put(&old)?;
                    already += 1;
                    continue;
                }
                feeds.put(&Feed {
                    url,
                    title: o.title,
                    tags: o.tags,
                    added: store::now(),
                    ..Feed::default()
                })?;
                added += 1;
            }
            eprintln!(
                "folio: {added} subscription{} added, {already} already there; folio sync fetches them",
                if added == 1 { "" } else { "s" }
            );
            Ok(())
        }
        FeedsCommand::Export { output } => {
            let feeds = Feeds::open(&places.db)?.all()?;
            let outlines: Vec<Outline> = feeds
                .into_iter()
                .map(|f| Outline {
                    url: f.url,
                    title: f.title,
                    tags: f.tags,
                })
                .collect();
            let doc = opml::write(&outlines, &store::now());
            match output {
                Some(p) => crate::store::write_atomic(p, doc.as_bytes())
                    .map_err(|e| CliError(format!("cannot write {}: {e}", p.display()))),
                None => emit(&doc),
            }
        }
    }
}

/// `folio sync`: every due feed, a line each, then a summary.
pub fn cmd_sync(config: &Config, force: bool, json: bool) -> Result<(), CliError> {
    let places = places()?;
    let client = Client::new(config.sync.clone());
    let result = sync::sync(&places, &client, force, None, &mut |p| {
        if !json {
            let _ = emit(&format!("{}\n", p.report.line()));
        }
    });
    let summary = match result {
        Ok(s) => s,
        Err(SyncError::Running) => {
            eprintln!("folio: another sync is running; this one did nothing");
            return Ok(());
        }
        Err(SyncError::Store(e)) => return Err(CliError(format!("sync stopped: {e}"))),
    };
    if config.sync.changed_unread && !summary.updated_ids.is_empty() {
        let mut s = store::Store::open(places.db.clone(), store::db::Load::Bookmarks);
        let ops = summary
            .updated_ids
            .iter()
            .map(|id| (id.clone(), false))
            .collect();
        s.apply(Op::SetReadMany(ops))?;
    }
    if json {
        let mut s = serde_json::to_string_pretty(&summary).map_err(|e| CliError(e.to_string()))?;
        s.push('\n');
        emit(&s)?;
    } else {
        let mut out = String::new();
        for r in summary
            .reports
            .iter()
            .filter(|r| matches!(r.outcome, crate::fetch::sync::FeedOutcome::Skipped { .. }))
        {
            out.push_str(&r.line());
            out.push('\n');
        }
        out.push_str(&summary.line());
        out.push('\n');
        emit(&out)?;
    }
    Ok(())
}
