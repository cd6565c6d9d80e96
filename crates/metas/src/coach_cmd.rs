//! `metas coach plan AGENT [--create …]`, `metas coach sessions` and
//! `metas coach session record PLAN SESSION` (docs/coaching.md).

use clap::{Args, Subcommand};
use metas_service::coaching::{NewExample, NewPlan, PlanView, SessionList};

use crate::kpi_cmd::ReportFormat;
use crate::{open_existing, parse_date, print_json, usage, Failure, Settings};

#[derive(Subcommand, Debug)]
pub enum CoachCommand {
    /// An agent's action plan (the current one and past ones), or a new one with --create.
    Plan(PlanArgs),
    /// Coaching sessions still to hold: overdue, due today and upcoming.
    Sessions(SessionsArgs),
    /// Record a session as held.
    #[command(subcommand)]
    Session(SessionCommand),
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The agent, as the data names them (e.g. "Kevin M.").
    agent: String,
    /// Create a plan (and its goal) instead of showing the agent's plans.
    #[arg(long)]
    create: bool,
    /// The QA criterion the plan works on (e.g. concern).
    #[arg(long, requires = "create")]
    criterion: Option<String>,
    /// The expected level on the criterion's scale (e.g. 3).
    #[arg(long, requires = "create")]
    level: Option<f64>,
    /// How long the plan runs: 2w, 14d, 1m, "two weeks".
    #[arg(long, requires = "create")]
    within: Option<String>,
    /// The rubric, when several have the criterion.
    #[arg(long, requires = "create")]
    rubric: Option<String>,
    /// The objective in plain words.
    #[arg(long, requires = "create")]
    objective: Option<String>,
    /// An interaction to cite (its id in the source); repeat for more.
    #[arg(long = "example", value_name = "ID", requires = "create")]
    examples: Vec<String>,
    /// A KPI expected to follow (e.g. csat); repeat for more.
    #[arg(long = "metric", value_name = "KPI", requires = "create")]
    metrics: Vec<String>,
    /// weekly (default) or biweekly sessions until the deadline.
    #[arg(long, requires = "create")]
    sessions: Option<String>,
    /// A session date (YYYY-MM-DD) instead of the rhythm; repeat for more.
    #[arg(long = "session-on", value_name = "DATE", requires = "create")]
    session_on: Vec<String>,
    /// Today, for the plan's start and the states shown (default: today, UTC).
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Args, Debug)]
pub struct SessionsArgs {
    /// Only the sessions of this lead's team (a user login).
    #[arg(long, value_name = "LOGIN")]
    lead: Option<String>,
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// Record a session as held: the notes and the agent's progress at that date.
    Record {
        plan: i64,
        session: i64,
        #[arg(long)]
        notes: String,
        /// The day it was held (default: today, UTC).
        #[arg(long = "as-of", value_name = "DATE")]
        as_of: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

fn today(raw: &Option<String>, s: &Settings) -> Result<jiff::civil::Date, Failure> {
    match raw {
        Some(d) => parse_date(d, "--as-of"),
        None => Ok(s.today),
    }
}

fn value(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into())
}

fn print_plan(p: &PlanView) {
    let r = &p.plan;
    outln!(
        "plan {} for {}: {} ({} at {} of {} on {}, {} to {}){}",
        r.id,
        r.agent,
        r.objective,
        r.criterion,
        value(Some(r.expected_level)),
        value(Some(r.scale_max)),
        r.rubric,
        r.starts_on,
        r.due_on,
        if p.current { "" } else { " — past" }
    );
    outln!(
        "  goal {}: {}; {} so far {} (n = {})",
        r.goal_id,
        p.goal_state,
        r.criterion,
        value(p.progress.value),
        p.progress.n
    );
    if r.focus_overridden {
        outln!("  the goal was saved past the focus limit (R-FOCUS), as --force does");
    }
    for e in &r.examples {
        outln!(
            "  example {} ({}, rating {}): {}",
            e.interaction_id,
            e.kind.as_str(),
            value(e.rating),
            e.quote
        );
    }
    if !r.metrics_expected.is_empty() {
        outln!(
            "  metrics expected to follow: {}",
            r.metrics_expected.join(", ")
        );
    }
    for s in &p.sessions {
        outln!(
            "  session {} on {}: {}{}",
            s.row.id,
            s.row.scheduled_on,
            s.state.as_str(),
            match (&s.row.notes, s.row.progress_value) {
                (Some(n), v) => format!(
                    " — {} so far {} (n = {}): {n}",
                    r.criterion,
                    value(v),
                    s.row.progress_n.unwrap_or(0)
                ),
                _ => String::new(),
            }
        );
    }
}

fn print_sessions(l: &SessionList) {
    if l.overdue.is_empty() && l.upcoming.is_empty() {
        outln!("no coaching session to hold");
    }
    for i in l.overdue.iter().chain(&l.upcoming) {
        outln!(
            "{}  {:<10}  plan {} session {}  {} ({})",
            i.scheduled_on,
            i.state.as_str(),
            i.plan_id,
            i.session_id,
            i.agent,
            i.criterion
        );
    }
}

pub fn coach(c: CoachCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        CoachCommand::Plan(a) => plan(a, s),
        CoachCommand::Sessions(a) => {
            let store = open_existing(s)?;
            let today = today(&a.as_of, s)?;
            let list = match &a.lead {
                None => metas_service::coaching::sessions(&store, today)?,
                Some(login) => {
                    let user = metas_service::users::by_login(&store, login)?
                        .ok_or_else(|| usage(format!("--lead: there is no user '{login}'")))?;
                    metas_service::coaching::sessions_as(&store, &user, today)?
                }
            };
            if a.format == ReportFormat::Json {
                print_json(&list)?;
            } else {
                print_sessions(&list);
            }
            Ok(0)
        }
        CoachCommand::Session(SessionCommand::Record {
            plan,
            session,
            notes,
            as_of,
            format,
        }) => {
            let mut store = open_existing(s)?;
            let day = today(&as_of, s)?;
            let v = metas_service::coaching::record(
                &mut store, plan, session, &notes, day, &s.actor, s.now,
            )?;
            if format == ReportFormat::Json {
                print_json(&v)?;
            } else {
                outln!(
                    "session {} of plan {plan} recorded: progress {} (n = {})",
                    v.row.id,
                    value(v.row.progress_value),
                    v.row.progress_n.unwrap_or(0)
                );
            }
            Ok(0)
        }
    }
}

fn plan(a: PlanArgs, s: &Settings) -> Result<u8, Failure> {
    let mut store = open_existing(s)?;
    let today = today(&a.as_of, s)?;
    if a.create {
        // What is not given comes from the scorecard's suggestion (its focus
        // behaviour at the standard within two weeks, its evidence, the
        // metrics it moves); without one, the flags are required.
        let suggested = if a.criterion.is_none() || a.level.is_none() || a.within.is_none() {
            metas_service::coaching::suggest(&store, &crate::operator(s), &a.agent, today)?
        } else {
            None
        };
        let from_suggestion = suggested.is_some();
        let suggested = suggested.unwrap_or_default();
        let missing = |flag: &str| {
            usage(format!(
                "--create needs {flag}: the scorecard of {} chose no focus behaviour to suggest one",
                a.agent
            ))
        };
        let given_examples: Vec<NewExample> = a
            .examples
            .into_iter()
            .map(|id| NewExample {
                interaction_id: id,
                quote: None,
            })
            .collect();
        let new = NewPlan {
            agent: a.agent.clone(),
            rubric: a.rubric.or(suggested.rubric),
            criterion: match a.criterion {
                Some(c) => c,
                None if from_suggestion => suggested.criterion,
                None => return Err(missing("--criterion NAME")),
            },
            expected_level: match a.level {
                Some(l) => l,
                None if from_suggestion => suggested.expected_level,
                None => return Err(missing("--level N")),
            },
            time_frame: match a.within {
                Some(w) => w,
                None if from_suggestion => suggested.time_frame,
                None => return Err(missing("--within 2w")),
            },
            objective: a.objective,
            examples: if given_examples.is_empty() {
                suggested.examples
            } else {
                given_examples
            },
            metrics_expected: if a.metrics.is_empty() {
                suggested.metrics_expected
            } else {
                a.metrics
            },
            sessions: a
                .session_on
                .iter()
                .map(|d| parse_date(d, "--session-on"))
                .collect::<Result<_, _>>()?,
            rhythm: a.sessions,
            starts_on: Some(today),
        };
        let id = metas_service::coaching::create(&mut store, &new, &s.actor, today, s.now)?;
        let view = metas_service::coaching::plan(&mut store, id, today)?;
        if a.format == ReportFormat::Json {
            print_json(&view)?;
        } else {
            print_plan(&view);
        }
        return Ok(0);
    }
    let plans = metas_service::coaching::plans_of(&mut store, &a.agent, today)?;
    if a.format == ReportFormat::Json {
        let current = plans.iter().find(|p| p.current).or(plans.first());
        print_json(&serde_json::json!({
            "agent": a.agent,
            "as_of": today.to_string(),
            "current": current,
            "plans": plans,
        }))?;
    } else if plans.is_empty() {
        outln!("{} has no coaching plan; create one with --create", a.agent);
    } else {
        for p in &plans {
            print_plan(p);
        }
    }
    Ok(0)
}
