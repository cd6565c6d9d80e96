//! `metas kpi` on the three public exports (../shared/datasets) agrees with the
//! same KPI computed here, independently, from the raw CSV file.
//!
//! Each test imports one export with its mapping (examples/mappings/) into a
//! fresh database through the real binary, then checks a table of cases:
//! (KPI, arguments, numbers computed from the raw file). The raw computations
//! read the columns with the `csv` crate and follow the contract's definitions
//! (docs/kpis.md) and what the mapping says each column means;
//! they share no code with metas.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;

// ---------------------------------------------------------------------------
// Files

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn dataset(rel: &str) -> PathBuf {
    repo().join("../shared/datasets").join(rel)
}

fn mapping(name: &str) -> PathBuf {
    repo().join("examples/mappings").join(name)
}

/// A raw CSV file: its header and its records, cells exactly as written.
struct Raw {
    name: &'static str,
    headers: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Raw {
    fn read(name: &'static str, path: &Path) -> Raw {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_path(path)
            .unwrap_or_else(|e| panic!("{name}: cannot read {}: {e}", path.display()));
        let headers = r
            .headers()
            .unwrap_or_else(|e| panic!("{name}: header: {e}"))
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap_or_else(|e| panic!("{name}: {e}")))
            .collect();
        Raw {
            name,
            headers,
            rows,
        }
    }

    /// The index of a column, by its exact header.
    fn col(&self, header: &str) -> usize {
        self.headers
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("{}: no column {header:?} in {:?}", self.name, self.headers))
    }
}

// ---------------------------------------------------------------------------
// Cell parsers, written from the mapping documentation (docs/import.md)

/// A cell as the mapping's boolean parser reads it: Y/N, yes/no, 1/0,
/// true/false in any case; empty is unknown.
fn yes_no(cell: &str) -> Option<bool> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "" => None,
        "y" | "yes" | "1" | "true" => Some(true),
        "n" | "no" | "0" | "false" => Some(false),
        other => panic!("not a yes/no cell: {other:?}"),
    }
}

/// A number cell (`109`, `5.0`, `1.11`); empty is unknown.
fn number(cell: &str) -> Option<f64> {
    let c = cell.trim();
    if c.is_empty() {
        return None;
    }
    Some(
        c.parse::<f64>()
            .unwrap_or_else(|e| panic!("not a number: {c:?}: {e}")),
    )
}

/// `unit = "hms"`: H:MM:SS (or H:MM) to seconds; empty is unknown.
fn hms(cell: &str) -> Option<f64> {
    let c = cell.trim();
    if c.is_empty() {
        return None;
    }
    let parts: Vec<f64> = c
        .split(':')
        .map(|p| {
            p.parse::<f64>()
                .unwrap_or_else(|e| panic!("not H:MM:SS: {c:?}: {e}"))
        })
        .collect();
    match parts.as_slice() {
        [h, m, s] => Some(h * 3600.0 + m * 60.0 + s),
        [h, m] => Some(h * 3600.0 + m * 60.0),
        _ => panic!("not H:MM:SS: {c:?}"),
    }
}

/// The canonical channel of a raw channel cell (the vocabulary of docs/import.md).
fn channel(cell: &str) -> &'static str {
    match cell.trim().to_ascii_lowercase().as_str() {
        "chat" | "live chat" | "web chat" => "chat",
        "email" | "e-mail" | "mail" => "email",
        "phone" | "call" | "voice" | "telephone" => "phone",
        "web portal" | "web" | "portal" | "form" => "web_form",
        "social media" | "social" => "social",
        other => panic!("channel not in the test's vocabulary: {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Statistics

/// One expected row: the KPI's value (None when n = 0) and its sample size.
#[derive(Clone, Copy, Debug)]
struct Expect {
    value: Option<f64>,
    n: u64,
}

fn mean(xs: &[f64]) -> Expect {
    Expect {
        value: (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64),
        n: xs.len() as u64,
    }
}

/// The median: the middle value, or the mean of the two middle values.
fn median(xs: &[f64]) -> Expect {
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    let value = match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    };
    Expect { value, n: n as u64 }
}

/// hits / total as a fraction; n = total.
fn rate(flags: &[bool]) -> Expect {
    let hits = flags.iter().filter(|&&b| b).count();
    Expect {
        value: (!flags.is_empty()).then(|| hits as f64 / flags.len() as f64),
        n: flags.len() as u64,
    }
}

/// csat on a 1–5 scale: satisfied = score ≥ 4 ((s−1)/4 ≥ 3/4); n = answers.
fn csat_share(scores: &[f64]) -> Expect {
    rate(&scores.iter().map(|&s| s >= 4.0).collect::<Vec<_>>())
}

/// CSAT share and mean, overall and by agent, from the raw scores.
fn csat_cases(scores: &[f64], by_agent: &[(String, f64)]) -> Vec<Case> {
    vec![
        Case::total("csat", &[], RATE, csat_share(scores)),
        Case::total("csat_avg", &[], SCORE, mean(scores)),
        Case::by("csat", "agent", &[], RATE, grouped(by_agent, csat_share)),
        Case::by("csat_avg", "agent", &[], SCORE, grouped(by_agent, mean)),
    ]
}

/// Groups (key, x) pairs and applies `f` to each group's xs.
fn grouped<T: Clone>(
    pairs: &[(String, T)],
    f: impl Fn(&[T]) -> Expect,
) -> BTreeMap<String, Expect> {
    let mut groups: BTreeMap<String, Vec<T>> = BTreeMap::new();
    for (k, x) in pairs {
        groups.entry(k.clone()).or_default().push(x.clone());
    }
    groups.into_iter().map(|(k, xs)| (k, f(&xs))).collect()
}

// ---------------------------------------------------------------------------
// Cases

#[derive(Clone, Copy, Debug)]
enum Tol {
    /// Rates and scores: relative.
    Rel(f64),
    /// Durations in seconds: absolute.
    Abs(f64),
}

const RATE: Tol = Tol::Rel(1e-6);
const SCORE: Tol = Tol::Rel(1e-6);
const SECS: Tol = Tol::Abs(1e-3);

impl Tol {
    fn close(self, got: f64, want: f64) -> bool {
        match self {
            Tol::Rel(r) => (got - want).abs() <= r * got.abs().max(want.abs()),
            Tol::Abs(a) => (got - want).abs() <= a,
        }
    }
}

/// One `metas kpi` run and what it must print.
struct Case {
    kpi: &'static str,
    /// Extra arguments (`--where …`, `--stat …`); `--by` comes from `by`.
    args: Vec<&'static str>,
    /// The dimension of `--by`, or None for the one-row total.
    by: Option<&'static str>,
    tol: Tol,
    /// Expected rows by dimension value ("" for the total).
    rows: BTreeMap<String, Expect>,
}

impl Case {
    fn total(kpi: &'static str, args: &[&'static str], tol: Tol, e: Expect) -> Case {
        Case {
            kpi,
            args: args.to_vec(),
            by: None,
            tol,
            rows: BTreeMap::from([(String::new(), e)]),
        }
    }

    fn by(
        kpi: &'static str,
        dim: &'static str,
        args: &[&'static str],
        tol: Tol,
        rows: BTreeMap<String, Expect>,
    ) -> Case {
        Case {
            kpi,
            args: args.to_vec(),
            by: Some(dim),
            tol,
            rows,
        }
    }

    fn argv(&self) -> Vec<&'static str> {
        let mut a = vec!["kpi", self.kpi];
        a.extend(&self.args);
        if let Some(dim) = self.by {
            a.extend(["--by", dim]);
        }
        a.extend(["--format", "json"]);
        a
    }

    fn label(&self) -> String {
        self.argv()[1..].join(" ")
    }
}

fn print_cases(dataset: &str, cases: &[Case]) {
    println!("expected from the raw file of {dataset}:");
    for c in cases {
        for (k, e) in &c.rows {
            let key = if k.is_empty() {
                String::new()
            } else {
                format!(" [{k}]")
            };
            println!("  {}{key}: value {:?}, n {}", c.label(), e.value, e.n);
        }
    }
}

/// A JSON number, or None for null; anything else fails the test.
fn num(v: &Value, what: &str) -> Option<f64> {
    match v {
        Value::Null => None,
        Value::Number(x) => x.as_f64(),
        other => panic!("{what} is neither a number nor null: {other}"),
    }
}

/// A dimension value as text (`"email"`, `34`).
fn key_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Imports `file` with `map` into a fresh database in `dir`; all `expected` rows
/// must be imported (the three mappings import their exports with no rejects).
fn import(dir: &Path, dataset: &str, file: &Path, map: &Path, expected: usize) -> PathBuf {
    let db = dir.join("metas.db");
    let rejects = dir.join("rejects.csv");
    let run = crate::common::metas(
        &db,
        [
            OsStr::new("import"),
            file.as_os_str(),
            OsStr::new("--mapping"),
            map.as_os_str(),
            OsStr::new("--rejects"),
            rejects.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
        ],
    );
    assert_eq!(
        run.status, 0,
        "{dataset}: the import must succeed with no rejects:\n{run}"
    );
    let report = run.json();
    assert_eq!(
        (report["imported"].as_u64(), report["rejected"].as_u64()),
        (Some(expected as u64), Some(0)),
        "{dataset}: import report {report}"
    );
    assert_eq!(
        crate::common::interactions(&db),
        expected as i64,
        "{dataset}: interactions"
    );
    db
}

fn set(db: &Path, dataset: &str, key: &str, value: &str) {
    let run = crate::common::metas(db, ["settings", "set", key, value]);
    assert_eq!(
        run.status, 0,
        "{dataset}: settings set {key} {value}:\n{run}"
    );
}

/// Runs every case and compares metas' rows with the expected ones.
fn check(db: &Path, dataset: &str, cases: &[Case]) {
    for case in cases {
        let label = case.label();
        let run = crate::common::metas(db, case.argv());
        assert_eq!(run.status, 0, "{dataset}: metas {label} failed:\n{run}");
        let doc = run.json();
        assert_eq!(doc["kpi"], case.kpi, "{dataset}: {label}: kpi id in {doc}");
        if let Some(i) = case.args.iter().position(|a| *a == "--stat") {
            assert_eq!(
                doc["stat"],
                case.args[i + 1],
                "{dataset}: {label}: stat in {doc}"
            );
        }
        let rows = doc["rows"]
            .as_array()
            .unwrap_or_else(|| panic!("{dataset}: {label}: no rows array in {doc}"));
        assert_eq!(
            rows.len(),
            case.rows.len(),
            "{dataset}: {label}: metas gave {} rows, the raw file {} ({:?})\n{doc}",
            rows.len(),
            case.rows.len(),
            case.rows.keys().collect::<Vec<_>>()
        );
        let mut seen = Vec::new();
        for row in rows {
            let key = match case.by {
                None => String::new(),
                Some(dim) => key_text(&row[dim]),
            };
            let at = if key.is_empty() {
                String::new()
            } else {
                format!(" [{}={key}]", case.by.unwrap())
            };
            let want = case.rows.get(&key).unwrap_or_else(|| {
                panic!("{dataset}: {label}: metas has a row{at} the raw file does not: {row}")
            });
            assert!(
                !seen.contains(&key),
                "{dataset}: {label}: two rows{at}\n{doc}"
            );
            seen.push(key.clone());

            let n = row["n"]
                .as_u64()
                .unwrap_or_else(|| panic!("{dataset}: {label}{at}: n is not a count: {row}"));
            assert_eq!(
                n, want.n,
                "{dataset}: {label}{at}: n: metas {n}, raw file {}",
                want.n
            );
            let got = num(&row["value"], &format!("{dataset}: {label}{at}: value"));
            match (got, want.value) {
                (Some(g), Some(w)) => assert!(
                    case.tol.close(g, w),
                    "{dataset}: {label}{at}: value: metas {g}, raw file {w} (tolerance {:?})",
                    case.tol
                ),
                (g, w) => assert_eq!(
                    g, w,
                    "{dataset}: {label}{at}: value: metas {g:?}, raw file {w:?}"
                ),
            }
            // 95 % interval, where metas gives one: it must hold the value.
            if let Some(v) = got {
                let slack = 1e-9 * v.abs().max(1.0);
                let lo = num(&row["ci_low"], &format!("{dataset}: {label}{at}: ci_low"));
                let hi = num(&row["ci_high"], &format!("{dataset}: {label}{at}: ci_high"));
                if let Some(lo) = lo {
                    assert!(
                        lo <= v + slack,
                        "{dataset}: {label}{at}: ci_low {lo} > value {v} (raw file {:?})",
                        want.value
                    );
                }
                if let Some(hi) = hi {
                    assert!(
                        v <= hi + slack,
                        "{dataset}: {label}{at}: value {v} > ci_high {hi} (raw file {:?})",
                        want.value
                    );
                }
            }
        }
        // "Rows are sorted by their dimension values" (text: byte order).
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(
            seen, sorted,
            "{dataset}: {label}: rows are not sorted by {:?}",
            case.by
        );
    }
}

// ---------------------------------------------------------------------------
// PwC call centre: one row per phone call.

/// The pwc-call-center cases, from the raw file alone.
///
/// Mapping: answered = "Answered (Y/N)", abandoned = its negation,
/// resolved_first_contact = "Resolved", queue_wait_secs = "Speed of answer in
/// seconds", talk_secs = "AvgTalkDuration" (H:MM:SS), csat = "Satisfaction
/// rating" on 1–5. The 946 unanswered calls have empty speed, talk time and
/// rating: those are no value, not zeros, so they drop out of asa, aht and csat
/// by their definitions, not by a filter of their own.
fn pwc_cases(raw: &Raw) -> Vec<Case> {
    let (c_agent, c_ans, c_res, c_speed, c_talk, c_sat) = (
        raw.col("Agent"),
        raw.col("Answered (Y/N)"),
        raw.col("Resolved"),
        raw.col("Speed of answer in seconds"),
        raw.col("AvgTalkDuration"),
        raw.col("Satisfaction rating"),
    );
    let mut offered_answered = Vec::new(); // answered, over calls whose answered is known
    let mut offered_abandoned = Vec::new();
    let mut waits = Vec::new();
    let mut handle = Vec::new();
    let mut fcr = Vec::new();
    let mut scores = Vec::new();
    let mut scores_by_agent = Vec::new();
    for r in &raw.rows {
        let answered = yes_no(&r[c_ans]);
        // abandoned = { column = "Answered (Y/N)", negate = true }
        let abandoned = answered.map(|a| !a);
        if let Some(a) = answered {
            offered_answered.push(a);
        }
        if let Some(a) = abandoned {
            offered_abandoned.push(a);
        }
        // asa: queue_wait_secs of answered = true calls (every answered call
        // in this file has a speed; an empty one would be no value).
        if answered == Some(true) {
            if let Some(w) = number(&r[c_speed]) {
                waits.push(w);
            }
        }
        // aht: talk + hold + acw (only talk is mapped), over calls with a part
        // present and answered not false.
        if answered != Some(false) {
            if let Some(t) = hms(&r[c_talk]) {
                handle.push(t);
            }
        }
        // fcr, mode flag: the Resolved flag over calls with the flag known that
        // were handled (answered not false). Unanswered calls carry Resolved = N
        // in this file; they are out of the denominator, not failures.
        if let Some(flag) = yes_no(&r[c_res]) {
            if answered != Some(false) {
                fcr.push(flag);
            }
        }
        if let Some(s) = number(&r[c_sat]) {
            scores.push(s);
            scores_by_agent.push((r[c_agent].to_string(), s));
        }
    }
    vec![
        Case::total("answer_rate", &[], RATE, rate(&offered_answered)),
        Case::total("abandon_rate", &[], RATE, rate(&offered_abandoned)),
        Case::total("asa", &[], SECS, mean(&waits)),
        Case::total("aht", &[], SECS, mean(&handle)),
        Case::total("fcr", &[], RATE, rate(&fcr)),
    ]
    .into_iter()
    .chain(csat_cases(&scores, &scores_by_agent))
    .collect()
}

/// Imports one public export with its mapping into a fresh database, applies
/// the settings, and checks every case computed from the raw file.
fn agree(name: &'static str, rel: &str, cases: fn(&Raw) -> Vec<Case>, settings: &[(&str, &str)]) {
    let file = dataset(rel);
    let raw = Raw::read(name, &file);
    let cases = cases(&raw);
    print_cases(name, &cases);
    let dir = tempfile::tempdir().unwrap();
    let db = import(
        dir.path(),
        name,
        &file,
        &mapping(&format!("{name}.toml")),
        raw.rows.len(),
    );
    for (key, value) in settings {
        set(&db, name, key, value);
    }
    check(&db, name, &cases);
}

#[test]
fn pwc_call_center() {
    // The file's own resolved-on-this-call flag is the FCR to report; this only
    // changes fcr, so it is set once for every case.
    agree(
        "pwc-call-center",
        "pwc-call-center/call_center_dataset.csv",
        pwc_cases,
        &[("fcr.mode", "flag")],
    );
}

// ---------------------------------------------------------------------------
// teresgeo tickets: durations in decimal hours after creation.

/// The teresgeo-tickets cases, from the raw file alone.
///
/// Mapping: first_response_secs = "First_Response_Time_Hours" in hours, so
/// first_response_at = Created_Date + hours and frt = hours × 3600 s; every row
/// has both (open tickets too), so frt's sample is all 1,000 tickets. CSAT_Score
/// ("5.0") on 1–5 is filled only for Closed and Resolved tickets: the other
/// rows have no answer and are not in csat's n. Created_Date has no zone and is
/// read as UTC; no case here filters by date, so the zone cannot move a number.
fn teresgeo_cases(raw: &Raw) -> Vec<Case> {
    let (c_channel, c_agent, c_frt, c_csat) = (
        raw.col("Channel"),
        raw.col("Assigned_Agent"),
        raw.col("First_Response_Time_Hours"),
        raw.col("CSAT_Score"),
    );
    let mut frt = Vec::new();
    let mut frt_by_channel = Vec::new();
    let mut scores = Vec::new();
    let mut scores_by_agent = Vec::new();
    for r in &raw.rows {
        if let Some(h) = number(&r[c_frt]) {
            let secs = h * 3600.0;
            frt.push(secs);
            frt_by_channel.push((channel(&r[c_channel]).to_string(), secs));
        }
        if let Some(s) = number(&r[c_csat]) {
            scores.push(s);
            scores_by_agent.push((r[c_agent].to_string(), s));
        }
    }
    vec![
        Case::total("frt", &[], SECS, mean(&frt)),
        Case::by("frt", "channel", &[], SECS, grouped(&frt_by_channel, mean)),
        // 1,000 values: the median is the mean of the 500th and 501st (36,684 s
        // and 36,720 s), as SQL's median (quantile_cont 0.5) gives; a lower or
        // upper median would be 36,684 or 36,720.
        Case::total("frt", &["--stat", "median"], SECS, median(&frt)),
    ]
    .into_iter()
    .chain(csat_cases(&scores, &scores_by_agent))
    .collect()
}

#[test]
fn teresgeo_tickets() {
    agree(
        "teresgeo-tickets",
        "teresgeo-tickets/customer_support_tickets.csv",
        teresgeo_cases,
        &[],
    );
}

// ---------------------------------------------------------------------------
// Kaggle support tickets: customers with an age, CSAT on closed tickets.

/// The kaggle-support-tickets cases, from the raw file alone.
///
/// Mapping: customer_id = "Customer Email", customer.age = "Customer Age";
/// csat = "Customer Satisfaction Rating" ("3.0") on 1–5, filled only for the
/// 2,769 Closed tickets. The file has no creation time and the mapping keeps
/// "First Response Time" and "Time to Resolution" as attributes only, so frt
/// must have no sample at all (n = 0, value null).
///
/// Customers: 139 e-mail addresses appear on two rows with different names and
/// ages. The customer is identified by the e-mail, so it has one age: the
/// import keeps the customer facts of the file's last row for that id. The
/// segment "customer.age between 55 and 70" (both ends included) therefore uses
/// the age of the last row carrying the ticket's e-mail, not the ticket's own
/// "Customer Age" cell.
fn kaggle_cases(raw: &Raw) -> Vec<Case> {
    let (c_email, c_age, c_csat) = (
        raw.col("Customer Email"),
        raw.col("Customer Age"),
        raw.col("Customer Satisfaction Rating"),
    );
    let mut age_of: BTreeMap<&str, f64> = BTreeMap::new();
    for r in &raw.rows {
        if let Some(age) = number(&r[c_age]) {
            age_of.insert(r.get(c_email).unwrap(), age); // a later row wins
        }
    }
    let mut scores = Vec::new();
    let mut scores_55_70 = Vec::new();
    for r in &raw.rows {
        if let Some(s) = number(&r[c_csat]) {
            scores.push(s);
            if age_of
                .get(&r[c_email])
                .is_some_and(|&a| (55.0..=70.0).contains(&a))
            {
                scores_55_70.push(s);
            }
        }
    }
    let segment = ["--where", "customer.age between 55 and 70"];
    vec![
        Case::total("csat", &[], RATE, csat_share(&scores)),
        Case::total("csat_avg", &[], SCORE, mean(&scores)),
        Case::total("csat", &segment, RATE, csat_share(&scores_55_70)),
        Case::total("csat_avg", &segment, SCORE, mean(&scores_55_70)),
        Case::total("frt", &[], SECS, Expect { value: None, n: 0 }),
    ]
}

#[test]
fn kaggle_support_tickets() {
    agree(
        "kaggle-support-tickets",
        "kaggle-support-tickets/customer_support_tickets.csv",
        kaggle_cases,
        &[],
    );
}

/// A number with nothing behind it says why. The PwC export has no customer
/// ids and no resolution times, so FCR in the default repeat mode has no
/// sample: the answer names what is missing and the setting that gives a
/// figure (the export's own resolution flag), in the table and in the JSON.
/// With that setting FCR has a value and no note.
#[test]
fn pwc_fcr_without_a_sample_says_why() {
    let name = "pwc-call-center";
    let file = dataset("pwc-call-center/call_center_dataset.csv");
    let rows = Raw::read(name, &file).rows.len();
    let dir = tempfile::tempdir().unwrap();
    let db = import(
        dir.path(),
        name,
        &file,
        &mapping("pwc-call-center.toml"),
        rows,
    );

    let run = crate::common::metas(&db, ["kpi", "fcr", "--format", "json"]);
    assert_eq!(run.status, 0, "kpi fcr:\n{run}");
    let doc = run.json();
    assert_eq!(doc["rows"][0]["n"], 0, "{doc}");
    assert_eq!(doc["rows"][0]["value"], Value::Null, "{doc}");
    let note = doc["note"]
        .as_str()
        .unwrap_or_else(|| panic!("a note: {doc}"));
    for words in [
        "resolved interactions",
        "customer ids (customer_id)",
        "metas settings set fcr.mode flag",
    ] {
        assert!(note.contains(words), "the note says {words:?}: {note}");
    }

    let run = crate::common::metas(&db, ["kpi", "fcr"]);
    assert_eq!(run.status, 0, "kpi fcr:\n{run}");
    assert!(
        run.stdout.contains("customer ids (customer_id)")
            && run.stdout.contains("metas settings set fcr.mode flag"),
        "the table says why:\n{run}"
    );

    set(&db, name, "fcr.mode", "flag");
    let run = crate::common::metas(&db, ["kpi", "fcr", "--format", "json"]);
    assert_eq!(run.status, 0, "kpi fcr:\n{run}");
    let doc = run.json();
    assert!(doc["rows"][0]["value"].as_f64().is_some(), "a value: {doc}");
    assert!(doc["rows"][0]["n"].as_u64().unwrap() > 0, "a sample: {doc}");
    assert_eq!(doc["note"], Value::Null, "no note: {doc}");
    let run = crate::common::metas(&db, ["kpi", "fcr"]);
    assert!(
        !run.stdout.contains("no figure"),
        "no note in the table:\n{run}"
    );
}
