//! `/api/v1/tokens`: API tokens.

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};

use super::ErrorEnvelope;
use std::sync::Arc;

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
