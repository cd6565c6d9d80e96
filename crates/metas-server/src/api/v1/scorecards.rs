//! `/api/v1/agents/{agent}/scorecard` and `/api/v1/teams/{team}/scorecards`:
//! an agent's four months against the standard and the team, struggles,
//! overlaps, focus behaviour and evidence (docs/scorecard.md), as
//! `metas scorecard --format json` writes them. An agent or team the caller
//! may not see is a 404, like one that does not exist.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;

use crate::{auth, ApiError, AppState};

use super::ErrorEnvelope;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AsOf {
    /// The last day counted (YYYY-MM-DD; default today).
    as_of: Option<String>,
}

/// An agent's scorecard: the current month and the three before it, each
/// metric with n and its 95 % interval, against the standard and the team;
/// struggles and overlaps beyond the noise; the focus behaviour with the
/// figures behind it and the runner-up; evidence from the agent's own
/// interactions of the last three months.
#[utoipa::path(get, path = "/api/v1/agents/{agent}/scorecard", tag = "scorecards",
    params(("agent" = String, Path, description = "The agent as the data names them"), AsOf),
    responses((status = 200, description = "{agent, team, as_of, months: [{start, end, current, active}], lines: [{measure, key, family, better, standard, months: [{value, n, low, high}], period, team_months, team_period, changes, vs_standard, vs_team, trend}], struggles, overlaps, focus: {rubric, criterion, standard, scale_min, scale_max, level, weak_metrics, chosen, runner_up} | null, evidence: [{kind, interaction_id, interaction_external_id, source, at, rating, survey_kind, score, scale_max, comment, reviewer}]}", body = Object),
              (status = 400, description = "as_of is not a date", body = ErrorEnvelope),
              (status = 404, description = "No such agent in the data the caller may see", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn agent(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(agent): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Json<metas_service::scorecard::Analysis>, ApiError> {
    let as_of = super::date_param(&q.as_of, "as_of")?.unwrap_or_else(|| (state.settings.today)());
    let analysis = state
        .with_store(move |store| metas_service::scorecard::analyse(store, &user.0, &agent, as_of))
        .await?;
    Ok(Json(analysis))
}

/// The scorecards of a team's agents (without evidence: each agent's own
/// scorecard has it).
#[utoipa::path(get, path = "/api/v1/teams/{team}/scorecards", tag = "scorecards",
    params(("team" = String, Path, description = "The team"), AsOf),
    responses((status = 200, description = "{\"scorecards\": [the agent scorecard, one per agent]}", body = Object),
              (status = 400, description = "as_of is not a date", body = ErrorEnvelope),
              (status = 404, description = "No such team in the data the caller may see", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn team(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(team): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let as_of = super::date_param(&q.as_of, "as_of")?.unwrap_or_else(|| (state.settings.today)());
    let list = state
        .with_store(move |store| metas_service::scorecard::team(store, &user.0, &team, as_of))
        .await?;
    Ok(Json(serde_json::json!({ "scorecards": list })))
}
