use clap::Parser;
use folio::app::{run, App, Tone};
use folio::cli::{self, Cli};
use folio::corpus::{Corpus, Source};
use folio::store::{db::Load, paths, Store};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    run::install_crash_report();
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

/// Load in a thread (a broken corpus is reported before the screen is taken, and a slow one
/// shows the loading screen), then run the reader.
fn open_reader(cli: &Cli) -> Result<u8, cli::CliError> {
    let (config, errors) = folio::config::load(cli.config.as_deref());
    let sources = cli::sources(cli, &config);
    let name = match sources.as_slice() {
        [Source::File(p)] => p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string()),
        [Source::Builtin] => "the built-in corpus".to_string(),
        many => format!("{} corpora", many.len()),
    };
    let total = sources.iter().map(Source::size).sum();
    let theme = config.theme;
    run::open(name, total, theme, move |progress| {
        // A debugging hook that proves the loading screen (see tests/pty.rs).
        if let Some(ms) = std::env::var("FOLIO_SLOW_LOAD_MS")
            .ok()
            .and_then(|v| v.parse::<u64>().ok())
        {
            std::thread::sleep(std::time::Duration::from_millis(ms));
        }
        // The saved state opens beside the corpus, on the other core.
        let store = std::thread::spawn(|| match paths::db_file() {
            Some(p) => Store::open(p, Load::Everything),
            None => Store::in_memory(),
        });
        let corpus = Corpus::open_all(&sources, &progress.bytes)
            .map_err(|e| format!("cannot load the corpus: {e}"))?;
        progress
            .indexing
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let store = store
            .join()
            .map_err(|_| "opening the bookmarks failed".to_string())?;
        let mut app = App::with_store(corpus, config.theme, store);
        app.watch(sources);
        app.configure(config.keymap, config.prefs, config.views);
        if let Some(first) = errors.first() {
            let more = match errors.len() {
                1 => String::new(),
                n => format!(" (and {} more: folio config check)", n - 1),
            };
            app.message = Some((
                format!("config: {first}{more}; using the defaults for it"),
                Tone::Error,
            ));
        }
        Ok(app)
    })
    .map_err(cli::CliError)
}
