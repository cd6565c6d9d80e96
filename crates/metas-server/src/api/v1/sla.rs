//! `/api/v1/sla/…`: time-objective policies (list, save from TOML, retire,
//! versions) and the stages breached or at risk at a moment, narrowed to
//! the caller's data scope. Attainment itself is `GET /api/v1/kpi/sla_attainment`.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use metas_service::access::{self, Action, Scope};
use metas_store::{PolicyRow, StageFilter};
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};

use super::ErrorEnvelope;
use std::sync::Arc;

/// The most stages one call lists.
pub(crate) const MAX_LIMIT: usize = 100_000;
/// Stages listed when the call does not say (as `metas sla breaches`).
const DEFAULT_LIMIT: usize = 1000;

/// A policy row with the TOML that would save it again.
fn policy_json(row: &PolicyRow) -> serde_json::Value {
    let mut v = serde_json::to_value(row).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "toml".into(),
            metas_service::sla::policy_text(&row.spec).into(),
        );
    }
    v
}

/// The policies in force, in the order they are tried, each with its
/// current version and its text as TOML.
#[utoipa::path(get, path = "/api/v1/sla/policies", tag = "time objectives",
    responses((status = 200, description = "{\"policies\": [{name, version, spec, position, saved_at, saved_by, retired_at, toml}]}", body = Object),
              (status = 401, description = "No session or token", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn policies(
    State(state): State<Arc<AppState>>,
    _user: auth::ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let rows = state
        .with_store(|store| metas_service::sla::policies(store))
        .await?;
    let list: Vec<_> = rows.iter().map(policy_json).collect();
    Ok(Json(json!({ "policies": list })))
}

/// A policy as its TOML text: the file `metas sla policy set` reads.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct PolicyBody {
    /// The policy file, e.g. `order = 1\nwhere = "channel = 'chat'"\n[targets]\nacknowledge = "60s"`
    /// (docs/sla.md). A mistake is refused with its line and field.
    toml: String,
}

/// Saves a policy: a new version when the name exists (the previous one is
/// retired, never changed), then every interaction is judged again.
/// Administrators and managers.
#[utoipa::path(put, path = "/api/v1/sla/policies/{name}", tag = "time objectives",
    params(("name" = String, Path, description = "The policy's name: letters, digits, spaces, '-', '_', '.'")),
    request_body = PolicyBody,
    responses((status = 200, description = "{\"policy\": {…, toml}, \"version\": 2, \"judged\": {interactions, stages}}", body = Object),
              (status = 400, description = "The TOML or a field is wrong (the sentence names the line and field), or its calendar does not exist", body = ErrorEnvelope),
              (status = 403, description = "Not an administrator or a manager", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_policy(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(name): Path<String>,
    Json(b): Json<PolicyBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    access::require(&user.0, Action::ManageTimeObjectives, &Scope::Organisation)?;
    let who = user.0.login.clone();
    let now = (state.settings.now)();
    let (version, counts, row) = state
        .with_store(move |store| {
            let name = name.trim();
            let policy = metas_service::sla::parse_policy(name, &b.toml, &format!("{name}.toml"))?;
            let (version, counts) = metas_service::sla::save_policy(store, &policy, &who, now)?;
            let row = metas_service::sla::policy_history(store, policy.name())?
                .into_iter()
                .find(|r| r.version == version);
            Ok((version, counts, row))
        })
        .await?;
    Ok(Json(json!({
        "policy": row.as_ref().map(policy_json),
        "version": version,
        "judged": counts,
    })))
}

/// Retires a policy: its stages leave the figures, its versions stay.
/// Administrators and managers.
#[utoipa::path(delete, path = "/api/v1/sla/policies/{name}", tag = "time objectives",
    params(("name" = String, Path, description = "The policy's name")),
    responses((status = 200, description = "{\"retired\": name, \"judged\": {interactions, stages}}", body = Object),
              (status = 403, description = "Not an administrator or a manager", body = ErrorEnvelope),
              (status = 404, description = "No policy in force by that name", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn delete_policy(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    access::require(&user.0, Action::ManageTimeObjectives, &Scope::Organisation)?;
    let now = (state.settings.now)();
    let n = name.clone();
    let counts = state
        .with_store(move |store| metas_service::sla::delete_policy(store, n.trim(), now))
        .await?;
    Ok(Json(json!({ "retired": name.trim(), "judged": counts })))
}

/// Every version of a policy, oldest first, with when and by whom each was
/// saved and retired.
#[utoipa::path(get, path = "/api/v1/sla/policies/{name}/versions", tag = "time objectives",
    params(("name" = String, Path, description = "The policy's name")),
    responses((status = 200, description = "{\"name\": …, \"versions\": [{name, version, spec, position, saved_at, saved_by, retired_at, toml}]}", body = Object),
              (status = 404, description = "No policy by that name", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn policy_versions(
    State(state): State<Arc<AppState>>,
    _user: auth::ApiUser,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let n = name.clone();
    let rows = state
        .with_store(move |store| metas_service::sla::policy_history(store, n.trim()))
        .await?;
    let list: Vec<_> = rows.iter().map(policy_json).collect();
    Ok(Json(json!({ "name": name.trim(), "versions": list })))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StageParams {
    /// A segment: `channel = 'chat' and team = 'Billing'`.
    #[serde(rename = "where")]
    #[param(rename = "where")]
    segment: Option<String>,
    /// The moment open stages are judged at: an instant
    /// (2026-03-02T10:00:00Z) or a date (its first instant, UTC); default now.
    as_of: Option<String>,
    /// At most this many (default 1000, at most 100000).
    limit: Option<usize>,
    /// json (default) or csv (the columns of `metas sla breaches --format csv`).
    format: Option<String>,
}

/// The stages `wanted` at `as_of` within the caller's scope, as JSON
/// (`{"as_of", "stages"}`, the rows of `metas sla breaches --format json`)
/// or CSV.
async fn stage_list(
    state: Arc<AppState>,
    user: auth::ApiUser,
    p: StageParams,
    wanted: StageFilter,
    file_name: &str,
) -> Result<Response, ApiError> {
    let csv = match p.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => {
            return Err(ApiError::Invalid(format!(
                "format '{other}' is not json or csv"
            )))
        }
    };
    let as_of = metas_service::sla::parse_as_of(p.as_of.as_deref(), (state.settings.now)())?;
    let segment = metas_service::kpi::parse_segment(p.segment.as_deref())?;
    let scope = auth::narrow(segment, &user.0);
    let limit = p.limit.unwrap_or(DEFAULT_LIMIT).min(MAX_LIMIT);
    let rows = state
        .with_store(move |store| {
            metas_service::sla::stages(store, wanted, as_of, scope.as_ref(), limit)
        })
        .await?;
    if csv {
        return crate::pages::csv_response(&metas_service::sla::stage_csv(&rows), file_name);
    }
    Ok(Json(json!({ "as_of": as_of, "stages": rows })).into_response())
}

/// The stages breached at `as_of` (done late, or open past their due
/// instant), the most recent first, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/sla/breaches", tag = "time objectives",
    params(StageParams),
    responses((status = 200, description = "{\"as_of\": …, \"stages\": [{interaction_id, external_id, source, channel, agent, team, priority, policy, policy_version, stage, state, started_at, stopped_at, due_at, elapsed_secs, target_secs}]} (or CSV with format=csv)", body = Object),
              (status = 400, description = "A bad parameter or segment, or no policy defined", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn breaches(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(p): Query<StageParams>,
) -> Result<Response, ApiError> {
    stage_list(state, user, p, StageFilter::Breached, "breaches.csv").await
}

/// The open stages at risk at `as_of` (past their warning share, not yet
/// breached), the least time left first, within the caller's scope.
#[utoipa::path(get, path = "/api/v1/sla/at-risk", tag = "time objectives",
    params(StageParams),
    responses((status = 200, description = "{\"as_of\": …, \"stages\": […]} as for breaches; due_at minus as_of is the time left", body = Object),
              (status = 400, description = "A bad parameter or segment, or no policy defined", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn at_risk(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(p): Query<StageParams>,
) -> Result<Response, ApiError> {
    stage_list(state, user, p, StageFilter::AtRisk, "at-risk.csv").await
}
