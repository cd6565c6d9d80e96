//! `/api/v1/indicators`: the indicator board (every indicator's figure for
//! the period its frequency reviews, against its standard, with the trend,
//! by stage of the purchase) in the caller's scope, and each indicator's
//! whole definition, changed by administrators (docs/indicators.md).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::Json;
use metas_domain::indicator::DefinitionChange;
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};

use super::{AsOf, ErrorEnvelope};

/// The board as of a day: `stages` before, during and after the purchase,
/// each indicator with its definition, the figure (value, n, interval) for
/// its current period, the verdict against its standard and the trend.
#[utoipa::path(get, path = "/api/v1/indicators", tag = "indicators",
    params(AsOf),
    responses((status = 200, description = "{as_of, scope: {kind, name}, stages: [{stage, indicators: [{kpi, name, formula, unit, better, stage, frequency, owner, standard: {value, direction, text, source} | null, note, version, changed_by, changed_at, from, to, figure: {value, n, ci_low, ci_high}, value_text, verdict: met | not_met | no_data | no_standard, trend: [{from, to, value, n, partial}], note}]}]}", body = Object),
              (status = 400, description = "as_of is not a date", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn board(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(q): Query<AsOf>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let as_of = super::date_param(&q.as_of, "as_of")?.unwrap_or_else(|| (state.settings.today)());
    let board = state
        .with_store(move |store| metas_service::indicators::board_as(store, &user.0, as_of))
        .await?;
    Ok(Json(board.to_json()))
}

/// One indicator's whole definition and every change made to it.
#[utoipa::path(get, path = "/api/v1/indicators/{kpi}", tag = "indicators",
    params(("kpi" = String, Path, description = "The KPI, e.g. csat")),
    responses((status = 200, description = "{kpi, name, formula, unit, better, stage, frequency, owner, standard, note, version, changed_by, changed_at, history: [{kpi, version, stage, frequency, owner, standard, note, changed_by, changed_at}]}", body = Object),
              (status = 404, description = "Not an indicator", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn definition(
    State(state): State<Arc<AppState>>,
    _user: auth::ApiUser,
    Path(kpi): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let today = (state.settings.today)();
    let (indicator, history) = state
        .with_store(move |store| {
            let i = metas_service::indicators::definition(store, &kpi, today)?;
            let h = metas_service::indicators::history(store, &kpi)?;
            Ok((i, h))
        })
        .await?;
    let mut j = indicator.to_json();
    if let Some(m) = j.as_object_mut() {
        m.insert("history".into(), json!(history));
    }
    Ok(Json(j))
}

/// A change to an indicator's definition: a field left out stays as it is;
/// an empty text clears the owner, standard or note and restores the
/// built-in stage or frequency.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct IndicatorBody {
    /// The team or person who answers for the indicator.
    owner: Option<String>,
    /// daily, weekly, monthly or quarterly.
    frequency: Option<String>,
    /// The business target in the KPI's unit: `85%` or `0.85` for a rate,
    /// `2m` or `120` (seconds) for a duration, `at most 1000` for volume.
    standard: Option<String>,
    /// before, during or after (the purchase).
    stage: Option<String>,
    /// A note shown with the definition.
    note: Option<String>,
}

/// Changes an indicator's definition (administrators); the change is kept
/// as a new version with who made it and when.
#[utoipa::path(put, path = "/api/v1/indicators/{kpi}", tag = "indicators",
    params(("kpi" = String, Path, description = "The KPI, e.g. csat")),
    request_body = IndicatorBody,
    responses((status = 200, description = "The definition after the change (as GET)", body = Object),
              (status = 400, description = "A field it cannot take, named in one sentence", body = ErrorEnvelope),
              (status = 403, description = "Not an administrator", body = ErrorEnvelope),
              (status = 404, description = "Not an indicator", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn put_definition(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(kpi): Path<String>,
    Json(b): Json<IndicatorBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let now = (state.settings.now)();
    let today = (state.settings.today)();
    let change = DefinitionChange {
        owner: b.owner,
        frequency: b.frequency,
        standard: b.standard,
        stage: b.stage,
        note: b.note,
    };
    let indicator = state
        .with_store(move |store| {
            metas_service::indicators::set_as(store, &user.0, &kpi, &change, now, today)
        })
        .await?;
    Ok(Json(indicator.to_json()))
}
