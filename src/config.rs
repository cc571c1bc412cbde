//! The config file: `$XDG_CONFIG_HOME/folio/config.toml`, or `--config PATH`. Every section
//! and key is optional; an unknown key is an error, so a typo is caught. Errors name the
//! file, line and column. A config with errors still gives a configuration: its good parts
//! (or the defaults, when the file cannot be parsed at all), and the errors to show.
//!
//! ```toml
//! corpus = ["~/news/tech.jsonl", "$HOME/clips.json"]
//! [theme]
//! preset = "dark"            # dark, light or mono
//! selected = "#ffffff"       # a role's foreground: a colour name, 0-255 or #rrggbb
//! date = { fg = "cyan", bold = true }
//! [layout]
//! list_width = 50            # percent of the width, 20-80
//! rows = "auto"              # auto, one or two lines per article in the list
//! [keys.global]
//! "Q" = "quit"
//! "q" = "none"
//! [[view]]
//! name = "Crypto in 2021"
//! query = "sector:crypto date:2021"
//! key = "f5"
//! ```

use crate::app::keymap::{self, Binding, Context};
use crate::app::layout::{Prefs, Rows};
use crate::app::views::View;
use crate::app::Action;
use crate::theme::{self, Theme};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// A problem in the config file, at a place in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where it was read from (`None`: no file, the defaults).
    pub path: Option<PathBuf>,
    /// What folio opens when no `--corpus` is given (empty: not set).
    pub corpus: Vec<PathBuf>,
    /// The preset named, if any (else dark, or mono under `NO_COLOR`).
    pub preset: Option<String>,
    pub theme: Theme,
    pub prefs: Prefs,
    pub keymap: Vec<Binding>,
    pub views: Vec<View>,
    /// `[sync]`: fetching subscriptions.
    pub sync: crate::fetch::SyncSettings,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            path: None,
            corpus: Vec::new(),
            preset: None,
            theme: Theme::from_env(),
            prefs: Prefs::default(),
            keymap: keymap::default_keymap(),
            views: Vec::new(),
            sync: crate::fetch::SyncSettings::default(),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    corpus: Option<Spanned<toml::Value>>,
    theme: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    layout: Option<RawLayout>,
    keys: Option<BTreeMap<Spanned<String>, KeyTable>>,
    view: Option<Vec<RawView>>,
    sync: Option<RawSync>,
    /// `[feed] full_text = true`, and `[feed."address, title or #tag"] full_text = true`.
    feed: Option<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSync {
    interval: Option<Spanned<String>>,
    connect_timeout: Option<Spanned<String>>,
    read_timeout: Option<Spanned<String>>,
    max_size: Option<Spanned<String>>,
    changed_unread: Option<bool>,
}

/// `[keys.<context>]`: key to action name.
type KeyTable = BTreeMap<Spanned<String>, Spanned<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    list_width: Option<Spanned<i64>>,
    rows: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawView {
    name: Spanned<String>,
    query: Spanned<String>,
    key: Option<Spanned<String>>,
}

/// The config file's usual place.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "folio").map(|d| d.config_dir().join("config.toml"))
}

/// (line, column) of a byte offset, both from 1; the column counts characters.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    let before = &text[..off];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |p| p + 1);
    (line, before[start..].chars().count() + 1)
}

struct Errors<'a> {
    file: &'a str,
    text: &'a str,
    list: Vec<ConfigError>,
}

impl Errors<'_> {
    fn at(&mut self, span: std::ops::Range<usize>, message: impl Into<String>) {
        let (line, column) = line_col(self.text, span.start);
        self.list.push(ConfigError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        });
    }
}

/// Read the config: `explicit` (from `--config`) must exist; the usual place may not.
pub fn load(explicit: Option<&Path>) -> (Config, Vec<ConfigError>) {
    let (path, required) = match explicit {
        Some(p) => (Some(p.to_path_buf()), true),
        None => (default_path(), false),
    };
    let Some(path) = path else {
        return (Config::default(), Vec::new());
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => parse(&path, &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
            (Config::default(), Vec::new())
        }
        Err(e) => (
            Config::default(),
            vec![ConfigError {
                file: path.display().to_string(),
                line: 0,
                column: 0,
                message: format!("cannot read the config: {e}"),
            }],
        ),
    }
}

/// Parse a config file's text; `path` names it in errors and anchors relative corpus paths.
pub fn parse(path: &Path, text: &str) -> (Config, Vec<ConfigError>) {
    let file = path.display().to_string();
    let mut errors = Errors {
        file: &file,
        text,
        list: Vec::new(),
    };
    let mut cfg = Config {
        path: Some(path.to_path_buf()),
        ..Config::default()
    };
    let raw: Raw = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().replace('\n', " ");
            errors.at(span, msg);
            return (cfg, errors.list);
        }
    };
    let base = path.parent().unwrap_or(Path::new("."));
    if let Some(c) = &raw.corpus {
        cfg.corpus = corpus_paths(c, base, &mut errors);
    }
    if let Some(t) = &raw.theme {
        apply_theme(&mut cfg, t, &mut errors);
    }
    if let Some(l) = &raw.layout {
        if let Some(w) = &l.list_width {
            match u16::try_from(*w.get_ref()) {
                Ok(v) if (20..=80).contains(&v) => cfg.prefs.list_width = v,
                _ => errors.at(
                    w.span(),
                    format!(
                        "list_width is a percent of the width from 20 to 80, not {}",
                        w.get_ref()
                    ),
                ),
            }
        }
        if let Some(r) = &l.rows {
            match Rows::from_name(r.get_ref()) {
                Some(v) => cfg.prefs.rows = v,
                None => errors.at(
                    r.span(),
                    format!(
                        "rows is \"auto\", \"one\" or \"two\", not {:?}",
                        r.get_ref()
                    ),
                ),
            }
        }
    }
    if let Some(keys) = &raw.keys {
        for (ctx, table) in keys {
            let Some(context) = Context::from_name(ctx.get_ref()) else {
                let names: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                errors.at(
                    ctx.span(),
                    format!(
                        "unknown key context {:?}: use {}",
                        ctx.get_ref(),
                        names.join(", ")
                    ),
                );
                continue;
            };
            for (key, action) in table {
                if let Err(e) = keymap::parse_key(key.get_ref()) {
                    errors.at(key.span(), e);
                    continue;
                }
                let a = action.get_ref().as_str();
                if a == keymap::UNBIND {
                    keymap::merge(&mut cfg.keymap, context, key.get_ref(), None);
                    continue;
                }
                match keymap::action_named(a) {
                    Some(act) => keymap::merge(&mut cfg.keymap, context, key.get_ref(), Some(act)),
                    None => errors.at(
                        action.span(),
                        format!(
                            "unknown action {:?} for key {:?} (folio keys lists every action; \"none\" unbinds)",
                            crate::text::one_line(a),
                            key.get_ref()
                        ),
                    ),
                }
            }
        }
    }
    if let Some(s) = &raw.sync {
        let mut duration = |v: &Option<Spanned<String>>, what: &str| {
            let v = v.as_ref()?;
            match crate::fetch::parse_duration(v.get_ref()) {
                Ok(d) if d.as_secs() > 0 => Some(d),
                Ok(_) => {
                    errors.at(v.span(), format!("{what} must be longer than nothing"));
                    None
                }
                Err(e) => {
                    errors.at(v.span(), format!("{what}: {e}"));
                    None
                }
            }
        };
        if let Some(d) = duration(&s.interval, "interval") {
            cfg.sync.interval = Some(d.max(std::time::Duration::from_secs(60)));
        }
        if let Some(d) = duration(&s.connect_timeout, "connect_timeout") {
            cfg.sync.connect_timeout = d;
        }
        if let Some(d) = duration(&s.read_timeout, "read_timeout") {
            cfg.sync.read_timeout = d;
        }
        if let Some(m) = &s.max_size {
            match crate::fetch::parse_size(m.get_ref()) {
                Ok(n) if n > 0 => cfg.sync.max_bytes = n,
                Ok(_) => errors.at(m.span(), "max_size must be more than nothing"),
                Err(e) => errors.at(m.span(), format!("max_size: {e}")),
            }
        }
        if let Some(b) = s.changed_unread {
            cfg.sync.changed_unread = b;
        }
    }
    if let Some(feed) = &raw.feed {
        for (k, v) in feed {
            let key = k.get_ref();
            let full = |v: &toml::Value| v.get("full_text").and_then(toml::Value::as_bool);
            match (key.as_str(), v.get_ref()) {
                ("full_text", toml::Value::Boolean(b)) => cfg.sync.full_text_all = *b,
                (_, t @ toml::Value::Table(tab)) if tab.keys().all(|x| x == "full_text") => {
                    match full(t) {
                        Some(true) => cfg.sync.full_text_for.push(key.clone()),
                        Some(false) => {}
                        None => errors.at(v.span(), "write full_text = true or false"),
                    }
                }
                _ => errors.at(
                    k.span(),
                    format!(
                        "unknown [feed] setting {key:?}: write full_text = true, or [feed.\"address, title or #tag\"] full_text = true"
                    ),
                ),
            }
        }
    }
    if let Some(views) = &raw.view {
        let mut view_keys: std::collections::HashMap<String, String> =
            std::collections::HashMap::new();
        for v in views {
            let name = v.name.get_ref().trim();
            if name.is_empty() {
                errors.at(v.name.span(), "a view needs a name");
                continue;
            }
            if let Err(e) = crate::query::parse(v.query.get_ref()) {
                errors.at(v.query.span(), format!("view {name:?}: bad query: {e}"));
                continue;
            }
            let key = match &v.key {
                Some(k) => match keymap::parse_key(k.get_ref()) {
                    Ok(parsed) => {
                        let norm = format!("{parsed:?}");
                        if let Some(other) = view_keys.get(&norm) {
                            errors.at(
                                k.span(),
                                format!(
                                    "view {name:?}: the key {:?} is already the key of view {other:?}",
                                    k.get_ref()
                                ),
                            );
                        } else {
                            view_keys.insert(norm, name.to_string());
                        }
                        Some(k.get_ref().clone())
                    }
                    Err(e) => {
                        errors.at(k.span(), e);
                        None
                    }
                },
                None => None,
            };
            if let Some(k) = &key {
                let i = cfg.views.len();
                keymap::merge(
                    &mut cfg.keymap,
                    Context::Global,
                    k,
                    Some(Action::ApplyView(i)),
                );
            }
            cfg.views.push(View {
                name: name.to_string(),
                query: v.query.get_ref().clone(),
                key,
            });
        }
    }
    (cfg, errors.list)
}

/// `~` and `$VAR`/`${VAR}` expanded; relative paths are relative to the config's folder.
fn expand(s: &str, base: &Path) -> Result<PathBuf, String> {
    let mut out = String::new();
    let mut rest = s;
    if rest == "~" || rest.starts_with("~/") {
        let home = std::env::var("HOME").map_err(|_| "~ needs HOME to be set".to_string())?;
        out.push_str(&home);
        rest = &rest[1..];
    }
    let mut chars = rest.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let braced = chars.peek().is_some_and(|&(_, n)| n == '{');
        if braced {
            chars.next();
        }
        let mut name = String::new();
        while let Some(&(_, n)) = chars.peek() {
            if n.is_ascii_alphanumeric() || n == '_' {
                name.push(n);
                chars.next();
            } else {
                break;
            }
        }
        if braced {
            match chars.next() {
                Some((_, '}')) => {}
                _ => return Err(format!("${{{name} is not closed with }}")),
            }
        }
        if name.is_empty() {
            out.push('$');
            continue;
        }
        let v = std::env::var(&name).map_err(|_| format!("${name} is not set"))?;
        out.push_str(&v);
    }
    let p = PathBuf::from(out);
    Ok(if p.is_relative() { base.join(p) } else { p })
}

fn corpus_paths(v: &Spanned<toml::Value>, base: &Path, errors: &mut Errors) -> Vec<PathBuf> {
    let items: Vec<&toml::Value> = match v.get_ref() {
        toml::Value::Array(a) => a.iter().collect(),
        one => vec![one],
    };
    let mut out = Vec::new();
    for it in items {
        match it.as_str() {
            Some("builtin") => out.push(PathBuf::from("builtin")),
            Some(s) => match expand(s, base) {
                Ok(p) => out.push(p),
                Err(e) => errors.at(v.span(), format!("corpus {s:?}: {e}")),
            },
            None => errors.at(
                v.span(),
                "corpus is a path or a list of paths: corpus = [\"~/news/tech.jsonl\"]",
            ),
        }
    }
    out
}

fn apply_theme(
    cfg: &mut Config,
    t: &BTreeMap<Spanned<String>, Spanned<toml::Value>>,
    errors: &mut Errors,
) {
    // The preset first, whatever the order in the file, then the roles over it.
    if let Some((k, v)) = t.iter().find(|(k, _)| k.get_ref() == "preset") {
        match v.get_ref().as_str().and_then(Theme::preset) {
            Some(th) => {
                cfg.theme = th;
                cfg.preset = v.get_ref().as_str().map(str::to_string);
            }
            None => errors.at(
                v.span(),
                format!(
                    "{} is {}, not {}",
                    k.get_ref(),
                    theme::PRESETS
                        .iter()
                        .map(|p| format!("{p:?}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    v.get_ref()
                ),
            ),
        }
    }
    for (k, v) in t.iter().filter(|(k, _)| k.get_ref() != "preset") {
        let role = k.get_ref();
        let Some(slot) = cfg.theme.role_mut(role) else {
            errors.at(
                k.span(),
                format!(
                    "unknown theme role {role:?}: use preset or one of {}",
                    theme::ROLES.join(", ")
                ),
            );
            continue;
        };
        match style_of(v.get_ref()) {
            // Over the preset: what is not named keeps the preset's (a colour alone is the
            // foreground, the background and weight stay).
            Ok(s) => *slot = slot.patch(s),
            Err(e) => errors.at(v.span(), format!("theme.{role}: {e}")),
        }
    }
}

/// A role's style: a colour (the foreground), or a table of `fg`, `bg` and modifiers.
fn style_of(v: &toml::Value) -> Result<ratatui::style::Style, String> {
    use ratatui::style::Style;
    match v {
        toml::Value::String(s) => Ok(Style::default().fg(theme::parse_color(s)?)),
        toml::Value::Integer(n) => {
            let n = u8::try_from(*n).map_err(|_| format!("{n}: a colour index is 0 to 255"))?;
            Ok(Style::default().fg(ratatui::style::Color::Indexed(n)))
        }
        toml::Value::Table(t) => {
            let mut s = Style::default();
            for (k, x) in t {
                let colour = |x: &toml::Value| match x {
                    toml::Value::String(c) => theme::parse_color(c),
                    toml::Value::Integer(n) => u8::try_from(*n)
                        .map(ratatui::style::Color::Indexed)
                        .map_err(|_| format!("{n}: a colour index is 0 to 255")),
                    other => Err(format!("{other} is not a colour")),
                };
                match k.as_str() {
                    "fg" => s = s.fg(colour(x)?),
                    "bg" => s = s.bg(colour(x)?),
                    m => {
                        let Some((_, modifier)) = theme::MODIFIERS.iter().find(|(n, _)| *n == m)
                        else {
                            let names: Vec<&str> =
                                theme::MODIFIERS.iter().map(|(n, _)| *n).collect();
                            return Err(format!(
                                "unknown style key {m:?}: use fg, bg, {}",
                                names.join(", ")
                            ));
                        };
                        match x.as_bool() {
                            Some(true) => s = s.add_modifier(*modifier),
                            Some(false) => s = s.remove_modifier(*modifier),
                            None => return Err(format!("{m} is true or false")),
                        }
                    }
                }
            }
            Ok(s)
        }
        other => Err(format!(
            "{other} is not a style: write a colour or {{ fg = \"…\", bg = \"…\", bold = true }}"
        )),
    }
}

/// The effective configuration as TOML (`folio config show`): the defaults merged with the
/// file, every role and every binding spelled out.
pub fn to_toml(cfg: &Config) -> String {
    let mut out = String::new();
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    match &cfg.path {
        Some(p) => out.push_str(&format!("# from {}\n", p.display())),
        None => out.push_str("# no config file: the defaults\n"),
    }
    if cfg.corpus.is_empty() {
        out.push_str("# corpus = [] (not set: the library, else the built-in corpus)\n");
    } else {
        let items: Vec<String> = cfg
            .corpus
            .iter()
            .map(|p| q(&p.display().to_string()))
            .collect();
        out.push_str(&format!("corpus = [{}]\n", items.join(", ")));
    }
    out.push_str("\n[theme]\n");
    out.push_str(&format!(
        "preset = {}\n",
        q(cfg
            .preset
            .as_deref()
            .unwrap_or(if theme::no_color() { "mono" } else { "dark" }))
    ));
    for role in theme::ROLES {
        let s = cfg.theme.role(role).unwrap_or_default();
        let mut parts = Vec::new();
        if let Some(c) = s.fg {
            parts.push(format!("fg = {}", q(&theme::color_name(c))));
        }
        if let Some(c) = s.bg {
            parts.push(format!("bg = {}", q(&theme::color_name(c))));
        }
        for (name, m) in theme::MODIFIERS {
            if s.add_modifier.contains(*m) {
                parts.push(format!("{name} = true"));
            } else if s.sub_modifier.contains(*m) {
                parts.push(format!("{name} = false"));
            }
        }
        out.push_str(&format!("{role} = {{ {} }}\n", parts.join(", ")));
    }
    out.push_str("\n[sync]\n");
    match cfg.sync.interval {
        Some(d) => out.push_str(&format!("interval = {}\n", q(&format!("{}s", d.as_secs())))),
        None => out.push_str("# interval = \"30m\" (not set: sync only with R or folio sync)\n"),
    }
    out.push_str(&format!(
        "connect_timeout = {}\nread_timeout = {}\nmax_size = {}\nchanged_unread = {}\n",
        q(&format!("{}s", cfg.sync.connect_timeout.as_secs())),
        q(&format!("{}s", cfg.sync.read_timeout.as_secs())),
        q(&format!("{}", cfg.sync.max_bytes)),
        cfg.sync.changed_unread
    ));
    out.push_str("\n[layout]\n");
    out.push_str(&format!("list_width = {}\n", cfg.prefs.list_width));
    out.push_str(&format!("rows = {}\n", q(cfg.prefs.rows.name())));
    let defaults = keymap::default_keymap();
    for ctx in Context::ALL {
        let bindings: Vec<&Binding> = cfg.keymap.iter().filter(|b| b.context == ctx).collect();
        // Default keys the config took away.
        let unbound: Vec<String> = defaults
            .iter()
            .filter(|d| d.context == ctx)
            .map(|d| keymap::key_name(d.code, d.mods))
            .filter(|k| {
                !bindings
                    .iter()
                    .any(|b| keymap::key_name(b.code, b.mods) == *k)
            })
            .collect();
        if bindings.is_empty() && unbound.is_empty() {
            continue;
        }
        out.push_str(&format!("\n[keys.{}]\n", ctx.name()));
        for k in &unbound {
            out.push_str(&format!("{} = {}\n", q(k), q(keymap::UNBIND)));
        }
        let mut seen = Vec::new();
        for b in bindings {
            let key = keymap::key_name(b.code, b.mods);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key.clone());
            let action = match &b.action {
                Action::ApplyView(i) => {
                    out.push_str(&format!(
                        "# {} applies the view {}\n",
                        q(&key),
                        cfg.views.get(*i).map(|v| q(&v.name)).unwrap_or_default()
                    ));
                    continue;
                }
                a => keymap::action_name(a),
            };
            out.push_str(&format!("{} = {}\n", q(&key), q(&action)));
        }
    }
    for v in &cfg.views {
        out.push_str("\n[[view]]\n");
        out.push_str(&format!("name = {}\n", q(&v.name)));
        out.push_str(&format!("query = {}\n", q(&v.query)));
        if let Some(k) = &v.key {
            out.push_str(&format!("key = {}\n", q(k)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn parsed(text: &str) -> (Config, Vec<ConfigError>) {
        parse(Path::new("/cfg/config.toml"), text)
    }

    fn errs(text: &str) -> Vec<String> {
        parsed(text)
            .1
            .iter()
            .map(std::string::ToString::to_string)
            .collect()
    }

    #[test]
    fn every_section_parses_and_merges_over_the_defaults() {
        std::env::set_var("FOLIO_TEST_NEWS", "/srv/news");
        let (c, e) = parsed(
            r##"
corpus = ["~/a.jsonl", "$FOLIO_TEST_NEWS/b.json", "rel.json", "builtin"]
[theme]
selected = "#102030"
date = { fg = 208, bg = "black", bold = true }
preset = "mono"
[layout]
list_width = 70
rows = "two"
[keys.global]
"Q" = "quit"
"q" = "none"
[keys.reader]
"ctrl-o" = "open_link"
[[view]]
name = "Crypto in 2021"
query = "sector:crypto date:2021"
key = "f5"
[[view]]
name = "EVs"
query = "sector:auto"
"##,
        );
        assert!(e.is_empty(), "{e:?}");
        let home = std::env::var("HOME").unwrap_or_default();
        assert_eq!(
            c.corpus,
            [
                PathBuf::from(format!("{home}/a.jsonl")),
                PathBuf::from("/srv/news/b.json"),
                PathBuf::from("/cfg/rel.json"),
                PathBuf::from("builtin"),
            ]
        );
        assert_eq!(c.preset.as_deref(), Some("mono"));
        assert_eq!(
            c.theme.selected.fg,
            Some(ratatui::style::Color::Rgb(0x10, 0x20, 0x30))
        );
        assert_eq!(c.theme.date.bg, Some(ratatui::style::Color::Black));
        assert_eq!(c.theme.dim, Theme::mono().dim, "the rest from the preset");
        assert_eq!(c.prefs.list_width, 70);
        assert_eq!(c.prefs.rows, Rows::Two);
        let key = |code, mods| KeyEvent::new(code, mods);
        let at = |ctx, k| keymap::action_for(&c.keymap, ctx, &k);
        assert_eq!(
            at(Context::List, key(KeyCode::Char('Q'), KeyModifiers::SHIFT)),
            Some(Action::Quit)
        );
        assert_eq!(
            at(Context::List, key(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(
            at(
                Context::Reader,
                key(KeyCode::Char('o'), KeyModifiers::CONTROL)
            ),
            Some(Action::OpenLink)
        );
        assert_eq!(
            at(Context::List, key(KeyCode::F(5), KeyModifiers::NONE)),
            Some(Action::ApplyView(0))
        );
        assert_eq!(c.views.len(), 2);
        // What config show prints is a config that gives the same again.
        let shown = to_toml(&c);
        let (again, e2) = parsed(&shown);
        assert!(e2.is_empty(), "{e2:?}\n{shown}");
        assert_eq!(again.theme, c.theme);
        assert_eq!(again.prefs, c.prefs);
        assert_eq!(again.views.len(), 2);
        assert_eq!(again.corpus, c.corpus);
    }

    #[test]
    fn a_colour_changes_only_the_foreground_of_the_presets_style() {
        let (c, e) = parsed("[theme]\nselected = \"#ffffff\"\ndate = { bold = false }\n");
        assert!(e.is_empty(), "{e:?}");
        let dark = Theme::color();
        assert_eq!(
            c.theme.selected.fg,
            Some(ratatui::style::Color::Rgb(255, 255, 255))
        );
        assert_eq!(
            c.theme.selected.bg, dark.selected.bg,
            "the selection stays visible"
        );
        assert!(c
            .theme
            .selected
            .add_modifier
            .contains(ratatui::style::Modifier::BOLD));
        let shown = to_toml(&c);
        assert!(
            shown.contains("date = { fg = \"cyan\", bold = false }"),
            "{shown}"
        );
    }

    #[test]
    fn each_error_names_its_line_and_column() {
        let e = errs("[theme]\npreset = \"dark\"\n\n[keys.global]\n\"x\" = \"quitt\"\n");
        assert_eq!(e.len(), 1);
        assert!(
            e[0].starts_with("/cfg/config.toml:5:7: unknown action \"quitt\""),
            "{e:?}"
        );
        let e = errs("[layout]\nlist_widht = 50\n");
        assert!(
            e[0].starts_with("/cfg/config.toml:2:1:") && e[0].contains("list_widht"),
            "{e:?}"
        );
        let e = errs("colour = 1\n");
        assert!(
            e[0].starts_with("/cfg/config.toml:1:1:") && e[0].contains("colour"),
            "{e:?}"
        );
        let e = errs("[keys.list]\n\"hyper-x\" = \"quit\"\n");
        assert!(
            e[0].starts_with("/cfg/config.toml:2:1:") && e[0].contains("unknown key"),
            "{e:?}"
        );
        let e = errs("[keys.lists]\n\"x\" = \"quit\"\n");
        assert!(e[0].contains(":1:7:") && e[0].contains("context"), "{e:?}");
        let e = errs("[theme]\nselected = \"purpel\"\n");
        assert!(
            e[0].starts_with("/cfg/config.toml:2:12:") && e[0].contains("purpel"),
            "{e:?}"
        );
        let e = errs("[theme]\nselectd = \"red\"\n");
        assert!(
            e[0].contains(":2:1:") && e[0].contains("unknown theme role"),
            "{e:?}"
        );
        let e = errs("[[view]]\nname = \"x\"\nquery = \"date:2021-13\"\n");
        assert!(e[0].contains(":3:9:") && e[0].contains("month 13"), "{e:?}");
        let e = errs("[layout]\nlist_width = 95\n");
        assert!(
            e[0].contains(":2:14:") && e[0].contains("20 to 80"),
            "{e:?}"
        );
        let e = errs("[layout\n");
        assert!(
            e[0].starts_with("/cfg/config.toml:1:"),
            "invalid TOML: {e:?}"
        );
        let e = errs("corpus = \"$FOLIO_SURELY_UNSET/x\"\n");
        assert!(e[0].contains(":1:10:") && e[0].contains("not set"), "{e:?}");
    }

    #[test]
    fn the_good_parts_of_a_config_with_errors_still_apply() {
        let (c, e) = parsed("[layout]\nlist_width = 60\n[keys.global]\n\"x\" = \"nope\"\n");
        assert_eq!(e.len(), 1);
        assert_eq!(c.prefs.list_width, 60);
        // Unparsable TOML: the defaults.
        let (c, e) = parsed("[layout]\nlist_width = 60\n[keys.global\n");
        assert_eq!(e.len(), 1);
        assert_eq!(c.prefs, Prefs::default());
    }
}
