//! `metas kpi`, `metas interactions`, `metas settings`, `metas calendar`:
//! parse, call the service, print.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use metas_domain::kpi::{display_value, Change, CATALOGUE};
use metas_domain::settings::KpiSettings;
use metas_service::drill::DrillRequest;
use metas_service::kpi::{KpiAnswer, KpiRequest};
use metas_store::DimValue;

use crate::{open_existing, parse_date, print_json, usage, Failure, Settings};
use metas_store::prelude::*;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Json,
    Csv,
}

#[derive(Args, Debug)]
pub struct KpiArgs {
    /// The KPI id (see --list).
    kpi: Option<String>,
    /// List every KPI with its definition.
    #[arg(long)]
    list: bool,
    /// Show the KPI's definition and the settings in force.
    #[arg(long)]
    explain: bool,
    /// Group by these dimensions (channel, agent, team, topic, …, customer.<attribute>).
    #[arg(long, value_name = "DIM[,DIM]")]
    by: Vec<String>,
    /// Bucket by day, week, month, quarter, year or fiscal_year.
    #[arg(long)]
    grain: Option<String>,
    /// First day (inclusive).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Last day (inclusive).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// A segment expression, e.g. "customer.age between 55 and 70 and topic = 'login'".
    #[arg(long = "where", value_name = "EXPR")]
    segment: Option<String>,
    /// For durations: mean, median or p90.
    #[arg(long)]
    stat: Option<String>,
    /// For durations: calendar or business time.
    #[arg(long)]
    time: Option<String>,
    /// Compare with the previous period of the same length.
    #[arg(long)]
    compare: bool,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub(crate) fn date_opt(
    raw: &Option<String>,
    flag: &str,
) -> Result<Option<jiff::civil::Date>, Failure> {
    raw.as_deref().map(|d| parse_date(d, flag)).transpose()
}

pub fn kpi(a: KpiArgs, s: &Settings) -> Result<u8, Failure> {
    if a.list {
        // The definitions under this database's settings; without a
        // database yet, under the defaults a new one starts with.
        let settings = if s.db_exists() {
            open_existing(s)?.settings().map_err(Failure::from)?
        } else {
            KpiSettings::default()
        };
        if a.format == ReportFormat::Json {
            let kpis: Vec<serde_json::Value> = CATALOGUE
                .iter()
                .map(|k| {
                    let mut v = serde_json::json!(k);
                    v["definition"] = serde_json::json!(k.definition(&settings).text);
                    v
                })
                .collect();
            print_json(&serde_json::json!({ "kpis": kpis }))?;
        } else {
            for k in CATALOGUE {
                let definition = k.definition(&settings).text;
                outln!("{:<20} {}\n{:<20} {}\n", k.id, k.name, "", definition);
            }
        }
        return Ok(0);
    }
    let Some(id) = a.kpi.clone() else {
        return Err(usage(
            "name a KPI (e.g. `metas kpi csat`), or list them with `metas kpi --list`".into(),
        ));
    };
    let req = KpiRequest {
        kpi: id,
        by: a.by.clone(),
        grain: a.grain.clone(),
        from: date_opt(&a.from, "--from")?,
        to: date_opt(&a.to, "--to")?,
        segment: a.segment.clone(),
        stat: a.stat.clone(),
        time: a.time.clone(),
        compare: a.compare,
    };
    let parsed = req.parse()?;
    let store = open_existing(s)?;
    if a.explain {
        let settings = store.settings().map_err(Failure::from)?;
        let k = parsed.kpi;
        let in_force = settings.in_force(k.settings);
        if a.format == ReportFormat::Json {
            print_json(&serde_json::json!({
                "kpi": k,
                "settings": in_force.iter().map(|(k, v)| serde_json::json!({"key": k, "value": v})).collect::<Vec<_>>(),
            }))?;
        } else {
            outln!("{} ({})", k.name, k.id);
            outln!("definition: {}", k.definition(&settings).text);
            outln!("unit: {:?}; better: {:?}", k.unit, k.better);
            for (key, v) in in_force {
                outln!("setting {key} = {v}");
            }
            outln!("confidence intervals: 95 % (Wilson for rates, t for means, order statistics for medians and p90)");
        }
        return Ok(0);
    }
    let answer = metas_service::kpi::answer(&store, &parsed)?;
    match a.format {
        ReportFormat::Json => print_json(&answer.to_json())?,
        ReportFormat::Csv => write_kpi_csv(&answer)?,
        ReportFormat::Table => print_kpi_table(&answer),
    }
    Ok(0)
}

fn dim_text(v: &DimValue) -> String {
    v.as_text().unwrap_or_else(|| "(none)".into())
}

fn write_kpi_csv(a: &KpiAnswer) -> Result<(), Failure> {
    let mut w = csv::Writer::from_writer(crate::output::stdout());
    for rec in a.csv_records() {
        w.write_record(
            rec.iter()
                .map(|c| metas_service::export::spreadsheet_safe(c).into_owned()),
        )
        .context("writing CSV")?;
    }
    w.flush().context("writing CSV")?;
    Ok(())
}

fn print_kpi_table(a: &KpiAnswer) {
    let unit = a.kpi.unit;
    let show = |v: Option<f64>| {
        v.map(|x| display_value(unit, x))
            .unwrap_or_else(|| "—".into())
    };
    let mut header: Vec<String> = a.by.clone();
    let has_period = a.rows.iter().any(|r| r.period.is_some());
    if has_period {
        header.push("period".into());
    }
    header.extend(["value", "n", "95% CI"].map(String::from));
    if a.previous_period.is_some() {
        header.extend(["previous", "change"].map(String::from));
    }
    let mut table: Vec<Vec<String>> = vec![header];
    for r in &a.rows {
        let mut rec: Vec<String> = r.dims.iter().map(|(_, v)| dim_text(v)).collect();
        if has_period {
            rec.push(r.period.clone().unwrap_or_default());
        }
        rec.push(show(r.figure.value));
        rec.push(r.figure.n.to_string());
        rec.push(match (r.figure.ci_low, r.figure.ci_high) {
            (Some(l), Some(h)) => format!("{} – {}", show(Some(l)), show(Some(h))),
            _ => String::new(),
        });
        if let Some(p) = &r.previous {
            rec.push(show(p.value));
            // One sign, in the KPI's unit, as the web pages write it.
            rec.push(match (r.figure.value, p.value) {
                (Some(x), Some(y)) => Change::between(a.kpi, x, y).text,
                _ => String::new(),
            });
        }
        table.push(rec);
    }
    let widths: Vec<usize> = (0..table[0].len())
        .map(|c| {
            table
                .iter()
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, r) in table.iter().enumerate() {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        outln!("{}", line.join("  ").trim_end());
        if i == 0 {
            outln!(
                "{}",
                widths
                    .iter()
                    .map(|w| "-".repeat(*w))
                    .collect::<Vec<_>>()
                    .join("  ")
            );
        }
    }
    let mut notes = vec![format!("{}: {}", a.kpi.name, a.definition.text)];
    if !a.settings.is_empty() {
        notes.push(format!(
            "settings: {}",
            a.settings
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if a.kpi.is_duration() {
        notes.push(format!("statistic: {:?}; time: {:?}", a.stat, a.time).to_lowercase());
    }
    if let Some((f, t)) = a.previous_period {
        notes.push(format!("previous period: {f} to {t}"));
    }
    if let Some(note) = &a.note {
        notes.insert(0, format!("no figure: {}", note.text()));
    }
    outln!();
    for n in notes {
        outln!("{n}");
    }
}

#[derive(Args, Debug)]
pub struct DrillArgs {
    /// A segment expression.
    #[arg(long = "where", value_name = "EXPR")]
    segment: Option<String>,
    /// Only the interactions in this KPI's sample.
    #[arg(long)]
    kpi: Option<String>,
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// At most this many (default: 50 for the table, all for json and csv).
    #[arg(long)]
    limit: Option<u64>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

fn cell_json(v: &DimValue) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn cell_csv(v: &DimValue) -> String {
    v.as_text().unwrap_or_default()
}

/// A CSV writer's error as the IO error it is, so a closed pipe is seen as one.
fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

pub fn interactions(a: DrillArgs, s: &Settings) -> Result<u8, Failure> {
    let req = DrillRequest {
        kpi: a.kpi.clone(),
        segment: a.segment.clone(),
        from: date_opt(&a.from, "--from")?,
        to: date_opt(&a.to, "--to")?,
        limit: a.limit.or((a.format == ReportFormat::Table).then_some(50)),
        within: None,
    };
    let store = open_existing(s)?;
    let columns = metas_service::drill::columns();
    let mut out = std::io::BufWriter::new(crate::output::stdout());
    match a.format {
        ReportFormat::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(&columns)
                .map_err(csv_io)
                .context("writing CSV")?;
            metas_service::drill::drill(&store, &req, |cells| {
                w.write_record(
                    cells.iter().map(|c| {
                        metas_service::export::spreadsheet_safe(&cell_csv(c)).into_owned()
                    }),
                )
                .map_err(csv_io)
            })?;
            w.flush().context("writing CSV")?;
        }
        ReportFormat::Json => {
            let mut first = true;
            write!(
                out,
                "{{\"columns\": {}, \"interactions\": [",
                serde_json::to_string(&columns).context("writing JSON")?
            )
            .context("writing JSON")?;
            metas_service::drill::drill(&store, &req, |cells| {
                let obj: serde_json::Map<String, serde_json::Value> = columns
                    .iter()
                    .cloned()
                    .zip(cells.iter().map(cell_json))
                    .collect();
                let sep = if first { "\n" } else { ",\n" };
                first = false;
                write!(out, "{sep}{}", serde_json::Value::Object(obj))
            })?;
            writeln!(out, "\n]}}").context("writing JSON")?;
        }
        ReportFormat::Table => {
            let shown = [
                "source",
                "external_id",
                "channel",
                "created_at",
                "agent",
                "topic",
                "status",
                "first_response_secs",
                "resolution_secs",
                "csat_score",
            ];
            let idx: Vec<usize> = shown
                .iter()
                .filter_map(|c| columns.iter().position(|x| x == c))
                .collect();
            writeln!(out, "{}", shown.join("\t")).context("writing")?;
            let mut count = 0u64;
            metas_service::drill::drill(&store, &req, |cells| {
                count += 1;
                let line: Vec<String> = idx.iter().map(|i| cell_csv(&cells[*i])).collect();
                writeln!(out, "{}", line.join("\t"))
            })?;
            writeln!(
                out,
                "\n{count} interactions shown{}; --format csv exports every column and every derived metric",
                if req.limit == Some(count) { format!(" (limit {count})") } else { String::new() }
            )
            .context("writing")?;
        }
    }
    Ok(0)
}

#[derive(Args, Debug)]
pub struct SettingsArgs {
    #[command(subcommand)]
    action: Option<SettingsAction>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

#[derive(Subcommand, Debug)]
enum SettingsAction {
    /// Change a setting; every figure follows.
    Set { key: String, value: String },
    /// Go back to a setting's default.
    Reset { key: String },
}

pub fn settings(a: SettingsArgs, s: &Settings) -> Result<u8, Failure> {
    let mut store = crate::open_store(s)?;
    match a.action {
        Some(SettingsAction::Set { key, value }) => {
            metas_service::config::set_setting(&mut store, &key, &value)?;
        }
        Some(SettingsAction::Reset { key }) => {
            metas_service::config::reset_setting(&mut store, &key)?;
        }
        None => {}
    }
    let list = metas_service::config::list_settings(&store)?;
    if a.format == ReportFormat::Json {
        print_json(&serde_json::json!({ "settings": list }))?;
    } else {
        for v in list {
            let marker = if v.value == v.default { " " } else { "*" };
            outln!("{marker} {:<30} {:<16} {}", v.key, v.value, v.description);
        }
        outln!("\n* changed from the default; `metas settings set KEY VALUE`, `metas settings reset KEY`");
    }
    Ok(0)
}

#[derive(Subcommand, Debug)]
pub enum CalendarCommand {
    /// Define (or replace) a calendar from a TOML file (see docs/kpis.md).
    Set { name: String, file: PathBuf },
    /// List the calendars.
    List,
    /// Show one calendar's definition.
    Show { name: String },
}

pub fn calendar(c: CalendarCommand, s: &Settings) -> Result<u8, Failure> {
    let mut store = crate::open_store(s)?;
    match c {
        CalendarCommand::Set { name, file } => {
            let text = crate::read_text(&file)?;
            let dir = file.parent().map(PathBuf::from).unwrap_or_default();
            let spec =
                metas_service::config::parse_calendar(&text, &file.display().to_string(), |rel| {
                    std::fs::read_to_string(dir.join(rel)).map_err(|e| e.to_string())
                })?;
            metas_service::config::set_calendar(&mut store, &name, &spec)?;
            outln!(
                "calendar {name} saved ({}, {} holidays); make it the default with `metas settings set calendar.default {name}`",
                spec.time_zone,
                spec.holidays.len() + spec.ical_holidays.len()
            );
        }
        CalendarCommand::List => {
            let default = store.settings().map_err(Failure::from)?.default_calendar;
            outln!(
                "{} 24x7 (built in: always open)",
                if default == "24x7" { "*" } else { " " }
            );
            for n in store.calendar_names().map_err(Failure::from)? {
                outln!("{} {n}", if default == n { "*" } else { " " });
            }
        }
        CalendarCommand::Show { name } => match store.calendar(&name).map_err(Failure::from)? {
            Some(spec) => print_json(&spec)?,
            None => return Err(usage(format!("no calendar named '{name}'"))),
        },
    }
    Ok(0)
}
