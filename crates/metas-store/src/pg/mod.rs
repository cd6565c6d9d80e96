//! PostgreSQL, the shared system of record (SPEC §9, issue 17).
//!
//! When several instances share one database, PostgreSQL holds the truth
//! and each instance answers KPI questions from a local DuckDB read model
//! with the same SQL as a lone instance. This module is the seam:
//! [`PgDatabase`] (connection and frozen migrations, `migrations-pg/`),
//! [`catch_up`] and [`rebuild`] (the read model pulled from PostgreSQL), and
//! [`Replication`] (every write, an import or a goal or a login, made in the
//! read model's DuckDB transaction and shipped to PostgreSQL before it
//! commits; see `crate::write`).
//!
//! Replication, in short: every write to a replicated table takes the next
//! change number under a transaction-level advisory lock, stamps its rows
//! with it, and records a tombstone for each row it removed. A replicated
//! row is known by its row key, the DuckDB `hash` of all its values (so the
//! import's own merge needs no change: the rows it changed are the keys
//! that differ before and after it). A read model keeps the last change it
//! applied (its watermark) in the same DuckDB transaction as the rows.
//!
//! The sync `postgres` client runs its own runtime: call this from a plain
//! or blocking thread, never from inside a tokio runtime thread.

mod cell;
mod replica;

pub use replica::{abandoned_catch_up, catch_up, rebuild, verify, CatchUp, Mismatch, Replication};

use crate::{Result, StoreError};

/// Frozen migrations of the PostgreSQL schema: migration `n` brings it from
/// version `n - 1` to `n`. Never edit one; add a new file.
const MIGRATIONS: &[&str] = &[
    include_str!("../../migrations-pg/0001_system_of_record.sql"),
    include_str!("../../migrations-pg/0002_every_table_replicated.sql"),
];

/// The newest PostgreSQL schema version this build knows.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// The key of metas's transaction-level advisory lock: every write that
/// takes a change number, and every migration, holds it until it commits
/// ("metas" in ASCII).
pub(crate) const LOCK_KEY: i64 = 0x006d_6574_6173;

/// The tables each instance's read model replicates: every table of the
/// schema (the records KPI queries read, and what the use cases write:
/// goals, users, sessions, settings, coaching, profiles…). Their PostgreSQL
/// copies have two more columns at the end, `change_no` and `row_key`.
pub(crate) const REPLICATED: &[&str] = &[
    "imports",
    "teams",
    "agents",
    "customers",
    "interactions",
    "survey_answers",
    "events",
    "qa_rubrics",
    "qa_criteria",
    "qa_rubric_versions",
    "qa_reviews",
    "qa_ratings",
    "deleted_interactions",
    "sla_stages",
    "sla_policies",
    "settings",
    "calendars",
    "mission",
    "goals",
    "goal_history",
    "goal_checkins",
    "goal_reviews",
    "users",
    "api_tokens",
    "sessions",
    "login_failures",
    "import_jobs",
    "coaching_plans",
    "coaching_plan_examples",
    "coaching_sessions",
    "profiles",
    "profile_versions",
    "candidates",
    "assessments",
    "assessment_ratings",
    "candidate_notes",
    "indicator_definitions",
];

/// The sync client, closed on a thread of its own: closing runs the
/// client's own runtime, which cannot run on a thread of another (a server
/// drops its connections on its async threads when it stops).
pub(crate) struct Client(Option<postgres::Client>);

impl std::ops::Deref for Client {
    type Target = postgres::Client;

    fn deref(&self) -> &postgres::Client {
        self.0
            .as_ref()
            .expect("a client is taken only when dropped")
    }
}

impl std::ops::DerefMut for Client {
    fn deref_mut(&mut self) -> &mut postgres::Client {
        self.0
            .as_mut()
            .expect("a client is taken only when dropped")
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        if let Some(client) = self.0.take() {
            let closing = std::thread::Builder::new()
                .name("metas-pg-close".into())
                .spawn(move || drop(client));
            if let Err(e) = closing {
                tracing::warn!(error = %e, "closing a PostgreSQL connection");
            }
        }
    }
}

/// A connection to the shared PostgreSQL.
pub struct PgDatabase {
    pub(crate) client: Client,
    /// As given, to open another connection ([`PgDatabase::another`]).
    url: String,
    /// The URL without its password, for messages.
    name: String,
}

pub(crate) trait PgDoing<T> {
    fn pg_doing(self, what: &'static str) -> Result<T>;
}

/// PostgreSQL's own message, without the driver's type.
pub(crate) fn pg_message(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => db.message().to_string(),
        // The driver's own words ("error connecting to server") say what it
        // was doing; its cause (connection refused) says why.
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

impl<T> PgDoing<T> for std::result::Result<T, postgres::Error> {
    fn pg_doing(self, what: &'static str) -> Result<T> {
        self.map_err(|e| StoreError::Database {
            doing: what,
            message: pg_message(&e),
        })
    }
}

/// `postgres://user:secret@host/db` without the secret.
fn without_password(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}@{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at + 1..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// What [`PgDatabase::migrate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migrated {
    /// The version found before.
    pub from: i64,
    /// The versions applied, in order (none when it was up to date).
    pub applied: Vec<i64>,
}

impl PgDatabase {
    /// Connects to `url` (`postgres://user@host:port/db`). The schema is not
    /// checked here: [`PgDatabase::migrate`] brings it up to date and
    /// [`PgDatabase::check_schema`] refuses one this build cannot use.
    pub fn connect(url: &str) -> Result<PgDatabase> {
        let name = without_password(url);
        let client =
            postgres::Client::connect(url, postgres::NoTls).map_err(|e| StoreError::Open {
                path: name.clone().into(),
                reason: pg_message(&e),
            })?;
        Ok(PgDatabase {
            client: Client(Some(client)),
            name,
            url: url.to_string(),
        })
    }

    /// Another connection to the same database.
    pub fn another(&self) -> Result<PgDatabase> {
        PgDatabase::connect(&self.url)
    }

    /// The URL, without its password.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The schema version, 0 for an empty database.
    pub fn schema_version(&mut self) -> Result<i64> {
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])
            .pg_doing("reading the schema version")?
            .get(0);
        if !exists {
            return Ok(0);
        }
        Ok(self
            .client
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )
            .pg_doing("reading the schema version")?
            .get(0))
    }

    fn too_new(&self, found: i64) -> StoreError {
        StoreError::TooNew {
            path: self.name.clone().into(),
            found,
            known: LATEST,
        }
    }

    /// Applies the migrations the database does not have yet, each in one
    /// transaction under the advisory lock (two instances starting together
    /// apply each once). A database at a newer schema is refused.
    pub fn migrate(&mut self) -> Result<Migrated> {
        let from = self.schema_version()?;
        if from > LATEST {
            return Err(self.too_new(from));
        }
        let mut applied = Vec::new();
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let version = i as i64 + 1;
            let mut tx = self.client.transaction().pg_doing("starting a migration")?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
                .pg_doing("waiting for other writers")?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL, applied_at TIMESTAMP NOT NULL)",
            )
            .pg_doing("recording a migration")?;
            let found: i64 = tx
                .query_one(
                    "SELECT coalesce(max(version), 0) FROM schema_migrations",
                    &[],
                )
                .pg_doing("reading the schema version")?
                .get(0);
            if found >= version {
                // Another process applied it meanwhile.
                continue;
            }
            tx.batch_execute(sql).pg_doing("migrating the schema")?;
            tx.execute(
                "INSERT INTO schema_migrations VALUES ($1, localtimestamp)",
                &[&version],
            )
            .pg_doing("recording a migration")?;
            tx.commit().pg_doing("committing a migration")?;
            tracing::info!(version, "PostgreSQL schema migrated");
            applied.push(version);
        }
        Ok(Migrated { from, applied })
    }

    /// Refuses a database this build cannot use: one at a newer schema, or
    /// one not migrated yet (`metas migrate --database …` brings it up).
    pub fn check_schema(&mut self) -> Result<()> {
        let found = self.schema_version()?;
        if found > LATEST {
            return Err(self.too_new(found));
        }
        if found < LATEST {
            return Err(StoreError::Query(format!(
                "the database {} is at schema version {found} and this metas needs {LATEST}; run `metas migrate --database …` first",
                self.name
            )));
        }
        Ok(())
    }

    /// The last change number committed.
    pub fn head(&mut self) -> Result<i64> {
        replica::head(&mut self.client)
    }

    /// Drops the database `name` on this server if it is there and creates
    /// it empty (benchmarks make their own). `name` is a constant of the
    /// caller's.
    pub fn recreate_database(&mut self, name: &'static str) -> Result<()> {
        assert!(
            name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "a database name of metas's own"
        );
        // Two statements: one string would run them as one transaction,
        // which neither may run in.
        self.client
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .pg_doing("making a database")?;
        self.client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .pg_doing("making a database")
    }

    /// Runs a constant query returning one BIGINT (tests and benchmarks:
    /// counts and sums read from PostgreSQL directly).
    pub fn query_i64(&mut self, sql: &'static str) -> Result<Option<i64>> {
        Ok(self
            .client
            .query_one(sql, &[])
            .pg_doing("running a query")?
            .get(0))
    }

    /// Listens for committed changes ([`PgDatabase::wait_for_change`]).
    pub fn listen(&mut self) -> Result<()> {
        self.client
            .batch_execute("LISTEN metas_changes")
            .pg_doing("listening for changes")
    }

    /// Waits up to `timeout` for a change notification (after
    /// [`PgDatabase::listen`]); returns the change number it named, if one came.
    pub fn wait_for_change(&mut self, timeout: std::time::Duration) -> Result<Option<i64>> {
        use postgres::fallible_iterator::FallibleIterator;
        let mut notes = self.client.notifications();
        let mut it = notes.timeout_iter(timeout);
        match it.next().pg_doing("waiting for a change")? {
            Some(n) => Ok(n.payload().parse().ok()),
            None => Ok(None),
        }
    }
}
