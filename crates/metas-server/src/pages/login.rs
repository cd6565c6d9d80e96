//! Logging in and out.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use metas_service::sessions;
use serde::Deserialize;

use super::*;
use crate::auth::{self, cookie, PageUser, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::i18n::{CurrentTr, Lang, Tr};
use crate::{ApiError, AppState};

#[derive(Template)]
#[template(path = "login/login.html")]
struct LoginPage {
    tr: Tr,
    csrf: String,
    error: Option<String>,
}

fn login_page(
    state: &AppState,
    jar: CookieJar,
    tr: Tr,
    error: Option<String>,
) -> Result<Response, ApiError> {
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
    Ok((status, jar, render(&LoginPage { tr, csrf, error })?).into_response())
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
) -> Result<Response, ApiError> {
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
) -> Result<Response, ApiError> {
    let expected = jar.get(LOGIN_CSRF_COOKIE).map(|c| c.value().to_string());
    if !expected.is_some_and(|e| auth::same_secret(&e, &form.csrf)) {
        return Err(ApiError::Csrf);
    }
    let login = form.login.trim().to_string();
    let (token, csrf) = (auth::random_token(), auth::random_token());
    let now = (state.settings.now)();
    let (who, password, t) = (login.clone(), form.password, token.clone());
    let outcome = state
        .with_store(move |store| sessions::log_in(store, &who, &password, now, &t, csrf))
        .await?;
    match outcome {
        sessions::Login::TooManyAttempts => Err(ApiError::TooManyAttempts),
        sessions::Login::Refused => {
            let tr = Tr::current();
            login_page(&state, jar, tr, Some(tr.t("login-failed")))
        }
        sessions::Login::Started(session) => {
            state
                .sessions
                .keep(&token, session, now, state.seen_change());
            let jar = jar.remove(LOGIN_CSRF_COOKIE).add(cookie(
                SESSION_COOKIE,
                token,
                state.settings.secure_cookies,
            ));
            Ok((jar, Redirect::to("/")).into_response())
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
    let token = user.token.clone();
    state
        .with_store(move |store| sessions::log_out(store, &token))
        .await?;
    state.sessions.forget(&user.token);
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/login"),
    )
        .into_response())
}
