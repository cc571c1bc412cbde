//! Bookmarks, notes and read state: the keys that change them, undo, and the saved state as
//! this reader sees it. A change is applied here at once and handed to the runtime as a
//! numbered `Save`; the store thread commits it and reports back (`Done::Saved`), so a
//! busy or slow disk delays the save, never the screen. What another folio changed arrives
//! as `Done::StoreChanged`, read after this reader's own saves up to a number: the changes
//! still on their way are applied again over it, so nothing typed here is undone by it.

use super::note::NoteEditor;
use super::{Action, App, ChangedRows, Effect, Overlay, Save, StoreChange, Tone};
use crate::corpus::Corpus;
use crate::query::{parse::State, Term};
use crate::store::{self, Bookmark, Data, Op, Saved, StateView};
use std::sync::Arc;

/// The saved state as this reader sees it.
#[derive(Debug, Default)]
pub(super) struct Marks {
    /// Bookmarks and reading state, with every change made here applied.
    data: Data,
    /// The same by article number, for the list's marks and `is:` queries.
    state: Arc<StateView>,
    /// The search history, oldest first.
    history: Vec<String>,
    /// Changes handed to the store thread and not yet reported committed.
    unsaved: Vec<Save>,
    next_seq: u64,
    /// Whether the last commit failed (the next good one says so).
    failing: bool,
    undo: Vec<Undo>,
}

/// What `u` takes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Undo {
    /// Changes to the saved state (applied to take the last ones back).
    Ops(Vec<Op>),
    /// The query (or view) in force before Esc cleared it.
    Query(String),
}

impl Marks {
    pub(super) fn new(saved: Saved, corpus: &Corpus) -> Marks {
        let state = Arc::new(StateView::of(&saved.data, corpus.articles.len(), |id| {
            corpus.index_of(id)
        }));
        Marks {
            data: saved.data,
            state,
            history: saved.history,
            ..Marks::default()
        }
    }

    pub(super) fn position(&self, id: &str) -> Option<(usize, usize)> {
        self.data.reading.get(id).and_then(|r| r.position)
    }

    /// The state by article number anew, for another corpus.
    pub(super) fn renumber(&mut self, corpus: &Corpus) {
        self.state = Arc::new(StateView::of(&self.data, corpus.articles.len(), |id| {
            corpus.index_of(id)
        }));
    }

    /// Bookmark and read state by article number.
    pub(super) fn state_view(&self) -> &StateView {
        &self.state
    }

    fn refresh(&mut self, corpus: &Corpus, ids: &[&str]) {
        let state = Arc::make_mut(&mut self.state);
        for id in ids {
            if let Some(i) = corpus.index_of(id) {
                state.update(&self.data, id, i);
            }
        }
    }
}

impl App {
    pub fn is_bookmarked(&self, idx: usize) -> bool {
        self.marks.state.bookmarked.contains(idx)
    }

    pub fn is_read(&self, idx: usize) -> bool {
        self.marks.state.read.contains(idx)
    }

    /// Bookmark and read state by article number (what searches need).
    pub fn state(&self) -> &Arc<StateView> {
        &self.marks.state
    }

    /// Bookmarks and reading state as this reader sees them.
    pub fn saved_data(&self) -> &Data {
        &self.marks.data
    }

    /// The bookmark of an article, if it has one.
    pub fn bookmark(&self, id: &str) -> Option<&Bookmark> {
        self.marks.data.bookmarks.get(id)
    }

    /// The search history, oldest first.
    pub fn history(&self) -> &[String] {
        &self.marks.history
    }

    /// Whether changes are waiting to be committed.
    pub fn has_unsaved(&self) -> bool {
        !self.marks.unsaved.is_empty()
    }

    /// Apply a change now and hand it to the runtime to save.
    pub(super) fn change(&mut self, op: Op, effects: &mut Vec<Effect>) {
        let at = store::now();
        self.marks.data.apply(&op, &at);
        let ids: Vec<String> = op.ids().into_iter().map(str::to_string).collect();
        let corpus = Arc::clone(&self.corpus);
        self.marks
            .refresh(&corpus, &ids.iter().map(String::as_str).collect::<Vec<_>>());
        self.marks.next_seq += 1;
        let save = Save {
            seq: self.marks.next_seq,
            op,
            at,
        };
        let marks_changed = !matches!(save.op, Op::SetPosition(..) | Op::SetNote(..));
        self.marks.unsaved.push(save.clone());
        effects.push(Effect::Save(save));
        if marks_changed {
            self.refresh_live_query(effects);
        }
    }

    /// The store thread committed everything up to `upto`.
    pub(super) fn saved(&mut self, upto: u64) -> bool {
        self.marks.unsaved.retain(|s| s.seq > upto);
        if self.marks.unsaved.is_empty() && std::mem::take(&mut self.marks.failing) {
            self.say("saved", Tone::Info);
            return true;
        }
        false
    }

    /// A commit failed: the change stays applied here, and the store thread retries.
    pub(super) fn save_failed(&mut self, why: String) {
        self.marks.failing = true;
        self.say(
            format!("not saved yet: {why} (kept, and saved as soon as it can be)"),
            Tone::Error,
        );
    }

    /// What another folio changed (or the database read anew): take it, then apply again
    /// this reader's changes the store had not committed when it read.
    pub(super) fn store_changed(&mut self, change: &StoreChange) {
        let corpus = Arc::clone(&self.corpus);
        let still: Vec<Save> = self
            .marks
            .unsaved
            .iter()
            .filter(|s| s.seq > change.upto)
            .cloned()
            .collect();
        match &change.rows {
            ChangedRows::All(data) => {
                self.marks.data = data.clone();
                for s in &still {
                    self.marks.data.apply(&s.op, &s.at);
                }
                self.marks.renumber(&corpus);
            }
            ChangedRows::Ids(rows) => {
                for (id, bookmark, reading) in rows {
                    match bookmark {
                        Some(b) => {
                            self.marks.data.bookmarks.insert(id.clone(), b.clone());
                        }
                        None => {
                            self.marks.data.bookmarks.remove(id);
                        }
                    }
                    match reading.as_ref().filter(|r| !r.is_empty()) {
                        Some(r) => {
                            self.marks.data.reading.insert(id.clone(), r.clone());
                        }
                        None => {
                            self.marks.data.reading.remove(id);
                        }
                    }
                }
                let ids: Vec<&str> = rows.iter().map(|(id, _, _)| id.as_str()).collect();
                for s in &still {
                    if s.op.ids().iter().any(|i| ids.contains(i)) {
                        self.marks.data.apply(&s.op, &s.at);
                    }
                }
                self.marks.refresh(&corpus, &ids);
            }
        }
    }

    /// Remember a search in the history (saved by the runtime).
    pub(super) fn remember(&mut self, query: &str, effects: &mut Vec<Effect>) {
        let h = &mut self.marks.history;
        h.retain(|x| x != query);
        h.push(query.to_string());
        let n = h.len();
        if n > store::db::HISTORY_MAX {
            h.drain(..n - store::db::HISTORY_MAX);
        }
        effects.push(Effect::Remember(query.to_string()));
    }

    pub(super) fn undo(&mut self, effects: &mut Vec<Effect>) {
        match self.marks.undo.pop() {
            Some(Undo::Ops(ops)) => {
                for op in ops {
                    self.change(op, effects);
                }
                self.say("undone", Tone::Info);
            }
            Some(Undo::Query(text)) => {
                self.set_query(text.clone(), effects);
                self.say(format!("query back: {text}"), Tone::Info);
            }
            None => self.say("nothing to undo", Tone::Info),
        }
    }

    fn push_undo(&mut self, ops: Vec<Op>) {
        self.marks.undo.push(Undo::Ops(ops));
    }

    /// Esc in the list: clear the query, say what was cleared, and keep it for `u`.
    pub(super) fn clear_query(&mut self, effects: &mut Vec<Effect>) {
        let old = self.search.text.trim().to_string();
        if old.is_empty() {
            return;
        }
        let what = match self.view_in_use() {
            Some(v) => format!("view {:?}", v.name),
            None => format!("query {old:?}"),
        };
        self.marks.undo.push(Undo::Query(old));
        self.set_query(String::new(), effects);
        self.say(format!("{what} cleared (u brings it back)"), Tone::Info);
    }

    pub(super) fn toggle_bookmarks_only(&mut self, effects: &mut Vec<Effect>) {
        let is_it = |t: &Term| *t == Term::Is(State::Bookmarked);
        let has = self
            .search
            .query
            .clauses
            .iter()
            .any(|c| !c.negated && is_it(&c.term));
        let text = if has {
            self.search
                .query
                .clauses
                .iter()
                .filter(|c| c.negated || !is_it(&c.term))
                .map(|c| c.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            format!("{} is:bookmarked", self.search.text)
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
            self.push_undo(vec![Op::SetRead(id.clone(), false)]);
            self.change(Op::SetRead(id, true), effects);
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
        if let Some(old) = self.marks.data.bookmarks.get(&id).cloned() {
            self.push_undo(vec![Op::Put(id.clone(), old)]);
            self.change(Op::Remove(id), effects);
            self.say("bookmark removed (u to undo)", Tone::Info);
        } else {
            let b = self.new_bookmark(i);
            self.push_undo(vec![Op::Remove(id.clone())]);
            self.change(Op::Put(id, b), effects);
            self.say("bookmarked (e adds a note)", Tone::Info);
        }
    }

    pub(super) fn toggle_read(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        let id = self.corpus.articles[i].id.clone();
        let was = self.is_read(i);
        self.push_undo(vec![Op::SetRead(id.clone(), was)]);
        self.change(Op::SetRead(id, !was), effects);
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
            .list
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
        self.push_undo(vec![Op::SetReadMany(back)]);
        self.change(Op::SetReadMany(unread), effects);
        self.say(
            format!(
                "marked {n} article{} read (u to undo)",
                if n == 1 { "" } else { "s" }
            ),
            Tone::Info,
        );
    }

    /// `e`: the note editor for the selected article (a note makes a bookmark).
    pub(super) fn edit_note(&mut self, effects: &mut Vec<Effect>) {
        let Some(i) = self.current_index() else {
            return;
        };
        let id = self.corpus.articles[i].id.clone();
        let made = !self.marks.data.bookmarks.contains_key(&id);
        if made {
            let b = self.new_bookmark(i);
            self.push_undo(vec![Op::Remove(id.clone())]);
            self.change(Op::Put(id.clone(), b), effects);
            self.say(
                "bookmarked to hold the note (an empty note takes the bookmark back)",
                Tone::Info,
            );
        }
        let note = self.note_of(&id);
        self.overlay =
            Overlay::Note(NoteEditor::new(id, &note, &self.theme).bookmarked_for_it(made));
    }

    /// The note of a bookmark (empty when there is none).
    pub(super) fn note_of(&self, id: &str) -> String {
        self.marks
            .data
            .bookmarks
            .get(id)
            .map(|b| b.note.clone())
            .unwrap_or_default()
    }

    pub(super) fn update_note(
        &mut self,
        mut editor: NoteEditor,
        action: Action,
        effects: &mut Vec<Effect>,
    ) {
        match action {
            Action::Accept => self.save_note(&editor, effects),
            Action::Cancel if editor.changed() && !editor.asked() => {
                editor.ask();
                self.say(
                    "the note has changes: Esc again discards them, Ctrl-S saves",
                    Tone::Info,
                );
                self.overlay = Overlay::Note(editor);
            }
            Action::Cancel => {
                if editor.made_the_bookmark() {
                    self.take_back_bookmark(&editor, effects);
                } else if editor.changed() {
                    self.say("changes to the note discarded", Tone::Info);
                } else {
                    self.say("note unchanged", Tone::Info);
                }
            }
            Action::Quit => {
                // Never lose typed text: save it, then quit.
                self.save_note(&editor, effects);
                self.quit(effects);
            }
            Action::Input(key) => {
                editor.input(key);
                self.overlay = Overlay::Note(editor);
            }
            _ => self.overlay = Overlay::Note(editor),
        }
    }

    /// No note written: the bookmark made to hold it goes again (and its undo).
    fn take_back_bookmark(&mut self, editor: &NoteEditor, effects: &mut Vec<Effect>) {
        let id = editor.id().to_string();
        if self.marks.undo.last() == Some(&Undo::Ops(vec![Op::Remove(id.clone())])) {
            self.marks.undo.pop();
        }
        self.change(Op::Remove(id), effects);
        self.say("no note written: not bookmarked", Tone::Info);
    }

    fn save_note(&mut self, editor: &NoteEditor, effects: &mut Vec<Effect>) {
        let text = editor.text();
        if text.is_empty() && editor.made_the_bookmark() {
            self.take_back_bookmark(editor, effects);
            return;
        }
        let old = self.note_of(editor.id());
        if text != old {
            let id = editor.id().to_string();
            self.push_undo(vec![Op::SetNote(id.clone(), old)]);
            self.change(Op::SetNote(id, text), effects);
            self.say("note saved", Tone::Info);
        }
    }
}
