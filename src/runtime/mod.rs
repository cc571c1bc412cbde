//! The runtime: everything around the reader's state that is not pure. It takes the terminal
//! (`terminal`), writes crash reports (`crash`), runs the workers (searches, view counts:
//! `workers`; the store thread: `store`; the file watcher: `watch`), performs the effects
//! `App::update` asks for, and runs the event loop.
//!
//! The loop waits on one channel fed by the input thread, the signal thread and the
//! workers, applies what arrives (a burst at once), and draws only when something changed:
//! an idle reader wakes for nothing. `immediate` performs effects on the calling thread,
//! for tests and the fuzz targets.

pub mod crash;
pub mod immediate;
pub mod links;
pub mod store;
mod sys;
pub mod terminal;
pub mod watch;
pub mod workers;

use crate::app::keymap::action_for;
use crate::app::{Action, App, Done, Effect};
use crate::ui::loading::Loading;
use crossterm::event::{Event as TermEvent, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::event::{MouseButton, MouseEventKind};
use std::io;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};
pub use terminal::restore_terminal;
use terminal::{need_terminal, take_terminal, terminal_gone, Session};
use workers::{Searcher, Snapshot};

/// What wakes the event loop.
pub enum Event {
    /// A key, a mouse event or a resize.
    Input(TermEvent),
    /// The terminal cannot be read any more.
    InputEnded,
    /// SIGINT, SIGTERM or SIGHUP.
    Signal(i32),
    /// A worker's report.
    Done(Done),
    /// Opening finished (the loading screen's end).
    Opened(Box<Result<Start, String>>),
}

/// What the reader starts with: its state, the store for the store thread, and the files to
/// watch.
pub struct Start {
    pub app: App,
    pub store: crate::store::Store,
    pub watch: Option<watch::Watcher>,
    /// How syncs run, and how often (`[sync]`).
    pub sync: crate::fetch::SyncSettings,
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

/// Turn a terminal event into an action for the app's current context.
pub fn action_for_event(app: &App, ev: &TermEvent) -> Option<Action> {
    match ev {
        TermEvent::Key(k) => action_for(app.keymap(), app.context(), k),
        TermEvent::Resize(w, h) => Some(Action::Resize(*w, *h)),
        TermEvent::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            MouseEventKind::ScrollUp => Some(Action::WheelUp(m.column, m.row)),
            MouseEventKind::ScrollDown => Some(Action::WheelDown(m.column, m.row)),
            _ => None,
        },
        _ => None,
    }
}

/// Read the terminal in a thread of its own: every event goes to the loop's channel.
fn start_input(events: mpsc::Sender<Event>) {
    let _ = std::thread::Builder::new()
        .name("folio-input".into())
        .spawn(move || loop {
            if let Ok(ev) = crossterm::event::read() {
                if events.send(Event::Input(ev)).is_err() {
                    return;
                }
            } else {
                let _ = events.send(Event::InputEnded);
                return;
            }
        });
}

/// Signals become events; a watchdog ends the process when the terminal hangs up (crossterm
/// 0.28 then reads end-of-file forever) or a signal goes unanswered.
fn start_signals(events: mpsc::Sender<Event>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
    let pending = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&pending);
    let _ = std::thread::Builder::new()
        .name("folio-signals".into())
        .spawn(move || {
            for sig in signals.forever() {
                seen.store(sig as usize, Ordering::SeqCst);
                let _ = events.send(Event::Signal(sig));
            }
        });
    let _ = std::thread::Builder::new()
        .name("folio-watchdog".into())
        .spawn(move || {
            let mut since: Option<Instant> = None;
            loop {
                std::thread::sleep(Duration::from_millis(500));
                if terminal_gone() {
                    restore_terminal();
                    std::process::exit(128 + SIGHUP);
                }
                let sig = pending.load(Ordering::SeqCst);
                if sig != 0 {
                    let t = *since.get_or_insert_with(Instant::now);
                    if t.elapsed() > Duration::from_secs(2) {
                        restore_terminal();
                        std::process::exit(128 + sig as i32);
                    }
                }
            }
        });
    Ok(())
}

/// Load in a thread and run the reader on the result. When loading takes longer than a
/// blink, the screen is taken at once and shows progress (q stops); a load that fails is
/// reported after the terminal is given back. `Err` holds the message for the user.
pub fn open<F>(name: String, total: u64, theme: crate::theme::Theme, load: F) -> Result<u8, String>
where
    F: FnOnce(&Progress) -> Result<Start, String> + Send + 'static,
{
    let progress = Arc::new(Progress::default());
    let (tx, rx) = mpsc::channel::<Event>();
    {
        let progress = Arc::clone(&progress);
        let tx = tx.clone();
        let _ = std::thread::Builder::new()
            .name("folio-open".into())
            .spawn(move || {
                let r = load(&progress);
                let _ = tx.send(Event::Opened(Box::new(r)));
            });
    }
    let started = Instant::now();
    let io_err = |e: io::Error| format!("reader: {e}");
    let early = match rx.recv_timeout(BLINK) {
        Ok(Event::Opened(r)) => Some(*r),
        Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => None,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            return Err("loading the corpus failed".to_string())
        }
    };
    if early.is_none() && need_terminal().is_err() {
        // Slow, and no screen (a script): wait, then say why.
        let r = loop {
            match rx.recv() {
                Ok(Event::Opened(r)) => break *r,
                Ok(_) => {}
                Err(_) => return Err("loading the corpus failed".to_string()),
            }
        };
        let start = r?;
        return run_start(start, tx, rx).map_err(io_err);
    }
    if let Some(r) = early {
        return run_start(r?, tx, rx).map_err(io_err);
    }
    // Slow: the loading screen, taken at once.
    let mut session = take_terminal(&theme).map_err(io_err)?;
    start_input(tx.clone());
    start_signals(tx.clone()).map_err(io_err)?;
    let start = loop {
        let view = Loading {
            name: name.clone(),
            read: progress.bytes.load(Ordering::Relaxed),
            total,
            indexing: progress.indexing.load(Ordering::Relaxed),
            elapsed_ms: started.elapsed().as_millis(),
            theme,
        };
        session
            .draw(|f| f.render_widget(&view, f.area()))
            .map_err(io_err)?;
        match rx.recv_timeout(Duration::from_millis(50)) {
            Ok(Event::Opened(r)) => match *r {
                Ok(s) => break s,
                Err(e) => {
                    drop(session);
                    return Err(e);
                }
            },
            Ok(Event::Signal(sig)) => return Ok(128u8.saturating_add(sig as u8)),
            Ok(Event::InputEnded) => return Ok(128 + 1),
            Ok(Event::Input(TermEvent::Key(k))) => {
                let stop = k.kind != KeyEventKind::Release
                    && (matches!(k.code, KeyCode::Char('q') | KeyCode::Esc)
                        || (k.code == KeyCode::Char('c')
                            && k.modifiers.contains(KeyModifiers::CONTROL)));
                if stop {
                    return Ok(0);
                }
            }
            Ok(_) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                drop(session);
                return Err("loading the corpus failed".to_string());
            }
        }
    };
    event_loop(&mut session, start, &tx, &rx).map_err(io_err)
}

/// Take the terminal and run the reader.
fn run_start(start: Start, tx: mpsc::Sender<Event>, rx: mpsc::Receiver<Event>) -> io::Result<u8> {
    need_terminal()?;
    let mut session = take_terminal(start.app.theme())?;
    start_input(tx.clone());
    start_signals(tx.clone())?;
    event_loop(&mut session, start, &tx, &rx)
}

/// The workers the loop hands effects to.
struct Workers {
    events: mpsc::Sender<Event>,
    searcher: Searcher,
    store: Option<mpsc::Sender<store::Request>>,
    store_thread: Option<std::thread::JoinHandle<()>>,
    sync: crate::fetch::SyncSettings,
}

fn snapshot(app: &App) -> Snapshot {
    Snapshot {
        corpus: Arc::clone(app.corpus()),
        index: Arc::clone(app.index()),
        state: Arc::clone(app.state()),
    }
}

impl Workers {
    /// Perform effects; returns whether the app asked to quit.
    fn perform(&self, app: &mut App, effects: Vec<Effect>) -> bool {
        let mut quit = false;
        for e in effects {
            match e {
                Effect::Quit => quit = true,
                Effect::Search(req) => self.searcher.submit(req, snapshot(app)),
                Effect::Save(s) => self.to_store(store::Request::Save(s)),
                Effect::Remember(q) => self.to_store(store::Request::Remember(q)),
                Effect::CountViews(queries) => {
                    workers::count_views(snapshot(app), queries, self.events.clone());
                }
                Effect::Sync => {
                    let tx = self.events.clone();
                    let settings = self.sync.clone();
                    let _ =
                        std::thread::Builder::new()
                            .name("folio-sync".into())
                            .spawn(move || {
                                workers::lower_priority();
                                workers::sync_now(&settings, &|d| {
                                    let _ = tx.send(Event::Done(d));
                                });
                            });
                }
                Effect::FullText { id, url, toggle } => {
                    let tx = self.events.clone();
                    let settings = self.sync.clone();
                    let _ = std::thread::Builder::new()
                        .name("folio-full-text".into())
                        .spawn(move || {
                            let d = workers::full_text(&settings, &id, url.as_deref(), toggle);
                            let _ = tx.send(Event::Done(d));
                        });
                }
                Effect::LoadBody { generation, idx } => {
                    let tx = self.events.clone();
                    let corpus = std::sync::Arc::clone(app.corpus());
                    let _ =
                        std::thread::Builder::new()
                            .name("folio-body".into())
                            .spawn(move || {
                                let d = workers::load_body(&corpus, generation, idx);
                                let _ = tx.send(Event::Done(d));
                            });
                }
                Effect::LoadFeeds => {
                    let tx = self.events.clone();
                    let _ = std::thread::Builder::new()
                        .name("folio-feeds".into())
                        .spawn(move || {
                            let _ = tx.send(Event::Done(workers::load_feeds()));
                        });
                }
                Effect::OpenUrl(url) => {
                    let tx = self.events.clone();
                    let _ = std::thread::Builder::new()
                        .name("folio-open-link".into())
                        .spawn(move || {
                            if let Err(e) = links::open_url(&url) {
                                let _ = tx.send(Event::Done(Done::Failed(e)));
                            }
                        });
                }
                Effect::Copy(text) => {
                    links::copy_to_tmux(&text);
                    if let Err(e) = links::copy_osc52(&mut io::stdout(), &text) {
                        app.tell(format!("could not copy: {e}"), crate::app::Tone::Error);
                    }
                }
            }
        }
        for retired in app.take_retired() {
            workers::free(retired);
        }
        quit
    }

    fn to_store(&self, req: store::Request) {
        if let Some(s) = &self.store {
            let _ = s.send(req);
        }
    }

    /// Let the store thread commit what is left (waiting a while for another folio's write
    /// to end), then stop it.
    fn finish(&mut self) {
        self.store = None;
        if let Some(h) = self.store_thread.take() {
            let deadline = Instant::now() + Duration::from_secs(8);
            while !h.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
    }
}

/// Draw the reader, its article's link made a hyperlink.
fn draw(session: &mut Session, app: &App) -> io::Result<()> {
    let size = session.terminal.size()?;
    let links = crate::ui::reader::link_spots(
        app,
        ratatui::layout::Rect::new(0, 0, size.width, size.height),
    );
    session.draw_linked(|f| f.render_widget(app, f.area()), &links)
}

fn event_loop(
    session: &mut Session,
    start: Start,
    tx: &mpsc::Sender<Event>,
    rx: &mpsc::Receiver<Event>,
) -> io::Result<u8> {
    let Start {
        mut app,
        store: st,
        watch: watcher,
        sync,
    } = start;
    let interval = sync.interval;
    let report = tx.clone();
    let (store_tx, store_thread) = store::start(st, move |d| {
        let _ = report.send(Event::Done(d));
    });
    let mut workers = Workers {
        events: tx.clone(),
        searcher: Searcher::start(tx.clone()),
        store: Some(store_tx),
        store_thread,
        sync,
    };
    let mut next_sync = interval.map(|i| Instant::now() + i);
    if let Some(w) = watcher {
        watch::start(w, tx.clone());
    }
    let size = session.terminal.size()?;
    let first = app.update(Action::Resize(size.width, size.height));
    workers.perform(&mut app, first.effects);
    draw(session, &app)?;
    assert!(
        !crate::hooks::hooks().panic_after_draw,
        "FOLIO_PANIC_AFTER_DRAW is set"
    );
    let code = 'outer: loop {
        // Articles waiting to be added in place: look again shortly (a search holding the
        // corpus ends soon).
        let wake = app
            .appends_waiting()
            .then(|| Instant::now() + Duration::from_millis(50));
        let until = match (next_sync, wake) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let next = match until {
            Some(at) => match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(ev) => Ok(ev),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if next_sync.is_some_and(|s| Instant::now() >= s) {
                        next_sync = interval.map(|i| Instant::now() + i);
                        Ok(Event::Done(Done::SyncDue))
                    } else {
                        Ok(Event::Done(Done::Wake))
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => Err(()),
            },
            None => rx.recv().map_err(|_| ()),
        };
        let Ok(mut ev) = next else {
            break 0;
        };
        let mut redraw = false;
        // Apply everything already waiting before drawing (a burst of keys or resizes costs
        // one frame).
        loop {
            let action = match ev {
                Event::Input(e) => action_for_event(&app, &e),
                Event::Done(d) => Some(Action::Done(d)),
                Event::Signal(sig) => {
                    let u = app.update(Action::Quit);
                    workers.perform(&mut app, u.effects);
                    break 'outer 128u8.saturating_add(sig as u8);
                }
                Event::InputEnded => break 'outer 128 + 1,
                Event::Opened(_) => None,
            };
            if let Some(a) = action {
                let u = app.update(a);
                redraw |= u.redraw;
                if workers.perform(&mut app, u.effects) {
                    break 'outer 0;
                }
            }
            match rx.try_recv() {
                Ok(next) => ev = next,
                Err(_) => break,
            }
        }
        if redraw {
            draw(session, &app)?;
        }
    };
    // The next reader opens on this query and article.
    workers.to_store(store::Request::Session(app.session()));
    workers.finish();
    Ok(code)
}
