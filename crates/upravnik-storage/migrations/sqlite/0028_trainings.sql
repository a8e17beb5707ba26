-- Trainings (P.5.1; ZIB 91/2025 measure 4: basic and advanced IT training for everyone with
-- access, training for management, specialised training for security staff) and who attended.
CREATE TABLE trainings (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    topic TEXT NOT NULL,
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    trainer TEXT NOT NULL DEFAULT '',
    hours BIGINT,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX trainings_office ON trainings(office_id, held_on);

CREATE TABLE training_attendees (
    training_id BIGINT NOT NULL REFERENCES trainings(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    PRIMARY KEY (training_id, person_id)
);
CREATE INDEX training_attendees_person ON training_attendees(person_id);
