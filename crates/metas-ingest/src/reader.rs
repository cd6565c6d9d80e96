//! Row sources: CSV (any delimiter, BOM, CRLF, quoted newlines), a JSON
//! document holding an array of records, and NDJSON. Each yields rows with
//! the line (CSV, NDJSON) or record number (JSON) they start at.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value as Json;

use crate::mapping::JoinSpec;
use crate::ImportError;

/// Where a mapped value comes from in a row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ColRef {
    Index(usize),
    Path(Vec<String>),
}

/// One input row.
pub enum Row<'a> {
    Csv(&'a csv::StringRecord),
    Json(&'a Json),
}

impl Row<'_> {
    /// The cell, or `None` when absent or empty.
    pub fn get(&self, col: &ColRef) -> Option<Cow<'_, str>> {
        match (self, col) {
            (Row::Csv(r), ColRef::Index(i)) => r.get(*i).filter(|s| !blank(s)).map(Cow::Borrowed),
            (Row::Json(v), ColRef::Path(p)) => {
                let mut cur = *v;
                for key in p {
                    cur = match cur {
                        Json::Object(m) => m.get(key)?,
                        Json::Array(a) => a.get(key.parse::<usize>().ok()?)?,
                        _ => return None,
                    };
                }
                match cur {
                    Json::Null => None,
                    Json::String(s) if s.trim().is_empty() => None,
                    Json::String(s) => Some(Cow::Borrowed(s.as_str())),
                    Json::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
                    Json::Number(n) => Some(Cow::Owned(n.to_string())),
                    other => Some(Cow::Owned(other.to_string())),
                }
            }
            _ => None,
        }
    }
}

/// Empty or only white space; most cells start with a visible ASCII
/// character, which settles it without scanning.
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// Leading bytes of a UTF-8 byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A read buffer for `file`: 1 MiB, or the file's size when smaller (a
/// small upload, or a fuzz input, allocates no more than it needs).
pub fn buffer_size(file: &File) -> usize {
    const LARGEST: usize = 1 << 20;
    let len = file.metadata().map(|m| m.len()).unwrap_or(LARGEST as u64);
    usize::try_from(len)
        .unwrap_or(LARGEST)
        .saturating_add(1)
        .clamp(8 * 1024, LARGEST)
}

/// Opens a file for reading, naming it in the error.
pub fn open(path: &Path) -> Result<File, ImportError> {
    let meta = std::fs::metadata(path).map_err(|e| ImportError::io(path, &e))?;
    if meta.is_dir() {
        return Err(ImportError::input(path, None, "is a folder, not a file"));
    }
    File::open(path).map_err(|e| ImportError::io(path, &e))
}

/// Reads the first bytes to reject empty, binary and non-UTF-8 files early.
pub fn sniff(path: &Path) -> Result<Vec<u8>, ImportError> {
    let mut f = open(path)?;
    let mut head = vec![0u8; buffer_size(&f).min(64 * 1024)];
    let mut n = 0;
    while n < head.len() {
        let got = f
            .read(&mut head[n..])
            .map_err(|e| ImportError::io(path, &e))?;
        if got == 0 {
            break;
        }
        n += got;
    }
    head.truncate(n);
    let body = head.strip_prefix(BOM).unwrap_or(&head);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::input(
            path,
            None,
            "is empty: there is no header line and no data",
        ));
    }
    if body.contains(&0) {
        return Err(ImportError::input(
            path,
            None,
            "is not a text file (it contains NUL bytes); export it as UTF-8 CSV, JSON or NDJSON",
        ));
    }
    // A multi-byte character cut by the 64 KiB window is not an error.
    if let Err(e) = std::str::from_utf8(body) {
        if e.error_len().is_some() {
            let line = body[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            return Err(ImportError::not_utf8(path, line as u64));
        }
    }
    Ok(head)
}

/// Picks the delimiter that splits the header line into the most fields,
/// outside quotes.
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let body = head.strip_prefix(BOM).unwrap_or(head);
    let line_end = body.iter().position(|b| *b == b'\n').unwrap_or(body.len());
    let line = &body[..line_end];
    let mut best = (b',', 0usize);
    for cand in [b',', b';', b'\t', b'|'] {
        let mut in_quotes = false;
        let mut count = 0;
        for b in line {
            match *b {
                b'"' => in_quotes = !in_quotes,
                c if c == cand && !in_quotes => count += 1,
                _ => {}
            }
        }
        if count > best.1 {
            best = (cand, count);
        }
    }
    best.0
}

/// A CSV reader positioned after the header, with the BOM removed.
pub struct CsvSource {
    pub reader: csv::Reader<Box<dyn Read + Send>>,
    pub header: Vec<String>,
    quotes: Arc<Mutex<QuoteState>>,
}

impl CsvSource {
    /// After the last record: the line of a quoted field that was opened
    /// and never closed. The csv crate ends such a field at the end of the
    /// file without complaint, which would silently fold every later line
    /// into one cell.
    pub fn unclosed_quote_line(&self) -> Option<u64> {
        let q = *self.quotes.lock().unwrap_or_else(|p| p.into_inner());
        (q.state == Lex::Quoted).then_some(q.opened_line)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lex {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: either it closes the field or it is
    /// the first half of an escaped `""`.
    QuoteInQuoted,
}

#[derive(Clone, Copy, Debug)]
struct QuoteState {
    state: Lex,
    line: u64,
    opened_line: u64,
}

/// Follows the bytes the csv crate reads with the same quoting rules, only
/// to learn whether the file ends inside a quoted field.
struct QuoteTracker<R> {
    inner: R,
    delimiter: u8,
    state: Arc<Mutex<QuoteState>>,
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let bytes = &buf[..n];
        let mut q = *self.state.lock().unwrap_or_else(|p| p.into_inner());
        let mut i = 0;
        // Inside a field only its end matters, so jump to it with memchr;
        // the byte-by-byte state machine runs only at field boundaries.
        while i < n {
            match q.state {
                Lex::Quoted => match memchr::memchr2(b'"', b'\n', &bytes[i..]) {
                    Some(k) => {
                        if bytes[i + k] == b'\n' {
                            q.line += 1;
                        } else {
                            q.state = Lex::QuoteInQuoted;
                        }
                        i += k + 1;
                    }
                    None => i = n,
                },
                Lex::Unquoted => match memchr::memchr3(self.delimiter, b'\n', b'\r', &bytes[i..]) {
                    Some(k) => {
                        if bytes[i + k] == b'\n' {
                            q.line += 1;
                        }
                        q.state = Lex::FieldStart;
                        i += k + 1;
                    }
                    None => i = n,
                },
                Lex::FieldStart | Lex::QuoteInQuoted => {
                    let b = bytes[i];
                    if b == b'\n' {
                        q.line += 1;
                    }
                    q.state = match (q.state, b) {
                        (Lex::FieldStart, b'"') => {
                            q.opened_line = q.line;
                            Lex::Quoted
                        }
                        (Lex::QuoteInQuoted, b'"') => Lex::Quoted,
                        (_, b'\n' | b'\r') => Lex::FieldStart,
                        (_, d) if d == self.delimiter => Lex::FieldStart,
                        _ => Lex::Unquoted,
                    };
                    i += 1;
                }
            }
        }
        *self.state.lock().unwrap_or_else(|p| p.into_inner()) = q;
        Ok(n)
    }
}

pub fn open_csv(path: &Path, delimiter: u8) -> Result<CsvSource, ImportError> {
    let f = open(path)?;
    let capacity = buffer_size(&f);
    let mut buf = BufReader::with_capacity(capacity, f);
    // Skip a BOM so the first header name is clean.
    {
        let head = buf.fill_buf().map_err(|e| ImportError::io(path, &e))?;
        if head.starts_with(BOM) {
            buf.consume(BOM.len());
        }
    }
    let quotes = Arc::new(Mutex::new(QuoteState {
        state: Lex::FieldStart,
        line: 1,
        opened_line: 1,
    }));
    let inner: Box<dyn Read + Send> = Box::new(QuoteTracker {
        inner: buf,
        delimiter,
        state: quotes.clone(),
    });
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .buffer_capacity(capacity)
        .from_reader(inner);
    let header = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return Err(csv_fatal(path, &e)),
    };
    Ok(CsvSource {
        reader,
        header,
        quotes,
    })
}

/// Errors that stop a CSV import (all else is a per-row reject).
pub fn csv_fatal(path: &Path, e: &csv::Error) -> ImportError {
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, .. } => {
            ImportError::not_utf8(path, pos.as_ref().map(|p| p.line()).unwrap_or(0))
        }
        csv::ErrorKind::Io(io) => ImportError::io(path, io),
        _ => ImportError::input(path, e.position().map(|p| p.line()), &e.to_string()),
    }
}

/// Parses a JSON document and returns its records (with joins applied).
pub fn read_json_records(
    path: &Path,
    records_path: Option<&str>,
    joins: &[JoinSpec],
) -> Result<Vec<Json>, ImportError> {
    let f = open(path)?;
    let mut buf = BufReader::with_capacity(buffer_size(&f), f);
    {
        let head = buf.fill_buf().map_err(|e| ImportError::io(path, &e))?;
        if head.starts_with(BOM) {
            buf.consume(BOM.len());
        }
    }
    let mut doc: Json = serde_json::from_reader(buf).map_err(|e| {
        if e.is_io() {
            ImportError::input(path, None, &format!("could not be read: {e}"))
        } else {
            ImportError::input(
                path,
                Some(e.line() as u64),
                &format!(
                    "is not valid JSON (column {}): {}",
                    e.column(),
                    strip_position(&e.to_string())
                ),
            )
        }
    })?;
    let mut lookups = Vec::new();
    for j in joins {
        let arr = match doc.get(&j.array) {
            Some(Json::Array(a)) => a.clone(),
            _ => Vec::new(),
        };
        let mut by_key = HashMap::new();
        for el in arr {
            if let Some(k) = el.get(&j.key) {
                by_key.insert(json_key(k), el);
            }
        }
        lookups.push((j, by_key));
    }
    let records = match records_path {
        None | Some("") => doc.take(),
        Some(p) => {
            let mut cur = &mut doc;
            for key in p.split('.') {
                cur = match cur.get_mut(key) {
                    Some(v) => v,
                    None => {
                        return Err(ImportError::input(
                            path,
                            None,
                            &format!("has no '{p}' holding the records (set [source] records in the mapping)"),
                        ))
                    }
                };
            }
            cur.take()
        }
    };
    let mut records = match records {
        Json::Array(a) => a,
        Json::Object(_) => return Err(ImportError::input(
            path,
            None,
            "holds a JSON object, not an array of records; name the array with [source] records",
        )),
        _ => {
            return Err(ImportError::input(
                path,
                None,
                "does not hold an array of records",
            ))
        }
    };
    for rec in &mut records {
        for (j, by_key) in &lookups {
            let joined = rec
                .get(&j.on)
                .and_then(|k| by_key.get(&json_key(k)))
                .cloned();
            if let (Some(joined), Json::Object(m)) = (joined, &mut *rec) {
                m.entry(j.into.clone()).or_insert(joined);
            }
        }
    }
    Ok(records)
}

fn json_key(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn strip_position(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Splits a dotted JSON path.
pub fn json_path(p: &str) -> ColRef {
    ColRef::Path(p.split('.').map(str::to_string).collect())
}
