//! The facet pane: sectors, years, tags and sources with counts over the results; selecting
//! a value writes it into the query text (`sector:crypto,fintech`), so the box and the pane
//! always say the same thing.

use super::{searching, Action, App, Effect, Focus};
use crate::query::{self, Term};

/// One facet row: which facet, the value, its count, whether it is selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetRow {
    pub facet: FacetKind,
    pub value: String,
    pub count: usize,
    /// How many of them are unread.
    pub unread: usize,
    pub selected: bool,
}

/// The facet pane: counts over the results, whether it is open, its cursor.
#[derive(Debug, Default)]
pub(super) struct FacetState {
    pub(super) counts: query::facets::Facets,
    pub(super) open: bool,
    pub(super) cursor: usize,
    /// Read marks changed while the pane was closed: its unread counts are behind.
    pub(super) stale: bool,
}

impl FacetState {
    pub(super) fn new(counts: query::facets::Facets) -> FacetState {
        FacetState {
            counts,
            open: false,
            cursor: 0,
            stale: false,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetKind {
    Sector,
    Tag,
    Source,
    Year,
}

impl FacetKind {
    pub fn field(self) -> &'static str {
        match self {
            FacetKind::Sector => "sector",
            FacetKind::Tag => "tag",
            FacetKind::Source => "source",
            FacetKind::Year => "date",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FacetKind::Sector => "Sectors",
            FacetKind::Tag => "Tags",
            FacetKind::Source => "Sources",
            FacetKind::Year => "Years",
        }
    }
}

impl App {
    /// Whether the facet pane is open.
    pub fn facets_open(&self) -> bool {
        self.facets.open
    }

    /// The facet pane's cursor (a row of `facet_rows`).
    pub fn facet_cursor(&self) -> usize {
        self.facets.cursor
    }

    /// Facet counts over the results.
    pub fn facet_counts(&self) -> &query::facets::Facets {
        &self.facets.counts
    }

    /// The facet pane's rows, in display order. A value is marked when the typed query
    /// selects it by the search's own rule (`sector:crypto` marks Blockchain & Crypto); a
    /// typed value that selects nothing shows as typed, with no results, so it can be cleared.
    pub fn facet_rows(&self) -> Vec<FacetRow> {
        let mut rows = Vec::new();
        let groups: [(FacetKind, &Vec<query::facets::FacetValue>, usize); 4] = [
            (FacetKind::Sector, &self.facets.counts.sectors, 12),
            (FacetKind::Year, &self.facets.counts.years, 12),
            (FacetKind::Tag, &self.facets.counts.tags, 15),
            (FacetKind::Source, &self.facets.counts.sources, 10),
        ];
        for (kind, values, max) in groups {
            let typed = self.selected_values(kind);
            let picks = |name: &str| typed.iter().any(|t| selects(kind, t, name));
            for (i, v) in values.iter().enumerate() {
                let selected = picks(&v.value);
                // The top values, and any other one the query selects.
                if i < max || selected {
                    rows.push(FacetRow {
                        facet: kind,
                        value: v.value.clone(),
                        count: v.count,
                        unread: v.unread,
                        selected,
                    });
                }
            }
            // A typed value with no result here: shown as the corpus names it (`crypto` is
            // "Blockchain & Crypto"), as typed only when nothing in the corpus has it.
            let names: &[String] = match kind {
                FacetKind::Sector => &self.index.sector_display,
                FacetKind::Tag => &self.index.tag_display,
                FacetKind::Source => &self.index.source_display,
                FacetKind::Year => &[],
            };
            for t in &typed {
                if values.iter().any(|v| selects(kind, t, &v.value)) {
                    continue;
                }
                let known: Vec<&String> = names.iter().filter(|n| selects(kind, t, n)).collect();
                let shown: Vec<String> = if known.is_empty() {
                    vec![t.clone()]
                } else {
                    known.into_iter().cloned().collect()
                };
                for value in shown {
                    if !rows.iter().any(|r| r.facet == kind && r.value == value) {
                        rows.push(FacetRow {
                            facet: kind,
                            value,
                            count: 0,
                            unread: 0,
                            selected: true,
                        });
                    }
                }
            }
        }
        rows
    }

    /// Values selected in a facet: those of its first plain (not negated) clause.
    fn selected_values(&self, kind: FacetKind) -> Vec<String> {
        let Some(i) = self.facet_clause(kind) else {
            return Vec::new();
        };
        let term = &self.search.query.clauses[i].term;
        let one = |t: &Term| -> Option<String> {
            match (kind, t) {
                (FacetKind::Sector, Term::Sector(v))
                | (FacetKind::Tag, Term::Tag(v))
                | (FacetKind::Source, Term::Source(v)) => Some(v.clone()),
                (FacetKind::Year, Term::Date(r)) => {
                    let (y, m, d) = crate::corpus::date::civil_from_days(r.start);
                    let (y2, m2, d2) = crate::corpus::date::civil_from_days(r.end);
                    (m == 1 && d == 1 && m2 == 12 && d2 == 31 && y == y2).then(|| y.to_string())
                }
                _ => None,
            }
        };
        match term {
            Term::AnyOf(ts) => ts.iter().filter_map(one).collect(),
            t => one(t).into_iter().collect(),
        }
    }

    /// The clause a facet edits.
    fn facet_clause(&self, kind: FacetKind) -> Option<usize> {
        searching::facet_clause(&self.search.query, kind.field())
    }

    pub(super) fn toggle_facets(&mut self) {
        self.facets.open = !self.facets.open;
        self.focus = if self.facets.open {
            Focus::Facets
        } else {
            Focus::List
        };
    }

    /// Movement and selection keys in the facet pane; false for any other action.
    pub(super) fn update_facet_cursor(
        &mut self,
        action: &Action,
        effects: &mut Vec<Effect>,
    ) -> bool {
        match action {
            Action::Up => self.facets.cursor = self.facets.cursor.saturating_sub(1),
            Action::Down => self.facets.cursor += 1,
            Action::Top => self.facets.cursor = 0,
            Action::Bottom => self.facets.cursor = usize::MAX,
            Action::ReadOn => self.toggle_facet(effects),
            _ => return false,
        }
        true
    }

    /// The facet pane's lines below the histogram, as drawn: `None` a facet's heading,
    /// `Some(row)` a row of `facet_rows`; and how many lines scroll off the top to keep the
    /// cursor in view when `height` lines fit. Drawing and mouse clicks both read this.
    pub fn facet_lines(&self, rows: &[FacetRow], height: usize) -> (Vec<Option<usize>>, usize) {
        let mut lines = Vec::new();
        let mut last = None;
        for (i, r) in rows.iter().enumerate() {
            if last != Some(r.facet) {
                lines.push(None);
                last = Some(r.facet);
            }
            lines.push(Some(i));
        }
        let cursor_line = lines
            .iter()
            .position(|r| *r == Some(self.facets.cursor))
            .unwrap_or(0);
        let skip = (cursor_line + 1).saturating_sub(height.max(1));
        (lines, skip)
    }

    /// Lines the histogram takes at the top of the facet pane (bars and their scale), when
    /// the pane is `height` lines high.
    pub fn histogram_lines(&self, height: usize) -> usize {
        if !self.facets.counts.months.is_empty() && height >= 6 {
            3
        } else {
            0
        }
    }

    /// A click in the facet pane's inside at (`x`, `y`) from its corner: a row is selected,
    /// and a click on its checkbox selects or clears the value.
    pub(super) fn click_facets(
        &mut self,
        x: usize,
        y: usize,
        height: usize,
        effects: &mut Vec<Effect>,
    ) {
        let top = self.histogram_lines(height);
        if y < top {
            return;
        }
        let rows = self.facet_rows();
        let (lines, skip) = self.facet_lines(&rows, height - top);
        let Some(Some(row)) = lines.get(y - top + skip) else {
            return;
        };
        self.facets.cursor = *row;
        if x < 3 {
            self.toggle_facet(effects);
        }
    }

    fn toggle_facet(&mut self, effects: &mut Vec<Effect>) {
        let rows = self.facet_rows();
        let Some(row) = rows.get(self.facets.cursor) else {
            return;
        };
        let kind = row.facet;
        let mut values = self.selected_values(kind);
        if row.selected {
            // Off: every typed value that selects it (or that is it).
            let v = row.value.to_lowercase();
            values.retain(|t| *t != v && !selects(kind, t, &row.value));
        } else {
            values.push(row.value.to_lowercase());
        }
        let clause = if values.is_empty() {
            None
        } else {
            let vals: Vec<String> = values
                .iter()
                .map(|x| {
                    if x.contains(|c: char| c.is_whitespace() || c == ',' || c == '&') {
                        format!("\"{x}\"")
                    } else {
                        x.clone()
                    }
                })
                .collect();
            Some(format!("{}:{}", kind.field(), vals.join(",")))
        };
        let text = self.replace_facet_clause(kind, clause);
        self.set_query(text, effects);
    }

    /// The query text with a facet's clause replaced (or removed, or added).
    fn replace_facet_clause(&self, kind: FacetKind, clause: Option<String>) -> String {
        let mut parts: Vec<String> = self
            .search
            .query
            .clauses
            .iter()
            .map(|c| c.text.clone())
            .collect();
        match (self.facet_clause(kind), clause) {
            (Some(i), Some(c)) => parts[i] = c,
            (Some(i), None) => {
                parts.remove(i);
            }
            (None, Some(c)) => parts.push(c),
            (None, None) => {}
        }
        if let Some(sort) = self
            .search
            .text
            .split_whitespace()
            .find(|w| w.starts_with("sort:"))
        {
            parts.push(sort.to_string());
        }
        parts.join(" ")
    }

    pub(super) fn date_preset(&mut self, p: u8, effects: &mut Vec<Effect>) {
        let year = crate::corpus::date::today().get_year();
        let clause = match p {
            1 => Some("date:30d".to_string()),
            2 => Some(format!("date:{year}")),
            3 => Some(format!("date:{}", year - 1)),
            _ => None,
        };
        // Replace any date clause.
        let mut parts: Vec<String> = self
            .search
            .query
            .clauses
            .iter()
            .filter(|c| {
                !matches!(c.term, Term::Date(_) | Term::Undated) && !c.text.starts_with("date:")
            })
            .map(|c| c.text.clone())
            .collect();
        if let Some(c) = clause {
            parts.push(c);
        }
        self.set_query(parts.join(" "), effects);
    }
}

/// Whether a typed facet value selects a value of the pane (`crypto` selects
/// "Blockchain & Crypto"), by the rule the search itself uses.
fn selects(kind: FacetKind, typed: &str, name: &str) -> bool {
    let term = match kind {
        FacetKind::Sector => Term::Sector(typed.to_string()),
        FacetKind::Tag => Term::Tag(typed.to_string()),
        FacetKind::Source => Term::Source(typed.to_string()),
        FacetKind::Year => return typed == name,
    };
    crate::query::engine::term_matches_name(&term, name)
}
