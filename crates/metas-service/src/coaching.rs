//! Coaching (docs/coaching.md): an action plan on one QA criterion of one
//! agent (R-ACTION-PLAN), tracked by an agent-level goal on
//! `qa_criterion_rating` that the goal machinery checks in on and reviews,
//! and the coaching sessions that follow it.
//!
//! The plan's inputs come in one [`NewPlan`], which the CLI, the pages'
//! form and the API all fill (and the focus analysis pre-fills). The rules
//! live in `metas_domain::coaching`; this module reads the criterion's scale
//! and the examples' reviews, creates the goal with the plan (one
//! transaction), and computes a session's progress through the KPI engine.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use metas_domain::coaching::{
    schedule, session_state, Example, ExampleKind, Level, PlanParts, Rhythm, SessionState,
    TimeFrame,
};
use metas_domain::kpi::{Stat, TimeBasis};
use metas_domain::segment::{CmpOp, Dimension, Field, Literal, SegmentExpr};
use metas_store::prelude::*;
use metas_store::{CoachingSessionRow, PlanRow};
use serde::Serialize;

use crate::access::{may, Action, Scope};
use crate::goal::{GoalRequest, Tracking};
use crate::kpi::{answer, find_kpi, Figure, ParsedRequest};
use crate::users::{Role, User};
use crate::ServiceError;

/// The KPI a plan's goal tracks.
pub const PLAN_KPI: &str = "qa_criterion_rating";
/// How far back the starting point is measured when the goal's own
/// baseline window (as long as the plan, just before it) holds no rating.
pub const FALLBACK_BASELINE_DAYS: i64 = 90;

/// An example the plan cites: an interaction (its id in the source, or
/// metas' number) and, optionally, the quote to print (else the review's
/// comment).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NewExample {
    pub interaction_id: String,
    pub quote: Option<String>,
}

/// A new action plan, as the CLI, the form and the API give it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NewPlan {
    /// The agent, as the data names them (`Kevin M.`).
    pub agent: String,
    /// The rubric of the criterion; needed only when several rubrics have
    /// a criterion of that name.
    pub rubric: Option<String>,
    /// The behaviour: a QA criterion (`concern`).
    pub criterion: String,
    /// The expected level on the criterion's scale (3 of 1–5).
    pub expected_level: f64,
    /// How long the plan runs: `2w`, `14d`, `1m`, `two weeks`.
    pub time_frame: String,
    /// The objective in plain words (default: "<criterion> at <level> of <max>").
    pub objective: Option<String>,
    pub examples: Vec<NewExample>,
    /// KPI ids expected to follow the behaviour (`csat`, `repeat_contact_rate`).
    pub metrics_expected: Vec<String>,
    /// Session dates; none: every week (or `rhythm`) until the deadline.
    pub sessions: Vec<Date>,
    /// `weekly` (default) or `biweekly`, when no dates are given.
    pub rhythm: Option<String>,
    /// The first day of the plan (default: today).
    pub starts_on: Option<Date>,
}

/// A session with its state on the day asked.
#[derive(Debug, Clone, Serialize)]
pub struct SessionView {
    #[serde(flatten)]
    pub row: CoachingSessionRow,
    pub state: SessionState,
}

/// A plan as shown: its parts, its sessions' states, and where its goal
/// stands.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    #[serde(flatten)]
    pub plan: PlanRow,
    pub sessions: Vec<SessionView>,
    /// The goal's state (`on_track`, `at_risk`, `achieved`…).
    pub goal_state: String,
    /// The criterion's mean rating from the start to today (or the deadline).
    pub progress: Figure,
    pub as_of: Date,
    /// The plan is running on the day asked (started, not past its deadline).
    pub current: bool,
}

/// A session in a lead's list.
#[derive(Debug, Clone, Serialize)]
pub struct SessionItem {
    pub plan_id: i64,
    pub session_id: i64,
    pub agent: String,
    pub criterion: String,
    pub scheduled_on: Date,
    pub state: SessionState,
}

/// Sessions still to hold: overdue ones and those from today on.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SessionList {
    pub as_of: Date,
    pub overdue: Vec<SessionItem>,
    pub upcoming: Vec<SessionItem>,
}

fn equals(dim: Dimension, value: &str) -> SegmentExpr {
    SegmentExpr::Cmp(
        Field::Dimension(dim),
        CmpOp::Eq,
        Literal::Text(value.to_string()),
    )
}

/// The goal's own condition beside its owner: `criterion = 'concern'`.
pub fn criterion_scope(criterion: &str) -> String {
    format!("criterion = {}", Literal::Text(criterion.to_string()))
}

/// The criterion's mean rating for the agent from `from` to `to`.
pub fn rating(
    store: &dyn Storage,
    agent: &str,
    criterion: &str,
    from: Date,
    to: Date,
) -> Result<Figure, ServiceError> {
    let req = ParsedRequest {
        kpi: find_kpi(PLAN_KPI)?,
        by: vec![],
        grain: None,
        from: Some(from),
        to: Some(to),
        segment: SegmentExpr::both(
            Some(equals(Dimension::Agent, agent)),
            Some(equals(Dimension::Criterion, criterion)),
        ),
        stat: Stat::Mean,
        time: TimeBasis::Calendar,
        compare: false,
    };
    Ok(answer(store, &req)?
        .rows
        .into_iter()
        .next()
        .map(|r| r.figure)
        .unwrap_or(Figure {
            value: None,
            n: 0,
            ci_low: None,
            ci_high: None,
        }))
}

fn input(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Input(e.to_string())
}

fn agent_scope(store: &dyn Storage, agent: &str) -> Result<Scope, ServiceError> {
    Ok(Scope::Agent {
        name: agent.to_string(),
        team: store.agent_team(agent)?,
    })
}

/// The agent's language: the one their user record chose, else English.
fn agent_language(store: &dyn Storage, agent: &str) -> Result<String, ServiceError> {
    Ok(store
        .users()?
        .into_iter()
        .filter(|u| u.agent.as_deref() == Some(agent))
        .find_map(|u| u.language)
        .unwrap_or_else(|| "en".into()))
}

/// What was prepared, before anything is saved.
struct Prepared {
    row: PlanRow,
    goal: metas_store::GoalRow,
}

fn prepare(
    store: &dyn Storage,
    new: &NewPlan,
    who: &str,
    today: Date,
) -> Result<Prepared, ServiceError> {
    let agent = new.agent.trim();
    if agent.is_empty() || !store.agent_exists(agent)? {
        return Err(ServiceError::Input(format!(
            "there is no agent '{agent}' in the data"
        )));
    }
    let criterion = new.criterion.trim();
    let scales = store.criterion_scales(criterion)?;
    let scale = match &new.rubric {
        Some(r) => scales.iter().find(|s| s.rubric == *r).ok_or_else(|| {
            ServiceError::Input(format!(
                "--criterion: rubric '{r}' has no criterion '{criterion}'"
            ))
        })?,
        None => match scales.as_slice() {
            [one] => one,
            [] => {
                return Err(ServiceError::Input(format!(
                    "--criterion: no QA rubric has a criterion '{criterion}'"
                )))
            }
            many => {
                return Err(ServiceError::Input(format!(
                    "--criterion: '{criterion}' is in rubrics {}; say which with --rubric",
                    many.iter()
                        .map(|s| s.rubric.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        },
    };
    let level =
        Level::parse(new.expected_level, scale.scale_min, scale.scale_max).map_err(input)?;
    let starts_on = new.starts_on.unwrap_or(today);
    let due_on = TimeFrame::parse(&new.time_frame)
        .and_then(|t| t.deadline(starts_on))
        .map_err(input)?;
    let sessions = if new.sessions.is_empty() {
        let rhythm = match &new.rhythm {
            Some(r) => Rhythm::parse(r).map_err(input)?,
            None => Rhythm::Weekly,
        };
        schedule(starts_on, due_on, rhythm)
    } else {
        new.sessions.clone()
    };
    for m in &new.metrics_expected {
        find_kpi(m.trim())?;
    }
    let mut examples = Vec::new();
    for (i, e) in new.examples.iter().enumerate() {
        let id = e.interaction_id.trim();
        let evidence = store.qa_evidence(id, criterion)?.ok_or_else(|| {
            ServiceError::Input(format!(
                "example {}: interaction '{id}' has no QA review",
                i + 1
            ))
        })?;
        if evidence.agent.as_deref() != Some(agent) {
            return Err(ServiceError::Input(format!(
                "example {}: interaction '{id}' was not handled by {agent}",
                i + 1
            )));
        }
        examples.push(Example {
            interaction_id: evidence.interaction_id,
            kind: ExampleKind::of(evidence.rating, level.value),
            occurred_at: evidence.occurred_at,
            rating: evidence.rating,
            quote: e
                .quote
                .clone()
                .filter(|q| !q.trim().is_empty())
                .or(evidence.comment)
                .unwrap_or_default(),
        });
    }
    let objective = new
        .objective
        .clone()
        .filter(|o| !o.trim().is_empty())
        .unwrap_or_else(|| {
            format!(
                "{criterion} at {} of {}",
                number(level.value),
                number(scale.scale_max)
            )
        });
    let parts = PlanParts::parse(
        &objective,
        level,
        starts_on,
        due_on,
        sessions,
        examples,
        new.metrics_expected.clone(),
    )
    .map_err(input)?;

    // The goal: where the agent starts (the goal's own baseline window, or
    // the last 90 days when that holds no rating), then the goal service's
    // checks; past the focus limit the plan does what a user would
    // (`--force`) and says so.
    let length = (due_on - starts_on).get_days() as i64;
    let before = starts_on.yesterday().map_err(input)?;
    let own = rating(
        store,
        agent,
        criterion,
        before.checked_sub((length - 1).days()).map_err(input)?,
        before,
    )?;
    let baseline_from = match own.value {
        Some(_) => None,
        None => {
            let from = before
                .checked_sub((FALLBACK_BASELINE_DAYS - 1).days())
                .map_err(input)?;
            if rating(store, agent, criterion, from, before)?
                .value
                .is_none()
            {
                return Err(ServiceError::Input(format!(
                    "{agent} has no QA rating on {criterion} in the {FALLBACK_BASELINE_DAYS} days before {starts_on}, so the plan has nothing to start from"
                )));
            }
            Some(from)
        }
    };
    let mut req = GoalRequest {
        metric: PLAN_KPI.into(),
        owner: format!("agent:{agent}"),
        segment: Some(criterion_scope(criterion)),
        to: Some(number(level.value)),
        deadline: due_on.to_string(),
        start: Some(starts_on),
        cadence: Some("weekly".into()),
        baseline_from,
        as_of: starts_on,
        who: who.to_string(),
        customer_words: Some(parts.objective.clone()),
        ..GoalRequest::default()
    };
    let checked = crate::goal::check(store, &req)?;
    let focus_overridden = !checked.checks.focus.ok;
    req.force = focus_overridden;
    let goal = crate::goal::goal_row(&checked, &req)?;
    let row = PlanRow {
        id: 0,
        agent: agent.to_string(),
        goal_id: 0,
        rubric: scale.rubric.clone(),
        criterion: criterion.to_string(),
        expected_level: level.value,
        scale_min: scale.scale_min,
        scale_max: scale.scale_max,
        objective: parts.objective,
        starts_on,
        due_on,
        metrics_expected: parts.metrics_expected,
        created_by: who.to_string(),
        created_at: Timestamp::UNIX_EPOCH,
        language: agent_language(store, agent)?,
        focus_overridden,
        examples: parts.examples,
        sessions: parts
            .sessions
            .iter()
            .enumerate()
            .map(|(i, d)| CoachingSessionRow {
                id: i as i64 + 1,
                plan_id: 0,
                scheduled_on: *d,
                held_at: None,
                notes: None,
                progress_value: None,
                progress_n: None,
                recorded_by: None,
                acknowledged_at: None,
            })
            .collect(),
    };
    Ok(Prepared { row, goal })
}

/// A number as a target or a level is written: `3`, `2.5`.
fn number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{}", (v * 100.0).round() / 100.0)
    }
}

/// Creates a plan and its goal (one transaction: neither is saved without
/// the other), as the database's owner (the CLI). Returns the plan's id.
pub fn create(
    store: &mut dyn Storage,
    new: &NewPlan,
    who: &str,
    today: Date,
    at: Timestamp,
) -> Result<i64, ServiceError> {
    let p = prepare(store, new, who, today)?;
    let (id, _) = store.insert_plan(&p.row, &p.goal, at)?;
    Ok(id)
}

/// Whether the user may see the agent's coaching: else the agent is not
/// there for them (404).
fn require_see(store: &dyn Storage, user: &User, agent: &str) -> Result<Scope, ServiceError> {
    let scope = agent_scope(store, agent)?;
    if may(user, Action::See, &scope) {
        Ok(scope)
    } else {
        Err(ServiceError::NotFound(format!(
            "there is no agent '{agent}'"
        )))
    }
}

fn require_coach(store: &dyn Storage, user: &User, agent: &str) -> Result<(), ServiceError> {
    let scope = require_see(store, user, agent)?;
    crate::access::require(user, Action::Coach, &scope)
}

/// [`create`] for a user who may coach the agent.
pub fn create_as(
    store: &mut dyn Storage,
    user: &User,
    new: &NewPlan,
    today: Date,
    at: Timestamp,
) -> Result<i64, ServiceError> {
    require_coach(store, user, new.agent.trim())?;
    create(store, new, &user.login, today, at)
}

fn view(store: &mut dyn Storage, mut plan: PlanRow, today: Date) -> Result<PlanView, ServiceError> {
    let tracking: Option<Tracking> = match store.goal(plan.goal_id)? {
        Some(_) => Some(crate::goal::track(store, plan.goal_id, today)?),
        None => None,
    };
    let until = today.min(plan.due_on);
    let progress = if until >= plan.starts_on {
        rating(store, &plan.agent, &plan.criterion, plan.starts_on, until)?
    } else {
        Figure {
            value: None,
            n: 0,
            ci_low: None,
            ci_high: None,
        }
    };
    let sessions = std::mem::take(&mut plan.sessions)
        .into_iter()
        .map(|s| SessionView {
            state: state_of(&s, today),
            row: s,
        })
        .collect();
    Ok(PlanView {
        goal_state: tracking
            .as_ref()
            .map(|t| t.state().to_string())
            .unwrap_or_else(|| "retired".into()),
        current: plan.starts_on <= today && today <= plan.due_on,
        sessions,
        progress,
        as_of: today,
        plan,
    })
}

fn state_of(s: &CoachingSessionRow, today: Date) -> SessionState {
    session_state(
        s.scheduled_on,
        s.held_at
            .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date()),
        s.acknowledged_at.is_some(),
        today,
    )
}

/// An agent's plans, newest first (the current one, then past ones).
pub fn plans_of(
    store: &mut dyn Storage,
    agent: &str,
    today: Date,
) -> Result<Vec<PlanView>, ServiceError> {
    let rows = store.coaching_plans_of(agent)?;
    rows.into_iter().map(|p| view(store, p, today)).collect()
}

/// [`plans_of`] for a user who may see the agent (else `NotFound`).
pub fn plans_of_as(
    store: &mut dyn Storage,
    user: &User,
    agent: &str,
    today: Date,
) -> Result<Vec<PlanView>, ServiceError> {
    require_see(store, user, agent)?;
    plans_of(store, agent, today)
}

fn find_plan(store: &dyn Storage, id: i64) -> Result<PlanRow, ServiceError> {
    store
        .coaching_plan(id)?
        .ok_or_else(|| ServiceError::NotFound(format!("there is no coaching plan {id}")))
}

/// One plan, as the database's owner sees it.
pub fn plan(store: &mut dyn Storage, id: i64, today: Date) -> Result<PlanView, ServiceError> {
    let p = find_plan(store, id)?;
    view(store, p, today)
}

/// One plan, if the user may see its agent (else `NotFound`, as for a plan
/// that does not exist).
pub fn plan_as(
    store: &mut dyn Storage,
    user: &User,
    id: i64,
    today: Date,
) -> Result<PlanView, ServiceError> {
    let p = find_plan(store, id)?;
    require_see(store, user, &p.agent)
        .map_err(|_| ServiceError::NotFound(format!("there is no coaching plan {id}")))?;
    view(store, p, today)
}

/// The plan a goal tracks, if the goal has one.
pub fn plan_of_goal(store: &dyn Storage, goal_id: i64) -> Result<Option<i64>, ServiceError> {
    Ok(store.coaching_plan_of_goal(goal_id)?)
}

/// Records a session as held on `as_of`: the notes, and the agent's
/// progress on the objective then (the criterion's mean rating from the
/// plan's start to that date, with how many ratings it rests on).
pub fn record(
    store: &mut dyn Storage,
    plan_id: i64,
    session_id: i64,
    notes: &str,
    as_of: Date,
    who: &str,
    at: Timestamp,
) -> Result<SessionView, ServiceError> {
    let p = find_plan(store, plan_id)?;
    if notes.trim().is_empty() {
        return Err(ServiceError::Input(
            "--notes: say what was discussed and agreed".into(),
        ));
    }
    if !p.sessions.iter().any(|s| s.id == session_id) {
        return Err(ServiceError::NotFound(format!(
            "plan {plan_id} has no session {session_id}"
        )));
    }
    let until = as_of.min(p.due_on);
    let progress = if until >= p.starts_on {
        rating(store, &p.agent, &p.criterion, p.starts_on, until)?
    } else {
        return Err(ServiceError::Input(format!(
            "--as-of {as_of} is before the plan starts ({})",
            p.starts_on
        )));
    };
    store.record_coaching_session(
        plan_id,
        session_id,
        notes.trim(),
        (progress.value, progress.n),
        who,
        at,
    )?;
    let row = find_plan(store, plan_id)?
        .sessions
        .into_iter()
        .find(|s| s.id == session_id)
        .ok_or_else(|| {
            ServiceError::NotFound(format!("plan {plan_id} has no session {session_id}"))
        })?;
    Ok(SessionView {
        state: state_of(&row, as_of),
        row,
    })
}

/// [`record`] for a user who may coach the plan's agent.
pub fn record_as(
    store: &mut dyn Storage,
    user: &User,
    plan_id: i64,
    session_id: i64,
    notes: &str,
    as_of: Date,
    at: Timestamp,
) -> Result<SessionView, ServiceError> {
    let p = find_plan(store, plan_id)?;
    require_see(store, user, &p.agent)
        .map_err(|_| ServiceError::NotFound(format!("there is no coaching plan {plan_id}")))?;
    require_coach(store, user, &p.agent)?;
    record(store, plan_id, session_id, notes, as_of, &user.login, at)
}

/// The agent acknowledges a held session of their own plan (nobody else
/// may: a lead who sees it is refused, anyone else does not find it).
pub fn acknowledge_as(
    store: &mut dyn Storage,
    user: &User,
    plan_id: i64,
    session_id: i64,
    at: Timestamp,
) -> Result<(), ServiceError> {
    let p = find_plan(store, plan_id)?;
    require_see(store, user, &p.agent)
        .map_err(|_| ServiceError::NotFound(format!("there is no coaching plan {plan_id}")))?;
    if user.role != Role::Agent || user.agent.as_deref() != Some(p.agent.as_str()) {
        return Err(ServiceError::Forbidden);
    }
    if !store.acknowledge_coaching_session(plan_id, session_id, at)? {
        return Err(ServiceError::Refused(format!(
            "session {session_id} of plan {plan_id} has not been held yet, so there is nothing to acknowledge"
        )));
    }
    Ok(())
}

/// The sessions still to hold of the plans `visible` lets through, as of
/// `today`: overdue first (oldest first), then due today and upcoming.
fn sessions_where(
    store: &dyn Storage,
    today: Date,
    visible: impl Fn(&PlanRow) -> Result<bool, ServiceError>,
) -> Result<SessionList, ServiceError> {
    let mut list = SessionList {
        as_of: today,
        ..SessionList::default()
    };
    for p in store.coaching_plans()? {
        if !visible(&p)? {
            continue;
        }
        for s in &p.sessions {
            let state = state_of(s, today);
            if !state.is_open() {
                continue;
            }
            let item = SessionItem {
                plan_id: p.id,
                session_id: s.id,
                agent: p.agent.clone(),
                criterion: p.criterion.clone(),
                scheduled_on: s.scheduled_on,
                state,
            };
            if state == SessionState::Overdue {
                list.overdue.push(item);
            } else {
                list.upcoming.push(item);
            }
        }
    }
    list.overdue
        .sort_by_key(|i| (i.scheduled_on, i.plan_id, i.session_id));
    list.upcoming
        .sort_by_key(|i| (i.scheduled_on, i.plan_id, i.session_id));
    Ok(list)
}

/// Every plan's sessions still to hold (the CLI, for the database's owner).
pub fn sessions(store: &dyn Storage, today: Date) -> Result<SessionList, ServiceError> {
    sessions_where(store, today, |_| Ok(true))
}

/// The sessions still to hold that a user sees: a lead their team's, a
/// manager everyone's, an agent their own.
pub fn sessions_as(
    store: &dyn Storage,
    user: &User,
    today: Date,
) -> Result<SessionList, ServiceError> {
    sessions_where(store, today, |p| {
        Ok(may(user, Action::See, &agent_scope(store, &p.agent)?))
    })
}

/// Whether the user may create plans for the agent and record their
/// sessions (the pages show the forms only then).
pub fn may_coach(store: &dyn Storage, user: &User, agent: &str) -> Result<bool, ServiceError> {
    Ok(may(user, Action::Coach, &agent_scope(store, agent)?))
}

/// The plan the agent's scorecard suggests (docs/scorecard.md): its focus
/// behaviour at the business standard within two weeks, the lowest-rated
/// reviews on it as examples (with the reviewers' words), and the metrics
/// it was seen to move. `None` when the scorecard chose no focus (no
/// reviews to read). The lead edits it before saving; nothing is saved here.
pub fn suggest(
    store: &dyn Storage,
    user: &User,
    agent: &str,
    today: Date,
) -> Result<Option<NewPlan>, ServiceError> {
    let analysis = crate::scorecard::analyse(store, user, agent, today)?;
    let Some(focus) = analysis.focus else {
        return Ok(None);
    };
    let examples = analysis
        .evidence
        .iter()
        .filter(|e| e.kind == "review")
        .filter_map(|e| {
            let id = e
                .interaction_external_id
                .clone()
                .or_else(|| e.interaction_id.map(|i| i.to_string()))?;
            Some(NewExample {
                interaction_id: id,
                quote: e.comment.clone(),
            })
        })
        .take(3)
        .collect();
    let moved: Vec<String> = focus
        .chosen
        .effects
        .iter()
        .filter(|e| e.moved)
        .map(|e| e.metric.clone())
        .collect();
    Ok(Some(NewPlan {
        agent: analysis.agent,
        rubric: Some(focus.rubric),
        criterion: focus.criterion,
        expected_level: focus.standard,
        time_frame: "2w".into(),
        examples,
        metrics_expected: if moved.is_empty() {
            focus.weak_metrics
        } else {
            moved
        },
        ..NewPlan::default()
    }))
}
