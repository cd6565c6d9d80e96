//! Charts drawn on the server as SVG: every label escaped.

use metas_domain::kpi::Unit;

use crate::i18n::Tr;

/// A small line of the weekly values, drawn on the server.
pub(crate) fn sparkline(values: &[f64]) -> String {
    if values.len() < 2 {
        return String::new();
    }
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(*v), h.max(*v))
        });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (w, h) = (160.0, 32.0);
    let step = w / (values.len() - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{:.1},{:.1}",
                i as f64 * step,
                h - 2.0 - (v - lo) / span * (h - 4.0)
            )
        })
        .collect();
    format!(
        r#"<svg class="spark" width="160" height="32" viewBox="0 0 160 32" role="img" aria-label="weekly trend"><polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>"#,
        points.join(" ")
    )
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar: the value and its interval.
type Bar = (f64, Option<f64>, Option<f64>);

/// Bars with their 95 % intervals, one per row of an answer.
pub(crate) fn bar_chart(tr: &Tr, labels: &[String], values: &[Option<Bar>], unit: Unit) -> String {
    if labels.is_empty() {
        return String::new();
    }
    let top = values
        .iter()
        .flatten()
        .map(|(v, _, h)| h.unwrap_or(*v).max(*v))
        .fold(0.0f64, f64::max);
    let top = if top > 0.0 { top } else { 1.0 };
    let (row_h, label_w, bar_w) = (22.0, 220.0, 360.0);
    let height = labels.len() as f64 * row_h + 10.0;
    let mut svg = format!(
        r#"<svg width="{w}" height="{height}" viewBox="0 0 {w} {height}" role="img" aria-label="chart">"#,
        w = label_w + bar_w + 90.0
    );
    for (i, (label, v)) in labels.iter().zip(values).enumerate() {
        let y = i as f64 * row_h + 5.0;
        svg.push_str(&format!(
            r#"<text x="{x}" y="{ty}" font-size="12" text-anchor="end">{}</text>"#,
            esc(label),
            x = label_w - 6.0,
            ty = y + 14.0
        ));
        if let Some((value, lo, hi)) = v {
            let w = (value / top * bar_w).max(0.0);
            svg.push_str(&format!(
                r##"<rect x="{label_w}" y="{y}" width="{w:.1}" height="16" fill="#5b7bd5"/>"##
            ));
            if let (Some(lo), Some(hi)) = (lo, hi) {
                let (x1, x2) = (label_w + lo / top * bar_w, label_w + hi / top * bar_w);
                svg.push_str(&format!(
                    r##"<line x1="{x1:.1}" x2="{x2:.1}" y1="{m}" y2="{m}" stroke="#1d2330"/>"##,
                    m = y + 8.0
                ));
            }
            svg.push_str(&format!(
                r#"<text x="{x:.1}" y="{ty}" font-size="12">{}</text>"#,
                esc(&tr.value(unit, *value)),
                x = label_w + w + 4.0,
                ty = y + 13.0
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

/// A progress bar from baseline (0) to target (1).
pub(crate) fn progress_bar(progress: Option<f64>, expected: Option<f64>) -> String {
    let Some(p) = progress else {
        return String::new();
    };
    let w = (p.clamp(0.0, 1.0) * 200.0).round();
    let marker = expected
        .map(|e| {
            format!(
                r##"<line x1="{x}" x2="{x}" y1="0" y2="12" stroke="#1d2330" stroke-width="2"/>"##,
                x = (e.clamp(0.0, 1.0) * 200.0).round()
            )
        })
        .unwrap_or_default();
    format!(
        r##"<svg width="200" height="12" viewBox="0 0 200 12" role="img" aria-label="{pct:.0} % of the way"><rect width="200" height="12" fill="#e3e6ea"/><rect width="{w}" height="12" fill="#3a9d5d"/>{marker}</svg>"##,
        pct = p * 100.0
    )
}

/// The weekly values since the start against baseline and target, with the
/// forecast's interval at the deadline.
pub(crate) fn goal_chart(t: &metas_service::goal::Tracking) -> String {
    let g = &t.goal;
    let (Some(baseline), false) = (g.baseline, t.series.is_empty()) else {
        return String::new();
    };
    let span_days = (g.deadline - g.start).get_days().max(1) as f64;
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
    let pad = ((hi - lo) * 0.1).max(1e-9);
    let (lo, hi) = (lo - pad, hi + pad);
    let (w, h) = (480.0, 160.0);
    let x =
        |d: jiff::civil::Date| ((d - g.start).get_days() as f64 / span_days).clamp(0.0, 1.0) * w;
    let y = |v: f64| h - (v - lo) / (hi - lo) * h;
    let points: Vec<String> = t
        .series
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.date), y(p.value)))
        .collect();
    let mut svg = format!(
        r##"<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="history"><rect width="{w}" height="{h}" fill="#fff"/><line x1="0" x2="{w}" y1="{b:.1}" y2="{b:.1}" stroke="#999" stroke-dasharray="4"/><line x1="0" x2="{w}" y1="{tg:.1}" y2="{tg:.1}" stroke="#3a9d5d"/><polyline fill="none" stroke="#5b7bd5" stroke-width="2" points="{}"/>"##,
        points.join(" "),
        b = y(baseline),
        tg = y(g.target)
    );
    if let Some(f) = &t.forecast {
        svg.push_str(&format!(
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{a:.1}" y2="{b:.1}" stroke="#b07a12" stroke-width="6" opacity=".5"/><circle cx="{x:.1}" cy="{c:.1}" r="4" fill="#b07a12"/>"##,
            x = x(f.date) - 4.0,
            a = y(f.interval.low),
            b = y(f.interval.high),
            c = y(f.value)
        ));
    }
    svg.push_str("</svg>");
    svg
}
