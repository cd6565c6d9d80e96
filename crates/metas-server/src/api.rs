//! The JSON API under `/api/v1`: thin adapters over the service layer, the
//! same functions the pages call. Every handler is described for the
//! OpenAPI document (`/api/v1/openapi.json`, built from these annotations).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::civil::Date;
use metas_service::kpi::{answer, KpiRequest};
use metas_store::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::{auth, ApiError, AppState};

/// The `/api/v1` routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/kpi/{id}", get(kpi))
        .route("/api/v1/goals", get(goals).post(create_goal))
        .route("/api/v1/goals/{id}", get(goal))
        .route("/api/v1/goals/{id}/updates", post(update_goal))
        .route("/api/v1/reviews", get(reviews))
        .route("/api/v1/settings", get(settings))
        .route("/api/v1/settings/{key}", axum::routing::put(put_setting))
        .route("/api/v1/tokens", get(tokens).post(create_token))
        .route("/api/v1/tokens/{id}", axum::routing::delete(revoke_token))
        .route("/api/v1/users", post(add_user))
        .route("/api/v1/interactions", get(interactions))
        .route(
            "/api/v1/ingest",
            post(ingest).layer(axum::extract::DefaultBodyLimit::max(
                crate::imports::MAX_UPLOAD_BYTES,
            )),
        )
        .route("/api/v1/openapi.json", get(openapi))
}

/// Every error: a stable machine-readable code and a sentence.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// unauthenticated, invalid_input, refused, not_found, forbidden, csrf,
    /// too_many_attempts or internal.
    code: String,
    /// A sentence in the request's language.
    message: String,
}

/// The OpenAPI 3.1 document of this API.
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(crate::openapi::document())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IngestParams {
    /// A preset (generic, zendesk, freshdesk) or an example mapping
    /// (pwc-call-center, teresgeo-tickets, kaggle-support-tickets); default
    /// generic: objects whose keys are the canonical field names.
    mapping: Option<String>,
    /// The source name (default: the mapping's).
    source: Option<String>,
}

/// Ingests NDJSON (one JSON object per line) as one transaction; rows that
/// cannot be read are rejected with their line, field and reason, the others
/// land. Administrators and managers only.
#[utoipa::path(post, path = "/api/v1/ingest", tag = "imports",
    params(IngestParams),
    request_body(content = String, content_type = "application/x-ndjson",
        description = "One JSON object per line"),
    responses((status = 200, description = "Every row landed: the import report (SPEC §9.1)", body = Object),
              (status = 422, description = "Some rows were rejected (listed); the others landed", body = Object),
              (status = 400, description = "The body or mapping cannot be used; nothing was written", body = ErrorEnvelope),
              (status = 403, description = "The user's role may not import", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn ingest(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(p): Query<IngestParams>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    if !auth::may_import(&user.0) {
        return Err(ApiError::Forbidden);
    }
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ApiError::Invalid(
            "the body is empty: send NDJSON, one object per line".into(),
        ));
    }
    let choice = crate::imports::mapping_choice(p.mapping.as_deref().unwrap_or("generic"))?;
    let report =
        crate::imports::import_bytes(&state, body.to_vec(), "ingest.ndjson", choice, p.source)
            .await?;
    let status = if report.rejected > 0 {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let doc = serde_json::to_value(&report).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Json(doc)).into_response())
}

/// The user the request stands for (session or API token).
#[utoipa::path(get, path = "/api/v1/me", tag = "users",
    responses((status = 200, description = "The user, their role and data scope", body = Object),
              (status = 401, description = "No session or token", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn me(user: auth::ApiUser) -> Json<serde_json::Value> {
    Json(json!({ "user": user.0 }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KpiParams {
    /// A dimension to group by (channel, team, agent, priority, topic, customer.ATTR…).
    by: Option<String>,
    /// day, week, month, quarter, year or fiscal_year.
    grain: Option<String>,
    /// First day (YYYY-MM-DD).
    from: Option<String>,
    /// Last day (YYYY-MM-DD).
    to: Option<String>,
    /// A segment: `channel = 'email' and customer.age between 55 and 70`.
    #[serde(rename = "where")]
    #[param(rename = "where")]
    segment: Option<String>,
    /// mean, median or p90 (durations).
    stat: Option<String>,
    /// calendar or business (durations).
    time: Option<String>,
    /// Add the previous period of the same length.
    #[serde(default)]
    compare: bool,
}

fn date_param(raw: &Option<String>, name: &str) -> Result<Option<Date>, ApiError> {
    raw.as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Date>()
                .map_err(|_| ApiError::Invalid(format!("{name} '{s}' is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

/// A KPI by dimensions and grain, with n and a 95 % interval on every value,
/// narrowed to the user's scope (the JSON of `metas kpi --format json`).
#[utoipa::path(get, path = "/api/v1/kpi/{id}", tag = "kpis",
    params(("id" = String, Path, description = "A KPI id: csat, nps, fcr, aht, frt, …"), KpiParams),
    responses((status = 200, description = "The figures, definition and settings used", body = Object),
              (status = 400, description = "A bad parameter or segment", body = ErrorEnvelope),
              (status = 401, description = "No session or token", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn kpi(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<String>,
    Query(p): Query<KpiParams>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let req = KpiRequest {
        kpi: id,
        by: p.by.into_iter().collect(),
        grain: p.grain,
        from: date_param(&p.from, "from")?,
        to: date_param(&p.to, "to")?,
        segment: p.segment,
        stat: p.stat,
        time: p.time,
        compare: p.compare,
    };
    let mut parsed = req.parse()?;
    parsed.segment = auth::narrow(parsed.segment, &user.0);
    let doc = state
        .with_store(move |store| Ok(answer(store, &parsed)?.to_json()))
        .await?;
    Ok(Json(doc))
}

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
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no goal {id}")))?;
    Ok(Json(
        serde_json::to_value(tracking).map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// Track as of this day (YYYY-MM-DD; default today).
    as_of: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DrillParams {
    /// Only the interactions in this KPI's sample.
    kpi: Option<String>,
    /// A segment, as for KPIs.
    #[serde(rename = "where")]
    #[param(rename = "where")]
    segment: Option<String>,
    from: Option<String>,
    to: Option<String>,
    /// At most this many (default 1000, at most 100000).
    limit: Option<u64>,
    /// json (default) or csv.
    format: Option<String>,
}

/// The interactions behind a number, with every derived metric, within the
/// user's scope.
#[utoipa::path(get, path = "/api/v1/interactions", tag = "kpis",
    params(DrillParams),
    responses((status = 200, description = "The interactions (JSON, or CSV with format=csv)", body = Object),
              (status = 400, description = "A bad parameter or segment", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn interactions(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(p): Query<DrillParams>,
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
    let req = metas_service::drill::DrillRequest {
        kpi: p.kpi,
        segment: p.segment,
        from: date_param(&p.from, "from")?,
        to: date_param(&p.to, "to")?,
        limit: Some(p.limit.unwrap_or(1000).min(100_000)),
        within: user.0.data_scope(),
    };
    let columns = metas_service::drill::columns();
    let rows = state
        .with_store(move |store| {
            let mut rows: Vec<Vec<metas_store::DimValue>> = Vec::new();
            metas_service::drill::drill(store, &req, |cells| {
                rows.push(cells.to_vec());
                Ok(())
            })?;
            Ok(rows)
        })
        .await?;
    if csv {
        let mut records = vec![columns];
        records.extend(
            rows.iter()
                .map(|r| r.iter().map(|v| v.as_text().unwrap_or_default()).collect()),
        );
        return crate::pages::csv_response(&records, "interactions.csv");
    }
    let list: Vec<serde_json::Map<String, serde_json::Value>> = rows
        .iter()
        .map(|r| {
            columns
                .iter()
                .cloned()
                .zip(
                    r.iter()
                        .map(|v| serde_json::to_value(v).unwrap_or_default()),
                )
                .collect()
        })
        .collect();
    Ok(Json(json!({ "columns": columns, "interactions": list })).into_response())
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
    let check_only = b.check_only;
    let doc = state
        .with_store(move |store| {
            if !metas_service::goal::owner_visible_to(store, &req.owner, &u)? {
                return Err(metas_service::ServiceError::Input(format!(
                    "you may not set goals for {}",
                    req.owner
                )));
            }
            if check_only {
                Ok(metas_service::goal::check(store, &req)?.to_json(None))
            } else {
                let (id, plan) = metas_service::goal::add(store, &req)?;
                Ok(plan.to_json(Some(id)))
            }
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
    let tracked = state
        .with_store(move |store| {
            let visible = match store.goal(id)? {
                Some(g) => metas_service::goal::visible_to(store, &g, &u)?,
                None => false,
            };
            if !visible {
                return Ok(None);
            }
            let who = u.login.clone();
            match update {
                GoalUpdate::Checkin {
                    comment,
                    confidence,
                } => metas_service::goal::checkin(store, id, today, &comment, confidence, &who)?,
                GoalUpdate::Commit => metas_service::goal::commit(store, id, today, &who)?,
                GoalUpdate::Review {
                    decision,
                    notes,
                    blocked_by,
                    new_practice,
                } => metas_service::goal::review(
                    store,
                    id,
                    &metas_service::goal::ReviewRequest {
                        on: today,
                        decision,
                        notes,
                        blocked_by,
                        new_practice,
                    },
                    &who,
                )?,
            }
            metas_service::goal::track_visible(store, id, today, &u)
        })
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no goal {id}")))?;
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
        .with_store(move |store| {
            let mut agenda = metas_service::goal::review_list(store, today)?;
            let visible: Vec<i64> = metas_service::goal::visible_goals(store, &u)?
                .iter()
                .map(|g| g.id)
                .collect();
            agenda.due.retain(|r| visible.contains(&r.goal));
            agenda.overdue.retain(|r| visible.contains(&r.goal));
            Ok(agenda)
        })
        .await?;
    Ok(Json(
        serde_json::to_value(agenda).map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

/// Every KPI setting with its value and default.
#[utoipa::path(get, path = "/api/v1/settings", tag = "settings",
    responses((status = 200, description = "The settings", body = Object)),
    security(("bearer" = []), ("session" = [])))]
pub async fn settings(
    State(state): State<Arc<AppState>>,
    _user: auth::ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let list = state
        .with_store(|store| metas_service::config::list_settings(store))
        .await?;
    Ok(Json(json!({ "settings": list })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SettingBody {
    /// The new value; null restores the default.
    value: Option<String>,
}

/// Changes one setting (administrators); every figure follows.
#[utoipa::path(put, path = "/api/v1/settings/{key}", tag = "settings",
    params(("key" = String, Path, description = "csat.threshold, fcr.window_days, fiscal_year.start_month…")),
    request_body = SettingBody,
    responses((status = 200, description = "The settings after the change", body = Object),
              (status = 400, description = "Not a setting, or not a value it takes", body = ErrorEnvelope),
              (status = 403, description = "Not an administrator", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_setting(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(key): Path<String>,
    Json(b): Json<SettingBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    auth::require_admin(&user.0)?;
    let list = state
        .with_store(move |store| {
            match b.value {
                Some(v) => metas_service::config::set_setting(store, &key, v.trim())?,
                None => metas_service::config::reset_setting(store, &key)?,
            }
            metas_service::config::list_settings(store)
        })
        .await?;
    Ok(Json(json!({ "settings": list })))
}

/// The caller's API tokens (an administrator's: everyone's).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "users",
    responses((status = 200, description = "id, name, login, revoked", body = Object)),
    security(("bearer" = []), ("session" = [])))]
pub async fn tokens(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let u = user.0;
    let list = state
        .with_store(move |store| {
            Ok(metas_service::users::tokens_visible_to(store, &u)?
                .into_iter()
                .map(|t| json!({ "id": t.id, "name": t.name, "login": t.login, "revoked": t.revoked }))
                .collect::<Vec<_>>())
        })
        .await?;
    Ok(Json(json!({ "tokens": list })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenBody {
    /// What the token is for.
    name: String,
}

/// Creates a token for the caller; the token is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "users",
    request_body = TokenBody,
    responses((status = 200, description = "{\"token\": \"mt_…\"}", body = Object),
              (status = 400, description = "No name", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn create_token(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Json(b): Json<TokenBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let login = user.0.login;
    let secret = auth::random_token();
    let token = state
        .with_store(move |store| {
            metas_service::users::create_token(store, &login, &b.name, &secret)
        })
        .await?;
    Ok(Json(json!({ "token": token })))
}

/// Revokes a token of the caller's (any, for an administrator).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "users",
    params(("id" = i64, Path, description = "The token's id (mt_ID_…)")),
    responses((status = 200, description = "Revoked", body = Object),
              (status = 404, description = "No such token of the caller's", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn revoke_token(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state.revoke_token(id, user.0).await?;
    Ok(Json(json!({ "revoked": id })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct UserBody {
    login: String,
    /// At least 10 characters.
    password: String,
    /// admin, manager, lead or agent.
    role: String,
    /// A lead's team.
    #[serde(default)]
    team: Option<String>,
    /// An agent user's name in the data.
    #[serde(default)]
    agent: Option<String>,
}

/// Adds a user (administrators).
#[utoipa::path(post, path = "/api/v1/users", tag = "users",
    request_body = UserBody,
    responses((status = 200, description = "The user", body = Object),
              (status = 400, description = "A field cannot be used", body = ErrorEnvelope),
              (status = 403, description = "Not an administrator", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn add_user(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Json(b): Json<UserBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    auth::require_admin(&user.0)?;
    let added = state
        .with_store(move |store| {
            let role = metas_service::users::Role::parse(&b.role)?;
            metas_service::users::add_user(
                store,
                &b.login,
                &b.password,
                role,
                b.team.as_deref(),
                b.agent.as_deref(),
            )
        })
        .await?;
    Ok(Json(json!({ "user": added })))
}
