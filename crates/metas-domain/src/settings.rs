//! The KPI settings of docs/product.md §4: where vendors disagree on a definition, the
//! choice is a named setting with a default. A [`KpiSettings`] value is always
//! valid; it is built from stored `key = value` text by [`KpiSettings::set`].

use serde::Serialize;

/// How first contact resolution is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FcrMode {
    /// Resolved, never reopened, and no repeat contact by the same customer
    /// on the same topic within the window.
    Repeat,
    /// Resolved with at most one agent reply.
    OneTouch,
    /// The source's own first-contact-resolution flag.
    Flag,
}

/// Which parts of a contact count as handle time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AhtParts {
    pub talk: bool,
    pub hold: bool,
    pub acw: bool,
}

/// Every KPI setting, typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiSettings {
    /// Lowest satisfied CSAT score on a 1–5 scale.
    pub csat_threshold: f64,
    pub csat_neutral_in_denominator: bool,
    pub fcr_mode: FcrMode,
    pub fcr_window_days: u32,
    pub aht_parts: AhtParts,
    /// Top of the CES scale (7 or 5); "easy" is the top 3/7 of it.
    pub ces_scale: u8,
    pub service_level_threshold_secs: f64,
    /// 1 = January.
    pub fiscal_year_start_month: u8,
    /// Name of the calendar business time is counted in (`24x7`: always open).
    pub default_calendar: String,
    /// The most active goals one owner may have (R-FOCUS).
    pub focus_limit: u32,
    /// Interactions drawn at random per agent and week for the QA queue.
    pub qa_sample_per_agent: u32,
    /// Highest CSAT score, on a 1–5 scale, that puts an interaction in the
    /// QA queue as a low rating.
    pub qa_low_csat: f64,
}

/// One setting's metadata, as `metas settings` shows it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SettingDef {
    pub key: &'static str,
    pub default: &'static str,
    pub description: &'static str,
}

pub const SETTINGS: &[SettingDef] = &[
    SettingDef {
        key: "csat.threshold",
        default: "4",
        description: "lowest CSAT score counted as satisfied, on a 1–5 scale (answers on other scales are rescaled)",
    },
    SettingDef {
        key: "csat.neutral_in_denominator",
        default: "yes",
        description: "whether neutral answers (the scale's midpoint) count in the CSAT denominator",
    },
    SettingDef {
        key: "fcr.mode",
        default: "repeat",
        description: "repeat: no repeat contact on the same topic within the window and no reopen; one_touch: at most one agent reply; flag: the source's own flag",
    },
    SettingDef {
        key: "fcr.window_days",
        default: "7",
        description: "days within which a contact by the same customer on the same topic counts as a repeat",
    },
    SettingDef {
        key: "aht.parts",
        default: "talk,hold,acw",
        description: "which of talk, hold and acw (after-contact work) make up handle time",
    },
    SettingDef {
        key: "ces.scale",
        default: "7",
        description: "the CES scale's top score (7 or 5)",
    },
    SettingDef {
        key: "service_level.threshold_secs",
        default: "20",
        description: "a call answered within this many seconds meets the service level",
    },
    SettingDef {
        key: "fiscal_year.start_month",
        default: "1",
        description: "the month (1–12) the fiscal year starts in",
    },
    SettingDef {
        key: "calendar.default",
        default: "24x7",
        description: "the business calendar business time is counted in (24x7: always open)",
    },
    SettingDef {
        key: "goals.focus_limit",
        default: "3",
        description: "the most active goals one owner may have; another is refused unless forced",
    },
    SettingDef {
        key: "qa.sample_per_agent",
        default: "3",
        description: "interactions drawn at random per agent and week for the QA review queue, beside the low ratings and complaints",
    },
    SettingDef {
        key: "qa.low_csat",
        default: "2",
        description: "highest CSAT score, on a 1–5 scale, that sends an interaction to the QA review queue (answers on other scales are rescaled)",
    },
];

/// A setting that does not exist or a value it cannot take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("unknown setting '{0}'; known: {known}", known = SETTINGS.iter().map(|s| s.key).collect::<Vec<_>>().join(", "))]
    Unknown(String),
    #[error("{key} cannot be '{value}': {expected}")]
    Invalid {
        key: String,
        value: String,
        expected: String,
    },
}

fn invalid(key: &str, value: &str, expected: &str) -> SettingError {
    SettingError::Invalid {
        key: key.to_string(),
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

fn yes_no(key: &str, v: &str) -> Result<bool, SettingError> {
    match v.to_ascii_lowercase().as_str() {
        "yes" | "true" | "y" | "1" => Ok(true),
        "no" | "false" | "n" | "0" => Ok(false),
        _ => Err(invalid(key, v, "expected yes or no")),
    }
}

impl Default for KpiSettings {
    fn default() -> Self {
        let mut s = KpiSettings {
            csat_threshold: 0.0,
            csat_neutral_in_denominator: true,
            fcr_mode: FcrMode::Repeat,
            fcr_window_days: 0,
            aht_parts: AhtParts {
                talk: true,
                hold: true,
                acw: true,
            },
            ces_scale: 7,
            service_level_threshold_secs: 0.0,
            fiscal_year_start_month: 1,
            default_calendar: String::new(),
            focus_limit: 0,
            qa_sample_per_agent: 0,
            qa_low_csat: 0.0,
        };
        for d in SETTINGS {
            s.set(d.key, d.default).expect("defaults are valid");
        }
        s
    }
}

impl KpiSettings {
    /// Sets one setting from its text form.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let v = value.trim();
        match key {
            "csat.threshold" => {
                let t: f64 = v
                    .parse()
                    .map_err(|_| invalid(key, v, "expected a score from 1 to 5"))?;
                if !(1.0..=5.0).contains(&t) {
                    return Err(invalid(key, v, "expected a score from 1 to 5"));
                }
                self.csat_threshold = t;
            }
            "csat.neutral_in_denominator" => self.csat_neutral_in_denominator = yes_no(key, v)?,
            "fcr.mode" => {
                self.fcr_mode = match v {
                    "repeat" => FcrMode::Repeat,
                    "one_touch" => FcrMode::OneTouch,
                    "flag" => FcrMode::Flag,
                    _ => return Err(invalid(key, v, "expected repeat, one_touch or flag")),
                }
            }
            "fcr.window_days" => {
                self.fcr_window_days = v
                    .parse()
                    .ok()
                    .filter(|d| (1..=365).contains(d))
                    .ok_or_else(|| {
                        invalid(key, v, "expected a whole number of days from 1 to 365")
                    })?
            }
            "aht.parts" => {
                let mut p = AhtParts {
                    talk: false,
                    hold: false,
                    acw: false,
                };
                for part in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                    match part {
                        "talk" => p.talk = true,
                        "hold" => p.hold = true,
                        "acw" => p.acw = true,
                        _ => {
                            return Err(invalid(
                                key,
                                v,
                                "expected a comma-separated list of talk, hold, acw",
                            ))
                        }
                    }
                }
                if !(p.talk || p.hold || p.acw) {
                    return Err(invalid(key, v, "at least one of talk, hold, acw"));
                }
                self.aht_parts = p;
            }
            "ces.scale" => {
                self.ces_scale = match v {
                    "7" | "1-7" => 7,
                    "5" | "1-5" => 5,
                    _ => return Err(invalid(key, v, "expected 7 or 5")),
                }
            }
            "service_level.threshold_secs" => {
                self.service_level_threshold_secs = v
                    .parse()
                    .ok()
                    .filter(|t: &f64| t.is_finite() && *t >= 0.0)
                    .ok_or_else(|| invalid(key, v, "expected a number of seconds"))?
            }
            "fiscal_year.start_month" => {
                self.fiscal_year_start_month = v
                    .parse()
                    .ok()
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(|| invalid(key, v, "expected a month number from 1 to 12"))?
            }
            "calendar.default" => {
                if v.is_empty() {
                    return Err(invalid(key, v, "expected a calendar name"));
                }
                self.default_calendar = v.to_string();
            }
            "goals.focus_limit" => {
                self.focus_limit = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=20).contains(n))
                    .ok_or_else(|| invalid(key, v, "expected a whole number from 1 to 20"))?
            }
            "qa.sample_per_agent" => {
                self.qa_sample_per_agent = v
                    .parse()
                    .ok()
                    .filter(|n| (0..=50).contains(n))
                    .ok_or_else(|| invalid(key, v, "expected a whole number from 0 to 50"))?
            }
            "qa.low_csat" => {
                let t: f64 = v
                    .parse()
                    .map_err(|_| invalid(key, v, "expected a score from 1 to 5"))?;
                if !(1.0..=5.0).contains(&t) {
                    return Err(invalid(key, v, "expected a score from 1 to 5"));
                }
                self.qa_low_csat = t;
            }
            _ => return Err(SettingError::Unknown(key.to_string())),
        }
        Ok(())
    }

    /// The text form of one setting.
    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "csat.threshold" => fmt_num(self.csat_threshold),
            "csat.neutral_in_denominator" => if self.csat_neutral_in_denominator {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            "fcr.mode" => match self.fcr_mode {
                FcrMode::Repeat => "repeat",
                FcrMode::OneTouch => "one_touch",
                FcrMode::Flag => "flag",
            }
            .to_string(),
            "fcr.window_days" => self.fcr_window_days.to_string(),
            "aht.parts" => {
                let p = self.aht_parts;
                [(p.talk, "talk"), (p.hold, "hold"), (p.acw, "acw")]
                    .iter()
                    .filter(|(on, _)| *on)
                    .map(|(_, n)| *n)
                    .collect::<Vec<_>>()
                    .join(",")
            }
            "ces.scale" => self.ces_scale.to_string(),
            "service_level.threshold_secs" => fmt_num(self.service_level_threshold_secs),
            "fiscal_year.start_month" => self.fiscal_year_start_month.to_string(),
            "calendar.default" => self.default_calendar.clone(),
            "goals.focus_limit" => self.focus_limit.to_string(),
            "qa.sample_per_agent" => self.qa_sample_per_agent.to_string(),
            "qa.low_csat" => fmt_num(self.qa_low_csat),
            _ => return None,
        })
    }

    /// The settings that change one KPI, with their values in force.
    pub fn in_force(&self, keys: &[&str]) -> Vec<(String, String)> {
        keys.iter()
            .filter_map(|k| self.get(k).map(|v| (k.to_string(), v)))
            .collect()
    }
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_round_trip() {
        let s = KpiSettings::default();
        for d in SETTINGS {
            assert_eq!(s.get(d.key).as_deref(), Some(d.default), "{}", d.key);
        }
        assert_eq!(s.fcr_window_days, 7);
        assert_eq!(s.csat_threshold, 4.0);
    }

    #[test]
    fn values_are_checked() {
        let mut s = KpiSettings::default();
        for (key, value, ok) in [
            ("csat.threshold", "3", true),
            ("csat.threshold", "6", false),
            ("csat.neutral_in_denominator", "no", true),
            ("csat.neutral_in_denominator", "maybe", false),
            ("fcr.mode", "one_touch", true),
            ("fcr.mode", "first", false),
            ("fcr.window_days", "14", true),
            ("fcr.window_days", "0", false),
            ("aht.parts", "talk, acw", true),
            ("aht.parts", "talk,wrap", false),
            ("aht.parts", "", false),
            ("ces.scale", "5", true),
            ("ces.scale", "10", false),
            ("service_level.threshold_secs", "30", true),
            ("service_level.threshold_secs", "-1", false),
            ("fiscal_year.start_month", "4", true),
            ("fiscal_year.start_month", "13", false),
            ("qa.sample_per_agent", "0", true),
            ("qa.sample_per_agent", "5", true),
            ("qa.sample_per_agent", "51", false),
            ("qa.sample_per_agent", "two", false),
            ("qa.low_csat", "1", true),
            ("qa.low_csat", "2.5", true),
            ("qa.low_csat", "0", false),
            ("qa.low_csat", "6", false),
            ("colour", "red", false),
        ] {
            assert_eq!(s.set(key, value).is_ok(), ok, "{key} = {value}");
        }
        assert_eq!(s.get("aht.parts").unwrap(), "talk,acw");
        assert_eq!(s.fcr_mode, FcrMode::OneTouch);
        assert_eq!((s.qa_sample_per_agent, s.qa_low_csat), (5, 2.5));
    }
}
