//! An indicator's whole definition: the catalogue's formula and unit, and
//! what the organisation decides — who owns it, how often it is reviewed,
//! the standard it must meet and the stage of the purchase it watches.
//!
//! Every KPI on the board has built-in defaults for its stage and frequency
//! (docs/indicators.md says why each); owner and standard are empty until
//! the organisation sets them. A change arrives as text and is parsed once
//! into an [`IndicatorDefinition`], which is therefore always valid: a rate's
//! standard inside 0–100 %, a duration at least 0, an owner a short name.

use serde::Serialize;

use crate::kpi::{self, Better, Grain, KpiDef, Unit};
use crate::vocab::JourneyStage;

/// How often an indicator is reviewed: its figure is for the period of this
/// length that holds the day asked (this week, this month…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [
        Frequency::Daily,
        Frequency::Weekly,
        Frequency::Monthly,
        Frequency::Quarterly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
        }
    }

    pub fn parse(text: &str) -> Option<Frequency> {
        let t = text.trim().to_ascii_lowercase();
        Frequency::ALL.into_iter().find(|f| {
            f.as_str() == t
                || matches!(
                    (f, t.as_str()),
                    (Frequency::Daily, "day")
                        | (Frequency::Weekly, "week")
                        | (Frequency::Monthly, "month")
                        | (Frequency::Quarterly, "quarter")
                )
        })
    }

    /// The bucket of a KPI series one period of review is.
    pub fn grain(self) -> Grain {
        match self {
            Frequency::Daily => Grain::Day,
            Frequency::Weekly => Grain::Week,
            Frequency::Monthly => Grain::Month,
            Frequency::Quarterly => Grain::Quarter,
        }
    }
}

/// Which side of its standard an indicator must stay on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StandardDirection {
    AtLeast,
    AtMost,
}

impl StandardDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            StandardDirection::AtLeast => "at_least",
            StandardDirection::AtMost => "at_most",
        }
    }

    pub fn parse(text: &str) -> Option<StandardDirection> {
        match text.trim() {
            "at_least" => Some(StandardDirection::AtLeast),
            "at_most" => Some(StandardDirection::AtMost),
            _ => None,
        }
    }

    /// The direction a KPI's better side gives (none for volume).
    pub fn of(better: Better) -> Option<StandardDirection> {
        match better {
            Better::Higher => Some(StandardDirection::AtLeast),
            Better::Lower => Some(StandardDirection::AtMost),
            Better::Neither => None,
        }
    }
}

/// A business target: a value in the KPI's unit (a rate as a fraction of 1,
/// a duration in seconds) and the side of it the figure must stay on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Standard {
    pub value: f64,
    pub direction: StandardDirection,
}

/// What is wrong with a change to a definition: the field and why, written
/// as one sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct IndicatorError {
    /// `kpi`, `owner`, `frequency`, `standard`, `stage` or `note`.
    pub field: &'static str,
    pub message: String,
}

fn error(field: &'static str, message: impl Into<String>) -> IndicatorError {
    IndicatorError {
        field,
        message: message.into(),
    }
}

/// The longest owner name and note accepted.
pub const MAX_OWNER_CHARS: usize = 80;
pub const MAX_NOTE_CHARS: usize = 500;

/// Reads a duration as people write it: seconds, or with `s`, `m`, `h`.
fn seconds(text: &str) -> Option<f64> {
    let t = text.trim();
    let (num, factor) = match t.char_indices().last() {
        Some((i, 's')) => (&t[..i], 1.0),
        Some((i, 'm')) => (&t[..i], 60.0),
        Some((i, 'h')) => (&t[..i], 3600.0),
        _ => (t, 1.0),
    };
    num.trim().parse::<f64>().ok().map(|v| v * factor)
}

impl Standard {
    /// Reads a standard for `kpi`: an optional `at least` / `at most` (or
    /// `>=` / `<=`, `≥` / `≤`), then a value as a goal's target is written
    /// (a rate as `90%` or `0.9`, as a goal's target; a duration as `90`, `90s`, `2m`, `1.5h`).
    /// Without a direction, the KPI's better side decides (at least for
    /// CSAT, at most for times); volume needs one.
    pub fn parse(text: &str, kpi: &KpiDef) -> Result<Standard, IndicatorError> {
        let t = text.trim();
        let prefixes: [(&str, StandardDirection); 6] = [
            ("at least", StandardDirection::AtLeast),
            (">=", StandardDirection::AtLeast),
            ("≥", StandardDirection::AtLeast),
            ("at most", StandardDirection::AtMost),
            ("<=", StandardDirection::AtMost),
            ("≤", StandardDirection::AtMost),
        ];
        let (given, rest) = prefixes
            .iter()
            .find_map(|(p, d)| {
                t.to_ascii_lowercase()
                    .starts_with(p)
                    .then(|| (Some(*d), t[p.len()..].trim()))
            })
            .unwrap_or((None, t));
        let direction = given.or(StandardDirection::of(kpi.better)).ok_or_else(|| {
            error(
                "standard",
                format!(
                    "{} has no better direction; write 'at least {rest}' or 'at most {rest}'",
                    kpi.id
                ),
            )
        })?;
        let value = match kpi.unit {
            Unit::Seconds => seconds(rest).ok_or_else(|| {
                error(
                    "standard",
                    format!("'{rest}' is not a duration (write 90, 90s, 2m or 1.5h)"),
                )
            })?,
            Unit::Rate | Unit::Percent => match rest.strip_suffix('%') {
                Some(pct) => pct.trim().parse::<f64>().ok().map(|v| match kpi.unit {
                    Unit::Rate => v / 100.0,
                    _ => v,
                }),
                None => rest.parse::<f64>().ok(),
            }
            .ok_or_else(|| error("standard", format!("'{rest}' is not a number")))?,
            _ => rest
                .parse::<f64>()
                .map_err(|_| error("standard", format!("'{rest}' is not a number")))?,
        };
        let (low, high, words) = match kpi.unit {
            Unit::Rate => (0.0, 1.0, "a rate between 0 and 100 % (write 90% or 0.9)"),
            Unit::Points => (-100.0, 100.0, "between −100 and 100 points"),
            Unit::Percent => (0.0, 100.0, "a score between 0 and 100"),
            Unit::Score => (0.0, 10.0, "a score between 0 and 10"),
            Unit::Seconds => (0.0, f64::MAX, "a duration of 0 or more"),
            Unit::Count => (0.0, f64::MAX, "a count of 0 or more"),
        };
        if !value.is_finite() || value < low || value > high {
            return Err(error(
                "standard",
                format!("'{rest}' is not {words} for {}", kpi.id),
            ));
        }
        Ok(Standard { value, direction })
    }

    /// The standard as people read it: "at least 80.0 %", "at most 2m 00s".
    pub fn text(&self, unit: Unit) -> String {
        let side = match self.direction {
            StandardDirection::AtLeast => "at least",
            StandardDirection::AtMost => "at most",
        };
        format!("{side} {}", kpi::display_value(unit, self.value))
    }
}

/// The KPIs the board shows, in catalogue order: every one but
/// `qa_criterion_rating`, which is one figure per QA criterion (its
/// standards are the rubric's, docs/qa.md).
pub const BOARD_KPIS: &[&str] = &[
    "volume",
    "frt",
    "asa",
    "answer_rate",
    "abandon_rate",
    "service_level",
    "time_to_person",
    "aht",
    "nrt",
    "resolution_time",
    "fcr",
    "ces",
    "qa_score",
    "sla_attainment",
    "csat",
    "csat_avg",
    "nps",
    "repeat_contact_rate",
    "retention",
];

/// Whether a KPI has a definition of its own on the board.
pub fn on_board(id: &str) -> bool {
    BOARD_KPIS.contains(&id)
}

/// The built-in stage and frequency of a KPI on the board (docs/indicators.md
/// gives the reason for each).
fn defaults(id: &str) -> (JourneyStage, Frequency) {
    use Frequency::*;
    use JourneyStage::*;
    match id {
        // Reaching the service: what a prospective customer meets first.
        "volume" | "frt" | "answer_rate" => (BeforePurchase, Weekly),
        "asa" | "abandon_rate" | "service_level" => (BeforePurchase, Daily),
        "time_to_person" => (BeforePurchase, Weekly),
        // Handling the contact while the customer is in it.
        "aht" | "nrt" | "resolution_time" | "sla_attainment" => (DuringPurchase, Weekly),
        "fcr" | "ces" | "qa_score" => (DuringPurchase, Monthly),
        // What stays with the customer afterwards.
        "csat" | "csat_avg" | "repeat_contact_rate" => (AfterPurchase, Monthly),
        "nps" | "retention" => (AfterPurchase, Quarterly),
        _ => (DuringPurchase, Monthly),
    }
}

/// A KPI's whole definition, valid by construction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorDefinition {
    #[serde(skip)]
    pub kpi: &'static KpiDef,
    pub stage: JourneyStage,
    pub frequency: Frequency,
    /// A team or a person; `None` until the organisation names one.
    pub owner: Option<String>,
    pub standard: Option<Standard>,
    pub note: Option<String>,
}

/// A change to a definition as a user writes it: `None` keeps the field as
/// it is; an empty text clears it (owner, standard, note) or restores the
/// built-in default (stage, frequency).
#[derive(Debug, Clone, Default)]
pub struct DefinitionChange {
    pub owner: Option<String>,
    pub frequency: Option<String>,
    pub standard: Option<String>,
    pub stage: Option<String>,
    pub note: Option<String>,
}

fn text_field(
    field: &'static str,
    text: &str,
    max: usize,
    newlines: bool,
) -> Result<Option<String>, IndicatorError> {
    // Counted and checked as sent, before trimming, so the bounds the API
    // document states are the ones applied.
    if text.chars().count() > max {
        return Err(error(field, format!("is longer than {max} characters")));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !(newlines && c == '\n'))
    {
        return Err(error(field, "holds a control character"));
    }
    let t = text.trim();
    Ok((!t.is_empty()).then(|| t.to_string()))
}

impl IndicatorDefinition {
    /// The built-in definition of a KPI on the board.
    pub fn builtin(id: &str) -> Result<IndicatorDefinition, IndicatorError> {
        let kpi = kpi::kpi(id).filter(|k| on_board(k.id)).ok_or_else(|| {
            error(
                "kpi",
                format!(
                    "'{id}' is not an indicator; indicators: {}",
                    BOARD_KPIS.join(", ")
                ),
            )
        })?;
        let (stage, frequency) = defaults(kpi.id);
        Ok(IndicatorDefinition {
            kpi,
            stage,
            frequency,
            owner: None,
            standard: None,
            note: None,
        })
    }

    /// This definition with `change` applied, every field parsed.
    pub fn parse(&self, change: &DefinitionChange) -> Result<IndicatorDefinition, IndicatorError> {
        let builtin = IndicatorDefinition::builtin(self.kpi.id)?;
        let mut out = self.clone();
        if let Some(t) = &change.owner {
            out.owner = text_field("owner", t, MAX_OWNER_CHARS, false)?;
        }
        if let Some(t) = &change.note {
            out.note = text_field("note", t, MAX_NOTE_CHARS, true)?;
        }
        if let Some(t) = &change.frequency {
            out.frequency = if t.trim().is_empty() {
                builtin.frequency
            } else {
                Frequency::parse(t).ok_or_else(|| {
                    error(
                        "frequency",
                        format!(
                            "'{}' is not one of daily, weekly, monthly, quarterly",
                            t.trim()
                        ),
                    )
                })?
            };
        }
        if let Some(t) = &change.stage {
            out.stage = if t.trim().is_empty() {
                builtin.stage
            } else {
                JourneyStage::parse(t).map_err(|_| {
                    error(
                        "stage",
                        format!(
                            "'{}' is not one of before, during, after (the purchase)",
                            t.trim()
                        ),
                    )
                })?
            };
        }
        if let Some(t) = &change.standard {
            out.standard = if t.trim().is_empty() {
                None
            } else {
                Some(Standard::parse(t, self.kpi)?)
            };
        }
        Ok(out)
    }

    /// Rebuilds a definition from stored fields (a value a newer metas wrote
    /// that this one cannot read falls back to the built-in default).
    pub fn from_stored(
        id: &str,
        stage: Option<&str>,
        frequency: Option<&str>,
        owner: Option<String>,
        standard: Option<(f64, &str)>,
        note: Option<String>,
    ) -> Result<IndicatorDefinition, IndicatorError> {
        let mut d = IndicatorDefinition::builtin(id)?;
        if let Some(s) = stage.and_then(|s| JourneyStage::parse(s).ok()) {
            d.stage = s;
        }
        if let Some(f) = frequency.and_then(Frequency::parse) {
            d.frequency = f;
        }
        d.owner = owner.filter(|o| !o.trim().is_empty());
        d.note = note.filter(|n| !n.trim().is_empty());
        d.standard = standard.and_then(|(value, dir)| {
            StandardDirection::parse(dir).map(|direction| Standard { value, direction })
        });
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(field: &str, text: &str) -> DefinitionChange {
        let mut c = DefinitionChange::default();
        let t = Some(text.to_string());
        match field {
            "owner" => c.owner = t,
            "frequency" => c.frequency = t,
            "standard" => c.standard = t,
            "stage" => c.stage = t,
            _ => c.note = t,
        }
        c
    }

    #[test]
    fn every_indicator_has_a_stage_and_a_frequency_and_nothing_else_by_default() {
        for id in BOARD_KPIS {
            let d = IndicatorDefinition::builtin(id).unwrap();
            assert!(
                d.owner.is_none() && d.standard.is_none() && d.note.is_none(),
                "{id}"
            );
        }
        assert_eq!(BOARD_KPIS.len() + 1, kpi::CATALOGUE.len());
        let stage = |id| IndicatorDefinition::builtin(id).unwrap().stage;
        assert_eq!(stage("frt"), JourneyStage::BeforePurchase);
        assert_eq!(stage("asa"), JourneyStage::BeforePurchase);
        assert_eq!(stage("aht"), JourneyStage::DuringPurchase);
        for id in ["csat", "nps", "retention", "repeat_contact_rate"] {
            assert_eq!(stage(id), JourneyStage::AfterPurchase, "{id}");
        }
        assert!(IndicatorDefinition::builtin("qa_criterion_rating").is_err());
        assert!(IndicatorDefinition::builtin("nope").is_err());
    }

    /// (kpi, field, text) → the definition's new value, or the error's field
    /// and the words it must hold.
    #[test]
    fn changes_are_parsed_once() {
        let ok: &[(&str, &str, &str, &str)] = &[
            ("csat", "standard", "80%", "at least 80.0 %"),
            ("csat", "standard", "0.8", "at least 80.0 %"),
            ("csat", "standard", "at most 95%", "at most 95.0 %"),
            ("frt", "standard", "2m", "at most 2m 00s"),
            ("frt", "standard", "90", "at most 1m 30s"),
            ("frt", "standard", "≤ 1.5h", "at most 1h 30m"),
            ("nps", "standard", "-20", "at least -20.0"),
            ("volume", "standard", ">= 1000", "at least 1,000"),
            ("qa_score", "standard", "85", "at least 85.0"),
            ("csat_avg", "standard", "4.2", "at least 4.20"),
        ];
        for (id, field, text, want) in ok {
            let d = IndicatorDefinition::builtin(id).unwrap();
            let got = d.parse(&change(field, text)).unwrap();
            let s = got.standard.unwrap();
            assert_eq!(s.text(d.kpi.unit), *want, "{id} {text}");
        }
        let bad: &[(&str, &str, &str, &str)] = &[
            ("csat", "standard", "120%", "0 and 100"),
            ("csat", "standard", "80", "rate"),
            ("frt", "standard", "-5", "0 or more"),
            ("frt", "standard", "soon", "not a duration"),
            ("nps", "standard", "150", "−100 and 100"),
            ("volume", "standard", "1000", "at least 1000"),
            ("qa_score", "standard", "101", "between 0 and 100"),
            ("aht", "standard", "NaN", "0 or more"),
            ("csat", "frequency", "hourly", "daily, weekly"),
            ("csat", "stage", "whenever", "before, during, after"),
            ("csat", "owner", &"x".repeat(81), "80 characters"),
            ("csat", "owner", "Ana\u{7}", "control character"),
        ];
        for (id, field, text, words) in bad {
            let d = IndicatorDefinition::builtin(id).unwrap();
            let e = d.parse(&change(field, text)).unwrap_err();
            assert_eq!(e.field, *field, "{id} {field} {text}");
            assert!(e.to_string().contains(words), "{id} {text}: {e}");
        }
    }

    #[test]
    fn an_empty_text_clears_or_restores() {
        let d = IndicatorDefinition::builtin("csat").unwrap();
        let set = d
            .parse(&DefinitionChange {
                owner: Some("  Care team ".into()),
                frequency: Some("weekly".into()),
                standard: Some("85%".into()),
                stage: Some("during".into()),
                note: Some("From the 2027 plan".into()),
            })
            .unwrap();
        assert_eq!(set.owner.as_deref(), Some("Care team"));
        assert_eq!(set.frequency, Frequency::Weekly);
        assert_eq!(set.stage, JourneyStage::DuringPurchase);
        let cleared = set
            .parse(&DefinitionChange {
                owner: Some(String::new()),
                frequency: Some(String::new()),
                standard: Some(" ".into()),
                stage: Some(String::new()),
                note: None,
            })
            .unwrap();
        assert_eq!(cleared.owner, None);
        assert_eq!(cleared.standard, None);
        assert_eq!(cleared.frequency, Frequency::Monthly);
        assert_eq!(cleared.stage, JourneyStage::AfterPurchase);
        assert_eq!(cleared.note.as_deref(), Some("From the 2027 plan"));
    }
}
