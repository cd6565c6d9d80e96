ALTER TABLE interactions ADD COLUMN first_response_business_secs DOUBLE;
ALTER TABLE interactions ADD COLUMN first_resolution_business_secs DOUBLE;
ALTER TABLE interactions ADD COLUMN resolution_business_secs DOUBLE;
ALTER TABLE interactions ADD COLUMN next_response_secs DOUBLE;
ALTER TABLE interactions ADD COLUMN next_contact_secs DOUBLE;

        CREATE TABLE settings (key VARCHAR NOT NULL, value VARCHAR NOT NULL);
        CREATE TABLE calendars (name VARCHAR NOT NULL, definition VARCHAR NOT NULL);
        