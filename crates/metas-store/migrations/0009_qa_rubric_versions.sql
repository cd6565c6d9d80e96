-- v9: QA rubrics as data. Every version of a rubric is kept (a review says
-- which version it was scored on); criteria gain a label, a description and
-- whether they may be marked not applicable; a rating gains a comment.
-- What existed before is version 1.
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
