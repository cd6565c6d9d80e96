//! The HTML pages: login, logout, dashboard.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use jiff::ToSpan;
use metas_domain::kpi::{display_kpi_value, display_value, Grain, KpiDef, Stat, TimeBasis, Unit};
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

/// The dashboard's figures for one scope and day.
pub struct DashboardData {
    from: jiff::civil::Date,
    now: Vec<KpiAnswer>,
    weekly: Vec<KpiAnswer>,
}
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
    let key = format!("{scope:?}|{today}");
    let cached = state
        .dashboards
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
        .cloned();
    let result = state
        .with_store(move |store| {
            let version = store.data_version()?;
            if let Some((v, data)) = cached {
                if v == version {
                    return Ok((version, data, true));
                }
            }
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
            let data = DashboardData {
                from,
                now: answer_many(store, &now)?,
                weekly: answer_many(store, &weekly)?,
            };
            Ok((version, Arc::new(data), false))
        })
        .await;
    let (version, data, hit) = match result {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    if !hit {
        let mut cache = state.dashboards.lock().unwrap_or_else(|p| p.into_inner());
        // One entry per scope and day; old days are not worth keeping.
        if cache.len() > 1000 {
            cache.clear();
        }
        cache.insert(key, (version, data.clone()));
    }
    let (from, now, weekly) = (data.from, &data.now, &data.weekly);
    let tiles = now
        .iter()
        .zip(weekly)
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar: the value and its interval.
type Bar = (f64, Option<f64>, Option<f64>);

/// Bars with their 95 % intervals, one per row of an answer.
fn bar_chart(labels: &[String], values: &[Option<Bar>], unit: Unit) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let top = values
        .iter()
        .flatten()
        .map(|(v, _, h)| h.unwrap_or(*v).max(*v))
        .fold(0.0f64, f64::max);
    let top = if top > 0.0 { top } else { 1.0 };
    let (row_h, label_w, bar_w) = (22.0, 220.0, 360.0);
    let height = labels.len() as f64 * row_h + 10.0;
    let mut svg = format!(
        r#"<svg width="{w}" height="{height}" viewBox="0 0 {w} {height}" role="img" aria-label="chart">"#,
        w = label_w + bar_w + 90.0
    );
    for (i, (label, v)) in labels.iter().zip(values).enumerate() {
        let y = i as f64 * row_h + 5.0;
        svg.push_str(&format!(
            r#"<text x="{x}" y="{ty}" font-size="12" text-anchor="end">{}</text>"#,
            esc(label),
            x = label_w - 6.0,
            ty = y + 14.0
        ));
        if let Some((value, lo, hi)) = v {
            let w = (value / top * bar_w).max(0.0);
            svg.push_str(&format!(
                r##"<rect x="{label_w}" y="{y}" width="{w:.1}" height="16" fill="#5b7bd5"/>"##
            ));
            if let (Some(lo), Some(hi)) = (lo, hi) {
                let (x1, x2) = (label_w + lo / top * bar_w, label_w + hi / top * bar_w);
                svg.push_str(&format!(
                    r##"<line x1="{x1:.1}" x2="{x2:.1}" y1="{m}" y2="{m}" stroke="#1d2330"/>"##,
                    m = y + 8.0
                ));
            }
            svg.push_str(&format!(
                r#"<text x="{x:.1}" y="{ty}" font-size="12">{}</text>"#,
                esc(&display_value(unit, *value)),
                x = label_w + w + 4.0,
                ty = y + 13.0
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[derive(Template)]
#[template(path = "explorer.html")]
struct ExplorerPage {
    csrf: String,
    id: String,
    name: &'static str,
    kpis: Vec<(&'static str, &'static str)>,
    by: String,
    grain: String,
    from: String,
    to: String,
    segment: String,
    error: Option<String>,
    chart: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    definition: &'static str,
    settings: String,
    drill: String,
}

#[derive(Deserialize, Default)]
pub struct ExplorerParams {
    #[serde(default)]
    by: String,
    #[serde(default)]
    grain: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, rename = "where")]
    segment: String,
}

/// The KPI explorer: any KPI by any dimensions and grain, chart and table
/// with intervals, the definition, and the interactions behind it.
pub async fn explorer(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    axum::extract::Query(p): axum::extract::Query<ExplorerParams>,
) -> Response {
    let kpi = match find_kpi(&id) {
        Ok(k) => k,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let parse_date = |s: &str| -> Result<Option<jiff::civil::Date>, String> {
        nonempty(s)
            .map(|d| {
                d.parse()
                    .map_err(|_| format!("'{d}' is not a date (YYYY-MM-DD)"))
            })
            .transpose()
    };
    let mut page = ExplorerPage {
        csrf: user.session.csrf.clone(),
        id: kpi.id.to_string(),
        name: kpi.name,
        kpis: metas_domain::kpi::CATALOGUE
            .iter()
            .filter(|k| k.id != "sla_attainment")
            .map(|k| (k.id, k.name))
            .collect(),
        by: p.by.clone(),
        grain: p.grain.clone(),
        from: p.from.clone(),
        to: p.to.clone(),
        segment: p.segment.clone(),
        error: None,
        chart: String::new(),
        header: vec![],
        rows: vec![],
        definition: kpi.formula,
        settings: String::new(),
        drill: format!(
            "/api/v1/interactions?format=csv&kpi={}&where={}&from={}&to={}",
            kpi.id,
            encode(&p.segment),
            encode(&p.from),
            encode(&p.to)
        ),
    };
    let dates = parse_date(&p.from).and_then(|f| Ok((f, parse_date(&p.to)?)));
    let (from, to) = match dates {
        Ok(d) => d,
        Err(e) => {
            page.error = Some(e);
            return (axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response();
        }
    };
    let req = metas_service::kpi::KpiRequest {
        kpi: kpi.id.to_string(),
        by: nonempty(&p.by).into_iter().collect(),
        grain: nonempty(&p.grain),
        from,
        to,
        segment: nonempty(&p.segment),
        ..Default::default()
    };
    let u = user.session.user.clone();
    let result = state
        .with_store(move |store| {
            let mut parsed = req.parse()?;
            parsed.segment = auth::narrow(parsed.segment, &u);
            answer_many(store, std::slice::from_ref(&parsed))
        })
        .await;
    let answer = match result {
        Ok(mut a) => a.remove(0),
        Err(ApiError::Invalid(m)) => {
            page.error = Some(m);
            return (axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response();
        }
        Err(e) => return e.into_response(),
    };
    let show = |v: Option<f64>| {
        v.map(|x| display_value(kpi.unit, x))
            .unwrap_or_else(|| "—".into())
    };
    page.header = answer.by.clone();
    if answer.rows.iter().any(|r| r.period.is_some()) {
        page.header.push("period".into());
    }
    page.header
        .extend(["value", "n", "95% interval"].map(String::from));
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for r in &answer.rows {
        let mut cells: Vec<String> = r
            .dims
            .iter()
            .map(|(_, v)| v.as_text().unwrap_or_else(|| "(none)".into()))
            .collect();
        if let Some(p) = &r.period {
            cells.push(p.clone());
        }
        labels.push(if cells.is_empty() {
            kpi.name.to_string()
        } else {
            cells.join(" · ")
        });
        let f = r.figure;
        values.push(f.value.map(|v| (v, f.ci_low, f.ci_high)));
        cells.push(show(f.value));
        cells.push(f.n.to_string());
        cells.push(match (f.ci_low, f.ci_high) {
            (Some(l), Some(h)) => format!("{} – {}", show(Some(l)), show(Some(h))),
            _ => String::new(),
        });
        page.rows.push(cells);
    }
    page.chart = bar_chart(&labels, &values, kpi.unit);
    page.settings = answer
        .settings
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    render(&page)
}

/// A progress bar from baseline (0) to target (1).
fn progress_bar(progress: Option<f64>, expected: Option<f64>) -> String {
    let Some(p) = progress else {
        return String::new();
    };
    let w = (p.clamp(0.0, 1.0) * 200.0).round();
    let marker = expected
        .map(|e| {
            format!(
                r##"<line x1="{x}" x2="{x}" y1="0" y2="12" stroke="#1d2330" stroke-width="2"/>"##,
                x = (e.clamp(0.0, 1.0) * 200.0).round()
            )
        })
        .unwrap_or_default();
    format!(
        r##"<svg width="200" height="12" viewBox="0 0 200 12" role="img" aria-label="{pct:.0} % of the way"><rect width="200" height="12" fill="#e3e6ea"/><rect width="{w}" height="12" fill="#3a9d5d"/>{marker}</svg>"##,
        pct = p * 100.0
    )
}

struct GoalItem {
    id: i64,
    depth: usize,
    sentence: String,
    status: String,
    bar: String,
}

#[derive(Template)]
#[template(path = "goals.html")]
struct GoalsPage {
    csrf: String,
    mission: Option<String>,
    goals: Vec<GoalItem>,
}

fn sentence(g: &metas_store::GoalRow) -> String {
    let show = |v: f64| display_kpi_value(&g.metric, v);
    format!(
        "{}: {} {}{} from {} to {} by {}",
        g.owner,
        g.direction,
        g.metric,
        metas_service::goal::where_suffix(g.scope.as_deref()),
        g.baseline.map(show).unwrap_or_else(|| "—".into()),
        show(g.target),
        g.deadline
    )
}

/// The goal tree the user may see, under the mission.
pub async fn goals(State(state): State<Arc<AppState>>, user: PageUser) -> Response {
    let today = (state.settings.today)();
    let u = user.session.user.clone();
    let result = state
        .with_store(move |store| {
            let visible = metas_service::goal::visible_goals(store, &u)?;
            let ids: Vec<i64> = visible.iter().map(|g| g.id).collect();
            let mut items = Vec::new();
            for g in &visible {
                let t = metas_service::goal::track(store, g.id, today)?;
                let mut depth = 0;
                let mut parent = g.parent_id;
                while let Some(pid) = parent.filter(|p| ids.contains(p)) {
                    depth += 1;
                    parent = visible
                        .iter()
                        .find(|x| x.id == pid)
                        .and_then(|x| x.parent_id);
                    if depth > 10 {
                        break;
                    }
                }
                items.push(GoalItem {
                    id: g.id,
                    depth,
                    sentence: sentence(&t.goal),
                    status: t
                        .progress
                        .as_ref()
                        .filter(|_| t.goal.status == "active")
                        .map(|p| format!("{:?}", p.status))
                        .map(|s| snake(&s))
                        .unwrap_or_else(|| t.goal.status.clone()),
                    bar: progress_bar(
                        t.progress.as_ref().map(|p| p.progress),
                        t.progress.as_ref().map(|p| p.expected),
                    ),
                });
            }
            Ok((store.mission()?, items))
        })
        .await;
    match result {
        Ok((mission, goals)) => render(&GoalsPage {
            csrf: user.session.csrf.clone(),
            mission,
            goals,
        }),
        Err(e) => e.into_response(),
    }
}

/// `OnTrack` → `on_track`.
fn snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage {
    csrf: String,
    id: i64,
    /// Whether the user may check in, commit and review (the goal's owner
    /// or someone above them).
    editable: bool,
    committed: bool,
    error: Option<String>,
    sentence: String,
    status: String,
    now: String,
    progress: String,
    bar: String,
    chart: String,
    forecast: Option<String>,
    milestones: Vec<String>,
    checkins: Vec<String>,
    history: Vec<String>,
}

/// The weekly values since the start against baseline and target, with the
/// forecast's interval at the deadline.
fn goal_chart(t: &metas_service::goal::Tracking) -> String {
    let g = &t.goal;
    let (Some(baseline), false) = (g.baseline, t.series.is_empty()) else {
        return String::new();
    };
    let span_days = (g.deadline - g.start).get_days().max(1) as f64;
    let mut ys: Vec<f64> = t.series.iter().map(|p| p.value).collect();
    ys.extend([baseline, g.target]);
    if let Some(f) = &t.forecast {
        ys.extend([f.interval.low, f.interval.high]);
    }
    let (lo, hi) = ys
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    let pad = ((hi - lo) * 0.1).max(1e-9);
    let (lo, hi) = (lo - pad, hi + pad);
    let (w, h) = (480.0, 160.0);
    let x =
        |d: jiff::civil::Date| ((d - g.start).get_days() as f64 / span_days).clamp(0.0, 1.0) * w;
    let y = |v: f64| h - (v - lo) / (hi - lo) * h;
    let points: Vec<String> = t
        .series
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.date), y(p.value)))
        .collect();
    let mut svg = format!(
        r##"<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="history"><rect width="{w}" height="{h}" fill="#fff"/><line x1="0" x2="{w}" y1="{b:.1}" y2="{b:.1}" stroke="#999" stroke-dasharray="4"/><line x1="0" x2="{w}" y1="{tg:.1}" y2="{tg:.1}" stroke="#3a9d5d"/><polyline fill="none" stroke="#5b7bd5" stroke-width="2" points="{}"/>"##,
        points.join(" "),
        b = y(baseline),
        tg = y(g.target)
    );
    if let Some(f) = &t.forecast {
        svg.push_str(&format!(
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{a:.1}" y2="{b:.1}" stroke="#b07a12" stroke-width="6" opacity=".5"/><circle cx="{x:.1}" cy="{c:.1}" r="4" fill="#b07a12"/>"##,
            x = x(f.date) - 4.0,
            a = y(f.interval.low),
            b = y(f.interval.high),
            c = y(f.value)
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// One goal: where it stands, its history, forecast and milestones.
pub async fn goal(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Response {
    let today = (state.settings.today)();
    let u = user.session.user.clone();
    let result = state
        .with_store(move |store| metas_service::goal::track_visible(store, id, today, &u))
        .await;
    let t = match result {
        Ok(Some(t)) => t,
        Ok(None) => return ApiError::NotFound(format!("there is no goal {id}")).into_response(),
        Err(e) => return e.into_response(),
    };
    let show = |v: f64| display_kpi_value(&t.goal.metric, v);
    let page = GoalPage {
        csrf: user.session.csrf.clone(),
        id,
        editable: true,
        committed: t.goal.committed_on.is_some(),
        error: None,
        sentence: sentence(&t.goal),
        status: match (&t.progress, t.goal.status.as_str()) {
            (Some(p), "active") => snake(&format!("{:?}", p.status)).replace('_', " "),
            (_, s) => s.to_string(),
        },
        now: t
            .now
            .as_ref()
            .and_then(|f| f.value.map(|v| format!("{} now (n {})", show(v), f.n)))
            .unwrap_or_else(|| "no data since the start yet".into()),
        progress: t
            .progress
            .as_ref()
            .map(|p| {
                format!(
                    "{:.0} % of the way, {:.0} % expected by today",
                    p.progress * 100.0,
                    p.expected * 100.0
                )
            })
            .unwrap_or_default(),
        bar: progress_bar(
            t.progress.as_ref().map(|p| p.progress),
            t.progress.as_ref().map(|p| p.expected),
        ),
        chart: goal_chart(&t),
        forecast: t.forecast.as_ref().map(|f| {
            format!(
                "Forecast at {}: {} (95 % interval {} – {}), a {:.0} % chance of reaching the target.",
                f.date,
                show(f.value),
                show(f.interval.low),
                show(f.interval.high),
                f.chance * 100.0
            )
        }),
        milestones: t
            .milestones
            .iter()
            .map(|m| format!("{} {}: {}", m.date, show(m.value), m.state()))
            .collect(),
        checkins: t
            .checkins
            .iter()
            .map(|c| format!("{}: {}", c.on, c.comment))
            .collect(),
        history: t
            .history
            .iter()
            .map(|(when, who, what)| format!("{when} {who}: {what}"))
            .collect(),
    };
    render(&page)
}

#[derive(Deserialize, Default, Clone)]
pub struct GoalForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    metric: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    customer_words: String,
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "goal_new.html")]
struct GoalNewPage {
    csrf: String,
    kpis: Vec<(&'static str, &'static str)>,
    form: GoalForm,
    error: Option<String>,
    summary: Option<String>,
    explanation: String,
    /// (letter, ok, message)
    checks: Vec<(&'static str, bool, String)>,
}

fn goal_new_page(csrf: String, form: GoalForm) -> GoalNewPage {
    GoalNewPage {
        csrf,
        kpis: metas_domain::kpi::CATALOGUE
            .iter()
            .filter(|k| k.id != "sla_attainment")
            .map(|k| (k.id, k.name))
            .collect(),
        form,
        error: None,
        summary: None,
        explanation: String::new(),
        checks: vec![],
    }
}

/// The new-goal form, with the owner the user is most likely to set.
pub async fn goal_new_form(user: PageUser) -> Response {
    let u = &user.session.user;
    let owner = match (&u.agent, &u.team) {
        (Some(a), _) => format!("agent:{a}"),
        (_, Some(t)) => format!("team:{t}"),
        _ => "org".into(),
    };
    render(&goal_new_page(
        user.session.csrf.clone(),
        GoalForm {
            metric: "csat".into(),
            owner,
            ..Default::default()
        },
    ))
}

/// Checks the goal (`action=check`, what the form calls as fields change)
/// or saves it (`action=save`) and goes to its page.
pub async fn goal_new(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(form): Form<GoalForm>,
) -> Response {
    if !auth::same_secret(&user.session.csrf, &form.csrf) {
        return ApiError::Csrf.into_response();
    }
    let mut page = goal_new_page(user.session.csrf.clone(), form.clone());
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let start = match nonempty(&form.start).map(|d| d.parse::<jiff::civil::Date>()) {
        Some(Err(_)) => {
            page.error = Some(format!("start '{}' is not a date (YYYY-MM-DD)", form.start));
            return (axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response();
        }
        Some(Ok(d)) => Some(d),
        None => None,
    };
    let req = metas_service::goal::GoalRequest {
        metric: form.metric.clone(),
        owner: form.owner.trim().to_string(),
        segment: nonempty(&form.scope),
        to: nonempty(&form.to),
        by: nonempty(&form.by),
        deadline: form.deadline.clone(),
        start,
        customer_words: nonempty(&form.customer_words),
        as_of: (state.settings.today)(),
        who: user.session.user.login.clone(),
        ..Default::default()
    };
    let save = form.action == "save";
    let u = user.session.user.clone();
    let result = state
        .with_store(move |store| {
            if !metas_service::goal::owner_visible_to(store, &req.owner, &u)? {
                return Err(metas_service::ServiceError::Input(format!(
                    "you may not set goals for {}",
                    req.owner
                )));
            }
            if save {
                metas_service::goal::add(store, &req).map(|(id, plan)| (Some(id), plan))
            } else {
                metas_service::goal::check(store, &req).map(|plan| (None, plan))
            }
        })
        .await;
    match result {
        Ok((Some(id), _)) => Redirect::to(&format!("/goals/{id}")).into_response(),
        Ok((None, plan)) => {
            page.summary = Some(plan.sentence());
            page.explanation = plan.target.explanation.clone();
            let c = &plan.checks;
            page.checks = vec![
                ("Specific", c.specific.ok, c.specific.message.clone()),
                ("Measurable", c.measurable.ok, c.measurable.message.clone()),
                ("Achievable", c.achievable.ok, c.achievable.message.clone()),
                ("Relevant", c.relevant.ok, c.relevant.message.clone()),
                ("Time-bound", c.time_bound.ok, c.time_bound.message.clone()),
                ("Focus", c.focus.ok, c.focus.message.clone()),
            ];
            render(&page)
        }
        Err(ApiError::Invalid(m)) => {
            page.error = Some(m);
            (axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response()
        }
        Err(ApiError::Refused(m)) => {
            page.error = Some(m);
            (axum::http::StatusCode::CONFLICT, render(&page)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
pub struct CheckinForm {
    csrf: String,
    comment: String,
    #[serde(default)]
    confidence: String,
}

#[derive(Deserialize)]
pub struct ReviewForm {
    csrf: String,
    decision: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    blocked_by: String,
    #[serde(default)]
    new_practice: String,
}

/// What a goal form asks of the store, after the CSRF and visibility checks.
enum GoalAction {
    Checkin {
        comment: String,
        confidence: Option<f64>,
    },
    Commit,
    Review(metas_service::goal::ReviewRequest),
}

async fn goal_action(
    state: Arc<AppState>,
    user: PageUser,
    id: i64,
    action: GoalAction,
) -> Response {
    let u = user.session.user.clone();
    let who = u.login.clone();
    let today = (state.settings.today)();
    let result = state
        .with_store(move |store| {
            let visible = match store.goal(id)? {
                Some(g) => metas_service::goal::visible_to(store, &g, &u)?,
                None => false,
            };
            if !visible {
                return Ok(false);
            }
            match action {
                GoalAction::Checkin {
                    comment,
                    confidence,
                } => metas_service::goal::checkin(store, id, today, &comment, confidence, &who)?,
                GoalAction::Commit => metas_service::goal::commit(store, id, today, &who)?,
                GoalAction::Review(r) => metas_service::goal::review(store, id, &r, &who)?,
            }
            Ok(true)
        })
        .await;
    match result {
        Ok(true) => Redirect::to(&format!("/goals/{id}")).into_response(),
        Ok(false) => ApiError::NotFound(format!("there is no goal {id}")).into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn goal_checkin(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<CheckinForm>,
) -> Response {
    if !auth::same_secret(&user.session.csrf, &form.csrf) {
        return ApiError::Csrf.into_response();
    }
    let confidence = match form.confidence.trim() {
        "" => None,
        c => match c.parse::<f64>() {
            Ok(v) => Some(v),
            Err(_) => {
                return ApiError::Invalid(format!("confidence '{c}' is not a number from 0 to 1"))
                    .into_response()
            }
        },
    };
    goal_action(
        state,
        user,
        id,
        GoalAction::Checkin {
            comment: form.comment,
            confidence,
        },
    )
    .await
}

pub async fn goal_commit(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !auth::same_secret(&user.session.csrf, &form.csrf) {
        return ApiError::Csrf.into_response();
    }
    goal_action(state, user, id, GoalAction::Commit).await
}

pub async fn goal_review(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    axum::extract::Path(id): axum::extract::Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Response {
    if !auth::same_secret(&user.session.csrf, &form.csrf) {
        return ApiError::Csrf.into_response();
    }
    let opt = |s: String| (!s.trim().is_empty()).then_some(s);
    let review = metas_service::goal::ReviewRequest {
        on: (state.settings.today)(),
        decision: form.decision,
        notes: form.notes,
        blocked_by: opt(form.blocked_by),
        new_practice: opt(form.new_practice),
    };
    goal_action(state, user, id, GoalAction::Review(review)).await
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct ReviewsPage {
    csrf: String,
    /// (goal, due on, days overdue)
    overdue: Vec<(i64, String, i64)>,
    due: Vec<(i64, String, i64)>,
}

/// The reviews due and overdue, over the goals the user may see.
pub async fn reviews(State(state): State<Arc<AppState>>, user: PageUser) -> Response {
    let today = (state.settings.today)();
    let u = user.session.user.clone();
    let result = state
        .with_store(move |store| {
            let agenda = metas_service::goal::review_list(store, today)?;
            let visible: Vec<i64> = metas_service::goal::visible_goals(store, &u)?
                .iter()
                .map(|g| g.id)
                .collect();
            let pick = |list: &[metas_domain::goal::review::ScheduledReview<i64>]| {
                list.iter()
                    .filter(|r| visible.contains(&r.goal))
                    .map(|r| (r.goal, r.due_on.to_string(), r.days_overdue))
                    .collect::<Vec<_>>()
            };
            Ok((pick(&agenda.overdue), pick(&agenda.due)))
        })
        .await;
    match result {
        Ok((overdue, due)) => render(&ReviewsPage {
            csrf: user.session.csrf.clone(),
            overdue,
            due,
        }),
        Err(e) => e.into_response(),
    }
}
