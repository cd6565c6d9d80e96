//! The JSON API under `/api/v1`: thin adapters over the service layer, the
//! same functions the pages call. Every handler is described for the
//! OpenAPI document (`/api/v1/openapi.json`, built from these annotations).

use std::sync::Arc;

mod backup;
pub(crate) mod coaching;
pub mod contract;
mod goals;
mod indicators;
mod ingest;
mod kpis;
mod me;
pub mod openapi;
pub(crate) mod profiles;
pub(crate) mod qa;
mod scorecards;
mod settings;
pub(crate) mod sla;
mod staffing;
mod tokens;
mod users;

use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{ApiError, AppState};

/// The `/api/v1` routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/v1/me", get(me::me))
        .route("/api/v1/backup", get(backup::backup))
        .route("/api/v1/kpi/{id}", get(kpis::kpi))
        .route("/api/v1/goals", get(goals::goals).post(goals::create_goal))
        .route("/api/v1/goals/{id}", get(goals::goal))
        .route("/api/v1/goals/{id}/updates", post(goals::update_goal))
        .route("/api/v1/reviews", get(goals::reviews))
        .route("/api/v1/settings", get(settings::settings))
        .route(
            "/api/v1/settings/{key}",
            axum::routing::put(settings::put_setting),
        )
        .route(
            "/api/v1/tokens",
            get(tokens::tokens).post(tokens::create_token),
        )
        .route(
            "/api/v1/tokens/{id}",
            axum::routing::delete(tokens::revoke_token),
        )
        .route("/api/v1/users", post(users::add_user))
        .route("/api/v1/interactions", get(kpis::interactions))
        .route("/api/v1/sla/policies", get(sla::policies))
        .route(
            "/api/v1/sla/policies/{name}",
            axum::routing::put(sla::put_policy).delete(sla::delete_policy),
        )
        .route(
            "/api/v1/sla/policies/{name}/versions",
            get(sla::policy_versions),
        )
        .route("/api/v1/sla/breaches", get(sla::breaches))
        .route("/api/v1/sla/at-risk", get(sla::at_risk))
        .route("/api/v1/staffing", get(staffing::staffing))
        .route(
            "/api/v1/ingest",
            post(ingest::ingest).layer(axum::extract::DefaultBodyLimit::max(
                crate::pages::imports::MAX_UPLOAD_BYTES,
            )),
        )
        .route(
            "/api/v1/agents/{agent}/plans",
            get(coaching::plans).post(coaching::create_plan),
        )
        .route("/api/v1/plans/{id}", get(coaching::plan))
        .route(
            "/api/v1/plans/{id}/sessions/{session}",
            post(coaching::record_session),
        )
        .route(
            "/api/v1/plans/{id}/sessions/{session}/acknowledge",
            post(coaching::acknowledge),
        )
        .route("/api/v1/coaching/sessions", get(coaching::sessions))
        .route("/api/v1/qa/rubrics", get(qa::rubrics))
        .route(
            "/api/v1/qa/rubrics/{name}",
            get(qa::rubric).put(qa::put_rubric),
        )
        .route("/api/v1/qa/queue", get(qa::queue))
        .route(
            "/api/v1/qa/reviews",
            get(qa::reviews).post(qa::create_review),
        )
        .route("/api/v1/qa/reviews/{id}", get(qa::review))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/agents/{agent}/scorecard", get(scorecards::agent))
        .route("/api/v1/teams/{team}/scorecards", get(scorecards::team))
        .route("/api/v1/profiles", get(profiles::profiles))
        .route(
            "/api/v1/profiles/{name}",
            get(profiles::profile).put(profiles::put_profile),
        )
        .route(
            "/api/v1/profiles/{name}/comparison",
            get(profiles::comparison),
        )
        .route(
            "/api/v1/candidates",
            get(profiles::candidates).post(profiles::add_candidate),
        )
        .route(
            "/api/v1/candidates/{id}",
            get(profiles::candidate).delete(profiles::erase_candidate),
        )
        .route(
            "/api/v1/candidates/{id}/ratings",
            post(profiles::rate_candidate),
        )
        .route("/api/v1/candidates/{id}/reveal", post(profiles::reveal))
        .route("/api/v1/candidates/{id}/notes", post(profiles::add_note))
        .route("/api/v1/candidates/{id}/assessors", post(profiles::invite))
        .route("/api/v1/assessments", post(profiles::start_assessment))
        .route("/api/v1/assessments/{id}", get(profiles::assessment))
        .route(
            "/api/v1/agents/{agent}/assessments",
            get(profiles::agent_assessments),
        )
        .route(
            "/api/v1/assessments/{id}/ratings",
            post(profiles::rate_assessment),
        )
        .route(
            "/api/v1/assessments/{id}/plan",
            post(profiles::plan_from_gap),
        )
        .route("/api/v1/indicators", get(indicators::board))
        .route(
            "/api/v1/indicators/{kpi}",
            get(indicators::definition).put(indicators::put_definition),
        )
        .layer(axum::middleware::from_fn(enveloped))
}

/// Answers axum gives before a handler runs (a query string, path or JSON
/// body that does not parse, no content type, a body too large, an unknown
/// route or method) are plain text; the API answers every error in the
/// envelope. A body the server cannot read is a 400 whatever axum said
/// (415, 422), as every other input error is.
async fn enveloped(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() || is_json {
        return res;
    }
    let text = axum::body::to_bytes(res.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let (status, code) = match status {
        StatusCode::BAD_REQUEST
        | StatusCode::UNSUPPORTED_MEDIA_TYPE
        | StatusCode::UNPROCESSABLE_ENTITY => (StatusCode::BAD_REQUEST, "invalid_input"),
        StatusCode::PAYLOAD_TOO_LARGE => (status, "too_large"),
        StatusCode::NOT_FOUND => (status, "not_found"),
        StatusCode::METHOD_NOT_ALLOWED => (status, "method_not_allowed"),
        _ => (status, "invalid_input"),
    };
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("").to_string()
    } else {
        text
    };
    (
        status,
        Json(serde_json::json!({ "error": { "code": code, "message": message } })),
    )
        .into_response()
}

/// Every error: a stable machine-readable code and a sentence.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// unauthenticated, invalid_input, refused, not_found, forbidden, csrf,
    /// too_many_attempts, too_large, method_not_allowed or internal.
    code: String,
    /// A sentence in the request's language.
    message: String,
}

/// The OpenAPI 3.1 document of this API.
async fn openapi() -> Json<&'static serde_json::Value> {
    Json(openapi::document())
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

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AsOf {
    /// Track as of this day (YYYY-MM-DD; default today).
    as_of: Option<String>,
}
