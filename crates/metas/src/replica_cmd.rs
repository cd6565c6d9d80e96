//! PostgreSQL as the shared system of record (issue 17): `metas migrate`,
//! `metas replica rebuild|catch-up`, and the read model an import through
//! PostgreSQL is made in.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use metas_store::pg::{self, PgDatabase, ReplicatedImport};
use metas_store::Store;

use crate::{usage, Failure};

/// Where the shared PostgreSQL is (`METAS_DATABASE`).
#[derive(Args, Debug, Clone)]
pub(crate) struct DatabaseArg {
    /// The shared PostgreSQL (postgres://user@host:port/db); without it,
    /// the local DuckDB file of --db.
    #[arg(long, env = "METAS_DATABASE", value_name = "URL")]
    pub(crate) database: Option<String>,
}

#[derive(Args, Debug)]
pub(crate) struct MigrateArgs {
    #[command(flatten)]
    db: DatabaseArg,
}

#[derive(Subcommand, Debug)]
pub(crate) enum ReplicaCommand {
    /// Build a read model from nothing: every replicated row of the shared PostgreSQL.
    Rebuild(ReplicaArgs),
    /// Bring a read model up to the last change committed in the shared PostgreSQL.
    CatchUp(ReplicaArgs),
}

#[derive(Args, Debug)]
pub(crate) struct ReplicaArgs {
    #[command(flatten)]
    db: DatabaseArg,
    /// The read model: a local DuckDB file.
    #[arg(long, value_name = "FILE")]
    replica: PathBuf,
}

fn connect(db: &DatabaseArg) -> Result<PgDatabase, Failure> {
    match &db.database {
        Some(url) => Ok(PgDatabase::connect(url)?),
        None => Err(usage(
            "name the shared PostgreSQL with --database postgres://… (or METAS_DATABASE)".into(),
        )),
    }
}

/// `metas migrate`: brings the schema of the shared PostgreSQL (or of the
/// local file) up to date and says what it did.
pub(crate) fn migrate(a: MigrateArgs, s: &crate::Settings) -> Result<u8, Failure> {
    let Some(_) = &a.db.database else {
        let store = crate::open_store(s)?;
        use metas_store::prelude::*;
        outln!(
            "{}: schema version {} (up to date)",
            s.db.display(),
            store.schema_version()?
        );
        return Ok(0);
    };
    let mut pg = connect(&a.db)?;
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

pub(crate) fn replica(c: ReplicaCommand) -> Result<u8, Failure> {
    match c {
        ReplicaCommand::Rebuild(a) => {
            let mut pg = connect(&a.db)?;
            let t = std::time::Instant::now();
            let (_, c) = pg::rebuild(&mut pg, &a.replica)?;
            outln!(
                "{}: rebuilt from {} at change {}: {} rows ({:.2} s)",
                a.replica.display(),
                pg.name(),
                c.to,
                c.rows,
                t.elapsed().as_secs_f64()
            );
        }
        ReplicaCommand::CatchUp(a) => {
            let mut pg = connect(&a.db)?;
            pg.check_schema()?;
            let mut store = Store::open(&a.replica)?;
            let t = std::time::Instant::now();
            let c = pg::catch_up(&mut pg, &mut store)?;
            outln!(
                "{}: caught up from change {} to {}: {} rows, {} deleted ({:.2} s)",
                a.replica.display(),
                c.from,
                c.to,
                c.rows,
                c.tombstones,
                t.elapsed().as_secs_f64()
            );
        }
    }
    Ok(0)
}

/// The read model an import through PostgreSQL is made in: `replica`,
/// with its imports shipped to the database before they commit.
pub(crate) fn replicated_store(
    db: &DatabaseArg,
    replica: Option<&PathBuf>,
) -> Result<Store, Failure> {
    let Some(replica) = replica else {
        return Err(usage(
            "an import into PostgreSQL is made in a local read model: name it with --replica FILE"
                .into(),
        ));
    };
    let pg = connect(db)?;
    let mut store = Store::open(replica)
        .with_context(|| format!("opening the read model {}", replica.display()))?;
    store.replicate_imports(ReplicatedImport::new(pg)?);
    Ok(store)
}
