//! The agent scorecard (`/agents/{agent}/scorecard`) and the scorecards of
//! the user's scope (`/scorecards`): the four months side by side with n
//! and intervals, the standard and the team, changes marked only beyond the
//! noise, struggles and overlaps in words, the focus behaviour with the
//! figures behind it and the runner-up, and the evidence linked to the
//! interactions. The same service function as `metas scorecard` and the
//! API; the rules are written in docs/scorecard.md and on the page.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::Date;
use metas_domain::kpi::{Grain, Unit};
use metas_domain::scorecard::{Candidate, Figure, OverlapKind, Side};
use metas_service::scorecard::{Analysis, Line, Measure};
use metas_service::users::Role;
use serde::Deserialize;

use super::*;
use crate::auth::{Nav, PageUser};
use crate::i18n::Tr;
use crate::{ApiError, AppState};

#[derive(Deserialize, Default)]
pub struct ScorecardParams {
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    team: String,
}

/// One figure as a cell.
pub(crate) struct Cell {
    pub value: String,
    pub n: String,
    pub interval: String,
    /// `better` or `worse` when the change from the month before is beyond
    /// the noise, else empty.
    pub class: &'static str,
    pub mark: String,
}

pub(crate) struct Row {
    pub name: String,
    pub link: Option<String>,
    pub months: Vec<Cell>,
    pub period: Cell,
    pub standard: String,
    pub team: Cell,
    pub vs_standard: String,
    pub vs_standard_class: &'static str,
    pub vs_team: String,
    pub vs_team_class: &'static str,
}

pub(crate) struct EffectRow {
    pub metric: String,
    pub below: String,
    pub above: String,
    pub difference: String,
    pub moved: String,
}

pub(crate) struct CandidateView {
    pub name: String,
    pub summary: String,
    pub effects: Vec<EffectRow>,
}

pub(crate) struct FocusView {
    pub sentence: String,
    pub weak: String,
    pub chosen: CandidateView,
    pub runner_up: Option<CandidateView>,
}

pub(crate) struct EvidenceView {
    pub when: String,
    pub what: String,
    pub comment: String,
    pub interaction: String,
    pub link: Option<String>,
}

#[derive(Template)]
#[template(path = "scorecard/scorecard.html")]
struct ScorecardPage {
    tr: Tr,
    nav: Nav,
    heading: String,
    as_of: String,
    months: Vec<String>,
    rows: Vec<Row>,
    struggles: Vec<String>,
    overlaps: Vec<String>,
    focus: Option<FocusView>,
    evidence: Vec<EvidenceView>,
    /// The agent's assessments against their role's profile.
    assessments: String,
}

pub(crate) struct TeamRow {
    pub agent: String,
    pub link: String,
    pub struggles: String,
    pub focus: String,
    pub level: String,
}

#[derive(Template)]
#[template(path = "scorecard/team.html")]
struct TeamPage {
    tr: Tr,
    nav: Nav,
    team: String,
    teams: Vec<String>,
    as_of: String,
    rows: Vec<TeamRow>,
}

fn parse_as_of(raw: &str, today: Date) -> Result<Date, ApiError> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    raw.trim()
        .parse()
        .map_err(|_| ApiError::Invalid(format!("as_of '{raw}' is not a date (YYYY-MM-DD)")))
}

fn unit(line: &Line) -> Unit {
    match &line.measure {
        Measure::Kpi { unit, .. } => *unit,
        Measure::Criterion { .. } => Unit::Score,
    }
}

/// A metric's name in the user's language.
fn metric_name(tr: &Tr, an: &Analysis, key: &str) -> String {
    match an
        .lines
        .iter()
        .find(|l| l.row.key == key)
        .map(|l| &l.measure)
    {
        Some(Measure::Criterion {
            rubric, criterion, ..
        }) => tr.args(
            "scorecard-criterion",
            &[("criterion", criterion.clone()), ("rubric", rubric.clone())],
        ),
        _ => tr.kpi_name(key),
    }
}

fn cell(tr: &Tr, u: Unit, f: &Figure, change: Option<Side>, active: bool) -> Cell {
    let none = Cell {
        value: tr.t("scorecard-no-data"),
        n: String::new(),
        interval: String::new(),
        class: "",
        mark: String::new(),
    };
    if !active || f.n == 0 {
        return none;
    }
    let Some(v) = f.value else { return none };
    let (class, mark) = match change {
        Some(Side::Better) => ("better", format!("▲ {}", tr.t("change-better"))),
        Some(Side::Worse) => ("worse", format!("▼ {}", tr.t("change-worse"))),
        _ => ("", String::new()),
    };
    // A duration is never negative: a t interval's lower end is cut at 0.
    let floor = |l: f64| if u == Unit::Seconds { l.max(0.0) } else { l };
    Cell {
        value: tr.value(u, v),
        n: tr.t1("scorecard-n", "n", tr.count(f.n)),
        interval: match (f.low, f.high) {
            (Some(l), Some(h)) => format!("{} – {}", tr.value(u, floor(l)), tr.value(u, h)),
            _ => String::new(),
        },
        class,
        mark,
    }
}

fn side_word(tr: &Tr, s: Option<Side>) -> (String, &'static str) {
    match s {
        Some(Side::Better) => (tr.t("change-better"), "better"),
        Some(Side::Worse) => (tr.t("change-worse"), "worse"),
        Some(Side::Level) => (tr.t("scorecard-within-noise"), ""),
        None => ("—".into(), ""),
    }
}

fn candidate(tr: &Tr, an: &Analysis, c: &Candidate) -> CandidateView {
    let name = metric_name(tr, an, &c.criterion);
    let num = |v: f64| tr.value(Unit::Score, v);
    CandidateView {
        summary: tr.args(
            "scorecard-candidate",
            &[
                ("moved", c.moved.to_string()),
                ("effect", num(c.total_z)),
                ("below", tr.count(c.below_n)),
                ("above", tr.count(c.at_or_above_n)),
            ],
        ),
        name,
        effects: c
            .effects
            .iter()
            .map(|e| {
                let u = metas_domain::kpi::kpi(&e.metric).map_or(Unit::Score, |d| d.unit);
                let f = |f: &Figure| match f.value {
                    Some(v) => format!(
                        "{} ({})",
                        tr.value(u, v),
                        tr.t1("scorecard-n", "n", tr.count(f.n))
                    ),
                    None => tr.t("scorecard-no-data"),
                };
                EffectRow {
                    metric: tr.kpi_name(&e.metric),
                    below: f(&e.below),
                    above: f(&e.at_or_above),
                    difference: match (e.difference, e.low, e.high) {
                        (Some(d), Some(l), Some(h)) => format!(
                            "{} ({} – {})",
                            signed(tr, u, d),
                            signed(tr, u, l),
                            signed(tr, u, h)
                        ),
                        _ => tr.t("scorecard-too-few"),
                    },
                    moved: if e.moved {
                        tr.t("scorecard-beyond-noise")
                    } else {
                        tr.t("scorecard-within-noise")
                    },
                }
            })
            .collect(),
    }
}

/// A rating, a standard or a scale's end: a whole number as one ("3"),
/// else the locale's two decimals.
fn rating(tr: &Tr, v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        tr.value(Unit::Score, v)
    }
}

/// A difference with its sign, in the metric's unit (a rate's in points).
fn signed(tr: &Tr, u: Unit, v: f64) -> String {
    let text = tr.value(u, v.abs());
    if v < 0.0 {
        format!("−{text}")
    } else {
        format!("+{text}")
    }
}

/// The interactions of the agent on the day an interaction was created:
/// the drill-down that holds it.
fn drill(agent: &str, day: Date) -> String {
    let segment = format!("agent = '{}'", agent.replace('\'', "''"));
    format!(
        "/kpi/volume/interactions?where={}&from={day}&to={day}",
        encode(&segment)
    )
}

fn page_of(tr: Tr, nav: Nav, an: &Analysis) -> ScorecardPage {
    let months = an
        .months
        .iter()
        .map(|m| {
            if m.current {
                tr.args(
                    "scorecard-current-month",
                    &[
                        ("month", tr.period(Grain::Month, m.start)),
                        ("date", tr.date(m.end)),
                    ],
                )
            } else {
                tr.period(Grain::Month, m.start)
            }
        })
        .collect();
    let rows = an
        .lines
        .iter()
        .map(|l| {
            let u = unit(l);
            let (vs_standard, vs_standard_class) = side_word(&tr, l.vs_standard);
            let (vs_team, vs_team_class) = side_word(&tr, l.vs_team);
            Row {
                name: metric_name(&tr, an, &l.row.key),
                link: match &l.measure {
                    Measure::Kpi { id, .. } => Some(format!(
                        "/kpi/{id}?where={}&grain=month&from={}&to={}",
                        encode(&format!("agent = '{}'", an.agent.replace('\'', "''"))),
                        an.months[0].start,
                        an.as_of
                    )),
                    Measure::Criterion { .. } => None,
                },
                months: l
                    .row
                    .months
                    .iter()
                    .zip(&l.changes)
                    .zip(&an.months)
                    .map(|((f, c), m)| cell(&tr, u, f, *c, m.active))
                    .collect(),
                period: cell(&tr, u, &l.row.period, None, true),
                standard: l.row.standard.map_or("—".into(), |s| match l.measure {
                    Measure::Criterion { .. } => rating(&tr, s),
                    Measure::Kpi { .. } => tr.value(u, s),
                }),
                team: cell(&tr, u, &l.row.team_period, None, true),
                vs_standard,
                vs_standard_class,
                vs_team,
                vs_team_class,
            }
        })
        .collect();
    let struggles = an
        .struggles
        .iter()
        .map(|s| {
            let id = match (s.below_standard, s.worse_than_team) {
                (true, true) => "scorecard-struggle-both",
                (true, false) => "scorecard-struggle-standard",
                _ => "scorecard-struggle-team",
            };
            tr.t1(id, "metric", metric_name(&tr, an, &s.key))
        })
        .collect();
    let overlaps = an
        .overlaps
        .iter()
        .map(|o| {
            let id = match o.kind {
                OverlapKind::BothStruggle => "scorecard-overlap-struggle",
                OverlapKind::BothWorsen => "scorecard-overlap-worsen",
            };
            tr.args(
                id,
                &[
                    ("survey", metric_name(&tr, an, &o.survey)),
                    ("internal", metric_name(&tr, an, &o.internal)),
                ],
            )
        })
        .collect();
    let focus = an.focus.as_ref().map(|f| FocusView {
        sentence: tr.args(
            "scorecard-focus-sentence",
            &[
                ("criterion", f.criterion.clone()),
                ("rubric", f.rubric.clone()),
                ("standard", rating(&tr, f.standard)),
                ("min", rating(&tr, f.scale_min)),
                ("max", rating(&tr, f.scale_max)),
                (
                    "level",
                    f.level
                        .value
                        .map_or_else(|| tr.t("scorecard-no-data"), |v| tr.value(Unit::Score, v)),
                ),
                ("n", tr.count(f.level.n)),
                ("moved", f.chosen.moved.to_string()),
            ],
        ),
        weak: f
            .weak_metrics
            .iter()
            .map(|m| tr.kpi_name(m))
            .collect::<Vec<_>>()
            .join(", "),
        chosen: candidate(&tr, an, &f.chosen),
        runner_up: f.runner_up.as_ref().map(|c| candidate(&tr, an, c)),
    });
    let evidence = an
        .evidence
        .iter()
        .map(|e| {
            let day =
                |t: Option<jiff::Timestamp>| t.map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date());
            let what = match e.kind {
                "review" => tr.args(
                    "scorecard-evidence-review",
                    &[
                        ("reviewer", e.reviewer.clone().unwrap_or_default()),
                        (
                            "rating",
                            e.rating.map_or_else(String::new, |r| rating(&tr, r)),
                        ),
                    ],
                ),
                _ => tr.args(
                    "scorecard-evidence-survey",
                    &[
                        (
                            "kind",
                            e.survey_kind.clone().unwrap_or_default().to_uppercase(),
                        ),
                        (
                            "score",
                            e.score.map_or_else(String::new, |r| rating(&tr, r)),
                        ),
                        (
                            "max",
                            e.scale_max.map_or_else(String::new, |r| rating(&tr, r)),
                        ),
                    ],
                ),
            };
            EvidenceView {
                when: day(e.at).map(|d| tr.date(d)).unwrap_or_default(),
                what,
                comment: e.comment.clone().unwrap_or_default(),
                interaction: e.interaction_external_id.clone().unwrap_or_default(),
                link: day(e.created).map(|d| drill(&an.agent, d)),
            }
        })
        .collect();
    ScorecardPage {
        heading: tr.args(
            "scorecard-heading",
            &[
                ("agent", an.agent.clone()),
                ("team", an.team.clone().unwrap_or_else(|| "—".into())),
            ],
        ),
        as_of: an.as_of.to_string(),
        months,
        rows,
        struggles,
        overlaps,
        focus,
        evidence,
        assessments: format!("/agents/{}/assessments", encode(&an.agent)),
        tr,
        nav,
    }
}

/// `/agents/{agent}/scorecard`: 404 for an agent out of the user's reach.
pub async fn agent(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(agent): Path<String>,
    Query(p): Query<ScorecardParams>,
) -> Result<Response, ApiError> {
    let as_of = parse_as_of(&p.as_of, (state.settings.today)())?;
    let u = user.user().clone();
    let an = state
        .with_store(move |store| metas_service::scorecard::analyse(store, &u, &agent, as_of))
        .await?;
    render(&page_of(user.tr, user.nav(), &an))
}

/// `/scorecards`: an agent goes to their own scorecard; a lead sees their
/// team's; a manager or administrator chooses a team.
pub async fn list(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Query(p): Query<ScorecardParams>,
) -> Result<Response, ApiError> {
    let u = user.user().clone();
    if u.role == Role::Agent {
        let name = u.agent.clone().unwrap_or_default();
        return Ok(Redirect::to(&format!("/agents/{}/scorecard", encode(&name))).into_response());
    }
    let as_of = parse_as_of(&p.as_of, (state.settings.today)())?;
    let chosen = match (u.role, p.team.trim()) {
        (Role::Lead, _) => u.team.clone().unwrap_or_default(),
        (_, t) => t.to_string(),
    };
    let (teams, list) = state
        .with_store(move |store| {
            let teams = metas_service::scorecard::teams(store, &u, as_of)?;
            let team = if chosen.is_empty() {
                teams.first().cloned().unwrap_or_default()
            } else {
                chosen
            };
            let list = if team.is_empty() {
                Vec::new()
            } else {
                metas_service::scorecard::team(store, &u, &team, as_of)?
            };
            Ok((teams, list))
        })
        .await?;
    let tr = user.tr;
    let team = list
        .first()
        .and_then(|a| a.team.clone())
        .unwrap_or_default();
    let rows = list
        .iter()
        .map(|a| TeamRow {
            agent: a.agent.clone(),
            link: format!("/agents/{}/scorecard?as_of={}", encode(&a.agent), a.as_of),
            struggles: a
                .struggles
                .iter()
                .map(|s| metric_name(&tr, a, &s.key))
                .collect::<Vec<_>>()
                .join(", "),
            focus: a
                .focus
                .as_ref()
                .map_or_else(|| "—".into(), |f| f.criterion.clone()),
            level: a
                .focus
                .as_ref()
                .and_then(|f| {
                    f.level.value.map(|v| {
                        format!(
                            "{} / {}",
                            tr.value(Unit::Score, v),
                            tr.value(Unit::Score, f.standard)
                        )
                    })
                })
                .unwrap_or_default(),
        })
        .collect();
    render(&TeamPage {
        nav: user.nav(),
        team,
        teams,
        as_of: as_of.to_string(),
        rows,
        tr,
    })
}
