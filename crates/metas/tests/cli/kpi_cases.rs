//! KPI values against hand-computed expectations: every KPI of the contract
//! (docs/kpis.md; docs/product.md §4 and §5) on small tables written here,
//! through the real binary (`metas kpi … --format json`).
//!
//! Each test builds one fixture (a fresh database in a temporary folder,
//! filled by `metas import` from the tables below) and runs a list of cases:
//! the arguments, the settings that hold for that case only (set before,
//! reset after), and the expected rows: dimensions, value, n and, where it is
//! checked, the 95 % interval. Every expected number is worked out by hand in
//! the comment beside it. A test runs all its cases and then reports every
//! failing one with the case's name, the command and both numbers.
//!
//! Readings taken where the contract leaves room:
//! - `csat.neutral_in_denominator = no`: neutral answers leave the sample, so
//!   `n` counts the answers left; a group of neutral answers only has n 0 and
//!   value null.
//! - The FCR/repeat window is measured from one creation time to the other;
//!   the fixture's repeats (6 d 23 h and 7 d 1 h 30 min later) give the same
//!   outcome if it is counted in calendar dates instead (6 and 8 dates later).
//!   `repeat_contact_rate` uses the same window setting, `fcr.window_days`.
//! - `one_touch` looks at agent replies only; the reopened ticket also has 2
//!   replies, so it fails one-touch whether or not reopens count there.
//! - Quantiles are interpolated (docs/kpis.md; `percentile_cont`, numpy's and
//!   Excel PERCENTILE.INC's default): the p quantile of n sorted values is
//!   x[k] + f·(x[k+1] − x[k]) with k + f = 1 + p·(n − 1) (1-based).
//! - `between` includes both ends; --from and --to are UTC dates, both
//!   included; --grain buckets by UTC date.
//! - Paused time (`pausing_statuses`) is taken out of business time only;
//!   `--time calendar` is wall-clock time.
//! - `time_to_person`: mean of created → person reached over the automated
//!   contacts that reached a person, n = those contacts (the fixture gives
//!   first_response_at = person_reached_at, so "first human response" reads
//!   the same either way).
//! - Values may be rounded to 4 decimals in JSON (the contract's example rate
//!   is 0.8108), so values are compared within 1e-4.

use std::path::PathBuf;

use crate::common::{metas, stats, table_rows, Run, EVENT_MAPPING};
use serde_json::Value;

// ---------------------------------------------------------------- harness

/// Φ⁻¹(0.975), the normal quantile of a two-sided 95 % interval.
const Z95: f64 = 1.959964;

/// Student's t quantile t(0.975, 4) (two-sided 95 %, 4 degrees of freedom,
/// i.e. n = 5), from the printed table: 2.776 (2.776445 to more places).
const T95_DF4: f64 = 2.776445;

/// How far a value may be from the hand-computed one.
const VALUE_TOL: f64 = 1e-4;

/// A fresh database in its own temporary folder.
struct Fixture {
    dir: tempfile::TempDir,
    db: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let db = dir.path().join("kpi.db");
        Fixture { dir, db }
    }

    /// Writes a file into the fixture's folder and returns its path.
    fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("writing {name}: {e}"));
        path.to_str().expect("a UTF-8 temporary path").to_string()
    }

    /// Runs `metas ARGS…`, which must succeed.
    fn ok(&self, args: &[&str]) -> Run {
        let run = metas(&self.db, args.iter().copied());
        assert_eq!(run.status, 0, "metas {} failed:\n{run}", args.join(" "));
        run
    }

    /// Writes a table (see [`csv`]) as NAME and imports it with the extra
    /// arguments (`--mapping …`, `--source …`); every row must land.
    fn import(&self, name: &str, table: &str, extra: &[&str]) {
        let path = self.write(name, &csv(table));
        let mut args = vec!["import", path.as_str()];
        args.extend_from_slice(extra);
        self.ok(&args);
    }

    fn rows(&self, table: &str) -> i64 {
        table_rows(&stats(&self.db), table)
    }
}

/// A readable table → CSV: cells separated by `|` and trimmed, blank lines
/// and `#` comment lines left out. Every row must have the header's width.
fn csv(table: &str) -> String {
    let mut out = String::new();
    let mut width = None;
    for line in table.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        match width {
            None => width = Some(cells.len()),
            Some(w) => assert_eq!(
                cells.len(),
                w,
                "a fixture row has {} cells, its header {w}: {line}",
                cells.len()
            ),
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// What a row's 95 % interval must be.
#[derive(Clone, Copy, Debug)]
enum Ci {
    /// Not checked (beyond holding the value when both ends are given).
    Unchecked,
    /// Undefined: both ends null.
    Null,
    /// (low, high), each within the tolerance.
    Is(f64, f64, f64),
}

/// One expected row.
struct Row {
    /// Dimension → its value as text (numbers compare as numbers).
    dims: &'static [(&'static str, &'static str)],
    /// None: the value must be null (n = 0).
    value: Option<f64>,
    n: u64,
    ci: Ci,
}

/// One `metas kpi` run and what it must print.
struct Case {
    name: &'static str,
    /// After `kpi` (the first is the KPI id); `--format json` is appended.
    args: &'static [&'static str],
    /// Settings that hold for this case only.
    with: &'static [(&'static str, &'static str)],
    rows: Vec<Row>,
}

fn case(name: &'static str, args: &'static [&'static str]) -> Case {
    Case {
        name,
        args,
        with: &[],
        rows: Vec::new(),
    }
}

impl Case {
    fn with(mut self, settings: &'static [(&'static str, &'static str)]) -> Case {
        self.with = settings;
        self
    }

    /// The one row of a run without --by or --grain.
    fn one(self, value: f64, n: u64) -> Case {
        self.row(&[], value, n)
    }

    fn row(mut self, dims: &'static [(&'static str, &'static str)], value: f64, n: u64) -> Case {
        self.rows.push(Row {
            dims,
            value: Some(value),
            n,
            ci: Ci::Unchecked,
        });
        self
    }

    /// A row whose value must be null.
    fn null(mut self, dims: &'static [(&'static str, &'static str)], n: u64) -> Case {
        self.rows.push(Row {
            dims,
            value: None,
            n,
            ci: Ci::Unchecked,
        });
        self
    }

    fn set_ci(mut self, ci: Ci) -> Case {
        self.rows.last_mut().expect("a row before its interval").ci = ci;
        self
    }

    /// The last row's interval is Wilson's for `k` of `n`.
    fn wilson(self, k: f64, n: f64) -> Case {
        let (low, high) = wilson(k, n);
        self.set_ci(Ci::Is(low, high, 2e-4))
    }

    /// The last row's interval is the t-interval of the sample `xs` with the
    /// table quantile `t`.
    fn t_interval(self, xs: &[f64], t: f64) -> Case {
        let (low, high) = t_interval(xs, t);
        // The product may compute t itself (to ~1e-3): allow that much.
        self.set_ci(Ci::Is(low, high, 3e-3))
    }

    fn ci_null(self) -> Case {
        self.set_ci(Ci::Null)
    }

    fn label(&self) -> String {
        let args: Vec<String> = self
            .args
            .iter()
            .map(|a| {
                if a.contains(' ') {
                    format!("\"{a}\"")
                } else {
                    a.to_string()
                }
            })
            .collect();
        let with: String = self.with.iter().map(|(k, v)| format!(" {k}={v}")).collect();
        let with = if with.is_empty() {
            String::new()
        } else {
            format!(" (settings:{with})")
        };
        format!(
            "[{}]{with} metas kpi {} --format json",
            self.name,
            args.join(" ")
        )
    }
}

/// Wilson score interval, 95 %, for `k` successes of `n`:
/// (p + z²/2n ∓ z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n).
fn wilson(k: f64, n: f64) -> (f64, f64) {
    let p = k / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    (centre - half, centre + half)
}

/// mean ∓ t·s/√n with s² = Σ(x − mean)² / (n − 1).
fn t_interval(xs: &[f64], t: f64) -> (f64, f64) {
    let n = xs.len() as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let s2 = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0);
    let half = t * (s2 / n).sqrt();
    (mean - half, mean + half)
}

/// The unit the contract gives each KPI.
fn unit_of(kpi: &str) -> &'static str {
    match kpi {
        "csat"
        | "fcr"
        | "answer_rate"
        | "abandon_rate"
        | "service_level"
        | "repeat_contact_rate"
        | "retention" => "rate",
        "csat_avg" | "ces" => "score",
        "qa_score" => "percent",
        "nps" => "points",
        "aht" | "frt" | "nrt" | "resolution_time" | "asa" | "time_to_person" => "seconds",
        "volume" => "count",
        other => panic!("no unit known for {other}"),
    }
}

fn close(got: f64, want: f64, tol: f64) -> bool {
    (got - want).abs() <= tol
}

/// A dimension's value as text: strings as they are, whole numbers without
/// a fraction (`34`, whether printed 34 or 34.0).
fn dim_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            Some(f) => f.to_string(),
            None => n.to_string(),
        },
        other => other.to_string(),
    }
}

fn show(v: Option<f64>) -> String {
    v.map_or("null".to_string(), |v| format!("{v}"))
}

/// Runs every case against the fixture; panics listing all failures.
fn run_cases(f: &Fixture, cases: &[Case]) {
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(f, c)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

fn run_case(f: &Fixture, case: &Case) -> Option<String> {
    let label = case.label();
    for &(key, value) in case.with {
        let run = metas(&f.db, ["settings", "set", key, value]);
        if run.status != 0 {
            return Some(format!(
                "{label}\n  `metas settings set {key} {value}` failed:\n{run}"
            ));
        }
    }
    let mut args = vec!["kpi"];
    args.extend_from_slice(case.args);
    args.extend_from_slice(&["--format", "json"]);
    let run = metas(&f.db, args.iter().copied());
    let mut problems = Vec::new();
    for &(key, _) in case.with {
        let reset = metas(&f.db, ["settings", "reset", key]);
        if reset.status != 0 {
            problems.push(format!("`metas settings reset {key}` failed:\n{reset}"));
        }
    }
    if run.status != 0 {
        problems.push(format!("exit {} (expected 0):\n{run}", run.status));
    } else {
        match serde_json::from_str::<Value>(&run.stdout) {
            Ok(doc) => problems.extend(check(case, &doc)),
            Err(e) => problems.push(format!("stdout is not one JSON document ({e}):\n{run}")),
        }
    }
    if problems.is_empty() {
        None
    } else {
        Some(format!("{label}\n  {}", problems.join("\n  ")))
    }
}

fn check(case: &Case, doc: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let kpi = case.args[0];
    if doc["kpi"] != kpi {
        p.push(format!("\"kpi\": expected {kpi:?}, got {}", doc["kpi"]));
    }
    let unit = unit_of(kpi);
    if doc["unit"] != unit {
        p.push(format!("\"unit\": expected {unit:?}, got {}", doc["unit"]));
    }
    for (flag, field) in [("--stat", "stat"), ("--time", "time")] {
        if let Some(i) = case.args.iter().position(|a| *a == flag) {
            let want = case.args[i + 1];
            if doc[field] != want {
                p.push(format!(
                    "\"{field}\": expected {want:?}, got {}",
                    doc[field]
                ));
            }
        }
    }
    let Some(rows) = doc["rows"].as_array() else {
        p.push(format!("no \"rows\" array in {doc}"));
        return p;
    };
    if rows.len() != case.rows.len() {
        p.push(format!(
            "expected {} row(s), got {}: {}",
            case.rows.len(),
            rows.len(),
            doc["rows"]
        ));
        return p;
    }
    for (i, (want, got)) in case.rows.iter().zip(rows).enumerate() {
        let dims: Vec<String> = want.dims.iter().map(|(d, v)| format!("{d}={v}")).collect();
        let at = format!("row {i} [{}]", dims.join(", "));
        for &(dim, text) in want.dims {
            let actual = got
                .get(dim)
                .map(dim_text)
                .unwrap_or_else(|| "(missing)".to_string());
            if actual != text {
                p.push(format!(
                    "{at}: {dim} expected {text:?}, got {actual:?} (rows are sorted by their dimensions): {got}"
                ));
            }
        }
        let value = got.get("value").and_then(Value::as_f64);
        match (got.get("value"), want.value) {
            (None, _) => p.push(format!("{at}: no \"value\": {got}")),
            (Some(_), Some(w)) if value.is_some_and(|g| close(g, w, VALUE_TOL)) => {}
            (Some(Value::Null), None) => {}
            (Some(g), w) => p.push(format!("{at}: value expected {}, got {g}", show(w))),
        }
        if got.get("n").and_then(Value::as_f64) != Some(want.n as f64) {
            p.push(format!(
                "{at}: n expected {}, got {}",
                want.n,
                got.get("n").unwrap_or(&Value::Null)
            ));
        }
        let (low, high) = (got["ci_low"].as_f64(), got["ci_high"].as_f64());
        match want.ci {
            Ci::Unchecked => {}
            Ci::Null => {
                if !(got["ci_low"].is_null() && got["ci_high"].is_null()) {
                    p.push(format!(
                        "{at}: interval expected null, got ({}, {})",
                        got["ci_low"], got["ci_high"]
                    ));
                }
            }
            Ci::Is(wl, wh, tol) => {
                let ok = matches!((low, high), (Some(l), Some(h)) if close(l, wl, tol) && close(h, wh, tol));
                if !ok {
                    p.push(format!(
                        "{at}: interval expected ({wl:.4}, {wh:.4}) ± {tol}, got ({}, {})",
                        got["ci_low"], got["ci_high"]
                    ));
                }
            }
        }
        if let (Some(v), Some(l), Some(h)) = (value, low, high) {
            if !(l - VALUE_TOL <= v && v <= h + VALUE_TOL) {
                p.push(format!(
                    "{at}: value {v} lies outside its interval ({l}, {h})"
                ));
            }
        }
    }
    p
}

#[test]
fn the_harness_formulas_match_textbook_values() {
    // Wilson, 81 of 100 at 95 %: (0.7222, 0.8749) (also metas-domain's stats test).
    let (l, h) = wilson(81.0, 100.0);
    assert!(
        close(l, 0.7222, 1e-4) && close(h, 0.8749, 1e-4),
        "({l}, {h})"
    );
    // 3 of 8: p = 0.375, z² = 3.8415, denominator 1 + 3.8415/8 = 1.4802,
    // centre (0.375 + 0.2401)/1.4802 = 0.4156, half 1.96·√(0.0293 + 0.0150)/1.4802 = 0.2787.
    let (l, h) = wilson(3.0, 8.0);
    assert!(
        close(l, 0.1368, 1e-4) && close(h, 0.6943, 1e-4),
        "({l}, {h})"
    );
    // 2, 3, 1, 5, 6: mean 3.4, s² = 4.3, half = 2.7764·√(4.3/5) = 2.5748.
    let (l, h) = t_interval(&[2.0, 3.0, 1.0, 5.0, 6.0], T95_DF4);
    assert!(
        close(l, 0.8252, 1e-4) && close(h, 5.9748, 1e-4),
        "({l}, {h})"
    );
    // The table helper.
    assert_eq!(csv("a | b\n# note\n 1 |  \n"), "a,b\n1,\n");
}

// ---------------------------------------------------------------- surveys

/// CSAT (1–5), CES (1–7) and NPS (0–10) answers through the generic preset's
/// `csat`, `ces` and `nps` columns; an empty cell is no answer.
const SURVEYS: &str = "
    external_id | channel | created_at           | topic   | csat | ces | nps
    S01         | email   | 2024-03-01T10:00:00Z | billing | 5    | 2   | 10
    S02         | email   | 2024-03-02T10:00:00Z | billing | 4    | 3   | 9
    S03         | chat    | 2024-03-03T10:00:00Z | login   | 3    | 5   | 8
    S04         | chat    | 2024-03-04T10:00:00Z | login   | 2    | 6   | 7
    S05         | phone   | 2024-03-05T10:00:00Z | billing | 1    | 7   | 6
    S06         | phone   | 2024-03-06T10:00:00Z | login   | 4    |     | 0
    S07         | email   | 2024-03-07T10:00:00Z | login   |      | 1   |
    # S08: an interaction with no answers at all
    S08         | chat    | 2024-03-08T10:00:00Z | billing |      |     |
    # returns: every CSAT answer neutral
    S09         | email   | 2024-03-09T10:00:00Z | returns | 3    |     | 9
    S10         | chat    | 2024-03-10T10:00:00Z | returns | 3    |     | 10
";

#[test]
fn survey_kpis() {
    let f = Fixture::new();
    f.import("surveys.csv", SURVEYS, &[]);
    assert_eq!(f.rows("interactions"), 10);
    // 8 CSAT (S01–S06, S09, S10) + 6 CES (S01–S05, S07) + 8 NPS (S01–S06, S09, S10).
    assert_eq!(f.rows("survey_answers"), 22);

    let cases = vec![
        // CSAT answers: S01 5, S02 4, S03 3, S04 2, S05 1, S06 4, S09 3, S10 3 = 8
        // (S07 and S08 have none); satisfied (≥ 4): S01, S02, S06 = 3 → 3/8 = 0.375.
        // Wilson for 3 of 8: (0.1368, 0.6943).
        case("csat, default threshold 4", &["csat"])
            .one(3.0 / 8.0, 8)
            .wilson(3.0, 8.0),
        // ≥ 3: S01, S02, S03, S06, S09, S10 = 6 → 6/8 = 0.75.
        case("csat, threshold 3", &["csat"])
            .with(&[("csat.threshold", "3")])
            .one(6.0 / 8.0, 8),
        // ≥ 5: S01 = 1 → 1/8 = 0.125.
        case("csat, threshold 5", &["csat"])
            .with(&[("csat.threshold", "5")])
            .one(1.0 / 8.0, 8),
        // The neutral answers (3, the midpoint of 1–5: S03, S09, S10) leave the
        // sample: S01 5, S02 4, S04 2, S05 1, S06 4 = 5 answers, 3 satisfied → 3/5 = 0.6.
        case("csat, neutral_in_denominator = no", &["csat"])
            .with(&[("csat.neutral_in_denominator", "no")])
            .one(3.0 / 5.0, 5),
        // billing: S01 5, S02 4, S05 1 → 2/3 (S08 has no answer);
        // login: S03 3, S04 2, S06 4 → 1/3 (S07 has no CSAT);
        // returns: S09 3, S10 3 → 0/2 = 0.
        case("csat by topic", &["csat", "--by", "topic"])
            .row(&[("topic", "billing")], 2.0 / 3.0, 3)
            .row(&[("topic", "login")], 1.0 / 3.0, 3)
            .row(&[("topic", "returns")], 0.0, 2),
        // All answers neutral (S09 3, S10 3): none satisfied → 0/2 = 0.
        case(
            "csat, all answers neutral",
            &["csat", "--where", "topic = 'returns'"],
        )
        .one(0.0, 2),
        // … and with neutral answers left out nothing remains: null, n 0, no interval.
        case(
            "csat, all answers neutral, neutral_in_denominator = no",
            &["csat", "--where", "topic = 'returns'"],
        )
        .with(&[("csat.neutral_in_denominator", "no")])
        .null(&[], 0)
        .ci_null(),
        // S08 is the only chat/billing interaction and has no answers: null, n 0.
        case(
            "csat, an interaction with no answers",
            &["csat", "--where", "channel = 'chat' and topic = 'billing'"],
        )
        .null(&[], 0)
        .ci_null(),
        // (5 + 4 + 3 + 2 + 1 + 4 + 3 + 3) / 8 = 25 / 8 = 3.125.
        case("csat_avg", &["csat_avg"]).one(25.0 / 8.0, 8),
        // CES: S01 2, S02 3, S03 5, S04 6, S05 7, S07 1 → 24 / 6 = 4.0.
        case("ces", &["ces"]).one(4.0, 6),
        // chat: S03 5, S04 6 → 11/2 = 5.5; email: S01 2, S02 3, S07 1 → 6/3 = 2.0;
        // phone: S05 7 alone → 7.0, and no t-interval for n = 1.
        case("ces by channel", &["ces", "--by", "channel"])
            .row(&[("channel", "chat")], 5.5, 2)
            .row(&[("channel", "email")], 2.0, 3)
            .row(&[("channel", "phone")], 7.0, 1)
            .ci_null(),
        // email and chat: 2, 3, 1, 5, 6 → mean 17/5 = 3.4;
        // s² = (1.96 + 0.16 + 5.76 + 2.56 + 6.76) / 4 = 17.2 / 4 = 4.3;
        // t(0.975, 4) = 2.7764 → 3.4 ∓ 2.7764·√(4.3/5) = 3.4 ∓ 2.5748 = (0.8252, 5.9748).
        case(
            "ces mean with its t-interval",
            &["ces", "--where", "channel in ('email', 'chat')"],
        )
        .one(3.4, 5)
        .t_interval(&[2.0, 3.0, 1.0, 5.0, 6.0], T95_DF4),
        // NPS answers: 10, 9, 8, 7, 6, 0, 9, 10 (S01–S06, S09, S10) = 8;
        // promoters 9–10: S01, S02, S09, S10 = 4; passives 7–8: S03, S04 = 2;
        // detractors 0–6: S05, S06 = 2 → 100·(4 − 2)/8 = 25.
        case("nps", &["nps"]).one(25.0, 8),
        // chat: S03 8, S04 7 (passives), S10 10 (promoter) → 100·(1 − 0)/3 = 33.33;
        // email: S01 10, S02 9, S09 9 all promoters → 100 (S07 has no NPS);
        // phone: S05 6, S06 0 both detractors → −100.
        case("nps by channel", &["nps", "--by", "channel"])
            .row(&[("channel", "chat")], 100.0 / 3.0, 3)
            .row(&[("channel", "email")], 100.0, 3)
            .row(&[("channel", "phone")], -100.0, 2),
    ];
    run_cases(&f, &cases);
}

// ---------------------------------------------------------------- tickets

/// Tickets for FCR, repeat contacts, volume, dimensions, segments and dates.
const TICKETS: &str = "
    external_id | channel  | created_at           | resolved_at          | status   | reopen_count | agent_replies | topic   | customer_id | resolved_first_contact | answered | abandoned
    # c1 billing: T02 comes 6 d 23 h after T01 (inside the 7-day window)
    T01         | email    | 2024-04-01T00:00:00Z | 2024-04-01T06:00:00Z | resolved | 0            | 1             | billing | c1          | true                   |          |
    T02         | email    | 2024-04-07T23:00:00Z | 2024-04-08T09:00:00Z | resolved | 0            | 2             | billing | c1          | false                  |          |
    # c2 billing: T04 comes 7 d 1 h 30 min after T03 (just outside it)
    T03         | chat     | 2024-04-01T23:00:00Z | 2024-04-01T23:30:00Z | resolved | 0            | 1             | billing | c2          | true                   |          |
    T04         | chat     | 2024-04-09T00:30:00Z | 2024-04-09T02:00:00Z | resolved | 0            | 3             | billing | c2          |                        |          |
    # c3: login, then billing the next day (another topic: no repeat)
    T05         | email    | 2024-04-02T10:00:00Z | 2024-04-02T12:00:00Z | resolved | 0            | 1             | login   | c3          | true                   |          |
    T06         | email    | 2024-04-03T10:00:00Z | 2024-04-03T11:00:00Z | resolved | 0            | 1             | billing | c3          |                        |          |
    # c4: reopened twice
    T07         | chat     | 2024-04-04T10:00:00Z | 2024-04-06T10:00:00Z | resolved | 2            | 2             | login   | c4          | false                  |          |
    # c5: still open
    T08         | email    | 2024-04-30T23:30:00Z |                      | open     | 0            | 1             | login   | c5          | false                  |          |
    # c6: closed without a resolution time, reopen count unknown; one second before April
    T09         | phone    | 2024-03-31T23:59:59Z |                      | closed   |              | 1             | refund  | c6          | true                   |          |
    # no customer
    T10         | email    | 2024-05-02T10:00:00Z | 2024-05-02T10:30:00Z | resolved | 0            | 2             | login   |             |                        |          |
    # an unanswered (abandoned) call: its flag does not count
    T11         | phone    | 2024-05-31T23:59:59Z |                      |          |              |               | refund  |             | false                  | false    | true
    T12         | web_form | 2024-06-01T00:00:00Z |                      | new      |              |               | login   |             |                        |          |
";

/// The customers behind the tickets (imported with `record = \"customer\"`).
const CUSTOMERS: &str = "
    id | age | segment
    c1 | 25  | smb
    c2 | 34  | enterprise
    c3 | 34  | smb
    c4 | 61  | enterprise
    c5 | 61  | smb
    c6 | 70  | smb
";

const CUSTOMER_MAPPING: &str = r#"
[source]
name = "shop"
record = "customer"

[fields]
id = "id"
age = "age"
segment = "segment"
"#;

fn tickets() -> Fixture {
    let f = Fixture::new();
    let mapping = f.write("customers.toml", CUSTOMER_MAPPING);
    f.import("customers.csv", CUSTOMERS, &["--mapping", &mapping]);
    f.import("tickets.csv", TICKETS, &["--source", "shop"]);
    assert_eq!(f.rows("interactions"), 12);
    assert_eq!(f.rows("customers"), 6);
    f
}

#[test]
fn fcr_and_repeat_contacts() {
    let f = tickets();
    let cases = vec![
        // Resolved (resolved_at, or status resolved/closed): T01–T07, T09, T10 = 9
        // (T08 open, T11 and T12 unresolved). Not FCR: T01 (T02, same customer and
        // topic, 6 d 23 h later) and T07 (reopened). T03 counts: T04 is 7 d 1.5 h
        // later. T05 counts: T06 is another topic. T09 counts (reopen unknown), T10
        // too (no customer) → 7/9 = 0.7778; Wilson for 7 of 9: (0.4526, 0.9368).
        case("fcr, mode repeat (default)", &["fcr"])
            .one(7.0 / 9.0, 9)
            .wilson(7.0, 9.0),
        // 8 days: T04 (7 d 1.5 h after T03) is a repeat now → T03 fails too: 6/9.
        case("fcr, window 8 days", &["fcr"])
            .with(&[("fcr.window_days", "8")])
            .one(6.0 / 9.0, 9),
        // 3 days: T02 (6 d 23 h after T01) no longer is → only T07 fails: 8/9.
        case("fcr, window 3 days", &["fcr"])
            .with(&[("fcr.window_days", "3")])
            .one(8.0 / 9.0, 9),
        // Resolved with agent_replies ≤ 1: T01 1, T03 1, T05 1, T06 1, T09 1 = 5 of 9
        // (T02 2, T04 3, T07 2, T10 2) → 5/9.
        case("fcr, mode one_touch", &["fcr"])
            .with(&[("fcr.mode", "one_touch")])
            .one(5.0 / 9.0, 9),
        // Flag known and answered not false: T01 t, T02 f, T03 t, T05 t, T07 f, T08 f,
        // T09 t = 7 (T11 was not answered; T04, T06, T10, T12 have no flag) → 4/7.
        case("fcr, mode flag", &["fcr"])
            .with(&[("fcr.mode", "flag")])
            .one(4.0 / 7.0, 7),
        // chat/billing: T03 ✓ T04 ✓ → 2/2; chat/login: T07 ✗ → 0/1;
        // email/billing: T01 ✗ T02 ✓ T06 ✓ → 2/3; email/login: T05 ✓ T10 ✓ (T08 open) → 2/2;
        // phone/refund: T09 ✓ (T11 unresolved) → 1/1. (web_form has nothing resolved.)
        case(
            "fcr by channel and topic",
            &[
                "fcr",
                "--by",
                "channel,topic",
                "--where",
                "channel != 'web_form'",
            ],
        )
        .row(&[("channel", "chat"), ("topic", "billing")], 1.0, 2)
        .row(&[("channel", "chat"), ("topic", "login")], 0.0, 1)
        .row(&[("channel", "email"), ("topic", "billing")], 2.0 / 3.0, 3)
        .row(&[("channel", "email"), ("topic", "login")], 1.0, 2)
        .row(&[("channel", "phone"), ("topic", "refund")], 1.0, 1),
        // Customers aged 30–61: c2 34, c3 34, c4 61, c5 61 → resolved T03 ✓, T04 ✓,
        // T05 ✓, T06 ✓, T07 ✗ (T08 open) → 4/5 = 0.8.
        case(
            "fcr, customer.age between 30 and 61",
            &["fcr", "--where", "customer.age between 30 and 61"],
        )
        .one(4.0 / 5.0, 5),
        // With a customer: T01–T09 = 9; followed by the same customer and topic
        // within 7 days: T01 (T02) → 1/9.
        case("repeat_contact_rate", &["repeat_contact_rate"]).one(1.0 / 9.0, 9),
        // 8 days: T01 and T03 (T04 7 d 1.5 h later) → 2/9.
        case(
            "repeat_contact_rate, window 8 days",
            &["repeat_contact_rate"],
        )
        .with(&[("fcr.window_days", "8")])
        .one(2.0 / 9.0, 9),
        // 3 days: none → 0/9.
        case(
            "repeat_contact_rate, window 3 days",
            &["repeat_contact_rate"],
        )
        .with(&[("fcr.window_days", "3")])
        .one(0.0, 9),
    ];
    run_cases(&f, &cases);
}

#[test]
fn volume_dimensions_segments_and_dates() {
    let f = tickets();
    let cases = vec![
        // All 12 tickets.
        case("volume", &["volume"]).one(12.0, 12),
        // chat: T03, T04, T07 = 3; email: T01, T02, T05, T06, T08, T10 = 6;
        // phone: T09, T11 = 2; web_form: T12 = 1.
        case("volume by channel", &["volume", "--by", "channel"])
            .row(&[("channel", "chat")], 3.0, 3)
            .row(&[("channel", "email")], 6.0, 6)
            .row(&[("channel", "phone")], 2.0, 2)
            .row(&[("channel", "web_form")], 1.0, 1),
        // chat/billing T03 T04; chat/login T07; email/billing T01 T02 T06;
        // email/login T05 T08 T10; phone/refund T09 T11; web_form/login T12.
        case(
            "volume by channel and topic",
            &["volume", "--by", "channel,topic"],
        )
        .row(&[("channel", "chat"), ("topic", "billing")], 2.0, 2)
        .row(&[("channel", "chat"), ("topic", "login")], 1.0, 1)
        .row(&[("channel", "email"), ("topic", "billing")], 3.0, 3)
        .row(&[("channel", "email"), ("topic", "login")], 3.0, 3)
        .row(&[("channel", "phone"), ("topic", "refund")], 2.0, 2)
        .row(&[("channel", "web_form"), ("topic", "login")], 1.0, 1),
        // March: T09 (03-31 23:59:59); April: T01–T08 = 8; May: T10, T11 (05-31 23:59:59);
        // June: T12 (06-01 00:00:00).
        case("volume by month", &["volume", "--grain", "month"])
            .row(&[("period", "2024-03-01")], 1.0, 1)
            .row(&[("period", "2024-04-01")], 8.0, 8)
            .row(&[("period", "2024-05-01")], 2.0, 2)
            .row(&[("period", "2024-06-01")], 1.0, 1),
        // Both dates inclusive: T01 (04-01 00:00:00) … T11 (05-31 23:59:59) = 12 − T09 − T12 = 10.
        case(
            "volume --from 2024-04-01 --to 2024-05-31",
            &["volume", "--from", "2024-04-01", "--to", "2024-05-31"],
        )
        .one(10.0, 10),
        // The same range by month: April 8, May 2.
        case(
            "volume by month from April to May",
            &[
                "volume",
                "--grain",
                "month",
                "--from",
                "2024-04-01",
                "--to",
                "2024-05-31",
            ],
        )
        .row(&[("period", "2024-04-01")], 8.0, 8)
        .row(&[("period", "2024-05-01")], 2.0, 2),
        // One day, from its first to its last second: T01 (00:00:00) and T03 (23:00).
        case(
            "volume on one day",
            &["volume", "--from", "2024-04-01", "--to", "2024-04-01"],
        )
        .one(2.0, 2),
        // --to alone: T09 (2024-03-31 23:59:59).
        case("volume --to 2024-03-31", &["volume", "--to", "2024-03-31"]).one(1.0, 1),
        // --from alone: T11 (05-31 23:59:59) and T12.
        case(
            "volume --from 2024-05-31",
            &["volume", "--from", "2024-05-31"],
        )
        .one(2.0, 2),
        // T05 (04-02), T06 (04-03), T07 (04-04), T02 (04-07), T04 (04-09), T08 (04-30 23:30) = 6.
        case(
            "volume --from 2024-04-02 --to 2024-04-30",
            &["volume", "--from", "2024-04-02", "--to", "2024-04-30"],
        )
        .one(6.0, 6),
        // Email: 6.
        case("where =", &["volume", "--where", "channel = 'email'"]).one(6.0, 6),
        // Not email: 12 − 6 = 6.
        case("where !=", &["volume", "--where", "channel != 'email'"]).one(6.0, 6),
        case("where not", &["volume", "--where", "not channel = 'email'"]).one(6.0, 6),
        // Email and login: T05, T08, T10 = 3.
        case(
            "where and",
            &["volume", "--where", "channel = 'email' and topic = 'login'"],
        )
        .one(3.0, 3),
        // Chat (T03, T04, T07) or refund (T09, T11) = 5.
        case(
            "where or",
            &["volume", "--where", "channel = 'chat' or topic = 'refund'"],
        )
        .one(5.0, 5),
        // billing: T01, T02, T03, T04, T06 = 5; refund: T09, T11 = 2 → 7.
        case(
            "where in",
            &["volume", "--where", "topic in ('billing', 'refund')"],
        )
        .one(7.0, 7),
        // The rest: login T05, T07, T08, T10, T12 = 5.
        case(
            "where not in",
            &["volume", "--where", "topic not in ('billing', 'refund')"],
        )
        .one(5.0, 5),
        // Email or chat, not login: email/billing 3 + chat/billing 2 = 5.
        case(
            "where with parentheses",
            &[
                "volume",
                "--where",
                "(channel = 'email' or channel = 'chat') and not topic = 'login'",
            ],
        )
        .one(5.0, 5),
        // c2 34 (T03, T04), c3 34 (T05, T06), c4 61 (T07), c5 61 (T08): ends included → 6.
        case(
            "where between (customer.age)",
            &["volume", "--where", "customer.age between 30 and 61"],
        )
        .one(6.0, 6),
        // smb customers c1, c3, c5, c6 by email: T01, T02, T05, T06, T08 = 5 (T09 is a call).
        case(
            "where customer.segment and channel",
            &[
                "volume",
                "--where",
                "customer.segment = 'smb' and channel = 'email'",
            ],
        )
        .one(5.0, 5),
        // 25: c1 (T01, T02); 34: c2 + c3 (T03–T06); 61: c4 + c5 (T07, T08); 70: c6 (T09).
        // (The filter leaves out the tickets without a customer.)
        case(
            "volume by customer.age",
            &[
                "volume",
                "--by",
                "customer.age",
                "--where",
                "customer.age >= 18",
            ],
        )
        .row(&[("customer.age", "25")], 2.0, 2)
        .row(&[("customer.age", "34")], 4.0, 4)
        .row(&[("customer.age", "61")], 2.0, 2)
        .row(&[("customer.age", "70")], 1.0, 1),
        // enterprise: c2 (T03, T04) + c4 (T07) = 3; smb: c1 2 + c3 2 + c5 1 + c6 1 = 6.
        case(
            "volume by customer.segment",
            &[
                "volume",
                "--by",
                "customer.segment",
                "--where",
                "customer.segment in ('smb', 'enterprise')",
            ],
        )
        .row(&[("customer.segment", "enterprise")], 3.0, 3)
        .row(&[("customer.segment", "smb")], 6.0, 6),
        // Login only, by channel: chat T07; email T05, T08, T10; web_form T12.
        case(
            "volume by channel where topic",
            &["volume", "--by", "channel", "--where", "topic = 'login'"],
        )
        .row(&[("channel", "chat")], 1.0, 1)
        .row(&[("channel", "email")], 3.0, 3)
        .row(&[("channel", "web_form")], 1.0, 1),
    ];
    run_cases(&f, &cases);
}

// ---------------------------------------------------------------- durations

/// First responses of 60 s … 7200 s (5 by email, 5 by chat) and five
/// resolutions; F01 was resolved first after 1 h, finally after 2 h.
const DURATIONS: &str = "
    external_id | channel | created_at           | first_response_at    | first_resolved_at    | resolved_at
    F01         | email   | 2024-06-03T08:00:00Z | 2024-06-03T08:01:00Z | 2024-06-03T09:00:00Z | 2024-06-03T10:00:00Z
    F02         | chat    | 2024-06-03T09:00:00Z | 2024-06-03T09:02:00Z |                      | 2024-06-04T09:00:00Z
    F03         | email   | 2024-06-03T10:00:00Z | 2024-06-03T10:03:00Z |                      | 2024-06-03T10:30:00Z
    F04         | chat    | 2024-06-03T11:00:00Z | 2024-06-03T11:04:00Z |                      | 2024-06-03T14:00:00Z
    F05         | email   | 2024-06-03T12:00:00Z | 2024-06-03T12:05:00Z |                      | 2024-06-03T13:00:00Z
    F06         | chat    | 2024-06-04T08:00:00Z | 2024-06-04T08:10:00Z |                      |
    F07         | email   | 2024-06-04T09:00:00Z | 2024-06-04T09:15:00Z |                      |
    F08         | chat    | 2024-06-04T10:00:00Z | 2024-06-04T10:20:00Z |                      |
    F09         | email   | 2024-06-04T11:00:00Z | 2024-06-04T12:00:00Z |                      |
    F10         | chat    | 2024-06-04T12:00:00Z | 2024-06-04T14:00:00Z |                      |
    # no response yet: in no sample
    F11         | email   | 2024-06-05T08:00:00Z |                      |                      |
";

#[test]
fn response_and_resolution_times() {
    let f = Fixture::new();
    f.import("durations.csv", DURATIONS, &[]);
    assert_eq!(f.rows("interactions"), 11);
    // First responses (s), sorted: 60 (F01), 120 (F02), 180 (F03), 240 (F04), 300 (F05),
    // 600 (F06), 900 (F07), 1200 (F08), 3600 (F09), 7200 (F10); F11 has none.
    // email: 60, 180, 300, 900, 3600; chat: 120, 240, 600, 1200, 7200.
    // Final resolutions (s): F01 7200 (not its first, 3600), F02 86400, F03 1800,
    // F04 10800, F05 3600 → sorted 1800, 3600, 7200, 10800, 86400.
    let cases = vec![
        // (60 + 120 + 180 + 240 + 300 + 600 + 900 + 1200 + 3600 + 7200) / 10 = 14400 / 10 = 1440.
        case("frt mean (default stat)", &["frt"]).one(1440.0, 10),
        case("frt --stat mean", &["frt", "--stat", "mean"]).one(1440.0, 10),
        // 1 + 0.9·9 = 9.1 → 3600 + 0.1·(7200 − 3600) = 3960.
        case("frt p90, n = 10", &["frt", "--stat", "p90"]).one(3960.0, 10),
        // chat: 120, 240, 600, 1200, 7200 → 3rd = 600; email: 60, 180, 300, 900, 3600 → 3rd = 300.
        case(
            "frt median by channel",
            &["frt", "--stat", "median", "--by", "channel"],
        )
        .row(&[("channel", "chat")], 600.0, 5)
        .row(&[("channel", "email")], 300.0, 5),
        // email: (60 + 180 + 300 + 900 + 3600) / 5 = 5040 / 5 = 1008.
        case("frt mean, email", &["frt", "--where", "channel = 'email'"]).one(1008.0, 5),
        // email: 1 + 0.9·4 = 4.6 → 900 + 0.6·(3600 − 900) = 2520.
        case(
            "frt p90, email",
            &["frt", "--stat", "p90", "--where", "channel = 'email'"],
        )
        .one(2520.0, 5),
        // chat: 4.6 → 1200 + 0.6·(7200 − 1200) = 4800.
        case(
            "frt p90, chat",
            &["frt", "--stat", "p90", "--where", "channel = 'chat'"],
        )
        .one(4800.0, 5),
        // The default calendar (24x7) is always open: business time = calendar time.
        case(
            "frt business, default calendar 24x7",
            &["frt", "--time", "business"],
        )
        .one(1440.0, 10),
        // (7200 + 86400 + 1800 + 10800 + 3600) / 5 = 109800 / 5 = 21960
        // (with F01's first resolution it would be 21240).
        case("resolution_time mean", &["resolution_time"]).one(21960.0, 5),
        // 3rd of 1800, 3600, 7200, 10800, 86400 = 7200.
        case(
            "resolution_time median",
            &["resolution_time", "--stat", "median"],
        )
        .one(7200.0, 5),
        // 4.6 → 10800 + 0.6·(86400 − 10800) = 56160.
        case("resolution_time p90", &["resolution_time", "--stat", "p90"]).one(56160.0, 5),
    ];
    run_cases(&f, &cases);
}

// ---------------------------------------------------------------- phone

/// Calls (queue wait, answered, abandoned, talk/hold/after-call work) and
/// three bot contacts, two of which reached a person.
const CALLS: &str = "
    external_id | channel      | created_at           | automated | queue_wait_secs | answered | abandoned | talk_secs | hold_secs | acw_secs | first_response_at    | person_reached_at
    C01         | phone        | 2024-05-06T09:00:00Z | false     | 5               | true     | false     | 300       | 0         | 60       |                      |
    C02         | phone        | 2024-05-06T09:10:00Z | false     | 15              | true     | false     | 240       | 60        | 30       |                      |
    # answered after exactly 20 s: within the default service level
    C03         | phone        | 2024-05-06T09:20:00Z | false     | 20              | true     | false     | 600       |           | 120      |                      |
    C04         | phone        | 2024-05-06T09:30:00Z | false     | 45              | true     | false     | 180       | 30        |          |                      |
    C05         | phone        | 2024-05-06T09:40:00Z | false     | 90              | true     | false     | 420       |           |          |                      |
    C06         | phone        | 2024-05-06T09:50:00Z | false     | 30              | false    | true      |           |           |          |                      |
    C07         | phone        | 2024-05-06T10:00:00Z | false     | 8               | false    | true      |           |           |          |                      |
    # offered, neither answered nor abandoned; its wrap-up time does not count (answered = false)
    C08         | phone        | 2024-05-06T10:10:00Z | false     |                 | false    | false     |           |           | 50       |                      |
    # answered unknown: not offered, but handled (answered is not false)
    C09         | phone        | 2024-05-06T10:20:00Z | false     |                 |          |           | 200       |           |          |                      |
    B01         | self_service | 2024-05-06T10:00:00Z | true      |                 |          |           |           |           |          | 2024-05-06T10:05:00Z | 2024-05-06T10:05:00Z
    B02         | self_service | 2024-05-06T11:00:00Z | true      |                 |          |           |           |           |          | 2024-05-06T11:15:00Z | 2024-05-06T11:15:00Z
    # the bot solved it: no person
    B03         | self_service | 2024-05-06T12:00:00Z | true      |                 |          |           |           |           |          |                      |
";

#[test]
fn phone_and_automation_kpis() {
    let f = Fixture::new();
    f.import("calls.csv", CALLS, &[]);
    assert_eq!(f.rows("interactions"), 12);
    let cases = vec![
        // Handled with a part present: C01 300+0+60 = 360, C02 240+60+30 = 330,
        // C03 600+120 = 720, C04 180+30 = 210, C05 420, C09 200 (C08 not answered)
        // → 2240 / 6 = 373.33.
        case("aht, talk + hold + acw", &["aht"]).one(2240.0 / 6.0, 6),
        // Talk only: 300 + 240 + 600 + 180 + 420 + 200 = 1940 / 6 = 323.33.
        case("aht, parts = talk", &["aht"])
            .with(&[("aht.parts", "talk")])
            .one(1940.0 / 6.0, 6),
        // Answered: C01 5, C02 15, C03 20, C04 45, C05 90 → 175 / 5 = 35.
        case("asa", &["asa"]).one(35.0, 5),
        // Offered (answered or abandoned known): C01–C08 = 8; answered C01–C05 = 5 → 5/8.
        case("answer_rate", &["answer_rate"]).one(5.0 / 8.0, 8),
        // Abandoned: C06, C07 → 2/8 = 0.25.
        case("abandon_rate", &["abandon_rate"]).one(2.0 / 8.0, 8),
        // Answered within 20 s (≤): C01 5, C02 15, C03 20 → 3/8 = 0.375
        // (C07 waited 8 s but abandoned).
        case("service_level, T = 20 s", &["service_level"]).one(3.0 / 8.0, 8),
        // ≤ 10 s: C01 → 1/8.
        case("service_level, T = 10 s", &["service_level"])
            .with(&[("service_level.threshold_secs", "10")])
            .one(1.0 / 8.0, 8),
        // ≤ 60 s: C01, C02, C03, C04 → 4/8 = 0.5.
        case("service_level, T = 60 s", &["service_level"])
            .with(&[("service_level.threshold_secs", "60")])
            .one(4.0 / 8.0, 8),
        // Reached a person: B01 after 300 s, B02 after 900 s (B03 never) → 1200 / 2 = 600.
        case("time_to_person", &["time_to_person"]).one(600.0, 2),
    ];
    run_cases(&f, &cases);
}

// ---------------------------------------------------------------- business time

/// Mon–Fri 09:00–17:00 in Madrid; Christmas Day closed, Christmas Eve
/// 09:00–13:00 only; pending and on-hold time does not count.
const OFFICE: &str = r#"
time_zone = "Europe/Madrid"
pausing_statuses = ["pending", "on_hold"]
holidays = ["2024-12-25"]

[hours]
mon = ["09:00-17:00"]
tue = ["09:00-17:00"]
wed = ["09:00-17:00"]
thu = ["09:00-17:00"]
fri = ["09:00-17:00"]

[overrides]
"2024-12-24" = ["09:00-13:00"]
"#;

/// Always open, in Madrid's local days (23 h and 25 h long on DST nights).
const ALWAYS: &str = r#"
time_zone = "Europe/Madrid"
pausing_statuses = []
holidays = []

[hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
"#;

/// Madrid is UTC+1 in winter (CET) and UTC+2 in summer (CEST, from the last
/// Sunday of March, 2024-03-31, to the last Sunday of October, 2024-10-27).
const BUSINESS: &str = "
    external_id | channel | created_at           | first_response_at    | topic
    # Fri 2024-11-08 16:00 CET → Mon 2024-11-11 10:00 CET
    W1          | email   | 2024-11-08T15:00:00Z | 2024-11-11T09:00:00Z | weekend
    # Tue 2024-11-12 08:00 CET (before opening) → 09:30 CET
    W2          | email   | 2024-11-12T07:00:00Z | 2024-11-12T08:30:00Z | early
    # Tue 2024-12-24 12:00 CET → Thu 2024-12-26 09:30 CET
    W3          | email   | 2024-12-24T11:00:00Z | 2024-12-26T08:30:00Z | xmas
    # its times come from the events below
    P1          | email   | 2024-11-14T09:00:00Z |                      | pause
    # Sat 2024-03-30 23:00 CET → Sun 2024-03-31 23:00 CEST
    D1          | chat    | 2024-03-30T22:00:00Z | 2024-03-31T21:00:00Z | spring
    # Sat 2024-10-26 23:00 CEST → Sun 2024-10-27 23:00 CET
    D2          | chat    | 2024-10-26T21:00:00Z | 2024-10-27T22:00:00Z | autumn
";

/// P1's history: created Thu 10:00 CET, answered 11:00, pending from Fri
/// 15:00 CET over the weekend to Mon 11:00 CET, resolved Mon 12:00 CET.
const EVENTS: &str = "
    ticket | at                   | kind          | status  | actor
    P1     | 2024-11-14T09:00:00Z | created       |         |
    P1     | 2024-11-14T10:00:00Z | agent_reply   |         | ana
    P1     | 2024-11-15T14:00:00Z | status_change | pending | ana
    P1     | 2024-11-18T10:00:00Z | status_change | open    |
    P1     | 2024-11-18T11:00:00Z | resolved      |         | ana
";

const USE_OFFICE: &[(&str, &str)] = &[("calendar.default", "office")];
const USE_ALWAYS: &[(&str, &str)] = &[("calendar.default", "always")];

#[test]
fn business_time_calendars_pauses_and_dst() {
    let f = Fixture::new();
    f.import("tickets.csv", BUSINESS, &["--source", "helpdesk"]);
    let mapping = f.write("events.toml", EVENT_MAPPING);
    f.import("events.csv", EVENTS, &["--mapping", &mapping]);
    assert_eq!(f.rows("interactions"), 6, "the events belong to P1");
    assert_eq!(f.rows("events"), 5);
    let office = f.write("office.toml", OFFICE);
    let always = f.write("always.toml", ALWAYS);
    f.ok(&["calendar", "set", "office", &office]);
    f.ok(&["calendar", "set", "always", &always]);

    let cases = vec![
        // Fri 16–17 (1 h) + Mon 09–10 (1 h) = 2 h = 7200 s.
        case(
            "frt business, Friday 16:00 → Monday 10:00",
            &["frt", "--time", "business", "--where", "topic = 'weekend'"],
        )
        .with(USE_OFFICE)
        .one(7200.0, 1),
        // Fri 15:00Z → Mon 09:00Z = 2 d 18 h = 66 h = 237600 s.
        case(
            "frt calendar, Friday 16:00 → Monday 10:00",
            &["frt", "--time", "calendar", "--where", "topic = 'weekend'"],
        )
        .one(237600.0, 1),
        // Open from 09:00: 09:00–09:30 = 1800 s (calendar 1.5 h).
        case(
            "frt business, created before opening",
            &["frt", "--time", "business", "--where", "topic = 'early'"],
        )
        .with(USE_OFFICE)
        .one(1800.0, 1),
        // Tue 24 (override 09–13): 12–13 = 1 h; Wed 25 holiday: 0; Thu 26: 09–09:30 = 0.5 h
        // → 1.5 h = 5400 s.
        case(
            "frt business, override and holiday",
            &["frt", "--time", "business", "--where", "topic = 'xmas'"],
        )
        .with(USE_OFFICE)
        .one(5400.0, 1),
        // Tue 11:00Z → Thu 08:30Z = 45.5 h = 163800 s.
        case(
            "frt calendar, override and holiday",
            &["frt", "--time", "calendar", "--where", "topic = 'xmas'"],
        )
        .one(163800.0, 1),
        // (7200 + 1800 + 5400) / 3 = 14400 / 3 = 4800.
        case(
            "frt business, mean of three",
            &[
                "frt",
                "--time",
                "business",
                "--where",
                "topic in ('weekend', 'early', 'xmas')",
            ],
        )
        .with(USE_OFFICE)
        .one(4800.0, 3),
        // Open time Thu 10–17 (7 h) + Fri 09–17 (8 h) + Mon 09–12 (3 h) = 18 h, of which
        // pending Fri 15–17 (2 h) + Mon 09–11 (2 h) = 4 h → 14 h = 50400 s.
        case(
            "resolution_time business, pending over a weekend",
            &[
                "resolution_time",
                "--time",
                "business",
                "--where",
                "topic = 'pause'",
            ],
        )
        .with(USE_OFFICE)
        .one(50400.0, 1),
        // Thu 09:00Z → Mon 11:00Z = 4 d 2 h = 98 h = 352800 s (no pauses in calendar time).
        case(
            "resolution_time calendar, pending over a weekend",
            &[
                "resolution_time",
                "--time",
                "calendar",
                "--where",
                "topic = 'pause'",
            ],
        )
        .one(352800.0, 1),
        // The first agent_reply event, Thu 11:00 CET, 1 h after creation = 3600 s.
        case(
            "frt business, from events",
            &["frt", "--time", "business", "--where", "topic = 'pause'"],
        )
        .with(USE_OFFICE)
        .one(3600.0, 1),
        // 24x7 Madrid: Sat 23:00 CET → Sun 23:00 CEST is 23 h (the clock skips 02:00–03:00)
        // = 82800 s, not 24 h.
        case(
            "frt business 24x7, spring-forward night",
            &["frt", "--time", "business", "--where", "topic = 'spring'"],
        )
        .with(USE_ALWAYS)
        .one(82800.0, 1),
        // 22:00Z → 21:00Z next day = 23 h = 82800 s.
        case(
            "frt calendar, spring-forward night",
            &["frt", "--time", "calendar", "--where", "topic = 'spring'"],
        )
        .one(82800.0, 1),
        // Sat 23:00 CEST → Sun 23:00 CET is 25 h (02:00–03:00 happens twice) = 90000 s.
        case(
            "frt business 24x7, fall-back night",
            &["frt", "--time", "business", "--where", "topic = 'autumn'"],
        )
        .with(USE_ALWAYS)
        .one(90000.0, 1),
        // 21:00Z → 22:00Z next day = 25 h = 90000 s.
        case(
            "frt calendar, fall-back night",
            &["frt", "--time", "calendar", "--where", "topic = 'autumn'"],
        )
        .one(90000.0, 1),
        // Saturday night to Sunday night: the office is closed throughout → 0 s.
        case(
            "frt business, weekend only",
            &["frt", "--time", "business", "--where", "topic = 'spring'"],
        )
        .with(USE_OFFICE)
        .one(0.0, 1),
        // No calendar chosen: the default 24x7 is always open → (82800 + 90000) / 2 = 86400.
        case(
            "frt business, default calendar",
            &[
                "frt",
                "--time",
                "business",
                "--where",
                "topic in ('spring', 'autumn')",
            ],
        )
        .one(86400.0, 2),
    ];
    run_cases(&f, &cases);
}

// ---------------------------------------------------------------- usage errors

#[test]
fn usage_errors_exit_2() {
    let f = Fixture::new();
    f.import(
        "one.csv",
        "external_id | channel | created_at           | topic\n\
         X1          | email   | 2024-01-02T10:00:00Z | login",
        &[],
    );
    // (arguments after `kpi`, text stderr must contain, exactly one stderr line?)
    let cases: &[(&[&str], &str, bool)] = &[
        // An unknown field in --where: one sentence naming it.
        (&["volume", "--where", "colour = 'red'"], "colour", true),
        (
            &["csat", "--where", "topic = 'login' and colour = 'red'"],
            "colour",
            true,
        ),
        // An unknown KPI.
        (&["happiness"], "happiness", false),
        // A syntax error: an unquoted string.
        (&["volume", "--where", "topic = login"], "login", true),
        // An unknown dimension in --by.
        (&["volume", "--by", "colour"], "colour", false),
        // An impossible date.
        (&["volume", "--from", "2024-02-30"], "2024-02-30", false),
    ];
    let mut failures = Vec::new();
    for (args, names, one_line) in cases {
        let mut all = vec!["kpi"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let run = metas(&f.db, all.iter().copied());
        let label = format!("metas {}", all.join(" "));
        if run.status != 2 {
            failures.push(format!(
                "{label}: exit expected 2, got {}:\n{run}",
                run.status
            ));
            continue;
        }
        if !run.stderr.contains(names) {
            failures.push(format!("{label}: stderr should name {names:?}:\n{run}"));
        }
        if *one_line && run.stderr_lines().len() != 1 {
            failures.push(format!(
                "{label}: stderr should be one sentence, got {} lines:\n{run}",
                run.stderr_lines().len()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

// ------------------------------------------- next response, retention, QA

/// Two conversations as events. N1: created 09:00, agent 09:10, customer
/// 10:00 and again 10:05 (one run: timed from 10:00), agent 10:30 → 1800 s;
/// customer 11:00, agent 11:20 → 1200 s; its next response time is the mean,
/// 1500 s. N2: agent 09:00, customer 12:00, agent 12:10 → 600 s. A customer
/// message before the first agent reply is first-response territory, not
/// next-response (N2's 08:30).
const CONVERSATIONS: &str = "
    ticket | at                   | kind           | status | actor
    N1     | 2024-02-05T09:00:00Z | created        |        |
    N1     | 2024-02-05T09:10:00Z | agent_reply    |        | ana
    N1     | 2024-02-05T10:00:00Z | customer_reply |        |
    N1     | 2024-02-05T10:05:00Z | customer_reply |        |
    N1     | 2024-02-05T10:30:00Z | agent_reply    |        | ana
    N1     | 2024-02-05T11:00:00Z | customer_reply |        |
    N1     | 2024-02-05T11:20:00Z | agent_reply    |        | ana
    N2     | 2024-02-06T08:00:00Z | created        |        |
    N2     | 2024-02-06T08:30:00Z | customer_reply |        |
    N2     | 2024-02-06T09:00:00Z | agent_reply    |        | ben
    N2     | 2024-02-06T12:00:00Z | customer_reply |        |
    N2     | 2024-02-06T12:10:00Z | agent_reply    |        | ben
";

/// Customers over the first half of 2024 (period 2024-01-01 … 2024-06-30).
/// S (active at the start) = r1, r2, r3; E (active at the end) = r1, r3, r4;
/// N (new and still active at the end) = r4. r5 came and went inside the
/// period, r6 came after it, r7 had left before it.
const LIFECYCLE: &str = "
    id | segment    | first_seen           | churned_at
    r1 | smb        | 2023-05-01T00:00:00Z |
    r2 | smb        | 2023-06-01T00:00:00Z | 2024-03-01T00:00:00Z
    r3 | enterprise | 2023-12-31T12:00:00Z |
    r4 | enterprise | 2024-02-01T00:00:00Z |
    r5 | smb        | 2024-03-01T00:00:00Z | 2024-04-01T00:00:00Z
    r6 | smb        | 2024-07-15T00:00:00Z |
    r7 | enterprise | 2023-01-01T00:00:00Z | 2023-12-01T00:00:00Z
";

const LIFECYCLE_MAPPING: &str = r#"
[source]
name = "crm"
record = "customer"

[fields]
id = "id"
segment = "segment"
first_seen = "first_seen"
churned_at = "churned_at"
"#;

/// Reviews on a 1–5 rubric: empathy (weight 1), accuracy (weight 2), concern
/// (weight 1, critical, standard 3). Per criterion (rating − 1) / 4 × 100.
/// Q1 ana: 100, 75, 75 → (100 + 150 + 75) / 4 = 81.25.
/// Q2 ana: concern 2 is below its standard → 0.
/// Q3 ben: 25, 100, 50 → (25 + 200 + 50) / 4 = 68.75.
/// Q4 ben: only accuracy rated (the others N/A): 50.
const REVIEWS: &str = "
    id | agent | at                   | empathy | accuracy | concern
    Q1 | ana   | 2024-03-01T10:00:00Z | 5       | 4        | 4
    Q2 | ana   | 2024-03-02T10:00:00Z | 3       | N/A      | 2
    Q3 | ben   | 2024-03-03T10:00:00Z | 2       | 5        | 3
    Q4 | ben   | 2024-03-04T10:00:00Z | N/A     | 3        | N/A
";

const REVIEW_MAPPING: &str = r#"
[source]
name = "qa"
record = "qa_review"

[fields]
external_id = "id"
agent = "agent"
reviewed_at = "at"

[rubric]
name = "service_quality"
scale = [1, 5]

[[rubric.criteria]]
name = "empathy"
column = "empathy"

[[rubric.criteria]]
name = "accuracy"
column = "accuracy"
weight = 2

[[rubric.criteria]]
name = "concern"
column = "concern"
critical = true
standard = 3
"#;

#[test]
fn next_response_retention_and_quality() {
    let f = Fixture::new();
    let events = f.write("events.toml", EVENT_MAPPING);
    f.import("conversations.csv", CONVERSATIONS, &["--mapping", &events]);
    let customers = f.write("crm.toml", LIFECYCLE_MAPPING);
    f.import("customers.csv", LIFECYCLE, &["--mapping", &customers]);
    let reviews = f.write("qa.toml", REVIEW_MAPPING);
    f.import("reviews.csv", REVIEWS, &["--mapping", &reviews]);
    let cases = vec![
        // (1500 + 600) / 2 = 1050 over the two conversations.
        case("nrt mean", &["nrt"]).one(1050.0, 2),
        case("nrt by agent", &["nrt", "--by", "agent"])
            .row(&[("agent", "ana")], 1500.0, 1)
            .row(&[("agent", "ben")], 600.0, 1),
        // (E − N) / S = (3 − 1) / 3.
        case(
            "retention over the first half of 2024",
            &["retention", "--from", "2024-01-01", "--to", "2024-06-30"],
        )
        .one(2.0 / 3.0, 3)
        .wilson(2.0, 3.0),
        // smb: S = r1, r2; E = r1; N = none → 1 / 2. enterprise: S = r3;
        // E = r3, r4; N = r4 → (2 − 1) / 1.
        case(
            "retention by segment",
            &[
                "retention",
                "--from",
                "2024-01-01",
                "--to",
                "2024-06-30",
                "--by",
                "customer.segment",
            ],
        )
        .row(&[("customer.segment", "enterprise")], 1.0, 1)
        .row(&[("customer.segment", "smb")], 0.5, 2),
        // (81.25 + 0 + 68.75 + 50) / 4 = 50.
        case("qa_score", &["qa_score"]).one(50.0, 4),
        // ana (81.25 + 0) / 2 = 40.625; ben (68.75 + 50) / 2 = 59.375.
        case("qa_score by agent", &["qa_score", "--by", "agent"])
            .row(&[("agent", "ana")], 40.625, 2)
            .row(&[("agent", "ben")], 59.375, 2),
    ];
    run_cases(&f, &cases);
    // Retention is over a period: without one it says so (exit 2).
    let run = metas(&f.db, ["kpi", "retention"]);
    assert_eq!(run.status, 2, "{run}");
    assert!(run.stderr.contains("--from"), "{run}");
}

/// CES answers on 1–7 and one on 1–5 (recorded by another survey tool);
/// `ces.scale` is the scale the mean is reported on.
const EFFORT: &str = "
    external_id | kind | score | scale_min | scale_max | answered_at
    E1          | ces  | 7     | 1         | 7         | 2024-04-01T10:00:00Z
    E2          | ces  | 4     | 1         | 7         | 2024-04-01T11:00:00Z
    E3          | ces  | 5     | 1         | 5         | 2024-04-01T12:00:00Z
";

const EFFORT_MAPPING: &str = r#"
[source]
name = "survey-tool"
record = "survey"

[fields]
external_id = "external_id"
kind = "kind"
score = "score"
answered_at = "answered_at"
"#;

#[test]
fn ces_is_reported_on_the_configured_scale() {
    let f = Fixture::new();
    // One mapping per scale: the score's scale is an option of the field.
    let seven = f.write(
        "seven.toml",
        &EFFORT_MAPPING.replace(
            "score = \"score\"",
            "score = { column = \"score\", scale = [1, 7] }",
        ),
    );
    let five = f.write(
        "five.toml",
        &EFFORT_MAPPING.replace(
            "score = \"score\"",
            "score = { column = \"score\", scale = [1, 5] }",
        ),
    );
    let rows = |pick: &str| {
        EFFORT
            .lines()
            .filter(|l| l.contains("external_id") || l.contains(pick))
            .collect::<Vec<_>>()
            .join("\n")
    };
    f.import("seven.csv", &rows("| 7         |"), &["--mapping", &seven]);
    f.import(
        "five.csv",
        &rows("| 5         | 2024"),
        &["--mapping", &five],
    );
    let cases = vec![
        // On 1–7: 7, 4, and 5 of 1–5 → 1 + (5 − 1) / 4 × 6 = 7: (7 + 4 + 7) / 3 = 6.
        case("ces on 1–7", &["ces"]).one(6.0, 3),
        // On 1–5: 7 of 1–7 → 5, 4 of 1–7 → 1 + 3/6 × 4 = 3, 5 → 5: (5 + 3 + 5) / 3.
        case("ces on 1–5", &["ces"])
            .with(&[("ces.scale", "5")])
            .one(13.0 / 3.0, 3),
    ];
    run_cases(&f, &cases);
}
