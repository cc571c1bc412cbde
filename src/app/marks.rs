//! Bookmarks, notes and read state: the keys that change them (each change an `Op` the
//! loop commits), undo, and keeping the per-article view of the store (`StateView`) up to
//! date change by change. `persist`, `retry_saves` and `poll_store` are the loop's: they are
//! where the store is written and read.

use super::{new_box, Action, App, Effect, Tone};
use crate::query::{parse::State, Term};
use crate::store::{self, db::Changed, Bookmark, Op, StateView, StoreEvent};
use std::sync::Arc;
use tui_textarea::Input;

impl App {
    /// Tell the user what the store needs them to know.
    pub fn take_store_events(&mut self) {
        for e in self.store.take_events() {
            let tone = match e {
                StoreEvent::Recovered | StoreEvent::Migrated { .. } => Tone::Info,
                _ => Tone::Error,
            };
            self.say(e.to_string(), tone);
        }
    }

    /// Commit a change (the loop calls this for `Effect::Store`, before the next frame),
    /// then bring the marks of the articles it touched up to date.
    pub fn persist(&mut self, op: Op) {
        let ids: Vec<String> = op.ids().into_iter().map(str::to_string).collect();
        if let Err(e) = self.store.apply(op) {
            self.say(
                format!("not saved yet: {e} (kept in memory, retrying)"),
                Tone::Error,
            );
        }
        self.take_store_events();
        self.refresh_marks(&ids);
    }

    /// Save a search to the history (the loop calls this for `Effect::Remember`).
    pub fn remember(&mut self, query: &str) {
        if let Err(e) = self.store.remember(query) {
            self.say(e, Tone::Error);
        }
    }

    /// Retry saving changes that failed (the loop calls this now and then).
    pub fn retry_saves(&mut self) {
        if self.store.has_pending() && self.store.flush().is_ok() {
            self.say("bookmarks saved", Tone::Info);
        }
        self.take_store_events();
    }

    /// Pick up what another folio saved (the loop calls this about once a second).
    pub fn poll_store(&mut self) {
        match self.store.poll() {
            None => {}
            Some(Changed::Ids(ids)) => self.refresh_marks(&ids),
            Some(Changed::All) => {
                let corpus = Arc::clone(&self.corpus);
                self.state = Arc::new(StateView::of(
                    &self.store.data,
                    corpus.articles.len(),
                    |id| corpus.index_of(id),
                ));
            }
        }
    }

    fn refresh_marks(&mut self, ids: &[String]) {
        let corpus = Arc::clone(&self.corpus);
        let state = Arc::make_mut(&mut self.state);
        for id in ids {
            if let Some(i) = corpus.index_of(id) {
                state.update(&self.store.data, id, i);
            }
        }
    }

    pub(super) fn undo(&mut self, effects: &mut Vec<Effect>) {
        match self.undo.pop() {
            Some(ops) => {
                for op in ops {
                    effects.push(Effect::Store(op));
                }
                self.say("undone", Tone::Info);
            }
            None => self.say("nothing to undo", Tone::Info),
        }
    }

    pub(super) fn toggle_bookmarks_only(&mut self, effects: &mut Vec<Effect>) {
        let is_it = |t: &Term| *t == Term::Is(State::Bookmarked);
        let has = self
            .query
            .clauses
            .iter()
            .any(|c| !c.negated && is_it(&c.term));
        let text = if has {
            self.query
                .clauses
                .iter()
                .filter(|c| c.negated || !is_it(&c.term))
                .map(|c| c.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            format!("{} is:bookmarked", self.query_text)
                .trim()
                .to_string()
        };
        self.set_query(text, effects);
    }

    pub(super) fn mark_read_on_open(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        if !self.is_read(i) {
            let id = self.corpus.articles[i].id.clone();
            self.undo.push(vec![Op::SetRead(id.clone(), false)]);
            effects.push(Effect::Store(Op::SetRead(id, true)));
        }
    }

    fn new_bookmark(&self, i: usize) -> Bookmark {
        Bookmark {
            added: store::now(),
            title: self.corpus.articles[i].title.clone(),
            note: String::new(),
            updated: None,
        }
    }

    pub(super) fn toggle_bookmark(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        let id = self.corpus.articles[i].id.clone();
        match self.store.data.bookmarks.get(&id).cloned() {
            Some(old) => {
                self.undo.push(vec![Op::Put(id.clone(), old)]);
                effects.push(Effect::Store(Op::Remove(id)));
                self.say("bookmark removed (u to undo)", Tone::Info);
            }
            None => {
                let b = self.new_bookmark(i);
                self.undo.push(vec![Op::Remove(id.clone())]);
                effects.push(Effect::Store(Op::Put(id, b)));
                self.say("bookmarked (e adds a note)", Tone::Info);
            }
        }
    }

    pub(super) fn toggle_read(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        let id = self.corpus.articles[i].id.clone();
        let was = self.is_read(i);
        self.undo.push(vec![Op::SetRead(id.clone(), was)]);
        effects.push(Effect::Store(Op::SetRead(id, !was)));
        self.say(
            if was {
                "marked unread (u to undo)"
            } else {
                "marked read (u to undo)"
            },
            Tone::Info,
        );
    }

    /// `A`: every article in the results marked read, in one change (undone as one).
    pub(super) fn mark_all_read(&mut self, effects: &mut Vec<Effect>) {
        let unread: Vec<(String, bool)> = self
            .visible
            .iter()
            .filter(|&&i| !self.is_read(i))
            .map(|&i| (self.corpus.articles[i].id.clone(), true))
            .collect();
        if unread.is_empty() {
            self.say("every article here is read already", Tone::Info);
            return;
        }
        let n = unread.len();
        let back = unread.iter().map(|(id, _)| (id.clone(), false)).collect();
        self.undo.push(vec![Op::SetReadMany(back)]);
        effects.push(Effect::Store(Op::SetReadMany(unread)));
        self.say(
            format!(
                "marked {n} article{} read (u to undo)",
                if n == 1 { "" } else { "s" }
            ),
            Tone::Info,
        );
    }

    pub(super) fn edit_note(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        let id = self.corpus.articles[i].id.clone();
        if !self.store.data.bookmarks.contains_key(&id) {
            // A note makes a bookmark.
            let b = self.new_bookmark(i);
            self.undo.push(vec![Op::Remove(id.clone())]);
            effects.push(Effect::Store(Op::Put(id.clone(), b)));
        }
        let note = self.note_of(&id);
        self.note_box = Some((id, new_box(&note, &self.theme)));
    }

    /// The note of a bookmark (empty when there is none).
    fn note_of(&self, id: &str) -> String {
        self.store
            .data
            .bookmarks
            .get(id)
            .map(|b| b.note.clone())
            .unwrap_or_default()
    }

    pub(super) fn update_note(&mut self, action: Action, effects: &mut Vec<Effect>) {
        match action {
            Action::Accept => {
                if let Some((id, ta)) = self.note_box.take() {
                    let text = ta.lines().join("\n").trim_end().to_string();
                    let old = self.note_of(&id);
                    if text != old {
                        self.undo.push(vec![Op::SetNote(id.clone(), old)]);
                        effects.push(Effect::Store(Op::SetNote(id, text)));
                        self.say("note saved", Tone::Info);
                    }
                }
            }
            Action::Quit => {
                // Never lose typed text: save it, then quit.
                self.update_note(Action::Accept, effects);
                self.quit(effects);
            }
            Action::Input(key) => {
                // A control character typed (Ctrl-Space sends NUL) is not text.
                if matches!(key.code, crossterm::event::KeyCode::Char(c) if c.is_control()) {
                    return;
                }
                if let Some((_, ta)) = self.note_box.as_mut() {
                    ta.input(Input::from(key));
                }
            }
            _ => {}
        }
    }
}
