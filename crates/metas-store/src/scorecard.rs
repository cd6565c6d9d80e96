//! What an agent's scorecard reads that the KPI engine does not answer
//! (docs/scorecard.md): the agent's team and first day of activity, mean
//! ratings per QA criterion and month, the per-interaction rows the focus
//! behaviour is chosen from, and the evidence (the lowest-rated reviews on a
//! criterion, and dissatisfied survey comments). Every other figure of a
//! scorecard comes from the KPI engine, so the scorecard and the explorer
//! agree.
//!
//! Dates and agents are those of the KPI engine: a review is placed at
//! `coalesce(q.reviewed_at, i.created_at)` and belongs to
//! `coalesce(q.agent, i.agent)`, a survey answer at
//! `coalesce(i.created_at, s.answered_at)` to its interaction's agent.

use duckdb::types::Value;
use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::settings::{FcrMode, KpiSettings};
use serde::Serialize;

use crate::kpi::handle_time;
use crate::{Doing, Result, Store, StoreError};

/// The one place criteria meet ratings: every query here joins a rating to
/// its criterion through this (rubric versions add their condition here).
pub const CRITERIA_JOIN: &str =
    "JOIN qa_criteria k ON k.rubric = q.rubric AND k.version = q.rubric_version AND k.criterion = r.criterion";

/// When a review counts (the KPI engine's date of the QA basis).
const REVIEW_DATE: &str = "coalesce(q.reviewed_at, i.created_at)";
/// Whose a review is.
const REVIEW_AGENT: &str = "coalesce(q.agent, i.agent)";

/// An agent as the data knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentActivity {
    /// From the agents table, else from their latest interaction.
    pub team: Option<String>,
    /// The day of their first interaction or review.
    pub first: Date,
}

/// Whose reviews a criterion query reads.
#[derive(Debug, Clone, Copy)]
pub enum Reviewed<'a> {
    Agent(&'a str),
    /// The team's agents' reviews (the interaction's team), one row set per agent when `by_agent`.
    Team {
        team: &'a str,
        by_agent: bool,
    },
}

/// The sufficient statistics of one criterion's ratings in one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionMonth {
    /// The agent, for a team read by agent.
    pub agent: Option<String>,
    pub rubric: String,
    pub criterion: String,
    pub position: i32,
    pub scale_min: f64,
    pub scale_max: f64,
    pub standard: Option<f64>,
    /// The month's first day.
    pub month: Date,
    pub n: u64,
    pub sum: f64,
    pub sum_sq: f64,
}

/// One rating of one reviewed interaction with that interaction's
/// per-interaction measures (none when it has no such measure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FocusRatingRow {
    pub agent: String,
    pub rubric: String,
    pub criterion: String,
    pub position: i32,
    pub standard: Option<f64>,
    pub rating: f64,
    /// Share of the interaction's CSAT answers that are satisfied (the csat KPI's rule).
    pub csat: Option<f64>,
    /// Mean CES on the configured scale.
    pub ces: Option<f64>,
    /// Mean NPS contribution (+100, 0, −100).
    pub nps: Option<f64>,
    /// 1 resolved at first contact, 0 not (the fcr KPI's rule).
    pub fcr: Option<f64>,
    /// 1 followed by a repeat contact, 0 not.
    pub repeat_contact: Option<f64>,
    /// Handle time in seconds.
    pub aht: Option<f64>,
}

/// An example from an agent's own interactions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceRow {
    /// `review` or `survey`.
    pub kind: &'static str,
    pub interaction_id: Option<i64>,
    pub interaction_external_id: Option<String>,
    pub source: Option<String>,
    /// When the interaction was created (its drill-down is that day's).
    pub created: Option<Timestamp>,
    /// When the review or the survey answer was given.
    pub at: Option<Timestamp>,
    /// The rating on the criterion (a review), or the one its review gave
    /// the interaction (a survey answer on a reviewed interaction).
    pub rating: Option<f64>,
    /// The survey kind and score (a survey answer).
    pub survey_kind: Option<String>,
    pub score: Option<f64>,
    pub scale_max: Option<f64>,
    pub comment: Option<String>,
    pub reviewer: Option<String>,
}

fn date_param(d: Date) -> Value {
    Value::Text(format!("{d} 00:00:00"))
}

fn next_day(d: Date) -> Result<Value> {
    Ok(date_param(
        d.tomorrow().map_err(|e| StoreError::Query(e.to_string()))?,
    ))
}

fn read_ts(micros: Option<i64>) -> Option<Timestamp> {
    micros.and_then(|m| Timestamp::from_microsecond(m).ok())
}

fn read_date(text: Option<String>) -> Result<Date> {
    text.as_deref()
        .and_then(|t| t.get(..10))
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| StoreError::Query(format!("not a date: {text:?}")))
}

/// The per-interaction measures of the focus rows, as the KPI engine's
/// rules define them under the settings in force. The threshold and window
/// are numbers from the settings, written as literals.
fn interaction_measures(s: &KpiSettings) -> String {
    let norm = "((s.score - coalesce(s.scale_min, 1)) / nullif(coalesce(s.scale_max, 5) - coalesce(s.scale_min, 1), 0))";
    let threshold = (s.csat_threshold - 1.0) / 4.0 - 1e-9;
    let neutral = if s.csat_neutral_in_denominator {
        "false".to_string()
    } else {
        format!("abs({norm} - 0.5) <= 1e-9")
    };
    let window = s.fcr_window_days as f64 * 86_400.0;
    let resolved = "(i.resolved_at IS NOT NULL OR i.first_resolved_at IS NOT NULL OR i.status IN ('resolved', 'closed'))";
    let fcr = match s.fcr_mode {
        FcrMode::Repeat => format!(
            "CASE WHEN {resolved} THEN CASE WHEN coalesce(i.reopen_count, 0) = 0 AND (i.next_contact_secs IS NULL OR i.next_contact_secs > {window}) THEN 1.0 ELSE 0.0 END END"
        ),
        FcrMode::OneTouch => format!(
            "CASE WHEN {resolved} AND i.agent_replies IS NOT NULL THEN CASE WHEN i.agent_replies <= 1 THEN 1.0 ELSE 0.0 END END"
        ),
        FcrMode::Flag => "CASE WHEN i.resolved_first_contact THEN 1.0 WHEN NOT i.resolved_first_contact THEN 0.0 END".into(),
    };
    let (handle, any_part) = handle_time(s);
    let ces_top = f64::from(s.ces_scale) - 1.0;
    format!(
        "sv.csat, sv.ces, sv.nps, {fcr},
         CASE WHEN i.customer_id IS NOT NULL THEN CASE WHEN coalesce(i.next_contact_secs <= {window}, false) THEN 1.0 ELSE 0.0 END END,
         CASE WHEN ({any_part}) AND coalesce(i.answered, true) THEN ({handle}) END
         FROM qa_reviews q JOIN qa_ratings r ON r.review_id = q.id
         {CRITERIA_JOIN}
         LEFT JOIN interactions i ON i.id = q.interaction_id
         LEFT JOIN (SELECT s.interaction_id,
                      avg(CASE WHEN s.kind = 'csat' AND NOT ({neutral}) THEN CASE WHEN {norm} >= {threshold} THEN 1.0 ELSE 0.0 END END) AS csat,
                      avg(CASE WHEN s.kind = 'ces' THEN 1 + {norm} * {ces_top} END) AS ces,
                      avg(CASE WHEN s.kind = 'nps' THEN CASE WHEN {norm} * 10 >= 9 - 1e-9 THEN 100.0 WHEN {norm} * 10 <= 6 + 1e-9 THEN -100.0 ELSE 0.0 END END) AS nps
                    FROM survey_answers s
                    WHERE s.score IS NOT NULL
                      AND s.interaction_id IN (SELECT interaction_id FROM qa_reviews WHERE interaction_id IS NOT NULL)
                    GROUP BY s.interaction_id) sv ON sv.interaction_id = q.interaction_id"
    )
}

impl Store {
    pub(crate) fn agent_activity_sql(&self, agent: &str) -> Result<Option<AgentActivity>> {
        let doing = "reading an agent's first activity";
        let (first_i, first_q, team): (Option<String>, Option<String>, Option<String>) = self
            .conn
            .query_row(
                &format!(
                    "SELECT (SELECT CAST(CAST(min(created_at) AS DATE) AS VARCHAR) FROM interactions WHERE agent = ?),
                            (SELECT CAST(CAST(min({REVIEW_DATE}) AS DATE) AS VARCHAR)
                               FROM qa_reviews q LEFT JOIN interactions i ON i.id = q.interaction_id
                               WHERE {REVIEW_AGENT} = ?),
                            (SELECT max(team) FROM agents WHERE name = ?)"
                ),
                [agent, agent, agent],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .doing(doing)?;
        let first = [first_i, first_q]
            .into_iter()
            .flatten()
            .map(|t| read_date(Some(t)))
            .collect::<Result<Vec<Date>>>()?
            .into_iter()
            .min();
        let Some(first) = first else {
            return Ok(None);
        };
        // Without an agents table row, the team of their latest interaction.
        let team = match team {
            Some(t) => Some(t),
            None => self
                .conn
                .query_row(
                    "SELECT team FROM interactions WHERE agent = ? AND team IS NOT NULL
                     ORDER BY created_at DESC LIMIT 1",
                    [agent],
                    |r| r.get(0),
                )
                .map(Some)
                .or_else(|e| match e {
                    duckdb::Error::QueryReturnedNoRows => Ok(None),
                    e => Err(e),
                })
                .doing(doing)?,
        };
        Ok(Some(AgentActivity { team, first }))
    }

    pub(crate) fn team_agents_sql(
        &self,
        team: &str,
        from: Date,
        to: Date,
    ) -> Result<Vec<(String, Date)>> {
        let doing = "listing a team's agents";
        let sql = format!(
            "SELECT a, CAST(min(d) AS VARCHAR) FROM (
               SELECT agent AS a, CAST(created_at AS DATE) AS d FROM interactions WHERE team = ?
               UNION ALL
               SELECT {REVIEW_AGENT}, CAST({REVIEW_DATE} AS DATE)
                 FROM qa_reviews q LEFT JOIN interactions i ON i.id = q.interaction_id
                WHERE i.team = ?) t
             WHERE a IS NOT NULL
             GROUP BY a
             HAVING max(d) >= CAST(? AS DATE) AND min(d) <= CAST(? AS DATE)
             ORDER BY a"
        );
        let mut stmt = self.conn.prepare(&sql).doing(doing)?;
        let params = [
            Value::Text(team.into()),
            Value::Text(team.into()),
            Value::Text(from.to_string()),
            Value::Text(to.to_string()),
        ];
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing(doing)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(doing)? {
            out.push((r.get(0).doing(doing)?, read_date(r.get(1).doing(doing)?)?));
        }
        Ok(out)
    }

    fn whose(reviewed: Reviewed, params: &mut Vec<Value>) -> (String, String) {
        match reviewed {
            Reviewed::Agent(a) => {
                params.push(Value::Text(a.into()));
                (
                    format!("{REVIEW_AGENT} = ?"),
                    "CAST(NULL AS VARCHAR)".into(),
                )
            }
            Reviewed::Team { team, by_agent } => {
                params.push(Value::Text(team.into()));
                let agent = if by_agent {
                    REVIEW_AGENT.to_string()
                } else {
                    "CAST(NULL AS VARCHAR)".into()
                };
                ("i.team = ?".into(), agent)
            }
        }
    }

    pub(crate) fn criterion_months_sql(
        &self,
        reviewed: Reviewed,
        from: Date,
        to: Date,
    ) -> Result<Vec<CriterionMonth>> {
        let doing = "reading mean ratings per criterion and month";
        let mut params = Vec::new();
        let (cond, agent) = Self::whose(reviewed, &mut params);
        params.push(date_param(from));
        params.push(next_day(to)?);
        let sql = format!(
            "SELECT {agent} AS a, q.rubric, r.criterion, min(k.position), min(k.scale_min), min(k.scale_max), min(k.standard),
                    CAST(CAST(date_trunc('month', {REVIEW_DATE}) AS DATE) AS VARCHAR) AS m,
                    count(*), sum(r.rating), sum(r.rating * r.rating)
             FROM qa_reviews q JOIN qa_ratings r ON r.review_id = q.id
             {CRITERIA_JOIN}
             LEFT JOIN interactions i ON i.id = q.interaction_id
             WHERE r.rating IS NOT NULL AND {cond}
               AND {REVIEW_DATE} >= CAST(? AS TIMESTAMP) AND {REVIEW_DATE} < CAST(? AS TIMESTAMP)
             GROUP BY 1, 2, 3, 8
             ORDER BY 1, 2, 4, 3, 8"
        );
        let mut stmt = self.conn.prepare(&sql).doing(doing)?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing(doing)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(doing)? {
            let n: i64 = r.get(8).doing(doing)?;
            out.push(CriterionMonth {
                agent: r.get(0).doing(doing)?,
                rubric: r.get(1).doing(doing)?,
                criterion: r.get(2).doing(doing)?,
                position: r.get(3).doing(doing)?,
                scale_min: r.get(4).doing(doing)?,
                scale_max: r.get(5).doing(doing)?,
                standard: r.get(6).doing(doing)?,
                month: read_date(r.get(7).doing(doing)?)?,
                n: n.max(0) as u64,
                sum: r.get(9).doing(doing)?,
                sum_sq: r.get(10).doing(doing)?,
            });
        }
        Ok(out)
    }

    pub(crate) fn focus_rows_sql(
        &self,
        settings: &KpiSettings,
        reviewed: Reviewed,
        from: Date,
        to: Date,
    ) -> Result<Vec<FocusRatingRow>> {
        let doing = "reading the ratings of reviewed interactions";
        let mut params = Vec::new();
        let (cond, _) = Self::whose(reviewed, &mut params);
        params.push(date_param(from));
        params.push(next_day(to)?);
        let sql = format!(
            "SELECT {REVIEW_AGENT}, q.rubric, r.criterion, k.position, k.standard, r.rating,
                    {measures}
             WHERE r.rating IS NOT NULL AND {cond}
               AND {REVIEW_DATE} >= CAST(? AS TIMESTAMP) AND {REVIEW_DATE} < CAST(? AS TIMESTAMP)
             ORDER BY 1, q.id, k.position",
            measures = interaction_measures(settings)
        );
        let mut stmt = self.conn.prepare(&sql).doing(doing)?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing(doing)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(doing)? {
            out.push(FocusRatingRow {
                agent: r
                    .get::<_, Option<String>>(0)
                    .doing(doing)?
                    .unwrap_or_default(),
                rubric: r.get(1).doing(doing)?,
                criterion: r.get(2).doing(doing)?,
                position: r.get(3).doing(doing)?,
                standard: r.get(4).doing(doing)?,
                rating: r.get(5).doing(doing)?,
                csat: r.get(6).doing(doing)?,
                ces: r.get(7).doing(doing)?,
                nps: r.get(8).doing(doing)?,
                fcr: r.get(9).doing(doing)?,
                repeat_contact: r.get(10).doing(doing)?,
                aht: r.get(11).doing(doing)?,
            });
        }
        Ok(out)
    }

    #[expect(clippy::too_many_arguments, reason = "one query's filters")]
    pub(crate) fn evidence_sql(
        &self,
        settings: &KpiSettings,
        agent: &str,
        rubric: &str,
        criterion: &str,
        from: Date,
        to: Date,
        limit: u32,
    ) -> Result<Vec<EvidenceRow>> {
        let doing = "finding examples in an agent's interactions";
        let mut out = Vec::new();
        // The lowest ratings below the standard, commented ones first.
        let reviews = format!(
            "SELECT q.interaction_id, coalesce(i.external_id, q.interaction_external_id), coalesce(i.source, q.source),
                    CAST(extract(epoch FROM {REVIEW_DATE}) * 1000000 AS BIGINT),
                    r.rating, q.comment, q.reviewer,
                    CAST(extract(epoch FROM i.created_at) * 1000000 AS BIGINT)
             FROM qa_reviews q JOIN qa_ratings r ON r.review_id = q.id
             {CRITERIA_JOIN}
             LEFT JOIN interactions i ON i.id = q.interaction_id
             WHERE {REVIEW_AGENT} = ? AND q.rubric = ? AND r.criterion = ?
               AND r.rating IS NOT NULL AND r.rating < coalesce(k.standard, k.scale_min + 1e-9)
               AND {REVIEW_DATE} >= CAST(? AS TIMESTAMP) AND {REVIEW_DATE} < CAST(? AS TIMESTAMP)
             ORDER BY CASE WHEN q.comment IS NULL OR q.comment = '' THEN 1 ELSE 0 END, r.rating, {REVIEW_DATE} DESC, q.id
             LIMIT {limit}"
        );
        let params = [
            Value::Text(agent.into()),
            Value::Text(rubric.into()),
            Value::Text(criterion.into()),
            date_param(from),
            next_day(to)?,
        ];
        let mut stmt = self.conn.prepare(&reviews).doing(doing)?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing(doing)?;
        while let Some(r) = rows.next().doing(doing)? {
            out.push(EvidenceRow {
                kind: "review",
                interaction_id: r.get(0).doing(doing)?,
                interaction_external_id: r.get(1).doing(doing)?,
                source: r.get(2).doing(doing)?,
                created: read_ts(r.get(7).doing(doing)?),
                at: read_ts(r.get(3).doing(doing)?),
                rating: r.get(4).doing(doing)?,
                survey_kind: None,
                score: None,
                scale_max: None,
                comment: r.get(5).doing(doing)?,
                reviewer: r.get(6).doing(doing)?,
            });
        }
        // Dissatisfied survey comments on the agent's interactions that
        // were rated below the standard on the criterion, or not reviewed
        // on it: the customer's negative words the agent left unanswered.
        let norm = "((s.score - coalesce(s.scale_min, 1)) / nullif(coalesce(s.scale_max, 5) - coalesce(s.scale_min, 1), 0))";
        let threshold = (settings.csat_threshold - 1.0) / 4.0 - 1e-9;
        let surveys = format!(
            "SELECT i.id, i.external_id, i.source,
                    CAST(extract(epoch FROM coalesce(s.answered_at, i.created_at)) * 1000000 AS BIGINT),
                    rv.rating, s.kind, s.score, coalesce(s.scale_max, 5), s.comment,
                    CAST(extract(epoch FROM i.created_at) * 1000000 AS BIGINT)
             FROM survey_answers s JOIN interactions i ON i.id = s.interaction_id
             LEFT JOIN (SELECT q.interaction_id, min(r.rating) AS rating,
                               max(CASE WHEN r.rating < coalesce(k.standard, k.scale_min + 1e-9) THEN 1 ELSE 0 END) AS below
                          FROM qa_reviews q JOIN qa_ratings r ON r.review_id = q.id
                          {CRITERIA_JOIN}
                         WHERE q.rubric = ? AND r.criterion = ? AND r.rating IS NOT NULL AND q.interaction_id IS NOT NULL
                         GROUP BY q.interaction_id) rv ON rv.interaction_id = i.id
             WHERE i.agent = ? AND s.comment IS NOT NULL AND s.comment <> '' AND s.score IS NOT NULL
               AND i.created_at >= CAST(? AS TIMESTAMP)
               AND i.created_at < CAST(? AS TIMESTAMP)
               AND ((s.kind = 'csat' AND {norm} < {threshold})
                    OR (s.kind = 'ces' AND {norm} < 0.5)
                    OR (s.kind = 'nps' AND {norm} * 10 <= 6 + 1e-9))
               AND (rv.interaction_id IS NULL OR rv.below = 1)
             ORDER BY CASE WHEN rv.rating IS NULL THEN 1 ELSE 0 END, {norm}, coalesce(s.answered_at, i.created_at) DESC, i.id
             LIMIT {limit}"
        );
        let params = [
            Value::Text(rubric.into()),
            Value::Text(criterion.into()),
            Value::Text(agent.into()),
            date_param(from),
            next_day(to)?,
        ];
        let mut stmt = self.conn.prepare(&surveys).doing(doing)?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing(doing)?;
        while let Some(r) = rows.next().doing(doing)? {
            out.push(EvidenceRow {
                kind: "survey",
                interaction_id: r.get(0).doing(doing)?,
                interaction_external_id: r.get(1).doing(doing)?,
                source: r.get(2).doing(doing)?,
                created: read_ts(r.get(9).doing(doing)?),
                at: read_ts(r.get(3).doing(doing)?),
                rating: r.get(4).doing(doing)?,
                survey_kind: r.get(5).doing(doing)?,
                score: r.get(6).doing(doing)?,
                scale_max: r.get(7).doing(doing)?,
                comment: r.get(8).doing(doing)?,
                reviewer: None,
            });
        }
        Ok(out)
    }
}
