//! The import driver: file → rows → records → store, with rejects reported.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::time::Instant;

use metas_domain::{Record, RecordKind};
use metas_store::prelude::*;
use metas_store::StagedRows;
use serde::Serialize;

use crate::compile::{generic_mapping, Compiled, Layout, RowError};
use crate::fields::{
    AgentDraft, CustomerDraft, Draft, EventDraft, InteractionDraft, QaDraft, SurveyDraft,
};
use crate::mapping::{parse_mapping, Format, Mapping};
use crate::reader::{self, Row};
use crate::{hash, presets, ImportError};

/// Which mapping to use.
#[derive(Debug, Clone)]
pub enum MappingChoice {
    File(PathBuf),
    Preset(String),
}

#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub mapping: MappingChoice,
    /// Overrides the mapping's source name.
    pub source: Option<String>,
    /// Overrides the mapping's time zone.
    pub timezone: Option<String>,
    /// Where rejected rows are written (default: `<file>.rejects.csv`).
    pub rejects_path: Option<PathBuf>,
    /// How many rejects the report lists (all are written to the rejects file).
    pub max_listed_rejects: usize,
    /// Where the import reports how many bytes of the file it has read (for
    /// a progress bar); updated every few thousand rows.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
}

impl ImportOptions {
    pub fn new(mapping: MappingChoice) -> ImportOptions {
        ImportOptions {
            mapping,
            source: None,
            timezone: None,
            rejects_path: None,
            max_listed_rejects: 1000,
            progress: None,
        }
    }
}

/// One rejected row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reject {
    pub line: u64,
    pub field: String,
    pub column: String,
    pub value: String,
    pub reason: String,
}

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

fn format_of(mapping: Option<&Mapping>, file: &Path) -> Format {
    if let Some(f) = mapping.and_then(|m| m.source.format) {
        return f;
    }
    match file
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .as_deref()
    {
        Some("json") => Format::Json,
        Some("ndjson") | Some("jsonl") => Format::Ndjson,
        _ => Format::Csv,
    }
}

/// The generic preset for a CSV: its columns named like canonical fields.
fn generic_csv_mapping(
    file: &Path,
    header: &[String],
    opts: &ImportOptions,
) -> Result<Mapping, ImportError> {
    let source = opts.source.clone().unwrap_or_else(|| "generic".into());
    let m = generic_mapping(RecordKind::Interaction, header, &source);
    if m.fields.is_empty() {
        return Err(ImportError::input(
            file,
            Some(1),
            &format!(
                "the header names none of the generic columns (external_id, channel, created_at, …; see docs/import.md); it reads: {}",
                truncate(&header.join(", "), 300)
            ),
        ));
    }
    Ok(m)
}

/// A CSV's delimiter: the mapping's, else sniffed from the first line.
fn delimiter_of(
    mapping: Option<&Mapping>,
    text: &str,
    mapping_path: &Path,
    head: &[u8],
) -> Result<u8, ImportError> {
    Ok(match mapping.and_then(|m| m.source.delimiter.as_deref()) {
        Some("\\t") | Some("tab") => b'\t',
        Some(d) if d.len() == 1 => d.as_bytes()[0],
        Some(d) => {
            return Err(ImportError::Mapping {
                path: mapping_path.to_path_buf(),
                line: crate::mapping::line_of_key(text, Some("source"), "delimiter"),
                message: format!("delimiter must be one character (or \"tab\"), not '{d}'"),
            })
        }
        None => reader::sniff_delimiter(head),
    })
}

/// The mapping chosen: parsed (none for the generic preset, which is built
/// from the file's header), its text (line numbers, the hash seed) and
/// where it came from.
type LoadedMapping = (Option<Mapping>, String, PathBuf);

fn load_mapping(choice: &MappingChoice) -> Result<LoadedMapping, ImportError> {
    // The mapping: its text (for line numbers and the hash seed) and where it came from.
    Ok(match choice {
        MappingChoice::File(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| match e.kind() {
                std::io::ErrorKind::InvalidData => ImportError::Mapping {
                    path: p.clone(),
                    line: None,
                    message: "is not UTF-8 text".into(),
                },
                _ => ImportError::Mapping {
                    path: p.clone(),
                    line: None,
                    message: match e.kind() {
                        std::io::ErrorKind::NotFound => "no such mapping file".into(),
                        _ => format!("cannot be read: {e}"),
                    },
                },
            })?;
            let m = parse_mapping(&text).map_err(|e| ImportError::Mapping {
                path: p.clone(),
                line: e.line,
                message: e.message,
            })?;
            (Some(m), text, p.clone())
        }
        MappingChoice::Preset(name) if name == "generic" => {
            (None, "generic".into(), PathBuf::from("preset generic"))
        }
        MappingChoice::Preset(name) => match presets::preset(name) {
            Some((m, text)) => (
                Some(m),
                text.to_string(),
                PathBuf::from(format!("preset {name}")),
            ),
            None => {
                return Err(ImportError::Mapping {
                    path: PathBuf::from(format!("preset {name}")),
                    line: None,
                    message: format!(
                        "there is no such preset; the presets are: {}",
                        presets::PRESETS
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })
            }
        },
    })
}

/// The first rows of a file as it will be read, before importing it.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    /// CSV: the header, each with whether the mapping reads it.
    pub columns: Vec<(String, bool)>,
    /// CSV: the first rows, cell by cell.
    pub rows: Vec<Vec<String>>,
    /// JSON and NDJSON: the start of the file as text.
    pub text: Option<String>,
}

/// Reads the first `max_rows` rows of `file` and checks the mapping against
/// its header (a CSV mapping naming a column the file lacks fails here, as
/// it would on import). Writes nothing.
pub fn preview(file: &Path, opts: &ImportOptions, max_rows: usize) -> Result<Preview, ImportError> {
    let (mapping, text, mapping_path) = load_mapping(&opts.mapping)?;
    let format = format_of(mapping.as_ref(), file);
    let head = reader::sniff(file)?;
    if format != Format::Csv {
        let body = String::from_utf8_lossy(head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&head));
        let lines: Vec<&str> = body.lines().take(max_rows).collect();
        return Ok(Preview {
            columns: vec![],
            rows: vec![],
            text: Some(truncate(&lines.join("\n"), 4000)),
        });
    }
    let delimiter = delimiter_of(mapping.as_ref(), &text, &mapping_path, &head)?;
    let mut src = reader::open_csv(file, delimiter)?;
    let header = src.header.clone();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while rows.len() < max_rows
        && src
            .reader
            .read_record(&mut record)
            .map_err(|e| reader::csv_fatal(file, &e))?
    {
        rows.push(record.iter().map(|c| truncate(c, 200)).collect());
    }
    let mapping = match mapping {
        Some(m) => m,
        None => generic_csv_mapping(file, &header, opts)?,
    };
    let mapping_err = |e: crate::MappingError| ImportError::Mapping {
        path: mapping_path.clone(),
        line: e.line,
        message: e.message,
    };
    let layout = Layout::Csv(&header);
    let ignored = match mapping.source.record {
        RecordKind::Interaction => {
            Compiled::<InteractionDraft>::new(&mapping, &layout, &text).map(|c| c.ignored_columns)
        }
        RecordKind::Event => {
            Compiled::<EventDraft>::new(&mapping, &layout, &text).map(|c| c.ignored_columns)
        }
        RecordKind::Survey => {
            Compiled::<SurveyDraft>::new(&mapping, &layout, &text).map(|c| c.ignored_columns)
        }
        RecordKind::QaReview => {
            Compiled::<QaDraft>::new(&mapping, &layout, &text).map(|c| c.ignored_columns)
        }
        RecordKind::Customer => {
            Compiled::<CustomerDraft>::new(&mapping, &layout, &text).map(|c| c.ignored_columns)
        }
        RecordKind::Agent => {
            Compiled::<AgentDraft>::new(&mapping, &layout, &text).map(|c| c.ignored_columns)
        }
    }
    .map_err(mapping_err)?;
    Ok(Preview {
        columns: header
            .iter()
            .map(|h| (h.clone(), !ignored.contains(h)))
            .collect(),
        rows,
        text: None,
    })
}

/// Imports `file` into `store` as one transaction. Returns the report, or an
/// error when the file or mapping cannot be used (then nothing is written).
pub fn import_file(
    store: &mut dyn Storage,
    file: &Path,
    opts: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let (mapping, text, mapping_path) = load_mapping(&opts.mapping)?;
    let format = format_of(mapping.as_ref(), file);
    let head = reader::sniff(file)?;
    let kind = mapping
        .as_ref()
        .map(|m| m.source.record)
        .unwrap_or(RecordKind::Interaction);
    let ctx = Ctx {
        store,
        file,
        opts,
        mapping,
        text,
        mapping_path,
        format,
        head,
        started,
    };
    match kind {
        RecordKind::Interaction => run::<InteractionDraft>(ctx),
        RecordKind::Event => run::<EventDraft>(ctx),
        RecordKind::Survey => run::<SurveyDraft>(ctx),
        RecordKind::QaReview => run::<QaDraft>(ctx),
        RecordKind::Customer => run::<CustomerDraft>(ctx),
        RecordKind::Agent => run::<AgentDraft>(ctx),
    }
}

struct Ctx<'a> {
    store: &'a mut dyn Storage,
    file: &'a Path,
    opts: &'a ImportOptions,
    mapping: Option<Mapping>,
    text: String,
    mapping_path: PathBuf,
    format: Format,
    head: Vec<u8>,
    started: Instant,
}

/// What one input row became, decided without touching the database.
enum Prepared {
    Record {
        line: u64,
        hash: i64,
        record: Record,
    },
    Reject {
        line: u64,
        error: RowError,
    },
}

/// The per-file state of deciding rows: the ids seen so far.
struct Decider {
    /// The newest copy of a record wins, decided at commit: a repeated id
    /// is then not a reject.
    newest_wins: bool,
    /// A 128-bit digest of each id seen, with the line that had it first:
    /// no string kept per row, and two ids sharing a digest is far less
    /// likely than a memory error.
    seen: HashMap<u128, u64, crate::hash::FastState>,
    seed: u64,
}

impl Decider {
    fn new(seed: u64, newest_wins: bool) -> Decider {
        Decider {
            newest_wins,
            seen: HashMap::with_hasher(crate::hash::FastState::random()),
            seed,
        }
    }

    /// The reject for a row whose id an earlier row already had.
    fn duplicate<D: Draft>(
        &mut self,
        compiled: &Compiled<D>,
        line: u64,
        row: &Row,
    ) -> Option<RowError> {
        if self.newest_wins {
            return None;
        }
        let key = compiled.key(row)?;
        let digest = crate::hash::digest128(key.as_bytes());
        match self.seen.entry(digest) {
            std::collections::hash_map::Entry::Occupied(first) => {
                let (field, column) = compiled.key_names().unwrap_or(("external_id", ""));
                Some(RowError {
                    field: field.into(),
                    column: column.into(),
                    value: key.to_string(),
                    reason: format!(
                        "duplicate id '{key}': line {} has the same one; the first is kept",
                        first.get()
                    ),
                })
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(line);
                None
            }
        }
    }

    fn decide<D: Draft>(&mut self, compiled: &Compiled<D>, line: u64, row: &Row) -> Prepared {
        match self.duplicate(compiled, line, row) {
            Some(error) => Prepared::Reject { line, error },
            None => prepare(compiled, line, row, self.seed),
        }
    }
}

/// What a row (whose id is not a duplicate) becomes: needs nothing but the
/// mapping, so rows are prepared on several threads.
fn prepare<D: Draft>(compiled: &Compiled<D>, line: u64, row: &Row, seed: u64) -> Prepared {
    match compiled.build(row) {
        Err(error) => Prepared::Reject { line, error },
        Ok(record) => Prepared::Record {
            line,
            hash: compiled.row_hash(row, seed),
            record,
        },
    }
}

/// State shared by the row loop of every format.
struct Sink<'t, 'c> {
    tx: Box<dyn ImportSink + 'c>,
    rejects: &'t mut Rejects,
    decider: Decider,
}

impl Sink<'_, '_> {
    fn reject(&mut self, line: u64, e: RowError) -> Result<(), ImportError> {
        self.rejects.add(Reject {
            line,
            field: e.field,
            column: e.column,
            value: truncate(&e.value, 200),
            reason: e.reason,
        })
    }

    fn apply(&mut self, p: Prepared) -> Result<(), ImportError> {
        match p {
            Prepared::Reject { line, error } => self.reject(line, error),
            Prepared::Record { line, hash, record } => Ok(self.tx.add(line, hash, &record)?),
        }
    }

    fn row<D: Draft>(
        &mut self,
        compiled: &Compiled<D>,
        line: u64,
        row: &Row,
    ) -> Result<(), ImportError> {
        let p = self.decider.decide(compiled, line, row);
        self.apply(p)
    }
}

/// A CSV record with the wrong number of fields, or one a never-closed
/// quote ran to the end of the file.
fn malformed_row(record: &csv::StringRecord, header_len: usize, unclosed: Option<u64>) -> RowError {
    let mut reason = if record.len() != header_len {
        format!(
            "has {} fields where the header has {}",
            record.len(),
            header_len
        )
    } else {
        String::new()
    };
    if let Some(opened) = unclosed {
        if !reason.is_empty() {
            reason.push_str(": ");
        }
        reason.push_str(&format!(
            "a quoted field opens on line {opened} and is never closed, so the lines after it ran into this row (a quote inside a quoted field is written twice: \"\")"
        ));
    }
    RowError {
        field: "(row)".into(),
        column: String::new(),
        value: truncate(&record.iter().collect::<Vec<_>>().join(","), 200),
        reason,
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Rows per message between the threads of a CSV import.
const CHUNK_ROWS: usize = 8192;

/// Threads that prepare rows (parse values, hash) in a CSV import.
const PREPARERS: usize = 2;

/// Rows read from a CSV, in file order, numbered by `seq`: those to
/// prepare, and those already rejected (malformed, duplicate id).
struct RawChunk {
    seq: usize,
    rows: Result<RawRows, ImportError>,
}

/// Rows to prepare and rows rejected, each with its line.
type RawRows = (Vec<(u64, csv::StringRecord)>, Vec<(u64, RowError)>);

/// A chunk prepared: rows laid out for the store, and the rejects.
type Prepped = (
    usize,
    Result<(StagedRows, Vec<(u64, RowError)>), ImportError>,
);

/// Reads a CSV, rejecting malformed rows and duplicate ids (which need the
/// rows in order), and sends the rest on in chunks. Each record is checked
/// once the next one is read, so the last one can be checked for a quote
/// that is never closed. Stops early when nobody listens any more.
fn read_csv<D: Draft>(
    mut src: reader::CsvSource,
    compiled: &Compiled<D>,
    mut decider: Decider,
    file: &Path,
    opts: &ImportOptions,
    out: &std::sync::mpsc::SyncSender<RawChunk>,
) {
    let header_len = src.header.len();
    let read = |src: &mut reader::CsvSource, r: &mut csv::StringRecord| {
        src.reader
            .read_record(r)
            .map_err(|e| reader::csv_fatal(file, &e))
    };
    let mut seq = 0;
    let mut send = |rows| {
        let ok = out.send(RawChunk { seq, rows }).is_ok();
        seq += 1;
        ok
    };
    let mut rows = Vec::with_capacity(CHUNK_ROWS);
    let mut rejected = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut next = csv::StringRecord::new();
    let mut have = match read(&mut src, &mut record) {
        Ok(h) => h,
        Err(e) => {
            send(Err(e));
            return;
        }
    };
    let mut in_chunk = 0;
    while have {
        have = match read(&mut src, &mut next) {
            Ok(h) => h,
            Err(e) => {
                send(Err(e));
                return;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if line.is_multiple_of(4096) {
            report_progress(opts, record.position().map(|p| p.byte()).unwrap_or(0));
        }
        let unclosed = if have {
            None
        } else {
            src.unclosed_quote_line()
        };
        if record.len() != header_len || unclosed.is_some() {
            rejected.push((line, malformed_row(&record, header_len, unclosed)));
        } else if let Some(e) = decider.duplicate(compiled, line, &Row::Csv(&record)) {
            rejected.push((line, e));
        } else {
            rows.push((line, std::mem::take(&mut record)));
        }
        in_chunk += 1;
        if in_chunk == CHUNK_ROWS {
            in_chunk = 0;
            let full = std::mem::replace(&mut rows, Vec::with_capacity(CHUNK_ROWS));
            if !send(Ok((full, std::mem::take(&mut rejected)))) {
                return;
            }
        }
        std::mem::swap(&mut record, &mut next);
    }
    send(Ok((rows, rejected)));
}

/// Prepares chunks until the reader is done (or the importer gone).
fn prepare_chunks<D: Draft>(
    compiled: &Compiled<D>,
    seed: u64,
    work: &std::sync::Mutex<std::sync::mpsc::Receiver<RawChunk>>,
    out: &std::sync::mpsc::SyncSender<Prepped>,
) {
    loop {
        let chunk = match work.lock().unwrap_or_else(|p| p.into_inner()).recv() {
            Ok(c) => c,
            Err(_) => return,
        };
        let prepared = chunk.rows.map(|(rows, mut rejected)| {
            let mut staged = StagedRows::new();
            for (line, record) in &rows {
                match prepare(compiled, *line, &Row::Csv(record), seed) {
                    Prepared::Record { line, hash, record } => staged.add(line, hash, &record),
                    Prepared::Reject { line, error } => rejected.push((line, error)),
                }
            }
            rejected.sort_by_key(|(line, _)| *line);
            (staged, rejected)
        });
        if out.send((chunk.seq, prepared)).is_err() {
            return;
        }
    }
}

fn run<D: Draft>(ctx: Ctx) -> Result<ImportReport, ImportError> {
    let Ctx {
        store,
        file,
        opts,
        mapping,
        text,
        mapping_path,
        format,
        head,
        started,
    } = ctx;
    let mapping_err = |e: crate::MappingError| ImportError::Mapping {
        path: mapping_path.clone(),
        line: e.line,
        message: e.message,
    };
    let apply_overrides = |mut m: Mapping| -> Mapping {
        if let Some(s) = &opts.source {
            m.source.name = s.clone();
        }
        if let Some(tz) = &opts.timezone {
            m.source.timezone = Some(tz.clone());
        }
        m
    };
    let seed = hash::hash_text(&text);
    let rejects_target = opts
        .rejects_path
        .clone()
        .unwrap_or_else(|| default_rejects_path(file));
    let mut rejects = Rejects::new(
        rejects_target,
        opts.rejects_path.is_none(),
        opts.max_listed_rejects,
    );
    let file_label = file.display().to_string();
    let (mapping, counts, ignored_columns, missing_paths) = match format {
        Format::Csv => {
            let delimiter = delimiter_of(mapping.as_ref(), &text, &mapping_path, &head)?;
            let src = reader::open_csv(file, delimiter)?;
            let header = src.header.clone();
            let mapping = match mapping {
                Some(m) => apply_overrides(m),
                None => apply_overrides(generic_csv_mapping(file, &header, opts)?),
            };
            let compiled: Compiled<D> =
                Compiled::new(&mapping, &Layout::Csv(&header), &text).map_err(mapping_err)?;
            let tx = store.begin_import(&mapping.source.name, &file_label)?;
            let mut sink = Sink {
                tx,
                rejects: &mut rejects,
                decider: Decider::new(seed, compiled.newest_wins()),
            };
            if compiled.newest_wins() {
                sink.tx.newest_wins();
            }
            if let Some(r) = &compiled.rubric {
                sink.tx.define_rubric(r)?;
            }
            // One thread reads the file and rejects malformed rows and
            // duplicate ids; two prepare the rest (values parsed, hashed,
            // laid out in columns); this one writes them in file order.
            let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<RawChunk>(PREPARERS * 2);
            let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Prepped>(PREPARERS * 2);
            let work = std::sync::Mutex::new(raw_rx);
            let decider = Decider::new(seed, compiled.newest_wins());
            let compiled_ref = &compiled;
            std::thread::scope(|scope| -> Result<(), ImportError> {
                scope.spawn(move || read_csv(src, compiled_ref, decider, file, opts, &raw_tx));
                for _ in 0..PREPARERS {
                    let done_tx = done_tx.clone();
                    let work = &work;
                    scope.spawn(move || prepare_chunks(compiled_ref, seed, work, &done_tx));
                }
                drop(done_tx);
                // Chunks arrive in any order and are written in file order.
                // An error returns at once, dropping the receiver, which
                // stops the other threads.
                let mut waiting = std::collections::BTreeMap::new();
                let mut next_seq = 0;
                for (seq, prepared) in done_rx.iter() {
                    waiting.insert(seq, prepared);
                    while let Some(prepared) = waiting.remove(&next_seq) {
                        next_seq += 1;
                        let (rows, rejected) = prepared?;
                        for (line, error) in rejected {
                            sink.reject(line, error)?;
                        }
                        sink.tx.append(rows)?;
                    }
                }
                Ok(())
            })?;
            let rejected = sink.rejects.count;
            let counts = sink.tx.commit(rejected)?;
            (
                mapping,
                counts,
                compiled.ignored_columns.clone(),
                Vec::new(),
            )
        }
        Format::Json | Format::Ndjson => {
            // The generic preset reads objects whose keys are canonical
            // names (nested objects as dotted paths: {"customer": {"age": 40}}
            // is customer.age); keys it does not know are reported.
            let mut generic_ignored = Vec::new();
            let mapping = match mapping {
                Some(m) => apply_overrides(m),
                None => {
                    let keys = json_keys(file, format)?;
                    let source = opts.source.clone().unwrap_or_else(|| "generic".into());
                    let m =
                        apply_overrides(generic_mapping(RecordKind::Interaction, &keys, &source));
                    if m.fields.is_empty() {
                        return Err(ImportError::input(
                            file,
                            Some(1),
                            &format!(
                                "the records carry none of the generic fields (external_id, channel, created_at, …; see docs/import.md); their keys are: {}",
                                truncate(&keys.join(", "), 300)
                            ),
                        ));
                    }
                    let used: Vec<String> = m
                        .fields
                        .values()
                        .chain(m.customer.values())
                        .chain(m.attributes.values())
                        .filter_map(|f| f.column.clone())
                        .chain(m.surveys.iter().map(|s| s.column.clone()))
                        .collect();
                    generic_ignored = keys.into_iter().filter(|k| !used.contains(k)).collect();
                    m
                }
            };
            let compiled: Compiled<D> =
                Compiled::new(&mapping, &Layout::Json, &text).map_err(mapping_err)?;
            let mut missing_paths = Vec::new();
            let records = if format == Format::Json {
                let recs = reader::read_json_records(
                    file,
                    mapping.source.records.as_deref(),
                    &mapping.source.join,
                )?;
                for p in compiled.json_paths() {
                    let col = reader::json_path(&p);
                    if !recs.iter().any(|r| path_present(r, &col)) {
                        missing_paths.push(p);
                    }
                }
                Some(recs)
            } else {
                None
            };
            let tx = store.begin_import(&mapping.source.name, &file_label)?;
            let mut sink = Sink {
                tx,
                rejects: &mut rejects,
                decider: Decider::new(seed, compiled.newest_wins()),
            };
            if compiled.newest_wins() {
                sink.tx.newest_wins();
            }
            if let Some(r) = &compiled.rubric {
                sink.tx.define_rubric(r)?;
            }
            match records {
                Some(recs) => {
                    for (i, rec) in recs.iter().enumerate() {
                        sink.row(&compiled, i as u64 + 1, &Row::Json(rec))?;
                    }
                }
                None => {
                    let f = reader::open(file)?;
                    let mut lines = BufReader::with_capacity(1 << 20, f);
                    let mut buf = String::new();
                    let mut line = 0u64;
                    let mut read_bytes = 0u64;
                    loop {
                        buf.clear();
                        let n = lines.read_line(&mut buf).map_err(|e| {
                            if e.kind() == std::io::ErrorKind::InvalidData {
                                ImportError::not_utf8(file, line + 1)
                            } else {
                                ImportError::io(file, &e)
                            }
                        })?;
                        if n == 0 {
                            break;
                        }
                        line += 1;
                        read_bytes += n as u64;
                        if line.is_multiple_of(4096) {
                            report_progress(opts, read_bytes);
                        }
                        let t = buf.trim_start_matches('\u{feff}').trim();
                        if t.is_empty() {
                            continue;
                        }
                        match serde_json::from_str::<serde_json::Value>(t) {
                            Ok(v) if v.is_object() => sink.row(&compiled, line, &Row::Json(&v))?,
                            Ok(_) => sink.reject(
                                line,
                                RowError {
                                    field: "(record)".into(),
                                    column: String::new(),
                                    value: truncate(t, 200),
                                    reason: "is not a JSON object".into(),
                                },
                            )?,
                            Err(e) => sink.reject(
                                line,
                                RowError {
                                    field: "(record)".into(),
                                    column: String::new(),
                                    value: truncate(t, 200),
                                    reason: format!("is not valid JSON: {e}"),
                                },
                            )?,
                        }
                    }
                }
            }
            let rejected = sink.rejects.count;
            let counts = sink.tx.commit(rejected)?;
            (mapping, counts, generic_ignored, missing_paths)
        }
    };
    let rejected = rejects.count;
    let listed = std::mem::take(&mut rejects.listed);
    let rejects_file = rejects.finish()?;
    Ok(ImportReport {
        file: file_label,
        source: mapping.source.name.clone(),
        record: mapping.source.record.as_str(),
        imported: counts.imported,
        updated: counts.updated,
        unchanged: counts.unchanged,
        superseded: counts.superseded,
        deleted: counts.deleted,
        rejected,
        rejects_truncated: (listed.len() as u64) < rejected,
        rejects: listed,
        rejects_file: rejects_file.map(|p| p.display().to_string()),
        ignored_columns,
        missing_paths,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Every key path the file's objects carry (nested objects as dotted
/// paths), in order of first appearance: what the generic preset maps.
fn json_keys(file: &Path, format: Format) -> Result<Vec<String>, ImportError> {
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
        if let serde_json::Value::Object(m) = v {
            for (k, x) in m {
                let path = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if x.is_object() {
                    walk(&path, x, out);
                } else if !out.contains(&path) {
                    out.push(path);
                }
            }
        }
    }
    let mut keys = Vec::new();
    if format == Format::Json {
        for r in reader::read_json_records(file, None, &[])? {
            walk("", &r, &mut keys);
        }
        return Ok(keys);
    }
    let f = reader::open(file)?;
    // Lines that do not parse are rejected later with their line number.
    for (i, line) in BufReader::with_capacity(1 << 20, f).lines().enumerate() {
        let line = line.map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidData {
                ImportError::not_utf8(file, i as u64 + 1)
            } else {
                ImportError::io(file, &e)
            }
        })?;
        let t = line.trim_start_matches('\u{feff}').trim();
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(t) {
            walk("", &v, &mut keys);
        }
    }
    Ok(keys)
}

fn report_progress(opts: &ImportOptions, bytes: u64) {
    if let Some(p) = &opts.progress {
        p.store(bytes, std::sync::atomic::Ordering::Relaxed);
    }
}

fn path_present(v: &serde_json::Value, col: &reader::ColRef) -> bool {
    let reader::ColRef::Path(p) = col else {
        return true;
    };
    let mut cur = v;
    for k in p {
        cur = match cur {
            serde_json::Value::Object(m) => match m.get(k) {
                Some(x) => x,
                None => return false,
            },
            _ => return false,
        };
    }
    true
}
