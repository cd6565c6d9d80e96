//! The KPI explorer, its CSV and the drill-down to the interactions.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use metas_domain::kpi::KpiDef;
use metas_service::kpi::{answer_many, find_kpi, KpiAnswer};
use serde::Deserialize;

use super::*;
use crate::auth::{self, Nav, PageUser};
use crate::charts::*;
use crate::i18n::Tr;
use crate::{ApiError, AppState};

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
    error: Option<String>,
    chart: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    definition: String,
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
}

impl ExplorerParams {
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
            "by={}&by2={}&grain={}&from={}&to={}&where={}",
            encode(&self.by),
            encode(&self.by2),
            encode(&self.grain),
            encode(&self.from),
            encode(&self.to),
            encode(&self.segment)
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
        ..Default::default()
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
        dimensions: metas_domain::segment::Dimension::ALL
            .iter()
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
        error: None,
        chart: String::new(),
        header: vec![],
        rows: vec![],
        // Said once the answer says which settings produced the figures.
        definition: String::new(),
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
    page.note = answer
        .note
        .iter()
        .flat_map(|n| n.messages.iter().map(|id| tr.t(id)))
        .collect();
    page.header = answer.by.clone();
    if answer.rows.iter().any(|r| r.period.is_some()) {
        page.header.push(tr.t("explorer-period"));
    }
    page.header.extend([
        tr.t("explorer-value"),
        tr.t("explorer-n"),
        tr.t("explorer-interval"),
    ]);
    let mut labels = Vec::new();
    let mut values = Vec::new();
    for r in &answer.rows {
        let mut cells: Vec<String> = r
            .dims
            .iter()
            .map(|(_, v)| v.as_text().unwrap_or_else(|| tr.t("explorer-none")))
            .collect();
        if let Some(p) = &r.period {
            cells.push(p.clone());
        }
        labels.push(if cells.is_empty() {
            page.name.clone()
        } else {
            cells.join(" · ")
        });
        let f = r.figure;
        values.push(f.value.map(|v| (v, f.ci_low, f.ci_high)));
        cells.push(show(&tr, kpi.unit, f.value));
        cells.push(tr.count(f.n));
        cells.push(interval(&tr, kpi.unit, f.ci_low, f.ci_high).unwrap_or_default());
        page.rows.push(cells);
    }
    page.chart = bar_chart(&tr, &labels, &values, kpi.unit);
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
    rows: Vec<Vec<String>>,
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
    render(&DrillPage {
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
        columns: metas_service::drill::columns(),
        rows,
        truncated,
        shown: tr.count(DRILL_ROWS),
    })
}
