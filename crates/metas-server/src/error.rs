//! Every error a client can see, and the one place that maps them to a
//! status and a stable code.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use metas_service::ServiceError;
use serde_json::json;

use crate::i18n::{self, CurrentTr};
use crate::pages;

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
            ServiceError::NotFound(m) => ApiError::NotFound(m),
            ServiceError::Forbidden => ApiError::Forbidden,
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
