//! PostgreSQL as the shared system of record (issue 17): `metas migrate`,
//! `metas replica rebuild|catch-up`, and the read model an import through
//! PostgreSQL is made in.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use metas_store::pg::{self, PgDatabase, Replication};
use metas_store::Store;

use crate::{usage, Failure};

#[derive(Args, Debug)]
pub(crate) struct MigrateArgs {}

#[derive(Subcommand, Debug)]
pub(crate) enum ReplicaCommand {
    /// Build a read model from nothing: every replicated row of the shared PostgreSQL.
    Rebuild(ReplicaArgs),
    /// Bring a read model up to the last change committed in the shared PostgreSQL.
    CatchUp(ReplicaArgs),
    /// Copy a lone instance's database file into an empty shared PostgreSQL; the file becomes its first read model.
    Seed(ReplicaArgs),
    /// Compare a read model with the shared PostgreSQL, table by table (rows and row keys); exit 1 when one differs.
    Check(ReplicaArgs),
}

#[derive(Args, Debug)]
pub(crate) struct ReplicaArgs {
    /// The read model: a local DuckDB file (default: --db).
    #[arg(long, value_name = "FILE")]
    replica: Option<PathBuf>,
}

fn connect(database: &Option<String>) -> Result<PgDatabase, Failure> {
    match database {
        Some(url) => Ok(PgDatabase::connect(url)?),
        None => Err(usage(
            "name the shared PostgreSQL with --database postgres://… (or METAS_DATABASE)".into(),
        )),
    }
}

/// `metas migrate`: brings the schema of the shared PostgreSQL (or of the
/// local file) up to date and says what it did.
pub(crate) fn migrate(_: MigrateArgs, s: &crate::Settings) -> Result<u8, Failure> {
    let Some(_) = &s.database else {
        let store = crate::open_store(s)?;
        use metas_store::prelude::*;
        outln!(
            "{}: schema version {} (up to date)",
            s.db.display(),
            store.schema_version()?
        );
        return Ok(0);
    };
    let mut pg = connect(&s.database)?;
    let m = pg.migrate()?;
    if m.applied.is_empty() {
        outln!(
            "{}: schema version {} (up to date, nothing to do)",
            pg.name(),
            m.from
        );
    } else {
        let list: Vec<String> = m.applied.iter().map(|v| v.to_string()).collect();
        outln!(
            "{}: migrated from schema version {} to {} (applied {})",
            pg.name(),
            m.from,
            pg::LATEST,
            list.join(", ")
        );
    }
    Ok(0)
}

pub(crate) fn replica(c: ReplicaCommand, s: &crate::Settings) -> Result<u8, Failure> {
    match c {
        ReplicaCommand::Rebuild(a) => {
            let replica = a.replica.as_ref().unwrap_or(&s.db);
            let mut pg = connect(&s.database)?;
            let t = std::time::Instant::now();
            let (_, c) = pg::rebuild(&mut pg, replica)?;
            outln!(
                "{}: rebuilt from {} at change {}: {} rows ({:.2} s)",
                replica.display(),
                pg.name(),
                c.to,
                c.rows,
                t.elapsed().as_secs_f64()
            );
        }
        ReplicaCommand::CatchUp(a) => {
            let replica = a.replica.as_ref().unwrap_or(&s.db);
            let mut pg = connect(&s.database)?;
            pg.check_schema()?;
            let mut store = Store::open(replica)?;
            let t = std::time::Instant::now();
            let c = pg::catch_up(&mut pg, &mut store)?;
            outln!(
                "{}: caught up from change {} to {}: {} rows, {} deleted ({:.2} s)",
                replica.display(),
                c.from,
                c.to,
                c.rows,
                c.tombstones,
                t.elapsed().as_secs_f64()
            );
        }
        ReplicaCommand::Seed(a) => {
            let file = a.replica.as_ref().unwrap_or(&s.db);
            if !file.exists() {
                return Err(usage(format!("{} does not exist", file.display())));
            }
            let pg = connect(&s.database)?;
            let name = pg.name().to_string();
            let mut store = Store::open(file)?;
            store.replicate_to(Replication::seeding(pg)?);
            let t = std::time::Instant::now();
            let change = store.seed_shared()?;
            outln!(
                "{}: copied into {name} as change {change} ({:.2} s); it is now a read model of that database",
                file.display(),
                t.elapsed().as_secs_f64()
            );
        }
        ReplicaCommand::Check(a) => {
            let replica = a.replica.as_ref().unwrap_or(&s.db);
            let mut pg = connect(&s.database)?;
            pg.check_schema()?;
            let mut store = Store::open(replica)?;
            let (at, mismatches) = pg::verify(&mut pg, &mut store)?;
            if mismatches.is_empty() {
                outln!(
                    "{}: every table equals {} at change {at}",
                    replica.display(),
                    pg.name()
                );
                return Ok(0);
            }
            for m in &mismatches {
                errln!(
                    "{}: {} rows (key sum {}) here, {} rows (key sum {}) in the shared database",
                    m.table,
                    m.read_model.0,
                    m.read_model.1,
                    m.shared.0,
                    m.shared.1
                );
            }
            outln!(
                "{}: {} tables differ from {} at change {at}; rebuild it (`metas replica rebuild`)",
                replica.display(),
                mismatches.len(),
                pg.name()
            );
            return Ok(1);
        }
    }
    Ok(0)
}

/// The read model `path` of the shared PostgreSQL at `url`, caught up,
/// with its writes (and those of the connections cloned from it) shipped
/// to PostgreSQL before they commit.
pub(crate) fn read_model(url: &str, path: &std::path::Path) -> Result<Store, Failure> {
    let pg = PgDatabase::connect(url)?;
    let mut store =
        Store::open(path).with_context(|| format!("opening the read model {}", path.display()))?;
    store.replicate_to(Replication::new(pg)?);
    store
        .catch_up()
        .with_context(|| format!("catching up the read model {}", path.display()))?;
    Ok(store)
}
