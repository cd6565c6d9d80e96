//! metas-store: the one place that speaks SQL.
//!
//! Callers reach the database through the traits of [`storage`] (one per
//! area, together [`Storage`]; `use metas_store::prelude::*` brings them in),
//! which name no DuckDB type: [`Store`] is the DuckDB implementation and the
//! only type a caller names to open a database. The SQL here is written in
//! the dialect DuckDB and PostgreSQL share (no `QUALIFY`, no DuckDB-only
//! functions in queries), so a PostgreSQL backend can follow behind the same
//! traits. SQL text is built only from constant column names in this crate;
//! every value a user gave is bound as a parameter or appended as data.

mod batch;
pub mod bench_sql;
mod coaching;
mod columns;
mod config;
mod derive;
mod goals;
mod import;
mod indicators;
mod kpi;
pub mod pg;
mod profiles;
mod qa;
mod read;
mod schema;
mod scorecard;
mod sessions;
mod sla;
mod staffing;
mod stats;
pub mod storage;
mod users;
mod write;

use std::path::{Path, PathBuf};

pub use coaching::{CoachingSessionRow, CriterionScale, PlanRow, QaEvidence};
pub use config::ALWAYS_OPEN;
pub use derive::BusinessClock;
pub use goals::{CheckIn, GoalRow, HistoryRow, ReviewRow};
pub use import::{ImportCounts, StagedRows};
pub use indicators::IndicatorRow;
pub use kpi::{
    drill_columns, DataPresence, DimValue, DrillQuery, KpiQuery, KpiRow, Measured, DRILL_DERIVED,
};
// The rubric an import defines is a domain type; re-exported where the store's callers look for it.
pub use metas_domain::{RubricCriterion, RubricDef};
pub use profiles::{
    AssessmentRow, CandidateRow, NewCandidate, NewProfileVersion, NoteRow, ProfileRow,
    ProfileVersionRow, RatingRow, SavedProfile,
};
pub use qa::{
    draw_key, week_start, CriterionRow, NewQaReview, QaRatingRow, QaReviewFilter, QaReviewRow,
    QueueQuery, QueueReason, QueueRow, ReviewableInteraction, RubricRow, RubricVersionRow,
    SavedRubric, QA_SOURCE,
};
pub use scorecard::{
    AgentActivity, CriterionMonth, EvidenceRow, FocusRatingRow, Reviewed, CRITERIA_JOIN,
};
pub use sessions::{ImportJobRow, SessionRow};
pub use sla::{JudgeCounts, PolicyRow, StageFilter, StageRow};
pub use staffing::ArrivalQuery;
pub use stats::{SourceStats, Stats, TableCount};
pub use storage::{
    ConfigStore, GoalStore, ImportSink, ImportStore, KpiStore, QaStore, SessionStore, Storage,
    UserStore,
};
pub use users::{TokenRow, UserRow};

/// The storage traits, for callers: `use metas_store::prelude::*;`.
pub mod prelude {
    pub use crate::storage::{
        CoachingStore, ConfigStore, GoalStore, ImportSink, ImportStore, IndicatorStore, KpiStore,
        ProfileStore, QaStore, ScorecardStore, SessionStore, SlaStore, Storage, UserStore,
    };
}

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database {path} is in use by another metas process{holder}; stop it (for example `metas serve`) or use another --db")]
    Locked { path: PathBuf, holder: String },
    #[error("cannot open the database {path}: {reason}")]
    Open { path: PathBuf, reason: String },
    #[error("the database {path} was written by a newer metas (schema version {found}, this metas knows up to {known}); upgrade metas")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("the database holds something this metas cannot read: {0}")]
    Corrupt(String),
    /// A query metas cannot answer as asked (a field a KPI does not have).
    #[error("{0}")]
    Query(String),
    /// Writing rows out failed (the reader of a pipe may have gone away).
    #[error("writing the output: {0}")]
    Output(#[source] std::io::Error),
    /// The database failed a statement: what metas was doing, and the
    /// database's own message.
    #[error("database error while {doing}: {message}")]
    Database {
        doing: &'static str,
        message: String,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub(crate) trait Doing<T> {
    fn doing(self, what: &'static str) -> Result<T>;
}

impl<T> Doing<T> for std::result::Result<T, duckdb::Error> {
    fn doing(self, what: &'static str) -> Result<T> {
        self.map_err(|e| StoreError::Database {
            doing: what,
            message: e.to_string(),
        })
    }
}

/// An open metas database.
pub struct Store {
    conn: duckdb::Connection,
    path: Option<PathBuf>,
    /// Shared by every connection of this process to the database
    /// ([`Store::try_clone`]): work holds it shared ([`Gate::shared`]), a
    /// backup alone.
    gate: Gate,
    /// Set when this database is a read model whose writes go to
    /// PostgreSQL ([`Store::replicate_to`]).
    replication: Option<Box<dyn write::WriteHook>>,
}

/// What makes a backup one consistent moment when several connections of
/// one process write (a server's requests, the commands it carries out for
/// other processes): each holds the gate shared while it works, and
/// [`Store::backup_to`] holds it alone while it checkpoints and copies, so
/// it waits for the work in progress and new work waits for it.
///
/// On a read model it also lets one connection at a time write or catch up
/// ([`Gate::one_writer`]).
#[derive(Clone, Default)]
pub struct Gate {
    work: std::sync::Arc<std::sync::RwLock<()>>,
    writer: std::sync::Arc<std::sync::Mutex<()>>,
}

impl Gate {
    /// Held while one piece of work uses a connection.
    pub fn shared(&self) -> std::sync::RwLockReadGuard<'_, ()> {
        // A panic elsewhere leaves nothing half-done here: the locks guard no data.
        self.work.read().unwrap_or_else(|p| p.into_inner())
    }

    fn alone(&self) -> std::sync::RwLockWriteGuard<'_, ()> {
        self.work.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Held by a write or a catch-up of a read model: two connections
    /// applying the same changes from PostgreSQL would apply them twice.
    pub(crate) fn one_writer(&self) -> std::sync::MutexGuard<'_, ()> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store {
    /// Opens (creating if needed) the database file at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() && !parent.exists() {
                return Err(StoreError::Open {
                    path: path.to_path_buf(),
                    reason: format!("the folder {} does not exist", parent.display()),
                });
            }
        }
        let conn = duckdb::Connection::open_with_flags(path, offline_config()?)
            .map_err(|e| open_error(path, e))?;
        offline(&conn)?;
        let store = Store {
            conn,
            path: Some(path.to_path_buf()),
            gate: Gate::default(),
            replication: None,
        };
        store.migrate()?;
        Ok(store)
    }

    /// A fresh database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        let conn = duckdb::Connection::open_in_memory_with_flags(offline_config()?)
            .doing("opening a database in memory")?;
        offline(&conn)?;
        let store = Store {
            conn,
            path: None,
            gate: Gate::default(),
            replication: None,
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Writes everything this database holds into the file `dest` (which
    /// must not exist): a checkpoint moves the write-ahead log into the
    /// database file, which is then copied. It holds the [`Gate`] alone
    /// meanwhile, so no work of another connection of this process that
    /// holds it shared falls inside the copy: the copy is one consistent
    /// moment. Returns the bytes written.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        let Some(src) = self.path.as_deref() else {
            return Err(StoreError::Query(
                "a database in memory has no file to back up".into(),
            ));
        };
        let _alone = self.gate.alone();
        self.conn
            .execute_batch("CHECKPOINT")
            .doing("writing the log into the database file before a backup")?;
        let mut from = std::fs::File::open(src).map_err(StoreError::Output)?;
        let mut to = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dest)
            .map_err(StoreError::Output)?;
        let n = std::io::copy(&mut from, &mut to).map_err(StoreError::Output)?;
        to.sync_all().map_err(StoreError::Output)?;
        Ok(n)
    }

    /// Another connection to the same database, for concurrent readers in
    /// one process (DuckDB's MVCC keeps each one consistent).
    pub fn try_clone(&self) -> Result<Store> {
        let conn = self.conn.try_clone().doing("opening another connection")?;
        offline(&conn)?;
        let replication = match &self.replication {
            Some(hook) => Some(hook.another()?),
            None => None,
        };
        Ok(Store {
            conn,
            path: self.path.clone(),
            gate: self.gate.clone(),
            replication,
        })
    }

    /// One statement written on its own ([`Store::write`] of [`write::Reach::Small`]);
    /// returns the rows it changed.
    pub(crate) fn write_one(
        &mut self,
        doing: &'static str,
        sql: &str,
        params: impl duckdb::Params,
    ) -> Result<usize> {
        let tx = self.write(write::Reach::Small, doing)?;
        let n = tx.execute(sql, params).doing(doing)?;
        tx.commit()?;
        Ok(n)
    }

    /// Starts a write transaction ([`write::WriteTx`]).
    pub(crate) fn write(
        &mut self,
        reach: write::Reach,
        doing: &'static str,
    ) -> Result<write::WriteTx<'_>> {
        write::WriteTx::begin(
            &self.conn,
            self.replication.as_deref_mut(),
            &self.gate,
            reach,
            doing,
        )
    }

    /// The gate this connection shares with the process's other connections
    /// to the database (see [`Gate`]).
    pub fn gate(&self) -> Gate {
        self.gate.clone()
    }

    /// Makes this database a read model whose writes are shipped to
    /// PostgreSQL before they commit (see [`pg::Replication`]); so are those
    /// of the connections [`Store::try_clone`] opens from it.
    pub fn replicate_to(&mut self, to: pg::Replication) {
        self.replication = Some(Box::new(to));
    }

    /// Copies everything this database holds into an empty shared
    /// PostgreSQL, as its first change, and makes this file its read model
    /// (the replication must come from [`pg::Replication::seeding`]).
    /// Returns the change number.
    pub fn seed_shared(&mut self) -> Result<i64> {
        let tx = self.write(write::Reach::All, "copying the database to PostgreSQL")?;
        tx.commit()?;
        self.replicated_change()
            .ok_or_else(|| StoreError::Query("the database holds nothing to copy".into()))
    }

    /// Whether this is a read model whose writes go to PostgreSQL.
    pub fn is_replicated(&self) -> bool {
        self.replication.is_some()
    }

    /// The change number of the last write shipped to PostgreSQL.
    pub fn replicated_change(&self) -> Option<i64> {
        self.replication.as_ref().and_then(|r| r.last_change())
    }

    /// The last change of PostgreSQL this read model is known to hold, as
    /// this connection last saw it (0 for a database of its own).
    pub fn seen_change(&self) -> i64 {
        self.replication.as_ref().map_or(0, |r| r.seen())
    }

    /// Brings a read model up to the last change committed in PostgreSQL;
    /// `None` for a database of its own.
    pub fn catch_up(&mut self) -> Result<Option<pg::CatchUp>> {
        let Some(hook) = self.replication.as_deref_mut() else {
            return Ok(None);
        };
        let _one = self.gate.one_writer();
        hook.catch_up(&self.conn).map(Some)
    }

    /// How far this read model has replicated PostgreSQL (0 for a database
    /// of its own).
    pub fn watermark(&self) -> Result<i64> {
        write::watermark(&self.conn)
    }

    fn migrate(&self) -> Result<()> {
        schema::migrate(&self.conn, self.path.as_deref())
    }

    /// Runs a constant read-only query to the end and returns its row count
    /// (benchmarks: the hand-written yardstick of [`bench_sql`]).
    pub fn run_constant(&self, sql: &'static str) -> Result<usize> {
        let mut stmt = self.conn.prepare(sql).doing("running a query")?;
        let mut rows = stmt.query([]).doing("running a query")?;
        let mut n = 0;
        while let Some(r) = rows.next().doing("running a query")? {
            // Read every value, as the KPI engine does.
            for i in 0..r.as_ref().column_count() {
                let _ = r.get_ref(i).doing("running a query")?;
            }
            n += 1;
        }
        Ok(n)
    }

    /// Runs a read-only query and returns its rows as JSON values. For tests
    /// and diagnostics; the SQL must be a constant of the caller.
    pub fn query_json(
        &self,
        sql: &'static str,
        params: &[&str],
    ) -> Result<Vec<Vec<serde_json::Value>>> {
        let mut stmt = self.conn.prepare(sql).doing("running a query")?;
        let mut rows = stmt
            .query(duckdb::params_from_iter(params.iter()))
            .doing("running a query")?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().doing("running a query")? {
            let n = row.as_ref().column_count();
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(to_json(row.get_ref(i).doing("running a query")?));
            }
            out.push(vals);
        }
        Ok(out)
    }
}

/// DuckDB installs and loads the extensions a query needs from the network
/// unless told not to; metas runs offline, with what is built in.
fn offline_config() -> Result<duckdb::Config> {
    duckdb::Config::default()
        .enable_autoload_extension(false)
        .doing("configuring the database")
}

/// The same, per connection (the settings are global in DuckDB; set again
/// on every connection metas opens so no path misses them).
fn offline(conn: &duckdb::Connection) -> Result<()> {
    conn.execute_batch(
        "SET autoinstall_known_extensions = false; SET autoload_known_extensions = false;",
    )
    .doing("turning off extension downloads")
}

fn to_json(v: duckdb::types::ValueRef<'_>) -> serde_json::Value {
    use duckdb::types::ValueRef as V;
    use serde_json::Value as J;
    match v {
        V::Null => J::Null,
        V::Boolean(b) => J::Bool(b),
        V::TinyInt(i) => J::from(i),
        V::SmallInt(i) => J::from(i),
        V::Int(i) => J::from(i),
        V::BigInt(i) => J::from(i),
        V::HugeInt(i) => J::from(i as f64),
        V::UTinyInt(i) => J::from(i),
        V::USmallInt(i) => J::from(i),
        V::UInt(i) => J::from(i),
        V::UBigInt(i) => J::from(i),
        V::Float(f) => J::from(f as f64),
        V::Double(f) => J::from(f),
        V::Text(t) => J::String(String::from_utf8_lossy(t).into_owned()),
        V::Timestamp(unit, n) => {
            let micros = unit.to_micros(n);
            match jiff::Timestamp::from_microsecond(micros) {
                Ok(ts) => J::String(ts.to_string()),
                Err(_) => J::Null,
            }
        }
        other => J::String(format!("{other:?}")),
    }
}

/// DuckDB reports a held file lock as an IO error naming the holder's PID;
/// turn that into a sentence a user can act on.
fn open_error(path: &Path, e: duckdb::Error) -> StoreError {
    let text = e.to_string();
    if text.contains("Could not set lock") || text.contains("Conflicting lock") {
        let holder = text
            .split("PID ")
            .nth(1)
            .and_then(|rest| {
                let pid: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
                (!pid.is_empty()).then(|| format!(" (PID {pid})"))
            })
            .unwrap_or_default();
        return StoreError::Locked {
            path: path.to_path_buf(),
            holder,
        };
    }
    StoreError::Open {
        path: path.to_path_buf(),
        reason: text.lines().next().unwrap_or("").to_string(),
    }
}
