-- Equipment registry (R.3–R.13): assets, their field-by-field history (R.11), and the highest
-- workstation label ever given per office (R.12: labels are never reused silently).
CREATE TABLE assets (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    inventory_number TEXT NOT NULL,
    label BIGINT,
    manufacturer TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    serial TEXT NOT NULL DEFAULT '',
    hostname TEXT NOT NULL DEFAULT '',
    mac TEXT,
    ip TEXT,
    building TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    roles TEXT NOT NULL DEFAULT '',
    in_server_room BIGINT NOT NULL DEFAULT 0,
    procurement_ref TEXT NOT NULL DEFAULT '',
    supplier TEXT NOT NULL DEFAULT '',
    purchase_date TEXT,
    price_para BIGINT,
    warranty_end TEXT,
    note TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX assets_inventory ON assets(office_id, inventory_number);
CREATE UNIQUE INDEX assets_label ON assets(office_id, label) WHERE label IS NOT NULL;
-- An IP address is held by at most one active asset.
CREATE UNIQUE INDEX assets_active_ip ON assets(office_id, ip) WHERE ip IS NOT NULL AND status NOT IN ('written_off', 'disposed');
CREATE INDEX assets_list ON assets(office_id, kind, status, id);
CREATE INDEX assets_warranty ON assets(office_id, warranty_end);

CREATE TABLE asset_history (
    id INTEGER PRIMARY KEY,
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL
);
CREATE INDEX asset_history_asset ON asset_history(asset_id, id);

CREATE TABLE asset_label_high (
    office_id BIGINT PRIMARY KEY REFERENCES offices(id),
    highest BIGINT NOT NULL
);
