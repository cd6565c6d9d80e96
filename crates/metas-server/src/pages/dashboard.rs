//! The dashboard: KPI tiles over the last days against the period before.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use jiff::civil::Date;
use metas_domain::kpi::KpiDef;
use metas_service::kpi::{Coverage, KpiAnswer};
use serde::Deserialize;

use super::*;
use crate::auth::{self, Nav, PageUser};
use crate::charts::*;
use crate::i18n::Tr;
use crate::{ApiError, AppState};
use metas_service::dashboard::{DashboardRequest, DAY_CHOICES};

/// One KPI tile of the dashboard.
struct Tile {
    id: &'static str,
    name: String,
    definition: String,
    value: String,
    n: String,
    interval: Option<String>,
    /// Against the previous period: one sign, coloured by the KPI's better
    /// direction.
    change: Option<ChangeText>,
    sparkline: String,
    /// The sparkline's last week is not over: said under it.
    partial: Option<String>,
}

#[derive(Template)]
#[template(path = "dashboard/dashboard.html")]
struct DashboardPage {
    tr: Tr,
    nav: Nav,
    days: i64,
    day_choices: Vec<i64>,
    channels: Vec<String>,
    teams: Vec<String>,
    channel: String,
    team: String,
    segment: String,
    error: Option<String>,
    from: String,
    to: String,
    tiles: Vec<Tile>,
}

fn tile(tr: &Tr, kpi: &'static KpiDef, now: &KpiAnswer, weekly: &KpiAnswer, today: Date) -> Tile {
    let row = now.rows.first();
    let figure = row.map(|r| r.figure);
    let previous = row.and_then(|r| r.previous);
    let weeks: Vec<(SparkPoint, Option<Coverage>)> = weekly
        .rows
        .iter()
        .filter_map(|r| {
            let coverage = weekly.coverage(r, today);
            Some((
                SparkPoint {
                    date: r.period_start()?,
                    value: r.figure.value?,
                    partial: coverage.is_some_and(|c| c.partial),
                },
                coverage,
            ))
        })
        .collect();
    let partial = weeks
        .last()
        .and_then(|(_, c)| c.filter(|c| c.partial))
        .map(|c| tr.t1("chart-partial-to", "date", tr.date(c.last)));
    let points: Vec<SparkPoint> = weeks.iter().map(|(p, _)| *p).collect();
    let name = tr.kpi_name(kpi.id);
    Tile {
        id: kpi.id,
        sparkline: sparkline(
            tr,
            &format!("spark-{}", kpi.id),
            kpi.unit,
            &tr.t1("chart-spark-title", "kpi", &name),
            &points,
            today,
        ),
        name,
        definition: tr.kpi_definition(&now.definition),
        value: show(tr, kpi.unit, figure.and_then(|f| f.value)),
        n: tr.count(figure.map(|f| f.n).unwrap_or(0)),
        interval: figure.and_then(|f| interval(tr, kpi.unit, f.ci_low, f.ci_high)),
        change: change(
            tr,
            kpi,
            figure.and_then(|f| f.value),
            previous.and_then(|p| p.value),
        ),
        partial,
    }
}

#[derive(Deserialize, Default)]
pub struct DashboardParams {
    days: Option<i64>,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    team: String,
    #[serde(default, rename = "where")]
    segment: String,
}

/// A text condition `dim = 'value'`, quoted for the segment parser.
fn equals(dim: &str, value: &str) -> String {
    format!("{dim} = '{}'", value.replace('\'', "''"))
}

pub async fn dashboard(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Query(p): Query<DashboardParams>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let today = (state.settings.today)();
    let days = DashboardRequest::days(p.days);
    // The filters become one segment, parsed like any other (so a bad
    // segment is reported, and values are bound, never spliced into SQL).
    let mut parts: Vec<String> = Vec::new();
    if !p.channel.trim().is_empty() {
        parts.push(equals("channel", p.channel.trim()));
    }
    if !p.team.trim().is_empty() {
        parts.push(equals("team", p.team.trim()));
    }
    if !p.segment.trim().is_empty() {
        parts.push(format!("({})", p.segment.trim()));
    }
    let filter_text = parts.join(" and ");
    let mut page = DashboardPage {
        tr,
        nav: user.nav(),
        days,
        day_choices: DAY_CHOICES.to_vec(),
        channels: vec![],
        teams: vec![],
        channel: p.channel.trim().to_string(),
        team: p.team.trim().to_string(),
        segment: p.segment.clone(),
        error: None,
        from: String::new(),
        to: tr.date(today),
        tiles: vec![],
    };
    let u = user.user().clone();
    let request = metas_service::kpi::parse_segment(Some(filter_text.as_str())).map(|filter| {
        DashboardRequest {
            today,
            days,
            scope: auth::narrow(filter, &u),
            user_scope: auth::narrow(None, &u),
        }
    });
    let result = match request {
        Ok(request) => {
            let app = state.clone();
            state
                .with_store(move |store| {
                    metas_service::dashboard::dashboard(store, &app.dashboards, &request)
                })
                .await
        }
        Err(e) => Err(e.into()),
    };
    let data = match result {
        Ok(data) => data,
        Err(ApiError::Invalid(m)) => {
            page.error = Some(m);
            return render_with(StatusCode::BAD_REQUEST, &page);
        }
        Err(e) => return Err(e),
    };
    page.from = tr.date(data.from);
    page.channels = data.channels.clone();
    page.teams = data.teams.clone();
    page.tiles = data
        .now
        .iter()
        .zip(&data.weekly)
        .map(|(n, w)| tile(&tr, n.kpi, n, w, today))
        .collect();
    render(&page)
}
