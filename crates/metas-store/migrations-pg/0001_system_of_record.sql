-- PostgreSQL schema version 1: the shared system of record (issue 17).
--
-- Part 1 is every table of DuckDB's migrations 0001 to 0012, in
-- PostgreSQL's dialect (DOUBLE is DOUBLE PRECISION), with the same names
-- and columns in the same order, so the same SQL reads both. It is the
-- DuckDB migrations' text, statement for statement.
--
-- Part 2 is what replication to each instance's DuckDB read model needs
-- (crates/metas-store/src/pg/): a change number and a row key on every
-- replicated row, the tombstones of deleted rows, and the one-row counter
-- of change numbers. Frozen: a change is a new file. row_key has no index
-- on purpose: a random btree insert per row doubled the time of an import's
-- COPY; deletions find their rows with one hash join per table instead.

-- from DuckDB's 0001_records.sql
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
        CREATE TABLE agents (name VARCHAR, team VARCHAR, email VARCHAR, source VARCHAR);
        CREATE TABLE customers (id VARCHAR, name VARCHAR, age INTEGER, gender VARCHAR, segment VARCHAR, plan VARCHAR, region VARCHAR, language VARCHAR, first_seen TIMESTAMP, churned_at TIMESTAMP, attributes VARCHAR, source VARCHAR, row_hash BIGINT);
        CREATE TABLE interactions (
            id BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            external_id VARCHAR, channel VARCHAR, direction VARCHAR, automated BOOLEAN, created_at TIMESTAMP, first_response_at TIMESTAMP, first_resolved_at TIMESTAMP, resolved_at TIMESTAMP, confirmed_at TIMESTAMP, closed_at TIMESTAMP, person_reached_at TIMESTAMP, reopen_count INTEGER, agent_replies INTEGER, customer_replies INTEGER, status VARCHAR, priority VARCHAR, topic VARCHAR, product VARCHAR, journey_stage VARCHAR, customer_id VARCHAR, agent VARCHAR, team VARCHAR, language VARCHAR, queue_wait_secs DOUBLE PRECISION, answered BOOLEAN, abandoned BOOLEAN, talk_secs DOUBLE PRECISION, hold_secs DOUBLE PRECISION, acw_secs DOUBLE PRECISION, resolved_first_contact BOOLEAN, attributes VARCHAR,
            row_hash BIGINT NOT NULL,
            import_id BIGINT
        );
        CREATE TABLE survey_answers (
            id BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            interaction_id BIGINT,
            external_id VARCHAR, interaction_external_id VARCHAR, customer_id VARCHAR, kind VARCHAR, score DOUBLE PRECISION, scale_min DOUBLE PRECISION, scale_max DOUBLE PRECISION, answered_at TIMESTAMP, comment VARCHAR,
            row_hash BIGINT NOT NULL
        );
        CREATE TABLE events (
            source VARCHAR NOT NULL,
            interaction_id BIGINT NOT NULL,
            interaction_external_id VARCHAR, occurred_at TIMESTAMP, kind VARCHAR, status VARCHAR, actor VARCHAR, channel VARCHAR
        );
        CREATE TABLE qa_rubrics (name VARCHAR NOT NULL, description VARCHAR);
        CREATE TABLE qa_criteria (
            rubric VARCHAR NOT NULL,
            criterion VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            scale_min DOUBLE PRECISION NOT NULL,
            scale_max DOUBLE PRECISION NOT NULL,
            weight DOUBLE PRECISION NOT NULL,
            critical BOOLEAN NOT NULL,
            standard DOUBLE PRECISION
        );
        CREATE TABLE qa_reviews (
            id BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            interaction_id BIGINT,
            external_id VARCHAR, interaction_external_id VARCHAR, agent VARCHAR, reviewer VARCHAR, rubric VARCHAR, reviewed_at TIMESTAMP, comment VARCHAR,
            row_hash BIGINT NOT NULL
        );
        CREATE TABLE qa_ratings (review_id BIGINT NOT NULL, criterion VARCHAR NOT NULL, rating DOUBLE PRECISION);

-- from DuckDB's 0002_derived_settings_calendars.sql
ALTER TABLE interactions ADD COLUMN first_response_business_secs DOUBLE PRECISION;
ALTER TABLE interactions ADD COLUMN first_resolution_business_secs DOUBLE PRECISION;
ALTER TABLE interactions ADD COLUMN resolution_business_secs DOUBLE PRECISION;
ALTER TABLE interactions ADD COLUMN next_response_secs DOUBLE PRECISION;
ALTER TABLE interactions ADD COLUMN next_contact_secs DOUBLE PRECISION;
        CREATE TABLE settings (key VARCHAR NOT NULL, value VARCHAR NOT NULL);
        CREATE TABLE calendars (name VARCHAR NOT NULL, definition VARCHAR NOT NULL);

-- from DuckDB's 0003_goals.sql
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
            target DOUBLE PRECISION NOT NULL,
            stretch DOUBLE PRECISION,
            baseline DOUBLE PRECISION,
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
        CREATE TABLE goal_checkins (goal_id BIGINT NOT NULL, checked_on DATE NOT NULL, comment VARCHAR NOT NULL, confidence DOUBLE PRECISION);
        CREATE TABLE goal_reviews (goal_id BIGINT NOT NULL, reviewed_on DATE NOT NULL, decision VARCHAR NOT NULL,
                                   notes VARCHAR NOT NULL, blocked_by VARCHAR, new_practice VARCHAR);

-- from DuckDB's 0004_users_tokens.sql
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

-- from DuckDB's 0005_user_language.sql
ALTER TABLE users ADD COLUMN language VARCHAR;

-- from DuckDB's 0006_sessions_jobs.sql
CREATE TABLE sessions (
    key VARCHAR NOT NULL,
    login VARCHAR NOT NULL,
    csrf VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE TABLE login_failures (
    login VARCHAR NOT NULL,
    failures INTEGER NOT NULL,
    since TIMESTAMP NOT NULL
);
CREATE TABLE import_jobs (
    id VARCHAR NOT NULL,
    login VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL,
    state VARCHAR NOT NULL,
    detail VARCHAR,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- from DuckDB's 0007_newest_copy_deletions.sql
ALTER TABLE interactions ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE imports ADD COLUMN superseded BIGINT;
ALTER TABLE imports ADD COLUMN deleted BIGINT;
CREATE TABLE deleted_interactions (
    source VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    updated_at TIMESTAMP,
    import_id BIGINT NOT NULL
);

-- from DuckDB's 0008_time_objectives.sql
CREATE TABLE sla_policies (
    name VARCHAR NOT NULL,
    version BIGINT NOT NULL,
    definition VARCHAR NOT NULL,
    position BIGINT NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    saved_by VARCHAR NOT NULL,
    retired_at TIMESTAMP
);
CREATE TABLE sla_stages (
    interaction_id BIGINT NOT NULL,
    policy VARCHAR NOT NULL,
    policy_version BIGINT NOT NULL,
    stage VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    state VARCHAR NOT NULL,
    started_at TIMESTAMP,
    stopped_at TIMESTAMP,
    due_at TIMESTAMP,
    warn_at TIMESTAMP,
    elapsed_secs DOUBLE PRECISION,
    target_secs DOUBLE PRECISION NOT NULL,
    judged_at TIMESTAMP NOT NULL,
    created_at TIMESTAMP,
    source VARCHAR,
    channel VARCHAR,
    team VARCHAR,
    agent VARCHAR,
    priority VARCHAR,
    topic VARCHAR,
    customer_id VARCHAR
);

-- from DuckDB's 0009_qa_rubric_versions.sql
ALTER TABLE qa_rubrics ADD COLUMN version INTEGER DEFAULT 1;
UPDATE qa_rubrics SET version = 1;
ALTER TABLE qa_criteria ADD COLUMN version INTEGER DEFAULT 1;
UPDATE qa_criteria SET version = 1;
ALTER TABLE qa_criteria ADD COLUMN na_allowed BOOLEAN DEFAULT false;
UPDATE qa_criteria SET na_allowed = false;
ALTER TABLE qa_criteria ADD COLUMN label VARCHAR;
ALTER TABLE qa_criteria ADD COLUMN description VARCHAR;
ALTER TABLE qa_reviews ADD COLUMN rubric_version INTEGER DEFAULT 1;
UPDATE qa_reviews SET rubric_version = 1;
ALTER TABLE qa_ratings ADD COLUMN comment VARCHAR;
CREATE TABLE qa_rubric_versions (
    name VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    saved_at TIMESTAMP NOT NULL,
    saved_by VARCHAR NOT NULL,
    definition VARCHAR NOT NULL
);

-- from DuckDB's 0010_coaching.sql
CREATE TABLE coaching_plans (
    id BIGINT PRIMARY KEY,
    agent VARCHAR NOT NULL,
    goal_id BIGINT NOT NULL,
    rubric VARCHAR NOT NULL,
    criterion VARCHAR NOT NULL,
    expected_level DOUBLE PRECISION NOT NULL,
    scale_min DOUBLE PRECISION NOT NULL,
    scale_max DOUBLE PRECISION NOT NULL,
    objective VARCHAR NOT NULL,
    starts_on DATE NOT NULL,
    due_on DATE NOT NULL,
    metrics_expected VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    language VARCHAR NOT NULL,
    focus_overridden BOOLEAN NOT NULL
);
CREATE TABLE coaching_plan_examples (
    plan_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    interaction_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    occurred_at TIMESTAMP,
    rating DOUBLE PRECISION,
    quote VARCHAR NOT NULL
);
CREATE TABLE coaching_sessions (
    id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    scheduled_on DATE NOT NULL,
    held_at TIMESTAMP,
    notes VARCHAR,
    progress_value DOUBLE PRECISION,
    progress_n BIGINT,
    recorded_by VARCHAR,
    acknowledged_at TIMESTAMP
);

-- from DuckDB's 0011_profiles.sql
CREATE TABLE profiles (
    name VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    version BIGINT NOT NULL
);
CREATE TABLE profile_versions (
    name VARCHAR NOT NULL,
    version BIGINT NOT NULL,
    role VARCHAR NOT NULL,
    definition VARCHAR NOT NULL,
    canonical VARCHAR NOT NULL,
    saved_by VARCHAR NOT NULL,
    saved_at TIMESTAMP NOT NULL
);
CREATE TABLE candidates (
    id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    profile VARCHAR NOT NULL,
    profile_version BIGINT NOT NULL,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL,
    closed_by VARCHAR,
    closed_at TIMESTAMP
);
CREATE TABLE assessments (
    id BIGINT NOT NULL,
    candidate_id BIGINT,
    agent VARCHAR,
    profile VARCHAR NOT NULL,
    profile_version BIGINT NOT NULL,
    assessor VARCHAR NOT NULL,
    invited_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP
);
CREATE TABLE assessment_ratings (
    assessment_id BIGINT NOT NULL,
    competency VARCHAR NOT NULL,
    level INTEGER NOT NULL,
    evidence VARCHAR,
    question VARCHAR
);
CREATE TABLE candidate_notes (
    id BIGINT NOT NULL,
    candidate_id BIGINT NOT NULL,
    author VARCHAR NOT NULL,
    written_at TIMESTAMP NOT NULL,
    body VARCHAR NOT NULL
);

-- from DuckDB's 0012_indicator_definitions.sql
CREATE TABLE indicator_definitions (
    kpi VARCHAR NOT NULL,
    version BIGINT NOT NULL,
    stage VARCHAR NOT NULL,
    frequency VARCHAR NOT NULL,
    owner VARCHAR,
    standard_value DOUBLE PRECISION,
    standard_direction VARCHAR,
    note VARCHAR,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kpi, version)
);

-- Part 2: replication.
CREATE TABLE replication_counter (
    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    change_no BIGINT NOT NULL
);
INSERT INTO replication_counter VALUES (true, 0);
CREATE TABLE replication_tombstones (
    table_name VARCHAR NOT NULL,
    row_key BIGINT NOT NULL,
    change_no BIGINT NOT NULL,
    PRIMARY KEY (table_name, row_key)
);
CREATE INDEX replication_tombstones_change_no ON replication_tombstones (change_no);
ALTER TABLE imports ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX imports_change_no ON imports (change_no);
ALTER TABLE teams ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX teams_change_no ON teams (change_no);
ALTER TABLE agents ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX agents_change_no ON agents (change_no);
ALTER TABLE customers ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX customers_change_no ON customers (change_no);
ALTER TABLE interactions ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX interactions_change_no ON interactions (change_no);
ALTER TABLE survey_answers ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX survey_answers_change_no ON survey_answers (change_no);
ALTER TABLE events ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX events_change_no ON events (change_no);
ALTER TABLE qa_rubrics ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX qa_rubrics_change_no ON qa_rubrics (change_no);
ALTER TABLE qa_criteria ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX qa_criteria_change_no ON qa_criteria (change_no);
ALTER TABLE qa_rubric_versions ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX qa_rubric_versions_change_no ON qa_rubric_versions (change_no);
ALTER TABLE qa_reviews ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX qa_reviews_change_no ON qa_reviews (change_no);
ALTER TABLE qa_ratings ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX qa_ratings_change_no ON qa_ratings (change_no);
ALTER TABLE deleted_interactions ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX deleted_interactions_change_no ON deleted_interactions (change_no);
ALTER TABLE sla_stages ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sla_stages_change_no ON sla_stages (change_no);
ALTER TABLE sla_policies ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX sla_policies_change_no ON sla_policies (change_no);
ALTER TABLE settings ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX settings_change_no ON settings (change_no);
ALTER TABLE calendars ADD COLUMN change_no BIGINT NOT NULL DEFAULT 0, ADD COLUMN row_key BIGINT NOT NULL DEFAULT 0;
CREATE INDEX calendars_change_no ON calendars (change_no);
