
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
            external_id VARCHAR, channel VARCHAR, direction VARCHAR, automated BOOLEAN, created_at TIMESTAMP, first_response_at TIMESTAMP, first_resolved_at TIMESTAMP, resolved_at TIMESTAMP, confirmed_at TIMESTAMP, closed_at TIMESTAMP, person_reached_at TIMESTAMP, reopen_count INTEGER, agent_replies INTEGER, customer_replies INTEGER, status VARCHAR, priority VARCHAR, topic VARCHAR, product VARCHAR, journey_stage VARCHAR, customer_id VARCHAR, agent VARCHAR, team VARCHAR, language VARCHAR, queue_wait_secs DOUBLE, answered BOOLEAN, abandoned BOOLEAN, talk_secs DOUBLE, hold_secs DOUBLE, acw_secs DOUBLE, resolved_first_contact BOOLEAN, attributes VARCHAR,
            row_hash BIGINT NOT NULL,
            import_id BIGINT
        );

        CREATE TABLE survey_answers (
            id BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            interaction_id BIGINT,
            external_id VARCHAR, interaction_external_id VARCHAR, customer_id VARCHAR, kind VARCHAR, score DOUBLE, scale_min DOUBLE, scale_max DOUBLE, answered_at TIMESTAMP, comment VARCHAR,
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
            external_id VARCHAR, interaction_external_id VARCHAR, agent VARCHAR, reviewer VARCHAR, rubric VARCHAR, reviewed_at TIMESTAMP, comment VARCHAR,
            row_hash BIGINT NOT NULL
        );
        CREATE TABLE qa_ratings (review_id BIGINT NOT NULL, criterion VARCHAR NOT NULL, rating DOUBLE);
        