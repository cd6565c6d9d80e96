//! The HTML pages, one file per area: login, dashboard, KPI explorer and
//! drill-down, goals, reviews, imports, settings, time objectives; and what
//! every page loads (assets: the favicon). Every string a user reads comes
//! from the request's language (`tr`); numbers and dates are written the
//! locale's way. What several pages share lives here.

pub mod assets;
pub mod coaching;
pub mod dashboard;
pub mod explorer;
pub mod goals;
pub mod imports;
pub mod indicators;
pub mod login;
pub mod profiles;
pub mod quality;
pub mod reviews;
pub mod scorecard;
pub mod settings;
pub mod sla;
pub mod staffing;

use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use jiff::civil::Date;
use metas_domain::kpi::{Change, KpiDef, Movement, Unit};
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

/// A change from one period to the next, as a page shows it.
pub(crate) struct ChangeText {
    /// One sign, the locale's way: "+5.1", "−3.0 pp", "0.0".
    pub text: String,
    /// `better` or `worse` (the colour), empty when neither.
    pub class: &'static str,
    /// The colour in words, for those who do not see it.
    pub word: Option<String>,
}

/// The change of `kpi` from `before` to `now`, if both have a value: its
/// sign written once, coloured by the KPI's better direction (lower is
/// better for times).
fn change(tr: &Tr, kpi: &KpiDef, now: Option<f64>, before: Option<f64>) -> Option<ChangeText> {
    let c = Change::between(kpi, now?, before?);
    let (class, word) = match c.movement {
        Movement::Better => ("better", Some(tr.t("change-better"))),
        Movement::Worse => ("worse", Some(tr.t("change-worse"))),
        Movement::Same | Movement::Moved => ("", None),
    };
    Some(ChangeText {
        text: tr.num(&c.text),
        class,
        word,
    })
}

/// A 95 % interval as "low – high", if there is one.
fn interval(tr: &Tr, unit: Unit, low: Option<f64>, high: Option<f64>) -> Option<String> {
    match (low, high) {
        (Some(l), Some(h)) => Some(format!("{} – {}", tr.value(unit, l), tr.value(unit, h))),
        _ => None,
    }
}

/// The KPIs a user can pick.
fn kpi_choices(tr: &Tr) -> Vec<(&'static str, String)> {
    metas_domain::kpi::CATALOGUE
        .iter()
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
        w.write_record(
            r.iter()
                .map(|c| metas_service::export::spreadsheet_safe(c).into_owned()),
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// The tiles and the explorer write a change once, with one sign, and
    /// colour it by the KPI's better direction.
    #[test]
    fn a_change_reads_once_and_is_coloured_by_direction() {
        let k = |id| metas_domain::kpi::kpi(id).unwrap();
        for (lang, id, now, before, text, class, word) in [
            (
                Lang::En,
                "nps",
                23.4,
                18.3,
                "+5.1",
                "better",
                Some("better"),
            ),
            (
                Lang::En,
                "nps",
                18.3,
                23.4,
                "\u{2212}5.1",
                "worse",
                Some("worse"),
            ),
            (Lang::En, "nps", 18.3, 18.3, "0.0", "", None),
            (
                Lang::En,
                "frt",
                100.0,
                180.0,
                "\u{2212}1m 20s",
                "better",
                Some("better"),
            ),
            (
                Lang::En,
                "aht",
                400.0,
                300.0,
                "+1m 40s",
                "worse",
                Some("worse"),
            ),
            (
                Lang::En,
                "csat",
                0.80,
                0.83,
                "\u{2212}3.0 pp",
                "worse",
                Some("worse"),
            ),
            (Lang::En, "volume", 1300.0, 1000.0, "+300", "", None),
            (Lang::Fr, "nps", 23.4, 18.3, "+5,1", "better", Some("mieux")),
            (
                Lang::Es,
                "csat",
                0.83,
                0.80,
                "+3,0 pp",
                "better",
                Some("mejor"),
            ),
        ] {
            let tr = Tr::new(lang);
            let c = change(&tr, k(id), Some(now), Some(before)).unwrap();
            assert_eq!(
                (c.text.as_str(), c.class, c.word.as_deref()),
                (text, class, word),
                "{lang:?} {id} {before} → {now}"
            );
        }
        let en = Tr::new(Lang::En);
        assert!(change(&en, k("nps"), Some(1.0), None).is_none());
    }
}
