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

/// `folio add`: import, then merge into the library, a batch at a time (a large JSON file
/// is read as it goes, never held whole); then bring the search index up to date.
pub fn cmd_add(inputs: &[PathBuf], opts: &import::Options) -> Result<(), CliError> {
    let path = crate::store::library::path()
        .ok_or_else(|| CliError("no data folder: set XDG_DATA_HOME or HOME".into()))?;
    let mut lib = crate::store::library::Library::open(&path)?;
    let progress = import::batched::Progress::default();
    let mut meter = Meter::new();
    let mut added = crate::store::library::Added::default();
    let started = std::time::Instant::now();
    let report = import::batched::import_batched(inputs, opts, &progress, &mut |articles| {
        let a = lib.add_batch(articles)?;
        added.new += a.new;
        added.already += a.already;
        let (done, total) = (
            progress.done.load(std::sync::atomic::Ordering::Relaxed),
            progress.total.load(std::sync::atomic::Ordering::Relaxed),
        );
        meter.show(&format!(
            "adding: {} new, {} already there; {} of {} read ({:.0} s)",
            added.new,
            added.already,
            mb(done),
            mb(total),
            started.elapsed().as_secs_f64()
        ));
        Ok::<(), crate::store::StoreError>(())
    })?;
    meter.done();
    let report = report?;
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
