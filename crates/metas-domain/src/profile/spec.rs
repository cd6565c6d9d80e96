//! A role profile: as a user writes it (TOML, [`ProfileSpec`]) and as it is
//! once checked ([`RoleProfile`]). Once a `RoleProfile` exists it has a role
//! name, at least one competency, unique keys, every required level on the
//! 1–5 scale, positive weights and five anchored level descriptions per
//! competency (taken from the starter [`library`](super::library) when the
//! file names a library competency by key alone).

use serde::{Deserialize, Serialize};

use super::library;

/// The anchored scale every competency is rated on: 1 to 5.
pub const LEVELS: std::ops::RangeInclusive<u8> = 1..=5;

/// A knowledge or experience requirement as written.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementSpec {
    pub text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub must_have: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One competency of a profile file.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompetencySpec {
    pub key: String,
    pub label: Option<String>,
    pub definition: Option<String>,
    /// The level the role requires, 1–5.
    pub required: Option<i64>,
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub must_have: bool,
    /// What each level looks like, level 1 first: exactly five.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// Behavioural questions: "Tell me about a time when…" (situation,
    /// task, action, result).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub behavioural: Vec<String>,
    /// Situational questions: "What would you do if…".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub situational: Vec<String>,
    /// The QA criterion that sees this behaviour in live interactions (for
    /// a coaching plan started from an agent's gap).
    pub qa_criterion: Option<String>,
}

/// A profile file:
///
/// ```toml
/// role = "Customer service agent"
/// description = "Answers customers by phone, chat and e-mail."
/// duties = ["Answer …", "Log …"]
///
/// [[knowledge]]
/// text = "The products and their common faults"
/// must_have = true
///
/// [[experience]]
/// text = "A year in a customer-facing job"
///
/// [[competencies]]
/// key = "empathy"          # a library key fills label, definition, levels, questions
/// required = 3             # 1–5
/// weight = 2               # > 0; 1 when absent
/// must_have = true
/// ```
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileSpec {
    pub role: Option<String>,
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub knowledge: Vec<RequirementSpec>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub experience: Vec<RequirementSpec>,
    #[serde(default)]
    pub competencies: Vec<CompetencySpec>,
}

/// What is wrong with a profile, naming the field (`competencies[2].weight`,
/// the second competency counting from 1) so the caller can point at its
/// line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ProfileError {
    pub field: String,
    pub message: String,
}

fn error(field: impl Into<String>, message: impl Into<String>) -> ProfileError {
    ProfileError {
        field: field.into(),
        message: message.into(),
    }
}

/// Trimmed text, or `None` when empty.
fn text(t: Option<&str>) -> Option<String> {
    t.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn bounded(field: &str, t: &str, max: usize) -> Result<String, ProfileError> {
    let t = t.trim();
    if t.is_empty() {
        return Err(error(field, "must not be empty"));
    }
    if t.chars().count() > max {
        return Err(error(field, format!("must be at most {max} characters")));
    }
    Ok(t.to_string())
}

/// The kind of a suggested interview question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// About what the candidate did (situation, task, action, result).
    Behavioural,
    /// About what the candidate would do in a described situation.
    Situational,
}

impl QuestionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Behavioural => "behavioural",
            QuestionKind::Situational => "situational",
        }
    }
}

/// A suggested interview question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub kind: QuestionKind,
    pub text: String,
}

/// A question as the API takes it (kind and text).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct QuestionSpec {
    pub kind: QuestionKind,
    pub text: String,
}

/// A checked knowledge or experience requirement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    pub text: String,
    pub must_have: bool,
}

/// A checked competency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Competency {
    key: String,
    label: String,
    definition: String,
    required: u8,
    weight: f64,
    must_have: bool,
    levels: [String; 5],
    questions: Vec<Question>,
    qa_criterion: Option<String>,
}

fn check_key(field: &str, key: &str) -> Result<String, ProfileError> {
    let key = key.trim();
    if key.is_empty() || key.chars().count() > 60 {
        return Err(error(field, "must be 1 to 60 characters"));
    }
    if let Some(c) = key
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '_' | '-')))
    {
        return Err(error(
            field,
            format!("may hold letters, digits, '_' and '-', not '{c}'"),
        ));
    }
    Ok(key.to_string())
}

impl Competency {
    pub fn key(&self) -> &str {
        &self.key
    }
    pub fn label(&self) -> &str {
        &self.label
    }
    pub fn definition(&self) -> &str {
        &self.definition
    }
    /// The level the role requires (1–5).
    pub fn required(&self) -> u8 {
        self.required
    }
    pub fn weight(&self) -> f64 {
        self.weight
    }
    pub fn must_have(&self) -> bool {
        self.must_have
    }
    /// What levels 1 to 5 look like.
    pub fn levels(&self) -> &[String; 5] {
        &self.levels
    }
    /// What `level` (1–5) looks like.
    pub fn anchor(&self, level: u8) -> Option<&str> {
        self.levels
            .get(usize::from(level).checked_sub(1)?)
            .map(String::as_str)
    }
    pub fn questions(&self) -> &[Question] {
        &self.questions
    }
    pub fn qa_criterion(&self) -> Option<&str> {
        self.qa_criterion.as_deref()
    }
    /// Whether label, definition, anchors and questions are the starter
    /// library's own (a page may then show them in the reader's language).
    pub fn is_library_text(&self) -> bool {
        library::find(&self.key).is_some_and(|l| {
            l.label == self.label
                && l.definition == self.definition
                && l.levels.iter().zip(&self.levels).all(|(a, b)| a == b)
                && self.questions.len() == l.behavioural.len() + l.situational.len()
                && l.questions()
                    .zip(&self.questions)
                    .all(|(a, b)| *a == b.text)
        })
    }

    fn from_spec(i: usize, s: &CompetencySpec) -> Result<Competency, ProfileError> {
        let field = |f: &str| format!("competencies[{}].{f}", i + 1);
        let key = check_key(&field("key"), &s.key)?;
        let lib = library::find(&key);
        let required = match s.required {
            None => {
                return Err(error(
                    field("required"),
                    "say the level the role requires, 1 to 5",
                ))
            }
            Some(r) if (1..=5).contains(&r) => r as u8,
            Some(r) => {
                return Err(error(
                    field("required"),
                    format!("{r} is outside the scale 1 to 5"),
                ))
            }
        };
        let weight = s.weight.unwrap_or(1.0);
        if !(weight.is_finite() && weight > 0.0) {
            return Err(error(
                field("weight"),
                format!("must be a number above 0, not {weight}"),
            ));
        }
        let label = match (text(s.label.as_deref()), lib) {
            (Some(l), _) => bounded(&field("label"), &l, 80)?,
            (None, Some(l)) => l.label.to_string(),
            (None, None) => key.clone(),
        };
        let definition = match (text(s.definition.as_deref()), lib) {
            (Some(d), _) => bounded(&field("definition"), &d, 1000)?,
            (None, Some(l)) => l.definition.to_string(),
            (None, None) => {
                return Err(error(
                    field("definition"),
                    format!("'{key}' is not in the starter library, so say what it means"),
                ))
            }
        };
        let levels: Vec<String> =
            match (s.levels.is_empty(), lib) {
                (true, Some(l)) => l.levels.iter().map(|t| t.to_string()).collect(),
                (true, None) => {
                    return Err(error(
                        field("levels"),
                        "describe each level from 1 to 5 in words (five texts)",
                    ))
                }
                (false, _) => {
                    if s.levels.len() != 5 {
                        return Err(error(
                            field("levels"),
                            format!("needs five texts, levels 1 to 5, not {}", s.levels.len()),
                        ));
                    }
                    let mut out = Vec::with_capacity(5);
                    for (n, l) in s.levels.iter().enumerate() {
                        out.push(bounded(&field("levels"), l, 500).map_err(|e| {
                            error(e.field, format!("level {}: {}", n + 1, e.message))
                        })?);
                    }
                    out
                }
            };
        let levels: [String; 5] = levels
            .try_into()
            .map_err(|_| error(field("levels"), "needs five texts"))?;
        let mut questions = Vec::new();
        let own = !(s.behavioural.is_empty() && s.situational.is_empty());
        if own {
            for (kind, list, name) in [
                (QuestionKind::Behavioural, &s.behavioural, "behavioural"),
                (QuestionKind::Situational, &s.situational, "situational"),
            ] {
                for q in list {
                    questions.push(Question {
                        kind,
                        text: bounded(&field(name), q, 500)?,
                    });
                }
            }
        } else if let Some(l) = lib {
            questions.extend(l.behavioural.iter().map(|t| Question {
                kind: QuestionKind::Behavioural,
                text: t.to_string(),
            }));
            questions.extend(l.situational.iter().map(|t| Question {
                kind: QuestionKind::Situational,
                text: t.to_string(),
            }));
        }
        let qa_criterion = match text(s.qa_criterion.as_deref()) {
            Some(c) => Some(check_key(&field("qa_criterion"), &c)?),
            None => lib.and_then(|l| l.qa_criterion).map(str::to_string),
        };
        Ok(Competency {
            key,
            label,
            definition,
            required,
            weight,
            must_have: s.must_have,
            levels,
            questions,
            qa_criterion,
        })
    }

    fn to_spec(&self) -> CompetencySpec {
        let of = |k: QuestionKind| {
            self.questions
                .iter()
                .filter(|q| q.kind == k)
                .map(|q| q.text.clone())
                .collect()
        };
        CompetencySpec {
            key: self.key.clone(),
            label: Some(self.label.clone()),
            definition: Some(self.definition.clone()),
            required: Some(i64::from(self.required)),
            weight: Some(self.weight),
            must_have: self.must_have,
            levels: self.levels.to_vec(),
            behavioural: of(QuestionKind::Behavioural),
            situational: of(QuestionKind::Situational),
            qa_criterion: self.qa_criterion.clone(),
        }
    }
}

/// A checked role profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleProfile {
    name: String,
    role: String,
    description: Option<String>,
    duties: Vec<String>,
    knowledge: Vec<Requirement>,
    experience: Vec<Requirement>,
    competencies: Vec<Competency>,
}

fn requirements(field: &str, list: &[RequirementSpec]) -> Result<Vec<Requirement>, ProfileError> {
    list.iter()
        .enumerate()
        .map(|(i, r)| {
            Ok(Requirement {
                text: bounded(&format!("{field}[{}].text", i + 1), &r.text, 500)?,
                must_have: r.must_have,
            })
        })
        .collect()
}

impl RoleProfile {
    /// Checks a profile file saved under `name`; the error names the field
    /// at fault.
    pub fn from_spec(name: &str, spec: &ProfileSpec) -> Result<RoleProfile, ProfileError> {
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
        let role = match text(spec.role.as_deref()) {
            Some(r) => bounded("role", &r, 120)?,
            None => return Err(error("role", "say the role's name (role = \"…\")")),
        };
        let duties = spec
            .duties
            .iter()
            .map(|d| bounded("duties", d, 500))
            .collect::<Result<Vec<_>, _>>()?;
        if spec.competencies.is_empty() {
            return Err(error(
                "competencies",
                "a profile needs at least one [[competencies]] section",
            ));
        }
        let mut competencies: Vec<Competency> = Vec::with_capacity(spec.competencies.len());
        for (i, s) in spec.competencies.iter().enumerate() {
            let c = Competency::from_spec(i, s)?;
            if competencies.iter().any(|o| o.key == c.key) {
                return Err(error(
                    format!("competencies[{}].key", i + 1),
                    format!("'{}' is already the key of an earlier competency", c.key),
                ));
            }
            competencies.push(c);
        }
        Ok(RoleProfile {
            name: name.to_string(),
            role,
            description: match text(spec.description.as_deref()) {
                Some(d) => Some(bounded("description", &d, 2000)?),
                None => None,
            },
            duties,
            knowledge: requirements("knowledge", &spec.knowledge)?,
            experience: requirements("experience", &spec.experience)?,
            competencies,
        })
    }

    /// The file that would set this profile again, every library text
    /// written out: two profiles are the same when these are equal.
    pub fn to_spec(&self) -> ProfileSpec {
        let req = |l: &[Requirement]| {
            l.iter()
                .map(|r| RequirementSpec {
                    text: r.text.clone(),
                    must_have: r.must_have,
                })
                .collect()
        };
        ProfileSpec {
            role: Some(self.role.clone()),
            description: self.description.clone(),
            duties: self.duties.clone(),
            knowledge: req(&self.knowledge),
            experience: req(&self.experience),
            competencies: self.competencies.iter().map(Competency::to_spec).collect(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }
    /// The role's name as people say it ("Customer service agent").
    pub fn role(&self) -> &str {
        &self.role
    }
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
    /// The job description: what the role does.
    pub fn duties(&self) -> &[String] {
        &self.duties
    }
    pub fn knowledge(&self) -> &[Requirement] {
        &self.knowledge
    }
    pub fn experience(&self) -> &[Requirement] {
        &self.experience
    }
    pub fn competencies(&self) -> &[Competency] {
        &self.competencies
    }
    pub fn competency(&self, key: &str) -> Option<&Competency> {
        self.competencies.iter().find(|c| c.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(key: &str) -> CompetencySpec {
        CompetencySpec {
            key: key.into(),
            definition: Some("d".into()),
            required: Some(3),
            levels: (1..=5).map(|n| format!("level {n}")).collect(),
            ..CompetencySpec::default()
        }
    }

    fn spec() -> ProfileSpec {
        ProfileSpec {
            role: Some("Agent".into()),
            duties: vec!["Answer customers".into()],
            competencies: vec![
                CompetencySpec {
                    key: "empathy".into(),
                    required: Some(3),
                    must_have: true,
                    ..CompetencySpec::default()
                },
                own("typing"),
            ],
            ..ProfileSpec::default()
        }
    }

    #[test]
    fn a_library_key_fills_the_text_and_the_profile_writes_back() {
        let p = RoleProfile::from_spec("agent", &spec()).unwrap();
        let e = p.competency("empathy").unwrap();
        assert_eq!(e.label(), library::find("empathy").unwrap().label);
        assert!(e.is_library_text());
        assert!(!e.questions().is_empty());
        assert_eq!(
            e.anchor(1),
            Some(library::find("empathy").unwrap().levels[0])
        );
        assert_eq!(e.anchor(6), None);
        assert_eq!(e.anchor(0), None);
        let t = p.competency("typing").unwrap();
        assert_eq!(
            (t.label(), t.weight(), t.must_have()),
            ("typing", 1.0, false)
        );
        assert!(!t.is_library_text());
        assert_eq!(RoleProfile::from_spec("agent", &p.to_spec()).unwrap(), p);
    }

    #[test]
    fn every_library_competency_makes_a_profile() {
        let spec = ProfileSpec {
            role: Some("All".into()),
            competencies: library::LIBRARY
                .iter()
                .map(|l| CompetencySpec {
                    key: l.key.into(),
                    required: Some(3),
                    ..CompetencySpec::default()
                })
                .collect(),
            ..ProfileSpec::default()
        };
        let p = RoleProfile::from_spec("all", &spec).unwrap();
        assert!(p.competencies().iter().all(Competency::is_library_text));
    }

    /// Each broken file → the field named and a word of the message.
    #[test]
    fn bad_profiles_name_their_field() {
        type Edit = fn(&mut ProfileSpec);
        let cases: &[(&str, Edit, &str, &str)] = &[
            ("ok", |_| {}, "", ""),
            ("bad name", |_| {}, "name", "not ' '"),
            ("ok", |s| s.role = None, "role", "role's name"),
            ("ok", |s| s.duties.push(" ".into()), "duties", "empty"),
            (
                "ok",
                |s| s.competencies.clear(),
                "competencies",
                "at least one",
            ),
            (
                "ok",
                |s| s.competencies[1].key = "empathy".into(),
                "competencies[2].key",
                "already",
            ),
            (
                "ok",
                |s| s.competencies[0].required = None,
                "competencies[1].required",
                "1 to 5",
            ),
            (
                "ok",
                |s| s.competencies[0].required = Some(6),
                "competencies[1].required",
                "outside",
            ),
            (
                "ok",
                |s| s.competencies[1].required = Some(0),
                "competencies[2].required",
                "outside",
            ),
            (
                "ok",
                |s| s.competencies[1].weight = Some(0.0),
                "competencies[2].weight",
                "above 0",
            ),
            (
                "ok",
                |s| s.competencies[1].definition = None,
                "competencies[2].definition",
                "starter library",
            ),
            (
                "ok",
                |s| s.competencies[1].levels.pop().map(drop).unwrap_or(()),
                "competencies[2].levels",
                "five texts",
            ),
            (
                "ok",
                |s| s.competencies[1].levels[2] = "".into(),
                "competencies[2].levels",
                "level 3",
            ),
            (
                "ok",
                |s| s.competencies[1].levels.clear(),
                "competencies[2].levels",
                "1 to 5",
            ),
            (
                "ok",
                |s| {
                    s.knowledge.push(RequirementSpec {
                        text: "".into(),
                        must_have: true,
                    })
                },
                "knowledge[1].text",
                "empty",
            ),
            (
                "ok",
                |s| s.competencies[0].qa_criterion = Some("a b".into()),
                "competencies[1].qa_criterion",
                "not ' '",
            ),
        ];
        for (name, edit, field, says) in cases {
            let mut s = spec();
            edit(&mut s);
            match RoleProfile::from_spec(name, &s) {
                Ok(_) => assert_eq!(*field, "", "{name} {s:?} passed"),
                Err(e) => {
                    assert_eq!(e.field, *field, "{e}");
                    assert!(e.message.contains(says), "{e}");
                }
            }
        }
    }
}
