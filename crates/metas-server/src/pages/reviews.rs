//! The reviews due and overdue.

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
use serde::Deserialize;

use metas_domain::goal::review::ScheduledReview;
use crate::auth::{self, cookie, Nav, PageUser, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::i18n::{Lang, Tr};
use super::*;
use crate::charts::*;
use crate::{ApiError, AppState};



#[derive(Template)]
#[template(path = "reviews/reviews.html")]
struct ReviewsPage {
    tr: Tr,
    nav: Nav,
    /// (goal, due on, days overdue)
    overdue: Vec<(i64, String, String)>,
    due: Vec<(i64, String, String)>,
}

/// The reviews due and overdue, over the goals the user may see.
pub async fn reviews(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let today = (state.settings.today)();
    let u = user.user().clone();
    let agenda = state
        .with_store(move |store| metas_service::goal::review_list_visible(store, today, &u))
        .await?;
    let lines = |list: &[ScheduledReview<i64>]| {
        list.iter()
            .map(|r| {
                (
                    r.goal,
                    tr.date(r.due_on),
                    tr.count(r.days_overdue.max(0) as u64),
                )
            })
            .collect()
    };
    render(&ReviewsPage {
        tr,
        nav: user.nav(),
        overdue: lines(&agenda.overdue),
        due: lines(&agenda.due),
    })
}
