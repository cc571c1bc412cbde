use clap::Parser;
use folio::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(cmd) => cli::run_command(&cli, cmd),
        None => cli::load_corpus(cli.corpus.as_deref())
            .and_then(|c| cli::cmd_list(&c, None, None, false)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("folio: {e}");
            ExitCode::FAILURE
        }
    }
}
