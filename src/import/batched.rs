//! Importing for the library, a batch at a time: what `folio add` runs. A large JSON or JSON
//! Lines file is never held whole: its articles are found by a scanner, read and inferred on
//! worker threads, and handed over in the file's order a few thousand at a time, so adding
//! a million-article file takes the memory of a few batches. Articles come out exactly as
//! `import_paths` makes them (the same inference, ids made unique across the whole run in
//! the same order).

use super::{expand_paths, finish, json, ImportError, Knowledge, Options, Report};
use crate::corpus::stream::{stream_batches, Object, STREAM_MIN_BYTES};
use crate::corpus::Article;
use std::path::Path;
use std::sync::atomic::AtomicU64;

/// Articles handed over together: this many, or fewer when their text reaches
/// `HAND_OVER_BYTES` (long articles: the memory of a batch stays bounded).
const HAND_OVER: usize = 10_000;
const HAND_OVER_BYTES: usize = 48 << 20;

/// Bytes read so far and in all, for progress.
#[derive(Debug, Default)]
pub struct Progress {
    pub done: AtomicU64,
    pub total: AtomicU64,
}

/// Ids made unique across a run, as `dedupe_ids` does over all of it at once.
#[derive(Default)]
struct Ids(std::collections::HashSet<String>);

impl Ids {
    fn fix(&mut self, articles: &mut [Article]) {
        for a in articles {
            if self.0.contains(&a.id) {
                let mut k = 2;
                let mut id = format!("{}-{k}", a.id);
                while self.0.contains(&id) {
                    k += 1;
                    id = format!("{}-{k}", a.id);
                }
                a.id = id;
            }
            self.0.insert(a.id.clone());
        }
    }
}

/// Whether a file is read by streaming: a large one holding JSON.
fn streams(path: &Path) -> bool {
    if std::fs::metadata(path).map_or(true, |m| m.len() < STREAM_MIN_BYTES) {
        return false;
    }
    let ext = super::ext_of(path).unwrap_or_default();
    if matches!(ext.as_str(), "json" | "jsonl" | "ndjson") {
        return true;
    }
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&head[..n]);
    matches!(
        text.trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next(),
        Some('[' | '{')
    )
}

/// One batch of a streamed file, imported on a worker thread.
fn import_objects(
    file: &str,
    objects: &[Object<'_>],
    k: &Knowledge,
    opts: &Options,
) -> (Vec<Article>, Report) {
    let mut report = Report::default();
    let mut items = Vec::with_capacity(objects.len());
    for o in objects {
        let position = format!("line {}", o.line);
        match serde_json::from_slice::<serde_json::Value>(o.bytes) {
            Ok(v) => match json::item(&v, position) {
                Ok(it) => items.push(it),
                Err(e) => {
                    report.warnings.push(format!("{file}: {e}"));
                    report.refused += 1;
                }
            },
            Err(e) => {
                let mut why = e.to_string();
                if let Some(p) = why.rfind(" at line ") {
                    why.truncate(p);
                }
                report.warnings.push(format!(
                    "{file}: line {}, column {}: invalid JSON: {why}",
                    o.line, o.col
                ));
                report.refused += 1;
            }
        }
    }
    let (articles, _) = finish(file, items, false, k, opts.explain, &mut report);
    (articles, report)
}

/// Import `paths`, handing the articles to `each` in order, a few thousand at a time;
/// returns the report (its `articles` counts them all). `each` failing stops the import
/// with its error. With a curation file (which edits articles by id across the whole run)
/// everything is imported first, as `import_paths` does.
pub fn import_batched<E>(
    paths: &[std::path::PathBuf],
    opts: &Options,
    progress: &Progress,
    each: &mut dyn FnMut(Vec<Article>) -> Result<(), E>,
) -> Result<Result<Report, E>, ImportError> {
    if opts.curation.is_some() {
        let (articles, report) = super::import_paths(paths, opts)?;
        return Ok(each(articles).map(|()| report));
    }
    let knowledge = match &opts.taxonomy {
        Some(p) => Knowledge::with_taxonomy_file(p)?,
        None => Knowledge::builtin()?,
    };
    let mut report = Report::default();
    let files = expand_paths(paths, &mut report);
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .collect();
    progress
        .total
        .store(sizes.iter().sum(), std::sync::atomic::Ordering::Relaxed);
    let mut ids = Ids::default();
    let mut pending: Vec<Article> = Vec::new();
    let mut pending_bytes = 0usize;
    let mut count = 0usize;
    let mut failed: Option<E> = None;
    let mut before = 0u64;
    for (f, size) in files.iter().zip(&sizes) {
        report.files += 1;
        let mut take = |mut got: Vec<Article>, part: Report, report: &mut Report| -> bool {
            report.absorb(part);
            ids.fix(&mut got);
            count += got.len();
            pending_bytes += got
                .iter()
                .map(|a| a.body.len() + a.title.len())
                .sum::<usize>();
            pending.extend(got);
            if pending.len() >= HAND_OVER || pending_bytes >= HAND_OVER_BYTES {
                pending_bytes = 0;
                if let Err(e) = each(std::mem::take(&mut pending)) {
                    failed = Some(e);
                    return false;
                }
            }
            true
        };
        if streams(f) {
            let name = f.display().to_string();
            let read = AtomicU64::new(0);
            let k = &knowledge;
            let mut stopped = false;
            // Progress in bytes, while the file is read.
            let watching = std::sync::atomic::AtomicBool::new(true);
            let done = std::thread::scope(|s| {
                let w = &watching;
                let r = &read;
                s.spawn(move || {
                    while w.load(std::sync::atomic::Ordering::Relaxed) {
                        progress.done.store(
                            before + r.load(std::sync::atomic::Ordering::Relaxed),
                            std::sync::atomic::Ordering::Relaxed,
                        );
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                });
                let out = stream_batches(
                    f,
                    &read,
                    &|file, objects| import_objects(file, objects, k, opts),
                    &mut |(got, part)| {
                        if take(got, part, &mut report) {
                            Ok(())
                        } else {
                            stopped = true;
                            Err(crate::corpus::LoadError {
                                file: name.clone(),
                                line: 0,
                                column: 0,
                                message: "stopped".into(),
                            })
                        }
                    },
                );
                watching.store(false, std::sync::atomic::Ordering::Relaxed);
                out
            });
            if stopped {
                break;
            }
            if let Err(e) = done {
                // What came before the problem is in; the rest of the file is not.
                report.warnings.push(format!(
                    "{e}; the articles before it were added, the rest of the file was not"
                ));
                report.refused += 1;
            }
        } else {
            let one = super::import_caught(f, &knowledge, opts);
            let ok = match one {
                Ok((got, part)) => take(got, part, &mut report),
                Err(p) => {
                    report.warnings.push(format!(
                        "{}: could not be read ({p}); nothing of it was imported",
                        f.display()
                    ));
                    report.refused += 1;
                    true
                }
            };
            if !ok {
                break;
            }
        }
        before += size;
        progress
            .done
            .store(before, std::sync::atomic::Ordering::Relaxed);
    }
    if let Some(e) = failed {
        return Ok(Err(e));
    }
    if !pending.is_empty() {
        if let Err(e) = each(pending) {
            return Ok(Err(e));
        }
    }
    report.articles = count;
    Ok(Ok(report))
}
