//! QA rubrics and reviews (docs/qa.md): rubric files read and saved as new
//! versions, reviews entered against a rubric, the queue of interactions to
//! review, and quality scores per agent and criterion.
//!
//! Who sees what is [`crate::access::may`]: a review is about its agent, so
//! an agent sees their own, a lead their team's, a manager everyone's
//! (`Action::See` on the agent); entering one is `Action::Coach` on the
//! interaction's agent; saving a rubric is `Action::ManageRubrics`. A review
//! the user may not see is `NotFound`, as if it did not exist.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::qa::{
    check_ratings, criterion_score, failed_critical, review_score, RatingError, Rubric, RubricSpec,
};
use metas_store::prelude::*;
use metas_store::{
    NewQaReview, QaRatingRow, QaReviewFilter, QaReviewRow, QueueQuery, QueueRow,
    ReviewableInteraction, RubricRow, RubricVersionRow, SavedRubric,
};
use serde::Serialize;

use crate::access::{may, require, Action, Scope};
use crate::users::{Role, User};
use crate::ServiceError;

/// A satisfaction answer at or below the `qa.low_csat` score on 1–5, as a
/// share of its scale: 2 on 1–5 is (2 − 1) / (5 − 1) = 0.25, so an answer
/// of any scale compares as the CSAT KPI rescales it.
fn low_csat_share(settings: &metas_domain::settings::KpiSettings) -> f64 {
    (settings.qa_low_csat - 1.0) / 4.0
}

/// Reads a rubric file (TOML) and checks it: one sentence naming the file,
/// the line and the field when something is wrong.
pub fn parse_rubric(name: &str, toml_text: &str, file_label: &str) -> Result<Rubric, ServiceError> {
    metas_domain::qa::parse_rubric_file(name, toml_text, file_label).map_err(ServiceError::Input)
}

/// A rubric as the file that would set it again.
pub fn rubric_text(rubric: &Rubric) -> String {
    toml::to_string(&rubric.to_spec())
        .unwrap_or_else(|e| format!("# cannot be written as TOML: {e}"))
}

/// A stored rubric as a file (the one it was saved from, else written from
/// its criteria).
pub fn stored_text(row: &RubricRow) -> String {
    match &row.definition {
        Some(d) => d.clone(),
        None => match checked(row) {
            Ok(r) => rubric_text(&r),
            Err(e) => format!("# {e}"),
        },
    }
}

/// Saves a rubric: a new version unless it changes nothing.
pub fn save_rubric(
    store: &mut dyn Storage,
    user: &User,
    rubric: &Rubric,
    text: &str,
    now: Timestamp,
) -> Result<SavedRubric, ServiceError> {
    require(user, Action::ManageRubrics, &Scope::Organisation)?;
    Ok(store.save_rubric(rubric, text, &user.login, now)?)
}

/// Every rubric in its current version.
pub fn rubrics(store: &dyn Storage) -> Result<Vec<RubricRow>, ServiceError> {
    Ok(store.rubrics()?)
}

/// One version of a rubric (`None`: the current one).
pub fn rubric(
    store: &dyn Storage,
    name: &str,
    version: Option<i64>,
) -> Result<RubricRow, ServiceError> {
    store.rubric(name, version)?.ok_or_else(|| {
        ServiceError::NotFound(match version {
            Some(v) => format!("no version {v} of the rubric '{name}'"),
            None => format!("no rubric '{name}'; define one with `metas qa rubric set {name} FILE.toml` (docs/qa.md)"),
        })
    })
}

/// The saved versions of a rubric, newest first.
pub fn rubric_versions(
    store: &dyn Storage,
    name: &str,
) -> Result<Vec<RubricVersionRow>, ServiceError> {
    Ok(store.rubric_versions(name)?)
}

/// A stored rubric as a checked one (to check ratings against). A rubric an
/// import defined on a scale metas does not offer cannot be scored here.
pub fn checked(row: &RubricRow) -> Result<Rubric, ServiceError> {
    let spec = RubricSpec {
        description: row.description.clone(),
        criteria: row
            .criteria
            .iter()
            .map(|c| metas_domain::qa::CriterionSpec {
                key: c.key.clone(),
                label: c.label.clone(),
                description: c.description.clone(),
                scale: Some(
                    metas_domain::qa::Scale::from_bounds(c.scale_min, c.scale_max)
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_else(|| format!("{}-{}", c.scale_min, c.scale_max)),
                ),
                weight: Some(c.weight),
                critical: c.critical,
                na_allowed: c.na_allowed,
                standard: c.standard,
            })
            .collect(),
    };
    Rubric::from_spec(&row.name, &spec).map_err(|e| {
        ServiceError::Input(format!(
            "the rubric '{}' cannot be scored in metas ({e}); set it again with `metas qa rubric set {} FILE.toml`",
            row.name, row.name
        ))
    })
}

/// The scope a review or an interaction is about.
fn agent_scope(agent: Option<&str>, team: Option<&str>) -> Scope {
    match agent {
        Some(a) => Scope::Agent {
            name: a.to_string(),
            team: team.map(str::to_string),
        },
        None => Scope::Organisation,
    }
}

/// An interaction the user may review (`Coach` on its agent); one they
/// may not even see is `NotFound`.
pub fn interaction_to_review(
    store: &dyn Storage,
    user: &User,
    id: i64,
) -> Result<ReviewableInteraction, ServiceError> {
    let not_found = || ServiceError::NotFound(format!("no interaction {id}"));
    let i = store.reviewable_interaction(id)?.ok_or_else(not_found)?;
    let scope = agent_scope(i.agent.as_deref(), i.team.as_deref());
    if !may(user, Action::See, &scope) {
        return Err(not_found());
    }
    if i.agent.is_none() {
        return Err(ServiceError::Input(format!(
            "interaction {id} has no agent, so there is no one to review"
        )));
    }
    require(user, Action::Coach, &scope)?;
    Ok(i)
}

/// The id of an interaction named by its source and its id there, if the
/// user may see it.
pub fn interaction_by_key(
    store: &dyn Storage,
    user: &User,
    source: &str,
    external_id: &str,
) -> Result<i64, ServiceError> {
    let not_found =
        || ServiceError::NotFound(format!("no interaction {external_id} from {source}"));
    let id = store
        .interaction_id_by_key(source, external_id)?
        .ok_or_else(not_found)?;
    let i = store.reviewable_interaction(id)?.ok_or_else(not_found)?;
    if !may(
        user,
        Action::See,
        &agent_scope(i.agent.as_deref(), i.team.as_deref()),
    ) {
        return Err(not_found());
    }
    Ok(id)
}

/// A review as a reviewer enters it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewInput {
    pub interaction_id: i64,
    /// The rubric to score on; `None`: the only one there is.
    pub rubric: Option<String>,
    /// Each criterion's rating; `None` = not applicable.
    pub ratings: BTreeMap<String, Option<f64>>,
    /// A comment per criterion.
    pub comments: BTreeMap<String, String>,
    pub comment: Option<String>,
}

/// What is wrong with a review entered: the ratings' problems (for a form
/// to show beside each criterion), or another error.
#[derive(Debug)]
pub enum EnterError {
    Ratings(Vec<RatingError>),
    Other(ServiceError),
}

impl From<ServiceError> for EnterError {
    fn from(e: ServiceError) -> Self {
        EnterError::Other(e)
    }
}

impl From<EnterError> for ServiceError {
    fn from(e: EnterError) -> Self {
        match e {
            EnterError::Other(e) => e,
            EnterError::Ratings(errors) => ServiceError::Input(
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        }
    }
}

/// The rubric a review is entered on: the one named, else the only one.
pub fn rubric_for_entry(
    store: &dyn Storage,
    name: Option<&str>,
) -> Result<RubricRow, ServiceError> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => rubric(store, n, None),
        None => {
            let mut all = store.rubrics()?;
            match all.len() {
                1 => Ok(all.remove(0)),
                0 => Err(ServiceError::Input(
                    "there is no rubric yet; define one with `metas qa rubric set NAME FILE.toml` (docs/qa.md)".into(),
                )),
                _ => Err(ServiceError::Input(format!(
                    "say which rubric to score on: {}",
                    all.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
    }
}

/// Enters a review: every criterion rated on its scale, or N/A where the
/// criterion allows it. Returns the review's id.
pub fn enter_review(
    store: &mut dyn Storage,
    user: &User,
    input: &ReviewInput,
    now: Timestamp,
) -> Result<i64, EnterError> {
    interaction_to_review(store, user, input.interaction_id)?;
    let row = rubric_for_entry(store, input.rubric.as_deref())?;
    let checked = checked(&row)?;
    let errors = check_ratings(&checked, &input.ratings);
    if !errors.is_empty() {
        return Err(EnterError::Ratings(errors));
    }
    let text = |t: Option<&String>| t.map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
    let review = NewQaReview {
        interaction_id: input.interaction_id,
        rubric: row.name.clone(),
        rubric_version: row.version,
        reviewer: user.login.clone(),
        reviewed_at: now,
        comment: text(input.comment.as_ref()),
        ratings: checked
            .criteria()
            .iter()
            .map(|c| QaRatingRow {
                criterion: c.key().to_string(),
                rating: input.ratings.get(c.key()).copied().flatten(),
                comment: text(input.comments.get(c.key())),
            })
            .collect(),
    };
    Ok(store.add_qa_review(&review).map_err(ServiceError::from)?)
}

/// One rating of a review, scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredRating {
    pub criterion: String,
    pub label: String,
    pub rating: Option<f64>,
    pub scale_min: f64,
    pub scale_max: f64,
    pub weight: f64,
    pub critical: bool,
    pub standard: Option<f64>,
    /// 0–100; `None` when not applicable.
    pub score: Option<f64>,
    /// A critical criterion below its standard: the review scores 0.
    pub failed: bool,
    pub comment: Option<String>,
}

/// A review with its score (docs/qa.md "The score").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredReview {
    #[serde(flatten)]
    pub review: QaReviewRow,
    /// 0–100; `None` when every criterion was N/A.
    pub score: Option<f64>,
    pub failed_critical: bool,
    pub criteria: Vec<ScoredRating>,
}

fn score_review(review: QaReviewRow, rubric: Option<&RubricRow>) -> ScoredReview {
    let mut criteria = Vec::with_capacity(review.ratings.len());
    let mut pairs = Vec::with_capacity(review.ratings.len());
    for r in &review.ratings {
        let Some(c) = rubric.and_then(|k| k.criteria.iter().find(|c| c.key == r.criterion)) else {
            continue;
        };
        let rule = c.rule();
        pairs.push((rule, r.rating));
        criteria.push(ScoredRating {
            criterion: c.key.clone(),
            label: c.label_or_key().to_string(),
            rating: r.rating,
            scale_min: c.scale_min,
            scale_max: c.scale_max,
            weight: c.weight,
            critical: c.critical,
            standard: c.standard,
            score: r.rating.and_then(|v| criterion_score(&rule, v)),
            failed: r.rating.is_some_and(|v| failed_critical(&rule, v)),
            comment: r.comment.clone(),
        });
    }
    ScoredReview {
        score: review_score(&pairs),
        failed_critical: criteria.iter().any(|c| c.failed),
        criteria,
        review,
    }
}

/// Scores reviews, reading each rubric version once.
fn score_all(
    store: &dyn Storage,
    reviews: Vec<QaReviewRow>,
) -> Result<Vec<ScoredReview>, ServiceError> {
    let mut rubrics: HashMap<(String, i64), Option<RubricRow>> = HashMap::new();
    let mut out = Vec::with_capacity(reviews.len());
    for r in reviews {
        let key = (r.rubric.clone(), r.rubric_version);
        if !rubrics.contains_key(&key) {
            let row = store.rubric(&key.0, Some(key.1))?;
            rubrics.insert(key.clone(), row);
        }
        out.push(score_review(r, rubrics.get(&key).and_then(Option::as_ref)));
    }
    Ok(out)
}

fn may_see(user: &User, r: &QaReviewRow) -> bool {
    may(
        user,
        Action::See,
        &agent_scope(r.agent.as_deref(), r.team.as_deref()),
    )
}

/// Narrows a filter to what the user may see: an agent their own reviews, a
/// lead their team's. `None`: the user may see none.
fn narrowed(user: &User, mut filter: QaReviewFilter) -> Option<QaReviewFilter> {
    match user.role {
        Role::Admin | Role::Manager => {}
        Role::Lead => filter.team = Some(user.team.clone()?),
        Role::Agent => {
            let own = user.agent.clone()?;
            if filter.agent.as_ref().is_some_and(|a| *a != own) {
                return None;
            }
            filter.agent = Some(own);
        }
    }
    Some(filter)
}

/// Reviews the user may see, newest first, scored.
pub fn reviews(
    store: &dyn Storage,
    user: &User,
    filter: QaReviewFilter,
) -> Result<Vec<ScoredReview>, ServiceError> {
    let Some(filter) = narrowed(user, filter) else {
        return Ok(Vec::new());
    };
    let rows: Vec<QaReviewRow> = store
        .qa_reviews(&filter)?
        .into_iter()
        .filter(|r| may_see(user, r))
        .collect();
    score_all(store, rows)
}

/// One review; `NotFound` when it does not exist or is not the user's to see.
pub fn review(store: &dyn Storage, user: &User, id: i64) -> Result<ScoredReview, ServiceError> {
    let row = store
        .qa_review(id)?
        .filter(|r| may_see(user, r))
        .ok_or_else(|| ServiceError::NotFound(format!("no QA review {id}")))?;
    score_all(store, vec![row])?
        .pop()
        .ok_or_else(|| ServiceError::NotFound(format!("no QA review {id}")))
}

/// The interactions to review in the week of `as_of`: for a lead their
/// team's agents, for managers and administrators everyone's. Agents have
/// no queue (they never review).
pub fn queue(
    store: &dyn Storage,
    user: &User,
    as_of: Date,
    per_agent: Option<usize>,
) -> Result<Vec<QueueRow>, ServiceError> {
    let team = match user.role {
        Role::Admin | Role::Manager => None,
        Role::Lead => {
            let team = user.team.clone().ok_or(ServiceError::Forbidden)?;
            require(user, Action::Coach, &Scope::Team(team.clone()))?;
            Some(team)
        }
        Role::Agent => return Err(ServiceError::Forbidden),
    };
    let settings = store.settings()?;
    Ok(store.qa_queue(&QueueQuery {
        as_of,
        per_agent: per_agent.unwrap_or(settings.qa_sample_per_agent as usize),
        low_csat: low_csat_share(&settings),
        team,
        agent: None,
    })?)
}

/// One criterion's quality for an agent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionQuality {
    pub criterion: String,
    pub label: String,
    /// Mean criterion score (0–100) over the reviews that rated it.
    pub score: Option<f64>,
    pub rated: u64,
    /// Reviews in which it was marked not applicable.
    pub not_applicable: u64,
}

/// An agent's internal quality score over a period (docs/qa.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentQuality {
    pub agent: String,
    pub reviews: u64,
    /// The mean of the reviews' scores (the `qa_score` KPI).
    pub score: Option<f64>,
    /// Reviews that failed a critical criterion.
    pub failed_critical: u64,
    pub criteria: Vec<CriterionQuality>,
}

/// Quality per agent and criterion over the reviews the user may see.
pub fn quality(
    store: &dyn Storage,
    user: &User,
    filter: QaReviewFilter,
) -> Result<Vec<AgentQuality>, ServiceError> {
    let scored = reviews(store, user, filter)?;
    let mut by_agent: BTreeMap<String, Vec<&ScoredReview>> = BTreeMap::new();
    for r in &scored {
        by_agent
            .entry(r.review.agent.clone().unwrap_or_default())
            .or_default()
            .push(r);
    }
    Ok(by_agent
        .into_iter()
        .map(|(agent, list)| {
            let scores: Vec<f64> = list.iter().filter_map(|r| r.score).collect();
            let mut criteria: Vec<CriterionQuality> = Vec::new();
            let mut sums: Vec<f64> = Vec::new();
            for r in &list {
                for c in &r.criteria {
                    let at = match criteria.iter().position(|q| q.criterion == c.criterion) {
                        Some(at) => at,
                        None => {
                            criteria.push(CriterionQuality {
                                criterion: c.criterion.clone(),
                                label: c.label.clone(),
                                score: None,
                                rated: 0,
                                not_applicable: 0,
                            });
                            sums.push(0.0);
                            criteria.len() - 1
                        }
                    };
                    match c.score {
                        Some(s) => {
                            criteria[at].rated += 1;
                            sums[at] += s;
                        }
                        None => criteria[at].not_applicable += 1,
                    }
                }
            }
            for (q, sum) in criteria.iter_mut().zip(sums) {
                q.score = (q.rated > 0).then(|| sum / q.rated as f64);
            }
            AgentQuality {
                agent,
                reviews: list.len() as u64,
                score: (!scores.is_empty())
                    .then(|| scores.iter().sum::<f64>() / scores.len() as f64),
                failed_critical: list.iter().filter(|r| r.failed_critical).count() as u64,
                criteria,
            }
        })
        .collect())
}

/// The example rubric the demo saves (examples/qa/service_quality.toml).
pub const DEMO_RUBRIC_FILE: &str = include_str!("../../../examples/qa/service_quality.toml");

#[cfg(test)]
mod tests {
    use super::*;

    /// The example file is the demo's rubric: same criteria, scales,
    /// weights, critical flags and standards.
    #[test]
    fn the_example_is_the_demo_rubric() {
        let file = parse_rubric("service_quality", DEMO_RUBRIC_FILE, "example").unwrap();
        let demo = crate::demo::rubric();
        assert_eq!(file.name(), demo.name);
        let got: Vec<_> = file
            .criteria()
            .iter()
            .map(|c| {
                (
                    c.key().to_string(),
                    c.scale().min(),
                    c.scale().max(),
                    c.weight(),
                    c.critical(),
                    c.standard(),
                )
            })
            .collect();
        let want: Vec<_> = demo
            .criteria
            .iter()
            .map(|c| {
                (
                    c.name.clone(),
                    c.scale_min,
                    c.scale_max,
                    c.weight,
                    c.critical,
                    c.standard,
                )
            })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn the_example_rubric_parses_and_lines_are_found() {
        let r = parse_rubric("service_quality", DEMO_RUBRIC_FILE, "service_quality.toml").unwrap();
        assert_eq!(r.criteria().len(), 5);
        let bad = DEMO_RUBRIC_FILE.replace("weight = 1.5", "weight = 0");
        let e = parse_rubric("service_quality", &bad, "f.toml")
            .unwrap_err()
            .to_string();
        let line = bad.lines().position(|l| l == "weight = 0").unwrap() + 1;
        assert_eq!(
            e,
            format!("f.toml line {line}: criteria[4].weight: must be a number above 0, not 0")
        );
        let e = parse_rubric(
            "x",
            "[[criteria]]\nkey = \"a\"\nscale = \"1-9\"\n",
            "g.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("g.toml line 3: criteria[1].scale:"), "{e}");
        let e = parse_rubric("x", "[[criteria]]\nkye = \"a\"\n", "h.toml")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("h.toml line ") && e.contains("unknown field `kye`"),
            "{e}"
        );
    }
}
