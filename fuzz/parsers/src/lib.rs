//! What the fuzz targets share: the mappings they read files with, and one
//! call that reads a file the way `metas import` does (through
//! `metas_ingest::check_file`, the import's own reading, without a store).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use metas_ingest::{check_file, ImportOptions, MappingChoice};

/// A mapping a target may read its input with.
pub enum Mapping {
    Preset(&'static str),
    Text(&'static str, &'static str),
}

const TICKETS: &str = include_str!("../mappings/tickets.toml");
const REVIEWS: &str = include_str!("../mappings/reviews.toml");
const CUSTOMERS: &str = include_str!("../mappings/customers.toml");
const EVENTS: &str = include_str!("../mappings/events.toml");
const PWC: &str = include_str!("../../../examples/mappings/pwc-call-center.toml");
const TERESGEO: &str = include_str!("../../../examples/mappings/teresgeo-tickets.toml");
const KAGGLE: &str = include_str!("../../../examples/mappings/kaggle-support-tickets.toml");
const ZENDESK: &str = include_str!("../../../crates/metas-ingest/src/presets/zendesk.toml");

/// CSV files: the presets, the examples shipped for the public datasets,
/// and one mapping per kind of record.
pub const CSV_MAPPINGS: &[Mapping] = &[
    Mapping::Preset("generic"),
    Mapping::Preset("freshdesk"),
    Mapping::Text("tickets.toml", TICKETS),
    Mapping::Text("reviews.toml", REVIEWS),
    Mapping::Text("customers.toml", CUSTOMERS),
    Mapping::Text("events.toml", EVENTS),
    Mapping::Text("pwc.toml", PWC),
    Mapping::Text("teresgeo.toml", TERESGEO),
    Mapping::Text("kaggle.toml", KAGGLE),
];

/// A mapping text read as JSON or NDJSON instead of CSV.
fn as_format(text: &str, format: &str) -> String {
    let mut out = String::new();
    let mut in_source = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_source = t == "[source]";
        }
        if in_source && (t.starts_with("format") || t.starts_with("delimiter")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
        if t == "[source]" {
            out.push_str(&format!("format = \"{format}\"\n"));
        }
    }
    out
}

/// A folder of this process's own (libFuzzer's -fork runs several) with the
/// mapping files written once.
fn workdir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("metas-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder for the fuzz inputs");
        for m in CSV_MAPPINGS {
            if let Mapping::Text(name, text) = m {
                std::fs::write(dir.join(name), text).expect("a mapping file");
                for f in ["json", "ndjson"] {
                    std::fs::write(dir.join(format!("{f}-{name}")), as_format(text, f))
                        .expect("a mapping file");
                }
            }
        }
        std::fs::write(dir.join("zendesk.toml"), ZENDESK).expect("a mapping file");
        std::fs::write(dir.join("ndjson-zendesk.toml"), as_format(ZENDESK, "ndjson"))
            .expect("a mapping file");
        dir
    })
}

/// The file format a target feeds.
#[derive(Clone, Copy)]
pub enum Format {
    Csv,
    Json,
    Ndjson,
}

/// Reads `data` as a file of `format` with the mapping the first byte
/// picks, as `metas import --check` would. Any answer is fine (rows
/// imported or rejected, or one sentence that stops the file); a panic or a
/// hang is the bug.
pub fn read_file(format: Format, data: &[u8]) -> Option<metas_ingest::CheckReport> {
    let (&pick, body) = data.split_first()?;
    let dir = workdir();
    let (ext, prefix) = match format {
        Format::Csv => ("csv", ""),
        Format::Json => ("json", "json-"),
        Format::Ndjson => ("ndjson", "ndjson-"),
    };
    let choices = CSV_MAPPINGS.len() + 1;
    let choice = match CSV_MAPPINGS.get(pick as usize % choices) {
        Some(Mapping::Preset(p)) => MappingChoice::Preset((*p).to_string()),
        Some(Mapping::Text(name, _)) => MappingChoice::File(dir.join(format!("{prefix}{name}"))),
        // The Zendesk export is JSON; its preset read as NDJSON too.
        None => match format {
            Format::Csv => MappingChoice::Preset("freshdesk".into()),
            Format::Json => MappingChoice::Preset("zendesk".into()),
            Format::Ndjson => MappingChoice::File(dir.join("ndjson-zendesk.toml")),
        },
    };
    let file = dir.join(format!("input.{ext}"));
    std::fs::write(&file, body).expect("the input file");
    let mut opts = ImportOptions::new(choice);
    opts.max_listed_rejects = 5;
    let report = check_file(&file, &opts).ok()?;
    // What the report says must add up whatever the input.
    assert!(report.rejects.len() as u64 <= report.rejected);
    assert_eq!(
        report.rejects_truncated,
        (report.rejects.len() as u64) < report.rejected
    );
    Some(report)
}

/// Reads a mapping text as `metas import --mapping` would, then a small
/// file of each format with it: the mapping is compiled against a header
/// and against JSON records, and every row goes through it.
pub fn read_mapping(text: &[u8]) {
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    if metas_ingest::parse_mapping(text).is_err() {
        return;
    }
    let dir = workdir();
    let mapping = dir.join("fuzzed-mapping.toml");
    std::fs::write(&mapping, text).expect("the mapping file");
    let samples: [(&str, &str); 3] = [
        (
            "sample.csv",
            "id,channel,created,resolved,status,topic,customer,agent,team,csat,csat_comment,ticket,at,kind,actor,reviewer,comment,concern,tone,age,segment\n\
             T1,email,2024-03-01T10:00:00Z,2024-03-01T12:00:00Z,solved,billing,c1,ana,Blue,5,great,T1,2024-03-01T10:00:00Z,agent_reply,ana,lea,fine,4,3,41,smb\n\
             T2,chat,01/03/2024 11:00,,open,login,,ben,Red,,,T1,bad,created,,,,,6,x,\n",
        ),
        (
            "sample.json",
            r#"[{"id":"T1","channel":"email","created":"2024-03-01T10:00:00Z","status":"solved","agent":"ana","csat":5,"ticket":"T1","at":"2024-03-01T10:00:00Z","kind":"created","concern":4,"customer":{"age":41}},{"id":2,"created":null}]"#,
        ),
        (
            "sample.ndjson",
            "{\"id\":\"T1\",\"channel\":\"chat\",\"created\":\"2024-03-01T10:00:00Z\",\"ticket\":\"T1\",\"at\":\"2024-03-01T10:00:00Z\",\"kind\":\"resolved\"}\n[1]\n{\"id\":\n",
        ),
    ];
    for (name, body) in samples {
        let file = dir.join(name);
        std::fs::write(&file, body).expect("the sample file");
        let _ = check_file(
            &file,
            &ImportOptions::new(MappingChoice::File(mapping.clone())),
        );
    }
}
