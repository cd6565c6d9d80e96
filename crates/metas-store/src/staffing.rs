//! What staffing a queue reads from the data (docs/staffing.md): its calls
//! per UTC quarter-hour. The service places each quarter-hour in its local
//! half-hour of the week (`metas_domain::staffing::week`); the store only
//! counts, so the SQL stays in the dialect DuckDB and PostgreSQL share.
//!
//! Per quarter-hour of `created_at`, over the interactions of the segment:
//! - arrivals: every interaction;
//! - offered: those whose `answered` or `abandoned` is known (the sample of
//!   the `service_level` and `abandon_rate` KPIs);
//! - answered in time: answered with `queue_wait_secs` ≤ the objective's
//!   time;
//! - abandoned: `abandoned` true;
//! - handled and handle seconds: calls not known to be unanswered with at
//!   least one handle-time part, and the sum of their parts under the
//!   `aht.parts` setting (talk + hold + after-contact work by default; a
//!   missing part counts 0) — the `aht` KPI's sample and value.

use duckdb::types::Value;
use jiff::Timestamp;
use metas_domain::segment::SegmentExpr;
use metas_domain::settings::KpiSettings;
use metas_domain::staffing::week::{SlotCounts, SLOT_SECS};

use crate::kpi::{handle_time, interaction_scope};
use crate::{Doing, Result, Store};

/// A queue's calls over a period, for staffing.
#[derive(Debug, Clone)]
pub struct ArrivalQuery<'a> {
    pub settings: &'a KpiSettings,
    /// The queue: which interactions are its calls.
    pub segment: &'a SegmentExpr,
    /// First instant, inclusive.
    pub start: Timestamp,
    /// Last instant, exclusive.
    pub end: Timestamp,
    /// The objective's time: answered within it counts as in time.
    pub answer_within_secs: f64,
}

fn ts_value(t: Timestamp) -> Value {
    Value::Text(t.strftime("%Y-%m-%d %H:%M:%S%.f").to_string())
}

fn read_ts(micros: Option<i64>) -> Option<Timestamp> {
    micros.and_then(|m| Timestamp::from_microsecond(m).ok())
}

impl Store {
    pub(crate) fn arrival_span_sql(
        &self,
        settings: &KpiSettings,
        segment: Option<&SegmentExpr>,
        since: Option<Timestamp>,
    ) -> Result<Option<(Timestamp, Timestamp)>> {
        let sc = interaction_scope(settings, segment, None, None)?;
        let (since_sql, mut params) = match since {
            Some(t) => ("i.created_at >= CAST(? AS TIMESTAMP)", vec![ts_value(t)]),
            None => ("i.created_at IS NOT NULL", vec![]),
        };
        params.extend(sc.params.iter().cloned());
        let sql = format!(
            "SELECT CAST(extract(epoch FROM min(i.created_at)) * 1000000 AS BIGINT),
                    CAST(extract(epoch FROM max(i.created_at)) * 1000000 AS BIGINT)
             FROM {} WHERE {}",
            sc.from,
            sc.where_sql(Some(since_sql))
        );
        let (first, last): (Option<i64>, Option<i64>) = self
            .conn
            .query_row(&sql, duckdb::params_from_iter(params.iter()), |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .doing("finding a queue's first and last call")?;
        Ok(read_ts(first).zip(read_ts(last)))
    }

    pub(crate) fn arrival_slots_sql(&self, q: &ArrivalQuery) -> Result<Vec<SlotCounts>> {
        let doing = "counting a queue's calls by quarter-hour";
        let sc = interaction_scope(q.settings, Some(q.segment), None, None)?;
        let (handle, any_part) = handle_time(q.settings);
        let handled = format!("{any_part} AND coalesce(i.answered, true)");
        let sql = format!(
            "SELECT CAST(floor(extract(epoch FROM i.created_at) / {SLOT_SECS}) AS BIGINT),
                    count(*),
                    count(CASE WHEN i.answered IS NOT NULL OR i.abandoned IS NOT NULL THEN 1 END),
                    count(CASE WHEN coalesce(i.answered, false) AND i.queue_wait_secs <= ? THEN 1 END),
                    count(CASE WHEN coalesce(i.abandoned, false) THEN 1 END),
                    count(CASE WHEN {handled} THEN 1 END),
                    coalesce(sum(CASE WHEN {handled} THEN {handle} END), 0)
             FROM {from}
             WHERE {cond}
             GROUP BY 1 ORDER BY 1",
            from = sc.from,
            cond = sc.where_sql(Some(
                "i.created_at >= CAST(? AS TIMESTAMP) AND i.created_at < CAST(? AS TIMESTAMP)"
            )),
        );
        let mut params = vec![
            Value::Double(q.answer_within_secs),
            ts_value(q.start),
            ts_value(q.end),
        ];
        params.extend(sc.params.iter().cloned());
        let mut stmt = self.conn.prepare(&sql).doing(doing)?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing(doing)?;
        let n = |v: i64| v.max(0) as u64;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(doing)? {
            let slot: i64 = r.get(0).doing(doing)?;
            out.push(SlotCounts {
                start_epoch_secs: slot * SLOT_SECS,
                arrivals: n(r.get(1).doing(doing)?),
                offered: n(r.get(2).doing(doing)?),
                answered_in_time: n(r.get(3).doing(doing)?),
                abandoned: n(r.get(4).doing(doing)?),
                handled: n(r.get(5).doing(doing)?),
                handle_secs: r.get(6).doing(doing)?,
            });
        }
        Ok(out)
    }
}
