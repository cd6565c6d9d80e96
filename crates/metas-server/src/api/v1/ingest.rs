//! `POST /api/v1/ingest`: NDJSON ingestion.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::{auth, ApiError, AppState};
use metas_service::access::{self, Action, Scope};

use super::ErrorEnvelope;
use std::sync::Arc;

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
    responses((status = 200, description = "Every row landed: the import report (docs/product.md §9.1)", body = Object),
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
    access::require(&user.0, Action::Import, &Scope::Organisation)?;
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ApiError::Invalid(
            "the body is empty: send NDJSON, one object per line".into(),
        ));
    }
    let choice = crate::pages::imports::mapping_choice(p.mapping.as_deref().unwrap_or("generic"))?;
    let report = crate::pages::imports::import_bytes(
        &state,
        body.to_vec(),
        "ingest.ndjson",
        choice,
        p.source,
    )
    .await?;
    let status = if report.rejected > 0 {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let doc = serde_json::to_value(&report).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((status, Json(doc)).into_response())
}
