//! metas-ingest: mappings, value parsers and importers.
//!
//! An import reads a file row by row (never the whole file, except a JSON
//! document, which must be parsed whole), turns each row into canonical
//! records through a compiled mapping, stages them in the store, and commits
//! once at the end. A bad row is rejected with its line, field and reason and
//! never stops the good ones; a bad file or mapping stops everything before
//! anything is written.

mod check;
mod compile;
mod fields;
pub mod generic;
mod hash;
#[cfg(feature = "store")]
mod import;
pub mod mapping;
mod plan;
mod presets;
mod reader;
pub mod values;

use std::path::{Path, PathBuf};

pub use check::{check_file, CheckReport};
pub use compile::RowError;
#[cfg(feature = "store")]
pub use import::{import_file, ImportReport};
pub use mapping::{parse_mapping, Mapping, MappingError};
pub use plan::{preview, ImportOptions, MappingChoice, Preview, Reject};
pub use presets::{preset, PRESETS};

/// An import that could not run. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The input file is missing, unreadable, empty, not text or not UTF-8.
    #[error("{path}{at}: {message}", path = .path.display(), at = line_suffix(*.line))]
    Input {
        path: PathBuf,
        line: Option<u64>,
        message: String,
    },
    /// The mapping is not valid, or does not fit the file.
    #[error("{path}{at}: {message}", path = .path.display(), at = line_suffix(.line.map(|l| l as u64)))]
    Mapping {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
    /// Writing to the database failed (the import was rolled back).
    #[cfg(feature = "store")]
    #[error(transparent)]
    Store(#[from] metas_store::StoreError),
}

fn line_suffix(line: Option<u64>) -> String {
    match line {
        Some(l) if l > 0 => format!(" line {l}"),
        _ => String::new(),
    }
}

impl ImportError {
    pub fn input(path: &Path, line: Option<u64>, message: &str) -> ImportError {
        ImportError::Input {
            path: path.to_path_buf(),
            line,
            message: message.to_string(),
        }
    }

    pub fn io(path: &Path, e: &std::io::Error) -> ImportError {
        let message = match e.kind() {
            std::io::ErrorKind::NotFound => "no such file".to_string(),
            std::io::ErrorKind::PermissionDenied => {
                "permission denied: the file cannot be read".to_string()
            }
            _ => format!("cannot be read: {e}"),
        };
        ImportError::input(path, None, &message)
    }

    pub fn not_utf8(path: &Path, line: u64) -> ImportError {
        ImportError::input(
            path,
            Some(line),
            "is not UTF-8 text; convert it first (for example `iconv -f latin1 -t utf-8`)",
        )
    }

    /// True when the cause is the user's input (exit status 2), not the database.
    pub fn is_input(&self) -> bool {
        #[cfg(feature = "store")]
        if matches!(self, ImportError::Store(_)) {
            return false;
        }
        true
    }
}
