//! Malformed input: each file of `tests/fixtures/malformed/` (and a few
//! generated here) goes through the real binary, which must end with the
//! outcome docs/import.md documents: the exit status, one clear stderr line
//! per problem naming the file, line and field, the JSON report's counts and
//! rejects, the good rows in the database, nothing written for a file that
//! stops the import, and a rejects CSV exactly when rows were rejected.
//!
//! Every case runs twice, each time into a fresh database in its own
//! temporary folder (the input is copied there, so the default
//! `FILE.rejects.csv` lands there too): once with the table output (stdout
//! counts and stderr lines), once with `--format json` (report, database,
//! rejects file).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::common::{fixture, metas, names_line, names_some_line, stats, table_rows, Run};
use serde_json::{json, Value};

/// Where the input files come from.
#[derive(Clone, Copy)]
enum Input {
    /// A file of `tests/fixtures/malformed/`, copied into the test's folder.
    Fixture(&'static str),
    /// A file the test writes into its folder.
    Generated(&'static str, fn() -> Vec<u8>),
    /// A folder where the file should be.
    Folder(&'static str),
    /// A name with nothing behind it.
    Missing(&'static str),
}

impl Input {
    fn name(self) -> &'static str {
        match self {
            Input::Fixture(n) | Input::Generated(n, _) | Input::Folder(n) | Input::Missing(n) => n,
        }
    }

    /// Puts the input into `dir` and returns its path.
    fn place(self, dir: &Path) -> PathBuf {
        let path = dir.join(self.name());
        match self {
            Input::Fixture(n) => {
                std::fs::copy(malformed(n), &path)
                    .unwrap_or_else(|e| panic!("copying fixture {n}: {e}"));
            }
            Input::Generated(_, make) => {
                std::fs::write(&path, make()).expect("writing the generated input")
            }
            Input::Folder(_) => std::fs::create_dir(&path).expect("creating the folder"),
            Input::Missing(_) => {}
        }
        path
    }
}

/// How the mapping is chosen (none: the default generic preset).
#[derive(Clone, Copy)]
enum Map {
    Fixture(&'static str),
    Missing(&'static str),
    Preset(&'static str),
}

/// The line the one stderr sentence of a stopped import must name.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Line {
    /// There is none to name (an empty file, a missing one).
    NotApplicable,
    At(u64),
    /// A line, but which one is the product's choice.
    Any,
}

/// An expected reject: line, field and column exactly; value and reason
/// must contain the given text.
#[derive(Debug)]
struct Rej {
    line: u64,
    field: &'static str,
    column: &'static str,
    value: &'static str,
    reason: &'static str,
}

fn rej(
    line: u64,
    field: &'static str,
    column: &'static str,
    value: &'static str,
    reason: &'static str,
) -> Rej {
    Rej {
        line,
        field,
        column,
        value,
        reason,
    }
}

/// One malformed input and its documented outcome.
struct Case {
    input: Input,
    mapping: Option<Map>,
    /// Exit status: 0 all good, 1 rows rejected, 2 the import stopped.
    status: i32,
    /// Rows that land (imported into the fresh database).
    landed: i64,
    rejects: Vec<Rej>,
    /// Exit 2: the file the sentence names, text it must contain, its line.
    names: &'static str,
    says: &'static [&'static str],
    line: Line,
    /// `--rejects <folder>/NAME` instead of the default path.
    rejects_to: Option<&'static str>,
    /// Further checks on `metas stats --format json` after the JSON run.
    then: Option<fn(&Value)>,
}

impl Case {
    /// Every row good: exit 0.
    fn ok(input: Input, landed: i64) -> Case {
        Case {
            input,
            mapping: None,
            status: 0,
            landed,
            rejects: Vec::new(),
            names: "",
            says: &[],
            line: Line::NotApplicable,
            rejects_to: None,
            then: None,
        }
    }

    /// Some rows rejected, the good ones imported: exit 1.
    fn rejecting(input: Input, landed: i64, rejects: Vec<Rej>) -> Case {
        Case {
            status: 1,
            rejects,
            ..Case::ok(input, landed)
        }
    }

    /// A bad file or mapping: one sentence naming `names`, nothing written, exit 2.
    fn fatal(input: Input, names: &'static str, says: &'static [&'static str]) -> Case {
        Case {
            status: 2,
            names,
            says,
            ..Case::ok(input, 0)
        }
    }

    fn mapping(mut self, m: Map) -> Case {
        self.mapping = Some(m);
        self
    }

    fn at(mut self, line: Line) -> Case {
        self.line = line;
        self
    }

    fn rejects_to(mut self, name: &'static str) -> Case {
        self.rejects_to = Some(name);
        self
    }

    fn then(mut self, f: fn(&Value)) -> Case {
        self.then = Some(f);
        self
    }
}

fn malformed(name: &str) -> PathBuf {
    fixture(&format!("malformed/{name}"))
}

fn default_rejects(file: &Path) -> PathBuf {
    let name = file.file_name().expect("a file name").to_string_lossy();
    file.with_file_name(format!("{name}.rejects.csv"))
}

/// Runs `metas import` for `case` in `dir`; returns the run, the input path
/// and the database path.
fn import(case: &Case, dir: &Path, json: bool) -> (Run, PathBuf, PathBuf) {
    let file = case.input.place(dir);
    let db = dir.join("t.db");
    let mut args = vec!["import".into(), file.clone().into_os_string()];
    match case.mapping {
        None => {}
        Some(Map::Fixture(m)) => args.extend(["--mapping".into(), malformed(m).into_os_string()]),
        Some(Map::Missing(m)) => args.extend(["--mapping".into(), dir.join(m).into_os_string()]),
        Some(Map::Preset(p)) => args.extend(["--preset".into(), p.into()]),
    }
    if let Some(r) = case.rejects_to {
        args.extend(["--rejects".into(), dir.join(r).into_os_string()]);
    }
    if json {
        args.extend(["--format".into(), "json".into()]);
    }
    (metas(&db, args), file, db)
}

fn check(case: Case) {
    check_table_run(&case);
    check_json_run(&case);
    check_dry_run(&case);
}

/// `metas import --check` reads the file exactly as the import does: the
/// same exit status, rejects (same lines and fields) and stopping sentence,
/// and it writes nothing at all — no database, no rejects file.
fn check_dry_run(case: &Case) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = case.input.place(dir.path());
    let db = dir.path().join("t.db");
    let mut args = vec!["import".into(), file.clone().into_os_string()];
    match case.mapping {
        None => {}
        Some(Map::Fixture(m)) => args.extend(["--mapping".into(), malformed(m).into_os_string()]),
        Some(Map::Missing(m)) => {
            args.extend(["--mapping".into(), dir.path().join(m).into_os_string()])
        }
        Some(Map::Preset(p)) => args.extend(["--preset".into(), p.into()]),
    }
    args.extend(["--check".into(), "--format".into(), "json".into()]);
    let run = metas(&db, args);
    assert_eq!(run.status, case.status, "exit status (--check)\n{run}");
    if case.status == 2 {
        let lines = run.stderr_lines();
        assert_eq!(lines.len(), 1, "a stopped check says one sentence\n{run}");
        check_sentence(case, lines[0]);
    } else {
        let report = run.json();
        assert_eq!(report["readable"], case.landed, "readable\n{run}");
        assert_eq!(report["rejected"], case.rejects.len(), "rejected\n{run}");
        let got = report["rejects"].as_array().expect("rejects listed");
        for (g, want) in got.iter().zip(&case.rejects) {
            assert_eq!(g["line"], want.line, "reject line\n{run}");
            assert_eq!(g["field"], want.field, "reject field\n{run}");
        }
    }
    assert!(!db.exists(), "--check opens no database\n{run}");
    assert!(
        !default_rejects(&file).exists(),
        "--check writes no rejects file\n{run}"
    );
}

/// Table output: the exit status, the counts on stdout and one stderr line
/// per reject, or the one sentence of a stopped import.
fn check_table_run(case: &Case) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (run, _, _) = import(case, dir.path(), false);
    assert_eq!(run.status, case.status, "exit status (table output)\n{run}");
    let lines = run.stderr_lines();
    match case.status {
        0 | 1 => {
            let counts = format!(
                "imported {}, updated 0, unchanged 0, rejected {}",
                case.landed,
                case.rejects.len()
            );
            assert!(
                run.stdout.contains(&counts),
                "stdout should print `{counts}`\n{run}"
            );
            assert_eq!(
                lines.len(),
                case.rejects.len(),
                "one stderr line per rejected row\n{run}"
            );
            for (line, want) in lines.iter().zip(&case.rejects) {
                assert!(
                    line.contains(case.input.name()),
                    "the stderr line names the file: {line}"
                );
                assert!(
                    names_line(line, want.line),
                    "the stderr line names line {}: {line}",
                    want.line
                );
                assert!(
                    line.contains(want.field),
                    "the stderr line names the field {}: {line}",
                    want.field
                );
            }
        }
        _ => {
            assert_eq!(
                lines.len(),
                1,
                "a stopped import says one sentence on stderr\n{run}"
            );
            check_sentence(case, lines[0]);
        }
    }
}

fn check_sentence(case: &Case, sentence: &str) {
    assert!(
        sentence.contains(case.names),
        "the sentence names {}: {sentence}",
        case.names
    );
    for s in case.says {
        assert!(sentence.contains(s), "the sentence says `{s}`: {sentence}");
    }
    match case.line {
        Line::NotApplicable => {}
        Line::At(n) => assert!(
            names_line(sentence, n),
            "the sentence names line {n}: {sentence}"
        ),
        Line::Any => assert!(
            names_some_line(sentence),
            "the sentence names a line: {sentence}"
        ),
    }
}

/// JSON output: the report, what the database holds, the rejects file.
fn check_json_run(case: &Case) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (run, file, db) = import(case, dir.path(), true);
    assert_eq!(
        run.status, case.status,
        "exit status (--format json)\n{run}"
    );
    if case.status == 2 {
        assert!(
            run.stdout.trim().is_empty(),
            "a stopped import prints no report\n{run}"
        );
        let lines = run.stderr_lines();
        assert_eq!(
            lines.len(),
            1,
            "a stopped import says one sentence on stderr\n{run}"
        );
        check_sentence(case, lines[0]);
    } else {
        check_report(case, &run);
    }

    // The database: the good rows landed; a stopped import wrote nothing.
    if matches!(case.input, Input::Missing(_)) {
        assert!(!db.exists(), "a missing input file creates no database");
    } else {
        let st = stats(&db);
        assert_eq!(
            table_rows(&st, "interactions"),
            case.landed,
            "interactions in the database: {st}"
        );
        if case.status == 2 {
            assert_eq!(st["imports"], 0, "a stopped import records no import: {st}");
            for t in st["tables"].as_array().expect("tables") {
                assert_eq!(t["rows"], 0, "a stopped import writes nothing: {st}");
            }
        }
        if let Some(f) = case.then {
            f(&st);
        }
    }

    // The rejects file: exactly when rows were rejected, all of them.
    let default = default_rejects(&file);
    let target = case
        .rejects_to
        .map(|r| dir.path().join(r))
        .unwrap_or_else(|| default.clone());
    if case.rejects.is_empty() {
        assert!(
            !target.exists(),
            "no rejects file without rejected rows: {}",
            target.display()
        );
    } else {
        check_rejects_file(&target, &case.rejects);
        if case.rejects_to.is_some() {
            assert!(
                !default.exists(),
                "--rejects PATH leaves no {}",
                default.display()
            );
        }
    }
    for entry in std::fs::read_dir(dir.path()).expect("listing the folder") {
        let name = entry
            .expect("a folder entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        assert!(
            !name.ends_with(".partial"),
            "a partial rejects file was left behind: {name}"
        );
    }
}

fn check_report(case: &Case, run: &Run) {
    let report = run.json();
    assert_eq!(report["imported"], case.landed, "imported\n{run}");
    assert_eq!(report["updated"], 0, "updated\n{run}");
    assert_eq!(report["unchanged"], 0, "unchanged\n{run}");
    assert_eq!(report["rejected"], case.rejects.len(), "rejected\n{run}");
    let got = report["rejects"]
        .as_array()
        .unwrap_or_else(|| panic!("the report lists rejects\n{run}"));
    assert_eq!(got.len(), case.rejects.len(), "rejects listed\n{run}");
    for (g, want) in got.iter().zip(&case.rejects) {
        for key in ["line", "field", "column", "value", "reason"] {
            assert!(g.get(key).is_some(), "a reject carries `{key}`: {g}");
        }
        assert_eq!(g["line"], want.line, "reject line: {g}");
        assert_eq!(g["field"], want.field, "reject field: {g}");
        assert_eq!(g["column"], want.column, "reject column: {g}");
        let value = g["value"].as_str().unwrap_or_default();
        assert!(
            value.contains(want.value),
            "reject value contains `{}`: {g}",
            want.value
        );
        let reason = g["reason"].as_str().unwrap_or_default();
        assert!(
            reason.contains(want.reason),
            "reject reason contains `{}`: {g}",
            want.reason
        );
    }
}

fn check_rejects_file(path: &Path, want: &[Rej]) {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("the rejects file {} is readable: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .expect("a header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        ["line", "field", "column", "value", "reason"],
        "rejects file header"
    );
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .map(|r| r.expect("a rejects row"))
        .collect();
    assert_eq!(rows.len(), want.len(), "rows in the rejects file: {rows:?}");
    for (row, w) in rows.iter().zip(want) {
        assert_eq!(row.len(), 5, "five cells: {row:?}");
        assert_eq!(
            &row[0],
            w.line.to_string(),
            "line in the rejects file: {row:?}"
        );
        assert_eq!(&row[1], w.field, "field in the rejects file: {row:?}");
        assert_eq!(&row[2], w.column, "column in the rejects file: {row:?}");
        assert!(
            row[3].contains(w.value),
            "value in the rejects file: {row:?}"
        );
        assert!(
            row[4].contains(w.reason),
            "reason in the rejects file: {row:?}"
        );
    }
}

// ------------------------------------------------------------ generated inputs

/// Lines of the 1 MB multi-line note in `big_field_then_bad_row`.
const NOTE_LINES: u64 = 1100;

/// A CSV-quoted note of about 1 MB with commas, doubled quotes and
/// `lines` newlines.
fn big_note(lines: u64) -> String {
    let chunk = format!(
        "{}, \"\"quoted\"\" text,{}\n",
        "x".repeat(500),
        "y".repeat(460)
    );
    let mut note = String::from("\"");
    for _ in 0..lines {
        note.push_str(&chunk);
    }
    note.push_str("end\"");
    note
}

/// A 1 MB free attribute (multi-line, quoted) and a 1 MB ignored column.
fn big_field() -> Vec<u8> {
    let mut s = String::from("external_id,channel,created_at,attr.note,blob\n");
    s.push_str(&format!(
        "G1,phone,2024-03-01T09:30:00Z,{},small\n",
        big_note(NOTE_LINES)
    ));
    s.push_str(&format!(
        "G2,email,2024-03-01T10:00:00Z,short,{}\n",
        "z".repeat(1 << 20)
    ));
    s.push_str("G3,chat,2024-03-02T11:15:00Z,,\n");
    assert!(s.len() > 2 << 20);
    s.into_bytes()
}

/// A 1 MB multi-line field, then a good row and a bad one, whose line
/// numbers count the note's lines.
fn big_field_then_bad_row() -> Vec<u8> {
    let mut s = String::from("external_id,channel,created_at,attr.note\n");
    s.push_str(&format!(
        "G1,phone,2024-03-01T09:30:00Z,{}\n",
        big_note(NOTE_LINES)
    ));
    s.push_str("G2,email,2024-03-01T10:00:00Z,short\n");
    s.push_str("G3,chat,never,short\n");
    s.into_bytes()
}

/// Random bytes with NULs in them.
fn garbage() -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..8192)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i % 61 == 7 {
                0
            } else {
                (x >> 24) as u8
            }
        })
        .collect()
}

/// Good rows past the first 64 KiB, then a latin-1 row on this line.
const LATE_LATIN1_LINE: u64 = 3002;

fn late_latin1() -> Vec<u8> {
    let mut s = b"external_id,channel,created_at,agent,talk_secs,status\n".to_vec();
    for i in 1..LATE_LATIN1_LINE - 1 {
        s.extend(format!("L{i},chat,2024-03-01T09:30:00Z,Ana,60,open\n").bytes());
    }
    assert!(s.len() > 64 * 1024);
    s.extend(b"L3001,chat,2024-03-01T09:30:00Z,Jos\xe9,60,open\n");
    for i in LATE_LATIN1_LINE..LATE_LATIN1_LINE + 10 {
        s.extend(format!("L{i},chat,2024-03-01T09:30:00Z,Ana,60,open\n").bytes());
    }
    s
}

// ------------------------------------------------------------------ stats checks

/// The first of two rows with the same id is kept (G2 email), not the second (G2 chat).
fn first_duplicate_kept(st: &Value) {
    let channels = &st["sources"][0]["channels"];
    assert_eq!(
        channels,
        &json!([["chat", 1], ["email", 1], ["phone", 1]]),
        "channels: {st}"
    );
}

// ------------------------------------------------------------------------ cases

macro_rules! cases {
    ($( $(#[$attr:meta])* $name:ident: $case:expr; )*) => {
        $(
            $(#[$attr])*
            #[test]
            fn $name() {
                check($case);
            }
        )*
    };
}

use Input::{Fixture, Folder, Generated, Missing};

cases! {
    // ---- every row good: exit 0
    good_baseline: Case::ok(Fixture("good.csv"), 3);
    byte_order_mark: Case::ok(Fixture("bom.csv"), 3);
    crlf_line_ends: Case::ok(Fixture("crlf.csv"), 3);
    semicolon_delimiter_sniffed: Case::ok(Fixture("semicolon.csv"), 3);
    header_only: Case::ok(Fixture("header_only.csv"), 0);
    one_megabyte_fields: Case::ok(Generated("big_field.csv", big_field), 3);

    // ---- bad rows rejected, good rows imported: exit 1
    unparsable_date: Case::rejecting(Fixture("bad_date.csv"), 2, vec![
        rej(3, "created_at", "created_at", "yesterday at noon", "not a timestamp"),
    ]).rejects_to("custom-rejects.csv");
    impossible_date: Case::rejecting(Fixture("impossible_date.csv"), 2, vec![
        rej(3, "created_at", "created_at", "2024-02-30", "impossible date"),
    ]);
    negative_duration: Case::rejecting(Fixture("negative_duration.csv"), 2, vec![
        rej(3, "talk_secs", "talk_secs", "-45", "negative"),
    ]);
    unknown_channel: Case::rejecting(Fixture("unknown_channel.csv"), 2, vec![
        rej(3, "channel", "channel", "carrier pigeon", "unknown channel"),
    ]);
    empty_required_field: Case::rejecting(Fixture("empty_required.csv"), 2, vec![
        rej(2, "channel", "channel", "", "required"),
    ]);
    score_outside_scale: Case::rejecting(Fixture("csat_out_of_scale.csv"), 2, vec![
        rej(3, "surveys.csat", "csat", "9", "outside the scale"),
    ]);
    wrong_field_count: Case::rejecting(Fixture("wrong_field_count.csv"), 2, vec![
        rej(3, "(row)", "", "EXTRA", "7 fields"),
    ]);
    truncated_mid_row: Case::rejecting(Fixture("truncated_midrow.csv"), 2, vec![
        rej(4, "(row)", "", "G3,chat", "2 fields"),
    ]);
    truncated_inside_quotes: Case::rejecting(Fixture("truncated_quote.csv"), 2, vec![
        rej(4, "(row)", "", "G3,chat", "3 fields"),
    ]);
    duplicate_id: Case::rejecting(Fixture("duplicate_id.csv"), 3, vec![
        rej(4, "external_id", "external_id", "G2", "duplicate id"),
    ]).then(first_duplicate_kept);
    embedded_newlines: Case::rejecting(Fixture("embedded_newlines.csv"), 3, vec![
        rej(5, "created_at", "created_at", "not a date", "not a timestamp"),
    ]);
    one_megabyte_field_then_bad_row: Case::rejecting(Generated("big_field_bad.csv", big_field_then_bad_row), 2, vec![
        rej(NOTE_LINES + 4, "created_at", "created_at", "never", "not a timestamp"),
    ]);

    // ---- bad files: one sentence, nothing written, exit 2
    empty_file: Case::fatal(Fixture("empty.csv"), "empty.csv", &["empty"]);
    binary_garbage: Case::fatal(Generated("garbage.csv", garbage), "garbage.csv", &["text"]);
    not_utf8: Case::fatal(Fixture("latin1.csv"), "latin1.csv", &["UTF-8"]).at(Line::At(3));
    not_utf8_past_the_first_64_kib: Case::fatal(Generated("late_latin1.csv", late_latin1), "late_latin1.csv", &["UTF-8"])
        .at(Line::At(LATE_LATIN1_LINE));
    missing_file: Case::fatal(Missing("missing.csv"), "missing.csv", &["no such file"]);
    folder_instead_of_file: Case::fatal(Folder("folder.csv"), "folder.csv", &["folder"]);
    invalid_json: Case::fatal(Fixture("bad.json"), "bad.json", &["JSON"])
        .mapping(Map::Fixture("map_json.toml"))
        .at(Line::At(3));

    // ---- bad mappings: one sentence with the mapping's line, nothing written, exit 2
    wrong_delimiter: Case::fatal(Fixture("semicolon.csv"), "map_comma.toml", &["delimiter"])
        .mapping(Map::Fixture("map_comma.toml"))
        .at(Line::Any);
    mapping_unknown_field: Case::fatal(Fixture("good.csv"), "map_unknown_field.toml", &["colour"])
        .mapping(Map::Fixture("map_unknown_field.toml"))
        .at(Line::At(8));
    mapping_unknown_option: Case::fatal(Fixture("good.csv"), "map_unknown_option.toml", &["units"])
        .mapping(Map::Fixture("map_unknown_option.toml"))
        .at(Line::At(8));
    mapping_column_missing_from_file: Case::fatal(Fixture("good.csv"), "map_missing_column.toml", &["topic", "Subject"])
        .mapping(Map::Fixture("map_missing_column.toml"))
        .at(Line::At(8));
    mapping_syntax_error: Case::fatal(Fixture("good.csv"), "map_syntax_error.toml", &[])
        .mapping(Map::Fixture("map_syntax_error.toml"))
        .at(Line::At(6));
    mapping_required_field_unmapped: Case::fatal(Fixture("good.csv"), "map_required_unmapped.toml", &["created_at"])
        .mapping(Map::Fixture("map_required_unmapped.toml"))
        .at(Line::Any);
    mapping_unknown_time_zone: Case::fatal(Fixture("good.csv"), "map_unknown_timezone.toml", &["Mars/Olympus_Mons"])
        .mapping(Map::Fixture("map_unknown_timezone.toml"))
        .at(Line::At(3));
    missing_mapping_file: Case::fatal(Fixture("good.csv"), "nosuch.toml", &["no such"])
        .mapping(Map::Missing("nosuch.toml"));
    unknown_preset: Case::fatal(Fixture("good.csv"), "nosuch", &["preset"])
        .mapping(Map::Preset("nosuch"));
}

// ------------------------------------------------------------- re-importing

fn import_json(db: &Path, file: &Path) -> (Run, Value) {
    let run = metas(
        db,
        [
            OsStr::new("import"),
            file.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
        ],
    );
    let report = run.json();
    (run, report)
}

fn counts(report: &Value) -> [u64; 4] {
    ["imported", "updated", "unchanged", "rejected"].map(|k| {
        report[k]
            .as_u64()
            .unwrap_or_else(|| panic!("the report has `{k}`: {report}"))
    })
}

#[test]
fn reimporting_the_good_baseline_changes_nothing() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("t.db");
    let file = Fixture("good.csv").place(dir.path());
    let (run, first) = import_json(&db, &file);
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(counts(&first), [3, 0, 0, 0], "first import: {first}");
    let (run, again) = import_json(&db, &file);
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(
        counts(&again),
        [0, 0, 3, 0],
        "second import reports every row unchanged: {again}"
    );
    assert_eq!(crate::common::interactions(&db), 3);
}

#[test]
fn a_changed_row_is_updated_and_a_new_one_imported() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("t.db");
    let file = Fixture("good.csv").place(dir.path());
    let (run, _) = import_json(&db, &file);
    assert_eq!(run.status, 0, "{run}");
    let text = std::fs::read_to_string(&file).expect("reading the copy");
    let changed = text.replace(
        "G2,email,2024-03-01 10:00:00,Ben,,open",
        "G2,email,2024-03-01 10:00:00,Bea,,resolved",
    );
    assert_ne!(changed, text, "the fixture has the row to change");
    std::fs::write(
        &file,
        format!("{changed}G4,social,2024-03-03T08:00:00Z,Ana,,new\n"),
    )
    .expect("rewriting");
    let (run, report) = import_json(&db, &file);
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(
        counts(&report),
        [1, 1, 2, 0],
        "G4 new, G2 changed, G1 and G3 as before: {report}"
    );
    assert_eq!(crate::common::interactions(&db), 4);
}

#[test]
fn the_default_rejects_file_goes_once_the_rows_are_fixed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("t.db");
    let file = dir.path().join("data.csv");
    std::fs::copy(malformed("bad_date.csv"), &file).expect("copying");
    let (run, report) = import_json(&db, &file);
    assert_eq!(run.status, 1, "{run}");
    assert_eq!(counts(&report), [2, 0, 0, 1], "{report}");
    let rejects = default_rejects(&file);
    assert!(rejects.exists(), "{} is written", rejects.display());

    std::fs::copy(malformed("good.csv"), &file).expect("copying");
    let (run, report) = import_json(&db, &file);
    assert_eq!(run.status, 0, "{run}");
    assert_eq!(counts(&report), [1, 0, 2, 0], "G2 now good: {report}");
    assert!(
        !rejects.exists(),
        "no rows rejected: the stale {} is gone",
        rejects.display()
    );
}

#[test]
fn a_stopped_import_leaves_the_database_as_before() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("t.db");
    let good = Fixture("good.csv").place(dir.path());
    let (run, _) = import_json(&db, &good);
    assert_eq!(run.status, 0, "{run}");
    let before = stats(&db);
    // Its bad bytes come after 3,000 good rows that were already read.
    let late = Generated("late_latin1.csv", late_latin1).place(dir.path());
    let run = metas(&db, [OsStr::new("import"), late.as_os_str()]);
    assert_eq!(run.status, 2, "{run}");
    assert_eq!(stats(&db), before, "the database is exactly as before");
}

// ------------------------------------------------- once-found bugs

/// A quote opened on line 3 and never closed swallows every later line into
/// one cell; when the cell count still matches the header, the import
/// succeeds and G3 and G4 vanish. docs/import.md: "Nothing is dropped
/// silently"; a bad row is reported with its line.
#[test]
fn an_unterminated_quote_does_not_swallow_rows_silently() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("t.db");
    let file = Fixture("unterminated_quote.csv").place(dir.path());
    let run = metas(&db, [OsStr::new("import"), file.as_os_str()]);
    assert_eq!(
        run.status, 1,
        "the row that swallowed lines 4 and 5 is rejected, the rest imported\n{run}"
    );
    let lines = run.stderr_lines();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("unterminated_quote.csv") && names_line(l, 3)),
        "stderr names the file and line 3, where the quote opens\n{run}"
    );
}

/// docs/import.md: each rejected row is reported "on stderr (the first 20),
/// in the JSON report (`--format json`, up to 1,000) and, all of them, in a
/// rejects CSV". With `--format json`, stderr stays empty.
#[test]
fn json_output_still_reports_rejects_on_stderr() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("t.db");
    let file = Fixture("bad_date.csv").place(dir.path());
    let run = metas(
        &db,
        [
            OsStr::new("import"),
            file.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
        ],
    );
    assert_eq!(run.status, 1, "{run}");
    assert_eq!(run.json()["rejected"], 1, "{run}");
    let lines = run.stderr_lines();
    assert_eq!(
        lines.len(),
        1,
        "one stderr line for the rejected row\n{run}"
    );
    assert!(
        lines[0].contains("bad_date.csv")
            && names_line(lines[0], 3)
            && lines[0].contains("created_at"),
        "{run}"
    );
}
