//! `folio bookmarks`: list, add, remove, export and import.

use super::{emit, resolve_id, BookmarksCommand, CliError, ExportFormat};
use crate::corpus::Corpus;
use crate::store::write_atomic;
use crate::text;
use std::io;

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
                let date = e.date.map_or_else(|| "-".into(), |d| d.to_string());
                let mut line = format!(
                    "{}  {}  {}",
                    text::pad(e.id, idw),
                    text::pad(&date, 10),
                    text::one_line(e.title)
                );
                if !e.in_corpus {
                    line.push_str("  (not in this corpus)");
                }
                out.push_str(&line);
                out.push('\n');
                // The whole note, every line of it, indented under its article.
                for n in e.note.trim_end().lines() {
                    out.push_str("    ");
                    out.push_str(&text::sanitize(n, false));
                    out.push('\n');
                }
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
