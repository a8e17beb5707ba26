-- Archiving runs (R.20: how often copies are renewed; R.22 the daily archive; P.5.1): the
-- product's own daily archive (job 'upravnik', no office: it holds every office) and the other
-- backup jobs of an office reported through the API or `upravnik backup report`.
CREATE TABLE backup_runs (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL,
    office_id BIGINT REFERENCES offices(id),
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    ok BIGINT NOT NULL,
    size_bytes BIGINT,
    archive TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    due_at BIGINT,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX backup_runs_finished ON backup_runs(job, finished_at);
CREATE INDEX backup_runs_office ON backup_runs(office_id, finished_at);

-- The copies on removable media (R.66: copy 2 in the registry office's safe, copy 3 for
-- classified systems) and the custody book: each deposit and each taking, when, by whom, why.
CREATE TABLE backup_media (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    label TEXT NOT NULL,
    copy_no BIGINT NOT NULL,
    archive TEXT NOT NULL,
    sha256 TEXT NOT NULL DEFAULT '',
    written_at BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    in_safe BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX backup_media_label ON backup_media(office_id, label);

CREATE TABLE custody_events (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    medium_id BIGINT NOT NULL REFERENCES backup_media(id),
    kind TEXT NOT NULL,
    at BIGINT NOT NULL,
    person TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX custody_events_medium ON custody_events(medium_id, at);
