//! `folio import`, `folio add` and `folio remove`.

use super::{emit, CliError};
use crate::corpus;
use crate::import;
use crate::store::write_atomic;
use crate::text;
use std::path::PathBuf;

pub fn cmd_import(
    inputs: &[PathBuf],
    output: Option<&std::path::Path>,
    opts: &import::Options,
) -> Result<(), CliError> {
    let (articles, report) = import::import_paths(inputs, opts)?;
    eprint!("{}", report.summary());
    if articles.is_empty() {
        return Err(CliError("nothing imported: no articles were found".into()));
    }
    let json = corpus::to_corpus_json(&articles);
    match output {
        Some(path) => write_atomic(path, json.as_bytes())
            .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?,
        None => emit(&json)?,
    }
    Ok(())
}

/// Progress on stderr: a line rewritten in place on a terminal, else a line every few
/// seconds (for logs).
struct Meter {
    tty: bool,
    last: std::time::Instant,
    shown: bool,
}

impl Meter {
    fn new() -> Meter {
        Meter {
            tty: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            last: std::time::Instant::now(),
            shown: false,
        }
    }

    fn show(&mut self, line: &str) {
        let every = if self.tty { 200 } else { 5000 };
        if self.last.elapsed() < std::time::Duration::from_millis(every) {
            return;
        }
        self.last = std::time::Instant::now();
        if self.tty {
            eprint!("\r\x1b[2Kfolio: {line}");
        } else {
            eprintln!("folio: {line}");
        }
        self.shown = true;
    }

    fn done(&mut self) {
        if self.tty && self.shown {
            eprint!("\r\x1b[2K");
        }
        self.shown = false;
    }
}

fn mb(n: u64) -> String {
    format!("{:.0} MB", n as f64 / 1e6)
}

/// Run `f` (which opens the library at `path`); while an old `library.jsonl` is being moved
/// in, say how far it has got on stderr.
pub(super) fn with_move_progress<T>(
    path: &std::path::Path,
    f: impl FnOnce(&std::sync::atomic::AtomicU64) -> T,
) -> T {
    let legacy = path.with_file_name("library.jsonl");
    let Ok(total) = std::fs::metadata(&legacy).map(|m| m.len()) else {
        return f(&std::sync::atomic::AtomicU64::new(0));
    };
    let read = std::sync::atomic::AtomicU64::new(0);
    let running = std::sync::atomic::AtomicBool::new(true);
    let started = std::time::Instant::now();
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut meter = Meter::new();
            while running.load(std::sync::atomic::Ordering::Relaxed) {
                meter.show(&format!(
                    "moving {} into the library: {} of {} read ({:.0} s)",
                    legacy.display(),
                    mb(read.load(std::sync::atomic::Ordering::Relaxed)),
                    mb(total),
                    started.elapsed().as_secs_f64()
                ));
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
            meter.done();
        });
        let out = f(&read);
        running.store(false, std::sync::atomic::Ordering::Relaxed);
        out
    })
}

/// `folio add`: import, then merge into the library, a batch at a time (a large JSON file
/// is read as it goes, never held whole); then bring the search index up to date.
pub fn cmd_add(inputs: &[PathBuf], opts: &import::Options) -> Result<(), CliError> {
    let path = crate::store::library::path()
        .ok_or_else(|| CliError("no data folder: set XDG_DATA_HOME or HOME".into()))?;
    let mut lib = with_move_progress(&path, |p| {
        crate::store::library::Library::open_with(&path, p)
    })?;
    lib.bulk(10_000)?;
    let progress = import::batched::Progress::default();
    let mut meter = Meter::new();
    let started = std::time::Instant::now();
    // The library is written on a thread of its own, a batch behind the reading and
    // inference, so that neither waits for the other.
    let (batches, to_write) = std::sync::mpsc::sync_channel::<Vec<corpus::Article>>(2);
    let (new, already) = (
        std::sync::atomic::AtomicUsize::new(0),
        std::sync::atomic::AtomicUsize::new(0),
    );
    // A large add indexes as it goes (in the time the writing leaves the cores idle), so
    // that little is left to index at the end.
    let big = inputs
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum::<u64>()
        > 64 * 1024 * 1024;
    let adding = std::sync::atomic::AtomicBool::new(true);
    let (report, lib) = std::thread::scope(|s| {
        let (new, already) = (&new, &already);
        if big {
            let (adding, path) = (&adding, &path);
            s.spawn(move || {
                let going = || adding.load(std::sync::atomic::Ordering::Relaxed);
                while going() {
                    let _ = crate::store::bodyindex::update(
                        path,
                        &mut |_, _| {},
                        &|| !going(),
                        std::time::Duration::from_secs(1),
                    );
                    for _ in 0..20 {
                        if !going() {
                            break;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                }
            });
        }
        let writer = s.spawn(move || {
            for articles in to_write {
                let a = lib.add_batch(articles)?;
                new.fetch_add(a.new, std::sync::atomic::Ordering::Relaxed);
                already.fetch_add(a.already, std::sync::atomic::Ordering::Relaxed);
            }
            Ok::<_, crate::store::StoreError>(lib)
        });
        let report = import::batched::import_batched(inputs, opts, &progress, &mut |articles| {
            let (done, total) = (
                progress.done.load(std::sync::atomic::Ordering::Relaxed),
                progress.total.load(std::sync::atomic::Ordering::Relaxed),
            );
            meter.show(&format!(
                "adding: {} new, {} already there; {} of {} read ({:.0} s)",
                new.load(std::sync::atomic::Ordering::Relaxed),
                already.load(std::sync::atomic::Ordering::Relaxed),
                mb(done),
                mb(total),
                started.elapsed().as_secs_f64()
            ));
            // Refused only when the writer stopped: its error is what the user is told.
            batches.send(articles).map_err(|_| ())
        });
        drop(batches);
        let written = writer.join();
        adding.store(false, std::sync::atomic::Ordering::Relaxed);
        (report, written)
    });
    let lib = match lib {
        Ok(Ok(lib)) => lib,
        Ok(Err(e)) => return Err(e.into()),
        Err(_) => return Err(CliError("adding to the library failed".into())),
    };
    let report = report?.map_err(|()| CliError("adding to the library stopped".into()))?;
    let added = crate::store::library::Added {
        new: new.into_inner(),
        already: already.into_inner(),
        ..Default::default()
    };
    meter.done();
    eprint!("{}", report.summary());
    let total = lib.len()?;
    let indexed = lib.update_index(
        &mut |done, all| {
            meter.show(&format!(
                "indexing for search: {done} of {all} ({:.0} s)",
                started.elapsed().as_secs_f64()
            ));
        },
        std::time::Duration::from_secs(30),
    );
    meter.done();
    if let Err(e) = indexed {
        eprintln!("folio: the search index was not brought up to date ({e}); searches read the new articles' text directly until it is");
    }
    eprintln!(
        "folio: {} new, {} already in the library, {} refused; the library holds {} article{} ({})",
        added.new,
        added.already,
        report.refused,
        total,
        if total == 1 { "" } else { "s" },
        path.display()
    );
    if report.articles == 0 && report.refused > 0 {
        return Err(CliError("nothing added: no articles were found".into()));
    }
    Ok(())
}

/// `folio remove`: take articles out of the library.
pub fn cmd_remove(ids: &[String]) -> Result<(), CliError> {
    let path = crate::store::library::path()
        .ok_or_else(|| CliError("no data folder: set XDG_DATA_HOME or HOME".into()))?;
    let mut lib = crate::store::library::Library::open(&path)?;
    let (removed, missing) = lib.remove(ids)?;
    lib.index_quietly();
    for id in &removed {
        eprintln!("folio: removed {id}");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(CliError(format!(
            "not in the library: {}",
            missing
                .iter()
                .map(|m| text::one_line(m))
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }
}
