-- v11: role profiles and structured assessment (docs/profiles.md). A profile
-- keeps every version: the file as saved and the checked profile written
-- out (a save equal to the current one makes no version). A candidate or an
-- agent is assessed against one version of a profile; each assessor rates
-- each competency with the evidence, alone, until they submit. Everything
-- about a candidate (their assessments, ratings and notes) is erased with
-- them.
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
