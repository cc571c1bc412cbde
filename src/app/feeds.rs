//! Subscriptions in the reader: `R` syncs in the background (progress on the status line,
//! new articles arriving as a live reload does), and the feeds pane lists every feed with
//! its unread count, its last update and a mark for one that fails, with its error; Enter
//! filters the list to that feed (`feed:"title"`).

use super::{Action, App, Effect, Overlay, Tone};
use crate::store::feeds::Feed;
use crate::store::Op;

/// A feed as the pane shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedRow {
    pub feed: Feed,
    /// Articles of it in the corpus shown, and of those unread.
    pub articles: usize,
    pub unread: usize,
}

/// How a sync in the background is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncState {
    pub done: usize,
    pub total: usize,
    pub new: usize,
}

/// What a finished sync reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// The summary line, or why it could not run.
    pub summary: Result<String, String>,
    pub failed: usize,
    /// Articles whose text changed (marked unread again when the config asks).
    pub changed: Vec<String>,
    pub mark_changed_unread: bool,
}

/// The reader's part in syncing.
#[derive(Debug, Default)]
pub(super) struct Syncing {
    /// A sync is running, and how far it has got.
    pub(super) running: Option<SyncState>,
    /// The feeds pane's rows, once loaded.
    pub(super) rows: Vec<FeedRow>,
    pub(super) loading: bool,
}

impl App {
    /// How far the sync running in the background has got.
    pub fn sync_state(&self) -> Option<SyncState> {
        self.syncing.running
    }

    /// The feeds pane's rows.
    pub fn feed_rows(&self) -> &[FeedRow] {
        &self.syncing.rows
    }

    /// Whether the feeds pane is waiting for its rows.
    pub fn feeds_loading(&self) -> bool {
        self.syncing.loading
    }

    /// The feeds pane's cursor, while it is open.
    pub fn feeds_cursor(&self) -> Option<usize> {
        match self.overlay {
            Overlay::Feeds(c) => Some(c),
            _ => None,
        }
    }

    /// `R`, or the schedule: sync every due feed in the background.
    pub(super) fn start_sync(&mut self, by_hand: bool, effects: &mut Vec<Effect>) {
        if self.syncing.running.is_some() {
            if by_hand {
                self.say("a sync is running already", Tone::Info);
            }
            return;
        }
        self.syncing.running = Some(SyncState::default());
        effects.push(Effect::Sync);
    }

    pub(super) fn sync_progress(&mut self, s: SyncState) {
        if self.syncing.running.is_some() {
            self.syncing.running = Some(s);
        }
    }

    pub(super) fn sync_done(&mut self, r: &SyncReport, effects: &mut Vec<Effect>) {
        self.syncing.running = None;
        match &r.summary {
            Ok(line) => {
                let tone = if r.failed > 0 {
                    Tone::Error
                } else {
                    Tone::Info
                };
                let hint = if r.failed > 0 {
                    " (F lists the feeds)"
                } else {
                    ""
                };
                self.say(format!("synced {line}{hint}"), tone);
            }
            Err(e) => self.say(format!("sync: {e}"), Tone::Error),
        }
        if r.mark_changed_unread {
            let back: Vec<(String, bool)> = r
                .changed
                .iter()
                .filter(|id| self.corpus.index_of(id).is_some_and(|i| self.is_read(i)))
                .map(|id| (id.clone(), false))
                .collect();
            if !back.is_empty() {
                self.change(Op::SetReadMany(back), effects);
            }
        }
        if matches!(self.overlay, Overlay::Feeds(_)) {
            self.syncing.loading = true;
            effects.push(Effect::LoadFeeds);
        }
    }

    /// `F`: the feeds pane (its rows are read off the UI thread).
    pub(super) fn open_feeds(&mut self, effects: &mut Vec<Effect>) {
        self.overlay = Overlay::Feeds(0);
        self.syncing.loading = true;
        effects.push(Effect::LoadFeeds);
    }

    /// The subscriptions arrived: count each one's articles and unread ones here.
    pub(super) fn feeds_loaded(&mut self, feeds: Vec<Feed>) {
        self.syncing.loading = false;
        let mut rows: Vec<FeedRow> = feeds
            .into_iter()
            .map(|feed| FeedRow {
                feed,
                articles: 0,
                unread: 0,
            })
            .collect();
        for (i, a) in self.corpus.articles.iter().enumerate() {
            let Some(u) = a.feed_url.as_deref() else {
                continue;
            };
            if let Some(r) = rows.iter_mut().find(|r| r.feed.url == u) {
                r.articles += 1;
                if !self.is_read(i) {
                    r.unread += 1;
                }
            }
        }
        self.syncing.rows = rows;
        if let Overlay::Feeds(c) = self.overlay {
            self.overlay = Overlay::Feeds(c.min(self.syncing.rows.len().saturating_sub(1)));
        }
    }

    pub(super) fn update_feeds(&mut self, cur: usize, action: Action, effects: &mut Vec<Effect>) {
        let last = self.syncing.rows.len().saturating_sub(1);
        let cursor = match action {
            Action::Down => (cur + 1).min(last),
            Action::Up => cur.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => last,
            Action::PageDown | Action::HalfPageDown => (cur + 10).min(last),
            Action::PageUp | Action::HalfPageUp => cur.saturating_sub(10),
            Action::Open | Action::Accept | Action::ReadOn => {
                if let Some(r) = self.syncing.rows.get(cur) {
                    let title = r.feed.title.clone();
                    let name = if title.trim().is_empty() {
                        r.feed.host()
                    } else {
                        title.to_lowercase()
                    };
                    let q = format!("feed:\"{}\"", name.replace('"', ""));
                    self.set_query(q, effects);
                    self.say(format!("feed: {title}"), Tone::Info);
                }
                return;
            }
            Action::Sync => {
                self.start_sync(true, effects);
                cur
            }
            Action::ToggleFeeds | Action::Cancel | Action::Back => return,
            Action::Quit => {
                self.quit(effects);
                return;
            }
            _ => cur,
        };
        self.overlay = Overlay::Feeds(cursor);
    }
}
