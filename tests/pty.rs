//! The real binary in a pseudo-terminal, read back through a vt100 screen parser: what a
//! person at a terminal would see and get back.

mod common;

use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    /// The session's own home, data, state and config folders, removed when it ends.
    _home: tempfile::TempDir,
    /// Bytes of output read so far (to tell when the screen has settled).
    seen: Arc<std::sync::atomic::AtomicUsize>,
}

impl Drop for Session {
    fn drop(&mut self) {
        // Never leave a folio running behind a test that failed.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
        .display()
        .to_string()
}

impl Session {
    fn start(args: &[&str], cols: u16, rows: u16) -> Session {
        Session::start_env(args, cols, rows, &[])
    }

    fn start_env(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_folio"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("FOLIO_TODAY", "2026-01-15");
        // Whoever runs the tests may be inside tmux: folio must not reach their tmux server
        // (its paste buffers) from here.
        cmd.env_remove("TMUX");
        cmd.env_remove("TMUX_PANE");
        let home = tempfile::Builder::new()
            .prefix("folio-pty-")
            .tempdir()
            .expect("a folder for the session");
        let tmp = home.path();
        cmd.env("HOME", tmp);
        cmd.env("XDG_DATA_HOME", tmp.join("data"));
        cmd.env("XDG_STATE_HOME", tmp.join("state"));
        cmd.env("XDG_CONFIG_HOME", tmp.join("config"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn folio");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let (p, r, count) = (Arc::clone(&parser), Arc::clone(&raw), Arc::clone(&seen));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let mut p = p.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                        // vt100 0.15 can panic on output drawn for a larger size just
                        // before a resize: start the emulated screen afresh at its size
                        // then (the next frame redraws it whole).
                        let bytes = &buf[..n];
                        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            p.process(bytes);
                        }));
                        if ok.is_err() {
                            let (rows, cols) = p.screen().size();
                            *p = vt100::Parser::new(rows, cols, 0);
                        }
                        drop(p);
                        if let Ok(mut r) = r.lock() {
                            r.extend_from_slice(&buf[..n]);
                        }
                        count.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
                    }
                }
            }
        });
        Session {
            parser,
            raw,
            writer,
            child,
            master: pair.master,
            _home: home,
            seen,
        }
    }

    /// Wait until folio has drawn nothing new for a while: the screen is stable.
    fn settle(&self) {
        let quiet = Duration::from_millis(120);
        let start = Instant::now();
        let mut last = self.seen.load(std::sync::atomic::Ordering::SeqCst);
        let mut since = Instant::now();
        while start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(15));
            let now = self.seen.load(std::sync::atomic::Ordering::SeqCst);
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= quiet {
                return;
            }
        }
    }

    fn screen(&self) -> String {
        self.parser
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .screen()
            .contents()
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw").clone()
    }

    fn wait_for(&self, what: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.screen().contains(what) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("{what:?} never appeared; screen:\n{}", self.screen());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush");
        self.settle();
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Let the reader thread drain the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!("folio did not exit; screen:\n{}", self.screen());
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn restored(raw: &[u8]) -> bool {
    let enter = raw
        .windows(8)
        .rposition(|w| w == b"\x1b[?1049h")
        .unwrap_or(0);
    let tail = &raw[enter..];
    contains(tail, b"\x1b[?1049l") && contains(tail, b"\x1b[?25h")
}

#[test]
fn opens_an_article_reads_its_text_and_quits_cleanly() {
    let corpus = data("tricky.json");
    let mut s = Session::start(&["--corpus", &corpus], 80, 24);
    s.wait_for("比亚迪发布新款电动汽车");
    s.wait_for("tricky.json · 6/6");
    s.send("\r");
    s.wait_for("续航里程超过700公里");
    s.wait_for("Last paragraph: the end of the CJK article.");
    s.send("\x1b");
    s.wait_for("Enter open");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(restored(&s.raw()), "terminal restored after q");
    assert!(!s
        .parser
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .screen()
        .alternate_screen());
}

#[test]
fn the_embedded_corpus_opens_by_default_and_end_reaches_the_last_paragraph() {
    let mut s = Session::start(&[], 80, 24);
    s.wait_for("Japan plans separate tax");
    s.send("\r");
    s.wait_for("Financial Services Agency");
    s.send("\x1b[F"); // End
    s.wait_for("generate consistent returns");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn escape_sequences_in_articles_do_nothing_to_the_terminal() {
    let corpus = data("tricky.json");
    let mut s = Session::start(&["--corpus", &corpus], 100, 30);
    s.wait_for("Terminal red title");
    s.send("jj");
    s.send("\r");
    s.wait_for("Before clear after clear");
    s.wait_for("Final line of the escape article.");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let raw = s.raw();
    assert!(
        !contains(&raw, b"PWNED"),
        "OSC title payload reached the terminal"
    );
    assert!(!contains(&raw, b"\x07"), "BEL reached the terminal");
    assert!(
        !contains(&raw, b"\x1b]0;"),
        "an OSC title sequence reached the terminal"
    );
}

#[test]
fn resizes_down_to_one_cell_and_back_are_survived() {
    let corpus = data("tricky.json");
    let mut s = Session::start(&["--corpus", &corpus], 80, 24);
    s.wait_for("比亚迪");
    for (c, r) in [(40, 12), (20, 6), (1, 1), (3, 2), (80, 24)] {
        s.master
            .resize(PtySize {
                rows: r,
                cols: c,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
        s.parser
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .set_size(r, c);
        s.settle();
    }
    s.send("?");
    s.wait_for("show or hide this help");
    s.send("q");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn signals_restore_the_terminal() {
    let corpus = data("tricky.json");
    for (name, num) in [("TERM", 15), ("INT", 2), ("HUP", 1)] {
        let mut s = Session::start(&["--corpus", &corpus], 80, 24);
        s.wait_for("比亚迪");
        let pid = s.child.process_id().expect("pid");
        let ok = std::process::Command::new("kill")
            .args([format!("-{name}"), pid.to_string()])
            .status()
            .expect("kill");
        assert!(ok.success());
        let code = s.wait_exit();
        assert_eq!(code, 128 + num, "SIG{name}");
        assert!(restored(&s.raw()), "terminal restored after SIG{name}");
    }
}

#[test]
fn a_panic_restores_the_terminal_and_writes_a_crash_report() {
    let corpus = data("tricky.json");
    let state = tempfile::tempdir().expect("tmp");
    let xdg_state = state.path().display().to_string();
    let mut s = Session::start_env(
        &["--corpus", &corpus],
        80,
        24,
        &[
            ("FOLIO_PANIC_AFTER_DRAW", "1"),
            ("XDG_STATE_HOME", xdg_state.as_str()),
        ],
    );
    let code = s.wait_exit();
    assert_eq!(code, 101);
    let raw = s.raw();
    assert!(contains(&raw, b"\x1b[?1049h"), "the screen was taken");
    assert!(restored(&raw), "terminal restored after a panic");
    let reports: Vec<_> = std::fs::read_dir(state.path().join("folio"))
        .expect("a state folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(reports.len(), 1, "{reports:?}");
    let report = std::fs::read_to_string(&reports[0]).expect("report");
    assert!(report.contains("FOLIO_PANIC_AFTER_DRAW is set") && report.contains("backtrace:"));
    // After the screen was given back: one line saying where, no backtrace.
    let restored_at = raw
        .windows(8)
        .rposition(|w| w == b"\x1b[?1049l")
        .expect("restored");
    let after = String::from_utf8_lossy(&raw[restored_at..]).into_owned();
    assert!(
        after.contains("folio crashed") && after.contains(&reports[0].display().to_string()),
        "{after}"
    );
    assert!(
        !after.contains("stack backtrace") && !after.contains("panicked at"),
        "{after}"
    );
}

#[test]
fn a_broken_corpus_is_reported_before_the_screen_is_taken() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("broken.json");
    std::fs::write(&p, "[\n{\"title\": \"a\",\n\"body\": }\n]").expect("write");
    let mut s = Session::start(&["--corpus", &p.display().to_string()], 80, 24);
    let code = s.wait_exit();
    assert_ne!(code, 0);
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(raw.contains("broken.json:3:"), "{raw}");
    assert!(!raw.contains("\x1b[?1049h"), "screen was taken");
}

#[test]
fn a_bookmark_survives_a_restart() {
    let corpus = data("tricky.json");
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().display().to_string();
    let env = [("XDG_DATA_HOME", xdg.as_str())];
    let mut s = Session::start_env(&["--corpus", &corpus], 100, 24, &env);
    s.wait_for("比亚迪");
    s.send("b");
    s.wait_for("bookmarked");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let mut s = Session::start_env(&["--corpus", &corpus], 100, 24, &env);
    s.wait_for("*•比亚迪");
    s.send("B");
    s.wait_for("1/6");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn reopening_restores_the_query_and_the_selected_article() {
    let corpus = data("tricky.json");
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().display().to_string();
    let env = [("XDG_DATA_HOME", xdg.as_str())];
    let mut s = Session::start_env(&["--corpus", &corpus], 100, 24, &env);
    s.wait_for("比亚迪");
    s.send("/crypto OR scroll OR undated\r");
    s.wait_for("Articles 3/6");
    s.send("j");
    s.settle();
    let selected = s.screen();
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let mut s = Session::start_env(&["--corpus", &corpus], 100, 24, &env);
    s.wait_for("Articles 3/6 · crypto OR scroll");
    s.settle();
    assert_eq!(
        s.screen(),
        selected,
        "the same query, the same article selected"
    );
    // Cleared, then closed: the next start is unfiltered.
    s.send("\x1b");
    s.wait_for("Articles 6");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    let mut s = Session::start_env(&["--corpus", &corpus], 100, 24, &env);
    s.wait_for("Articles 6");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    // Other corpora start afresh.
    let mut s = Session::start_env(&[], 100, 24, &env);
    s.wait_for("Articles");
    assert!(!s.screen().contains("crypto OR scroll"));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn b_reaches_the_file_before_a_kill_9() {
    let corpus = data("tricky.json");
    let dir = tempfile::tempdir().expect("tmp");
    let xdg = dir.path().display().to_string();
    let mut s = Session::start_env(
        &["--corpus", &corpus],
        100,
        24,
        &[("XDG_DATA_HOME", xdg.as_str())],
    );
    s.wait_for("比亚迪");
    s.send("b");
    s.wait_for("bookmarked");
    let pid = s.child.process_id().expect("pid");
    let ok = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(ok.success());
    let _ = s.wait_exit();
    let saved = folio::store::db::read_quiet(&dir.path().join("folio/folio.db")).expect("saved");
    assert!(saved.bookmarks.contains_key("cjk-title"), "{saved:?}");
}

#[test]
fn closing_the_terminal_ends_folio() {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("openpty");
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_folio"));
    cmd.args(["--corpus", &data("tricky.json")]);
    cmd.env("TERM", "xterm-256color");
    let dir = tempfile::tempdir().expect("tmp");
    cmd.env("XDG_DATA_HOME", dir.path());
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    // Read until the first screen is drawn, then let go of every handle on the terminal.
    let seen = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut buf = [0u8; 8192];
        while !String::from_utf8_lossy(&all).contains("tricky.json") {
            match reader.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => all.extend_from_slice(&buf[..n]),
            }
        }
        all
    })
    .join()
    .expect("reader");
    assert!(String::from_utf8_lossy(&seen).contains("tricky.json"));
    drop(pair.master);
    let start = Instant::now();
    loop {
        if child.try_wait().expect("try_wait").is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            panic!("folio kept running without a terminal");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_slow_load_shows_progress_then_the_reader() {
    let corpus = data("tricky.json");
    let env = [("FOLIO_SLOW_LOAD_MS", "1500")];
    let mut s = Session::start_env(&["--corpus", &corpus], 80, 24, &env);
    s.wait_for("Loading tricky.json");
    assert!(s.screen().contains("q or Ctrl-C stops"), "{}", s.screen());
    s.wait_for("比亚迪");
    assert!(!s.screen().contains("Loading"), "{}", s.screen());
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(restored(&s.raw()));
}

#[test]
fn q_stops_a_slow_load_and_gives_the_terminal_back() {
    let corpus = data("tricky.json");
    let env = [("FOLIO_SLOW_LOAD_MS", "20000")];
    let mut s = Session::start_env(&["--corpus", &corpus], 80, 24, &env);
    s.wait_for("Loading tricky.json");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    assert!(restored(&s.raw()));
}

#[test]
fn a_slow_load_that_fails_gives_the_terminal_back_then_says_why() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("broken.json");
    std::fs::write(&p, "[\n{\"title\": \"a\",\n\"body\": }\n]").expect("write");
    let env = [("FOLIO_SLOW_LOAD_MS", "800")];
    let mut s = Session::start_env(&["--corpus", &p.display().to_string()], 80, 24, &env);
    s.wait_for("Loading broken.json");
    assert_ne!(s.wait_exit(), 0);
    let raw = s.raw();
    assert!(restored(&raw));
    // The message comes after the screen is given back, so it stays readable.
    let left = raw
        .windows(8)
        .rposition(|w| w == b"\x1b[?1049l")
        .expect("left the screen");
    let after = String::from_utf8_lossy(&raw[left..]).into_owned();
    assert!(after.contains("broken.json:3:"), "{after}");
}

/// A config file in a fresh folder; returns (the folder, the env that points folio at it).
fn config_dir(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("folio")).expect("mkdir");
    std::fs::write(dir.path().join("folio/config.toml"), text).expect("config");
    let s = dir.path().display().to_string();
    (dir, s)
}

#[test]
fn a_configured_view_key_and_quit_key_work_in_the_real_terminal() {
    let corpus = data("tricky.json");
    let (_dir, cfg) = config_dir(
        "[theme]\npreset = \"mono\"\n[keys.global]\n\"Q\" = \"quit\"\n[[view]]\nname = \"Crypto in 2024\"\nquery = \"sector:crypto date:2024\"\nkey = \"f5\"\n",
    );
    let mut s = Session::start_env(
        &["--corpus", &corpus],
        120,
        40,
        &[("XDG_CONFIG_HOME", cfg.as_str())],
    );
    s.wait_for("Articles 6/6");
    s.send("\x1b[15~"); // F5
    s.wait_for("Articles 1/6 · view: Crypto in 2024");
    assert!(s.screen().contains("Crypto rally"));
    s.send("Q");
    assert_eq!(s.wait_exit(), 0);
    // Mono: not one colour code was written (SGR 30-49 and 90-107, the default-colour
    // codes 39 and 49 included, and underline colours 58/59).
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    for sgr in raw.split("\x1b[").skip(1) {
        let Some(end) = sgr.find('m') else { continue };
        let params = &sgr[..end];
        if !params.chars().all(|c| c.is_ascii_digit() || c == ';') {
            continue;
        }
        for p in params.split(';').filter(|p| !p.is_empty()) {
            let n: u32 = p.parse().unwrap_or(0);
            assert!(
                !((30..=49).contains(&n) || n == 58 || n == 59 || (90..=107).contains(&n)),
                "a colour was drawn: ESC[{params}m"
            );
        }
    }
}

#[test]
fn a_broken_config_still_opens_the_reader_and_says_why() {
    let corpus = data("tricky.json");
    let (_dir, cfg) =
        config_dir("[layout]\nlist_width = 50\n\n[keys.global]\n\"x\" = \"explode\"\n");
    let mut s = Session::start_env(
        &["--corpus", &corpus],
        120,
        30,
        &[("XDG_CONFIG_HOME", cfg.as_str())],
    );
    s.wait_for("Articles 6/6");
    s.wait_for("config.toml:5:7: unknown action \"explode\"");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

/// A script that records its argument, as `$BROWSER`.
fn recording_browser(dir: &Path) -> (String, std::path::PathBuf) {
    let log = dir.join("opened.txt");
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\necho \"$1\" >> {}\necho noise on stdout\necho noise on stderr >&2\n",
            log.display()
        ),
    )
    .expect("script");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    (script.display().to_string(), log)
}

#[test]
fn o_opens_the_link_with_browser_and_y_copies_it_with_osc_52() {
    let corpus = data("tricky.json");
    let dir = tempfile::tempdir().expect("tmp");
    let (browser, log) = recording_browser(dir.path());
    let mut s = Session::start_env(
        &["--corpus", &corpus],
        120,
        30,
        &[("BROWSER", browser.as_str())],
    );
    s.wait_for("比亚迪");
    s.wait_for("https://example.com/byd");
    // The header's link is a hyperlink (OSC 8) for terminals that know them.
    assert!(
        contains(&s.raw(), b"\x1b]8;;https://example.com/byd\x1b\\"),
        "no OSC 8 hyperlink"
    );
    s.send("o");
    s.wait_for("opening https://example.com/byd");
    let start = Instant::now();
    while !std::fs::read_to_string(&log).is_ok_and(|l| l.ends_with('\n'))
        && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        std::fs::read_to_string(&log).expect("the browser ran"),
        "https://example.com/byd\n"
    );
    assert!(
        !s.screen().contains("noise"),
        "the browser never writes on the screen"
    );
    s.send("y");
    s.wait_for("copied the link");
    // OSC 52 with the link in base64.
    assert!(contains(
        &s.raw(),
        b"\x1b]52;c;aHR0cHM6Ly9leGFtcGxlLmNvbS9ieWQ=\x07"
    ));
    s.send("Y");
    s.wait_for("as Markdown");
    // An article without a link says so.
    s.send("j");
    s.send("o");
    s.wait_for("no link");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn an_article_appended_to_an_open_corpus_appears_and_a_half_line_is_no_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("live.jsonl");
    std::fs::write(
        &file,
        "{\"id\": \"one\", \"title\": \"First story\", \"body\": \"Text.\", \"date\": \"2024-01-01\"}\n",
    )
    .expect("write");
    let path = file.display().to_string();
    let mut s = Session::start(&["--corpus", &path], 100, 24);
    s.wait_for("Articles 1/1");
    s.send("/first");
    s.send("\r");
    // Half a line, as a writer caught mid-write leaves it: no error, the corpus stays.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&file)
        .expect("open");
    f.write_all(b"{\"id\": \"two\", \"title\": \"Second story\", \"bo")
        .expect("append");
    f.flush().expect("flush");
    // Long enough for folio to look at the file (once a second) and find it cut.
    std::thread::sleep(Duration::from_millis(1500));
    assert!(s.screen().contains("Articles 1/1"));
    f.write_all(b"dy\": \"More.\", \"date\": \"2024-02-01\"}\n")
        .expect("finish");
    f.flush().expect("flush");
    s.wait_for("1 new article");
    // The query stays: "first" still finds only the first story, of two now.
    s.wait_for("Articles 1/2");
    s.send("\x1b");
    s.wait_for("Articles 2/2");
    assert!(s.screen().contains("Second story"));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
    // Nothing of the half line was ever shown as an error, on any frame.
    let all = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(!all.contains("cannot reload"), "an error was shown");
}

#[test]
fn a_corpus_that_stays_broken_is_reported_once_and_the_old_one_kept() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("live.json");
    std::fs::write(
        &file,
        "[{\"id\": \"one\", \"title\": \"First story\", \"body\": \"Text.\"}]",
    )
    .expect("write");
    let path = file.display().to_string();
    let mut s = Session::start(&["--corpus", &path], 100, 24);
    s.wait_for("Articles 1/1");
    std::fs::write(&file, "[{\"id\": \"one\", \"title\": \"First story\", \"bo").expect("cut");
    s.wait_for("cannot reload");
    assert!(s.screen().contains("First story"));
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn r_syncs_in_the_background_and_the_new_article_appears() {
    use common::server::{rss, Reply, Server};
    let items = std::sync::Arc::new(Mutex::new(vec![(
        "g1".to_string(),
        "First subscribed story".to_string(),
    )]));
    let served = std::sync::Arc::clone(&items);
    let server = Server::start(move |_| {
        let list = served.lock().expect("items").clone();
        let refs: Vec<(&str, &str, &str)> = list
            .iter()
            .map(|(g, t)| (g.as_str(), t.as_str(), "Body of the story."))
            .collect();
        Reply::ok(rss("Wire Service", &refs), "application/rss+xml")
            .delay(Duration::from_millis(300))
    });
    let home = tempfile::tempdir().expect("tmp");
    let data = home.path().join("data").display().to_string();
    let config = home.path().join("config").display().to_string();
    let env = [
        ("XDG_DATA_HOME", data.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
    ];
    let add = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["feeds", "add", &server.url(0, "/feed.xml")])
        .envs(env)
        .output()
        .expect("feeds add");
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let mut s = Session::start_env(&[], 120, 30, &env);
    s.wait_for("First subscribed story");
    items
        .lock()
        .expect("items")
        .push(("g2".to_string(), "Second story arrives".to_string()));
    s.send("R");
    s.wait_for("syncing");
    s.wait_for("Second story arrives");
    s.wait_for("1 new article");
    // The feeds pane: the feed, its unread count, and Enter filters to it.
    s.send("F");
    s.wait_for("Wire Service");
    s.send("\r");
    s.wait_for("feed:");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn x_brings_the_full_text_of_a_truncated_item_and_x_again_the_feeds() {
    use common::server::{Reply, Server};
    let page_body: String = (1..=6)
        .map(|i| format!("<p>Full paragraph {i}: the plant in Hefei doubled its output this quarter, the company said, and hired four hundred workers.</p>"))
        .collect();
    let page = format!(
        "<html><head><title>Story</title></head><body><nav><a href=\"/\">Home</a></nav><article><h1>Battery plant doubles output</h1>{page_body}</article><footer>Subscribe to our newsletter</footer></body></html>"
    );
    let server = Server::start(move |req| {
        match req.path.as_str() {
        "/feed.xml" => Reply::ok(
            format!(
                "<rss version=\"2.0\"><channel><title>Short Wire</title><item><guid>s1</guid><title>Battery plant doubles output</title><link>http://{}/story</link><description>Only a teaser.</description></item></channel></rss>",
                req.header("host").unwrap_or("127.0.0.1")
            ),
            "application/rss+xml",
        ),
        "/story" => Reply::ok(page.clone(), "text/html; charset=utf-8"),
        _ => Reply::new(404),
    }
    });
    let home = tempfile::tempdir().expect("tmp");
    let data = home.path().join("data").display().to_string();
    let config = home.path().join("config").display().to_string();
    let env = [
        ("XDG_DATA_HOME", data.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
    ];
    let add = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["feeds", "add", &server.url(0, "/feed.xml")])
        .envs(env)
        .output()
        .expect("feeds add");
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let mut s = Session::start_env(&[], 120, 30, &env);
    s.wait_for("Only a teaser.");
    s.send("\r");
    s.send("x");
    s.wait_for("full text saved");
    s.wait_for("Full paragraph 1: the plant in Hefei");
    assert!(!s.screen().contains("newsletter"), "{}", s.screen());
    s.send("x");
    s.wait_for("showing the feed's text");
    s.wait_for("Only a teaser.");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_number_then_o_opens_that_link_of_the_article() {
    let dir = tempfile::tempdir().expect("tmp");
    let (browser, log) = recording_browser(dir.path());
    let corpus = dir.path().join("links.json");
    std::fs::write(
        &corpus,
        r#"[{"id": "l", "title": "Linked story", "date": "2024-01-01", "url": "https://e.example/story", "body": "See the report [1] and the data [2].\n\nLinks:\n[1] https://e.example/report\n[2] https://e.example/data"}]"#,
    )
    .expect("corpus");
    let mut s = Session::start_env(
        &["--corpus", &corpus.display().to_string()],
        100,
        24,
        &[("BROWSER", browser.as_str())],
    );
    s.wait_for("Linked story");
    s.send("\r");
    s.send("2");
    s.wait_for("link [2]");
    s.send("o");
    s.wait_for("opening https://e.example/data");
    let start = Instant::now();
    while !std::fs::read_to_string(&log).is_ok_and(|l| l.ends_with('\n'))
        && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        std::fs::read_to_string(&log).expect("the browser ran"),
        "https://e.example/data\n"
    );
    s.send("9o");
    s.wait_for("no link [9]");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn a_large_library_shows_its_newest_first_then_all_and_sees_another_folio_add() {
    let home = tempfile::tempdir().expect("tmp");
    let data = home.path().join("data").display().to_string();
    let config = home.path().join("config").display().to_string();
    let env = [
        ("XDG_DATA_HOME", data.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
        // More than 20 × 5 articles: the newest 5 show first.
        ("FOLIO_HEAD", "5"),
    ];
    let write = |name: &str, n: usize, seed: u64| {
        let p = home.path().join(name);
        let mut f = std::fs::File::create(&p).expect("create");
        folio::corpus::synth::write(n, seed, true, &mut f).expect("write");
        p
    };
    let first = write("first.jsonl", 300, 1);
    let add = |file: &Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
            .arg("add")
            .arg(file)
            .envs(env)
            .output()
            .expect("add");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    add(&first);
    let mut s = Session::start_env(&[], 120, 30, &env);
    s.wait_for("library open: 300 articles");
    s.wait_for("/300");
    // Another folio adds while this one is open: the new articles appear.
    let mut second = std::fs::File::create(home.path().join("second.jsonl")).expect("create");
    writeln!(
        second,
        "{{\"id\": \"late-1\", \"title\": \"Zeppelin freight returns to Hamburg\", \"date\": \"2030-01-01\", \"body\": \"Airships carry freight again.\"}}"
    )
    .expect("write");
    drop(second);
    add(&home.path().join("second.jsonl"));
    s.wait_for("Zeppelin freight returns");
    s.wait_for("/301");
    // Its body is searched (from the library, through the index or the database).
    s.send("/airships");
    s.wait_for("1/301");
    s.send("\x1b");
    // Taken out again by another folio: the library is read again whole.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["remove", "late-1"])
        .envs(env)
        .output()
        .expect("remove");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    s.wait_for("reloaded: 1 gone");
    s.wait_for("/300");
    s.send("q");
    assert_eq!(s.wait_exit(), 0);
}

#[test]
fn folio_list_on_a_terminal_fits_its_width_and_piped_keeps_whole_lines() {
    let mut s = Session::start(&["list"], 80, 24);
    assert_eq!(s.wait_exit(), 0);
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    let lines: Vec<&str> = raw.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() >= 30, "{raw}");
    for l in &lines {
        assert!(folio::text::width(l.trim_end_matches('\r')) < 80, "{l:?}");
    }
    assert!(lines
        .iter()
        .any(|l| l.trim_end_matches('\r').ends_with('…')));
    // Piped: whole titles.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_folio"))
        .arg("list")
        .env("XDG_DATA_HOME", "/nonexistent/folio-test/data")
        .env("XDG_CONFIG_HOME", "/nonexistent/folio-test/config")
        .output()
        .expect("list");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| folio::text::width(l) >= 80), "{text}");
}
