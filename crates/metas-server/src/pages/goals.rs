//! The goal tree, one goal's page with its forms, and the new-goal form.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use metas_domain::goal::checks::{Check, CheckArg};
use metas_domain::kpi::Unit;
use serde::Deserialize;

use super::*;
use metas_store::prelude::*;

use crate::auth::{Nav, PageUser};
use crate::charts::*;
use crate::i18n::Tr;
use crate::{ApiError, AppState};
use metas_service::goal::GoalUpdate;

struct GoalItem {
    id: i64,
    depth: usize,
    sentence: String,
    status: String,
    status_text: String,
    bar: String,
}

#[derive(Template)]
#[template(path = "goals/goals.html")]
struct GoalsPage {
    tr: Tr,
    nav: Nav,
    mission: Option<String>,
    goals: Vec<GoalItem>,
}

/// The goal tree the user may see, under the mission.
pub async fn goals(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let today = (state.settings.today)();
    let u = user.user().clone();
    let (mission, tree) = state
        .with_store(move |store| {
            let tree = metas_service::goal::tree_visible(store, today, &u)?;
            Ok((store.mission()?, tree))
        })
        .await?;
    let goals = tree
        .iter()
        .map(|(depth, t)| {
            let (status, status_text) = goal_status(&tr, t);
            GoalItem {
                id: t.goal.id,
                depth: *depth,
                sentence: goal_sentence(&tr, &t.goal),
                status,
                status_text,
                bar: progress_bar(
                    t.progress.as_ref().map(|p| p.progress),
                    t.progress.as_ref().map(|p| p.expected),
                ),
            }
        })
        .collect();
    render(&GoalsPage {
        tr,
        nav: user.nav(),
        mission,
        goals,
    })
}

/// A review held, as the goal's page lists it (R-REVIEW, R-MISSED).
struct ReviewItem {
    date: String,
    decision: String,
    notes: String,
    blocked_by: Option<String>,
    new_practice: Option<String>,
}

#[derive(Template)]
#[template(path = "goals/goal.html")]
struct GoalPage {
    tr: Tr,
    nav: Nav,
    id: i64,
    /// Whether the user may check in, commit and review (the goal's owner
    /// or someone above them).
    editable: bool,
    committed: bool,
    error: Option<String>,
    sentence: String,
    status: String,
    status_text: String,
    now: String,
    progress: String,
    bar: String,
    chart: String,
    stretch: Option<String>,
    forecast: Option<String>,
    milestones: Vec<String>,
    checkins: Vec<String>,
    reviews: Vec<ReviewItem>,
    /// (the moment in RFC 3339, the moment the locale's way, the sentence)
    history: Vec<(String, String, String)>,
    /// The coaching plan this goal tracks, if any: (its id, its page).
    plan: Option<(i64, String)>,
}

/// One goal: where it stands, its history, forecast and milestones.
pub async fn goal(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let today = (state.settings.today)();
    let u = user.user().clone();
    let (t, zone, plan) = state
        .with_store(move |store| {
            let t = metas_service::goal::track_visible(store, id, today, &u)?;
            let plan = metas_service::coaching::plan_of_goal(store, id)?;
            Ok((t, metas_service::config::time_zone(store)?, plan))
        })
        .await
        .map_err(|e| no_goal(e, &tr, id))?;
    let unit = metas_domain::kpi::kpi(&t.goal.metric)
        .map(|k| k.unit)
        .unwrap_or(Unit::Score);
    let val = |v: f64| tr.value(unit, v);
    let (status, status_text) = goal_status(&tr, &t);
    let page = GoalPage {
        tr,
        nav: user.nav(),
        id,
        plan: plan.map(|p| {
            let agent = t.goal.owner.strip_prefix("agent:").unwrap_or_default();
            (
                p,
                format!(
                    "/coaching/agents/{}/plan#plan-{p}",
                    super::coaching::path_part(agent)
                ),
            )
        }),
        editable: true,
        committed: t.goal.committed_on.is_some(),
        error: None,
        sentence: goal_sentence(&tr, &t.goal),
        status,
        status_text,
        now: t
            .now
            .as_ref()
            .and_then(|f| {
                f.value
                    .map(|v| tr.t2("goal-now", "value", val(v), "n", tr.count(f.n)))
            })
            .unwrap_or_else(|| tr.t("goal-no-data")),
        progress: t
            .progress
            .as_ref()
            .map(|p| {
                tr.t2(
                    "goal-progress",
                    "progress",
                    whole_percent(&tr, p.progress),
                    "expected",
                    whole_percent(&tr, p.expected),
                )
            })
            .unwrap_or_default(),
        bar: progress_bar(
            t.progress.as_ref().map(|p| p.progress),
            t.progress.as_ref().map(|p| p.expected),
        ),
        chart: goal_chart(&tr, &t),
        stretch: t
            .goal
            .stretch
            .map(|s| tr.t1("goal-stretch-line", "stretch", val(s))),
        forecast: t.forecast.as_ref().map(|f| {
            tr.args(
                "goal-forecast",
                &[
                    ("date", tr.date(f.date)),
                    ("value", val(f.value)),
                    ("low", val(f.interval.low)),
                    ("high", val(f.interval.high)),
                    ("chance", whole_percent(&tr, f.chance)),
                ],
            )
        }),
        milestones: t
            .milestones
            .iter()
            .map(|m| {
                tr.args(
                    "goal-milestone",
                    &[
                        ("date", tr.date(m.date)),
                        ("value", val(m.value)),
                        (
                            "state",
                            tr.t(&format!("milestone-{}", m.state().replace(' ', "-"))),
                        ),
                    ],
                )
            })
            .collect(),
        checkins: t
            .checkins
            .iter()
            .map(|c| match c.confidence {
                Some(conf) => tr.args(
                    "goal-checkin-line-confidence",
                    &[
                        ("date", tr.date(c.on)),
                        ("comment", c.comment.clone()),
                        ("confidence", whole_percent(&tr, conf)),
                    ],
                ),
                None => tr.t2(
                    "goal-checkin-line",
                    "date",
                    tr.date(c.on),
                    "comment",
                    &c.comment,
                ),
            })
            .collect(),
        reviews: t
            .reviews
            .iter()
            .map(|r| ReviewItem {
                date: tr.date(r.on),
                decision: match r.decision.as_str() {
                    "keep" => tr.t("goal-keep"),
                    "revise" => tr.t("goal-revise"),
                    "retire" => tr.t("goal-retire"),
                    other => other.to_string(),
                },
                notes: r.notes.clone(),
                blocked_by: r.blocked_by.clone(),
                new_practice: r.new_practice.clone(),
            })
            .collect(),
        history: t
            .history
            .iter()
            .map(|h| {
                (
                    h.at.to_string(),
                    tr.date_time(&h.at.to_zoned(zone.clone())),
                    tr.sentence(&h.sentence(&t.goal.metric)),
                )
            })
            .collect(),
    };
    render(&page)
}

#[derive(Deserialize, Default, Clone)]
pub struct GoalForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    metric: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    stretch: String,
    #[serde(default)]
    customer_words: String,
    #[serde(default)]
    action: String,
}

#[derive(Template)]
#[template(path = "goals/goal_new.html")]
struct GoalNewPage {
    tr: Tr,
    nav: Nav,
    kpis: Vec<(&'static str, String)>,
    /// (id, sentence) of the goals a new one may serve.
    parents: Vec<(i64, String)>,
    form: GoalForm,
    error: Option<String>,
    summary: Option<String>,
    explanation: String,
    /// (letter, ok, message, check id)
    checks: Vec<(String, bool, String, &'static str)>,
}

/// A check's sentence in the user's language, with its numbers.
fn check_text(tr: &Tr, c: &Check) -> String {
    if c.key.is_empty() {
        return c.message.clone();
    }
    let args: Vec<(&str, String)> = c
        .args
        .iter()
        .map(|(name, arg)| {
            let text = match arg {
                CheckArg::Number(v) => tr.num(&metas_domain::goal::checks::num(*v)),
                CheckArg::Share(v) => tr.num(&metas_domain::goal::checks::pct(*v)),
                CheckArg::Count(n) => tr.count(*n),
                CheckArg::Date(d) => tr.date(*d),
                CheckArg::Word(w) => tr.t(w),
            };
            (*name, text)
        })
        .collect();
    tr.args(c.key, &args)
}

/// The new-goal form: the goals the user can see are the parents offered.
async fn goal_new_page(
    state: &Arc<AppState>,
    user: &PageUser,
    form: GoalForm,
) -> Result<GoalNewPage, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let parents = state
        .with_store(move |store| metas_service::goal::visible_goals(store, &u))
        .await?
        .iter()
        .filter(|g| g.status == "active" || g.status == "draft")
        .map(|g| (g.id, format!("{} · {}", g.id, goal_sentence(&tr, g))))
        .collect();
    Ok(GoalNewPage {
        tr,
        nav: user.nav(),
        kpis: kpi_choices(&tr),
        parents,
        form,
        error: None,
        summary: None,
        explanation: String::new(),
        checks: vec![],
    })
}

/// The new-goal form, with the owner the user is most likely to set.
pub async fn goal_new_form(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let u = user.user();
    let owner = match (&u.agent, &u.team) {
        (Some(a), _) => format!("agent:{a}"),
        (_, Some(t)) => format!("team:{t}"),
        _ => "org".into(),
    };
    let form = GoalForm {
        metric: "csat".into(),
        owner,
        ..Default::default()
    };
    render(&goal_new_page(&state, &user, form).await?)
}

/// Checks the goal (`action=check`, what the form calls as fields change)
/// or saves it (`action=save`) and goes to its page.
pub async fn goal_new(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(form): Form<GoalForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&form.csrf)?;
    let tr = user.tr;
    let mut page = goal_new_page(&state, &user, form.clone()).await?;
    let start = match date_field(&tr, &tr.t("goal-start"), &form.start) {
        Ok(d) => d,
        Err(m) => {
            page.error = Some(m);
            return render_with(StatusCode::BAD_REQUEST, &page);
        }
    };
    let req = metas_service::goal::GoalRequest {
        metric: form.metric.clone(),
        owner: form.owner.trim().to_string(),
        segment: nonempty(&form.scope),
        to: nonempty(&form.to),
        by: nonempty(&form.by),
        deadline: form.deadline.clone(),
        start,
        parent: form.parent.trim().parse().ok(),
        stretch: nonempty(&form.stretch),
        customer_words: nonempty(&form.customer_words),
        as_of: (state.settings.today)(),
        who: user.user().login.clone(),
        ..Default::default()
    };
    let save = form.action == "save";
    let now = (state.settings.now)();
    let u = user.user().clone();
    let not_allowed = tr.t1("goal-not-allowed", "owner", form.owner.trim());
    let result = state
        .with_store(move |store| {
            // The access rule is asked first for the sentence in the user's
            // language; the service enforces it again.
            let action = metas_service::access::Action::ManageGoals;
            if !metas_service::access::may_on_owner(store, &u, action, &req.owner)? {
                return Err(metas_service::ServiceError::Input(not_allowed));
            }
            metas_service::goal::check_or_add(store, &req, save, now, &u)
        })
        .await;
    match result {
        Ok((Some(id), _)) => Ok(Redirect::to(&format!("/goals/{id}")).into_response()),
        Ok((None, plan)) => {
            let unit = plan.kpi.unit;
            let mut args = vec![
                ("owner", owner_text(&tr, &plan.owner.key())),
                (
                    "direction",
                    tr.t(&format!("goal-direction-{}", plan.target.direction)),
                ),
                ("metric", tr.kpi_name(plan.kpi.id)),
                ("baseline", show(&tr, unit, plan.baseline.figure.value)),
                ("target", tr.value(unit, plan.target.target)),
                ("start", tr.date(plan.start)),
                ("deadline", tr.date(plan.deadline)),
            ];
            let id = match plan.scope.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(s) => {
                    args.push(("scope", s.to_string()));
                    "goal-plan-sentence-scoped"
                }
                None => "goal-plan-sentence",
            };
            page.summary = Some(tr.args(id, &args));
            page.explanation = plan.target.explanation.clone();
            let c = &plan.checks;
            page.checks = [
                ("specific", &c.specific),
                ("measurable", &c.measurable),
                ("achievable", &c.achievable),
                ("relevant", &c.relevant),
                ("time-bound", &c.time_bound),
                ("focus", &c.focus),
            ]
            .into_iter()
            .map(|(letter, check)| {
                (
                    tr.t(&format!("check-letter-{letter}")),
                    check.ok,
                    check_text(&tr, check),
                    letter,
                )
            })
            .collect();
            render(&page)
        }
        Err(ApiError::Invalid(m)) => {
            page.error = Some(m);
            render_with(StatusCode::BAD_REQUEST, &page)
        }
        Err(ApiError::Refused(m)) => {
            page.error = Some(m);
            render_with(StatusCode::CONFLICT, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct CheckinForm {
    csrf: String,
    comment: String,
    #[serde(default)]
    confidence: String,
}

#[derive(Deserialize)]
pub struct ReviewForm {
    csrf: String,
    decision: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    blocked_by: String,
    #[serde(default)]
    new_practice: String,
}

/// Records a form's update of goal `id` and goes back to the goal's page.
async fn goal_action(
    state: Arc<AppState>,
    user: PageUser,
    id: i64,
    change: GoalUpdate,
) -> Result<Response, ApiError> {
    let u = user.user().clone();
    let today = (state.settings.today)();
    let now = (state.settings.now)();
    state
        .with_store(move |store| metas_service::goal::update(store, id, change, today, now, &u))
        .await
        .map_err(|e| no_goal(e, &user.tr, id))?;
    Ok(Redirect::to(&format!("/goals/{id}")).into_response())
}

/// A goal that is not there (or not the user's to see) in the user's words.
fn no_goal(e: ApiError, tr: &Tr, id: i64) -> ApiError {
    match e {
        ApiError::NotFound(_) => ApiError::NotFound(tr.t1("error-no-goal", "id", id)),
        other => other,
    }
}

pub async fn goal_checkin(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<CheckinForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&form.csrf)?;
    let confidence = match form.confidence.trim().replace(',', ".").as_str() {
        "" => None,
        c => Some(c.parse::<f64>().map_err(|_| {
            ApiError::Invalid(format!("confidence '{c}' is not a number from 0 to 1"))
        })?),
    };
    let change = GoalUpdate::Checkin {
        comment: form.comment,
        confidence,
    };
    goal_action(state, user, id, change).await
}

pub async fn goal_commit(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&form.csrf)?;
    goal_action(state, user, id, GoalUpdate::Commit).await
}

pub async fn goal_review(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&form.csrf)?;
    let opt = |s: String| (!s.trim().is_empty()).then_some(s);
    let review = metas_service::goal::ReviewRequest {
        on: (state.settings.today)(),
        decision: form.decision,
        notes: form.notes,
        blocked_by: opt(form.blocked_by),
        new_practice: opt(form.new_practice),
    };
    goal_action(state, user, id, GoalUpdate::Review(review)).await
}
