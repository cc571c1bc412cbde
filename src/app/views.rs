//! Saved views: named queries from the config file. `v` opens a pane listing them with live
//! counts (counted off the UI thread); Enter, or a view's own key, applies one: the query
//! becomes the view's, so the search box holds it to refine.

use super::{Action, App, Effect, Tone};
use crate::query::Query;

/// A named query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub name: String,
    pub query: String,
    /// The key that applies it, as the config file writes keys.
    pub key: Option<String>,
}

impl App {
    /// The view whose query is the one in force, if any.
    pub fn view_in_use(&self) -> Option<&View> {
        let q = self.query_text.trim();
        if q.is_empty() {
            return None;
        }
        self.views.iter().find(|v| v.query.trim() == q)
    }

    pub(super) fn toggle_views(&mut self, effects: &mut Vec<Effect>) {
        if self.views_cursor.is_some() {
            self.views_cursor = None;
            return;
        }
        if self.views.is_empty() {
            self.say(
                "no saved views: add [[view]] name = \"…\" query = \"…\" to the config file",
                Tone::Info,
            );
            return;
        }
        let here = self
            .view_in_use()
            .and_then(|v| self.views.iter().position(|w| w == v))
            .unwrap_or(0);
        self.views_cursor = Some(here);
        self.view_counts = vec![None; self.views.len()];
        let queries: Vec<Query> = self
            .views
            .iter()
            .map(|v| crate::query::parse(&v.query).unwrap_or_default())
            .collect();
        effects.push(Effect::CountViews(queries));
    }

    /// Counts for the views, as the loop computed them.
    pub(super) fn views_counted(&mut self, counts: Vec<usize>) {
        self.view_counts = counts.into_iter().map(Some).collect();
    }

    pub(super) fn update_views(&mut self, action: Action, effects: &mut Vec<Effect>) {
        let Some(cur) = self.views_cursor else { return };
        let last = self.views.len().saturating_sub(1);
        match action {
            Action::Down => self.views_cursor = Some((cur + 1).min(last)),
            Action::Up => self.views_cursor = Some(cur.saturating_sub(1)),
            Action::Top => self.views_cursor = Some(0),
            Action::Bottom => self.views_cursor = Some(last),
            Action::Open | Action::Accept | Action::ReadOn => self.apply_view(cur, effects),
            Action::ApplyView(i) => self.apply_view(i, effects),
            Action::ToggleViews | Action::Cancel | Action::Back => self.views_cursor = None,
            Action::Quit => self.quit(effects),
            _ => {}
        }
    }

    /// Put a view's query in force.
    pub(super) fn apply_view(&mut self, i: usize, effects: &mut Vec<Effect>) {
        let Some(v) = self.views.get(i).cloned() else {
            return;
        };
        self.views_cursor = None;
        self.search_box = None;
        self.set_query(v.query.clone(), effects);
        if self.query_error.is_none() {
            self.say(format!("view: {}", v.name), Tone::Info);
        }
    }
}
