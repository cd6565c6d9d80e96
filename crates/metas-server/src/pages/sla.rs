//! The Time objectives page (`/sla`): attainment by stage and by month, the
//! stages breached and those at risk now, all within the user's scope; the
//! policies in force for everyone who may see the page, and their editor for
//! those the access rule lets manage time objectives. The forms call the same
//! service functions as `metas sla policy set|delete`.
//!
//! The page is a list of sections, each a struct here and a template in
//! `templates/sla/` that `sla/sla.html` includes: another section (the
//! staffing calculator, `pages/staffing.rs`) is a field, a template and an
//! entry in `sections`.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use jiff::Timestamp;
use metas_domain::kpi::Unit;
use metas_domain::sla::{Policy, Stage};
use metas_service::access::{self, Action, Scope};
use metas_service::kpi::{answer, AnswerRow, KpiAnswer, KpiRequest};
use metas_store::{PolicyRow, StageFilter, StageRow};
use serde::Deserialize;

use super::staffing::{StaffingParams, StaffingSection};
use super::*;
use crate::auth::{self, Nav, PageUser};
use crate::charts::*;
use crate::i18n::Tr;
use crate::{ApiError, AppState};

/// Rows each list shows (the CSV has them all).
const SHOWN_ROWS: usize = 50;
/// Lines the monthly chart draws at most (the table has every stage).
const MAX_LINES: usize = 8;
/// What the editor starts from when no policy exists yet.
const EXAMPLE_NAME: &str = "Chat";
const EXAMPLE_POLICY: &str = "order = 1
where = \"channel = 'chat'\"
warning = \"80%\"

[targets]
acknowledge = \"60s\"
resolution = \"8h\"
";

/// The page's filters, as the URL carries them.
#[derive(Deserialize, Default, Clone)]
pub struct SlaParams {
    #[serde(default, rename = "where")]
    segment: String,
    /// The first and last day of creation of the interactions counted in
    /// the attainment figures.
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    /// The moment breaches and stages at risk are read at (default now).
    #[serde(default)]
    as_of: String,
    /// The staffing section's question.
    #[serde(flatten)]
    staffing: StaffingParams,
}

impl SlaParams {
    /// The explorer's question behind a figure of this page.
    fn explorer(&self, extra: &str) -> String {
        format!(
            "/kpi/sla_attainment?by=stage&where={}&from={}&to={}{extra}",
            encode(&self.segment),
            encode(&self.from),
            encode(&self.to)
        )
    }

    /// The breaches as CSV: the API's, every row within the user's scope.
    fn breaches_csv(&self, as_of: Timestamp) -> String {
        format!(
            "/api/v1/sla/breaches?format=csv&limit={}&where={}&as_of={}",
            crate::api::v1::sla::MAX_LIMIT,
            encode(&self.segment),
            encode(&as_of.to_string())
        )
    }
}

/// A section of the page, for the list at its top.
pub(crate) struct Section {
    pub id: &'static str,
    pub title: String,
}

/// One stage's attainment.
pub(crate) struct StageFigure {
    pub stage: String,
    pub value: String,
    pub n: String,
    pub interval: String,
}

/// Attainment by stage and by month.
pub(crate) struct Attainment {
    /// Sorted by value, the highest first (as the bars).
    pub stages: Vec<StageFigure>,
    pub bars: String,
    pub lines: String,
    pub more_lines: Option<String>,
    /// (stage, month, value, n, interval, class: `partial` or empty)
    pub monthly: Vec<(String, String, String, String, String, &'static str)>,
    /// Why there is no figure, a sentence a line.
    pub note: Vec<String>,
    pub definition: String,
    pub explorer: String,
    pub explorer_months: String,
}

/// A breached stage or one at risk, as a row of its list.
pub(crate) struct StageItem {
    pub external_id: String,
    pub channel: String,
    pub agent: String,
    pub policy: String,
    pub stage: String,
    pub started: String,
    /// Breaches: the time taken (or "still open"); at risk: empty.
    pub took: String,
    pub target: String,
    pub due: String,
    pub left: String,
    /// The drill-down of the interactions holding this stage, created on
    /// its day (for the stages whose clock starts at creation).
    pub drill: Option<String>,
}

/// Breaches and stages at risk at one moment.
pub(crate) struct StageLists {
    pub as_of: String,
    pub breaches: Vec<StageItem>,
    pub breaches_more: bool,
    pub at_risk: Vec<StageItem>,
    pub at_risk_more: bool,
    pub csv: String,
}

/// A policy in force, with its form.
pub(crate) struct PolicyItem {
    pub name: String,
    pub version: i64,
    pub order: i64,
    pub conditions: String,
    pub calendar: String,
    pub targets: Vec<String>,
    /// Pausing statuses and the warning share, in words.
    pub details: Vec<String>,
    pub versions: Vec<String>,
    /// The form's text: the policy as TOML, or what the user sent.
    pub toml: String,
    pub error: Option<String>,
}

/// The policies and, for those who may, the editor.
pub(crate) struct Policies {
    pub items: Vec<PolicyItem>,
    pub can_edit: bool,
    pub new_name: String,
    pub new_toml: String,
    pub new_error: Option<String>,
}

#[derive(Template)]
#[template(path = "sla/sla.html")]
struct SlaPage {
    tr: Tr,
    nav: Nav,
    sections: Vec<Section>,
    segment: String,
    from: String,
    to: String,
    as_of: String,
    error: Option<String>,
    message: Option<String>,
    has_policies: bool,
    attainment: Option<Attainment>,
    lists: Option<StageLists>,
    policies: Policies,
    staffing: StaffingSection,
    /// (name, what starts and stops its clock)
    stage_words: Vec<(String, String)>,
    /// (name, meaning)
    state_words: Vec<(String, String)>,
}

/// A stage's name in the user's language (the key itself if unknown).
pub(crate) fn stage_name(tr: &Tr, key: &str) -> String {
    match Stage::parse(key) {
        Ok(s) => tr.t(&format!("sla-stage-{}", s.as_str().replace('_', "-"))),
        Err(_) => key.to_string(),
    }
}

/// The states a judged stage can be in, as the domain names them.
const STATES: [&str; 6] = [
    "met",
    "breached",
    "pending",
    "paused",
    "not_applicable",
    "not_measurable",
];

/// An instant as the page writes it: the locale's date and the UTC time.
fn instant(tr: &Tr, t: Timestamp) -> String {
    let z = t.to_zoned(jiff::tz::TimeZone::UTC);
    format!("{} {}", tr.date(z.date()), z.strftime("%H:%M"))
}

fn opt_instant(tr: &Tr, t: Option<Timestamp>) -> String {
    t.map(|t| instant(tr, t)).unwrap_or_default()
}

/// `name = 'value'`, quoted for the segment parser.
fn equals(field: &str, value: &str) -> String {
    format!("{field} = '{}'", value.replace('\'', "''"))
}

/// The stages whose clock starts when the interaction is created: their
/// start day is the interaction's, so the drill-down of that day holds it.
fn starts_at_creation(stage: &str) -> bool {
    !matches!(
        Stage::parse(stage),
        Ok(Stage::NextResponse | Stage::Confirmation) | Err(_)
    )
}

fn stage_item(tr: &Tr, r: &StageRow, as_of: Timestamp, breach: bool) -> StageItem {
    let secs = |s: f64| tr.value(Unit::Seconds, s);
    let took = if !breach {
        String::new()
    } else {
        match (r.stopped_at, r.elapsed_secs) {
            (Some(stop), Some(e)) if stop <= as_of => secs(e),
            _ => tr.t("sla-still-open"),
        }
    };
    let left = match (breach, r.due_at) {
        (false, Some(due)) => secs(due.duration_since(as_of).as_secs_f64().max(0.0)),
        _ => String::new(),
    };
    let drill = r
        .started_at
        .filter(|_| starts_at_creation(&r.stage))
        .map(|start| {
            let day = start.to_zoned(jiff::tz::TimeZone::UTC).date().to_string();
            let mut test = vec![equals("stage", &r.stage), equals("policy", &r.policy)];
            if let Some(a) = &r.agent {
                test.push(equals("agent", a));
            }
            format!(
                "/kpi/sla_attainment/interactions?where={}&from={day}&to={day}",
                encode(&test.join(" and "))
            )
        });
    StageItem {
        external_id: r.external_id.clone(),
        channel: r.channel.clone().unwrap_or_default(),
        agent: r.agent.clone().unwrap_or_default(),
        policy: tr.t2(
            "sla-policy-version",
            "name",
            &r.policy,
            "version",
            r.policy_version,
        ),
        stage: stage_name(tr, &r.stage),
        started: opt_instant(tr, r.started_at),
        took,
        target: secs(r.target_secs),
        due: opt_instant(tr, r.due_at),
        left,
        drill,
    }
}

/// The figures of the two attainment questions (by stage; by stage and
/// month) as the section shows them.
fn attainment(
    tr: &Tr,
    p: &SlaParams,
    by_stage: &KpiAnswer,
    by_month: &KpiAnswer,
    today: Date,
) -> Attainment {
    let unit = by_stage.kpi.unit;
    let stage_of = |r: &AnswerRow| {
        r.dims
            .first()
            .and_then(|(_, v)| v.as_text())
            .map(|k| stage_name(tr, &k))
            .unwrap_or_else(|| tr.t("explorer-none"))
    };
    let mut rows: Vec<&AnswerRow> = by_stage.rows.iter().collect();
    rows.sort_by(|a, b| {
        let key = |r: &AnswerRow| r.figure.value.unwrap_or(f64::NEG_INFINITY);
        key(b).total_cmp(&key(a))
    });
    let stages = rows
        .iter()
        .map(|r| StageFigure {
            stage: stage_of(r),
            value: show(tr, unit, r.figure.value),
            n: tr.count(r.figure.n),
            interval: interval(tr, unit, r.figure.ci_low, r.figure.ci_high).unwrap_or_default(),
        })
        .collect();
    let bars: Vec<Bar> = rows
        .iter()
        .map(|r| Bar {
            label: stage_of(r),
            value: r.figure.value,
            low: r.figure.ci_low,
            high: r.figure.ci_high,
            n: r.figure.n,
            previous: None,
        })
        .collect();
    let bars = bar_chart(
        tr,
        "chart-stages",
        unit,
        &tr.t("sla-chart-stages-title"),
        &bars,
        None,
    );

    // (stage, its points, its sample over every month)
    let mut groups: Vec<(String, Vec<Point>, u64)> = Vec::new();
    let mut monthly = Vec::new();
    let mut month_rows: Vec<&AnswerRow> = by_month.rows.iter().collect();
    month_rows.sort_by_key(|r| (stage_of(r), r.period_start()));
    for r in month_rows {
        let (Some(grain), Some(start)) = (by_month.grain, r.period_start()) else {
            continue;
        };
        let partial = by_month.coverage(r, today).filter(|c| c.partial).map(|c| {
            if c.first > c.start {
                tr.t1("chart-partial-from", "date", tr.date(c.first))
            } else {
                tr.t1("chart-partial-to", "date", tr.date(c.last))
            }
        });
        let label = stage_of(r);
        let f = r.figure;
        let period = tr.period(grain, start);
        monthly.push((
            label.clone(),
            match &partial {
                Some(note) => format!("{period} ({note})"),
                None => period.clone(),
            },
            show(tr, unit, f.value),
            tr.count(f.n),
            interval(tr, unit, f.ci_low, f.ci_high).unwrap_or_default(),
            if partial.is_some() { "partial" } else { "" },
        ));
        let Some(value) = f.value else { continue };
        let point = Point {
            date: start,
            period,
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
    groups.sort_by_key(|g| std::cmp::Reverse(g.2));
    let more_lines = (groups.len() > MAX_LINES).then(|| {
        tr.t2(
            "chart-more-groups",
            "shown",
            MAX_LINES,
            "total",
            tr.count(groups.len() as u64),
        )
    });
    let series: Vec<Series> = groups
        .into_iter()
        .take(MAX_LINES)
        .map(|(label, mut points, _)| {
            points.sort_by_key(|p| p.date);
            Series { label, points }
        })
        .collect();
    let lines = match by_month.grain {
        Some(grain) => line_chart(
            tr,
            "chart-months",
            unit,
            grain,
            &tr.t("sla-chart-months-title"),
            &series,
        ),
        None => String::new(),
    };
    Attainment {
        stages,
        bars,
        lines,
        more_lines,
        monthly,
        note: by_stage
            .note
            .iter()
            .flat_map(|n| n.messages.iter().map(|id| tr.t(id)))
            .collect(),
        definition: tr.kpi_definition(&by_stage.definition),
        explorer: p.explorer(""),
        explorer_months: p.explorer("&grain=month"),
    }
}

/// A policy in force as the page lists it; `versions` oldest first.
fn policy_item(tr: &Tr, row: &PolicyRow, versions: &[PolicyRow]) -> PolicyItem {
    let checked = Policy::from_spec(&row.name, &row.spec).ok();
    let targets = match &checked {
        Some(p) => p
            .targets()
            .iter()
            .map(|(s, t)| format!("{} {t}", stage_name(tr, s.as_str())))
            .collect(),
        None => row
            .spec
            .targets
            .iter()
            .map(|(s, t)| format!("{} {t}", stage_name(tr, s)))
            .collect(),
    };
    let mut details = Vec::new();
    if let Some(p) = &checked {
        if !p.pause_on().is_empty() {
            let statuses = p
                .pause_on()
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            details.push(tr.t1("sla-pause-on", "statuses", statuses));
        }
        details.push(tr.t1(
            "sla-warning",
            "share",
            format!("{} %", whole_percent(tr, p.warning())),
        ));
    }
    let versions = versions
        .iter()
        .rev()
        .map(|v| {
            let line = tr.args(
                "sla-version-line",
                &[
                    ("version", v.version.to_string()),
                    ("when", instant(tr, v.saved_at)),
                    ("who", v.saved_by.clone()),
                ],
            );
            let state = match v.retired_at {
                Some(t) => tr.t1("sla-version-retired", "when", instant(tr, t)),
                None => tr.t("sla-version-in-force"),
            };
            format!("{line} ({state})")
        })
        .collect();
    PolicyItem {
        name: row.name.clone(),
        version: row.version,
        order: row.position,
        conditions: row
            .spec
            .conditions
            .clone()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| tr.t("sla-every-interaction")),
        calendar: row
            .spec
            .calendar
            .clone()
            .filter(|c| !c.trim().is_empty())
            .unwrap_or_else(|| tr.t("sla-calendar-time")),
        targets,
        details,
        versions,
        toml: metas_service::sla::policy_text(&row.spec),
        error: None,
    }
}

/// What a form left to say: a confirmation, or a policy's text sent back
/// with the sentence saying what is wrong with it.
#[derive(Default)]
struct Outcome {
    message: Option<String>,
    /// (name, text as sent, sentence)
    refused: Option<(String, String, String)>,
}

/// Everything the page reads: the policies always, the figures and lists
/// when there are policies and the filters are good.
struct Data {
    policies: Vec<(PolicyRow, Vec<PolicyRow>)>,
    answers: Option<(KpiAnswer, KpiAnswer)>,
    breaches: Vec<StageRow>,
    at_risk: Vec<StageRow>,
}

async fn sla_page(
    state: &Arc<AppState>,
    user: &PageUser,
    p: SlaParams,
    outcome: Outcome,
) -> Result<Response, ApiError> {
    let tr = user.tr;
    let u = user.user().clone();
    let can_edit = access::may(&u, Action::ManageTimeObjectives, &Scope::Organisation);
    let today = (state.settings.today)();
    let now = (state.settings.now)();

    // The filters, each read once; a bad one is said on the page, which
    // still lists the policies.
    let mut error = None;
    let filters = (|| -> Result<_, ApiError> {
        let from = date_field(&tr, &tr.t("explorer-from"), &p.from).map_err(ApiError::Invalid)?;
        let to = date_field(&tr, &tr.t("explorer-to"), &p.to).map_err(ApiError::Invalid)?;
        let as_of = metas_service::sla::parse_as_of(Some(&p.as_of), now)?;
        let segment = metas_service::kpi::parse_segment(Some(&p.segment))?;
        Ok((from, to, as_of, auth::narrow(segment, &u)))
    })();
    let filters = match filters {
        Ok(f) => Some(f),
        Err(ApiError::Invalid(m)) => {
            error = Some(m);
            None
        }
        Err(e) => return Err(e),
    };
    let as_of = filters.as_ref().map_or(now, |f| f.2);

    let policies = state
        .with_store(|store| {
            let mut out = Vec::new();
            for row in metas_service::sla::policies(store)? {
                let versions = metas_service::sla::policy_history(store, &row.name)?;
                out.push((row, versions));
            }
            Ok(out)
        })
        .await?;
    let mut data = Data {
        policies,
        answers: None,
        breaches: vec![],
        at_risk: vec![],
    };
    if let Some((from, to, as_of, scope)) = filters.filter(|_| !data.policies.is_empty()) {
        let read = state
            .with_store(move |store| {
                let question = |grain: Option<&str>| {
                    let mut parsed = KpiRequest {
                        kpi: "sla_attainment".into(),
                        by: vec!["stage".into()],
                        grain: grain.map(str::to_string),
                        from,
                        to,
                        segment: None,
                        stat: None,
                        time: None,
                        compare: false,
                    }
                    .parse()?;
                    parsed.segment = scope.clone();
                    Ok::<_, metas_service::ServiceError>(parsed)
                };
                // (One grain per question: the service answers them apart.)
                let by_stage = answer(store, &question(None)?)?;
                let by_month = answer(store, &question(Some("month"))?)?;
                let list = |wanted| {
                    metas_service::sla::stages(store, wanted, as_of, scope.as_ref(), SHOWN_ROWS + 1)
                };
                Ok((
                    Some((by_stage, by_month)),
                    list(StageFilter::Breached)?,
                    list(StageFilter::AtRisk)?,
                ))
            })
            .await;
        match read {
            Ok((answers, breaches, at_risk)) => {
                data.answers = answers;
                data.breaches = breaches;
                data.at_risk = at_risk;
            }
            // A segment the store cannot answer (a customer attribute it
            // does not keep) is said like a parse error.
            Err(ApiError::Invalid(m)) => error = Some(m),
            Err(e) => return Err(e),
        }
    }

    let has_policies = !data.policies.is_empty();
    let attainment = data
        .answers
        .as_ref()
        .map(|(by_stage, by_month)| attainment(&tr, &p, by_stage, by_month, today));
    let lists = data.answers.as_ref().map(|_| {
        let items = |rows: &[StageRow], breach: bool| -> (Vec<StageItem>, bool) {
            (
                rows.iter()
                    .take(SHOWN_ROWS)
                    .map(|r| stage_item(&tr, r, as_of, breach))
                    .collect(),
                rows.len() > SHOWN_ROWS,
            )
        };
        let (breaches, breaches_more) = items(&data.breaches, true);
        let (at_risk, at_risk_more) = items(&data.at_risk, false);
        StageLists {
            as_of: tr.t1("sla-as-of-now", "instant", instant(&tr, as_of)),
            breaches,
            breaches_more,
            at_risk,
            at_risk_more,
            csv: p.breaches_csv(as_of),
        }
    });

    let (refused_name, refused) = match outcome.refused {
        Some((name, text, sentence)) => (Some(name), Some((text, sentence))),
        None => (None, None),
    };
    let mut items: Vec<PolicyItem> = data
        .policies
        .iter()
        .map(|(row, versions)| policy_item(&tr, row, versions))
        .collect();
    let mut policies = Policies {
        items: vec![],
        can_edit,
        new_name: if has_policies {
            String::new()
        } else {
            EXAMPLE_NAME.into()
        },
        new_toml: if has_policies {
            String::new()
        } else {
            EXAMPLE_POLICY.into()
        },
        new_error: None,
    };
    if let (Some(name), Some((text, sentence))) = (refused_name, refused) {
        let sentence = tr.t1("sla-policy-error", "detail", sentence);
        match items.iter_mut().find(|i| i.name == name) {
            Some(item) => {
                item.toml = text;
                item.error = Some(sentence);
            }
            None => {
                policies.new_name = name;
                policies.new_toml = text;
                policies.new_error = Some(sentence);
            }
        }
    }
    policies.items = items;

    let mut sections = Vec::new();
    if attainment.is_some() {
        sections.push(Section {
            id: "attainment",
            title: tr.t("sla-attainment"),
        });
        sections.push(Section {
            id: "over-time",
            title: tr.t("sla-over-time"),
        });
    }
    if lists.is_some() {
        sections.push(Section {
            id: "breaches",
            title: tr.t("sla-breaches"),
        });
        sections.push(Section {
            id: "at-risk",
            title: tr.t("sla-at-risk"),
        });
    }
    sections.push(Section {
        id: "staffing",
        title: tr.t("staffing-title"),
    });
    sections.push(Section {
        id: "policies",
        title: tr.t("sla-policies"),
    });
    sections.push(Section {
        id: "definitions",
        title: tr.t("sla-definitions"),
    });

    // The staffing question, with the page's filters kept beside it.
    let hidden = [
        ("where", &p.segment),
        ("from", &p.from),
        ("to", &p.to),
        ("as_of", &p.as_of),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k, v.clone()))
    .collect();
    let staffing = super::staffing::section(state, &u, &tr, p.staffing.clone(), hidden).await?;

    let form_refused = policies.new_error.is_some()
        || policies.items.iter().any(|i| i.error.is_some())
        || staffing.error.is_some();
    let status = if error.is_some() || form_refused {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = SlaPage {
        tr,
        nav: user.nav(),
        sections,
        segment: p.segment.clone(),
        from: p.from.clone(),
        to: p.to.clone(),
        as_of: p.as_of.clone(),
        error,
        message: outcome.message,
        has_policies,
        attainment,
        lists,
        policies,
        staffing,
        stage_words: Stage::ALL
            .iter()
            .map(|s| {
                let id = format!("sla-stage-{}", s.as_str().replace('_', "-"));
                (tr.t(&id), tr.t(&format!("{id}-desc")))
            })
            .collect(),
        state_words: STATES
            .iter()
            .map(|s| {
                let id = format!("sla-state-{}", s.replace('_', "-"));
                (tr.t(&id), tr.t(&format!("{id}-desc")))
            })
            .collect(),
    };
    render_with(status, &page)
}

/// The page, for the filters in the URL.
pub async fn page(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Query(p): Query<SlaParams>,
) -> Result<Response, ApiError> {
    sla_page(&state, &user, p, Outcome::default()).await
}

#[derive(Deserialize)]
pub struct PolicyForm {
    csrf: String,
    name: String,
    toml: String,
}

/// Saves a policy (a new version when the name exists) and judges every
/// interaction again; a refused text comes back in its form with the
/// service's sentence (line and field).
pub async fn save(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<PolicyForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    access::require(
        user.user(),
        Action::ManageTimeObjectives,
        &Scope::Organisation,
    )?;
    let name = f.name.trim().to_string();
    let text = f.toml.replace("\r\n", "\n");
    let who = user.user().login.clone();
    let now = (state.settings.now)();
    let (n, t) = (name.clone(), text.clone());
    let saved = state
        .with_store(move |store| {
            let label = format!("{}.toml", if n.is_empty() { "policy" } else { &n });
            let policy = metas_service::sla::parse_policy(&n, &t, &label)?;
            metas_service::sla::save_policy(store, &policy, &who, now)
        })
        .await;
    let tr = user.tr;
    let outcome = match saved {
        Ok((version, counts)) => Outcome {
            message: Some(tr.args(
                "sla-saved",
                &[
                    ("name", name),
                    ("version", version.to_string()),
                    ("stages", tr.count(counts.stages)),
                    ("interactions", tr.count(counts.interactions)),
                ],
            )),
            refused: None,
        },
        Err(ApiError::Invalid(m)) | Err(ApiError::Refused(m)) => Outcome {
            message: None,
            refused: Some((name, text, m)),
        },
        Err(e) => return Err(e),
    };
    sla_page(&state, &user, SlaParams::default(), outcome).await
}

#[derive(Deserialize)]
pub struct RetireForm {
    csrf: String,
    name: String,
}

/// Retires a policy: its stages leave the figures, its versions stay.
pub async fn delete(
    State(state): State<Arc<AppState>>,
    user: PageUser,
    Form(f): Form<RetireForm>,
) -> Result<Response, ApiError> {
    user.check_csrf(&f.csrf)?;
    access::require(
        user.user(),
        Action::ManageTimeObjectives,
        &Scope::Organisation,
    )?;
    let name = f.name.trim().to_string();
    let now = (state.settings.now)();
    let n = name.clone();
    let counts = state
        .with_store(move |store| metas_service::sla::delete_policy(store, &n, now))
        .await?;
    let tr = user.tr;
    let outcome = Outcome {
        message: Some(tr.args(
            "sla-deleted",
            &[
                ("name", name),
                ("stages", tr.count(counts.stages)),
                ("interactions", tr.count(counts.interactions)),
            ],
        )),
        refused: None,
    };
    sla_page(&state, &user, SlaParams::default(), outcome).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Every stage and state has a name and a meaning in every language
    /// (their ids are built at run time, so the catalogue scan cannot see
    /// them).
    #[test]
    fn every_stage_and_state_is_named_in_every_language() {
        for lang in Lang::ALL {
            let ids = metas_i18n::message_ids(lang);
            let names = Stage::ALL
                .iter()
                .map(|s| format!("sla-stage-{}", s.as_str().replace('_', "-")))
                .chain(
                    STATES
                        .iter()
                        .map(|s| format!("sla-state-{}", s.replace('_', "-"))),
                );
            for id in names {
                for id in [id.clone(), format!("{id}-desc")] {
                    assert!(ids.contains(&id), "{lang:?} lacks {id}");
                }
            }
        }
        // The states are the domain's.
        use metas_domain::sla::StageState::*;
        let domain =
            [Met, Breached, Pending, Paused, NotApplicable, NotMeasurable].map(|s| s.as_str());
        assert_eq!(domain, STATES);
        let fr = Tr::new(Lang::Fr);
        assert_eq!(stage_name(&fr, "first_response"), "Prise en compte");
        assert_eq!(stage_name(&fr, "no_such_stage"), "no_such_stage");
    }

    #[test]
    fn only_stages_starting_at_creation_link_to_that_days_interactions() {
        for (stage, linked) in [
            ("acknowledge", true),
            ("resolution", true),
            ("queue_wait", true),
            ("next_response", false),
            ("confirmation", false),
            ("unknown", false),
        ] {
            assert_eq!(starts_at_creation(stage), linked, "{stage}");
        }
    }
}
