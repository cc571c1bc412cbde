//! The command line: `folio [--corpus PATH] [list|show|import]`.

use crate::config::Config;
use crate::corpus::{self, Article, Corpus, Source};
use crate::import;
use crate::query;
use crate::text;
use clap::{Parser, Subcommand};
use std::io::{self, IsTerminal, Write};
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

    /// Read this config file instead of $XDG_CONFIG_HOME/folio/config.toml.
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
        /// #tag, source:, entity:, date:, after:, before:, is:, -negation, sort:).
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
pub enum ConfigCommand {
    /// Check the config file: exit 1 with FILE:LINE:COLUMN for each problem.
    Check,
    /// Print the effective configuration (the defaults merged with the file) as TOML.
    Show,
    /// Print where the config file is read from.
    Path,
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

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        CliError(e.to_string())
    }
}

/// Write to stdout; a closed pipe (`folio list | head`) ends output quietly.
fn emit(s: &str) -> Result<(), CliError> {
    let mut out = io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
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
        Some(p) if crate::store::library::has_articles(&p) => vec![Source::File(p)],
        _ => vec![Source::Builtin],
    }
}

pub fn load_corpus(sources: &[Source]) -> Result<Corpus, CliError> {
    Corpus::open_all(sources, &std::sync::atomic::AtomicU64::new(0))
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

/// `folio man`: the manual page on standard output, or with `--dir` every page (folio.1 and
/// one per command) written into a folder.
fn cmd_man(dir: Option<&std::path::Path>) -> Result<(), CliError> {
    use clap::CommandFactory;
    let cmd = Cli::command().disable_help_subcommand(true);
    if let Some(d) = dir {
        std::fs::create_dir_all(d)
            .map_err(|e| CliError(format!("cannot create {}: {e}", d.display())))?;
        clap_mangen::generate_to(cmd, d)
            .map_err(|e| CliError(format!("cannot write the pages into {}: {e}", d.display())))?;
        let n = std::fs::read_dir(d)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| {
                        let n = e.file_name().to_string_lossy().into_owned();
                        n.starts_with("folio") && n.ends_with(".1")
                    })
                    .count()
            })
            .unwrap_or(0);
        eprintln!("folio: {n} manual pages in {}", d.display());
        return Ok(());
    }
    // One page: its list of commands names them without pointing at pages that only
    // `--dir` writes.
    let mut cmd = cmd;
    cmd.build();
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    out.extend_from_slice(b".SH COMMANDS\n");
    for sub in cmd.get_subcommands() {
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
        out.extend_from_slice(
            format!(
                ".TP\n\\fBfolio {}\\fR\n{}\n",
                roff_escape(sub.get_name()),
                roff_escape(&about)
            )
            .as_bytes(),
        );
    }
    out.extend_from_slice(
        b".PP\nEach command has its own page, written with the others by \\fBfolio man \\-\\-dir\\fR \\fIDIR\\fR; \\fBfolio\\fR \\fICOMMAND\\fR \\fB\\-\\-help\\fR prints the same.\n",
    );
    man.render_version_section(&mut out)?;
    emit(&String::from_utf8_lossy(&out))
}

/// Text safe to put in a roff line: backslashes and hyphens escaped, no line starting a
/// request.
fn roff_escape(s: &str) -> String {
    let t = s.replace('\\', "\\e").replace('-', "\\-");
    match t.chars().next() {
        Some('.' | '\'') => format!("\\&{t}"),
        _ => t,
    }
}

fn cmd_config(
    config: &Config,
    errors: &[crate::config::ConfigError],
    command: &ConfigCommand,
) -> Result<(), CliError> {
    let path = config
        .path
        .clone()
        .or_else(crate::config::default_path)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "(no config folder: set XDG_CONFIG_HOME or HOME)".into());
    match command {
        ConfigCommand::Path => {
            let exists = config.path.as_deref().is_some_and(std::path::Path::exists);
            emit(&format!("{path}\n"))?;
            if !exists {
                eprintln!("folio: there is no file there yet: the defaults apply");
            }
            Ok(())
        }
        ConfigCommand::Show => {
            for e in errors {
                eprintln!("folio: warning: {e}");
            }
            emit(&crate::config::to_toml(config))
        }
        ConfigCommand::Check => {
            if errors.is_empty() {
                match &config.path {
                    Some(p) => eprintln!("folio: {}: fine", p.display()),
                    None => eprintln!("folio: no config file at {path}: the defaults apply"),
                }
                return Ok(());
            }
            let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
            Err(CliError(format!(
                "{} problem{} in the config:\n{}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" },
                lines.join("\n")
            )))
        }
    }
}

/// `folio keys`: every action, its keys in each context, what it does.
pub fn keys_table(config: &Config) -> String {
    use crate::app::keymap::{self, Context};
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut actions: Vec<crate::app::Action> =
        keymap::ACTIONS.iter().map(|(_, a, _)| a.clone()).collect();
    actions.extend((0..config.views.len()).map(crate::app::Action::ApplyView));
    for a in actions {
        let mut places = Vec::new();
        for ctx in Context::ALL {
            let keys: Vec<String> = config
                .keymap
                .iter()
                .filter(|b| b.context == ctx && b.action == a)
                .map(|b| keymap::key_name(b.code, b.mods))
                .collect();
            if !keys.is_empty() {
                places.push(format!("{}: {}", ctx.name(), keys.join(" ")));
            }
        }
        let what = match &a {
            crate::app::Action::ApplyView(i) => format!(
                "apply the view {:?}",
                config.views.get(*i).map(|v| v.name.as_str()).unwrap_or("")
            ),
            a => keymap::describe(Context::Global, a),
        };
        let keys = if places.is_empty() {
            "(not bound)".to_string()
        } else {
            places.join(" · ")
        };
        rows.push((keymap::action_name(&a), keys, what));
    }
    let w0 = rows.iter().map(|r| text::width(&r.0)).max().unwrap_or(0);
    let w1 = rows
        .iter()
        .map(|r| text::width(&r.1))
        .max()
        .unwrap_or(0)
        .min(60);
    let mut s = String::new();
    for (name, keys, what) in rows {
        s.push_str(&format!(
            "{}  {}  {}\n",
            text::pad(&name, w0),
            text::pad(&keys, w1.max(text::width(&keys).min(w1))),
            what
        ));
    }
    s
}

/// Where `folio list` spent its time.
#[derive(Debug, Default)]
pub struct Timings {
    pub load: std::time::Duration,
    pub index: std::time::Duration,
    pub search: std::time::Duration,
    /// The first step (titles, tags, entities, filters), when bodies were searched after it.
    pub fields: Option<(std::time::Duration, usize)>,
    pub output: std::time::Duration,
    pub total: std::time::Duration,
    pub hits: usize,
}

impl Timings {
    pub fn report(&self, articles: usize) -> String {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let step = match self.fields {
            Some((d, n)) => format!(" (titles/tags/entities step {:.1} ms, {n} hits)", ms(d)),
            None => String::new(),
        };
        format!(
            "timings: load {:.1} ms · index {:.1} ms · search+sort {:.1} ms{step} ({} of {} articles) · output {:.1} ms · total {:.1} ms",
            ms(self.load),
            ms(self.index),
            ms(self.search),
            self.hits,
            articles,
            ms(self.output),
            ms(self.total)
        )
    }
}

pub fn cmd_list(
    corpus: &Corpus,
    q: Option<&str>,
    limit: Option<usize>,
    json: bool,
) -> Result<(), CliError> {
    cmd_list_timed(corpus, q, limit, json, &mut Timings::default())
}

pub fn cmd_list_timed(
    corpus: &Corpus,
    q: Option<&str>,
    limit: Option<usize>,
    json: bool,
    t: &mut Timings,
) -> Result<(), CliError> {
    let parsed = query::parse(q.unwrap_or("")).map_err(|e| CliError(format!("bad query: {e}")))?;
    let t0 = std::time::Instant::now();
    let index = query::Index::build(&corpus.articles);
    t.index = t0.elapsed();
    let t1 = std::time::Instant::now();
    // The saved state matters only to `is:` terms: read it only for them.
    let state = if parsed.clauses.iter().any(|c| c.term.mentions_state()) {
        crate::store::StateView::load_quiet(&corpus.articles)
    } else {
        crate::store::StateView::default()
    };
    let mut first_step = None;
    let mut hits = query::engine::search_in_steps(
        &corpus.articles,
        &index,
        &parsed,
        &state,
        None,
        &|| false,
        &mut |h| first_step = Some((t1.elapsed(), h.len())),
    )
    .unwrap_or_default();
    t.fields = first_step;
    t.search = t1.elapsed();
    t.hits = hits.len();
    let t2 = std::time::Instant::now();
    if let Some(n) = limit {
        hits.truncate(n);
    }
    let arts: Vec<&Article> = hits
        .iter()
        .map(|h| &corpus.articles[h.idx as usize])
        .collect();
    let r = if json {
        let metas: Vec<_> = arts.iter().map(|a| a.meta()).collect();
        let mut s = serde_json::to_string_pretty(&metas).map_err(|e| CliError(e.to_string()))?;
        s.push('\n');
        emit(&s)
    } else {
        emit(&format_list(&arts))
    };
    t.output = t2.elapsed();
    r
}

/// Aligned `id  date  sector  title` lines.
pub fn format_list(arts: &[&Article]) -> String {
    let idw = arts.iter().map(|a| text::width(&a.id)).max().unwrap_or(0);
    let sectors: Vec<String> = arts
        .iter()
        .map(|a| text::one_line(a.sector.as_deref().unwrap_or("-")))
        .collect();
    let sw = sectors.iter().map(|s| text::width(s)).max().unwrap_or(0);
    let mut s = String::new();
    for (a, sector) in arts.iter().zip(&sectors) {
        let date = a.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        s.push_str(&format!(
            "{}  {}  {}  {}\n",
            text::pad(&text::one_line(&a.id), idw),
            text::pad(&date, 10),
            text::pad(sector, sw),
            text::one_line(&a.title)
        ));
    }
    s
}

/// Find an article by exact id or unique id prefix; otherwise suggest close ids.
pub fn resolve_id<'a>(corpus: &'a Corpus, id: &str) -> Result<&'a Article, CliError> {
    if let Some(a) = corpus.find(id) {
        return Ok(a);
    }
    let prefixed: Vec<&Article> = corpus
        .articles
        .iter()
        .filter(|a| a.id.starts_with(id))
        .collect();
    if prefixed.len() == 1 && !id.is_empty() {
        return Ok(prefixed[0]);
    }
    let mut scored: Vec<(usize, &str)> = corpus
        .articles
        .iter()
        .map(|a| {
            let d = if a.id.contains(id) && !id.is_empty() {
                0
            } else {
                levenshtein(&a.id, id)
                    .min(levenshtein(a.id.get(..id.len().min(a.id.len())).unwrap_or(""), id) + 1)
            };
            (d, a.id.as_str())
        })
        .collect();
    scored.sort();
    let near: Vec<&str> = scored
        .iter()
        .filter(|(d, _)| *d <= (id.chars().count() / 3).max(3))
        .take(5)
        .map(|(_, s)| *s)
        .collect();
    let mut msg = format!("no article with id \"{}\"", text::one_line(id));
    if prefixed.len() > 1 {
        msg.push_str(&format!(" ({} ids start with it)", prefixed.len()));
    }
    if !near.is_empty() {
        msg.push_str("; did you mean:");
        for n in near {
            msg.push_str("\n  ");
            msg.push_str(n);
        }
    } else {
        msg.push_str(" (folio list shows every id)");
    }
    Err(CliError(msg))
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

pub fn cmd_show(corpus: &Corpus, id: &str, json: bool) -> Result<(), CliError> {
    let a = resolve_id(corpus, id)?;
    if json {
        let mut s = serde_json::to_string_pretty(a).map_err(|e| CliError(e.to_string()))?;
        s.push('\n');
        return emit(&s);
    }
    let width = if io::stdout().is_terminal() {
        crossterm::terminal::size()
            .map(|(w, _)| usize::from(w))
            .unwrap_or(80)
    } else {
        80
    };
    emit(&format_article(a, width.clamp(20, 100)))
}

/// An article as plain text: title, metadata, wrapped paragraphs.
pub fn format_article(a: &Article, width: usize) -> String {
    let mut s = String::new();
    for l in text::wrap(&text::one_line(&a.title), width) {
        s.push_str(&l);
        s.push('\n');
    }
    let mut meta = vec![a
        .date
        .map(|d| d.to_string())
        .unwrap_or_else(|| "undated".into())];
    if let Some(x) = &a.sector {
        meta.push(text::one_line(x));
    }
    if let Some(x) = &a.source {
        meta.push(text::one_line(x));
    }
    if !a.tags.is_empty() {
        meta.push(
            a.tags
                .iter()
                .map(|t| format!("#{}", text::one_line(t)))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    for l in text::wrap(&meta.join(" · "), width) {
        s.push_str(&l);
        s.push('\n');
    }
    s.push_str(&format!("id: {}\n", text::one_line(&a.id)));
    if let Some(u) = &a.url {
        s.push_str(&format!("{}\n", text::one_line(u)));
    }
    for p in a.paragraphs() {
        s.push('\n');
        for l in text::wrap(&text::sanitize(p, false), width) {
            s.push_str(&l);
            s.push('\n');
        }
    }
    s
}

pub fn cmd_import(
    inputs: &[PathBuf],
    output: Option<&std::path::Path>,
    opts: &import::Options,
) -> Result<(), CliError> {
    let (articles, report) = import::import_paths(inputs, opts).map_err(CliError)?;
    eprint!("{}", report.summary());
    if articles.is_empty() {
        return Err(CliError("nothing imported: no articles were found".into()));
    }
    let json = corpus::to_corpus_json(&articles);
    match output {
        Some(path) => write_atomic(path, json.as_bytes())
            .map_err(|e| CliError(format!("cannot write {}: {e}", path.display())))?,
        None => emit(&json)?,
    }
    Ok(())
}

use crate::store::write_atomic;

/// `folio add`: import, then merge into the library.
pub fn cmd_add(inputs: &[PathBuf], opts: &import::Options) -> Result<(), CliError> {
    let path = crate::store::library::path()
        .ok_or_else(|| CliError("no data folder: set XDG_DATA_HOME or HOME".into()))?;
    let (articles, report) = import::import_paths(inputs, opts).map_err(CliError)?;
    eprint!("{}", report.summary());
    let found = articles.len();
    let added = crate::store::library::add(&path, articles).map_err(CliError)?;
    eprintln!(
        "folio: {} new, {} already in the library, {} refused; the library holds {} article{} ({})",
        added.new,
        added.already,
        report.refused,
        added.total,
        if added.total == 1 { "" } else { "s" },
        path.display()
    );
    if found == 0 && report.refused > 0 {
        return Err(CliError("nothing added: no articles were found".into()));
    }
    Ok(())
}

/// `folio remove`: take articles out of the library.
pub fn cmd_remove(ids: &[String]) -> Result<(), CliError> {
    let path = crate::store::library::path()
        .ok_or_else(|| CliError("no data folder: set XDG_DATA_HOME or HOME".into()))?;
    let (removed, missing) = crate::store::library::remove(&path, ids).map_err(CliError)?;
    for id in &removed {
        eprintln!("folio: removed {id}");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(CliError(format!(
            "not in the library: {}",
            missing
                .iter()
                .map(|m| text::one_line(m))
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }
}

fn open_store() -> Result<crate::store::Store, CliError> {
    let path = crate::store::paths::db_file()
        .ok_or_else(|| CliError("no data folder: set XDG_DATA_HOME or HOME".into()))?;
    let mut store = crate::store::Store::open(path, crate::store::db::Load::Bookmarks);
    for e in store.take_events() {
        eprintln!("folio: {e}");
    }
    Ok(store)
}

fn save(store: &mut crate::store::Store, op: crate::store::Op) -> Result<(), CliError> {
    let r = store.apply(op);
    for e in store.take_events() {
        if !matches!(e, crate::store::StoreEvent::SaveFailed(_)) {
            eprintln!("folio: {e}");
        }
    }
    r.map_err(|e| CliError(format!("could not save the bookmark: {e}")))
}

pub fn cmd_bookmarks(corpus: &Corpus, command: &BookmarksCommand) -> Result<(), CliError> {
    use crate::store::{export, now, Bookmark, Op};
    let mut store = open_store()?;
    match command {
        BookmarksCommand::List { json } => {
            let entries = export::entries(&store.data, &corpus.articles);
            if *json {
                let mut s =
                    serde_json::to_string_pretty(&entries).map_err(|e| CliError(e.to_string()))?;
                s.push('\n');
                return emit(&s);
            }
            if entries.is_empty() {
                return emit("no bookmarks yet (b in the reader, or folio bookmarks add ID)\n");
            }
            let idw = entries.iter().map(|e| text::width(e.id)).max().unwrap_or(0);
            let mut out = String::new();
            for e in &entries {
                let date = e.date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                let mut line = format!(
                    "{}  {}  {}",
                    text::pad(e.id, idw),
                    text::pad(&date, 10),
                    text::one_line(e.title)
                );
                if let Some(n) = e.note.lines().next().filter(|n| !n.trim().is_empty()) {
                    line.push_str(&format!("  — {}", text::one_line(n)));
                }
                if !e.in_corpus {
                    line.push_str("  (not in this corpus)");
                }
                out.push_str(&line);
                out.push('\n');
            }
            emit(&out)
        }
        BookmarksCommand::Add { id, note } => {
            let a = resolve_id(corpus, id)?;
            let existing = store.data.bookmarks.get(&a.id).cloned();
            match (existing, note) {
                (Some(_), Some(n)) => save(&mut store, Op::SetNote(a.id.clone(), n.clone()))?,
                (Some(_), None) => {
                    eprintln!("folio: {} is already bookmarked", a.id);
                    return Ok(());
                }
                (None, n) => save(
                    &mut store,
                    Op::Put(
                        a.id.clone(),
                        Bookmark {
                            added: now(),
                            title: a.title.clone(),
                            note: n.clone().unwrap_or_default(),
                            updated: None,
                        },
                    ),
                )?,
            }
            eprintln!("folio: bookmarked {}", a.id);
            Ok(())
        }
        BookmarksCommand::Remove { id } => {
            let key = if store.data.bookmarks.contains_key(id) {
                id.clone()
            } else {
                let matching: Vec<&String> = store
                    .data
                    .bookmarks
                    .keys()
                    .filter(|k| k.starts_with(id.as_str()))
                    .collect();
                match matching.as_slice() {
                    [one] => (*one).clone(),
                    [] => {
                        return Err(CliError(format!(
                            "no bookmark with id \"{}\"",
                            text::one_line(id)
                        )))
                    }
                    _ => {
                        return Err(CliError(format!(
                            "\"{}\" starts {} bookmark ids; give more of it",
                            text::one_line(id),
                            matching.len()
                        )))
                    }
                }
            };
            save(&mut store, Op::Remove(key.clone()))?;
            eprintln!("folio: removed the bookmark {key}");
            Ok(())
        }
        BookmarksCommand::Import { file } => {
            let name = file.display().to_string();
            let text = if name == "-" {
                io::read_to_string(io::stdin())
            } else {
                std::fs::read_to_string(file)
            }
            .map_err(|e| CliError(format!("cannot read {name}: {e}")))?;
            let incoming = export::read_export(&name, &text).map_err(CliError)?;
            let at = now();
            let (mut added, mut merged) = (0, 0);
            let mut ops = Vec::new();
            let mut seen = std::collections::HashMap::new();
            for b in &incoming {
                // A file that names an id twice merges into what the first one made.
                let kept = seen.get(&b.id).or_else(|| store.data.bookmarks.get(&b.id));
                let is_new = kept.is_none();
                if let Some(m) = export::merge(kept, b, &at) {
                    if is_new {
                        added += 1;
                    } else {
                        merged += 1;
                    }
                    seen.insert(b.id.clone(), m.clone());
                    ops.push(Op::Put(b.id.clone(), m));
                }
            }
            let r = store.apply_all(ops);
            for e in store.take_events() {
                if !matches!(e, crate::store::StoreEvent::SaveFailed(_)) {
                    eprintln!("folio: {e}");
                }
            }
            r.map_err(|e| CliError(format!("could not save the bookmarks: {e}")))?;
            eprintln!(
                "folio: {added} bookmark{} added, {merged} with a note merged, {} already here",
                if added == 1 { "" } else { "s" },
                incoming.len() - added - merged
            );
            Ok(())
        }
        BookmarksCommand::Export { format, output } => {
            let entries = export::entries(&store.data, &corpus.articles);
            let body = match format {
                ExportFormat::Markdown => export::markdown(
                    &entries,
                    &corpus.name,
                    &crate::corpus::date::today().to_string(),
                ),
                ExportFormat::Json => {
                    let mut s = serde_json::to_string_pretty(&entries)
                        .map_err(|e| CliError(e.to_string()))?;
                    s.push('\n');
                    s
                }
            };
            match output {
                Some(p) => write_atomic(p, body.as_bytes())
                    .map_err(|e| CliError(format!("cannot write {}: {e}", p.display()))),
                None => emit(&body),
            }
        }
    }
}
