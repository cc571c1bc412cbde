//! The terminal while folio holds it: raw mode, the alternate screen and the mouse, given
//! back whichever way the reader ends (quit, error, panic, SIGINT, SIGTERM, SIGHUP); frames
//! written inside synchronized updates where the terminal supports them.

use crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, BeginSynchronizedUpdate, EndSynchronizedUpdate,
    EnterAlternateScreen, LeaveAlternateScreen,
};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether folio holds the terminal (the crash report gives it back first).
pub(super) static TERMINAL_TAKEN: AtomicBool = AtomicBool::new(false);

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

/// Whether the terminal has hung up (its window closed, tmux killed). crossterm then only
/// ever reads end-of-file, so folio must notice by itself.
pub fn terminal_gone() -> bool {
    super::sys::stdin_hung_up()
}

/// Restores the terminal when dropped, whichever way the reader ends.
struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        TERMINAL_TAKEN.store(false, Ordering::SeqCst);
        restore_terminal();
    }
}

/// Where frames are written: standard output. With a theme of no colour at all, the
/// "default colour" codes the backend ends each frame with (SGR 39, 49, 59) are left out,
/// so not one colour code reaches the terminal (they change nothing when no colour was set).
pub(super) struct Screen {
    out: io::Stdout,
    colourless: bool,
    /// The start of a code cut between two writes.
    carry: Vec<u8>,
}

const DEFAULT_COLOURS: [&[u8]; 3] = [b"\x1b[39m", b"\x1b[49m", b"\x1b[59m"];

impl Write for Screen {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.colourless {
            return self.out.write(buf);
        }
        let mut data = std::mem::take(&mut self.carry);
        data.extend_from_slice(buf);
        let mut kept = Vec::with_capacity(data.len());
        let mut i = 0;
        while i < data.len() {
            if data[i] == 0x1b {
                let rest = &data[i..];
                if let Some(code) = DEFAULT_COLOURS.iter().find(|c| rest.starts_with(c)) {
                    i += code.len();
                    continue;
                }
                if rest.len() < 5 && DEFAULT_COLOURS.iter().any(|c| c.starts_with(rest)) {
                    self.carry = rest.to_vec();
                    break;
                }
            }
            kept.push(data[i]);
            i += 1;
        }
        self.out.write_all(&kept)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.carry.is_empty() {
            let c = std::mem::take(&mut self.carry);
            self.out.write_all(&c)?;
        }
        self.out.flush()
    }
}

/// The terminal while folio holds it: given back when dropped.
pub(super) struct Session {
    pub(super) terminal: Terminal<CrosstermBackend<Screen>>,
    _guard: TerminalGuard,
}

impl Session {
    /// Draw a frame inside a synchronized update, so the terminal shows it whole (terminals
    /// that do not know the sequence ignore it).
    pub(super) fn draw(&mut self, render: impl FnOnce(&mut ratatui::Frame<'_>)) -> io::Result<()> {
        self.draw_linked(render, &[])
    }

    /// Draw a frame, then make `links` hyperlinks (OSC 8): their cells are written again
    /// between the sequences that open and close a link, which terminals that know them turn
    /// into a link and others ignore.
    pub(super) fn draw_linked(
        &mut self,
        render: impl FnOnce(&mut ratatui::Frame<'_>),
        links: &[(ratatui::layout::Rect, String)],
    ) -> io::Result<()> {
        use ratatui::backend::Backend;
        execute!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        let r = self.terminal.draw(render).map(|frame| {
            links
                .iter()
                .map(|(rect, url)| {
                    let mut cells = Vec::new();
                    for x in rect.x..rect.x.saturating_add(rect.width) {
                        if let Some(c) = frame.buffer.cell((x, rect.y)) {
                            cells.push((x, rect.y, c.clone()));
                        }
                    }
                    (url.clone(), cells)
                })
                .collect::<Vec<_>>()
        });
        let result = match r {
            Ok(spots) if hyperlinks() => {
                let b = self.terminal.backend_mut();
                for (url, cells) in spots {
                    write!(b, "\x1b]8;;{url}\x1b\\")?;
                    b.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))?;
                    write!(b, "\x1b]8;;\x1b\\")?;
                }
                Backend::flush(b)
            }
            Ok(_) => Ok(()),
            Err(e) => Err(e),
        };
        execute!(self.terminal.backend_mut(), EndSynchronizedUpdate)?;
        result
    }
}

/// Whether to write hyperlinks: not on the Linux console or a dumb terminal, and not when
/// `FOLIO_NO_HYPERLINKS` is set.
fn hyperlinks() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| {
        let term = std::env::var("TERM").unwrap_or_default();
        std::env::var_os("FOLIO_NO_HYPERLINKS").is_none() && term != "linux" && term != "dumb"
    })
}

/// The reader needs a terminal on both ends.
pub(super) fn need_terminal() -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the reader needs a terminal (use `folio list` or `folio show ID` in scripts)",
        ));
    }
    Ok(())
}

/// Take the terminal: raw mode, the alternate screen and the mouse.
pub(super) fn take_terminal(theme: &crate::theme::Theme) -> io::Result<Session> {
    TERMINAL_TAKEN.store(true, Ordering::SeqCst);
    enable_raw_mode()?;
    let guard = TerminalGuard;
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
    let screen = Screen {
        out: io::stdout(),
        colourless: theme.is_colourless(),
        carry: Vec::new(),
    };
    let mut terminal = Terminal::new(CrosstermBackend::new(screen))?;
    terminal.hide_cursor()?;
    Ok(Session {
        terminal,
        _guard: guard,
    })
}
