-- v10: coaching. An action plan on one QA criterion of one agent, tracked
-- by an agent-level goal; its examples are a snapshot (the printed plan does
-- not change when reviews do); its sessions are scheduled, then held (notes
-- and the progress at that date) and acknowledged by the agent.
CREATE TABLE coaching_plans (
    id BIGINT PRIMARY KEY,
    agent VARCHAR NOT NULL,
    goal_id BIGINT NOT NULL,
    rubric VARCHAR NOT NULL,
    criterion VARCHAR NOT NULL,
    expected_level DOUBLE NOT NULL,
    scale_min DOUBLE NOT NULL,
    scale_max DOUBLE NOT NULL,
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
    rating DOUBLE,
    quote VARCHAR NOT NULL
);
CREATE TABLE coaching_sessions (
    id BIGINT NOT NULL,
    plan_id BIGINT NOT NULL,
    scheduled_on DATE NOT NULL,
    held_at TIMESTAMP,
    notes VARCHAR,
    progress_value DOUBLE,
    progress_n BIGINT,
    recorded_by VARCHAR,
    acknowledged_at TIMESTAMP
);
