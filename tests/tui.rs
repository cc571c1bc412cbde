//! The reader without a real terminal: the reducer driven by key events, whole screens on
//! ratatui's `TestBackend` (insta snapshots), and every small size.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use folio::app::keymap::action_for;
use folio::app::{Action, App, Effect, Focus, Overlay};
use folio::corpus::Corpus;
use folio::runtime::immediate::Immediate;
use folio::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::ops::{Deref, DerefMut};
use std::path::Path;

/// The reader with its effects performed at once (searches run, changes committed).
struct Rig {
    app: App,
    fx: Immediate,
}

impl Deref for Rig {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl DerefMut for Rig {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}

impl Rig {
    fn new(app: App) -> Rig {
        Rig {
            app,
            fx: Immediate::new(),
        }
    }

    /// Apply an action and perform its effects.
    fn act(&mut self, a: Action) -> Vec<Effect> {
        let u = self.app.update(a);
        self.fx.perform(&mut self.app, u.effects.clone());
        u.effects
    }

    /// Look for another reader's changes.
    fn look(&mut self) {
        self.fx.look(&mut self.app);
    }

    /// Commit what failed to commit before.
    fn retry(&mut self) {
        self.fx.commit(&mut self.app);
    }

    fn overlay_is(&self, what: &str) -> bool {
        matches!(
            (self.app.overlay(), what),
            (Overlay::Help(_), "help")
                | (Overlay::Note(_), "note")
                | (Overlay::Search(_), "search")
                | (Overlay::Views(_), "views")
                | (Overlay::None, "none")
        )
    }
}

fn corpus() -> Corpus {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tricky.json");
    Corpus::open(Some(&p)).expect("test corpus loads")
}

fn app(w: u16, h: u16) -> Rig {
    let mut a = Rig::new(App::new(corpus(), Theme::mono()));
    a.act(Action::Resize(w, h));
    a
}

/// Press a key: map it, apply it, and perform its effects right away (as the loop would).
fn key(app: &mut Rig, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    match action_for(app.keymap(), app.context(), &KeyEvent::new(code, mods)) {
        Some(a) => app.act(a),
        None => Vec::new(),
    }
}

/// Move the facet pane's cursor to a row.
fn facet_to(app: &mut Rig, row: usize) {
    key(app, KeyCode::Home, KeyModifiers::NONE);
    while app.facet_cursor() < row {
        press(app, "j");
    }
}

fn press(app: &mut Rig, keys: &str) {
    for c in keys.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

fn screen(app: &App) -> String {
    let (w, h) = app.size();
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| f.render_widget(app, f.area())).expect("draw");
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        let mut skip = 0;
        for x in 0..w {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let s = buf[(x, y)].symbol();
            out.push_str(s);
            skip = unicode_width::UnicodeWidthStr::width(s).saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

fn title_of(app: &App) -> String {
    app.current().map(|a| a.title.clone()).unwrap_or_default()
}

#[test]
fn list_is_newest_first_and_keys_move_the_selection() {
    let mut a = app(80, 24);
    assert!(
        title_of(&a).starts_with("比亚迪"),
        "newest first: {}",
        title_of(&a)
    );
    press(&mut a, "j");
    assert!(title_of(&a).starts_with("🚀"));
    key(&mut a, KeyCode::Down, KeyModifiers::NONE);
    key(&mut a, KeyCode::Up, KeyModifiers::NONE);
    assert!(title_of(&a).starts_with("🚀"));
    press(&mut a, "G");
    assert!(title_of(&a).starts_with("An undated"), "undated last");
    press(&mut a, "g");
    assert_eq!(a.selected(), 0);
    key(&mut a, KeyCode::End, KeyModifiers::NONE);
    assert_eq!(a.selected(), a.visible().len() - 1);
    key(&mut a, KeyCode::Home, KeyModifiers::NONE);
    key(&mut a, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(
        a.selected(),
        a.visible().len() - 1,
        "a page is more than 6 rows"
    );
    key(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert!(a.selected() < a.visible().len() - 1);
    // k at the top stays at the top
    press(&mut a, "gkkk");
    assert_eq!(a.selected(), 0);
}

#[test]
fn enter_opens_and_esc_returns_on_narrow_screens() {
    let mut a = app(80, 24);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.focus(), Focus::Reader);
    assert!(a.panes().list.is_none(), "narrow: one pane at a time");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(a.focus(), Focus::List);
    press(&mut a, "l");
    assert_eq!(a.focus(), Focus::Reader);
    press(&mut a, "h");
    assert_eq!(a.focus(), Focus::List);
    key(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(a.focus(), Focus::Reader);
    key(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(a.focus(), Focus::List);
}

#[test]
fn wide_screens_show_both_panes() {
    let a = app(120, 30);
    let p = a.panes();
    assert!(p.list.is_some() && p.reader.is_some());
    let s = screen(&a);
    assert!(s.contains("BYD unveils"), "{s}");
    assert!(
        s.contains("续航里程"),
        "reader previews the selection:\n{s}"
    );
}

#[test]
fn reader_scrolls_pages_and_reaches_the_last_paragraph() {
    let mut a = app(80, 24);
    while !title_of(&a).starts_with("A long article") {
        press(&mut a, "j");
    }
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.reader_top(), 0, "opens at the top");
    assert!(!screen(&a).contains("THE VERY LAST"));
    press(&mut a, " ");
    assert!(a.reader_top() > 0);
    let after_space = a.reader_top();
    key(&mut a, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(a.reader_top(), 0);
    key(&mut a, KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert!(a.reader_top() > 0 && a.reader_top() < after_space);
    key(&mut a, KeyCode::End, KeyModifiers::NONE);
    assert!(screen(&a).contains("THE VERY LAST PARAGRAPH"));
    assert_eq!(a.reader_percent(), 100);
    press(&mut a, "j");
    assert_eq!(
        a.reader_top(),
        a.reader_max_top(),
        "no scrolling past the end"
    );
    // n/p move between articles and start at the top
    press(&mut a, "p");
    assert_eq!(a.reader_top(), 0);
    assert!(!title_of(&a).starts_with("A long"));
    press(&mut a, "n");
    assert!(title_of(&a).starts_with("A long"));
}

#[test]
fn resizing_keeps_the_readers_place() {
    let mut a = app(120, 40);
    while !title_of(&a).starts_with("A long article") {
        press(&mut a, "j");
    }
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    for _ in 0..30 {
        press(&mut a, "j");
    }
    let top = a.reader_doc()[a.reader_top()].clone();
    let first_char: String = top.text.chars().take(12).collect();
    assert!(
        top.offset > 1,
        "the top line is inside a paragraph: {top:?}"
    );
    a.act(Action::Resize(60, 20));
    // At the narrower width, the top line is the one holding the same character of the
    // same paragraph.
    let doc = a.reader_doc();
    let now = &doc[a.reader_top()];
    let next = doc.get(a.reader_top() + 1);
    assert_eq!(now.block, top.block, "{now:?} vs {top:?}");
    assert!(now.offset <= top.offset, "{now:?} vs {top:?}");
    assert!(
        next.is_none_or(|n| n.block != top.block || n.offset > top.offset),
        "{now:?} then {next:?} vs {top:?}"
    );
    let joined: String = doc[a.reader_top()..]
        .iter()
        .take(3)
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        joined.contains(&first_char),
        "{joined:?} holds {first_char:?}"
    );
    a.act(Action::Resize(120, 40));
    assert_eq!(a.reader_doc()[a.reader_top()], top, "back where it was");
}

#[test]
fn help_lists_every_key_and_closes() {
    let mut a = app(80, 24);
    press(&mut a, "?");
    assert!(a.overlay_is("help"));
    let s = screen(&a);
    assert!(s.contains("quit") && s.contains("Ctrl-c"), "{s}");
    press(&mut a, "j");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!a.overlay_is("help"));
    press(&mut a, "?");
    press(&mut a, "?");
    assert!(!a.overlay_is("help"));
    // Every binding shows up in the help rows, with what its action does there.
    use folio::app::keymap::{describe, help_rows, key_label};
    let rows = help_rows(a.keymap());
    for b in a.keymap() {
        let label = key_label(b.code, b.mods);
        let what = describe(b.context, &b.action);
        assert!(!what.is_empty(), "{label} has a description");
        assert!(
            rows.iter().any(|r| r.0 == b.context.heading()
                && r.1.split(", ").any(|l| l == label)
                && r.2 == what),
            "{label} {what}"
        );
    }
}

#[test]
fn q_quits_from_list_and_reader() {
    let mut a = app(80, 24);
    assert_eq!(
        key(&mut a, KeyCode::Char('q'), KeyModifiers::NONE),
        vec![Effect::Quit]
    );
    let mut a = app(80, 24);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        key(&mut a, KeyCode::Char('c'), KeyModifiers::CONTROL),
        vec![Effect::Quit]
    );
}

#[test]
fn mouse_clicks_select_and_wheel_scrolls() {
    let mut a = app(120, 30);
    // The third row (border at y=0; two lines a row at this size, title then meta).
    assert!(a.two_line_rows());
    a.act(Action::Click(5, 5));
    assert_eq!(a.selected(), 2);
    assert_eq!(a.focus(), Focus::List);
    let reader = a.panes().reader.expect("reader");
    a.act(Action::Click(reader.x + 3, reader.y + 3));
    assert_eq!(a.focus(), Focus::Reader);
    a.act(Action::WheelDown(5, 5));
    assert_eq!(a.selected(), 5, "wheel over the list moves the list");
}

#[test]
fn escape_sequences_never_reach_the_screen() {
    let mut a = app(100, 30);
    while !title_of(&a).starts_with("Terminal") {
        press(&mut a, "j");
    }
    let s = screen(&a);
    assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'), "{s:?}");
    assert!(s.contains("Terminal red title with escapes"), "{s}");
    assert!(s.contains("Before clear after clear"), "{s}");
    assert!(!s.contains("PWNED"), "OSC payload dropped:\n{s}");
}

#[test]
fn wide_characters_never_cross_a_border() {
    for w in [30u16, 40, 57, 80, 91, 120] {
        let a = app(w, 12);
        let s = screen(&a);
        for line in s.lines() {
            assert_eq!(
                unicode_width::UnicodeWidthStr::width(line),
                usize::from(w),
                "{line:?}"
            );
            if line.starts_with('│') {
                assert!(
                    line.ends_with('│') || line.ends_with('║') || line.ends_with('█'),
                    "{line:?}"
                );
            }
        }
    }
}

#[test]
fn every_small_size_renders_without_panic() {
    for w in 0..=30u16 {
        for h in 0..=30u16 {
            let mut a = app(w, h);
            let _ = screen(&a);
            press(&mut a, "j");
            key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
            let _ = screen(&a);
            press(&mut a, "G?");
            let _ = screen(&a);
        }
    }
    // A burst of resizes, down to nothing and back.
    let mut a = app(80, 24);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    for (w, h) in [
        (40, 12),
        (20, 6),
        (1, 1),
        (3, 2),
        (0, 0),
        (200, 60),
        (80, 24),
    ] {
        a.act(Action::Resize(w, h));
        let _ = screen(&a);
    }
    assert!(screen(&a).contains("比亚迪"));
}

#[test]
fn snapshot_list_80x24() {
    insta::assert_snapshot!(screen(&app(80, 24)));
}

#[test]
fn snapshot_list_40x12() {
    insta::assert_snapshot!(screen(&app(40, 12)));
}

#[test]
fn snapshot_reader_80x24() {
    let mut a = app(80, 24);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn snapshot_reader_40x12() {
    let mut a = app(40, 12);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn snapshot_help_80x24() {
    let mut a = app(80, 24);
    press(&mut a, "?");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn snapshot_help_40x12() {
    let mut a = app(40, 12);
    press(&mut a, "?");
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn snapshot_wide_120x30() {
    insta::assert_snapshot!(screen(&app(120, 30)));
}

#[test]
fn slash_opens_the_search_box_and_typing_filters_live() {
    let mut a = app(120, 30);
    press(&mut a, "/");
    assert!(a.overlay_is("search"), "search box open");
    press(&mut a, "byd");
    assert_eq!(a.query_text(), "byd");
    assert_eq!(a.visible().len(), 1, "{:?}", a.visible());
    assert!(title_of(&a).starts_with("比亚迪"));
}

fn app_with_store(w: u16, h: u16, dir: &Path) -> Rig {
    let store = folio::store::Store::open(dir.join("folio.db"), folio::store::db::Load::Everything);
    let mut app = App::with_saved(corpus(), Theme::mono(), store.snapshot());
    let fx = Immediate::with_store(store, &mut app);
    let mut a = Rig { app, fx };
    a.act(Action::Resize(w, h));
    a
}

fn type_text(app: &mut Rig, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

#[test]
fn a_typo_in_the_search_box_still_finds_the_article() {
    let mut a = app(120, 30);
    press(&mut a, "/");
    type_text(&mut a, "scrol");
    assert!(
        title_of(&a).starts_with("A long article to scroll"),
        "{}",
        title_of(&a)
    );
    key(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(a.query_text(), "", "Ctrl-U clears to the start");
    type_text(&mut a, "artcle");
    assert!(
        a.visible()
            .iter()
            .any(|&i| a.corpus().articles[i].id == "long-body"),
        "typo tolerated"
    );
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(!a.overlay_is("search"));
    assert_eq!(a.query_text(), "artcle", "Enter keeps the query");
}

#[test]
fn sector_filters_live_and_esc_twice_clears() {
    let mut a = app(120, 30);
    press(&mut a, "/");
    type_text(&mut a, "sector:auto");
    assert_eq!(a.visible().len(), 1);
    assert!(title_of(&a).starts_with("比亚迪"));
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!a.overlay_is("search"));
    assert_eq!(
        a.visible().len(),
        1,
        "the first Esc leaves the box, the filter stays"
    );
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(a.query_text(), "");
    assert_eq!(a.visible().len(), 6, "the second Esc clears it");
}

#[test]
fn a_bad_query_is_named_in_the_status_line_and_the_text_stays() {
    let mut a = app(100, 20);
    press(&mut a, "/");
    type_text(&mut a, "date:2023");
    assert_eq!(a.visible().len(), 2);
    type_text(&mut a, "-13");
    assert_eq!(a.query_text(), "date:2023-13");
    let s = screen(&a);
    assert!(s.contains("date:2023-13") && s.contains("month 13"), "{s}");
    assert_eq!(a.visible().len(), 2, "results stay as they were");
    assert!(
        s.contains("/ date:2023-13"),
        "the typed text stays in the box: {s}"
    );
}

#[test]
fn search_history_walks_back_with_up() {
    let mut a = app(100, 20);
    for q in ["byd", "crypto"] {
        press(&mut a, "/");
        key(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
        type_text(&mut a, q);
        key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    }
    assert_eq!(a.history(), ["byd", "crypto"]);
    press(&mut a, "/");
    key(&mut a, KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(a.query_text(), "crypto");
    key(&mut a, KeyCode::Up, KeyModifiers::NONE);
    assert_eq!(a.query_text(), "byd");
    key(&mut a, KeyCode::Down, KeyModifiers::NONE);
    assert_eq!(a.query_text(), "crypto");
}

#[test]
fn matched_characters_are_highlighted_in_titles() {
    let mut a = app(100, 20);
    press(&mut a, "/");
    type_text(&mut a, "crypto");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut a, "j");
    let (w, h) = a.size();
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| f.render_widget(&a.app, f.area())).expect("draw");
    let buf = t.backend().buffer().clone();
    // Find the row with "Crypto rally" and check the word is styled as a match.
    let row = (0..h)
        .find(|&y| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .contains("Crypto rally")
        })
        .expect("row");
    let line: String = (0..w).map(|x| buf[(x, row)].symbol().to_string()).collect();
    let start = line.find("Crypto rally").expect("col");
    let col = line[..start].chars().count() as u16;
    let styled = buf[(col, row)]
        .modifier
        .contains(ratatui::style::Modifier::UNDERLINED);
    assert!(styled, "matched letters are underlined");
    let after = buf[(col + 7, row)]
        .modifier
        .contains(ratatui::style::Modifier::UNDERLINED);
    assert!(!after, "the next word is not");
}

#[test]
fn the_reader_finds_words_in_the_article_with_n_and_shows_match_counts() {
    let mut a = app(100, 20);
    while !title_of(&a).starts_with("A long article") {
        press(&mut a, "j");
    }
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut a, "/");
    type_text(&mut a, "paragraph");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let s = screen(&a);
    assert!(s.contains("match 1/"), "{s}");
    let first = a.reader_top();
    press(&mut a, "nnn");
    assert!(screen(&a).contains("match 4/"));
    assert!(a.reader_top() > first);
    press(&mut a, "N");
    assert!(screen(&a).contains("match 3/"));
}

#[test]
fn facets_count_the_results_and_space_writes_the_filter_into_the_query() {
    let mut a = app(120, 30);
    press(&mut a, "f");
    assert_eq!(a.focus(), Focus::Facets);
    let rows = a.facet_rows();
    let auto = rows
        .iter()
        .position(|r| r.value == "Auto & EV")
        .expect("sector row");
    assert_eq!(rows[auto].count, 1);
    while a.facet_cursor() < auto {
        press(&mut a, "j");
    }
    press(&mut a, " ");
    assert_eq!(a.query_text(), "sector:\"auto & ev\"");
    assert_eq!(a.visible().len(), 1);
    // A second sector: OR within the facet.
    let rows = a.facet_rows();
    let crypto = rows
        .iter()
        .position(|r| r.value == "Blockchain & Crypto")
        .expect("row");
    let row = crypto;
    facet_to(&mut a, row);
    press(&mut a, " ");
    assert_eq!(
        a.query_text(),
        "sector:\"auto & ev\",\"blockchain & crypto\""
    );
    assert_eq!(a.visible().len(), 2);
    // A year: AND across facets.
    let rows = a.facet_rows();
    let y = rows
        .iter()
        .position(|r| r.value == "2024")
        .expect("year row");
    assert_eq!(rows[y].count, 2);
    let row = y;
    facet_to(&mut a, row);
    press(&mut a, " ");
    assert!(a.query_text().ends_with("date:2024"), "{}", a.query_text());
    assert_eq!(a.visible().len(), 2);
    insta::assert_snapshot!(screen(&a));
    // Toggle the first sector off again.
    let row = a
        .facet_rows()
        .iter()
        .position(|r| r.value == "Auto & EV")
        .expect("row");
    facet_to(&mut a, row);
    press(&mut a, " ");
    assert_eq!(a.query_text(), "sector:\"blockchain & crypto\" date:2024");
    press(&mut a, "0");
    assert_eq!(a.query_text(), "sector:\"blockchain & crypto\"");
}

#[test]
fn bookmarks_notes_read_state_and_undo() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app_with_store(120, 30, dir.path());
    let id = a.current().expect("article").id.clone();
    press(&mut a, "b");
    assert!(a.saved_data().bookmarks.contains_key(&id));
    assert!(screen(&a).contains("│*•比亚迪"), "{}", screen(&a));
    let on_disk = folio::store::db::read_quiet(&dir.path().join("folio.db")).expect("saved");
    assert!(
        on_disk.bookmarks.contains_key(&id),
        "on disk before the next frame"
    );
    press(&mut a, "e");
    assert!(a.overlay_is("note"));
    type_text(&mut a, "first line");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    type_text(&mut a, "second");
    key(&mut a, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(!a.overlay_is("note"));
    assert_eq!(a.saved_data().bookmarks[&id].note, "first line\nsecond");
    // Opening marks read; r toggles it.
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let i = a.current_index().expect("idx");
    assert!(a.is_read(i));
    press(&mut a, "r");
    assert!(!a.is_read(i));
    // Undo, several levels: read again, then unread (the open), then the note, then the bookmark.
    press(&mut a, "u");
    assert!(a.is_read(i));
    press(&mut a, "u");
    assert!(!a.is_read(i));
    press(&mut a, "u");
    assert_eq!(a.saved_data().bookmarks[&id].note, "");
    press(&mut a, "u");
    assert!(!a.saved_data().bookmarks.contains_key(&id));
    // B shows bookmarks only.
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut a, "jb");
    press(&mut a, "B");
    assert_eq!(a.query_text(), "is:bookmarked");
    assert_eq!(a.visible().len(), 1);
    press(&mut a, "B");
    assert_eq!(a.visible().len(), 6);
}

#[test]
fn snapshot_search_box_80x24() {
    let mut a = app(80, 24);
    press(&mut a, "/");
    type_text(&mut a, "crypto");
    insta::assert_snapshot!(screen(&a));
}

/// An app configured from a config file's text.
fn configured(w: u16, h: u16, config: &str) -> Rig {
    let (cfg, errors) = folio::config::parse(Path::new("test-config.toml"), config);
    assert!(errors.is_empty(), "{errors:?}");
    let mut a = Rig::new(App::new(corpus(), cfg.theme));
    a.configure(cfg.keymap, cfg.prefs, cfg.views);
    a.act(Action::Resize(w, h));
    a
}

const VIEWS: &str = r#"
[[view]]
name = "Crypto news"
query = "sector:crypto"
key = "f5"
[[view]]
name = "Dated before 2024"
query = "before:2024"
[[view]]
name = "Nothing"
query = "date:1999"
"#;

#[test]
fn a_saved_view_applies_by_its_key_with_the_results_of_its_query() {
    let mut a = configured(120, 30, VIEWS);
    key(&mut a, KeyCode::F(5), KeyModifiers::NONE);
    assert_eq!(a.query_text(), "sector:crypto");
    assert_eq!(
        a.view_in_use().map(|v| v.name.as_str()),
        Some("Crypto news")
    );
    // Exactly what the query gives through the engine (what `folio list --query` prints).
    let q = folio::query::parse("sector:crypto").expect("parses");
    let want: Vec<usize> = folio::query::engine::search_in_steps(
        &a.corpus().articles,
        a.index(),
        &q,
        &folio::query::engine::NoState,
        None,
        &|| false,
        &mut |_| {},
    )
    .expect("runs")
    .iter()
    .map(|h| h.idx as usize)
    .collect();
    assert_eq!(a.visible(), want);
    assert_eq!(a.visible().len(), 1);
    press(&mut a, "j");
    let s = screen(&a);
    assert!(
        s.lines()
            .next()
            .is_some_and(|l| l.contains("view: Crypto news")),
        "the list's title names the view:\n{s}"
    );
    // The search box holds the view's query, to refine.
    press(&mut a, "/");
    press(&mut a, " x");
    assert_eq!(a.query_text(), "sector:crypto x");
    assert!(a.view_in_use().is_none());
    // The key works from the reader too.
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    key(&mut a, KeyCode::F(5), KeyModifiers::NONE);
    assert_eq!(a.query_text(), "sector:crypto");
}

#[test]
fn the_views_pane_lists_counts_and_enter_applies() {
    let mut a = configured(80, 24, VIEWS);
    press(&mut a, "v");
    assert_eq!(a.views_cursor(), Some(0));
    assert_eq!(a.view_counts(), [Some(1), Some(3), Some(0)]);
    insta::assert_snapshot!(screen(&a));
    press(&mut a, "j");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.views_cursor().is_none());
    assert_eq!(a.query_text(), "before:2024");
    assert_eq!(a.visible().len(), 3);
    press(&mut a, "v");
    assert_eq!(
        a.views_cursor(),
        Some(1),
        "the pane opens on the view in use"
    );
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(a.views_cursor().is_none());
    // Without views, v says how to add one.
    let mut b = app(80, 24);
    press(&mut b, "v");
    assert!(b.views_cursor().is_none());
    assert!(screen(&b).contains("[[view]]"));
}

#[test]
fn the_mono_preset_draws_no_colour_at_all() {
    let mut a = configured(120, 30, "[theme]\npreset = \"mono\"\n");
    for keys in ["", "j", "f", "?"] {
        press(&mut a, keys);
        let mut t = Terminal::new(TestBackend::new(120, 30)).expect("terminal");
        t.draw(|f| f.render_widget(&a.app, f.area())).expect("draw");
        let buf = t.backend().buffer().clone();
        for cell in buf.content() {
            assert_eq!(cell.fg, ratatui::style::Color::Reset, "after {keys:?}");
            assert_eq!(cell.bg, ratatui::style::Color::Reset, "after {keys:?}");
        }
    }
}

#[test]
fn list_width_sets_where_the_list_ends() {
    let a = configured(120, 40, "[layout]\nlist_width = 70\n");
    let list = a.panes().list.expect("list");
    assert_eq!(list.x + list.width, 84);
    let lines = screen(&a);
    let first = lines.lines().next().expect("line");
    assert_eq!(first.chars().nth(83), Some('┐'), "{first}");
}

#[test]
fn an_unbound_key_does_nothing_and_a_new_one_works() {
    let mut a = configured(
        80,
        24,
        "[keys.global]\n\"Q\" = \"quit\"\n\"q\" = \"none\"\n",
    );
    assert!(key(&mut a, KeyCode::Char('q'), KeyModifiers::NONE).is_empty());
    assert!(!a.should_quit());
    key(&mut a, KeyCode::Char('Q'), KeyModifiers::SHIFT);
    assert!(a.should_quit());
}

/// The reader on the built-in corpus, as a new user first sees it.
fn builtin(w: u16, h: u16) -> Rig {
    let mut a = Rig::new(App::new(
        Corpus::embedded().expect("embedded"),
        Theme::mono(),
    ));
    a.act(Action::Resize(w, h));
    a
}

#[test]
fn snapshot_builtin_list_120x40() {
    insta::assert_snapshot!(screen(&builtin(120, 40)));
}

#[test]
fn snapshot_builtin_list_80x24() {
    insta::assert_snapshot!(screen(&builtin(80, 24)));
}

#[test]
fn snapshot_builtin_list_40x12() {
    insta::assert_snapshot!(screen(&builtin(40, 12)));
}

#[test]
fn at_120x40_the_first_titles_are_whole_and_the_reader_stays() {
    let a = builtin(120, 40);
    assert!(a.two_line_rows());
    assert!(a.panes().reader.is_some(), "the reading pane is kept");
    let s = screen(&a);
    let list: String = s
        .lines()
        .map(|l| {
            let end = l
                .char_indices()
                .filter(|(_, c)| *c == '│')
                .nth(1)
                .map_or(l.len(), |(i, _)| i);
            l[..end]
                .trim_matches(|c: char| c == '│' || c.is_whitespace())
                .to_string()
                + " "
        })
        .collect();
    let flat = list.split_whitespace().collect::<Vec<_>>().join(" ");
    for &i in a.visible().iter().take(8) {
        let t = a.corpus().articles[i]
            .title
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.contains(&t), "whole title {t:?} not in the list:\n{s}");
    }
}

#[test]
fn marks_stay_visible_on_the_selected_row_and_r_says_what_it_did() {
    let mut a = builtin(120, 40);
    press(&mut a, "b");
    let first = screen(&a).lines().nth(1).expect("row").to_string();
    assert!(
        first.starts_with("│*•"),
        "bookmarked and unread, on the selection: {first}"
    );
    press(&mut a, "r");
    assert!(screen(&a).contains("marked read"));
    let first = screen(&a).lines().nth(1).expect("row").to_string();
    assert!(first.starts_with("│* "), "read now: {first}");
    press(&mut a, "r");
    assert!(screen(&a).contains("marked unread"));
}

#[test]
fn a_typed_sector_prefix_marks_the_canonical_value_in_the_facets() {
    let mut a = builtin(120, 40);
    press(&mut a, "/");
    type_text(&mut a, "sector:crypto");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut a, "f");
    let rows = a.facet_rows();
    let sel: Vec<&folio::app::FacetRow> = rows.iter().filter(|r| r.selected).collect();
    assert_eq!(sel.len(), 1, "{sel:?}");
    assert_eq!(sel[0].value, "Blockchain & Crypto");
    assert!(sel[0].count > 0);
    let s = screen(&a);
    assert!(s.contains("[x] Blockchain & Crypto"), "{s}");
    assert!(!s.contains("[x] crypto"), "no phantom row:\n{s}");
    // Years, tags and sources the same way.
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut a, "/");
    key(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut a, "source:techn date:2021 tag:nft");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut a, "f");
    let rows = a.facet_rows();
    let sel: Vec<(String, usize)> = rows
        .iter()
        .filter(|r| r.selected)
        .map(|r| (r.value.clone(), r.count))
        .collect();
    assert!(
        sel.iter().any(|(v, n)| v == "TechNode" && *n > 0),
        "{sel:?}"
    );
    assert!(sel.iter().any(|(v, n)| v == "2021" && *n > 0), "{sel:?}");
    assert!(
        sel.iter()
            .any(|(v, n)| v.eq_ignore_ascii_case("nft") && *n > 0),
        "{sel:?}"
    );
    assert!(!sel.iter().any(|(_, n)| *n == 0), "{sel:?}");
    // Space on the marked value clears the typed term that selected it.
    let cur = rows
        .iter()
        .position(|r| r.value == "TechNode")
        .expect("row");
    let row = cur;
    facet_to(&mut a, row);
    press(&mut a, " ");
    assert!(!a.query_text().contains("source:"), "{}", a.query_text());
}

#[test]
fn a_marks_every_result_read_in_one_change_and_u_undoes_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app_with_store(120, 30, dir.path());
    // Two read already; A marks the rest, u brings back exactly the unread ones.
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut a, "jr");
    let read_before: Vec<usize> = a
        .visible()
        .iter()
        .copied()
        .filter(|&i| a.is_read(i))
        .collect();
    assert_eq!(read_before.len(), 2);
    press(&mut a, "A");
    assert!(a.visible().iter().all(|&i| a.is_read(i)));
    assert!(
        screen(&a).contains("marked 4 articles read"),
        "{}",
        screen(&a)
    );
    let on_disk = folio::store::db::read_quiet(&dir.path().join("folio.db")).expect("db");
    assert_eq!(on_disk.reading.values().filter(|r| r.read).count(), 6);
    press(&mut a, "u");
    let read_after: Vec<usize> = a
        .visible()
        .iter()
        .copied()
        .filter(|&i| a.is_read(i))
        .collect();
    assert_eq!(
        read_after, read_before,
        "undo restores exactly what was unread"
    );
    let on_disk = folio::store::db::read_quiet(&dir.path().join("folio.db")).expect("db");
    assert_eq!(on_disk.reading.values().filter(|r| r.read).count(), 2);
    // Within a search: only the results.
    press(&mut a, "/");
    type_text(&mut a, "sector:semiconductors");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut a, "A");
    assert!(
        screen(&a).contains("marked 1 article read"),
        "{}",
        screen(&a)
    );
    assert_eq!(
        a.corpus()
            .articles
            .iter()
            .enumerate()
            .filter(|(i, _)| a.is_read(*i))
            .count(),
        3
    );
}

#[test]
fn two_readers_on_one_store_see_each_others_changes() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut a = app_with_store(120, 30, dir.path());
    let mut b = app_with_store(120, 30, dir.path());
    let first = a.current_index().expect("article");
    press(&mut a, "b");
    assert!(a.is_bookmarked(first));
    assert!(!b.is_bookmarked(first), "not until it looks");
    b.look();
    assert!(b.is_bookmarked(first));
    press(&mut b, "jr");
    let second = b.current_index().expect("article");
    a.look();
    assert!(a.is_read(second));
    // Both changes are in the database.
    let on_disk = folio::store::db::read_quiet(&dir.path().join("folio.db")).expect("db");
    assert_eq!(on_disk.bookmarks.len(), 1);
    assert_eq!(on_disk.reading.len(), 1);
}

#[test]
fn a_save_that_fails_is_shown_kept_and_retried() {
    let dir = tempfile::tempdir().expect("tmp");
    // The database cannot open in WAL mode while a folder stands where its log goes (this
    // fails even for root, unlike a read-only folder).
    let blocker = dir.path().join("folio.db-wal");
    std::fs::create_dir_all(blocker.join("x")).expect("blocker");
    let mut a = app_with_store(120, 30, dir.path());
    let first = a.current_index().expect("article");
    press(&mut a, "b");
    assert!(a.is_bookmarked(first), "kept in memory");
    assert!(
        screen(&a).contains("not saved yet") && screen(&a).contains("kept"),
        "{}",
        screen(&a)
    );
    assert!(a.fx.has_pending());
    std::fs::remove_dir_all(&blocker).expect("unblock");
    a.retry();
    assert!(!a.fx.has_pending());
    let s = screen(&a);
    assert!(s.contains("saved") && !s.contains("not saved"), "{s}");
    let on_disk = folio::store::db::read_quiet(&dir.path().join("folio.db")).expect("db");
    assert_eq!(on_disk.bookmarks.len(), 1);
}

#[test]
fn the_feeds_pane_lists_feeds_marks_a_failing_one_and_enter_filters_to_it() {
    use folio::app::Done;
    use folio::store::feeds::Feed;
    let mut a = app(100, 30);
    press(&mut a, "F");
    assert!(a.feeds_cursor().is_some());
    let feeds = vec![
        Feed {
            url: "http://good.example/rss".into(),
            title: "Good Feed".into(),
            last_fetch: Some("2026-01-15T08:00:00Z".into()),
            last_outcome: Some("new 2".into()),
            ..Feed::default()
        },
        Feed {
            url: "http://bad.example/rss".into(),
            title: "Bad Feed".into(),
            failures: 3,
            last_error: Some("500 Internal Server Error".into()),
            ..Feed::default()
        },
    ];
    a.act(Action::Done(Done::FeedsLoaded(std::sync::Arc::new(feeds))));
    press(&mut a, "j");
    let s = screen(&a);
    assert!(s.contains("Good Feed") && s.contains("! Bad Feed"), "{s}");
    assert!(s.contains("failing: 500 Internal Server Error"), "{s}");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.query_text(), "feed:\"bad feed\"");
    assert!(a.feeds_cursor().is_none());
    // The keys are in the help.
    press(&mut a, "?");
    let help = screen(&a);
    assert!(help.contains("sync the subscriptions"), "{help}");
}

// ---- A reader that never surprises (issue 21) ----

#[test]
fn a_facet_then_typed_text_are_two_terms() {
    let mut a = app(120, 30);
    press(&mut a, "f");
    let rows = a.facet_rows();
    let auto = rows
        .iter()
        .position(|r| r.value == "Auto & EV")
        .expect("sector row");
    while a.facet_cursor() < auto {
        press(&mut a, "j");
    }
    press(&mut a, " ");
    assert_eq!(a.query_text(), "sector:\"auto & ev\"");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut a, "/byd");
    assert_eq!(a.query_text(), "sector:\"auto & ev\" byd");
    assert!(a.query_error().is_none());
}

#[test]
fn n_at_the_last_article_and_p_at_the_first_say_so() {
    let mut a = app(80, 24);
    press(&mut a, "G");
    let last = a.selected();
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.focus(), Focus::Reader);
    press(&mut a, "n");
    assert_eq!(a.selected(), last);
    let said = a.message().map(|m| m.0.clone()).unwrap_or_default();
    assert!(said.contains("last article"), "{said:?}");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut a, "g");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut a, "p");
    assert_eq!(a.selected(), 0);
    let said = a.message().map(|m| m.0.clone()).unwrap_or_default();
    assert!(said.contains("first article"), "{said:?}");
}

#[test]
fn no_reading_place_is_shown_without_an_article() {
    let mut a = app(120, 30);
    press(&mut a, "/zzzqqqxxx");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.visible().is_empty());
    let s = screen(&a);
    assert!(
        !s.contains("Reader 100%") && !s.contains("Reader 0%"),
        "{s}"
    );
}

#[test]
fn e_says_it_bookmarks_and_an_empty_note_leaves_no_bookmark() {
    let mut a = app(80, 24);
    let id = a.current().expect("an article").id.clone();
    assert!(a.bookmark(&id).is_none());
    press(&mut a, "e");
    assert!(a.overlay_is("note"));
    let said = a.message().map(|m| m.0.clone()).unwrap_or_default();
    assert!(said.contains("bookmarked"), "{said:?}");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(a.bookmark(&id).is_none(), "no note, no bookmark");
    // With a note, the bookmark stays.
    press(&mut a, "e");
    press(&mut a, "keep");
    key(&mut a, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(a.bookmark(&id).map(|b| b.note.as_str()), Some("keep"));
}

#[test]
fn a_new_query_starts_at_its_first_result() {
    let mut a = app(120, 30);
    press(&mut a, "jjj");
    assert_eq!(a.selected(), 3);
    press(&mut a, "/sort:date b");
    assert_eq!(a.selected(), 0);
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    press(&mut a, "jj");
    press(&mut a, "/itcoin");
    assert!(!a.visible().is_empty());
    assert_eq!(a.query_text(), "sort:date bitcoin");
    assert_eq!(
        a.selected(),
        0,
        "the first row, not the article selected before"
    );
}

#[test]
fn help_pages_and_ends_and_wraps_at_40_columns() {
    let mut a = app(40, 12);
    press(&mut a, "?");
    assert!(a.overlay_is("help"));
    let top = screen(&a);
    key(&mut a, KeyCode::End, KeyModifiers::NONE);
    let end = screen(&a);
    assert_ne!(top, end, "End goes to the end");
    press(&mut a, "g");
    assert_eq!(screen(&a), top, "g to the top");
    key(&mut a, KeyCode::PageDown, KeyModifiers::NONE);
    assert_ne!(screen(&a), top, "a page down");
    key(&mut a, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(screen(&a), top);
    press(&mut a, "G");
    assert_eq!(screen(&a), end, "G as End");
    // Up from the end moves at once (the end is the real end).
    press(&mut a, "k");
    assert_ne!(screen(&a), end);
    // No description is cut: every word of every description is on some page.
    let mut seen = String::new();
    press(&mut a, "g");
    for _ in 0..200 {
        seen.push_str(&screen(&a));
        press(&mut a, "j");
    }
    for (_, _, what) in folio::app::keymap::help_rows(a.keymap()) {
        for w in what.split_whitespace() {
            assert!(seen.contains(w), "{w:?} of {what:?} never shown");
        }
    }
}

#[test]
fn esc_in_the_list_says_what_it_cleared_and_u_brings_it_back() {
    let mut a = app(120, 30);
    press(&mut a, "/bitcoin");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let shown = a.visible().len();
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(a.query_text(), "");
    let said = a.message().map(|m| m.0.clone()).unwrap_or_default();
    assert!(said.contains("\"bitcoin\" cleared"), "{said:?}");
    press(&mut a, "u");
    assert_eq!(a.query_text(), "bitcoin");
    assert_eq!(a.visible().len(), shown);
}

#[test]
fn a_query_that_does_not_parse_says_whose_results_the_list_still_shows() {
    let mut a = app(120, 30);
    press(&mut a, "/bitcoin");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let shown = a.visible().to_vec();
    press(&mut a, "/ \"unclosed");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.query_error().is_some());
    assert_eq!(a.visible(), shown.as_slice());
    let s = screen(&a);
    assert!(s.contains("still the results of bitcoin"), "{s}");
}

#[test]
fn the_search_box_shows_its_start_again_when_the_screen_grows() {
    let mut a = app(40, 12);
    press(&mut a, "/sector:crypto date:2021 bitcoin exchange mining");
    let narrow = screen(&a);
    assert!(
        !narrow.contains("sector:crypto date:2021 bitcoin exchange mining"),
        "{narrow}"
    );
    a.act(Action::Resize(120, 30));
    let wide = screen(&a);
    assert!(
        wide.contains("sector:crypto date:2021 bitcoin exchange mining"),
        "{wide}"
    );
}

#[test]
fn a_find_without_matches_stays_put_and_n_goes_on_working() {
    let mut a = builtin(80, 24);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.focus(), Focus::Reader);
    press(&mut a, "jjjj");
    let top = a.reader_top();
    let at = a.selected();
    assert!(top > 0);
    press(&mut a, "/zqxw");
    assert_eq!(a.reader_top(), top, "no jump while typing");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.reader_top(), top, "no jump when accepted");
    let said = a.message().map(|m| m.0.clone()).unwrap_or_default();
    assert!(said.contains("no match"), "{said:?}");
    // n is the next article again.
    press(&mut a, "n");
    assert_eq!(a.selected(), at + 1);
}

#[test]
fn a_note_is_shown_under_the_articles_header() {
    let mut a = app(120, 30);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut a, "e");
    press(&mut a, "Call the analyst");
    key(&mut a, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = screen(&a);
    assert!(s.contains("✎ Call the analyst"), "{s}");
}

#[test]
fn the_list_counts_unread_and_n_jumps_to_the_next_unread() {
    let mut a = app(120, 30);
    let total = a.visible().len();
    assert!(screen(&a).contains(&format!("{total} unread")));
    // Read the second and third articles; from the first, n skips them.
    press(&mut a, "j");
    press(&mut a, "r");
    press(&mut a, "j");
    press(&mut a, "r");
    press(&mut a, "g");
    press(&mut a, "r");
    assert!(screen(&a).contains(&format!("{} unread", total - 3)));
    press(&mut a, "n");
    assert_eq!(a.selected(), 3);
    assert!(!a.is_read(a.visible()[3]));
}

#[test]
fn one_reading_place_whether_enter_or_tab_comes_back() {
    let mut a = builtin(80, 24);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut a, "jjjjjj");
    let top = a.reader_top();
    assert!(top > 0);
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    key(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(a.focus(), Focus::Reader);
    assert_eq!(a.reader_top(), top, "Tab comes back to the same place");
    key(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.reader_top(), top, "and so does Enter");
}

#[test]
fn a_typed_facet_value_without_results_is_shown_as_the_corpus_names_it() {
    let mut a = app(120, 30);
    press(&mut a, "/sector:crypto zzzqqq");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.visible().is_empty());
    let rows = a.facet_rows();
    let row = rows
        .iter()
        .find(|r| r.selected && r.count == 0)
        .expect("the selected sector's row");
    assert_eq!(row.value, "Blockchain & Crypto");
}

#[test]
fn or_and_parentheses_in_the_box_find_what_the_cli_finds() {
    let mut a = app(120, 30);
    let c = corpus();
    let ix = folio::query::Index::build(&c.articles);
    let want = |q: &str| -> Vec<usize> {
        let q = folio::query::parse(q).expect("query");
        let mut v: Vec<usize> =
            folio::query::search(&c.articles, &ix, &q, &folio::query::NoState, None)
                .iter()
                .map(|h| h.idx as usize)
                .collect();
        v.sort_unstable();
        v
    };
    let shown = |a: &Rig| {
        let mut v = a.visible().to_vec();
        v.sort_unstable();
        v
    };
    press(&mut a, "/");
    for q in ["(byd OR crypto) -terminal", "crypto OR scroll"] {
        key(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
        press(&mut a, q);
        key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
        assert!(a.query_error().is_none(), "{q}");
        let got = shown(&a);
        assert!(!got.is_empty(), "{q} finds something");
        assert_eq!(got, want(q), "{q}");
        press(&mut a, "/");
    }
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    // A facet value added after an OR narrows both sides.
    press(&mut a, "f");
    let rows = a.facet_rows();
    let row = rows
        .iter()
        .position(|r| r.facet == folio::app::FacetKind::Sector && r.count > 0)
        .expect("a sector row");
    let sector = rows[row].value.clone();
    facet_to(&mut a, row);
    press(&mut a, " ");
    let q = a.query_text().to_string();
    assert!(q.starts_with("crypto OR scroll sector:"), "{q}");
    let both = want(&q);
    assert_eq!(shown(&a), both);
    for i in both {
        assert_eq!(c.articles[i].sector.as_deref(), Some(sector.as_str()));
    }
}

#[test]
fn an_unread_view_is_a_live_query() {
    let mut a = configured(
        120,
        30,
        "[[view]]\nname = \"Unread\"\nquery = \"is:unread\"\nkey = \"f6\"\n",
    );
    key(&mut a, KeyCode::F(6), KeyModifiers::NONE);
    assert_eq!(a.query_text(), "is:unread");
    let total = a.visible().len();
    let order = a.visible().to_vec();
    // Opening the first marks it read: it stays while it is being read.
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.is_read(order[0]));
    assert_eq!(a.visible().len(), total);
    assert_eq!(a.current_index(), Some(order[0]));
    // The next article: the first leaves the list, the second is read and stays.
    press(&mut a, "n");
    assert_eq!(a.current_index(), Some(order[1]));
    assert_eq!(a.visible().len(), total - 1);
    press(&mut a, "n");
    assert_eq!(a.current_index(), Some(order[2]));
    // Back to the list: the third goes too, and the next unread one is selected.
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(a.visible().len(), total - 3);
    assert_eq!(a.current_index(), Some(order[3]));
    assert!(screen(&a).contains(&format!("{}", total - 3)));
    // Marking one read from the list: gone at once, its neighbour selected.
    press(&mut a, "r");
    assert_eq!(a.visible().len(), total - 4);
    assert_eq!(a.current_index(), Some(order[4]));
    // Undo brings it back, selected where it was.
    press(&mut a, "u");
    assert_eq!(a.visible().len(), total - 3);
    assert!(a.visible().contains(&order[3]));
}

#[test]
fn the_note_editor_wraps_says_its_keys_and_cancels_without_quitting() {
    let mut a = app(40, 12);
    let id = a.current().expect("an article").id.clone();
    press(&mut a, "e");
    let s = screen(&a);
    assert!(s.contains("Ctrl-S saves"), "a visible hint:\n{s}");
    // Long text wraps: its last words are on screen, and so is a line after a newline.
    type_text(
        &mut a,
        "the analyst said the battery plant will open in spring next year",
    );
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    type_text(&mut a, "call back");
    let s = screen(&a);
    for w in ["the analyst", "spring next", "call back"] {
        assert!(s.contains(w), "{w:?} on screen:\n{s}");
    }
    // Ctrl-C cancels the note, never the program: with changes, it asks first.
    let fx = key(&mut a, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(!fx.contains(&Effect::Quit) && !a.should_quit());
    assert!(a.overlay_is("note"), "asked, still open");
    assert!(screen(&a).contains("Esc again discards"), "{}", screen(&a));
    // Typing again forgets the question; Ctrl-S saves.
    type_text(&mut a, "!");
    key(&mut a, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(!a.overlay_is("note"));
    let note = a.bookmark(&id).map(|b| b.note.clone()).unwrap_or_default();
    assert!(note.ends_with("call back!"), "{note:?}");
    // Esc with nothing changed closes at once; changed, the second Esc discards.
    press(&mut a, "e");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!a.overlay_is("note"));
    press(&mut a, "e");
    type_text(&mut a, " and more");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(a.overlay_is("note"));
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(!a.overlay_is("note"));
    assert_eq!(
        a.bookmark(&id).map(|b| b.note.clone()).unwrap_or_default(),
        note,
        "discarded"
    );
    // Discarding a note on an article bookmarked for it leaves no bookmark.
    press(&mut a, "j");
    let other = a.current().expect("another").id.clone();
    press(&mut a, "e");
    type_text(&mut a, "draft");
    key(&mut a, KeyCode::Char('c'), KeyModifiers::CONTROL);
    key(&mut a, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(a.bookmark(&other).is_none());
}

#[test]
fn notes_are_shown_in_the_bookmarks_view() {
    for (w, h) in [(120, 30), (80, 24), (60, 12)] {
        let mut a = app(w, h);
        press(&mut a, "j");
        press(&mut a, "e");
        type_text(&mut a, "Call the analyst");
        key(&mut a, KeyCode::Char('s'), KeyModifiers::CONTROL);
        key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
        press(&mut a, "B");
        assert_eq!(a.visible().len(), 1);
        let s = screen(&a);
        assert!(s.contains("✎ Call the"), "{w}x{h}:\n{s}");
    }
}

#[test]
fn facet_rows_count_their_unread_articles_as_they_are_read() {
    let mut a = app(120, 30);
    press(&mut a, "f");
    let sector = a
        .current()
        .and_then(|x| x.sector.clone())
        .expect("a sector");
    let row = |a: &Rig| {
        a.facet_rows()
            .into_iter()
            .find(|r| r.facet == folio::app::FacetKind::Sector && r.value == sector)
            .expect("its row")
    };
    let before = row(&a);
    assert_eq!(before.unread, before.count);
    assert!(!screen(&a).contains("unread/all"));
    // Read from the facet pane (r is everywhere): its counts follow.
    press(&mut a, "r");
    let after = row(&a);
    assert_eq!(
        (after.count, after.unread),
        (before.count, before.count - 1)
    );
    let s = screen(&a);
    assert!(s.contains("unread/all"), "{s}");
    assert!(
        s.contains(&format!("{}/{}", after.unread, after.count)),
        "{s}"
    );
    press(&mut a, "u");
    assert_eq!(row(&a).unread, before.count);
    // Read while the pane is closed: its counts are right when it opens again.
    press(&mut a, "f");
    assert!(!a.facets_open());
    press(&mut a, "r");
    press(&mut a, "f");
    assert_eq!(row(&a).unread, before.count - 1);
}

#[test]
fn a_click_selects_a_facet_row_and_a_click_on_its_box_toggles_it() {
    let mut a = app(120, 30);
    press(&mut a, "f");
    let pane = a.panes().facets.expect("the facet pane");
    // The screen line of a facet row, as drawn now.
    let line_of = |a: &Rig, row: usize| -> u16 {
        let inner = usize::from(pane.height - 2);
        let top = a.histogram_lines(inner);
        let rows = a.facet_rows();
        let (lines, skip) = a.facet_lines(&rows, inner - top);
        let at = lines.iter().position(|l| *l == Some(row)).expect("shown");
        pane.y + 1 + (top + at - skip) as u16
    };
    // The third row (not the first: a click must move the cursor).
    let target = 2;
    let value = a.facet_rows()[target].value.clone();
    let y = line_of(&a, target);
    assert!(screen(&a)
        .lines()
        .nth(usize::from(y))
        .is_some_and(|l| l.contains(&value)));
    a.act(Action::Click(pane.x + 10, y));
    assert_eq!(a.facet_cursor(), target);
    assert_eq!(
        a.query_text(),
        "",
        "a click on the label only selects the row"
    );
    a.act(Action::Click(pane.x + 2, y));
    assert!(a.facet_rows()[target].selected, "the box toggles it");
    assert!(!a.query_text().is_empty());
    let y = line_of(&a, target);
    a.act(Action::Click(pane.x + 2, y));
    assert_eq!(a.query_text(), "");
}

#[test]
fn the_histogram_has_a_scale_and_shows_quiet_months() {
    let (top, bottom) = folio::ui::facets::bars(&[40, 1, 0, 20, 2]);
    let bottom: Vec<char> = bottom.chars().collect();
    let top: Vec<char> = top.chars().collect();
    assert_eq!(top[0], '█', "the busiest month fills both rows");
    assert_ne!(bottom[1], ' ', "one article is still a bar");
    assert_ne!(bottom[4], ' ');
    assert_eq!(bottom[2], ' ', "no article, no bar");
    assert_eq!(bottom[3], '█');
    let a = app(120, 30);
    let mut a = a;
    press(&mut a, "f");
    let s = screen(&a);
    assert!(s.contains("top 1/month"), "{s}");
}

#[test]
fn a_live_query_waits_while_the_box_holds_one_that_does_not_parse() {
    let mut a = app(120, 30);
    press(&mut a, "/is:unread");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    let total = a.visible().len();
    press(&mut a, "j");
    press(&mut a, "/ (crypto");
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert!(a.query_error().is_some());
    let before = a.current_index();
    press(&mut a, "r");
    assert_eq!(
        a.visible().len(),
        total,
        "the list waits for a query that parses"
    );
    assert_eq!(a.current_index(), before);
    assert!(
        screen(&a).contains("still the results of is:unr"),
        "{}",
        screen(&a)
    );
}

#[test]
fn a_library_that_grows_takes_its_new_articles_in_place_and_reloads_whole_otherwise() {
    use folio::app::Done;
    use folio::corpus::Source;
    use folio::runtime::watch::{fingerprints, Watcher};
    use folio::store::library::Library;
    use std::sync::Arc;
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("library.db");
    let mut lib = Library::open(&path).expect("library");
    lib.add(folio::corpus::synth::articles(200, 7))
        .expect("add");
    let sources = vec![Source::Library(path.clone())];
    let seen = fingerprints(&sources);
    // Articles added between the look at the files and the load are in what was loaded:
    // the watcher does not take them for a change to load again.
    let mut between = folio::corpus::synth::articles(5, 8);
    for (k, m) in between.iter_mut().enumerate() {
        m.id = format!("between-{k}");
        m.url = Some(format!("https://between.example/{k}"));
    }
    lib.add(between).expect("add between");
    let corpus =
        folio::store::open_sources(&sources, &std::sync::atomic::AtomicU64::new(0)).expect("open");
    assert_eq!(corpus.articles.len(), 205);
    let mut a = Rig::new(App::new(corpus, Theme::mono()));
    a.act(Action::Resize(100, 30));
    let mut w = Watcher::new(sources, seen, Arc::clone(a.corpus()));
    assert!(w.look().is_none(), "nothing changed since the load");
    assert!(w.look().is_none(), "nothing changed");
    let before = Arc::as_ptr(a.corpus());

    // Another folio adds three articles: only they are handed over.
    let mut more = folio::corpus::synth::articles(3, 99);
    for (k, m) in more.iter_mut().enumerate() {
        m.id = format!("late-{k}");
        m.url = Some(format!("https://late.example/{k}"));
        m.title = format!("Zeppelin freight number {k} returns");
    }
    lib.add(more).expect("add more");
    let Some(Done::Appended(got)) = w.look() else {
        panic!("the new articles alone are handed over")
    };
    assert_eq!(got.articles.len(), 3);
    // While a worker still reads the corpus they wait; then they go in, in place.
    let held = Arc::clone(a.corpus());
    a.act(Action::Done(Done::Appended(got)));
    assert!(a.appends_waiting());
    assert_eq!(a.corpus().articles.len(), 205);
    drop(held);
    a.act(Action::Done(Done::Wake));
    assert!(!a.appends_waiting());
    assert_eq!(a.corpus().articles.len(), 208);
    assert_eq!(
        Arc::as_ptr(a.corpus()),
        before,
        "added in place, not copied"
    );
    assert!(
        screen(&a).contains("reloaded: 3 new articles"),
        "{}",
        screen(&a)
    );
    // The index takes them in as a build would: searched, sorted and counted like the rest.
    let built = folio::query::Index::build(&a.corpus().articles);
    assert_eq!(format!("{:?}", a.index()), format!("{built:?}"));
    let q = folio::query::parse("zeppelin freight").expect("query");
    let hits = folio::query::search(&**a.corpus(), a.index(), &q, &folio::query::NoState, None);
    assert_eq!(hits.len(), 3);
    // The list shows them once the search comes back.
    a.act(Action::Resize(100, 30));
    assert!(a.visible().len() == 208, "{}", a.visible().len());

    // An article removed: the whole library is loaded again.
    lib.remove(&["late-1".to_string()]).expect("remove");
    let Some(Done::Reloaded(r)) = w.look() else {
        panic!("a removal reloads the whole")
    };
    a.act(Action::Done(Done::Reloaded(r)));
    assert_eq!(a.corpus().articles.len(), 207);
    // And growth after that is handed over alone again.
    let mut last = folio::corpus::synth::articles(1, 5);
    last[0].id = "later".into();
    last[0].url = Some("https://late.example/later".into());
    lib.add(last).expect("add");
    assert!(matches!(w.look(), Some(Done::Appended(_))));
}
