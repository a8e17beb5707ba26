-- The catalogue of the office's applications and their roles (R.17, P.5.1). Roles are the
-- lines of `roles` (one per line, in the order the administrator keeps them); account requests
-- name an application and one of its roles. `name_key` (search form of the name) is unique per
-- office, so "ОПИС" and "OPIS" are the same application.
CREATE TABLE applications (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX applications_name ON applications(office_id, name_key);
