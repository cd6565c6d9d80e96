//! A queue's week as observed, and the agents each half-hour of it needs.
//!
//! The store counts a queue's calls per UTC quarter-hour ([`SlotCounts`]);
//! here each quarter-hour is placed in the half-hour of the week it falls in,
//! in the queue's time zone. Every UTC offset in use is a whole number of
//! quarter-hours (Nepal's +05:45 too), so a UTC quarter-hour never straddles
//! two local half-hours.
//!
//! Rules:
//! - Mean arrivals of a half-hour of the week (Monday 08:00–08:30) are the
//!   calls that arrived in it over the period divided by how often it
//!   occurred: the quarter-hours of the period that fall in it, halved. A
//!   day when clocks go forward lacks a half-hour and one when they go back
//!   has it twice; counting quarter-hours gives each its real exposure.
//! - One handle time serves every half-hour: the queue's mean over the
//!   period (a half-hour's own mean rests on too few calls to plan on), or
//!   the one the manager gives.
//! - Each half-hour with arrivals is staffed by [`required_agents`]; one
//!   without arrivals needs no one and is left out.
//! - The week: arrivals are the sum of the half-hours' means; agent-hours
//!   the sum of agents × ½ h; the predicted service level and ASA the
//!   half-hours' figures weighted by their arrivals; the occupancy the
//!   week's traffic over its agents; the cost rota agent-hours × the cost
//!   per hour; the cost per open hour that cost over the half-hours staffed.
//! - Observed beside predicted: the observed service level is the share of
//!   calls offered (answered or abandoned known) answered within the
//!   objective's time (`queue_wait_secs`), per half-hour and for the week;
//!   the abandonment rate the share of them abandoned.
//! - Above [`HIGH_ABANDONMENT`] abandoned, a note says that Erlang C, which
//!   lets no caller hang up, overstates the agents needed.
//! - What a few points more or less cost: the week is staffed again for
//!   objectives [`TARGET_STEPS`] points around the one asked (those between
//!   0 and 100 %), and the busiest half-hour gets the curve of
//!   [`curve`](super::plan::curve).

use std::fmt;

use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::ser::SerializeStruct;
use serde::Serialize;

use super::erlang::Queue;
use super::inputs::{Arrivals, HourlyCost, Secs, Shrinkage};
use super::plan::{
    curve, required_agents, rota_agents, Binding, CurvePoint, NotReachable, Objective,
};

/// The store's slot: a UTC quarter-hour, in seconds.
pub const SLOT_SECS: i64 = 900;

/// Half-hours in a week.
pub const HALF_HOURS: usize = 7 * 48;

/// An abandonment rate above which Erlang C's answer is flagged as too high.
pub const HIGH_ABANDONMENT: f64 = 0.05;

/// The objectives around the one asked that the week is also costed at,
/// in points of service level.
pub const TARGET_STEPS: [f64; 5] = [-10.0, -5.0, 0.0, 5.0, 10.0];

/// What the store counted for a queue in one UTC quarter-hour.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SlotCounts {
    /// The quarter-hour's start in seconds since 1970-01-01 UTC, a multiple
    /// of [`SLOT_SECS`].
    pub start_epoch_secs: i64,
    /// Every interaction of the queue created in it.
    pub arrivals: u64,
    /// Those whose answer or abandonment is known.
    pub offered: u64,
    /// Answered within the objective's time.
    pub answered_in_time: u64,
    pub abandoned: u64,
    /// Answered calls with a handle time, and the sum of those handle times.
    pub handled: u64,
    pub handle_secs: f64,
}

/// A half-hour of the week in local time, Monday 00:00 first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HalfHour(u16);

impl HalfHour {
    fn of(weekday: Weekday, time: Time) -> HalfHour {
        let day = weekday.to_monday_zero_offset() as u16;
        let half = time.hour() as u16 * 2 + u16::from(time.minute() >= 30);
        HalfHour(day * 48 + half)
    }

    fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn weekday(self) -> Weekday {
        Weekday::from_monday_zero_offset((self.0 / 48) as i8).unwrap_or(Weekday::Monday)
    }

    /// When it starts, local time.
    pub fn start(self) -> Time {
        let half = self.0 % 48;
        Time::new((half / 2) as i8, if half % 2 == 1 { 30 } else { 0 }, 0, 0)
            .unwrap_or(Time::midnight())
    }
}

/// The English name of a weekday, lower case.
pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "monday",
        Weekday::Tuesday => "tuesday",
        Weekday::Wednesday => "wednesday",
        Weekday::Thursday => "thursday",
        Weekday::Friday => "friday",
        Weekday::Saturday => "saturday",
        Weekday::Sunday => "sunday",
    }
}

impl fmt::Display for HalfHour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.start();
        write!(
            f,
            "{} {:02}:{:02}",
            weekday_name(self.weekday()),
            t.hour(),
            t.minute()
        )
    }
}

impl Serialize for HalfHour {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.start();
        let mut st = s.serialize_struct("HalfHour", 2)?;
        st.serialize_field("weekday", weekday_name(self.weekday()))?;
        st.serialize_field("time", &format!("{:02}:{:02}", t.hour(), t.minute()))?;
        st.end()
    }
}

/// What one half-hour of the week saw over the period.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Cell {
    /// Quarter-hours of the period that fell in this half-hour.
    exposure_quarters: u32,
    arrivals: u64,
    offered: u64,
    answered_in_time: u64,
    abandoned: u64,
}

/// A queue's observations over a period, by half-hour of the week.
#[derive(Debug, Clone, PartialEq)]
pub struct ObservedWeek {
    cells: Vec<Cell>,
    handled: u64,
    handle_secs: f64,
    days: f64,
}

impl ObservedWeek {
    /// Places each quarter-hour of `[start, end)` and each slot counted in it
    /// in its half-hour of the week in `tz`. Slots outside the period are
    /// not counted.
    pub fn build(slots: &[SlotCounts], start: Timestamp, end: Timestamp, tz: &TimeZone) -> Self {
        let half_hour_of = |epoch: i64| -> Option<HalfHour> {
            let ts = Timestamp::from_second(epoch).ok()?;
            let local = tz.to_datetime(ts);
            Some(HalfHour::of(local.weekday(), local.time()))
        };
        let mut cells = vec![Cell::default(); HALF_HOURS];
        let first = start.as_second().div_euclid(SLOT_SECS) * SLOT_SECS;
        let end_secs = end.as_second();
        let mut t = first;
        while t < end_secs {
            if let Some(h) = half_hour_of(t) {
                cells[h.index()].exposure_quarters += 1;
            }
            t += SLOT_SECS;
        }
        let mut handled = 0;
        let mut handle_secs = 0.0;
        for s in slots {
            if s.start_epoch_secs < first || s.start_epoch_secs >= end_secs {
                continue;
            }
            let Some(h) = half_hour_of(s.start_epoch_secs) else {
                continue;
            };
            let c = &mut cells[h.index()];
            c.arrivals += s.arrivals;
            c.offered += s.offered;
            c.answered_in_time += s.answered_in_time;
            c.abandoned += s.abandoned;
            handled += s.handled;
            handle_secs += s.handle_secs;
        }
        ObservedWeek {
            cells,
            handled,
            handle_secs,
            // Whole days: a period of local days gains or loses an hour
            // when the clocks change.
            days: ((end_secs - start.as_second()).max(0) as f64 / 86_400.0).round(),
        }
    }

    /// The queue's mean handle time over the period, if any call had one.
    pub fn mean_handle_secs(&self) -> Option<Secs> {
        (self.handled > 0)
            .then(|| self.handle_secs / self.handled as f64)
            .and_then(Secs::new)
    }

    /// Calls with a handle time.
    pub fn handled(&self) -> u64 {
        self.handled
    }

    /// Every arrival counted.
    pub fn arrivals(&self) -> u64 {
        self.cells.iter().map(|c| c.arrivals).sum()
    }

    /// How many weeks the period spans (its whole days / 7).
    pub fn weeks(&self) -> f64 {
        self.days / 7.0
    }

    /// The share of offered calls answered in time, over the period.
    pub fn observed_service_level(&self) -> Option<f64> {
        let offered: u64 = self.cells.iter().map(|c| c.offered).sum();
        let in_time: u64 = self.cells.iter().map(|c| c.answered_in_time).sum();
        share(in_time, offered)
    }

    /// The share of offered calls abandoned, over the period.
    pub fn abandon_rate(&self) -> Option<f64> {
        let offered: u64 = self.cells.iter().map(|c| c.offered).sum();
        let abandoned: u64 = self.cells.iter().map(|c| c.abandoned).sum();
        share(abandoned, offered)
    }
}

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// One half-hour of the week's plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HalfHourPlan {
    #[serde(flatten)]
    pub half_hour: HalfHour,
    /// Mean calls arriving in this half-hour.
    pub arrivals: f64,
    /// Offered traffic, Erlangs.
    pub traffic: f64,
    pub agents: u32,
    /// Predicted with `agents`.
    pub service_level: f64,
    pub asa_secs: f64,
    pub occupancy: f64,
    pub wait_probability: f64,
    pub bound_by: Binding,
    pub rota_agents: u32,
    pub cost_per_hour: Option<f64>,
    /// Calls offered in this half-hour over the period (answer or
    /// abandonment known): the sample of the observed figures.
    pub offered: u64,
    pub observed_service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
}

/// The week as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekTotals {
    /// Calls a week.
    pub arrivals: f64,
    /// The most agents any half-hour needs.
    pub agents: u32,
    pub rota_agents: u32,
    /// Predicted, weighted by arrivals.
    pub service_level: f64,
    pub asa_secs: f64,
    /// The week's traffic over its agents.
    pub occupancy: f64,
    pub agent_hours: f64,
    pub rota_agent_hours: f64,
    /// Hours with at least one agent.
    pub open_hours: f64,
    pub cost: Option<f64>,
    pub cost_per_open_hour: Option<f64>,
    pub observed_service_level: Option<f64>,
    pub abandon_rate: Option<f64>,
}

/// The week staffed for another objective.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TargetCost {
    /// The objective's share, 0–1 (its time is the one asked).
    pub target: f64,
    /// The change from the objective asked, in points.
    pub points: f64,
    pub service_level: f64,
    pub agent_hours: f64,
    pub rota_agent_hours: f64,
    pub cost: Option<f64>,
}

/// The busiest half-hour and its curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BusiestCurve {
    #[serde(flatten)]
    pub half_hour: HalfHour,
    pub points: Vec<CurvePoint>,
}

/// The agents a week of a queue needs, half-hour by half-hour.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekPlan {
    pub aht_secs: f64,
    pub half_hours: Vec<HalfHourPlan>,
    pub week: WeekTotals,
    pub targets: Vec<TargetCost>,
    pub busiest: Option<BusiestCurve>,
    pub notes: Vec<String>,
}

/// What staffing the week needs: the queue, the objective, and what agents
/// cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Staffing {
    pub aht: Secs,
    pub objective: Objective,
    pub shrinkage: Shrinkage,
    pub cost: Option<HourlyCost>,
}

/// A half-hour's queue, if anything arrived in it.
fn queue_of(c: &Cell, aht: Secs) -> Option<(f64, Queue)> {
    let occurrences = f64::from(c.exposure_quarters) / 2.0;
    let mean = Arrivals::new(c.arrivals as f64 / occurrences)?;
    Some((mean.get(), Queue::new(mean, Secs::HALF_HOUR, aht)))
}

/// Staffs every half-hour of `week` with arrivals.
pub fn plan_week(week: &ObservedWeek, s: &Staffing) -> Result<WeekPlan, NotReachable> {
    let mut half_hours = Vec::new();
    let mut busiest: Option<(HalfHour, Queue, u32)> = None;
    for (i, c) in week.cells.iter().enumerate() {
        let Some((arrivals, q)) = queue_of(c, s.aht) else {
            continue;
        };
        let r = required_agents(&q, &s.objective)?;
        let p = r.performance;
        let rota = rota_agents(p.agents, s.shrinkage);
        let h = HalfHour(i as u16);
        if busiest.is_none_or(|(_, b, _)| q.traffic() > b.traffic()) {
            busiest = Some((h, q, p.agents));
        }
        half_hours.push(HalfHourPlan {
            half_hour: h,
            arrivals,
            traffic: q.traffic(),
            agents: p.agents,
            service_level: p.service_level,
            asa_secs: p.asa_secs,
            occupancy: p.occupancy,
            wait_probability: p.wait_probability,
            bound_by: r.bound_by,
            rota_agents: rota,
            cost_per_hour: s.cost.map(|k| f64::from(rota) * k.get()),
            offered: c.offered,
            observed_service_level: share(c.answered_in_time, c.offered),
            abandon_rate: share(c.abandoned, c.offered),
        });
    }
    let totals = totals(&half_hours, week, s.cost);
    let mut targets = Vec::new();
    for points in TARGET_STEPS {
        // In whole millionths of a point, so 80 − 10 is 0.7, not 0.7000000000000001.
        let share = ((s.objective.service_level.share() * 100.0 + points) * 1e6).round() / 1e8;
        let Some(level) = s.objective.service_level.with_share(share) else {
            continue;
        };
        let objective = Objective {
            service_level: level,
            ..s.objective
        };
        let mut weighted = 0.0;
        let mut arrivals = 0.0;
        let mut agents = 0.0;
        let mut rota = 0.0;
        for c in &week.cells {
            let Some((mean, q)) = queue_of(c, s.aht) else {
                continue;
            };
            let r = required_agents(&q, &objective)?;
            weighted += mean * r.performance.service_level;
            arrivals += mean;
            agents += f64::from(r.performance.agents);
            rota += f64::from(rota_agents(r.performance.agents, s.shrinkage));
        }
        targets.push(TargetCost {
            target: level.share(),
            points,
            service_level: if arrivals > 0.0 {
                weighted / arrivals
            } else {
                0.0
            },
            agent_hours: agents / 2.0,
            rota_agent_hours: rota / 2.0,
            cost: s.cost.map(|k| rota / 2.0 * k.get()),
        });
    }
    let busiest = busiest.map(|(h, q, agents)| BusiestCurve {
        half_hour: h,
        points: curve(&q, &s.objective, agents, s.shrinkage, s.cost),
    });
    let mut notes = Vec::new();
    if let Some(rate) = week.abandon_rate().filter(|r| *r > HIGH_ABANDONMENT) {
        notes.push(format!(
            "{:.1} % of the calls offered were abandoned: Erlang C assumes every caller waits until answered, so where callers hang up it overstates the agents needed",
            rate * 100.0
        ));
    }
    Ok(WeekPlan {
        aht_secs: s.aht.get(),
        half_hours,
        week: totals,
        targets,
        busiest,
        notes,
    })
}

fn totals(rows: &[HalfHourPlan], week: &ObservedWeek, cost: Option<HourlyCost>) -> WeekTotals {
    let arrivals: f64 = rows.iter().map(|r| r.arrivals).sum();
    let weighted = |f: fn(&HalfHourPlan) -> f64| -> f64 {
        if arrivals > 0.0 {
            rows.iter().map(|r| r.arrivals * f(r)).sum::<f64>() / arrivals
        } else {
            0.0
        }
    };
    let agents: f64 = rows.iter().map(|r| f64::from(r.agents)).sum();
    let rota: f64 = rows.iter().map(|r| f64::from(r.rota_agents)).sum();
    let traffic: f64 = rows.iter().map(|r| r.traffic).sum();
    let open_hours = rows.len() as f64 / 2.0;
    let total_cost = cost.map(|k| rota / 2.0 * k.get());
    WeekTotals {
        arrivals,
        agents: rows.iter().map(|r| r.agents).max().unwrap_or(0),
        rota_agents: rows.iter().map(|r| r.rota_agents).max().unwrap_or(0),
        service_level: weighted(|r| r.service_level),
        asa_secs: weighted(|r| r.asa_secs),
        occupancy: if agents > 0.0 { traffic / agents } else { 0.0 },
        agent_hours: agents / 2.0,
        rota_agent_hours: rota / 2.0,
        open_hours,
        cost: total_cost,
        cost_per_open_hour: total_cost
            .filter(|_| open_hours > 0.0)
            .map(|c| c / open_hours),
        observed_service_level: week.observed_service_level(),
        abandon_rate: week.abandon_rate(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::inputs::{MaxOccupancy, ServiceLevel};

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn slot(at: &str, arrivals: u64) -> SlotCounts {
        SlotCounts {
            start_epoch_secs: ts(at).as_second(),
            arrivals,
            offered: arrivals,
            answered_in_time: arrivals * 3 / 4,
            abandoned: arrivals / 10,
            handled: arrivals,
            handle_secs: arrivals as f64 * 180.0,
        }
    }

    fn staffing() -> Staffing {
        Staffing {
            aht: Secs::new(180.0).unwrap(),
            objective: Objective {
                service_level: ServiceLevel::parse("80/20").unwrap(),
                max_occupancy: MaxOccupancy::parse("85%").unwrap(),
            },
            shrinkage: Shrinkage::parse("30%").unwrap(),
            cost: HourlyCost::parse("28").ok(),
        }
    }

    #[test]
    fn half_hours_are_named_in_local_time() {
        let h = HalfHour::of(Weekday::Tuesday, Time::new(8, 45, 0, 0).unwrap());
        assert_eq!(h.to_string(), "tuesday 08:30");
        assert_eq!(h.weekday(), Weekday::Tuesday);
        let last = HalfHour((HALF_HOURS - 1) as u16);
        assert_eq!(last.to_string(), "sunday 23:30");
    }

    #[test]
    fn arrivals_are_averaged_over_the_weeks_in_local_time() {
        // Two weeks from Monday 2026-03-02 in Madrid (UTC+1): 100 calls in
        // the first Monday's 09:00–09:30, 60 in the second's.
        let tz = TimeZone::get("Europe/Madrid").unwrap();
        let start = ts("2026-03-01T23:00:00Z");
        let end = ts("2026-03-15T23:00:00Z");
        let slots = [
            slot("2026-03-02T08:00:00Z", 60),
            slot("2026-03-02T08:15:00Z", 40),
            slot("2026-03-09T08:00:00Z", 60),
            // Outside the period: not counted.
            slot("2026-03-16T08:00:00Z", 500),
        ];
        let week = ObservedWeek::build(&slots, start, end, &tz);
        assert!((week.weeks() - 2.0).abs() < 1e-12);
        assert_eq!(week.arrivals(), 160);
        let plan = plan_week(&week, &staffing()).unwrap();
        assert_eq!(plan.half_hours.len(), 1);
        let monday = &plan.half_hours[0];
        assert_eq!(monday.half_hour.to_string(), "monday 09:00");
        assert!((monday.arrivals - 80.0).abs() < 1e-12);
        // 80 calls in 30 min at 180 s: 8 Erlangs.
        assert!((monday.traffic - 8.0).abs() < 1e-12);
        assert!(monday.service_level >= 0.8 && monday.occupancy <= 0.85);
        assert_eq!(monday.offered, 160);
        assert_eq!(monday.observed_service_level, Some(120.0 / 160.0));
        assert_eq!(plan.week.agents, monday.agents);
        assert!((plan.week.agent_hours - f64::from(monday.agents) / 2.0).abs() < 1e-12);
        assert_eq!(
            plan.week.cost,
            Some(f64::from(monday.rota_agents) / 2.0 * 28.0)
        );
        assert!((plan.week.arrivals - 80.0).abs() < 1e-12);
    }

    #[test]
    fn a_daylight_saving_change_gives_each_half_hour_its_real_exposure() {
        // Madrid goes from +01:00 to +02:00 at 02:00 on Sunday 2026-03-29:
        // that Sunday has no 02:00–03:00, so over the one week from Monday
        // 23 March its Sunday 02:00 half-hour never occurs, and 01:30 once.
        let tz = TimeZone::get("Europe/Madrid").unwrap();
        let start = ts("2026-03-22T23:00:00Z");
        let end = ts("2026-03-29T22:00:00Z");
        let week = ObservedWeek::build(&[], start, end, &tz);
        let sunday = |h: i8, m: i8| {
            week.cells[HalfHour::of(Weekday::Sunday, Time::new(h, m, 0, 0).unwrap()).index()]
                .exposure_quarters
        };
        assert_eq!(sunday(1, 30), 2);
        assert_eq!(sunday(2, 0), 0);
        assert_eq!(sunday(3, 0), 2);
        let total: u32 = week.cells.iter().map(|c| c.exposure_quarters).sum();
        assert_eq!(total, (7 * 96 - 4) as u32);
    }

    #[test]
    fn high_abandonment_says_erlang_c_overstates() {
        let tz = TimeZone::UTC;
        let start = ts("2026-03-02T00:00:00Z");
        let end = ts("2026-03-09T00:00:00Z");
        let mut s = slot("2026-03-02T10:00:00Z", 100);
        s.abandoned = 12;
        let plan = plan_week(&ObservedWeek::build(&[s], start, end, &tz), &staffing()).unwrap();
        assert_eq!(plan.week.abandon_rate, Some(0.12));
        assert!(
            plan.notes.iter().any(|n| n.contains("overstates")),
            "{:?}",
            plan.notes
        );
        s.abandoned = 3;
        let plan = plan_week(&ObservedWeek::build(&[s], start, end, &tz), &staffing()).unwrap();
        assert!(plan.notes.is_empty());
    }

    #[test]
    fn neighbouring_objectives_cost_more_the_higher_they_go() {
        let tz = TimeZone::UTC;
        let start = ts("2026-03-02T00:00:00Z");
        let end = ts("2026-03-09T00:00:00Z");
        let slots: Vec<SlotCounts> = (0..20)
            .map(|i| SlotCounts {
                start_epoch_secs: ts("2026-03-02T08:00:00Z").as_second() + i * SLOT_SECS,
                ..slot("2026-03-02T08:00:00Z", 30 + (i as u64 % 4) * 10)
            })
            .collect();
        let plan = plan_week(&ObservedWeek::build(&slots, start, end, &tz), &staffing()).unwrap();
        let points: Vec<f64> = plan.targets.iter().map(|t| t.points).collect();
        assert_eq!(points, TARGET_STEPS.to_vec());
        for w in plan.targets.windows(2) {
            assert!(w[1].agent_hours >= w[0].agent_hours);
            assert!(w[1].service_level >= w[0].service_level);
        }
        let asked = plan.targets.iter().find(|t| t.points == 0.0).unwrap();
        assert!((asked.agent_hours - plan.week.agent_hours).abs() < 1e-9);
        assert_eq!(asked.cost, plan.week.cost);
        let busiest = plan.busiest.unwrap();
        assert_eq!(
            busiest.points.last().unwrap().performance.agents,
            plan.week.agents + crate::staffing::plan::CURVE_BEYOND
        );
    }

    #[test]
    fn objectives_past_the_ends_are_left_out() {
        let tz = TimeZone::UTC;
        let start = ts("2026-03-02T00:00:00Z");
        let end = ts("2026-03-09T00:00:00Z");
        let mut s = staffing();
        s.objective.service_level = ServiceLevel::parse("95/20").unwrap();
        let plan = plan_week(
            &ObservedWeek::build(&[slot("2026-03-02T08:00:00Z", 50)], start, end, &tz),
            &s,
        )
        .unwrap();
        let points: Vec<f64> = plan.targets.iter().map(|t| t.points).collect();
        assert_eq!(points, vec![-10.0, -5.0, 0.0]);
    }

    #[test]
    fn the_mean_handle_time_is_the_queues() {
        let tz = TimeZone::UTC;
        let start = ts("2026-03-02T00:00:00Z");
        let end = ts("2026-03-09T00:00:00Z");
        let mut a = slot("2026-03-02T08:00:00Z", 10);
        a.handle_secs = 10.0 * 100.0;
        let mut b = slot("2026-03-03T08:00:00Z", 30);
        b.handle_secs = 30.0 * 300.0;
        let week = ObservedWeek::build(&[a, b], start, end, &tz);
        assert_eq!(week.handled(), 40);
        assert!((week.mean_handle_secs().unwrap().get() - 250.0).abs() < 1e-9);
        assert!(ObservedWeek::build(&[], start, end, &tz)
            .mean_handle_secs()
            .is_none());
    }
}
