-- Uploaded equipment registers between the steps of an import (upload → mapping and preview →
-- commit). Kept in the database so any server instance can serve the next step; deleted when
-- committed, or a day later.
CREATE TABLE asset_imports (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    user_id BIGINT NOT NULL,
    filename TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    mapping TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX asset_imports_created ON asset_imports(created_at);
