//! What can stop an import, as a type: a settings file (taxonomy, curation) or an input that
//! cannot be read or used, with the file and, where it is known, the line and column.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// A file could not be read at all.
    #[error("{}: cannot read: {why}", .path.display())]
    Unreadable { path: PathBuf, why: String },
    /// A file's content is wrong; `line` and `column` are 0 when the place is not known.
    #[error("{}", place(.file, *.line, *.column, .why))]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        why: String,
    },
}

fn place(file: &str, line: usize, column: usize, why: &str) -> String {
    match (line, column) {
        (0, _) => format!("{file}: {why}"),
        (l, 0) => format!("{file}:{l}: {why}"),
        (l, c) => format!("{file}:{l}:{c}: {why}"),
    }
}

impl ImportError {
    /// A JSON error in `file`, at its line and column.
    pub fn json(file: &str, e: &serde_json::Error) -> ImportError {
        let mut why = e.to_string();
        if let Some(p) = why.rfind(" at line ") {
            why.truncate(p);
        }
        ImportError::Invalid {
            file: file.to_string(),
            line: e.line(),
            column: e.column(),
            why,
        }
    }

    /// Something wrong with `file` as a whole.
    pub fn invalid(file: &str, why: impl Into<String>) -> ImportError {
        ImportError::Invalid {
            file: file.to_string(),
            line: 0,
            column: 0,
            why: why.into(),
        }
    }

    pub fn unreadable(path: &std::path::Path, e: &std::io::Error) -> ImportError {
        ImportError::Unreadable {
            path: path.to_path_buf(),
            why: e.to_string(),
        }
    }
}
