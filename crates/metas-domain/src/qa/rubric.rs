//! A QA rubric: as a user writes it (TOML, [`RubricSpec`]) and as it is once
//! checked ([`Rubric`]). Once a `Rubric` exists it has at least one
//! criterion, unique keys, a known scale per criterion, positive weights and
//! every business standard inside its scale.

use serde::{Deserialize, Serialize};

use super::score::Rule;

/// The scales a criterion can be rated on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// 0 (no) or 1 (yes).
    Binary,
    /// 1 to 3.
    OneToThree,
    /// 1 to 4.
    OneToFour,
    /// 1 to 5.
    OneToFive,
}

impl Scale {
    pub const ALL: [Scale; 4] = [
        Scale::Binary,
        Scale::OneToThree,
        Scale::OneToFour,
        Scale::OneToFive,
    ];

    /// `binary`, `1-3`, `1-4`, `1-5` (an en dash is read as a hyphen).
    pub fn parse(text: &str) -> Option<Scale> {
        match text
            .trim()
            .replace(['–', '—'], "-")
            .replace(' ', "")
            .as_str()
        {
            "binary" | "0-1" | "yes/no" => Some(Scale::Binary),
            "1-3" => Some(Scale::OneToThree),
            "1-4" => Some(Scale::OneToFour),
            "1-5" => Some(Scale::OneToFive),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Binary => "binary",
            Scale::OneToThree => "1-3",
            Scale::OneToFour => "1-4",
            Scale::OneToFive => "1-5",
        }
    }

    /// The scale with these bounds, if it is one of the four.
    pub fn from_bounds(min: f64, max: f64) -> Option<Scale> {
        Scale::ALL
            .into_iter()
            .find(|s| s.min() == min && s.max() == max)
    }

    pub fn min(self) -> f64 {
        match self {
            Scale::Binary => 0.0,
            _ => 1.0,
        }
    }

    pub fn max(self) -> f64 {
        match self {
            Scale::Binary => 1.0,
            Scale::OneToThree => 3.0,
            Scale::OneToFour => 4.0,
            Scale::OneToFive => 5.0,
        }
    }

    /// The ratings a reviewer can give, lowest first.
    pub fn points(self) -> Vec<i64> {
        (self.min() as i64..=self.max() as i64).collect()
    }
}

/// One criterion of a rubric file.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionSpec {
    pub key: String,
    pub label: Option<String>,
    pub description: Option<String>,
    pub scale: Option<String>,
    pub weight: Option<f64>,
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub na_allowed: bool,
    pub standard: Option<f64>,
}

/// A rubric file:
///
/// ```toml
/// description = "Service quality"
///
/// [[criteria]]
/// key = "concern"                 # letters, digits, '_' and '-'
/// label = "Shows concern"         # what reviewers read; the key when absent
/// description = "…"
/// scale = "1-5"                   # binary, 1-3, 1-4 or 1-5
/// weight = 1.0                    # > 0; 1 when absent
/// critical = false                # failing it makes the review 0
/// na_allowed = false              # may be marked not applicable
/// standard = 3                    # the business standard, inside the scale
/// ```
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RubricSpec {
    pub description: Option<String>,
    #[serde(default)]
    pub criteria: Vec<CriterionSpec>,
}

/// What is wrong with a rubric, naming the field (`criteria[2].weight`, the
/// third criterion counting from 1) so the caller can point at its line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RubricError {
    pub field: String,
    pub message: String,
}

fn error(field: impl Into<String>, message: impl Into<String>) -> RubricError {
    RubricError {
        field: field.into(),
        message: message.into(),
    }
}

/// A checked criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    key: String,
    label: String,
    description: Option<String>,
    scale: Scale,
    weight: f64,
    critical: bool,
    na_allowed: bool,
    standard: Option<f64>,
}

impl Criterion {
    pub fn key(&self) -> &str {
        &self.key
    }
    /// What reviewers read (the key when the file gives no label).
    pub fn label(&self) -> &str {
        &self.label
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    pub fn scale(&self) -> Scale {
        self.scale
    }
    pub fn weight(&self) -> f64 {
        self.weight
    }
    pub fn critical(&self) -> bool {
        self.critical
    }
    pub fn na_allowed(&self) -> bool {
        self.na_allowed
    }
    pub fn standard(&self) -> Option<f64> {
        self.standard
    }
    /// The numbers the score maths needs.
    pub fn rule(&self) -> Rule {
        Rule {
            min: self.scale.min(),
            max: self.scale.max(),
            weight: self.weight,
            critical: self.critical,
            standard: self.standard,
            na_allowed: self.na_allowed,
        }
    }

    fn from_spec(i: usize, s: &CriterionSpec) -> Result<Criterion, RubricError> {
        let field = |f: &str| format!("criteria[{}].{f}", i + 1);
        let key = s.key.trim();
        if key.is_empty() || key.chars().count() > 60 {
            return Err(error(field("key"), "must be 1 to 60 characters"));
        }
        if let Some(c) = key
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-')))
        {
            return Err(error(
                field("key"),
                format!("may hold letters, digits, '_' and '-', not '{c}'"),
            ));
        }
        let scale = match s.scale.as_deref() {
            None => Scale::OneToFive,
            Some(t) => Scale::parse(t).ok_or_else(|| {
                error(
                    field("scale"),
                    format!("'{t}' is not a scale; use binary, 1-3, 1-4 or 1-5"),
                )
            })?,
        };
        let weight = s.weight.unwrap_or(1.0);
        if !(weight.is_finite() && weight > 0.0) {
            return Err(error(
                field("weight"),
                format!("must be a number above 0, not {weight}"),
            ));
        }
        if let Some(st) = s.standard {
            if !(st >= scale.min() && st <= scale.max()) {
                return Err(error(
                    field("standard"),
                    format!(
                        "{st} is outside the scale {} ({} to {})",
                        scale.as_str(),
                        scale.min(),
                        scale.max()
                    ),
                ));
            }
        }
        let label = s
            .label
            .as_deref()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .unwrap_or(key)
            .to_string();
        Ok(Criterion {
            key: key.to_string(),
            label,
            description: s
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            scale,
            weight,
            critical: s.critical,
            na_allowed: s.na_allowed,
            standard: s.standard,
        })
    }

    fn to_spec(&self) -> CriterionSpec {
        CriterionSpec {
            key: self.key.clone(),
            label: Some(self.label.clone()),
            description: self.description.clone(),
            scale: Some(self.scale.as_str().to_string()),
            weight: Some(self.weight),
            critical: self.critical,
            na_allowed: self.na_allowed,
            standard: self.standard,
        }
    }
}

/// A checked rubric.
#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    name: String,
    description: Option<String>,
    criteria: Vec<Criterion>,
}

impl Rubric {
    /// Checks a rubric file; the error names the field at fault.
    pub fn from_spec(name: &str, spec: &RubricSpec) -> Result<Rubric, RubricError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(error("name", "must be 1 to 80 characters"));
        }
        if let Some(c) = name
            .chars()
            .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        {
            return Err(error(
                "name",
                format!("may hold letters, digits, '_', '-' and '.', not '{c}'"),
            ));
        }
        if spec.criteria.is_empty() {
            return Err(error(
                "criteria",
                "a rubric needs at least one [[criteria]] section",
            ));
        }
        let mut criteria: Vec<Criterion> = Vec::with_capacity(spec.criteria.len());
        for (i, s) in spec.criteria.iter().enumerate() {
            let c = Criterion::from_spec(i, s)?;
            if criteria.iter().any(|o| o.key == c.key) {
                return Err(error(
                    format!("criteria[{}].key", i + 1),
                    format!("'{}' is already the key of an earlier criterion", c.key),
                ));
            }
            criteria.push(c);
        }
        Ok(Rubric {
            name: name.to_string(),
            description: spec
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .map(str::to_string),
            criteria,
        })
    }

    /// The file that would set this rubric again.
    pub fn to_spec(&self) -> RubricSpec {
        RubricSpec {
            description: self.description.clone(),
            criteria: self.criteria.iter().map(Criterion::to_spec).collect(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }
    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(keys: &[&str]) -> RubricSpec {
        RubricSpec {
            description: Some("d".into()),
            criteria: keys
                .iter()
                .map(|k| CriterionSpec {
                    key: k.to_string(),
                    scale: Some("1-5".into()),
                    standard: Some(3.0),
                    ..CriterionSpec::default()
                })
                .collect(),
        }
    }

    #[test]
    fn scales_parse_and_bound() {
        for (text, want, min, max) in [
            ("binary", Some(Scale::Binary), 0.0, 1.0),
            ("1-3", Some(Scale::OneToThree), 1.0, 3.0),
            ("1–4", Some(Scale::OneToFour), 1.0, 4.0),
            (" 1-5 ", Some(Scale::OneToFive), 1.0, 5.0),
            ("1-10", None, 0.0, 0.0),
        ] {
            assert_eq!(Scale::parse(text), want, "{text}");
            if let Some(s) = want {
                assert_eq!((s.min(), s.max()), (min, max));
                assert_eq!(Scale::parse(s.as_str()), Some(s));
                assert_eq!(Scale::from_bounds(min, max), Some(s));
            }
        }
        assert_eq!(Scale::OneToThree.points(), vec![1, 2, 3]);
    }

    #[test]
    fn a_good_rubric_and_what_it_writes_back() {
        let r = Rubric::from_spec("service_quality", &spec(&["concern", "tone"])).unwrap();
        assert_eq!(r.criteria().len(), 2);
        assert_eq!(r.criterion("tone").unwrap().label(), "tone");
        assert_eq!(r.criterion("tone").unwrap().weight(), 1.0);
        assert_eq!(
            Rubric::from_spec("service_quality", &r.to_spec()).unwrap(),
            r
        );
    }

    /// Each broken file → the field named and a word of the message.
    #[test]
    fn bad_rubrics_name_their_field() {
        type Edit = fn(&mut RubricSpec);
        let cases: &[(&str, Edit, &str, &str)] = &[
            ("ok", |_| {}, "", ""),
            ("bad!name", |_| {}, "name", "not '!'"),
            ("ok", |s| s.criteria.clear(), "criteria", "at least one"),
            (
                "ok",
                |s| s.criteria[1].key = "a".into(),
                "criteria[2].key",
                "already",
            ),
            (
                "ok",
                |s| s.criteria[0].key = "a b".into(),
                "criteria[1].key",
                "not ' '",
            ),
            (
                "ok",
                |s| s.criteria[1].scale = Some("1-10".into()),
                "criteria[2].scale",
                "not a scale",
            ),
            (
                "ok",
                |s| s.criteria[0].weight = Some(0.0),
                "criteria[1].weight",
                "above 0",
            ),
            (
                "ok",
                |s| s.criteria[0].weight = Some(-1.0),
                "criteria[1].weight",
                "above 0",
            ),
            (
                "ok",
                |s| s.criteria[1].standard = Some(6.0),
                "criteria[2].standard",
                "outside",
            ),
            (
                "ok",
                |s| {
                    s.criteria[1].scale = Some("binary".into());
                    s.criteria[1].standard = Some(3.0);
                },
                "criteria[2].standard",
                "outside the scale binary",
            ),
        ];
        for (name, edit, field, says) in cases {
            let mut s = spec(&["a", "b"]);
            edit(&mut s);
            match Rubric::from_spec(name, &s) {
                Ok(_) => assert_eq!(*field, "", "{name} {s:?} passed"),
                Err(e) => {
                    assert_eq!(e.field, *field, "{e}");
                    assert!(e.message.contains(says), "{e}");
                }
            }
        }
    }
}
