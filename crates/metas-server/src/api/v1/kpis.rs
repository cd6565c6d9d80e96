//! `GET /api/v1/kpi/{id}` and `GET /api/v1/interactions`: figures and the interactions behind them.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use metas_service::kpi::{answer, KpiRequest};
use serde::Deserialize;
use serde_json::json;

use crate::{auth, ApiError, AppState};

use super::{date_param, ErrorEnvelope};
use std::sync::Arc;

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
    /// Add the previous period of the same length (`true` or `1`, as the
    /// explorer's URL has it).
    #[serde(default, deserialize_with = "flag")]
    compare: bool,
}

/// A yes-or-no query parameter: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let text = String::deserialize(d)?;
    match text.trim() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" | "" => Ok(false),
        other => Err(serde::de::Error::custom(format!(
            "'{other}' is not true or false"
        ))),
    }
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
