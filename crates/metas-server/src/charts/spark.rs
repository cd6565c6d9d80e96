//! A dashboard tile's weekly line: small, but with its lowest and highest
//! values and its first and last days written beside it, and the week not
//! yet over dashed.

use jiff::civil::Date;
use metas_domain::kpi::Unit;

use super::*;

/// One week of a sparkline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SparkPoint {
    /// The week's first day.
    pub date: Date,
    pub value: f64,
    /// The week is not over (or was cut): drawn dashed.
    pub partial: bool,
}

const W: f64 = 220.0;
const H: f64 = 58.0;
const LEFT: f64 = 50.0;
const RIGHT: f64 = 214.0;
const TOP: f64 = 6.0;
const BOTTOM: f64 = 38.0;

/// The weekly values of a tile up to `last_day`, values in `unit`; `title`
/// names it (the KPI).
pub(crate) fn sparkline(
    tr: &Tr,
    id: &str,
    unit: Unit,
    title: &str,
    points: &[SparkPoint],
    last_day: Date,
) -> String {
    sparkline_described(tr, id, unit, title, "chart-spark-desc", points, last_day)
}

/// [`sparkline`] with its description said by `desc` (a message taking
/// the same arguments as `chart-spark-desc`): the indicator board's lines
/// are by day, week, month or quarter.
pub(crate) fn sparkline_described(
    tr: &Tr,
    id: &str,
    unit: Unit,
    title: &str,
    desc: &str,
    points: &[SparkPoint],
    last_day: Date,
) -> String {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return String::new();
    };
    if points.len() < 2 {
        return String::new();
    }
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.value), h.max(p.value))
        });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let y = |v: f64| BOTTOM - (v - lo) / span * (BOTTOM - TOP);
    let x0 = first.date;
    let total = days(x0, last.date).max(1.0);
    let x = |d: Date| LEFT + days(x0, d) / total * (RIGHT - LEFT);
    let (low, high) = (
        minus_sign(&tr.value(unit, lo)),
        minus_sign(&tr.value(unit, hi)),
    );
    let desc = tr.args(
        desc,
        &[
            ("from", tr.date(x0)),
            ("to", tr.date(last_day)),
            ("first", tr.value(unit, first.value)),
            ("last", tr.value(unit, last.value)),
            ("low", low.clone()),
            ("high", high.clone()),
        ],
    );
    let mut svg = svg_open(id, "spark", W, H, title, &desc);
    // The extremes, written at their height; the first and last days below.
    svg.push_str(&format!(
        r#"<g class="axis y" font-size="9" fill="{MUTED}" text-anchor="end"><line x1="{LEFT}" x2="{RIGHT}" y1="{TOP}" y2="{TOP}" stroke="{GRID}"/><line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{GRID}"/><text x="{lx}" y="{t1}">{}</text><text x="{lx}" y="{t2}">{}</text></g>"#,
        esc(&high),
        esc(&low),
        lx = LEFT - 4.0,
        t1 = TOP + 4.0,
        t2 = BOTTOM + 3.0
    ));
    svg.push_str(&format!(
        r#"<g class="axis x" font-size="9" fill="{MUTED}"><text x="{LEFT}" y="{ty}">{}</text><text x="{RIGHT}" y="{ty}" text-anchor="end">{}</text></g>"#,
        esc(&tr.date(x0)),
        esc(&tr.date(last_day)),
        ty = H - 4.0
    ));
    let mut solid = String::new();
    let mut dashed = String::new();
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let seg = format!(
            "M{:.1},{:.1}L{:.1},{:.1}",
            x(a.date),
            y(a.value),
            x(b.date),
            y(b.value)
        );
        if a.partial || b.partial {
            dashed.push_str(&seg);
        } else {
            solid.push_str(&seg);
        }
    }
    svg.push_str(&format!(
        r#"<path class="line" d="{solid}" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>"#
    ));
    if !dashed.is_empty() {
        svg.push_str(&format!(
            r#"<path class="line partial" d="{dashed}" fill="none" stroke="currentColor" stroke-width="1.5" stroke-dasharray="3 3"/>"#
        ));
    }
    svg.push_str(&format!(
        r##"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{}" stroke="currentColor"/></svg>"##,
        x(last.date),
        y(last.value),
        if last.partial { "#fff" } else { "currentColor" }
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn a_week_not_over_is_dashed_and_the_extremes_are_written() {
        let tr = Tr::new(Lang::En);
        let week = |d: &str, value: f64, partial: bool| SparkPoint {
            date: d.parse().unwrap(),
            value,
            partial,
        };
        let points = [
            week("2026-06-15", 120.0, false),
            week("2026-06-22", 150.0, false),
            week("2026-06-29", 20.0, true),
        ];
        let svg = sparkline(
            &tr,
            "s",
            Unit::Count,
            "Volume",
            &points,
            "2026-06-30".parse().unwrap(),
        );
        assert_eq!(svg.matches("class=\"line partial\"").count(), 1, "{svg}");
        assert!(svg.contains(">150<") && svg.contains(">20<"), "{svg}");
        assert!(
            svg.contains(">15 Jun 2026<") && svg.contains(">30 Jun 2026<"),
            "{svg}"
        );
        assert!(svg.contains("aria-labelledby=\"s-title\""));
    }
}
