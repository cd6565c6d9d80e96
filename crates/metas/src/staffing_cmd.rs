//! `metas staffing`: what a service-level objective costs (R-COST). Parse,
//! call the service, print. Definitions: docs/staffing.md.

use clap::Args;
use metas_domain::staffing::{Binding, CurvePoint};
use metas_service::staffing::{
    calculate, observe, CalculatorAnswer, ObservedAnswer, StaffingQuestion, StaffingRequest,
    TermsEcho,
};

use crate::kpi_cmd::date_opt;
use crate::{open_existing, print_json, Failure, OutputFormat, Settings};

#[derive(Args, Debug)]
pub struct StaffingArgs {
    /// The objective, percent/seconds: 80/20 is 80 % of calls answered within 20 seconds.
    #[arg(long, value_name = "PERCENT/SECS")]
    service_level: Option<String>,
    /// Share of paid time agents cannot take calls (breaks, training, absence), e.g. 30% (default 0%).
    #[arg(long, value_name = "PERCENT")]
    shrinkage: Option<String>,
    /// What one agent on the rota costs per hour, in your currency.
    #[arg(long, value_name = "AMOUNT")]
    cost_per_hour: Option<String>,
    /// The most of their time agents may spend on calls, e.g. 85% (default 100%).
    #[arg(long, value_name = "PERCENT")]
    max_occupancy: Option<String>,
    /// The queue to staff from its observed calls, e.g. "channel = 'phone'".
    #[arg(long = "where", value_name = "EXPR")]
    segment: Option<String>,
    /// First day observed (default: 8 weeks before --to).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day observed (default: the day of the queue's last call).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Time zone of the weekdays and times of day (default: the default calendar's, else UTC).
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
    /// The calculator: calls arriving per --per.
    #[arg(long, value_name = "CALLS")]
    arrivals: Option<String>,
    /// The calculator: the interval --arrivals are counted in (default 30m).
    #[arg(long, value_name = "INTERVAL")]
    per: Option<String>,
    /// Mean handle time, e.g. 180s or 3m (the calculator needs it; the observed form measures it).
    #[arg(long, value_name = "DURATION")]
    aht: Option<String>,
    /// The calculator: the figures of this many agents instead of the fewest that meet the objective.
    #[arg(long, value_name = "N")]
    agents: Option<String>,
    /// The calculator: hours a week the queue is open at this load, for the cost per week (default 40).
    #[arg(long, value_name = "HOURS")]
    hours_per_week: Option<String>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

pub fn staffing(a: StaffingArgs, s: &Settings) -> Result<u8, Failure> {
    let req = StaffingRequest {
        service_level: a.service_level,
        shrinkage: a.shrinkage,
        max_occupancy: a.max_occupancy,
        cost_per_hour: a.cost_per_hour,
        arrivals: a.arrivals,
        per: a.per,
        aht: a.aht,
        agents: a.agents,
        hours_per_week: a.hours_per_week,
        segment: a.segment,
        from: date_opt(&a.from, "--from")?,
        to: date_opt(&a.to, "--to")?,
        timezone: a.timezone,
    };
    match req.parse()? {
        // The calculator needs no database.
        StaffingQuestion::Calculator(q) => {
            let answer = calculate(&q)?;
            match a.format {
                OutputFormat::Json => print_json(&answer)?,
                OutputFormat::Table => print_calculator(&answer),
            }
        }
        StaffingQuestion::Observed(q) => {
            let store = open_existing(s)?;
            let answer = observe(&store, &q)?;
            match a.format {
                OutputFormat::Json => print_json(&answer)?,
                OutputFormat::Table => print_observed(&answer),
            }
        }
    }
    Ok(0)
}

/// 47467 → "47,467": digits in groups of three.
fn grouped(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 22400 → "22,400.00" (amounts are never negative here).
fn money(v: f64) -> String {
    let text = format!("{:.2}", v.max(0.0));
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    format!("{}.{cents}", grouped(whole))
}

/// A count of things: 47467 → "47,467"; a mean keeps one decimal.
fn count(v: f64) -> String {
    let text = if (v - v.round()).abs() < 1e-9 {
        format!("{:.0}", v.max(0.0))
    } else {
        format!("{:.1}", v.max(0.0))
    };
    match text.split_once('.') {
        Some((whole, tenths)) => format!("{}.{tenths}", grouped(whole)),
        None => grouped(&text),
    }
}

fn agents(n: u32) -> String {
    if n == 1 {
        "1 agent".into()
    } else {
        format!("{n} agents")
    }
}

fn pct(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

fn secs(v: f64) -> String {
    format!("{v:.1} s")
}

fn interval(secs: f64) -> String {
    if secs >= 3600.0 && (secs % 3600.0).abs() < 1e-9 {
        format!("{} h", count(secs / 3600.0))
    } else if secs >= 60.0 && (secs % 60.0).abs() < 1e-9 {
        format!("{} min", count(secs / 60.0))
    } else {
        format!("{} s", count(secs))
    }
}

fn terms_line(t: &TermsEcho) -> String {
    let mut parts = vec![
        format!("objective {}", t.objective),
        format!("max occupancy {}", pct(t.max_occupancy)),
        format!("shrinkage {}", pct(t.shrinkage)),
    ];
    if let Some(r) = t.rate_per_agent_hour {
        parts.push(format!("{} per agent-hour", money(r)));
    }
    parts.join(", ")
}

/// Prints rows under a header, numbers right-aligned.
fn print_table(rows: &[Vec<String>]) {
    let Some(header) = rows.first() else {
        return;
    };
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, r) in rows.iter().enumerate() {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, w))| {
                if c == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        outln!("{}", line.join("  ").trim_end());
        if i == 0 {
            let rule: Vec<String> = widths
                .iter()
                .zip(header)
                .map(|(w, h)| if h.is_empty() { " " } else { "-" }.repeat(*w))
                .collect();
            outln!("{}", rule.join("  ").trim_end());
        }
    }
}

/// The curve as rows; the cost column only when a cost was given.
fn curve_table(points: &[CurvePoint], mark: u32, mark_text: &str) -> Vec<Vec<String>> {
    let costed = points.iter().any(|p| p.cost_per_hour.is_some());
    let mut rows = curve_rows(points, mark, mark_text);
    if !costed {
        for r in &mut rows {
            r.remove(5);
        }
    }
    rows
}

fn curve_rows(points: &[CurvePoint], mark: u32, mark_text: &str) -> Vec<Vec<String>> {
    let mut rows = vec![[
        "agents",
        "service level",
        "ASA",
        "occupancy",
        "on the rota",
        "cost/hour",
        "",
    ]
    .map(String::from)
    .to_vec()];
    for p in points {
        let f = p.performance;
        rows.push(vec![
            f.agents.to_string(),
            pct(f.service_level),
            secs(f.asa_secs),
            pct(f.occupancy),
            p.rota_agents.to_string(),
            p.cost_per_hour.map(money).unwrap_or_else(|| "—".into()),
            if f.agents == mark {
                mark_text.to_string()
            } else {
                String::new()
            },
        ]);
    }
    rows
}

fn bound_by(b: Binding) -> &'static str {
    match b {
        Binding::ServiceLevel => "the service level sets them",
        Binding::Occupancy => "the maximum occupancy sets them",
    }
}

fn print_calculator(a: &CalculatorAnswer) {
    outln!(
        "{} calls per {}, handle time {}: {:.2} Erlangs of traffic",
        count(a.arrivals),
        interval(a.per_secs),
        secs(a.aht_secs),
        a.traffic
    );
    outln!("{}", terms_line(&a.terms));
    outln!();
    let mut lines: Vec<(String, String)> = vec![(
        "agents needed".into(),
        format!("{} ({})", a.agents_needed, bound_by(a.bound_by)),
    )];
    if a.agents != a.agents_needed || !a.reachable {
        lines.push(("agents asked about".into(), a.agents.to_string()));
    }
    match (a.service_level, a.asa_secs, a.wait_probability) {
        (Some(sl), Some(asa), Some(wait)) => {
            lines.push((
                "service level".into(),
                format!(
                    "{} answered within {} s",
                    pct(sl),
                    count(a.terms.answer_within_secs)
                ),
            ));
            lines.push(("average speed of answer".into(), secs(asa)));
            lines.push(("occupancy".into(), pct(a.occupancy)));
            lines.push(("calls that wait".into(), pct(wait)));
        }
        _ => lines.push((
            "service level".into(),
            "none: not reachable at this occupancy".into(),
        )),
    }
    lines.push(("agents on the rota".into(), a.rota_agents.to_string()));
    if let Some(c) = a.cost_per_hour {
        lines.push(("cost per hour".into(), money(c)));
    }
    if let Some(c) = a.cost_per_week {
        lines.push((
            "cost per week".into(),
            format!("{} ({} h open)", money(c), count(a.hours_per_week)),
        ));
    }
    let w = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    for (k, v) in &lines {
        outln!("{k:<w$}  {v}");
    }
    outln!();
    print_table(&curve_table(&a.curve, a.agents_needed, "← needed"));
    if !a.notes.is_empty() {
        outln!();
        for n in &a.notes {
            outln!("note: {n}");
        }
    }
}

fn print_observed(a: &ObservedAnswer) {
    let p = &a.plan;
    let w = &p.week;
    outln!(
        "queue \"{}\", {} to {} ({:.1} weeks) in {}: {} calls",
        a.segment,
        a.from,
        a.to,
        a.weeks,
        a.timezone,
        count(a.calls as f64)
    );
    let aht = match a.aht_source {
        "given" => format!("handle time {} (given)", secs(p.aht_secs)),
        _ => format!(
            "handle time {} (the mean of {} answered calls)",
            secs(p.aht_secs),
            count(a.handled as f64)
        ),
    };
    outln!("{aht}; {}", terms_line(&a.terms));
    outln!();
    outln!(
        "the week: {} calls; at most {} at once ({} on the rota); {} agent-hours ({} on the rota) over {} open hours",
        count(w.arrivals),
        agents(w.agents),
        w.rota_agents,
        count(w.agent_hours),
        count(w.rota_agent_hours),
        count(w.open_hours)
    );
    let observed = w
        .observed_service_level
        .map(|o| format!(" (observed {})", pct(o)))
        .unwrap_or_default();
    let abandoned = w
        .abandon_rate
        .map(|r| format!("; {} abandoned", pct(r)))
        .unwrap_or_default();
    outln!(
        "predicted service level {}{observed}, ASA {}, occupancy {}{abandoned}",
        pct(w.service_level),
        secs(w.asa_secs),
        pct(w.occupancy)
    );
    if let (Some(c), Some(h)) = (w.cost, w.cost_per_open_hour) {
        outln!("cost {} a week, {} per open hour", money(c), money(h));
    }
    outln!();
    let mut rows = vec![[
        "half-hour",
        "calls",
        "agents",
        "service level",
        "ASA",
        "occupancy",
        "on the rota",
        "cost/hour",
        "observed SL",
        "abandoned",
    ]
    .map(String::from)
    .to_vec()];
    let dash = || "—".to_string();
    for r in &p.half_hours {
        rows.push(vec![
            r.half_hour.to_string(),
            format!("{:.1}", r.arrivals),
            r.agents.to_string(),
            pct(r.service_level),
            secs(r.asa_secs),
            pct(r.occupancy),
            r.rota_agents.to_string(),
            r.cost_per_hour.map(money).unwrap_or_else(dash),
            r.observed_service_level.map(pct).unwrap_or_else(dash),
            r.abandon_rate.map(pct).unwrap_or_else(dash),
        ]);
    }
    print_table(&rows);
    outln!();
    let mut rows = vec![[
        "objective",
        "service level",
        "agent-hours",
        "on the rota",
        "cost/week",
        "",
    ]
    .map(String::from)
    .to_vec()];
    for t in &p.targets {
        rows.push(vec![
            format!(
                "{}/{}",
                count(t.target * 100.0),
                count(a.terms.answer_within_secs)
            ),
            pct(t.service_level),
            count(t.agent_hours),
            count(t.rota_agent_hours),
            t.cost.map(money).unwrap_or_else(dash),
            if t.points == 0.0 {
                "← asked".into()
            } else {
                String::new()
            },
        ]);
    }
    print_table(&rows);
    if let Some(b) = &p.busiest {
        outln!();
        let busiest = p.half_hours.iter().find(|r| r.half_hour == b.half_hour);
        let needed = busiest.map_or(0, |r| r.agents);
        outln!(
            "the busiest half-hour, {} ({} calls, {} needed):",
            b.half_hour,
            busiest.map_or_else(String::new, |r| format!("{:.1}", r.arrivals)),
            agents(needed)
        );
        print_table(&curve_table(&b.points, needed, "← needed"));
    }
    if !p.notes.is_empty() {
        outln!();
        for n in &p.notes {
            outln!("note: {n}");
        }
    }
}
