//! Goals (docs/product.md §6): `goal check` plans a goal against the data without
//! saving it (baseline, target, the SMART checks); `goal add` saves it when
//! nothing blocks it. The rules live in `metas_domain::goal`; this module
//! computes the numbers they judge.

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use metas_domain::goal::checks::{self, AchievableAssessment, Check};
use metas_domain::goal::review::{review_agenda, review_state, ReviewAgenda, ReviewState};
use metas_domain::goal::{
    parse_value, resolve_target, Cadence, Deadline, Decision, Direction, Forecast, GoalEvent,
    GoalLine, Milestone, Progress, ResolvedTarget, Review, Sentence, SeriesPoint, TargetSpec,
    TrackStatus,
};
use metas_domain::kpi::{Grain, KpiDef, Stat, TimeBasis, Unit};
use metas_domain::segment::{CmpOp, Dimension, Field, Literal, SegmentExpr};
use metas_store::prelude::*;
use metas_store::{CheckIn, GoalRow, ReviewRow};
use serde::Serialize;
use serde_json::json;

use crate::kpi::{answer, find_kpi, parse_segment, Figure, ParsedRequest};
use crate::ServiceError;

/// Who owns a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    Organisation,
    Team(String),
    Agent(String),
}

impl Owner {
    pub fn parse(text: &str) -> Result<Owner, ServiceError> {
        let t = text.trim();
        if t == "org" || t == "organisation" || t == "organization" {
            return Ok(Owner::Organisation);
        }
        let bad =
            || ServiceError::Input(format!("--owner '{t}': write org, team:NAME or agent:NAME"));
        let (kind, name) = t.split_once(':').ok_or_else(bad)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad());
        }
        match kind.trim() {
            "team" => Ok(Owner::Team(name.to_string())),
            "agent" => Ok(Owner::Agent(name.to_string())),
            _ => Err(bad()),
        }
    }

    pub fn key(&self) -> String {
        match self {
            Owner::Organisation => "org".into(),
            Owner::Team(n) => format!("team:{n}"),
            Owner::Agent(n) => format!("agent:{n}"),
        }
    }

    /// The owner as a segment condition (`team = 'Technical'`).
    fn condition(&self) -> Option<SegmentExpr> {
        let (dim, name) = match self {
            Owner::Organisation => return None,
            Owner::Team(n) => (Dimension::Team, n),
            Owner::Agent(n) => (Dimension::Agent, n),
        };
        Some(SegmentExpr::Cmp(
            Field::Dimension(dim),
            CmpOp::Eq,
            Literal::Text(name.clone()),
        ))
    }

    /// The dimension whose other values are this owner's peers.
    fn peers(&self) -> Option<Field> {
        match self {
            Owner::Organisation => None,
            Owner::Team(_) => Some(Field::Dimension(Dimension::Team)),
            Owner::Agent(_) => Some(Field::Dimension(Dimension::Agent)),
        }
    }
}

/// A goal as a user writes it (docs/product.md §9.1 flags).
#[derive(Debug, Clone, Default)]
pub struct GoalRequest {
    pub metric: String,
    pub owner: String,
    pub segment: Option<String>,
    pub to: Option<String>,
    pub by: Option<String>,
    pub deadline: String,
    pub start: Option<Date>,
    pub parent: Option<i64>,
    pub stretch: Option<String>,
    pub customer_words: Option<String>,
    pub force: bool,
    /// Review cadence (default quarterly).
    pub cadence: Option<String>,
    /// A baseline the user gives ("from 85 %"), instead of the measured one.
    pub baseline: Option<String>,
    /// The first day of the baseline window (default: as long before the
    /// start as the goal runs). A coaching plan of two weeks measures where
    /// the agent starts over a longer window, QA reviews being sparse.
    pub baseline_from: Option<Date>,
    pub as_of: Date,
    /// Who asks (kept in the goal's history).
    pub who: String,
    /// Save as a draft: not active, not counted against the focus limit.
    pub draft: bool,
    /// Milestones given as `DATE=VALUE` (default: three, evenly spaced).
    pub milestones: Vec<String>,
}

/// The baseline: the KPI over the window before the start.
#[derive(Debug, Clone, Serialize)]
pub struct Baseline {
    /// The value with its sample size and interval (no interval when given).
    #[serde(flatten)]
    pub figure: Figure,
    pub from: Date,
    pub to: Date,
    /// Given by the user (`--baseline`) rather than measured; `n` and the
    /// window still describe the data measured over the window.
    pub given: bool,
}

/// The SMART checks, one per letter, and the focus limit.
#[derive(Debug, Clone, Serialize)]
pub struct Checks {
    pub specific: Check,
    pub measurable: Check,
    pub achievable: Check,
    pub relevant: Check,
    pub time_bound: Check,
    pub focus: Check,
}

impl Checks {
    fn all(&self) -> [(&'static str, &Check); 6] {
        [
            ("specific", &self.specific),
            ("measurable", &self.measurable),
            ("achievable", &self.achievable),
            ("relevant", &self.relevant),
            ("time_bound", &self.time_bound),
            ("focus", &self.focus),
        ]
    }
}

/// A goal checked against the data.
#[derive(Debug, Clone)]
pub struct GoalPlan {
    pub kpi: &'static KpiDef,
    pub owner: Owner,
    pub scope: Option<String>,
    pub baseline: Baseline,
    pub target: ResolvedTarget,
    pub target_text: String,
    pub stretch: Option<f64>,
    pub start: Date,
    pub deadline: Date,
    pub deadline_text: String,
    pub parent: Option<i64>,
    pub customer_words: Option<String>,
    pub checks: Checks,
    pub achievable: AchievableAssessment,
    /// R-ROLES: other owners' active goals on the same metric.
    pub overlaps: Vec<String>,
}

/// " where SCOPE", or nothing for a goal over its owner's whole scope.
pub fn where_suffix(scope: Option<&str>) -> String {
    scope.map(|s| format!(" where {s}")).unwrap_or_default()
}

fn ask(
    store: &dyn Storage,
    kpi: &'static KpiDef,
    segment: Option<SegmentExpr>,
    by: Vec<Field>,
    grain: Option<Grain>,
    from: Date,
    to: Date,
) -> Result<Vec<crate::kpi::AnswerRow>, ServiceError> {
    let req = ParsedRequest {
        kpi,
        by,
        grain,
        from: Some(from),
        to: Some(to),
        segment,
        stat: Stat::Mean,
        time: TimeBasis::Calendar,
        compare: false,
    };
    Ok(answer(store, &req)?.rows)
}

fn one(rows: Vec<crate::kpi::AnswerRow>) -> Figure {
    rows.into_iter().next().map(|r| r.figure).unwrap_or(Figure {
        value: None,
        n: 0,
        ci_low: None,
        ci_high: None,
    })
}

fn day_span(from: Date, to: Date) -> i64 {
    (to - from).get_days() as i64
}

/// Changes over windows of `window_months` months in the monthly series of
/// the scope and of its peers (other teams or agents). Months with fewer than
/// 10 in the sample are noise, not history.
fn series_changes(
    store: &dyn Storage,
    kpi: &'static KpiDef,
    segment: Option<SegmentExpr>,
    peers: Option<Field>,
    from: Date,
    to: Date,
    window_months: usize,
) -> Result<Vec<f64>, ServiceError> {
    let series = ask(
        store,
        kpi,
        segment,
        peers.into_iter().collect(),
        Some(Grain::Month),
        from,
        to,
    )?;
    let mut by_scope: std::collections::BTreeMap<String, Vec<f64>> = Default::default();
    for r in series {
        let key = r
            .dims
            .first()
            .map(|(_, v)| format!("{v:?}"))
            .unwrap_or_default();
        if let Some(v) = r.figure.value.filter(|_| r.figure.n >= 10) {
            by_scope.entry(key).or_default().push(v);
        }
    }
    Ok(by_scope
        .values()
        .flat_map(|vs| {
            vs.windows(window_months + 1)
                .map(|w| w[window_months] - w[0])
                .collect::<Vec<_>>()
        })
        .collect())
}

/// Retention is measured over a period, so its history is the change from
/// one period of the goal's length to the next, going back up to two years.
fn retention_changes(
    store: &dyn Storage,
    kpi: &'static KpiDef,
    segment: Option<SegmentExpr>,
    last_day: Date,
    length_days: i64,
) -> Result<Vec<f64>, ServiceError> {
    let mut values = Vec::new();
    let mut to = last_day;
    let mut covered = 0;
    while covered < 730 {
        let from = to
            .checked_sub((length_days - 1).days())
            .map_err(|e| ServiceError::Input(e.to_string()))?;
        let f = one(ask(store, kpi, segment.clone(), vec![], None, from, to)?);
        match f.value {
            Some(v) if f.n >= 10 => values.push(v),
            _ => break,
        }
        to = from
            .yesterday()
            .map_err(|e| ServiceError::Input(e.to_string()))?;
        covered += length_days;
    }
    // Oldest first, then the change from each period to the next.
    values.reverse();
    Ok(values.windows(2).map(|w| w[1] - w[0]).collect())
}

/// Plans a goal: resolves the deadline and target, computes the baseline
/// and every check. Saves nothing.
pub fn check(store: &dyn Storage, req: &GoalRequest) -> Result<GoalPlan, ServiceError> {
    let kpi = find_kpi(&req.metric)?;
    if kpi.id == "sla_attainment" {
        crate::sla::require_policies(store)?;
    }
    let owner = Owner::parse(&req.owner)?;
    let user_segment = parse_segment(req.segment.as_deref())?;
    let settings = store.settings()?;
    let start = req.start.unwrap_or(req.as_of);
    let deadline = Deadline::parse(&req.deadline, req.as_of, settings.fiscal_year_start_month)
        .map_err(|e| ServiceError::Input(format!("--deadline: {e}")))?;
    let spec = match (&req.to, &req.by) {
        (Some(t), None) => TargetSpec::parse_to(t, kpi),
        (None, Some(b)) => TargetSpec::parse_by(b),
        _ => {
            return Err(ServiceError::Input(
                "give the target as --to VALUE, --by N% or --by Npp (one of them)".into(),
            ))
        }
    }
    .map_err(|e| ServiceError::Input(e.to_string()))?;
    let target_text = match (&req.to, &req.by) {
        (Some(t), _) => format!("--to {t}"),
        (_, Some(b)) => format!("--by {b}"),
        _ => unreachable!("checked above"),
    };
    if let Some(p) = req.parent {
        if store.goal(p)?.is_none() {
            return Err(ServiceError::Input(format!(
                "--parent {p}: there is no goal {p}"
            )));
        }
    }

    // The baseline window: the equally long period just before the start.
    let length = day_span(start, deadline).max(1);
    let baseline_to = start
        .yesterday()
        .map_err(|e| ServiceError::Input(e.to_string()))?;
    let baseline_from = match req.baseline_from {
        Some(d) if d > baseline_to => {
            return Err(ServiceError::Input(format!(
                "the baseline window starts on {d}, after the day before the start ({baseline_to})"
            )))
        }
        Some(d) => d,
        None => baseline_to
            .checked_sub((length - 1).days())
            .map_err(|e| ServiceError::Input(e.to_string()))?,
    };
    let scope = SegmentExpr::both(owner.condition(), user_segment.clone());
    let base = one(ask(
        store,
        kpi,
        scope.clone(),
        vec![],
        None,
        baseline_from,
        baseline_to,
    )?);
    let given = req
        .baseline
        .as_deref()
        .map(|b| parse_value(b, kpi).map_err(|e| ServiceError::Input(format!("--baseline: {e}"))))
        .transpose()?;
    let baseline = Baseline {
        figure: match given {
            Some(v) => Figure {
                value: Some(v),
                ci_low: None,
                ci_high: None,
                ..base
            },
            None => base,
        },
        from: baseline_from,
        to: baseline_to,
        given: given.is_some(),
    };
    let Some(baseline_value) = baseline.figure.value else {
        return Err(ServiceError::Input(format!(
            "{} has no data in this scope from {baseline_from} to {baseline_to} (the baseline window before the start), so the goal has nothing to start from; give one with --baseline",
            kpi.id
        )));
    };
    let target = resolve_target(spec, kpi, None, baseline_value)
        .map_err(|e| ServiceError::Input(e.to_string()))?;
    let stretch = match &req.stretch {
        None => None,
        Some(s) => {
            let v =
                parse_value(s, kpi).map_err(|e| ServiceError::Input(format!("--stretch: {e}")))?;
            Some(
                target
                    .check_stretch(v, kpi.unit)
                    .map_err(|e| ServiceError::Input(format!("--stretch: {e}")))?,
            )
        }
    };

    // Specific and relevant: the scope's share of contacts and customers.
    let volume = metas_domain::kpi::kpi("volume").expect("volume is in the catalogue");
    let scope_volume = one(ask(
        store,
        volume,
        scope.clone(),
        vec![],
        None,
        baseline_from,
        baseline_to,
    )?)
    .n;
    let all_volume = one(ask(
        store,
        volume,
        None,
        vec![],
        None,
        baseline_from,
        baseline_to,
    )?)
    .n;
    let share_of_volume = if all_volume > 0 {
        scope_volume as f64 / all_volume as f64
    } else {
        0.0
    };
    let scope_customers = store.customers_in_scope(
        &settings,
        scope.as_ref(),
        Some(baseline_from),
        Some(baseline_to),
    )?;
    let all_customers =
        store.customers_in_scope(&settings, None, Some(baseline_from), Some(baseline_to))?;
    let share_of_customers = if all_customers > 0 {
        scope_customers as f64 / all_customers as f64
    } else {
        0.0
    };
    let specific = checks::specific(scope_volume, share_of_volume);

    // Measurable: per month of tracking, is the interval narrower than the change?
    let window = day_span(baseline_from, baseline_to) + 1;
    let months = (window as f64 / 30.44).max(1.0);
    let n_per_period = base.n as f64 / months;
    let half_width = match (base.ci_low, base.ci_high) {
        (Some(l), Some(h)) if n_per_period > 0.0 => {
            (h - l) / 2.0 * (base.n as f64 / n_per_period).sqrt()
        }
        _ => f64::INFINITY,
    };
    let change = target.target - baseline_value;
    let measurable = checks::measurable(n_per_period, half_width, change.abs());

    // Achievable: changes seen over windows of the same length, in this scope
    // and its peers (other teams or agents), from monthly series.
    let history_from = start
        .checked_sub(36.months())
        .map_err(|e| ServiceError::Input(e.to_string()))?;
    let window_months = (length as f64 / 30.44).round().max(1.0) as usize;
    let changes = if kpi.id == "retention" {
        retention_changes(store, kpi, user_segment.clone(), baseline_to, length)?
    } else {
        series_changes(
            store,
            kpi,
            user_segment.clone(),
            owner.peers(),
            history_from,
            baseline_to,
            window_months,
        )?
    };
    let achievable = checks::assess_achievable(change, &changes);

    let mission = store.mission()?;
    let relevant = checks::relevant(
        req.parent.is_some() || mission.is_some(),
        share_of_volume,
        share_of_customers,
    );
    let time_bound = checks::time_bound(start, deadline);
    let goals = store.goals()?;
    let active = goals
        .iter()
        .filter(|g| g.owner == owner.key() && g.status == "active")
        .count();
    let focus = checks::focus(active, settings.focus_limit as usize);
    // R-ROLES: another owner's active goal on the same metric whose people
    // overlap this one's: the organisation overlaps everyone, a team its
    // agents; two teams or two agents do not.
    let team_of = |o: &Owner| -> Result<Option<String>, ServiceError> {
        Ok(match o {
            Owner::Organisation => None,
            Owner::Team(t) => Some(t.clone()),
            Owner::Agent(a) => store.agent_team(a)?,
        })
    };
    let mut overlaps = Vec::new();
    for g in goals
        .iter()
        .filter(|g| g.status == "active" && g.metric == kpi.id && g.owner != owner.key())
    {
        let other = Owner::parse(&g.owner)?;
        let overlap = match (&owner, &other) {
            (Owner::Organisation, _) | (_, Owner::Organisation) => true,
            (Owner::Team(_), Owner::Team(_)) | (Owner::Agent(_), Owner::Agent(_)) => false,
            _ => team_of(&owner)? == team_of(&other)?,
        };
        if overlap {
            overlaps.push(format!(
                "goal {} of {} already chases {}{}: agree who owns which part (R-ROLES)",
                g.id,
                g.owner,
                g.metric,
                where_suffix(g.scope.as_deref())
            ));
        }
    }
    Ok(GoalPlan {
        kpi,
        owner,
        scope: req.segment.clone().filter(|s| !s.trim().is_empty()),
        baseline,
        target,
        target_text,
        stretch,
        start,
        deadline,
        deadline_text: req.deadline.clone(),
        parent: req.parent,
        customer_words: req.customer_words.clone(),
        checks: Checks {
            specific,
            measurable,
            achievable: achievable.check.clone(),
            relevant,
            time_bound,
            focus,
        },
        achievable,
        overlaps,
    })
}

/// A planned goal's KPI from `from` to `to` over its scope (the owner's and
/// the goal's own): what [`track`] measures once the goal is saved.
pub fn measure(
    store: &dyn Storage,
    plan: &GoalPlan,
    from: Date,
    to: Date,
) -> Result<Figure, ServiceError> {
    let scope = SegmentExpr::both(
        plan.owner.condition(),
        parse_segment(plan.scope.as_deref())?,
    );
    Ok(one(ask(store, plan.kpi, scope, vec![], None, from, to)?))
}

/// Why a goal cannot be saved, if anything blocks it: an empty scope, a
/// deadline not after the start, or the focus limit (unless forced).
pub fn blocker(plan: &GoalPlan, force: bool) -> Option<String> {
    if !plan.checks.specific.ok {
        return Some(format!("not saved: {}", plan.checks.specific.message));
    }
    if !plan.checks.time_bound.ok {
        return Some(format!("not saved: {}", plan.checks.time_bound.message));
    }
    if !plan.checks.focus.ok && !force {
        return Some(format!("not saved: {}", plan.checks.focus.message));
    }
    None
}

/// Checks a goal and saves it as active (a draft if asked), created `at`.
/// Refused (exit 1) when something blocks it.
pub fn add(
    store: &mut dyn Storage,
    req: &GoalRequest,
    at: Timestamp,
) -> Result<(i64, GoalPlan), ServiceError> {
    let plan = check(store, req)?;
    let row = goal_row(&plan, req)?;
    let id = store.insert_goal(&row, &req.who, at)?;
    Ok((id, plan))
}

/// The row [`add`] saves for a checked goal, or why it cannot be saved
/// (something blocks it, a bad cadence or milestone): what a coaching plan
/// saves with itself.
pub fn goal_row(plan: &GoalPlan, req: &GoalRequest) -> Result<GoalRow, ServiceError> {
    let cadence = match &req.cadence {
        Some(c) => Cadence::parse(c).map_err(|e| ServiceError::Input(format!("--cadence: {e}")))?,
        None => Cadence::Quarterly,
    };
    let given_milestones = parse_milestones(&req.milestones, plan.kpi)?;
    if let Some(why) = blocker(plan, req.force || req.draft) {
        return Err(ServiceError::Refused(why));
    }
    Ok(GoalRow {
        id: 0,
        parent_id: plan.parent,
        owner: plan.owner.key(),
        metric: plan.kpi.id.to_string(),
        scope: plan.scope.clone(),
        direction: match plan.target.direction {
            Direction::Increase => "increase".into(),
            Direction::Decrease => "decrease".into(),
        },
        target_text: plan.target_text.clone(),
        target: plan.target.target,
        stretch: plan.stretch,
        baseline: plan.baseline.figure.value,
        baseline_n: plan.baseline.figure.n,
        baseline_from: plan.baseline.from,
        baseline_to: plan.baseline.to,
        start: plan.start,
        deadline: plan.deadline,
        deadline_text: plan.deadline_text.clone(),
        status: if req.draft { "draft" } else { "active" }.into(),
        customer_words: plan.customer_words.clone(),
        cadence: cadence_name(cadence),
        milestones: milestones_text(&given_milestones),
        committed_on: None,
    })
}

impl GoalPlan {
    /// The JSON of docs/product.md §9.1 for `goal check|add`.
    pub fn to_json(&self, id: Option<i64>) -> serde_json::Value {
        let checks: serde_json::Map<String, serde_json::Value> = self
            .checks
            .all()
            .iter()
            .map(|(name, c)| (name.to_string(), json!({"ok": c.ok, "message": c.message})))
            .collect();
        let mut doc = json!({
            "metric": self.kpi.id,
            "owner": self.owner.key(),
            "scope": self.scope,
            "direction": self.target.direction,
            "baseline": self.baseline,
            "target": self.target.target,
            "target_reading": self.target.reading,
            "other_reading": self.target.other_reading,
            "explanation": self.target.explanation,
            "notes": self.target.notes,
            "stretch": self.stretch,
            "start": self.start.to_string(),
            "deadline": self.deadline.to_string(),
            "deadline_text": self.deadline_text,
            "parent": self.parent,
            "customer_words": self.customer_words,
            "checks": checks,
            "achievable": {
                "percentile": self.achievable.percentile,
                "verdict": self.achievable.verdict,
                "windows": self.achievable.windows,
            },
            "overlaps": self.overlaps,
        });
        if let Some(id) = id {
            doc["id"] = json!(id);
        }
        doc
    }

    /// The goal in one sentence, as a manager would say it.
    pub fn sentence(&self) -> String {
        let show = |v: f64| metas_domain::kpi::display_value(self.kpi.unit, v);
        let base = self
            .baseline
            .figure
            .value
            .map(show)
            .unwrap_or_else(|| "—".into());
        let rate = if self.kpi.unit == Unit::Rate {
            " (a rate)"
        } else {
            ""
        };
        format!(
            "{owner}: {dir} {name}{scope} from {base} to {target}{rate} between {start} and {deadline}",
            owner = self.owner.key(),
            dir = self.target.direction,
            name = self.kpi.name,
            scope = where_suffix(self.scope.as_deref()),
            target = show(self.target.target),
            start = self.start,
            deadline = self.deadline,
        )
    }
}

/// Reads `--milestone DATE=VALUE` (a rate as 0.8 or 80 %).
fn parse_milestones(given: &[String], kpi: &KpiDef) -> Result<Vec<(Date, f64)>, ServiceError> {
    let mut out = Vec::new();
    for m in given {
        let (d, v) = m.split_once('=').ok_or_else(|| {
            ServiceError::Input(format!(
                "--milestone '{m}': write DATE=VALUE, e.g. 2026-12-31=0.8"
            ))
        })?;
        let date: Date = d.trim().parse().map_err(|_| {
            ServiceError::Input(format!(
                "--milestone '{m}': '{d}' is not a date (YYYY-MM-DD)"
            ))
        })?;
        let value = parse_value(v, kpi)
            .map_err(|e| ServiceError::Input(format!("--milestone '{m}': {e}")))?;
        out.push((date, value));
    }
    out.sort_by_key(|(d, _)| *d);
    Ok(out)
}

fn milestones_text(m: &[(Date, f64)]) -> Option<String> {
    (!m.is_empty()).then(|| {
        m.iter()
            .map(|(d, v)| format!("{d}={v}"))
            .collect::<Vec<_>>()
            .join(";")
    })
}

/// Given milestones judged against the value on `today`.
fn given_milestones(text: &str, increase: bool, value: f64, today: Date) -> Vec<Milestone> {
    text.split(';')
        .filter_map(|part| {
            let (d, v) = part.split_once('=')?;
            let date: Date = d.parse().ok()?;
            let target: f64 = v.parse().ok()?;
            Some(Milestone {
                date,
                value: target,
                met: if increase {
                    value >= target
                } else {
                    value <= target
                },
                due: date <= today,
            })
        })
        .collect()
}

/// Makes a draft (or a retired goal brought back) active, under the focus
/// limit unless forced.
pub fn activate(
    store: &mut dyn Storage,
    id: i64,
    force: bool,
    who: &str,
    at: Timestamp,
) -> Result<(), ServiceError> {
    let goal = find_goal(store, id)?;
    if goal.status == "active" {
        return Ok(());
    }
    let limit = store.settings()?.focus_limit as usize;
    let active = store
        .goals()?
        .iter()
        .filter(|g| g.owner == goal.owner && g.status == "active")
        .count();
    let focus = checks::focus(active, limit);
    if !focus.ok && !force {
        return Err(ServiceError::Refused(format!(
            "not activated: {}",
            focus.message
        )));
    }
    store.set_goal_status(id, "active", &GoalEvent::Activated, who, at)?;
    Ok(())
}

fn cadence_name(c: Cadence) -> String {
    match c {
        Cadence::Weekly => "weekly",
        Cadence::Biweekly => "biweekly",
        Cadence::Monthly => "monthly",
        Cadence::Quarterly => "quarterly",
        Cadence::HalfYearly => "half-yearly",
    }
    .to_string()
}

/// Where a goal stands on a given day (docs/product.md §6.3).
#[derive(Debug, Clone, Serialize)]
pub struct Tracking {
    pub goal: GoalRow,
    pub as_of: Date,
    /// The KPI from the start to today (or the deadline).
    pub now: Option<Figure>,
    pub progress: Option<Progress>,
    pub forecast: Option<Forecast>,
    /// The weekly values since the start (the forecast's input).
    pub series: Vec<SeriesPoint>,
    pub milestones: Vec<Milestone>,
    pub next_review: Option<Date>,
    pub checkins: Vec<CheckIn>,
    pub reviews: Vec<ReviewRow>,
    /// What happened to the goal, oldest first.
    pub history: Vec<HistoryEntry>,
}

impl Tracking {
    /// Where the goal stands in one word: for an active goal its tracking
    /// status (`on_track`, `at_risk`, `off_track`, `achieved_early`), else
    /// its status (`draft`, `achieved`, `missed`, `retired`; `active` when
    /// there is nothing to track yet).
    pub fn state(&self) -> &str {
        match (&self.progress, self.goal.status.as_str()) {
            (Some(p), "active") => match p.status {
                TrackStatus::OnTrack => "on_track",
                TrackStatus::AtRisk => "at_risk",
                TrackStatus::OffTrack => "off_track",
                TrackStatus::AchievedEarly => "achieved_early",
                TrackStatus::Achieved => "achieved",
                TrackStatus::Missed => "missed",
            },
            (_, status) => status,
        }
    }

    /// Whether the next review is due (within a week) or overdue on the
    /// day tracked: `None` for a goal that is not active or whose review is
    /// further off.
    pub fn review_state(&self) -> Option<ReviewState> {
        let next = self.next_review.filter(|_| self.goal.status == "active")?;
        match review_state(next, self.as_of) {
            ReviewState::Upcoming => None,
            s => Some(s),
        }
    }
}

/// One line of a goal's history, read: when (UTC), who, the line as kept
/// and the event it says.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub at: Timestamp,
    pub who: String,
    /// The line as stored.
    pub change: String,
    pub event: GoalEvent,
}

impl HistoryEntry {
    /// The entry as a sentence, on a goal on `metric`.
    pub fn sentence(&self, metric: &str) -> Sentence {
        self.event.sentence(&self.who, metric)
    }
}

fn goal_scope(g: &GoalRow) -> Result<Option<SegmentExpr>, ServiceError> {
    let owner = Owner::parse(&g.owner)?;
    Ok(SegmentExpr::both(
        owner.condition(),
        parse_segment(g.scope.as_deref())?,
    ))
}

fn find_goal(store: &dyn Storage, id: i64) -> Result<GoalRow, ServiceError> {
    store
        .goal(id)?
        .ok_or_else(|| ServiceError::Input(format!("there is no goal {id}")))
}

/// Tracks a goal on `as_of`: value since the start, progress, status,
/// forecast at the deadline, milestones. A goal past its deadline becomes
/// achieved or missed by itself (recorded in its history).
pub fn track(store: &mut dyn Storage, id: i64, as_of: Date) -> Result<Tracking, ServiceError> {
    let mut goal = find_goal(store, id)?;
    let kpi = find_kpi(&goal.metric)?;
    let scope = goal_scope(&goal)?;
    let until = as_of.min(goal.deadline);
    let mut now = None;
    let mut progress = None;
    let mut forecast = None;
    let mut series = Vec::new();
    let mut milestones = Vec::new();
    if until >= goal.start {
        let f = one(ask(
            store,
            kpi,
            scope.clone(),
            vec![],
            None,
            goal.start,
            until,
        )?);
        if let (Some(value), Some(baseline)) = (f.value, goal.baseline) {
            if let Ok(line) = GoalLine::new(baseline, goal.target, goal.start, goal.deadline) {
                let p = line.track(value, as_of);
                // Weekly points since the start feed the forecast.
                let weekly = if kpi.id == "retention" {
                    vec![]
                } else {
                    ask(
                        store,
                        kpi,
                        scope.clone(),
                        vec![],
                        Some(Grain::Week),
                        goal.start,
                        until,
                    )?
                };
                let points: Vec<SeriesPoint> = weekly
                    .iter()
                    .filter_map(|r| {
                        Some(SeriesPoint {
                            date: r.period.as_deref()?.parse().ok()?,
                            value: r.figure.value?,
                            n: r.figure.n as f64,
                        })
                    })
                    .collect();
                series = points.clone();
                forecast = line.forecast(&points, crate::kpi::CONFIDENCE).map(|mut f| {
                    // A straight line can run past what the unit allows.
                    let (lo, hi) = match kpi.unit {
                        Unit::Rate => (0.0, 1.0),
                        Unit::Points => (-100.0, 100.0),
                        Unit::Percent => (0.0, 100.0),
                        _ => (0.0, f64::INFINITY),
                    };
                    f.value = f.value.clamp(lo, hi);
                    f.interval.low = f.interval.low.clamp(lo, hi);
                    f.interval.high = f.interval.high.clamp(lo, hi);
                    f
                });
                milestones = match &goal.milestones {
                    Some(text) => given_milestones(
                        text,
                        line.direction() == Direction::Increase,
                        value,
                        as_of,
                    ),
                    None => line.milestones(3, value, as_of),
                };
                if p.status.is_final() && goal.status == "active" {
                    let achieved = p.status == TrackStatus::Achieved;
                    let status = if achieved { "achieved" } else { "missed" };
                    // Stamped when it happened, the moment the deadline's
                    // day ended, whenever it is first noticed: the history
                    // stays true and the same on every run. (A goal entered
                    // after its deadline is settled as it is entered.)
                    let deadline_passed = goal
                        .deadline
                        .tomorrow()
                        .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC))
                        .map(|z| z.timestamp())
                        .map_err(|e| ServiceError::Input(e.to_string()))?;
                    let last = store.goal_history(id)?.last().map(|h| h.at);
                    let at = last.map_or(deadline_passed, |l| l.max(deadline_passed));
                    let event = GoalEvent::Settled {
                        achieved,
                        deadline: goal.deadline,
                        value,
                    };
                    store.set_goal_status(id, status, &event, "metas", at)?;
                    goal.status = status.to_string();
                }
                progress = Some(p);
            }
        }
        now = Some(f);
    }
    let cadence = Cadence::parse(&goal.cadence).unwrap_or(Cadence::Quarterly);
    let reviews = store.reviews(id)?;
    let last_review = reviews.last().map(|r| r.on);
    let next_review = cadence.next_review_after(goal.start, last_review.unwrap_or(goal.start));
    Ok(Tracking {
        checkins: store.checkins(id)?,
        reviews,
        history: store
            .goal_history(id)?
            .into_iter()
            .map(|h| HistoryEntry {
                event: GoalEvent::parse(&h.change),
                at: h.at,
                who: h.who,
                change: h.change,
            })
            .collect(),
        goal,
        as_of,
        now,
        progress,
        forecast,
        series,
        milestones,
        next_review,
    })
}

/// A check-in for the day `on`, recorded `at`: the owner's comment and
/// confidence (0–1).
pub fn checkin(
    store: &mut dyn Storage,
    id: i64,
    on: Date,
    comment: &str,
    confidence: Option<f64>,
    who: &str,
    at: Timestamp,
) -> Result<(), ServiceError> {
    find_goal(store, id)?;
    if comment.trim().is_empty() {
        return Err(ServiceError::Input("a check-in needs a comment".into()));
    }
    if let Some(c) = confidence {
        if !(0.0..=1.0).contains(&c) {
            return Err(ServiceError::Input(format!(
                "--confidence {c}: give the owner's confidence from 0 to 1"
            )));
        }
    }
    store.add_checkin(
        id,
        &CheckIn {
            on,
            comment: comment.trim().to_string(),
            confidence,
        },
        who,
        at,
    )?;
    Ok(())
}

/// The owner commits to the goal (R-BUYIN) on `on`, recorded `at`.
pub fn commit(
    store: &mut dyn Storage,
    id: i64,
    on: Date,
    who: &str,
    at: Timestamp,
) -> Result<(), ServiceError> {
    find_goal(store, id)?;
    store.commit_goal(id, on, who, at)?;
    Ok(())
}

/// A review as asked for.
#[derive(Debug, Clone)]
pub struct ReviewRequest {
    pub on: Date,
    /// keep, revise or retire.
    pub decision: String,
    pub notes: String,
    pub blocked_by: Option<String>,
    pub new_practice: Option<String>,
}

/// A review: keep, revise or retire, with notes; a missed goal's review
/// must say what blocked it (R-MISSED). Recorded `at`.
pub fn review(
    store: &mut dyn Storage,
    id: i64,
    req: &ReviewRequest,
    who: &str,
    at: Timestamp,
) -> Result<(), ServiceError> {
    let on = req.on;
    let tracking = track(store, id, on)?;
    let status = match tracking.goal.status.as_str() {
        "missed" => TrackStatus::Missed,
        "achieved" => TrackStatus::Achieved,
        _ => tracking
            .progress
            .as_ref()
            .map(|p| p.status)
            .unwrap_or(TrackStatus::OnTrack),
    };
    let decision = Decision::parse(&req.decision)
        .map_err(|e| ServiceError::Input(format!("--decision: {e}")))?;
    let r = Review::new(
        status,
        decision,
        &req.notes,
        req.blocked_by.as_deref(),
        req.new_practice.as_deref(),
    )
    .map_err(|e| ServiceError::Input(e.to_string()))?;
    let decision_name = match r.decision() {
        Decision::Keep => "keep",
        Decision::Revise => "revise",
        Decision::Retire => "retire",
    };
    store.add_review(
        id,
        &ReviewRow {
            on,
            decision: decision_name.to_string(),
            notes: r.notes().to_string(),
            blocked_by: r.blocked_by().map(str::to_string),
            new_practice: r.new_practice().map(str::to_string),
        },
        (r.decision() == Decision::Retire).then_some("retired"),
        who,
        at,
    )?;
    Ok(())
}

/// The reviews due and overdue on `as_of`, over the active goals.
pub fn review_list(store: &dyn Storage, as_of: Date) -> Result<ReviewAgenda<i64>, ServiceError> {
    let mut next = Vec::new();
    for g in store.goals()?.into_iter().filter(|g| g.status == "active") {
        let cadence = Cadence::parse(&g.cadence).unwrap_or(Cadence::Quarterly);
        let last = store.reviews(g.id)?.last().map(|r| r.on).unwrap_or(g.start);
        if let Some(d) = cadence.next_review_after(g.start, last) {
            next.push((g.id, d));
        }
    }
    Ok(review_agenda(next, as_of))
}

/// A candidate goal for an owner (R-RELEVANCE).
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub metric: &'static str,
    /// The segment to aim at (`topic = 'login'`), or none for the whole scope.
    pub scope: Option<String>,
    pub value: f64,
    /// What the owner's whole scope (or its best peer) reaches.
    pub reference: f64,
    pub n: u64,
    /// Contacts (or answers) in the segment times the relative gap: the
    /// common currency the candidates are ranked by.
    pub impact: f64,
    pub sentence: String,
}

/// The KPIs worth suggesting goals on.
const SUGGESTED: &[&str] = &[
    "csat",
    "fcr",
    "frt",
    "aht",
    "resolution_time",
    "ces",
    "repeat_contact_rate",
    "qa_score",
];

/// Ranks candidate goals for an owner over the last 90 days: for each KPI,
/// the topics and channels inside the owner's scope that do worse than the
/// scope as a whole, and (for a team or agent) the gap to the best peer.
/// Impact = the segment's sample × the relative gap to the reference, so a
/// large segment a little behind can outrank a tiny one far behind.
pub fn suggest(
    store: &dyn Storage,
    owner: &str,
    as_of: Date,
) -> Result<Vec<Suggestion>, ServiceError> {
    let owner = Owner::parse(owner)?;
    let to = as_of;
    let from = as_of
        .checked_sub(89.days())
        .map_err(|e| ServiceError::Input(e.to_string()))?;
    let scope = owner.condition();
    let mut out = Vec::new();
    for id in SUGGESTED {
        let kpi = find_kpi(id)?;
        let better_higher = kpi.better == metas_domain::kpi::Better::Higher;
        let worse = |v: f64, r: f64| if better_higher { v < r } else { v > r };
        let whole = one(ask(store, kpi, scope.clone(), vec![], None, from, to)?);
        let Some(overall) = whole.value.filter(|v| *v != 0.0) else {
            continue;
        };
        let show = |v: f64| metas_domain::kpi::display_value(kpi.unit, v);
        for dim in [Dimension::Topic, Dimension::Channel] {
            let rows = ask(
                store,
                kpi,
                scope.clone(),
                vec![Field::Dimension(dim)],
                None,
                from,
                to,
            )?;
            for r in rows {
                let (Some(v), Some((_, metas_store::DimValue::Text(name)))) =
                    (r.figure.value, r.dims.first())
                else {
                    continue;
                };
                if r.figure.n < 30 || !worse(v, overall) {
                    continue;
                }
                let impact = r.figure.n as f64 * ((v - overall) / overall).abs();
                out.push(Suggestion {
                    metric: kpi.id,
                    scope: Some(format!("{} = '{}'", dim.as_str(), name.replace('\'', "''"))),
                    value: v,
                    reference: overall,
                    n: r.figure.n,
                    impact,
                    sentence: format!(
                        "{} where {} is '{name}': {} against {} for the whole scope ({} in the sample, last 90 days)",
                        kpi.name,
                        dim.as_str(),
                        show(v),
                        show(overall),
                        r.figure.n
                    ),
                });
            }
        }
        if let Some(peers) = owner.peers() {
            let rows = ask(store, kpi, None, vec![peers], None, from, to)?;
            let best = rows
                .iter()
                .filter(|r| r.figure.n >= 30)
                .filter_map(|r| r.figure.value)
                .fold(None, |b: Option<f64>, v| match b {
                    Some(b) if !worse(b, v) => Some(b),
                    _ => Some(v),
                });
            if let Some(best) = best.filter(|b| worse(overall, *b)) {
                out.push(Suggestion {
                    metric: kpi.id,
                    scope: None,
                    value: overall,
                    reference: best,
                    n: whole.n,
                    impact: whole.n as f64 * ((overall - best) / overall).abs(),
                    sentence: format!(
                        "{}: {} against {} for the best of its peers ({} in the sample, last 90 days)",
                        kpi.name,
                        show(overall),
                        show(best),
                        whole.n
                    ),
                });
            }
        }
    }
    out.sort_by(|a, b| b.impact.total_cmp(&a.impact));
    out.truncate(10);
    Ok(out)
}

/// Whether a user may see a goal (and so check in on it, commit to it and
/// review it): the access rule for its owner.
pub fn visible_to(
    store: &dyn Storage,
    goal: &GoalRow,
    user: &crate::users::User,
) -> Result<bool, ServiceError> {
    crate::access::may_on_owner(store, user, crate::access::Action::See, &goal.owner)
}

/// The goals a user may see.
pub fn visible_goals(
    store: &dyn Storage,
    user: &crate::users::User,
) -> Result<Vec<GoalRow>, ServiceError> {
    let mut out = Vec::new();
    for g in store.goals()? {
        if visible_to(store, &g, user)? {
            out.push(g);
        }
    }
    Ok(out)
}

/// The goals a user may see, tracked on `today`, in tree order with each
/// one's depth under the nearest parent the user also sees (R-VISION).
pub fn tree_visible(
    store: &mut dyn Storage,
    today: Date,
    user: &crate::users::User,
) -> Result<Vec<(usize, Tracking)>, ServiceError> {
    let visible = visible_goals(store, user)?;
    tree_of(store, visible, today)
}

/// Every goal, tracked on `today`, in tree order with its depth: what the
/// command line, which acts for the database's owner, lists.
pub fn tree(store: &mut dyn Storage, today: Date) -> Result<Vec<(usize, Tracking)>, ServiceError> {
    let goals = store.goals()?;
    tree_of(store, goals, today)
}

/// `goals` tracked and ordered as a tree: each goal after its parent (among
/// `goals`) and its earlier siblings, roots by id.
fn tree_of(
    store: &mut dyn Storage,
    goals: Vec<GoalRow>,
    today: Date,
) -> Result<Vec<(usize, Tracking)>, ServiceError> {
    let known = |id: i64| goals.iter().any(|g| g.id == id);
    let parent = |g: &GoalRow| g.parent_id.filter(|p| known(*p) && *p != g.id);
    let mut order: Vec<(usize, i64)> = Vec::with_capacity(goals.len());
    // Depth first from the roots; a goal in a parent cycle written by hand
    // in the database has no root, so it is added at the end as one.
    let mut stack: Vec<(usize, i64)> = goals
        .iter()
        .rev()
        .filter(|g| parent(g).is_none())
        .map(|g| (0, g.id))
        .collect();
    while let Some((depth, id)) = stack.pop() {
        if order.iter().any(|(_, seen)| *seen == id) {
            continue;
        }
        order.push((depth, id));
        stack.extend(
            goals
                .iter()
                .rev()
                .filter(|g| parent(g) == Some(id))
                .map(|g| (depth + 1, g.id)),
        );
    }
    for g in &goals {
        if !order.iter().any(|(_, seen)| *seen == g.id) {
            order.push((0, g.id));
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for (depth, id) in order {
        out.push((depth, track(store, id, today)?));
    }
    Ok(out)
}

/// The reviews due and overdue over the goals a user may see.
pub fn review_list_visible(
    store: &dyn Storage,
    today: Date,
    user: &crate::users::User,
) -> Result<ReviewAgenda<i64>, ServiceError> {
    let mut agenda = review_list(store, today)?;
    let visible: Vec<i64> = visible_goals(store, user)?.iter().map(|g| g.id).collect();
    agenda.due.retain(|r| visible.contains(&r.goal));
    agenda.overdue.retain(|r| visible.contains(&r.goal));
    Ok(agenda)
}

/// Goal `id` if it exists and the user may see it, else `NotFound` (the two
/// are not told apart, so an id's existence is not revealed).
fn visible_goal(
    store: &dyn Storage,
    id: i64,
    user: &crate::users::User,
) -> Result<GoalRow, ServiceError> {
    match store.goal(id)? {
        Some(g) if visible_to(store, &g, user)? => Ok(g),
        _ => Err(ServiceError::NotFound(format!("there is no goal {id}"))),
    }
}

/// A goal tracked, if the user may see it (else `NotFound`).
pub fn track_visible(
    store: &mut dyn Storage,
    id: i64,
    as_of: Date,
    user: &crate::users::User,
) -> Result<Tracking, ServiceError> {
    visible_goal(store, id, user)?;
    track(store, id, as_of)
}

/// A check-in, a commitment or a review of one goal, as the pages' forms and
/// the API send them.
#[derive(Debug, Clone)]
pub enum GoalUpdate {
    Checkin {
        comment: String,
        confidence: Option<f64>,
    },
    Commit,
    Review(ReviewRequest),
}

/// Records an update of goal `id` on `today`, at `now`, for a user who may
/// manage it (`NotFound` when they may not see it, so its existence is not
/// revealed).
pub fn update(
    store: &mut dyn Storage,
    id: i64,
    change: GoalUpdate,
    today: Date,
    now: Timestamp,
    user: &crate::users::User,
) -> Result<(), ServiceError> {
    let goal = visible_goal(store, id, user)?;
    crate::access::may_on_owner(store, user, crate::access::Action::ManageGoals, &goal.owner)?
        .then_some(())
        .ok_or(ServiceError::Forbidden)?;
    let who = user.login.as_str();
    match change {
        GoalUpdate::Checkin {
            comment,
            confidence,
        } => checkin(store, id, today, &comment, confidence, who, now),
        GoalUpdate::Commit => commit(store, id, today, who, now),
        GoalUpdate::Review(r) => review(store, id, &r, who, now),
    }
}

/// Checks a goal (`save` false) or saves it at `now`, for a user who may
/// set goals for its owner; the id once saved.
pub fn check_or_add(
    store: &mut dyn Storage,
    req: &GoalRequest,
    save: bool,
    now: Timestamp,
    user: &crate::users::User,
) -> Result<(Option<i64>, GoalPlan), ServiceError> {
    if !crate::access::may_on_owner(store, user, crate::access::Action::ManageGoals, &req.owner)? {
        return Err(ServiceError::Input(format!(
            "you may not set goals for {}",
            req.owner
        )));
    }
    if save {
        add(store, req, now).map(|(id, plan)| (Some(id), plan))
    } else {
        check(store, req).map(|plan| (None, plan))
    }
}
