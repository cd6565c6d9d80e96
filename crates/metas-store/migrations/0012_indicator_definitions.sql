-- v12 (issue 15, R-INDICATORS): the organisation's definition of each
-- indicator beside the catalogue's formula and unit: its stage of the
-- purchase, frequency of review, owner, standard and a note. Every change is
-- a new version (who changed it and when); the highest version of a KPI is
-- the one in force. A KPI without a row has the built-in definition.
CREATE TABLE indicator_definitions (
    kpi VARCHAR NOT NULL,
    version BIGINT NOT NULL,
    stage VARCHAR NOT NULL,
    frequency VARCHAR NOT NULL,
    owner VARCHAR,
    standard_value DOUBLE,
    standard_direction VARCHAR,
    note VARCHAR,
    changed_by VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    PRIMARY KEY (kpi, version)
);
