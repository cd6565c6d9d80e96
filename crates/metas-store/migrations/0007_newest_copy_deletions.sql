-- v7: which copy of an interaction is the newest (the source's own update
-- time: of two copies the one updated last wins), what an import left out
-- for a newer copy and removed on the source's word, and a tombstone for each
-- removed interaction, so that an older copy imported later stays out.
ALTER TABLE interactions ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE imports ADD COLUMN superseded BIGINT;
ALTER TABLE imports ADD COLUMN deleted BIGINT;
CREATE TABLE deleted_interactions (
    source VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    updated_at TIMESTAMP,
    import_id BIGINT NOT NULL
);
