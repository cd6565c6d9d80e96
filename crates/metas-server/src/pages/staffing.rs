//! The staffing section of the Time objectives page: a GET form with the
//! options of `metas staffing` (so the URL holds the question), answered by
//! the same service functions (`StaffingRequest::parse`, then `calculate`
//! or `observe`), the observed form narrowed to the user's data scope; the
//! answer as figures, notes, the curve drawn by `charts::curve_chart`, and
//! for a queue its week's half-hours as a table. `ask` is shared with
//! `GET /api/v1/staffing`. Definitions: docs/staffing.md.

use std::sync::Arc;

use metas_domain::kpi::Unit;
use metas_domain::staffing::week::{weekday_name, HalfHour, HIGH_ABANDONMENT};
use metas_domain::staffing::{Binding, CurvePoint};
use metas_service::staffing::{
    calculate, observe, CalculatorAnswer, ObservedAnswer, StaffingQuestion, StaffingRequest,
};
use metas_service::users::User;
use serde::{Deserialize, Serialize};

use super::*;
use crate::auth;
use crate::charts::{curve_chart, fixed, money};
use crate::i18n::Tr;
use crate::{ApiError, AppState};

/// A staffing answer, as the CLI's `--format json` prints it.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum StaffingAnswer {
    Calculator(CalculatorAnswer),
    Observed(ObservedAnswer),
}

/// Parses and answers a staffing question for `user`: the calculator needs
/// no data; the observed form reads only the user's own scope (an agent's
/// calls, a lead's team's), whatever `where` says.
pub(crate) async fn ask(
    state: &Arc<AppState>,
    user: &User,
    request: StaffingRequest,
) -> Result<StaffingAnswer, ApiError> {
    match request.parse()? {
        StaffingQuestion::Calculator(q) => Ok(StaffingAnswer::Calculator(calculate(&q)?)),
        StaffingQuestion::Observed(mut q) => {
            let queue = q.segment.clone();
            q.segment = auth::narrow(Some(queue.clone()), user).unwrap_or(queue);
            let answer = state.with_store(move |store| observe(store, &q)).await?;
            Ok(StaffingAnswer::Observed(answer))
        }
    }
}

/// The section's form, as the URL carries it. The observed form's queue and
/// period are `queue`, `queue_from` and `queue_to`, so as not to mix with
/// the page's own `where`, `from` and `to`.
#[derive(Deserialize, Default, Clone)]
pub struct StaffingParams {
    #[serde(default)]
    pub service_level: String,
    #[serde(default)]
    pub shrinkage: String,
    #[serde(default)]
    pub max_occupancy: String,
    #[serde(default)]
    pub cost_per_hour: String,
    #[serde(default)]
    pub arrivals: String,
    #[serde(default)]
    pub per: String,
    #[serde(default)]
    pub aht: String,
    #[serde(default)]
    pub agents: String,
    #[serde(default)]
    pub hours_per_week: String,
    #[serde(default)]
    pub queue: String,
    #[serde(default)]
    pub queue_from: String,
    #[serde(default)]
    pub queue_to: String,
    #[serde(default)]
    pub timezone: String,
}

fn given(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl StaffingParams {
    /// (the API's and the CLI's name, the value) of every option.
    fn options(&self) -> [(&'static str, &str); 13] {
        [
            ("service_level", &self.service_level),
            ("shrinkage", &self.shrinkage),
            ("max_occupancy", &self.max_occupancy),
            ("cost_per_hour", &self.cost_per_hour),
            ("arrivals", &self.arrivals),
            ("per", &self.per),
            ("aht", &self.aht),
            ("agents", &self.agents),
            ("hours_per_week", &self.hours_per_week),
            ("where", &self.queue),
            ("from", &self.queue_from),
            ("to", &self.queue_to),
            ("timezone", &self.timezone),
        ]
    }

    /// Whether a question was asked (any field filled).
    pub fn asked(&self) -> bool {
        self.options().iter().any(|(_, v)| !v.trim().is_empty())
    }

    /// The same question to `GET /api/v1/staffing`.
    fn api_url(&self) -> String {
        let query: Vec<String> = self
            .options()
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v.trim())))
            .collect();
        format!("/api/v1/staffing?{}", query.join("&"))
    }

    fn request(&self, tr: &Tr) -> Result<StaffingRequest, String> {
        Ok(StaffingRequest {
            service_level: given(&self.service_level),
            shrinkage: given(&self.shrinkage),
            max_occupancy: given(&self.max_occupancy),
            cost_per_hour: given(&self.cost_per_hour),
            arrivals: given(&self.arrivals),
            per: given(&self.per),
            aht: given(&self.aht),
            agents: given(&self.agents),
            hours_per_week: given(&self.hours_per_week),
            segment: given(&self.queue),
            from: date_field(tr, &tr.t("staffing-queue-from"), &self.queue_from)?,
            to: date_field(tr, &tr.t("staffing-queue-to"), &self.queue_to)?,
            timezone: given(&self.timezone),
        })
    }
}

/// A figure of the answer: its id (for tests and styles), what it is, its
/// value.
pub(crate) struct Figure {
    pub id: &'static str,
    pub label: String,
    pub value: String,
}

/// The staffing section.
pub(crate) struct StaffingSection {
    pub form: StaffingParams,
    /// The page's own filters, kept when the form is sent.
    pub hidden: Vec<(&'static str, String)>,
    /// The service's sentence for a bad option.
    pub error: Option<String>,
    /// "calculator" or "observed" once answered.
    pub form_answered: &'static str,
    pub figures: Vec<Figure>,
    pub notes: Vec<String>,
    pub chart: String,
    pub curve_header: Vec<String>,
    pub curve_rows: Vec<Vec<String>>,
    pub half_hour_header: Vec<String>,
    pub half_hours: Vec<Vec<String>>,
    pub target_header: Vec<String>,
    pub targets: Vec<Vec<String>>,
    pub api: String,
}

fn pct(tr: &Tr, share: f64) -> String {
    tr.value(Unit::Rate, share)
}

fn secs(tr: &Tr, v: f64) -> String {
    tr.value(Unit::Seconds, v)
}

/// A number with one decimal, the locale's way.
fn tenths(tr: &Tr, v: f64) -> String {
    fixed(tr, v, 1)
}

/// The objective's answer time: "20s" (a whole number as written, not
/// "20.0s"), else as a duration.
fn within(tr: &Tr, v: f64) -> String {
    if v.fract() == 0.0 && v < 60.0 {
        format!("{v:.0}s")
    } else {
        secs(tr, v)
    }
}

/// A half-hour of the week in the user's language: "Mon 08:30".
fn half_hour(tr: &Tr, h: HalfHour) -> String {
    let t = h.start();
    tr.t2(
        "staffing-half-hour",
        "day",
        weekday_name(h.weekday()),
        "time",
        format!("{:02}:{:02}", t.hour(), t.minute()),
    )
}

fn bound_by(tr: &Tr, b: Binding) -> String {
    tr.t(match b {
        Binding::ServiceLevel => "staffing-bound-service-level",
        Binding::Occupancy => "staffing-bound-occupancy",
    })
}

fn figure(id: &'static str, label: String, value: String) -> Figure {
    Figure { id, label, value }
}

/// The curve's figures as a table: a row per agent count, the chosen one
/// marked.
fn curve_table(tr: &Tr, points: &[CurvePoint], chosen: u32) -> (Vec<String>, Vec<Vec<String>>) {
    let costed = points.iter().any(|p| p.cost_per_hour.is_some());
    let mut header = vec![
        tr.t("staffing-agents-column"),
        tr.t("staffing-level"),
        tr.t("staffing-asa"),
        tr.t("staffing-occupancy"),
        tr.t("staffing-rota-column"),
    ];
    if costed {
        header.push(tr.t("staffing-cost-hour"));
    }
    header.push(String::new());
    let rows = points
        .iter()
        .map(|p| {
            let f = p.performance;
            let mut row = vec![
                f.agents.to_string(),
                pct(tr, f.service_level),
                secs(tr, f.asa_secs),
                pct(tr, f.occupancy),
                p.rota_agents.to_string(),
            ];
            if costed {
                row.push(p.cost_per_hour.map(|c| money(tr, c)).unwrap_or_default());
            }
            row.push(if f.agents == chosen {
                tr.t("staffing-chosen-mark")
            } else if !p.meets_service_level {
                tr.t("staffing-misses-mark")
            } else {
                String::new()
            });
            row
        })
        .collect();
    (header, rows)
}

fn calculator(tr: &Tr, s: &mut StaffingSection, a: &CalculatorAnswer) {
    s.form_answered = "calculator";
    let mut f = vec![
        figure(
            "staffing-traffic",
            tr.t("staffing-traffic"),
            tr.t1(
                "staffing-erlangs",
                "value",
                tr.num(&format!("{:.2}", a.traffic)),
            ),
        ),
        figure(
            "staffing-agents",
            tr.t("staffing-agents-needed"),
            a.agents_needed.to_string(),
        ),
        figure(
            "staffing-bound-by",
            tr.t("staffing-bound-by"),
            bound_by(tr, a.bound_by),
        ),
    ];
    if a.agents != a.agents_needed || !a.reachable {
        f.push(figure(
            "staffing-asked",
            tr.t("staffing-agents-asked"),
            a.agents.to_string(),
        ));
    }
    f.push(figure(
        "staffing-rota",
        tr.t1("staffing-rota", "shrinkage", pct(tr, a.terms.shrinkage)),
        a.rota_agents.to_string(),
    ));
    if let (Some(level), Some(asa), Some(wait)) = (a.service_level, a.asa_secs, a.wait_probability)
    {
        f.push(figure(
            "staffing-level",
            tr.t("staffing-predicted-level"),
            tr.t2(
                "staffing-level-within",
                "level",
                pct(tr, level),
                "within",
                within(tr, a.terms.answer_within_secs),
            ),
        ));
        f.push(figure("staffing-asa", tr.t("staffing-asa"), secs(tr, asa)));
        f.push(figure(
            "staffing-occupancy",
            tr.t("staffing-occupancy"),
            pct(tr, a.occupancy),
        ));
        f.push(figure(
            "staffing-wait",
            tr.t("staffing-wait"),
            pct(tr, wait),
        ));
    } else {
        f.push(figure(
            "staffing-level",
            tr.t("staffing-predicted-level"),
            tr.t("staffing-not-reachable-short"),
        ));
        s.notes.push(tr.args(
            "staffing-not-reachable",
            &[
                ("agents", a.agents.to_string()),
                ("traffic", tr.num(&format!("{:.2}", a.traffic))),
                ("steady", (a.traffic.floor() as u32 + 1).to_string()),
            ],
        ));
    }
    if let Some(c) = a.cost_per_hour {
        f.push(figure(
            "staffing-cost-hour",
            tr.t("staffing-cost-hour"),
            money(tr, c),
        ));
    }
    if let Some(c) = a.cost_per_week {
        f.push(figure(
            "staffing-cost-week",
            tr.t1(
                "staffing-cost-week",
                "hours",
                tr.num(&a.hours_per_week.to_string()),
            ),
            money(tr, c),
        ));
    }
    if a.reachable && !a.meets_service_level {
        s.notes.push(tr.args(
            "staffing-misses",
            &[
                ("agents", a.agents.to_string()),
                ("objective", a.terms.objective.clone()),
                ("needed", a.agents_needed.to_string()),
            ],
        ));
    }
    if a.bound_by == Binding::Occupancy {
        let level_alone = a
            .curve
            .iter()
            .find(|p| p.meets_service_level)
            .map_or(a.agents_needed, |p| p.performance.agents);
        s.notes.push(tr.t2(
            "staffing-occupancy-sets",
            "max",
            pct(tr, a.terms.max_occupancy),
            "level_agents",
            level_alone,
        ));
    }
    s.notes.push(tr.t("staffing-abandonment-caveat"));
    s.figures = f;
    s.chart = curve_chart(
        tr,
        "staffing-curve",
        &tr.t("staffing-curve-title"),
        &a.curve,
        a.terms.service_level_target,
        a.agents,
    );
    (s.curve_header, s.curve_rows) = curve_table(tr, &a.curve, a.agents);
}

fn observed(tr: &Tr, s: &mut StaffingSection, a: &ObservedAnswer) {
    s.form_answered = "observed";
    let p = &a.plan;
    let w = &p.week;
    let dash = || "—".to_string();
    let mut f = vec![
        figure("staffing-queue", tr.t("staffing-queue"), a.segment.clone()),
        figure(
            "staffing-period",
            tr.t("staffing-period"),
            tr.args(
                "staffing-period-value",
                &[
                    ("from", tr.date(a.from)),
                    ("to", tr.date(a.to)),
                    ("weeks", tenths(tr, a.weeks)),
                    ("zone", a.timezone.clone()),
                ],
            ),
        ),
        figure("staffing-calls", tr.t("staffing-calls"), tr.count(a.calls)),
        figure(
            "staffing-aht",
            tr.t("staffing-aht"),
            if a.aht_source == "given" {
                tr.t1("staffing-aht-given", "aht", secs(tr, p.aht_secs))
            } else {
                tr.t2(
                    "staffing-aht-observed",
                    "aht",
                    secs(tr, p.aht_secs),
                    "calls",
                    tr.count(a.handled),
                )
            },
        ),
        figure(
            "staffing-week-calls",
            tr.t("staffing-week-calls"),
            tenths(tr, w.arrivals),
        ),
        figure(
            "staffing-agents",
            tr.t("staffing-agents-most"),
            w.agents.to_string(),
        ),
        figure(
            "staffing-rota",
            tr.t1("staffing-rota", "shrinkage", pct(tr, a.terms.shrinkage)),
            w.rota_agents.to_string(),
        ),
        figure(
            "staffing-agent-hours",
            tr.t("staffing-agent-hours"),
            tr.t2(
                "staffing-agent-hours-value",
                "hours",
                tenths(tr, w.agent_hours),
                "rota",
                tenths(tr, w.rota_agent_hours),
            ),
        ),
        figure(
            "staffing-open-hours",
            tr.t("staffing-open-hours"),
            tenths(tr, w.open_hours),
        ),
        figure(
            "staffing-level",
            tr.t("staffing-predicted-level"),
            pct(tr, w.service_level),
        ),
        figure(
            "staffing-observed-level",
            tr.t("staffing-observed-level"),
            w.observed_service_level
                .map(|o| pct(tr, o))
                .unwrap_or_else(dash),
        ),
        figure("staffing-asa", tr.t("staffing-asa"), secs(tr, w.asa_secs)),
        figure(
            "staffing-occupancy",
            tr.t("staffing-occupancy"),
            pct(tr, w.occupancy),
        ),
        figure(
            "staffing-abandoned",
            tr.t("staffing-abandoned"),
            w.abandon_rate.map(|r| pct(tr, r)).unwrap_or_else(dash),
        ),
    ];
    if let (Some(c), Some(h)) = (w.cost, w.cost_per_open_hour) {
        f.push(figure(
            "staffing-cost-week",
            tr.t("staffing-cost-week-observed"),
            money(tr, c),
        ));
        f.push(figure(
            "staffing-cost-open-hour",
            tr.t("staffing-cost-open-hour"),
            money(tr, h),
        ));
    }
    s.figures = f;
    if let Some(rate) = w.abandon_rate.filter(|r| *r > HIGH_ABANDONMENT) {
        s.notes
            .push(tr.t1("staffing-abandonment-high", "rate", pct(tr, rate)));
    }
    s.half_hour_header = [
        "staffing-half-hour-column",
        "staffing-calls-column",
        "staffing-agents-column",
        "staffing-rota-column",
        "staffing-level",
        "staffing-observed-level",
        "staffing-asa",
        "staffing-occupancy",
        "staffing-cost-hour",
        "staffing-abandoned",
    ]
    .iter()
    .map(|id| tr.t(id))
    .collect();
    s.half_hours = p
        .half_hours
        .iter()
        .map(|r| {
            vec![
                half_hour(tr, r.half_hour),
                tenths(tr, r.arrivals),
                r.agents.to_string(),
                r.rota_agents.to_string(),
                pct(tr, r.service_level),
                r.observed_service_level
                    .map(|o| pct(tr, o))
                    .unwrap_or_else(dash),
                secs(tr, r.asa_secs),
                pct(tr, r.occupancy),
                r.cost_per_hour.map(|c| money(tr, c)).unwrap_or_else(dash),
                r.abandon_rate.map(|o| pct(tr, o)).unwrap_or_else(dash),
            ]
        })
        .collect();
    s.target_header = [
        "staffing-objective",
        "staffing-level",
        "staffing-agent-hours",
        "staffing-rota-hours",
        "staffing-cost-week-observed",
    ]
    .iter()
    .map(|id| tr.t(id))
    .collect();
    s.targets = p
        .targets
        .iter()
        .map(|t| {
            let objective = format!(
                "{}/{}",
                tr.num(&format!("{}", (t.target * 100.0 * 10.0).round() / 10.0)),
                a.terms.answer_within_secs
            );
            vec![
                if t.points == 0.0 {
                    tr.t1("staffing-objective-asked", "objective", objective)
                } else {
                    objective
                },
                pct(tr, t.service_level),
                tenths(tr, t.agent_hours),
                tenths(tr, t.rota_agent_hours),
                t.cost.map(|c| money(tr, c)).unwrap_or_else(dash),
            ]
        })
        .collect();
    if let Some(b) = &p.busiest {
        let needed = p
            .half_hours
            .iter()
            .find(|r| r.half_hour == b.half_hour)
            .map_or(0, |r| r.agents);
        s.chart = curve_chart(
            tr,
            "staffing-curve",
            &tr.t1(
                "staffing-curve-busiest-title",
                "half_hour",
                half_hour(tr, b.half_hour),
            ),
            &b.points,
            a.terms.service_level_target,
            needed,
        );
        (s.curve_header, s.curve_rows) = curve_table(tr, &b.points, needed);
    }
}

/// The section for `form`, answered when a question was asked. A bad
/// option is the service's sentence beside the form (the page answers 400).
pub(crate) async fn section(
    state: &Arc<AppState>,
    user: &User,
    tr: &Tr,
    form: StaffingParams,
    hidden: Vec<(&'static str, String)>,
) -> Result<StaffingSection, ApiError> {
    let mut s = StaffingSection {
        api: form.api_url(),
        form,
        hidden,
        error: None,
        form_answered: "",
        figures: vec![],
        notes: vec![],
        chart: String::new(),
        curve_header: vec![],
        curve_rows: vec![],
        half_hour_header: vec![],
        half_hours: vec![],
        target_header: vec![],
        targets: vec![],
    };
    if !s.form.asked() {
        return Ok(s);
    }
    let answer = match s.form.request(tr) {
        Ok(request) => ask(state, user, request).await,
        Err(m) => Err(ApiError::Invalid(m)),
    };
    match answer {
        Ok(StaffingAnswer::Calculator(a)) => calculator(tr, &mut s, &a),
        Ok(StaffingAnswer::Observed(a)) => observed(tr, &mut s, &a),
        Err(ApiError::Invalid(m)) => {
            s.error = Some(tr.t1("staffing-error", "detail", m));
        }
        Err(e) => return Err(e),
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn half_hours_and_numbers_in_every_language() {
        for lang in Lang::ALL {
            let tr = Tr::new(lang);
            let mut names = std::collections::BTreeSet::new();
            for day in [
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            ] {
                let text = tr.t2("staffing-half-hour", "day", day, "time", "08:30");
                assert!(
                    text.contains("08:30") && !text.contains(day),
                    "{lang:?}: {text}"
                );
                names.insert(text);
            }
            assert_eq!(names.len(), 7, "{lang:?}: a name a day");
        }
        assert_eq!(tenths(&Tr::new(Lang::En), 1234.56), "1,234.6");
        assert_eq!(tenths(&Tr::new(Lang::Es), 1234.56), "1.234,6");
        assert_eq!(tenths(&Tr::new(Lang::Fr), 0.26), "0,3");
        assert_eq!(money(&Tr::new(Lang::En), 22400.0), "22,400.00");
    }
}
