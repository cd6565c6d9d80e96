//! The mission and the goals (docs/product.md §6): kept with their history.

use duckdb::params;
use duckdb::types::ValueRef;
use jiff::civil::Date;
use jiff::Timestamp;
use metas_domain::goal::{Decision, GoalEvent};
use serde::Serialize;

use crate::sessions::{ts_read, ts_value};
use crate::storage::GoalStore;
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
    /// weekly, biweekly, monthly, quarterly, half-yearly.
    pub cadence: String,
    /// Milestones the user gave, as `DATE=VALUE;…` (none: generated evenly).
    pub milestones: Option<String>,
    pub committed_on: Option<Date>,
}

/// A check-in: the owner's word on the way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckIn {
    pub on: Date,
    pub comment: String,
    pub confidence: Option<f64>,
}

/// A review's record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewRow {
    pub on: Date,
    pub decision: String,
    pub notes: String,
    pub blocked_by: Option<String>,
    pub new_practice: Option<String>,
}

/// One line of a goal's history: when, who, and the event's line
/// ([`GoalEvent::line`]; [`GoalEvent::parse`] reads it back).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryRow {
    pub at: Timestamp,
    pub who: String,
    pub change: String,
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
    baseline_from, baseline_to, start_date, deadline, deadline_text, status, customer_words, cadence, milestones, committed_on";

fn read(r: &duckdb::Row) -> Result<GoalRow> {
    Ok(GoalRow {
        id: r.get(0).doing("reading goals")?,
        parent_id: r.get(1).doing("reading goals")?,
        owner: r.get(2).doing("reading goals")?,
        metric: r.get(3).doing("reading goals")?,
        scope: r.get(4).doing("reading goals")?,
        direction: r.get(5).doing("reading goals")?,
        target_text: r.get(6).doing("reading goals")?,
        target: r.get(7).doing("reading goals")?,
        stretch: r.get(8).doing("reading goals")?,
        baseline: r.get(9).doing("reading goals")?,
        baseline_n: r.get::<_, i64>(10).doing("reading goals")?.max(0) as u64,
        baseline_from: date(r.get_ref(11).doing("reading goals")?)?,
        baseline_to: date(r.get_ref(12).doing("reading goals")?)?,
        start: date(r.get_ref(13).doing("reading goals")?)?,
        deadline: date(r.get_ref(14).doing("reading goals")?)?,
        deadline_text: r.get(15).doing("reading goals")?,
        status: r.get(16).doing("reading goals")?,
        customer_words: r.get(17).doing("reading goals")?,
        cadence: r.get(18).doing("reading goals")?,
        milestones: r.get(19).doing("reading goals")?,
        committed_on: match r.get_ref(20).doing("reading goals")? {
            ValueRef::Null => None,
            v => Some(date(v)?),
        },
    })
}

/// Saves a goal and the line of its history that says it was created,
/// inside the caller's transaction (a coaching plan saves its goal with it).
pub(crate) fn insert_goal_in(
    tx: &duckdb::Connection,
    g: &GoalRow,
    who: &str,
    at: Timestamp,
) -> Result<i64> {
    let id: i64 = tx
        .query_row("SELECT nextval('goal_id_seq')", [], |r| r.get(0))
        .doing("numbering a goal")?;
    tx.execute(
            &format!(
                "INSERT INTO goals ({COLUMNS}, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), CAST(? AS DATE), ?, ?, ?, ?, ?, NULL, ?)"
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
                g.cadence,
                g.milestones,
                ts_value(at),
            ],
        )
        .doing("saving a goal")?;
    let event = match metas_domain::goal::Direction::parse(&g.direction) {
        Ok(direction) => GoalEvent::Created {
            metric: g.metric.clone(),
            direction,
            target: g.target_text.clone(),
            deadline: g.deadline_text.clone(),
        },
        Err(_) => GoalEvent::Note {
            text: format!("created: {} {}", g.metric, g.target_text),
        },
    };
    Store::note(tx, id, who, at, &event)?;
    Ok(id)
}

impl GoalStore for Store {
    fn mission(&self) -> Result<Option<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT statement FROM mission ORDER BY set_at DESC LIMIT 1")
            .doing("reading the mission")?;
        let mut rows = stmt.query([]).doing("reading the mission")?;
        Ok(match rows.next().doing("reading the mission")? {
            Some(r) => Some(r.get(0).doing("reading the mission")?),
            None => None,
        })
    }

    fn set_mission(&mut self, statement: &str) -> Result<()> {
        self.write_one(
            "saving the mission",
            "INSERT INTO mission (statement, set_at) VALUES (?, current_timestamp)",
            [statement],
        )?;
        Ok(())
    }

    fn insert_goal(&mut self, g: &GoalRow, who: &str, at: Timestamp) -> Result<i64> {
        let tx = self.write(crate::write::Reach::Small, "saving a goal")?;
        let id = insert_goal_in(&tx, g, who, at)?;
        tx.commit()?;
        Ok(id)
    }

    fn goals(&self) -> Result<Vec<GoalRow>> {
        self.select_goals("true", &[])
    }

    fn goal(&self, id: i64) -> Result<Option<GoalRow>> {
        Ok(self.select_goals("id = ?", &[&id])?.into_iter().next())
    }

    fn delete_goal(&mut self, id: i64) -> Result<bool> {
        let tx = self.write(crate::write::Reach::Small, "deleting a goal")?;
        for table in ["goal_checkins", "goal_reviews", "goal_history"] {
            tx.execute(&format!("DELETE FROM {table} WHERE goal_id = ?"), [id])
                .doing("deleting a goal")?;
        }
        tx.execute(
            "UPDATE goals SET parent_id = NULL WHERE parent_id = ?",
            [id],
        )
        .doing("deleting a goal")?;
        let deleted = tx
            .execute("DELETE FROM goals WHERE id = ?", [id])
            .doing("deleting a goal")?;
        tx.commit()?;
        Ok(deleted > 0)
    }

    fn goal_history(&self, id: i64) -> Result<Vec<HistoryRow>> {
        // Rows stamped alike keep the order they were written in.
        let mut stmt = self
            .conn
            .prepare("SELECT changed_at, who, change FROM goal_history WHERE goal_id = ? ORDER BY changed_at, rowid")
            .doing("reading a goal's history")?;
        let mut rows = stmt.query([id]).doing("reading a goal's history")?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing("reading a goal's history")? {
            out.push(HistoryRow {
                at: ts_read(r.get_ref(0).doing("reading a goal's history")?)?,
                who: r.get(1).doing("reading a goal's history")?,
                change: r.get(2).doing("reading a goal's history")?,
            });
        }
        Ok(out)
    }

    fn agent_team(&self, agent: &str) -> Result<Option<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT max(team) FROM agents WHERE name = ?")
            .doing("reading an agent's team")?;
        let mut rows = stmt.query([agent]).doing("reading an agent's team")?;
        Ok(match rows.next().doing("reading an agent's team")? {
            Some(r) => r.get(0).doing("reading an agent's team")?,
            None => None,
        })
    }

    fn set_goal_status(
        &mut self,
        id: i64,
        status: &str,
        event: &GoalEvent,
        who: &str,
        at: Timestamp,
    ) -> Result<()> {
        let tx = self.write(crate::write::Reach::Small, "updating a goal")?;
        tx.execute(
            "UPDATE goals SET status = ? WHERE id = ?",
            params![status, id],
        )
        .doing("updating a goal")?;
        Store::note(&tx, id, who, at, event)?;
        tx.commit()
    }

    fn commit_goal(&mut self, id: i64, on: Date, who: &str, at: Timestamp) -> Result<()> {
        let tx = self.write(crate::write::Reach::Small, "committing to a goal")?;
        tx.execute(
            "UPDATE goals SET committed_on = CAST(? AS DATE) WHERE id = ?",
            params![on.to_string(), id],
        )
        .doing("committing to a goal")?;
        Store::note(&tx, id, who, at, &GoalEvent::Committed { on })?;
        tx.commit()
    }

    fn add_checkin(&mut self, id: i64, c: &CheckIn, who: &str, at: Timestamp) -> Result<()> {
        let tx = self.write(crate::write::Reach::Small, "saving a check-in")?;
        tx.execute(
            "INSERT INTO goal_checkins (goal_id, checked_on, comment, confidence) VALUES (?, CAST(? AS DATE), ?, ?)",
            params![id, c.on.to_string(), c.comment, c.confidence],
        )
        .doing("saving a check-in")?;
        let event = GoalEvent::CheckedIn {
            on: c.on,
            comment: c.comment.clone(),
        };
        Store::note(&tx, id, who, at, &event)?;
        tx.commit()
    }

    fn checkins(&self, id: i64) -> Result<Vec<CheckIn>> {
        let mut stmt = self
            .conn
            .prepare("SELECT checked_on, comment, confidence FROM goal_checkins WHERE goal_id = ? ORDER BY checked_on")
            .doing("reading check-ins")?;
        let mut rows = stmt.query([id]).doing("reading check-ins")?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing("reading check-ins")? {
            out.push(CheckIn {
                on: date(r.get_ref(0).doing("reading check-ins")?)?,
                comment: r.get(1).doing("reading check-ins")?,
                confidence: r.get(2).doing("reading check-ins")?,
            });
        }
        Ok(out)
    }

    fn add_review(
        &mut self,
        id: i64,
        r: &ReviewRow,
        status: Option<&str>,
        who: &str,
        at: Timestamp,
    ) -> Result<()> {
        let tx = self.write(crate::write::Reach::Small, "saving a review")?;
        tx.execute(
            "INSERT INTO goal_reviews (goal_id, reviewed_on, decision, notes, blocked_by, new_practice)
             VALUES (?, CAST(? AS DATE), ?, ?, ?, ?)",
            params![id, r.on.to_string(), r.decision, r.notes, r.blocked_by, r.new_practice],
        )
        .doing("saving a review")?;
        if let Some(s) = status {
            tx.execute("UPDATE goals SET status = ? WHERE id = ?", params![s, id])
                .doing("saving a review")?;
        }
        let event = match Decision::parse(&r.decision) {
            Ok(decision) => GoalEvent::Reviewed {
                on: r.on,
                decision,
                notes: r.notes.clone(),
            },
            Err(_) => GoalEvent::Note {
                text: format!("review on {}: {} ({})", r.on, r.decision, r.notes),
            },
        };
        Store::note(&tx, id, who, at, &event)?;
        tx.commit()
    }

    fn reviews(&self, id: i64) -> Result<Vec<ReviewRow>> {
        let mut stmt = self
            .conn
            .prepare("SELECT reviewed_on, decision, notes, blocked_by, new_practice FROM goal_reviews WHERE goal_id = ? ORDER BY reviewed_on")
            .doing("reading reviews")?;
        let mut rows = stmt.query([id]).doing("reading reviews")?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing("reading reviews")? {
            out.push(ReviewRow {
                on: date(r.get_ref(0).doing("reading reviews")?)?,
                decision: r.get(1).doing("reading reviews")?,
                notes: r.get(2).doing("reading reviews")?,
                blocked_by: r.get(3).doing("reading reviews")?,
                new_practice: r.get(4).doing("reading reviews")?,
            });
        }
        Ok(out)
    }
}

impl Store {
    /// Goals matching a constant condition of this module, by id.
    fn select_goals(&self, filter: &str, params: &[&dyn duckdb::ToSql]) -> Result<Vec<GoalRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {COLUMNS} FROM goals WHERE {filter} ORDER BY id"
            ))
            .doing("reading goals")?;
        let mut rows = stmt.query(params).doing("reading goals")?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().doing("reading goals")? {
            out.push(read(r)?);
        }
        Ok(out)
    }

    /// Records something that happened to a goal, at `at`.
    fn note(
        tx: &duckdb::Connection,
        id: i64,
        who: &str,
        at: Timestamp,
        event: &GoalEvent,
    ) -> Result<()> {
        tx.execute(
            "INSERT INTO goal_history (goal_id, changed_at, who, change) VALUES (?, ?, ?, ?)",
            params![id, ts_value(at), who, event.line()],
        )
        .doing("recording a goal's history")?;
        Ok(())
    }
}
