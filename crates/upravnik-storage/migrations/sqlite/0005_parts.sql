-- What a computer is made of and what runs on it (R.11, Prilog 1). Rows are never deleted: a
-- removed component or program keeps its removal time, so the card shows the whole story.
CREATE TABLE asset_components (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    kind TEXT NOT NULL,
    manufacturer TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL DEFAULT '',
    capacity TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX asset_components_asset ON asset_components(asset_id, id);
CREATE INDEX asset_components_serial ON asset_components(office_id, serial) WHERE serial <> '';

CREATE TABLE asset_software (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    name TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    publisher TEXT NOT NULL DEFAULT '',
    installed_on TEXT,
    source TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX asset_software_asset ON asset_software(asset_id, id);
-- Software compliance (R.29–R.30) asks "which workstations have this program installed".
CREATE INDEX asset_software_name ON asset_software(office_id, name) WHERE removed_at IS NULL;
