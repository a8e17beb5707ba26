-- The protection measures (R.54–R.55; ZIB 6/2016 čl. 7, ZIB 91/2025 čl. 10) as each office
-- carries them out: one row per measure of a set once it has been assessed; the measures
-- themselves are data in the program. Evidence files are kept whole, with their SHA-256.
CREATE TABLE security_measures (
    office_id BIGINT NOT NULL REFERENCES offices(id),
    law TEXT NOT NULL,
    no BIGINT NOT NULL,
    applicable BIGINT NOT NULL,
    justification TEXT NOT NULL,
    implementation TEXT NOT NULL,
    responsible TEXT NOT NULL,
    documents TEXT NOT NULL,
    status TEXT NOT NULL,
    checked_on TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (office_id, law, no)
);

CREATE TABLE measure_evidence (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    law TEXT NOT NULL,
    no BIGINT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX measure_evidence_measure ON measure_evidence(office_id, law, no);

-- Security incidents (ZIB 91/2025 čl. 13–16, 24–25; ZZPL čl. 52–53; R.56) and every report sent,
-- kept as the snapshot of what was sent.
CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    started_at BIGINT,
    aware_at BIGINT NOT NULL,
    ended_at BIGINT,
    criteria TEXT NOT NULL DEFAULT '',
    near_miss BIGINT NOT NULL DEFAULT 0,
    crime_suspected BIGINT NOT NULL DEFAULT 0,
    danger TEXT,
    danger_authority TEXT,
    indicators TEXT NOT NULL DEFAULT '',
    affected_services TEXT NOT NULL DEFAULT '',
    personal_data BIGINT NOT NULL DEFAULT 0,
    high_risk_to_people BIGINT NOT NULL DEFAULT 0,
    services_affected BIGINT NOT NULL DEFAULT 0,
    cross_border BIGINT NOT NULL DEFAULT 0,
    measures TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX incidents_office ON incidents(office_id, aware_at);

CREATE TABLE incident_assets (
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    asset_id BIGINT NOT NULL REFERENCES assets(id),
    PRIMARY KEY (incident_id, asset_id)
);

CREATE TABLE incident_reports (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    incident_id BIGINT NOT NULL REFERENCES incidents(id),
    kind TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    recipient TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    snapshot TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX incident_reports_incident ON incident_reports(incident_id, sent_at);
