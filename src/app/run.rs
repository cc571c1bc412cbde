//! The event loop: take the terminal, draw, turn events into actions, apply them, and always
//! give the terminal back: on quit, on error, on panic, and on SIGINT, SIGTERM and SIGHUP.

use super::keymap::action_for;
use super::{searching, Action, App, Effect, SearchRequest, SearchResult};
use crate::corpus::Corpus;
use crate::query::Index;
use crate::store::StateView;
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
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

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

/// Whether the terminal has hung up (its window closed, tmux killed): the tty reports
/// POLLHUP. crossterm then only ever reads end-of-file, so the loop must notice by itself.
pub fn terminal_gone() -> bool {
    let mut fds = libc::pollfd {
        fd: libc::STDIN_FILENO,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, zero timeout.
    let n = unsafe { libc::poll(&mut fds, 1, 0) };
    n > 0 && (fds.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL)) != 0
}

/// Whether folio holds the terminal (the crash report gives it back first).
static TERMINAL_TAKEN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// If folio crashes: the terminal is given back, the message and a backtrace are written
/// to a crash report under the state folder (`$XDG_STATE_HOME/folio/`), and one line says
/// where, instead of a backtrace on the user's screen. The process then ends (status 101),
/// whichever thread panicked, rather than run on half-broken.
pub fn install_crash_report() {
    std::panic::set_hook(Box::new(|info| {
        let report = crash_report(info);
        if TERMINAL_TAKEN.load(Ordering::SeqCst) {
            restore_terminal();
        }
        let saved = crate::store::paths::state_dir().and_then(|dir| {
            let name = format!(
                "crash-{}-{}.txt",
                chrono::Utc::now().format("%Y%m%dT%H%M%SZ"),
                std::process::id()
            );
            let path = dir.join(name);
            std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&path, &report))
                .ok()
                .map(|()| path)
        });
        let what = panic_message(info);
        match saved {
            Some(p) => eprintln!(
                "folio crashed ({what}); the details are in {} — please report it",
                p.display()
            ),
            None => eprintln!("folio crashed; no crash report could be written:\n{report}"),
        }
        std::process::exit(101);
    }));
}

fn panic_message(info: &std::panic::PanicHookInfo) -> String {
    let payload = info.payload();
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic".to_string());
    crate::text::one_line(&msg)
}

fn crash_report(info: &std::panic::PanicHookInfo) -> String {
    let bt = std::backtrace::Backtrace::force_capture();
    let place = info
        .location()
        .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
        .unwrap_or_default();
    format!(
        "folio {} crashed at {}\nthread: {}\nwhere: {place}\nmessage: {}\nargs: {:?}\n\nbacktrace:\n{bt}\n",
        env!("CARGO_PKG_VERSION"),
        chrono::Utc::now().to_rfc3339(),
        std::thread::current().name().unwrap_or("?"),
        panic_message(info),
        std::env::args().collect::<Vec<_>>(),
    )
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

/// A search for the worker: the request and what it runs over (the corpus may be replaced
/// by a reload while the reader runs).
type Job = (SearchRequest, Arc<Corpus>, Arc<Index>, Arc<StateView>);

/// The search thread: takes the newest request, drops older ones, and gives up on a
/// running search as soon as a newer one arrives.
struct Worker {
    tx: mpsc::Sender<Job>,
    /// (generation, results, final): quick results come first when bodies are searched.
    rx: mpsc::Receiver<(u64, Arc<SearchResult>, bool)>,
    latest: Arc<AtomicU64>,
}

/// Let the UI thread have the CPU first: on a two-core machine both cores may be busy when
/// a key arrives, and its echo must not wait. Threads started from here inherit it.
fn lower_priority() {
    // SAFETY: setpriority on the calling thread, no pointers.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS as _, 0, 10);
    }
}

impl Worker {
    fn start() -> Worker {
        let (tx, req_rx) = mpsc::channel::<Job>();
        let (res_tx, rx) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = Arc::clone(&latest);
        std::thread::spawn(move || {
            lower_priority();
            while let Ok(mut job) = req_rx.recv() {
                while let Ok(newer) = req_rx.try_recv() {
                    job = newer;
                }
                let (req, corpus, index, state) = job;
                let generation = req.generation;
                let cancelled = || newest.load(Ordering::Relaxed) != generation;
                let quick_tx = res_tx.clone();
                let mut first = |r: SearchResult| {
                    let _ = quick_tx.send((generation, Arc::new(r), false));
                };
                if let Some(r) =
                    searching::run(&corpus, &index, &state, &req, &cancelled, &mut first)
                {
                    if res_tx.send((generation, Arc::new(r), true)).is_err() {
                        break;
                    }
                }
            }
        });
        Worker { tx, rx, latest }
    }

    fn submit(&self, req: SearchRequest, app: &App) {
        self.latest.store(req.generation, Ordering::Relaxed);
        let _ = self.tx.send((
            req,
            Arc::clone(&app.corpus),
            Arc::clone(&app.index),
            Arc::clone(&app.state),
        ));
    }
}

/// Actions that background work sends back to the loop (view counts, failed launches).
struct Background {
    tx: mpsc::Sender<Action>,
    rx: mpsc::Receiver<Action>,
}

/// Perform effects; returns Some(exit status) when the app quits.
fn perform(app: &mut App, worker: &Worker, bg: &Background, effects: Vec<Effect>) -> Option<u8> {
    let mut quit = None;
    for e in effects {
        match e {
            Effect::Quit => quit = Some(0),
            Effect::Store(op) => app.persist(op),
            Effect::Remember(q) => app.remember(&q),
            Effect::Search(req) => worker.submit(req, app),
            Effect::Reload(req) => {
                let tx = bg.tx.clone();
                std::thread::spawn(move || {
                    lower_priority();
                    let _ = tx.send(match super::reload::load(&req) {
                        Ok(r) => Action::Reloaded(Arc::new(r)),
                        Err((seen, e)) => Action::ReloadFailed(seen, e),
                    });
                });
            }
            Effect::CountViews(queries) => {
                let (corpus, index, state) = (
                    Arc::clone(&app.corpus),
                    Arc::clone(&app.index),
                    Arc::clone(&app.state),
                );
                let tx = bg.tx.clone();
                std::thread::spawn(move || {
                    let counts = searching::count(&corpus, &index, &state, &queries);
                    let _ = tx.send(Action::ViewsCounted(counts));
                });
            }
            Effect::OpenUrl(url) => {
                let tx = bg.tx.clone();
                std::thread::spawn(move || {
                    if let Err(e) = super::links::open_url(&url) {
                        let _ = tx.send(Action::Failed(e));
                    }
                });
            }
            Effect::Copy(text) => {
                super::links::copy_to_tmux(&text);
                if let Err(e) = super::links::copy_osc52(&mut io::stdout(), &text) {
                    app.message = Some((format!("could not copy: {e}"), super::Tone::Error));
                }
            }
        }
    }
    quit
}

/// Where frames are written: standard output. With a theme of no colour at all, the
/// "default colour" codes the backend ends each frame with (SGR 39, 49, 59) are left out,
/// so not one colour code reaches the terminal (they change nothing when no colour was set).
struct Screen {
    out: io::Stdout,
    colourless: bool,
    /// The start of a code cut between two writes.
    carry: Vec<u8>,
}

const DEFAULT_COLOURS: [&[u8]; 3] = [b"\x1b[39m", b"\x1b[49m", b"\x1b[59m"];

impl io::Write for Screen {
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
struct Session {
    signal: Arc<AtomicUsize>,
    terminal: Terminal<CrosstermBackend<Screen>>,
    _guard: TerminalGuard,
}

fn need_terminal() -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the reader needs a terminal (use `folio list` or `folio show ID` in scripts)",
        ));
    }
    Ok(())
}

/// Take the terminal: signals noted, panics and hang-ups give it back, raw mode, the
/// alternate screen and the mouse.
fn take_terminal(theme: &crate::ui::theme::Theme) -> io::Result<Session> {
    let signal = Arc::new(AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register_usize(sig, Arc::clone(&signal), sig as usize)?;
    }
    TERMINAL_TAKEN.store(true, Ordering::SeqCst);

    // crossterm 0.28 spins forever reading end-of-file once the terminal hangs up, so a
    // watchdog thread ends the process when the tty is gone or a signal goes unanswered.
    {
        let signal = Arc::clone(&signal);
        std::thread::spawn(move || {
            let mut since: Option<Instant> = None;
            loop {
                std::thread::sleep(Duration::from_millis(200));
                let sig = signal.load(Ordering::Relaxed);
                if terminal_gone() {
                    std::process::exit(128 + signal_hook::consts::SIGHUP);
                }
                if sig != 0 {
                    let t = *since.get_or_insert_with(Instant::now);
                    if t.elapsed() > Duration::from_secs(2) {
                        restore_terminal();
                        std::process::exit(128 + sig as i32);
                    }
                }
            }
        });
    }
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
        signal,
        terminal,
        _guard: guard,
    })
}

/// The signal that arrived, or SIGHUP when the terminal went away; 0 for none.
fn interrupted(signal: &AtomicUsize) -> usize {
    let sig = signal.load(Ordering::Relaxed);
    if sig == 0 && terminal_gone() {
        signal_hook::consts::SIGHUP as usize
    } else {
        sig
    }
}

/// Run the reader until the user quits. Returns the process exit status.
pub fn run(app: App) -> io::Result<u8> {
    need_terminal()?;
    let mut session = take_terminal(&app.theme)?;
    event_loop(&mut session, app)
}

/// What the loading screen shows (drawn by `ui::loading`); drawing it changes nothing.
#[derive(Debug, Clone)]
pub struct Loading {
    /// The corpus file's name.
    pub name: String,
    /// Bytes read so far and the file's size (0 when unknown).
    pub read: u64,
    pub total: u64,
    /// Reading done; building the search index.
    pub indexing: bool,
    pub elapsed_ms: u128,
    pub theme: crate::ui::theme::Theme,
}

/// How far opening has got, shared with the loading thread.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of the corpus file read so far.
    pub bytes: AtomicU64,
    /// Set once reading is done and the index is being built.
    pub indexing: std::sync::atomic::AtomicBool,
}

/// How long loading may take before the loading screen appears.
const BLINK: Duration = Duration::from_millis(250);

/// Load in a thread and run the reader on the result. When loading takes longer than a
/// blink, the screen is taken at once and shows progress (q stops); a load that fails is
/// reported after the terminal is given back. `Err` holds the message for the user.
pub fn open<F>(
    name: String,
    total: u64,
    theme: crate::ui::theme::Theme,
    load: F,
) -> Result<u8, String>
where
    F: FnOnce(&Progress) -> Result<App, String> + Send + 'static,
{
    let progress = Arc::new(Progress::default());
    let (tx, rx) = mpsc::channel();
    {
        let progress = Arc::clone(&progress);
        std::thread::spawn(move || {
            let _ = tx.send(load(&progress));
        });
    }
    let started = Instant::now();
    let early = match rx.recv_timeout(BLINK) {
        Ok(r) => Some(r),
        Err(mpsc::RecvTimeoutError::Timeout) => None,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err("loading the corpus failed".to_string())
        }
    };
    let io_err = |e: io::Error| format!("reader: {e}");
    if let Some(r) = early {
        let app = r?;
        return run(app).map_err(io_err);
    }
    // Slow: no screen for scripts (wait, then say why); the loading screen for people.
    if need_terminal().is_err() {
        let app = rx
            .recv()
            .map_err(|_| "loading the corpus failed".to_string())??;
        return run(app).map_err(io_err);
    }
    let mut session = take_terminal(&theme).map_err(io_err)?;
    let app = loop {
        let sig = interrupted(&session.signal);
        if sig != 0 {
            return Ok(128u8.saturating_add(sig as u8));
        }
        match rx.recv_timeout(Duration::ZERO) {
            Ok(Ok(app)) => break app,
            Ok(Err(e)) => {
                drop(session);
                return Err(e);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                drop(session);
                return Err("loading the corpus failed".to_string());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let view = Loading {
            name: name.clone(),
            read: progress.bytes.load(Ordering::Relaxed),
            total,
            indexing: progress.indexing.load(Ordering::Relaxed),
            elapsed_ms: started.elapsed().as_millis(),
            theme,
        };
        session
            .terminal
            .draw(|f| f.render_widget(&view, f.area()))
            .map_err(io_err)?;
        if event::poll(Duration::from_millis(50)).map_err(io_err)? {
            if let Event::Key(k) = event::read().map_err(io_err)? {
                use crossterm::event::{KeyCode, KeyEventKind, KeyModifiers};
                let stop = k.kind != KeyEventKind::Release
                    && (matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
                        || (k.code == KeyCode::Char('c')
                            && k.modifiers.contains(KeyModifiers::CONTROL)));
                if stop {
                    return Ok(0);
                }
            }
        }
    };
    event_loop(&mut session, app).map_err(io_err)
}

fn event_loop(session: &mut Session, mut app: App) -> io::Result<u8> {
    let terminal = &mut session.terminal;
    let size = terminal.size()?;
    app.update(Action::Resize(size.width, size.height));
    let worker = Worker::start();
    let (tx, rx) = mpsc::channel();
    let bg = Background { tx, rx };
    let mut last_retry = Instant::now();
    let mut last_poll = Instant::now();

    loop {
        let sig = interrupted(&session.signal);
        if sig != 0 {
            let effects = app.update(Action::Quit);
            let _ = perform(&mut app, &worker, &bg, effects);
            return Ok(128u8.saturating_add(sig as u8));
        }
        while let Ok((generation, result, done)) = worker.rx.try_recv() {
            app.update(Action::SearchDone(generation, result, done));
        }
        while let Ok(action) = bg.rx.try_recv() {
            let effects = app.update(action);
            if let Some(code) = perform(&mut app, &worker, &bg, effects) {
                return Ok(code);
            }
        }
        if app.store.has_pending() && last_retry.elapsed() > Duration::from_secs(2) {
            app.retry_saves();
            last_retry = Instant::now();
        }
        // Another folio's changes show within a second; so do changed corpus files.
        if last_poll.elapsed() >= Duration::from_secs(1) {
            app.poll_store();
            last_poll = Instant::now();
        }
        if let Some(e) = app.look_for_changes() {
            let _ = perform(&mut app, &worker, &bg, vec![e]);
        }
        terminal.draw(|f| f.render_widget(&app, f.area()))?;
        // A debugging hook that proves a panic gives the terminal back (see tests/pty.rs).
        if std::env::var_os("FOLIO_PANIC_AFTER_DRAW").is_some() {
            panic!("FOLIO_PANIC_AFTER_DRAW is set");
        }
        let wait = if app.searching { 15 } else { 250 };
        if !event::poll(Duration::from_millis(wait))? {
            continue;
        }
        // Apply everything already waiting before drawing again (a burst of keys or resizes
        // costs one frame).
        loop {
            let ev = event::read()?;
            if let Some(action) = action_for_event(&app, &ev) {
                let effects = app.update(action);
                if let Some(code) = perform(&mut app, &worker, &bg, effects) {
                    return Ok(code);
                }
            }
            if !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}
