//! `metas sla policy set|list|show|delete`, `metas sla breaches`,
//! `metas sla at-risk` and `metas sla judge`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use jiff::Timestamp;
use metas_store::{StageFilter, StageRow};

use crate::kpi_cmd::ReportFormat;
use crate::{open_existing, open_store, print_json, Failure, Settings};

#[derive(Subcommand, Debug)]
pub enum SlaCommand {
    /// Time-objective policies: set from a TOML file, list, show, delete.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// The stages breached (done late, or open past their due time), with the
    /// interactions behind them.
    Breaches(StagesArgs),
    /// Open stages past their warning threshold and not yet met, the least
    /// time left first.
    AtRisk(StagesArgs),
    /// Judge every interaction again under the policies in force.
    Judge,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Save a policy (a new version when the name exists) and judge every interaction.
    Set { name: String, file: PathBuf },
    /// The policies in force, in the order they are tried.
    List {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// A policy in force and its earlier versions.
    Show {
        name: String,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Retire a policy (its versions stay in the history) and judge again.
    Delete { name: String },
}

#[derive(Args, Debug)]
pub struct StagesArgs {
    /// A segment expression, e.g. "channel = 'chat' and team = 'Billing'".
    #[arg(long = "where")]
    segment: Option<String>,
    /// The moment to judge open stages at (default: now), e.g. 2026-03-02T10:00:00Z.
    #[arg(long = "as-of", value_name = "INSTANT")]
    as_of: Option<String>,
    /// At most this many rows.
    #[arg(long, default_value_t = 1000)]
    limit: usize,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

/// Seconds as every table of metas writes a duration.
fn duration(secs: Option<f64>) -> String {
    secs.map(|s| metas_domain::kpi::display_value(metas_domain::kpi::Unit::Seconds, s))
        .unwrap_or_default()
}

fn at(t: Option<Timestamp>) -> String {
    t.map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

pub fn run(c: SlaCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        SlaCommand::Policy(p) => policy(p, s),
        SlaCommand::Breaches(a) => stages(StageFilter::Breached, a, s),
        SlaCommand::AtRisk(a) => stages(StageFilter::AtRisk, a, s),
        SlaCommand::Judge => {
            let mut store = open_existing(s)?;
            let counts = store.judge_all(Timestamp::now()).map_err(Failure::from)?;
            outln!(
                "judged {} stages of {} interactions",
                counts.stages,
                counts.interactions
            );
            Ok(0)
        }
    }
}

use metas_store::prelude::*;

fn policy(c: PolicyCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        PolicyCommand::Set { name, file } => {
            let text = crate::read_text(&file)?;
            let policy =
                metas_service::sla::parse_policy(&name, &text, &file.display().to_string())?;
            let mut store = open_store(s)?;
            let (version, counts) =
                metas_service::sla::save_policy(&mut store, &policy, &s.actor, Timestamp::now())?;
            outln!(
                "policy {} saved as version {version}; judged {} stages of {} interactions",
                policy.name(),
                counts.stages,
                counts.interactions
            );
        }
        PolicyCommand::List { format } => {
            let store = open_existing(s)?;
            let rows = metas_service::sla::policies(&store)?;
            match format {
                ReportFormat::Json => print_json(&rows)?,
                _ => {
                    if rows.is_empty() {
                        outln!("no time-objective policy yet; define one with `metas sla policy set NAME FILE.toml` (docs/sla.md)");
                    }
                    for p in rows {
                        let targets = p
                            .spec
                            .targets
                            .iter()
                            .map(|(k, v)| format!("{k} {v}"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        outln!(
                            "{:>3}  {} (v{})  where {}  on {}  —  {targets}",
                            p.position,
                            p.name,
                            p.version,
                            p.spec.conditions.as_deref().unwrap_or("every interaction"),
                            p.spec.calendar.as_deref().unwrap_or("calendar time"),
                        );
                    }
                }
            }
        }
        PolicyCommand::Show { name, format } => {
            let store = open_existing(s)?;
            let rows = metas_service::sla::policy_history(&store, &name)?;
            match format {
                ReportFormat::Json => print_json(&rows)?,
                _ => {
                    for p in &rows {
                        let state = match p.retired_at {
                            None => "in force".to_string(),
                            Some(t) => format!("retired {}", at(Some(t))),
                        };
                        outln!(
                            "version {} saved {} by {} ({state})",
                            p.version,
                            at(Some(p.saved_at)),
                            p.saved_by
                        );
                    }
                    if let Some(last) = rows.last() {
                        outln!("\n{}", metas_service::sla::policy_text(&last.spec));
                    }
                }
            }
        }
        PolicyCommand::Delete { name } => {
            let mut store = open_existing(s)?;
            let counts = metas_service::sla::delete_policy(&mut store, &name, Timestamp::now())?;
            outln!(
                "policy {name} retired; judged {} stages of {} interactions",
                counts.stages,
                counts.interactions
            );
        }
    }
    Ok(0)
}

fn stages(wanted: StageFilter, a: StagesArgs, s: &Settings) -> Result<u8, Failure> {
    let as_of = metas_service::sla::parse_as_of(a.as_of.as_deref(), Timestamp::now())?;
    let store = open_existing(s)?;
    let segment = metas_service::kpi::parse_segment(a.segment.as_deref())?;
    let rows = metas_service::sla::stages(&store, wanted, as_of, segment.as_ref(), a.limit)?;
    match a.format {
        ReportFormat::Json => print_json(&rows)?,
        ReportFormat::Csv => write_csv(&rows)?,
        ReportFormat::Table => {
            if rows.is_empty() {
                outln!(
                    "{}",
                    match wanted {
                        StageFilter::Breached => "no stage breached",
                        StageFilter::AtRisk => "no open stage at risk",
                    }
                );
            }
            for r in &rows {
                let left = match (wanted, r.due_at) {
                    (StageFilter::AtRisk, Some(due)) => {
                        format!("  due {} (in {})", at(Some(due)), {
                            let secs = due.duration_since(as_of).as_secs_f64();
                            duration(Some(secs.max(0.0)))
                        })
                    }
                    _ => format!(
                        "  took {} of {}",
                        duration(r.elapsed_secs),
                        duration(Some(r.target_secs))
                    ),
                };
                outln!(
                    "{}  {}  {}  {} v{}  {}  {}{left}",
                    r.external_id,
                    r.channel.as_deref().unwrap_or("-"),
                    r.agent.as_deref().unwrap_or("-"),
                    r.policy,
                    r.policy_version,
                    r.stage,
                    at(r.started_at),
                );
            }
        }
    }
    Ok(0)
}

fn write_csv(rows: &[StageRow]) -> Result<(), Failure> {
    let mut w = csv::Writer::from_writer(crate::output::stdout());
    for record in metas_service::sla::stage_csv(rows) {
        w.write_record(
            record
                .iter()
                .map(|c| metas_service::export::spreadsheet_safe(c).into_owned()),
        )
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    }
    w.flush()
        .map_err(|e| Failure::from(anyhow::Error::from(e)))?;
    Ok(())
}
