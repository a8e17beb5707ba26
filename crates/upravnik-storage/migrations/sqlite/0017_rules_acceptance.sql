-- The rules of work in the ICT system and their acceptance (R.19, Prilog 3). The text is
-- versioned per office: publishing a new version asks everyone again. An acceptance is one row
-- per person and version: online (the person pressed "I accept" while signed in) or on paper
-- (an administrator recorded a signed copy, with the date written on it).
CREATE TABLE rules_versions (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published_by_name TEXT NOT NULL,
    published_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX rules_versions_office ON rules_versions(office_id, version);

CREATE TABLE rules_acceptances (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    version_id BIGINT NOT NULL REFERENCES rules_versions(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    how TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    accepted_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX rules_acceptances_person ON rules_acceptances(version_id, person_id);
CREATE INDEX rules_acceptances_of ON rules_acceptances(person_id);
