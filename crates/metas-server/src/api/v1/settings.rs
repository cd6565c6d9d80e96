//! `/api/v1/settings`: the KPI settings.

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};
use metas_service::access::{self, Action, Scope};

use super::ErrorEnvelope;
use std::sync::Arc;

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
    access::require(&user.0, Action::Configure, &Scope::Organisation)?;
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
