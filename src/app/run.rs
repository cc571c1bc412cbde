//! The event loop: take the terminal, draw, turn events into actions, apply them, and always
//! give the terminal back: on quit, on error, on panic, and on SIGINT, SIGTERM and SIGHUP.

use super::keymap::action_for;
use super::{Action, App, Effect};
use crossterm::event::{
    self, DisableMouseCapture, EnableMouseCapture, Event, MouseButton, MouseEventKind,
};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Give the terminal back: raw mode off, alternate screen left, mouse released, cursor shown.
/// Safe to call more than once.
pub fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

/// Restores the terminal when dropped, whichever way the loop ends.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

/// Turn a terminal event into an action for the app's current context.
pub fn action_for_event(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(k) => action_for(&app.keymap, app.context(), k),
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            MouseEventKind::ScrollUp => Some(Action::WheelUp(m.column, m.row)),
            MouseEventKind::ScrollDown => Some(Action::WheelDown(m.column, m.row)),
            _ => None,
        },
        _ => None,
    }
}

/// Run the reader until the user quits. Returns the process exit status.
pub fn run(mut app: App) -> io::Result<u8> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the reader needs a terminal (use `folio list` or `folio show ID` in scripts)",
        ));
    }
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous_hook(info);
    }));

    enable_raw_mode()?;
    let _guard = TerminalGuard;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.hide_cursor()?;
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));

    loop {
        let sig = signal.load(Ordering::Relaxed);
        if sig != 0 {
            return Ok(128u8.saturating_add(sig as u8));
        }
        terminal.draw(|f| f.render_widget(&app, f.area()))?;
        // A debugging hook that proves a panic gives the terminal back (see tests/pty.rs).
        if std::env::var_os("FOLIO_PANIC_AFTER_DRAW").is_some() {
            panic!("FOLIO_PANIC_AFTER_DRAW is set");
        }
        if !event::poll(Duration::from_millis(100))? {
            continue;
        }
        // Apply everything already waiting before drawing again (a burst of resizes costs one frame).
        loop {
            let ev = event::read()?;
            if let Some(action) = action_for_event(&app, &ev) {
                let effects = app.update(action);
                if effects.contains(&Effect::Quit) {
                    return Ok(0);
                }
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}
