//! Saved views: named queries from the config file. `v` opens a pane listing them with live
//! counts (counted off the UI thread); Enter, or a view's own key, applies one: the query
//! becomes the view's, so the search box holds it to refine.

use super::{Action, App, Effect, Overlay, Tone};
use crate::query::Query;

/// A named query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    pub query: String,
    /// The key that applies it, as the config file writes keys.
    pub key: Option<String>,
}

/// The saved views and their counts.
#[derive(Debug, Default)]
pub(super) struct Views {
    list: Vec<View>,
    /// Each view's count of results (`None` while counting).
    counts: Vec<Option<usize>>,
}

impl Views {
    pub(super) fn new(list: Vec<View>) -> Views {
        Views {
            counts: vec![None; list.len()],
            list,
        }
    }

    pub(super) fn counted(&mut self, counts: Vec<usize>) {
        self.counts = counts.into_iter().map(Some).collect();
    }
}

impl App {
    /// The saved views from the config file.
    pub fn views(&self) -> &[View] {
        &self.views.list
    }

    /// Each view's count of results (`None` while counting).
    pub fn view_counts(&self) -> &[Option<usize>] {
        &self.views.counts
    }

    /// The views pane's cursor, while it is open.
    pub fn views_cursor(&self) -> Option<usize> {
        match self.overlay {
            Overlay::Views(c) => Some(c),
            _ => None,
        }
    }

    /// The view whose query is the one in force, if any.
    pub fn view_in_use(&self) -> Option<&View> {
        let q = self.search.text.trim();
        if q.is_empty() {
            return None;
        }
        self.views.list.iter().find(|v| v.query.trim() == q)
    }

    pub(super) fn open_views(&mut self, effects: &mut Vec<Effect>) {
        if self.views.list.is_empty() {
            self.say(
                "no saved views: add [[view]] name = \"…\" query = \"…\" to the config file",
                Tone::Info,
            );
            return;
        }
        let here = self
            .view_in_use()
            .and_then(|v| self.views.list.iter().position(|w| w == v))
            .unwrap_or(0);
        self.overlay = Overlay::Views(here);
        self.views.counts = vec![None; self.views.list.len()];
        let queries: Vec<Query> = self
            .views
            .list
            .iter()
            .map(|v| crate::query::parse(&v.query).unwrap_or_default())
            .collect();
        effects.push(Effect::CountViews(queries));
    }

    pub(super) fn update_views(&mut self, cur: usize, action: Action, effects: &mut Vec<Effect>) {
        let last = self.views.list.len().saturating_sub(1);
        let cursor = match action {
            Action::Down => (cur + 1).min(last),
            Action::Up => cur.saturating_sub(1),
            Action::Top => 0,
            Action::Bottom => last,
            Action::Open | Action::Accept | Action::ReadOn => {
                self.apply_view(cur, effects);
                return;
            }
            Action::ApplyView(i) => {
                self.apply_view(i, effects);
                return;
            }
            Action::ToggleViews | Action::Cancel | Action::Back => return,
            Action::Quit => {
                self.quit(effects);
                return;
            }
            _ => cur,
        };
        self.overlay = Overlay::Views(cursor);
    }

    /// Put a view's query in force.
    pub(super) fn apply_view(&mut self, i: usize, effects: &mut Vec<Effect>) {
        let Some(v) = self.views.list.get(i).cloned() else {
            return;
        };
        self.overlay = Overlay::None;
        self.set_query(v.query.clone(), effects);
        if self.search.error.is_none() {
            self.say(format!("view: {}", v.name), Tone::Info);
        }
    }
}
