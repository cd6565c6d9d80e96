//! The indicator board (`/indicators`) and each indicator's definition
//! (`/indicators/{kpi}`, with the administrators' form): every indicator of
//! the service against its standard, before, during and after the purchase,
//! in the user's scope, each with its whole written definition. The same
//! service functions as `metas indicator` and `/api/v1/indicators`.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::Response;
use jiff::civil::Date;
use metas_domain::indicator::{DefinitionChange, Verdict};
use metas_domain::kpi::Unit;
use metas_domain::JourneyStage;
use metas_service::access::{self, Action, Scope};
use metas_service::indicators::{
    shown_value, BoardIndicator, BoardScope, Indicator, StandardSource,
};
use serde::Deserialize;

use super::*;
use crate::auth::{Nav, PageUser};
use crate::charts::{sparkline_described, SparkPoint};
use crate::i18n::Tr;
use crate::{ApiError, AppState};

#[derive(Deserialize, Default)]
pub struct BoardParams {
    #[serde(default)]
    as_of: String,
}

/// One indicator as a card of the board.
pub(crate) struct Card {
    pub id: &'static str,
    pub name: String,
    pub value: String,
    pub n: String,
    pub period: String,
    pub verdict: String,
    /// `met`, `not_met`, `no_data` or `no_standard`: the colour.
    pub verdict_class: &'static str,
    /// "Standard: …" and "Owner: … · Reviewed …", the language's way.
    pub standard_line: String,
    pub owner_line: String,
    pub sparkline: String,
    pub note: String,
}

pub(crate) struct StageView {
    pub id: &'static str,
    pub title: String,
    pub intro: String,
    pub cards: Vec<Card>,
}

#[derive(Template)]
#[template(path = "indicators/board.html")]
struct BoardPage {
    tr: Tr,
    nav: Nav,
    scope: String,
    as_of: String,
    stages: Vec<StageView>,
}

/// One line of a definition's history.
pub(crate) struct HistoryLine {
    pub text: String,
}

#[derive(Template)]
#[template(path = "indicators/definition.html")]
struct DefinitionPage {
    tr: Tr,
    nav: Nav,
    id: &'static str,
    name: String,
    formula: String,
    unit: String,
    stage: String,
    frequency: String,
    owner: String,
    standard: String,
    note: String,
    history: Vec<HistoryLine>,
    can_edit: bool,
    message: Option<String>,
    error: Option<String>,
    /// The form's values: as saved, or as sent when refused.
    form: FormValues,
    stage_choices: Vec<(&'static str, String)>,
    frequency_choices: Vec<(&'static str, String)>,
}

#[derive(Deserialize, Default, Clone)]
pub struct FormValues {
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub frequency: String,
    #[serde(default)]
    pub standard: String,
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize)]
pub struct DefinitionForm {
    csrf: String,
    #[serde(flatten)]
    values: FormValues,
}

fn parse_as_of(raw: &str, today: Date) -> Result<Date, ApiError> {
    if raw.trim().is_empty() {
        return Ok(today);
    }
    raw.trim()
        .parse()
        .map_err(|_| ApiError::Invalid(format!("as_of '{raw}' is not a date (YYYY-MM-DD)")))
}

/// A stage's name in the user's language.
pub(crate) fn stage_name(tr: &Tr, stage: JourneyStage) -> String {
    tr.t(&format!("indicators-stage-{}", stage.as_str()))
}

/// The standard in force as the user reads it ("at least 85.0 %"), said
/// to come from the organisation's goal when it does.
pub(crate) fn standard_text(tr: &Tr, i: &Indicator) -> String {
    let unit = i.definition.kpi.unit;
    match i.standard {
        None => tr.t("indicators-no-standard"),
        Some((s, source)) => {
            let text = tr.t1(
                &format!("indicators-standard-{}", s.direction.as_str()),
                "value",
                tr.value(unit, s.value),
            );
            match source {
                StandardSource::Definition => text,
                StandardSource::Goal => tr.t1("indicators-standard-from-goal", "standard", text),
            }
        }
    }
}

fn owner_text(tr: &Tr, i: &Indicator) -> String {
    i.definition
        .owner
        .clone()
        .unwrap_or_else(|| tr.t("indicators-no-owner"))
}

fn frequency_text(tr: &Tr, i: &Indicator) -> String {
    tr.t(&format!(
        "indicators-frequency-{}",
        i.definition.frequency.as_str()
    ))
}

/// The definition in one line (the settings page's and the explorer's):
/// stage, frequency, owner, standard.
pub(crate) fn summary(tr: &Tr, i: &Indicator) -> String {
    tr.args(
        "indicators-summary",
        &[
            ("stage", stage_name(tr, i.definition.stage)),
            ("frequency", frequency_text(tr, i)),
            ("owner", owner_text(tr, i)),
            ("standard", standard_text(tr, i)),
        ],
    )
}

fn unit_text(tr: &Tr, unit: Unit) -> String {
    let key = match unit {
        Unit::Rate => "rate",
        Unit::Points => "points",
        Unit::Seconds => "seconds",
        Unit::Score => "score",
        Unit::Count => "count",
        Unit::Percent => "percent",
    };
    tr.t(&format!("indicators-unit-{key}"))
}

fn card(tr: &Tr, b: &BoardIndicator, as_of: Date) -> Card {
    let i = &b.indicator;
    let kpi = i.definition.kpi;
    let name = tr.kpi_name(kpi.id);
    let points: Vec<SparkPoint> = b
        .trend
        .iter()
        .filter_map(|p| {
            Some(SparkPoint {
                date: p.start,
                value: shown_value(kpi.unit, &p.figure)?,
                partial: p.partial,
            })
        })
        .collect();
    let verdict_class = b.verdict.as_str();
    Card {
        id: kpi.id,
        sparkline: sparkline_described(
            tr,
            &format!("spark-{}", kpi.id),
            kpi.unit,
            &tr.t1("indicators-spark-title", "kpi", &name),
            "indicators-spark-desc",
            &points,
            as_of,
        ),
        name,
        value: shown_value(kpi.unit, &b.figure)
            .map_or_else(|| "—".into(), |v| tr.value(kpi.unit, v)),
        n: tr.t1("indicators-n", "n", tr.count(b.figure.n)),
        period: tr.args(
            "indicators-period",
            &[("from", tr.date(b.from)), ("to", tr.date(b.to))],
        ),
        verdict: tr.t(&format!("indicators-verdict-{verdict_class}")),
        verdict_class: match b.verdict {
            Verdict::Met => "met",
            Verdict::NotMet => "not_met",
            Verdict::NoData => "no_data",
            Verdict::NoStandard => "no_standard",
        },
        standard_line: tr.t1("indicators-standard-line", "standard", standard_text(tr, i)),
        owner_line: tr.args(
            "indicators-owner-line",
            &[
                ("owner", owner_text(tr, i)),
                ("frequency", frequency_text(tr, i)),
            ],
        ),
        note: b
            .note
            .iter()
            .map(|id| tr.t(id))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// `/indicators`: the board in the user's scope.
pub async fn board(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Query(p): Query<BoardParams>,
) -> Result<Response, ApiError> {
    let as_of = parse_as_of(&p.as_of, (state.settings.today)())?;
    let u = user.user().clone();
    let board = state
        .with_store(move |store| metas_service::indicators::board_as(store, &u, as_of))
        .await?;
    let tr = user.tr;
    let scope = match &board.scope {
        BoardScope::Organisation => tr.t("indicators-scope-organisation"),
        BoardScope::Team(t) => tr.t1("indicators-scope-team", "name", t),
        BoardScope::Agent(a) => tr.t1("indicators-scope-agent", "name", a),
    };
    let stages = board
        .stages
        .iter()
        .map(|(stage, list)| StageView {
            id: stage.as_str(),
            title: stage_name(&tr, *stage),
            intro: tr.t(&format!("indicators-stage-{}-intro", stage.as_str())),
            cards: list.iter().map(|b| card(&tr, b, as_of)).collect(),
        })
        .collect();
    render(&BoardPage {
        nav: user.nav(),
        scope,
        as_of: as_of.to_string(),
        stages,
        tr,
    })
}

/// `/indicators/{kpi}`: the whole definition and its history.
pub async fn definition(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(kpi): Path<String>,
) -> Result<Response, ApiError> {
    definition_page(&state, &user, &kpi, None, None, None).await
}

async fn definition_page(
    state: &Arc<AppState>,
    user: &PageUser,
    kpi: &str,
    message: Option<String>,
    error: Option<String>,
    sent: Option<FormValues>,
) -> Result<Response, ApiError> {
    let today = (state.settings.today)();
    let id = kpi.to_string();
    let (indicator, history, zone) = state
        .with_store(move |store| {
            let i = metas_service::indicators::definition(store, &id, today)?;
            let h = metas_service::indicators::history(store, &id)?;
            Ok((i, h, metas_service::config::time_zone(store)?))
        })
        .await?;
    let tr = user.tr;
    let d = &indicator.definition;
    let unit = d.kpi.unit;
    let saved = FormValues {
        owner: d.owner.clone().unwrap_or_default(),
        frequency: d.frequency.as_str().to_string(),
        standard: d
            .standard
            .map(|s| {
                format!(
                    "{} {}",
                    match s.direction {
                        metas_domain::indicator::StandardDirection::AtLeast => "at least",
                        metas_domain::indicator::StandardDirection::AtMost => "at most",
                    },
                    standard_input(unit, s.value)
                )
            })
            .unwrap_or_default(),
        stage: d.stage.as_str().to_string(),
        note: d.note.clone().unwrap_or_default(),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = DefinitionPage {
        nav: user.nav(),
        id: d.kpi.id,
        name: tr.kpi_name(d.kpi.id),
        formula: tr.kpi_definition(&indicator.formula),
        unit: unit_text(&tr, unit),
        stage: stage_name(&tr, d.stage),
        frequency: frequency_text(&tr, &indicator),
        owner: owner_text(&tr, &indicator),
        standard: standard_text(&tr, &indicator),
        note: d.note.clone().unwrap_or_default(),
        history: history
            .iter()
            .rev()
            .map(|h| HistoryLine {
                text: tr.args(
                    "indicators-history-line",
                    &[
                        ("version", h.version.to_string()),
                        ("who", h.changed_by.clone()),
                        ("when", tr.date_time(&h.changed_at.to_zoned(zone.clone()))),
                    ],
                ),
            })
            .collect(),
        can_edit: access::may(user.user(), Action::DefineIndicators, &Scope::Organisation),
        message,
        error,
        form: sent.unwrap_or(saved),
        stage_choices: JourneyStage::ALL
            .iter()
            .map(|s| (s.as_str(), stage_name(&tr, *s)))
            .collect(),
        frequency_choices: metas_domain::indicator::Frequency::ALL
            .iter()
            .map(|f| {
                (
                    f.as_str(),
                    tr.t(&format!("indicators-frequency-{}", f.as_str())),
                )
            })
            .collect(),
        tr,
    };
    render_with(status, &page)
}

/// A standard's value as the form writes it back (a rate in %, a duration
/// in seconds), so saving the form unchanged keeps it.
fn standard_input(unit: Unit, v: f64) -> String {
    let trim = |s: String| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    match unit {
        Unit::Rate => format!("{}%", trim(format!("{:.4}", v * 100.0))),
        _ => trim(format!("{v:.4}")),
    }
}

/// `POST /indicators/{kpi}`: an administrator changes the definition.
pub async fn save(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(kpi): Path<String>,
    Form(f): Form<DefinitionForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    access::require(user.user(), Action::DefineIndicators, &Scope::Organisation)?;
    let now = (state.settings.now)();
    let today = (state.settings.today)();
    let values = f.values.clone();
    let change = DefinitionChange {
        owner: Some(values.owner.replace("\r\n", "\n")),
        frequency: Some(values.frequency.clone()),
        standard: Some(values.standard.clone()),
        stage: Some(values.stage.clone()),
        note: Some(values.note.replace("\r\n", "\n")),
    };
    let u = user.user().clone();
    let id = kpi.clone();
    let saved = state
        .with_store(move |store| {
            metas_service::indicators::set_as(store, &u, &id, &change, now, today)
        })
        .await;
    match saved {
        Ok(i) => {
            let msg = user.tr.args(
                "indicators-saved",
                &[
                    ("kpi", user.tr.kpi_name(i.id())),
                    ("version", i.version.to_string()),
                ],
            );
            definition_page(&state, &user, &kpi, Some(msg), None, None).await
        }
        Err(ApiError::Invalid(m)) => {
            definition_page(&state, &user, &kpi, None, Some(m), Some(f.values)).await
        }
        Err(e) => Err(e),
    }
}
