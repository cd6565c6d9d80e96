//! The read model: a DuckDB file fed from PostgreSQL by pulling changes
//! ([`catch_up`], [`rebuild`]), and imports made in it and shipped to
//! PostgreSQL ([`ReplicatedImport`]).

use duckdb::types::Value;
use postgres::binary_copy::{BinaryCopyInWriter, BinaryCopyOutIter};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};

use super::cell::{pg_type, Cell};
use super::{PgDatabase, PgDoing, LOCK_KEY, REPLICATED};
use crate::import::ImportHook;
use crate::{Doing, Result, Store, StoreError};

/// What a catch-up applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatchUp {
    /// The read model's watermark before and after.
    pub from: i64,
    pub to: i64,
    /// Rows added and tombstones applied.
    pub rows: u64,
    pub tombstones: u64,
}

/// A replicated table as DuckDB has it: its columns in order, quoted, and
/// their PostgreSQL types.
struct Shape {
    table: &'static str,
    columns: String,
    types: Vec<Type>,
}

impl Shape {
    /// The row key: DuckDB's hash of every value of the row (63 bits, so it
    /// fits PostgreSQL's BIGINT). Two equal rows share a key, and are
    /// replaced together.
    fn key(&self) -> String {
        format!("CAST(hash({}) >> 1 AS BIGINT)", self.columns)
    }
}

fn shapes(conn: &duckdb::Connection) -> Result<Vec<Shape>> {
    let mut stmt = conn
        .prepare(
            "SELECT column_name, data_type FROM information_schema.columns
             WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        )
        .doing("reading the replicated tables")?;
    let mut out = Vec::with_capacity(REPLICATED.len());
    for &table in REPLICATED {
        let cols = stmt
            .query_map([table], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .doing("reading the replicated tables")?
            .collect::<std::result::Result<Vec<_>, _>>()
            .doing("reading the replicated tables")?;
        let columns = cols
            .iter()
            .map(|(name, _)| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let types = cols
            .iter()
            .map(|(_, ty)| pg_type(ty))
            .collect::<Result<Vec<_>>>()?;
        out.push(Shape {
            table,
            columns,
            types,
        });
    }
    Ok(out)
}

fn watermark(conn: &duckdb::Connection) -> Result<i64> {
    conn.query_row("SELECT max(change_no) FROM replica_watermark", [], |r| {
        r.get::<_, Option<i64>>(0)
    })
    .doing("reading the read model's watermark")
    .map(|w| w.unwrap_or(0))
}

fn set_watermark(conn: &duckdb::Connection, to: i64) -> Result<()> {
    conn.execute("UPDATE replica_watermark SET change_no = ?", [to])
        .doing("recording the read model's watermark")?;
    Ok(())
}

fn head(client: &mut postgres::Client) -> Result<i64> {
    Ok(client
        .query_one("SELECT change_no FROM replication_counter", &[])
        .pg_doing("reading the last change number")?
        .get(0))
}

fn ahead(from: i64, head: i64) -> StoreError {
    StoreError::Query(format!(
        "the read model is at change {from} and the database at {head}: it was built from another database; rebuild it (`metas replica rebuild`)"
    ))
}

/// Applies the changes `(from, to]` of the first `limit` replicated tables
/// to the read model, inside the caller's DuckDB transaction: for each
/// table, first every row whose key has a tombstone, then the rows.
fn apply(
    client: &mut postgres::Client,
    conn: &duckdb::Connection,
    shapes: &[Shape],
    from: i64,
    to: i64,
    limit: usize,
) -> Result<(u64, u64)> {
    let (mut rows, mut tombstones) = (0u64, 0u64);
    for shape in shapes.iter().take(limit) {
        let keys: Vec<i64> = client
            .query(
                "SELECT row_key FROM replication_tombstones
                 WHERE table_name = $1 AND change_no > $2 AND change_no <= $3",
                &[&shape.table, &from, &to],
            )
            .pg_doing("reading tombstones")?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if !keys.is_empty() {
            conn.execute_batch("CREATE OR REPLACE TEMP TABLE replica_keys (h BIGINT)")
                .doing("applying tombstones")?;
            {
                let mut app = conn
                    .appender_to_catalog_and_db("replica_keys", "temp", "main")
                    .doing("applying tombstones")?;
                for k in &keys {
                    app.append_row([*k]).doing("applying tombstones")?;
                }
                app.flush().doing("applying tombstones")?;
            }
            conn.execute_batch(&format!(
                "DELETE FROM {} WHERE {} IN (SELECT h FROM replica_keys); DROP TABLE replica_keys",
                shape.table,
                shape.key()
            ))
            .doing("applying tombstones")?;
            tombstones += keys.len() as u64;
        }
        // The numbers are this function's integers, not text from anyone.
        let copy = format!(
            "COPY (SELECT {} FROM {} WHERE change_no > {from} AND change_no <= {to}) TO STDOUT (FORMAT binary)",
            shape.columns, shape.table
        );
        let reader = client.copy_out(&copy).pg_doing("reading changed rows")?;
        let mut it = BinaryCopyOutIter::new(reader, &shape.types);
        let mut app = conn.appender(shape.table).doing("applying changed rows")?;
        let n = shape.types.len();
        let mut values: Vec<Value> = Vec::with_capacity(n);
        while let Some(row) = it.next().pg_doing("reading changed rows")? {
            values.clear();
            for i in 0..n {
                let cell: Cell = row.try_get(i).pg_doing("reading changed rows")?;
                values.push(cell.into_duckdb());
            }
            app.append_row(duckdb::appender_params_from_iter(values.iter()))
                .doing("applying changed rows")?;
            rows += 1;
        }
        app.flush().doing("applying changed rows")?;
    }
    Ok((rows, tombstones))
}

/// The sequences that number replicated rows, with the table they number:
/// after rows came from elsewhere, each is moved past the largest id, so
/// that this instance's next import numbers its rows after them.
const SEQUENCES: &[(&str, &str)] = &[
    ("interaction_id_seq", "interactions"),
    ("survey_id_seq", "survey_answers"),
    ("qa_review_id_seq", "qa_reviews"),
    ("import_id_seq", "imports"),
];

fn advance_sequences(conn: &duckdb::Connection) -> Result<()> {
    for (seq, table) in SEQUENCES {
        let max: i64 = conn
            .query_row(
                &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )
            .doing("numbering replicated rows")?;
        let next: i64 = conn
            .query_row(&format!("SELECT nextval('{seq}')"), [], |r| r.get(0))
            .doing("numbering replicated rows")?;
        if max >= next {
            conn.query_row(
                &format!("SELECT max(nextval('{seq}')) FROM range(?)"),
                [max - next + 1],
                |r| r.get::<_, Option<i64>>(0),
            )
            .doing("numbering replicated rows")?;
        }
    }
    Ok(())
}

/// Brings the read model `store` up to the last change committed in
/// PostgreSQL: every replicated row with a change number past its watermark
/// (read with binary COPY), the tombstones of what was deleted, and the new
/// watermark, all in ONE DuckDB transaction, so an instance killed midway
/// resumes where it stopped. Reads one consistent snapshot of PostgreSQL.
pub fn catch_up(pg: &mut PgDatabase, store: &mut Store) -> Result<CatchUp> {
    catch_up_tables(pg, store, usize::MAX)
}

/// A catch-up that stops after the first `tables` replicated tables and
/// rolls back, as a killed instance would (tests of resuming).
#[doc(hidden)]
pub fn abandoned_catch_up(pg: &mut PgDatabase, store: &mut Store, tables: usize) -> Result<()> {
    catch_up_tables(pg, store, tables).map(|_| ())
}

fn catch_up_tables(pg: &mut PgDatabase, store: &mut Store, limit: usize) -> Result<CatchUp> {
    let conn = &store.conn;
    let client = &mut pg.client;
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .pg_doing("reading a snapshot")?;
    let result = (|| {
        let to = head(client)?;
        let from = watermark(conn)?;
        if from > to {
            return Err(ahead(from, to));
        }
        if from == to {
            return Ok(CatchUp {
                from,
                to,
                ..CatchUp::default()
            });
        }
        let shapes = shapes(conn)?;
        conn.execute_batch("BEGIN TRANSACTION")
            .doing("starting a catch-up")?;
        let applied = (|| {
            let (rows, tombstones) = apply(client, conn, &shapes, from, to, limit)?;
            if limit < shapes.len() {
                return Err(StoreError::Query("the catch-up was stopped".into()));
            }
            advance_sequences(conn)?;
            set_watermark(conn, to)?;
            Ok(CatchUp {
                from,
                to,
                rows,
                tombstones,
            })
        })();
        match applied {
            Ok(c) => {
                conn.execute_batch("COMMIT")
                    .doing("committing a catch-up")?;
                Ok(c)
            }
            Err(e) => {
                if let Err(r) = conn.execute_batch("ROLLBACK") {
                    tracing::warn!(error = %r, "rolling back a catch-up");
                }
                Err(e)
            }
        }
    })();
    let end = client.batch_execute("COMMIT").pg_doing("ending a snapshot");
    let c = result?;
    end?;
    Ok(c)
}

/// Builds the read model at `path` from nothing: the file (and its log) is
/// removed, created anew, and caught up to the last change.
pub fn rebuild(pg: &mut PgDatabase, path: &std::path::Path) -> Result<(Store, CatchUp)> {
    pg.check_schema()?;
    let mut wal = path.as_os_str().to_owned();
    wal.push(".wal");
    for p in [path.to_path_buf(), std::path::PathBuf::from(wal)] {
        if p.exists() {
            std::fs::remove_file(&p).map_err(|e| StoreError::Open {
                path: p.clone(),
                reason: e.to_string(),
            })?;
        }
    }
    let mut store = Store::open(path)?;
    let c = catch_up(pg, &mut store)?;
    Ok((store, c))
}

/// Imports into a read model replicated to PostgreSQL. Set on a [`Store`]
/// with [`Store::replicate_imports`]: from then on every import made in it
/// (`ImportStore::begin_import` … `commit`, the existing merge unchanged)
///
/// 1. takes the advisory lock in a PostgreSQL transaction, held to the end,
///    and catches the read model up inside the import's DuckDB transaction;
/// 2. notes the row key of every replicated row;
/// 3. lets the import merge as it always does;
/// 4. before DuckDB commits: takes the next change number, deletes (and
///    tombstones) in PostgreSQL the keys the import removed, copies in the
///    rows it added or changed with binary COPY, notifies `metas_changes`,
///    and commits PostgreSQL;
/// 5. then DuckDB commits, with that change number as its watermark.
///
/// If PostgreSQL fails, DuckDB rolls back; if the process dies between the
/// two commits, the next catch-up brings the change from PostgreSQL.
pub struct ReplicatedImport {
    pg: PgDatabase,
    shapes: Vec<Shape>,
    open: bool,
    last: Option<i64>,
}

impl ReplicatedImport {
    pub fn new(mut pg: PgDatabase) -> Result<ReplicatedImport> {
        pg.check_schema()?;
        Ok(ReplicatedImport {
            pg,
            shapes: Vec::new(),
            open: false,
            last: None,
        })
    }
}

fn pre_table(table: &str) -> String {
    format!("replica_pre_{table}")
}

impl ImportHook for ReplicatedImport {
    fn after_begin(&mut self, conn: &duckdb::Connection) -> Result<()> {
        let client = &mut self.pg.client;
        client.batch_execute("BEGIN").pg_doing("starting a write")?;
        self.open = true;
        client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
            .pg_doing("waiting for other writers")?;
        let to = head(client)?;
        let from = watermark(conn)?;
        if from > to {
            return Err(ahead(from, to));
        }
        self.shapes = shapes(conn)?;
        if from < to {
            apply(client, conn, &self.shapes, from, to, usize::MAX)?;
            advance_sequences(conn)?;
            set_watermark(conn, to)?;
        }
        for shape in &self.shapes {
            conn.execute_batch(&format!(
                "CREATE OR REPLACE TEMP TABLE {} AS SELECT {} AS h FROM {}",
                pre_table(shape.table),
                shape.key(),
                shape.table
            ))
            .doing("noting the rows before an import")?;
        }
        Ok(())
    }

    fn before_commit(&mut self, conn: &duckdb::Connection) -> Result<()> {
        let client = &mut self.pg.client;
        // Taken under the advisory lock, so change numbers become visible in
        // commit order. A serial id (a sequence) is not enough: it numbers a
        // transaction when it asks, not when it commits, so number 8 can
        // commit before 7, and a reader that saw 8 and moved its watermark
        // there would never read 7.
        let change: i64 = client
            .query_one(
                "UPDATE replication_counter SET change_no = change_no + 1 RETURNING change_no",
                &[],
            )
            .pg_doing("taking a change number")?
            .get(0);
        for shape in &self.shapes {
            let started = std::time::Instant::now();
            let pre = pre_table(shape.table);
            conn.execute_batch(&format!(
                "CREATE OR REPLACE TEMP TABLE replica_diff AS
                 WITH pre AS (SELECT h, count(*) AS n FROM {pre} GROUP BY h),
                      post AS (SELECT {key} AS h, count(*) AS n FROM {table} GROUP BY h)
                 SELECT coalesce(pre.h, post.h) AS h, coalesce(pre.n, 0) AS before, coalesce(post.n, 0) AS after
                 FROM pre FULL OUTER JOIN post ON pre.h = post.h
                 WHERE pre.n IS DISTINCT FROM post.n;
                 DROP TABLE {pre}",
                key = shape.key(),
                table = shape.table,
            ))
            .doing("finding what an import changed")?;
            let (gone, changed): (i64, i64) = conn
                .query_row(
                    "SELECT count(*) FILTER (WHERE before > 0), count(*) FILTER (WHERE after > 0) FROM replica_diff",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .doing("finding what an import changed")?;
            if gone > 0 {
                let mut stmt = conn
                    .prepare("SELECT h FROM replica_diff WHERE before > 0")
                    .doing("finding what an import changed")?;
                let keys = stmt
                    .query_map([], |r| r.get::<_, i64>(0))
                    .doing("finding what an import changed")?
                    .collect::<std::result::Result<Vec<i64>, _>>()
                    .doing("finding what an import changed")?;
                client
                    .execute(
                        // A hash join against the keys: row_key has no index,
                        // which would cost every inserted row a random btree
                        // insert (measured: it doubled the time of COPY).
                        &format!(
                            "DELETE FROM {t} USING unnest($1::BIGINT[]) AS k(h) WHERE {t}.row_key = k.h",
                            t = shape.table
                        ),
                        &[&keys],
                    )
                    .pg_doing("removing changed rows")?;
                client
                    .execute(
                        "INSERT INTO replication_tombstones (table_name, row_key, change_no)
                         SELECT $1, unnest($2::BIGINT[]), $3
                         ON CONFLICT (table_name, row_key) DO UPDATE SET change_no = EXCLUDED.change_no",
                        &[&shape.table, &keys, &change],
                    )
                    .pg_doing("recording tombstones")?;
            }
            if changed > 0 {
                let copy = format!(
                    "COPY {} ({}, change_no, row_key) FROM STDIN (FORMAT binary)",
                    shape.table, shape.columns
                );
                let mut types = shape.types.clone();
                types.extend([Type::INT8, Type::INT8]);
                let n = shape.types.len();
                let writer = client.copy_in(&copy).pg_doing("writing changed rows")?;
                let mut writer = BinaryCopyInWriter::new(writer, &types);
                // In the table's own order (a semi-join scrambles it): a
                // read model rebuilt from PostgreSQL's heap then has rows laid
                // out as the writer's, and DuckDB's zone maps (min/max per
                // row group, on created_at) skip as much.
                let mut stmt = conn
                    .prepare(&format!(
                        "SELECT {cols}, {key} FROM {table} WHERE {key} IN (SELECT h FROM replica_diff WHERE after > 0) ORDER BY rowid",
                        cols = shape.columns,
                        key = shape.key(),
                        table = shape.table
                    ))
                    .doing("reading changed rows")?;
                let mut rows = stmt.query([]).doing("reading changed rows")?;
                let mut cells: Vec<Cell> = Vec::with_capacity(n + 2);
                while let Some(row) = rows.next().doing("reading changed rows")? {
                    cells.clear();
                    for i in 0..n {
                        cells.push(Cell::from_duckdb(
                            row.get_ref(i).doing("reading changed rows")?,
                        )?);
                    }
                    cells.push(Cell::BigInt(change));
                    cells.push(Cell::BigInt(row.get(n).doing("reading changed rows")?));
                    let refs: Vec<&(dyn ToSql + Sync)> =
                        cells.iter().map(|c| c as &(dyn ToSql + Sync)).collect();
                    writer.write(&refs).pg_doing("writing changed rows")?;
                }
                writer.finish().pg_doing("writing changed rows")?;
            }
            tracing::debug!(
                table = shape.table,
                removed = gone,
                written = changed,
                ms = started.elapsed().as_millis() as u64,
                "shipped to PostgreSQL"
            );
        }
        conn.execute_batch("DROP TABLE IF EXISTS replica_diff")
            .doing("finding what an import changed")?;
        client
            .execute(
                "SELECT pg_notify('metas_changes', $1)",
                &[&change.to_string()],
            )
            .pg_doing("announcing a change")?;
        set_watermark(conn, change)?;
        client
            .batch_execute("COMMIT")
            .pg_doing("committing to PostgreSQL")?;
        self.open = false;
        self.last = Some(change);
        Ok(())
    }

    fn after_rollback(&mut self) {
        if self.open {
            self.open = false;
            if let Err(e) = self.pg.client.batch_execute("ROLLBACK") {
                tracing::warn!(error = %super::pg_message(&e), "rolling back a replicated import");
            }
        }
    }

    fn last_change(&self) -> Option<i64> {
        self.last
    }
}
