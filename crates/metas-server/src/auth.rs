//! Sessions, CSRF tokens, login rate limiting, and the extractors that make
//! a handler require a logged-in user.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use jiff::Timestamp;
use metas_domain::segment::SegmentExpr;
use metas_service::users::{Role, User};

use crate::i18n::{CurrentTr, Lang, Tr};
use crate::{ApiError, AppState};

pub const SESSION_COOKIE: &str = "metas_session";
/// The login form's double-submit token, before there is a session.
pub const LOGIN_CSRF_COOKIE: &str = "metas_login_csrf";
/// The header an API call that changes something sends with a session
/// cookie: the session's CSRF token (the pages' hidden `csrf` field).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The language chosen before logging in (the login page's links).
pub const LANG_COOKIE: &str = "metas_lang";
/// Sessions kept in memory before the oldest are forgotten (they are still
/// in the store).
const CACHED_SESSIONS: usize = 10_000;

pub use metas_service::sessions::Session;

/// Sessions in use, kept in memory so a request does not read the store each
/// time. The store holds every session (`metas_service::sessions`), so a
/// restart signs no one out: a token not in memory is looked up there.
#[derive(Default)]
pub struct Sessions {
    /// Each with the change of the shared database it was read at (0 on a
    /// file of its own): on a read model, a change made through another
    /// instance (a sign-out there) may have ended it, so it is trusted only
    /// until the read model moves on.
    by_token: Mutex<HashMap<String, (Session, i64)>>,
}

/// 32 random bytes, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Sessions {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Session, i64)>> {
        self.by_token.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Keeps a session in memory (after it was stored or read from the store).
    pub fn keep(&self, token: &str, session: Session, now: Timestamp, change: i64) {
        let mut map = self.map();
        if map.len() >= CACHED_SESSIONS {
            map.retain(|_, (s, _)| s.expires_at > now);
            if map.len() >= CACHED_SESSIONS {
                map.clear();
            }
        }
        map.insert(token.to_string(), (session, change));
    }

    fn cached(&self, token: &str, now: Timestamp, change: i64) -> Option<Session> {
        self.map()
            .get(token)
            .filter(|(s, at)| s.expires_at > now && *at == change)
            .map(|(s, _)| s.clone())
    }

    /// Changes the language of a session's user (after the user's setting
    /// changed in the store).
    pub fn set_language(&self, token: &str, language: Option<String>) {
        if let Some((s, _)) = self.map().get_mut(token) {
            s.user.language = language;
        }
    }

    /// Forgets a session (signed out; the store's copy is deleted too).
    pub fn forget(&self, token: &str) {
        self.map().remove(token);
    }
}

/// The session of `token`: from memory, else from the store (after a
/// restart, or on another connection); `None` when there is none.
pub async fn session(state: &Arc<AppState>, token: &str) -> Result<Option<Session>, ApiError> {
    let now = (state.settings.now)();
    let change = state.seen_change();
    let found = match state.sessions.cached(token, now, change) {
        Some(s) => Some(s),
        None => {
            let t = token.to_string();
            state
                .with_store(move |store| metas_service::sessions::session(store, &t, now))
                .await?
        }
    };
    let Some(mut s) = found else {
        return Ok(None);
    };
    // A session in use is renewed (sliding expiry) up to its maximum age.
    if s.renewal_at(now).is_some() {
        let t = token.to_string();
        s = state
            .with_store(move |store| metas_service::sessions::renew(store, &t, s, now))
            .await?;
    }
    state.sessions.keep(token, s.clone(), now, change);
    Ok(Some(s))
}

/// A cookie metas sets: HttpOnly, SameSite=Strict, Secure behind TLS.
pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_path("/");
    c.set_secure(secure);
    c
}

/// The language of a request: the session user's setting, the language
/// cookie, the browser's Accept-Language, English.
pub async fn language_of(headers: &axum::http::HeaderMap, state: &Arc<AppState>) -> Lang {
    let jar = CookieJar::from_headers(headers);
    let mut from_user = None;
    if let Some(c) = jar.get(SESSION_COOKIE) {
        // A store that cannot be read here is reported by the handler.
        if let Ok(Some(s)) = session(state, c.value()).await {
            from_user = s.user.language.as_deref().and_then(Lang::parse);
        }
    }
    let from_cookie = || jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value()));
    let from_browser = || {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
    };
    from_user
        .or_else(from_cookie)
        .or_else(from_browser)
        .unwrap_or(Lang::En)
}

async fn session_of(
    parts: &Parts,
    state: &Arc<AppState>,
) -> Result<Option<(String, Session)>, ApiError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    Ok(session(state, &token).await?.map(|s| (token, s)))
}

/// A page handler's user: without a session, the browser goes to the login.
pub struct PageUser {
    pub token: String,
    /// The language of this request.
    pub tr: Tr,
    pub session: Session,
}

impl FromRequestParts<Arc<AppState>> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        match session_of(parts, state).await {
            Ok(Some((token, session))) => Ok(PageUser {
                token,
                session,
                tr: Tr::current(),
            }),
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// An API handler's user: without a session, 401 in the error envelope.
pub struct ApiUser(pub User);

impl FromRequestParts<Arc<AppState>> for ApiUser {
    type Rejection = ApiError;

    /// A session cookie, or `Authorization: Bearer mt_…` (an API token).
    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        let Some(token) = bearer else {
            let (_, session) = session_of(parts, state)
                .await?
                .ok_or(ApiError::Unauthenticated)?;
            // A change made with the session cookie must also carry the
            // session's CSRF token in a header, which another site cannot
            // set; a bearer token is not sent by browsers on their own.
            let reads = matches!(
                parts.method,
                axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
            );
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !reads && !same_secret(&session.csrf, sent) {
                return Err(ApiError::Csrf);
            }
            return Ok(ApiUser(session.user));
        };
        let known = state
            .verified_tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&token);
        let t = token.clone();
        let user = state
            .with_store(move |store| {
                if known {
                    metas_service::users::token_user_if_active(store, &t)
                } else {
                    metas_service::users::verify_token(store, &t)
                }
            })
            .await?;
        match user {
            Some(u) => {
                if !known {
                    state
                        .verified_tokens
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(token);
                }
                Ok(ApiUser(u))
            }
            None => Err(ApiError::Unauthenticated),
        }
    }
}

impl PageUser {
    pub fn user(&self) -> &User {
        &self.session.user
    }

    /// The header every page shows: who is logged in, what they may open,
    /// the language switcher.
    pub fn nav(&self) -> Nav {
        let u = &self.session.user;
        let role = self.tr.t(&format!("role-{}", u.role.as_str()));
        let scope = match (&u.agent, &u.team) {
            (Some(a), _) if u.role == Role::Agent => Some(self.tr.t1("scope-agent", "name", a)),
            (_, Some(t)) if u.role == Role::Lead => Some(self.tr.t1("scope-team", "name", t)),
            _ => None,
        };
        let who = match scope {
            Some(s) => self.tr.args(
                "nav-who-scoped",
                &[("login", u.login.clone()), ("role", role), ("scope", s)],
            ),
            None => self
                .tr
                .args("nav-who", &[("login", u.login.clone()), ("role", role)]),
        };
        Nav {
            csrf: self.session.csrf.clone(),
            who,
            can_import: metas_service::access::may(
                u,
                metas_service::access::Action::Import,
                &metas_service::access::Scope::Organisation,
            ),
            can_hire: metas_service::access::may(
                u,
                metas_service::access::Action::Hire,
                &metas_service::access::Scope::Organisation,
            ),
        }
    }

    /// Checks a form's CSRF token against the session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), ApiError> {
        if same_secret(&self.session.csrf, sent) {
            Ok(())
        } else {
            Err(ApiError::Csrf)
        }
    }
}

/// What the page header needs.
pub struct Nav {
    pub csrf: String,
    pub who: String,
    pub can_import: bool,
    /// Role profiles and candidates (administrators and managers).
    pub can_hire: bool,
}

/// A request's segment narrowed to what the user may see.
pub fn narrow(segment: Option<SegmentExpr>, user: &User) -> Option<SegmentExpr> {
    SegmentExpr::both(user.data_scope(), segment)
}
