-- Who entered the server room, when, why, and with whom (R.6).
CREATE TABLE server_room_visits (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    person TEXT NOT NULL,
    role TEXT NOT NULL,
    entered_at BIGINT NOT NULL,
    left_at BIGINT,
    reason TEXT NOT NULL,
    accompanied_by TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX server_room_visits_office ON server_room_visits(office_id, entered_at);
