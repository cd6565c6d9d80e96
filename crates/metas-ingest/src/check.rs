//! Reading a file as an import would, without a database: every row parsed
//! and checked against the mapping, nothing written. `metas import --check`
//! answers with it before a nightly import, and the fuzz targets
//! (fuzz/parsers) drive the readers through it.

use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use crate::fields::Draft;
use crate::plan::{by_kind, ByKind, ImportOptions, Opened, Prepared, Reject, Staging, Step};
use crate::ImportError;

/// What importing a file would do, as far as the file alone can tell.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub file: String,
    pub source: String,
    pub record: &'static str,
    /// Rows that would be imported (new, updated or unchanged: that needs
    /// the database).
    pub readable: u64,
    pub rejected: u64,
    pub rejects: Vec<Reject>,
    /// True when more rejects exist than `rejects` lists.
    pub rejects_truncated: bool,
    /// Columns of the file that the mapping does not read.
    pub ignored_columns: Vec<String>,
    /// Mapped JSON paths that no record carried.
    pub missing_paths: Vec<String>,
    pub seconds: f64,
}

/// Reads `file` with the options' mapping as `import_file` would, writing
/// nothing (no rejects file either). An error is what would stop the import.
pub fn check_file(file: &Path, opts: &ImportOptions) -> Result<CheckReport, ImportError> {
    let started = Instant::now();
    let opened = Opened::new(file, opts)?;
    let kind = opened.kind();
    by_kind(kind, Check { opened, started })
}

/// Rows prepared, only counted.
#[derive(Default)]
struct Counted(u64);

impl Staging for Counted {
    fn add(&mut self, _line: u64, _hash: i64, _record: &metas_domain::Record) {
        self.0 += 1;
    }
}

struct Check<'a> {
    opened: Opened<'a>,
    started: Instant,
}

impl ByKind for Check<'_> {
    type Out = Result<CheckReport, ImportError>;

    fn run<D: Draft>(self) -> Self::Out {
        let (file, opts) = (self.opened.file, self.opened.opts);
        let mut plan = self.opened.plan::<D>()?;
        let mut readable = 0u64;
        let mut rejected = 0u64;
        let mut rejects = Vec::new();
        let mut reject = |line, error| {
            rejected += 1;
            if rejects.len() < opts.max_listed_rejects {
                rejects.push(Reject::new(line, error));
            }
        };
        plan.feed::<Counted>(file, opts, |step| {
            match step {
                Step::Staged(rows, rejected_rows) => {
                    readable += rows.0;
                    for (line, error) in rejected_rows {
                        reject(line, error);
                    }
                }
                Step::Prepared(Prepared::Reject { line, error }) => reject(line, error),
                Step::Prepared(Prepared::Record { .. }) => readable += 1,
            }
            Ok(())
        })?;
        Ok(CheckReport {
            file: file.display().to_string(),
            source: plan.mapping.source.name.clone(),
            record: plan.mapping.source.record.as_str(),
            readable,
            rejected,
            rejects_truncated: (rejects.len() as u64) < rejected,
            rejects,
            ignored_columns: plan.ignored_columns,
            missing_paths: plan.missing_paths,
            seconds: self.started.elapsed().as_secs_f64(),
        })
    }
}
