//! `metas scorecard AGENT [--as-of DATE] [--format json]` and
//! `metas scorecard --team TEAM`: an agent's current month and the three
//! before it, side by side, with struggles, overlaps, the focus behaviour
//! and the evidence (docs/scorecard.md). The CLI acts as the database's
//! operator (every agent and team).

use clap::Args;
use metas_domain::kpi::{display_value, Unit};
use metas_domain::scorecard::{Candidate, Figure, OverlapKind, Side};
use metas_service::scorecard::{Analysis, Line, Measure};

use crate::kpi_cmd::ReportFormat;
use crate::{open_existing, parse_date, print_json, usage, Failure, Settings};

#[derive(Args, Debug)]
pub struct ScorecardArgs {
    /// The agent, as the data names them (e.g. "Kevin M.").
    agent: Option<String>,
    /// A team's scorecards instead of one agent's.
    #[arg(long, conflicts_with = "agent")]
    team: Option<String>,
    /// The last day counted (default: today).
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub fn scorecard(a: ScorecardArgs, s: &Settings) -> Result<u8, Failure> {
    let as_of = match &a.as_of {
        Some(d) => parse_date(d, "--as-of")?,
        None => s.today,
    };
    if a.format == ReportFormat::Csv {
        return Err(usage(
            "--format: a scorecard is written as a table or as json".into(),
        ));
    }
    let store = open_existing(s)?;
    let user = crate::operator(s);
    let analyses = match (&a.agent, &a.team) {
        (Some(agent), None) => vec![metas_service::scorecard::analyse(
            &store, &user, agent, as_of,
        )?],
        (None, Some(team)) => metas_service::scorecard::team(&store, &user, team, as_of)?,
        _ => {
            return Err(usage(
                "name an agent (metas scorecard \"Kevin M.\") or a team (--team NAME)".into(),
            ))
        }
    };
    if a.format == ReportFormat::Json {
        if a.team.is_some() {
            print_json(&analyses)?;
        } else {
            print_json(&analyses[0])?;
        }
        return Ok(0);
    }
    for (i, an) in analyses.iter().enumerate() {
        if i > 0 {
            outln!();
        }
        out!("{}", text(an));
    }
    Ok(0)
}

fn value(line: &Line, v: f64) -> String {
    match &line.measure {
        Measure::Kpi { unit, .. } => display_value(*unit, v),
        Measure::Criterion { .. } => display_value(Unit::Score, v),
    }
}

fn cell(line: &Line, f: &Figure, change: Option<Side>, active: bool) -> String {
    if !active || f.n == 0 {
        return "no data".into();
    }
    let Some(v) = f.value else {
        return "no data".into();
    };
    let mark = match change {
        Some(Side::Better) => " ▲",
        Some(Side::Worse) => " ▼",
        _ => "",
    };
    let ci = match (f.low, f.high) {
        (Some(l), Some(h)) => format!(" [{}–{}]", value(line, l), value(line, h)),
        _ => String::new(),
    };
    format!("{}{ci} n={}{mark}", value(line, v), f.n)
}

fn side_word(s: Option<Side>) -> &'static str {
    match s {
        Some(Side::Better) => "better",
        Some(Side::Worse) => "worse",
        Some(Side::Level) => "within noise",
        None => "—",
    }
}

fn label(line: &Line) -> String {
    match &line.measure {
        Measure::Kpi { id, .. } => id.to_string(),
        Measure::Criterion {
            rubric, criterion, ..
        } => format!("{rubric}: {criterion}"),
    }
}

fn label_of(an: &Analysis, key: &str) -> String {
    an.lines
        .iter()
        .find(|l| l.row.key == key)
        .map_or_else(|| key.to_string(), label)
}

fn candidate_text(c: &Candidate) -> String {
    let mut out = format!(
        "    {}: {} metric(s) moved beyond the noise, total standardised effect {:.2}; rated below the standard on {} interaction(s), at or above on {}\n",
        c.criterion, c.moved, c.total_z, c.below_n, c.at_or_above_n
    );
    for e in &c.effects {
        let f = |f: &Figure| match f.value {
            Some(v) => format!("{v:.3} (n={})", f.n),
            None => "no data".into(),
        };
        let diff = match (e.difference, e.low, e.high) {
            (Some(d), Some(l), Some(h)) => format!("{d:+.3} [{l:+.3} … {h:+.3}]"),
            _ => "no comparison (a group has fewer than 2)".into(),
        };
        out.push_str(&format!(
            "      {}: below {} vs at or above {}: difference {diff}{}\n",
            e.metric,
            f(&e.below),
            f(&e.at_or_above),
            if e.moved { " — beyond the noise" } else { "" }
        ));
    }
    out
}

/// The scorecard as text: the table, struggles, overlaps, focus, evidence.
fn text(an: &Analysis) -> String {
    let mut out = format!(
        "Scorecard of {} ({}) as of {} — definitions: docs/scorecard.md\n",
        an.agent,
        an.team.as_deref().unwrap_or("no team"),
        an.as_of
    );
    let mut header = vec!["metric".to_string()];
    for m in &an.months {
        header.push(if m.current {
            format!("{} (to {})", m.start.strftime("%Y-%m"), m.end)
        } else {
            m.start.strftime("%Y-%m").to_string()
        });
    }
    header.extend([
        "4 months".into(),
        "standard".into(),
        "team".into(),
        "vs standard".into(),
        "vs team".into(),
    ]);
    let mut rows = vec![header];
    for l in &an.lines {
        let mut r = vec![label(l)];
        for ((f, c), m) in l.row.months.iter().zip(&l.changes).zip(&an.months) {
            r.push(cell(l, f, *c, m.active));
        }
        r.push(cell(l, &l.row.period, None, true));
        r.push(l.row.standard.map_or("—".into(), |s| value(l, s)));
        r.push(cell(l, &l.row.team_period, None, true));
        r.push(side_word(l.vs_standard).into());
        r.push(side_word(l.vs_team).into());
        rows.push(r);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    for r in &rows {
        let cells: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out.push_str(
        "▲ ▼: a change from the month before beyond the noise (95 % intervals)\n\nStruggles:\n",
    );
    if an.struggles.is_empty() {
        out.push_str("  none beyond the noise\n");
    }
    for s in &an.struggles {
        let against = match (s.below_standard, s.worse_than_team) {
            (true, true) => "below the standard and worse than the team",
            (true, false) => "below the standard",
            _ => "worse than the team",
        };
        out.push_str(&format!("  {}: {against}\n", label_of(an, &s.key)));
    }
    out.push_str("Overlaps (survey and internal score):\n");
    if an.overlaps.is_empty() {
        out.push_str("  none\n");
    }
    for o in &an.overlaps {
        let how = match o.kind {
            OverlapKind::BothStruggle => "both struggle",
            OverlapKind::BothWorsen => "both trend worse",
        };
        out.push_str(&format!(
            "  {} and {}: {how}\n",
            label_of(an, &o.survey),
            label_of(an, &o.internal)
        ));
    }
    match &an.focus {
        None => out.push_str("Focus behaviour: none (no criterion struggles, and none relates to the metrics beyond the noise)\n"),
        Some(f) => {
            out.push_str(&format!(
                "Focus behaviour: {} ({}), standard {} on {}–{}, the agent's level {}\n  related to: {}\n",
                f.criterion,
                f.rubric,
                f.standard,
                f.scale_min,
                f.scale_max,
                f.level
                    .value
                    .map_or("no data".into(), |v| format!("{v:.2} (n={})", f.level.n)),
                f.weak_metrics.join(", ")
            ));
            out.push_str("  chosen:\n");
            out.push_str(&candidate_text(&f.chosen));
            if let Some(r) = &f.runner_up {
                out.push_str("  runner-up:\n");
                out.push_str(&candidate_text(r));
            }
        }
    }
    if !an.evidence.is_empty() {
        out.push_str("Evidence (the last three months):\n");
    }
    for e in &an.evidence {
        let when =
            e.at.map(|t| t.strftime("%Y-%m-%d").to_string())
                .unwrap_or_default();
        let what = match e.kind {
            "review" => format!(
                "review by {}, rated {}",
                e.reviewer.as_deref().unwrap_or("?"),
                e.rating.map_or("?".into(), |r| format!("{r}"))
            ),
            _ => format!(
                "{} {}/{}",
                e.survey_kind.as_deref().unwrap_or("survey"),
                e.score.map_or("?".into(), |v| format!("{v}")),
                e.scale_max.map_or("?".into(), |v| format!("{v}"))
            ),
        };
        out.push_str(&format!(
            "  {when} {} {}: {what}: \"{}\"\n",
            e.source.as_deref().unwrap_or(""),
            e.interaction_external_id.as_deref().unwrap_or("?"),
            e.comment.as_deref().unwrap_or("")
        ));
    }
    out
}
