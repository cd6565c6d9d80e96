//! The Quality pages (`/quality…`, docs/qa.md): the week's queue of
//! interactions to review (leads, managers), the review form, reviews and
//! quality by agent within the user's scope (an agent sees their own), and
//! the rubrics with their editor (administrators and managers). The forms
//! call the same service functions as `metas qa …` and `/api/v1/qa`.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use metas_domain::qa::RatingError;
use metas_service::access::{self, Action, Scope};
use metas_service::qa::{EnterError, ReviewInput, ScoredReview};
use metas_service::users::Role;
use metas_store::{QaReviewFilter, QueueRow, RubricRow};
use serde::Deserialize;

use super::*;
use crate::auth::{Nav, PageUser};
use crate::i18n::Tr;
use crate::{ApiError, AppState};

/// Reviews a list shows.
const SHOWN_REVIEWS: usize = 100;

fn day(tr: &Tr, t: Option<Timestamp>) -> String {
    t.map(|t| tr.date(t.to_zoned(TimeZone::UTC).date()))
        .unwrap_or_default()
}

fn score(tr: &Tr, v: Option<f64>) -> String {
    v.map(|v| tr.num(&format!("{v:.1}")))
        .unwrap_or_else(|| "—".into())
}

fn number(tr: &Tr, v: f64) -> String {
    tr.num(&format!("{v}"))
}

/// One review as a row of a list.
struct ReviewLine {
    id: i64,
    day: String,
    agent: String,
    reviewer: String,
    rubric: String,
    score: String,
    failed: bool,
}

fn review_line(tr: &Tr, r: &ScoredReview) -> ReviewLine {
    ReviewLine {
        id: r.review.id,
        day: day(tr, r.review.reviewed_at),
        agent: r.review.agent.clone().unwrap_or_default(),
        reviewer: r.review.reviewer.clone().unwrap_or_default(),
        rubric: tr.t2(
            "quality-rubric-version",
            "name",
            &r.review.rubric,
            "version",
            r.review.rubric_version,
        ),
        score: score(tr, r.score),
        failed: r.failed_critical,
    }
}

struct QueueLine {
    id: i64,
    created: String,
    agent: String,
    team: String,
    channel: String,
    reason: String,
}

fn queue_line(tr: &Tr, q: &QueueRow) -> QueueLine {
    let i = &q.interaction;
    QueueLine {
        id: i.id,
        created: day(tr, i.created_at),
        agent: i.agent.clone().unwrap_or_default(),
        team: i.team.clone().unwrap_or_default(),
        channel: i.channel.clone().unwrap_or_default(),
        reason: tr.t(&format!("quality-reason-{}", q.reason.as_str())),
    }
}

struct AgentLine {
    agent: String,
    reviews: String,
    score: String,
    criteria: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "quality/quality.html")]
struct QualityPage {
    tr: Tr,
    nav: Nav,
    is_agent: bool,
    queue: Option<Vec<QueueLine>>,
    queue_intro: String,
    reviews: Vec<ReviewLine>,
    agents: Vec<AgentLine>,
    criteria_labels: Vec<String>,
    from: String,
    to: String,
}

#[derive(Deserialize, Default)]
pub struct QualityParams {
    #[serde(default)]
    as_of: String,
    /// The period quality by agent covers (days reviewed, UTC).
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// The queue (leads, managers), the reviews and quality by agent.
pub async fn page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Query(p): Query<QualityParams>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let as_of = nonempty(&p.as_of)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .unwrap_or_else(|| (state.settings.today)());
    let is_agent = u.role == Role::Agent;
    let period = |s: &str| nonempty(s).and_then(|d| d.parse::<jiff::civil::Date>().ok());
    let (from, to) = (period(&p.from), period(&p.to));
    let (queue, reviews, quality, sample) = state
        .with_store(move |store| {
            let sample = metas_store::ConfigStore::settings(&*store)?.qa_sample_per_agent;
            let queue = if is_agent {
                None
            } else {
                match metas_service::qa::queue(store, &u, as_of, None) {
                    Ok(q) => Some(q),
                    Err(metas_service::ServiceError::Forbidden) => None,
                    Err(e) => return Err(e),
                }
            };
            let reviews = metas_service::qa::reviews(
                store,
                &u,
                QaReviewFilter {
                    limit: Some(SHOWN_REVIEWS),
                    ..QaReviewFilter::default()
                },
            )?;
            let quality = metas_service::qa::quality(
                store,
                &u,
                QaReviewFilter {
                    since: from,
                    until: to,
                    ..QaReviewFilter::default()
                },
            )?;
            Ok((queue, reviews, quality, sample))
        })
        .await?;
    let mut criteria_labels: Vec<(String, String)> = Vec::new();
    for a in &quality {
        for c in &a.criteria {
            if !criteria_labels.iter().any(|(k, _)| *k == c.criterion) {
                criteria_labels.push((c.criterion.clone(), c.label.clone()));
            }
        }
    }
    let agents = quality
        .iter()
        .map(|a| AgentLine {
            agent: a.agent.clone(),
            reviews: tr.count(a.reviews),
            score: score(&tr, a.score),
            criteria: criteria_labels
                .iter()
                .map(|(k, _)| {
                    let c = a.criteria.iter().find(|c| c.criterion == *k);
                    (k.clone(), score(&tr, c.and_then(|c| c.score)))
                })
                .collect(),
        })
        .collect();
    render(&QualityPage {
        tr,
        nav: user.nav(),
        is_agent,
        queue_intro: tr.t2(
            "quality-queue-intro",
            "week",
            tr.date(metas_store::week_start(as_of)),
            "sample",
            sample,
        ),
        queue: queue.map(|q| q.iter().map(|r| queue_line(&tr, r)).collect()),
        reviews: reviews.iter().map(|r| review_line(&tr, r)).collect(),
        agents,
        criteria_labels: criteria_labels.into_iter().map(|(_, l)| l).collect(),
        from: from.map(|d| d.to_string()).unwrap_or_default(),
        to: to.map(|d| d.to_string()).unwrap_or_default(),
    })
}

#[derive(Template)]
#[template(path = "quality/reviews.html")]
struct ReviewsPage {
    tr: Tr,
    nav: Nav,
    reviews: Vec<ReviewLine>,
}

#[derive(Deserialize, Default)]
pub struct ReviewsParams {
    #[serde(default)]
    agent: String,
}

/// Reviews within the user's scope, newest first.
pub async fn reviews_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Query(p): Query<ReviewsParams>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let rows = state
        .with_store(move |store| {
            metas_service::qa::reviews(
                store,
                &u,
                QaReviewFilter {
                    agent: nonempty(&p.agent),
                    limit: Some(SHOWN_REVIEWS * 5),
                    ..QaReviewFilter::default()
                },
            )
        })
        .await?;
    render(&ReviewsPage {
        tr,
        nav: user.nav(),
        reviews: rows.iter().map(|r| review_line(&tr, r)).collect(),
    })
}

struct CriterionLine {
    label: String,
    meta: String,
    rating: String,
    score: String,
    failed: bool,
    comment: String,
}

#[derive(Template)]
#[template(path = "quality/review.html")]
struct ReviewPage {
    tr: Tr,
    nav: Nav,
    title: String,
    line: ReviewLine,
    interaction: String,
    comment: String,
    criteria: Vec<CriterionLine>,
    message: Option<String>,
}

fn meta(tr: &Tr, min: f64, max: f64, weight: f64, critical: bool, standard: Option<f64>) -> String {
    let mut parts = vec![
        tr.t2(
            "quality-scale",
            "min",
            number(tr, min),
            "max",
            number(tr, max),
        ),
        tr.t1("quality-weight", "value", number(tr, weight)),
    ];
    if let Some(s) = standard {
        parts.push(tr.t1("quality-standard", "value", number(tr, s)));
    }
    if critical {
        parts.push(tr.t("quality-critical"));
    }
    parts.join(" · ")
}

#[derive(Deserialize, Default)]
pub struct ReviewParams {
    #[serde(default)]
    saved: String,
}

/// One review: each criterion's rating, score and comment. Another agent's
/// review is 404, as if it did not exist.
pub async fn review_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Query(p): Query<ReviewParams>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let r = state
        .with_store(move |store| metas_service::qa::review(store, &u, id))
        .await?;
    let criteria = r
        .criteria
        .iter()
        .map(|c| CriterionLine {
            label: c.label.clone(),
            meta: meta(
                &tr,
                c.scale_min,
                c.scale_max,
                c.weight,
                c.critical,
                c.standard,
            ),
            rating: c
                .rating
                .map(|v| number(&tr, v))
                .unwrap_or_else(|| tr.t("quality-na")),
            score: score(&tr, c.score),
            failed: c.failed,
            comment: c.comment.clone().unwrap_or_default(),
        })
        .collect();
    render(&ReviewPage {
        tr,
        nav: user.nav(),
        title: tr.t1("quality-review-detail", "id", id),
        interaction: r
            .review
            .interaction_external_id
            .clone()
            .or(r.review.interaction_id.map(|i| i.to_string()))
            .unwrap_or_default(),
        comment: r.review.comment.clone().unwrap_or_default(),
        message: (!p.saved.is_empty())
            .then(|| tr.t1("quality-review-saved", "score", score(&tr, r.score))),
        line: review_line(&tr, &r),
        criteria,
    })
}

struct FormCriterion {
    key: String,
    label: String,
    description: String,
    meta: String,
    /// (value, checked)
    points: Vec<(i64, bool)>,
    na_allowed: bool,
    na_checked: bool,
    comment: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "quality/review_form.html")]
struct ReviewFormPage {
    tr: Tr,
    nav: Nav,
    id: i64,
    title: String,
    about: String,
    rubric: String,
    rubric_title: String,
    criteria: Vec<FormCriterion>,
    comment: String,
    errors: Vec<String>,
}

fn rating_error(tr: &Tr, e: &RatingError, label: &str) -> String {
    match e {
        RatingError::Missing { .. } => tr.t1("quality-error-missing", "criterion", label),
        RatingError::Unknown { .. } => tr.t1("quality-error-unknown", "criterion", label),
        RatingError::NotApplicableRefused { .. } => tr.t1("quality-error-na", "criterion", label),
        RatingError::OffScale {
            rating, min, max, ..
        } => tr.args(
            "quality-error-off-scale",
            &[
                ("criterion", label.to_string()),
                ("rating", number(tr, *rating)),
                ("min", number(tr, *min)),
                ("max", number(tr, *max)),
            ],
        ),
    }
}

fn error_key(e: &RatingError) -> &str {
    match e {
        RatingError::Missing { key }
        | RatingError::Unknown { key }
        | RatingError::NotApplicableRefused { key }
        | RatingError::OffScale { key, .. } => key,
    }
}

/// What a reviewer sent, as the form shows it again.
#[derive(Default)]
struct Sent {
    ratings: BTreeMap<String, String>,
    comments: BTreeMap<String, String>,
    comment: String,
}

async fn form_page(
    state: &Arc<AppState>,
    user: &PageUser,
    id: i64,
    sent: Sent,
    errors: Vec<RatingError>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let (interaction, rubric) = state
        .with_store(move |store| {
            let i = metas_service::qa::interaction_to_review(store, &u, id)?;
            let r = metas_service::qa::rubric_for_entry(store, None)?;
            Ok((i, r))
        })
        .await?;
    let criteria: Vec<FormCriterion> = rubric
        .criteria
        .iter()
        .map(|c| {
            let chosen = sent.ratings.get(&c.key).map(String::as_str).unwrap_or("");
            FormCriterion {
                key: c.key.clone(),
                label: c.label_or_key().to_string(),
                description: c.description.clone().unwrap_or_default(),
                meta: meta(
                    &tr,
                    c.scale_min,
                    c.scale_max,
                    c.weight,
                    c.critical,
                    c.standard,
                ),
                points: (c.scale_min as i64..=c.scale_max as i64)
                    .map(|v| (v, chosen == v.to_string()))
                    .collect(),
                na_allowed: c.na_allowed,
                na_checked: chosen == "na",
                comment: sent.comments.get(&c.key).cloned().unwrap_or_default(),
                error: errors
                    .iter()
                    .find(|e| error_key(e) == c.key)
                    .map(|e| rating_error(&tr, e, c.label_or_key())),
            }
        })
        .collect();
    let label_of = |key: &str| {
        rubric
            .criteria
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.label_or_key().to_string())
            .unwrap_or_else(|| key.to_string())
    };
    let page = ReviewFormPage {
        tr,
        nav: user.nav(),
        id,
        title: tr.t1(
            "quality-review-title",
            "id",
            interaction
                .external_id
                .clone()
                .unwrap_or_else(|| id.to_string()),
        ),
        about: tr.args(
            "quality-review-of",
            &[
                ("agent", interaction.agent.clone().unwrap_or_default()),
                ("channel", interaction.channel.clone().unwrap_or_default()),
                ("created", day(&tr, interaction.created_at)),
            ],
        ),
        rubric_title: tr.t2(
            "quality-rubric-version",
            "name",
            &rubric.name,
            "version",
            rubric.version,
        ),
        rubric: rubric.name.clone(),
        errors: errors
            .iter()
            .map(|e| rating_error(&tr, e, &label_of(error_key(e))))
            .collect(),
        criteria,
        comment: sent.comment,
    };
    render_with(status, &page)
}

/// The scoring form for one interaction.
pub async fn review_form(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    form_page(
        &state,
        &user,
        id,
        Sent::default(),
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// Saves a review; a rating missing, off its scale or N/A where not
/// allowed brings the form back with the reason beside the criterion.
pub async fn save_review(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let csrf = fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    user.check_csrf(csrf)?;
    let mut sent = Sent::default();
    let mut input = ReviewInput {
        interaction_id: id,
        ..ReviewInput::default()
    };
    for (k, v) in &fields {
        if let Some(key) = k.strip_prefix("rating.") {
            sent.ratings.insert(key.to_string(), v.clone());
            let value = match v.as_str() {
                "na" => None,
                other => Some(other.trim().parse::<f64>().unwrap_or(f64::NAN)),
            };
            input.ratings.insert(key.to_string(), value);
        } else if let Some(key) = k.strip_prefix("comment.") {
            sent.comments.insert(key.to_string(), v.clone());
            input.comments.insert(key.to_string(), v.clone());
        } else if k == "comment" {
            sent.comment = v.clone();
            input.comment = Some(v.clone());
        } else if k == "rubric" {
            input.rubric = nonempty(v);
        }
    }
    let u = user.user().clone();
    let now = (state.settings.now)();
    let saved = state
        .with_store(
            move |store| match metas_service::qa::enter_review(store, &u, &input, now) {
                Ok(id) => Ok(Ok(id)),
                Err(EnterError::Ratings(errors)) => Ok(Err(errors)),
                Err(EnterError::Other(e)) => Err(e),
            },
        )
        .await?;
    match saved {
        Ok(review) => {
            Ok(Redirect::to(&format!("/quality/reviews/{review}?saved=1")).into_response())
        }
        Err(errors) => form_page(&state, &user, id, sent, errors, StatusCode::BAD_REQUEST).await,
    }
}

#[derive(Deserialize)]
pub struct ByKey {
    source: String,
    external_id: String,
}

/// The review form of an interaction named by its source and id there (the
/// drill-down's rows).
pub async fn review_by_key(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Query(k): Query<ByKey>,
) -> Result<Response, ApiError> {
    let u = user.user().clone();
    let id = state
        .with_store(move |store| {
            metas_service::qa::interaction_by_key(store, &u, &k.source, &k.external_id)
        })
        .await?;
    Ok(Redirect::to(&format!("/quality/interactions/{id}/review")).into_response())
}

struct RubricLine {
    name: String,
    title: String,
    description: String,
    criteria: Vec<(String, String)>,
}

fn rubric_line(tr: &Tr, r: &RubricRow) -> RubricLine {
    RubricLine {
        name: r.name.clone(),
        title: tr.t2(
            "quality-rubric-version",
            "name",
            &r.name,
            "version",
            r.version,
        ),
        description: r.description.clone().unwrap_or_default(),
        criteria: r
            .criteria
            .iter()
            .map(|c| {
                (
                    c.label_or_key().to_string(),
                    meta(
                        tr,
                        c.scale_min,
                        c.scale_max,
                        c.weight,
                        c.critical,
                        c.standard,
                    ),
                )
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "quality/rubrics.html")]
struct RubricsPage {
    tr: Tr,
    nav: Nav,
    rubrics: Vec<RubricLine>,
    /// The editor: name, text, versions, message, error.
    editor: Option<Editor>,
}

struct Editor {
    name: String,
    toml: String,
    versions: Vec<String>,
    message: Option<String>,
    error: Option<String>,
    fixed_name: bool,
}

/// The rubrics, each with its criteria; the editor for a new one.
pub async fn rubrics_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    rubrics_view(&state, &user, None, None).await
}

async fn rubrics_view(
    state: &Arc<AppState>,
    user: &PageUser,
    editor: Option<Editor>,
    only: Option<String>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let can_edit = access::may(user.user(), Action::ManageRubrics, &Scope::Organisation);
    let rows = state
        .with_store(|store| metas_service::qa::rubrics(store))
        .await?;
    let rows: Vec<&RubricRow> = rows
        .iter()
        .filter(|r| only.as_ref().is_none_or(|n| *n == r.name))
        .collect();
    let editor = match editor {
        Some(e) => Some(e),
        None if can_edit && only.is_none() => Some(Editor {
            name: String::new(),
            toml: String::new(),
            versions: Vec::new(),
            message: None,
            error: None,
            fixed_name: false,
        }),
        None => None,
    };
    let status = if editor.as_ref().is_some_and(|e| e.error.is_some()) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render_with(
        status,
        &RubricsPage {
            tr,
            nav: user.nav(),
            rubrics: rows.iter().map(|r| rubric_line(&tr, r)).collect(),
            editor: editor.filter(|_| can_edit),
        },
    )
}

async fn editor_for(
    state: &Arc<AppState>,
    tr: &Tr,
    name: &str,
) -> Result<(String, Vec<String>), ApiError> {
    let n = name.to_string();
    let (row, versions) = state
        .with_store(move |store| {
            let row = metas_service::qa::rubric(store, &n, None)?;
            let versions = metas_service::qa::rubric_versions(store, &n)?;
            Ok((row, versions))
        })
        .await?;
    let lines = versions
        .iter()
        .map(|v| {
            tr.args(
                "quality-rubric-version-line",
                &[
                    ("version", v.version.to_string()),
                    ("at", day(tr, Some(v.saved_at))),
                    ("who", v.saved_by.clone()),
                ],
            )
        })
        .collect();
    Ok((metas_service::qa::stored_text(&row), lines))
}

/// One rubric and, for those who may, its editor with the saved versions.
pub async fn rubric_page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let (toml, versions) = editor_for(&state, &user.tr, &name).await?;
    let editor = Editor {
        name: name.clone(),
        toml,
        versions,
        message: None,
        error: None,
        fixed_name: true,
    };
    rubrics_view(&state, &user, Some(editor), Some(name)).await
}

#[derive(Deserialize)]
pub struct RubricForm {
    csrf: String,
    name: String,
    toml: String,
}

/// Saves a rubric from the editor; a refused file comes back with the
/// service's sentence (file, line and field).
pub async fn save_rubric(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<RubricForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    access::require(user.user(), Action::ManageRubrics, &Scope::Organisation)?;
    let tr = user.tr;
    let name = f.name.trim().to_string();
    let text = f.toml.replace("\r\n", "\n");
    let u = user.user().clone();
    let now = (state.settings.now)();
    let (n, t) = (name.clone(), text.clone());
    let saved = state
        .with_store(move |store| {
            let label = format!("{}.toml", if n.is_empty() { "rubric" } else { &n });
            let rubric = metas_service::qa::parse_rubric(&n, &t, &label)?;
            metas_service::qa::save_rubric(store, &u, &rubric, &t, now)
        })
        .await;
    match saved {
        Ok(s) => {
            let (toml, versions) = editor_for(&state, &tr, &name).await?;
            let id = if s.changed {
                "quality-rubric-saved"
            } else {
                "quality-rubric-unchanged"
            };
            let editor = Editor {
                message: Some(tr.t2(id, "name", &name, "version", s.version)),
                name: name.clone(),
                toml,
                versions,
                error: None,
                fixed_name: true,
            };
            rubrics_view(&state, &user, Some(editor), Some(name)).await
        }
        Err(ApiError::Invalid(m)) => {
            let editor = Editor {
                name: name.clone(),
                toml: text,
                versions: Vec::new(),
                message: None,
                error: Some(m),
                fixed_name: false,
            };
            rubrics_view(&state, &user, Some(editor), Some(name)).await
        }
        Err(e) => Err(e),
    }
}
