//! metas-server: the web app and the JSON API, two thin adapters over the
//! service layer. Pages are rendered on the server (askama) and work without
//! JavaScript; charts are SVG drawn here.
//!
//! Every route but the login requires a session; every data query is
//! narrowed on the server by the user's data scope (an agent's own
//! interactions, a lead's team). Errors reach clients through one mapping
//! ([`ApiError`]): a status, a stable code and a sentence; causes of 500s are
//! logged, never shown.

mod api;
mod auth;
pub mod bench;
pub mod i18n;
mod imports;
mod openapi;
mod pages;
mod settings_pages;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::civil::Date;
use metas_service::ServiceError;
use metas_store::Store;
use serde_json::json;

use crate::i18n::CurrentTr;

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
    jobs: imports::Jobs,
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
            jobs: imports::Jobs::default(),
            settings,
        })
    }

    /// Revokes token `id` if `user` may (their own, or any for an
    /// administrator), and forgets that it was verified.
    async fn revoke_token(
        self: &Arc<Self>,
        id: i64,
        user: metas_service::users::User,
    ) -> Result<(), ApiError> {
        let revoked = self
            .with_store(move |store| metas_service::users::revoke_token_for(store, id, &user))
            .await?;
        if !revoked {
            return Err(ApiError::NotFound(format!("token {id}")));
        }
        self.forget_token(id);
        Ok(())
    }

    /// Forgets that a token was verified (after it is revoked).
    fn forget_token(&self, id: i64) {
        let prefix = format!("mt_{id}_");
        self.verified_tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .retain(|t| !t.starts_with(&prefix));
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
    #[error("your role may not do this")]
    Forbidden,
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
            ApiError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
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

impl ApiError {
    /// The sentence shown, in the request's language. Details that come
    /// from deeper layers (a segment's parse error) are kept as written.
    pub fn message(&self, tr: &i18n::Tr) -> String {
        match self {
            ApiError::Unauthenticated => tr.t("error-unauthenticated"),
            ApiError::Invalid(d) => tr.t1("error-invalid", "detail", d),
            ApiError::Refused(d) => tr.t1("error-refused", "detail", d),
            ApiError::NotFound(d) => tr.t1("error-not-found", "detail", d),
            ApiError::Forbidden => tr.t("error-forbidden"),
            ApiError::Csrf => tr.t("error-csrf"),
            ApiError::TooManyAttempts => tr.t("error-too-many"),
            ApiError::Internal(_) => tr.t("error-internal"),
        }
    }
}

impl IntoResponse for ApiError {
    /// The error envelope for the API, an error page for a browser.
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        if let ApiError::Internal(cause) = &self {
            tracing::error!(%cause, "internal error");
        }
        let tr = i18n::Tr::current();
        let message = self.message(&tr);
        if i18n::wants_html() {
            if let Ok(html) = (pages::ErrorPage {
                tr,
                title: tr.t("error-title"),
                message: message.clone(),
            })
            .render()
            {
                return (status, axum::response::Html(html)).into_response();
            }
        }
        let body = json!({ "error": { "code": code, "message": message } });
        (status, Json(body)).into_response()
    }
}

/// Decides each request's language (and whether it is a page or an API
/// call) before the handler runs.
async fn locale(
    State(state): State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = auth::language_of(req.headers(), &state);
    let html = !req.uri().path().starts_with("/api/");
    let mut response = i18n::scope(lang, html, next.run(req)).await;
    response.headers_mut().insert(
        axum::http::header::CONTENT_LANGUAGE,
        axum::http::HeaderValue::from_static(lang.tag()),
    );
    response
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
        .route("/kpi/{id}/interactions", get(pages::drill))
        .route("/kpi/{id}/csv", get(pages::explorer_csv))
        .route("/reviews", get(pages::reviews))
        .route("/language", post(settings_pages::language))
        .route(
            "/import",
            get(imports::form)
                .post(imports::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    imports::MAX_UPLOAD_BYTES,
                )),
        )
        .route("/import/{job}", get(imports::job))
        .route("/import/{job}/start", post(imports::start))
        .route("/import/{job}/rejects.csv", get(imports::rejects))
        .route(
            "/settings",
            get(settings_pages::page).post(settings_pages::set),
        )
        .route("/settings/calendars", post(settings_pages::calendar))
        .route("/settings/users", post(settings_pages::add_user))
        .route("/settings/tokens", post(settings_pages::create_token))
        .route(
            "/settings/tokens/{id}/revoke",
            post(settings_pages::revoke_token),
        )
        .merge(api::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), locale))
        .with_state(state)
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
