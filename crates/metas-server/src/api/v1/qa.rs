//! `/api/v1/qa/…`: QA rubrics (list, show a version, save from TOML), the
//! queue of interactions to review, and reviews (list, show, enter),
//! narrowed to what the caller may see: an agent their own reviews, a lead
//! their team's, a manager everyone's; another agent's review is 404.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use jiff::civil::Date;
use metas_service::qa::ReviewInput;
use metas_service::ServiceError;
use metas_store::{QaReviewFilter, RubricRow};
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};

use super::ErrorEnvelope;

/// The most reviews one call lists.
const MAX_LIMIT: usize = 10_000;

fn rubric_json(row: &RubricRow) -> serde_json::Value {
    let mut v = serde_json::to_value(row).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert("toml".into(), metas_service::qa::stored_text(row).into());
    }
    v
}

/// A day given as a parameter; sent empty, it is not given.
fn date(raw: Option<&str>, field: &str) -> Result<Option<Date>, ServiceError> {
    raw.filter(|d| !d.trim().is_empty())
        .map(|d| {
            d.parse::<Date>().map_err(|e| {
                ServiceError::Input(format!("{field}: '{d}' is not a date (YYYY-MM-DD): {e}"))
            })
        })
        .transpose()
}

/// Every rubric in its current version, with its criteria and its file.
#[utoipa::path(get, path = "/api/v1/qa/rubrics", tag = "quality",
    responses((status = 200, description = "{\"rubrics\": [{name, description, version, current_version, criteria: [{key, label, description, scale_min, scale_max, weight, critical, na_allowed, standard}], saved_at, saved_by, toml}]}", body = Object),
              (status = 401, description = "No session or token", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn rubrics(
    State(state): State<Arc<AppState>>,
    _user: auth::ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let rows = state
        .with_store(|store| metas_service::qa::rubrics(store))
        .await?;
    let list: Vec<_> = rows.iter().map(rubric_json).collect();
    Ok(Json(json!({ "rubrics": list })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RubricParams {
    /// A saved version (default: the current one).
    version: Option<i64>,
}

/// One rubric (a version of it), with its saved versions.
#[utoipa::path(get, path = "/api/v1/qa/rubrics/{name}", tag = "quality",
    params(("name" = String, Path, description = "The rubric's name"), RubricParams),
    responses((status = 200, description = "{\"rubric\": {…, toml}, \"versions\": [{version, saved_at, saved_by}]}", body = Object),
              (status = 404, description = "No rubric, or no such version", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn rubric(
    State(state): State<Arc<AppState>>,
    _user: auth::ApiUser,
    Path(name): Path<String>,
    Query(p): Query<RubricParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (row, versions) = state
        .with_store(move |store| {
            let row = metas_service::qa::rubric(store, name.trim(), p.version)?;
            let versions = metas_service::qa::rubric_versions(store, &row.name)?;
            Ok((row, versions))
        })
        .await?;
    Ok(Json(
        json!({ "rubric": rubric_json(&row), "versions": versions }),
    ))
}

/// A rubric as its TOML text: the file `metas qa rubric set` reads.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RubricBody {
    /// The rubric file (docs/qa.md), e.g. `[[criteria]]\nkey = "tone"\nscale = "1-5"\nstandard = 3`.
    /// A mistake is refused with its line and field.
    toml: String,
}

/// Saves a rubric: a new version, unless it changes nothing (reviews keep
/// the version they were scored on). Administrators and managers.
#[utoipa::path(put, path = "/api/v1/qa/rubrics/{name}", tag = "quality",
    params(("name" = String, Path, description = "The rubric's name: letters, digits, '_', '-', '.'")),
    request_body = RubricBody,
    responses((status = 200, description = "{\"rubric\": {…, toml}, \"version\": 2, \"changed\": true}", body = Object),
              (status = 400, description = "The TOML or a field is wrong (the sentence names the line and field)", body = ErrorEnvelope),
              (status = 403, description = "Not an administrator or a manager", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_rubric(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(name): Path<String>,
    Json(b): Json<RubricBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let (saved, row) = state
        .with_store(move |store| {
            let name = name.trim();
            let rubric = metas_service::qa::parse_rubric(name, &b.toml, &format!("{name}.toml"))?;
            let saved = metas_service::qa::save_rubric(store, &user.0, &rubric, &b.toml, now)?;
            let row = metas_service::qa::rubric(store, rubric.name(), Some(saved.version))?;
            Ok((saved, row))
        })
        .await?;
    Ok(Json(json!({
        "rubric": rubric_json(&row),
        "version": saved.version,
        "changed": saved.changed,
    })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// Any day of the week to draw from (YYYY-MM-DD; default: today).
    as_of: Option<String>,
    /// Interactions drawn at random per agent (default: the setting qa.sample_per_agent, 3 unless changed).
    sample: Option<usize>,
}

/// The interactions to review in a week: each agent's unsatisfied
/// customers (satisfaction at or below the setting qa.low_csat, 2 on 1–5
/// unless changed) and a random sample per
/// agent fixed by the week, never one already reviewed. Leads see their
/// team's, managers everyone's; agents have no queue (403).
#[utoipa::path(get, path = "/api/v1/qa/queue", tag = "quality",
    params(QueueParams),
    responses((status = 200, description = "{\"week\": \"2026-11-30\", \"queue\": [{interaction: {id, source, external_id, agent, team, channel, topic, status, created_at, csat}, reason: \"low_csat\"|\"sample\"}]}", body = Object),
              (status = 400, description = "A date that does not parse", body = ErrorEnvelope),
              (status = 403, description = "An agent", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn queue(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(p): Query<QueueParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let today = (state.settings.today)();
    let as_of = date(p.as_of.as_deref(), "as_of")?.unwrap_or(today);
    // Without `sample`, the organisation's `qa.sample_per_agent`.
    let sample = p.sample.map(|n| n.min(100));
    let rows = state
        .with_store(move |store| metas_service::qa::queue(store, &user.0, as_of, sample))
        .await?;
    Ok(Json(
        json!({ "week": metas_store::week_start(as_of), "queue": rows }),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewParams {
    /// Only this agent's reviews.
    agent: Option<String>,
    /// Only the reviews of this interaction.
    interaction: Option<i64>,
    /// Reviewed on or after this day (YYYY-MM-DD).
    since: Option<String>,
    /// Reviewed on or before this day (YYYY-MM-DD).
    until: Option<String>,
    /// At most this many (default 500).
    limit: Option<usize>,
}

/// Reviews the caller may see, newest first, each with its score (0–100,
/// docs/qa.md) and its criteria scored.
#[utoipa::path(get, path = "/api/v1/qa/reviews", tag = "quality",
    params(ReviewParams),
    responses((status = 200, description = "{\"reviews\": [{id, source, interaction_id, agent, team, reviewer, rubric, rubric_version, reviewed_at, comment, ratings, score, failed_critical, criteria: [{criterion, label, rating, score, failed, comment, …}]}]}", body = Object),
              (status = 400, description = "A date that does not parse", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn reviews(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(p): Query<ReviewParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let filter = QaReviewFilter {
        agent: p.agent.filter(|a| !a.trim().is_empty()),
        team: None,
        interaction_id: p.interaction,
        since: date(p.since.as_deref(), "since")?,
        until: date(p.until.as_deref(), "until")?,
        limit: Some(p.limit.unwrap_or(500).min(MAX_LIMIT)),
    };
    let rows = state
        .with_store(move |store| metas_service::qa::reviews(store, &user.0, filter))
        .await?;
    Ok(Json(json!({ "reviews": rows })))
}

/// One review; 404 when it does not exist or is not the caller's to see
/// (another agent's).
#[utoipa::path(get, path = "/api/v1/qa/reviews/{id}", tag = "quality",
    params(("id" = i64, Path, description = "The review's id")),
    responses((status = 200, description = "{\"review\": {…, score, criteria}}", body = Object),
              (status = 404, description = "No such review, or not yours to see", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn review(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let row = state
        .with_store(move |store| metas_service::qa::review(store, &user.0, id))
        .await?;
    Ok(Json(json!({ "review": row })))
}

/// A review to enter.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReviewBody {
    /// The interaction reviewed (its id, as the drill-down and the queue give it).
    interaction_id: i64,
    /// The rubric (default: the only one there is).
    rubric: Option<String>,
    /// Each criterion's rating on its scale, `null` for not applicable
    /// (where the criterion allows it), e.g. `{"concern": 4, "process": null}`.
    #[schema(value_type = Object)]
    ratings: BTreeMap<String, Option<f64>>,
    /// A comment per criterion.
    #[serde(default)]
    #[schema(value_type = Object)]
    comments: BTreeMap<String, String>,
    /// The overall comment.
    comment: Option<String>,
}

/// Enters a review, scored on the rubric's current version: the
/// interaction's agent's lead, managers and administrators.
#[utoipa::path(post, path = "/api/v1/qa/reviews", tag = "quality",
    request_body = ReviewBody,
    responses((status = 201, description = "{\"review\": {…, score, criteria}}", body = Object),
              (status = 400, description = "A criterion not rated, off its scale, or N/A where not allowed (each named)", body = ErrorEnvelope),
              (status = 403, description = "Not the agent's lead, a manager or an administrator", body = ErrorEnvelope),
              (status = 404, description = "No such interaction, or not yours to see", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_review(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Json(b): Json<ReviewBody>,
) -> Result<(axum::http::StatusCode, Json<serde_json::Value>), ApiError> {
    let now = (state.settings.now)();
    let input = ReviewInput {
        interaction_id: b.interaction_id,
        rubric: b.rubric,
        ratings: b.ratings,
        comments: b.comments,
        comment: b.comment,
    };
    let row = state
        .with_store(move |store| {
            let id = metas_service::qa::enter_review(store, &user.0, &input, now)
                .map_err(ServiceError::from)?;
            metas_service::qa::review(store, &user.0, id)
        })
        .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(json!({ "review": row })),
    ))
}
