-- R.65: data and software leave the premises only with the head of administration's approval;
-- data exchanged on other media go with a cover document naming sender, receiver and kind of data.
CREATE TABLE removals (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    kind TEXT NOT NULL,
    what TEXT NOT NULL,
    purpose TEXT NOT NULL,
    asset_id BIGINT REFERENCES assets(id),
    requested_by TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    decided_by TEXT,
    decided_at BIGINT,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX removals_office ON removals(office_id, requested_at);

CREATE TABLE media_transfers (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    sender TEXT NOT NULL,
    receiver TEXT NOT NULL,
    data_kind TEXT NOT NULL,
    medium TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    reference TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX media_transfers_office ON media_transfers(office_id, sent_on);
