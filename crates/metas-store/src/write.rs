//! One write transaction of a use case, and what replication hears of it.
//!
//! Every write of the store (an import, a goal, a login, a setting…) runs
//! in a [`WriteTx`]. On a lone database it is a DuckDB transaction. On the
//! read model of a shared PostgreSQL ([`crate::pg::Replication`]) the same
//! transaction is also shipped: the hook takes PostgreSQL's write lock and
//! catches the read model up right after DuckDB's transaction begins, and
//! copies what the transaction changed to PostgreSQL (committing it there)
//! right before DuckDB commits. So the SQL of each use case is one, and
//! PostgreSQL sees each use case as one transaction.

use std::ops::Deref;

use crate::{Doing, Result, StoreError};

/// The tables a write may change: what replication compares before and
/// after it. Comparing is hashing every row, so a write that cannot touch
/// the large tables of records does not pay for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Everything but the records ([`HEAVY`]): goals, users, sessions,
    /// settings, coaching, profiles… (thousands of rows).
    Small,
    /// Every table: imports, and what recomputes derived columns or
    /// judgements over all interactions (a default calendar, a policy).
    All,
}

/// The tables that grow with the interactions (millions of rows). Only a
/// write of [`Reach::All`] may change them.
pub(crate) const HEAVY: &[&str] = &[
    "interactions",
    "survey_answers",
    "events",
    "customers",
    "sla_stages",
];

/// What a write tells the replication it is part of: called right after
/// its DuckDB transaction begins, right before it commits (an error there
/// rolls it back), and after it rolled back.
pub(crate) trait WriteHook: Send {
    fn after_begin(&mut self, conn: &duckdb::Connection, reach: Reach) -> Result<()>;
    fn before_commit(&mut self, conn: &duckdb::Connection) -> Result<()>;
    fn after_rollback(&mut self);
    /// The change number of the last write shipped.
    fn last_change(&self) -> Option<i64>;
    /// The last change number this connection's read model is known to
    /// hold (after a catch-up or a write).
    fn seen(&self) -> i64;
    /// Brings the read model up to the last change committed, in one
    /// DuckDB transaction of its own.
    fn catch_up(&mut self, conn: &duckdb::Connection) -> Result<crate::pg::CatchUp>;
    /// The same replication for another connection to the read model.
    fn another(&self) -> Result<Box<dyn WriteHook>>;
}

/// A write transaction: dereferences to the connection inside it, rolls
/// back when dropped uncommitted.
pub(crate) struct WriteTx<'c> {
    conn: &'c duckdb::Connection,
    hook: Option<&'c mut (dyn WriteHook + 'static)>,
    /// One writer per process at a time on a read model: its catch-ups and
    /// writes would otherwise apply the same changes twice.
    _one_writer: Option<std::sync::MutexGuard<'c, ()>>,
    done: bool,
    doing: &'static str,
}

impl<'c> WriteTx<'c> {
    pub(crate) fn begin(
        conn: &'c duckdb::Connection,
        hook: Option<&'c mut (dyn WriteHook + 'static)>,
        gate: &'c crate::Gate,
        reach: Reach,
        doing: &'static str,
    ) -> Result<WriteTx<'c>> {
        let one_writer = hook.as_ref().map(|_| gate.one_writer());
        conn.execute_batch("BEGIN TRANSACTION").doing(doing)?;
        // From here on, dropping the value rolls back.
        let mut this = WriteTx {
            conn,
            hook,
            _one_writer: one_writer,
            done: false,
            doing,
        };
        match this.hook.as_mut() {
            Some(hook) => hook.after_begin(conn, reach)?,
            None => refuse_read_model(conn)?,
        }
        Ok(this)
    }

    /// Commits: first to PostgreSQL when replicated, then to DuckDB.
    pub(crate) fn commit(mut self) -> Result<()> {
        if let Some(hook) = self.hook.as_mut() {
            hook.before_commit(self.conn)?;
        }
        self.conn.execute_batch("COMMIT").doing(self.doing)?;
        self.done = true;
        Ok(())
    }
}

impl Deref for WriteTx<'_> {
    type Target = duckdb::Connection;

    fn deref(&self) -> &duckdb::Connection {
        self.conn
    }
}

impl Drop for WriteTx<'_> {
    fn drop(&mut self) {
        if !self.done {
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, doing = self.doing, "rolling back");
            }
            if let Some(hook) = self.hook.as_mut() {
                hook.after_rollback();
            }
        }
    }
}

/// A read model written to alone would silently part from the shared
/// database it replicates: refused, with what to do instead.
pub(crate) fn refuse_read_model(conn: &duckdb::Connection) -> Result<()> {
    if watermark(conn)? > 0 {
        return Err(StoreError::Query(
            "this file is the read model of a shared PostgreSQL: write through that database (--database postgres://…)".into(),
        ));
    }
    Ok(())
}

/// The last change of PostgreSQL a read model holds (0 for a database of
/// its own).
pub(crate) fn watermark(conn: &duckdb::Connection) -> Result<i64> {
    conn.query_row("SELECT max(change_no) FROM replica_watermark", [], |r| {
        r.get::<_, Option<i64>>(0)
    })
    .doing("reading the read model's watermark")
    .map(|w| w.unwrap_or(0))
}
