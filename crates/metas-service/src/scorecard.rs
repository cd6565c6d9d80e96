//! An agent's scorecard (R-SCORECARD), struggles and overlaps (R-OVERLAP),
//! focus behaviour (R-FOCUS-BEHAVIOUR) and evidence (R-EVIDENCE); the
//! rules are `metas_domain::scorecard`, written out in docs/scorecard.md.
//!
//! Every KPI figure comes from the KPI engine's store query (`kpi_rows_many`,
//! the team's segment by agent and month, finished as `crate::kpi` finishes it),
//! so the scorecard and the explorer always agree; the store answers only
//! what the engine cannot (per-criterion ratings, the focus rows, the
//! evidence).

use jiff::civil::Date;
use jiff::ToSpan;
use std::collections::HashMap;

use metas_domain::kpi::{self, Better, Grain, Shape, Stat, TimeBasis, Unit};
use metas_domain::scorecard::{
    choose_focus, months, noise, overlaps, struggles, Candidate, Family, Figure, FocusRow,
    MetricRow, Month, Outcome, Overlap, Side, Struggle,
};
use metas_domain::segment::{CmpOp, Dimension, Field, Literal, SegmentExpr};
use metas_domain::stats::{mean_interval, wilson};
use metas_store::prelude::*;
use metas_store::{CriterionMonth, DimValue, FocusRatingRow, KpiQuery, KpiRow, Measured, Reviewed};
use serde::Serialize;

use crate::access::{may, Action, Scope};
use crate::kpi::{ParsedRequest, CONFIDENCE};
use crate::users::User;
use crate::ServiceError;

/// An example from the agent's own interactions: a review rating the focus
/// criterion below its standard, or a dissatisfied survey comment.
pub type Evidence = metas_store::EvidenceRow;

/// The KPIs of a scorecard, by family, in the order shown.
pub const SCORECARD_KPIS: &[(&str, Family)] = &[
    ("csat", Family::Survey),
    ("ces", Family::Survey),
    ("nps", Family::Survey),
    ("qa_score", Family::Internal),
    ("fcr", Family::Operational),
    ("aht", Family::Operational),
    ("frt", Family::Operational),
    ("repeat_contact_rate", Family::Operational),
];

/// The per-interaction measures the focus behaviour is related to, in the
/// order of [`FocusRatingRow`]'s fields.
const FOCUS_OUTCOMES: &[&str] = &["csat", "ces", "nps", "fcr", "repeat_contact_rate", "aht"];

/// How many examples of each kind the evidence holds.
pub const EVIDENCE_LIMIT: u32 = 5;

/// What a scorecard line measures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Measure {
    Kpi {
        id: &'static str,
        unit: Unit,
    },
    Criterion {
        rubric: String,
        criterion: String,
        scale_min: f64,
        scale_max: f64,
    },
}

/// One line of a scorecard: the metric's months, the team's, the standard,
/// and how each compares beyond the noise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub measure: Measure,
    #[serde(flatten)]
    pub row: MetricRow,
    /// Each month against the one before it (none: no comparison).
    pub changes: Vec<Option<Side>>,
    /// The four months against the standard, and against the team.
    pub vs_standard: Option<Side>,
    pub vs_team: Option<Side>,
    pub trend: Option<Side>,
}

/// The focus behaviour and the figures behind the choice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FocusChoice {
    pub rubric: String,
    pub criterion: String,
    pub standard: f64,
    pub scale_min: f64,
    pub scale_max: f64,
    /// The agent's mean rating on it over the four months.
    pub level: Figure,
    /// The metrics it was related to (the agent's weak ones, or all when
    /// none is weak).
    pub weak_metrics: Vec<String>,
    pub chosen: Candidate,
    pub runner_up: Option<Candidate>,
}

/// An agent's scorecard with its reading.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub agent: String,
    pub team: Option<String>,
    pub as_of: Date,
    /// The four months, oldest first (the last is the current one).
    pub months: Vec<Month>,
    pub lines: Vec<Line>,
    pub struggles: Vec<Struggle>,
    pub overlaps: Vec<Overlap>,
    pub focus: Option<FocusChoice>,
    /// Examples of the last three months (empty without a focus; a team's
    /// scorecards leave them out).
    pub evidence: Vec<Evidence>,
}

fn not_found(agent: &str) -> ServiceError {
    ServiceError::NotFound(format!("no agent named '{agent}' in the data you may see"))
}

fn is(dim: Dimension, name: &str) -> SegmentExpr {
    SegmentExpr::Cmp(
        Field::Dimension(dim),
        CmpOp::Eq,
        Literal::Text(name.to_string()),
    )
}

/// Sufficient statistics of a rate or a mean, summed over groups: `a` is
/// the successes (a rate) or the sum (a mean), `b` the sum of squares.
#[derive(Debug, Clone, Copy, Default)]
struct Sufficient {
    n: u64,
    a: f64,
    b: f64,
}

impl Sufficient {
    fn of(row: &KpiRow) -> Sufficient {
        let (a, b) = match row.measured {
            Measured::Rate { successes } => (successes, 0.0),
            Measured::Mean { sum, sum_sq } => (sum, sum_sq),
            Measured::Quantile { .. } | Measured::Count => (0.0, 0.0),
        };
        Sufficient { n: row.n, a, b }
    }

    fn add(&mut self, o: Sufficient) {
        self.n += o.n;
        self.a += o.a;
        self.b += o.b;
    }

    /// The figure, as the KPI engine finishes it (Wilson for a rate, t for a mean).
    fn figure(self, shape: Shape) -> Figure {
        if self.n == 0 {
            return Figure::NONE;
        }
        let nf = self.n as f64;
        let ci = match shape {
            Shape::Rate => wilson(self.a, nf, CONFIDENCE),
            Shape::Mean | Shape::Count => mean_interval(nf, self.a, self.b, CONFIDENCE),
        };
        Figure {
            value: Some(self.a / nf),
            n: self.n,
            low: ci.map(|c| c.low),
            high: ci.map(|c| c.high),
        }
    }
}

/// Per agent (`Some`, with `by_agent`) and for the whole segment (`None`),
/// per KPI: the month figures and the four months'.
type KpiFigures = HashMap<(Option<String>, &'static str), (Vec<Figure>, Figure)>;

/// The scorecard's KPIs over `segment` by month (and by agent) in ONE call
/// of the KPI engine's store query (one scan per kind of record): the four
/// months and the whole segment are sums of the same sufficient statistics,
/// finished as the engine finishes them, so every figure is the one the
/// explorer shows for the same question.
fn kpi_figures(
    store: &dyn Storage,
    segment: SegmentExpr,
    by_agent: bool,
    months: &[Month],
) -> Result<KpiFigures, ServiceError> {
    let (from, to) = (months[0].start, months[months.len() - 1].end);
    let settings = store.settings()?;
    let by = if by_agent {
        vec![Field::Dimension(Dimension::Agent)]
    } else {
        vec![]
    };
    let defs = SCORECARD_KPIS
        .iter()
        .map(|(id, _)| crate::kpi::find_kpi(id))
        .collect::<Result<Vec<_>, _>>()?;
    let queries: Vec<KpiQuery> = defs
        .iter()
        .map(|kpi| KpiQuery {
            kpi,
            settings: &settings,
            segment: Some(&segment),
            by: &by,
            grain: Some(Grain::Month),
            from: Some(from),
            to: Some(to),
            stat: Stat::Mean,
            time: TimeBasis::Calendar,
            confidence: CONFIDENCE,
        })
        .collect();
    let answers = store.kpi_rows_many(&queries)?;
    type Sums = (Vec<Sufficient>, Sufficient);
    let mut sums: HashMap<(Option<String>, &'static str), Sums> = HashMap::new();
    for (def, rows) in defs.iter().zip(&answers) {
        for row in rows {
            let Some(m) = row
                .period
                .as_deref()
                .and_then(|p| p.get(..10))
                .and_then(|p| p.parse::<Date>().ok())
                .and_then(|p| months.iter().position(|m| m.start == p))
            else {
                continue;
            };
            let stats = Sufficient::of(row);
            let mut keys = vec![None];
            if by_agent {
                if let Some(DimValue::Text(a)) = row.dims.first() {
                    keys.push(Some(a.clone()));
                }
            }
            for key in keys {
                let e = sums.entry((key, def.id)).or_insert_with(|| {
                    (
                        vec![Sufficient::default(); months.len()],
                        Sufficient::default(),
                    )
                });
                e.0[m].add(stats);
                e.1.add(stats);
            }
        }
    }
    Ok(sums
        .into_iter()
        .map(|(k, (ms, p))| {
            let shape = kpi::kpi(k.1).map_or(Shape::Mean, |d| d.shape());
            let figures = ms.into_iter().map(|s| s.figure(shape)).collect();
            (k, (figures, p.figure(shape)))
        })
        .collect())
}

/// The business standard of a KPI: the target of the organisation's active
/// goal on it (over the whole organisation, no segment) in force on `as_of`.
pub(crate) fn kpi_standards(
    store: &dyn Storage,
    as_of: Date,
) -> Result<Vec<(String, f64)>, ServiceError> {
    let mut goals: Vec<_> = store
        .goals()?
        .into_iter()
        .filter(|g| {
            g.owner == "org"
                && g.status == "active"
                && g.scope.as_deref().is_none_or(|s| s.trim().is_empty())
                && g.start <= as_of
                && as_of <= g.deadline
        })
        .collect();
    // The latest started wins when two goals name the same KPI.
    goals.sort_by_key(|g| (g.start, g.id));
    let mut out: Vec<(String, f64)> = Vec::new();
    for g in goals {
        out.retain(|(m, _)| *m != g.metric);
        out.push((g.metric, g.target));
    }
    Ok(out)
}

fn mean_figure(n: u64, sum: f64, sum_sq: f64) -> Figure {
    if n == 0 {
        return Figure::NONE;
    }
    let ci = mean_interval(n as f64, sum, sum_sq, CONFIDENCE);
    Figure {
        value: Some(sum / n as f64),
        n,
        low: ci.map(|c| c.low),
        high: ci.map(|c| c.high),
    }
}

/// A criterion's key on a scorecard.
pub fn criterion_key(rubric: &str, criterion: &str) -> String {
    format!("qa:{rubric}/{criterion}")
}

/// Count, sum and sum of squares of ratings.
type Moments = (u64, f64, f64);

/// Rubric, criterion, position, scale minimum and maximum, standard.
type CriterionInfo = (String, String, i32, f64, f64, Option<f64>);

/// Criterion → (months, four months), for one agent (or the team: `None`).
struct CriterionFigures {
    /// (rubric, criterion, position, scale_min, scale_max, standard), in rubric order.
    criteria: Vec<CriterionInfo>,
    figures: HashMap<(Option<String>, String), (Vec<Figure>, Figure)>,
}

fn criterion_figures(rows: &[CriterionMonth], months: &[Month]) -> CriterionFigures {
    let mut criteria: Vec<CriterionInfo> = Vec::new();
    let mut sums: HashMap<(Option<String>, String), (Vec<Moments>, Moments)> =
        std::collections::HashMap::new();
    for r in rows {
        if !criteria
            .iter()
            .any(|c| c.0 == r.rubric && c.1 == r.criterion)
        {
            criteria.push((
                r.rubric.clone(),
                r.criterion.clone(),
                r.position,
                r.scale_min,
                r.scale_max,
                r.standard,
            ));
        }
        // An agent's rows also add up to the whole (the team's figure).
        let mut keys = vec![r.agent.clone()];
        if r.agent.is_some() {
            keys.push(None);
        }
        for agent in keys {
            let e = sums
                .entry((agent, criterion_key(&r.rubric, &r.criterion)))
                .or_insert_with(|| (vec![(0, 0.0, 0.0); months.len()], (0, 0.0, 0.0)));
            if let Some(m) = months.iter().position(|m| m.start == r.month) {
                let c = e.0[m];
                e.0[m] = (c.0 + r.n, c.1 + r.sum, c.2 + r.sum_sq);
            }
            e.1 = (e.1 .0 + r.n, e.1 .1 + r.sum, e.1 .2 + r.sum_sq);
        }
    }
    criteria
        .sort_by(|a, b| (a.0.as_str(), a.2, a.1.as_str()).cmp(&(b.0.as_str(), b.2, b.1.as_str())));
    let figures = sums
        .into_iter()
        .map(|(k, (ms, p))| {
            (
                k,
                (
                    ms.iter().map(|&(n, s, q)| mean_figure(n, s, q)).collect(),
                    mean_figure(p.0, p.1, p.2),
                ),
            )
        })
        .collect();
    CriterionFigures { criteria, figures }
}

/// What one agent's scorecard is built from; shared by [`analyse`] and
/// [`team`] so that a team's scorecards read the data once.
struct Inputs<'a> {
    months: &'a [Month],
    kpi: &'a KpiFigures,
    team_kpi: &'a KpiFigures,
    criteria: &'a CriterionFigures,
    team_criteria: &'a CriterionFigures,
    standards: &'a [(String, f64)],
    focus_rows: &'a [FocusRatingRow],
}

fn build(
    agent: &str,
    team: Option<String>,
    as_of: Date,
    who: Option<String>,
    inp: &Inputs,
) -> Analysis {
    let months = inp.months.to_vec();
    let blank = || (vec![Figure::NONE; months.len()], Figure::NONE);
    // A month before the agent started says "no data", never zero.
    let mask = |(mut ms, p): (Vec<Figure>, Figure)| {
        for (f, m) in ms.iter_mut().zip(&months) {
            if !m.active {
                *f = Figure::NONE;
            }
        }
        (ms, p)
    };
    let mut lines = Vec::new();
    for &(id, family) in SCORECARD_KPIS {
        let Some(def) = kpi::kpi(id) else { continue };
        let (ms, p) = mask(
            inp.kpi
                .get(&(who.clone(), id))
                .cloned()
                .unwrap_or_else(blank),
        );
        let (tms, tp) = inp.team_kpi.get(&(None, id)).cloned().unwrap_or_else(blank);
        let standard = inp.standards.iter().find(|(m, _)| m == id).map(|(_, t)| *t);
        lines.push(line(
            Measure::Kpi { id, unit: def.unit },
            MetricRow {
                key: id.to_string(),
                family,
                better: def.better,
                standard,
                months: ms,
                period: p,
                team_months: tms,
                team_period: tp,
            },
        ));
    }
    for (rubric, criterion, _, min, max, standard) in &inp.criteria.criteria {
        let key = criterion_key(rubric, criterion);
        let Some(mine) = inp
            .criteria
            .figures
            .get(&(who.clone(), key.clone()))
            .cloned()
        else {
            continue;
        };
        let (ms, p) = mask(mine);
        let (tms, tp) = inp
            .team_criteria
            .figures
            .get(&(None, key.clone()))
            .cloned()
            .unwrap_or_else(blank);
        lines.push(line(
            Measure::Criterion {
                rubric: rubric.clone(),
                criterion: criterion.clone(),
                scale_min: *min,
                scale_max: *max,
            },
            MetricRow {
                key,
                family: Family::Internal,
                better: Better::Higher,
                standard: *standard,
                months: ms,
                period: p,
                team_months: tms,
                team_period: tp,
            },
        ));
    }
    let rows: Vec<MetricRow> = lines.iter().map(|l| l.row.clone()).collect();
    let struggles = struggles(&rows);
    let overlaps = overlaps(&rows, &struggles);
    let focus = focus(agent, &lines, &struggles, inp);
    Analysis {
        agent: agent.to_string(),
        team,
        as_of,
        months,
        lines,
        struggles,
        overlaps,
        focus,
        evidence: Vec::new(),
    }
}

fn line(measure: Measure, row: MetricRow) -> Line {
    Line {
        changes: row.changes(),
        vs_standard: row
            .standard
            .and_then(|s| noise::against_standard(&row.period, s, row.better)),
        vs_team: noise::against(&row.period, &row.team_period, row.better),
        trend: row.trend(),
        measure,
        row,
    }
}

fn focus(agent: &str, lines: &[Line], struggles: &[Struggle], inp: &Inputs) -> Option<FocusChoice> {
    let rows: Vec<&FocusRatingRow> = inp.focus_rows.iter().filter(|r| r.agent == agent).collect();
    if rows.is_empty() {
        return None;
    }
    let struggling = |k: &str| struggles.iter().any(|s| s.key == k);
    let weak: Vec<&str> = FOCUS_OUTCOMES
        .iter()
        .copied()
        .filter(|k| struggling(k))
        .collect();
    let weak: Vec<&str> = if weak.is_empty() {
        FOCUS_OUTCOMES.to_vec()
    } else {
        weak
    };
    let outcomes: Vec<Outcome> = weak
        .iter()
        .map(|k| Outcome {
            key: k.to_string(),
            better: kpi::kpi(k).map_or(Better::Higher, |d| d.better),
        })
        .collect();
    // Criteria with a standard, in rubric order (the tie rule); those the
    // agent struggles with when there are any.
    let all: Vec<String> = inp
        .criteria
        .criteria
        .iter()
        .filter(|c| c.5.is_some())
        .map(|c| criterion_key(&c.0, &c.1))
        .collect();
    let struggled: Vec<String> = all.iter().filter(|k| struggling(k)).cloned().collect();
    let from_struggles = !struggled.is_empty();
    let candidates = if from_struggles { struggled } else { all };
    let table: Vec<FocusRow> = rows
        .iter()
        .filter_map(|r| {
            let standard = r.standard?;
            let value = |k: &str| match k {
                "csat" => r.csat,
                "ces" => r.ces,
                "nps" => r.nps,
                "fcr" => r.fcr,
                "repeat_contact_rate" => r.repeat_contact,
                "aht" => r.aht,
                _ => None,
            };
            Some(FocusRow {
                criterion: criterion_key(&r.rubric, &r.criterion),
                rating: r.rating,
                standard,
                outcomes: weak.iter().map(|k| value(k)).collect(),
            })
        })
        .collect();
    let mut ranked = choose_focus(&candidates, &outcomes, &table).into_iter();
    let chosen = ranked.next()?;
    // Without a struggling criterion, a focus needs a relation beyond the noise.
    if !from_struggles && chosen.moved == 0 {
        return None;
    }
    let (rubric, criterion, _, min, max, _) = inp
        .criteria
        .criteria
        .iter()
        .find(|c| criterion_key(&c.0, &c.1) == chosen.criterion)?
        .clone();
    let level = lines
        .iter()
        .find(|l| l.row.key == chosen.criterion)
        .map_or(Figure::NONE, |l| l.row.period);
    Some(FocusChoice {
        rubric,
        criterion,
        standard: chosen.standard,
        scale_min: min,
        scale_max: max,
        level,
        weak_metrics: weak.iter().map(|s| s.to_string()).collect(),
        runner_up: ranked.next(),
        chosen,
    })
}

/// The scorecard's months as of `as_of` for an agent first active on `first`.
fn window(as_of: Date, first: Option<Date>) -> Vec<Month> {
    months(as_of, first)
}

/// An agent's scorecard as of `as_of`, with struggles, overlaps, the focus
/// behaviour and the evidence. An agent the user may not see, or one the
/// data does not know, is [`ServiceError::NotFound`].
pub fn analyse(
    store: &dyn Storage,
    user: &User,
    agent: &str,
    as_of: Date,
) -> Result<Analysis, ServiceError> {
    let activity = store
        .agent_activity(agent)?
        .ok_or_else(|| not_found(agent))?;
    let scope = Scope::Agent {
        name: agent.to_string(),
        team: activity.team.clone(),
    };
    if !may(user, Action::See, &scope) {
        return Err(not_found(agent));
    }
    let months = window(as_of, Some(activity.first));
    let (from, to) = (months[0].start, as_of);
    let settings = store.settings()?;
    // With a team, one read of the team by agent gives the agent and the team.
    let (kpi, criteria, who) = match &activity.team {
        Some(t) => (
            kpi_figures(store, is(Dimension::Team, t), true, &months)?,
            criterion_figures(
                &store.criterion_months(
                    Reviewed::Team {
                        team: t,
                        by_agent: true,
                    },
                    from,
                    to,
                )?,
                &months,
            ),
            Some(agent.to_string()),
        ),
        None => (
            kpi_figures(store, is(Dimension::Agent, agent), false, &months)?,
            criterion_figures(
                &store.criterion_months(Reviewed::Agent(agent), from, to)?,
                &months,
            ),
            None,
        ),
    };
    let no_team = (KpiFigures::new(), criterion_figures(&[], &months));
    let (team_kpi, team_criteria) = match &activity.team {
        Some(_) => (&kpi, &criteria),
        None => (&no_team.0, &no_team.1),
    };
    let standards = kpi_standards(store, as_of)?;
    let focus_rows = store.focus_rows(&settings, Reviewed::Agent(agent), from, to)?;
    let inputs = Inputs {
        months: &months,
        kpi: &kpi,
        team_kpi,
        criteria: &criteria,
        team_criteria,
        standards: &standards,
        focus_rows: &focus_rows,
    };
    let mut a = build(agent, activity.team.clone(), as_of, who, &inputs);
    if let Some(f) = &a.focus {
        let since = as_of
            .checked_sub(3.months())
            .and_then(|d| d.tomorrow())
            .map_err(|e| ServiceError::Input(e.to_string()))?;
        a.evidence = store.evidence(
            &settings,
            agent,
            &f.rubric,
            &f.criterion,
            since,
            as_of,
            EVIDENCE_LIMIT,
        )?;
    }
    Ok(a)
}

/// The scorecards of a team's agents as of `as_of` (without evidence: each
/// agent's own scorecard has it), by agent name: the agents with data in
/// the team in the four months. A team the user may not see is
/// [`ServiceError::NotFound`].
pub fn team(
    store: &dyn Storage,
    user: &User,
    team: &str,
    as_of: Date,
) -> Result<Vec<Analysis>, ServiceError> {
    let missing =
        || ServiceError::NotFound(format!("no team named '{team}' in the data you may see"));
    if !may(user, Action::See, &Scope::Team(team.to_string())) {
        return Err(missing());
    }
    let full = window(as_of, Some(Date::MIN));
    let (from, to) = (full[0].start, as_of);
    let agents = store.team_agents(team, from, to)?;
    if agents.is_empty() {
        return Err(missing());
    }
    let settings = store.settings()?;
    let kpi = kpi_figures(store, is(Dimension::Team, team), true, &full)?;
    let criteria = criterion_figures(
        &store.criterion_months(
            Reviewed::Team {
                team,
                by_agent: true,
            },
            from,
            to,
        )?,
        &full,
    );
    let standards = kpi_standards(store, as_of)?;
    let focus_rows = store.focus_rows(
        &settings,
        Reviewed::Team {
            team,
            by_agent: true,
        },
        from,
        to,
    )?;
    let mut out = Vec::new();
    for (agent, first) in agents {
        let months = window(as_of, Some(first));
        let inputs = Inputs {
            months: &months,
            kpi: &kpi,
            team_kpi: &kpi,
            criteria: &criteria,
            team_criteria: &criteria,
            standards: &standards,
            focus_rows: &focus_rows,
        };
        out.push(build(
            &agent,
            Some(team.to_string()),
            as_of,
            Some(agent.clone()),
            &inputs,
        ));
    }
    Ok(out)
}

/// The teams whose scorecards the user may see, by name: those with
/// interactions in the scorecard's four months.
pub fn teams(store: &dyn Storage, user: &User, as_of: Date) -> Result<Vec<String>, ServiceError> {
    let full = window(as_of, Some(Date::MIN));
    let req = ParsedRequest {
        kpi: crate::kpi::find_kpi("volume")?,
        by: vec![Field::Dimension(Dimension::Team)],
        grain: None,
        from: Some(full[0].start),
        to: Some(as_of),
        segment: user.data_scope(),
        stat: Stat::Mean,
        time: TimeBasis::Calendar,
        compare: false,
    };
    let answer = crate::kpi::answer(store, &req)?;
    let mut out: Vec<String> = answer
        .rows
        .iter()
        .filter_map(|r| match r.dims.first() {
            Some((_, DimValue::Text(t))) => Some(t.clone()),
            _ => None,
        })
        .filter(|t| may(user, Action::See, &Scope::Team(t.clone())))
        .collect();
    out.sort();
    Ok(out)
}
