-- Antivirus as the last inventory told it (R.31, R.60): one line per product,
-- "<enabled 0|1><up to date 0|1> <name>", sorted. NULL: no report has said anything; '': a
-- full report from an agent that reports antivirus found none.
ALTER TABLE asset_inventory ADD COLUMN antivirus TEXT;

-- Internet access per workstation (R.32): allowed or not, the categories blocked, and social
-- networks opened for a job only after the head of administration approved (social_approved_at).
CREATE TABLE internet_access (
    asset_id BIGINT PRIMARY KEY REFERENCES assets(id),
    office_id BIGINT NOT NULL REFERENCES offices(id),
    allowed BIGINT NOT NULL DEFAULT 0,
    blocked TEXT NOT NULL,
    social_reason TEXT NOT NULL DEFAULT '',
    social_requested_at BIGINT,
    social_approved_by TEXT,
    social_approved_at BIGINT,
    note TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
CREATE INDEX internet_access_office ON internet_access(office_id);

-- The sites of each blocked category, as the exports to Squid and Unbound list them.
CREATE TABLE internet_sites (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    category TEXT NOT NULL,
    domain TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX internet_sites_domain ON internet_sites(office_id, category, domain);

-- Internet misuse and private modems (R.32, R.34): recorded, and seen by the head of
-- administration (seen_at).
CREATE TABLE misuse_reports (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    asset_id BIGINT REFERENCES assets(id),
    person_id BIGINT REFERENCES people(id),
    kind TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    description TEXT NOT NULL,
    action TEXT NOT NULL DEFAULT '',
    access_cut BIGINT NOT NULL DEFAULT 0,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    seen_by TEXT,
    seen_at BIGINT
);
CREATE INDEX misuse_reports_office ON misuse_reports(office_id, recorded_at);

-- Software install requests (R.30, R.62.7): a workplace asks, the head of administration
-- decides, an administrator installs, the next inventory that shows the product confirms.
CREATE TABLE software_requests (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    product_id BIGINT REFERENCES software_products(id),
    name TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    requested_user_id BIGINT NOT NULL,
    requested_at BIGINT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_note TEXT NOT NULL DEFAULT '',
    installed_by TEXT,
    installed_at BIGINT,
    confirmed_at BIGINT
);
CREATE INDEX software_requests_office ON software_requests(office_id, state);
CREATE INDEX software_requests_asset ON software_requests(asset_id, state);
