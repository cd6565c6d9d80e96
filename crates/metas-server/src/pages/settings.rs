//! The settings page (KPI settings with the fiscal year, calendars, users,
//! API tokens, every KPI's definition) and the language switch. The forms
//! call the same service functions as `metas settings|calendar|user|token`.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use axum_extra::extract::cookie::CookieJar;
use metas_service::users::{Role, User};
use metas_service::ServiceError;
use metas_store::prelude::*;
use serde::Deserialize;

use crate::auth::{self, Nav, PageUser, LANG_COOKIE};
use crate::i18n::{Lang, Tr};
use crate::pages::{render_with, StatusCode};
use crate::{ApiError, AppState};
use metas_service::access::{self, Action, Scope};

#[derive(Template)]
#[template(path = "settings/settings.html")]
struct SettingsPage {
    tr: Tr,
    nav: Nav,
    admin: bool,
    message: Option<String>,
    error: Option<String>,
    /// (key, value, default)
    settings: Vec<(String, String, String)>,
    /// (name, definition as JSON, is the default)
    calendars: Vec<(String, String, bool)>,
    /// (login, role, scope, language)
    users: Vec<(String, String, String, String)>,
    /// (id, name, login, revoked)
    tokens: Vec<(i64, String, String, bool)>,
    new_token: Option<String>,
    /// (id, name, definition, settings)
    /// (id, name, formula, settings, the indicator's stage, frequency,
    /// owner and standard in one line, empty for a KPI not on the board).
    definitions: Vec<(String, String, String, String, String)>,
}

/// What the page says after a form: a confirmation, an error, a new token.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    error: Option<String>,
    new_token: Option<String>,
}

async fn settings_page(
    state: &Arc<AppState>,
    user: &PageUser,
    outcome: Outcome,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let admin = access::may(&u, Action::Configure, &Scope::Organisation);
    let sees_users = access::may(&u, Action::ManageUsers, &Scope::Organisation);
    let today = (state.settings.today)();
    let result = state
        .with_store(move |store| {
            let settings = metas_service::config::list_settings(store)?;
            let kpi_settings = store.settings()?;
            let default_calendar = kpi_settings.default_calendar.clone();
            let mut calendars = Vec::new();
            for name in store.calendar_names()? {
                let spec = store.calendar(&name)?;
                let text = serde_json::to_string_pretty(&spec).unwrap_or_default();
                calendars.push((name.clone(), text, name == default_calendar));
            }
            let users = if sees_users {
                metas_service::users::list(store)?
            } else {
                vec![]
            };
            // Everyone sees their own tokens; administrators all of them.
            let tokens: Vec<_> = metas_service::users::tokens_visible_to(store, &u)?
                .into_iter()
                .map(|t| (t.id, t.name, t.login, t.revoked))
                .collect();
            let indicators = metas_service::indicators::definitions(store, today)?;
            Ok((settings, kpi_settings, calendars, users, tokens, indicators))
        })
        .await;
    let (settings, kpi_settings, calendars, users, tokens, indicators) = result?;
    let status = if outcome.error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = SettingsPage {
        tr,
        nav: user.nav(),
        admin,
        message: outcome.message,
        error: outcome.error,
        settings: settings
            .into_iter()
            .map(|s| (s.key.to_string(), s.value, s.default.to_string()))
            .collect(),
        calendars,
        users: users
            .into_iter()
            .map(|u: User| {
                let scope = u.team.clone().or(u.agent.clone()).unwrap_or_default();
                (
                    u.login,
                    tr.t(&format!("role-{}", u.role.as_str())),
                    scope,
                    u.language.unwrap_or_default(),
                )
            })
            .collect(),
        tokens,
        new_token: outcome.new_token,
        definitions: metas_domain::kpi::CATALOGUE
            .iter()
            .map(|k| {
                (
                    k.id.to_string(),
                    tr.kpi_name(k.id),
                    tr.kpi_definition(&k.definition(&kpi_settings)),
                    k.settings.join(", "),
                    indicators
                        .iter()
                        .find(|i| i.id() == k.id)
                        .map(|i| super::indicators::summary(&tr, i))
                        .unwrap_or_default(),
                )
            })
            .collect(),
    };
    render_with(status, &page)
}

pub async fn page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    settings_page(&state, &user, Outcome::default()).await
}

/// Runs an administrator's change and shows the page with its outcome: a
/// confirmation, or the service's sentence when the input is refused.
async fn admin_change(
    state: Arc<AppState>,
    user: PageUser,
    csrf: &str,
    action: Action,
    done: String,
    change: impl FnOnce(&mut metas_store::Store) -> Result<(), ServiceError> + Send + 'static,
) -> Result<Response, ApiError> {
    user.check_csrf(csrf)?;
    access::require(user.user(), action, &Scope::Organisation)?;
    let outcome = match state.with_store(change).await {
        Ok(()) => Outcome {
            message: Some(done),
            ..Default::default()
        },
        Err(ApiError::Invalid(m)) | Err(ApiError::Refused(m)) => Outcome {
            error: Some(m),
            ..Default::default()
        },
        Err(e) => return Err(e),
    };
    settings_page(&state, &user, outcome).await
}

#[derive(Deserialize)]
pub struct SettingForm {
    csrf: String,
    key: String,
    value: String,
}

/// Changes one KPI setting (administrators).
pub async fn set(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<SettingForm>,
) -> Result<Response, ApiError> {
    let done = user
        .tr
        .t2("settings-saved", "key", &f.key, "value", &f.value);
    let (key, value) = (f.key, f.value.trim().to_string());
    admin_change(
        state,
        user,
        &f.csrf,
        Action::Configure,
        done,
        move |store| metas_service::config::set_setting(store, &key, &value),
    )
    .await
}

#[derive(Deserialize)]
pub struct CalendarForm {
    csrf: String,
    name: String,
    toml: String,
}

/// Defines or replaces a business calendar (administrators).
pub async fn calendar(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<CalendarForm>,
) -> Result<Response, ApiError> {
    let name = f.name.trim().to_string();
    let done = user.tr.t1("settings-calendar-saved", "name", &name);
    let text = f.toml;
    admin_change(state, user, &f.csrf, Action::Configure, done, move |store| {
        let spec = metas_service::config::parse_calendar(&text, &name, |file| {
            Err(format!(
                "the web form cannot read files such as {file}; list the holidays in the calendar, or use `metas calendar set`"
            ))
        })?;
        metas_service::config::set_calendar(store, &name, &spec)
    })
    .await
}

#[derive(Deserialize)]
pub struct UserForm {
    csrf: String,
    login: String,
    password: String,
    role: String,
    #[serde(default)]
    team: String,
    #[serde(default)]
    agent: String,
}

/// Adds a user (administrators).
pub async fn add_user(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<UserForm>,
) -> Result<Response, ApiError> {
    let done = user.tr.t1("settings-user-added", "login", f.login.trim());
    admin_change(
        state,
        user,
        &f.csrf,
        Action::ManageUsers,
        done,
        move |store| {
            let role = Role::parse(&f.role)?;
            let opt = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
            metas_service::users::add_user(
                store,
                &f.login,
                &f.password,
                role,
                opt(&f.team).as_deref(),
                opt(&f.agent).as_deref(),
            )
            .map(|_| ())
        },
    )
    .await
}

#[derive(Deserialize)]
pub struct TokenForm {
    csrf: String,
    name: String,
}

/// Creates an API token for the user themself; it is shown once.
pub async fn create_token(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<TokenForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let login = user.user().login.clone();
    let secret = auth::random_token();
    let created = state
        .with_store(move |store| {
            metas_service::users::create_token(store, &login, &f.name, &secret)
        })
        .await;
    let outcome = match created {
        Ok(token) => Outcome {
            new_token: Some(token),
            ..Default::default()
        },
        Err(ApiError::Invalid(m)) => Outcome {
            error: Some(m),
            ..Default::default()
        },
        Err(e) => return Err(e),
    };
    settings_page(&state, &user, outcome).await
}

/// Revokes a token: the user's own, or any for an administrator. Another
/// user's token is "not found", so ids are not revealed.
pub async fn revoke_token(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(f): Form<super::CsrfForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    state.revoke_token(id, user.user().clone()).await?;
    let message = user.tr.t1("settings-token-revoked-msg", "id", id);
    let outcome = Outcome {
        message: Some(message),
        ..Default::default()
    };
    settings_page(&state, &user, outcome).await
}

#[derive(Deserialize)]
pub struct LanguageForm {
    csrf: String,
    language: String,
}

/// Changes the user's language (kept with the user) and goes back to the
/// page they were on.
pub async fn language(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    jar: CookieJar,
    headers: axum::http::HeaderMap,
    Form(f): Form<LanguageForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let lang = Lang::parse(&f.language)
        .ok_or_else(|| ApiError::Invalid(format!("language '{}' is not offered", f.language)))?;
    let login = user.user().login.clone();
    let tag = lang.tag();
    state
        .with_store(move |store| metas_service::users::set_language(store, &login, Some(tag)))
        .await?;
    state
        .sessions
        .set_language(&user.token, Some(tag.to_string()));
    // Back to the same page, on this site only.
    let back = headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            let path = r.split_once("://").map(|(_, rest)| rest).unwrap_or(r);
            path.find('/').map(|i| path[i..].to_string())
        })
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let jar = jar.add(auth::cookie(
        LANG_COOKIE,
        tag.to_string(),
        state.settings.secure_cookies,
    ));
    Ok((jar, Redirect::to(&back)).into_response())
}
