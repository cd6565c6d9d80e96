//! `metas qa rubric set|list|show`, `metas qa reviews` and `metas qa queue`
//! (docs/qa.md). The command line acts as the operator: every review and
//! every agent is in reach.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use metas_store::QaReviewFilter;

use crate::kpi_cmd::ReportFormat;
use crate::{open_existing, open_store, parse_date, print_json, Failure, Settings};

#[derive(Subcommand, Debug)]
pub enum QaCommand {
    /// QA rubrics: set from a TOML file, list, show.
    #[command(subcommand)]
    Rubric(RubricCommand),
    /// QA reviews, newest first, with their scores.
    Reviews(ReviewsArgs),
    /// The interactions to review this week: each agent's unsatisfied customers and a random sample.
    Queue(QueueArgs),
}

#[derive(Subcommand, Debug)]
pub enum RubricCommand {
    /// Save a rubric (a new version when it changes anything).
    Set { name: String, file: PathBuf },
    /// The rubrics, in their current version.
    List {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// One rubric: its criteria and its saved versions.
    Show {
        name: String,
        /// An earlier version (default: the current one).
        #[arg(long)]
        version: Option<i64>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
}

#[derive(Args, Debug)]
pub struct ReviewsArgs {
    /// Only this agent's reviews.
    #[arg(long)]
    agent: Option<String>,
    /// Reviewed on or after this day (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Reviewed on or before this day (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// At most this many reviews.
    #[arg(long, default_value_t = 100)]
    limit: usize,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Args, Debug)]
pub struct QueueArgs {
    /// A day of the week to draw from (default: today).
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    /// Interactions drawn at random per agent (default: the setting qa.sample_per_agent).
    #[arg(long)]
    sample: Option<usize>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

fn score(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "—".into())
}

fn rating(v: Option<f64>) -> String {
    v.map(|v| format!("{v}")).unwrap_or_else(|| "N/A".into())
}

pub fn run(c: QaCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        QaCommand::Rubric(r) => rubric(r, s),
        QaCommand::Reviews(a) => reviews(a, s),
        QaCommand::Queue(a) => queue(a, s),
    }
}

fn rubric(c: RubricCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        RubricCommand::Set { name, file } => {
            let text = crate::read_text(&file)?;
            let rubric =
                metas_service::qa::parse_rubric(&name, &text, &file.display().to_string())?;
            let mut store = open_store(s)?;
            let saved = metas_service::qa::save_rubric(
                &mut store,
                &crate::operator(s),
                &rubric,
                &text,
                s.now,
            )?;
            if saved.changed {
                outln!(
                    "rubric {} saved as version {}",
                    rubric.name(),
                    saved.version
                );
            } else {
                outln!(
                    "rubric {} unchanged; version {} stays in force",
                    rubric.name(),
                    saved.version
                );
            }
        }
        RubricCommand::List { format } => {
            let store = open_existing(s)?;
            let rows = metas_service::qa::rubrics(&store)?;
            match format {
                ReportFormat::Json => print_json(&rows)?,
                _ => {
                    if rows.is_empty() {
                        outln!("no QA rubric yet; define one with `metas qa rubric set NAME FILE.toml` (docs/qa.md)");
                    }
                    for r in rows {
                        outln!(
                            "{} (v{})  {} criteria  {}",
                            r.name,
                            r.version,
                            r.criteria.len(),
                            r.description.as_deref().unwrap_or("")
                        );
                    }
                }
            }
        }
        RubricCommand::Show {
            name,
            version,
            format,
        } => {
            let store = open_existing(s)?;
            let row = metas_service::qa::rubric(&store, &name, version)?;
            match format {
                ReportFormat::Json => print_json(&row)?,
                _ => {
                    outln!(
                        "{} version {} of {}{}",
                        row.name,
                        row.version,
                        row.current_version,
                        row.saved_at
                            .map(|t| format!(
                                ", saved {} by {}",
                                t.strftime("%Y-%m-%d %H:%M"),
                                row.saved_by.as_deref().unwrap_or("")
                            ))
                            .unwrap_or_default()
                    );
                    for c in &row.criteria {
                        outln!(
                            "  {:<12} {}–{}  weight {}{}{}{}  {}",
                            c.key,
                            c.scale_min,
                            c.scale_max,
                            c.weight,
                            c.standard
                                .map(|v| format!("  standard {v}"))
                                .unwrap_or_default(),
                            if c.critical { "  critical" } else { "" },
                            if c.na_allowed { "  N/A allowed" } else { "" },
                            c.label_or_key()
                        );
                    }
                    outln!("\n{}", metas_service::qa::stored_text(&row));
                }
            }
        }
    }
    Ok(0)
}

fn reviews(a: ReviewsArgs, s: &Settings) -> Result<u8, Failure> {
    let filter = QaReviewFilter {
        agent: a.agent,
        since: a
            .since
            .as_deref()
            .map(|d| parse_date(d, "--since"))
            .transpose()?,
        until: a
            .until
            .as_deref()
            .map(|d| parse_date(d, "--until"))
            .transpose()?,
        limit: Some(a.limit),
        ..QaReviewFilter::default()
    };
    let store = open_existing(s)?;
    let rows = metas_service::qa::reviews(&store, &crate::operator(s), filter)?;
    match a.format {
        ReportFormat::Json => print_json(&rows)?,
        _ => {
            if rows.is_empty() {
                outln!("no QA review");
            }
            for r in &rows {
                let q = &r.review;
                outln!(
                    "#{}  {}  {}  by {}  on {} v{}  score {}{}",
                    q.id,
                    q.reviewed_at
                        .map(|t| t.strftime("%Y-%m-%d").to_string())
                        .unwrap_or_default(),
                    q.agent.as_deref().unwrap_or(""),
                    q.reviewer.as_deref().unwrap_or("—"),
                    q.rubric,
                    q.rubric_version,
                    score(r.score),
                    if r.failed_critical {
                        "  (critical criterion failed)"
                    } else {
                        ""
                    }
                );
                let line = r
                    .criteria
                    .iter()
                    .map(|c| format!("{} {}", c.criterion, rating(c.rating)))
                    .collect::<Vec<_>>()
                    .join(", ");
                outln!("    {line}");
            }
        }
    }
    Ok(0)
}

fn queue(a: QueueArgs, s: &Settings) -> Result<u8, Failure> {
    let as_of = match a.as_of.as_deref() {
        Some(d) => parse_date(d, "--as-of")?,
        None => s.today,
    };
    let store = open_existing(s)?;
    let rows = metas_service::qa::queue(&store, &crate::operator(s), as_of, a.sample)?;
    match a.format {
        ReportFormat::Json => print_json(&rows)?,
        _ => {
            outln!("week of {}", metas_store::week_start(as_of));
            if rows.is_empty() {
                outln!("nothing to review");
            }
            for r in &rows {
                let i = &r.interaction;
                outln!(
                    "{:>8}  {}  {:<20} {:<12} {}  {}",
                    i.id,
                    i.created_at
                        .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_default(),
                    i.agent.as_deref().unwrap_or(""),
                    i.team.as_deref().unwrap_or(""),
                    i.channel.as_deref().unwrap_or(""),
                    r.reason.as_str()
                );
            }
        }
    }
    Ok(0)
}
