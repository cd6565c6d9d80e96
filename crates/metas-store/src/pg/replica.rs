//! The read model: a DuckDB file fed from PostgreSQL by pulling changes
//! ([`catch_up`], [`rebuild`]), and imports made in it and shipped to
//! PostgreSQL ([`Replication`]): every write made in it, an import or a goal or a sign-in.

use duckdb::types::Value;
use postgres::binary_copy::{BinaryCopyInWriter, BinaryCopyOutIter};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};

use super::cell::{pg_type, Cell};
use super::{PgDatabase, PgDoing, LOCK_KEY, REPLICATED};
use crate::write::{watermark, Reach, WriteHook, HEAVY};
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
    // One query for every table: the catalog is slow to ask table by table.
    let mut stmt = conn
        .prepare(
            "SELECT table_name, column_name, data_type FROM information_schema.columns
             WHERE table_schema = 'main' ORDER BY table_name, ordinal_position",
        )
        .doing("reading the replicated tables")?;
    let mut by_table: std::collections::HashMap<String, Vec<(String, String)>> =
        std::collections::HashMap::new();
    let mut rows = stmt.query([]).doing("reading the replicated tables")?;
    while let Some(r) = rows.next().doing("reading the replicated tables")? {
        by_table
            .entry(r.get(0).doing("reading the replicated tables")?)
            .or_default()
            .push((
                r.get(1).doing("reading the replicated tables")?,
                r.get(2).doing("reading the replicated tables")?,
            ));
    }
    let mut out = Vec::with_capacity(REPLICATED.len());
    for &table in REPLICATED {
        let cols = by_table.remove(table).unwrap_or_default();
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

fn set_watermark(conn: &duckdb::Connection, to: i64) -> Result<()> {
    conn.execute("UPDATE replica_watermark SET change_no = ?", [to])
        .doing("recording the read model's watermark")?;
    Ok(())
}

pub(super) fn head(client: &mut postgres::Client) -> Result<i64> {
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
    ("goal_id_seq", "goals"),
    ("api_token_id_seq", "api_tokens"),
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
    let _one = store.gate.one_writer();
    catch_up_conn(pg, &store.conn, limit)
}

fn catch_up_conn(pg: &mut PgDatabase, conn: &duckdb::Connection, limit: usize) -> Result<CatchUp> {
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

/// Writes into a read model replicated to PostgreSQL. Set on a [`Store`]
/// with [`Store::replicate_to`]: from then on every write made in it (an
/// import, a goal, a login: `crate::write::WriteTx`, its SQL unchanged)
///
/// 1. takes the advisory lock in a PostgreSQL transaction, held to the end,
///    and catches the read model up inside the write's DuckDB transaction;
/// 2. notes the row key of every row of the tables the write may change;
/// 3. lets the write run as it always does;
/// 4. before DuckDB commits: takes the next change number, deletes (and
///    tombstones) in PostgreSQL the keys the write removed, copies in the
///    rows it added or changed with binary COPY, notifies `metas_changes`,
///    and commits PostgreSQL;
/// 5. then DuckDB commits, with that change number as its watermark.
///
/// If PostgreSQL fails, DuckDB rolls back; if the process dies between the
/// two commits, the next catch-up brings the change from PostgreSQL.
pub struct Replication {
    pg: PgDatabase,
    shapes: Vec<Shape>,
    /// The shapes the write in progress may change (indexes into `shapes`).
    reach: Vec<usize>,
    open: bool,
    last: Option<i64>,
    seen: i64,
    /// The next write copies every row, as new, into an empty PostgreSQL
    /// ([`Store::seed_shared`]).
    seeding: bool,
}

impl Replication {
    pub fn new(mut pg: PgDatabase) -> Result<Replication> {
        pg.check_schema()?;
        Ok(Replication {
            pg,
            shapes: Vec::new(),
            reach: Vec::new(),
            open: false,
            last: None,
            seen: 0,
            seeding: false,
        })
    }

    /// A replication whose first write copies the whole database into an
    /// empty PostgreSQL: how a lone instance's file becomes the first read
    /// model of a shared database ([`Store::seed_shared`]).
    pub fn seeding(pg: PgDatabase) -> Result<Replication> {
        let mut r = Replication::new(pg)?;
        r.seeding = true;
        Ok(r)
    }

    /// A connection lost (PostgreSQL restarted) is opened again before the
    /// next write, not left failing every write after it.
    fn connected(&mut self) -> Result<&mut postgres::Client> {
        if self.pg.client.is_closed() {
            self.pg = self.pg.another()?;
        }
        Ok(&mut self.pg.client)
    }
}

/// Every row key of the tables `reach` names, with the table's index:
/// `SELECT 0 AS t, key AS h FROM a UNION ALL SELECT 1, key FROM b …`.
fn keyed_rows(shapes: &[Shape], reach: &[usize]) -> String {
    reach
        .iter()
        .map(|&i| {
            format!(
                "SELECT CAST({i} AS INTEGER) AS t, {} AS h FROM {}",
                shapes[i].key(),
                shapes[i].table
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

impl WriteHook for Replication {
    fn after_begin(&mut self, conn: &duckdb::Connection, reach: Reach) -> Result<()> {
        let started = std::time::Instant::now();
        if self.shapes.is_empty() {
            self.shapes = shapes(conn)?;
        }
        self.connected()?;
        let client = &mut self.pg.client;
        client.batch_execute("BEGIN").pg_doing("starting a write")?;
        self.open = true;
        client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&LOCK_KEY])
            .pg_doing("waiting for other writers")?;
        let to = head(client)?;
        let from = watermark(conn)?;
        if self.seeding {
            // A read model (or its backup) may be copied too: it holds every
            // row; the new database numbers its changes from 1.
            if to > 0 {
                return Err(StoreError::Query(format!(
                    "the shared database already holds data (up to change {to}): a database file is copied only into an empty one"
                )));
            }
            self.seeding = false;
            self.reach = (0..self.shapes.len()).collect();
            // Nothing before: every row is new to PostgreSQL.
            conn.execute_batch("CREATE OR REPLACE TEMP TABLE replica_pre (t INTEGER, h BIGINT)")
                .doing("noting the rows before a write")?;
            return Ok(());
        }
        if from > to {
            return Err(ahead(from, to));
        }
        if from < to {
            apply(client, conn, &self.shapes, from, to, usize::MAX)?;
            advance_sequences(conn)?;
            set_watermark(conn, to)?;
        }
        self.seen = to;
        self.reach = (0..self.shapes.len())
            .filter(|&i| reach == Reach::All || !HEAVY.contains(&self.shapes[i].table))
            .collect();
        conn.execute_batch(&format!(
            "CREATE OR REPLACE TEMP TABLE replica_pre AS {}",
            keyed_rows(&self.shapes, &self.reach)
        ))
        .doing("noting the rows before a write")?;
        tracing::debug!(
            ?reach,
            ms = started.elapsed().as_millis() as u64,
            "a replicated write began"
        );
        Ok(())
    }

    fn before_commit(&mut self, conn: &duckdb::Connection) -> Result<()> {
        conn.execute_batch(&format!(
            "CREATE OR REPLACE TEMP TABLE replica_diff AS
             WITH pre AS (SELECT t, h, count(*) AS n FROM replica_pre GROUP BY t, h),
                  post AS (SELECT t, h, count(*) AS n FROM ({rows}) GROUP BY t, h)
             SELECT coalesce(pre.t, post.t) AS t, coalesce(pre.h, post.h) AS h,
                    coalesce(pre.n, 0) AS before, coalesce(post.n, 0) AS after
             FROM pre FULL OUTER JOIN post ON pre.t = post.t AND pre.h = post.h
             WHERE pre.n IS DISTINCT FROM post.n;
             DROP TABLE replica_pre",
            rows = keyed_rows(&self.shapes, &self.reach)
        ))
        .doing("finding what a write changed")?;
        let mut touched: Vec<(usize, i64, i64)> = Vec::new();
        {
            let mut stmt = conn
                .prepare(
                    "SELECT t, count(*) FILTER (WHERE before > 0), count(*) FILTER (WHERE after > 0)
                     FROM replica_diff GROUP BY t ORDER BY t",
                )
                .doing("finding what a write changed")?;
            let mut rows = stmt.query([]).doing("finding what a write changed")?;
            while let Some(r) = rows.next().doing("finding what a write changed")? {
                let t: i32 = r.get(0).doing("finding what a write changed")?;
                touched.push((
                    t as usize,
                    r.get(1).doing("finding what a write changed")?,
                    r.get(2).doing("finding what a write changed")?,
                ));
            }
        }
        let client = &mut self.pg.client;
        if touched.is_empty() {
            // Nothing changed: no change number, and the lock goes at once.
            conn.execute_batch("DROP TABLE IF EXISTS replica_diff")
                .doing("finding what a write changed")?;
            client
                .batch_execute("COMMIT")
                .pg_doing("committing to PostgreSQL")?;
            self.open = false;
            return Ok(());
        }
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
        for (t, gone, changed) in touched {
            let shape = &self.shapes[t];
            let started = std::time::Instant::now();
            if gone > 0 {
                let mut stmt = conn
                    .prepare("SELECT h FROM replica_diff WHERE t = ? AND before > 0")
                    .doing("finding what a write changed")?;
                let keys = stmt
                    .query_map([t as i32], |r| r.get::<_, i64>(0))
                    .doing("finding what a write changed")?
                    .collect::<std::result::Result<Vec<i64>, _>>()
                    .doing("finding what a write changed")?;
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
                        "SELECT {cols}, {key} FROM {table} WHERE {key} IN (SELECT h FROM replica_diff WHERE t = {t} AND after > 0) ORDER BY rowid",
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
            .doing("finding what a write changed")?;
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
        self.seen = change;
        Ok(())
    }

    fn after_rollback(&mut self) {
        if self.open {
            self.open = false;
            if let Err(e) = self.pg.client.batch_execute("ROLLBACK") {
                tracing::warn!(error = %super::pg_message(&e), "rolling back a replicated write");
            }
        }
    }

    fn last_change(&self) -> Option<i64> {
        self.last
    }

    fn seen(&self) -> i64 {
        self.seen
    }

    fn catch_up(&mut self, conn: &duckdb::Connection) -> Result<CatchUp> {
        self.connected()?;
        let c = catch_up_conn(&mut self.pg, conn, usize::MAX)?;
        self.seen = c.to;
        Ok(c)
    }

    fn another(&self) -> Result<Box<dyn WriteHook>> {
        Ok(Box::new(Replication::new(self.pg.another()?)?))
    }
}

/// A replicated table whose rows differ between the read model and
/// PostgreSQL at the same change ([`verify`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub table: &'static str,
    /// Rows, and the sum of their row keys, in the read model and in PostgreSQL.
    pub read_model: (i64, String),
    pub shared: (i64, String),
}

/// Catches the read model up, then compares every replicated table with
/// PostgreSQL at the same change: its rows and the sum of their row keys.
/// Returns the change compared at and the tables that differ (none when
/// the read model is whole).
pub fn verify(pg: &mut PgDatabase, store: &mut Store) -> Result<(i64, Vec<Mismatch>)> {
    let _one = store.gate.one_writer();
    let conn = &store.conn;
    catch_up_conn(pg, conn, usize::MAX)?;
    let shapes = shapes(conn)?;
    let client = &mut pg.client;
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .pg_doing("reading a snapshot")?;
    let result = (|| {
        let at = head(client)?;
        let local = watermark(conn)?;
        if local != at {
            return Err(StoreError::Query(format!(
                "the database moved on while it was compared (change {local} read, {at} committed); compare again"
            )));
        }
        let mut out = Vec::new();
        for shape in &shapes {
            let shared: (i64, String) = {
                let row = client
                    .query_one(
                        &format!(
                            "SELECT count(*), coalesce(sum(row_key), 0)::text FROM {}",
                            shape.table
                        ),
                        &[],
                    )
                    .pg_doing("comparing with the read model")?;
                (row.get(0), row.get(1))
            };
            let read_model: (i64, String) = conn
                .query_row(
                    &format!(
                        "SELECT count(*), CAST(coalesce(sum({}), 0) AS VARCHAR) FROM {}",
                        shape.key(),
                        shape.table
                    ),
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .doing("comparing with PostgreSQL")?;
            if read_model != shared {
                out.push(Mismatch {
                    table: shape.table,
                    read_model,
                    shared,
                });
            }
        }
        Ok((at, out))
    })();
    let end = client.batch_execute("COMMIT").pg_doing("ending a snapshot");
    let r = result?;
    end?;
    Ok(r)
}
