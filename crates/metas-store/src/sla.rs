//! Time objectives in the store: every version of every policy, and the
//! judgement of each stage of each interaction under the policy that applies
//! to it (the first by position whose conditions it meets).
//!
//! Judging is done in Rust with the domain's rules (`metas_domain::sla`):
//! business calendars, pauses from status events, DST. It runs inside the
//! import that brings new rows (for that source) and inside the transaction
//! that changes a policy or a calendar (for every row), so a figure is never
//! read with a stale judgement. A stage still open when judged keeps its due
//! instant: a query at any later moment counts it breached once that instant
//! has passed, without judging again.

use std::collections::HashMap;

use duckdb::params;
use jiff::Timestamp;
use metas_domain::calendar::Calendar;
use metas_domain::sla::{judge, Clock, Policy, PolicySpec, Stage, StageClock, StageState};
use serde::Serialize;

use crate::batch::Batch;
use crate::columns::{ColType, Columns};
use crate::derive::{pauses, ts};
use crate::storage::SlaStore;
use crate::{Doing, Result, Store, StoreError};

/// One saved version of a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyRow {
    pub name: String,
    pub version: i64,
    pub spec: PolicySpec,
    pub position: i64,
    pub saved_at: Timestamp,
    pub saved_by: String,
    /// When a newer version replaced it, or it was deleted.
    pub retired_at: Option<Timestamp>,
}

/// What a judging pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct JudgeCounts {
    pub interactions: u64,
    pub stages: u64,
}

/// Which judged stages to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageFilter {
    /// Breached (done late, or open past the due instant), the most recent
    /// interactions first.
    Breached,
    /// Open, not yet breached, past the warning share of the target:
    /// the least time left first.
    AtRisk,
}

/// One judged stage, as the breaches and at-risk lists show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageRow {
    pub interaction_id: i64,
    pub external_id: String,
    pub source: String,
    pub channel: Option<String>,
    pub agent: Option<String>,
    pub team: Option<String>,
    pub priority: Option<String>,
    pub policy: String,
    pub policy_version: i64,
    pub stage: String,
    pub state: String,
    pub started_at: Option<Timestamp>,
    /// When the stage's clock stopped: done, or the interaction ended
    /// without it.
    pub stopped_at: Option<Timestamp>,
    pub due_at: Option<Timestamp>,
    pub elapsed_secs: Option<f64>,
    pub target_secs: f64,
}

const SLA_STAGES: Columns = &[
    ("interaction_id", ColType::BigInt),
    ("policy", ColType::Text),
    ("policy_version", ColType::BigInt),
    ("stage", ColType::Text),
    ("seq", ColType::Int),
    ("state", ColType::Text),
    ("started_at", ColType::Timestamp),
    ("stopped_at", ColType::Timestamp),
    ("due_at", ColType::Timestamp),
    ("warn_at", ColType::Timestamp),
    ("elapsed_secs", ColType::Double),
    ("target_secs", ColType::Double),
    ("judged_at", ColType::Timestamp),
    ("created_at", ColType::Timestamp),
    ("source", ColType::Text),
    ("channel", ColType::Text),
    ("team", ColType::Text),
    ("agent", ColType::Text),
    ("priority", ColType::Text),
    ("topic", ColType::Text),
    ("customer_id", ColType::Text),
];

/// The state of a judged stage (`j`) at the instant `at`, before or after
/// it was judged: final once its clock stopped; before that, breached once
/// the due instant has passed, else pending (or paused, as it was when
/// judged); `not_started` before its clock started. The instant is metas'
/// own, written as a literal (no user text).
pub(crate) fn state_at(at: Timestamp) -> String {
    let t = timestamp_literal(at);
    format!(
        "(CASE WHEN j.state = 'not_measurable' OR (j.state = 'not_applicable' AND j.stopped_at IS NULL) THEN j.state
               WHEN j.started_at IS NULL OR j.started_at > {t} THEN 'not_started'
               WHEN j.stopped_at <= {t} THEN j.state
               WHEN j.due_at < {t} THEN 'breached'
               WHEN j.state = 'paused' THEN 'paused'
               ELSE 'pending' END)"
    )
}

/// The two conditions attainment needs at `at`, equivalent to
/// [`state_at`] being met or breached, and being met: cheaper to evaluate
/// over millions of stages than the whole CASE.
pub(crate) fn due_and_met_at(at: Timestamp) -> (String, String) {
    let t = timestamp_literal(at);
    (
        format!(
            "((j.stopped_at <= {t} AND j.state IN ('met', 'breached'))
              OR ((j.stopped_at IS NULL OR j.stopped_at > {t}) AND j.started_at <= {t} AND j.due_at < {t}))"
        ),
        format!("(j.stopped_at <= {t} AND j.state = 'met')"),
    )
}

/// `TIMESTAMP '…'` for an instant (UTC, as the tables keep them).
pub(crate) fn timestamp_literal(at: Timestamp) -> String {
    format!("TIMESTAMP '{}'", micros(at))
}

fn micros(t: Timestamp) -> String {
    // DuckDB reads this form as a TIMESTAMP (UTC, no offset).
    t.strftime("%Y-%m-%d %H:%M:%S%.6f").to_string()
}

/// The policies in force, in the order they are tried.
pub(crate) fn active_policies(conn: &duckdb::Connection) -> Result<Vec<(i64, Policy)>> {
    let mut stmt = conn
        .prepare(
            "SELECT name, version, definition FROM sla_policies
             WHERE retired_at IS NULL ORDER BY position, name",
        )
        .doing("reading time-objective policies")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .doing("reading time-objective policies")?
        .collect::<std::result::Result<Vec<_>, _>>()
        .doing("reading time-objective policies")?;
    rows.into_iter()
        .map(|(name, version, json)| {
            let spec: PolicySpec = serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("policy {name}: {e}")))?;
            let policy = Policy::from_spec(&name, &spec)
                .map_err(|e| StoreError::Corrupt(format!("policy {name}: {e}")))?;
            Ok((version, policy))
        })
        .collect()
}

/// What a source carries, per stage: a stage whose data the source never
/// has is not measurable (never counted as met or missed).
#[derive(Debug, Default, Clone, Copy)]
struct SourceData {
    first_response: bool,
    first_resolution: bool,
    resolution: bool,
    confirmation: bool,
    closing: bool,
    queue_wait: bool,
    person_reached: bool,
    assignments: bool,
    status_changes: bool,
    replies: bool,
}

/// What the sources being judged (`filter`) carry.
fn source_data(
    conn: &duckdb::Connection,
    filter: &str,
    args: &[String],
) -> Result<HashMap<String, SourceData>> {
    let mut out: HashMap<String, SourceData> = HashMap::new();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT source, count(first_response_at) > 0, count(first_resolved_at) > 0,
                    count(resolved_at) > 0, count(confirmed_at) > 0, count(closed_at) > 0,
                    count(queue_wait_secs) > 0, count(person_reached_at) > 0
             FROM interactions WHERE {filter} GROUP BY source"
        ))
        .doing("reading what each source carries")?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(args.iter()))
        .doing("reading what each source carries")?;
    while let Some(r) = rows.next().doing("reading what each source carries")? {
        let get = |i| {
            r.get::<_, bool>(i)
                .doing("reading what each source carries")
        };
        out.insert(
            r.get(0).doing("reading what each source carries")?,
            SourceData {
                first_response: get(1)?,
                first_resolution: get(2)?,
                resolution: get(3)?,
                confirmation: get(4)?,
                closing: get(5)?,
                queue_wait: get(6)?,
                person_reached: get(7)?,
                ..SourceData::default()
            },
        );
    }
    let mut stmt = conn
        .prepare(&format!(
            "SELECT source, bool_or(kind = 'assigned'), bool_or(kind = 'status_change'),
                    bool_or(kind = 'customer_reply') AND bool_or(kind = 'agent_reply')
             FROM events WHERE {filter} GROUP BY source"
        ))
        .doing("reading what each source carries")?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(args.iter()))
        .doing("reading what each source carries")?;
    while let Some(r) = rows.next().doing("reading what each source carries")? {
        let source: String = r.get(0).doing("reading what each source carries")?;
        let d = out.entry(source).or_default();
        d.assignments = r.get(1).doing("reading what each source carries")?;
        d.status_changes = r.get(2).doing("reading what each source carries")?;
        d.replies = r.get(3).doing("reading what each source carries")?;
    }
    Ok(out)
}

/// Facts from events, per interaction.
#[derive(Debug, Default)]
struct EventFacts {
    first_assigned: Option<Timestamp>,
    /// The first entry into each status.
    first_entry: Vec<(String, Timestamp)>,
    /// Each customer message after an agent reply, and the agent reply
    /// that answered it.
    exchanges: Vec<(Timestamp, Option<Timestamp>)>,
}

fn event_facts(
    conn: &duckdb::Connection,
    filter: &str,
    args: &[String],
) -> Result<HashMap<i64, EventFacts>> {
    let mut out: HashMap<i64, EventFacts> = HashMap::new();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT interaction_id, kind, status, occurred_at FROM events
             WHERE kind IN ('assigned', 'status_change', 'customer_reply', 'agent_reply')
               AND occurred_at IS NOT NULL AND {filter}
             ORDER BY interaction_id, occurred_at"
        ))
        .doing("reading events")?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(args.iter()))
        .doing("reading events")?;
    let mut last_reply: Option<(i64, String)> = None;
    while let Some(r) = rows.next().doing("reading events")? {
        let id: i64 = r.get(0).doing("reading events")?;
        let kind: String = r.get(1).doing("reading events")?;
        let status: Option<String> = r.get(2).doing("reading events")?;
        let Some(at) = ts(r.get_ref(3).doing("reading events")?) else {
            continue;
        };
        let f = out.entry(id).or_default();
        match kind.as_str() {
            "assigned" => {
                f.first_assigned.get_or_insert(at);
            }
            "status_change" => {
                if let Some(s) = status {
                    if !f.first_entry.iter().any(|(x, _)| *x == s) {
                        f.first_entry.push((s, at));
                    }
                }
            }
            _ => {
                let previous = match &last_reply {
                    Some((pid, k)) if *pid == id => Some(k.as_str()),
                    _ => None,
                };
                if kind == "customer_reply" && previous == Some("agent_reply") {
                    f.exchanges.push((at, None));
                } else if kind == "agent_reply" {
                    if let Some(open) = f.exchanges.last_mut().filter(|e| e.1.is_none()) {
                        open.1 = Some(at);
                    }
                }
                last_reply = Some((id, kind));
            }
        }
    }
    Ok(out)
}

fn after(t: Option<Timestamp>, secs: Option<f64>) -> Option<Timestamp> {
    let span = jiff::SignedDuration::try_from_secs_f64(secs?).ok()?;
    t?.checked_add(span).ok()
}

/// One interaction's summary, as judging reads it.
struct Row {
    id: i64,
    source: String,
    policy: usize,
    created: Option<Timestamp>,
    first_response: Option<Timestamp>,
    first_resolved: Option<Timestamp>,
    resolved: Option<Timestamp>,
    confirmed: Option<Timestamp>,
    closed: Option<Timestamp>,
    person_reached: Option<Timestamp>,
    channel: Option<String>,
    automated: Option<bool>,
    queue_wait_secs: Option<f64>,
    abandoned: Option<bool>,
    team: Option<String>,
    agent: Option<String>,
    priority: Option<String>,
    topic: Option<String>,
    customer_id: Option<String>,
}

/// The clocks of every stage a policy sets a target for, for one interaction.
fn clocks(
    row: &Row,
    policy: &Policy,
    data: SourceData,
    facts: Option<&EventFacts>,
) -> Vec<(Stage, i32, StageClock)> {
    let mut out = Vec::new();
    let ended_unresolved = row.closed;
    let finished = row.resolved.or(row.closed);
    let base = |done: Option<Timestamp>, measurable: bool, ended: Option<Timestamp>| StageClock {
        applicable: true,
        measurable,
        start: row.created,
        done,
        ended,
        pauses: Vec::new(),
    };
    for (stage, _) in policy.targets() {
        match stage {
            Stage::Acknowledge => out.push((
                *stage,
                0,
                base(row.first_response, data.first_response, finished),
            )),
            Stage::FirstResolution => out.push((
                *stage,
                0,
                base(
                    row.first_resolved,
                    data.first_resolution || data.resolution,
                    ended_unresolved,
                ),
            )),
            Stage::Resolution => out.push((
                *stage,
                0,
                base(row.resolved, data.resolution, ended_unresolved),
            )),
            Stage::Completion => out.push((*stage, 0, base(row.closed, data.closing, None))),
            Stage::Confirmation => out.push((
                *stage,
                0,
                StageClock {
                    // The clock starts at the resolution; before it, the
                    // stage has not begun.
                    applicable: row.resolved.is_some(),
                    start: row.resolved,
                    ..base(row.confirmed, data.confirmation, row.closed)
                },
            )),
            Stage::QueueWait => {
                let waited = after(row.created, row.queue_wait_secs);
                let abandoned = row.abandoned == Some(true);
                out.push((
                    *stage,
                    0,
                    StageClock {
                        applicable: row.channel.as_deref() == Some("phone"),
                        done: if abandoned { None } else { waited },
                        ended: if abandoned { waited } else { None },
                        ..base(None, data.queue_wait, None)
                    },
                ))
            }
            Stage::LivePerson => out.push((
                *stage,
                0,
                StageClock {
                    applicable: row.automated == Some(true),
                    ..base(row.person_reached, data.person_reached, finished)
                },
            )),
            Stage::ProblemDefined => {
                let done = facts.and_then(|f| match policy.triaged_status() {
                    Some(s) => f
                        .first_entry
                        .iter()
                        .find(|(x, _)| x == s.as_str())
                        .map(|(_, t)| *t),
                    None => f.first_assigned,
                });
                let measurable = match policy.triaged_status() {
                    Some(_) => data.status_changes,
                    None => data.assignments,
                };
                out.push((*stage, 0, base(done, measurable, finished)));
            }
            Stage::NextResponse => {
                if !data.replies {
                    out.push((*stage, 0, base(None, false, None)));
                    continue;
                }
                for (seq, (asked, answered)) in facts
                    .map(|f| f.exchanges.as_slice())
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    out.push((
                        *stage,
                        seq as i32,
                        StageClock {
                            start: Some(*asked),
                            ..base(*answered, true, ended_unresolved)
                        },
                    ));
                }
            }
        }
    }
    out
}

/// The calendar a policy counts on.
fn calendar_of(
    conn: &duckdb::Connection,
    policy: &Policy,
    cache: &mut HashMap<String, Calendar>,
) -> Result<Calendar> {
    match policy.clock() {
        Clock::Calendar => Ok(Calendar::always_open()),
        Clock::Business(name) => {
            if let Some(c) = cache.get(name) {
                return Ok(c.clone());
            }
            let spec = crate::config::load_calendar(conn, name)?.ok_or_else(|| {
                StoreError::Query(format!(
                    "policy {} counts on the calendar '{name}', which does not exist; define it with `metas calendar set {name} FILE`",
                    policy.name()
                ))
            })?;
            let c = spec
                .to_calendar()
                .map_err(|e| StoreError::Corrupt(format!("calendar {name}: {e}")))?;
            cache.insert(name.clone(), c.clone());
            Ok(c)
        }
    }
}

/// Judges every stage of the interactions of `source` (every source when
/// `None`) under the policies in force, as of `as_of`, replacing earlier
/// judgements. Runs inside the caller's transaction.
pub(crate) fn judge_interactions(
    conn: &duckdb::Connection,
    source: Option<&str>,
    as_of: Timestamp,
) -> Result<JudgeCounts> {
    let (filter, args) = crate::derive::scope(source);
    let policies = active_policies(conn)?;
    // Without a policy there is nothing to judge, and usually nothing
    // judged to clear: an import then pays one count, not a delete.
    let judged: i64 = if policies.is_empty() {
        conn.query_row("SELECT count(*) FROM sla_stages", [], |r| r.get(0))
            .doing("clearing judgements")?
    } else {
        1
    };
    if judged > 0 {
        conn.execute(
            &format!(
                "DELETE FROM sla_stages WHERE interaction_id IN (SELECT id FROM interactions WHERE {filter})"
            ),
            duckdb::params_from_iter(args.iter()),
        )
        .doing("clearing judgements")?;
    }
    if policies.is_empty() {
        return Ok(JudgeCounts::default());
    }
    let data = source_data(conn, filter, &args)?;
    let facts = event_facts(conn, filter, &args)?;
    // Paused intervals per interaction, for each set of pausing statuses.
    let mut paused: HashMap<Vec<String>, crate::derive::Pauses> = HashMap::new();
    let mut calendars: Vec<Calendar> = Vec::new();
    let mut calendar_cache = HashMap::new();
    // Each policy's pausing statuses, the key of its pauses.
    let mut pause_keys: Vec<Vec<String>> = Vec::with_capacity(policies.len());
    for (_, p) in &policies {
        calendars.push(calendar_of(conn, p, &mut calendar_cache)?);
        let statuses: Vec<String> = p
            .pause_on()
            .iter()
            .map(|s| s.as_str().to_string())
            .collect();
        if !statuses.is_empty() && !paused.contains_key(&statuses) {
            let map = pauses(conn, source, &statuses)?;
            paused.insert(statuses.clone(), map);
        }
        pause_keys.push(statuses);
    }
    let conditions: Vec<_> = policies
        .iter()
        .map(|(_, p)| p.conditions().map(|(_, e)| e))
        .collect();
    let (from, case, mut params) = crate::kpi::first_match_sql(&conditions)?;
    let scoped = match source {
        Some(s) => {
            params.push(duckdb::types::Value::Text(s.to_string()));
            "i.source = ?"
        }
        None => "true",
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT * FROM (
               SELECT i.id, i.source, {case} AS policy, i.created_at, i.first_response_at,
                      i.first_resolved_at, i.resolved_at, i.confirmed_at, i.closed_at,
                      i.person_reached_at, i.channel, i.automated, i.queue_wait_secs, i.abandoned,
                      i.team, i.agent, i.priority, i.topic, i.customer_id
               FROM {from} WHERE {scoped}
             ) WHERE policy IS NOT NULL"
        ))
        .doing("reading interactions to judge")?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(params.iter()))
        .doing("reading interactions to judge")?;
    let judged_at = Some(as_of);
    let mut batch = Batch::new(&[SLA_STAGES]);
    let mut counts = JudgeCounts::default();
    let none = Vec::new();
    let flush = |batch: &mut Batch| -> Result<()> {
        let mut app = conn.appender("sla_stages").doing("saving judgements")?;
        app.append_record_batch(batch.take())
            .doing("saving judgements")?;
        app.flush().doing("saving judgements")
    };
    while let Some(r) = rows.next().doing("reading interactions to judge")? {
        let get_ts = |i| -> Result<Option<Timestamp>> {
            Ok(ts(r.get_ref(i).doing("reading interactions to judge")?))
        };
        let row = Row {
            id: r.get(0).doing("reading interactions to judge")?,
            source: r.get(1).doing("reading interactions to judge")?,
            policy: r.get::<_, i64>(2).doing("reading interactions to judge")? as usize,
            created: get_ts(3)?,
            first_response: get_ts(4)?,
            first_resolved: get_ts(5)?,
            resolved: get_ts(6)?,
            confirmed: get_ts(7)?,
            closed: get_ts(8)?,
            person_reached: get_ts(9)?,
            channel: r.get(10).doing("reading interactions to judge")?,
            automated: r.get(11).doing("reading interactions to judge")?,
            queue_wait_secs: r.get(12).doing("reading interactions to judge")?,
            abandoned: r.get(13).doing("reading interactions to judge")?,
            team: r.get(14).doing("reading interactions to judge")?,
            agent: r.get(15).doing("reading interactions to judge")?,
            priority: r.get(16).doing("reading interactions to judge")?,
            topic: r.get(17).doing("reading interactions to judge")?,
            customer_id: r.get(18).doing("reading interactions to judge")?,
        };
        let (version, policy) = &policies[row.policy];
        let calendar = &calendars[row.policy];
        let pauses = paused
            .get(&pause_keys[row.policy])
            .and_then(|m| m.get(&row.id))
            .unwrap_or(&none);
        let source_data = data.get(&row.source).copied().unwrap_or_default();
        counts.interactions += 1;
        for (stage, seq, mut clock) in clocks(&row, policy, source_data, facts.get(&row.id)) {
            let target = policy
                .target(stage)
                .map(|t| t.secs())
                .expect("clocks are made for the policy's targets");
            clock.pauses = pauses.clone();
            let j = judge(target, &clock, calendar, policy.warning(), as_of);
            let warn_at = match (j.state, clock.start) {
                (StageState::NotApplicable | StageState::NotMeasurable, _) | (_, None) => None,
                (_, Some(start)) => calendar.instant_after_open_secs(
                    start,
                    policy.warning() * target,
                    &clock.pauses,
                ),
            };
            let stopped = clock
                .done
                .filter(|d| *d <= as_of)
                .or(clock.ended.filter(|e| *e <= as_of));
            batch
                .bigint(Some(row.id))
                .text(Some(policy.name()))
                .bigint(Some(*version))
                .text(Some(stage.as_str()))
                .int(Some(seq))
                .text(Some(j.state.as_str()))
                .ts(clock.start)
                .ts(stopped)
                .ts(j.due_at)
                .ts(warn_at)
                .double(j.elapsed_secs)
                .double(Some(target))
                .ts(judged_at)
                .ts(row.created)
                .text(Some(&row.source))
                .text(row.channel.as_deref())
                .text(row.team.as_deref())
                .text(row.agent.as_deref())
                .text(row.priority.as_deref())
                .text(row.topic.as_deref())
                .text(row.customer_id.as_deref());
            batch.end_row();
            counts.stages += 1;
        }
        if batch.len() >= crate::batch::FLUSH_ROWS {
            flush(&mut batch)?;
        }
    }
    if batch.len() > 0 {
        flush(&mut batch)?;
    }
    Ok(counts)
}

fn policy_rows(conn: &duckdb::Connection, filter: &str, args: &[&str]) -> Result<Vec<PolicyRow>> {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT name, version, definition, position, saved_at, saved_by, retired_at
             FROM sla_policies WHERE {filter} ORDER BY position, name, version"
        ))
        .doing("reading time-objective policies")?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(args.iter()))
        .doing("reading time-objective policies")?;
    let mut out = Vec::new();
    while let Some(r) = rows.next().doing("reading time-objective policies")? {
        let name: String = r.get(0).doing("reading time-objective policies")?;
        let json: String = r.get(2).doing("reading time-objective policies")?;
        let spec = serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("policy {name}: {e}")))?;
        out.push(PolicyRow {
            version: r.get(1).doing("reading time-objective policies")?,
            spec,
            position: r.get(3).doing("reading time-objective policies")?,
            saved_at: ts(r.get_ref(4).doing("reading time-objective policies")?)
                .unwrap_or(Timestamp::UNIX_EPOCH),
            saved_by: r.get(5).doing("reading time-objective policies")?,
            retired_at: ts(r.get_ref(6).doing("reading time-objective policies")?),
            name,
        });
    }
    Ok(out)
}

impl SlaStore for Store {
    fn save_policies(
        &mut self,
        policies: &[Policy],
        who: &str,
        now: Timestamp,
    ) -> Result<(Vec<i64>, JudgeCounts)> {
        let tx = self.write(crate::write::Reach::All, "saving a policy")?;
        let mut versions = Vec::with_capacity(policies.len());
        for policy in policies {
            let json = serde_json::to_string(&policy.to_spec())
                .expect("a policy specification serialises");
            let version: i64 = tx
                .query_row(
                    "SELECT coalesce(max(version), 0) + 1 FROM sla_policies WHERE name = ?",
                    [policy.name()],
                    |r| r.get(0),
                )
                .doing("saving a policy")?;
            tx.execute(
                "UPDATE sla_policies SET retired_at = CAST(? AS TIMESTAMP) WHERE name = ? AND retired_at IS NULL",
                params![micros(now), policy.name()],
            )
            .doing("saving a policy")?;
            tx.execute(
                "INSERT INTO sla_policies (name, version, definition, position, saved_at, saved_by)
                 VALUES (?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)",
                params![
                    policy.name(),
                    version,
                    json,
                    policy.order(),
                    micros(now),
                    who
                ],
            )
            .doing("saving a policy")?;
            versions.push(version);
        }
        let counts = judge_interactions(&tx, None, now)?;
        tx.commit()?;
        Ok((versions, counts))
    }

    fn retire_policy(&mut self, name: &str, now: Timestamp) -> Result<Option<JudgeCounts>> {
        let tx = self.write(crate::write::Reach::All, "deleting a policy")?;
        let n = tx
            .execute(
                "UPDATE sla_policies SET retired_at = CAST(? AS TIMESTAMP) WHERE name = ? AND retired_at IS NULL",
                params![micros(now), name],
            )
            .doing("deleting a policy")?;
        if n == 0 {
            return Ok(None);
        }
        let counts = judge_interactions(&tx, None, now)?;
        tx.commit()?;
        Ok(Some(counts))
    }

    fn policies(&self) -> Result<Vec<PolicyRow>> {
        policy_rows(&self.conn, "retired_at IS NULL", &[])
    }

    fn policy_versions(&self, name: &str) -> Result<Vec<PolicyRow>> {
        policy_rows(&self.conn, "name = ?", &[name])
    }

    fn judge_all(&mut self, now: Timestamp) -> Result<JudgeCounts> {
        let tx = self.write(crate::write::Reach::All, "judging time objectives")?;
        let counts = judge_interactions(&tx, None, now)?;
        tx.commit()?;
        Ok(counts)
    }

    fn sla_stages(
        &self,
        wanted: StageFilter,
        as_of: Timestamp,
        segment: Option<&metas_domain::segment::SegmentExpr>,
        limit: usize,
    ) -> Result<Vec<StageRow>> {
        let (from, test, bound) = crate::kpi::first_match_sql(&[segment])?;
        let state = state_at(as_of);
        // Every row in one order, call after call (the stages of one
        // interaction too), so a list and its limit are reproducible.
        let (state_test, order) = match wanted {
            StageFilter::Breached => (
                format!("{state} = 'breached'"),
                "i.created_at DESC, i.id DESC, j.due_at, j.stage, j.seq",
            ),
            StageFilter::AtRisk => (
                format!(
                    "{state} = 'pending' AND j.warn_at <= {}",
                    timestamp_literal(as_of)
                ),
                "j.due_at, i.id, j.stage, j.seq",
            ),
        };
        let sql = format!(
            "SELECT i.id, i.external_id, i.source, i.channel, i.agent, i.team, i.priority,
                    j.policy, j.policy_version, j.stage, {state} AS state_now, j.started_at,
                    j.stopped_at, j.due_at, j.elapsed_secs, j.target_secs
             FROM sla_stages j
             JOIN (SELECT i.*, {test} AS matched FROM {from}) i ON i.id = j.interaction_id
             WHERE i.matched IS NOT NULL AND {state_test}
             ORDER BY {order} LIMIT {limit}"
        );
        let mut stmt = self.conn.prepare(&sql).doing("reading judged stages")?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(bound.iter()))
            .doing("reading judged stages")?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing("reading judged stages")? {
            out.push(StageRow {
                interaction_id: r.get(0).doing("reading judged stages")?,
                external_id: r.get(1).doing("reading judged stages")?,
                source: r.get(2).doing("reading judged stages")?,
                channel: r.get(3).doing("reading judged stages")?,
                agent: r.get(4).doing("reading judged stages")?,
                team: r.get(5).doing("reading judged stages")?,
                priority: r.get(6).doing("reading judged stages")?,
                policy: r.get(7).doing("reading judged stages")?,
                policy_version: r.get(8).doing("reading judged stages")?,
                stage: r.get(9).doing("reading judged stages")?,
                state: r.get(10).doing("reading judged stages")?,
                started_at: ts(r.get_ref(11).doing("reading judged stages")?),
                stopped_at: ts(r.get_ref(12).doing("reading judged stages")?),
                due_at: ts(r.get_ref(13).doing("reading judged stages")?),
                elapsed_secs: r.get(14).doing("reading judged stages")?,
                target_secs: r.get(15).doing("reading judged stages")?,
            });
        }
        Ok(out)
    }
}
