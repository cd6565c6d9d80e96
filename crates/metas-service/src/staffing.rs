//! What a service-level objective costs (R-COST), shared by the CLI, the
//! Time objectives page and `GET /api/v1/staffing`: parse a staffing
//! question, then either work out the figures a manager gives (the
//! calculator) or read a queue's calls from the store and staff its week
//! half-hour by half-hour (the observed form).
//! Definitions: docs/staffing.md; the rules: `metas_domain::staffing`.
//!
//! The observed period is, unless given, the 8 weeks ending on the local
//! day of the queue's last call (no earlier than its first), so the answer
//! depends on the data and not on today's date. Weekdays and times of day
//! are local to `--timezone`, else the default business calendar's zone,
//! else UTC.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use metas_domain::segment::SegmentExpr;
use metas_domain::settings::KpiSettings;
use metas_domain::staffing::plan::point;
use metas_domain::staffing::{
    curve, plan_week, required_agents, with_agents, AgentCount, Arrivals, Binding, CurvePoint,
    HourlyCost, MaxOccupancy, NotReachable, Objective, ObservedWeek, Queue, Secs, ServiceLevel,
    Shrinkage, Staffing, WeekPlan, WeeklyHours,
};
use metas_store::prelude::*;
use metas_store::{ArrivalQuery, ALWAYS_OPEN};
use serde::Serialize;

use crate::kpi::parse_segment;
use crate::ServiceError;

/// How many days the observed period spans unless `--from` says.
pub const DEFAULT_DAYS: i64 = 56;

/// A staffing question as a user types it (the CLI's options).
#[derive(Debug, Clone, Default)]
pub struct StaffingRequest {
    /// `--service-level`, e.g. "80/20".
    pub service_level: Option<String>,
    pub shrinkage: Option<String>,
    pub max_occupancy: Option<String>,
    pub cost_per_hour: Option<String>,
    /// The calculator: calls per `per`.
    pub arrivals: Option<String>,
    pub per: Option<String>,
    /// The calculator's handle time; in the observed form, one to use
    /// instead of the observed mean.
    pub aht: Option<String>,
    /// The calculator: the figures of this many agents.
    pub agents: Option<String>,
    pub hours_per_week: Option<String>,
    /// The observed form: the queue.
    pub segment: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub timezone: Option<String>,
}

/// The objective and the price, common to both forms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Terms {
    pub objective: Objective,
    pub shrinkage: Shrinkage,
    pub cost: Option<HourlyCost>,
}

/// Figures the manager gives.
#[derive(Debug, Clone, PartialEq)]
pub struct CalculatorQuestion {
    pub terms: Terms,
    pub arrivals: Arrivals,
    pub per: Secs,
    pub aht: Secs,
    pub agents: Option<AgentCount>,
    pub hours_per_week: WeeklyHours,
}

/// A queue's observed calls.
#[derive(Debug, Clone)]
pub struct ObservedQuestion {
    pub terms: Terms,
    pub segment: SegmentExpr,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub timezone: Option<TimeZone>,
    pub aht: Option<Secs>,
}

/// A staffing question once every part is known to be valid.
#[derive(Debug, Clone)]
pub enum StaffingQuestion {
    Calculator(CalculatorQuestion),
    Observed(ObservedQuestion),
}

fn input<T, E: std::fmt::Display>(option: &str, r: Result<T, E>) -> Result<T, ServiceError> {
    r.map_err(|e| ServiceError::Input(format!("{option}: {e}")))
}

fn optional<T, E: std::fmt::Display>(
    option: &str,
    text: Option<&str>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Option<T>, ServiceError> {
    text.map(|t| input(option, parse(t))).transpose()
}

/// The first of `options` that was given, if any.
fn first_given<'a>(options: &[(&'a str, bool)]) -> Option<&'a str> {
    options.iter().find(|(_, given)| *given).map(|(o, _)| *o)
}

impl StaffingRequest {
    pub fn parse(&self) -> Result<StaffingQuestion, ServiceError> {
        let Some(service_level) = self.service_level.as_deref() else {
            return Err(ServiceError::Input(
                "--service-level: give the objective to staff for, e.g. --service-level 80/20 (80 % of calls answered within 20 seconds)".into(),
            ));
        };
        let service_level = input("--service-level", ServiceLevel::parse(service_level))?;
        let terms = Terms {
            objective: Objective {
                service_level,
                max_occupancy: optional(
                    "--max-occupancy",
                    self.max_occupancy.as_deref(),
                    MaxOccupancy::parse,
                )?
                .unwrap_or(MaxOccupancy::NONE),
            },
            shrinkage: optional("--shrinkage", self.shrinkage.as_deref(), Shrinkage::parse)?
                .unwrap_or(Shrinkage::NONE),
            cost: optional(
                "--cost-per-hour",
                self.cost_per_hour.as_deref(),
                HourlyCost::parse,
            )?,
        };
        let aht = optional("--aht", self.aht.as_deref(), Secs::parse)?;
        match self.arrivals.as_deref() {
            Some(arrivals) => {
                if let Some(o) = first_given(&[
                    ("--where", self.segment.is_some()),
                    ("--from", self.from.is_some()),
                    ("--to", self.to.is_some()),
                    ("--timezone", self.timezone.is_some()),
                ]) {
                    return Err(ServiceError::Input(format!(
                        "{o}: the calculator (--arrivals) works on the figures given, not on observed calls; leave out {o}, or --arrivals to staff a queue from its calls"
                    )));
                }
                let arrivals = input("--arrivals", Arrivals::parse(arrivals))?;
                let Some(aht) = aht else {
                    return Err(ServiceError::Input(
                        "--aht: the calculator needs the mean handle time of a call, e.g. --aht 180s".into(),
                    ));
                };
                Ok(StaffingQuestion::Calculator(CalculatorQuestion {
                    terms,
                    arrivals,
                    per: optional("--per", self.per.as_deref(), Secs::parse)?
                        .unwrap_or(Secs::HALF_HOUR),
                    aht,
                    agents: optional("--agents", self.agents.as_deref(), AgentCount::parse)?,
                    hours_per_week: optional(
                        "--hours-per-week",
                        self.hours_per_week.as_deref(),
                        WeeklyHours::parse,
                    )?
                    .unwrap_or(WeeklyHours::WORKING_WEEK),
                }))
            }
            None => {
                if let Some(o) = first_given(&[
                    ("--per", self.per.is_some()),
                    ("--agents", self.agents.is_some()),
                    ("--hours-per-week", self.hours_per_week.is_some()),
                ]) {
                    return Err(ServiceError::Input(format!(
                        "{o}: applies to the calculator, which needs --arrivals; the observed form (--where) finds the agents each half-hour needs"
                    )));
                }
                let Some(segment) = parse_segment(self.segment.as_deref())? else {
                    return Err(ServiceError::Input(
                        "--where: name the queue to staff from its observed calls (e.g. --where \"channel = 'phone'\"), or give --arrivals and --aht to work on figures of your own".into(),
                    ));
                };
                if let (Some(f), Some(t)) = (self.from, self.to) {
                    if t < f {
                        return Err(ServiceError::Input(format!(
                            "--to: {t} is before --from {f}"
                        )));
                    }
                }
                let timezone = optional("--timezone", self.timezone.as_deref(), |name| {
                    TimeZone::get(name.trim()).map_err(|_| {
                        format!(
                            "'{}' is not a known time zone (e.g. Europe/Madrid, America/New_York, UTC)",
                            name.trim()
                        )
                    })
                })?;
                Ok(StaffingQuestion::Observed(ObservedQuestion {
                    terms,
                    segment,
                    from: self.from,
                    to: self.to,
                    timezone,
                    aht,
                }))
            }
        }
    }
}

/// The objective as the answers repeat it.
#[derive(Debug, Clone, Serialize)]
pub struct TermsEcho {
    /// As written back: "80/20".
    pub objective: String,
    pub service_level_target: f64,
    pub answer_within_secs: f64,
    pub max_occupancy: f64,
    pub shrinkage: f64,
    /// What one agent on the rota costs per hour.
    pub rate_per_agent_hour: Option<f64>,
}

impl From<&Terms> for TermsEcho {
    fn from(t: &Terms) -> Self {
        let sl = t.objective.service_level;
        TermsEcho {
            objective: sl.to_string(),
            service_level_target: sl.share(),
            answer_within_secs: sl.within_secs(),
            max_occupancy: t.objective.max_occupancy.fraction(),
            shrinkage: t.shrinkage.fraction(),
            rate_per_agent_hour: t.cost.map(HourlyCost::get),
        }
    }
}

/// The calculator's answer. `agents`, `service_level`, `asa_secs` and
/// `occupancy` are the agents found (or given) and their figures; the last
/// three are `None` when those agents cannot keep up (`reachable` false).
#[derive(Debug, Clone, Serialize)]
pub struct CalculatorAnswer {
    pub form: &'static str,
    #[serde(flatten)]
    pub terms: TermsEcho,
    pub arrivals: f64,
    pub per_secs: f64,
    pub aht_secs: f64,
    /// Offered traffic, Erlangs.
    pub traffic: f64,
    pub reachable: bool,
    pub agents: u32,
    pub service_level: Option<f64>,
    pub asa_secs: Option<f64>,
    pub occupancy: f64,
    pub wait_probability: Option<f64>,
    pub meets_service_level: bool,
    pub within_max_occupancy: bool,
    /// The fewest agents that meet the objective, and which limit set them.
    pub agents_needed: u32,
    pub bound_by: Binding,
    pub rota_agents: u32,
    pub cost_per_hour: Option<f64>,
    pub hours_per_week: f64,
    pub cost_per_week: Option<f64>,
    pub curve: Vec<CurvePoint>,
    pub notes: Vec<String>,
}

/// Works out the calculator's figures.
pub fn calculate(q: &CalculatorQuestion) -> Result<CalculatorAnswer, ServiceError> {
    let t = &q.terms;
    let queue = Queue::new(q.arrivals, q.per, q.aht);
    let needed = required_agents(&queue, &t.objective).map_err(not_reachable)?;
    let mut notes = Vec::new();
    let (reachable, shown): (bool, Result<CurvePoint, NotReachable>) = match q.agents {
        None => (
            true,
            Ok(point(needed.performance, &t.objective, t.shrinkage, t.cost)),
        ),
        Some(n) => {
            let shown = with_agents(&queue, n, &t.objective, t.shrinkage, t.cost);
            (shown.is_ok(), shown)
        }
    };
    let agents = q.agents.map_or(needed.performance.agents, AgentCount::get);
    let (performance, rota, cost_per_hour, meets, within) = match &shown {
        Ok(p) => (
            Some(p.performance),
            p.rota_agents,
            p.cost_per_hour,
            p.meets_service_level,
            p.within_max_occupancy,
        ),
        Err(e) => {
            notes.push(e.to_string());
            let rota = metas_domain::staffing::rota_agents(agents, t.shrinkage);
            (
                None,
                rota,
                t.cost.map(|c| f64::from(rota) * c.get()),
                false,
                false,
            )
        }
    };
    if q.agents.is_some() && reachable && !meets {
        notes.push(format!(
            "{agents} agents miss the objective {}; it needs {}",
            t.objective.service_level, needed.performance.agents
        ));
    }
    if needed.bound_by == Binding::Occupancy {
        notes.push(format!(
            "the maximum occupancy of {} sets the agents needed: the service level alone needs {}",
            t.objective.max_occupancy, needed.service_level_agents
        ));
    }
    let up_to = needed.performance.agents.max(agents);
    Ok(CalculatorAnswer {
        form: "calculator",
        terms: t.into(),
        arrivals: q.arrivals.get(),
        per_secs: q.per.get(),
        aht_secs: q.aht.get(),
        traffic: queue.traffic(),
        reachable,
        agents,
        service_level: performance.map(|p| p.service_level),
        asa_secs: performance.map(|p| p.asa_secs),
        occupancy: queue.traffic() / f64::from(agents),
        wait_probability: performance.map(|p| p.wait_probability),
        meets_service_level: meets,
        within_max_occupancy: within,
        agents_needed: needed.performance.agents,
        bound_by: needed.bound_by,
        rota_agents: rota,
        cost_per_hour,
        hours_per_week: q.hours_per_week.get(),
        cost_per_week: cost_per_hour.map(|c| c * q.hours_per_week.get()),
        curve: curve(&queue, &t.objective, up_to, t.shrinkage, t.cost),
        notes,
    })
}

fn not_reachable(e: NotReachable) -> ServiceError {
    ServiceError::Input(e.to_string())
}

/// The observed form's answer: the period read, then the week's plan
/// (`half_hours` each carry `agents`, `service_level`, `asa_secs` and
/// `occupancy`; `week` the same for the whole week).
#[derive(Debug, Clone, Serialize)]
pub struct ObservedAnswer {
    pub form: &'static str,
    #[serde(rename = "where")]
    pub segment: String,
    #[serde(flatten)]
    pub terms: TermsEcho,
    pub timezone: String,
    pub from: Date,
    pub to: Date,
    pub weeks: f64,
    /// Calls counted over the period.
    pub calls: u64,
    /// Calls with a handle time, over which the mean was taken.
    pub handled: u64,
    /// "observed" or "given" (`--aht`).
    pub aht_source: &'static str,
    #[serde(flatten)]
    pub plan: WeekPlan,
}

/// The time zone the week is read in: the one asked, else the default
/// business calendar's, else UTC.
fn zone_for(store: &dyn Storage, asked: Option<&TimeZone>) -> Result<TimeZone, ServiceError> {
    if let Some(tz) = asked {
        return Ok(tz.clone());
    }
    let settings = store.settings()?;
    if settings.default_calendar != ALWAYS_OPEN {
        if let Some(spec) = store.calendar(&settings.default_calendar)? {
            if let Ok(tz) = TimeZone::get(&spec.time_zone) {
                return Ok(tz);
            }
        }
    }
    Ok(TimeZone::UTC)
}

fn local_date(t: Timestamp, tz: &TimeZone) -> Date {
    tz.to_datetime(t).date()
}

fn start_of(d: Date, tz: &TimeZone) -> Result<Timestamp, ServiceError> {
    d.to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| ServiceError::Input(format!("{d} in {}: {e}", zone_name(tz))))
}

fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().unwrap_or("UTC").to_string()
}

/// When the queue's last call was made. The last of all interactions is
/// found first, then the queue's within the default period before it, which
/// a database whose rows come roughly in time order answers without reading
/// older ones; only a queue silent for that long costs a full scan.
fn last_call(
    store: &dyn Storage,
    settings: &KpiSettings,
    segment: &SegmentExpr,
) -> Result<Timestamp, ServiceError> {
    let none_match =
        || ServiceError::Input(format!("--where: no interactions match \"{segment}\""));
    let (_, last_any) = store
        .arrival_span(settings, None, None)?
        .ok_or_else(none_match)?;
    let recent = last_any
        .checked_sub(SignedDuration::from_hours(24 * (DEFAULT_DAYS + 1)))
        .ok();
    if let Some((_, last)) = store.arrival_span(settings, Some(segment), recent)? {
        return Ok(last);
    }
    store
        .arrival_span(settings, Some(segment), None)?
        .map(|(_, last)| last)
        .ok_or_else(none_match)
}

/// Staffs a queue's observed week.
pub fn observe(store: &dyn Storage, q: &ObservedQuestion) -> Result<ObservedAnswer, ServiceError> {
    let settings = store.settings()?;
    let tz = zone_for(store, q.timezone.as_ref())?;
    let to = match q.to {
        Some(t) => t,
        None => local_date(last_call(store, &settings, &q.segment)?, &tz),
    };
    let mut from = match q.from {
        Some(f) => f,
        None => to.checked_sub((DEFAULT_DAYS - 1).days()).unwrap_or(to),
    };
    if to < from {
        return Err(ServiceError::Input(format!(
            "--from: {from} is after the queue's last call, on {to}"
        )));
    }
    let mut start = start_of(from, &tz)?;
    let end = start_of(
        to.tomorrow()
            .map_err(|e| ServiceError::Input(format!("--to: {e}")))?,
        &tz,
    )?;
    let slots = store.arrival_slots(&ArrivalQuery {
        settings: &settings,
        segment: &q.segment,
        start,
        end,
        answer_within_secs: q.terms.objective.service_level.within_secs(),
    })?;
    // A default period starts no earlier than the queue's first call in it,
    // so days before the queue existed do not dilute its arrivals.
    if q.from.is_none() {
        if let Some(first) = slots.first() {
            let day = Timestamp::from_second(first.start_epoch_secs)
                .map(|t| local_date(t, &tz))
                .unwrap_or(from);
            if day > from {
                from = day;
                start = start_of(from, &tz)?;
            }
        }
    }
    let week = ObservedWeek::build(&slots, start, end, &tz);
    if week.arrivals() == 0 {
        return Err(ServiceError::Input(format!(
            "--where: no interactions match \"{}\" from {from} to {to}",
            q.segment
        )));
    }
    let (aht, aht_source) = match q.aht {
        Some(a) => (a, "given"),
        None => (
            week.mean_handle_secs().ok_or_else(|| {
                ServiceError::Input(format!(
                    "--aht: the calls of \"{}\" from {from} to {to} carry no handle time (talk, hold or after-contact work); give one, e.g. --aht 180s",
                    q.segment
                ))
            })?,
            "observed",
        ),
    };
    let plan = plan_week(
        &week,
        &Staffing {
            aht,
            objective: q.terms.objective,
            shrinkage: q.terms.shrinkage,
            cost: q.terms.cost,
        },
    )
    .map_err(not_reachable)?;
    Ok(ObservedAnswer {
        form: "observed",
        segment: q.segment.to_string(),
        terms: (&q.terms).into(),
        timezone: zone_name(&tz),
        from,
        to,
        weeks: week.weeks(),
        calls: week.arrivals(),
        handled: week.handled(),
        aht_source,
        plan,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(service_level: &str) -> StaffingRequest {
        StaffingRequest {
            service_level: Some(service_level.into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_calculator_answers_the_worked_example() {
        let mut r = request("80/20");
        r.arrivals = Some("100".into());
        r.per = Some("30m".into());
        r.aht = Some("180s".into());
        r.shrinkage = Some("30%".into());
        r.max_occupancy = Some("85%".into());
        r.cost_per_hour = Some("28".into());
        let StaffingQuestion::Calculator(q) = r.parse().unwrap() else {
            panic!("not the calculator");
        };
        let a = calculate(&q).unwrap();
        assert_eq!(a.agents, 14);
        assert_eq!(a.rota_agents, 20);
        assert_eq!(a.cost_per_hour, Some(560.0));
        assert_eq!(a.cost_per_week, Some(560.0 * 40.0));
        assert!(a.reachable && a.meets_service_level && a.within_max_occupancy);
        assert_eq!(a.curve.first().map(|p| p.performance.agents), Some(11));
    }

    #[test]
    fn given_agents_at_the_traffic_are_not_reachable() {
        let mut r = request("80/20");
        r.arrivals = Some("100".into());
        r.aht = Some("3m".into());
        r.agents = Some("10".into());
        let StaffingQuestion::Calculator(q) = r.parse().unwrap() else {
            panic!("not the calculator");
        };
        let a = calculate(&q).unwrap();
        assert!(!a.reachable);
        assert_eq!(a.agents, 10);
        assert_eq!(a.service_level, None);
        assert_eq!(a.agents_needed, 14);
        assert!(a.notes[0].starts_with("not reachable at this occupancy"));
    }

    #[test]
    fn bad_input_names_the_option() {
        type Change = dyn Fn(&mut StaffingRequest);
        let cases: &[(&Change, &str)] = &[
            (
                &|r| r.service_level = Some("eighty".into()),
                "--service-level:",
            ),
            (&|r| r.service_level = None, "--service-level:"),
            (&|r| r.shrinkage = Some("130%".into()), "--shrinkage:"),
            (&|r| r.max_occupancy = Some("0%".into()), "--max-occupancy:"),
            (
                &|r| r.cost_per_hour = Some("cheap".into()),
                "--cost-per-hour:",
            ),
            (&|r| r.aht = Some("soon".into()), "--aht:"),
            (&|r| r.per = Some("0m".into()), "--per:"),
            (&|r| r.agents = Some("1.5".into()), "--agents:"),
            (
                &|r| r.hours_per_week = Some("200".into()),
                "--hours-per-week:",
            ),
            (&|r| r.arrivals = Some("-4".into()), "--arrivals:"),
            (
                &|r| r.segment = Some("channel = 'phone'".into()),
                "--where:",
            ),
            (
                &|r| {
                    r.arrivals = None;
                    r.segment = None;
                    r.per = None;
                },
                "--where:",
            ),
            (
                &|r| {
                    r.arrivals = None;
                    r.per = None;
                    r.segment = Some("channel = 'phone'".into());
                    r.timezone = Some("Mars/Olympus".into());
                },
                "--timezone:",
            ),
            (
                &|r| {
                    r.arrivals = None;
                    r.segment = Some("channel = 'phone'".into());
                },
                "--per:",
            ),
            (
                &|r| {
                    r.arrivals = None;
                    r.per = None;
                    r.segment = Some("channel = = 'phone'".into());
                },
                "--where:",
            ),
        ];
        for (change, want) in cases {
            let mut r = request("80/20");
            r.arrivals = Some("100".into());
            r.per = Some("30m".into());
            r.aht = Some("180s".into());
            change(&mut r);
            let err = r.parse().map(|_| ()).unwrap_err();
            assert!(
                matches!(&err, ServiceError::Input(m) if m.starts_with(want)),
                "{want}: {err}"
            );
            assert_eq!(err.to_string().lines().count(), 1, "{err}");
        }
        let mut r = request("80/20");
        r.arrivals = Some("100".into());
        let err = r.parse().map(|_| ()).unwrap_err();
        assert!(err.to_string().starts_with("--aht:"), "{err}");
    }
}
