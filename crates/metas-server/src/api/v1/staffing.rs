//! `GET /api/v1/staffing`: what a service-level objective costs, the
//! options of `metas staffing` as query parameters, answered by the same
//! service functions as the CLI and the Time objectives page, with the JSON
//! of `metas staffing --format json`. The observed form reads only the
//! caller's data scope. Definitions: docs/staffing.md.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::Json;
use metas_service::staffing::StaffingRequest;
use serde::Deserialize;

use super::{date_param, ErrorEnvelope};
use crate::pages::staffing::{ask, StaffingAnswer};
use crate::{auth, ApiError, AppState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaffingParams {
    /// The objective, percent/seconds: `80/20` is 80 % of calls answered
    /// within 20 seconds (also `80%/20s`, `90/1m`). Required.
    service_level: Option<String>,
    /// Share of paid time agents cannot take calls, e.g. `30%` (default 0 %).
    shrinkage: Option<String>,
    /// The most of their time agents may spend on calls, e.g. `85%` (default 100 %).
    max_occupancy: Option<String>,
    /// What one agent on the rota costs per hour; without it no cost is given.
    cost_per_hour: Option<String>,
    /// The calculator: calls arriving per `per`, e.g. `100`.
    arrivals: Option<String>,
    /// The calculator: the interval `arrivals` are counted in, e.g. `30m` (default).
    per: Option<String>,
    /// Mean handle time, e.g. `180s` or `3m`: the calculator needs it, the
    /// observed form measures it unless given.
    aht: Option<String>,
    /// The calculator: the figures of this many agents instead of the fewest
    /// that meet the objective.
    agents: Option<String>,
    /// The calculator: hours a week at this load, for the cost per week (default 40).
    hours_per_week: Option<String>,
    /// The observed form: the queue's calls, a segment such as
    /// `channel = 'phone'` (narrowed to the caller's scope).
    #[serde(rename = "where")]
    #[param(rename = "where")]
    segment: Option<String>,
    /// The observed form: first day (YYYY-MM-DD; default 8 weeks before `to`).
    from: Option<String>,
    /// The observed form: last day (default the day of the queue's last call).
    to: Option<String>,
    /// The observed form: the zone of weekdays and times of day, e.g.
    /// `Europe/Madrid` (default the default calendar's, else UTC).
    timezone: Option<String>,
}

fn given(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The calculator (with `arrivals` and `aht`) or a queue's observed week
/// (with `where`), as `metas staffing --format json` prints it: `agents`,
/// `service_level`, `asa_secs` and `occupancy` at the top for the
/// calculator, per half-hour (`half_hours`) and for the week (`week`) when
/// observed.
#[utoipa::path(get, path = "/api/v1/staffing", tag = "time objectives",
    params(StaffingParams),
    responses((status = 200, description = "The calculator: {\"form\": \"calculator\", objective, service_level_target, answer_within_secs, max_occupancy, shrinkage, rate_per_agent_hour, arrivals, per_secs, aht_secs, traffic, reachable, agents, service_level, asa_secs, occupancy, wait_probability, meets_service_level, within_max_occupancy, agents_needed, bound_by, rota_agents, cost_per_hour, hours_per_week, cost_per_week, curve: [{agents, wait_probability, service_level, asa_secs, occupancy, rota_agents, cost_per_hour, meets_service_level, within_max_occupancy}], notes}. Observed: {\"form\": \"observed\", where, the terms, timezone, from, to, weeks, calls, handled, aht_source, aht_secs, half_hours: [{weekday, time, arrivals, traffic, agents, service_level, asa_secs, occupancy, wait_probability, bound_by, rota_agents, cost_per_hour, offered, observed_service_level, abandon_rate}], week, targets, busiest, notes} (docs/staffing.md)", body = Object),
              (status = 400, description = "A bad option, named in one sentence (e.g. `--shrinkage: '130%' is not a percentage between 0 and 100; write e.g. 30%`), or no calls match `where`", body = ErrorEnvelope),
              (status = 401, description = "No session or token", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn staffing(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Query(p): Query<StaffingParams>,
) -> Result<Json<StaffingAnswer>, ApiError> {
    let request = StaffingRequest {
        from: date_param(&p.from, "from")?,
        to: date_param(&p.to, "to")?,
        service_level: given(p.service_level),
        shrinkage: given(p.shrinkage),
        max_occupancy: given(p.max_occupancy),
        cost_per_hour: given(p.cost_per_hour),
        arrivals: given(p.arrivals),
        per: given(p.per),
        aht: given(p.aht),
        agents: given(p.agents),
        hours_per_week: given(p.hours_per_week),
        segment: given(p.segment),
        timezone: given(p.timezone),
    };
    Ok(Json(ask(&state, &user.0, request).await?))
}
