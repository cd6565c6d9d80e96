//! metas-server: the web app and the JSON API, two thin adapters over the
//! service layer. Pages are rendered on the server (askama) and work without
//! JavaScript; charts are SVG drawn here.
//!
//! Every route but the login, the favicon, the script and the OpenAPI document requires
//! a session; every data query is narrowed on the server by the user's data
//! scope (an agent's own interactions, a lead's team). Errors reach clients through one mapping
//! ([`ApiError`]): a status, a stable code and a sentence; causes of 500s are
//! logged, never shown.

mod api;
mod auth;
pub mod bench;
mod charts;
mod error;
pub mod i18n;
mod pages;
pub mod replica;
mod state;

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use metas_store::Store;

pub use auth::{random_token, Sessions};
pub use error::ApiError;
pub use state::{AppState, ServerSettings};

/// What every response says about how a browser may use it: only this
/// origin's scripts, styles, images and forms, no plugin, no framing by
/// another site, no guessing of content types, no full address sent
/// elsewhere. No inline script runs (the pages' behaviours are `/metas.js`);
/// styles may be inline (the layout's and the charts').
const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
    ),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
];

async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    for (name, value) in SECURITY_HEADERS {
        headers.insert(
            axum::http::HeaderName::from_static(name),
            axum::http::HeaderValue::from_static(value),
        );
    }
    res
}

/// Decides each request's language (and whether it is a page or an API
/// call) before the handler runs.
async fn locale(
    State(state): State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let lang = auth::language_of(req.headers(), &state).await;
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
        .route("/", get(pages::dashboard::dashboard))
        .route(
            "/login",
            get(pages::login::login_form).post(pages::login::login),
        )
        .route("/logout", post(pages::login::logout))
        .route("/favicon.svg", get(pages::assets::favicon))
        .route("/favicon.ico", get(pages::assets::favicon))
        .route("/metas.js", get(pages::assets::script))
        .route("/kpi/{id}", get(pages::explorer::explorer))
        .route("/goals", get(pages::goals::goals))
        .route(
            "/goals/new",
            get(pages::goals::goal_new_form).post(pages::goals::goal_new),
        )
        .route("/goals/{id}", get(pages::goals::goal))
        .route("/goals/{id}/checkin", post(pages::goals::goal_checkin))
        .route("/goals/{id}/commit", post(pages::goals::goal_commit))
        .route("/goals/{id}/review", post(pages::goals::goal_review))
        .route("/kpi/{id}/interactions", get(pages::explorer::drill))
        .route("/kpi/{id}/csv", get(pages::explorer::explorer_csv))
        .route("/reviews", get(pages::reviews::reviews))
        .route("/sla", get(pages::sla::page))
        .route("/sla/policies", post(pages::sla::save))
        .route("/sla/policies/delete", post(pages::sla::delete))
        .route("/coaching", get(pages::coaching::home))
        .route(
            "/coaching/agents/{agent}/plan",
            get(pages::coaching::plan).post(pages::coaching::create),
        )
        .route("/coaching/plans/{id}/print", get(pages::coaching::print))
        .route(
            "/coaching/plans/{id}/sessions/{session}/record",
            post(pages::coaching::record),
        )
        .route(
            "/coaching/plans/{id}/sessions/{session}/acknowledge",
            post(pages::coaching::acknowledge),
        )
        .route("/quality", get(pages::quality::page))
        .route("/quality/review", get(pages::quality::review_by_key))
        .route(
            "/quality/interactions/{id}/review",
            get(pages::quality::review_form).post(pages::quality::save_review),
        )
        .route("/quality/reviews", get(pages::quality::reviews_page))
        .route("/quality/reviews/{id}", get(pages::quality::review_page))
        .route(
            "/quality/rubrics",
            get(pages::quality::rubrics_page).post(pages::quality::save_rubric),
        )
        .route("/quality/rubrics/{name}", get(pages::quality::rubric_page))
        .route(
            "/profiles",
            get(pages::profiles::profiles_page).post(pages::profiles::save_profile),
        )
        .route("/profiles/{name}", get(pages::profiles::profile_page))
        .route(
            "/profiles/{name}/compare",
            get(pages::profiles::compare_page),
        )
        .route(
            "/candidates",
            get(pages::profiles::candidates_page).post(pages::profiles::add_candidate),
        )
        .route("/candidates/{id}", get(pages::profiles::candidate_page))
        .route(
            "/candidates/{id}/assess",
            get(pages::profiles::assess_page).post(pages::profiles::save_assessment),
        )
        .route("/candidates/{id}/reveal", post(pages::profiles::reveal))
        .route("/candidates/{id}/assessors", post(pages::profiles::invite))
        .route("/candidates/{id}/notes", post(pages::profiles::add_note))
        .route(
            "/candidates/{id}/erase",
            get(pages::profiles::erase_page).post(pages::profiles::erase),
        )
        .route(
            "/assessments",
            post(pages::profiles::start_agent_assessment),
        )
        .route(
            "/assessments/{id}",
            get(pages::profiles::agent_assessment_page),
        )
        .route(
            "/assessments/{id}/rate",
            get(pages::profiles::agent_form).post(pages::profiles::save_agent_form),
        )
        .route(
            "/assessments/{id}/plan",
            post(pages::profiles::plan_from_gap),
        )
        .route("/language", post(pages::settings::language))
        .route(
            "/import",
            get(pages::imports::form)
                .post(pages::imports::upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    pages::imports::MAX_UPLOAD_BYTES,
                )),
        )
        .route("/import/{job}", get(pages::imports::job))
        .route("/import/{job}/start", post(pages::imports::start))
        .route("/import/{job}/rejects.csv", get(pages::imports::rejects))
        .route(
            "/settings",
            get(pages::settings::page).post(pages::settings::set),
        )
        .route("/settings/calendars", post(pages::settings::calendar))
        .route("/settings/users", post(pages::settings::add_user))
        .route("/settings/tokens", post(pages::settings::create_token))
        .route(
            "/settings/tokens/{id}/revoke",
            post(pages::settings::revoke_token),
        )
        .route("/scorecards", get(pages::scorecard::list))
        .route("/agents/{agent}/scorecard", get(pages::scorecard::agent))
        .route(
            "/agents/{agent}/assessments",
            get(pages::profiles::agent_assessments_page),
        )
        .route("/indicators", get(pages::indicators::board))
        .route(
            "/indicators/{kpi}",
            get(pages::indicators::definition).post(pages::indicators::save),
        )
        .merge(api::v1::routes())
        .layer(axum::middleware::from_fn_with_state(state.clone(), locale))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            replica::read_your_writes,
        ))
        .with_state(state)
}

/// Serves on a bound listener until the task is dropped (tests bind port 0).
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
) -> Result<(), std::io::Error> {
    axum::serve(listener, router(state)).await
}

/// Serves until `shutdown` completes, then lets open requests finish (tests
/// restart a server this way).
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), std::io::Error> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
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
