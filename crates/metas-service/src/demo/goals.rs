//! The demo organisation's mission and goal tree (docs/product.md §6, §10):
//! what a service manager finds on the Goals page of `metas demo`.
//!
//! # The tree
//!
//! Under the mission, the head of service (`HEAD_OF_SERVICE`) owns an
//! organisation goal on CSAT set six months ago for a year, which the team
//! goals serve, and the retention goal of docs/product.md §6.5. Each team
//! lead owns one to three team goals, and three agents one goal each. Among
//! them:
//!
//! - **on track**: the organisation's CSAT, Technical's first response time
//!   (the team that improves, [`IMPROVING_TEAM`](super::IMPROVING_TEAM)), a
//!   Front Line agent's goal;
//! - **at risk**: Front Line's goal, whose quarterly review is **overdue**;
//! - **achieved early**: a Technical agent's first response time;
//! - **achieved**: Technical's first goal, on repeat contacts as the team
//!   began to improve, whose deadline passed three weeks ago with the target
//!   reached;
//! - **missed**: the organisation's goal on e-mail first response, whose
//!   deadline passed five weeks ago; its review says what blocked it (the
//!   Monday backlog, [`MONDAY_CHANNEL`](super::MONDAY_CHANNEL)) and the new
//!   practice (R-MISSED);
//! - the six **examples of docs/product.md §6.5**, entered as written three
//!   weeks before the last day (later when a deadline would fall too soon),
//!   with whatever status the data gives them;
//! - the struggling agent's ([`STRUGGLING_AGENT`](super::STRUGGLING_AGENT))
//!   goal, reviewed monthly, whose next review is **due** within the week.
//!
//! Months of check-ins (every two weeks, with a comment and the owner's
//! confidence), commitments and the reviews held are recorded in the order
//! they happened, each stamped at its own moment of the demo's clock
//! (office hours in Madrid): the history reads as it would have been written.
//!
//! # Targets chosen from the data
//!
//! Every goal goes through [`goal::add`] like one a manager enters: its
//! baseline is measured, its SMART checks computed, its status tracked from
//! the data. The goals of the story get their target from the data too: for
//! each, a few candidate scopes are tried in order; the baseline and the
//! value since the start are measured as tracking will measure them, and the
//! target is the round change (whole per cent, half points of a rate) that
//! puts the goal where the story wants it, judged by the domain's own status
//! rule ([`GoalLine::status`]). A candidate that moved the wrong way is
//! skipped, so the statuses hold for any seed, size and day; a goal with no
//! candidate that fits keeps a plain target and the status it gets.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use metas_domain::goal::{resolve_target, Deadline, GoalLine, TargetSpec, TrackStatus};
use metas_domain::kpi::{Better, Unit};
use metas_store::prelude::*;
use serde::Serialize;

use super::rng::Rng;
use super::{DemoOptions, AGENTS, LEADS, STRUGGLING_AGENT, TEAMS};
use crate::goal::{self, GoalRequest, ReviewRequest};
use crate::ServiceError;

/// The demo organisation's mission statement, the top of its goal tree.
pub const MISSION: &str = "Every customer gets a fast, kind and complete answer.";
/// Who owns the organisation's goals.
pub const HEAD_OF_SERVICE: &str = "Laura Vidal";
/// The random stream of the goals' clock (apart from the records').
const STREAM: u64 = 0x0067_6f61_6c73;

/// What [`generate`] made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalsSummary {
    pub goals: u64,
    /// Goals by where they stand on the demo's last day: `on_track`,
    /// `at_risk`, `off_track`, `achieved_early`, `achieved`, `missed`…
    pub by_state: BTreeMap<String, u64>,
    pub checkins: u64,
    /// Reviews held.
    pub reviews: u64,
    /// Reviews due within the week after the last day, and overdue on it.
    pub reviews_due: u64,
    pub reviews_overdue: u64,
}

/// Where the story wants a goal on the demo's last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    OnTrack,
    AtRisk,
    AchievedEarly,
    Achieved,
    Missed,
}

impl Want {
    fn status(self) -> TrackStatus {
        match self {
            Want::OnTrack => TrackStatus::OnTrack,
            Want::AtRisk => TrackStatus::AtRisk,
            Want::AchievedEarly => TrackStatus::AchievedEarly,
            Want::Achieved => TrackStatus::Achieved,
            Want::Missed => TrackStatus::Missed,
        }
    }

    /// The progress to aim at, given the progress the straight line
    /// expects by the last day: the middle of the status' band.
    fn progress(self, expected: f64) -> f64 {
        match self {
            Want::OnTrack => (0.9 * expected + 1.0) / 2.0,
            Want::AtRisk => 0.75 * expected,
            Want::AchievedEarly | Want::Achieved => 1.4,
            Want::Missed => 0.5,
        }
    }
}

/// A scope a goal of the story may be set on.
struct Candidate {
    owner: String,
    metric: &'static str,
    scope: Option<&'static str>,
}

fn cand(owner: &str, metric: &'static str) -> Candidate {
    Candidate {
        owner: owner.to_string(),
        metric,
        scope: None,
    }
}

/// A goal to enter, and what happens to it afterwards.
struct Spec {
    label: &'static str,
    parent: Option<&'static str>,
    /// Who enters (and reviews) it: the owner's manager or the owner.
    by: &'static str,
    /// Who commits to it and checks in: the owner, or the team's lead.
    owner_person: &'static str,
    req: GoalRequest,
    want: Option<Want>,
    commit: Option<Date>,
    checkins: Vec<(Date, &'static str, f64)>,
    reviews: Vec<ReviewRequest>,
}

/// One step of the story, in the order of its moment.
enum Step {
    Create,
    Commit(Date),
    CheckIn(Date, &'static str, f64),
    Review(ReviewRequest),
}

/// The demo's clock: office hours in Madrid, a random minute.
struct Clock {
    zone: TimeZone,
    rng: Rng,
}

impl Clock {
    fn at(&mut self, day: Date, from_hour: i64, to_hour: i64) -> Timestamp {
        let minute = from_hour * 60 + self.rng.int(0, (to_hour - from_hour) * 60 - 1);
        day.to_datetime(jiff::civil::Time::midnight())
            .checked_add(minute.minutes())
            .ok()
            .and_then(|dt| dt.to_zoned(self.zone.clone()).ok())
            .map(|z| z.timestamp())
            .unwrap_or_else(|| {
                day.to_zoned(TimeZone::UTC)
                    .map(|z| z.timestamp())
                    .unwrap_or(Timestamp::UNIX_EPOCH)
            })
    }
}

fn input(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Input(e.to_string())
}

fn days(d: Date, n: i64) -> Result<Date, ServiceError> {
    d.checked_add(n.days()).map_err(input)
}

fn months(d: Date, n: i64) -> Result<Date, ServiceError> {
    d.checked_add(n.months()).map_err(input)
}

/// A weekday on or after `d`.
fn workday(d: Date) -> Date {
    match d.weekday() {
        Weekday::Saturday => d.checked_add(2.days()).unwrap_or(d),
        Weekday::Sunday => d.checked_add(1.days()).unwrap_or(d),
        _ => d,
    }
}

/// A check-in for each comment, in order, on weekdays spread from a week
/// after `start` up to `until` (every two weeks when there are comments
/// enough, further apart otherwise), the confidence going from `from` to
/// `to`.
fn checkins(
    start: Date,
    until: Date,
    comments: &[&'static str],
    from: f64,
    to: f64,
) -> Result<Vec<(Date, &'static str, f64)>, ServiceError> {
    let mut slots = Vec::new();
    let mut d = days(start, 7)?;
    while d <= until {
        let w = workday(d);
        if w <= until {
            slots.push(w);
        }
        d = days(d, 14)?;
    }
    let n = slots.len().min(comments.len());
    Ok((0..n)
        .map(|i| {
            let share = if n > 1 {
                i as f64 / (n - 1) as f64
            } else {
                1.0
            };
            // The i-th of n slots spread evenly, the last one the latest.
            let slot = if n > 1 {
                (share * (slots.len() - 1) as f64).round() as usize
            } else {
                slots.len() - 1
            };
            let confidence = ((from + (to - from) * share) * 20.0).round() / 20.0;
            (slots[slot], comments[i], confidence)
        })
        .collect())
}

fn review(on: Date, decision: &str, notes: &str) -> ReviewRequest {
    ReviewRequest {
        on,
        decision: decision.to_string(),
        notes: notes.to_string(),
        blocked_by: None,
        new_practice: None,
    }
}

/// The people of the demo organisation who enter goals: goals they
/// created are the demo's, replaced when the demo runs again.
fn demo_people() -> Vec<&'static str> {
    let mut people = vec![HEAD_OF_SERVICE];
    people.extend(LEADS);
    people.extend(AGENTS.iter().map(|a| a.0));
    people
}

fn lead_of(team: &str) -> &'static str {
    TEAMS
        .iter()
        .position(|t| *t == team)
        .map(|i| LEADS[i])
        .unwrap_or(HEAD_OF_SERVICE)
}

/// Sets the mission and enters the goal tree of the module doc for the
/// demo organisation ending on `opts.as_of` (run after
/// [`generate`](super::generate)), replacing the goals an earlier demo
/// entered; the database's other goals are kept.
pub fn generate(store: &mut dyn Storage, opts: &DemoOptions) -> Result<GoalsSummary, ServiceError> {
    let today = opts.as_of;
    let people = demo_people();
    for g in store.goals()? {
        let history = store.goal_history(g.id)?;
        if history
            .first()
            .is_some_and(|h| people.contains(&h.who.as_str()))
        {
            store.delete_goal(g.id)?;
        }
    }
    store.set_mission(MISSION)?;

    let mut specs = story(store, today)?;
    specs.extend(examples(store, today)?);

    // Every step at its moment, in order: a goal is entered before what
    // happens to it, a parent before the goals serving it.
    let mut clock = Clock {
        zone: TimeZone::get("Europe/Madrid").unwrap_or(TimeZone::UTC),
        rng: Rng::stream(opts.seed, STREAM),
    };
    let mut steps: Vec<(Timestamp, usize, Step)> = Vec::new();
    let mut created: BTreeMap<&'static str, Timestamp> = BTreeMap::new();
    for (i, s) in specs.iter().enumerate() {
        let start = s.req.start.unwrap_or(s.req.as_of);
        // A goal entered the day its parent was is entered after it (the
        // specs list parents first).
        let mut at = clock.at(start, 9, 11);
        if let Some(parent) = s.parent.and_then(|p| created.get(p)) {
            if at <= *parent {
                at = parent
                    .checked_add(jiff::SignedDuration::from_mins(7))
                    .map_err(input)?;
            }
        }
        created.insert(s.label, at);
        steps.push((at, i, Step::Create));
        if let Some(d) = s.commit {
            steps.push((clock.at(d, 9, 18), i, Step::Commit(d)));
        }
        for (d, comment, confidence) in &s.checkins {
            steps.push((
                clock.at(*d, 11, 18),
                i,
                Step::CheckIn(*d, comment, *confidence),
            ));
        }
        for r in &s.reviews {
            steps.push((clock.at(r.on, 11, 18), i, Step::Review(r.clone())));
        }
    }
    steps.sort_by_key(|(at, i, _)| (*at, *i));

    let mut ids: BTreeMap<&'static str, i64> = BTreeMap::new();
    let (mut checkins, mut reviews) = (0, 0);
    for (at, i, step) in steps {
        let s = &specs[i];
        match step {
            Step::Create => {
                let mut req = s.req.clone();
                req.parent = s.parent.and_then(|p| ids.get(p).copied());
                match goal::add(store, &req, at) {
                    Ok((id, _)) => {
                        ids.insert(s.label, id);
                    }
                    // A scope too thin in a small demo (no baseline): the
                    // goal is left out, and what would have happened to it.
                    Err(e @ (ServiceError::Input(_) | ServiceError::Refused(_))) => {
                        tracing::info!(goal = s.label, error = %e, "a demo goal left out");
                    }
                    Err(e) => return Err(e),
                }
            }
            Step::Commit(d) => {
                if let Some(id) = ids.get(s.label) {
                    goal::commit(store, *id, d, s.owner_person, at)?;
                }
            }
            Step::CheckIn(d, comment, confidence) => {
                if let Some(id) = ids.get(s.label) {
                    goal::checkin(store, *id, d, comment, Some(confidence), s.owner_person, at)?;
                    checkins += 1;
                }
            }
            Step::Review(r) => {
                if let Some(id) = ids.get(s.label) {
                    goal::review(store, *id, &r, s.by, at)?;
                    reviews += 1;
                }
            }
        }
    }

    // Where everything stands on the last day (tracking settles the goals
    // whose deadline has passed).
    let mut by_state: BTreeMap<String, u64> = BTreeMap::new();
    let mut due = 0;
    let mut overdue = 0;
    let mine: Vec<i64> = ids.values().copied().collect();
    for (_, t) in goal::tree(store, today)? {
        if !mine.contains(&t.goal.id) {
            continue;
        }
        *by_state.entry(t.state().to_string()).or_default() += 1;
        match t.review_state() {
            Some(metas_domain::goal::review::ReviewState::Due) => due += 1,
            Some(metas_domain::goal::review::ReviewState::Overdue) => overdue += 1,
            _ => {}
        }
        if let Some(want) = specs
            .iter()
            .find(|s| ids.get(s.label) == Some(&t.goal.id))
            .and_then(|s| s.want)
        {
            let got = t.progress.map(|p| p.status);
            if got != Some(want.status()) {
                tracing::info!(
                    goal = t.goal.id,
                    ?want,
                    ?got,
                    "a demo goal landed elsewhere"
                );
            }
        }
    }
    Ok(GoalsSummary {
        goals: ids.len() as u64,
        by_state,
        checkins,
        reviews,
        reviews_due: due,
        reviews_overdue: overdue,
    })
}

/// A deadline as a manager writes it on `start`: "26 May" when that reads
/// back as the date, else the date itself.
fn deadline_text(start: Date, deadline: Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = MONTHS[(deadline.month() - 1) as usize];
    let text = format!("{} {month}", deadline.day());
    match Deadline::parse(&text, start, 1) {
        Ok(d) if d == deadline => text,
        _ => deadline.to_string(),
    }
}

/// A request for a goal on a candidate scope, entered on `start`.
fn request(c: &Candidate, by: &str, start: Date, deadline: Date, change: &str) -> GoalRequest {
    GoalRequest {
        metric: c.metric.to_string(),
        owner: c.owner.clone(),
        segment: c.scope.map(str::to_string),
        by: Some(change.to_string()),
        deadline: deadline_text(start, deadline),
        start: Some(start),
        as_of: start,
        who: by.to_string(),
        ..Default::default()
    }
}

/// A candidate measured: its KPI, the sign of its better direction, the
/// baseline and the value since the start, as tracking will see them.
struct Measured<'a> {
    candidate: &'a Candidate,
    kpi: &'static metas_domain::kpi::KpiDef,
    sign: &'static str,
    baseline: f64,
    value: f64,
}

/// The first candidate that can be given a round target putting it where
/// `want` says on `today` (see the module doc), as a request; failing all,
/// the first candidate with a plain 10 % target.
fn aim(
    store: &dyn Storage,
    want: Want,
    candidates: &[Candidate],
    by: &str,
    start: Date,
    deadline: Date,
    today: Date,
) -> Result<GoalRequest, ServiceError> {
    match try_aim(store, want, candidates, by, start, deadline, today)? {
        Some(req) => Ok(req),
        None => plain(candidates, by, start, deadline),
    }
}

/// [`aim`] without the plain target: `None` when no candidate fits. Targets
/// a manager would write (2–35 %, half a point to 15 points of a rate) are
/// tried on every candidate first, then any.
fn try_aim(
    store: &dyn Storage,
    want: Want,
    candidates: &[Candidate],
    by: &str,
    start: Date,
    deadline: Date,
    today: Date,
) -> Result<Option<GoalRequest>, ServiceError> {
    let mut measured = Vec::new();
    for c in candidates {
        let Some(m) = measure(store, c, by, start, deadline, today)? else {
            continue;
        };
        if let Some(change) = fit(&m, want, start, deadline, today, false) {
            return Ok(Some(request(c, by, start, deadline, &change)));
        }
        measured.push(m);
    }
    for m in &measured {
        if let Some(change) = fit(m, want, start, deadline, today, true) {
            return Ok(Some(request(m.candidate, by, start, deadline, &change)));
        }
    }
    Ok(None)
}

/// The first candidate with a plain 10 % target in its better direction.
fn plain(
    candidates: &[Candidate],
    by: &str,
    start: Date,
    deadline: Date,
) -> Result<GoalRequest, ServiceError> {
    let first = candidates
        .first()
        .ok_or_else(|| input("a demo goal without a candidate"))?;
    let sign = match metas_domain::kpi::kpi(first.metric).map(|k| k.better) {
        Some(Better::Lower) => "-",
        _ => "",
    };
    Ok(request(first, by, start, deadline, &format!("{sign}10%")))
}

/// A candidate's baseline and value since the start, or `None` when the
/// scope has no baseline, too little data since the start, or a KPI with
/// no better direction.
fn measure<'a>(
    store: &dyn Storage,
    c: &'a Candidate,
    by: &str,
    start: Date,
    deadline: Date,
    today: Date,
) -> Result<Option<Measured<'a>>, ServiceError> {
    let Some(kpi) = metas_domain::kpi::kpi(c.metric) else {
        return Ok(None);
    };
    let sign = match kpi.better {
        Better::Higher => "",
        Better::Lower => "-",
        Better::Neither => return Ok(None),
    };
    let request = request(c, by, start, deadline, &format!("{sign}5%"));
    let planned = match goal::check(store, &request) {
        Ok(p) => p,
        // No baseline in this scope, or nothing it can be read from.
        Err(ServiceError::Input(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(baseline) = planned
        .baseline
        .figure
        .value
        .filter(|_| planned.checks.specific.ok)
    else {
        return Ok(None);
    };
    let now = goal::measure(store, &planned, start, today.min(deadline))?;
    Ok(now.value.filter(|_| now.n >= 10).map(|value| Measured {
        candidate: c,
        kpi,
        sign,
        baseline,
        value,
    }))
}

/// The change (`-12%`, `3.5pp`) that puts a measured candidate where `want`
/// says on `today` by the domain's status rule, within a manager's range
/// unless `any`.
fn fit(
    m: &Measured<'_>,
    want: Want,
    start: Date,
    deadline: Date,
    today: Date,
    any: bool,
) -> Option<String> {
    let status_at = |change: &str| -> Option<TrackStatus> {
        let spec = TargetSpec::parse_by(change).ok()?;
        let target = resolve_target(spec, m.kpi, None, m.baseline).ok()?;
        let line = GoalLine::new(m.baseline, target.target, start, deadline).ok()?;
        Some(line.status(m.value, today))
    };
    let rate = m.kpi.unit == Unit::Rate;
    let direction = if m.sign.is_empty() { 1.0 } else { -1.0 };
    let gain = (m.value - m.baseline) * direction;
    if gain <= 0.0 {
        // Moved the wrong way: only a miss can be told truly.
        let change = format!("{}{}", m.sign, if rate { "3pp" } else { "10%" });
        return (want == Want::Missed && status_at(&change) == Some(TrackStatus::Missed))
            .then_some(change);
    }
    let expected = GoalLine::new(m.baseline, m.baseline + direction, start, deadline)
        .ok()?
        .expected_progress(today);
    let progress = want.progress(expected);
    // The change that gives that progress: points of a rate, else per cent.
    let (ideal, unit, step) = if rate {
        (gain * 100.0 / progress, "pp", 0.5)
    } else if m.baseline.abs() > 0.0 {
        let ideal = gain / m.baseline.abs() * 100.0 / progress;
        (ideal, "%", if ideal >= 4.0 { 1.0 } else { 0.5 })
    } else {
        return None;
    };
    let round = ((ideal / step).round() * step).max(step);
    let mut tries: Vec<f64> = vec![round];
    for k in 1..=8 {
        tries.push(round + step * k as f64);
        tries.push(round - step * k as f64);
    }
    tries.push((ideal * 10.0).round() / 10.0);
    tries.push((ideal * 100.0).round() / 100.0);
    let (low, high) = match (rate, any) {
        (true, false) => (0.5, 15.0),
        (false, false) => (2.0, 35.0),
        (true, true) => (0.01, 100.0),
        (false, true) => (0.01, 95.0),
    };
    tries
        .into_iter()
        .filter(|x| (low..=high).contains(x))
        .map(|x| format!("{}{x}{unit}", m.sign))
        .find(|change| status_at(change) == Some(want.status()))
}

const ORG_CHECKINS: &[&str] = &[
    "Shared the goal with every team; each lead picked the part they own.",
    "Monthly CSAT read-out with the leads: Technical is pulling the number up.",
    "Listening sessions on low-score contacts started in every team.",
    "Front Line still below the others; agreed extra coaching with Marta.",
    "Survey comments tagged by theme; waiting times come up less often.",
    "Half-year read-out: on the line; the team goals stay as they are.",
];
const EMAIL_CHECKINS: &[&str] = &[
    "Target shared with every team; daily queue check at 10:00.",
    "The weekend backlog still takes most of Monday to clear.",
    "Tried splitting the e-mail queue by topic; Mondays unchanged.",
    "Two leavers in Front Line: e-mails wait longer this month.",
    "Temporary help from Billing on Monday mornings; not enough.",
    "Mondays still twice as slow as the rest of the week; the deadline will pass.",
];
const TECH_CHECKINS: &[&str] = &[
    "Triage rota started: one person answers new e-mails first thing every morning.",
    "Macros for the five most common router questions are live.",
    "Two agents moved from chat to e-mail for the afternoon peak.",
    "First answers go out before lunch on most days; Mondays are still slower.",
    "Holiday cover planned so the rota holds through the summer.",
    "Weekly look at the oldest open tickets keeps the queue short.",
];
const FRONT_CHECKINS: &[&str] = &[
    "Friday listening sessions on low-score calls have started.",
    "The two new hires are still ramping up; scores dip on their calls.",
    "Callback promises are tracked now, but busy Mondays break some.",
    "Flat this month: login problems drive most of the detractors.",
    "Asked Technical for help with login escalations; waiting on a fix.",
];
const TECH_FIRST_CHECKINS: &[&str] = &[
    "Known-issue note for the router firmware bug goes out with every answer.",
    "We check that the fix worked before closing a ticket.",
    "Fewer customers write back about the same problem.",
    "Buffering cases get a follow-up message two days later.",
    "Holding steady; the closing checklist stays.",
];
const KEVIN_CHECKINS: &[&str] = &[
    "Coaching with Marta: acknowledge how the customer feels before solving.",
    "Listened back to three calls: I interrupt too early.",
    "Repeating the problem back on every call now.",
    "More thanks from customers; still rushing on busy days.",
];
const RAJ_CHECKINS: &[&str] = &[
    "Shadowing Omar on the tricky router cases.",
    "Using the new macros for buffering questions.",
    "Oldest ticket first, every morning.",
    "Target reached; keeping the routine.",
];
const ANA_CHECKINS: &[&str] = &[
    "Sharing my follow-up checklist with the new hires.",
    "Calling back the customers whose problem I could not close the same day.",
    "Good month: two compliments in the survey comments.",
    "Asking at the end of every call whether anything else is open.",
    "Keeping the pace through the holidays.",
];
/// The goals of the story (see the module doc), their targets chosen from
/// the data.
fn story(store: &dyn Storage, today: Date) -> Result<Vec<Spec>, ServiceError> {
    let front = format!("team:{}", TEAMS[0]);
    let tech = format!("team:{}", TEAMS[1]);
    let (front_lead, tech_lead) = (lead_of(TEAMS[0]), lead_of(TEAMS[1]));
    let mut out = Vec::new();

    // The organisation's CSAT, a year from six months ago: on track.
    let start = months(today, -6)?;
    let deadline = months(today, 6)?;
    let mut req = aim(
        store,
        Want::OnTrack,
        &[
            cand("org", "csat"),
            cand("org", "fcr"),
            cand("org", "frt"),
            cand("org", "repeat_contact_rate"),
            cand("org", "resolution_time"),
            cand("org", "csat_avg"),
            cand("org", "nps"),
        ],
        HEAD_OF_SERVICE,
        start,
        deadline,
        today,
    )?;
    req.customer_words = Some("They listen to me and sort it out.".into());
    let mut reviews = vec![review(
        months(start, 3)?,
        "keep",
        "Halfway on the line; the team goals carry it.",
    )];
    reviews.retain(|r| r.on <= today);
    out.push(Spec {
        label: "org",
        parent: None,
        by: HEAD_OF_SERVICE,
        owner_person: HEAD_OF_SERVICE,
        req,
        want: Some(Want::OnTrack),
        commit: Some(days(start, 1)?),
        checkins: checkins(start, today, ORG_CHECKINS, 0.6, 0.75)?,
        reviews,
    });

    // E-mail answered within the day: missed five weeks ago, reviewed.
    let start = months(today, -7)?;
    let deadline = days(today, -35)?;
    let req = aim(
        store,
        Want::Missed,
        &[Candidate {
            owner: "org".into(),
            metric: "frt",
            scope: Some("channel = 'email'"),
        }],
        HEAD_OF_SERVICE,
        start,
        deadline,
        today,
    )?;
    out.push(Spec {
        label: "email",
        parent: None,
        by: HEAD_OF_SERVICE,
        owner_person: HEAD_OF_SERVICE,
        req,
        want: Some(Want::Missed),
        commit: None,
        checkins: checkins(start, deadline, EMAIL_CHECKINS, 0.6, 0.25)?,
        reviews: vec![
            review(months(start, 3)?, "keep", "Behind the line; Mondays are the problem."),
            ReviewRequest {
                blocked_by: Some(
                    "The weekend backlog: Monday's e-mails arrive faster than the early shift can answer them."
                        .into(),
                ),
                new_practice: Some(
                    "A Saturday morning shift clears the e-mail queue before Monday.".into(),
                ),
                ..review(
                    days(deadline, 8)?,
                    "revise",
                    "Set the next goal per weekday, not as one average.",
                )
            },
        ],
    });

    // Technical's first response: on track, reviewed once.
    let start = months(today, -4)?;
    let deadline = months(today, 2)?;
    let req = aim(
        store,
        Want::OnTrack,
        &[
            cand(&tech, "frt"),
            cand(&tech, "csat"),
            cand(&tech, "repeat_contact_rate"),
        ],
        tech_lead,
        start,
        deadline,
        today,
    )?;
    out.push(Spec {
        label: "tech",
        parent: Some("org"),
        by: tech_lead,
        owner_person: tech_lead,
        req,
        want: Some(Want::OnTrack),
        commit: Some(days(start, 2)?),
        checkins: checkins(start, today, TECH_CHECKINS, 0.6, 0.8)?,
        reviews: vec![review(
            months(start, 3)?,
            "keep",
            "The triage rota works; keep it through the summer.",
        )],
    });

    // Front Line: at risk, and its quarterly review is overdue. Started
    // four months ago, or three or five when the season made every
    // candidate worse over those four.
    let deadline = months(today, 2)?;
    let front_candidates = [
        cand(&front, "csat"),
        cand(&front, "fcr"),
        cand(&front, "aht"),
        cand(&front, "frt"),
        cand(&front, "repeat_contact_rate"),
        cand(&front, "resolution_time"),
        cand(&front, "csat_avg"),
        cand(&front, "qa_score"),
        cand(&front, "nps"),
    ];
    let starts = [
        days(months(today, -4)?, -5)?,
        days(months(today, -3)?, -10)?,
        days(months(today, -5)?, -5)?,
    ];
    let mut req = None;
    for start in starts {
        req = try_aim(
            store,
            Want::AtRisk,
            &front_candidates,
            front_lead,
            start,
            deadline,
            today,
        )?;
        if req.is_some() {
            break;
        }
    }
    let req = match req {
        Some(r) => r,
        None => plain(&front_candidates, front_lead, starts[0], deadline)?,
    };
    let start = req.start.unwrap_or(starts[0]);
    out.push(Spec {
        label: "front",
        parent: Some("org"),
        by: front_lead,
        owner_person: front_lead,
        req,
        want: Some(Want::AtRisk),
        commit: Some(days(start, 1)?),
        checkins: checkins(start, today, FRONT_CHECKINS, 0.7, 0.45)?,
        reviews: vec![],
    });

    // Technical's repeat contacts, the team's first goal as it began to
    // improve: achieved three weeks ago.
    let start = months(today, -6)?;
    let deadline = days(today, -21)?;
    let req = aim(
        store,
        Want::Achieved,
        &[
            cand(&tech, "repeat_contact_rate"),
            cand(&tech, "csat"),
            cand(&tech, "frt"),
            cand(&tech, "resolution_time"),
        ],
        tech_lead,
        start,
        deadline,
        today,
    )?;
    out.push(Spec {
        label: "tech-first",
        parent: Some("org"),
        by: tech_lead,
        owner_person: tech_lead,
        req,
        want: Some(Want::Achieved),
        commit: Some(days(start, 3)?),
        checkins: checkins(start, deadline, TECH_FIRST_CHECKINS, 0.55, 0.9)?,
        reviews: vec![review(
            months(start, 3)?,
            "keep",
            "Ahead of the line since fixes are checked before a ticket is closed.",
        )],
    });

    // The struggling agent: reviewed monthly, the next review due this week.
    let start = days(months(today, -2)?, 4)?;
    let deadline = months(today, 3)?;
    let kevin = format!("agent:{STRUGGLING_AGENT}");
    let req = GoalRequest {
        cadence: Some("monthly".into()),
        ..aim(
            store,
            Want::OnTrack,
            &[
                cand(&kevin, "qa_score"),
                cand(&kevin, "csat"),
                cand(&kevin, "repeat_contact_rate"),
                cand(&kevin, "fcr"),
            ],
            front_lead,
            start,
            deadline,
            today,
        )?
    };
    out.push(Spec {
        label: "kevin",
        parent: Some("front"),
        by: front_lead,
        owner_person: STRUGGLING_AGENT,
        req,
        want: None,
        commit: Some(days(start, 1)?),
        checkins: checkins(start, today, KEVIN_CHECKINS, 0.5, 0.65)?,
        reviews: vec![review(
            months(start, 1)?,
            "keep",
            "Better on concern in the calls we listened to; weekly coaching goes on.",
        )],
    });

    // A Technical agent: achieved early.
    let start = days(today, -80)?;
    let deadline = days(today, 100)?;
    let technical_agents: Vec<Candidate> = AGENTS
        .iter()
        .filter(|a| a.1 == 1 && a.4 == 0.0)
        .take(6)
        .flat_map(|a| {
            let owner = format!("agent:{}", a.0);
            [cand(&owner, "frt"), cand(&owner, "csat")]
        })
        .collect();
    let req = aim(
        store,
        Want::AchievedEarly,
        &technical_agents,
        tech_lead,
        start,
        deadline,
        today,
    )?;
    let raj = agent_name(&req.owner);
    out.push(Spec {
        label: "tech-agent",
        parent: Some("tech"),
        by: tech_lead,
        owner_person: raj,
        req,
        want: Some(Want::AchievedEarly),
        commit: Some(days(start, 1)?),
        checkins: checkins(start, today, RAJ_CHECKINS, 0.6, 0.95)?,
        reviews: vec![],
    });

    // A Front Line agent: on track, reviewed once.
    let start = days(months(today, -3)?, -20)?;
    let deadline = months(today, 3)?;
    let front_agents: Vec<Candidate> = AGENTS
        .iter()
        .filter(|a| a.1 == 0 && a.0 != STRUGGLING_AGENT && a.3 == 0.0)
        .take(5)
        .flat_map(|a| {
            let owner = format!("agent:{}", a.0);
            [cand(&owner, "csat"), cand(&owner, "fcr")]
        })
        .collect();
    let req = aim(
        store,
        Want::OnTrack,
        &front_agents,
        front_lead,
        start,
        deadline,
        today,
    )?;
    let ana = agent_name(&req.owner);
    out.push(Spec {
        label: "front-agent",
        parent: Some("front"),
        by: front_lead,
        owner_person: ana,
        req,
        want: Some(Want::OnTrack),
        commit: Some(days(start, 2)?),
        checkins: checkins(start, today, ANA_CHECKINS, 0.65, 0.8)?,
        reviews: vec![review(
            months(start, 3)?,
            "keep",
            "Steady; share the follow-up checklist with the team.",
        )],
    });
    Ok(out)
}

/// The name in an `agent:NAME` owner, as one of the demo's people.
fn agent_name(owner: &str) -> &'static str {
    let name = owner.strip_prefix("agent:").unwrap_or(owner);
    AGENTS
        .iter()
        .map(|a| a.0)
        .find(|a| *a == name)
        .unwrap_or(HEAD_OF_SERVICE)
}

/// The examples of docs/product.md §6.5, entered as written three weeks
/// before the last day (or later, so that no deadline falls within a week
/// of it), with a check-in or two.
fn examples(store: &dyn Storage, today: Date) -> Result<Vec<Spec>, ServiceError> {
    let fiscal = store.settings()?.fiscal_year_start_month;
    let front = format!("team:{}", TEAMS[0]);
    let tech = format!("team:{}", TEAMS[1]);
    let bill = format!("team:{}", TEAMS[2]);
    let social = format!("team:{}", TEAMS[3]);
    // (label, parent, owner, metric, scope, by, baseline, deadline, words, check-in)
    type Example = (
        &'static str,
        Option<&'static str>,
        String,
        &'static str,
        Option<&'static str>,
        (Option<&'static str>, &'static str),
        &'static str,
        Option<&'static str>,
        &'static str,
    );
    let list: Vec<Example> = vec![
        (
            "csat-55-70",
            Some("org"),
            front.clone(),
            "csat",
            Some("customer.age between 55 and 70"),
            (None, "25%"),
            "end of the fiscal year",
            Some("They explain it step by step, without hurrying me."),
            "Agents slow down and explain each step to older customers.",
        ),
        (
            "aht-login",
            Some("org"),
            front,
            "aht",
            Some("topic = 'login'"),
            (None, "-10%"),
            "20 November",
            None,
            "The new password-reset guide goes out in the first reply.",
        ),
        (
            "blog",
            Some("org"),
            social.clone(),
            "frt",
            Some("channel = 'blog_comment'"),
            (None, "-5%"),
            "start of next quarter",
            None,
            "Blog comments now land in the Social queue directly.",
        ),
        (
            "retention",
            None,
            "org".to_string(),
            "retention",
            None,
            (Some("85%"), "90%"),
            "31 December",
            Some("I stay because it just works."),
            "Win-back call for customers who cancel after buffering trouble.",
        ),
        (
            "buffering",
            Some("retention"),
            tech,
            "fcr",
            Some("topic = 'buffering' and product = 'mobile_app'"),
            (None, "18%"),
            "in the next two months",
            Some("My video problem fixed the first time I call."),
            "A buffering checklist for the mobile app is shared with the whole team.",
        ),
        (
            "returns",
            Some("retention"),
            bill,
            "ces",
            Some("topic = 'returns'"),
            (None, "-20%"),
            "8 June",
            None,
            "Prepaid return labels in the first e-mail.",
        ),
    ];
    let mut out = Vec::new();
    for (label, parent, owner, metric, scope, (baseline, target), deadline, words, comment) in list
    {
        // Entered three weeks ago, or later if the deadline would then fall
        // within a week of the last day (three weeks ago when every day
        // gives such a deadline: "start of next quarter" at a quarter's end).
        let mut entered = days(today, -21)?;
        for back in [21, 14, 7, 0] {
            let day = days(today, -back)?;
            let resolved = Deadline::parse(deadline, day, fiscal).map_err(input)?;
            if resolved > days(today, 7)? {
                entered = day;
                break;
            }
        }
        let team = owner.strip_prefix("team:").unwrap_or("");
        let by = if owner == "org" {
            HEAD_OF_SERVICE
        } else {
            lead_of(team)
        };
        let (to, by_change) = match baseline {
            Some(_) => (Some(target.to_string()), None),
            None => (None, Some(target.to_string())),
        };
        let req = GoalRequest {
            metric: metric.to_string(),
            owner: owner.clone(),
            segment: scope.map(str::to_string),
            to,
            by: by_change,
            baseline: baseline.map(str::to_string),
            deadline: deadline.to_string(),
            start: Some(entered),
            as_of: entered,
            customer_words: words.map(str::to_string),
            who: by.to_string(),
            ..Default::default()
        };
        let checkins = checkins(entered, today, &[comment], 0.6, 0.6)?;
        out.push(Spec {
            label,
            parent,
            by,
            owner_person: by,
            req,
            want: None,
            commit: None,
            checkins,
            reviews: vec![],
        });
    }
    Ok(out)
}
