//! `/api/v1/agents/{agent}/plans`, `/api/v1/plans/{id}` and its sessions,
//! `/api/v1/coaching/sessions`: coaching plans and sessions
//! (docs/coaching.md). An agent sees their own, a lead their team's, a
//! manager everyone's; another agent's plan is not found (404).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use metas_service::coaching::{NewExample, NewPlan};
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};

use super::ErrorEnvelope;

/// A new action plan: the parts of `metas coach plan AGENT --create`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PlanBody {
    /// The QA criterion (the behaviour), e.g. `concern`.
    criterion: String,
    /// The expected level on the criterion's scale, e.g. 3.
    expected_level: f64,
    /// How long the plan runs: `2w`, `14d`, `1m`, `two weeks`.
    time_frame: String,
    /// The rubric, when several have the criterion.
    #[serde(default)]
    rubric: Option<String>,
    /// The objective in plain words.
    #[serde(default)]
    objective: Option<String>,
    /// Interactions to cite: `{"interaction_id": "D-0000123", "quote": "…"}`.
    #[serde(default)]
    examples: Vec<ExampleBody>,
    /// KPI ids expected to follow, e.g. `["csat", "repeat_contact_rate"]`.
    #[serde(default)]
    metrics_expected: Vec<String>,
    /// Session dates (YYYY-MM-DD); none: weekly until the deadline.
    #[serde(default)]
    sessions: Vec<String>,
    /// `weekly` or `biweekly`, when no dates are given.
    #[serde(default)]
    rhythm: Option<String>,
    /// The first day (default: today).
    #[serde(default)]
    starts_on: Option<String>,
}

/// An example the plan cites.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ExampleBody {
    interaction_id: String,
    #[serde(default)]
    quote: Option<String>,
}

/// A session record.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SessionBody {
    /// What was discussed and agreed.
    notes: String,
    /// The day it was held (default: today).
    #[serde(default)]
    held_on: Option<String>,
}

fn date(raw: &str, field: &str) -> Result<jiff::civil::Date, ApiError> {
    raw.trim().parse().map_err(|_| {
        ApiError::from(metas_service::ServiceError::Input(format!(
            "{field}: '{raw}' is not a date (YYYY-MM-DD)"
        )))
    })
}

/// An agent's plans, newest first, and the current one.
#[utoipa::path(get, path = "/api/v1/agents/{agent}/plans", tag = "coaching",
    params(("agent" = String, Path, description = "The agent, as the data names them")),
    responses((status = 200, description = "{\"agent\", \"as_of\", \"current\": plan|null, \"plans\": [{id, agent, goal_id, rubric, criterion, expected_level, scale_min, scale_max, objective, starts_on, due_on, metrics_expected, examples, sessions: [{id, scheduled_on, held_at, notes, progress_value, progress_n, acknowledged_at, state}], goal_state, progress: {value, n}, current}]}", body = Object),
              (status = 404, description = "No such agent in the caller's scope", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn plans(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(agent): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let today = (state.settings.today)();
    let who = agent.clone();
    let plans = state
        .with_store(move |store| metas_service::coaching::plans_of_as(store, &user.0, &who, today))
        .await?;
    let current = plans.iter().find(|p| p.current).or(plans.first());
    Ok(Json(json!({
        "agent": agent,
        "as_of": today.to_string(),
        "current": current,
        "plans": plans,
    })))
}

/// Creates an action plan and the agent-level goal that tracks it (both or
/// neither). The agent's lead, managers and administrators.
#[utoipa::path(post, path = "/api/v1/agents/{agent}/plans", tag = "coaching",
    params(("agent" = String, Path, description = "The agent, as the data names them")),
    request_body = PlanBody,
    responses((status = 200, description = "The plan, as GET /api/v1/plans/{id}", body = Object),
              (status = 400, description = "A part cannot be read (level outside the scale, time frame, example, metric)", body = ErrorEnvelope),
              (status = 403, description = "The caller may see the agent but not coach them", body = ErrorEnvelope),
              (status = 404, description = "No such agent in the caller's scope", body = ErrorEnvelope),
              (status = 409, description = "The goal service refused the goal", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_plan(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(agent): Path<String>,
    Json(b): Json<PlanBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let today = (state.settings.today)();
    let now = (state.settings.now)();
    let new = NewPlan {
        agent,
        rubric: b.rubric,
        criterion: b.criterion,
        expected_level: b.expected_level,
        time_frame: b.time_frame,
        objective: b.objective,
        examples: b
            .examples
            .into_iter()
            .map(|e| NewExample {
                interaction_id: e.interaction_id,
                quote: e.quote,
            })
            .collect(),
        metrics_expected: b.metrics_expected,
        sessions: b
            .sessions
            .iter()
            .map(|d| date(d, "sessions"))
            .collect::<Result<_, _>>()?,
        rhythm: b.rhythm,
        starts_on: b
            .starts_on
            .as_deref()
            .map(|d| date(d, "starts_on"))
            .transpose()?,
    };
    let view = state
        .with_store(move |store| {
            let id = metas_service::coaching::create_as(store, &user.0, &new, today, now)?;
            metas_service::coaching::plan_as(store, &user.0, id, today)
        })
        .await?;
    Ok(Json(serde_json::to_value(view).unwrap_or_default()))
}

/// One plan with its sessions' states and its goal's progress.
#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "coaching",
    params(("id" = i64, Path, description = "The plan's number")),
    responses((status = 200, description = "The plan", body = Object),
              (status = 404, description = "No such plan in the caller's scope", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn plan(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let today = (state.settings.today)();
    let view = state
        .with_store(move |store| metas_service::coaching::plan_as(store, &user.0, id, today))
        .await?;
    Ok(Json(serde_json::to_value(view).unwrap_or_default()))
}

/// Records a session as held: the notes and the agent's progress then
/// (the criterion's mean rating from the plan's start, with n).
#[utoipa::path(post, path = "/api/v1/plans/{id}/sessions/{session}", tag = "coaching",
    params(("id" = i64, Path, description = "The plan's number"),
           ("session" = i64, Path, description = "The session's number within the plan")),
    request_body = SessionBody,
    responses((status = 200, description = "The session: {id, plan_id, scheduled_on, held_at, notes, progress_value, progress_n, recorded_by, acknowledged_at, state}", body = Object),
              (status = 400, description = "No notes, or a bad date", body = ErrorEnvelope),
              (status = 403, description = "The caller may see the plan but not coach (the agent)", body = ErrorEnvelope),
              (status = 404, description = "No such plan or session in the caller's scope", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn record_session(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path((id, session)): Path<(i64, i64)>,
    Json(b): Json<SessionBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let today = (state.settings.today)();
    let now = (state.settings.now)();
    let held = match b.held_on.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => date(d, "held_on")?,
        None => today,
    };
    let view = state
        .with_store(move |store| {
            metas_service::coaching::record_as(store, &user.0, id, session, &b.notes, held, now)
        })
        .await?;
    Ok(Json(serde_json::to_value(view).unwrap_or_default()))
}

/// The agent acknowledges a held session of their own plan.
#[utoipa::path(post, path = "/api/v1/plans/{id}/sessions/{session}/acknowledge", tag = "coaching",
    params(("id" = i64, Path, description = "The plan's number"),
           ("session" = i64, Path, description = "The session's number within the plan")),
    responses((status = 200, description = "{\"acknowledged\": true}", body = Object),
              (status = 403, description = "Not the plan's agent", body = ErrorEnvelope),
              (status = 404, description = "No such plan in the caller's scope", body = ErrorEnvelope),
              (status = 409, description = "The session has not been held yet", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn acknowledge(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path((id, session)): Path<(i64, i64)>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    state
        .with_store(move |store| {
            metas_service::coaching::acknowledge_as(store, &user.0, id, session, now)
        })
        .await?;
    Ok(Json(json!({ "acknowledged": true })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SessionsQuery {
    /// The day the states are judged on (default: today).
    as_of: Option<String>,
}

/// Coaching sessions still to hold in the caller's scope: overdue (oldest
/// first), then due today and upcoming.
#[utoipa::path(get, path = "/api/v1/coaching/sessions", tag = "coaching",
    params(SessionsQuery),
    responses((status = 200, description = "{\"as_of\", \"overdue\": [{plan_id, session_id, agent, criterion, scheduled_on, state}], \"upcoming\": […]}", body = Object)),
    security(("bearer" = []), ("session" = [])))]
pub async fn sessions(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(q): Query<SessionsQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let today = match q.as_of.as_deref().filter(|d| !d.trim().is_empty()) {
        Some(d) => date(d, "as_of")?,
        None => (state.settings.today)(),
    };
    let list = state
        .with_store(move |store| metas_service::coaching::sessions_as(store, &user.0, today))
        .await?;
    Ok(Json(serde_json::to_value(list).unwrap_or_default()))
}
