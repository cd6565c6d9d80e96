//! The HTML pages: login, logout, dashboard.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use jiff::ToSpan;
use metas_domain::kpi::{display_value, Grain, KpiDef, Stat, TimeBasis, Unit};
use metas_service::kpi::{answer_many, find_kpi, KpiAnswer, ParsedRequest};
use metas_service::users::verify;
use serde::Deserialize;

use crate::auth::{self, cookie, PageUser, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::{ApiError, AppState};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    csrf: String,
    error: Option<String>,
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::Internal(format!("rendering a page: {e}")).into_response(),
    }
}

fn login_page(state: &AppState, jar: CookieJar, error: Option<String>) -> Response {
    let csrf = auth::random_token();
    let jar = jar.add(cookie(
        LOGIN_CSRF_COOKIE,
        csrf.clone(),
        state.settings.secure_cookies,
    ));
    let status = if error.is_some() {
        axum::http::StatusCode::UNAUTHORIZED
    } else {
        axum::http::StatusCode::OK
    };
    (status, jar, render(&LoginPage { csrf, error })).into_response()
}

pub async fn login_form(State(state): State<Arc<AppState>>, jar: CookieJar) -> Response {
    login_page(&state, jar, None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    csrf: String,
}

pub async fn login(
    State(state): State<Arc<AppState>>,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string());
    if !expected.is_some_and(|e| auth::same_secret(&e, &form.csrf)) {
        return ApiError::Csrf.into_response();
    }
    let login = form.login.trim().to_string();
    if !state.sessions.may_try(&login) {
        return ApiError::TooManyAttempts.into_response();
    }
    let (who, password) = (login.clone(), form.password);
    let user = match state
        .with_store(move |store| verify(store, &who, &password))
        .await
    {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    match user {
        None => {
            state.sessions.failed(&login);
            login_page(
                &state,
                jar,
                Some("That login and password do not match.".into()),
            )
        }
        Some(user) => {
            state.sessions.succeeded(&login);
            let (token, _) = state.sessions.start(user);
            let jar = jar.remove(LOGIN_CSRF_COOKIE).add(cookie(
                SESSION_COOKIE,
                token,
                state.settings.secure_cookies,
            ));
            (jar, Redirect::to("/")).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !auth::same_secret(&user.session.csrf, &form.csrf) {
        return ApiError::Csrf.into_response();
    }
    state.sessions.end(&user.token);
    (
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/login"),
    )
        .into_response()
}

/// One KPI tile of the dashboard.
struct Tile {
    id: &'static str,
    name: &'static str,
    definition: &'static str,
    value: String,
    n: u64,
    interval: Option<String>,
    change: Option<String>,
    /// `up` (better), `down` (worse) or empty.
    trend: &'static str,
    sparkline: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    login: String,
    role: &'static str,
    scope: Option<String>,
    csrf: String,
    days: i64,
    from: String,
    to: String,
    tiles: Vec<Tile>,
}

const TILES: &[&str] = &["volume", "csat", "nps", "fcr", "frt", "aht"];
const DAYS: i64 = 30;

/// A small line of the weekly values, drawn on the server.
fn sparkline(values: &[f64]) -> String {
    if values.len() < 2 {
        return String::new();
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (w, h) = (160.0, 32.0);
    let step = w / (values.len() - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                h - 2.0 - (v - lo) / span * (h - 4.0)
            )
        })
        .collect();
    format!(
        r#"<svg class="spark" width="160" height="32" viewBox="0 0 160 32" role="img" aria-label="weekly trend"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>"#,
        points.join(" ")
    )
}

fn tile(kpi: &'static KpiDef, now: &KpiAnswer, weekly: &KpiAnswer) -> Tile {
    let show = |v: f64| display_value(kpi.unit, v);
    let row = now.rows.first();
    let figure = row.map(|r| r.figure);
    let previous = row.and_then(|r| r.previous);
    let (change, trend) = match (figure.and_then(|f| f.value), previous.and_then(|p| p.value)) {
        (Some(a), Some(b)) => {
            let d = a - b;
            let text = match kpi.unit {
                Unit::Rate => format!("{:+.1} pp", d * 100.0),
                _ => format!("{}{}", if d >= 0.0 { "+" } else { "−" }, show(d.abs())),
            };
            let better = match kpi.better {
                metas_domain::kpi::Better::Higher => d > 0.0,
                metas_domain::kpi::Better::Lower => d < 0.0,
                metas_domain::kpi::Better::Neither => false,
            };
            let trend = if d == 0.0 || kpi.better == metas_domain::kpi::Better::Neither {
                ""
            } else if better {
                "up"
            } else {
                "down"
            };
            (Some(text), trend)
        }
        _ => (None, ""),
    };
    let values: Vec<f64> = weekly.rows.iter().filter_map(|r| r.figure.value).collect();
    Tile {
        id: kpi.id,
        name: kpi.name,
        definition: kpi.formula,
        value: figure
            .and_then(|f| f.value)
            .map(show)
            .unwrap_or_else(|| "—".into()),
        n: figure.map(|f| f.n).unwrap_or(0),
        interval: figure.and_then(|f| match (f.ci_low, f.ci_high) {
            (Some(l), Some(h)) => Some(format!("{} – {}", show(l), show(h))),
            _ => None,
        }),
        change,
        trend,
        sparkline: sparkline(&values),
    }
}

pub async fn dashboard(State(state): State<Arc<AppState>>, user: PageUser) -> Response {
    let today = (state.settings.today)();
    let u = user.session.user.clone();
    let scope = auth::narrow(None, &u);
    let result = state
        .with_store(move |store| {
            let from = today
                .checked_sub((DAYS - 1).days())
                .map_err(|e| metas_service::ServiceError::Input(e.to_string()))?;
            let weeks_from = today
                .checked_sub(83.days())
                .map_err(|e| metas_service::ServiceError::Input(e.to_string()))?;
            let mut now = Vec::new();
            let mut weekly = Vec::new();
            for id in TILES {
                let kpi = find_kpi(id)?;
                let base = ParsedRequest {
                    kpi,
                    by: vec![],
                    grain: None,
                    from: Some(from),
                    to: Some(today),
                    segment: scope.clone(),
                    stat: Stat::Mean,
                    time: TimeBasis::Calendar,
                    compare: true,
                };
                weekly.push(ParsedRequest {
                    grain: Some(Grain::Week),
                    from: Some(weeks_from),
                    compare: false,
                    ..base.clone()
                });
                now.push(base);
            }
            Ok((
                from,
                answer_many(store, &now)?,
                answer_many(store, &weekly)?,
            ))
        })
        .await;
    let (from, now, weekly) = match result {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let tiles = now
        .iter()
        .zip(&weekly)
        .map(|(n, w)| tile(n.kpi, n, w))
        .collect();
    let scope_text = match (&u.team, &u.agent) {
        (_, Some(a)) => Some(format!("agent {a}")),
        (Some(t), _) => Some(format!("team {t}")),
        _ => None,
    };
    render(&DashboardPage {
        login: u.login.clone(),
        role: u.role.as_str(),
        scope: scope_text,
        csrf: user.session.csrf.clone(),
        days: DAYS,
        from: from.to_string(),
        to: today.to_string(),
        tiles,
    })
}
