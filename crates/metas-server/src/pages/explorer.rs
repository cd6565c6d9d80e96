//! The KPI explorer, its CSV and the drill-down to the interactions.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use metas_domain::kpi::{KpiDef, Stat, TimeBasis};
use metas_service::kpi::{answer_many, find_kpi, AnswerRow, KpiAnswer};
use serde::Deserialize;

use super::*;
use crate::auth::{self, Nav, PageUser};
use crate::charts::*;
use crate::i18n::Tr;
use crate::{ApiError, AppState};

/// Lines a series chart draws at most.
const MAX_LINES: usize = 8;

#[derive(Template)]
#[template(path = "explorer/explorer.html")]
struct ExplorerPage {
    tr: Tr,
    nav: Nav,
    id: String,
    name: String,
    kpis: Vec<(&'static str, String)>,
    dimensions: Vec<&'static str>,
    grains: Vec<(&'static str, String)>,
    by: String,
    by2: String,
    grain: String,
    from: String,
    to: String,
    segment: String,
    /// The statistic and time basis apply to durations only.
    duration: bool,
    stats: Vec<(&'static str, String)>,
    stat: String,
    times: Vec<(&'static str, String)>,
    time: String,
    compare: bool,
    error: Option<String>,
    /// What the figures are (a duration's statistic and time basis).
    showing: Option<String>,
    /// The period compared with.
    compared: Option<String>,
    chart: String,
    /// The chart leaves groups out (the table has them all).
    more_groups: Option<String>,
    header: Vec<String>,
    /// Cells: text and class (a change's colour).
    rows: Vec<Vec<(String, &'static str)>>,
    definition: String,
    /// The indicator's stage, frequency, owner and standard in one line
    /// (empty for a KPI not on the indicator board).
    indicator: String,
    /// Why there is no figure (n = 0), one sentence a line.
    note: Vec<String>,
    settings: String,
    drill: String,
    drill_csv: String,
    csv: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ExplorerParams {
    #[serde(default)]
    by: String,
    /// A second dimension (the explorer crosses two).
    #[serde(default)]
    by2: String,
    #[serde(default)]
    grain: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default, rename = "where")]
    segment: String,
    /// mean, median or p90 (durations).
    #[serde(default)]
    stat: String,
    /// calendar or business (durations).
    #[serde(default)]
    time: String,
    /// `1` compares with the previous period of the same length.
    #[serde(default)]
    compare: String,
}

impl ExplorerParams {
    fn compare(&self) -> bool {
        matches!(self.compare.trim(), "1" | "on" | "true" | "yes")
    }

    /// The first and last day asked for, or the sentence saying which
    /// field is not a date.
    fn period(&self, tr: &Tr) -> Result<(Option<Date>, Option<Date>), ApiError> {
        let day =
            |field: &str, text: &str| date_field(tr, &tr.t(field), text).map_err(ApiError::Invalid);
        Ok((
            day("explorer-from", &self.from)?,
            day("explorer-to", &self.to)?,
        ))
    }

    /// The interactions behind the figures, as the API's CSV.
    fn drill_csv(&self, kpi: &str) -> String {
        format!(
            "/api/v1/interactions?format=csv&kpi={kpi}&where={}&from={}&to={}",
            encode(&self.segment),
            encode(&self.from),
            encode(&self.to)
        )
    }

    fn query(&self) -> String {
        format!(
            "by={}&by2={}&grain={}&from={}&to={}&where={}&stat={}&time={}{}",
            encode(&self.by),
            encode(&self.by2),
            encode(&self.grain),
            encode(&self.from),
            encode(&self.to),
            encode(&self.segment),
            encode(&self.stat),
            encode(&self.time),
            if self.compare() { "&compare=1" } else { "" }
        )
    }
}

/// The answer of an explorer query, narrowed to the user's scope.
async fn explore(
    state: &Arc<AppState>,
    user: &PageUser,
    kpi: &'static KpiDef,
    p: &ExplorerParams,
) -> Result<KpiAnswer, ApiError> {
    let tr = user.tr;
    let (from, to) = p.period(&tr)?;
    // What the service would refuse in the CLI's words, said the page's way.
    if p.compare() && (from.is_none() || to.is_none()) {
        return Err(ApiError::Invalid(tr.t("explorer-compare-needs-dates")));
    }
    if p.compare() && nonempty(&p.grain).is_some() {
        return Err(ApiError::Invalid(tr.t("explorer-compare-no-grain")));
    }
    let req = metas_service::kpi::KpiRequest {
        kpi: kpi.id.to_string(),
        by: nonempty(&p.by)
            .into_iter()
            .chain(nonempty(&p.by2))
            .collect(),
        grain: nonempty(&p.grain),
        from,
        to,
        segment: nonempty(&p.segment),
        stat: nonempty(&p.stat),
        time: nonempty(&p.time),
        compare: p.compare(),
    };
    let u = user.user().clone();
    let mut answers = state
        .with_store(move |store| {
            let mut parsed = req.parse()?;
            parsed.segment = auth::narrow(parsed.segment, &u);
            answer_many(store, std::slice::from_ref(&parsed))
        })
        .await?;
    Ok(answers.remove(0))
}

/// The KPI explorer: any KPI by any dimension and grain, chart and table
/// with intervals, the definition, and the interactions behind it.
pub async fn explorer(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
    Query(p): Query<ExplorerParams>,
) -> Result<Response, ApiError> {
    let kpi = find_kpi(&id)?;
    let tr = user.tr;
    let query = p.query();
    let mut page = ExplorerPage {
        tr,
        nav: user.nav(),
        id: kpi.id.to_string(),
        name: tr.kpi_name(kpi.id),
        kpis: kpi_choices(&tr),
        // A time objective's stage and policy cut only its attainment; a
        // QA criterion only the criterion rating.
        dimensions: metas_domain::segment::Dimension::ALL
            .iter()
            .filter(|d| match d {
                metas_domain::segment::Dimension::Stage
                | metas_domain::segment::Dimension::Policy => kpi.id == "sla_attainment",
                metas_domain::segment::Dimension::Criterion => kpi.id == "qa_criterion_rating",
                _ => true,
            })
            .map(|d| d.as_str())
            .collect(),
        grains: ["day", "week", "month", "quarter", "year", "fiscal_year"]
            .iter()
            .map(|g| (*g, tr.t(&format!("grain-{}", g.replace('_', "-")))))
            .collect(),
        by: p.by.clone(),
        by2: p.by2.clone(),
        grain: p.grain.clone(),
        from: p.from.clone(),
        to: p.to.clone(),
        segment: p.segment.clone(),
        duration: kpi.is_duration(),
        stats: vec![
            ("mean", tr.t("explorer-stat-mean")),
            ("median", tr.t("explorer-stat-median")),
            ("p90", tr.t("explorer-stat-p90")),
        ],
        stat: nonempty(&p.stat).unwrap_or_else(|| "mean".into()),
        times: vec![
            ("calendar", tr.t("explorer-time-calendar")),
            ("business", tr.t("explorer-time-business")),
        ],
        time: nonempty(&p.time).unwrap_or_else(|| "calendar".into()),
        compare: p.compare(),
        error: None,
        showing: None,
        compared: None,
        chart: String::new(),
        more_groups: None,
        header: vec![],
        rows: vec![],
        // Said once the answer says which settings produced the figures.
        definition: String::new(),
        indicator: String::new(),
        note: vec![],
        settings: String::new(),
        drill: format!("/kpi/{}/interactions?{query}", kpi.id),
        drill_csv: p.drill_csv(kpi.id),
        csv: format!("/kpi/{}/csv?{query}", kpi.id),
    };
    let answer = match explore(&state, &user, kpi, &p).await {
        Ok(a) => a,
        Err(ApiError::Invalid(m)) => {
            page.error = Some(m);
            return render_with(StatusCode::BAD_REQUEST, &page);
        }
        Err(e) => return Err(e),
    };
    page.definition = tr.kpi_definition(&answer.definition);
    if metas_domain::indicator::on_board(kpi.id) {
        let (id, today) = (kpi.id, (state.settings.today)());
        let indicator = state
            .with_store(move |store| metas_service::indicators::definition(store, id, today))
            .await?;
        page.indicator = super::indicators::summary(&tr, &indicator);
    }
    page.note = answer
        .note
        .iter()
        .flat_map(|n| n.messages.iter().map(|id| tr.t(id)))
        .collect();
    let today = (state.settings.today)();
    if kpi.is_duration() {
        let stat = match answer.stat {
            Stat::Mean => tr.t("explorer-stat-mean"),
            Stat::Median => tr.t("explorer-stat-median"),
            Stat::P90 => tr.t("explorer-stat-p90"),
        };
        let time = match answer.time {
            TimeBasis::Calendar => tr.t("explorer-time-calendar"),
            TimeBasis::Business => tr.t("explorer-time-business"),
        };
        page.showing = Some(tr.t2("explorer-showing", "stat", stat, "time", time));
    }
    page.compared = answer
        .previous_period
        .map(|(f, t)| tr.t2("explorer-compared", "from", tr.date(f), "to", tr.date(t)));
    let mut rows: Vec<&AnswerRow> = answer.rows.iter().collect();
    if answer.grain.is_none() {
        // Categories read best sorted by value, the largest first.
        rows.sort_by(|a, b| {
            let key = |r: &AnswerRow| r.figure.value.unwrap_or(f64::NEG_INFINITY);
            key(b).total_cmp(&key(a))
        });
    }
    let has_period = rows.iter().any(|r| r.period.is_some());
    page.header = answer.by.clone();
    if has_period {
        page.header.push(tr.t("explorer-period"));
    }
    page.header.extend([
        tr.t("explorer-value"),
        tr.t("explorer-n"),
        tr.t("explorer-interval"),
    ]);
    if answer.previous_period.is_some() {
        page.header
            .extend([tr.t("explorer-previous"), tr.t("explorer-change")]);
    }
    let name = page.name.clone();
    let group_label = |r: &AnswerRow| -> String {
        if r.dims.is_empty() {
            name.clone()
        } else {
            r.dims
                .iter()
                .map(|(_, v)| v.as_text().unwrap_or_else(|| tr.t("explorer-none")))
                .collect::<Vec<_>>()
                .join(" · ")
        }
    };
    let mut bars = Vec::new();
    // (group, its rows' points, its sample over every bucket)
    let mut groups: Vec<(String, Vec<Point>, u64)> = Vec::new();
    for r in &rows {
        let mut cells: Vec<(String, &'static str)> = r
            .dims
            .iter()
            .map(|(_, v)| (v.as_text().unwrap_or_else(|| tr.t("explorer-none")), ""))
            .collect();
        let f = r.figure;
        let coverage = answer.coverage(r, today);
        let partial = coverage.filter(|c| c.partial).map(|c| {
            if c.first > c.start {
                tr.t1("chart-partial-from", "date", tr.date(c.first))
            } else {
                tr.t1("chart-partial-to", "date", tr.date(c.last))
            }
        });
        if has_period {
            let label = match (answer.grain, r.period_start()) {
                (Some(g), Some(start)) => tr.period(g, start),
                _ => r.period.clone().unwrap_or_default(),
            };
            cells.push((
                match &partial {
                    Some(note) => format!("{label} ({note})"),
                    None => label,
                },
                if partial.is_some() { "partial" } else { "" },
            ));
        }
        cells.push((show(&tr, kpi.unit, f.value), ""));
        cells.push((tr.count(f.n), ""));
        cells.push((
            interval(&tr, kpi.unit, f.ci_low, f.ci_high).unwrap_or_default(),
            "",
        ));
        if let Some(prev) = r.previous {
            cells.push((show(&tr, kpi.unit, prev.value), ""));
            cells.push(match change(&tr, kpi, f.value, prev.value) {
                Some(c) => (
                    match c.word {
                        Some(w) => format!("{} ({w})", c.text),
                        None => c.text,
                    },
                    c.class,
                ),
                None => (String::new(), ""),
            });
        }
        page.rows.push(cells);
        let label = group_label(r);
        match (answer.grain, r.period_start(), f.value) {
            (Some(g), Some(start), Some(value)) => {
                let point = Point {
                    date: start,
                    period: tr.period(g, start),
                    value,
                    low: f.ci_low,
                    high: f.ci_high,
                    n: f.n,
                    partial,
                };
                match groups.iter_mut().find(|(l, _, _)| *l == label) {
                    Some((_, points, n)) => {
                        points.push(point);
                        *n += f.n;
                    }
                    None => groups.push((label, vec![point], f.n)),
                }
            }
            (Some(_), _, _) => {}
            (None, _, _) => bars.push(Bar {
                label,
                value: f.value,
                low: f.ci_low,
                high: f.ci_high,
                n: f.n,
                previous: r.previous.and_then(|p| p.value),
            }),
        }
    }
    page.chart = match answer.grain {
        Some(grain) => {
            // The groups with the most data get a line; beyond a few, lines
            // tangle, and the table has every group.
            groups.sort_by_key(|g| std::cmp::Reverse(g.2));
            let total = groups.len();
            if total > MAX_LINES {
                page.more_groups = Some(tr.t2(
                    "chart-more-groups",
                    "shown",
                    MAX_LINES,
                    "total",
                    tr.count(total as u64),
                ));
            }
            let series: Vec<Series> = groups
                .into_iter()
                .take(MAX_LINES)
                .map(|(label, mut points, _)| {
                    points.sort_by_key(|p| p.date);
                    Series { label, points }
                })
                .collect();
            let grain_name = page
                .grains
                .iter()
                .find(|(g, _)| g.replace('_', "-") == page.grain.trim().replace('_', "-"))
                .map(|(_, name)| name.clone())
                .unwrap_or_default();
            line_chart(
                &tr,
                "chart",
                kpi.unit,
                grain,
                &tr.t2("chart-series-title", "kpi", &page.name, "grain", grain_name),
                &series,
            )
        }
        None => bar_chart(
            &tr,
            "chart",
            kpi.unit,
            &tr.t1("chart-bars-title", "kpi", &page.name),
            &bars,
            answer
                .previous_period
                .map(|(f, t)| {
                    tr.t2(
                        "chart-previous-period",
                        "from",
                        tr.date(f),
                        "to",
                        tr.date(t),
                    )
                })
                .as_deref(),
        ),
    };
    page.settings = answer
        .settings
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    render(&page)
}

/// The explorer's table as CSV (values as machines read them).
pub async fn explorer_csv(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
    Query(p): Query<ExplorerParams>,
) -> Result<Response, ApiError> {
    let kpi = find_kpi(&id)?;
    let a = explore(&state, &user, kpi, &p).await?;
    csv_response(&a.csv_records(), &format!("{}.csv", kpi.id))
}

#[derive(Template)]
#[template(path = "explorer/interactions.html")]
struct DrillPage {
    tr: Tr,
    nav: Nav,
    summary: String,
    back: String,
    csv: String,
    columns: Vec<String>,
    /// Each row with its review form, for users who may score interactions.
    rows: Vec<(Option<String>, Vec<String>)>,
    can_review: bool,
    truncated: bool,
    shown: String,
}

/// Rows the drill-down page shows (the CSV has them all).
const DRILL_ROWS: u64 = 200;

/// The interactions in a KPI's sample, newest first, within the user's
/// scope: the first rows on the page, all of them as CSV.
pub async fn drill(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Path(id): Path<String>,
    Query(p): Query<ExplorerParams>,
) -> Result<Response, ApiError> {
    let kpi = find_kpi(&id)?;
    let tr = user.tr;
    let (from, to) = p.period(&tr)?;
    let req = metas_service::drill::DrillRequest {
        kpi: Some(kpi.id.to_string()),
        segment: nonempty(&p.segment),
        from,
        to,
        limit: Some(DRILL_ROWS + 1),
        within: user.user().data_scope(),
    };
    let mut rows = state
        .with_store(move |store| {
            let mut rows: Vec<Vec<String>> = Vec::new();
            metas_service::drill::drill(store, &req, |cells| {
                rows.push(
                    cells
                        .iter()
                        .map(|v| v.as_text().unwrap_or_default())
                        .collect(),
                );
                Ok(())
            })?;
            Ok(rows)
        })
        .await?;
    let truncated = rows.len() as u64 > DRILL_ROWS;
    rows.truncate(DRILL_ROWS as usize);
    let columns = metas_service::drill::columns();
    let at = |name: &str| columns.iter().position(|c| c == name);
    let may_review = user.user().role != metas_service::users::Role::Agent;
    let keys = at("source").zip(at("external_id")).filter(|_| may_review);
    let rows: Vec<(Option<String>, Vec<String>)> = rows
        .into_iter()
        .map(|r| {
            let link = keys.map(|(s, e)| {
                format!(
                    "/quality/review?source={}&external_id={}",
                    super::encode(r.get(s).map(String::as_str).unwrap_or("")),
                    super::encode(r.get(e).map(String::as_str).unwrap_or(""))
                )
            });
            (link, r)
        })
        .collect();
    render(&DrillPage {
        can_review: keys.is_some(),
        tr,
        nav: user.nav(),
        summary: tr.t2(
            "drill-summary",
            "kpi",
            tr.kpi_name(kpi.id),
            "n",
            tr.count(rows.len() as u64),
        ),
        back: format!("/kpi/{}?{}", kpi.id, p.query()),
        csv: p.drill_csv(kpi.id),
        columns,
        rows,
        truncated,
        shown: tr.count(DRILL_ROWS),
    })
}
