//! Crash reports: a panic gives the terminal back, writes what happened and a backtrace to
//! a file under the state folder, and says where in one line.

use super::terminal::{restore_terminal, TERMINAL_TAKEN};
use std::sync::atomic::Ordering;

/// If folio crashes: the terminal is given back, the message and a backtrace are written
/// to a crash report under the state folder (`$XDG_STATE_HOME/folio/`), and one line says
/// where, instead of a backtrace on the user's screen. The process then ends (status 101),
/// whichever thread panicked, rather than run on half-broken.
pub fn install_crash_report() {
    std::panic::set_hook(Box::new(|info| {
        // A panic caught for one input (a feed entry, a file) is that input's error.
        if crate::guard::quiet_when_catching(info) {
            return;
        }
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
        .map(std::string::ToString::to_string)
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
