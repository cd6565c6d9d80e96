-- v6: what the web server keeps across a restart: sessions (under a digest
-- of their token, never the token), failed logins, and import jobs.
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
