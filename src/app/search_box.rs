//! The search box: the query typed live (searches run off the UI thread, older ones
//! dropped), its history, and find-in-article from the reader. The text box sits behind the
//! app's keys: Enter, Esc and the history keys are actions, the rest goes to tui-textarea.

use super::{new_box, searching, Action, App, Effect, Focus, SearchRequest, SearchResult};
use crate::query::{self, Query};
use std::sync::Arc;
use tui_textarea::Input;

/// The search inside one article: its matches as reader line numbers.
#[derive(Debug, Clone, Default)]
pub struct ArticleSearch {
    pub text: String,
    pub lines: Vec<usize>,
    pub current: usize,
}

impl App {
    /// `/`: search the corpus from the list, the article from the reader.
    pub(super) fn open_search_box(&mut self) {
        let in_article = self.focus == Focus::Reader && self.current().is_some();
        self.search_in_article = in_article;
        let text = if in_article {
            self.article_search
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default()
        } else {
            self.query_text.clone()
        };
        self.search_box = Some(new_box(&text, &self.theme));
        self.history_pos = None;
    }

    /// Change the query text: parse it, and start a search when it parses.
    pub fn set_query(&mut self, text: String, effects: &mut Vec<Effect>) {
        match query::parse(&text) {
            Ok(q) => {
                self.query_error = None;
                let within = self.narrowing_base(&text, &q);
                self.query = q.clone();
                self.query_text = text;
                self.generation += 1;
                self.searching = true;
                effects.push(Effect::Search(SearchRequest {
                    generation: self.generation,
                    query: q,
                    within,
                }));
            }
            Err(e) => {
                self.query_text = text;
                self.query_error = Some(e.to_string());
            }
        }
    }

    /// Earlier results a grown query can be narrowed from.
    fn narrowing_base(&self, text: &str, q: &Query) -> Option<Arc<Vec<u32>>> {
        let (prev_text, prev) = self.last_result.as_ref()?;
        if prev_text.is_empty() || !text.starts_with(prev_text.as_str()) || text == prev_text {
            return None;
        }
        let old = query::parse(prev_text).ok()?;
        searching::can_narrow(&old, q).then(|| Arc::clone(prev))
    }

    pub(super) fn search_done(&mut self, generation: u64, result: Arc<SearchResult>, done: bool) {
        if generation != self.generation {
            return; // stale
        }
        self.searching = !done;
        let keep = self.current_index();
        let n = self.corpus.articles.len();
        self.visible = result
            .hits
            .iter()
            .map(|h| h.idx as usize)
            .filter(|&i| i < n)
            .collect();
        self.facets = result.facets.clone();
        if done {
            self.last_result = Some((
                self.query_text.clone(),
                Arc::new(result.hits.iter().map(|h| h.idx).collect()),
            ));
        }
        // Keep the selected article selected when it is still there.
        let pos = keep.and_then(|k| self.visible.iter().position(|&i| i == k));
        match pos {
            Some(p) => self.selected = p,
            None => {
                self.selected = 0;
                self.reader_top = 0;
            }
        }
        self.list_offset = self.list_offset.min(self.selected);
    }

    pub(super) fn update_search_box(&mut self, action: Action, effects: &mut Vec<Effect>) {
        match action {
            Action::Quit => self.quit(effects),
            Action::Accept => {
                let text = self.box_text();
                self.search_box = None;
                if self.search_in_article {
                    self.jump_match(0);
                } else {
                    self.remember_query(&text, effects);
                    if self.focus == Focus::Facets {
                        self.focus = Focus::List;
                    }
                }
            }
            Action::Cancel => {
                self.search_box = None;
                if self.search_in_article {
                    self.article_search = None;
                } else if self.query_error.is_some() {
                    // Leave with the last query that worked.
                    let text = self
                        .last_result
                        .as_ref()
                        .map(|r| r.0.clone())
                        .unwrap_or_default();
                    self.query_error = None;
                    self.set_query(text, effects);
                }
            }
            Action::HistoryPrev | Action::HistoryNext if !self.search_in_article => {
                let n = self.history().len();
                if n == 0 {
                    return;
                }
                let pos = match (self.history_pos, action == Action::HistoryPrev) {
                    (None, true) => Some(n - 1),
                    (None, false) => None,
                    (Some(p), true) => Some(p.saturating_sub(1)),
                    (Some(p), false) if p + 1 < n => Some(p + 1),
                    (Some(_), false) => None,
                };
                self.history_pos = pos;
                let text = pos
                    .and_then(|p| self.history().get(p).cloned())
                    .unwrap_or_default();
                self.search_box = Some(new_box(&text, &self.theme));
                self.set_query(text, effects);
            }
            Action::Input(key) => {
                use crossterm::event::{KeyCode, KeyModifiers};
                let Some(ta) = self.search_box.as_mut() else {
                    return;
                };
                let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                match key.code {
                    // Shell editing: Ctrl-U deletes to the start, Ctrl-W the word before.
                    KeyCode::Char('u') if ctrl => {
                        ta.delete_line_by_head();
                    }
                    KeyCode::Char('w') if ctrl => {
                        ta.delete_word();
                    }
                    // One line only: no newlines, no tabs, no control characters.
                    KeyCode::Char('m') | KeyCode::Char('j') if ctrl => {}
                    KeyCode::Enter | KeyCode::Tab | KeyCode::BackTab => {}
                    KeyCode::Char(c) if c.is_control() => {}
                    _ => {
                        ta.input(Input::from(key));
                    }
                }
                let text = self.box_text();
                if self.search_in_article {
                    self.search_article(&text);
                } else if text != self.query_text || self.query_error.is_some() {
                    self.history_pos = None;
                    self.set_query(text, effects);
                }
            }
            _ => {}
        }
    }

    fn box_text(&self) -> String {
        self.search_box
            .as_ref()
            .map(|t| t.lines().join(" "))
            .unwrap_or_default()
    }

    fn remember_query(&mut self, text: &str, effects: &mut Vec<Effect>) {
        let t = text.trim();
        if t.is_empty() || self.query_error.is_some() {
            return;
        }
        effects.push(Effect::Remember(t.to_string()));
    }

    /// Find `text` in the current article: matches as reader lines.
    pub(super) fn search_article(&mut self, text: &str) {
        let doc = self.reader_doc();
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
        let lines: Vec<usize> = doc
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let low = l.text.to_lowercase();
                needles.iter().any(|n| low.contains(n.as_str()))
            })
            .map(|(i, _)| i)
            .collect();
        self.article_search = Some(ArticleSearch {
            text: text.to_string(),
            lines,
            current: 0,
        });
        self.jump_match(0);
    }

    /// Move to the next (1), previous (-1) or current (0) match of the article search.
    pub(super) fn jump_match(&mut self, dir: isize) {
        let h = self.reader_size().map(|(_, h)| h).unwrap_or(1);
        let Some(s) = self.article_search.as_mut() else {
            return;
        };
        if s.lines.is_empty() {
            return;
        }
        let n = s.lines.len() as isize;
        s.current = ((s.current as isize + dir).rem_euclid(n)) as usize;
        let line = s.lines[s.current];
        self.reader_top = line.saturating_sub(h / 3);
        self.reader_top = self.reader_top.min(self.reader_max_top());
    }
}
