use clap::Parser;
use folio::app::{run, App};
use folio::cli::{self, Cli};
use folio::corpus::Corpus;
use folio::store::{db::Load, paths, Store};
use folio::ui::theme::Theme;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(cmd) => cli::run_command(&cli, cmd).map(|()| 0),
        // Load in a thread: a broken corpus is reported before the screen is taken, and a
        // slow one shows the loading screen.
        None => {
            let path = cli.corpus.clone();
            let name = path
                .as_deref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "the built-in corpus".to_string());
            let total = path
                .as_deref()
                .and_then(|p| std::fs::metadata(p).ok())
                .map_or(0, |m| m.len());
            run::open(name, total, move |progress| {
                // A debugging hook that proves the loading screen (see tests/pty.rs).
                if let Some(ms) = std::env::var("FOLIO_SLOW_LOAD_MS")
                    .ok()
                    .and_then(|v| v.parse::<u64>().ok())
                {
                    std::thread::sleep(std::time::Duration::from_millis(ms));
                }
                let corpus = Corpus::open_with_progress(path.as_deref(), &progress.bytes)
                    .map_err(|e| format!("cannot load the corpus: {e}"))?;
                progress
                    .indexing
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                let store = match paths::db_file() {
                    Some(p) => Store::open(p, Load::Everything),
                    None => Store::in_memory(),
                };
                Ok(App::with_store(corpus, Theme::from_env(), store))
            })
            .map_err(cli::CliError)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("folio: {e}");
            ExitCode::FAILURE
        }
    }
}
