//! `/api/v1/goals` and `/api/v1/reviews`: goals checked, saved, tracked, updated, reviewed.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};

use super::{date_param, AsOf, ErrorEnvelope};
use std::sync::Arc;

/// The goals the user may see.
#[utoipa::path(get, path = "/api/v1/goals", tag = "goals",
    responses((status = 200, description = "The goals", body = Object),
              (status = 401, description = "No session or token", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn goals(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = user.0;
    let list = state
        .with_store(move |store| metas_service::goal::visible_goals(store, &user))
        .await?;
    Ok(Json(json!({ "goals": list })))
}

/// A goal tracked: progress, forecast, milestones, check-ins, history (404
/// when the user may not see it, so its existence is not revealed).
#[utoipa::path(get, path = "/api/v1/goals/{id}", tag = "goals",
    params(("id" = i64, Path, description = "The goal's id"), AsOf),
    responses((status = 200, description = "The goal tracked", body = Object),
              (status = 404, description = "No such goal, or not visible to the user", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn goal(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<AsOf>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = user.0;
    let as_of = date_param(&p.as_of, "as_of")?.unwrap_or_else(|| (state.settings.today)());
    let tracking = state
        .with_store(move |store| metas_service::goal::track_visible(store, id, as_of, &user))
        .await?;
    Ok(Json(
        serde_json::to_value(tracking).map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

/// A new goal, as the form and `metas goal add` take it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct GoalBody {
    /// A KPI id (csat, aht, fcr…).
    metric: String,
    /// org, team:NAME or agent:NAME.
    owner: String,
    /// A segment the goal is about.
    #[serde(default, rename = "where")]
    segment: Option<String>,
    /// An absolute target (0.9 or 90 % for a rate).
    #[serde(default)]
    to: Option<String>,
    /// A relative target: 25% or 5pp, signed to fix the direction.
    #[serde(default)]
    by: Option<String>,
    /// "end of fiscal year", "20 November", "in the next two months", a date…
    deadline: String,
    /// YYYY-MM-DD (default today).
    #[serde(default)]
    start: Option<String>,
    #[serde(default)]
    parent: Option<i64>,
    #[serde(default)]
    stretch: Option<String>,
    #[serde(default)]
    customer_words: Option<String>,
    /// Only check it (the SMART checks and the baseline); nothing is saved.
    #[serde(default)]
    check_only: bool,
    /// Save even over the focus limit.
    #[serde(default)]
    force: bool,
    #[serde(default)]
    draft: bool,
}

/// Checks a goal (`check_only`) or saves it: the baseline, the target, the
/// SMART checks with their numbers, and the goal's id once saved.
#[utoipa::path(post, path = "/api/v1/goals", tag = "goals",
    request_body = GoalBody,
    responses((status = 200, description = "The plan (and its id when saved)", body = Object),
              (status = 400, description = "A field cannot be read", body = ErrorEnvelope),
              (status = 409, description = "Refused (over the focus limit…)", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_goal(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Json(b): Json<GoalBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let u = user.0;
    let req = metas_service::goal::GoalRequest {
        metric: b.metric,
        owner: b.owner.trim().to_string(),
        segment: b.segment,
        to: b.to,
        by: b.by,
        deadline: b.deadline,
        start: date_param(&b.start, "start")?,
        parent: b.parent,
        stretch: b.stretch,
        customer_words: b.customer_words,
        force: b.force,
        draft: b.draft,
        as_of: (state.settings.today)(),
        who: u.login.clone(),
        ..Default::default()
    };
    let save = !b.check_only;
    let now = (state.settings.now)();
    let doc = state
        .with_store(move |store| {
            let (id, plan) = metas_service::goal::check_or_add(store, &req, save, now, &u)?;
            Ok(plan.to_json(id))
        })
        .await?;
    Ok(Json(doc))
}

/// A check-in, a commitment or a review of one goal.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GoalUpdate {
    Checkin {
        comment: String,
        /// 0–1.
        #[serde(default)]
        confidence: Option<f64>,
    },
    Commit,
    Review {
        /// keep, revise or retire.
        decision: String,
        #[serde(default)]
        notes: String,
        /// Required when the goal was missed.
        #[serde(default)]
        blocked_by: Option<String>,
        #[serde(default)]
        new_practice: Option<String>,
    },
}

/// Records a check-in, the owner's commitment or a review; answers with the
/// goal tracked (404 when the user may not see it).
#[utoipa::path(post, path = "/api/v1/goals/{id}/updates", tag = "goals",
    params(("id" = i64, Path, description = "The goal's id")),
    request_body = GoalUpdate,
    responses((status = 200, description = "The goal tracked after the update", body = Object),
              (status = 400, description = "A field cannot be read", body = ErrorEnvelope),
              (status = 404, description = "No such goal, or not visible to the user", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn update_goal(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
    Json(update): Json<GoalUpdate>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let u = user.0;
    let today = (state.settings.today)();
    let now = (state.settings.now)();
    let change = match update {
        GoalUpdate::Checkin {
            comment,
            confidence,
        } => metas_service::goal::GoalUpdate::Checkin {
            comment,
            confidence,
        },
        GoalUpdate::Commit => metas_service::goal::GoalUpdate::Commit,
        GoalUpdate::Review {
            decision,
            notes,
            blocked_by,
            new_practice,
        } => metas_service::goal::GoalUpdate::Review(metas_service::goal::ReviewRequest {
            on: today,
            decision,
            notes,
            blocked_by,
            new_practice,
        }),
    };
    let tracked = state
        .with_store(move |store| {
            metas_service::goal::update(store, id, change, today, now, &u)?;
            metas_service::goal::track_visible(store, id, today, &u)
        })
        .await?;
    Ok(Json(
        serde_json::to_value(tracked).map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

/// The reviews due and overdue over the goals the user may see.
#[utoipa::path(get, path = "/api/v1/reviews", tag = "goals",
    responses((status = 200, description = "due and overdue, by goal", body = Object)),
    security(("bearer" = []), ("session" = [])))]
pub async fn reviews(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let u = user.0;
    let today = (state.settings.today)();
    let agenda = state
        .with_store(move |store| metas_service::goal::review_list_visible(store, today, &u))
        .await?;
    Ok(Json(
        serde_json::to_value(agenda).map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}
