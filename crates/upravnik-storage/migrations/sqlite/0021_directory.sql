-- The office's directory (LDAP / Active Directory). An account with a DN signs in there; its
-- password hash here is a marker that never verifies. `closed_by_directory` tells an account the
-- sync closed (gone or disabled in the directory, so opened again with it) from one closed in
-- Upravnik, which the sync leaves closed.
ALTER TABLE users ADD COLUMN directory_dn TEXT;
ALTER TABLE users ADD COLUMN closed_by_directory BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX users_directory_dn ON users(office_id, directory_dn);

-- Each run of the sync, for the directory page (the work log has the same in words).
CREATE TABLE directory_syncs (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    ok BIGINT NOT NULL,
    created BIGINT NOT NULL,
    updated BIGINT NOT NULL,
    deactivated BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX directory_syncs_office ON directory_syncs(office_id, id);

-- Scheduled jobs run by one instance of several: whoever moves `until_at` forward holds it.
CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_at BIGINT NOT NULL
);
