//! Sessions, CSRF tokens, login rate limiting, and the extractors that make
//! a handler require a logged-in user.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
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
const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);
const MAX_FAILURES: u32 = 5;
const FAILURE_WINDOW: Duration = Duration::from_secs(300);

/// A logged-in user's session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    /// The token every form of this session must send back.
    pub csrf: String,
    expires: Instant,
}

/// Sessions (in memory: a restart logs everyone out) and failed logins.
#[derive(Default)]
pub struct Sessions {
    by_token: Mutex<HashMap<String, Session>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
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
    pub fn start(&self, user: User) -> (String, Session) {
        let token = random_token();
        let session = Session {
            user,
            csrf: random_token(),
            expires: Instant::now() + SESSION_LIFETIME,
        };
        let mut map = self.by_token.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, s| s.expires > Instant::now());
        map.insert(token.clone(), session.clone());
        (token, session)
    }

    pub fn get(&self, token: &str) -> Option<Session> {
        let map = self.by_token.lock().unwrap_or_else(|p| p.into_inner());
        map.get(token)
            .filter(|s| s.expires > Instant::now())
            .cloned()
    }

    /// Changes the language of a session's user (after the user's setting
    /// changed in the database).
    pub fn set_language(&self, token: &str, language: Option<String>) {
        let mut map = self.by_token.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = map.get_mut(token) {
            s.user.language = language;
        }
    }

    pub fn end(&self, token: &str) {
        self.by_token
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(token);
    }

    /// Whether this login may try again (at most 5 failures in 5 minutes).
    pub fn may_try(&self, login: &str) -> bool {
        let map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(login) {
            Some((n, since)) => *n < MAX_FAILURES || since.elapsed() > FAILURE_WINDOW,
            None => true,
        }
    }

    pub fn failed(&self, login: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry(login.to_string()).or_insert((0, Instant::now()));
        if entry.1.elapsed() > FAILURE_WINDOW {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    pub fn succeeded(&self, login: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(login);
    }
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
pub fn language_of(headers: &axum::http::HeaderMap, state: &AppState) -> Lang {
    let jar = CookieJar::from_headers(headers);
    let from_user = jar
        .get(SESSION_COOKIE)
        .and_then(|c| state.sessions.get(c.value()))
        .and_then(|s| s.user.language)
        .and_then(|l| Lang::parse(&l));
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

fn session_of(parts: &Parts, state: &Arc<AppState>) -> Option<(String, Session)> {
    let jar = CookieJar::from_headers(&parts.headers);
    let token = jar.get(SESSION_COOKIE)?.value().to_string();
    let session = state.sessions.get(&token)?;
    Some((token, session))
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
        session_of(parts, state)
            .map(|(token, session)| PageUser {
                token,
                session,
                tr: Tr::current(),
            })
            .ok_or_else(|| Redirect::to("/login").into_response())
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
            let (_, session) = session_of(parts, state).ok_or(ApiError::Unauthenticated)?;
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
}

/// A request's segment narrowed to what the user may see.
pub fn narrow(segment: Option<SegmentExpr>, user: &User) -> Option<SegmentExpr> {
    SegmentExpr::both(user.data_scope(), segment)
}
