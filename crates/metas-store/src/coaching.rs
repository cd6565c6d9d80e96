//! Coaching plans and their sessions (docs/coaching.md). A plan is saved
//! with the goal that tracks it in one transaction: neither exists without
//! the other.

use duckdb::params;
use duckdb::types::ValueRef;
use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::coaching::{Example, ExampleKind};
use serde::Serialize;

use crate::goals::{insert_goal_in, GoalRow};
use crate::sessions::{ts_read, ts_value};
use crate::storage::CoachingStore;
use crate::{Doing, Result, Store, StoreError};

/// An action plan as stored, with its examples and sessions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRow {
    pub id: i64,
    pub agent: String,
    pub goal_id: i64,
    pub rubric: String,
    pub criterion: String,
    pub expected_level: f64,
    pub scale_min: f64,
    pub scale_max: f64,
    pub objective: String,
    pub starts_on: Date,
    pub due_on: Date,
    pub metrics_expected: Vec<String>,
    pub created_by: String,
    pub created_at: Timestamp,
    /// The agent's language when the plan was written (its printed page).
    pub language: String,
    /// The goal was saved past the focus limit (R-FOCUS), as `--force` does.
    pub focus_overridden: bool,
    pub examples: Vec<Example>,
    /// Left out of JSON when empty: a plan shown with its sessions' states
    /// moves them out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sessions: Vec<CoachingSessionRow>,
}

/// A coaching session as stored; `id` counts from 1 within its plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoachingSessionRow {
    pub id: i64,
    pub plan_id: i64,
    pub scheduled_on: Date,
    pub held_at: Option<Timestamp>,
    pub notes: Option<String>,
    pub progress_value: Option<f64>,
    pub progress_n: Option<u64>,
    pub recorded_by: Option<String>,
    pub acknowledged_at: Option<Timestamp>,
}

/// What a QA review said about one criterion of one interaction: the
/// snapshot an example keeps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QaEvidence {
    pub interaction_id: String,
    pub agent: Option<String>,
    pub occurred_at: Option<Timestamp>,
    pub rating: Option<f64>,
    pub comment: Option<String>,
}

/// A criterion of a rubric and its scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CriterionScale {
    pub rubric: String,
    pub criterion: String,
    pub scale_min: f64,
    pub scale_max: f64,
    pub standard: Option<f64>,
}

fn date(v: ValueRef<'_>) -> Result<Date> {
    match v {
        ValueRef::Date32(days) => Date::new(1970, 1, 1)
            .ok()
            .and_then(|e| e.checked_add(jiff::Span::new().days(days as i64)).ok())
            .ok_or_else(|| StoreError::Corrupt(format!("a date {days} days from 1970"))),
        other => Err(StoreError::Corrupt(format!("not a date: {other:?}"))),
    }
}

fn opt_ts(v: ValueRef<'_>) -> Result<Option<Timestamp>> {
    match v {
        ValueRef::Null => Ok(None),
        v => ts_read(v).map(Some),
    }
}

const PLAN_COLUMNS: &str =
    "id, agent, goal_id, rubric, criterion, expected_level, scale_min, scale_max, objective,
    starts_on, due_on, metrics_expected, created_by, created_at, language, focus_overridden";

impl Store {
    fn select_plans(
        &self,
        filter: &str,
        param: Option<&dyn duckdb::ToSql>,
    ) -> Result<Vec<PlanRow>> {
        const DOING: &str = "reading coaching plans";
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM coaching_plans WHERE {filter} ORDER BY starts_on DESC, id DESC"
        );
        let mut stmt = self.conn.prepare(&sql).doing(DOING)?;
        let mut rows = match param {
            Some(p) => stmt.query([p]),
            None => stmt.query([]),
        }
        .doing(DOING)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(DOING)? {
            let metrics: String = r.get(11).doing(DOING)?;
            out.push(PlanRow {
                id: r.get(0).doing(DOING)?,
                agent: r.get(1).doing(DOING)?,
                goal_id: r.get(2).doing(DOING)?,
                rubric: r.get(3).doing(DOING)?,
                criterion: r.get(4).doing(DOING)?,
                expected_level: r.get(5).doing(DOING)?,
                scale_min: r.get(6).doing(DOING)?,
                scale_max: r.get(7).doing(DOING)?,
                objective: r.get(8).doing(DOING)?,
                starts_on: date(r.get_ref(9).doing(DOING)?)?,
                due_on: date(r.get_ref(10).doing(DOING)?)?,
                metrics_expected: metrics
                    .lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect(),
                created_by: r.get(12).doing(DOING)?,
                created_at: ts_read(r.get_ref(13).doing(DOING)?)?,
                language: r.get(14).doing(DOING)?,
                focus_overridden: r.get(15).doing(DOING)?,
                examples: vec![],
                sessions: vec![],
            });
        }
        for p in &mut out {
            p.examples = self.plan_examples(p.id)?;
            p.sessions = self.plan_sessions(p.id)?;
        }
        Ok(out)
    }

    fn plan_examples(&self, plan: i64) -> Result<Vec<Example>> {
        const DOING: &str = "reading a plan's examples";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT interaction_id, kind, occurred_at, rating, quote FROM coaching_plan_examples
                 WHERE plan_id = ? ORDER BY position",
            )
            .doing(DOING)?;
        let mut rows = stmt.query([plan]).doing(DOING)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(DOING)? {
            let kind: String = r.get(1).doing(DOING)?;
            out.push(Example {
                interaction_id: r.get(0).doing(DOING)?,
                kind: ExampleKind::parse(&kind)
                    .ok_or_else(|| StoreError::Corrupt(format!("an example of kind '{kind}'")))?,
                occurred_at: opt_ts(r.get_ref(2).doing(DOING)?)?,
                rating: r.get(3).doing(DOING)?,
                quote: r.get(4).doing(DOING)?,
            });
        }
        Ok(out)
    }

    fn plan_sessions(&self, plan: i64) -> Result<Vec<CoachingSessionRow>> {
        const DOING: &str = "reading coaching sessions";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, plan_id, scheduled_on, held_at, notes, progress_value, progress_n, recorded_by, acknowledged_at
                 FROM coaching_sessions WHERE plan_id = ? ORDER BY scheduled_on, id",
            )
            .doing(DOING)?;
        let mut rows = stmt.query([plan]).doing(DOING)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(DOING)? {
            out.push(CoachingSessionRow {
                id: r.get(0).doing(DOING)?,
                plan_id: r.get(1).doing(DOING)?,
                scheduled_on: date(r.get_ref(2).doing(DOING)?)?,
                held_at: opt_ts(r.get_ref(3).doing(DOING)?)?,
                notes: r.get(4).doing(DOING)?,
                progress_value: r.get(5).doing(DOING)?,
                progress_n: r
                    .get::<_, Option<i64>>(6)
                    .doing(DOING)?
                    .map(|n| n.max(0) as u64),
                recorded_by: r.get(7).doing(DOING)?,
                acknowledged_at: opt_ts(r.get_ref(8).doing(DOING)?)?,
            });
        }
        Ok(out)
    }
}

impl CoachingStore for Store {
    fn insert_plan(&mut self, plan: &PlanRow, goal: &GoalRow, at: Timestamp) -> Result<(i64, i64)> {
        const DOING: &str = "saving a coaching plan";
        let tx = self.write(crate::write::Reach::Small, DOING)?;
        let goal_id = insert_goal_in(&tx, goal, &plan.created_by, at)?;
        let id: i64 = tx
            .query_row(
                "SELECT coalesce(max(id), 0) + 1 FROM coaching_plans",
                [],
                |r| r.get(0),
            )
            .doing(DOING)?;
        tx.execute(
            &format!(
                "INSERT INTO coaching_plans ({PLAN_COLUMNS})
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), ?, ?, ?, ?, ?)"
            ),
            params![
                id,
                plan.agent,
                goal_id,
                plan.rubric,
                plan.criterion,
                plan.expected_level,
                plan.scale_min,
                plan.scale_max,
                plan.objective,
                plan.starts_on.to_string(),
                plan.due_on.to_string(),
                plan.metrics_expected.join("\n"),
                plan.created_by,
                ts_value(at),
                plan.language,
                plan.focus_overridden,
            ],
        )
        .doing(DOING)?;
        for (position, e) in plan.examples.iter().enumerate() {
            tx.execute(
                "INSERT INTO coaching_plan_examples (plan_id, position, interaction_id, kind, occurred_at, rating, quote)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
                params![
                    id,
                    position as i64 + 1,
                    e.interaction_id,
                    e.kind.as_str(),
                    e.occurred_at.map(ts_value),
                    e.rating,
                    e.quote,
                ],
            )
            .doing(DOING)?;
        }
        for (n, s) in plan.sessions.iter().enumerate() {
            tx.execute(
                "INSERT INTO coaching_sessions (id, plan_id, scheduled_on) VALUES (?, ?, CAST(? AS DATE))",
                params![n as i64 + 1, id, s.scheduled_on.to_string()],
            )
            .doing(DOING)?;
        }
        tx.commit()?;
        Ok((id, goal_id))
    }

    fn coaching_plans(&self) -> Result<Vec<PlanRow>> {
        self.select_plans("true", None)
    }

    fn coaching_plans_of(&self, agent: &str) -> Result<Vec<PlanRow>> {
        self.select_plans("agent = ?", Some(&agent))
    }

    fn coaching_plan(&self, id: i64) -> Result<Option<PlanRow>> {
        Ok(self.select_plans("id = ?", Some(&id))?.into_iter().next())
    }

    fn coaching_plan_of_goal(&self, goal_id: i64) -> Result<Option<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT max(id) FROM coaching_plans WHERE goal_id = ?")
            .doing("reading a goal's plan")?;
        let mut rows = stmt.query([goal_id]).doing("reading a goal's plan")?;
        Ok(match rows.next().doing("reading a goal's plan")? {
            Some(r) => r.get(0).doing("reading a goal's plan")?,
            None => None,
        })
    }

    fn record_coaching_session(
        &mut self,
        plan: i64,
        session: i64,
        notes: &str,
        progress: (Option<f64>, u64),
        who: &str,
        at: Timestamp,
    ) -> Result<bool> {
        let n = self.write_one("recording a coaching session", 
                "UPDATE coaching_sessions SET held_at = ?, notes = ?, progress_value = ?, progress_n = ?, recorded_by = ?
                 WHERE plan_id = ? AND id = ?",
                params![ts_value(at), notes, progress.0, progress.1 as i64, who, plan, session],
            )?;
        Ok(n > 0)
    }

    fn acknowledge_coaching_session(
        &mut self,
        plan: i64,
        session: i64,
        at: Timestamp,
    ) -> Result<bool> {
        let n = self.write_one(
            "acknowledging a coaching session",
            "UPDATE coaching_sessions SET acknowledged_at = ?
                 WHERE plan_id = ? AND id = ? AND held_at IS NOT NULL",
            params![ts_value(at), plan, session],
        )?;
        Ok(n > 0)
    }

    fn criterion_scales(&self, criterion: &str) -> Result<Vec<CriterionScale>> {
        const DOING: &str = "reading a QA criterion";
        let mut stmt = self
            .conn
            .prepare(
                // The scale and standard of each rubric's current version.
                "SELECT c.rubric, c.criterion, c.scale_min, c.scale_max, c.standard
                 FROM qa_criteria c
                 JOIN qa_rubrics r ON r.name = c.rubric AND c.version = coalesce(r.version, 1)
                 WHERE c.criterion = ? ORDER BY c.rubric",
            )
            .doing(DOING)?;
        let mut rows = stmt.query([criterion]).doing(DOING)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing(DOING)? {
            out.push(CriterionScale {
                rubric: r.get(0).doing(DOING)?,
                criterion: r.get(1).doing(DOING)?,
                scale_min: r.get(2).doing(DOING)?,
                scale_max: r.get(3).doing(DOING)?,
                standard: r.get(4).doing(DOING)?,
            });
        }
        Ok(out)
    }

    fn qa_evidence(&self, interaction: &str, criterion: &str) -> Result<Option<QaEvidence>> {
        const DOING: &str = "reading a QA review of an interaction";
        let mut stmt = self
            .conn
            .prepare(
                "SELECT coalesce(i.external_id, q.interaction_external_id), coalesce(q.agent, i.agent),
                        coalesce(i.created_at, q.reviewed_at), r.rating, q.comment
                 FROM qa_reviews q
                 LEFT JOIN interactions i ON i.id = q.interaction_id
                 LEFT JOIN qa_ratings r ON r.review_id = q.id AND r.criterion = ?
                 WHERE q.interaction_external_id = ? OR i.external_id = ? OR CAST(q.interaction_id AS VARCHAR) = ?
                 ORDER BY q.reviewed_at DESC LIMIT 1",
            )
            .doing(DOING)?;
        let mut rows = stmt
            .query(params![criterion, interaction, interaction, interaction])
            .doing(DOING)?;
        Ok(match rows.next().doing(DOING)? {
            Some(r) => Some(QaEvidence {
                interaction_id: r
                    .get::<_, Option<String>>(0)
                    .doing(DOING)?
                    .unwrap_or_else(|| interaction.to_string()),
                agent: r.get(1).doing(DOING)?,
                occurred_at: opt_ts(r.get_ref(2).doing(DOING)?)?,
                rating: r.get(3).doing(DOING)?,
                comment: r.get(4).doing(DOING)?,
            }),
            None => None,
        })
    }
}
