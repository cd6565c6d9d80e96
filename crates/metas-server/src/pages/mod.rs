//! The HTML pages, one file per area: login, dashboard, KPI explorer and
//! drill-down, goals, reviews, imports, settings; and what every page loads
//! (assets: the favicon). Every string a user reads comes from the
//! request's language (`tr`); numbers and dates are written the locale's
//! way. What several pages share lives here.

pub mod assets;
pub mod dashboard;
pub mod explorer;
pub mod goals;
pub mod imports;
pub mod login;
pub mod reviews;
pub mod settings;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;
use metas_domain::kpi::Unit;
use serde::Deserialize;

use crate::i18n::Tr;
use crate::ApiError;
pub use axum::http::StatusCode;

/// A page.
pub fn render(t: &impl Template) -> Result<Response, ApiError> {
    let html = t
        .render()
        .map_err(|e| ApiError::Internal(format!("rendering a page: {e}")))?;
    Ok(Html(html).into_response())
}

/// A page with a status other than 200 (a form shown again with its error).
pub fn render_with(status: StatusCode, t: &impl Template) -> Result<Response, ApiError> {
    Ok((status, render(t)?).into_response())
}

/// The page every error shows in a browser.
#[derive(Template)]
#[template(path = "layout/error.html")]
pub struct ErrorPage {
    pub tr: Tr,
    pub title: String,
    pub message: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// A KPI value in its unit, the locale's way ("—" without one).
fn show(tr: &Tr, unit: Unit, v: Option<f64>) -> String {
    v.map(|x| tr.value(unit, x)).unwrap_or_else(|| "—".into())
}

/// A 95 % interval as "low – high", if there is one.
fn interval(tr: &Tr, unit: Unit, low: Option<f64>, high: Option<f64>) -> Option<String> {
    match (low, high) {
        (Some(l), Some(h)) => Some(format!("{} – {}", tr.value(unit, l), tr.value(unit, h))),
        _ => None,
    }
}

/// The KPIs a user can pick (SLA attainment waits for time objectives).
fn kpi_choices(tr: &Tr) -> Vec<(&'static str, String)> {
    metas_domain::kpi::CATALOGUE
        .iter()
        .filter(|k| k.id != "sla_attainment")
        .map(|k| (k.id, tr.kpi_name(k.id)))
        .collect()
}

fn nonempty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.trim().to_string())
}

/// A date field of a form, or the sentence saying it is not one.
fn date_field(tr: &Tr, field: &str, s: &str) -> Result<Option<Date>, String> {
    nonempty(s)
        .map(|d| {
            d.parse()
                .map_err(|_| tr.t2("error-bad-date", "field", field, "value", &d))
        })
        .transpose()
}

/// A file to download: CSV, named.
pub fn download(body: Vec<u8>, file_name: &str) -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "text/csv; charset=utf-8".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// Records as a CSV download.
pub fn csv_response(records: &[Vec<String>], file_name: &str) -> Result<Response, ApiError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for r in records {
        w.write_record(r)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
    }
    let body = w
        .into_inner()
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(download(body, file_name))
}

/// An owner key (`org`, `team:NAME`, `agent:NAME`) as people read it.
fn owner_text(tr: &Tr, owner: &str) -> String {
    match owner.split_once(':') {
        Some(("team", name)) => tr.t1("owner-team", "name", name),
        Some(("agent", name)) => tr.t1("owner-agent", "name", name),
        _ => tr.t("owner-org"),
    }
}

/// A goal in one sentence, in the user's language.
fn goal_sentence(tr: &Tr, g: &metas_store::GoalRow) -> String {
    let unit = metas_domain::kpi::kpi(&g.metric)
        .map(|k| k.unit)
        .unwrap_or(Unit::Score);
    let mut args = vec![
        ("owner", owner_text(tr, &g.owner)),
        (
            "direction",
            tr.t(&format!("goal-direction-{}", g.direction)),
        ),
        ("metric", tr.kpi_name(&g.metric)),
        ("baseline", show(tr, unit, g.baseline)),
        ("target", tr.value(unit, g.target)),
        ("deadline", tr.date(g.deadline)),
    ];
    let id = match g.scope.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => {
            args.push(("scope", s.to_string()));
            "goal-sentence-scoped"
        }
        None => "goal-sentence",
    };
    tr.args(id, &args)
}

/// A goal's state word (`on_track`) and its text in the user's language.
fn goal_status(tr: &Tr, t: &metas_service::goal::Tracking) -> (String, String) {
    let key = t.state().to_string();
    let text = tr.t(&format!("status-{key}"));
    (key, text)
}

/// A percentage (0–1) as a whole number the locale's way.
fn whole_percent(tr: &Tr, share: f64) -> String {
    tr.num(&format!("{:.0}", share * 100.0))
}

/// Percent-encodes a query value (everything but unreserved characters).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
