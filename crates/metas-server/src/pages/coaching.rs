//! Coaching pages (docs/coaching.md): `/coaching` (sessions to hold in the
//! user's scope; an agent's own plans), `/coaching/agents/{agent}/plan` (an
//! agent's plans, their goal's progress and sessions, the form to create a
//! plan for those who may coach), `/coaching/plans/{id}/print` (the one-page
//! plan in the agent's language), and the session forms. The forms call the
//! same service functions as `metas coach` and the API.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use metas_domain::kpi::Unit;
use metas_service::coaching::{NewExample, NewPlan, PlanView, SessionItem};
use metas_service::users::Role;
use serde::Deserialize;

use super::*;
use crate::auth::{Nav, PageUser};
use crate::i18n::{Lang, Tr};
use crate::{ApiError, AppState};

/// Percent-encodes an agent's name for a path.
pub(crate) fn path_part(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A session as a row.
pub struct SessionLine {
    pub plan_id: i64,
    pub id: i64,
    pub date: String,
    pub state: &'static str,
    pub state_text: String,
    pub notes: String,
    pub progress: String,
    pub can_record: bool,
    pub can_acknowledge: bool,
}

/// A plan as shown.
pub struct PlanCard {
    pub id: i64,
    pub goal_id: i64,
    pub objective: String,
    pub level: String,
    pub period: String,
    pub progress: String,
    pub goal_state: String,
    pub goal_state_class: String,
    pub focus_overridden: bool,
    pub current: bool,
    /// (interaction, date, rating, quote)
    pub examples: Vec<(String, String, String, String)>,
    pub metrics: Vec<String>,
    pub sessions: Vec<SessionLine>,
}

fn rating(tr: &Tr, v: Option<f64>) -> String {
    v.map(|x| tr.value(Unit::Score, x))
        .unwrap_or_else(|| "—".into())
}

fn level_text(tr: &Tr, v: f64) -> String {
    tr.num(&if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    })
}

fn card(tr: &Tr, v: &PlanView, user: &metas_service::users::User, coach: bool) -> PlanCard {
    let p = &v.plan;
    let own = user.role == Role::Agent && user.agent.as_deref() == Some(p.agent.as_str());
    PlanCard {
        id: p.id,
        goal_id: p.goal_id,
        objective: p.objective.clone(),
        level: tr.args(
            "coaching-level",
            &[
                ("criterion", p.criterion.clone()),
                ("level", level_text(tr, p.expected_level)),
                ("max", level_text(tr, p.scale_max)),
            ],
        ),
        period: tr.args(
            "coaching-period",
            &[("from", tr.date(p.starts_on)), ("to", tr.date(p.due_on))],
        ),
        progress: tr.args(
            "coaching-progress",
            &[
                ("value", rating(tr, v.progress.value)),
                ("n", tr.count(v.progress.n)),
            ],
        ),
        goal_state: tr.t(&format!("coaching-goal-{}", v.goal_state.replace('_', "-"))),
        goal_state_class: v.goal_state.clone(),
        focus_overridden: p.focus_overridden,
        current: v.current,
        examples: p
            .examples
            .iter()
            .map(|e| {
                (
                    e.interaction_id.clone(),
                    e.occurred_at
                        .map(|t| tr.date(t.to_zoned(jiff::tz::TimeZone::UTC).date()))
                        .unwrap_or_default(),
                    rating(tr, e.rating),
                    e.quote.clone(),
                )
            })
            .collect(),
        metrics: p.metrics_expected.iter().map(|m| tr.kpi_name(m)).collect(),
        sessions: v
            .sessions
            .iter()
            .map(|s| SessionLine {
                plan_id: p.id,
                id: s.row.id,
                date: tr.date(s.row.scheduled_on),
                state: s.state.as_str(),
                state_text: tr.t(&format!(
                    "coaching-state-{}",
                    s.state.as_str().replace('_', "-")
                )),
                notes: s.row.notes.clone().unwrap_or_default(),
                progress: if s.row.held_at.is_some() {
                    tr.args(
                        "coaching-progress",
                        &[
                            ("value", rating(tr, s.row.progress_value)),
                            ("n", tr.count(s.row.progress_n.unwrap_or(0))),
                        ],
                    )
                } else {
                    String::new()
                },
                can_record: coach && s.row.held_at.is_none(),
                can_acknowledge: own && s.row.held_at.is_some() && s.row.acknowledged_at.is_none(),
            })
            .collect(),
    }
}

/// A session in the lists of `/coaching`.
pub struct ListLine {
    pub date: String,
    pub agent: String,
    pub agent_path: String,
    pub criterion: String,
    pub state: &'static str,
    pub state_text: String,
}

fn list_line(tr: &Tr, i: &SessionItem) -> ListLine {
    ListLine {
        date: tr.date(i.scheduled_on),
        agent: i.agent.clone(),
        agent_path: path_part(&i.agent),
        criterion: i.criterion.clone(),
        state: i.state.as_str(),
        state_text: tr.t(&format!(
            "coaching-state-{}",
            i.state.as_str().replace('_', "-")
        )),
    }
}

#[derive(Template)]
#[template(path = "coaching/home.html")]
pub struct HomePage {
    pub tr: Tr,
    pub nav: Nav,
    pub overdue: Vec<ListLine>,
    pub upcoming: Vec<ListLine>,
    /// An agent's own plan page.
    pub own: Option<String>,
}

/// `/coaching`: the sessions to hold in the user's scope.
pub async fn home(
    State(state): State<Arc<AppState>>,
    user: PageUser,
) -> Result<Response, ApiError> {
    let today = (state.settings.today)();
    let u = user.user().clone();
    let list = state
        .with_store(move |store| metas_service::coaching::sessions_as(store, &u, today))
        .await?;
    let tr = user.tr;
    let own = match (user.user().role, &user.user().agent) {
        (Role::Agent, Some(a)) => Some(path_part(a)),
        _ => None,
    };
    render(&HomePage {
        overdue: list.overdue.iter().map(|i| list_line(&tr, i)).collect(),
        upcoming: list.upcoming.iter().map(|i| list_line(&tr, i)).collect(),
        own,
        nav: user.nav(),
        tr,
    })
}

#[derive(Template)]
#[template(path = "coaching/plan.html")]
pub struct PlanPage {
    pub tr: Tr,
    pub nav: Nav,
    pub agent: String,
    pub agent_path: String,
    pub plans: Vec<PlanCard>,
    pub can_coach: bool,
    pub error: Option<String>,
    pub form: PlanForm,
    /// The form holds the scorecard's suggestion (its focus behaviour).
    pub suggested: bool,
}

/// The form that creates a plan.
#[derive(Deserialize, Default, Clone)]
pub struct PlanForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub criterion: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub within: String,
    #[serde(default)]
    pub objective: String,
    /// One example a line: `ID` or `ID | quote`.
    #[serde(default)]
    pub examples: String,
    /// KPI ids, separated by commas.
    #[serde(default)]
    pub metrics: String,
    /// Session dates, separated by commas (none: weekly).
    #[serde(default)]
    pub sessions: String,
    /// Filled from the scorecard's suggestion (not a form field).
    #[serde(skip)]
    pub suggested: bool,
}

impl PlanForm {
    /// The form as the scorecard suggests it (`coaching::suggest`).
    fn suggested(plan: &metas_service::coaching::NewPlan) -> PlanForm {
        PlanForm {
            criterion: plan.criterion.clone(),
            level: format!("{}", plan.expected_level),
            within: plan.time_frame.clone(),
            examples: plan
                .examples
                .iter()
                .map(|e| match &e.quote {
                    Some(q) => format!("{} | {}", e.interaction_id, q.replace('\n', " ")),
                    None => e.interaction_id.clone(),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            metrics: plan.metrics_expected.join(", "),
            suggested: true,
            ..PlanForm::default()
        }
    }
}

async fn plan_page(
    state: &Arc<AppState>,
    user: PageUser,
    agent: String,
    error: Option<String>,
    form: PlanForm,
) -> Result<PlanPage, ApiError> {
    let today = (state.settings.today)();
    let u = user.user().clone();
    let a = agent.clone();
    let (plans, can_coach) = state
        .with_store(move |store| {
            let plans = metas_service::coaching::plans_of_as(store, &u, &a, today)?;
            let coach = metas_service::coaching::may_coach(store, &u, &a)?;
            Ok((plans, coach))
        })
        .await?;
    let tr = user.tr;
    Ok(PlanPage {
        plans: plans
            .iter()
            .map(|p| card(&tr, p, user.user(), can_coach))
            .collect(),
        can_coach,
        agent_path: path_part(&agent),
        agent,
        error,
        suggested: form.suggested,
        form,
        nav: user.nav(),
        tr,
    })
}

/// `/coaching/agents/{agent}/plan`.
pub async fn plan(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(agent): Path<String>,
) -> Result<Response, ApiError> {
    let today = (state.settings.today)();
    let u = user.user().clone();
    let a = agent.clone();
    // A lead opening the page gets the plan the scorecard suggests.
    let suggestion = state
        .with_store(move |store| {
            if !metas_service::coaching::may_coach(store, &u, &a)? {
                return Ok(None);
            }
            metas_service::coaching::suggest(store, &u, &a, today)
        })
        .await?;
    let form = suggestion
        .as_ref()
        .map(PlanForm::suggested)
        .unwrap_or_default();
    let page = plan_page(&state, user, agent, None, form).await?;
    render(&page)
}

/// Creates a plan from the form; shown again with the reason when refused.
pub async fn create(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(agent): Path<String>,
    Form(f): Form<PlanForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let today = (state.settings.today)();
    let now = (state.settings.now)();
    let level = f.level.trim().replace(',', ".").parse::<f64>();
    let sessions: Result<Vec<jiff::civil::Date>, _> = f
        .sessions
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<jiff::civil::Date>())
        .collect();
    let outcome = match (level, sessions) {
        (Ok(level), Ok(sessions)) => {
            let new = NewPlan {
                agent: agent.clone(),
                rubric: None,
                criterion: f.criterion.trim().to_string(),
                expected_level: level,
                time_frame: f.within.clone(),
                objective: Some(f.objective.clone()).filter(|o| !o.trim().is_empty()),
                examples: f
                    .examples
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| {
                        let (id, quote) = l.split_once('|').unwrap_or((l, ""));
                        NewExample {
                            interaction_id: id.trim().to_string(),
                            quote: Some(quote.trim().to_string()).filter(|q| !q.is_empty()),
                        }
                    })
                    .collect(),
                metrics_expected: f
                    .metrics
                    .split(',')
                    .map(|m| m.trim().to_string())
                    .filter(|m| !m.is_empty())
                    .collect(),
                sessions,
                rhythm: None,
                starts_on: Some(today),
            };
            let u = user.user().clone();
            state
                .with_store(move |store| {
                    metas_service::coaching::create_as(store, &u, &new, today, now)
                })
                .await
        }
        (Err(_), _) => Err(ApiError::Invalid(user.tr.t1(
            "coaching-bad-level",
            "level",
            &f.level,
        ))),
        (_, Err(_)) => Err(ApiError::Invalid(user.tr.t1(
            "coaching-bad-dates",
            "dates",
            &f.sessions,
        ))),
    };
    match outcome {
        Ok(_) => Ok(
            Redirect::to(&format!("/coaching/agents/{}/plan", path_part(&agent))).into_response(),
        ),
        Err(ApiError::Invalid(m)) | Err(ApiError::Refused(m)) => {
            let page = plan_page(&state, user, agent, Some(m), f).await?;
            render_with(StatusCode::BAD_REQUEST, &page)
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "coaching/print.html")]
pub struct PrintPage {
    pub tr: Tr,
    pub agent: String,
    pub plan: PlanCard,
    pub starts: String,
    pub due: String,
}

/// `/coaching/plans/{id}/print`: the plan on one page, in the agent's
/// language.
pub async fn print(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, ApiError> {
    let today = (state.settings.today)();
    let u = user.user().clone();
    let view = state
        .with_store(move |store| metas_service::coaching::plan_as(store, &u, id, today))
        .await?;
    let tr = Tr::new(Lang::parse(&view.plan.language).unwrap_or(Lang::En));
    render(&PrintPage {
        agent: view.plan.agent.clone(),
        starts: tr.date(view.plan.starts_on),
        due: tr.date(view.plan.due_on),
        plan: card(&tr, &view, user.user(), false),
        tr,
    })
}

#[derive(Deserialize)]
pub struct RecordForm {
    pub csrf: String,
    #[serde(default)]
    pub notes: String,
}

/// Records a session from the plan page.
pub async fn record(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path((id, session)): Path<(i64, i64)>,
    Form(f): Form<RecordForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let today = (state.settings.today)();
    let now = (state.settings.now)();
    let u = user.user().clone();
    let agent = state
        .with_store(move |store| {
            metas_service::coaching::record_as(store, &u, id, session, &f.notes, today, now)?;
            Ok(metas_service::coaching::plan_as(store, &u, id, today)?
                .plan
                .agent)
        })
        .await?;
    Ok(Redirect::to(&format!("/coaching/agents/{}/plan", path_part(&agent))).into_response())
}

/// The agent acknowledges a held session.
pub async fn acknowledge(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path((id, session)): Path<(i64, i64)>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    let today = (state.settings.today)();
    let now = (state.settings.now)();
    let u = user.user().clone();
    let agent = state
        .with_store(move |store| {
            metas_service::coaching::acknowledge_as(store, &u, id, session, now)?;
            Ok(metas_service::coaching::plan_as(store, &u, id, today)?
                .plan
                .agent)
        })
        .await?;
    Ok(Redirect::to(&format!("/coaching/agents/{}/plan", path_part(&agent))).into_response())
}
