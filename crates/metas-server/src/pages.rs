//! The HTML pages: login, dashboard, KPI explorer and drill-down, goals,
//! reviews. Every string a user reads comes from the request's language
//! (`tr`); numbers and dates are written the locale's way.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use jiff::civil::Date;
use jiff::ToSpan;
use metas_domain::goal::checks::{Check, CheckArg};
use metas_domain::kpi::{Grain, KpiDef, Stat, TimeBasis, Unit};
use metas_service::kpi::{answer_many, find_kpi, KpiAnswer, ParsedRequest};
use metas_service::users::verify;
use metas_store::prelude::*;
use serde::Deserialize;

use crate::auth::{self, cookie, Nav, PageUser, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::i18n::{Lang, Tr};
use crate::{ApiError, AppState};

/// A page, or the error page when it cannot be rendered.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::Internal(format!("rendering a page: {e}")).into_response(),
    }
}

/// The page every error shows in a browser.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub tr: Tr,
    pub title: String,
    pub message: String,
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    tr: Tr,
    csrf: String,
    error: Option<String>,
}

fn login_page(state: &AppState, jar: CookieJar, tr: Tr, error: Option<String>) -> Response {
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
    (status, jar, render(&LoginPage { tr, csrf, error })).into_response()
}

#[derive(Deserialize)]
pub struct LangParam {
    lang: Option<String>,
}

/// The login form; `?lang=` picks its language before anyone logs in.
pub async fn login_form(
    State(state): State<Arc<AppState>>,
    jar: CookieJar,
    Query(p): Query<LangParam>,
) -> Response {
    let chosen = p.lang.as_deref().and_then(Lang::parse);
    let (jar, tr) = match chosen {
        Some(lang) => (
            jar.add(cookie(
                LANG_COOKIE,
                lang.tag().to_string(),
                state.settings.secure_cookies,
            )),
            Tr::new(lang),
        ),
        None => (jar, Tr::current()),
    };
    login_page(&state, jar, tr, None)
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
            let tr = Tr::current();
            login_page(&state, jar, tr, Some(tr.t("login-failed")))
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

pub async fn logout(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&form.csrf)?;
    state.sessions.end(&user.token);
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/login"),
    )
        .into_response())
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

/// One KPI tile of the dashboard.
struct Tile {
    id: &'static str,
    name: String,
    definition: String,
    value: String,
    n: String,
    interval: Option<String>,
    change: Option<String>,
    /// `up` (better), `down` (worse) or empty.
    trend: &'static str,
    sparkline: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
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

const TILES: &[&str] = &["volume", "csat", "nps", "fcr", "frt", "aht"];
const DAY_CHOICES: [i64; 4] = [7, 30, 90, 365];

/// The dashboard's figures for one scope, filter and day.
pub struct DashboardData {
    from: Date,
    now: Vec<KpiAnswer>,
    weekly: Vec<KpiAnswer>,
    channels: Vec<String>,
    teams: Vec<String>,
}

fn tile(tr: &Tr, kpi: &'static KpiDef, now: &KpiAnswer, weekly: &KpiAnswer) -> Tile {
    let row = now.rows.first();
    let figure = row.map(|r| r.figure);
    let previous = row.and_then(|r| r.previous);
    let (change, trend) = match (figure.and_then(|f| f.value), previous.and_then(|p| p.value)) {
        (Some(a), Some(b)) => {
            let d = a - b;
            let text = match kpi.unit {
                Unit::Rate => tr.num(&format!("{:+.1} pp", d * 100.0)),
                _ => format!(
                    "{}{}",
                    if d >= 0.0 { "+" } else { "−" },
                    tr.value(kpi.unit, d.abs())
                ),
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
        name: tr.kpi_name(kpi.id),
        definition: tr.kpi_definition(kpi.id),
        value: show(tr, kpi.unit, figure.and_then(|f| f.value)),
        n: tr.count(figure.map(|f| f.n).unwrap_or(0)),
        interval: figure.and_then(|f| interval(tr, kpi.unit, f.ci_low, f.ci_high)),
        change,
        trend,
        sparkline: sparkline(&values),
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
) -> Response {
    let tr = user.tr;
    let today = (state.settings.today)();
    let days = p.days.filter(|d| DAY_CHOICES.contains(d)).unwrap_or(30);
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
    let filter = match metas_service::kpi::parse_segment(Some(filter_text.as_str())) {
        Ok(f) => f,
        Err(e) => {
            page.error = Some(e.to_string());
            return (axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response();
        }
    };
    let u = user.user().clone();
    let scope = auth::narrow(filter, &u);
    let key = format!("{scope:?}|{today}|{days}");
    let cached = state
        .dashboards
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&key)
        .cloned();
    let user_scope = auth::narrow(None, &u);
    let result = state
        .with_store(move |store| {
            let version = store.data_version()?;
            if let Some((v, data)) = cached {
                if v == version {
                    return Ok((version, data, true));
                }
            }
            let from = today
                .checked_sub((days - 1).days())
                .map_err(|e| metas_service::ServiceError::Input(e.to_string()))?;
            let weeks_from = today
                .checked_sub((days.max(84) - 1).days())
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
            // The filters' choices: the channels and teams in the user's data.
            let volume = find_kpi("volume")?;
            use metas_domain::segment::{Dimension, Field};
            let choices: Vec<ParsedRequest> = [Dimension::Channel, Dimension::Team]
                .iter()
                .map(|dim| ParsedRequest {
                    kpi: volume,
                    by: vec![Field::Dimension(*dim)],
                    grain: None,
                    from: None,
                    to: None,
                    segment: user_scope.clone(),
                    stat: Stat::Mean,
                    time: TimeBasis::Calendar,
                    compare: false,
                })
                .collect();
            // One request each: answers given together must share --by.
            let mut names = Vec::new();
            for request in &choices {
                let a = answer_many(store, std::slice::from_ref(request))?;
                names.push(
                    a[0].rows
                        .iter()
                        .filter_map(|r| r.dims.first().and_then(|(_, v)| v.as_text()))
                        .collect::<Vec<String>>(),
                );
            }
            let teams = names.pop().unwrap_or_default();
            let channels = names.pop().unwrap_or_default();
            let data = DashboardData {
                from,
                now: answer_many(store, &now)?,
                weekly: answer_many(store, &weekly)?,
                channels,
                teams,
            };
            Ok((version, Arc::new(data), false))
        })
        .await;
    let (version, data, hit) = match result {
        Ok(r) => r,
        Err(ApiError::Invalid(m)) => {
            page.error = Some(m);
            return (axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response();
        }
        Err(e) => return e.into_response(),
    };
    if !hit {
        let mut cache = state.dashboards.lock().unwrap_or_else(|p| p.into_inner());
        // One entry per scope, filter and day; old days are not worth keeping.
        if cache.len() > 1000 {
            cache.clear();
        }
        cache.insert(key, (version, data.clone()));
    }
    page.from = tr.date(data.from);
    page.channels = data.channels.clone();
    page.teams = data.teams.clone();
    page.tiles = data
        .now
        .iter()
        .zip(&data.weekly)
        .map(|(n, w)| tile(&tr, n.kpi, n, w))
        .collect();
    render(&page)
}

#[derive(Template)]
#[template(path = "explorer.html")]
struct ExplorerPage {
    tr: Tr,
    nav: Nav,
    id: String,
    name: String,
    kpis: Vec<(&'static str, String)>,
    dimensions: Vec<&'static str>,
    grains: Vec<(&'static str, String)>,
    by: String,
    by2: String,
    grain: String,
    from: String,
    to: String,
    segment: String,
    error: Option<String>,
    chart: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    definition: String,
    settings: String,
    drill: String,
    drill_csv: String,
    csv: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ExplorerParams {
    #[serde(default)]
    by: String,
    /// A second dimension (the explorer crosses two).
    #[serde(default)]
    by2: String,
    #[serde(default)]
    grain: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, rename = "where")]
    segment: String,
}

impl ExplorerParams {
    /// The interactions behind the figures, as the API's CSV.
    fn drill_csv(&self, kpi: &str) -> String {
        format!(
            "/api/v1/interactions?format=csv&kpi={kpi}&where={}&from={}&to={}",
            encode(&self.segment),
            encode(&self.from),
            encode(&self.to)
        )
    }

    fn query(&self) -> String {
        format!(
            "by={}&by2={}&grain={}&from={}&to={}&where={}",
            encode(&self.by),
            encode(&self.by2),
            encode(&self.grain),
            encode(&self.from),
            encode(&self.to),
            encode(&self.segment)
        )
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

/// The answer of an explorer query, narrowed to the user's scope.
async fn explore(
    state: &Arc<AppState>,
    user: &PageUser,
    kpi: &'static KpiDef,
    p: &ExplorerParams,
) -> Result<KpiAnswer, ApiError> {
    let tr = user.tr;
    let from = date_field(&tr, &tr.t("explorer-from"), &p.from).map_err(ApiError::Invalid)?;
    let to = date_field(&tr, &tr.t("explorer-to"), &p.to).map_err(ApiError::Invalid)?;
    let req = metas_service::kpi::KpiRequest {
        kpi: kpi.id.to_string(),
        by: nonempty(&p.by)
            .into_iter()
            .chain(nonempty(&p.by2))
            .collect(),
        grain: nonempty(&p.grain),
        from,
        to,
        segment: nonempty(&p.segment),
        ..Default::default()
    };
    let u = user.user().clone();
    let mut answers = state
        .with_store(move |store| {
            let mut parsed = req.parse()?;
            parsed.segment = auth::narrow(parsed.segment, &u);
            answer_many(store, std::slice::from_ref(&parsed))
        })
        .await?;
    Ok(answers.remove(0))
}

/// The KPI explorer: any KPI by any dimension and grain, chart and table
/// with intervals, the definition, and the interactions behind it.
pub async fn explorer(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
    Query(p): Query<ExplorerParams>,
) -> Result<Response, ApiError> {
    let kpi = find_kpi(&id)?;
    let tr = user.tr;
    let query = p.query();
    let mut page = ExplorerPage {
        tr,
        nav: user.nav(),
        id: kpi.id.to_string(),
        name: tr.kpi_name(kpi.id),
        kpis: kpi_choices(&tr),
        dimensions: metas_domain::segment::Dimension::ALL
            .iter()
            .map(|d| d.as_str())
            .collect(),
        grains: ["day", "week", "month", "quarter", "year", "fiscal_year"]
            .iter()
            .map(|g| (*g, tr.t(&format!("grain-{}", g.replace('_', "-")))))
            .collect(),
        by: p.by.clone(),
        by2: p.by2.clone(),
        grain: p.grain.clone(),
        from: p.from.clone(),
        to: p.to.clone(),
        segment: p.segment.clone(),
        error: None,
        chart: String::new(),
        header: vec![],
        rows: vec![],
        definition: tr.kpi_definition(kpi.id),
        settings: String::new(),
        drill: format!("/kpi/{}/interactions?{query}", kpi.id),
        drill_csv: p.drill_csv(kpi.id),
        csv: format!("/kpi/{}/csv?{query}", kpi.id),
    };
    let answer = match explore(&state, &user, kpi, &p).await {
        Ok(a) => a,
        Err(ApiError::Invalid(m)) => {
            page.error = Some(m);
            return Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response());
        }
        Err(e) => return Err(e),
    };
    page.header = answer.by.clone();
    if answer.rows.iter().any(|r| r.period.is_some()) {
        page.header.push(tr.t("explorer-period"));
    }
    page.header.extend([
        tr.t("explorer-value"),
        tr.t("explorer-n"),
        tr.t("explorer-interval"),
    ]);
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for r in &answer.rows {
        let mut cells: Vec<String> = r
            .dims
            .iter()
            .map(|(_, v)| v.as_text().unwrap_or_else(|| tr.t("explorer-none")))
            .collect();
        if let Some(p) = &r.period {
            cells.push(p.clone());
        }
        labels.push(if cells.is_empty() {
            page.name.clone()
        } else {
            cells.join(" · ")
        });
        let f = r.figure;
        values.push(f.value.map(|v| (v, f.ci_low, f.ci_high)));
        cells.push(show(&tr, kpi.unit, f.value));
        cells.push(tr.count(f.n));
        cells.push(interval(&tr, kpi.unit, f.ci_low, f.ci_high).unwrap_or_default());
        page.rows.push(cells);
    }
    page.chart = bar_chart(&tr, &labels, &values, kpi.unit);
    page.settings = answer
        .settings
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(render(&page))
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

/// The explorer's table as CSV (values as machines read them).
pub async fn explorer_csv(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
    Query(p): Query<ExplorerParams>,
) -> Result<Response, ApiError> {
    let kpi = find_kpi(&id)?;
    let a = explore(&state, &user, kpi, &p).await?;
    Ok(csv_response(&a.csv_records(), &format!("{}.csv", kpi.id)).into_response())
}

#[derive(Template)]
#[template(path = "interactions.html")]
struct DrillPage {
    tr: Tr,
    nav: Nav,
    summary: String,
    back: String,
    csv: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    truncated: bool,
    shown: String,
}

/// Rows the drill-down page shows (the CSV has them all).
const DRILL_ROWS: u64 = 200;

/// The interactions in a KPI's sample, newest first, within the user's
/// scope: the first rows on the page, all of them as CSV.
pub async fn drill(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
    Query(p): Query<ExplorerParams>,
) -> Result<Response, ApiError> {
    let kpi = find_kpi(&id)?;
    let tr = user.tr;
    let (from, to) = match (
        date_field(&tr, &tr.t("explorer-from"), &p.from),
        date_field(&tr, &tr.t("explorer-to"), &p.to),
    ) {
        (Ok(f), Ok(t)) => (f, t),
        (Err(m), _) | (_, Err(m)) => return Err(ApiError::Invalid(m)),
    };
    let req = metas_service::drill::DrillRequest {
        kpi: Some(kpi.id.to_string()),
        segment: nonempty(&p.segment),
        from,
        to,
        limit: Some(DRILL_ROWS + 1),
        within: user.user().data_scope(),
    };
    let mut rows = state
        .with_store(move |store| {
            let mut rows: Vec<Vec<String>> = Vec::new();
            metas_service::drill::drill(store, &req, |cells| {
                rows.push(
                    cells
                        .iter()
                        .map(|v| v.as_text().unwrap_or_default())
                        .collect(),
                );
                Ok(())
            })?;
            Ok(rows)
        })
        .await?;
    let truncated = rows.len() as u64 > DRILL_ROWS;
    rows.truncate(DRILL_ROWS as usize);
    Ok(render(&DrillPage {
        tr,
        nav: user.nav(),
        summary: tr.t2(
            "drill-summary",
            "kpi",
            tr.kpi_name(kpi.id),
            "n",
            tr.count(rows.len() as u64),
        ),
        back: format!("/kpi/{}?{}", kpi.id, p.query()),
        csv: p.drill_csv(kpi.id),
        columns: metas_service::drill::columns(),
        rows,
        truncated,
        shown: tr.count(DRILL_ROWS),
    }))
}

struct GoalItem {
    id: i64,
    depth: usize,
    sentence: String,
    status: String,
    status_text: String,
    bar: String,
}

#[derive(Template)]
#[template(path = "goals.html")]
struct GoalsPage {
    tr: Tr,
    nav: Nav,
    mission: Option<String>,
    goals: Vec<GoalItem>,
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
    let key = match (&t.progress, t.goal.status.as_str()) {
        (Some(p), "active") => snake(&format!("{:?}", p.status)),
        (_, s) => s.to_string(),
    };
    let text = tr.t(&format!("status-{key}"));
    (key, text)
}

/// The goal tree the user may see, under the mission.
pub async fn goals(State(state): State<Arc<AppState>>, user: PageUser) -> Response {
    let tr = user.tr;
    let today = (state.settings.today)();
    let u = user.user().clone();
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
                let (status, status_text) = goal_status(&tr, &t);
                items.push(GoalItem {
                    id: g.id,
                    depth,
                    sentence: goal_sentence(&tr, &t.goal),
                    status,
                    status_text,
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
            tr,
            nav: user.nav(),
            mission,
            goals,
        }),
        Err(e) => e.into_response(),
    }
}

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage {
    tr: Tr,
    nav: Nav,
    id: i64,
    /// Whether the user may check in, commit and review (the goal's owner
    /// or someone above them).
    editable: bool,
    committed: bool,
    error: Option<String>,
    sentence: String,
    status: String,
    status_text: String,
    now: String,
    progress: String,
    bar: String,
    chart: String,
    stretch: Option<String>,
    forecast: Option<String>,
    milestones: Vec<String>,
    checkins: Vec<String>,
    history: Vec<String>,
}

/// A percentage (0–1) as a whole number the locale's way.
fn whole_percent(tr: &Tr, share: f64) -> String {
    tr.num(&format!("{:.0}", share * 100.0))
}

/// One goal: where it stands, its history, forecast and milestones.
pub async fn goal(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Response {
    let tr = user.tr;
    let today = (state.settings.today)();
    let u = user.user().clone();
    let result = state
        .with_store(move |store| metas_service::goal::track_visible(store, id, today, &u))
        .await;
    let t = match result {
        Ok(Some(t)) => t,
        Ok(None) => return ApiError::NotFound(tr.t1("error-no-goal", "id", id)).into_response(),
        Err(e) => return e.into_response(),
    };
    let unit = metas_domain::kpi::kpi(&t.goal.metric)
        .map(|k| k.unit)
        .unwrap_or(Unit::Score);
    let val = |v: f64| tr.value(unit, v);
    let (status, status_text) = goal_status(&tr, &t);
    let page = GoalPage {
        tr,
        nav: user.nav(),
        id,
        editable: true,
        committed: t.goal.committed_on.is_some(),
        error: None,
        sentence: goal_sentence(&tr, &t.goal),
        status,
        status_text,
        now: t
            .now
            .as_ref()
            .and_then(|f| {
                f.value
                    .map(|v| tr.t2("goal-now", "value", val(v), "n", tr.count(f.n)))
            })
            .unwrap_or_else(|| tr.t("goal-no-data")),
        progress: t
            .progress
            .as_ref()
            .map(|p| {
                tr.t2(
                    "goal-progress",
                    "progress",
                    whole_percent(&tr, p.progress),
                    "expected",
                    whole_percent(&tr, p.expected),
                )
            })
            .unwrap_or_default(),
        bar: progress_bar(
            t.progress.as_ref().map(|p| p.progress),
            t.progress.as_ref().map(|p| p.expected),
        ),
        chart: goal_chart(&t),
        stretch: t
            .goal
            .stretch
            .map(|s| tr.t1("goal-stretch-line", "stretch", val(s))),
        forecast: t.forecast.as_ref().map(|f| {
            tr.args(
                "goal-forecast",
                &[
                    ("date", tr.date(f.date)),
                    ("value", val(f.value)),
                    ("low", val(f.interval.low)),
                    ("high", val(f.interval.high)),
                    ("chance", whole_percent(&tr, f.chance)),
                ],
            )
        }),
        milestones: t
            .milestones
            .iter()
            .map(|m| {
                tr.args(
                    "goal-milestone",
                    &[
                        ("date", tr.date(m.date)),
                        ("value", val(m.value)),
                        (
                            "state",
                            tr.t(&format!("milestone-{}", m.state().replace(' ', "-"))),
                        ),
                    ],
                )
            })
            .collect(),
        checkins: t
            .checkins
            .iter()
            .map(|c| match c.confidence {
                Some(conf) => tr.args(
                    "goal-checkin-line-confidence",
                    &[
                        ("date", tr.date(c.on)),
                        ("comment", c.comment.clone()),
                        ("confidence", whole_percent(&tr, conf)),
                    ],
                ),
                None => tr.t2(
                    "goal-checkin-line",
                    "date",
                    tr.date(c.on),
                    "comment",
                    &c.comment,
                ),
            })
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
    parent: String,
    #[serde(default)]
    stretch: String,
    #[serde(default)]
    customer_words: String,
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "goal_new.html")]
struct GoalNewPage {
    tr: Tr,
    nav: Nav,
    kpis: Vec<(&'static str, String)>,
    /// (id, sentence) of the goals a new one may serve.
    parents: Vec<(i64, String)>,
    form: GoalForm,
    error: Option<String>,
    summary: Option<String>,
    explanation: String,
    /// (letter, ok, message, check id)
    checks: Vec<(String, bool, String, &'static str)>,
}

/// A check's sentence in the user's language, with its numbers.
fn check_text(tr: &Tr, c: &Check) -> String {
    if c.key.is_empty() {
        return c.message.clone();
    }
    let args: Vec<(&str, String)> = c
        .args
        .iter()
        .map(|(name, arg)| {
            let text = match arg {
                CheckArg::Number(v) => tr.num(&metas_domain::goal::checks::num(*v)),
                CheckArg::Share(v) => tr.num(&metas_domain::goal::checks::pct(*v)),
                CheckArg::Count(n) => tr.count(*n),
                CheckArg::Date(d) => tr.date(*d),
                CheckArg::Word(w) => tr.t(w),
            };
            (*name, text)
        })
        .collect();
    tr.args(c.key, &args)
}

/// The new-goal form: the goals the user can see are the parents offered.
async fn goal_new_page(state: &Arc<AppState>, user: &PageUser, form: GoalForm) -> GoalNewPage {
    let tr = user.tr;
    let u = user.user().clone();
    let parents = state
        .with_store(move |store| metas_service::goal::visible_goals(store, &u))
        .await
        .map(|goals| {
            goals
                .iter()
                .filter(|g| g.status == "active" || g.status == "draft")
                .map(|g| (g.id, format!("{} · {}", g.id, goal_sentence(&tr, g))))
                .collect()
        })
        .unwrap_or_default();
    GoalNewPage {
        tr,
        nav: user.nav(),
        kpis: kpi_choices(&tr),
        parents,
        form,
        error: None,
        summary: None,
        explanation: String::new(),
        checks: vec![],
    }
}

/// The new-goal form, with the owner the user is most likely to set.
pub async fn goal_new_form(State(state): State<Arc<AppState>>, user: PageUser) -> Response {
    let u = user.user();
    let owner = match (&u.agent, &u.team) {
        (Some(a), _) => format!("agent:{a}"),
        (_, Some(t)) => format!("team:{t}"),
        _ => "org".into(),
    };
    let form = GoalForm {
        metric: "csat".into(),
        owner,
        ..Default::default()
    };
    render(&goal_new_page(&state, &user, form).await)
}

/// Checks the goal (`action=check`, what the form calls as fields change)
/// or saves it (`action=save`) and goes to its page.
pub async fn goal_new(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(form): Form<GoalForm>,
) -> Response {
    if let Err(e) = user.check_csrf(&form.csrf) {
        return e.into_response();
    }
    let tr = user.tr;
    let mut page = goal_new_page(&state, &user, form.clone()).await;
    let start = match date_field(&tr, &tr.t("goal-start"), &form.start) {
        Ok(d) => d,
        Err(m) => {
            page.error = Some(m);
            return (axum::http::StatusCode::BAD_REQUEST, render(&page)).into_response();
        }
    };
    let req = metas_service::goal::GoalRequest {
        metric: form.metric.clone(),
        owner: form.owner.trim().to_string(),
        segment: nonempty(&form.scope),
        to: nonempty(&form.to),
        by: nonempty(&form.by),
        deadline: form.deadline.clone(),
        start,
        parent: form.parent.trim().parse().ok(),
        stretch: nonempty(&form.stretch),
        customer_words: nonempty(&form.customer_words),
        as_of: (state.settings.today)(),
        who: user.user().login.clone(),
        ..Default::default()
    };
    let save = form.action == "save";
    let u = user.user().clone();
    let not_allowed = tr.t1("goal-not-allowed", "owner", form.owner.trim());
    let result = state
        .with_store(move |store| {
            if !metas_service::goal::owner_visible_to(store, &req.owner, &u)? {
                return Err(metas_service::ServiceError::Input(not_allowed));
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
            let unit = plan.kpi.unit;
            let mut args = vec![
                ("owner", owner_text(&tr, &plan.owner.key())),
                (
                    "direction",
                    tr.t(&format!("goal-direction-{}", plan.target.direction)),
                ),
                ("metric", tr.kpi_name(plan.kpi.id)),
                ("baseline", show(&tr, unit, plan.baseline.figure.value)),
                ("target", tr.value(unit, plan.target.target)),
                ("start", tr.date(plan.start)),
                ("deadline", tr.date(plan.deadline)),
            ];
            let id = match plan.scope.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => {
                    args.push(("scope", s.to_string()));
                    "goal-plan-sentence-scoped"
                }
                None => "goal-plan-sentence",
            };
            page.summary = Some(tr.args(id, &args));
            page.explanation = plan.target.explanation.clone();
            let c = &plan.checks;
            page.checks = [
                ("specific", &c.specific),
                ("measurable", &c.measurable),
                ("achievable", &c.achievable),
                ("relevant", &c.relevant),
                ("time-bound", &c.time_bound),
                ("focus", &c.focus),
            ]
            .into_iter()
            .map(|(letter, check)| {
                (
                    tr.t(&format!("check-letter-{letter}")),
                    check.ok,
                    check_text(&tr, check),
                    letter,
                )
            })
            .collect();
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
    let u = user.user().clone();
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
        Ok(false) => ApiError::NotFound(user.tr.t1("error-no-goal", "id", id)).into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn goal_checkin(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<CheckinForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&form.csrf)?;
    let confidence = match form.confidence.trim().replace(',', ".").as_str() {
        "" => None,
        c => Some(c.parse::<f64>().map_err(|_| {
            ApiError::Invalid(format!("confidence '{c}' is not a number from 0 to 1"))
        })?),
    };
    Ok(goal_action(
        state,
        user,
        id,
        GoalAction::Checkin {
            comment: form.comment,
            confidence,
        },
    )
    .await)
}

pub async fn goal_commit(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&form.csrf)?;
    Ok(goal_action(state, user, id, GoalAction::Commit).await)
}

pub async fn goal_review(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&form.csrf)?;
    let opt = |s: String| (!s.trim().is_empty()).then_some(s);
    let review = metas_service::goal::ReviewRequest {
        on: (state.settings.today)(),
        decision: form.decision,
        notes: form.notes,
        blocked_by: opt(form.blocked_by),
        new_practice: opt(form.new_practice),
    };
    Ok(goal_action(state, user, id, GoalAction::Review(review)).await)
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct ReviewsPage {
    tr: Tr,
    nav: Nav,
    /// (goal, due on, days overdue)
    overdue: Vec<(i64, String, String)>,
    due: Vec<(i64, String, String)>,
}

/// The reviews due and overdue, over the goals the user may see.
pub async fn reviews(State(state): State<Arc<AppState>>, user: PageUser) -> Response {
    let tr = user.tr;
    let today = (state.settings.today)();
    let u = user.user().clone();
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
                    .map(|r| {
                        (
                            r.goal,
                            tr.date(r.due_on),
                            tr.count(r.days_overdue.max(0) as u64),
                        )
                    })
                    .collect::<Vec<_>>()
            };
            Ok((pick(&agenda.overdue), pick(&agenda.due)))
        })
        .await;
    match result {
        Ok((overdue, due)) => render(&ReviewsPage {
            tr,
            nav: user.nav(),
            overdue,
            due,
        }),
        Err(e) => e.into_response(),
    }
}

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
fn bar_chart(tr: &Tr, labels: &[String], values: &[Option<Bar>], unit: Unit) -> String {
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
                esc(&tr.value(unit, *value)),
                x = label_w + w + 4.0,
                ty = y + 13.0
            ));
        }
    }
    svg.push_str("</svg>");
    svg
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
