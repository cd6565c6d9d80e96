//! Categories: a bar per group in the order given (the explorer sorts them
//! by value), its 95 % interval as a whisker, the previous period as a
//! mark, a value axis below. Bars start at zero; where that would hide the
//! differences (rates close together) the axis starts higher and the chart
//! says so in words.

use metas_domain::kpi::Unit;

use super::*;

/// One group's bar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub n: u64,
    /// The previous period's value, when compared.
    pub previous: Option<f64>,
}

const W: f64 = 760.0;
const LABEL_W: f64 = 210.0;
const LEFT: f64 = 216.0;
const RIGHT: f64 = 650.0;
const ROW_H: f64 = 24.0;
const BAR_H: f64 = 14.0;

/// The bars of `bars`, values in `unit`; `previous` names the period the
/// marks stand for, when there are any. `title` is its accessible name.
pub(crate) fn bar_chart(
    tr: &Tr,
    id: &str,
    unit: Unit,
    title: &str,
    bars: &[Bar],
    previous: Option<&str>,
) -> String {
    let values: Vec<f64> = bars
        .iter()
        .flat_map(|b| [b.value, b.low, b.high, b.previous])
        .flatten()
        .filter(|v| v.is_finite())
        .collect();
    if bars.is_empty() || values.is_empty() {
        return String::new();
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Rates, scores and points close together (a 3-point difference at
    // 80 %) would be bars of one length from zero: the axis then starts
    // below the lowest, and says so.
    let zoom = lo > 0.0
        && matches!(
            unit,
            Unit::Rate | Unit::Score | Unit::Percent | Unit::Points
        )
        && (hi - lo) < 0.25 * hi;
    let axis = if zoom {
        ValueAxis::new(unit, lo - (hi - lo).max(hi * 0.01) * 0.5, hi, 5)
    } else {
        ValueAxis::new(unit, lo.min(0.0), hi.max(0.0), 5)
    };
    let x = |v: f64| axis.at(v, LEFT, RIGHT);
    let base = x(if axis.lo > 0.0 { axis.lo } else { 0.0 });

    let mut notes: Vec<String> = Vec::new();
    if axis.lo > 0.0 {
        notes.push(tr.t1("chart-axis-from", "value", axis.label(tr, unit, axis.lo)));
    }
    let top = 8.0 + notes.len() as f64 * 18.0;
    let rows_bottom = top + bars.len() as f64 * ROW_H;
    let axis_y = rows_bottom + 4.0;
    let legend_y = axis_y + 36.0;
    let height = legend_y + if previous.is_some() { 18.0 } else { 0.0 } + 4.0;

    let shown: Vec<&Bar> = bars.iter().filter(|b| b.value.is_some()).collect();
    let desc = match (shown.first(), shown.last()) {
        (Some(first), Some(last)) => tr.args(
            "chart-bars-desc",
            &[
                ("count", tr.count(bars.len() as u64)),
                ("high", tr.value(unit, first.value.unwrap_or_default())),
                ("top", first.label.clone()),
                ("low", tr.value(unit, last.value.unwrap_or_default())),
                ("bottom", last.label.clone()),
            ],
        ),
        _ => String::new(),
    };
    let mut svg = svg_open(id, "chart bars", W, height, title, &desc);
    for (i, note) in notes.iter().enumerate() {
        svg.push_str(&format!(
            r#"<text class="axis-note" x="{LEFT}" y="{ty}" font-size="12" font-weight="600" fill="{INK}">{}</text>"#,
            esc(note),
            ty = 8.0 + i as f64 * 18.0 + 10.0
        ));
    }
    // The value axis: a light line up at each round value, labels below.
    svg.push_str(r#"<g class="axis x">"#);
    for t in &axis.ticks {
        let tx = x(*t);
        svg.push_str(&format!(
            r#"<line x1="{tx:.1}" x2="{tx:.1}" y1="{top}" y2="{axis_y}" stroke="{GRID}"/><text x="{tx:.1}" y="{ty}" font-size="11" text-anchor="middle" fill="{MUTED}">{}</text>"#,
            esc(&axis.label(tr, unit, *t)),
            ty = axis_y + 16.0
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{LEFT}" x2="{RIGHT}" y1="{axis_y}" y2="{axis_y}" stroke="{INK}"/>"#
    ));
    if axis.lo > 0.0 {
        // A break in the axis where zero would be.
        svg.push_str(&format!(
            r#"<path d="M{a},{b}l4,-6l4,12l4,-6" fill="none" stroke="{INK}" stroke-width="1.5"/>"#,
            a = LEFT - 6.0,
            b = axis_y
        ));
    }
    svg.push_str("</g>");
    // The groups' labels and bars.
    svg.push_str(r#"<g class="axis y">"#);
    for (i, b) in bars.iter().enumerate() {
        let ty = top + i as f64 * ROW_H + ROW_H / 2.0 + 4.0;
        svg.push_str(&format!(
            r#"<text x="{lx}" y="{ty}" font-size="12" text-anchor="end" fill="{INK}">{}<title>{}</title></text>"#,
            esc(&shorten(&b.label, 32)),
            esc(&b.label),
            lx = LABEL_W
        ));
    }
    svg.push_str(&format!(
        r#"<line x1="{base:.1}" x2="{base:.1}" y1="{top}" y2="{axis_y}" stroke="{INK}"/></g>"#
    ));
    for (i, b) in bars.iter().enumerate() {
        let row = top + i as f64 * ROW_H;
        let bar_y = row + (ROW_H - BAR_H) / 2.0;
        let mid = bar_y + BAR_H / 2.0;
        svg.push_str(&format!(
            r#"<g class="bar" data-group="{}">"#,
            esc(&b.label)
        ));
        if let Some(v) = b.value {
            let end = x(v);
            let (from, width) = if end >= base {
                (base, end - base)
            } else {
                (end, base - end)
            };
            let mut tip = format!(
                "{}: {} ({})",
                b.label,
                tr.value(unit, v),
                tr.t1("figure-n", "n", tr.count(b.n))
            );
            if let (Some(l), Some(h)) = (b.low, b.high) {
                tip.push_str(&format!(
                    " · {}",
                    tr.t1(
                        "figure-interval",
                        "interval",
                        format!("{} – {}", tr.value(unit, l), tr.value(unit, h))
                    )
                ));
            }
            svg.push_str(&format!(
                r##"<rect x="{from:.1}" y="{bar_y}" width="{width:.1}" height="{BAR_H}" fill="#5b7bd5"><title>{}</title></rect>"##,
                esc(&tip)
            ));
            let mut label_x = end.max(base);
            if let (Some(l), Some(h)) = (b.low, b.high) {
                let (x1, x2) = (x(l).max(LEFT), x(h).min(RIGHT));
                svg.push_str(&format!(
                    r#"<path class="interval" d="M{x1:.1},{mid}H{x2:.1}M{x1:.1},{a}V{z}M{x2:.1},{a}V{z}" stroke="{INK}" fill="none"/>"#,
                    a = mid - 4.0,
                    z = mid + 4.0
                ));
                label_x = label_x.max(x2);
            }
            if let Some(p) = b.previous {
                let px = x(p);
                svg.push_str(&format!(
                    r#"<line class="previous" x1="{px:.1}" x2="{px:.1}" y1="{a}" y2="{z}" stroke="{INK}" stroke-width="3"/>"#,
                    a = bar_y - 3.0,
                    z = bar_y + BAR_H + 3.0
                ));
                label_x = label_x.max(px);
            }
            svg.push_str(&format!(
                r#"<text x="{tx:.1}" y="{ty}" font-size="12" fill="{INK}">{}</text>"#,
                esc(&tr.value(unit, v)),
                tx = label_x + 6.0,
                ty = mid + 4.0
            ));
        }
        svg.push_str("</g>");
    }
    if let Some(previous) = previous {
        svg.push_str(&format!(
            r##"<g class="legend"><rect x="{LEFT}" y="{a}" width="18" height="10" fill="#5b7bd5"/><text x="{t1}" y="{ty}" font-size="12" fill="{INK}">{}</text><line x1="{px}" x2="{px}" y1="{b}" y2="{c}" stroke="{INK}" stroke-width="3"/><text x="{t2}" y="{ty}" font-size="12" fill="{INK}">{}</text></g>"##,
            esc(&tr.t("chart-this-period")),
            esc(previous),
            a = legend_y - 5.0,
            t1 = LEFT + 24.0,
            ty = legend_y + 4.0,
            px = LEFT + 160.0,
            b = legend_y - 7.0,
            c = legend_y + 7.0,
            t2 = LEFT + 168.0
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn bar(label: &str, value: f64) -> Bar {
        Bar {
            label: label.into(),
            value: Some(value),
            low: Some(value - 0.01),
            high: Some(value + 0.01),
            n: 500,
            previous: None,
        }
    }

    #[test]
    fn close_rates_say_where_the_axis_starts() {
        let tr = Tr::new(Lang::En);
        let close = [bar("phone", 0.84), bar("email", 0.81)];
        let svg = bar_chart(&tr, "b", Unit::Rate, "CSAT", &close, None);
        let note = tr.t1("chart-axis-from", "value", "76 %");
        assert!(svg.contains(&note), "{note} in {svg}");
        assert!(svg.contains(">76 %<") && !svg.contains(">0 %<"), "{svg}");
        // Counts start at zero, and say nothing about it.
        let counts = [bar("phone", 840.0), bar("email", 810.0)];
        let svg = bar_chart(&tr, "b", Unit::Count, "Volume", &counts, None);
        assert!(!svg.contains("axis-note") && svg.contains(">0<"), "{svg}");
        // Far-apart rates start at zero too.
        let apart = [bar("phone", 0.84), bar("email", 0.31)];
        let svg = bar_chart(&tr, "b", Unit::Rate, "CSAT", &apart, None);
        assert!(!svg.contains("axis-note") && svg.contains(">0 %<"), "{svg}");
    }

    #[test]
    fn bars_keep_their_order_and_mark_the_previous_period() {
        let tr = Tr::new(Lang::En);
        let mut bars = vec![bar("phone", 0.84), bar("e<mail>", 0.81)];
        bars[0].previous = Some(0.80);
        let svg = bar_chart(&tr, "b", Unit::Rate, "CSAT", &bars, Some("previous period"));
        let phone = svg.find("data-group=\"phone\"").unwrap();
        let email = svg.find("data-group=\"e&lt;mail&gt;\"").unwrap();
        assert!(phone < email);
        assert_eq!(svg.matches("class=\"previous\"").count(), 1);
        assert!(svg.contains("class=\"legend\"") && svg.contains("previous period"));
    }
}
