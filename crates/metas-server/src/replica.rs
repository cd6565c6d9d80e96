//! Following the shared PostgreSQL (issue 17): when the server's store is
//! the read model of a shared PostgreSQL, a thread catches it up whenever
//! another instance commits (LISTEN/NOTIFY, polled every second as well),
//! and each client reads its own writes: every response names the change
//! the read model holds (header `Metas-Change`, and a cookie after a
//! write), and a request naming a later one waits (boundedly) for the read
//! model to catch up before it is answered.

use std::sync::{Arc, Weak};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderValue, Method};
use axum::response::Response;
use metas_store::pg::PgDatabase;
use metas_store::Store;

use crate::AppState;

/// The header a response names its change in, and a client sends back.
pub const CHANGE_HEADER: &str = "metas-change";
/// The cookie a browser carries its last write's change in.
pub const CHANGE_COOKIE: &str = "metas_change";
/// How long a request waits for the read model to reach its change before
/// it is answered from what the read model holds.
const READ_YOUR_WRITES_WAIT: Duration = Duration::from_secs(2);
/// How often the follower looks for changes when no notification came
/// (a notification can be lost with its connection).
const POLL: Duration = Duration::from_secs(1);

/// Starts the thread that keeps `store` (a connection of the server's read
/// model) caught up; it ends soon after the server's state is dropped.
pub(crate) fn follow(state: &Arc<AppState>, url: String, store: Store) {
    let weak = Arc::downgrade(state);
    let spawned = std::thread::Builder::new()
        .name("metas-follow".into())
        .spawn(move || follow_loop(weak, &url, store));
    if let Err(e) = spawned {
        tracing::error!(error = %e, "cannot follow the shared database");
    }
}

fn follow_loop(state: Weak<AppState>, url: &str, mut store: Store) {
    let mut listener: Option<PgDatabase> = None;
    loop {
        let Some(st) = state.upgrade() else { return };
        {
            // A backup of the read model waits for this catch-up, and it for the backup.
            let gate = store.gate();
            let _working = gate.shared();
            match store.catch_up() {
                Ok(Some(c)) => st.saw_change(c.to),
                Ok(None) => return,
                Err(e) => tracing::warn!(error = %e, "catching up the read model"),
            }
        }
        drop(st);
        if listener.is_none() {
            listener = PgDatabase::connect(url)
                .and_then(|mut pg| pg.listen().map(|()| pg))
                .map_err(|e| tracing::warn!(error = %e, "listening for changes"))
                .ok();
        }
        match listener.as_mut() {
            Some(pg) => {
                if let Err(e) = pg.wait_for_change(POLL) {
                    tracing::warn!(error = %e, "waiting for changes");
                    listener = None;
                }
            }
            None => std::thread::sleep(POLL),
        }
    }
}

/// The change a request says its client has seen written: the header, or
/// the cookie of a browser.
fn requested_change(headers: &axum::http::HeaderMap) -> i64 {
    let from_header = headers
        .get(CHANGE_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().strip_prefix(CHANGE_COOKIE)?.strip_prefix('='))
        .filter_map(|v| v.parse::<i64>().ok())
        .max();
    from_header.max(from_cookie).unwrap_or(0)
}

/// Read-your-writes across instances (see the module's comment). On a
/// file of its own, it does nothing.
pub(crate) async fn read_your_writes(
    State(state): State<Arc<AppState>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !state.is_replicated() {
        return next.run(req).await;
    }
    let wanted = requested_change(req.headers());
    if wanted > state.seen_change() {
        let catch_up = state.with_store(|store| Ok(store.catch_up()?));
        match tokio::time::timeout(READ_YOUR_WRITES_WAIT, catch_up).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = ?e, "catching up for a client"),
            Err(_) => tracing::warn!(wanted, "the read model did not catch up in time"),
        }
    }
    let wrote = !matches!(*req.method(), Method::GET | Method::HEAD);
    let mut res = next.run(req).await;
    let seen = state.seen_change();
    let headers = res.headers_mut();
    headers.insert(CHANGE_HEADER, HeaderValue::from(seen));
    if wrote {
        let cookie = crate::auth::cookie(
            CHANGE_COOKIE,
            seen.to_string(),
            state.settings.secure_cookies,
        );
        if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    res
}
