//! metas-server: the web app and the JSON API, two thin adapters over the
//! service layer. Pages are rendered on the server (askama) and work without
//! JavaScript; charts are SVG drawn here.
//!
//! Every route but the login requires a session; every data query is
//! narrowed on the server by the user's data scope (an agent's own
//! interactions, a lead's team). Errors reach clients through one mapping
//! ([`ApiError`]): a status, a stable code and a sentence; causes of 500s are
//! logged, never shown.

mod auth;
pub mod bench;
mod pages;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::civil::Date;
use metas_service::kpi::{answer, KpiRequest};
use metas_service::ServiceError;
use metas_store::Store;
use serde::Deserialize;
use serde_json::json;

pub use auth::{random_token, Sessions};

/// What the server needs from the outside world, built by the binary.
pub struct ServerSettings {
    pub addr: SocketAddr,
    /// Mark cookies `Secure` (set when metas is served behind TLS).
    pub secure_cookies: bool,
    /// Today's date (the binary owns the clock).
    pub today: Box<dyn Fn() -> Date + Send + Sync>,
}

/// Connections to the database, so concurrent requests do not queue behind
/// one another (2 cores: more would only contend).
const CONNECTIONS: usize = 4;

/// Shared by every request.
pub struct AppState {
    stores: Vec<Mutex<Store>>,
    next: std::sync::atomic::AtomicUsize,
    /// Dashboard figures by scope and day, kept until the data version
    /// changes (an import, a setting or a calendar): no stale numbers.
    dashboards: Mutex<std::collections::HashMap<String, (String, Arc<pages::DashboardData>)>>,
    /// API tokens whose secret was verified once (Argon2 is slow by design);
    /// revocation is still checked on every request.
    verified_tokens: Mutex<std::collections::HashSet<String>>,
    sessions: Sessions,
    settings: ServerSettings,
}

impl AppState {
    pub fn new(store: Store, settings: ServerSettings) -> Arc<AppState> {
        let mut stores = Vec::with_capacity(CONNECTIONS);
        for _ in 1..CONNECTIONS {
            match store.try_clone() {
                Ok(s) => stores.push(Mutex::new(s)),
                Err(e) => {
                    tracing::warn!(error = %e, "one connection only");
                    break;
                }
            }
        }
        stores.insert(0, Mutex::new(store));
        Arc::new(AppState {
            stores,
            next: std::sync::atomic::AtomicUsize::new(0),
            dashboards: Mutex::new(std::collections::HashMap::new()),
            verified_tokens: Mutex::new(std::collections::HashSet::new()),
            sessions: Sessions::default(),
            settings,
        })
    }

    /// Runs a blocking store call off the async threads.
    async fn with_store<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Store) -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            // A free connection if there is one, else wait for the next in turn.
            let start = state
                .next
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let n = state.stores.len();
            let mut guard = None;
            for i in 0..n {
                if let Ok(g) = state.stores[(start + i) % n].try_lock() {
                    guard = Some(g);
                    break;
                }
            }
            let mut store = match guard {
                Some(g) => g,
                None => state.stores[start % n]
                    .lock()
                    .unwrap_or_else(|p| p.into_inner()),
            };
            f(&mut store)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("a store task failed: {e}")))?
        .map_err(ApiError::from)
    }
}

/// Every error a client can see, and the one place that maps them to a
/// status and a stable code.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("log in first")]
    Unauthenticated,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    NotFound(String),
    #[error("the form is out of date or was not sent by this site; reload the page and try again")]
    Csrf,
    #[error("too many failed logins; wait a few minutes")]
    TooManyAttempts,
    /// The cause is logged, never shown.
    #[error("something went wrong on the server")]
    Internal(String),
}

impl ApiError {
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            ApiError::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            ApiError::Invalid(_) => (StatusCode::BAD_REQUEST, "invalid_input"),
            ApiError::Refused(_) => (StatusCode::CONFLICT, "refused"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            ApiError::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            ApiError::TooManyAttempts => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Input(m) => ApiError::Invalid(m),
            ServiceError::Refused(m) => ApiError::Refused(m),
            ServiceError::Store(s) => ApiError::Internal(s.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let body = json!({ "error": { "code": code, "message": self.to_string() } });
        (status, Json(body)).into_response()
    }
}

/// The routes: pages and `/api/v1`.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/login", get(pages::login_form).post(pages::login))
        .route("/logout", post(pages::logout))
        .route("/kpi/{id}", get(pages::explorer))
        .route("/goals", get(pages::goals))
        .route(
            "/goals/new",
            get(pages::goal_new_form).post(pages::goal_new),
        )
        .route("/goals/{id}", get(pages::goal))
        .route("/goals/{id}/checkin", post(pages::goal_checkin))
        .route("/goals/{id}/commit", post(pages::goal_commit))
        .route("/goals/{id}/review", post(pages::goal_review))
        .route("/reviews", get(pages::reviews))
        .route("/api/v1/me", get(me))
        .route("/api/v1/kpi/{id}", get(kpi))
        .route("/api/v1/goals", get(goals))
        .route("/api/v1/goals/{id}", get(goal))
        .route("/api/v1/interactions", get(interactions))
        .with_state(state)
}

async fn me(user: auth::ApiUser) -> Json<serde_json::Value> {
    Json(json!({ "user": user.0 }))
}

/// `GET /api/v1/kpi/{id}?by=&grain=&from=&to=&where=&stat=&time=&compare=`:
/// the JSON of `metas kpi --format json`, narrowed to the user's scope.
#[derive(Debug, Deserialize)]
struct KpiParams {
    by: Option<String>,
    grain: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[serde(rename = "where")]
    segment: Option<String>,
    stat: Option<String>,
    time: Option<String>,
    #[serde(default)]
    compare: bool,
}

fn date_param(raw: &Option<String>, name: &str) -> Result<Option<Date>, ApiError> {
    raw.as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<Date>()
                .map_err(|_| ApiError::Invalid(format!("{name} '{s}' is not a date (YYYY-MM-DD)")))
        })
        .transpose()
}

async fn kpi(
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

/// `GET /api/v1/goals`: the goals the user may see.
async fn goals(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = user.0;
    let list = state
        .with_store(move |store| metas_service::goal::visible_goals(store, &user))
        .await?;
    Ok(Json(json!({ "goals": list })))
}

/// `GET /api/v1/goals/{id}?as_of=`: a goal tracked (404 when the user may
/// not see it, so its existence is not revealed).
async fn goal(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<AsOf>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = user.0;
    let as_of = date_param(&p.as_of, "as_of")?.unwrap_or_else(|| (state.settings.today)());
    let tracking = state
        .with_store(move |store| metas_service::goal::track_visible(store, id, as_of, &user))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("there is no goal {id}")))?;
    Ok(Json(
        serde_json::to_value(tracking).map_err(|e| ApiError::Internal(e.to_string()))?,
    ))
}

#[derive(Debug, Deserialize)]
struct AsOf {
    as_of: Option<String>,
}

#[derive(Debug, Deserialize)]
struct DrillParams {
    kpi: Option<String>,
    #[serde(rename = "where")]
    segment: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<u64>,
    format: Option<String>,
}

/// `GET /api/v1/interactions?kpi=&where=&from=&to=&limit=&format=json|csv`:
/// the interactions behind a number, within the user's scope.
async fn interactions(
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
        let mut w = ::csv::Writer::from_writer(Vec::new());
        let cell = |v: &metas_store::DimValue| v.as_text().unwrap_or_default();
        let csv_err = |e: ::csv::Error| ApiError::Internal(e.to_string());
        w.write_record(&columns).map_err(csv_err)?;
        for r in &rows {
            w.write_record(r.iter().map(cell)).map_err(csv_err)?;
        }
        let body = w
            .into_inner()
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        return Ok((
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    "attachment; filename=\"interactions.csv\"",
                ),
            ],
            body,
        )
            .into_response());
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

/// Serves on a bound listener until the task is dropped (tests bind port 0).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
) -> Result<(), std::io::Error> {
    axum::serve(listener, router(state)).await
}

/// Serves until the process is stopped.
pub fn serve_blocking(store: Store, settings: ServerSettings) -> Result<(), std::io::Error> {
    let addr = settings.addr;
    let state = AppState::new(store, settings);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!(%addr, "serving");
        eprintln!("metas is serving on http://{}", listener.local_addr()?);
        serve_on(listener, state).await
    })
}
