use clap::Parser;
use folio::app::{run, App};
use folio::cli::{self, Cli};
use folio::store::{history, paths, Store};
use folio::ui::theme::Theme;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(cmd) => cli::run_command(&cli, cmd).map(|()| 0),
        // Load (and report a broken corpus) before the screen is taken.
        None => cli::load_corpus(cli.corpus.as_deref()).and_then(|corpus| {
            let store = match paths::bookmarks_file() {
                Some(p) => Store::open(p),
                None => Store::in_memory(),
            };
            let history = paths::history_file()
                .map(|p| history::load(&p))
                .unwrap_or_default();
            let app = App::with_store(corpus, Theme::from_env(), store, history);
            run::run(app).map_err(|e| cli::CliError(format!("reader: {e}")))
        }),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("folio: {e}");
            ExitCode::FAILURE
        }
    }
}
