//! `folio import`, `folio add` and `folio remove`.

use super::{emit, CliError};
use crate::corpus;
use crate::import;
use crate::store::write_atomic;
use crate::text;
use std::path::PathBuf;

pub fn cmd_import(
    inputs: &[PathBuf],
    output: Option<&std::path::Path>,
    opts: &import::Options,
) -> Result<(), CliError> {
    let (articles, report) = import::import_paths(inputs, opts)?;
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

/// `folio add`: import, then merge into the library.
pub fn cmd_add(inputs: &[PathBuf], opts: &import::Options) -> Result<(), CliError> {
    let path = crate::store::library::path()
        .ok_or_else(|| CliError("no data folder: set XDG_DATA_HOME or HOME".into()))?;
    let (articles, report) = import::import_paths(inputs, opts)?;
    eprint!("{}", report.summary());
    let found = articles.len();
    let mut lib = crate::store::library::Library::open(&path)?;
    let added = lib.add(articles)?;
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
    let mut lib = crate::store::library::Library::open(&path)?;
    let (removed, missing) = lib.remove(ids)?;
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
