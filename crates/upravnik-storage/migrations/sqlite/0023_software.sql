-- Licensed software (R.23–R.30, Prilog 4). Products of the office's catalogue with their
-- category; licences (withdrawn ones keep their row, `removed_at`); recognition rules that map
-- what agents report to a product, or (no product) leave it out as not software to license; and
-- the removal tasks compliance opens for an installation without a licence (R.30), closed by
-- the next inventory that no longer shows it, or by a licence.
CREATE TABLE software_products (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    vendor TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX software_products_name ON software_products(office_id, name_key);

CREATE TABLE software_licences (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    product_id BIGINT NOT NULL REFERENCES software_products(id),
    kind TEXT NOT NULL,
    seats BIGINT,
    valid_from TEXT,
    valid_to TEXT,
    contract TEXT NOT NULL DEFAULT '',
    procurement TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX software_licences_product ON software_licences(product_id);

CREATE TABLE software_rules (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    product_id BIGINT REFERENCES software_products(id),
    kind TEXT NOT NULL,
    pattern TEXT NOT NULL,
    version_prefix TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX software_rules_pattern ON software_rules(office_id, kind, pattern, version_prefix);

CREATE TABLE software_tasks (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    product_id BIGINT NOT NULL REFERENCES software_products(id),
    opened_at BIGINT NOT NULL,
    closed_at BIGINT,
    close_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX software_tasks_open ON software_tasks(asset_id, product_id) WHERE closed_at IS NULL;
CREATE INDEX software_tasks_office ON software_tasks(office_id, closed_at);

-- What the last recompute found: which product is on which workstation, and the names no rule
-- knows (the suggestion list). Rewritten per workstation after its inventory.
-- Only the primary key, and no foreign keys: these rows are derived (rebuilt from the
-- installations and the catalogue by every recompute), and a check per row of a rewrite of
-- hundreds of thousands costs more than it protects. Counting a product's workstations scans the
-- table, which costs less than keeping a second index through every rewrite.
CREATE TABLE software_installs (
    office_id BIGINT NOT NULL,
    asset_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    PRIMARY KEY (asset_id, product_id)
) WITHOUT ROWID;

CREATE TABLE software_unknown (
    office_id BIGINT NOT NULL,
    asset_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (asset_id, name)
) WITHOUT ROWID;

-- What each distinct name and version installed in the office is, as the last office-wide
-- recompute decided: a product, ignored, or unknown. The recompute joins it to the installations
-- in the database instead of reading every installation out.
CREATE TABLE software_titles (
    office_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    product_id BIGINT,
    ignored BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (office_id, name, version)
);

-- The distinct titles of an office, and from a title to its workstations, from the index alone.
CREATE INDEX asset_software_title ON asset_software(office_id, name, version, asset_id) WHERE removed_at IS NULL;

-- Bumped by every change of the catalogue, its licences or rules: an instance keeps the
-- recogniser it built while the number stays the same.
CREATE TABLE software_versions (
    office_id BIGINT PRIMARY KEY REFERENCES offices(id),
    version BIGINT NOT NULL
);
