//! `GET /api/v1/me`: who the caller is.

use axum::Json;
use serde_json::json;

use crate::{auth, ApiError};

use super::ErrorEnvelope;

/// The user the request stands for (session or API token).
#[utoipa::path(get, path = "/api/v1/me", tag = "users",
    responses((status = 200, description = "The user, their role and data scope", body = Object),
              (status = 401, description = "No session or token", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn me(user: auth::ApiUser) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(json!({ "user": user.0 })))
}
