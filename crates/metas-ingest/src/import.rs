//! The import driver: file → rows → records → store, with rejects reported.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::time::Instant;

use metas_store::prelude::*;
use metas_store::StagedRows;
use serde::Serialize;

use crate::fields::Draft;
use crate::plan::{by_kind, ByKind, ImportOptions, Opened, Prepared, Reject, Staging, Step};
use crate::ImportError;

/// What an import did (docs/product.md §9.1 JSON).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub source: String,
    pub record: &'static str,
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Copies left out because a newer copy of the same record won (in the
    /// file or already imported).
    pub superseded: u64,
    /// Records the source said are gone, removed from every figure.
    pub deleted: u64,
    pub rejected: u64,
    pub rejects: Vec<Reject>,
    /// True when more rejects exist than `rejects` lists (see the rejects file).
    pub rejects_truncated: bool,
    pub rejects_file: Option<String>,
    /// Columns of the file that the mapping does not read.
    pub ignored_columns: Vec<String>,
    /// Mapped JSON paths that no record carried.
    pub missing_paths: Vec<String>,
    pub seconds: f64,
}

/// Streams rejects to a temporary file that becomes the rejects file only
/// when the import finishes with at least one reject.
struct Rejects {
    target: PathBuf,
    tmp: PathBuf,
    default_target: bool,
    out: Option<csv::Writer<BufWriter<File>>>,
    listed: Vec<Reject>,
    max_listed: usize,
    count: u64,
}

impl Rejects {
    fn new(target: PathBuf, default_target: bool, max_listed: usize) -> Rejects {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "rejects.csv".into());
        let tmp = target.with_file_name(format!(".{name}.partial"));
        Rejects {
            target,
            tmp,
            default_target,
            out: None,
            listed: Vec::new(),
            max_listed,
            count: 0,
        }
    }

    fn add(&mut self, r: Reject) -> Result<(), ImportError> {
        self.count += 1;
        if self.out.is_none() {
            let f = match File::create(&self.tmp) {
                Ok(f) => f,
                // The input's folder may be read-only (a shared export folder):
                // the default rejects file then goes to the working directory.
                Err(e)
                    if self.default_target
                        && (e.kind() == std::io::ErrorKind::PermissionDenied
                            || e.raw_os_error() == Some(30)) =>
                {
                    let name = self
                        .target
                        .file_name()
                        .map(PathBuf::from)
                        .unwrap_or_default();
                    *self = Rejects::new(name, true, self.max_listed);
                    self.count = 1;
                    File::create(&self.tmp).map_err(|e| ImportError::io(&self.tmp, &e))?
                }
                Err(e) => return Err(ImportError::io(&self.tmp, &e)),
            };
            let mut w = csv::Writer::from_writer(BufWriter::new(f));
            w.write_record(["line", "field", "column", "value", "reason"])
                .map_err(|e| {
                    ImportError::input(&self.tmp, None, &format!("cannot be written: {e}"))
                })?;
            self.out = Some(w);
        }
        let w = self.out.as_mut().expect("opened above");
        w.write_record([
            r.line.to_string().as_str(),
            r.field.as_str(),
            r.column.as_str(),
            r.value.as_str(),
            r.reason.as_str(),
        ])
        .map_err(|e| ImportError::input(&self.tmp, None, &format!("cannot be written: {e}")))?;
        if self.listed.len() < self.max_listed {
            self.listed.push(r);
        }
        Ok(())
    }

    /// Called once the import committed: the rejects file appears (or a stale
    /// default-named one from an earlier run goes away).
    fn finish(mut self) -> Result<Option<PathBuf>, ImportError> {
        match self.out.take() {
            Some(mut w) => {
                w.flush().map_err(|e| ImportError::io(&self.tmp, &e))?;
                drop(w);
                std::fs::rename(&self.tmp, &self.target)
                    .map_err(|e| ImportError::io(&self.target, &e))?;
                Ok(Some(self.target.clone()))
            }
            None => {
                if self.default_target && self.target.exists() {
                    let _ = std::fs::remove_file(&self.target);
                }
                Ok(None)
            }
        }
    }
}

impl Drop for Rejects {
    fn drop(&mut self) {
        // A failed import leaves no partial rejects file behind.
        if self.out.is_some() {
            self.out = None;
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

fn default_rejects_path(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{name}.rejects.csv"))
}

/// Imports `file` into `store` as one transaction. Returns the report, or an
/// error when the file or mapping cannot be used (then nothing is written).
pub fn import_file(
    store: &mut dyn Storage,
    file: &Path,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let opened = Opened::new(file, opts)?;
    let kind = opened.kind();
    by_kind(
        kind,
        Run {
            store,
            opened,
            started,
        },
    )
}

/// An import of one kind of record: read by the plan, written by the store.
struct Run<'a> {
    store: &'a mut dyn Storage,
    opened: Opened<'a>,
    started: Instant,
}

impl ByKind for Run<'_> {
    type Out = Result<ImportReport, ImportError>;

    fn run<D: Draft>(self) -> Self::Out {
        let Run {
            store,
            opened,
            started,
        } = self;
        let (file, opts) = (opened.file, opened.opts);
        let mut plan = opened.plan::<D>()?;
        let mut rejects = Rejects::new(
            opts.rejects_path
                .clone()
                .unwrap_or_else(|| default_rejects_path(file)),
            opts.rejects_path.is_none(),
            opts.max_listed_rejects,
        );
        let file_label = file.display().to_string();
        let mut tx = store.begin_import(&plan.mapping.source.name, &file_label)?;
        if plan.compiled.newest_wins() {
            tx.newest_wins();
        }
        if let Some(r) = &plan.compiled.rubric {
            tx.define_rubric(r)?;
        }
        plan.feed::<StagedRows>(file, opts, |step| match step {
            Step::Staged(rows, rejected) => {
                for (line, error) in rejected {
                    rejects.add(Reject::new(line, error))?;
                }
                Ok(tx.append(rows)?)
            }
            Step::Prepared(Prepared::Reject { line, error }) => {
                rejects.add(Reject::new(line, error))
            }
            Step::Prepared(Prepared::Record { line, hash, record }) => {
                Ok(tx.add(line, hash, &record)?)
            }
        })?;
        let counts = tx.commit(rejects.count)?;
        let rejected = rejects.count;
        let listed = std::mem::take(&mut rejects.listed);
        let rejects_file = rejects.finish()?;
        Ok(ImportReport {
            file: file_label,
            source: plan.mapping.source.name.clone(),
            record: plan.mapping.source.record.as_str(),
            imported: counts.imported,
            updated: counts.updated,
            unchanged: counts.unchanged,
            superseded: counts.superseded,
            deleted: counts.deleted,
            rejected,
            rejects_truncated: (listed.len() as u64) < rejected,
            rejects: listed,
            rejects_file: rejects_file.map(|p| p.display().to_string()),
            ignored_columns: plan.ignored_columns,
            missing_paths: plan.missing_paths,
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}

/// The store's staged columns are where an import lays out prepared rows.
impl Staging for StagedRows {
    fn add(&mut self, line: u64, hash: i64, record: &metas_domain::Record) {
        StagedRows::add(self, line, hash, record);
    }
}
