//! The reader without a real terminal: the reducer driven by key events, whole screens on
//! ratatui's TestBackend (insta snapshots), and every small size.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use folio::app::keymap::action_for;
use folio::app::{Action, App, Effect, Focus};
use folio::corpus::Corpus;
use folio::ui::theme::Theme;
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::path::Path;

fn corpus() -> Corpus {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tricky.json");
    Corpus::open(Some(&p)).expect("test corpus loads")
}

fn app(w: u16, h: u16) -> App {
    let mut a = App::new(corpus(), Theme::mono());
    a.update(Action::Resize(w, h));
    a
}

/// Press a key: map it, apply it, and perform its effects right away (as the loop would).
fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    match action_for(&app.keymap, app.context(), &KeyEvent::new(code, mods)) {
        Some(a) => {
            let effects = app.update(a);
            app.run_effects_now(effects.clone());
            effects
        }
        None => Vec::new(),
    }
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

fn screen(app: &App) -> String {
    let (w, h) = app.size;
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
    assert_eq!(a.selected, 0);
    key(&mut a, KeyCode::End, KeyModifiers::NONE);
    assert_eq!(a.selected, a.visible.len() - 1);
    key(&mut a, KeyCode::Home, KeyModifiers::NONE);
    key(&mut a, KeyCode::PageDown, KeyModifiers::NONE);
    assert_eq!(
        a.selected,
        a.visible.len() - 1,
        "a page is more than 6 rows"
    );
    key(&mut a, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert!(a.selected < a.visible.len() - 1);
    // k at the top stays at the top
    press(&mut a, "gkkk");
    assert_eq!(a.selected, 0);
}

#[test]
fn enter_opens_and_esc_returns_on_narrow_screens() {
    let mut a = app(80, 24);
    key(&mut a, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(a.focus, Focus::Reader);
    assert!(a.panes().list.is_none(), "narrow: one pane at a time");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(a.focus, Focus::List);
    press(&mut a, "l");
    assert_eq!(a.focus, Focus::Reader);
    press(&mut a, "h");
    assert_eq!(a.focus, Focus::List);
    key(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(a.focus, Focus::Reader);
    key(&mut a, KeyCode::Tab, KeyModifiers::NONE);
    assert_eq!(a.focus, Focus::List);
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
    assert_eq!(a.reader_top, 0, "opens at the top");
    assert!(!screen(&a).contains("THE VERY LAST"));
    press(&mut a, " ");
    assert!(a.reader_top > 0);
    let after_space = a.reader_top;
    key(&mut a, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(a.reader_top, 0);
    key(&mut a, KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert!(a.reader_top > 0 && a.reader_top < after_space);
    key(&mut a, KeyCode::End, KeyModifiers::NONE);
    assert!(screen(&a).contains("THE VERY LAST PARAGRAPH"));
    assert_eq!(a.reader_percent(), 100);
    press(&mut a, "j");
    assert_eq!(
        a.reader_top,
        a.reader_max_top(),
        "no scrolling past the end"
    );
    // n/p move between articles and start at the top
    press(&mut a, "p");
    assert_eq!(a.reader_top, 0);
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
    let doc = a.reader_doc();
    let top_text = doc[a.reader_top].text.clone();
    let para = top_text.split(':').next().unwrap_or("").to_string();
    a.update(Action::Resize(60, 20));
    let doc = a.reader_doc();
    let now = doc[a.reader_top].text.clone();
    assert!(
        now.starts_with(&para) || now.contains("lorem"),
        "was {top_text:?}, now {now:?}"
    );
    a.update(Action::Resize(120, 40));
    assert_eq!(a.reader_doc()[a.reader_top].text, top_text);
}

#[test]
fn help_lists_every_key_and_closes() {
    let mut a = app(80, 24);
    press(&mut a, "?");
    assert!(a.help.is_some());
    let s = screen(&a);
    assert!(s.contains("quit") && s.contains("Ctrl-d"), "{s}");
    press(&mut a, "j");
    key(&mut a, KeyCode::Esc, KeyModifiers::NONE);
    assert!(a.help.is_none());
    press(&mut a, "?");
    press(&mut a, "?");
    assert!(a.help.is_none());
    // Every described binding shows up in the help rows.
    let rows = folio::app::keymap::help_rows(&a.keymap);
    for b in a.keymap.iter().filter(|b| !b.label.is_empty()) {
        assert!(
            rows.iter()
                .any(|r| r.1.split(", ").any(|l| l == b.label) && r.2 == b.help),
            "{} {}",
            b.label,
            b.help
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
    // Row 3 of the list's inside (border at y=0).
    let e = a.update(Action::Click(5, 3));
    a.run_effects_now(e);
    assert_eq!(a.selected, 2);
    assert_eq!(a.focus, Focus::List);
    let reader = a.panes().reader.expect("reader");
    a.update(Action::Click(reader.x + 3, reader.y + 3));
    assert_eq!(a.focus, Focus::Reader);
    a.update(Action::WheelDown(5, 5));
    assert_eq!(a.selected, 5, "wheel over the list moves the list");
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
        a.update(Action::Resize(w, h));
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
    assert!(a.search_box.is_some(), "search box open");
    press(&mut a, "byd");
    assert_eq!(a.query_text, "byd");
    assert_eq!(a.visible.len(), 1, "{:?}", a.visible);
    assert!(title_of(&a).starts_with("比亚迪"));
}
