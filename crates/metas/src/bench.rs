//! `metas bench …`: throughput and memory measurements on this machine.
//! Results are recorded in docs/benchmarks.md.

use std::io::BufWriter;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use jiff::{SignedDuration, Timestamp};
use metas_domain::{Channel, Interaction, InteractionRecord, Status, SurveyAnswer, SurveyKind};
use metas_ingest::{ImportOptions, MappingChoice};
use serde::Serialize;

/// Peak resident memory of this process so far, in MiB (Linux).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// A small deterministic generator (SplitMix64): the benchmark file is the
/// same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &'a [&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// Writes `rows` synthetic interactions in the generic layout.
pub fn write_generic_csv(path: &Path, rows: u64) -> Result<u64> {
    let f = std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 20, f));
    metas_ingest::generic::write_header(&mut w)?;
    let mut rng = Rng(7);
    let start: Timestamp = "2025-01-01T00:00:00Z".parse().expect("valid timestamp");
    let channels = [
        Channel::Phone,
        Channel::Email,
        Channel::Chat,
        Channel::Social,
        Channel::BlogComment,
        Channel::SelfService,
    ];
    let topics = [
        "login",
        "returns",
        "buffering",
        "billing",
        "shipping",
        "account",
        "technical",
    ];
    let statuses = [
        Status::Resolved,
        Status::Closed,
        Status::Open,
        Status::Pending,
    ];
    let mut agents = Vec::new();
    for a in 0..50 {
        agents.push(format!("agent-{a:02}"));
    }
    for n in 0..rows {
        let created = start + SignedDuration::from_secs((n * 31_536_000 / rows.max(1)) as i64);
        let channel = channels[rng.below(channels.len() as u64) as usize];
        let mut i = Interaction::new(format!("B-{n:09}"), channel, created);
        let frt = SignedDuration::from_secs(60 + rng.below(86_400) as i64);
        i.first_response_at = Some(created + frt);
        let status = statuses[rng.below(statuses.len() as u64) as usize];
        i.status = Some(status);
        if status.is_resolved() {
            i.resolved_at =
                Some(created + frt + SignedDuration::from_secs(rng.below(300_000) as i64));
            i.first_resolved_at = i.resolved_at;
        }
        i.reopen_count = Some((rng.below(10) == 0) as i32);
        i.agent_replies = Some(1 + rng.below(4) as i32);
        i.priority = Some(rng.pick(&["low", "normal", "high", "urgent"]).to_string());
        i.topic = Some(rng.pick(&topics).to_string());
        i.customer_id = Some(format!("C-{:07}", rng.below(rows / 4 + 1)));
        let agent = rng.below(50) as usize;
        i.agent = Some(agents[agent].clone());
        i.team = Some(format!("team-{}", agent % 4));
        if channel == Channel::Phone {
            i.answered = Some(rng.below(10) != 0);
            i.abandoned = i.answered.map(|a| !a);
            i.queue_wait_secs = Some(rng.below(300) as f64);
            i.talk_secs = Some(30.0 + rng.below(900) as f64);
        }
        let mut surveys = Vec::new();
        if rng.below(5) == 0 {
            surveys.push(SurveyAnswer {
                kind: SurveyKind::Csat,
                score: 1.0 + rng.below(5) as f64,
                scale_min: 1.0,
                scale_max: 5.0,
                answered_at: None,
                comment: None,
            });
        }
        metas_ingest::generic::write_row(
            &mut w,
            &InteractionRecord {
                interaction: i,
                surveys,
                customer: None,
            },
        )?;
    }
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

#[derive(Debug, Serialize)]
pub struct ImportBench {
    pub rows: u64,
    pub file_mib: f64,
    pub first_import_secs: f64,
    pub rows_per_sec: f64,
    pub reimport_secs: f64,
    pub reimport_rows_per_sec: f64,
    /// The yardstick: DuckDB loading the same file by itself into a fresh
    /// database (no mapping, validation, hashing or derived metrics).
    pub duckdb_native_load_secs: f64,
    pub duckdb_native_rows_per_sec: f64,
    pub peak_rss_mib: Option<f64>,
}

/// An empty database `dir/name`: one left by an earlier run would turn the
/// first import into a re-import.
fn fresh_store(dir: &Path, name: &str) -> Result<metas_store::Store> {
    let db = dir.join(name);
    for stale in [db.clone(), dir.join(format!("{name}.wal"))] {
        if stale.exists() {
            std::fs::remove_file(&stale)
                .with_context(|| format!("removing {}", stale.display()))?;
        }
    }
    Ok(metas_store::Store::open(&db)?)
}

/// Generates a generic CSV of `rows` rows, imports it into a fresh database,
/// then imports it again (every row unchanged).
pub fn import(rows: u64, dir: &Path) -> Result<ImportBench> {
    let csv_path = dir.join("bench.csv");
    let bytes = write_generic_csv(&csv_path, rows)?;
    let mut store = fresh_store(dir, "bench.db")?;
    let opts = ImportOptions::new(MappingChoice::Preset("generic".into()));
    let t = Instant::now();
    let first = metas_ingest::import_file(&mut store, &csv_path, &opts)?;
    let first_secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        first.imported == rows && first.rejected == 0,
        "benchmark import lost rows: {first:?}"
    );
    let t = Instant::now();
    let again = metas_ingest::import_file(&mut store, &csv_path, &opts)?;
    let again_secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(again.unchanged == rows, "re-import changed rows: {again:?}");
    drop(store);
    let mut native = fresh_store(dir, "bench-native.db")?;
    let t = Instant::now();
    let loaded = metas_store::bench_sql::native_csv_load(&mut native, &csv_path)?;
    let native_secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(loaded == rows, "the native load read {loaded} rows");
    Ok(ImportBench {
        rows,
        file_mib: bytes as f64 / (1024.0 * 1024.0),
        first_import_secs: first_secs,
        rows_per_sec: rows as f64 / first_secs,
        reimport_secs: again_secs,
        reimport_rows_per_sec: rows as f64 / again_secs,
        duckdb_native_load_secs: native_secs,
        duckdb_native_rows_per_sec: rows as f64 / native_secs,
        peak_rss_mib: peak_rss_mib(),
    })
}

/// One question timed through metas and by hand.
#[derive(Debug, Serialize)]
pub struct QueryTiming {
    pub name: &'static str,
    /// Median of the runs, in milliseconds.
    pub metas_ms: f64,
    pub hand_sql_ms: f64,
    pub overhead: f64,
}

#[derive(Debug, Serialize)]
pub struct KpiBench {
    pub interactions: u64,
    pub runs: usize,
    pub queries: Vec<QueryTiming>,
    pub peak_rss_mib: Option<f64>,
}

fn median_ms(runs: usize, mut f: impl FnMut() -> Result<()>) -> Result<f64> {
    f()?; // warm-up: the first run pays for reading the file into the cache
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(times[times.len() / 2])
}

fn ask(
    store: &dyn metas_store::Storage,
    kpi: &str,
    by: &[&str],
    grain: Option<&str>,
    segment: Option<&str>,
) -> Result<()> {
    let req = metas_service::kpi::KpiRequest {
        kpi: kpi.into(),
        by: by.iter().map(|s| s.to_string()).collect(),
        grain: grain.map(String::from),
        segment: segment.map(String::from),
        ..Default::default()
    };
    let parsed = req.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let answer = metas_service::kpi::answer(store, &parsed).map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(!answer.rows.is_empty(), "{kpi}: no rows");
    Ok(())
}

/// Times a segmented KPI and a ten-KPI dashboard through the KPI engine and
/// as hand-written SQL, on the database at hand.
pub fn kpi(store: &metas_store::Store, interactions: u64, runs: usize) -> Result<KpiBench> {
    use metas_store::bench_sql;
    let mut queries = Vec::new();
    let mut time = |name: &'static str,
                    metas: &dyn Fn() -> Result<()>,
                    hand: &dyn Fn() -> Result<()>|
     -> Result<()> {
        let metas_ms = median_ms(runs, metas)?;
        let hand_sql_ms = median_ms(runs, hand)?;
        queries.push(QueryTiming {
            name,
            metas_ms,
            hand_sql_ms,
            overhead: metas_ms / hand_sql_ms,
        });
        Ok(())
    };
    time(
        "csat where customer.age between 55 and 70",
        &|| {
            ask(
                store,
                "csat",
                &[],
                None,
                Some("customer.age between 55 and 70"),
            )
        },
        &|| {
            store
                .run_constant(bench_sql::SEGMENTED_CSAT)
                .map(drop)
                .map_err(Into::into)
        },
    )?;
    time(
        "frt where channel = 'email' and priority = 'urgent'",
        &|| {
            ask(
                store,
                "frt",
                &[],
                None,
                Some("channel = 'email' and priority = 'urgent'"),
            )
        },
        &|| {
            store
                .run_constant(bench_sql::SEGMENTED_FRT)
                .map(drop)
                .map_err(Into::into)
        },
    )?;
    const DASHBOARD: [&str; 10] = [
        "volume",
        "frt",
        "resolution_time",
        "csat",
        "csat_avg",
        "nps",
        "ces",
        "fcr",
        "aht",
        "answer_rate",
    ];
    time(
        "dashboard: ten KPIs by channel by month",
        &|| {
            let reqs = DASHBOARD
                .iter()
                .map(|k| {
                    metas_service::kpi::KpiRequest {
                        kpi: k.to_string(),
                        by: vec!["channel".into()],
                        grain: Some("month".into()),
                        ..Default::default()
                    }
                    .parse()
                    .map_err(|e| anyhow::anyhow!("{e}"))
                })
                .collect::<Result<Vec<_>>>()?;
            let answers = metas_service::kpi::answer_many(store, &reqs)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            anyhow::ensure!(
                answers.iter().all(|a| !a.rows.is_empty()),
                "a KPI without rows"
            );
            Ok(())
        },
        &|| {
            for sql in bench_sql::DASHBOARD {
                store.run_constant(sql)?;
            }
            Ok(())
        },
    )?;
    Ok(KpiBench {
        interactions,
        runs,
        queries,
        peak_rss_mib: peak_rss_mib(),
    })
}

#[derive(Debug, Serialize)]
pub struct StaffingBench {
    pub interactions: u64,
    pub runs: usize,
    /// The question timed, as `metas staffing` takes it.
    pub command: &'static str,
    pub from: String,
    pub to: String,
    /// Calls read, and the half-hours of the week staffed.
    pub calls: u64,
    pub half_hours: usize,
    /// Median of the runs, in milliseconds: parsing, finding the queue's
    /// last call, counting its quarter-hours, placing them, Erlang C for
    /// every half-hour, the five neighbouring objectives and the busiest
    /// half-hour's curve.
    pub median_ms: f64,
    /// Of which, medians of the store's parts: finding the last call (the
    /// last interaction of all, then the queue's since 57 days before it),
    /// and counting the queue's calls per quarter-hour over the period.
    pub last_call_ms: f64,
    pub quarter_hours_ms: f64,
    pub peak_rss_mib: Option<f64>,
}

/// Times the observed form of `metas staffing` on the demo's phone queue
/// (docs/benchmarks.md): what the command does after opening the database.
pub fn staffing(
    store: &metas_store::Store,
    interactions: u64,
    runs: usize,
) -> Result<StaffingBench> {
    use metas_service::staffing::{observe, StaffingQuestion, StaffingRequest};
    use metas_store::prelude::*;
    let ask = || -> Result<metas_service::staffing::ObservedAnswer> {
        let req = StaffingRequest {
            service_level: Some("80/20".into()),
            shrinkage: Some("30%".into()),
            max_occupancy: Some("85%".into()),
            cost_per_hour: Some("28".into()),
            segment: Some("channel = 'phone'".into()),
            timezone: Some("Europe/Madrid".into()),
            ..Default::default()
        };
        let StaffingQuestion::Observed(q) = req.parse().map_err(|e| anyhow::anyhow!("{e}"))? else {
            anyhow::bail!("the benchmark's question is not the observed form");
        };
        observe(store, &q).map_err(|e| anyhow::anyhow!("{e}"))
    };
    let answer = ask()?;
    anyhow::ensure!(
        !answer.plan.half_hours.is_empty(),
        "the demo's phone queue has no half-hour to staff"
    );
    let median = median_ms(runs, || ask().map(drop))?;
    let settings = store.settings()?;
    let phone = metas_domain::segment::SegmentExpr::parse("channel = 'phone'")
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let last_call_ms = median_ms(runs, || {
        let (_, last) = store
            .arrival_span(&settings, None, None)?
            .context("no interactions")?;
        let since = last.checked_sub(jiff::SignedDuration::from_hours(24 * 57))?;
        store
            .arrival_span(&settings, Some(&phone), Some(since))?
            .context("no phone calls")?;
        Ok(())
    })?;
    let tz = jiff::tz::TimeZone::get("Europe/Madrid")?;
    let start = answer.from.to_zoned(tz.clone())?.timestamp();
    let end = answer.to.tomorrow()?.to_zoned(tz)?.timestamp();
    let quarter_hours_ms = median_ms(runs, || {
        store.arrival_slots(&metas_store::ArrivalQuery {
            settings: &settings,
            segment: &phone,
            start,
            end,
            answer_within_secs: 20.0,
        })?;
        Ok(())
    })?;
    Ok(StaffingBench {
        interactions,
        runs,
        command: "metas staffing --where \"channel = 'phone'\" --service-level 80/20 --shrinkage 30% --max-occupancy 85% --cost-per-hour 28 --timezone Europe/Madrid",
        from: answer.from.to_string(),
        to: answer.to.to_string(),
        calls: answer.calls,
        half_hours: answer.plan.half_hours.len(),
        median_ms: median,
        last_call_ms,
        quarter_hours_ms,
        peak_rss_mib: peak_rss_mib(),
    })
}

/// Time objectives at scale: judging every interaction after a policy
/// change, and `sla_attainment` by stage, channel and month through metas
/// and by hand.
#[derive(Debug, Serialize)]
pub struct SlaBench {
    pub interactions: u64,
    pub runs: usize,
    pub command: &'static str,
    pub stages_judged: u64,
    pub interactions_judged: u64,
    /// Defining the example calendar and policies, judging every
    /// interaction once, in one transaction.
    pub judge_secs: f64,
    /// The process's peak after judging (it includes generating the demo
    /// when the database was not kept from an earlier run).
    pub judge_peak_rss_mib: Option<f64>,
    pub queries: Vec<QueryTiming>,
}

pub fn sla(store: &mut metas_store::Store, interactions: u64, runs: usize) -> Result<SlaBench> {
    let started = Instant::now();
    let counts = metas_service::sla::install_examples(store, "bench", jiff::Timestamp::now())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let judge_secs = started.elapsed().as_secs_f64();
    let judge_peak_rss_mib = peak_rss_mib();
    let metas_ms = median_ms(runs, || {
        ask(
            store,
            "sla_attainment",
            &["stage", "channel"],
            Some("month"),
            None,
        )
    })?;
    // The hand-written SQL is made once, as of now, and kept for the runs.
    let hand: &'static str = Box::leak(
        metas_store::bench_sql::sla_attainment_by_stage_channel_month(jiff::Timestamp::now())
            .into_boxed_str(),
    );
    let hand_sql_ms = median_ms(runs, || {
        store.run_constant(hand).map(drop).map_err(Into::into)
    })?;
    Ok(SlaBench {
        interactions,
        runs,
        command: "metas kpi sla_attainment --by stage,channel --grain month",
        stages_judged: counts.stages,
        interactions_judged: counts.interactions,
        judge_secs,
        judge_peak_rss_mib,
        queries: vec![QueryTiming {
            name: "sla_attainment by stage, channel and month",
            metas_ms,
            hand_sql_ms,
            overhead: metas_ms / hand_sql_ms,
        }],
    })
}

#[derive(Debug, Serialize)]
pub struct ScorecardBench {
    interactions: u64,
    runs: usize,
    as_of: jiff::civil::Date,
    agent: &'static str,
    /// The focus behaviour found for the agent (a check that the work was done).
    focus: Option<String>,
    evidence: usize,
    /// `metas scorecard AGENT`: the scorecard with struggles, overlaps, focus and evidence.
    agent_ms: f64,
    team: Option<String>,
    team_agents: usize,
    /// `metas scorecard --team TEAM`: every agent's scorecard of the team.
    team_ms: f64,
    /// The agent's scorecard's own reads, each timed alone (the rest of
    /// `agent_ms` is the KPI engine's read of the team by agent and month).
    parts_ms: Vec<(&'static str, f64)>,
    peak_rss_mib: Option<f64>,
}

/// One agent's scorecard (the demo's struggling agent) and their team's
/// scorecards, through the service as the CLI, pages and API ask.
pub fn scorecard(
    store: &mut metas_store::Store,
    interactions: u64,
    runs: usize,
    as_of: jiff::civil::Date,
) -> Result<ScorecardBench> {
    let user = metas_service::users::User {
        login: "bench".into(),
        role: metas_service::users::Role::Admin,
        team: None,
        agent: None,
        language: None,
    };
    let agent = metas_service::demo::STRUGGLING_AGENT;
    let err = |e: metas_service::ServiceError| anyhow::anyhow!("{e}");
    let first = metas_service::scorecard::analyse(store, &user, agent, as_of).map_err(err)?;
    let agent_ms = median_ms(runs, || {
        metas_service::scorecard::analyse(store, &user, agent, as_of)
            .map(drop)
            .map_err(err)
    })?;
    let (team_ms, team_agents) = match &first.team {
        Some(t) => {
            let n = metas_service::scorecard::team(store, &user, t, as_of)
                .map_err(err)?
                .len();
            let ms = median_ms(runs, || {
                metas_service::scorecard::team(store, &user, t, as_of)
                    .map(drop)
                    .map_err(err)
            })?;
            (ms, n)
        }
        None => (0.0, 0),
    };
    let mut parts_ms = Vec::new();
    if let (Some(team), Some(f)) = (&first.team, &first.focus) {
        use metas_store::prelude::*;
        use metas_store::Reviewed;
        let settings = store.settings()?;
        let (from, to) = (first.months[0].start, as_of);
        let by_agent = Reviewed::Team {
            team,
            by_agent: true,
        };
        parts_ms.push((
            "agent_activity",
            median_ms(runs, || {
                store.agent_activity(agent).map(drop).map_err(Into::into)
            })?,
        ));
        parts_ms.push((
            "criterion_months",
            median_ms(runs, || {
                store
                    .criterion_months(by_agent, from, to)
                    .map(drop)
                    .map_err(Into::into)
            })?,
        ));
        parts_ms.push((
            "focus_rows",
            median_ms(runs, || {
                store
                    .focus_rows(&settings, Reviewed::Agent(agent), from, to)
                    .map(drop)
                    .map_err(Into::into)
            })?,
        ));
        parts_ms.push((
            "evidence",
            median_ms(runs, || {
                store
                    .evidence(&settings, agent, &f.rubric, &f.criterion, from, to, 5)
                    .map(drop)
                    .map_err(Into::into)
            })?,
        ));
        parts_ms.push((
            "team_agents",
            median_ms(runs, || {
                store
                    .team_agents(team, from, to)
                    .map(drop)
                    .map_err(Into::into)
            })?,
        ));
    }
    Ok(ScorecardBench {
        parts_ms,
        interactions,
        runs,
        as_of,
        agent,
        focus: first.focus.as_ref().map(|f| f.criterion.clone()),
        evidence: first.evidence.len(),
        agent_ms,
        team: first.team.clone(),
        team_agents,
        team_ms,
        peak_rss_mib: peak_rss_mib(),
    })
}

#[derive(Debug, Serialize)]
pub struct ReplicaBench {
    pub interactions: u64,
    /// The import of a generic CSV into a fresh PostgreSQL through a read
    /// model (caught up, merged in DuckDB, shipped with binary COPY, both
    /// committed).
    pub import_secs: f64,
    pub import_rows_per_sec: f64,
    /// Rows written to PostgreSQL by that import, every replicated table.
    pub rows_shipped: u64,
    /// A second read model built from nothing.
    pub rebuild_secs: f64,
    pub rebuild_rows: u64,
    pub rebuild_rows_per_sec: f64,
    /// A new import of `small_import_rows` through the first instance; the
    /// second, woken by LISTEN/NOTIFY, catches up: milliseconds from the
    /// first instance's import returning to the rows visible on the second.
    pub small_import_rows: u64,
    pub small_import_ms: f64,
    pub visible_after_commit_ms: f64,
    /// The KPI benchmark on the rebuilt read model and on a plain DuckDB
    /// file holding the same import, summed over its questions.
    pub kpi_replica_ms: f64,
    pub kpi_plain_ms: f64,
    pub kpi_ratio: f64,
    pub peak_rss_mib: Option<f64>,
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[after_scheme..]
        .find('/')
        .map(|i| after_scheme + i)
        .unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..host_end])
}

/// `instances` read models of a fresh database `metas_bench_serve` on the
/// server at `url`, holding what `demo` holds: the demo file is copied, and
/// the copy seeds the database (`metas replica seed`); the others are
/// rebuilt from it. Returns them with the database's URL.
pub fn shared_instances(
    demo: metas_store::Store,
    dir: &Path,
    url: &str,
    instances: usize,
) -> Result<(Vec<metas_store::Store>, String)> {
    use metas_store::pg::{self, PgDatabase, Replication};
    use metas_store::Store;
    let source = demo
        .path()
        .map(Path::to_path_buf)
        .context("the demo is a file")?;
    drop(demo);
    let shared = fresh_database(&mut PgDatabase::connect(url)?, url, "metas_bench_serve")?;
    let first = dir.join("serve-1.db");
    remove_db(&first)?;
    std::fs::copy(&source, &first).with_context(|| format!("copying {}", source.display()))?;
    let mut store = Store::open(&first)?;
    store.replicate_to(Replication::seeding(PgDatabase::connect(&shared)?)?);
    let t = Instant::now();
    let change = store.seed_shared()?;
    errln!(
        "seeded {shared} from {} as change {change} in {:.1} s",
        source.display(),
        t.elapsed().as_secs_f64()
    );
    let mut stores = vec![store];
    for i in 2..=instances {
        let path = dir.join(format!("serve-{i}.db"));
        let t = Instant::now();
        let (mut store, _) = pg::rebuild(&mut PgDatabase::connect(&shared)?, &path)?;
        store.replicate_to(Replication::new(PgDatabase::connect(&shared)?)?);
        errln!(
            "rebuilt {} in {:.1} s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
        stores.push(store);
    }
    Ok((stores, shared))
}

/// A fresh, migrated database `name` on the server of `url` (dropped first
/// if a run before left it): its URL.
fn fresh_database(
    admin: &mut metas_store::pg::PgDatabase,
    url: &str,
    name: &'static str,
) -> Result<String> {
    admin.recreate_database(name)?;
    let fresh = with_database(url, name);
    metas_store::pg::PgDatabase::connect(&fresh)?.migrate()?;
    Ok(fresh)
}

fn remove_db(path: &Path) -> Result<()> {
    let mut wal = path.as_os_str().to_owned();
    wal.push(".wal");
    for p in [path.to_path_buf(), std::path::PathBuf::from(wal)] {
        if p.exists() {
            std::fs::remove_file(&p).with_context(|| format!("removing {}", p.display()))?;
        }
    }
    Ok(())
}

fn sum_ms(b: &KpiBench) -> f64 {
    b.queries.iter().map(|q| q.metas_ms).sum()
}

/// `metas bench replica`: see [`ReplicaBench`].
pub fn replica(
    interactions: u64,
    dir: &Path,
    url: &str,
    runs: usize,
    as_of: jiff::civil::Date,
) -> Result<ReplicaBench> {
    use metas_store::pg::{self, PgDatabase, Replication};
    use metas_store::Store;
    let opts = ImportOptions::new(MappingChoice::Preset("generic".into()));
    let csv_path = dir.join("replica.csv");
    write_generic_csv(&csv_path, interactions)?;
    let small = 1_000;
    let small_path = dir.join("replica-small.csv");
    write_generic_csv(&small_path, small)?;
    let mut admin = PgDatabase::connect(url)?;
    let bench_url = fresh_database(&mut admin, url, "metas_bench_replica")?;

    let a_path = dir.join("replica-a.db");
    remove_db(&a_path)?;
    let mut a = Store::open(&a_path)?;
    a.replicate_to(Replication::new(PgDatabase::connect(&bench_url)?)?);
    let t = Instant::now();
    let first = metas_ingest::import_file(&mut a, &csv_path, &opts)?;
    let import_secs = t.elapsed().as_secs_f64();
    anyhow::ensure!(
        first.imported == interactions,
        "the import lost rows: {first:?}"
    );
    let mut pg = PgDatabase::connect(&bench_url)?;
    let rows_shipped = pg
        .query_i64(
            "SELECT (SELECT count(*) FROM interactions) + (SELECT count(*) FROM survey_answers)
                  + (SELECT count(*) FROM customers) + (SELECT count(*) FROM agents)
                  + (SELECT count(*) FROM teams) + (SELECT count(*) FROM events)
                  + (SELECT count(*) FROM sla_stages) + (SELECT count(*) FROM imports)",
        )?
        .unwrap_or(0) as u64;

    let b_path = dir.join("replica-b.db");
    let t = Instant::now();
    let (b, built) = pg::rebuild(&mut pg, &b_path)?;
    let rebuild_secs = t.elapsed().as_secs_f64();
    drop(b);

    // The second instance waits for the notification in its own thread.
    let mut listener = PgDatabase::connect(&bench_url)?;
    listener.listen()?;
    let b_path2 = b_path.clone();
    let waiter = std::thread::spawn(move || -> Result<(Instant, i64)> {
        let mut b = Store::open(&b_path2)?;
        loop {
            // The notification wakes it; the poll every 100 ms is the fallback.
            let _ = listener.wait_for_change(std::time::Duration::from_millis(100))?;
            let c = pg::catch_up(&mut listener, &mut b)?;
            if c.rows > 0 {
                return Ok((Instant::now(), c.to));
            }
        }
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    let small_opts = {
        let mut o = ImportOptions::new(MappingChoice::Preset("generic".into()));
        o.source = Some("second-source".into());
        o
    };
    let t = Instant::now();
    metas_ingest::import_file(&mut a, &small_path, &small_opts)?;
    let returned = Instant::now();
    let small_import_ms = (returned - t).as_secs_f64() * 1000.0;
    let (seen, change) = waiter
        .join()
        .map_err(|_| anyhow::anyhow!("the second instance panicked"))??;
    anyhow::ensure!(
        Some(change) == a.replicated_change(),
        "the second instance saw change {change}"
    );
    let visible_after_commit_ms = seen.saturating_duration_since(returned).as_secs_f64() * 1000.0;
    drop(a);

    // KPI latency: the demo organisation generated through a read model
    // into a database of its own, a read model rebuilt from it, against the
    // same demo generated into a plain file.
    let kpi_url = fresh_database(&mut admin, url, "metas_bench_replica_kpi")?;
    let mut kpi_pg = PgDatabase::connect(&kpi_url)?;
    let demo = metas_service::demo::DemoOptions {
        seed: 42,
        interactions,
        as_of,
    };
    let writer_path = dir.join("replica-demo-writer.db");
    remove_db(&writer_path)?;
    let mut writer = Store::open(&writer_path)?;
    writer.replicate_to(Replication::new(PgDatabase::connect(&kpi_url)?)?);
    metas_service::demo::generate(&mut writer, &demo).context("generating the demo")?;
    drop(writer);
    let plain_path = dir.join("replica-demo-plain.db");
    remove_db(&plain_path)?;
    let mut plain = Store::open(&plain_path)?;
    metas_service::demo::generate(&mut plain, &demo).context("generating the demo")?;
    let (replica, _) = pg::rebuild(&mut kpi_pg, &dir.join("replica-demo-read.db"))?;
    let on_replica = kpi(&replica, interactions, runs)?;
    let on_plain = kpi(&plain, interactions, runs)?;
    let (kpi_replica_ms, kpi_plain_ms) = (sum_ms(&on_replica), sum_ms(&on_plain));
    Ok(ReplicaBench {
        interactions,
        import_secs,
        import_rows_per_sec: interactions as f64 / import_secs,
        rows_shipped,
        rebuild_secs,
        rebuild_rows: built.rows,
        rebuild_rows_per_sec: built.rows as f64 / rebuild_secs,
        small_import_rows: small,
        small_import_ms,
        visible_after_commit_ms,
        kpi_replica_ms,
        kpi_plain_ms,
        kpi_ratio: kpi_replica_ms / kpi_plain_ms,
        peak_rss_mib: peak_rss_mib(),
    })
}
