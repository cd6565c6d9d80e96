
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
        