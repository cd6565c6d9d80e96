//! The reviews due and overdue.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::*;
use crate::auth::{Nav, PageUser};
use crate::i18n::Tr;
use crate::{ApiError, AppState};
use metas_domain::goal::review::ScheduledReview;

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
