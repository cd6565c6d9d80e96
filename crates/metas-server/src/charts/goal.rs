//! A goal's history: the weekly values since the start on a date axis from
//! the start to the deadline, against the baseline and the target, with the
//! forecast's interval at the deadline; values and dates on the axes, and
//! the weekly figures as a table the user can open.

use jiff::civil::Date;
use metas_domain::kpi::{Grain, Unit};
use metas_service::goal::Tracking;

use super::*;

const W: f64 = 700.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = 560.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 200.0;
const H: f64 = 248.0;
const SERIES: &str = "#5b7bd5";
const BASELINE: &str = "#999";
const TARGET: &str = "#3a9d5d";
const FORECAST: &str = "#b07a12";

/// The goal's chart and its table, or nothing before there is a baseline
/// and a week of figures.
pub(crate) fn goal_chart(tr: &Tr, t: &Tracking) -> String {
    let g = &t.goal;
    let (Some(baseline), false) = (g.baseline, t.series.is_empty()) else {
        return String::new();
    };
    let unit = metas_domain::kpi::kpi(&g.metric).map_or(Unit::Score, |k| k.unit);
    let until = t.as_of.min(g.deadline);
    // A week cut by the start or not over by today is partial.
    let partial = |d: Date| d < g.start || Grain::Week.last_day(d).is_none_or(|end| end >= until);
    let first = t
        .series
        .iter()
        .map(|p| p.date)
        .min()
        .unwrap_or(g.start)
        .min(g.start);
    let last = g.deadline.max(first);
    let mut ys: Vec<f64> = t.series.iter().map(|p| p.value).collect();
    ys.extend([baseline, g.target]);
    if let Some(f) = &t.forecast {
        ys.extend([f.interval.low, f.interval.high]);
    }
    let (lo, hi) = ys
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    let pad = ((hi - lo) * 0.05).max(hi.abs() * 0.005);
    let axis = ValueAxis::new(unit, lo - pad, hi + pad, 5);
    let span = days(first, last).max(1.0);
    let x = |d: Date| LEFT + (days(first, d) / span).clamp(0.0, 1.0) * (RIGHT - LEFT);
    let y = |v: f64| axis.at(v, BOTTOM, TOP);

    let kpi_name = tr.kpi_name(&g.metric);
    let latest = t.series.last().map(|p| p.value).unwrap_or(baseline);
    let desc = tr.args(
        "chart-goal-desc",
        &[
            ("from", tr.date(first)),
            ("to", tr.date(until)),
            ("last", tr.value(unit, latest)),
            ("baseline", tr.value(unit, baseline)),
            ("target", tr.value(unit, g.target)),
            ("deadline", tr.date(g.deadline)),
        ],
    );
    let id = format!("goal-chart-{}", g.id);
    let mut svg = svg_open(
        &id,
        "chart goal",
        W,
        H,
        &tr.t1("chart-goal-title", "kpi", &kpi_name),
        &desc,
    );
    svg.push_str(&format!(
        r##"<rect width="{W}" height="{H}" fill="#fff"/>"##
    ));
    // Value axis.
    svg.push_str(r#"<g class="axis y">"#);
    for v in &axis.ticks {
        let ty = y(*v);
        svg.push_str(&format!(
            r#"<line x1="{LEFT}" x2="{RIGHT}" y1="{ty:.1}" y2="{ty:.1}" stroke="{GRID}"/><text x="{lx}" y="{ly:.1}" font-size="11" text-anchor="end" fill="{MUTED}">{}</text>"#,
            esc(&axis.label(tr, unit, *v)),
            lx = LEFT - 6.0,
            ly = ty + 4.0
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{BOTTOM}" stroke="{INK}"/></g>"#
    ));
    // Date axis, from the start to the deadline.
    svg.push_str(r#"<g class="axis x">"#);
    for (d, label) in date_ticks(tr, first, last, 5, Grain::Day) {
        let tx = x(d);
        svg.push_str(&format!(
            r#"<line x1="{tx:.1}" x2="{tx:.1}" y1="{BOTTOM}" y2="{b}" stroke="{INK}"/><text x="{tx:.1}" y="{ty}" font-size="11" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            esc(&label),
            b = BOTTOM + 5.0,
            ty = BOTTOM + 18.0
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{INK}"/></g>"#
    ));
    // Today, if the goal is running.
    if t.as_of > first && t.as_of < last {
        let tx = x(t.as_of);
        svg.push_str(&format!(
            r#"<line class="today" x1="{tx:.1}" x2="{tx:.1}" y1="{TOP}" y2="{BOTTOM}" stroke="{MUTED}" stroke-dasharray="2 3"/><text x="{tx:.1}" y="{ty}" font-size="10" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            esc(&tr.t("chart-today")),
            ty = TOP - 2.0
        ));
    }
    // Baseline and target, each named at its right end with its value.
    for (class, value, colour, dash, label) in [
        (
            "baseline",
            baseline,
            BASELINE,
            r#" stroke-dasharray="4""#,
            tr.t1("chart-goal-baseline", "value", tr.value(unit, baseline)),
        ),
        (
            "target",
            g.target,
            TARGET,
            "",
            tr.t1("chart-goal-target", "value", tr.value(unit, g.target)),
        ),
    ] {
        let ly = y(value);
        // Labels a few pixels apart when the two lines are close.
        let text_y = if class == "target" && (y(baseline) - ly).abs() < 12.0 {
            if ly < y(baseline) {
                ly - 4.0
            } else {
                ly + 12.0
            }
        } else {
            ly + 4.0
        };
        svg.push_str(&format!(
            r#"<line class="{class}" x1="{LEFT}" x2="{RIGHT}" y1="{ly:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="1.5"{dash}/><text x="{tx}" y="{text_y:.1}" font-size="11" fill="{colour}">{}</text>"#,
            esc(&label),
            tx = RIGHT + 6.0
        ));
    }
    // The weekly values: solid between whole weeks, dashed to a partial one.
    let mut solid = String::new();
    let mut dashed = String::new();
    for pair in t.series.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let seg = format!(
            "M{:.1},{:.1}L{:.1},{:.1}",
            x(a.date),
            y(a.value),
            x(b.date),
            y(b.value)
        );
        if partial(a.date) || partial(b.date) {
            dashed.push_str(&seg);
        } else {
            solid.push_str(&seg);
        }
    }
    svg.push_str(&format!(
        r#"<path class="line" d="{solid}" fill="none" stroke="{SERIES}" stroke-width="2"/>"#
    ));
    if !dashed.is_empty() {
        svg.push_str(&format!(
            r#"<path class="line partial" d="{dashed}" fill="none" stroke="{SERIES}" stroke-width="2" stroke-dasharray="5 4"/>"#
        ));
    }
    for p in &t.series {
        svg.push_str(&format!(
            r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{}" stroke="{SERIES}"><title>{}: {}</title></circle>"##,
            x(p.date),
            y(p.value),
            if partial(p.date) { "#fff" } else { SERIES },
            esc(&tr.date(p.date)),
            esc(&tr.value(unit, p.value))
        ));
    }
    if let Some(f) = &t.forecast {
        let fx = x(f.date);
        svg.push_str(&format!(
            r#"<g class="forecast"><title>{}</title><line x1="{fx:.1}" x2="{fx:.1}" y1="{a:.1}" y2="{b:.1}" stroke="{FORECAST}" stroke-width="6" opacity=".5"/><circle cx="{fx:.1}" cy="{c:.1}" r="4" fill="{FORECAST}"/></g>"#,
            esc(&format!(
                "{}: {} ({} – {})",
                tr.t("chart-goal-forecast"),
                tr.value(unit, f.value),
                tr.value(unit, f.interval.low),
                tr.value(unit, f.interval.high)
            )),
            a = y(f.interval.low),
            b = y(f.interval.high),
            c = y(f.value)
        ));
    }
    if let Some(p) = t.series.last().filter(|p| partial(p.date)) {
        svg.push_str(&format!(
            r#"<text class="partial-note" x="{RIGHT}" y="{ty}" font-size="11" text-anchor="end" fill="{MUTED}">{}</text>"#,
            esc(&tr.t1(
                "chart-partial-to",
                "date",
                tr.date(Grain::Week.last_day(p.date).unwrap_or(until).min(until))
            )),
            ty = H - 6.0
        ));
    }
    svg.push_str("</svg>");
    // The figures behind the line, for those who would rather read them.
    let rows: String = t
        .series
        .iter()
        .map(|p| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&tr.date(p.date)),
                esc(&tr.value(unit, p.value)),
                esc(&tr.count(p.n.round() as u64))
            )
        })
        .collect();
    format!(
        r#"<figure class="chart">{svg}<details class="chart-table"><summary>{}</summary><table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table></details></figure>"#,
        esc(&tr.t("chart-table")),
        esc(&tr.t("chart-week")),
        esc(&tr.t("chart-value")),
        esc(&tr.t("chart-n")),
    )
}
