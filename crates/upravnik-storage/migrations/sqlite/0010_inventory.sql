-- Inventory agents (issue 4, R.11). An agent installation reports one machine; a machine keeps
-- its identifying values (UUID, serial, MACs, host name, agent ids) for matching, its last
-- report (zlib-compressed) and a per-section fingerprint so an unchanged report costs little.
CREATE TABLE agents (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    deviceid TEXT NOT NULL,
    agent_id TEXT,
    old_deviceid TEXT,
    client TEXT NOT NULL DEFAULT '',
    tag TEXT,
    remote_ip TEXT,
    asset_id BIGINT REFERENCES assets(id),
    first_at BIGINT NOT NULL,
    last_contact_at BIGINT NOT NULL,
    last_inventory_at BIGINT
);
-- One row per agent installation: concurrent first reports of one agent meet here.
CREATE UNIQUE INDEX agents_device ON agents(office_id, deviceid);
CREATE INDEX agents_asset ON agents(asset_id);
CREATE INDEX agents_contact ON agents(office_id, last_contact_at);

CREATE TABLE asset_inventory (
    asset_id BIGINT PRIMARY KEY REFERENCES assets(id),
    office_id BIGINT NOT NULL REFERENCES offices(id),
    first_at BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    last_full_at BIGINT,
    fingerprint TEXT NOT NULL DEFAULT '',
    incomplete BIGINT NOT NULL DEFAULT 0,
    os TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    raw_format TEXT NOT NULL,
    raw_size BIGINT NOT NULL,
    raw BLOB NOT NULL
);
CREATE INDEX asset_inventory_last ON asset_inventory(office_id, last_at);

-- Not unique: two machines may share a host name or a docking station's MAC; the rules decide.
CREATE TABLE inventory_keys (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL
);
CREATE INDEX inventory_keys_value ON inventory_keys(office_id, value);
CREATE INDEX inventory_keys_asset ON inventory_keys(asset_id, kind);

CREATE TABLE agent_settings (
    office_id BIGINT PRIMARY KEY REFERENCES offices(id),
    rules TEXT NOT NULL,
    blacklist_serials TEXT NOT NULL DEFAULT '',
    blacklist_uuids TEXT NOT NULL DEFAULT '',
    blacklist_macs TEXT NOT NULL DEFAULT '',
    username TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    networks TEXT NOT NULL DEFAULT '',
    anonymous BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
-- Credentials name the office, so a user name belongs to one office.
CREATE UNIQUE INDEX agent_settings_username ON agent_settings(username) WHERE username <> '';

-- The row a report locks before it creates an asset, and the provisional numbers (AG-000001).
CREATE TABLE inventory_offices (
    office_id BIGINT PRIMARY KEY REFERENCES offices(id),
    discovered_seq BIGINT NOT NULL DEFAULT 0
);

-- Cards registered by hand are found by the values typed on them.
CREATE INDEX assets_serial_lower ON assets(office_id, lower(serial)) WHERE serial <> '';
CREATE INDEX assets_hostname_lower ON assets(office_id, lower(hostname)) WHERE hostname <> '';
CREATE INDEX assets_mac ON assets(office_id, mac) WHERE mac IS NOT NULL;
