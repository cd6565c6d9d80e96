-- v8: time objectives. Every version of a policy is kept (a figure says
-- which version judged it); each stage of each interaction is judged once
-- per import or policy change, with the instants (start, stop, due,
-- warning) that let a query tell where the stage stood at any moment.
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
    elapsed_secs DOUBLE,
    target_secs DOUBLE NOT NULL,
    judged_at TIMESTAMP NOT NULL,
    -- The interaction's own columns attainment is cut by most, kept beside
    -- its stages so that most questions read this table alone.
    created_at TIMESTAMP,
    source VARCHAR,
    channel VARCHAR,
    team VARCHAR,
    agent VARCHAR,
    priority VARCHAR,
    topic VARCHAR,
    customer_id VARCHAR
);
