//! The command line: the arguments (clap), and a file per group of commands: `list`
//! (list, show, stats), `library` (import, add, remove), `bookmarks`, `setup` (config,
//! keys, completions, man).

mod bookmarks;
mod feeds;
mod library;
mod list;
mod setup;

use bookmarks::cmd_bookmarks;
use library::{cmd_add, cmd_import, cmd_remove};
use list::cmd_show;
pub use list::{cmd_list, cmd_list_timed, format_article, format_list, resolve_id, Timings};
pub use setup::keys_table;
use setup::{cmd_config, cmd_man};

use crate::config::Config;
use crate::corpus::{Corpus, Source};
use crate::import;
use clap::{Parser, Subcommand};
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "folio",
    version,
    about = "A terminal reader for news: `folio` alone opens the reader; the commands below work on the same articles from a shell",
    long_about = "A terminal reader for news.\n\n`folio` alone (no command) opens the reader on your library, the corpus the config names, or the built-in corpus. The commands below list, show, import and manage the same articles from a shell or a script."
)]
pub struct Cli {
    /// Open this corpus (corpus JSON, a JSON array of articles, or JSON Lines; `builtin` for
    /// the built-in one) instead of the config's corpus, the library or the built-in corpus.
    /// Give it more than once to open several together.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub corpus: Vec<PathBuf>,

    /// Read this config file instead of $`XDG_CONFIG_HOME/folio/config.toml`.
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List articles, newest first: id, date, sector, title.
    List {
        /// Only articles matching this query (see README: words, "phrases", sector:, tag:,
        /// #tag, source:, entity:, date:, after:, before:, is:, -negation, OR, (groups),
        /// sort:).
        #[arg(long, short, allow_hyphen_values = true)]
        query: Option<String>,
        /// Show at most N articles.
        #[arg(long, short = 'n', value_name = "N")]
        limit: Option<usize>,
        /// Print a JSON array of the articles' metadata (every field but the body).
        #[arg(long)]
        json: bool,
        /// Print to stderr how long loading, indexing, searching and printing took.
        #[arg(long)]
        timings: bool,
    },
    /// Show one article: a metadata header and the wrapped body.
    Show {
        /// The article's id (a unique prefix is enough).
        id: String,
        /// Print the whole article as a JSON object, body included.
        #[arg(long)]
        json: bool,
    },
    /// Bookmarks kept on this machine: list, add, remove, export a briefing, import an export.
    Bookmarks {
        #[command(subcommand)]
        command: BookmarksCommand,
    },
    /// Write the articles (all, or a query's results) as JSON Lines or a corpus file, bodies
    /// included: what `folio add` and `--corpus` read back.
    Export {
        /// Only the articles matching this query, in its order.
        #[arg(long, short, allow_hyphen_values = true)]
        query: Option<String>,
        /// jsonl: one article per line; json: a corpus file ({"version": 1, "articles": [...]}).
        #[arg(long, value_enum, default_value = "jsonl")]
        format: CorpusFormat,
        /// Write here (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// The corpus at a glance: articles per sector, per month and per source.
    Stats {
        /// Print the counts as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add raw text, JSON, JSON Lines and RSS/Atom feeds (files or folders) to your library,
    /// which folio opens when no corpus is named; articles already there are not added again.
    Add {
        /// Files or folders to add (.txt, .json, .jsonl, .xml/.rss/.atom).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Use this taxonomy (sectors and their evidence) instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        taxonomy: Option<PathBuf>,
        /// Apply these corrections by article id after inference.
        #[arg(long, value_name = "FILE")]
        curation: Option<PathBuf>,
    },
    /// Take articles out of your library.
    Remove {
        /// The articles' ids.
        #[arg(required = true)]
        ids: Vec<String>,
    },
    /// The config file: check it, show the effective configuration, or say where it is.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Every action of the reader with its keys (the config's [keys.*] merged over the defaults).
    Keys,
    /// Print a shell completion script: folio completions bash > ~/.local/share/bash-completion/completions/folio
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or with --dir write it and a page for every command:
    /// folio man --dir ~/.local/share/man/man1
    Man {
        /// Write folio.1 and a page for each command (folio-list.1, folio-bookmarks-add.1, …)
        /// into this folder, creating it, instead of printing folio.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Subscriptions: add a feed (or a page that links to one), list them with how their
    /// last fetch went, remove one, import and export OPML.
    Feeds {
        #[command(subcommand)]
        command: FeedsCommand,
    },
    /// Fetch every due subscription and add its new articles to the library: one line per
    /// feed and a summary. Exit 0 when it ran, even when some feeds failed.
    Sync {
        /// Fetch every feed now, even those backing off or asked to wait (Retry-After).
        #[arg(long)]
        force: bool,
        /// Print the outcome of each feed and the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Turn raw text, JSON, JSON Lines and RSS/Atom feeds (files or folders) into a corpus.
    Import {
        /// Files or folders to import (.txt, .json, .jsonl, .xml/.rss/.atom).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Write the corpus here (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Use this taxonomy (sectors and their evidence) instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        taxonomy: Option<PathBuf>,
        /// Apply these corrections by article id after inference.
        #[arg(long, value_name = "FILE")]
        curation: Option<PathBuf>,
        /// Print, for each article, the evidence behind its sector (the best-scoring sectors).
        #[arg(long)]
        explain: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum BookmarksCommand {
    /// List bookmarks, newest article first.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Bookmark an article (a unique id prefix is enough); with --note, set its note.
    Add {
        /// The article's id (a unique prefix is enough).
        id: String,
        /// Set the bookmark's note to this text (replacing the note it had).
        #[arg(long)]
        note: Option<String>,
    },
    /// Remove a bookmark.
    Remove {
        /// The bookmarked article's id (a unique prefix among the bookmarks is enough).
        id: String,
    },
    /// Export bookmarks as a Markdown briefing (grouped by sector) or JSON.
    Export {
        /// markdown: a briefing grouped by sector, with notes and leads; json: every
        /// bookmark, to read back with `folio bookmarks import`.
        #[arg(long, value_enum, default_value = "markdown")]
        format: ExportFormat,
        /// Write here (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Read a JSON export back (from `export --format json`, e.g. on another machine),
    /// merging: a bookmark kept already is never doubled, and a note is never lost.
    Import {
        /// The JSON export to read ("-" for standard input).
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to a feed, or to the feed a web page links to: it is fetched once and its
    /// articles added to the library.
    Add {
        /// The feed's address, or a page's that names its feed.
        url: String,
        /// A tag for the feed and its articles (give it more than once for more).
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Fetch each new article's page for its full text while syncing (for feeds that
        /// publish only a summary).
        #[arg(long)]
        full_text: bool,
    },
    /// Every subscription: address, title, tags, the last fetch and its outcome, failures in
    /// a row, when it may be fetched next, articles and unread.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Stop fetching a feed; its articles stay (with --purge they go, bookmarked ones
    /// excepted).
    Remove {
        /// The feed's address or title.
        feed: String,
        /// Also take its articles out of the library (not the bookmarked ones).
        #[arg(long)]
        purge: bool,
    },
    /// Subscribe to every feed of an OPML file (its folders become tags); nothing is
    /// fetched until `folio sync`.
    Import {
        /// The OPML file.
        file: PathBuf,
    },
    /// Write the subscriptions as OPML 2.0 (tags as folders).
    Export {
        /// Write here (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Check the config file: exit 1 with <FILE:LINE:COLUMN> for each problem.
    Check,
    /// Print the effective configuration (the defaults merged with the file) as TOML.
    Show,
    /// Print where the config file is read from.
    Path,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CorpusFormat {
    /// One article per line.
    Jsonl,
    /// A corpus file: {"version": 1, "articles": [...]}.
    Json,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// A briefing grouped by sector, with notes and leads.
    Markdown,
    /// Every bookmark as JSON (read back with `folio bookmarks import`).
    Json,
}

/// An error to print as `folio: …` with exit status 1.
#[derive(Debug)]
pub struct CliError(pub String);

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<import::ImportError> for CliError {
    fn from(e: import::ImportError) -> Self {
        CliError(e.to_string())
    }
}

impl From<crate::store::StoreError> for CliError {
    fn from(e: crate::store::StoreError) -> Self {
        CliError(e.to_string())
    }
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        CliError(e.to_string())
    }
}

/// Write to stdout; a closed pipe (`folio list | head`) ends output quietly.
pub(crate) fn emit(s: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(CliError::from),
    }
}

/// What folio opens: `--corpus` (any number), else the config's `corpus`, else the library
/// when it holds articles, else the built-in corpus.
pub fn sources(cli: &Cli, config: &Config) -> Vec<Source> {
    if !cli.corpus.is_empty() {
        return cli.corpus.iter().map(|p| Source::from_arg(p)).collect();
    }
    if !config.corpus.is_empty() {
        return config.corpus.iter().map(|p| Source::from_arg(p)).collect();
    }
    match crate::store::library::path() {
        Some(p) if crate::store::library::has_articles(&p) => vec![Source::Library(p)],
        _ => vec![Source::Builtin],
    }
}

pub fn load_corpus(sources: &[Source]) -> Result<Corpus, CliError> {
    let open = |p: &std::sync::atomic::AtomicU64| crate::store::open_sources(sources, p);
    match sources {
        [Source::Library(lib)] => library::with_move_progress(lib, open),
        _ => open(&std::sync::atomic::AtomicU64::new(0)),
    }
    .map_err(|e| CliError(format!("cannot load the corpus: {e}")))
}

/// Run a subcommand (not the reader). Problems in the config file are warnings here.
pub fn run_command(cli: &Cli, command: &Command) -> Result<(), CliError> {
    let (config, errors) = crate::config::load(cli.config.as_deref());
    if let Command::Config { command } = command {
        return cmd_config(&config, &errors, command);
    }
    for e in &errors {
        eprintln!("folio: warning: {e}");
    }
    let srcs = sources(cli, &config);
    match command {
        Command::List {
            query,
            limit,
            json,
            timings,
        } => {
            let t0 = std::time::Instant::now();
            let corpus = load_corpus(&srcs)?;
            let mut t = Timings {
                load: t0.elapsed(),
                facets: timings.then_some(std::time::Duration::ZERO),
                ..Timings::default()
            };
            let r = cmd_list_timed(&corpus, query.as_deref(), *limit, *json, &mut t);
            if *timings {
                t.total = t0.elapsed();
                eprintln!("{}", t.report(corpus.articles.len()));
            }
            r
        }
        Command::Show { id, json } => cmd_show(&load_corpus(&srcs)?, id, *json),
        Command::Bookmarks { command } => cmd_bookmarks(&load_corpus(&srcs)?, command),
        Command::Export {
            query,
            format,
            output,
        } => list::cmd_export(
            &load_corpus(&srcs)?,
            query.as_deref(),
            *format,
            output.as_deref(),
        ),
        Command::Stats { json } => {
            let corpus = load_corpus(&srcs)?;
            let st = crate::corpus::stats::Stats::of(&corpus.articles);
            if *json {
                let mut s =
                    serde_json::to_string_pretty(&st).map_err(|e| CliError(e.to_string()))?;
                s.push('\n');
                emit(&s)
            } else {
                emit(&st.render())
            }
        }
        Command::Import {
            inputs,
            output,
            taxonomy,
            curation,
            explain,
        } => cmd_import(
            inputs,
            output.as_deref(),
            &import::Options {
                taxonomy: taxonomy.clone(),
                curation: curation.clone(),
                explain: *explain,
            },
        ),
        Command::Add {
            inputs,
            taxonomy,
            curation,
        } => cmd_add(
            inputs,
            &import::Options {
                taxonomy: taxonomy.clone(),
                curation: curation.clone(),
                explain: false,
            },
        ),
        Command::Remove { ids } => cmd_remove(ids),
        Command::Keys => emit(&keys_table(&config)),
        Command::Feeds { command } => feeds::cmd_feeds(&config, command),
        Command::Sync { force, json } => feeds::cmd_sync(&config, *force, *json),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "folio", &mut out);
            emit(&String::from_utf8_lossy(&out))
        }
        Command::Man { dir } => cmd_man(dir.as_deref()),
        Command::Config { .. } => Ok(()),
    }
}
