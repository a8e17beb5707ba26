-- Assignment and return (zaduženje / razduženje, R.3, R.11): who holds an asset, at which
-- workplace, from when to when. The asset row keeps the current holder for fast lists.
ALTER TABLE assets ADD COLUMN person_id BIGINT REFERENCES people(id);
ALTER TABLE assets ADD COLUMN workplace_id BIGINT REFERENCES workplaces(id);
CREATE INDEX assets_person ON assets(person_id);
CREATE INDEX assets_workplace ON assets(workplace_id);

CREATE TABLE asset_assignments (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    person_id BIGINT REFERENCES people(id),
    workplace_id BIGINT REFERENCES workplaces(id),
    assigned_on TEXT NOT NULL,
    returned_on TEXT,
    assigned_by TEXT NOT NULL,
    returned_by TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX asset_assignments_asset ON asset_assignments(asset_id, id);
CREATE INDEX asset_assignments_person ON asset_assignments(person_id);
