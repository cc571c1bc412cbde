//! Loading large corpus files without holding the whole file: the file is read in 8 MB
//! chunks, a byte scanner on the calling thread finds each article object (tracking strings
//! and depth, skipping string bodies with memchr) and hands batches of them to up to four
//! threads that parse them while the next chunk is read. Errors name the
//! file, line and column; progress is reported in bytes.

use super::load::{convert, finish_ids, LoadError, RawArticle};
use super::Article;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

/// Files at least this large are loaded by streaming.
pub const STREAM_MIN_BYTES: u64 = 32 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// One article object per line.
    Lines,
    /// `[ {...}, ... ]`
    Array,
    /// `{"version": 1, "articles": [ ... ]}`
    Doc,
}

/// Articles one loader thread parsed: (position, article, whether its id was given).
type Parsed = Result<Vec<(usize, Article, bool)>, LoadError>;

/// Where one article starts in the file and where its bytes are in its batch.
struct Item {
    seq: usize,
    line: usize,
    col: usize,
    start: usize,
    end: usize,
}

/// Many articles' bytes in one buffer. Batches go back to the scanner once parsed, so reading
/// hundreds of megabytes reuses a few buffers instead of allocating (and the kernel zeroing)
/// a fresh one per article.
#[derive(Default)]
struct Batch {
    buf: Vec<u8>,
    items: Vec<Item>,
}

/// Send a batch once it holds this many bytes.
const BATCH_BYTES: usize = 1 << 20;

struct Scanner {
    mode: Mode,
    depth: u32,
    in_string: bool,
    escape: bool,
    line: usize,
    col: usize,
    /// Depth at which article objects open.
    article_depth: u32,
    in_articles: bool,
    /// Whether the document's `articles` list was found.
    saw_articles: bool,
    /// The last string seen at depth 1 (for the document's keys).
    key: Vec<u8>,
    capturing_key: bool,
    last_key_done: Vec<u8>,
    version: Vec<u8>,
    capturing_version: bool,
    /// The article being read: its line, column and start in `batch.buf`.
    current: Option<(usize, usize, usize)>,
    batch: Batch,
    seq: usize,
}

fn err(file: &str, line: usize, column: usize, message: impl Into<String>) -> LoadError {
    LoadError {
        file: file.to_string(),
        line,
        column,
        message: message.into(),
    }
}

impl Scanner {
    fn new(mode: Mode) -> Scanner {
        Scanner {
            mode,
            depth: 0,
            in_string: false,
            escape: false,
            line: 1,
            col: 1,
            article_depth: match mode {
                Mode::Lines => 0,
                Mode::Array => 1,
                Mode::Doc => 2,
            },
            in_articles: mode != Mode::Doc,
            saw_articles: false,
            key: Vec::new(),
            capturing_key: false,
            last_key_done: Vec::new(),
            version: Vec::new(),
            capturing_version: false,
            current: None,
            batch: Batch::default(),
            seq: 0,
        }
    }

    /// Scan a chunk; complete articles are sent on `out`. On a problem, the complete articles
    /// before it are still sent to be parsed, so an earlier error among them is the one
    /// reported.
    fn feed(
        &mut self,
        file: &str,
        chunk: &[u8],
        out: &mpsc::SyncSender<Batch>,
        pool: &mpsc::Receiver<Batch>,
    ) -> Result<(), LoadError> {
        let r = self.scan(file, chunk, out, pool);
        if r.is_err() {
            self.flush(out, pool);
        }
        r
    }

    fn scan(
        &mut self,
        file: &str,
        chunk: &[u8],
        out: &mpsc::SyncSender<Batch>,
        pool: &mpsc::Receiver<Batch>,
    ) -> Result<(), LoadError> {
        let mut i = 0;
        while i < chunk.len() {
            if self.in_string {
                // Jump to the next quote or backslash.
                if !self.escape {
                    if let Some(k) = memchr::memchr2(b'"', b'\\', &chunk[i..]) {
                        self.advance(&chunk[i..i + k]);
                        if self.current.is_some() {
                            self.batch.buf.extend_from_slice(&chunk[i..i + k]);
                        }
                        if self.capturing_key {
                            self.key.extend_from_slice(&chunk[i..i + k]);
                        }
                        i += k;
                    } else {
                        self.advance(&chunk[i..]);
                        if self.current.is_some() {
                            self.batch.buf.extend_from_slice(&chunk[i..]);
                        }
                        if self.capturing_key {
                            self.key.extend_from_slice(&chunk[i..]);
                        }
                        return Ok(());
                    }
                }
                let b = chunk[i];
                if self.escape {
                    self.escape = false;
                } else if b == b'\\' {
                    self.escape = true;
                } else if b == b'"' {
                    self.in_string = false;
                    if self.capturing_key {
                        self.capturing_key = false;
                        self.last_key_done = std::mem::take(&mut self.key);
                    }
                }
                if self.current.is_some() {
                    self.batch.buf.push(b);
                }
                self.step(b);
                i += 1;
                continue;
            }
            let b = chunk[i];
            let (line, col) = (self.line, self.col);
            match b {
                b'"' => {
                    self.in_string = true;
                    if self.mode == Mode::Doc && self.depth == 1 && self.current.is_none() {
                        self.capturing_key = true;
                        self.key.clear();
                    }
                }
                b'{' | b'[' => {
                    if b == b'{'
                        && self.depth == self.article_depth
                        && self.in_articles
                        && self.current.is_none()
                    {
                        self.current = Some((line, col, self.batch.buf.len()));
                    } else if self.depth == self.article_depth
                        && self.in_articles
                        && self.current.is_none()
                    {
                        return Err(err(
                            file,
                            line,
                            col,
                            format!("article {}: expected an object", self.seq + 1),
                        ));
                    }
                    if self.mode == Mode::Doc
                        && self.depth == 1
                        && b == b'['
                        && self.last_key_done == b"articles"
                    {
                        self.in_articles = true;
                        self.saw_articles = true;
                    }
                    self.capturing_version = false;
                    self.depth += 1;
                }
                b'}' | b']' => {
                    if self.depth == 0 {
                        return Err(err(
                            file,
                            line,
                            col,
                            format!("invalid JSON: unexpected '{}'", b as char),
                        ));
                    }
                    self.depth -= 1;
                    self.capturing_version = false;
                    if self.mode == Mode::Doc && self.depth == 1 && b == b']' && self.in_articles {
                        self.in_articles = false;
                        self.last_key_done.clear();
                    }
                }
                b':' if self.mode == Mode::Doc && self.depth == 1 && self.current.is_none() => {
                    if self.last_key_done == b"version" {
                        self.capturing_version = true;
                        self.version.clear();
                    }
                }
                b',' => self.capturing_version = false,
                _ => {
                    if self.capturing_version && !b.is_ascii_whitespace() {
                        self.version.push(b);
                    }
                    if self.current.is_none()
                        && !b.is_ascii_whitespace()
                        && self.depth <= self.article_depth
                        && self.in_articles
                        && self.mode != Mode::Doc
                    {
                        return Err(err(
                            file,
                            line,
                            col,
                            format!("invalid JSON: unexpected '{}'", b as char),
                        ));
                    }
                }
            }
            if self.current.is_some() {
                self.batch.buf.push(b);
            }
            self.step(b);
            if (b == b'}') && self.depth == self.article_depth && self.current.is_some() {
                if let Some((l, c, start)) = self.current.take() {
                    self.batch.items.push(Item {
                        seq: self.seq,
                        line: l,
                        col: c,
                        start,
                        end: self.batch.buf.len(),
                    });
                    self.seq += 1;
                    if self.batch.buf.len() >= BATCH_BYTES && !self.flush(out, pool) {
                        return Ok(());
                    }
                }
            }
            i += 1;
        }
        Ok(())
    }

    /// Send the batch of complete articles and take an empty one (a returned one when there
    /// is one). False when the parsers have gone.
    fn flush(&mut self, out: &mpsc::SyncSender<Batch>, pool: &mpsc::Receiver<Batch>) -> bool {
        let mut next = pool.try_recv().unwrap_or_else(|_| Batch {
            buf: Vec::with_capacity(BATCH_BYTES + 64 * 1024),
            items: Vec::with_capacity(256),
        });
        next.buf.clear();
        next.items.clear();
        let full = std::mem::replace(&mut self.batch, next);
        full.items.is_empty() || out.send(full).is_ok()
    }

    /// Columns here count bytes (a scan of hundreds of megabytes cannot afford more).
    fn step(&mut self, b: u8) {
        if b == b'\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
    }

    fn advance(&mut self, bytes: &[u8]) {
        match memchr::memrchr(b'\n', bytes) {
            None => self.col += bytes.len(),
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', bytes).count();
                self.col = bytes.len() - last;
            }
        }
    }
}

/// Decide the layout from the file's start.
fn detect(file: &str, head: &[u8]) -> Result<Mode, LoadError> {
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    match t.as_bytes().first() {
        Some(b'[') => Ok(Mode::Array),
        Some(b'{') => Ok(if super::load::looks_like_lines(t) {
            Mode::Lines
        } else {
            Mode::Doc
        }),
        None => Err(err(file, 1, 1, "the corpus file is empty")),
        Some(_) => Err(err(file, 1, 1, super::load::not_a_corpus(head))),
    }
}

/// One object (an article) found in a file: its place in the file and its bytes.
pub struct Object<'a> {
    /// Its number among the file's articles, from 0.
    pub seq: usize,
    pub line: usize,
    pub col: usize,
    pub bytes: &'a [u8],
}

/// Read a large JSON or JSON Lines file's article objects without holding the file: a
/// scanner thread finds them, worker threads turn each batch of them into a `T` with `work`,
/// and `sink` receives the `T`s here, in the file's order, as they are ready (so memory
/// holds a few batches, however large the file). `progress` receives the bytes read. An
/// error from `sink` stops the reading and is returned.
pub fn stream_batches<T: Send>(
    path: &Path,
    progress: &AtomicU64,
    work: &(dyn Fn(&str, &[Object<'_>]) -> T + Sync),
    sink: &mut dyn FnMut(T) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    let file = path.display().to_string();
    let mut f = std::fs::File::open(path)
        .map_err(|e| err(&file, 0, 0, format!("cannot read the corpus: {e}")))?;
    const CHUNK: usize = 8 * 1024 * 1024;
    let mut chunk = vec![0u8; CHUNK];
    let n = read_full(&mut f, &mut chunk)
        .map_err(|e| err(&file, 0, 0, format!("cannot read the corpus: {e}")))?;
    let mode = detect(&file, &chunk[..n])?;
    let (tx, rx) = mpsc::sync_channel::<Batch>(4);
    let (back_tx, back_rx) = mpsc::channel::<Batch>();
    // Room for the workers to go on while the sink is busy with a few thousand articles.
    let (res_tx, res_rx) = mpsc::sync_channel::<(usize, usize, T)>(32);
    let rx = std::sync::Mutex::new(rx);
    let stop = std::sync::atomic::AtomicBool::new(false);
    let workers = std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .clamp(1, 4);
    let mut sink_error = None;
    let scan_result = std::thread::scope(|s| {
        for _ in 0..workers {
            let rx = &rx;
            let file = &file;
            let back = back_tx.clone();
            let res = res_tx.clone();
            s.spawn(move || loop {
                let batch = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => break,
                };
                let Ok(batch) = batch else { break };
                let objects: Vec<Object<'_>> = batch
                    .items
                    .iter()
                    .map(|p| Object {
                        seq: p.seq,
                        line: p.line,
                        col: p.col,
                        bytes: &batch.buf[p.start..p.end],
                    })
                    .collect();
                let first = objects.first().map_or(0, |o| o.seq);
                let count = objects.len();
                let t = work(file, &objects);
                drop(objects);
                if res.send((first, count, t)).is_err() {
                    break;
                }
                // The scanner may have finished; then the batch is simply dropped.
                let _ = back.send(batch);
            });
        }
        drop(back_tx);
        drop(res_tx);
        let stop = &stop;
        let file = &file;
        let scanner = s.spawn(move || -> Result<(), LoadError> {
            let mut scanner = Scanner::new(mode);
            let mut len = n;
            let mut total = 0u64;
            loop {
                total += len as u64;
                progress.store(total, Ordering::Relaxed);
                scanner.feed(file, &chunk[..len], &tx, &back_rx)?;
                if len < chunk.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                match read_full(&mut f, &mut chunk) {
                    Ok(0) => break,
                    Ok(k) => len = k,
                    Err(e) => return Err(err(file, 0, 0, format!("cannot read the corpus: {e}"))),
                }
            }
            if stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            scanner.flush(&tx, &back_rx);
            if scanner.depth != 0 || scanner.in_string {
                return Err(err(
                    file,
                    scanner.line,
                    scanner.col,
                    "invalid JSON: the file ends inside an unfinished value",
                ));
            }
            if mode == Mode::Doc && !scanner.saw_articles {
                return Err(err(
                    file,
                    1,
                    1,
                    "not a corpus: the object has no \"articles\" list (expected {\"version\": 1, \"articles\": [...]})",
                ));
            }
            if mode == Mode::Doc {
                let v = String::from_utf8_lossy(&scanner.version).trim().to_string();
                if !v.is_empty() && v != "1" {
                    return Err(err(
                        file,
                        1,
                        1,
                        format!("unsupported corpus version {v} (this folio reads version 1)"),
                    ));
                }
            }
            Ok(())
        });
        // Results in the file's order, as they come.
        let mut waiting: std::collections::BTreeMap<usize, (usize, T)> =
            std::collections::BTreeMap::new();
        let mut next = 0usize;
        for (first, count, t) in res_rx {
            if sink_error.is_some() {
                continue;
            }
            waiting.insert(first, (count, t));
            while let Some((count, t)) = waiting.remove(&next) {
                next += count;
                if let Err(e) = sink(t) {
                    stop.store(true, Ordering::Relaxed);
                    sink_error = Some(e);
                    break;
                }
            }
        }
        scanner
            .join()
            .unwrap_or_else(|_| Err(err(file, 0, 0, "the reading thread failed")))
    });
    match sink_error {
        Some(e) => Err(e),
        None => scan_result,
    }
}

/// Parse a batch of a corpus file's article objects (on a worker thread).
fn parse_objects(file: &str, objects: &[Object<'_>]) -> Parsed {
    objects
        .iter()
        .map(|o| parse_item(file, o))
        .collect::<Result<Vec<_>, _>>()
}

/// Read a corpus file's articles by streaming, handing them to `sink` a batch at a time in
/// the file's order (articles without an id get one from their batch). An error from
/// `sink` stops the reading and is returned.
pub fn stream_articles(
    path: &Path,
    progress: &AtomicU64,
    sink: &mut dyn FnMut(Vec<Article>) -> Result<(), LoadError>,
) -> Result<(), LoadError> {
    let file = path.display().to_string();
    stream_batches(path, progress, &parse_objects, &mut |batch: Parsed| {
        let batch = batch?;
        let explicit: Vec<bool> = batch.iter().map(|p| p.2).collect();
        let mut articles: Vec<Article> = batch.into_iter().map(|p| p.1).collect();
        if let Err((i, _)) = finish_ids(&mut articles, &explicit) {
            return Err(err(
                &file,
                0,
                0,
                format!("the id \"{}\" is used twice", articles[i].id),
            ));
        }
        sink(articles)
    })
}

/// Load a corpus file by streaming; `progress` receives the bytes read so far.
pub fn load_streaming(path: &Path, progress: &AtomicU64) -> Result<Vec<Article>, LoadError> {
    let file = path.display().to_string();
    let mut parsed: Vec<(usize, Article, bool)> = Vec::new();
    stream_batches(path, progress, &parse_objects, &mut |batch: Parsed| {
        parsed.extend(batch?);
        Ok(())
    })?;
    let explicit: Vec<bool> = parsed.iter().map(|p| p.2).collect();
    let mut articles: Vec<Article> = parsed.into_iter().map(|p| p.1).collect();
    if let Err((i, j)) = finish_ids(&mut articles, &explicit) {
        return Err(err(
            &file,
            0,
            0,
            format!(
                "article {} has the id \"{}\", already used by article {}",
                i + 1,
                articles[i].id,
                j + 1
            ),
        ));
    }
    Ok(articles)
}

/// Parse one article's bytes; errors point into the file.
fn parse_item(file: &str, p: &Object<'_>) -> Result<(usize, Article, bool), LoadError> {
    let pos = p.seq + 1;
    let raw: RawArticle = serde_json::from_slice(p.bytes).map_err(|e| {
        let (line, col) = if e.line() <= 1 {
            (p.line, p.col + e.column().saturating_sub(1))
        } else {
            (p.line + e.line() - 1, e.column())
        };
        let mut m = e.to_string();
        if let Some(k) = m.rfind(" at line ") {
            m.truncate(k);
        }
        err(file, line, col, format!("article {pos}: invalid JSON: {m}"))
    })?;
    let (a, explicit) = convert(raw, pos).map_err(|m| err(file, p.line, p.col, m))?;
    Ok((p.seq, a, explicit))
}

fn read_full(f: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(
        text: &str,
    ) -> (
        Result<Vec<Article>, LoadError>,
        Result<Vec<Article>, LoadError>,
    ) {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("c.json");
        std::fs::write(&p, text).expect("write");
        let whole = super::super::load::load_path(&p);
        let streamed = load_streaming(&p, &AtomicU64::new(0));
        (whole, streamed)
    }

    #[test]
    fn streaming_agrees_with_the_whole_file_loader() {
        for text in [
            r#"{"version": 1, "articles": [{"title": "A {x}", "body": "b \" ] }"}, {"id": "k", "title": "B", "body": ["p1", "p2"], "date": "2023-06"}]}"#,
            "[{\"title\": \"A\", \"body\": \"b\"},\n {\"title\": \"中文\", \"body\": \"正文\"}]",
            "{\"title\": \"A\", \"body\": \"b\"}\n{\"title\": \"B\", \"body\": \"c\"}\n",
            r#"{"articles": [{"title": "A", "body": "b"}], "version": 1}"#,
        ] {
            let (a, b) = both(text);
            assert_eq!(a.expect("whole"), b.expect("streaming"), "{text}");
        }
    }

    #[test]
    fn streaming_errors_name_line_and_column() {
        let (_, b) = both("{\"version\": 1, \"articles\": [\n{\"title\": \"a\", \"body\": \"b\"},\n{\"title\": \"c\" \"body\": 1}\n]}");
        let e = b.expect_err("refused");
        assert_eq!(e.line, 3, "{e}");
        let (_, b) = both("[{\"title\": \"a\", \"body\": \"b\"}");
        assert!(b.is_err());
        let (_, b) = both(r#"{"version": 3, "articles": []}"#);
        assert!(b.expect_err("version").message.contains("version 3"));
        let (_, b) = both(r#"[{"title": "a"}]"#);
        assert!(b.expect_err("no body").message.contains("no body"));
    }

    #[test]
    fn many_batches_keep_order_and_the_first_problem_wins() {
        let body = "word ".repeat(200);
        let mut lines: Vec<String> = (0..6000)
            .map(|i| format!("{{\"title\": \"t{i}\", \"body\": \"{body}\"}}"))
            .collect();
        let (a, b) = both(&lines.join("\n"));
        let (a, b) = (a.expect("whole"), b.expect("streaming"));
        assert_eq!(b.len(), 6000);
        assert_eq!(a, b);
        // Problems in many batches: the earliest is reported and loading does not hang.
        for i in (2500..6000).step_by(50) {
            lines[i] = format!("{{\"title\": \"t{i}\"}}");
        }
        let (_, b) = both(&lines.join("\n"));
        let e = b.expect_err("refused");
        assert_eq!(e.line, 2501, "{e}");
        assert!(e.message.contains("article 2501"), "{e}");
    }
}
