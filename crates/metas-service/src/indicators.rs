//! The indicator board (R-INDICATORS, docs/indicators.md): every indicator
//! with its whole definition, its figure for the period its frequency
//! reviews (this week, this month…), the periods before it, its standard and
//! whether the figure meets it, by stage of the purchase — for every
//! signed-in user, in their own scope. Definitions are changed by
//! administrators only, every change kept.
//!
//! The figures come from the KPI engine ([`crate::kpi::answer_many`]), so
//! they are the explorer's: one batched question per frequency (every
//! indicator reviewed weekly shares one scan per kind of record).

use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::indicator::{
    verdict, DefinitionChange, Frequency, IndicatorDefinition, IndicatorError, Standard,
    StandardDirection, Verdict, BOARD_KPIS,
};
use metas_domain::kpi::{self as catalogue, Definition, Grain, Stat, TimeBasis};
use metas_domain::segment::SegmentExpr;
use metas_domain::JourneyStage;
use metas_store::prelude::*;
use metas_store::IndicatorRow;
use serde_json::{json, Value as Json};

use crate::access::{self, Action, Scope};
use crate::kpi::{answer_many, Figure, KpiAnswer, Note, ParsedRequest};
use crate::users::{Role, User};
use crate::ServiceError;

const NO_FIGURE: Figure = Figure {
    value: None,
    n: 0,
    ci_low: None,
    ci_high: None,
};

/// A period without a row: no value, but a count of nothing is 0 (as the
/// KPI engine answers it).
fn no_figure(kpi: &catalogue::KpiDef) -> Figure {
    match kpi.shape() {
        catalogue::Shape::Count => Figure {
            value: Some(0.0),
            ..NO_FIGURE
        },
        _ => NO_FIGURE,
    }
}

/// The value of a figure worth showing: none without a sample, except a
/// count (0 contacts is a value).
pub fn shown_value(unit: catalogue::Unit, f: &Figure) -> Option<f64> {
    f.value
        .filter(|v| v.is_finite() && (f.n > 0 || unit == catalogue::Unit::Count))
}

/// How many periods the trend shows, the current one included.
pub const TREND_PERIODS: i64 = 6;

/// Where an indicator's standard comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandardSource {
    /// Set on the indicator by an administrator.
    Definition,
    /// No standard is set, so the target of the organisation's active goal
    /// on the KPI stands in (the scorecard's business standard).
    Goal,
}

impl StandardSource {
    pub fn as_str(self) -> &'static str {
        match self {
            StandardSource::Definition => "definition",
            StandardSource::Goal => "goal",
        }
    }
}

/// One indicator's definition in force.
#[derive(Debug, Clone)]
pub struct Indicator {
    pub definition: IndicatorDefinition,
    /// The formula as the settings in force make it.
    pub formula: Definition,
    /// The standard the figures are judged against: the definition's, else
    /// the organisation goal's.
    pub standard: Option<(Standard, StandardSource)>,
    /// Who changed the definition last, and when (none: built in).
    pub changed: Option<(String, Timestamp)>,
    pub version: i64,
}

impl Indicator {
    pub fn id(&self) -> &'static str {
        self.definition.kpi.id
    }
}

fn domain_error(e: IndicatorError) -> ServiceError {
    match e.field {
        "kpi" => ServiceError::NotFound(e.to_string()),
        _ => ServiceError::Input(e.to_string()),
    }
}

fn parse_row(row: &IndicatorRow) -> Result<IndicatorDefinition, ServiceError> {
    IndicatorDefinition::from_stored(
        &row.kpi,
        Some(&row.stage),
        Some(&row.frequency),
        row.owner.clone(),
        row.standard.as_ref().map(|(v, d)| (*v, d.as_str())),
        row.note.clone(),
    )
    .map_err(domain_error)
}

/// Every indicator of the board, in board order, as defined on `as_of`
/// (the day decides which goal's target stands in for a missing standard).
pub fn definitions(store: &dyn Storage, as_of: Date) -> Result<Vec<Indicator>, ServiceError> {
    let rows = store.indicators()?;
    let settings = store.settings()?;
    let goals = crate::scorecard::kpi_standards(store, as_of)?;
    let mut out = Vec::new();
    for id in BOARD_KPIS {
        let row = rows.iter().find(|r| r.kpi == *id);
        let definition = match row {
            Some(r) => parse_row(r)?,
            None => IndicatorDefinition::builtin(id).map_err(domain_error)?,
        };
        let kpi = definition.kpi;
        let standard = match definition.standard {
            Some(s) => Some((s, StandardSource::Definition)),
            None => goals.iter().find(|(m, _)| m == id).and_then(|(_, target)| {
                StandardDirection::of(kpi.better).map(|direction| {
                    (
                        Standard {
                            value: *target,
                            direction,
                        },
                        StandardSource::Goal,
                    )
                })
            }),
        };
        out.push(Indicator {
            formula: kpi.definition(&settings),
            standard,
            changed: row.map(|r| (r.changed_by.clone(), r.changed_at)),
            version: row.map_or(0, |r| r.version),
            definition,
        });
    }
    Ok(out)
}

/// One indicator's definition (`NotFound` for a KPI that is not one).
pub fn definition(store: &dyn Storage, id: &str, as_of: Date) -> Result<Indicator, ServiceError> {
    IndicatorDefinition::builtin(id).map_err(domain_error)?;
    definitions(store, as_of)?
        .into_iter()
        .find(|i| i.id() == id)
        .ok_or_else(|| ServiceError::NotFound(format!("no indicator '{id}'")))
}

/// Every version of one indicator's definition, oldest first.
pub fn history(store: &dyn Storage, id: &str) -> Result<Vec<IndicatorRow>, ServiceError> {
    IndicatorDefinition::builtin(id).map_err(domain_error)?;
    Ok(store.indicator_history(id)?)
}

/// Changes an indicator's definition as `user` (administrators only): the
/// change is parsed over the definition in force and saved as a new
/// version.
pub fn set_as(
    store: &mut dyn Storage,
    user: &User,
    id: &str,
    change: &DefinitionChange,
    now: Timestamp,
    as_of: Date,
) -> Result<Indicator, ServiceError> {
    access::require(user, Action::DefineIndicators, &Scope::Organisation)?;
    save(store, id, change, &user.login, now, as_of)
}

/// Saves a change as a new version, `who` named as its author: after the
/// access rule (`set_as`), or for the demo's own definitions.
pub(crate) fn save(
    store: &mut dyn Storage,
    id: &str,
    change: &DefinitionChange,
    who: &str,
    now: Timestamp,
    as_of: Date,
) -> Result<Indicator, ServiceError> {
    let current = definition(store, id, as_of)?;
    let new = current.definition.parse(change).map_err(domain_error)?;
    store.save_indicator(&IndicatorRow {
        kpi: id.to_string(),
        version: 0,
        stage: new.stage.as_str().to_string(),
        frequency: new.frequency.as_str().to_string(),
        owner: new.owner.clone(),
        standard: new
            .standard
            .map(|s| (s.value, s.direction.as_str().to_string())),
        note: new.note.clone(),
        changed_by: who.to_string(),
        changed_at: now,
    })?;
    definition(store, id, as_of)
}

/// Whose figures a board shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BoardScope {
    Organisation,
    Team(String),
    Agent(String),
}

impl BoardScope {
    /// The user's own scope under the access rule.
    fn of(user: &User) -> Result<(BoardScope, Scope), ServiceError> {
        let (board, scope) = match (user.role, &user.team, &user.agent) {
            (Role::Admin | Role::Manager, _, _) => (BoardScope::Organisation, Scope::Organisation),
            (Role::Lead, Some(t), _) => (BoardScope::Team(t.clone()), Scope::Team(t.clone())),
            (Role::Agent, team, Some(a)) => (
                BoardScope::Agent(a.clone()),
                Scope::Agent {
                    name: a.clone(),
                    team: team.clone(),
                },
            ),
            _ => return Err(ServiceError::Forbidden),
        };
        access::require(user, Action::See, &scope)?;
        Ok((board, scope))
    }
}

/// One period of an indicator's trend.
#[derive(Debug, Clone)]
pub struct TrendPoint {
    pub start: Date,
    /// The last day counted (the day asked, for the current period).
    pub end: Date,
    pub figure: Figure,
    /// The period holds the day asked, so it is not over.
    pub partial: bool,
}

/// An indicator on the board.
#[derive(Debug, Clone)]
pub struct BoardIndicator {
    pub indicator: Indicator,
    /// The period its frequency reviews, up to the day asked.
    pub from: Date,
    pub to: Date,
    pub figure: Figure,
    pub verdict: Verdict,
    /// The periods before it and itself, oldest first.
    pub trend: Vec<TrendPoint>,
    /// Why there is no figure (a sentence id of `kpis.ftl` or
    /// `indicators.ftl`), when n = 0.
    pub note: Vec<&'static str>,
}

/// The board for one user on one day.
#[derive(Debug, Clone)]
pub struct Board {
    pub as_of: Date,
    pub scope: BoardScope,
    /// Before, during and after the purchase, in that order, each with its
    /// indicators in board order.
    pub stages: Vec<(JourneyStage, Vec<BoardIndicator>)>,
}

/// The sentence that says retention is the organisation's figure only.
pub const ORGANISATION_ONLY_NOTE: &str = "indicator-note-organisation-only";

/// The sentence that says sla_attainment has no policy to be judged by.
pub const NO_POLICY_NOTE: &str = "indicator-note-no-policy";

/// The board as `user` may see it on `as_of`.
pub fn board_as(store: &dyn Storage, user: &User, as_of: Date) -> Result<Board, ServiceError> {
    let (scope, _) = BoardScope::of(user)?;
    board(store, user.data_scope(), scope, as_of)
}

/// The board over a segment (the user's scope, already decided).
fn board(
    store: &dyn Storage,
    segment: Option<SegmentExpr>,
    scope: BoardScope,
    as_of: Date,
) -> Result<Board, ServiceError> {
    let indicators = definitions(store, as_of)?;
    let has_policies = !store.policies()?.is_empty();
    let mut figures: Vec<Option<BoardIndicator>> = vec![None; indicators.len()];
    for frequency in Frequency::ALL {
        let trend_from = frequency.periods_back(as_of, TREND_PERIODS - 1);
        let members: Vec<usize> = (0..indicators.len())
            .filter(|&i| indicators[i].definition.frequency == frequency)
            .collect();
        let request = |i: usize, grain: Option<Grain>, from: Date, to: Date| ParsedRequest {
            kpi: indicators[i].definition.kpi,
            by: vec![],
            grain,
            from: Some(from),
            to: Some(to),
            segment: segment.clone(),
            stat: Stat::Mean,
            time: TimeBasis::Calendar,
            compare: false,
        };
        // Retention is measured over one period at a time, and
        // sla_attainment needs a policy: the rest share one question.
        let (batched, alone): (Vec<usize>, Vec<usize>) = members
            .iter()
            .partition(|&&i| indicators[i].id() != "retention");
        let batched: Vec<usize> = batched
            .into_iter()
            .filter(|&i| has_policies || indicators[i].id() != "sla_attainment")
            .collect();
        let reqs: Vec<ParsedRequest> = batched
            .iter()
            .map(|&i| request(i, Some(frequency.grain()), trend_from, as_of))
            .collect();
        let answers = if reqs.is_empty() {
            vec![]
        } else {
            answer_many(store, &reqs)?
        };
        for (&i, answer) in batched.iter().zip(&answers) {
            let points = periods(frequency, trend_from, as_of)
                .into_iter()
                .map(|(start, end)| {
                    let figure = answer
                        .rows
                        .iter()
                        .find(|r| r.period_start() == Some(start))
                        .map_or_else(|| no_figure(indicators[i].definition.kpi), |r| r.figure);
                    (start, end, figure)
                })
                .collect();
            figures[i] = Some(on_board(&indicators[i], points, as_of, note_of(answer)));
        }
        for &i in &alone {
            // Retention counts customers, who belong to no agent or team:
            // it is the organisation's figure, not a scope's.
            if segment.is_some() {
                let points = periods(frequency, trend_from, as_of)
                    .into_iter()
                    .map(|(s, e)| (s, e, NO_FIGURE))
                    .collect();
                figures[i] = Some(on_board(
                    &indicators[i],
                    points,
                    as_of,
                    vec![ORGANISATION_ONLY_NOTE],
                ));
                continue;
            }
            let mut points = Vec::new();
            for (start, end) in periods(frequency, trend_from, as_of) {
                let a = answer_many(store, &[request(i, None, start, end)])?;
                let figure = a
                    .first()
                    .and_then(|a| a.rows.first())
                    .map_or(NO_FIGURE, |r| r.figure);
                points.push((start, end, figure));
            }
            figures[i] = Some(on_board(&indicators[i], points, as_of, vec![]));
        }
        for &i in &members {
            if figures[i].is_none() {
                let points = periods(frequency, trend_from, as_of)
                    .into_iter()
                    .map(|(s, e)| (s, e, NO_FIGURE))
                    .collect();
                figures[i] = Some(on_board(
                    &indicators[i],
                    points,
                    as_of,
                    vec![NO_POLICY_NOTE],
                ));
            }
        }
    }
    let mut stages: Vec<(JourneyStage, Vec<BoardIndicator>)> =
        JourneyStage::ALL.iter().map(|s| (*s, Vec::new())).collect();
    for b in figures.into_iter().flatten() {
        if let Some((_, list)) = stages
            .iter_mut()
            .find(|(s, _)| *s == b.indicator.definition.stage)
        {
            list.push(b);
        }
    }
    Ok(Board {
        as_of,
        scope,
        stages,
    })
}

/// The periods from `from` (a period's first day) to `as_of`, each cut at
/// `as_of`.
fn periods(frequency: Frequency, from: Date, as_of: Date) -> Vec<(Date, Date)> {
    (0..TREND_PERIODS)
        .rev()
        .map(|back| frequency.periods_back(as_of, back))
        .filter(|s| *s >= from)
        .map(|s| (s, frequency.period_end(s).min(as_of)))
        .collect()
}

fn note_of(answer: &KpiAnswer) -> Vec<&'static str> {
    answer
        .note
        .as_ref()
        .map(|n: &Note| n.messages.clone())
        .unwrap_or_default()
}

fn on_board(
    indicator: &Indicator,
    points: Vec<(Date, Date, Figure)>,
    as_of: Date,
    note: Vec<&'static str>,
) -> BoardIndicator {
    let trend: Vec<TrendPoint> = points
        .into_iter()
        .map(|(start, end, figure)| TrendPoint {
            start,
            end,
            figure,
            partial: end >= as_of,
        })
        .collect();
    let current = trend.last().cloned().unwrap_or(TrendPoint {
        start: as_of,
        end: as_of,
        figure: NO_FIGURE,
        partial: true,
    });
    let unit = indicator.definition.kpi.unit;
    let standard = indicator.standard.map(|(s, _)| s);
    let figure = current.figure;
    BoardIndicator {
        verdict: verdict(unit, figure.value, figure.n, standard.as_ref()),
        note: if figure.n == 0 { note } else { vec![] },
        indicator: indicator.clone(),
        from: current.start,
        to: current.end,
        figure,
        trend,
    }
}

fn figure_json(f: &Figure) -> Json {
    json!({ "value": f.value, "n": f.n, "ci_low": f.ci_low, "ci_high": f.ci_high })
}

impl Indicator {
    /// The definition as JSON (`metas indicator show`, `GET
    /// /api/v1/indicators/{kpi}`): values in the KPI's unit as machines read
    /// them (a rate 0–1, a duration in seconds).
    pub fn to_json(&self) -> Json {
        let d = &self.definition;
        let unit = d.kpi.unit;
        json!({
            "kpi": d.kpi.id,
            "name": d.kpi.name,
            "formula": self.formula.text,
            "unit": unit,
            "better": d.kpi.better,
            "stage": d.stage.as_str(),
            "frequency": d.frequency.as_str(),
            "owner": d.owner,
            "standard": self.standard.map(|(s, source)| json!({
                "value": s.value,
                "direction": s.direction.as_str(),
                "text": s.text(unit),
                "source": source.as_str(),
            })),
            "note": d.note,
            "version": self.version,
            "changed_by": self.changed.as_ref().map(|(w, _)| w),
            "changed_at": self.changed.as_ref().map(|(_, t)| t.to_string()),
        })
    }
}

impl BoardIndicator {
    pub fn to_json(&self) -> Json {
        let mut j = self.indicator.to_json();
        if let Some(m) = j.as_object_mut() {
            m.insert("from".into(), json!(self.from.to_string()));
            m.insert("to".into(), json!(self.to.to_string()));
            m.insert("figure".into(), figure_json(&self.figure));
            m.insert(
                "value_text".into(),
                json!(self
                    .figure
                    .value
                    .map(|v| catalogue::display_value(self.indicator.definition.kpi.unit, v))),
            );
            m.insert("verdict".into(), json!(self.verdict.as_str()));
            m.insert(
                "trend".into(),
                Json::Array(
                    self.trend
                        .iter()
                        .map(|p| {
                            json!({
                                "from": p.start.to_string(),
                                "to": p.end.to_string(),
                                "value": p.figure.value,
                                "n": p.figure.n,
                                "partial": p.partial,
                            })
                        })
                        .collect(),
                ),
            );
            m.insert(
                "note".into(),
                json!(self
                    .note
                    .iter()
                    .map(|id| note_text(id))
                    .collect::<Vec<_>>()
                    .join(" ")),
            );
        }
        j
    }
}

/// A note's English sentence.
pub fn note_text(id: &str) -> &'static str {
    if id == NO_POLICY_NOTE {
        return "sla_attainment needs a time-objective policy, and none is defined (docs/sla.md).";
    }
    if id == ORGANISATION_ONLY_NOTE {
        return "Retention counts customers, who belong to no agent or team: it is measured for the whole organisation only.";
    }
    crate::kpi::NOTE_SENTENCES
        .iter()
        .find(|(m, _)| *m == id)
        .map_or("", |(_, t)| t)
}

impl Board {
    pub fn to_json(&self) -> Json {
        let (scope, name) = match &self.scope {
            BoardScope::Organisation => ("organisation", None),
            BoardScope::Team(t) => ("team", Some(t)),
            BoardScope::Agent(a) => ("agent", Some(a)),
        };
        json!({
            "as_of": self.as_of.to_string(),
            "scope": { "kind": scope, "name": name },
            "stages": self.stages.iter().map(|(stage, list)| json!({
                "stage": stage.as_str(),
                "indicators": list.iter().map(BoardIndicator::to_json).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })
    }

    /// Every indicator on the board, stage by stage.
    pub fn indicators(&self) -> impl Iterator<Item = &BoardIndicator> {
        self.stages.iter().flat_map(|(_, l)| l.iter())
    }
}
