//! Versioned schema migrations, applied in order when a database is opened.
//! A migration is never edited once released: add a new one instead.

use std::path::Path;

use crate::columns::{self, definitions};
use crate::{Doing, Result, StoreError};

/// Migration `n` brings the schema from version `n` to `n + 1`.
fn migrations() -> Vec<String> {
    let v1 = format!(
        "
        CREATE SEQUENCE interaction_id_seq START 1;
        CREATE SEQUENCE survey_id_seq START 1;
        CREATE SEQUENCE qa_review_id_seq START 1;
        CREATE SEQUENCE import_id_seq START 1;

        CREATE TABLE imports (
            id BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            file VARCHAR NOT NULL,
            started_at TIMESTAMP NOT NULL,
            finished_at TIMESTAMP,
            imported BIGINT,
            updated BIGINT,
            unchanged BIGINT,
            rejected BIGINT
        );

        CREATE TABLE teams (name VARCHAR NOT NULL, source VARCHAR);
        CREATE TABLE agents ({agent}, source VARCHAR);
        CREATE TABLE customers ({customer}, source VARCHAR, row_hash BIGINT);

        CREATE TABLE interactions (
            id BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            {interaction},
            row_hash BIGINT NOT NULL,
            import_id BIGINT
        );

        CREATE TABLE survey_answers (
            id BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            interaction_id BIGINT,
            {survey},
            row_hash BIGINT NOT NULL
        );

        CREATE TABLE events (
            source VARCHAR NOT NULL,
            interaction_id BIGINT NOT NULL,
            {event}
        );

        CREATE TABLE qa_rubrics (name VARCHAR NOT NULL, description VARCHAR);
        CREATE TABLE qa_criteria (
            rubric VARCHAR NOT NULL,
            criterion VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            scale_min DOUBLE NOT NULL,
            scale_max DOUBLE NOT NULL,
            weight DOUBLE NOT NULL,
            critical BOOLEAN NOT NULL,
            standard DOUBLE
        );
        CREATE TABLE qa_reviews (
            id BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            interaction_id BIGINT,
            {qa},
            row_hash BIGINT NOT NULL
        );
        CREATE TABLE qa_ratings (review_id BIGINT NOT NULL, criterion VARCHAR NOT NULL, rating DOUBLE);
        ",
        agent = definitions(&[columns::AGENT]),
        customer = definitions(&[columns::CUSTOMER]),
        interaction = definitions(&[columns::INTERACTION]),
        survey = definitions(&[columns::SURVEY]),
        event = definitions(&[columns::EVENT]),
        qa = definitions(&[columns::QA_REVIEW]),
    );
    // v2: per-interaction derived metrics (kept by `derive`), KPI settings
    // and business calendars.
    let v2 = format!(
        "{derived}
        CREATE TABLE settings (key VARCHAR NOT NULL, value VARCHAR NOT NULL);
        CREATE TABLE calendars (name VARCHAR NOT NULL, definition VARCHAR NOT NULL);
        ",
        derived = columns::DERIVED
            .iter()
            .map(|(n, t)| format!("ALTER TABLE interactions ADD COLUMN {n} {};\n", t.sql()))
            .collect::<String>(),
    );
    // v3: the mission, goals and their history (SPEC §6).
    let v3 = "
        CREATE SEQUENCE goal_id_seq START 1;
        CREATE TABLE mission (statement VARCHAR NOT NULL, set_at TIMESTAMP NOT NULL);
        CREATE TABLE goals (
            id BIGINT NOT NULL,
            parent_id BIGINT,
            owner VARCHAR NOT NULL,
            metric VARCHAR NOT NULL,
            scope VARCHAR,
            direction VARCHAR NOT NULL,
            target_text VARCHAR NOT NULL,
            target DOUBLE NOT NULL,
            stretch DOUBLE,
            baseline DOUBLE,
            baseline_n BIGINT NOT NULL,
            baseline_from DATE NOT NULL,
            baseline_to DATE NOT NULL,
            start_date DATE NOT NULL,
            deadline DATE NOT NULL,
            deadline_text VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            customer_words VARCHAR,
            cadence VARCHAR NOT NULL,
            milestones VARCHAR,
            committed_on DATE,
            created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE goal_history (goal_id BIGINT NOT NULL, changed_at TIMESTAMP NOT NULL, who VARCHAR NOT NULL, change VARCHAR NOT NULL);
        CREATE TABLE goal_checkins (goal_id BIGINT NOT NULL, checked_on DATE NOT NULL, comment VARCHAR NOT NULL, confidence DOUBLE);
        CREATE TABLE goal_reviews (goal_id BIGINT NOT NULL, reviewed_on DATE NOT NULL, decision VARCHAR NOT NULL,
                                   notes VARCHAR NOT NULL, blocked_by VARCHAR, new_practice VARCHAR);
        "
    .to_string();
    // v4: users of the web app and the API (SPEC §1, §9).
    let v4 = "
        CREATE TABLE users (
            login VARCHAR NOT NULL,
            password_hash VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            team VARCHAR,
            agent VARCHAR,
            created_at TIMESTAMP NOT NULL
        );
        CREATE SEQUENCE api_token_id_seq START 1;
        CREATE TABLE api_tokens (
            id BIGINT NOT NULL,
            name VARCHAR NOT NULL,
            login VARCHAR NOT NULL,
            secret_hash VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            revoked_at TIMESTAMP
        );
        "
    .to_string();
    // v5: each user's language for the web app (SPEC §9).
    let v5 = "ALTER TABLE users ADD COLUMN language VARCHAR;".to_string();
    vec![v1, v2, v3, v4, v5]
}

pub fn current_version(conn: &duckdb::Connection) -> Result<i64> {
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

pub fn migrate(conn: &duckdb::Connection, path: Option<&Path>) -> Result<()> {
    let all = migrations();
    let known = all.len() as i64;
    let found = current_version(conn)?;
    if found > known {
        return Err(StoreError::TooNew {
            path: path.map(Path::to_path_buf).unwrap_or_default(),
            found,
            known,
        });
    }
    for (i, sql) in all.iter().enumerate().skip(found as usize) {
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
