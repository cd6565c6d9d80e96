//! A staffing curve: the service level (left axis) and, when a cost was
//! given, the cost per hour (right axis) against the number of agents, with
//! the objective as a dashed line across and the staffing chosen marked;
//! a legend says which line is which, and the title and description say
//! it in words (the figures are the table beside it).

use metas_domain::kpi::Unit;
use metas_domain::staffing::CurvePoint;

use super::*;

const W: f64 = 760.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = W - 84.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 236.0;
const LEVEL: &str = PALETTE[0];
const COST: &str = PALETTE[1];
const TARGET: &str = "#3a9d5d";

/// The curve of `points` (agents in increasing order), the objective's
/// share `target` and the agents `chosen`, as an SVG with id `id`.
pub(crate) fn curve_chart(
    tr: &Tr,
    id: &str,
    title: &str,
    points: &[CurvePoint],
    target: f64,
    chosen: u32,
) -> String {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return String::new();
    };
    let (a0, a1) = (first.performance.agents, last.performance.agents);
    let x_axis = ValueAxis::new(Unit::Count, f64::from(a0), f64::from(a1.max(a0 + 1)), 8);
    let x = |agents: u32| x_axis.at(f64::from(agents), LEFT, RIGHT);
    let low_level = points
        .iter()
        .map(|p| p.performance.service_level)
        .fold(target, f64::min);
    let level_axis = ValueAxis::new(Unit::Rate, low_level, 1.0, 5);
    let y = |v: f64| level_axis.at(v, BOTTOM, TOP);
    let costs: Vec<(u32, f64)> = points
        .iter()
        .filter_map(|p| p.cost_per_hour.map(|c| (p.performance.agents, c)))
        .collect();
    let cost_axis = (!costs.is_empty()).then(|| {
        let high = costs.iter().map(|c| c.1).fold(0.0, f64::max);
        ValueAxis::new(Unit::Count, 0.0, high, 5)
    });

    // The text alternative.
    let chosen_point = points.iter().find(|p| p.performance.agents == chosen);
    let mut desc = tr.args(
        "staffing-curve-desc",
        &[
            ("first", a0.to_string()),
            ("last", a1.to_string()),
            ("low", tr.value(Unit::Rate, first.performance.service_level)),
            ("high", tr.value(Unit::Rate, last.performance.service_level)),
            ("target", tr.value(Unit::Rate, target)),
        ],
    );
    if let Some(p) = chosen_point {
        desc.push(' ');
        desc.push_str(&tr.t2(
            "staffing-curve-chosen-desc",
            "agents",
            chosen,
            "level",
            tr.value(Unit::Rate, p.performance.service_level),
        ));
    }
    let legend_top = BOTTOM + 44.0;
    let height = legend_top + 14.0;
    let mut svg = svg_open(id, "chart curve", W, height, title, &desc);

    // The service level axis, on the left, with a light line at each tick.
    svg.push_str(r#"<g class="axis y">"#);
    for t in &level_axis.ticks {
        let ty = y(*t);
        svg.push_str(&format!(
            r#"<line x1="{LEFT}" x2="{RIGHT}" y1="{ty:.1}" y2="{ty:.1}" stroke="{GRID}"/><text x="{lx}" y="{ly:.1}" font-size="11" text-anchor="end" fill="{LEVEL}">{}</text>"#,
            esc(&level_axis.label(tr, Unit::Rate, *t)),
            lx = LEFT - 6.0,
            ly = ty + 4.0
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{BOTTOM}" stroke="{INK}"/></g>"#
    ));
    // The cost axis, on the right.
    if let Some(axis) = &cost_axis {
        svg.push_str(r#"<g class="axis y2">"#);
        for t in &axis.ticks {
            let ty = axis.at(*t, BOTTOM, TOP);
            svg.push_str(&format!(
                r#"<text x="{lx}" y="{ly:.1}" font-size="11" fill="{COST}">{}</text>"#,
                esc(&axis.label(tr, Unit::Count, *t)),
                lx = RIGHT + 6.0,
                ly = ty + 4.0
            ));
        }
        svg.push_str(&format!(
            r#"<line x1="{RIGHT}" x2="{RIGHT}" y1="{TOP}" y2="{BOTTOM}" stroke="{INK}"/></g>"#
        ));
    }
    // The agents axis.
    svg.push_str(r#"<g class="axis x">"#);
    for t in &x_axis.ticks {
        let tx = x_axis.at(*t, LEFT, RIGHT);
        svg.push_str(&format!(
            r#"<line x1="{tx:.1}" x2="{tx:.1}" y1="{BOTTOM}" y2="{b}" stroke="{INK}"/><text x="{tx:.1}" y="{ty}" font-size="11" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            esc(&x_axis.label(tr, Unit::Count, *t)),
            b = BOTTOM + 5.0,
            ty = BOTTOM + 18.0
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{INK}"/><text x="{mx}" y="{ty}" font-size="11" text-anchor="middle" fill="{INK}">{}</text></g>"#,
        esc(&tr.t("staffing-curve-agents-axis")),
        mx = (LEFT + RIGHT) / 2.0,
        ty = BOTTOM + 34.0
    ));

    // The objective across, and the staffing chosen.
    let ty = y(target);
    svg.push_str(&format!(
        r#"<line class="objective" x1="{LEFT}" x2="{RIGHT}" y1="{ty:.1}" y2="{ty:.1}" stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>"#
    ));
    if chosen_point.is_some() {
        let cx = x(chosen);
        svg.push_str(&format!(
            r#"<g class="chosen"><line x1="{cx:.1}" x2="{cx:.1}" y1="{TOP}" y2="{BOTTOM}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="2 3"/><text x="{cx:.1}" y="{t}" font-size="11" text-anchor="middle" fill="{INK}">{}</text></g>"#,
            esc(&tr.t1("staffing-curve-chosen", "agents", chosen)),
            t = TOP + 10.0
        ));
    }

    // The lines and their points, each with its figures on hover.
    let path = |pts: &mut dyn Iterator<Item = (f64, f64)>| -> String {
        pts.enumerate()
            .map(|(i, (px, py))| format!("{}{px:.1},{py:.1}", if i == 0 { "M" } else { "L" }))
            .collect()
    };
    let level_path = path(
        &mut points
            .iter()
            .map(|p| (x(p.performance.agents), y(p.performance.service_level))),
    );
    svg.push_str(&format!(
        r#"<g class="line level"><path d="{level_path}" fill="none" stroke="{LEVEL}" stroke-width="2"/>"#
    ));
    for p in points {
        let f = p.performance;
        svg.push_str(&format!(
            r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{LEVEL}"><title>{}</title></circle>"#,
            x(f.agents),
            y(f.service_level),
            esc(&tr.args(
                "staffing-curve-point",
                &[
                    ("agents", f.agents.to_string()),
                    ("level", tr.value(Unit::Rate, f.service_level)),
                    ("asa", tr.value(Unit::Seconds, f.asa_secs)),
                    ("occupancy", tr.value(Unit::Rate, f.occupancy)),
                ],
            ))
        ));
    }
    svg.push_str("</g>");
    if let Some(axis) = &cost_axis {
        let cy = |c: f64| axis.at(c, BOTTOM, TOP);
        let cost_path = path(&mut costs.iter().map(|(a, c)| (x(*a), cy(*c))));
        svg.push_str(&format!(
            r#"<g class="line cost"><path d="{cost_path}" fill="none" stroke="{COST}" stroke-width="2" stroke-dasharray="8 3"/>"#
        ));
        for (a, c) in &costs {
            svg.push_str(&format!(
                r#"<rect x="{:.1}" y="{:.1}" width="6" height="6" fill="{COST}"><title>{}</title></rect>"#,
                x(*a) - 3.0,
                cy(*c) - 3.0,
                esc(&tr.t2("staffing-curve-cost-point", "agents", a, "cost", money(tr, *c)))
            ));
        }
        svg.push_str("</g>");
    }

    // The legend: which line is which.
    let mut entries = vec![(LEVEL, "", tr.t("staffing-curve-level-legend"))];
    if cost_axis.is_some() {
        entries.push((
            COST,
            r#" stroke-dasharray="8 3""#,
            tr.t("staffing-curve-cost-legend"),
        ));
    }
    entries.push((
        TARGET,
        r#" stroke-dasharray="6 4""#,
        tr.t1(
            "staffing-curve-objective-legend",
            "target",
            tr.value(Unit::Rate, target),
        ),
    ));
    svg.push_str(r#"<g class="legend">"#);
    let col = (W - 24.0) / entries.len() as f64;
    for (i, (colour, dash, label)) in entries.iter().enumerate() {
        let lx = 12.0 + i as f64 * col;
        svg.push_str(&format!(
            r#"<g class="entry"><line x1="{lx}" x2="{x2}" y1="{legend_top}" y2="{legend_top}" stroke="{colour}" stroke-width="3"{dash}/><text x="{tx}" y="{ty}" font-size="12" fill="{INK}">{}</text></g>"#,
            esc(label),
            x2 = lx + 22.0,
            tx = lx + 28.0,
            ty = legend_top + 4.0
        ));
    }
    svg.push_str("</g></svg>");
    svg
}

/// An amount of money: two decimals, digits grouped, the locale's marks.
pub(crate) fn money(tr: &Tr, v: f64) -> String {
    fixed(tr, v, 2)
}

/// A number never negative with `places` decimals, digits grouped, the
/// locale's marks: 1234.56 → "1,234.6" with one place in English.
pub(crate) fn fixed(tr: &Tr, v: f64, places: usize) -> String {
    let text = format!("{:.*}", places, v.max(0.0));
    let (whole, decimals) = match text.split_once('.') {
        Some((w, d)) => (w, Some(d)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if let Some(d) = decimals {
        grouped.push('.');
        grouped.push_str(d);
    }
    tr.num(&grouped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use metas_domain::staffing::{
        curve, Arrivals, HourlyCost, MaxOccupancy, Objective, Queue, Secs, ServiceLevel, Shrinkage,
    };

    #[test]
    fn the_worked_example_has_both_axes_a_legend_and_the_chosen_agents() {
        let tr = Tr::new(Lang::En);
        let queue = Queue::new(
            Arrivals::parse("100").unwrap(),
            Secs::HALF_HOUR,
            Secs::parse("180s").unwrap(),
        );
        let objective = Objective {
            service_level: ServiceLevel::parse("80/20").unwrap(),
            max_occupancy: MaxOccupancy::NONE,
        };
        let points = curve(
            &queue,
            &objective,
            14,
            Shrinkage::parse("30%").unwrap(),
            Some(HourlyCost::parse("28").unwrap()),
        );
        let svg = curve_chart(&tr, "c", "Curve", &points, 0.8, 14);
        for part in [
            r#"<g class="axis x">"#,
            r#"<g class="axis y">"#,
            r#"<g class="axis y2">"#,
            r#"<g class="legend">"#,
            r#"<g class="chosen">"#,
            r#"class="objective""#,
            "<title id=\"c-title\">Curve</title>",
            ">14 agents<",
            ">100 %<",
        ] {
            assert!(svg.contains(part), "{part}: {svg}");
        }
        assert_eq!(svg.matches(r#"<g class="entry">"#).count(), 3);
        assert_eq!(
            svg.matches("<circle").count(),
            points.len(),
            "a point per agent count"
        );
        assert_eq!(
            money(&Tr::new(Lang::Fr), 22400.0),
            "22 400,00".replace(' ', "\u{202f}")
        );
    }
}
