//! `metas`: the command line. Parses arguments into one typed [`Settings`],
//! calls the use cases, prints, and maps failures to exit statuses:
//! 0 success, 1 ran but something was rejected or refused, 2 usage or input.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[macro_use]
mod output;
mod backup_cmd;
mod bench;
mod coach_cmd;
mod goal_cmd;
mod indicator_cmd;
mod kpi_cmd;
mod profile_cmd;
mod qa_cmd;
mod relay;
mod replica_cmd;
mod scorecard_cmd;
mod sla_cmd;
mod staffing_cmd;
mod user_cmd;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use metas_ingest::{ImportError, ImportOptions, MappingChoice};
use metas_store::prelude::*;
use metas_store::{Store, StoreError};

/// Rust's allocations go to mimalloc: an import builds columns on one
/// thread and frees them on another, which glibc's malloc serves slowly
/// (see docs/benchmarks.md, import).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "metas",
    version,
    about = "Customer-service goals: KPIs, SMART goals, time objectives and coaching."
)]
struct Cli {
    /// The database file (created when missing). With --database, this
    /// instance's local read model of the shared PostgreSQL.
    #[arg(long, global = true, env = "METAS_DB", default_value = "metas.db")]
    db: PathBuf,
    /// The shared PostgreSQL (postgres://user@host:port/db) that holds the
    /// truth when several instances run; without it, the local DuckDB file
    /// of --db is the database.
    #[arg(long, global = true, env = "METAS_DATABASE", value_name = "URL")]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Fill the database with a realistic demo organisation (replaces earlier demo data).
    Demo(DemoArgs),
    /// Import a CSV, JSON or NDJSON export.
    Import(ImportArgs),
    /// Bring the schema of the shared PostgreSQL (--database) or of the local file up to date.
    Migrate(replica_cmd::MigrateArgs),
    /// The local read model of the shared PostgreSQL: rebuild it, or catch it up.
    #[command(subcommand)]
    Replica(replica_cmd::ReplicaCommand),
    /// Show what the database holds.
    Stats(FormatArg),
    /// Compute a KPI, cut by dimensions and segments, with sample sizes and confidence intervals.
    Kpi(kpi_cmd::KpiArgs),
    /// List or export the interactions behind a number, with every derived metric.
    Interactions(kpi_cmd::DrillArgs),
    /// Show or change the KPI settings (CSAT threshold, FCR mode, …).
    Settings(kpi_cmd::SettingsArgs),
    /// Business calendars for business-time durations.
    #[command(subcommand)]
    Calendar(kpi_cmd::CalendarCommand),
    /// Time objectives (SLA): policies, breaches, stages at risk.
    #[command(subcommand)]
    Sla(sla_cmd::SlaCommand),
    /// What a service-level objective costs: the agents Erlang C says a queue needs, per hour and per week.
    Staffing(staffing_cmd::StaffingArgs),
    /// SMART goals: check, add, list, show.
    #[command(subcommand)]
    Goal(goal_cmd::GoalCommand),
    /// The organisation's mission statement, the top of the goal tree.
    #[command(subcommand)]
    Mission(goal_cmd::MissionCommand),
    /// Coaching: an agent's action plan on one QA criterion, and the sessions that follow it.
    #[command(subcommand)]
    Coach(coach_cmd::CoachCommand),
    /// Users of the web app and the API (password on stdin).
    #[command(subcommand)]
    User(user_cmd::UserCommand),
    /// API tokens for integrations.
    #[command(subcommand)]
    Token(user_cmd::TokenCommand),
    /// Serve the web app and the JSON API.
    Serve(ServeArgs),
    /// Write a consistent copy of the database to FILE (also while `metas serve` runs, with --url).
    Backup(backup_cmd::BackupArgs),
    /// Put a backup in place of the database (stop `metas serve` first).
    Restore(backup_cmd::RestoreArgs),
    /// Measure throughput and memory on this machine (see docs/benchmarks.md).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// An agent's scorecard: four months against the standard and the team, struggles, overlaps, focus behaviour and evidence.
    Scorecard(scorecard_cmd::ScorecardArgs),
    /// Quality assurance: rubrics, reviews, the queue of interactions to review.
    #[command(subcommand)]
    Qa(qa_cmd::QaCommand),
    /// Role profiles: the competencies a role needs, on anchored 1-5 levels (set, list, show).
    #[command(subcommand)]
    Profile(profile_cmd::ProfileCommand),
    /// Candidates assessed against a role profile by several assessors, revealed together.
    #[command(subcommand)]
    Candidate(profile_cmd::CandidateCommand),
    /// Assess a current agent against a role profile; start a coaching plan from the largest gap.
    #[command(subcommand)]
    Assess(profile_cmd::AssessCommand),
    /// Indicators: their whole definitions (owner, frequency, standard, stage) and the board.
    #[command(subcommand)]
    Indicator(indicator_cmd::IndicatorCommand),
}

#[derive(Subcommand, Debug)]
enum BenchCommand {
    /// Import a generated generic CSV into a fresh database, then import it again.
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        rows: u64,
        /// Folder for the CSV and database (default: a temporary folder, removed after).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Time a segmented KPI and a ten-KPI dashboard, through metas and as hand-written SQL.
    Kpi(DemoBenchArgs),
    /// PostgreSQL as the system of record: an import into it, a read model rebuilt from it, a change seen by a second instance, and KPI latency on a read model against a plain file.
    Replica {
        #[arg(long, default_value_t = 1_000_000)]
        interactions: u64,
        /// Folder for the CSV and the read models (default: a temporary folder, removed after).
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Load the dashboard with concurrent clients on loopback (p50/p95/p99).
    Serve {
        #[arg(long, default_value_t = 1_000_000)]
        interactions: u64,
        /// Folder that keeps the generated database between runs.
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[arg(long, default_value_t = 400)]
        requests: usize,
        /// Instances serving the dashboard, the clients spread over them; more than one needs --database (the benchmark makes its own database `metas_bench_serve` there).
        #[arg(long, default_value_t = 1)]
        instances: usize,
    },
    /// Mixed load on loopback: dashboard loads, KPI questions and goal check-ins from many clients, an NDJSON import every 20 s; p95 per kind and every acknowledged write counted afterwards.
    Load {
        #[arg(long, default_value_t = 1_000_000)]
        interactions: u64,
        /// Folder that keeps the generated database between runs.
        #[arg(long)]
        dir: Option<PathBuf>,
        #[arg(long, default_value_t = 16)]
        clients: usize,
        #[arg(long, default_value_t = 300)]
        seconds: u64,
    },
    /// Time `metas staffing` on the demo's phone queue: a week of half-hours from 8 weeks of calls.
    Staffing(DemoBenchArgs),
    /// Define the example time objectives on the demo (judging every interaction), then time sla_attainment by stage, channel and month.
    Sla(DemoBenchArgs),
    /// Time one agent's scorecard (with overlaps, focus behaviour and evidence) and the struggling agent's team's scorecards.
    Scorecard(DemoBenchArgs),
    /// Generate the demo organisation into a fresh database.
    Demo {
        #[arg(long, default_value_t = 1_000_000)]
        interactions: u64,
        #[arg(long)]
        dir: Option<PathBuf>,
    },
}

/// A benchmark over the demo database.
#[derive(Args, Debug)]
struct DemoBenchArgs {
    #[arg(long, default_value_t = 1_000_000)]
    interactions: u64,
    /// Folder that keeps the generated database between runs (default: a temporary folder).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Timed runs per question (the median is reported).
    #[arg(long, default_value_t = 5)]
    runs: usize,
}

#[derive(Args, Debug)]
struct DemoArgs {
    /// Seed of the generator: the same seed and date give the same data.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// How many interactions to generate.
    #[arg(long, default_value_t = 200_000)]
    interactions: u64,
    /// The last day of the demo (default: today, UTC).
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Only the records: no mission and no goals (to set your own from scratch).
    #[arg(long)]
    no_goals: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Args, Debug)]
struct ImportArgs {
    /// The export to import.
    file: PathBuf,
    /// A mapping file (TOML; see docs/import.md).
    #[arg(long, value_name = "MAP.toml", conflicts_with = "preset")]
    mapping: Option<PathBuf>,
    /// A built-in mapping: generic, zendesk, freshdesk.
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// Where rejected rows are written (default: FILE.rejects.csv).
    #[arg(long, value_name = "PATH")]
    rejects: Option<PathBuf>,
    /// Source name (the namespace of the file's ids), overriding the mapping's.
    #[arg(long)]
    source: Option<String>,
    /// Time zone of timestamps written without an offset (e.g. Europe/Madrid).
    #[arg(long)]
    timezone: Option<String>,
    /// Read and check every row as an import would, and write nothing: no
    /// database is opened (so it runs beside `metas serve`) and no rejects file.
    #[arg(long, conflicts_with = "rejects")]
    check: bool,
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// With --database: the local read model the import is made in, and
    /// shipped from to PostgreSQL (caught up first); default: --db.
    #[arg(long, value_name = "FILE")]
    replica: Option<PathBuf>,
}

#[derive(Args, Debug)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Mark cookies Secure (when metas is reached through TLS).
    #[arg(long)]
    secure_cookies: bool,
}

#[derive(Args, Debug)]
struct FormatArg {
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum OutputFormat {
    Table,
    Json,
}

/// Everything the commands need from the outside world, read once here.
pub(crate) struct Settings {
    /// The database file as the user named it (shown in messages as given).
    db: PathBuf,
    today: jiff::civil::Date,
    /// Now, which stamps what is recorded (a goal's history).
    now: jiff::Timestamp,
    /// Who is at the keyboard (the login name), kept in goals' history.
    actor: String,
    /// The running `metas serve`'s connection to the file, when the server
    /// carries the command out for another process (relay.rs).
    served: Option<Store>,
    /// The shared PostgreSQL, when `db` is a read model of it.
    database: Option<String>,
}

impl Settings {
    fn now(
        db: PathBuf,
        database: Option<String>,
        actor: String,
        served: Option<Store>,
    ) -> Settings {
        let now = jiff::Timestamp::now();
        Settings {
            db,
            today: now.to_zoned(jiff::tz::TimeZone::UTC).date(),
            now,
            actor,
            served,
            database,
        }
    }

    /// Whether the database exists (the server holding it says so; a read
    /// model is built from the shared PostgreSQL when missing).
    pub(crate) fn db_exists(&self) -> bool {
        self.served.is_some() || self.database.is_some() || self.db.exists()
    }
}

/// A failure with the exit status it deserves.
pub(crate) struct Failure {
    status: u8,
    pub(crate) error: anyhow::Error,
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        anyhow::Error::from(e).into()
    }
}

impl From<metas_service::ServiceError> for Failure {
    fn from(e: metas_service::ServiceError) -> Self {
        match e {
            metas_service::ServiceError::Input(m) => usage(m),
            // Asked for something that is not there: the input's to fix.
            metas_service::ServiceError::NotFound(m) => usage(m),
            e @ (metas_service::ServiceError::Refused(_)
            | metas_service::ServiceError::Forbidden) => Failure {
                status: 1,
                error: anyhow::anyhow!(e.to_string()),
            },
            metas_service::ServiceError::Store(s) => s.into(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        let status = if let Some(ie) = error.downcast_ref::<ImportError>() {
            if ie.is_input() {
                2
            } else {
                1
            }
        } else if let Some(
            StoreError::Locked { .. } | StoreError::Open { .. } | StoreError::TooNew { .. },
        ) = error.downcast_ref::<StoreError>()
        {
            2
        } else {
            1
        };
        Failure { status, error }
    }
}

/// A text file the user named (a calendar, a policy), or one sentence
/// naming it and what is wrong (exit 2).
pub(crate) fn read_text(file: &std::path::Path) -> Result<String, Failure> {
    std::fs::read_to_string(file).map_err(|e| {
        usage(format!(
            "{}: {}",
            file.display(),
            e.to_string().to_lowercase()
        ))
    })
}

pub(crate) fn usage(msg: String) -> Failure {
    Failure {
        status: 2,
        error: anyhow::anyhow!(msg),
    }
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("METAS_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let actor = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "cli".into());
    let settings = Settings::now(cli.db.clone(), cli.database.clone(), actor, None);
    // While `metas serve` holds the file, it carries the command out.
    if let Some(status) = relay::forward(&cli, &settings) {
        return ExitCode::from(status);
    }
    ExitCode::from(finish(run(cli.command, &settings)))
}

/// The exit status of a command's result; a failure is said in one sentence
/// on standard error.
fn finish(result: Result<u8, Failure>) -> u8 {
    match result {
        Ok(status) => status,
        // A reader that went away (`metas interactions … | head`) is not an
        // error: the output it wanted was written.
        Err(f) if reader_gone(&f.error) => 0,
        Err(f) => {
            errln!("metas: {}", sentence(&f.error));
            f.status
        }
    }
}

fn reader_gone(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// The error and its causes as one sentence.
fn sentence(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let s = cause.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ")
}

/// The operator at the keyboard: the CLI works on the database file
/// itself, so whoever runs it has an administrator's reach (the login name
/// is what history records).
pub(crate) fn operator(s: &Settings) -> metas_service::users::User {
    metas_service::users::User {
        login: s.actor.clone(),
        role: metas_service::users::Role::Admin,
        team: None,
        agent: None,
        language: None,
    }
}

/// The database of the command: the running server's connection when it
/// carries the command out, the read model of the shared PostgreSQL
/// (caught up, its writes shipped there) with --database, else the file.
pub(crate) fn open_store(s: &Settings) -> Result<Store, Failure> {
    match (&s.served, &s.database) {
        (Some(store), _) => {
            let mut store = store.try_clone()?;
            // What another instance committed a moment ago is read too.
            store.catch_up()?;
            Ok(store)
        }
        (None, Some(url)) => replica_cmd::read_model(url, &s.db),
        (None, None) => Ok(Store::open(&s.db)?),
    }
}

fn run(command: Command, s: &Settings) -> Result<u8, Failure> {
    match command {
        Command::Demo(a) => demo(a, s),
        Command::Import(a) => import(a, s),
        Command::Migrate(a) => replica_cmd::migrate(a, s),
        Command::Replica(c) => replica_cmd::replica(c, s),
        Command::Stats(a) => stats(a, s),
        Command::Kpi(a) => kpi_cmd::kpi(a, s),
        Command::Interactions(a) => kpi_cmd::interactions(a, s),
        Command::Settings(a) => kpi_cmd::settings(a, s),
        Command::Calendar(c) => kpi_cmd::calendar(c, s),
        Command::Sla(c) => sla_cmd::run(c, s),
        Command::Staffing(a) => staffing_cmd::staffing(a, s),
        Command::Goal(c) => goal_cmd::goal(c, s),
        Command::Mission(c) => goal_cmd::mission(c, s),
        Command::User(c) => user_cmd::user(c, s),
        Command::Serve(a) => serve(a, s),
        Command::Token(c) => user_cmd::token(c, s),
        Command::Bench(b) => bench_command(b, s),
        Command::Backup(a) => backup_cmd::backup(a, s),
        Command::Restore(a) => backup_cmd::restore(a, s),
        Command::Scorecard(a) => scorecard_cmd::scorecard(a, s),
        Command::Coach(c) => coach_cmd::coach(c, s),
        Command::Qa(c) => qa_cmd::run(c, s),
        Command::Profile(c) => profile_cmd::profile(c, s),
        Command::Candidate(c) => profile_cmd::candidate(c, s),
        Command::Assess(c) => profile_cmd::assess(c, s),
        Command::Indicator(c) => indicator_cmd::run(c, s),
    }
}

pub(crate) fn parse_date(raw: &str, flag: &str) -> Result<jiff::civil::Date, Failure> {
    metas_ingest::values::parse_iso_date(raw).map_err(|e| usage(format!("{flag}: {e}")))
}

fn demo(a: DemoArgs, s: &Settings) -> Result<u8, Failure> {
    let as_of = match &a.as_of {
        Some(d) => parse_date(d, "--as-of")?,
        None => s.today,
    };
    if a.interactions == 0 {
        return Err(usage("--interactions must be at least 1".into()));
    }
    let mut store = open_store(s)?;
    let opts = metas_service::demo::DemoOptions {
        seed: a.seed,
        interactions: a.interactions,
        as_of,
    };
    let started = std::time::Instant::now();
    let summary = metas_service::demo::generate(&mut store, &opts)
        .context("generating the demo organisation")?;
    // The example time objectives (examples/sla/), every stage judged.
    let judged = metas_service::sla::install_examples(&mut store, "demo", s.now)?;
    let goals = if a.no_goals {
        None
    } else {
        Some(metas_service::demo::goals::generate(&mut store, &opts)?)
    };
    // Owners and standards for the indicator board.
    let indicators = metas_service::demo::indicators::generate(&mut store, s.now, as_of)?;
    let secs = started.elapsed().as_secs_f64();
    if a.format == OutputFormat::Json {
        let mut doc = serde_json::to_value(&summary).context("writing JSON")?;
        if let Some(g) = &goals {
            doc["goals"] = serde_json::to_value(g).context("writing JSON")?;
        }
        doc["indicators_defined"] = serde_json::json!(indicators);
        doc["time_objectives"] = serde_json::json!({
            "policies": metas_service::sla::EXAMPLE_POLICIES.len(),
            "stages_judged": judged.stages,
        });
        print_json(&doc)?;
    } else {
        outln!(
            "demo organisation in {}: {} interactions from {} to {}, {} customers, {} agents in {} teams, {} survey answers, {} QA reviews ({secs:.1} s)",
            s.db.display(),
            summary.interactions,
            summary.from,
            summary.to,
            summary.customers,
            summary.agents,
            summary.teams,
            summary.surveys,
            summary.qa_reviews,
        );
        outln!(
            "{} time-objective policies judged {} stages; see `metas sla policy list` and `metas kpi sla_attainment --by stage,channel`",
            metas_service::sla::EXAMPLE_POLICIES.len(),
            judged.stages
        );
        outln!(
            "{indicators} indicators have an owner and a standard; see `metas indicator board` and the Indicators page"
        );
        if let Some(g) = &goals {
            outln!("{}", goals_line(g));
            outln!("see them with `metas goal list` (the tree) and `metas goal reviews`; `metas serve` shows them on the Goals page");
        }
    }
    Ok(0)
}

/// "14 goals under the mission: 5 on track, 1 at risk, …; 60 check-ins,
/// 6 reviews held; reviews 2 due, 1 overdue".
fn goals_line(g: &metas_service::demo::goals::GoalsSummary) -> String {
    const ORDER: [&str; 9] = [
        "on_track",
        "at_risk",
        "off_track",
        "achieved_early",
        "achieved",
        "missed",
        "active",
        "draft",
        "retired",
    ];
    let states: Vec<String> = ORDER
        .iter()
        .filter_map(|k| {
            g.by_state
                .get(*k)
                .map(|n| format!("{n} {}", k.replace('_', " ")))
        })
        .collect();
    format!(
        "{} goals under the mission: {}; {} check-ins, {} reviews held; reviews {} due, {} overdue",
        g.goals,
        states.join(", "),
        g.checkins,
        g.reviews,
        g.reviews_due,
        g.reviews_overdue
    )
}

fn import(a: ImportArgs, s: &Settings) -> Result<u8, Failure> {
    let choice = match (&a.mapping, &a.preset) {
        (Some(m), _) => MappingChoice::File(m.clone()),
        (None, Some(p)) => MappingChoice::Preset(p.clone()),
        (None, None) => MappingChoice::Preset("generic".into()),
    };
    let mut opts = ImportOptions::new(choice);
    opts.source = a.source.clone();
    opts.timezone = a.timezone.clone();
    opts.rejects_path = a.rejects.clone();
    // Check the input before touching the database, so a bad path creates no file.
    if !a.file.exists() {
        return Err(ImportError::input(&a.file, None, "no such file").into());
    }
    if a.check {
        let report = metas_ingest::check_file(&a.file, &opts)?;
        print_rejects(&report.file, &report.rejects, report.rejected);
        if a.format == OutputFormat::Json {
            print_json(&report)?;
        } else {
            outln!(
                "{}: would import {} and reject {} ({} records from source '{}', {:.2} s; nothing was written)",
                report.file,
                report.readable,
                report.rejected,
                report.record,
                report.source,
                report.seconds
            );
            print_unread(&report.ignored_columns, &report.missing_paths);
        }
        return Ok(if report.rejected > 0 { 1 } else { 0 });
    }
    let mut store = match (&s.database, &a.replica) {
        (Some(url), Some(replica)) => replica_cmd::read_model(url, replica)?,
        (None, Some(_)) => {
            return Err(usage(
                "--replica names the read model of a shared PostgreSQL: name that with --database postgres://… (or METAS_DATABASE)".into(),
            ))
        }
        _ => open_store(s)?,
    };
    let report = metas_ingest::import_file(&mut store, &a.file, &opts)?;
    print_rejects(&report.file, &report.rejects, report.rejected);
    if a.format == OutputFormat::Json {
        print_json(&report)?;
    } else {
        // Superseded and deleted copies are named only when there were some:
        // most sources have neither.
        let mut newer = String::new();
        if report.superseded > 0 {
            newer.push_str(&format!(
                ", superseded by a newer copy {}",
                report.superseded
            ));
        }
        if report.deleted > 0 {
            newer.push_str(&format!(", deleted {}", report.deleted));
        }
        outln!(
            "{}: imported {}, updated {}, unchanged {}{newer}, rejected {} ({} records from source '{}', {:.2} s)",
            report.file,
            report.imported,
            report.updated,
            report.unchanged,
            report.rejected,
            report.record,
            report.source,
            report.seconds
        );
        if let Some(f) = &report.rejects_file {
            outln!("rejected rows are in {f}");
        }
        if let Some(change) = store.replicated_change() {
            outln!("committed to the shared database as change {change}");
        }
        print_unread(&report.ignored_columns, &report.missing_paths);
    }
    Ok(if report.rejected > 0 { 1 } else { 0 })
}

/// The first rejects, on stderr in both formats, so a JSON consumer on
/// stdout and a person watching the terminal both learn of them.
fn print_rejects(file: &str, rejects: &[metas_ingest::Reject], rejected: u64) {
    let shown = 20;
    for r in rejects.iter().take(shown) {
        let column = if r.column.is_empty() || r.column == r.field {
            String::new()
        } else {
            format!(" (column '{}')", r.column)
        };
        let value = if r.value.is_empty() {
            String::new()
        } else {
            format!(" '{}'", r.value)
        };
        errln!(
            "{file} line {}, field {}{column}: rejected{value}: {}",
            r.line,
            r.field,
            r.reason
        );
    }
    if rejected > shown as u64 {
        errln!("… and {} more rejected rows", rejected - shown as u64);
    }
}

/// What the file carries that the mapping does not read, and the reverse.
fn print_unread(ignored_columns: &[String], missing_paths: &[String]) {
    if !ignored_columns.is_empty() {
        outln!("columns not imported: {}", ignored_columns.join(", "));
    }
    if !missing_paths.is_empty() {
        outln!(
            "mapped fields no record carried: {}",
            missing_paths.join(", ")
        );
    }
}

/// Opens a database that must already exist (reading commands never
/// create an empty one by mistake).
pub(crate) fn open_existing(s: &Settings) -> Result<Store, Failure> {
    if !s.db_exists() {
        return Err(usage(format!(
            "{} does not exist yet; run `metas demo` or `metas import FILE` first",
            s.db.display()
        )));
    }
    open_store(s)
}

fn serve(a: ServeArgs, s: &Settings) -> Result<u8, Failure> {
    if !s.db_exists() {
        return Err(usage(format!(
            "{} does not exist yet; run `metas demo` or `metas import FILE` first",
            s.db.display()
        )));
    }
    // By its absolute path: commands carried out for other processes run
    // in their callers' folders (relay.rs). A new instance's read model is
    // built from the shared database, so it need not exist yet.
    let db = if s.db.exists() {
        std::fs::canonicalize(&s.db)
    } else {
        std::path::absolute(&s.db)
    }
    .with_context(|| format!("finding {}", s.db.display()))?;
    let store = match &s.database {
        Some(url) => replica_cmd::read_model(url, &db)?,
        None => Store::open(&db)?,
    };
    if s.database.is_none() && store.watermark()? > 0 {
        // Served alone, it would refuse every write (a sign-in included).
        return Err(usage(format!(
            "{} is the read model of a shared PostgreSQL: serve it with --database postgres://… (or METAS_DATABASE)",
            s.db.display()
        )));
    }
    let _relay = relay::listen(&db, &store)?;
    if store.users().map_err(Failure::from)?.is_empty() {
        return Err(usage(
            "no users yet: add one first, e.g. `echo 'a long password' | metas user add admin --role admin`".into(),
        ));
    }
    let settings = metas_server::ServerSettings {
        addr: a.addr,
        secure_cookies: a.secure_cookies,
        today: Box::new(|| {
            jiff::Timestamp::now()
                .to_zoned(jiff::tz::TimeZone::UTC)
                .date()
        }),
        now: Box::new(jiff::Timestamp::now),
        shared_database: s.database.clone(),
    };
    metas_server::serve_blocking(store, settings)
        .with_context(|| format!("serving on {}", a.addr))?;
    Ok(0)
}

fn stats(a: FormatArg, s: &Settings) -> Result<u8, Failure> {
    let store = open_existing(s)?;
    let st = store.stats()?;
    if a.format == OutputFormat::Json {
        print_json(&st)?;
        return Ok(0);
    }
    outln!(
        "database {} (schema version {})",
        s.db.display(),
        st.schema_version
    );
    for t in &st.tables {
        outln!("  {:<16} {:>12}", t.table, t.rows);
    }
    for src in &st.sources {
        outln!(
            "source {}: {} interactions, created {} to {}",
            src.source,
            src.interactions,
            src.first_created.as_deref().unwrap_or("-"),
            src.last_created.as_deref().unwrap_or("-")
        );
        let ch: Vec<String> = src
            .channels
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        outln!("  channels: {}", ch.join(", "));
    }
    outln!("{} imports", st.imports);
    Ok(0)
}

/// The PostgreSQL server a benchmark makes its own database on.
fn bench_database(s: &Settings) -> Result<&str, Failure> {
    s.database.as_deref().ok_or_else(|| {
        usage("this benchmark needs a PostgreSQL server: name it with --database postgres://… (or METAS_DATABASE)".into())
    })
}

fn bench_dir(dir: Option<PathBuf>) -> Result<(tempfile::TempDir, PathBuf), Failure> {
    let tmp = tempfile::tempdir().context("creating a temporary folder")?;
    let path = match dir {
        Some(d) => {
            std::fs::create_dir_all(&d).with_context(|| format!("creating {}", d.display()))?;
            d
        }
        None => tmp.path().to_path_buf(),
    };
    Ok((tmp, path))
}

/// The demo database of `interactions` in `dir`, generated on the first run
/// and kept for the next (generating 10 million takes minutes).
fn bench_demo(dir: &std::path::Path, interactions: u64, s: &Settings) -> Result<Store, Failure> {
    let path = dir.join(format!("kpi-{interactions}.db"));
    let fresh = !path.exists();
    let mut store = Store::open(&path)?;
    if fresh {
        let opts = metas_service::demo::DemoOptions {
            seed: 42,
            interactions,
            as_of: s.today,
        };
        metas_service::demo::generate(&mut store, &opts).context("generating the demo")?;
    }
    Ok(store)
}

/// Runs a benchmark on the demo database of `a` and prints its figures.
fn on_demo<R: serde::Serialize>(
    a: DemoBenchArgs,
    s: &Settings,
    bench: impl FnOnce(&mut Store, u64, usize) -> anyhow::Result<R>,
) -> Result<(), Failure> {
    let (_tmp, dir) = bench_dir(a.dir)?;
    let mut store = bench_demo(&dir, a.interactions, s)?;
    let r = bench(&mut store, a.interactions, a.runs.max(1))?;
    print_json(&r)
}

fn bench_command(b: BenchCommand, s: &Settings) -> Result<u8, Failure> {
    match b {
        BenchCommand::Import { rows, dir } => {
            let (_tmp, dir) = bench_dir(dir)?;
            let r = bench::import(rows, &dir)?;
            print_json(&r)?;
        }
        BenchCommand::Kpi(a) => on_demo(a, s, |store, n, runs| bench::kpi(store, n, runs))?,
        BenchCommand::Replica {
            interactions,
            dir,
            runs,
        } => {
            let database = bench_database(s)?;
            let (_tmp, dir) = bench_dir(dir)?;
            let r = bench::replica(interactions, &dir, database, runs.max(1), s.today)?;
            print_json(&r)?;
        }
        BenchCommand::Staffing(a) => {
            on_demo(a, s, |store, n, runs| bench::staffing(store, n, runs))?
        }
        BenchCommand::Sla(a) => on_demo(a, s, bench::sla)?,
        BenchCommand::Scorecard(a) => {
            let as_of = s.today;
            on_demo(a, s, move |store, n, runs| {
                bench::scorecard(store, n, runs, as_of)
            })?
        }
        BenchCommand::Serve {
            interactions,
            dir,
            clients,
            requests,
            instances,
        } => {
            let (_tmp, dir) = bench_dir(dir)?;
            let store = bench_demo(&dir, interactions, s)?;
            let r = match &s.database {
                None if instances > 1 => return Err(usage(
                    "several instances share a PostgreSQL: name it with --database postgres://…"
                        .into(),
                )),
                None => metas_server::bench::dashboard(store, s.today, clients.max(1), requests),
                Some(url) => {
                    let (stores, shared) =
                        bench::shared_instances(store, &dir, url, instances.max(1))?;
                    metas_server::bench::dashboard_on(
                        stores,
                        Some(shared),
                        s.today,
                        clients.max(1),
                        requests,
                    )
                }
            }
            .context("loading the dashboard")?;
            print_json(&r)?;
        }
        BenchCommand::Load {
            interactions,
            dir,
            clients,
            seconds,
        } => {
            let (_tmp, dir) = bench_dir(dir)?;
            let store = bench_demo(&dir, interactions, s)?;
            let r = metas_server::bench::mixed(store, s.today, clients.max(1), seconds)
                .context("the mixed load")?;
            print_json(&r)?;
            if r.errors > 0 || r.lost_writes > 0 {
                return Err(Failure {
                    status: 1,
                    error: anyhow::anyhow!(
                        "the load saw {} errors and {} lost writes",
                        r.errors,
                        r.lost_writes
                    ),
                });
            }
        }
        BenchCommand::Demo { interactions, dir } => {
            let (_tmp, dir) = bench_dir(dir)?;
            let mut store = Store::open(&dir.join("demo.db"))?;
            let opts = metas_service::demo::DemoOptions {
                seed: 42,
                interactions,
                as_of: s.today,
            };
            let t = std::time::Instant::now();
            let summary =
                metas_service::demo::generate(&mut store, &opts).context("generating the demo")?;
            let secs = t.elapsed().as_secs_f64();
            print_json(&serde_json::json!({
                "interactions": summary.interactions,
                "seconds": secs,
                "interactions_per_sec": summary.interactions as f64 / secs,
                "peak_rss_mib": bench::peak_rss_mib(),
            }))?;
        }
    }
    Ok(0)
}

pub(crate) fn print_json<T: serde::Serialize>(v: &T) -> Result<(), Failure> {
    let mut out = std::io::BufWriter::new(crate::output::stdout());
    serde_json::to_writer_pretty(&mut out, v).context("writing JSON")?;
    writeln!(out).context("writing JSON")?;
    out.flush().context("writing JSON")?;
    Ok(())
}
