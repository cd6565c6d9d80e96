//! The mission and the goals (SPEC §6): kept with their history.

use duckdb::params;
use duckdb::types::ValueRef;
use jiff::civil::Date;
use serde::Serialize;

use crate::{Doing, Result, Store, StoreError};

/// A goal as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    /// `org`, `team:NAME` or `agent:NAME`.
    pub owner: String,
    pub metric: String,
    /// The segment expression as written (without the owner's filter).
    pub scope: Option<String>,
    /// `increase` or `decrease`.
    pub direction: String,
    /// The target as the user wrote it (`--to 0.9`, `--by 25%`).
    pub target_text: String,
    pub target: f64,
    pub stretch: Option<f64>,
    pub baseline: Option<f64>,
    pub baseline_n: u64,
    pub baseline_from: Date,
    pub baseline_to: Date,
    pub start: Date,
    pub deadline: Date,
    pub deadline_text: String,
    /// draft, active, achieved, missed, retired.
    pub status: String,
    pub customer_words: Option<String>,
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

const COLUMNS: &str = "id, parent_id, owner, metric, scope, direction, target_text, target, stretch, baseline, baseline_n,
    baseline_from, baseline_to, start_date, deadline, deadline_text, status, customer_words";

fn read(r: &duckdb::Row) -> Result<GoalRow> {
    Ok(GoalRow {
        id: r.get(0)?,
        parent_id: r.get(1)?,
        owner: r.get(2)?,
        metric: r.get(3)?,
        scope: r.get(4)?,
        direction: r.get(5)?,
        target_text: r.get(6)?,
        target: r.get(7)?,
        stretch: r.get(8)?,
        baseline: r.get(9)?,
        baseline_n: r.get::<_, i64>(10)?.max(0) as u64,
        baseline_from: date(r.get_ref(11)?)?,
        baseline_to: date(r.get_ref(12)?)?,
        start: date(r.get_ref(13)?)?,
        deadline: date(r.get_ref(14)?)?,
        deadline_text: r.get(15)?,
        status: r.get(16)?,
        customer_words: r.get(17)?,
    })
}

impl Store {
    pub fn mission(&self) -> Result<Option<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT statement FROM mission ORDER BY set_at DESC LIMIT 1")
            .doing("reading the mission")?;
        let mut rows = stmt.query([]).doing("reading the mission")?;
        Ok(match rows.next()? {
            Some(r) => Some(r.get(0)?),
            None => None,
        })
    }

    pub fn set_mission(&mut self, statement: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO mission (statement, set_at) VALUES (?, current_timestamp)",
                [statement],
            )
            .doing("saving the mission")?;
        Ok(())
    }

    /// Saves a new goal (its `id` is ignored) and returns its id.
    pub fn insert_goal(&mut self, g: &GoalRow) -> Result<i64> {
        let tx = self.conn.transaction().doing("saving a goal")?;
        let id: i64 = tx
            .query_row("SELECT nextval('goal_id_seq')", [], |r| r.get(0))
            .doing("numbering a goal")?;
        tx.execute(
            &format!(
                "INSERT INTO goals ({COLUMNS}, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), ?, ?, ?, current_timestamp)"
            ),
            params![
                id,
                g.parent_id,
                g.owner,
                g.metric,
                g.scope,
                g.direction,
                g.target_text,
                g.target,
                g.stretch,
                g.baseline,
                g.baseline_n as i64,
                g.baseline_from.to_string(),
                g.baseline_to.to_string(),
                g.start.to_string(),
                g.deadline.to_string(),
                g.deadline_text,
                g.status,
                g.customer_words,
            ],
        )
        .doing("saving a goal")?;
        tx.execute(
            "INSERT INTO goal_history (goal_id, changed_at, change) VALUES (?, current_timestamp, ?)",
            params![id, format!("created: {} {} {} by {}", g.metric, g.direction, g.target_text, g.deadline_text)],
        )
        .doing("saving a goal")?;
        tx.commit().doing("saving a goal")?;
        Ok(id)
    }

    pub fn goals(&self) -> Result<Vec<GoalRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM goals ORDER BY id"))
            .doing("reading goals")?;
        let mut rows = stmt.query([]).doing("reading goals")?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read(r)?);
        }
        Ok(out)
    }

    pub fn goal(&self, id: i64) -> Result<Option<GoalRow>> {
        Ok(self.goals()?.into_iter().find(|g| g.id == id))
    }

    /// What happened to a goal, oldest first: (when, what).
    pub fn goal_history(&self, id: i64) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT CAST(changed_at AS VARCHAR), change FROM goal_history WHERE goal_id = ? ORDER BY changed_at")
            .doing("reading a goal's history")?;
        let rows = stmt
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .doing("reading a goal's history")?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}
