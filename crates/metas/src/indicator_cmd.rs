//! `metas indicator list | show KPI | set KPI … | board [--as-of DATE]
//! [--format json]`: the indicators' whole definitions and the board of all
//! of them against their standards, by stage of the purchase
//! (docs/indicators.md). The CLI acts as the database's operator (the whole
//! organisation; an administrator, so it may change definitions).

use clap::{Args, Subcommand};
use metas_domain::indicator::{DefinitionChange, Verdict};
use metas_domain::kpi::display_value;
use metas_service::indicators::{self, Board, Indicator};

use crate::kpi_cmd::ReportFormat;
use crate::{open_existing, parse_date, print_json, usage, Failure, Settings};

#[derive(Subcommand, Debug)]
pub enum IndicatorCommand {
    /// Every indicator with its stage, frequency, owner and standard.
    List(FormatArgs),
    /// One indicator's whole definition and its history of changes.
    Show {
        /// The KPI (e.g. csat, frt).
        kpi: String,
        #[command(flatten)]
        f: FormatArgs,
    },
    /// Change an indicator's definition (an empty value clears the owner,
    /// standard or note, and restores the built-in stage or frequency).
    Set(SetArgs),
    /// Every indicator's figure for its period against its standard, with
    /// the trend, by stage of the purchase.
    Board(BoardArgs),
}

#[derive(Args, Debug)]
pub struct FormatArgs {
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Args, Debug)]
pub struct SetArgs {
    /// The KPI (e.g. csat, frt).
    kpi: String,
    /// The team or person who answers for it.
    #[arg(long)]
    owner: Option<String>,
    /// daily, weekly, monthly or quarterly.
    #[arg(long)]
    frequency: Option<String>,
    /// The business target: 85%, 0.85, 2m, "at most 1000", -20 (NPS).
    #[arg(long, allow_hyphen_values = true)]
    standard: Option<String>,
    /// before, during or after (the purchase).
    #[arg(long)]
    stage: Option<String>,
    /// A note shown with the definition.
    #[arg(long)]
    note: Option<String>,
}

#[derive(Args, Debug)]
pub struct BoardArgs {
    /// The day the periods run to (default: today).
    #[arg(long = "as-of", value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

fn no_csv(format: ReportFormat) -> Result<(), Failure> {
    if format == ReportFormat::Csv {
        return Err(usage(
            "--format: indicators are written as a table or as json".into(),
        ));
    }
    Ok(())
}

pub fn run(c: IndicatorCommand, s: &Settings) -> Result<u8, Failure> {
    match c {
        IndicatorCommand::List(f) => {
            no_csv(f.format)?;
            let store = open_existing(s)?;
            let list = indicators::definitions(&store, s.today)?;
            if f.format == ReportFormat::Json {
                let v: Vec<_> = list.iter().map(Indicator::to_json).collect();
                print_json(&serde_json::json!({ "indicators": v }))?;
            } else {
                outln!(
                    "{:<20} {:<16} {:<10} {:<20} STANDARD",
                    "KPI",
                    "STAGE",
                    "FREQUENCY",
                    "OWNER"
                );
                for i in &list {
                    let d = &i.definition;
                    outln!(
                        "{:<20} {:<16} {:<10} {:<20} {}",
                        d.kpi.id,
                        d.stage.as_str(),
                        d.frequency.as_str(),
                        d.owner.as_deref().unwrap_or("-"),
                        standard_text(i)
                    );
                }
            }
            Ok(0)
        }
        IndicatorCommand::Show { kpi, f } => {
            no_csv(f.format)?;
            let store = open_existing(s)?;
            let i = indicators::definition(&store, &kpi, s.today)?;
            let history = indicators::history(&store, &kpi)?;
            if f.format == ReportFormat::Json {
                let mut j = i.to_json();
                if let Some(m) = j.as_object_mut() {
                    m.insert(
                        "history".into(),
                        serde_json::to_value(&history).unwrap_or_default(),
                    );
                }
                print_json(&j)?;
                return Ok(0);
            }
            let d = &i.definition;
            outln!("{} — {}", d.kpi.id, d.kpi.name);
            outln!("formula:   {}", i.formula.text);
            outln!(
                "unit:      {}",
                serde_json::to_value(d.kpi.unit)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            );
            outln!("stage:     {}", d.stage.as_str());
            outln!("frequency: {}", d.frequency.as_str());
            outln!("owner:     {}", d.owner.as_deref().unwrap_or("-"));
            outln!("standard:  {}", standard_text(&i));
            if let Some(n) = &d.note {
                outln!("note:      {n}");
            }
            for h in &history {
                outln!(
                    "  version {} by {} at {}",
                    h.version,
                    h.changed_by,
                    h.changed_at
                );
            }
            Ok(0)
        }
        IndicatorCommand::Set(a) => {
            let change = DefinitionChange {
                owner: a.owner,
                frequency: a.frequency,
                standard: a.standard,
                stage: a.stage,
                note: a.note,
            };
            if change.owner.is_none()
                && change.frequency.is_none()
                && change.standard.is_none()
                && change.stage.is_none()
                && change.note.is_none()
            {
                return Err(usage(
                    "set: give at least one of --owner, --frequency, --standard, --stage, --note"
                        .into(),
                ));
            }
            let mut store = open_existing(s)?;
            let user = crate::operator(s);
            let i = indicators::set_as(&mut store, &user, &a.kpi, &change, s.now, s.today)?;
            outln!(
                "{}: {} review, {} the purchase, owner {}, standard {} (version {})",
                i.id(),
                i.definition.frequency.as_str(),
                match i.definition.stage {
                    metas_domain::JourneyStage::BeforePurchase => "before",
                    metas_domain::JourneyStage::DuringPurchase => "during",
                    metas_domain::JourneyStage::AfterPurchase => "after",
                },
                i.definition.owner.as_deref().unwrap_or("-"),
                standard_text(&i),
                i.version
            );
            Ok(0)
        }
        IndicatorCommand::Board(a) => {
            no_csv(a.format)?;
            let as_of = match &a.as_of {
                Some(d) => parse_date(d, "--as-of")?,
                None => s.today,
            };
            let store = open_existing(s)?;
            let user = crate::operator(s);
            let board = indicators::board_as(&store, &user, as_of)?;
            if a.format == ReportFormat::Json {
                print_json(&board.to_json())?;
            } else {
                out!("{}", board_text(&board));
            }
            Ok(0)
        }
    }
}

fn standard_text(i: &Indicator) -> String {
    match i.standard {
        Some((st, source)) => format!(
            "{}{}",
            st.text(i.definition.kpi.unit),
            match source {
                indicators::StandardSource::Definition => "",
                indicators::StandardSource::Goal => " (the organisation's goal)",
            }
        ),
        None => "-".into(),
    }
}

fn board_text(b: &Board) -> String {
    let mut out = format!("Indicators as of {}\n", b.as_of);
    for (stage, list) in &b.stages {
        out.push_str(&format!(
            "\n{}\n",
            match stage {
                metas_domain::JourneyStage::BeforePurchase => "Before the purchase",
                metas_domain::JourneyStage::DuringPurchase => "During the purchase",
                metas_domain::JourneyStage::AfterPurchase => "After the purchase",
            }
        ));
        for bi in list {
            let unit = bi.indicator.definition.kpi.unit;
            let value = indicators::shown_value(unit, &bi.figure)
                .map_or_else(|| "no data".into(), |v| display_value(unit, v));
            let verdict = match bi.verdict {
                Verdict::Met => "met",
                Verdict::NotMet => "NOT MET",
                Verdict::NoData => "no data",
                Verdict::NoStandard => "no standard",
            };
            let trend: Vec<String> = bi
                .trend
                .iter()
                .map(|p| {
                    indicators::shown_value(unit, &p.figure)
                        .map_or_else(|| "–".into(), |v| display_value(unit, v))
                })
                .collect();
            out.push_str(&format!(
                "  {:<20} {:>10}  n={:<7} {:<10} {:<24} {}–{}  trend {}\n",
                bi.indicator.id(),
                value,
                bi.figure.n,
                verdict,
                standard_text(&bi.indicator),
                bi.from,
                bi.to,
                trend.join(" → ")
            ));
        }
    }
    out
}
