//! Versioned schema migrations, applied in order when a database is opened.
//! A migration is never edited once released: add a new one instead. Each
//! one is fixed SQL text in `migrations/`, so a database migrated by any
//! release ends up with the same tables as a fresh one; the column constants
//! of `columns.rs` describe the tables the migrations make (a test checks
//! they agree) and never generate a migration.

use std::path::Path;

use crate::{Doing, Result, StoreError};

/// Migration `n` (counting from 1) brings the schema from version `n - 1`
/// to `n`.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_records.sql"),
    include_str!("../migrations/0002_derived_settings_calendars.sql"),
    include_str!("../migrations/0003_goals.sql"),
    include_str!("../migrations/0004_users_tokens.sql"),
    include_str!("../migrations/0005_user_language.sql"),
    include_str!("../migrations/0006_sessions_jobs.sql"),
    include_str!("../migrations/0007_newest_copy_deletions.sql"),
    include_str!("../migrations/0008_time_objectives.sql"),
    include_str!("../migrations/0009_qa_rubric_versions.sql"),
    include_str!("../migrations/0010_coaching.sql"),
    include_str!("../migrations/0011_profiles.sql"),
    include_str!("../migrations/0012_indicator_definitions.sql"),
    include_str!("../migrations/0013_replica_watermark.sql"),
];

/// The newest schema version this build knows.
pub(crate) const LATEST: i64 = MIGRATIONS.len() as i64;

pub(crate) fn current_version(conn: &duckdb::Connection) -> Result<i64> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL, applied_at TIMESTAMP NOT NULL)",
    )
    .doing("reading the schema version")?;
    conn.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )
    .doing("reading the schema version")
}

pub(crate) fn migrate(conn: &duckdb::Connection, path: Option<&Path>) -> Result<()> {
    let found = current_version(conn)?;
    if found > LATEST {
        return Err(StoreError::TooNew {
            path: path.map(Path::to_path_buf).unwrap_or_default(),
            found,
            known: LATEST,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = i as i64 + 1;
        let tx = conn.unchecked_transaction().doing("starting a migration")?;
        tx.execute_batch(sql).doing("migrating the schema")?;
        tx.execute(
            "INSERT INTO schema_migrations VALUES (?, current_timestamp)",
            [version],
        )
        .doing("recording a migration")?;
        tx.commit().doing("committing a migration")?;
        tracing::info!(version, "schema migrated");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::columns::{self, Columns};
    use crate::storage::KpiStore;
    use crate::Store;

    /// The columns of `table` in the live schema, as (name, type) in order.
    fn live_columns(store: &Store, table: &str) -> Vec<(String, String)> {
        store
            .query_json(
                "SELECT column_name, data_type FROM information_schema.columns
                 WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
                &[table],
            )
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r[0].as_str().unwrap().to_string(),
                    r[1].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    fn expected(parts: &[Columns]) -> Vec<(String, String)> {
        parts
            .iter()
            .flat_map(|c| c.iter())
            .map(|(n, t)| (n.to_string(), t.sql().to_string()))
            .collect()
    }

    /// The frozen migrations and the constants the staging tables, batches
    /// and merge statements are generated from describe the same tables.
    #[test]
    fn the_tables_have_the_columns_of_columns_rs() {
        use columns::ColType::{BigInt, Text};
        let store = Store::open_in_memory().unwrap();
        let source: Columns = &[("source", Text)];
        let id_source: Columns = &[("id", BigInt), ("source", Text)];
        let interaction_id: Columns = &[("interaction_id", BigInt)];
        let row_hash: Columns = &[("row_hash", BigInt)];
        let rubric_version: Columns = &[("rubric_version", columns::ColType::Int)];
        let tables: [(&str, &[Columns]); 6] = [
            ("interactions", crate::import::TABLE_INTERACTIONS),
            ("agents", &[columns::AGENT, source]),
            ("customers", &[columns::CUSTOMER, source, row_hash]),
            ("survey_answers", crate::import::TABLE_SURVEYS),
            ("events", &[source, interaction_id, columns::EVENT]),
            (
                "qa_reviews",
                &[
                    id_source,
                    interaction_id,
                    columns::QA_REVIEW,
                    row_hash,
                    rubric_version,
                ],
            ),
        ];
        for (table, parts) in tables {
            assert_eq!(live_columns(&store, table), expected(parts), "{table}");
        }
    }

    #[test]
    fn every_migration_is_recorded() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST);
    }
}
