//! The note editor's state: the article it is for and the text being typed.

use super::new_box;
use crate::theme::Theme;
use tui_textarea::{Input, TextArea};

#[derive(Debug)]
pub struct NoteEditor {
    id: String,
    text: TextArea<'static>,
    /// The note as it was when the editor opened.
    original: String,
    /// The article was bookmarked to hold this note (an empty note takes it back).
    bookmarked_for_it: bool,
    /// Esc was pressed with changes typed: a second one discards them.
    asked: bool,
}

impl NoteEditor {
    pub(super) fn new(id: String, note: &str, theme: &Theme) -> NoteEditor {
        NoteEditor {
            id,
            text: new_box(note, theme),
            original: note.trim_end().to_string(),
            bookmarked_for_it: false,
            asked: false,
        }
    }

    /// The bookmark was made for this note.
    #[must_use]
    pub(super) fn bookmarked_for_it(mut self, yes: bool) -> NoteEditor {
        self.bookmarked_for_it = yes;
        self
    }

    pub(super) fn made_the_bookmark(&self) -> bool {
        self.bookmarked_for_it
    }

    /// The article the note is for.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The text box (drawn by `ui::note`).
    pub fn textarea(&self) -> &TextArea<'static> {
        &self.text
    }

    /// Whether the text differs from the note as it was.
    pub fn changed(&self) -> bool {
        self.text() != self.original
    }

    /// Whether leaving now would discard typed changes without asking again.
    pub fn asked(&self) -> bool {
        self.asked
    }

    pub(super) fn ask(&mut self) {
        self.asked = true;
    }

    /// The note as typed, without trailing blank space.
    pub fn text(&self) -> String {
        self.text.lines().join("\n").trim_end().to_string()
    }

    /// A key typed into the editor. A control character (Ctrl-Space sends NUL) is not text.
    pub(super) fn input(&mut self, key: crossterm::event::KeyEvent) {
        if matches!(key.code, crossterm::event::KeyCode::Char(c) if c.is_control()) {
            return;
        }
        self.asked = false;
        self.text.input(Input::from(key));
    }
}
