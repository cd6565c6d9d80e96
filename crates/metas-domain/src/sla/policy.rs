//! A time-objective policy: as a user writes it (TOML, [`PolicySpec`]) and
//! as it is once checked ([`Policy`]). Once a `Policy` exists, every part of
//! it is valid: a known stage per target, a positive target, a warning
//! threshold between 0 and 100 %, statuses of the vocabulary, conditions
//! that parse.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Stage;
use crate::segment::SegmentExpr;
use crate::vocab::Status;

/// A policy file:
///
/// ```toml
/// order = 1                          # the first matching policy applies
/// where = "channel = 'chat'"         # a segment expression; absent = every interaction
/// calendar = "support"               # business time on this calendar; absent = calendar time
/// pause_on = ["waiting_on_customer"] # statuses that stop the clocks
/// warning = "80%"                    # at risk once this share of a target has elapsed
/// triaged_status = "open"            # problem defined: first entry into this status
///
/// [targets]
/// acknowledge = "60s"
/// resolution = "8h"
/// ```
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySpec {
    pub description: Option<String>,
    pub order: Option<i64>,
    #[serde(rename = "where")]
    pub conditions: Option<String>,
    pub calendar: Option<String>,
    #[serde(default)]
    pub pause_on: Vec<String>,
    pub warning: Option<String>,
    pub triaged_status: Option<String>,
    #[serde(default)]
    pub targets: BTreeMap<String, String>,
}

/// What is wrong with a policy, naming the field (the key of the TOML file,
/// `targets.<stage>` for a target) so the caller can point at its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct PolicyError {
    pub field: String,
    pub message: String,
}

fn error(field: &str, message: impl Into<String>) -> PolicyError {
    PolicyError {
        field: field.to_string(),
        message: message.into(),
    }
}

/// How a policy's clocks count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "calendar")]
pub enum Clock {
    /// Every second counts (24/7).
    Calendar,
    /// Only the open hours of the named business calendar count.
    Business(String),
}

/// A target duration: a positive number of seconds, written with units
/// (`60s`, `15m`, `4h`, `1h30m`, `2d`; a day is 24 hours of the policy's
/// clock).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize)]
pub struct TargetDuration(f64);

impl TargetDuration {
    pub fn parse(text: &str) -> Result<TargetDuration, String> {
        let t = text.trim().to_ascii_lowercase().replace(' ', "");
        if t.is_empty() {
            return Err("is empty; write a duration such as 60s, 15m, 4h or 1h30m".into());
        }
        let mut secs = 0.0;
        let mut number = String::new();
        let mut units = 0;
        for c in t.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let scale = match c {
                's' => 1.0,
                'm' => 60.0,
                'h' => 3600.0,
                'd' => 86_400.0,
                _ => {
                    return Err(format!(
                        "'{text}' is not a duration; write one such as 60s, 15m, 4h or 1h30m"
                    ))
                }
            };
            let n: f64 = number.parse().map_err(|_| {
                format!("'{text}' is not a duration; write one such as 60s, 15m, 4h or 1h30m")
            })?;
            secs += n * scale;
            number.clear();
            units += 1;
        }
        if !number.is_empty() || units == 0 {
            return Err(format!(
                "'{text}' has no unit; write s, m, h or d after the number (60s, 15m, 4h)"
            ));
        }
        if !(secs > 0.0 && secs.is_finite()) {
            return Err(format!("'{text}' must be longer than zero"));
        }
        // A time objective beyond a year is a typo; past about 285 million
        // years the seconds would not even be whole numbers any more (the
        // fuzzer wrote 8877777777777777m, which did not read back the same).
        if secs > Self::LONGEST_SECS {
            return Err(format!(
                "'{text}' is longer than a year (365d); a time objective is shorter"
            ));
        }
        Ok(TargetDuration(secs))
    }

    /// The longest target a policy takes: 365 days.
    pub const LONGEST_SECS: f64 = 365.0 * 86_400.0;

    pub fn secs(self) -> f64 {
        self.0
    }
}

impl std::fmt::Display for TargetDuration {
    /// The shortest exact writing: `90s` → `1m30s`, `14400s` → `4h`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total = self.0;
        if total.fract() != 0.0 {
            return write!(f, "{total}s");
        }
        let mut rest = total as u64;
        let mut out = String::new();
        for (unit, size) in [("h", 3600), ("m", 60), ("s", 1)] {
            if rest >= size {
                out.push_str(&format!("{}{unit}", rest / size));
                rest %= size;
            }
        }
        f.write_str(&out)
    }
}

/// A checked policy. Its name and version are the store's (a change makes a
/// new version; judgements keep the version that made them).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    name: String,
    description: Option<String>,
    order: i64,
    conditions: Option<(String, SegmentExpr)>,
    clock: Clock,
    pause_on: Vec<Status>,
    warning: f64,
    triaged_status: Option<Status>,
    targets: Vec<(Stage, TargetDuration)>,
}

/// The share of a target after which a pending stage is at risk, when the
/// policy does not say.
pub const DEFAULT_WARNING: f64 = 0.8;

impl Policy {
    /// Checks a policy file. `name` is what the user calls it (letters,
    /// digits, spaces, `-`, `_`, `.`; at most 80 characters).
    pub fn from_spec(name: &str, spec: &PolicySpec) -> Result<Policy, PolicyError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(error("name", "must be 1 to 80 characters"));
        }
        if let Some(c) = name
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.')))
        {
            return Err(error(
                "name",
                format!("may hold letters, digits, spaces, '-', '_' and '.', not '{c}'"),
            ));
        }
        let conditions = match spec.conditions.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                let expr = SegmentExpr::parse(text).map_err(|e| error("where", e.message))?;
                Some((text.to_string(), expr))
            }
        };
        let clock = match spec.calendar.as_deref().map(str::trim) {
            None | Some("") | Some("calendar") | Some("24/7") | Some("24x7") => Clock::Calendar,
            Some(c) => Clock::Business(c.to_string()),
        };
        let mut pause_on = Vec::new();
        for s in &spec.pause_on {
            let status = Status::parse(s).map_err(|e| error("pause_on", e.to_string()))?;
            if status.is_resolved() {
                return Err(error(
                    "pause_on",
                    format!("'{s}' ends a request; it cannot pause its clocks"),
                ));
            }
            if !pause_on.contains(&status) {
                pause_on.push(status);
            }
        }
        let warning = match spec.warning.as_deref() {
            None => DEFAULT_WARNING,
            Some(w) => {
                let t = w.trim();
                let (n, scale) = match t.strip_suffix('%') {
                    Some(p) => (p.trim(), 100.0),
                    None => (t, 1.0),
                };
                let v: f64 = n.parse().map_err(|_| {
                    error(
                        "warning",
                        format!("'{w}' is not a share; write one such as 80%"),
                    )
                })?;
                let v = v / scale;
                if !(v > 0.0 && v < 1.0) {
                    return Err(error(
                        "warning",
                        format!("'{w}' must lie between 0 and 100 %, both left out"),
                    ));
                }
                v
            }
        };
        let triaged_status = spec
            .triaged_status
            .as_deref()
            .map(Status::parse)
            .transpose()
            .map_err(|e| error("triaged_status", e.to_string()))?;
        if spec.targets.is_empty() {
            return Err(error(
                "targets",
                "a policy needs at least one target, such as acknowledge = \"60s\"",
            ));
        }
        let mut targets = Vec::new();
        for (stage, value) in &spec.targets {
            let field = format!("targets.{stage}");
            let stage = Stage::parse(stage).map_err(|e| error(&field, e))?;
            if targets.iter().any(|(s, _)| *s == stage) {
                return Err(error(&field, format!("sets {stage} a second time")));
            }
            let target = TargetDuration::parse(value).map_err(|e| error(&field, e))?;
            targets.push((stage, target));
        }
        targets.sort_by_key(|(s, _)| *s);
        Ok(Policy {
            name: name.to_string(),
            description: spec.description.clone().filter(|d| !d.trim().is_empty()),
            order: spec.order.unwrap_or(0),
            conditions,
            clock,
            pause_on,
            warning,
            triaged_status,
            targets,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    pub fn order(&self) -> i64 {
        self.order
    }
    /// The segment expression as written, and parsed.
    pub fn conditions(&self) -> Option<(&str, &SegmentExpr)> {
        self.conditions.as_ref().map(|(t, e)| (t.as_str(), e))
    }
    pub fn clock(&self) -> &Clock {
        &self.clock
    }
    pub fn pause_on(&self) -> &[Status] {
        &self.pause_on
    }
    /// The share of a target after which a pending stage is at risk.
    pub fn warning(&self) -> f64 {
        self.warning
    }
    pub fn triaged_status(&self) -> Option<Status> {
        self.triaged_status
    }
    /// The targets, in stage order.
    pub fn targets(&self) -> &[(Stage, TargetDuration)] {
        &self.targets
    }
    pub fn target(&self, stage: Stage) -> Option<TargetDuration> {
        self.targets
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, t)| *t)
    }

    /// The policy as a file, the way [`PolicySpec`] reads it back.
    pub fn to_spec(&self) -> PolicySpec {
        PolicySpec {
            description: self.description.clone(),
            order: Some(self.order),
            conditions: self.conditions.as_ref().map(|(t, _)| t.clone()),
            calendar: match &self.clock {
                Clock::Calendar => None,
                Clock::Business(c) => Some(c.clone()),
            },
            pause_on: self
                .pause_on
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            warning: Some(format!("{}%", (self.warning * 100.0 * 1e6).round() / 1e6)),
            triaged_status: self.triaged_status.map(|s| s.as_str().to_string()),
            targets: self
                .targets
                .iter()
                .map(|(s, t)| (s.as_str().to_string(), t.to_string()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(targets: &[(&str, &str)]) -> PolicySpec {
        PolicySpec {
            targets: targets
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..PolicySpec::default()
        }
    }

    #[test]
    fn durations_read_as_written() {
        for (text, secs) in [
            ("60s", 60.0),
            ("15m", 900.0),
            ("4h", 14_400.0),
            ("1h30m", 5_400.0),
            ("1h 30m", 5_400.0),
            ("2d", 172_800.0),
            ("0.5h", 1_800.0),
            ("365d", 31_536_000.0),
        ] {
            assert_eq!(
                TargetDuration::parse(text).map(|t| t.secs()),
                Ok(secs),
                "{text}"
            );
        }
        // The last two: beyond a year, and what the fuzzer found (it did
        // not read back as written).
        for bad in [
            "",
            "60",
            "0s",
            "-5m",
            "5 minutes",
            "h",
            "1.2.3h",
            "366d",
            "8877777777777777m",
        ] {
            assert!(TargetDuration::parse(bad).is_err(), "{bad}");
        }
        for (secs, shown) in [
            (60.0, "1m"),
            (90.0, "1m30s"),
            (14_400.0, "4h"),
            (5_400.0, "1h30m"),
        ] {
            assert_eq!(TargetDuration(secs).to_string(), shown);
        }
    }

    #[test]
    fn a_policy_file_is_checked_field_by_field() {
        let mut s = spec(&[("first_response", "60s"), ("resolution", "8h")]);
        s.conditions = Some("channel = 'chat'".into());
        s.calendar = Some("support".into());
        s.pause_on = vec!["Pending Customer Response".into()];
        s.warning = Some("75%".into());
        let p = Policy::from_spec("Chat", &s).unwrap();
        assert_eq!(p.name(), "Chat");
        assert_eq!(p.clock(), &Clock::Business("support".into()));
        assert_eq!(p.pause_on(), &[Status::WaitingOnCustomer]);
        assert_eq!(p.warning(), 0.75);
        assert_eq!(p.target(Stage::Acknowledge).map(|t| t.secs()), Some(60.0));
        assert_eq!(p.conditions().map(|c| c.0), Some("channel = 'chat'"));
        // What it writes back reads as the same policy.
        assert_eq!(Policy::from_spec("Chat", &p.to_spec()).unwrap(), p);

        let bad = |f: &dyn Fn(&mut PolicySpec), field: &str, says: &str| {
            let mut s = spec(&[("acknowledge", "60s")]);
            f(&mut s);
            let e = Policy::from_spec("P", &s).unwrap_err();
            assert_eq!(e.field, field, "{e}");
            assert!(e.message.contains(says), "{e}");
        };
        bad(&|s| s.targets.clear(), "targets", "at least one target");
        bad(
            &|s| {
                s.targets.insert("lunch".into(), "1h".into());
            },
            "targets.lunch",
            "unknown stage",
        );
        bad(
            &|s| {
                s.targets.insert("first_response".into(), "2m".into());
            },
            "targets.first_response",
            "second time",
        );
        bad(
            &|s| {
                s.targets.insert("resolution".into(), "8".into());
            },
            "targets.resolution",
            "no unit",
        );
        bad(
            &|s| s.warning = Some("120%".into()),
            "warning",
            "between 0 and 100",
        );
        bad(
            &|s| s.pause_on = vec!["solved".into()],
            "pause_on",
            "ends a request",
        );
        bad(
            &|s| s.pause_on = vec!["coffee".into()],
            "pause_on",
            "coffee",
        );
        bad(&|s| s.conditions = Some("channel = ".into()), "where", "");
        let e = Policy::from_spec("a/b", &spec(&[("acknowledge", "1m")])).unwrap_err();
        assert_eq!(e.field, "name");
    }
}
