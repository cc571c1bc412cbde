use clap::Parser;
use folio::app::{App, Tone};
use folio::cli::{self, Cli};
use folio::corpus::Source;
use folio::runtime::{self, watch, Start};
use folio::store::{db::Load, paths, Store};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    runtime::crash::install_crash_report();
    let result = match &cli.command {
        Some(cmd) => cli::run_command(&cli, cmd).map(|()| 0),
        None => open_reader(&cli),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("folio: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Articles of a large library shown before the rest has loaded (the first screens).
const HEAD: usize = 500;

/// Load in a thread (a broken corpus is reported before the screen is taken, and a slow one
/// shows the loading screen), then run the reader.
fn open_reader(cli: &Cli) -> Result<u8, cli::CliError> {
    let (config, errors) = folio::config::load(cli.config.as_deref());
    let sources = cli::sources(cli, &config);
    let name = match sources.as_slice() {
        [Source::File(p)] => p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        ),
        [Source::Builtin] => "the built-in corpus".to_string(),
        [Source::Library(_)] => "your library".to_string(),
        many => format!("{} corpora", many.len()),
    };
    let total = sources.iter().map(Source::size).sum();
    // The reader opens where it was closed on these same corpora.
    let session_key = sources
        .iter()
        .map(|s| match s {
            Source::Builtin => "builtin".to_string(),
            Source::File(p) | Source::Library(p) => std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .display()
                .to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let theme = config.theme;
    let sync_settings = config.sync.clone();
    runtime::open(name, total, theme, move |progress| {
        // A debugging hook that proves the loading screen (see tests/pty.rs).
        if let Some(ms) = folio::hooks::hooks().slow_load_ms {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        // The files as they are before reading them: a change while loading is seen.
        let seen = watch::fingerprints(&sources);
        // The saved state opens beside the corpus, on the other core.
        let store = std::thread::spawn(|| match paths::db_file() {
            Some(p) => Store::open(p, Load::Everything),
            None => Store::in_memory(),
        });
        // A large library shows its newest articles at once; the rest follows.
        let head = match sources.as_slice() {
            [Source::Library(p)] => folio::store::open_library_head(
                p,
                folio::hooks::hooks().head.unwrap_or(HEAD),
                &progress.bytes,
            ),
            _ => None,
        };
        let partial = head.as_ref().map(|(_, total)| *total);
        let corpus = match head {
            Some((c, _)) => c,
            None => folio::store::open_sources(&sources, &progress.bytes)
                .map_err(|e| format!("cannot load the corpus: {e}"))?,
        };
        progress
            .indexing
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let store = store
            .join()
            .map_err(|_| "opening the bookmarks failed".to_string())?;
        let saved = store.snapshot();
        let session = saved.session.clone();
        let mut app = App::with_saved(corpus, config.theme, saved);
        app.configure(config.keymap, config.prefs, config.views);
        app.restore_session(&session_key, session.as_ref(), partial.is_some());
        let mut watcher = watch::Watcher::new(sources, seen, std::sync::Arc::clone(app.corpus()));
        if let Some(total) = partial {
            watcher = watcher.partial();
            app.tell(
                format!(
                    "opening the library: the newest {} of {} articles shown while the rest loads",
                    app.corpus().articles.len(),
                    folio::text::thousands(total)
                ),
                Tone::Info,
            );
        }
        if let Some(first) = errors.first() {
            let more = match errors.len() {
                1 => String::new(),
                n => format!(" (and {} more: folio config check)", n - 1),
            };
            app.tell(
                format!("config: {first}{more}; using the defaults for it"),
                Tone::Error,
            );
        }
        Ok(Start {
            app,
            store,
            watch: Some(watcher),
            sync: sync_settings,
        })
    })
    .map_err(cli::CliError)
}
