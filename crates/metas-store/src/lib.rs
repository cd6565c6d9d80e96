//! metas-store: the one place that speaks SQL.
//!
//! Everything that reads or writes the database goes through [`Store`]. The SQL
//! here is written in the dialect DuckDB and PostgreSQL share (no `QUALIFY`,
//! no DuckDB-only functions in queries), so a PostgreSQL backend can follow
//! behind the same API. SQL text is built only from constant column names in
//! this crate; every value a user gave is bound as a parameter or appended as
//! data.

mod batch;
pub mod bench_sql;
mod columns;
mod config;
mod derive;
mod goals;
mod import;
mod kpi;
mod read;
mod schema;
mod sessions;
mod stats;
mod users;

use std::path::{Path, PathBuf};

pub use config::ALWAYS_OPEN;
pub use derive::BusinessClock;
pub use goals::{CheckIn, GoalRow, ReviewRow};
pub use import::{ImportCounts, ImportTx, RubricCriterion, RubricDef, StagedRows};
pub use kpi::{drill_columns, DimValue, DrillQuery, KpiQuery, KpiRow, Measured, DRILL_DERIVED};
pub use sessions::{ImportJobRow, SessionRow};
pub use stats::{SourceStats, Stats, TableCount};
pub use users::{TokenRow, UserRow};

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
    #[error("database error: {0}")]
    Db(#[from] duckdb::Error),
    #[error("database error while {doing}: {source}")]
    Context {
        doing: &'static str,
        #[source]
        source: duckdb::Error,
    },
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub(crate) trait Doing<T> {
    fn doing(self, what: &'static str) -> Result<T>;
}

impl<T> Doing<T> for std::result::Result<T, duckdb::Error> {
    fn doing(self, what: &'static str) -> Result<T> {
        self.map_err(|source| StoreError::Context {
            doing: what,
            source,
        })
    }
}

/// An open metas database.
pub struct Store {
    conn: duckdb::Connection,
    path: Option<PathBuf>,
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
        };
        store.migrate()?;
        Ok(store)
    }

    /// A fresh database in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Store> {
        let conn = duckdb::Connection::open_in_memory_with_flags(offline_config()?)
            .doing("opening a database in memory")?;
        offline(&conn)?;
        let store = Store { conn, path: None };
        store.migrate()?;
        Ok(store)
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Changes whenever anything a KPI reads may have changed (an import, a
    /// setting, a calendar), so computed figures can be kept until then.
    pub fn data_version(&self) -> Result<String> {
        self.conn
            .query_row(
                "SELECT CAST((SELECT count(*) FROM imports) AS VARCHAR) || ':' ||
                        CAST((SELECT coalesce(max(id), 0) FROM imports) AS VARCHAR) || ':' ||
                        CAST((SELECT count(*) FROM interactions) AS VARCHAR) || ':' ||
                        coalesce((SELECT string_agg(key || '=' || value, ',') FROM settings), '') || ':' ||
                        coalesce((SELECT string_agg(name || '=' || definition, ',') FROM calendars), '')",
                [],
                |r| r.get(0),
            )
            .doing("reading the data version")
    }

    /// Another connection to the same database, for concurrent readers in
    /// one process (DuckDB's MVCC keeps each one consistent).
    pub fn try_clone(&self) -> Result<Store> {
        let conn = self.conn.try_clone().doing("opening another connection")?;
        offline(&conn)?;
        Ok(Store {
            conn,
            path: self.path.clone(),
        })
    }

    fn migrate(&self) -> Result<()> {
        schema::migrate(&self.conn, self.path.as_deref())
    }

    /// The schema version this database is at.
    pub fn schema_version(&self) -> Result<i64> {
        schema::current_version(&self.conn)
    }

    /// Starts one all-or-nothing import under `source`. Nothing is visible to
    /// others, or kept, until [`ImportTx::commit`].
    pub fn begin_import(&mut self, source: &str, file: &str) -> Result<ImportTx<'_>> {
        ImportTx::begin(&mut self.conn, source, file)
    }

    /// Counts of what the database holds.
    pub fn stats(&self) -> Result<Stats> {
        stats::stats(&self.conn)
    }

    /// Runs a constant read-only query to the end and returns its row count
    /// (benchmarks: the hand-written yardstick of [`bench_sql`]).
    pub fn run_constant(&self, sql: &'static str) -> Result<usize> {
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        let mut n = 0;
        while let Some(r) = rows.next()? {
            // Read every value, as the KPI engine does.
            for i in 0..r.as_ref().column_count() {
                let _ = r.get_ref(i)?;
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
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query(duckdb::params_from_iter(params.iter()))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let n = row.as_ref().column_count();
            let mut vals = Vec::with_capacity(n);
            for i in 0..n {
                vals.push(to_json(row.get_ref(i)?));
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
