//! An import planned, without the database: the mapping loaded and compiled
//! against the file's header or keys, then every row read and prepared
//! (values parsed, ids checked, hashed). `import` writes what this yields;
//! `check` only counts it. Nothing here links the store, so the fuzz targets
//! (fuzz/parsers) run the very code an import runs.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use metas_domain::{Record, RecordKind};
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

impl Reject {
    pub(crate) fn new(line: u64, e: RowError) -> Reject {
        Reject {
            line,
            field: e.field,
            column: e.column,
            value: truncate(&e.value, 200),
            reason: e.reason,
        }
    }
}

pub(crate) fn format_of(mapping: Option<&Mapping>, file: &Path) -> Format {
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
pub(crate) type LoadedMapping = (Option<Mapping>, String, PathBuf);

pub(crate) fn load_mapping(choice: &MappingChoice) -> Result<LoadedMapping, ImportError> {
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
    struct Ignored<'a>(&'a Mapping, &'a [String], &'a str);
    impl ByKind for Ignored<'_> {
        type Out = Result<Vec<String>, crate::MappingError>;
        fn run<D: Draft>(self) -> Self::Out {
            Compiled::<D>::new(self.0, &Layout::Csv(self.1), self.2).map(|c| c.ignored_columns)
        }
    }
    let ignored =
        by_kind(mapping.source.record, Ignored(&mapping, &header, &text)).map_err(mapping_err)?;
    Ok(Preview {
        columns: header
            .iter()
            .map(|h| (h.clone(), !ignored.contains(h)))
            .collect(),
        rows,
        text: None,
    })
}

/// A file and its mapping, loaded and sniffed: what every reading of a
/// file (import, check) starts from.
pub(crate) struct Opened<'a> {
    pub file: &'a Path,
    pub opts: &'a ImportOptions,
    loaded: LoadedMapping,
    format: Format,
    head: Vec<u8>,
}

impl<'a> Opened<'a> {
    pub(crate) fn new(file: &'a Path, opts: &'a ImportOptions) -> Result<Opened<'a>, ImportError> {
        let loaded = load_mapping(&opts.mapping)?;
        let format = format_of(loaded.0.as_ref(), file);
        let head = reader::sniff(file)?;
        Ok(Opened {
            file,
            opts,
            loaded,
            format,
            head,
        })
    }

    /// The kind of record the mapping reads (the generic preset reads
    /// interactions).
    pub(crate) fn kind(&self) -> RecordKind {
        self.loaded
            .0
            .as_ref()
            .map(|m| m.source.record)
            .unwrap_or(RecordKind::Interaction)
    }

    pub(crate) fn plan<D: Draft>(self) -> Result<Plan<D>, ImportError> {
        Plan::open(self.file, self.opts, self.loaded, self.format, &self.head)
    }
}

/// Work that depends on the kind of record, written once for every kind.
pub(crate) trait ByKind {
    type Out;
    fn run<D: Draft>(self) -> Self::Out;
}

pub(crate) fn by_kind<V: ByKind>(kind: RecordKind, v: V) -> V::Out {
    match kind {
        RecordKind::Interaction => v.run::<InteractionDraft>(),
        RecordKind::Event => v.run::<EventDraft>(),
        RecordKind::Survey => v.run::<SurveyDraft>(),
        RecordKind::QaReview => v.run::<QaDraft>(),
        RecordKind::Customer => v.run::<CustomerDraft>(),
        RecordKind::Agent => v.run::<AgentDraft>(),
    }
}

/// Where prepared rows are laid out, chunk by chunk (the store's staged
/// columns on import, a count on a check).
pub(crate) trait Staging: Default + Send {
    fn add(&mut self, line: u64, hash: i64, record: &Record);
}

/// What reading hands on, in file order.
#[expect(
    clippy::large_enum_variant,
    reason = "handed on one at a time, never stored: boxing would cost an allocation per row"
)]
pub(crate) enum Step<S> {
    /// A CSV chunk: prepared rows, and the rows rejected (by line).
    Staged(S, Vec<(u64, RowError)>),
    /// One JSON or NDJSON record, prepared or rejected.
    Prepared(Prepared),
}

/// The rows still to read.
enum Input {
    Csv(reader::CsvSource),
    Json(Vec<serde_json::Value>),
    Ndjson,
}

/// A file and its mapping, checked against each other, ready to be read.
pub(crate) struct Plan<D: Draft> {
    /// The mapping with the options' overrides (source name, time zone).
    pub mapping: Mapping,
    pub compiled: Compiled<D>,
    /// Columns of a CSV (or keys of the generic preset's JSON) nobody reads.
    pub ignored_columns: Vec<String>,
    /// Mapped JSON paths that no record carried.
    pub missing_paths: Vec<String>,
    /// Seeds the row hashes: the same mapping text hashes the same rows alike.
    seed: u64,
    input: Option<Input>,
}

impl<D: Draft> Plan<D> {
    /// Opens `file` with the loaded mapping: everything that can stop the
    /// import before anything is written (a bad mapping, a missing column,
    /// a JSON document that does not parse) stops it here.
    pub(crate) fn open(
        file: &Path,
        opts: &ImportOptions,
        loaded: LoadedMapping,
        format: Format,
        head: &[u8],
    ) -> Result<Plan<D>, ImportError> {
        let (mapping, text, mapping_path) = loaded;
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
        match format {
            Format::Csv => {
                let delimiter = delimiter_of(mapping.as_ref(), &text, &mapping_path, head)?;
                let src = reader::open_csv(file, delimiter)?;
                let header = src.header.clone();
                let mapping = match mapping {
                    Some(m) => apply_overrides(m),
                    None => apply_overrides(generic_csv_mapping(file, &header, opts)?),
                };
                let compiled: Compiled<D> =
                    Compiled::new(&mapping, &Layout::Csv(&header), &text).map_err(mapping_err)?;
                let ignored_columns = compiled.ignored_columns.clone();
                Ok(Plan {
                    mapping,
                    compiled,
                    ignored_columns,
                    missing_paths: Vec::new(),
                    seed,
                    input: Some(Input::Csv(src)),
                })
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
                        let m = apply_overrides(generic_mapping(
                            RecordKind::Interaction,
                            &keys,
                            &source,
                        ));
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
                let input = if format == Format::Json {
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
                    Input::Json(recs)
                } else {
                    Input::Ndjson
                };
                Ok(Plan {
                    mapping,
                    compiled,
                    ignored_columns: generic_ignored,
                    missing_paths,
                    seed,
                    input: Some(input),
                })
            }
        }
    }

    /// Reads every row once and hands each on, in file order. An error from
    /// `on` stops the reading (and its threads) at once.
    pub(crate) fn feed<S: Staging>(
        &mut self,
        file: &Path,
        opts: &ImportOptions,
        mut on: impl FnMut(Step<S>) -> Result<(), ImportError>,
    ) -> Result<(), ImportError> {
        let seed = self.seed;
        let compiled = &self.compiled;
        let mut decider = Decider::new(seed, compiled.newest_wins());
        match self.input.take() {
            None => Ok(()),
            Some(Input::Csv(src)) => {
                // One thread reads the file and rejects malformed rows and
                // duplicate ids; two prepare the rest (values parsed, hashed,
                // laid out in columns); this one hands them on in file order.
                let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<RawChunk>(PREPARERS * 2);
                let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Prepped<S>>(PREPARERS * 2);
                let work = std::sync::Mutex::new(raw_rx);
                std::thread::scope(|scope| -> Result<(), ImportError> {
                    scope.spawn(move || read_csv(src, compiled, decider, file, opts, &raw_tx));
                    for _ in 0..PREPARERS {
                        let done_tx = done_tx.clone();
                        let work = &work;
                        scope.spawn(move || prepare_chunks(compiled, seed, work, &done_tx));
                    }
                    drop(done_tx);
                    // Chunks arrive in any order and are handed on in file
                    // order. An error returns at once, dropping the receiver,
                    // which stops the other threads.
                    let mut waiting = std::collections::BTreeMap::new();
                    let mut next_seq = 0;
                    for (seq, prepared) in done_rx.iter() {
                        waiting.insert(seq, prepared);
                        while let Some(prepared) = waiting.remove(&next_seq) {
                            next_seq += 1;
                            let (rows, rejected) = prepared?;
                            on(Step::Staged(rows, rejected))?;
                        }
                    }
                    Ok(())
                })
            }
            Some(Input::Json(recs)) => {
                for (i, rec) in recs.iter().enumerate() {
                    on(Step::Prepared(decider.decide(
                        compiled,
                        i as u64 + 1,
                        &Row::Json(rec),
                    )))?;
                }
                Ok(())
            }
            Some(Input::Ndjson) => {
                let f = reader::open(file)?;
                let mut lines = BufReader::with_capacity(reader::buffer_size(&f), f);
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
                        return Ok(());
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
                    let step = match serde_json::from_str::<serde_json::Value>(t) {
                        Ok(v) if v.is_object() => decider.decide(compiled, line, &Row::Json(&v)),
                        Ok(_) => Prepared::Reject {
                            line,
                            error: RowError {
                                field: "(record)".into(),
                                column: String::new(),
                                value: truncate(t, 200),
                                reason: "is not a JSON object".into(),
                            },
                        },
                        Err(e) => Prepared::Reject {
                            line,
                            error: RowError {
                                field: "(record)".into(),
                                column: String::new(),
                                value: truncate(t, 200),
                                reason: format!("is not valid JSON: {e}"),
                            },
                        },
                    };
                    on(Step::Prepared(step))?;
                }
            }
        }
    }
}

/// What one input row became, decided without touching the database.
pub(crate) enum Prepared {
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
pub(crate) struct Decider {
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
    pub(crate) fn new(seed: u64, newest_wins: bool) -> Decider {
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

    pub(crate) fn decide<D: Draft>(
        &mut self,
        compiled: &Compiled<D>,
        line: u64,
        row: &Row,
    ) -> Prepared {
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

pub(crate) fn truncate(s: &str, max: usize) -> String {
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

/// A chunk prepared: rows laid out for whoever writes them, and the rejects.
type Prepped<S> = (usize, Result<(S, Vec<(u64, RowError)>), ImportError>);

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
fn prepare_chunks<D: Draft, S: Staging>(
    compiled: &Compiled<D>,
    seed: u64,
    work: &std::sync::Mutex<std::sync::mpsc::Receiver<RawChunk>>,
    out: &std::sync::mpsc::SyncSender<Prepped<S>>,
) {
    loop {
        let chunk = match work.lock().unwrap_or_else(|p| p.into_inner()).recv() {
            Ok(c) => c,
            Err(_) => return,
        };
        let prepared = chunk.rows.map(|(rows, mut rejected)| {
            let mut staged = S::default();
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
    for (i, line) in BufReader::with_capacity(reader::buffer_size(&f), f)
        .lines()
        .enumerate()
    {
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

pub(crate) fn report_progress(opts: &ImportOptions, bytes: u64) {
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
