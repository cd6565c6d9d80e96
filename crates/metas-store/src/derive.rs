//! Per-interaction derived metrics: durations in calendar and business time,
//! the time to a person, the next response time from events, and the gap to
//! the same customer's next contact on the same topic (repeat contacts, FCR).
//! They are kept in columns of `interactions` so a KPI query is one scan;
//! imports refresh the rows of their source, and a calendar change refreshes
//! every row's business time.

use std::collections::HashMap;

use duckdb::params;
use jiff::Timestamp;
use metas_domain::calendar::Calendar;

use crate::batch::Batch;
use crate::columns::{ColType, Columns};
use crate::{Doing, Result};

/// How business time is counted: the default calendar and the statuses
/// that pause the clock. `None` where the calendar is `24x7` with no pauses,
/// which makes business time equal calendar time.
#[derive(Debug, Clone)]
pub struct BusinessClock {
    pub calendar: Calendar,
    pub pausing_statuses: Vec<String>,
}

/// The rows of one source, or all rows.
pub(crate) fn scope(source: Option<&str>) -> (&'static str, Vec<String>) {
    match source {
        Some(s) => ("source = ?", vec![s.to_string()]),
        None => ("true", vec![]),
    }
}

/// Refreshes every derived column of the interactions of `source` (all
/// sources when `None`).
pub(crate) fn refresh(
    conn: &duckdb::Connection,
    source: Option<&str>,
    clock: Option<&BusinessClock>,
) -> Result<()> {
    refresh_next_contact(conn, source)?;
    refresh_next_response(conn, source)?;
    match clock {
        Some(clock) => refresh_business(conn, source, clock),
        None => clear_business(conn, source),
    }
}

/// Under the always-open calendar business time is calendar time, which
/// queries compute; stale business durations are cleared.
fn clear_business(conn: &duckdb::Connection, source: Option<&str>) -> Result<()> {
    let (filter, args) = scope(source);
    conn.execute(
        &format!(
            "UPDATE interactions SET first_response_business_secs = NULL,
                first_resolution_business_secs = NULL, resolution_business_secs = NULL
             WHERE {filter} AND (first_response_business_secs IS NOT NULL
                OR first_resolution_business_secs IS NOT NULL OR resolution_business_secs IS NOT NULL)"
        ),
        duckdb::params_from_iter(args.iter()),
    )
    .doing("clearing business time")?;
    Ok(())
}

/// The gap to the same customer's next interaction on the same topic, over
/// every source of that customer (a repeat contact may come by any channel).
fn refresh_next_contact(conn: &duckdb::Connection, source: Option<&str>) -> Result<()> {
    let (filter, args) = scope(source);
    conn.execute(
        &format!(
            "UPDATE interactions SET next_contact_secs = n.gap
             FROM (
               SELECT id, extract(epoch FROM lead(created_at) OVER w) - extract(epoch FROM created_at) AS gap
               FROM interactions
               WHERE customer_id IS NOT NULL AND customer_id IN (SELECT customer_id FROM interactions WHERE {filter})
               WINDOW w AS (PARTITION BY customer_id, coalesce(topic, '') ORDER BY created_at, id)
             ) n
             WHERE interactions.id = n.id AND interactions.next_contact_secs IS DISTINCT FROM n.gap"
        ),
        duckdb::params_from_iter(args.iter()),
    )
    .doing("finding repeat contacts")?;
    Ok(())
}

/// Next response time: the mean wait from a customer's reply (the first of a
/// run of them) to the agent's next reply, from events.
fn refresh_next_response(conn: &duckdb::Connection, source: Option<&str>) -> Result<()> {
    let (filter, args) = scope(source);
    conn.execute(
        &format!(
            "UPDATE interactions SET next_response_secs = r.wait
             FROM (
               SELECT interaction_id, avg(extract(epoch FROM next_agent) - extract(epoch FROM occurred_at)) AS wait
               FROM (
                 SELECT interaction_id, kind, occurred_at,
                        lag(kind) OVER (PARTITION BY interaction_id ORDER BY occurred_at) AS previous_kind,
                        min(CASE WHEN kind = 'agent_reply' THEN occurred_at END)
                          OVER (PARTITION BY interaction_id ORDER BY occurred_at ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS next_agent
                 FROM events
                 WHERE kind IN ('agent_reply', 'customer_reply') AND {filter}
               ) e
               WHERE kind = 'customer_reply' AND previous_kind = 'agent_reply' AND next_agent IS NOT NULL
               GROUP BY interaction_id
             ) r
             WHERE interactions.id = r.interaction_id"
        ),
        duckdb::params_from_iter(args.iter()),
    )
    .doing("deriving next response times")?;
    Ok(())
}

const BUSINESS: Columns = &[
    ("id", ColType::BigInt),
    ("first_response", ColType::Double),
    ("first_resolution", ColType::Double),
    ("resolution", ColType::Double),
];

pub(crate) fn ts(v: duckdb::types::ValueRef<'_>) -> Option<Timestamp> {
    match v {
        duckdb::types::ValueRef::Timestamp(unit, n) => {
            Timestamp::from_microsecond(unit.to_micros(n)).ok()
        }
        _ => None,
    }
}

/// Paused intervals by interaction id.
pub(crate) type Pauses = HashMap<i64, Vec<(Timestamp, Timestamp)>>;

/// Paused intervals per interaction: from a status change into a pausing
/// status to the next change out of one.
pub(crate) fn pauses(
    conn: &duckdb::Connection,
    source: Option<&str>,
    pausing: &[String],
) -> Result<Pauses> {
    let mut out: Pauses = HashMap::new();
    if pausing.is_empty() {
        return Ok(out);
    }
    let (filter, args) = scope(source);
    let mut stmt = conn
        .prepare(&format!(
            "SELECT interaction_id, occurred_at, status FROM events
             WHERE kind = 'status_change' AND status IS NOT NULL AND {filter}
             ORDER BY interaction_id, occurred_at"
        ))
        .doing("reading pauses")?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(args.iter()))
        .doing("reading pauses")?;
    let mut open: Option<(i64, Timestamp)> = None;
    let mut last_id = None;
    while let Some(r) = rows.next().doing("reading pauses")? {
        let id: i64 = r.get(0).doing("reading pauses")?;
        let at = match ts(r.get_ref(1).doing("reading pauses")?) {
            Some(t) => t,
            None => continue,
        };
        let status: String = r.get(2).doing("reading pauses")?;
        if last_id != Some(id) {
            // A pause still open when the events end runs to the end of time:
            // the durations that matter end before it anyway.
            if let Some((pid, since)) = open.take() {
                out.entry(pid).or_default().push((since, Timestamp::MAX));
            }
            last_id = Some(id);
        }
        let pausing_now = pausing.iter().any(|p| p == &status);
        match (open, pausing_now) {
            (None, true) => open = Some((id, at)),
            (Some((pid, since)), false) => {
                out.entry(pid).or_default().push((since, at));
                open = None;
            }
            _ => {}
        }
    }
    if let Some((pid, since)) = open {
        out.entry(pid).or_default().push((since, Timestamp::MAX));
    }
    Ok(out)
}

/// Business-time durations, computed with the calendar in Rust (time zones,
/// DST, split shifts, holidays, pauses) and written back in one update.
fn refresh_business(
    conn: &duckdb::Connection,
    source: Option<&str>,
    clock: &BusinessClock,
) -> Result<()> {
    let paused = pauses(conn, source, &clock.pausing_statuses)?;
    let (filter, args) = scope(source);
    conn.execute_batch(
        "DROP TABLE IF EXISTS derive_business;
         CREATE TEMP TABLE derive_business (id BIGINT, first_response DOUBLE, first_resolution DOUBLE, resolution DOUBLE)",
    )
    .doing("deriving business time")?;
    let mut stmt = conn
        .prepare(&format!(
            "SELECT id, created_at, first_response_at, first_resolved_at, resolved_at
             FROM interactions WHERE {filter}"
        ))
        .doing("reading interaction times")?;
    let mut rows = stmt
        .query(duckdb::params_from_iter(args.iter()))
        .doing("reading interaction times")?;
    let mut batch = Batch::new(&[BUSINESS]);
    let none = Vec::new();
    let flush = |batch: &mut Batch| -> Result<()> {
        let mut app = conn
            .appender_to_catalog_and_db("derive_business", "temp", "main")
            .doing("deriving business time")?;
        app.append_record_batch(batch.take())
            .doing("deriving business time")?;
        app.flush().doing("deriving business time")
    };
    while let Some(r) = rows.next().doing("deriving business time")? {
        let id: i64 = r.get(0).doing("deriving business time")?;
        let created = ts(r.get_ref(1).doing("deriving business time")?);
        let p = paused.get(&id).unwrap_or(&none);
        let span = |end: Option<Timestamp>| match (created, end) {
            (Some(a), Some(b)) if b >= a => Some(clock.calendar.open_secs_excluding(a, b, p)),
            _ => None,
        };
        batch
            .bigint(Some(id))
            .double(span(ts(r.get_ref(2).doing("deriving business time")?)))
            .double(span(ts(r.get_ref(3).doing("deriving business time")?)))
            .double(span(ts(r.get_ref(4).doing("deriving business time")?)));
        batch.end_row();
        if batch.len() >= crate::batch::FLUSH_ROWS {
            flush(&mut batch)?;
        }
    }
    if batch.len() > 0 {
        flush(&mut batch)?;
    }
    conn.execute(
        "UPDATE interactions SET
            first_response_business_secs = d.first_response,
            first_resolution_business_secs = d.first_resolution,
            resolution_business_secs = d.resolution
         FROM derive_business d WHERE interactions.id = d.id",
        params![],
    )
    .doing("deriving business time")?;
    conn.execute_batch("DROP TABLE derive_business")
        .doing("deriving business time")?;
    Ok(())
}
