-- Documents on the network (R.38–R.46): the shares scanned, each scan's figures per unit (kept for
-- the trend) and its findings (kept for the latest scans of a share only).
CREATE TABLE shares (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    name TEXT NOT NULL,
    root TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX shares_name ON shares(office_id, name);

CREATE TABLE share_scans (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    share_id BIGINT NOT NULL REFERENCES shares(id),
    scanned_at BIGINT NOT NULL,
    millis BIGINT NOT NULL,
    files BIGINT NOT NULL,
    folders BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    violations BIGINT NOT NULL,
    renamable BIGINT NOT NULL,
    unreadable BIGINT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX share_scans_share ON share_scans(share_id, scanned_at);

CREATE TABLE share_scan_units (
    scan_id BIGINT NOT NULL REFERENCES share_scans(id),
    unit TEXT NOT NULL,
    files BIGINT NOT NULL,
    bytes BIGINT NOT NULL,
    violations BIGINT NOT NULL,
    PRIMARY KEY (scan_id, unit)
);

CREATE TABLE share_findings (
    id INTEGER PRIMARY KEY,
    scan_id BIGINT NOT NULL REFERENCES share_scans(id),
    unit TEXT NOT NULL,
    path TEXT NOT NULL,
    rule TEXT NOT NULL,
    article TEXT NOT NULL,
    detail TEXT NOT NULL,
    proposal TEXT
);
CREATE INDEX share_findings_scan ON share_findings(scan_id, unit, path);
