//! `/api/v1/users`: users of the web app and the API.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};
use metas_service::access::{self, Action, Scope};

use super::ErrorEnvelope;
use std::sync::Arc;

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
    access::require(&user.0, Action::ManageUsers, &Scope::Organisation)?;
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
