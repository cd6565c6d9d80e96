//! `metas goal check|add|list|show` and `metas mission`.

use clap::{Args, Subcommand};
use metas_domain::goal::review::ReviewState;
use metas_service::goal::{GoalPlan, GoalRequest};

use crate::kpi_cmd::ReportFormat;
use crate::{open_existing, open_store, parse_date, print_json, usage, Failure, Settings};
use metas_store::prelude::*;

#[derive(Subcommand, Debug)]
pub enum GoalCommand {
    /// Check a goal against the data (baseline, target, SMART checks) without saving it.
    Check(GoalArgs),
    /// Check a goal and save it.
    Add(GoalArgs),
    /// The goal tree under the mission: each goal's status and its review if due or overdue.
    List(ListArgs),
    /// Track one goal: value now, progress, status, forecast, milestones, history.
    Show(ShowArgs),
    /// Record the owner's check-in: a comment and their confidence.
    Checkin(CheckinArgs),
    /// Record the owner's commitment to the goal.
    Commit(DayArgs),
    /// Make a draft goal active (within the focus limit unless --force).
    Activate(ActivateArgs),
    /// Review a goal: keep, revise or retire.
    Review(ReviewArgs),
    /// The reviews due and overdue.
    Reviews(AsOfArgs),
    /// Candidate goals for an owner, ranked by expected impact.
    Suggest(SuggestArgs),
}

#[derive(Args, Debug)]
pub struct SuggestArgs {
    /// org, team:NAME or agent:NAME.
    #[arg(long)]
    owner: String,
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Args, Debug)]
pub struct AsOfArgs {
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Args, Debug)]
pub struct DayArgs {
    id: i64,
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Args, Debug)]
pub struct ActivateArgs {
    id: i64,
    #[arg(long)]
    force: bool,
}

#[derive(Args, Debug)]
pub struct CheckinArgs {
    id: i64,
    #[arg(long)]
    comment: String,
    /// The owner's confidence of reaching the target, from 0 to 1.
    #[arg(long)]
    confidence: Option<f64>,
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Args, Debug)]
pub struct ReviewArgs {
    id: i64,
    /// keep, revise or retire.
    #[arg(long)]
    decision: String,
    #[arg(long, default_value = "")]
    notes: String,
    /// For a missed goal: what blocked it (required).
    #[arg(long = "blocked-by")]
    blocked_by: Option<String>,
    /// The practice the team takes up after it.
    #[arg(long = "new-practice")]
    new_practice: Option<String>,
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
}

#[derive(Args, Debug)]
pub struct GoalArgs {
    /// The KPI (see `metas kpi --list`).
    #[arg(long)]
    metric: String,
    /// org, team:NAME or agent:NAME.
    #[arg(long)]
    owner: String,
    /// A segment expression narrowing the goal's scope.
    #[arg(long = "where", value_name = "EXPR")]
    segment: Option<String>,
    /// An absolute target (rates as 0.9 or 90%).
    #[arg(long, conflicts_with = "by")]
    to: Option<String>,
    /// A change: N% (relative) or Npp (points of a rate); a leading - or + sets the direction.
    #[arg(long, allow_hyphen_values = true)]
    by: Option<String>,
    /// A date or an expression: "end of fiscal year", "20 November", "in two months".
    #[arg(long)]
    deadline: String,
    /// First day of the goal (default: --as-of).
    #[arg(long, value_name = "DATE")]
    start: Option<String>,
    /// The goal this one serves.
    #[arg(long)]
    parent: Option<i64>,
    /// A stretch target beyond the target.
    #[arg(long)]
    stretch: Option<String>,
    /// The goal as customers would say it.
    #[arg(long = "customer-words")]
    customer_words: Option<String>,
    /// Save even over the focus limit.
    #[arg(long)]
    force: bool,
    /// Review cadence: weekly, biweekly, monthly, quarterly (default), half-yearly.
    #[arg(long)]
    cadence: Option<String>,
    /// Save as a draft (not active; activate it with `goal activate`).
    #[arg(long)]
    draft: bool,
    /// A milestone DATE=VALUE (repeatable; default: three, evenly spaced).
    #[arg(long = "milestone", value_name = "DATE=VALUE")]
    milestones: Vec<String>,
    /// The baseline, when you know it ("from 85 %": 0.85 or 85%); default: measured
    /// over the equally long period before the start.
    #[arg(long)]
    baseline: Option<String>,
    /// Today, for resolving the deadline (default: today, UTC).
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    /// The day the goals are tracked on (default: today, UTC).
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    id: i64,
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

fn day(raw: &Option<String>, s: &Settings) -> Result<jiff::civil::Date, Failure> {
    match raw {
        Some(d) => parse_date(d, "--as-of"),
        None => Ok(s.today),
    }
}

#[derive(Subcommand, Debug)]
pub enum MissionCommand {
    /// Set the organisation's mission statement (the top of the goal tree).
    Set { statement: String },
    /// Show the mission statement.
    Show,
}

fn request(a: &GoalArgs, s: &Settings) -> Result<GoalRequest, Failure> {
    Ok(GoalRequest {
        metric: a.metric.clone(),
        owner: a.owner.clone(),
        segment: a.segment.clone(),
        to: a.to.clone(),
        by: a.by.clone(),
        deadline: a.deadline.clone(),
        start: a
            .start
            .as_deref()
            .map(|d| parse_date(d, "--start"))
            .transpose()?,
        parent: a.parent,
        stretch: a.stretch.clone(),
        customer_words: a.customer_words.clone(),
        force: a.force,
        cadence: a.cadence.clone(),
        baseline: a.baseline.clone(),
        baseline_from: None,
        who: s.actor.clone(),
        draft: a.draft,
        milestones: a.milestones.clone(),
        as_of: match &a.as_of {
            Some(d) => parse_date(d, "--as-of")?,
            None => s.today,
        },
    })
}

fn print_plan(plan: &GoalPlan, id: Option<i64>) {
    if let Some(id) = id {
        outln!("goal {id} saved");
    }
    outln!("{}", plan.sentence());
    outln!("target: {}", plan.target.explanation);
    for n in &plan.target.notes {
        outln!("note: {n}");
    }
    let show = |v: Option<f64>| {
        v.map(|x| metas_domain::kpi::display_value(plan.kpi.unit, x))
            .unwrap_or_else(|| "—".into())
    };
    if plan.baseline.given {
        outln!(
            "baseline: {} (given; the data from {} to {} has n {})",
            show(plan.baseline.figure.value),
            plan.baseline.from,
            plan.baseline.to,
            plan.baseline.figure.n
        );
    } else {
        outln!(
            "baseline: {} (n {}, 95% CI {} – {}) from {} to {}",
            show(plan.baseline.figure.value),
            plan.baseline.figure.n,
            show(plan.baseline.figure.ci_low),
            show(plan.baseline.figure.ci_high),
            plan.baseline.from,
            plan.baseline.to
        );
    }
    if let Some(s) = plan.stretch {
        outln!("stretch: {}", show(Some(s)));
    }
    let c = &plan.checks;
    for (letter, check) in [
        ("S specific", &c.specific),
        ("M measurable", &c.measurable),
        ("A achievable", &c.achievable),
        ("R relevant", &c.relevant),
        ("T time-bound", &c.time_bound),
        ("  focus", &c.focus),
    ] {
        outln!(
            "{} {letter}: {}",
            if check.ok { "ok  " } else { "FAIL" },
            check.message
        );
    }
    for o in &plan.overlaps {
        outln!("warning: {o}");
    }
}

pub fn goal(c: GoalCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        GoalCommand::Check(a) => {
            let req = request(&a, s)?;
            let store = open_existing(s)?;
            let plan = metas_service::goal::check(&store, &req)?;
            let blocked = metas_service::goal::blocker(&plan, req.force);
            if a.format == ReportFormat::Json {
                print_json(&plan.to_json(None))?;
            } else {
                print_plan(&plan, None);
                if let Some(why) = &blocked {
                    outln!("{why}");
                }
            }
            // A goal that could not be saved as it stands: the check refuses it.
            Ok(if blocked.is_some() { 1 } else { 0 })
        }
        GoalCommand::Add(a) => {
            let req = request(&a, s)?;
            let mut store = open_existing(s)?;
            let (id, plan) = metas_service::goal::add(&mut store, &req, s.now)?;
            if a.format == ReportFormat::Json {
                print_json(&plan.to_json(Some(id)))?;
            } else {
                print_plan(&plan, Some(id));
            }
            Ok(0)
        }
        GoalCommand::List(a) => {
            let mut store = open_existing(s)?;
            let as_of = day(&a.as_of, s)?;
            let tree = metas_service::goal::tree(&mut store, as_of)?;
            if a.format == ReportFormat::Json {
                let goals = tree
                    .iter()
                    .map(|(depth, t)| {
                        let mut g = serde_json::to_value(&t.goal).unwrap_or_default();
                        g["depth"] = serde_json::json!(depth);
                        g["state"] = serde_json::json!(t.state());
                        g["next_review"] = serde_json::json!(t.next_review);
                        g["review"] = serde_json::json!(t.review_state());
                        g
                    })
                    .collect::<Vec<_>>();
                print_json(&serde_json::json!({ "as_of": as_of, "goals": goals }))?;
            } else {
                if let Some(m) = store.mission().map_err(Failure::from)? {
                    outln!("mission: {m}");
                }
                if tree.is_empty() {
                    outln!("no goals yet; `metas goal add …` (see `metas goal add --help`)");
                }
                for (depth, t) in &tree {
                    let review = match (t.review_state(), t.next_review) {
                        (Some(ReviewState::Overdue), Some(d)) => {
                            format!("  · review overdue since {d}")
                        }
                        (Some(ReviewState::Due), Some(d)) => format!("  · review due {d}"),
                        _ => String::new(),
                    };
                    outln!(
                        "{:>4}  {:<15} {}{}{review}",
                        t.goal.id,
                        t.state().replace('_', " "),
                        "  ".repeat(*depth),
                        goal_line(&t.goal)
                    );
                }
            }
            Ok(0)
        }
        GoalCommand::Show(a) => {
            let mut store = open_existing(s)?;
            let t = metas_service::goal::track(&mut store, a.id, day(&a.as_of, s)?)?;
            if a.format == ReportFormat::Json {
                print_json(&t)?;
            } else {
                let zone = metas_service::config::time_zone(&store)?;
                print_tracking(&t, &zone);
            }
            Ok(0)
        }
        GoalCommand::Checkin(a) => {
            let mut store = open_existing(s)?;
            metas_service::goal::checkin(
                &mut store,
                a.id,
                day(&a.as_of, s)?,
                &a.comment,
                a.confidence,
                &s.actor,
                s.now,
            )?;
            outln!("check-in recorded for goal {}", a.id);
            Ok(0)
        }
        GoalCommand::Activate(a) => {
            let mut store = open_existing(s)?;
            metas_service::goal::activate(&mut store, a.id, a.force, &s.actor, s.now)?;
            outln!("goal {} is active", a.id);
            Ok(0)
        }
        GoalCommand::Commit(a) => {
            let mut store = open_existing(s)?;
            metas_service::goal::commit(&mut store, a.id, day(&a.as_of, s)?, &s.actor, s.now)?;
            outln!("goal {} committed", a.id);
            Ok(0)
        }
        GoalCommand::Review(a) => {
            let mut store = open_existing(s)?;
            let req = metas_service::goal::ReviewRequest {
                on: day(&a.as_of, s)?,
                decision: a.decision.clone(),
                notes: a.notes.clone(),
                blocked_by: a.blocked_by.clone(),
                new_practice: a.new_practice.clone(),
            };
            metas_service::goal::review(&mut store, a.id, &req, &s.actor, s.now)?;
            outln!("review of goal {} recorded", a.id);
            Ok(0)
        }
        GoalCommand::Suggest(a) => {
            let store = open_existing(s)?;
            let list = metas_service::goal::suggest(&store, &a.owner, day(&a.as_of, s)?)?;
            if a.format == ReportFormat::Json {
                print_json(&serde_json::json!({ "suggestions": list }))?;
            } else {
                if list.is_empty() {
                    outln!("nothing stands out: every segment with enough data is at or above the scope's level");
                }
                for (i, x) in list.iter().enumerate() {
                    outln!("{}. {} (impact {:.0})", i + 1, x.sentence, x.impact);
                }
                outln!("\nimpact = sample in the segment × relative gap to the reference; pick two or three");
            }
            Ok(0)
        }
        GoalCommand::Reviews(a) => {
            let store = open_existing(s)?;
            let agenda = metas_service::goal::review_list(&store, day(&a.as_of, s)?)?;
            if a.format == ReportFormat::Json {
                print_json(&agenda)?;
            } else {
                for r in &agenda.overdue {
                    outln!(
                        "overdue  goal {:>4}  was due {} ({} days ago)",
                        r.goal,
                        r.due_on,
                        r.days_overdue
                    );
                }
                for r in &agenda.due {
                    outln!("due      goal {:>4}  on {}", r.goal, r.due_on);
                }
                if agenda.due.is_empty() && agenda.overdue.is_empty() {
                    outln!("no reviews due");
                }
            }
            Ok(0)
        }
    }
}

/// "org decrease aht where topic = 'login' from 7m 52s to 7m 05s, 2026-11-22 to 2027-11-20"
fn goal_line(g: &metas_store::GoalRow) -> String {
    let show = |v: f64| metas_domain::kpi::display_kpi_value(&g.metric, v);
    format!(
        "{} {} {}{} from {} to {}, {} to {}",
        g.owner,
        g.direction,
        g.metric,
        metas_service::goal::where_suffix(g.scope.as_deref()),
        g.baseline.map(&show).unwrap_or_else(|| "—".into()),
        show(g.target),
        g.start,
        g.deadline
    )
}

fn print_tracking(t: &metas_service::goal::Tracking, zone: &jiff::tz::TimeZone) {
    let g = &t.goal;
    let show = |v: f64| metas_domain::kpi::display_kpi_value(&g.metric, v);
    outln!("goal {} ({}): {}", g.id, g.status, goal_line(g));
    match (&t.now, &t.progress) {
        (Some(now), Some(p)) => outln!(
            "on {}: {} (n {}); progress {:.0} % of the way, {:.0} % expected by now: {}",
            t.as_of,
            now.value.map(&show).unwrap_or_else(|| "—".into()),
            now.n,
            p.progress * 100.0,
            p.expected * 100.0,
            t.state().replace('_', " ")
        ),
        _ => outln!("on {}: no data since the start yet", t.as_of),
    }
    if let Some(f) = &t.forecast {
        outln!(
            "forecast at {}: {} (95 % interval {} – {}), chance of reaching the target {:.0} % (linear trend over {} weekly points)",
            f.date,
            show(f.value),
            show(f.interval.low),
            show(f.interval.high),
            f.chance * 100.0,
            f.points
        );
    }
    for m in &t.milestones {
        outln!("milestone {} {}: {}", m.date, show(m.value), m.state());
    }
    if let Some(r) = t.next_review {
        outln!("next review: {r}");
    }
    for c in &t.checkins {
        outln!(
            "check-in {}: {}{}",
            c.on,
            c.comment,
            c.confidence
                .map(|x| format!(" (confidence {:.0} %)", x * 100.0))
                .unwrap_or_default()
        );
    }
    for r in &t.reviews {
        let mut line = format!("review {}: {}", r.on, r.decision);
        if !r.notes.is_empty() {
            line.push_str(&format!(" — {}", r.notes));
        }
        if let Some(b) = &r.blocked_by {
            line.push_str(&format!("; blocked by: {b}"));
        }
        if let Some(p) = &r.new_practice {
            line.push_str(&format!("; new practice: {p}"));
        }
        outln!("{line}");
    }
    // What happened, each line a sentence, in the organisation's time zone.
    for h in &t.history {
        outln!(
            "{}  {}",
            h.at.to_zoned(zone.clone()).strftime("%Y-%m-%d %H:%M %Z"),
            h.sentence(&g.metric).text
        );
    }
}

pub fn mission(c: MissionCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        MissionCommand::Set { statement } => {
            if statement.trim().is_empty() {
                return Err(usage("the mission statement is empty".into()));
            }
            let mut store = open_store(s)?;
            store.set_mission(statement.trim()).map_err(Failure::from)?;
            outln!("mission set");
        }
        MissionCommand::Show => {
            let store = open_existing(s)?;
            match store.mission().map_err(Failure::from)? {
                Some(m) => outln!("{m}"),
                None => outln!("no mission statement yet; `metas mission set \"…\"`"),
            }
        }
    }
    Ok(0)
}
