//! A series over time: a line per group on a date axis, its 95 % interval
//! as a band, a legend when there are several groups, and a period not yet
//! complete drawn dashed with a hollow point.

use std::collections::BTreeSet;

use jiff::civil::Date;
use metas_domain::kpi::{Grain, Unit};

use super::*;

/// One bucket of a group's series.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Point {
    /// The bucket's first day (where it is drawn).
    pub date: Date,
    /// The bucket as people name it ("Jun 2026").
    pub period: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub n: u64,
    /// Why the bucket is not whole ("Partial: to 30 Jun 2026"), if it is not.
    pub partial: Option<String>,
}

/// One group's line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    pub label: String,
    /// In date order.
    pub points: Vec<Point>,
}

const W: f64 = 880.0;
const LEFT: f64 = 76.0;
const RIGHT: f64 = W - 52.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 292.0;
/// Points are drawn one by one up to this many per line (beyond, the line
/// alone reads better, and the table has every figure).
const MAX_DOTS: usize = 60;

/// The line chart of `series` (each a group), values in `unit`: `title` is
/// its accessible name.
pub(crate) fn line_chart(
    tr: &Tr,
    id: &str,
    unit: Unit,
    grain: Grain,
    title: &str,
    series: &[Series],
) -> String {
    let points = || series.iter().flat_map(|s| s.points.iter());
    let dates: BTreeSet<Date> = points().map(|p| p.date).collect();
    let (Some(first), Some(last)) = (dates.first().copied(), dates.last().copied()) else {
        return String::new();
    };
    // The axis holds the values, and the intervals within a span of the
    // values' own range: the band of a group of three would flatten every
    // line, so it is cut at the plot's edge instead.
    let (v_lo, v_hi) = points().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
        (l.min(p.value), h.max(p.value))
    });
    let reach = (v_hi - v_lo).max(v_hi.abs() * 0.02).max(1e-9);
    let (lo, hi) = points().fold((v_lo, v_hi), |(l, h), p| {
        (
            p.low.map_or(l, |x| l.min(x.max(v_lo - reach))),
            p.high.map_or(h, |x| h.max(x.min(v_hi + reach))),
        )
    });
    let axis = ValueAxis::new(unit, lo, hi, 5);
    let x = |d: Date| {
        if last > first {
            LEFT + days(first, d) / days(first, last) * (RIGHT - LEFT)
        } else {
            (LEFT + RIGHT) / 2.0
        }
    };
    let y = |v: f64| axis.at(v, BOTTOM, TOP);

    // The legend: one entry per group when there are several, then what
    // the dashes and the band mean.
    let several = series.len() > 1;
    let partial_notes: BTreeSet<&str> = points().filter_map(|p| p.partial.as_deref()).collect();
    let has_band = points().any(|p| p.low.is_some() && p.high.is_some());
    let per_row = 4usize;
    let group_rows = if several {
        series.len().div_ceil(per_row)
    } else {
        0
    };
    let legend_top = BOTTOM + 36.0;
    let notes_top = legend_top + group_rows as f64 * 18.0;
    let note_lines = partial_notes.len() + usize::from(has_band);
    let height = (notes_top + note_lines as f64 * 16.0 + 8.0).ceil();

    let low = tr.value(unit, v_lo);
    let high = tr.value(unit, v_hi);
    let desc = tr.args(
        "chart-series-desc",
        &[
            ("lines", series.len().to_string()),
            ("from", tr.date(first)),
            ("to", tr.date(last)),
            ("low", low),
            ("high", high),
        ],
    );
    let mut svg = svg_open(id, "chart series", W, height, title, &desc);
    svg.push_str(&format!(
        r##"<defs><clipPath id="{id}-plot"><rect x="{LEFT}" y="{TOP}" width="{w}" height="{h}"/></clipPath></defs>"##,
        w = RIGHT - LEFT,
        h = BOTTOM - TOP
    ));

    // The value axis: round values, a light line across at each.
    svg.push_str(r#"<g class="axis y">"#);
    for t in &axis.ticks {
        let ty = y(*t);
        svg.push_str(&format!(
            r#"<line x1="{LEFT}" x2="{RIGHT}" y1="{ty:.1}" y2="{ty:.1}" stroke="{GRID}"/><text x="{lx}" y="{ly:.1}" font-size="11" text-anchor="end" fill="{MUTED}">{}</text>"#,
            esc(&axis.label(tr, unit, *t)),
            lx = LEFT - 6.0,
            ly = ty + 4.0
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{BOTTOM}" stroke="{INK}"/></g>"#
    ));
    // The date axis.
    svg.push_str(r#"<g class="axis x">"#);
    let max_ticks = ((RIGHT - LEFT) / 110.0).floor() as usize;
    for (d, label) in date_ticks(tr, first, last, max_ticks, grain) {
        let tx = x(d);
        svg.push_str(&format!(
            r#"<line x1="{tx:.1}" x2="{tx:.1}" y1="{BOTTOM}" y2="{b:.1}" stroke="{INK}"/><text x="{tx:.1}" y="{ty:.1}" font-size="11" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            esc(&label),
            b = BOTTOM + 5.0,
            ty = BOTTOM + 18.0
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{LEFT}" x2="{RIGHT}" y1="{BOTTOM}" y2="{BOTTOM}" stroke="{INK}"/></g>"#
    ));

    let dates: Vec<Date> = dates.into_iter().collect();
    for (i, s) in series.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        svg.push_str(&format!(
            r#"<g class="group" data-group="{}">"#,
            esc(&s.label)
        ));
        let runs = runs(&dates, &s.points);
        // The interval as a band, over each stretch of whole periods that
        // have one (a period of a day or two would fan it out to nothing
        // worth reading; its point and dashes say enough). Fainter as the
        // groups get more, so the lines stay readable.
        let opacity = if series.len() <= 2 { 0.15 } else { 0.07 };
        for run in &runs {
            for stretch in run.split(|p| p.low.is_none() || p.high.is_none() || p.partial.is_some())
            {
                if stretch.len() < 2 {
                    continue;
                }
                let upper = stretch
                    .iter()
                    .map(|p| format!("{:.1},{:.1}", x(p.date), y(p.high.unwrap_or(p.value))));
                let lower = stretch
                    .iter()
                    .rev()
                    .map(|p| format!("{:.1},{:.1}", x(p.date), y(p.low.unwrap_or(p.value))));
                svg.push_str(&format!(
                    r#"<polygon class="band" points="{}" fill="{colour}" fill-opacity="{opacity}" clip-path="url(#{id}-plot)"/>"#,
                    upper.chain(lower).collect::<Vec<_>>().join(" ")
                ));
            }
        }
        // The line: solid between whole periods, dashed to a partial one.
        let mut solid = String::new();
        let mut dashed = String::new();
        for run in &runs {
            let mut pen_at: Option<Date> = None;
            for pair in run.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let (ax, ay, bx, by) = (x(a.date), y(a.value), x(b.date), y(b.value));
                if a.partial.is_some() || b.partial.is_some() {
                    dashed.push_str(&format!("M{ax:.1},{ay:.1}L{bx:.1},{by:.1}"));
                    pen_at = None;
                } else {
                    if pen_at != Some(a.date) {
                        solid.push_str(&format!("M{ax:.1},{ay:.1}"));
                    }
                    solid.push_str(&format!("L{bx:.1},{by:.1}"));
                    pen_at = Some(b.date);
                }
            }
        }
        if !solid.is_empty() {
            svg.push_str(&format!(
                r#"<path class="line" d="{solid}" fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round"/>"#
            ));
        }
        if !dashed.is_empty() {
            svg.push_str(&format!(
                r#"<path class="line partial" d="{dashed}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="5 4"/>"#
            ));
        }
        // Points: each with its figure on hover; alone or partial, always.
        let every_dot = s.points.len() <= MAX_DOTS;
        for run in &runs {
            for p in run {
                if !(every_dot || run.len() == 1 || p.partial.is_some()) {
                    continue;
                }
                let mut tip = format!(
                    "{} · {}: {} ({})",
                    s.label,
                    p.period,
                    tr.value(unit, p.value),
                    tr.t1("figure-n", "n", tr.count(p.n))
                );
                if let Some(note) = &p.partial {
                    tip.push_str(&format!(" · {note}"));
                }
                svg.push_str(&format!(
                    r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{}" stroke="{colour}" stroke-width="1.5"><title>{}</title></circle>"#,
                    x(p.date),
                    y(p.value),
                    if p.partial.is_some() { "#fff" } else { colour },
                    esc(&tip)
                ));
            }
        }
        svg.push_str("</g>");
    }

    // The legend.
    svg.push_str(r#"<g class="legend">"#);
    if several {
        let col_w = (RIGHT - 12.0) / per_row as f64;
        for (i, s) in series.iter().enumerate() {
            let colour = PALETTE[i % PALETTE.len()];
            let lx = 12.0 + (i % per_row) as f64 * col_w;
            let ly = legend_top + (i / per_row) as f64 * 18.0;
            svg.push_str(&format!(
                r#"<g class="entry"><title>{full}</title><line x1="{lx}" x2="{x2}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="3"/><text x="{tx}" y="{ty}" font-size="12" fill="{INK}">{short}</text></g>"#,
                full = esc(&s.label),
                short = esc(&shorten(&s.label, 24)),
                x2 = lx + 18.0,
                tx = lx + 24.0,
                ty = ly + 4.0
            ));
        }
    }
    let mut ny = notes_top;
    for note in &partial_notes {
        svg.push_str(&format!(
            r##"<line x1="12" x2="30" y1="{ny}" y2="{ny}" stroke="{MUTED}" stroke-width="2" stroke-dasharray="5 4"/><text class="partial-note" x="36" y="{ty}" font-size="12" fill="{MUTED}">{}</text>"##,
            esc(note),
            ty = ny + 4.0
        ));
        ny += 16.0;
    }
    if has_band {
        svg.push_str(&format!(
            r#"<rect x="12" y="{ry}" width="18" height="10" fill="{MUTED}" fill-opacity="0.25"/><text x="36" y="{ty}" font-size="12" fill="{MUTED}">{}</text>"#,
            esc(&tr.t("chart-band-legend")),
            ry = ny - 5.0,
            ty = ny + 4.0
        ));
    }
    svg.push_str("</g></svg>");
    svg
}

/// A group's points cut where it has no figure for a bucket other groups
/// have: a line does not bridge a period without data.
fn runs<'a>(dates: &[Date], points: &'a [Point]) -> Vec<Vec<&'a Point>> {
    let mut out: Vec<Vec<&Point>> = Vec::new();
    let mut current: Vec<&Point> = Vec::new();
    for d in dates {
        match points.iter().find(|p| p.date == *d) {
            Some(p) => current.push(p),
            None if !current.is_empty() => out.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn point(date: &str, value: f64, partial: bool) -> Point {
        Point {
            date: date.parse().unwrap(),
            period: date.into(),
            value,
            low: Some(value - 0.02),
            high: Some(value + 0.02),
            n: 100,
            partial: partial.then(|| "Partial: to 30 Jun 2026".into()),
        }
    }

    #[test]
    fn a_line_per_group_a_legend_axes_and_a_dashed_partial_end() {
        let tr = Tr::new(Lang::En);
        let series = vec![
            Series {
                label: "email".into(),
                points: vec![
                    point("2026-04-01", 0.80, false),
                    point("2026-05-01", 0.82, false),
                    point("2026-06-01", 0.70, true),
                ],
            },
            Series {
                label: "<chat>".into(),
                // No May: the line breaks there.
                points: vec![
                    point("2026-04-01", 0.85, false),
                    point("2026-06-01", 0.86, true),
                ],
            },
        ];
        let svg = line_chart(&tr, "c", Unit::Rate, Grain::Month, "CSAT", &series);
        assert_eq!(svg.matches(r#"<g class="group""#).count(), 2, "{svg}");
        assert_eq!(svg.matches(r#"class="line partial""#).count(), 1, "{svg}");
        assert_eq!(
            svg.matches(r#"<path class="line""#).count(),
            1,
            "email's whole months"
        );
        assert!(
            svg.contains("&lt;chat&gt;") && !svg.contains("<chat>"),
            "escaped"
        );
        assert!(svg.contains(r#"<g class="legend">"#) && svg.contains("Partial: to 30 Jun 2026"));
        assert!(
            svg.contains(">Apr 2026<") && svg.contains(">Jun 2026<"),
            "dates: {svg}"
        );
        assert!(svg.contains(">80 %<"), "values: {svg}");
        assert!(svg.contains("<title id=\"c-title\">CSAT</title>"));
        // One group: no legend entry for it, still axes.
        let one = line_chart(&tr, "c", Unit::Rate, Grain::Month, "CSAT", &series[..1]);
        assert!(!one.contains(r#"class="entry""#) && one.contains(r#"class="axis x""#));
    }
}
