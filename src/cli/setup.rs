//! `folio config`, `folio keys`, `folio completions` and `folio man`.

use super::{emit, Cli, CliError, ConfigCommand};
use crate::config::Config;
use crate::text;

pub(super) fn cmd_config(
    config: &Config,
    errors: &[crate::config::ConfigError],
    command: &ConfigCommand,
) -> Result<(), CliError> {
    let path = config
        .path
        .clone()
        .or_else(crate::config::default_path)
        .map_or_else(
            || "(no config folder: set XDG_CONFIG_HOME or HOME)".into(),
            |p| p.display().to_string(),
        );
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
            // A corpus the config names must be there (folio would refuse to open).
            let file = config
                .path
                .as_ref()
                .map_or_else(|| path.clone(), |p| p.display().to_string());
            let mut errors = errors.to_vec();
            for c in &config.corpus {
                if c.as_os_str() != "builtin" && !c.exists() {
                    errors.push(crate::config::ConfigError {
                        file: file.clone(),
                        line: 0,
                        column: 0,
                        message: format!("corpus: there is no file {}", c.display()),
                    });
                }
            }
            let errors = &errors;
            if errors.is_empty() {
                match &config.path {
                    Some(p) => eprintln!("folio: {}: fine", p.display()),
                    None => eprintln!("folio: no config file at {path}: the defaults apply"),
                }
                return Ok(());
            }
            let lines: Vec<String> = errors
                .iter()
                .map(std::string::ToString::to_string)
                .collect();
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
                config.views.get(*i).map_or("", |v| v.name.as_str())
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

/// `folio man`: the manual page on standard output, or with `--dir` every page (folio.1 and
/// one per command) written into a folder.
pub(super) fn cmd_man(dir: Option<&std::path::Path>) -> Result<(), CliError> {
    use clap::CommandFactory;
    let cmd = Cli::command().disable_help_subcommand(true);
    if let Some(d) = dir {
        std::fs::create_dir_all(d)
            .map_err(|e| CliError(format!("cannot create {}: {e}", d.display())))?;
        clap_mangen::generate_to(cmd, d)
            .map_err(|e| CliError(format!("cannot write the pages into {}: {e}", d.display())))?;
        let n = std::fs::read_dir(d).map_or(0, |rd| {
            rd.flatten()
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.starts_with("folio") && n.ends_with(".1")
                })
                .count()
        });
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
        let about = sub
            .get_about()
            .map(std::string::ToString::to_string)
            .unwrap_or_default();
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
