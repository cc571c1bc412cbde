//! The reader driven by any sequence of keys, mouse events and resizes, drawn after each
//! one: no panic, selection and scroll in range.
#![no_main]

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use folio::app::App;
use folio::runtime::action_for_event;
use folio::corpus::Corpus;
use libfuzzer_sys::fuzz_target;
use ratatui::backend::TestBackend;
use ratatui::Terminal;

fn event(b: &[u8]) -> Event {
    let k = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let x = u16::from(b[1] % 130);
    let y = u16::from(b[2] % 50);
    match b[0] % 16 {
        0 => Event::Resize(x, y),
        1 => Event::Mouse(MouseEvent {
            kind: [
                MouseEventKind::Down(MouseButton::Left),
                MouseEventKind::ScrollUp,
                MouseEventKind::ScrollDown,
            ][usize::from(b[1] % 3)],
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }),
        2 => k([
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::F(5),
        ][usize::from(b[1] % 15)]),
        3 => Event::Key(KeyEvent::new(
            KeyCode::Char(char::from(b'a' + b[1] % 26)),
            KeyModifiers::CONTROL,
        )),
        4 => k(KeyCode::Char(
            char::from_u32(u32::from(b[1]) << 8 | u32::from(b[2])).unwrap_or('é'),
        )),
        _ => {
            const KEYS: &[u8] = b" abcdefghijklmnopqrstuvwxyzAGNBY/?:,.-\"#0123vV";
            k(KeyCode::Char(char::from(KEYS[usize::from(b[1]) % KEYS.len()])))
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(corpus) = Corpus::embedded() else {
        return;
    };
    let mut app = App::new(corpus, folio::theme::Theme::color());
    let mut fx = folio::runtime::immediate::Immediate::new();
    let mut term = match Terminal::new(TestBackend::new(80, 24)) {
        Ok(t) => t,
        Err(_) => return,
    };
    for chunk in data.chunks_exact(3).take(200) {
        let ev = event(chunk);
        if let Event::Resize(w, h) = ev {
            term.backend_mut().resize(w, h);
        }
        if let Some(action) = action_for_event(&app, &ev) {
            let u = app.update(action);
            if fx.perform(&mut app, u.effects) {
                return;
            }
        }
        assert!(app.selected() <= app.visible().len().saturating_sub(1) || app.visible().is_empty());
        let _ = term.draw(|f| f.render_widget(&app, f.area()));
    }
});
