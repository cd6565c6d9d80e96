//! `metas kpi --compare` writes each change once, with one sign, in the
//! KPI's unit: the same text the web pages show.

use metas_domain::kpi::{kpi, Change};

use crate::common::metas;

#[test]
fn a_change_has_one_sign_in_the_kpis_unit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("compare.db");
    let run = metas(
        &db,
        ["demo", "--interactions", "3000", "--as-of", "2026-06-30"],
    );
    assert_eq!(run.status, 0, "{run}");
    for id in ["nps", "csat", "frt"] {
        let args = [
            "kpi",
            id,
            "--from",
            "2026-04-01",
            "--to",
            "2026-06-30",
            "--compare",
        ];
        let json = metas(&db, args.iter().chain(&["--format", "json"])).json();
        let row = &json["rows"][0];
        let (now, before) = (
            row["value"].as_f64().unwrap(),
            row["previous"]["value"].as_f64().unwrap(),
        );
        let want = Change::between(kpi(id).unwrap(), now, before).text;
        let table = metas(&db, args);
        assert_eq!(table.status, 0, "{table}");
        // The figures' line: the one after the dashes under the header.
        let line = table
            .stdout
            .lines()
            .skip_while(|l| !l.starts_with("---"))
            .nth(1)
            .unwrap();
        assert!(
            line.trim_end().ends_with(&want),
            "{id}: {line} (want {want})"
        );
        let change = line.split("  ").filter(|c| !c.is_empty()).last().unwrap();
        assert!(
            change.matches(['+', '-', '\u{2212}']).count() <= 1,
            "{id}: {change}"
        );
    }
}
