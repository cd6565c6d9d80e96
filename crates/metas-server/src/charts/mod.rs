//! Charts drawn on the server as SVG, to be read rather than decoded: value
//! axes with round values and date axes with dates, both the locale's way; a
//! legend when there are several series; a title and a description for
//! screen readers, and the figures as a table on the page; a period not yet
//! complete drawn dashed and said in words. Every label is escaped.
//!
//! A series over time is a line per group with its 95 % interval as a band
//! (`series`), categories are bars sorted by value (`bars`), a dashboard tile
//! has a small weekly line with its extremes and dates (`spark`), a goal its
//! weekly values against baseline and target (`goal`), a staffing question
//! its service level and cost against the number of agents (`curve`).

mod bars;
mod curve;
mod goal;
mod series;
mod spark;

pub(crate) use bars::{bar_chart, Bar};
pub(crate) use curve::{curve_chart, fixed, money};
pub(crate) use goal::goal_chart;
pub(crate) use series::{line_chart, Point, Series};
pub(crate) use spark::{sparkline, sparkline_described, SparkPoint};

use jiff::civil::Date;
use jiff::ToSpan;
use metas_domain::kpi::{Grain, Unit};

use crate::i18n::Tr;

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Colours of the series, told apart with the common colour blindnesses
/// (Okabe and Ito's palette, yellow replaced by olive, which reads on white).
pub(crate) const PALETTE: [&str; 8] = [
    "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#1d2330", "#999933",
];

/// Light lines behind the figures, and the axes' own colour.
const GRID: &str = "#e3e6ea";
const INK: &str = "#1d2330";
const MUTED: &str = "#5b6577";

/// A label cut to `max` characters (the whole of it goes in a `<title>`).
fn shorten(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// The rounded step nearest above `raw`: 1, 2, 2.5 or 5 times a power of ten.
fn round_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let e = 10f64.powf(raw.log10().floor());
    let f = raw / e;
    let n = if f <= 1.0 {
        1.0
    } else if f <= 2.0 {
        2.0
    } else if f <= 2.5 {
        2.5
    } else if f <= 5.0 {
        5.0
    } else {
        10.0
    };
    n * e
}

/// A step of time a person counts in: seconds, minutes, hours, days.
fn time_step(raw: f64) -> f64 {
    const STEPS: [f64; 18] = [
        1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0, 3600.0, 7200.0,
        10800.0, 21600.0, 43200.0, 86400.0,
    ];
    STEPS
        .iter()
        .copied()
        .find(|s| *s >= raw)
        .unwrap_or_else(|| round_step(raw / 86400.0) * 86400.0)
}

/// Decimals a multiple of `step` needs to be written exactly (at most 3).
fn decimals(step: f64) -> usize {
    (0..3)
        .find(|d| {
            let scaled = step * 10f64.powi(*d as i32);
            (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0)
        })
        .unwrap_or(3)
}

/// A value axis: the range drawn and its ticks at round values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueAxis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub ticks: Vec<f64>,
}

impl ValueAxis {
    /// An axis over at least `[lo, hi]` with about `count` ticks at values
    /// of the unit a person would write, within what the unit allows (a rate
    /// between 0 and 100 %).
    pub(crate) fn new(unit: Unit, lo: f64, hi: f64, count: usize) -> ValueAxis {
        // What the unit allows (an interval of a small sample can run past
        // it); round values, so ticks from them stay round.
        let (floor, ceiling) = match unit {
            Unit::Rate => (0.0, 1.0),
            Unit::Points => (-100.0, 100.0),
            Unit::Percent => (0.0, 100.0),
            Unit::Seconds | Unit::Count => (0.0, f64::INFINITY),
            Unit::Score => (f64::NEG_INFINITY, f64::INFINITY),
        };
        let (lo, hi) = (lo.clamp(floor, ceiling), hi.clamp(floor, ceiling));
        let (lo, hi) = match (lo.is_finite() && hi.is_finite(), hi > lo) {
            (false, _) => (0.0, 1.0),
            (true, true) => (lo, hi),
            // One value: a little room around it.
            (true, false) if lo == 0.0 => (0.0, 1.0),
            (true, false) => (lo - lo.abs() * 0.05, hi + hi.abs() * 0.05),
        };
        let raw = (hi - lo) / count.max(1) as f64;
        let step = match unit {
            Unit::Seconds => time_step(raw),
            Unit::Count => round_step(raw).max(1.0),
            _ => round_step(raw),
        };
        // (A value on a tick stays on it despite the float division.)
        let lo = ((lo / step + 1e-9).floor() * step).max(floor);
        let hi = ((hi / step - 1e-9).ceil() * step).min(ceiling);
        let n = ((hi - lo) / step).round().max(1.0) as usize;
        // Round values stay round: 39 × 0.1 is 3.9, not 3.9000000000000004.
        let tidy = |v: f64| (v / step * 1e6).round() / 1e6 * step;
        let tidy = |v: f64| (tidy(v) * 1e9).round() / 1e9;
        let ticks = (0..=n)
            .map(|i| tidy(lo + i as f64 * step))
            .filter(|t| *t <= hi + step * 1e-9)
            .collect();
        ValueAxis {
            lo: tidy(lo),
            hi: tidy(hi),
            step,
            ticks,
        }
    }

    /// Where `v` falls between `start` (the axis' low end) and `end`.
    pub(crate) fn at(&self, v: f64, start: f64, end: f64) -> f64 {
        let span = if self.hi > self.lo {
            self.hi - self.lo
        } else {
            1.0
        };
        start + (v - self.lo) / span * (end - start)
    }

    /// A tick's label: the unit's way, as many decimals as the step needs.
    pub(crate) fn label(&self, tr: &Tr, unit: Unit, v: f64) -> String {
        tick_label(tr, unit, v, self.step)
    }
}

/// A round value of an axis, written the locale's way with a minus sign.
fn tick_label(tr: &Tr, unit: Unit, v: f64, step: f64) -> String {
    let v = if v.abs() < step.abs() * 1e-6 { 0.0 } else { v };
    let text = match unit {
        Unit::Rate => format!("{:.*} %", decimals(step * 100.0), v * 100.0),
        Unit::Points => {
            let size = format!("{:.*}", decimals(step), v.abs());
            match v {
                v if v > 0.0 => format!("+{size}"),
                v if v < 0.0 => format!("-{size}"),
                _ => size,
            }
        }
        Unit::Score | Unit::Percent => format!("{:.*}", decimals(step), v),
        Unit::Count => metas_domain::kpi::display_value(unit, v),
        Unit::Seconds => duration_tick(v),
    };
    minus_sign(&tr.num(&text))
}

/// A round duration without the zeros a value would show ("5m", "1h 30m").
fn duration_tick(secs: f64) -> String {
    let s = secs.round() as i64;
    let (d, h, m, sec) = (s / 86400, (s % 86400) / 3600, (s % 3600) / 60, s % 60);
    match (d, h, m, sec) {
        (0, 0, 0, s) => format!("{s}s"),
        (0, 0, m, 0) => format!("{m}m"),
        (0, 0, m, s) => format!("{m}m {s:02}s"),
        (0, h, 0, _) => format!("{h}h"),
        (0, h, m, _) => format!("{h}h {m:02}m"),
        (d, 0, _, _) => format!("{d}d"),
        (d, h, _, _) => format!("{d}d {h:02}h"),
    }
}

/// A leading hyphen as the minus sign it stands for.
fn minus_sign(text: &str) -> String {
    match text.strip_prefix('-') {
        Some(rest) => format!("\u{2212}{rest}"),
        None => text.to_string(),
    }
}

/// Days from `a` to `b`.
fn days(a: Date, b: Date) -> f64 {
    (b - a).get_days() as f64
}

/// A date axis over `[first, last]`: at most `max` ticks on round days —
/// Mondays, the first of a month, of a quarter, of a year, never finer than
/// the series' `grain` — each labelled the locale's way (a date, a month, a
/// year).
pub(crate) fn date_ticks(
    tr: &Tr,
    first: Date,
    last: Date,
    max: usize,
    grain: Grain,
) -> Vec<(Date, String)> {
    #[derive(Clone, Copy)]
    enum Every {
        Days(i64),
        Weeks(i64),
        Months(i8),
        Years(i16),
    }
    let max = max.max(2);
    for every in [
        Every::Days(1),
        Every::Days(2),
        Every::Weeks(1),
        Every::Weeks(2),
        Every::Months(1),
        Every::Months(2),
        Every::Months(3),
        Every::Months(6),
        Every::Years(1),
        Every::Years(2),
        Every::Years(5),
        Every::Years(10),
        Every::Years(25),
    ]
    .into_iter()
    .filter(|every| match (grain, every) {
        (Grain::Day, _) => true,
        (Grain::Week, e) => !matches!(e, Every::Days(_)),
        (Grain::Month, e) => matches!(e, Every::Months(_) | Every::Years(_)),
        (Grain::Quarter, e) => matches!(e, Every::Months(3 | 6) | Every::Years(_)),
        (Grain::Year | Grain::FiscalYear, e) => matches!(e, Every::Years(_)),
    }) {
        // The first round day on or after `first`.
        let start = match every {
            Every::Days(_) => Some(first),
            Every::Weeks(_) => first
                .checked_add(((7 - first.weekday().to_monday_zero_offset() as i64) % 7).days())
                .ok(),
            Every::Months(k) => {
                let mut d = first.first_of_month();
                if d < first {
                    d = d.checked_add(1.month()).unwrap_or(d);
                }
                while (d.month() - 1) % k != 0 {
                    d = d.checked_add(1.month()).unwrap_or(d);
                }
                Some(d)
            }
            Every::Years(k) => {
                let mut y = first.year();
                if Date::new(y, 1, 1).ok().is_none_or(|d| d < first) {
                    y += 1;
                }
                while y % k != 0 {
                    y += 1;
                }
                Date::new(y, 1, 1).ok()
            }
        };
        let Some(mut d) = start else { continue };
        let mut out = Vec::new();
        while d <= last && out.len() <= max {
            let label = match every {
                Every::Days(_) | Every::Weeks(_) => tr.date(d),
                Every::Months(_) => tr.month(d),
                Every::Years(_) => d.year().to_string(),
            };
            out.push((d, label));
            let next = match every {
                Every::Days(k) => d.checked_add(k.days()),
                Every::Weeks(k) => d.checked_add((7 * k).days()),
                Every::Months(k) => d.checked_add((k as i64).months()),
                Every::Years(k) => d.checked_add((k as i64).years()),
            };
            match next {
                Ok(n) => d = n,
                Err(_) => break,
            }
        }
        if out.len() <= max && out.len() >= 2 {
            return out;
        }
        if out.len() < 2 {
            break;
        }
    }
    // Too short a span for two round days: its ends.
    let mut out = vec![(first, tr.date(first))];
    if last > first {
        out.push((last, tr.date(last)));
    }
    out
}

/// The text alternative of a chart: its title and description, which the
/// `<svg>` names as its accessible name and description.
fn svg_open(id: &str, class: &str, w: f64, h: f64, title: &str, desc: &str) -> String {
    format!(
        r#"<svg id="{id}" class="{class}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-desc" font-family="system-ui, sans-serif"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(desc)
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn axes_fall_on_round_values_of_the_unit() {
        let en = Tr::new(Lang::En);
        for (unit, lo, hi, want) in [
            // CSAT between 78 and 86 %: 2 % steps, not 0–100.
            (
                Unit::Rate,
                0.781,
                0.859,
                vec!["78 %", "80 %", "82 %", "84 %", "86 %"],
            ),
            (
                Unit::Rate,
                0.0,
                0.93,
                vec!["0 %", "20 %", "40 %", "60 %", "80 %", "100 %"],
            ),
            (Unit::Count, 0.0, 3.0, vec!["0", "1", "2", "3"]),
            (
                Unit::Count,
                0.0,
                4300.0,
                vec!["0", "1,000", "2,000", "3,000", "4,000", "5,000"],
            ),
            (
                Unit::Seconds,
                0.0,
                290.0,
                vec!["0s", "1m", "2m", "3m", "4m", "5m"],
            ),
            (
                Unit::Seconds,
                3000.0,
                9000.0,
                vec!["30m", "1h", "1h 30m", "2h", "2h 30m"],
            ),
            (
                Unit::Points,
                -12.0,
                18.0,
                vec!["\u{2212}20", "\u{2212}10", "0", "+10", "+20"],
            ),
            (
                Unit::Score,
                3.9,
                4.3,
                vec!["3.9", "4.0", "4.1", "4.2", "4.3"],
            ),
            // An interval past what NPS allows stops at −100.
            (
                Unit::Points,
                -177.0,
                60.0,
                vec!["\u{2212}100", "\u{2212}50", "0", "+50", "+100"],
            ),
        ] {
            let axis = ValueAxis::new(unit, lo, hi, 5);
            let labels: Vec<String> = axis
                .ticks
                .iter()
                .map(|t| axis.label(&en, unit, *t))
                .collect();
            assert_eq!(labels, want, "{unit:?} {lo}–{hi}: {axis:?}");
            assert!(
                axis.lo <= lo.max(-100.0) && axis.hi >= hi,
                "{axis:?} covers {lo}–{hi}"
            );
        }
        // The locale's decimals.
        let fr = Tr::new(Lang::Fr);
        let axis = ValueAxis::new(Unit::Rate, 0.8, 0.83, 6);
        assert_eq!(axis.label(&fr, Unit::Rate, 0.825), "82,5 %");
    }

    #[test]
    fn date_axes_fall_on_round_days() {
        let en = Tr::new(Lang::En);
        let d = |s: &str| s.parse::<Date>().unwrap();
        let labels = |first, last, max| -> Vec<String> {
            date_ticks(&en, d(first), d(last), max, Grain::Day)
                .into_iter()
                .map(|(_, l)| l)
                .collect()
        };
        assert_eq!(
            labels("2025-07-01", "2026-06-01", 7),
            ["Jul 2025", "Sep 2025", "Nov 2025", "Jan 2026", "Mar 2026", "May 2026"]
        );
        assert_eq!(
            labels("2026-06-03", "2026-06-30", 7),
            ["8 Jun 2026", "15 Jun 2026", "22 Jun 2026", "29 Jun 2026"]
        );
        assert_eq!(
            labels("2020-01-01", "2026-01-01", 4),
            ["2020", "2022", "2024", "2026"]
        );
        assert_eq!(labels("2026-06-30", "2026-06-30", 7), ["30 Jun 2026"]);
        // Not finer than the series: months for months.
        let months: Vec<String> =
            date_ticks(&en, d("2026-04-01"), d("2026-06-01"), 5, Grain::Month)
                .into_iter()
                .map(|(_, l)| l)
                .collect();
        assert_eq!(months, ["Apr 2026", "May 2026", "Jun 2026"]);
        let zh = Tr::new(Lang::ZhCn);
        assert_eq!(
            date_ticks(&zh, d("2026-01-01"), d("2026-03-01"), 7, Grain::Month)[0].1,
            "2026年1月"
        );
    }

    #[test]
    fn labels_are_escaped_and_shortened() {
        assert_eq!(esc("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
