-- v13: how far this file has replicated PostgreSQL (issue 17): the change
-- number of the last change applied to this read model (0 for a database
-- of its own, which never replicates).
CREATE TABLE replica_watermark (change_no BIGINT NOT NULL);
INSERT INTO replica_watermark VALUES (0);
