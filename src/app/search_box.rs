//! The query in force and the search box: the query typed live (searches run off the UI
//! thread, older ones dropped), its history, and find-in-article from the reader. The text
//! box sits behind the app's keys: Enter, Esc and the history keys are actions, the rest
//! goes to tui-textarea.

use super::{
    new_box, searching, Action, App, Effect, Focus, Overlay, SearchRequest, SearchResult, Tone,
};
use crate::query::{self, Query};
use crate::theme::Theme;
use std::sync::Arc;
use tui_textarea::{Input, TextArea};

/// The search inside one article: its matches as reader line numbers.
#[derive(Debug, Clone, Default)]
pub struct ArticleSearch {
    pub text: String,
    pub lines: Vec<usize>,
    pub current: usize,
}

/// The query in force and the searches it started.
#[derive(Debug, Default)]
pub(super) struct SearchState {
    /// The query text in force and its parse.
    pub(super) text: String,
    pub(super) query: Query,
    pub(super) error: Option<String>,
    /// Search generation: results of older ones are dropped.
    pub(super) generation: u64,
    /// A search is running.
    pub(super) running: bool,
    /// The last complete results and the text they were for (to narrow a grown query).
    pub(super) last_result: Option<(String, Arc<Vec<u32>>)>,
    /// The query text of the results shown (a new text starts at the first result).
    pub(super) shown_for: Option<String>,
    /// The article to select once the results have it: the one selected when the last
    /// reader closed.
    pub(super) restore: Option<String>,
    /// Which corpora are shown, as sessions are kept.
    pub(super) session_key: String,
    /// Only the newest part of the library is loaded: an article to restore may come with
    /// the rest.
    pub(super) partial: bool,
    /// The same query is running again (a live query after a change of marks): the list
    /// stays as it is until the whole result is in.
    pub(super) refreshing: bool,
}

/// The open search box.
#[derive(Debug)]
pub struct SearchBox {
    text: TextArea<'static>,
    /// Whether it searches the article (from the reader) rather than the corpus.
    in_article: bool,
    /// Where in the history Up and Down are.
    history_pos: Option<usize>,
    /// A space was put after the text when the box opened: a space typed first is that one.
    spaced: bool,
}

impl SearchBox {
    pub fn textarea(&self) -> &TextArea<'static> {
        &self.text
    }

    pub fn in_article(&self) -> bool {
        self.in_article
    }

    fn text(&self) -> String {
        self.text.lines().join(" ")
    }

    /// The same box drawn afresh (after a resize its sideways scroll starts over, so a
    /// wider screen shows the text from its start), the cursor where it was.
    pub(super) fn redrawn(self, theme: &Theme) -> SearchBox {
        let (row, col) = self.text.cursor();
        let mut text = new_box(&self.text(), theme);
        text.move_cursor(tui_textarea::CursorMove::Jump(
            u16::try_from(row).unwrap_or(0),
            u16::try_from(col).unwrap_or(u16::MAX),
        ));
        SearchBox { text, ..self }
    }
}

impl App {
    /// The query text in force.
    pub fn query_text(&self) -> &str {
        &self.search.text
    }

    /// The query in force, parsed.
    pub fn query(&self) -> &Query {
        &self.search.query
    }

    /// Why the query typed does not parse, if it does not.
    pub fn query_error(&self) -> Option<&str> {
        self.search.error.as_deref()
    }

    /// Whether a search is running.
    pub fn searching(&self) -> bool {
        self.search.running
    }

    /// The query text of the results in the list (which may not be the text in the box,
    /// while that does not parse).
    pub fn results_query(&self) -> Option<&str> {
        self.search.shown_for.as_deref()
    }

    /// `/`: search the corpus from the list, the article from the reader.
    pub(super) fn open_search_box(&mut self) {
        let in_article = self.focus == Focus::Reader && self.current().is_some();
        self.reader.find_from = in_article.then_some(self.reader.top);
        let text = if in_article {
            self.reader
                .find
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default()
        } else {
            let mut t = self.search.text.clone();
            // What is typed next is a term of its own, not the end of a filter (the facet
            // pane's `sector:"auto & ev"` then `byd` must not become one token).
            let last = t.split_whitespace().last().unwrap_or("");
            if last.contains(':') || last.ends_with('"') {
                t.push(' ');
            }
            t
        };
        let spaced = !in_article && text.ends_with(' ') && !self.search.text.ends_with(' ');
        self.overlay = Overlay::Search(SearchBox {
            text: new_box(&text, &self.theme),
            in_article,
            history_pos: None,
            spaced,
        });
    }

    /// Change the query text: parse it, and start a search when it parses.
    pub fn set_query(&mut self, text: String, effects: &mut Vec<Effect>) {
        match query::parse(&text) {
            Ok(q) => {
                self.search.error = None;
                let within = self.narrowing_base(&text, &q);
                self.search.query = q.clone();
                self.search.text = text;
                self.search.generation += 1;
                self.search.refreshing = false;
                self.search.restore = None;
                self.search.running = true;
                effects.push(Effect::Search(SearchRequest {
                    generation: self.search.generation,
                    query: q,
                    within,
                }));
            }
            Err(e) => {
                self.search.text = text;
                self.search.error = Some(e.to_string());
            }
        }
    }

    /// Where the reader was at its close, for the next one to start there: the query in
    /// force (the last that ran, when the box holds one that does not parse) and the
    /// selected article.
    pub fn session(&self) -> crate::store::Session {
        let query = if self.search.error.is_some() {
            self.search.shown_for.clone().unwrap_or_default()
        } else {
            self.search.text.clone()
        };
        crate::store::Session {
            corpus: self.search.session_key.clone(),
            query,
            selected: self.current().map(|a| a.id.clone()),
        }
    }

    /// Start where the last reader was: its query (a saved view's too) and its article.
    /// `partial`: only the newest articles are loaded yet.
    /// `key` names the corpora shown: a session of other corpora is not restored.
    pub fn restore_session(
        &mut self,
        key: &str,
        session: Option<&crate::store::Session>,
        partial: bool,
    ) {
        self.search.session_key = key.to_string();
        let Some(session) = session.filter(|s| s.corpus == key) else {
            return;
        };
        self.search.partial = partial;
        let text = session.query.trim().to_string();
        if !text.is_empty() && query::parse(&text).is_ok() {
            let mut effects = Vec::new();
            self.set_query(text, &mut effects);
            self.queued.extend(effects);
            self.search.restore = session.selected.clone();
        } else if let Some(id) = &session.selected {
            self.search.restore = session.selected.clone();
            let found = self
                .corpus
                .index_of(id)
                .and_then(|i| self.list.visible.iter().position(|&v| v == i));
            if let Some(p) = found {
                self.list.selected = p;
                self.search.restore = None;
            }
        }
    }

    /// A query on the reading state (`is:unread`, a saved "Unread" view) is live: when marks
    /// change it runs again, keeping the article being read in the list until it is left.
    pub(super) fn refresh_live_query(&mut self, effects: &mut Vec<Effect>) {
        // The facet pane's unread counts are counted with the results too.
        self.facets.stale = !self.facets.open;
        // The box holds a query that does not parse: the list stays as it is (its title
        // says whose results they are) until one does.
        if self.search.error.is_some() {
            return;
        }
        if !self.facets.open
            && !self
                .search
                .query
                .clauses
                .iter()
                .any(|c| c.term.mentions_state())
        {
            return;
        }
        self.drop_pinned();
        if self.focus == Focus::Reader {
            self.list.pinned = self.current_index();
        }
        self.search.refreshing = true;
        self.search.generation += 1;
        self.search.running = true;
        effects.push(Effect::Search(SearchRequest {
            generation: self.search.generation,
            query: self.search.query.clone(),
            within: None,
        }));
    }

    /// The article kept in the list by a live query goes once the reader leaves it (another
    /// article selected, or back to the list).
    pub(super) fn drop_pinned(&mut self) {
        let Some(p) = self.list.pinned else { return };
        if self.focus == Focus::Reader && self.current_index() == Some(p) {
            return;
        }
        self.list.pinned = None;
        if self.search.running {
            return; // the running search's result leaves it out
        }
        let Some(at) = self.list.visible.iter().position(|&i| i == p) else {
            return;
        };
        // Still matching (marked unread again): it stays.
        if self
            .search
            .last_result
            .as_ref()
            .is_some_and(|(_, hits)| hits.contains(&(p as u32)))
        {
            return;
        }
        self.list.visible.remove(at);
        if self.list.selected > at {
            self.list.selected -= 1;
        }
        self.list.selected = self
            .list
            .selected
            .min(self.list.visible.len().saturating_sub(1));
    }

    /// Earlier results a grown query can be narrowed from.
    fn narrowing_base(&self, text: &str, q: &Query) -> Option<Arc<Vec<u32>>> {
        let (prev_text, prev) = self.search.last_result.as_ref()?;
        if prev_text.is_empty() || !text.starts_with(prev_text.as_str()) || text == prev_text {
            return None;
        }
        let old = query::parse(prev_text).ok()?;
        searching::can_narrow(&old, q).then(|| Arc::clone(prev))
    }

    /// Results arrived: returns whether they were for the search in force.
    pub(super) fn search_done(
        &mut self,
        generation: u64,
        result: &SearchResult,
        done: bool,
    ) -> bool {
        if generation != self.search.generation {
            return false; // stale
        }
        self.search.running = !done;
        if self.search.refreshing {
            if !done {
                // Titles only: the facet counts may change, the list waits for the rest.
                self.facets.counts = result.facets.clone();
                return true;
            }
            self.search.refreshing = false;
        }
        let keep = self.current_index();
        let old_selected = self.list.selected;
        let old_visible = std::mem::take(&mut self.list.visible);
        let n = self.corpus.articles.len();
        self.list.visible = result
            .hits
            .iter()
            .map(|h| h.idx as usize)
            .filter(|&i| i < n)
            .collect();
        self.facets.counts = result.facets.clone();
        if done {
            self.search.last_result = Some((
                self.search.text.clone(),
                Arc::new(result.hits.iter().map(|h| h.idx).collect()),
            ));
        }
        // The same query again (a reload, a change of marks, the rest of a search): keep the
        // selected article selected when it is still there. A new query starts at the top.
        let same = self.search.shown_for.as_deref() == Some(self.search.text.as_str());
        self.search.shown_for = Some(self.search.text.clone());
        let mut pos = keep
            .filter(|_| same)
            .and_then(|k| self.list.visible.iter().position(|&i| i == k));
        // The article being read no longer matches a live query: it stays where it was
        // until the reader leaves it.
        if let Some(k) = keep.filter(|_| pos.is_none() && same) {
            if Some(k) == self.list.pinned {
                // Where it was among the articles that are still there.
                let mut found = vec![false; n];
                for &i in &self.list.visible {
                    found[i] = true;
                }
                let before = old_visible
                    .iter()
                    .position(|&i| i == k)
                    .unwrap_or(old_selected);
                let at = old_visible[..before.min(old_visible.len())]
                    .iter()
                    .filter(|&&i| i < n && found[i])
                    .count();
                self.list.visible.insert(at, k);
                pos = Some(at);
            } else if !self.list.visible.is_empty() {
                // Gone from the same query's results (marked read in an unread view):
                // the next article takes its place.
                pos = Some(self.list.selected.min(self.list.visible.len() - 1));
            }
        }
        if pos.is_none() {
            self.list.pinned = None;
        }
        // The article the last reader had selected, once it is among the results.
        if let Some(id) = self.search.restore.clone() {
            let at = self
                .corpus
                .index_of(&id)
                .and_then(|i| self.list.visible.iter().position(|&v| v == i));
            if at.is_some() {
                pos = at;
            }
            if at.is_some() || (done && !self.search.partial) {
                self.search.restore = None;
            }
        }
        self.list.selected = pos.unwrap_or(0);
        // Another article in the reader: from its top.
        if self.list.visible.get(self.list.selected).copied() != keep {
            self.reader.top = 0;
        }
        self.list.offset = self.list.offset.min(self.list.selected);
        true
    }

    pub(super) fn update_search_box(
        &mut self,
        mut sb: SearchBox,
        action: Action,
        effects: &mut Vec<Effect>,
    ) {
        match action {
            Action::Quit => self.quit(effects),
            Action::Accept => {
                let text = sb.text();
                if sb.in_article {
                    // No match: say so, stay where the reader is, and let n and p go on
                    // moving between articles.
                    let none = self
                        .reader
                        .find
                        .as_ref()
                        .is_some_and(|f| f.lines.is_empty());
                    if none && !text.trim().is_empty() {
                        self.reader.find = None;
                        self.say(
                            format!("no match for {:?} in this article", text.trim()),
                            Tone::Info,
                        );
                    } else {
                        self.jump_match(0);
                    }
                } else {
                    self.remember_query(&text, effects);
                    if self.focus == Focus::Facets {
                        self.focus = Focus::List;
                    }
                }
            }
            Action::Cancel => {
                if sb.in_article {
                    self.reader.find = None;
                } else if self.search.error.is_some() {
                    // Leave with the last query that worked.
                    let text = self
                        .search
                        .last_result
                        .as_ref()
                        .map(|r| r.0.clone())
                        .unwrap_or_default();
                    self.search.error = None;
                    self.set_query(text, effects);
                }
            }
            Action::HistoryPrev | Action::HistoryNext if !sb.in_article => {
                let n = self.history().len();
                if n > 0 {
                    let pos = match (sb.history_pos, action == Action::HistoryPrev) {
                        (None, true) => Some(n - 1),
                        (None, false) => None,
                        (Some(p), true) => Some(p.saturating_sub(1)),
                        (Some(p), false) if p + 1 < n => Some(p + 1),
                        (Some(_), false) => None,
                    };
                    let text = pos
                        .and_then(|p| self.history().get(p).cloned())
                        .unwrap_or_default();
                    sb = SearchBox {
                        text: new_box(&text, &self.theme),
                        in_article: false,
                        history_pos: pos,
                        spaced: false,
                    };
                    self.set_query(text, effects);
                }
                self.overlay = Overlay::Search(sb);
            }
            Action::Input(key) => {
                use crossterm::event::{KeyCode, KeyModifiers};
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                let ta = &mut sb.text;
                match key.code {
                    // Shell editing: Ctrl-U deletes to the start, Ctrl-W the word before.
                    KeyCode::Char('u') if ctrl => {
                        ta.delete_line_by_head();
                    }
                    KeyCode::Char('w') if ctrl => {
                        ta.delete_word();
                    }
                    // One line only: no newlines, no tabs, no control characters.
                    KeyCode::Char('m' | 'j') if ctrl => {}
                    KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab => {}
                    KeyCode::Char(c) if c.is_control() => {}
                    KeyCode::Char(' ') if sb.spaced => {}
                    _ => {
                        ta.input(Input::from(key));
                    }
                }
                sb.spaced = false;
                let text = sb.text();
                let in_article = sb.in_article;
                if !in_article && (text != self.search.text || self.search.error.is_some()) {
                    sb.history_pos = None;
                }
                self.overlay = Overlay::Search(sb);
                if in_article {
                    self.search_article(&text);
                } else if text != self.search.text || self.search.error.is_some() {
                    self.set_query(text, effects);
                }
            }
            _ => self.overlay = Overlay::Search(sb),
        }
    }

    fn remember_query(&mut self, text: &str, effects: &mut Vec<Effect>) {
        let t = text.trim();
        if t.is_empty() || self.search.error.is_some() {
            return;
        }
        self.remember(t, effects);
    }

    /// Find `text` in the current article: matches as reader lines.
    pub(super) fn search_article(&mut self, text: &str) {
        let q = query::parse(text).unwrap_or_default();
        let needles: Vec<String> = if text.trim().is_empty() {
            Vec::new()
        } else {
            let h = q.highlights();
            if h.is_empty() {
                vec![text.trim().to_lowercase()]
            } else {
                h
            }
        };
        let lines: Vec<usize> = self
            .reader_doc()
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let low = l.text.to_lowercase();
                needles.iter().any(|n| low.contains(n.as_str()))
            })
            .map(|(i, _)| i)
            .collect();
        // The first match from where the reader was when the box opened (around to the
        // top); none: back to that place.
        let from = self.reader.find_from.unwrap_or(self.reader.top);
        let current = lines.iter().position(|&l| l >= from).unwrap_or(0);
        let none = lines.is_empty();
        self.reader.find = Some(ArticleSearch {
            text: text.to_string(),
            lines,
            current,
        });
        if none {
            self.reader.top = from.min(self.reader_max_top());
        } else {
            self.jump_match(0);
        }
    }

    /// Move to the next (1), previous (-1) or current (0) match of the article search.
    pub(super) fn jump_match(&mut self, dir: isize) {
        let h = self.reader_size().map_or(1, |(_, h)| h);
        let max = self.reader_max_top();
        let Some(s) = self.reader.find.as_mut() else {
            return;
        };
        if s.lines.is_empty() {
            return;
        }
        let n = s.lines.len() as isize;
        s.current = ((s.current as isize + dir).rem_euclid(n)) as usize;
        let line = s.lines[s.current];
        self.reader.top = line.saturating_sub(h / 3).min(max);
    }
}
