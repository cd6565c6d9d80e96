//! The benchmark's yardstick: the same questions `metas bench kpi` asks
//! through the KPI engine, written by hand in SQL against the same tables,
//! with the same meaning (survey answers without an interaction count,
//! periods are dates, a duration needs its end after its start). The ratio
//! of the two is metas' overhead: parsing, planning, binding, reading the
//! settings and finishing the intervals.

/// One KPI with a segment filter: CSAT of customers aged 55–70.
pub const SEGMENTED_CSAT: &str = "
SELECT count(*), count(*) FILTER (WHERE (s.score - s.scale_min) / (s.scale_max - s.scale_min) >= 0.75)
FROM survey_answers s
LEFT JOIN interactions i ON i.id = s.interaction_id
LEFT JOIN customers c ON c.source = s.source AND c.id = coalesce(i.customer_id, s.customer_id)
WHERE s.kind = 'csat' AND s.score IS NOT NULL AND c.age BETWEEN 55 AND 70";

/// One KPI with a segment filter: mean first response of urgent e-mails.
pub const SEGMENTED_FRT: &str = "
SELECT count(*), sum(d), sum(d * d)
FROM (SELECT extract(epoch FROM first_response_at) - extract(epoch FROM created_at) AS d
      FROM interactions
      WHERE first_response_at >= created_at AND channel = 'email' AND priority = 'urgent') t";

/// A dashboard: ten KPIs by channel by month.
pub const DASHBOARD: &[&str] = &[
    "SELECT channel, CAST(date_trunc('month', created_at) AS DATE) AS m, count(*) FROM interactions GROUP BY channel, m",
    "SELECT channel, m, count(*), sum(d), sum(d * d) FROM (
       SELECT channel, CAST(date_trunc('month', created_at) AS DATE) AS m, extract(epoch FROM first_response_at) - extract(epoch FROM created_at) AS d
       FROM interactions WHERE first_response_at >= created_at) t GROUP BY channel, m",
    "SELECT channel, m, count(*), sum(d), sum(d * d) FROM (
       SELECT channel, CAST(date_trunc('month', created_at) AS DATE) AS m, extract(epoch FROM resolved_at) - extract(epoch FROM created_at) AS d
       FROM interactions WHERE resolved_at >= created_at) t GROUP BY channel, m",
    "SELECT i.channel, CAST(date_trunc('month', coalesce(i.created_at, s.answered_at)) AS DATE) AS m, count(*),
            count(*) FILTER (WHERE (s.score - s.scale_min) / (s.scale_max - s.scale_min) >= 0.75)
     FROM survey_answers s LEFT JOIN interactions i ON i.id = s.interaction_id
     WHERE s.kind = 'csat' AND s.score IS NOT NULL GROUP BY i.channel, m",
    "SELECT i.channel, CAST(date_trunc('month', coalesce(i.created_at, s.answered_at)) AS DATE) AS m, count(*), sum(s.score), sum(s.score * s.score)
     FROM survey_answers s LEFT JOIN interactions i ON i.id = s.interaction_id
     WHERE s.kind = 'csat' AND s.score IS NOT NULL GROUP BY i.channel, m",
    "SELECT i.channel, CAST(date_trunc('month', coalesce(i.created_at, s.answered_at)) AS DATE) AS m, count(*),
            sum(CASE WHEN s.score >= 9 THEN 100 WHEN s.score <= 6 THEN -100 ELSE 0 END)
     FROM survey_answers s LEFT JOIN interactions i ON i.id = s.interaction_id
     WHERE s.kind = 'nps' AND s.score IS NOT NULL GROUP BY i.channel, m",
    "SELECT i.channel, CAST(date_trunc('month', coalesce(i.created_at, s.answered_at)) AS DATE) AS m, count(*), sum(s.score), sum(s.score * s.score)
     FROM survey_answers s LEFT JOIN interactions i ON i.id = s.interaction_id
     WHERE s.kind = 'ces' AND s.score IS NOT NULL GROUP BY i.channel, m",
    "SELECT channel, CAST(date_trunc('month', created_at) AS DATE) AS m, count(*),
            count(*) FILTER (WHERE coalesce(reopen_count, 0) = 0 AND (next_contact_secs IS NULL OR next_contact_secs > 604800))
     FROM interactions WHERE resolved_at IS NOT NULL OR first_resolved_at IS NOT NULL OR status IN ('resolved', 'closed') GROUP BY channel, m",
    "SELECT channel, CAST(date_trunc('month', created_at) AS DATE) AS m, count(*), sum(coalesce(talk_secs, 0) + coalesce(hold_secs, 0) + coalesce(acw_secs, 0))
     FROM interactions WHERE talk_secs IS NOT NULL OR hold_secs IS NOT NULL OR acw_secs IS NOT NULL GROUP BY channel, m",
    "SELECT channel, CAST(date_trunc('month', created_at) AS DATE) AS m, count(*), count(*) FILTER (WHERE answered)
     FROM interactions WHERE answered IS NOT NULL OR abandoned IS NOT NULL GROUP BY channel, m",
];

/// The yardstick of `metas bench import`: DuckDB loading a generic CSV into
/// `interactions` by itself (its own parallel CSV reader, casts only; no
/// mapping, validation, rejects, hashes, duplicate ids or derived metrics),
/// in one transaction. Returns the rows loaded.
pub fn native_csv_load(store: &mut crate::Store, csv: &std::path::Path) -> crate::Result<u64> {
    use crate::Doing;
    let casts = crate::columns::INTERACTION
        .iter()
        .map(|(name, ty)| match *name {
            "attributes" => "NULL".to_string(),
            _ => format!("CAST({name} AS {})", ty.sql()),
        })
        .collect::<Vec<_>>()
        .join(", ");
    // The path is the benchmark's own file; quotes are doubled all the same.
    let path = csv.display().to_string().replace('\'', "''");
    let tx = store.conn.transaction().doing("loading the CSV natively")?;
    let n = tx
        .execute(
            &format!(
                "INSERT INTO interactions (id, source, {cols}, row_hash)
                 SELECT 0, 'native', {casts}, 0 FROM read_csv('{path}', header = true, all_varchar = true)",
                cols = crate::columns::names(crate::columns::INTERACTION),
            ),
            [],
        )
        .doing("loading the CSV natively")?;
    tx.commit().doing("loading the CSV natively")?;
    Ok(n as u64)
}

/// `sla_attainment` by stage, channel and month as of `now`, by hand: a
/// stage counts when its clock stopped met or late, or when it is still
/// running past its due instant (then breached).
pub fn sla_attainment_by_stage_channel_month(now: jiff::Timestamp) -> String {
    let t = crate::sla::timestamp_literal(now);
    format!(
        "SELECT j.stage, j.channel, CAST(date_trunc('month', j.created_at) AS DATE) AS m,
                count(*) FILTER (WHERE (j.stopped_at <= {t} AND j.state IN ('met', 'breached'))
                                    OR ((j.stopped_at IS NULL OR j.stopped_at > {t}) AND j.started_at <= {t} AND j.due_at < {t})),
                count(*) FILTER (WHERE j.stopped_at <= {t} AND j.state = 'met')
         FROM sla_stages j
         GROUP BY j.stage, j.channel, m"
    )
}
