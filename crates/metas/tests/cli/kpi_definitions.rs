//! The definition printed beside a number is the one that produced it:
//! for every mode of every setting that changes a formula, the real binary's
//! `metas kpi ID` (table, json), `--explain` and `--list` (text, json) name
//! that mode. (The CSV export carries figures only.)

use crate::common::{metas, Run};

/// (setting, value, KPI, words the definition must say, words it must not).
const CASES: &[(&str, &str, &str, &str, &str)] = &[
    (
        "fcr.mode",
        "repeat",
        "fcr",
        "no repeat contact by the same customer on the same topic within 7 days and no reopen",
        "agent reply",
    ),
    (
        "fcr.mode",
        "one_touch",
        "fcr",
        "at most one agent reply",
        "repeat contact",
    ),
    (
        "fcr.mode",
        "flag",
        "fcr",
        "flags as resolved at first contact",
        "repeat contact",
    ),
    (
        "fcr.window_days",
        "3",
        "fcr",
        "within 3 days",
        "within 7 days",
    ),
    (
        "fcr.window_days",
        "3",
        "repeat_contact_rate",
        "within 3 days",
        "within 7 days",
    ),
    (
        "csat.threshold",
        "4",
        "csat",
        "CSAT answers of 4 or more",
        "of 3.5",
    ),
    (
        "csat.threshold",
        "3.5",
        "csat",
        "CSAT answers of 3.5 or more",
        "of 4 or",
    ),
    (
        "csat.neutral_in_denominator",
        "yes",
        "csat",
        "neutral answers included",
        "except neutral",
    ),
    (
        "csat.neutral_in_denominator",
        "no",
        "csat",
        "except neutral ones",
        "neutral answers included",
    ),
    (
        "ces.scale",
        "7",
        "ces",
        "on a 1–7 scale, 7 = very easy",
        "1–5",
    ),
    (
        "ces.scale",
        "5",
        "ces",
        "on a 1–5 scale, 5 = very easy",
        "1–7",
    ),
    (
        "service_level.threshold_secs",
        "20",
        "service_level",
        "within 20 seconds",
        "T seconds",
    ),
    (
        "service_level.threshold_secs",
        "30",
        "service_level",
        "within 30 seconds",
        "20",
    ),
    (
        "aht.parts",
        "talk,hold,acw",
        "aht",
        "(talk + hold + after-contact work) / handled contacts",
        "()",
    ),
    (
        "aht.parts",
        "talk",
        "aht",
        "(talk) / handled contacts",
        "hold",
    ),
    (
        "aht.parts",
        "hold,acw",
        "aht",
        "(hold + after-contact work) / handled contacts",
        "talk",
    ),
];

fn ok(run: Run, what: &str) -> String {
    assert_eq!(run.status, 0, "{what}:\n{run}");
    run.stdout
}

#[test]
fn every_definition_names_the_mode_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("metas.db");
    let mut failures = Vec::new();
    for (key, value, kpi, says, not) in CASES {
        ok(metas(&db, ["settings", "set", key, value]), "settings set");
        let list_json = metas(&db, ["kpi", "--list", "--format", "json"]).json();
        let listed = list_json["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == *kpi)
            .unwrap()["definition"]
            .as_str()
            .unwrap()
            .to_string();
        let list_text = ok(metas(&db, ["kpi", "--list"]), "kpi --list");
        let list_text = list_text
            .split("\n\n")
            .find(|block| block.starts_with(&format!("{kpi} ")))
            .unwrap()
            .to_string();
        let outputs = [
            ("table", ok(metas(&db, ["kpi", kpi]), "kpi")),
            (
                "json",
                metas(&db, ["kpi", kpi, "--format", "json"]).json()["definition"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            ),
            (
                "explain",
                ok(metas(&db, ["kpi", kpi, "--explain"]), "--explain"),
            ),
            ("list json", listed),
            ("list", list_text),
        ];
        for (form, out) in outputs {
            // The explain and table forms also list the settings by name;
            // only the definition's own words are looked at.
            let definition: String = out
                .lines()
                .filter(|l| !l.starts_with("setting"))
                .collect::<Vec<_>>()
                .join("\n");
            if !definition.contains(says) || definition.contains(not) {
                failures.push(format!(
                    "{key} = {value}, metas kpi {kpi} ({form}): wanted \"{says}\" and not \"{not}\", got:\n{definition}"
                ));
            }
        }
        ok(metas(&db, ["settings", "reset", key]), "settings reset");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
