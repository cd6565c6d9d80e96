
        CREATE TABLE users (
            login VARCHAR NOT NULL,
            password_hash VARCHAR NOT NULL,
            role VARCHAR NOT NULL,
            team VARCHAR,
            agent VARCHAR,
            created_at TIMESTAMP NOT NULL
        );
        CREATE SEQUENCE api_token_id_seq START 1;
        CREATE TABLE api_tokens (
            id BIGINT NOT NULL,
            name VARCHAR NOT NULL,
            login VARCHAR NOT NULL,
            secret_hash VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            revoked_at TIMESTAMP
        );
        