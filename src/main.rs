use clap::Parser;
use folio::app::{run, App};
use folio::cli::{self, Cli};
use folio::ui::theme::Theme;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(cmd) => cli::run_command(&cli, cmd).map(|()| 0),
        // Load (and report a broken corpus) before the screen is taken.
        None => cli::load_corpus(cli.corpus.as_deref()).and_then(|corpus| {
            run::run(App::new(corpus, Theme::from_env()))
                .map_err(|e| cli::CliError(format!("reader: {e}")))
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
