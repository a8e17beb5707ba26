-- Account requests (R.19, Prilog 2) and the accesses they grant. A request is numbered per
-- office and year through `report_form_numbers` (kind 'ЗКН'); its items are the applications and
-- roles asked for, with the names as they were. `access_grants` holds what a person has been
-- given by carried-out requests; a grant is taken away by a later change or close request
-- (`revoked_*`), never deleted, so the history of a person's access stays.
CREATE TABLE account_requests (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    person_id BIGINT NOT NULL REFERENCES people(id),
    unit_id BIGINT REFERENCES org_units(id),
    unit_name TEXT NOT NULL DEFAULT '',
    workplace_name TEXT NOT NULL DEFAULT '',
    internet BIGINT NOT NULL DEFAULT 0,
    -- Social networks for the workplace need the head of administration's approval (R.32).
    social BIGINT NOT NULL DEFAULT 0,
    social_approved_by_name TEXT,
    social_approved_at BIGINT,
    note TEXT NOT NULL DEFAULT '',
    requested_by_user_id BIGINT REFERENCES users(id),
    requested_by_name TEXT NOT NULL,
    requested_at BIGINT NOT NULL,
    done_by_name TEXT,
    done_at BIGINT,
    username TEXT,
    setup_note TEXT NOT NULL DEFAULT '',
    software TEXT NOT NULL DEFAULT '',
    rejected_reason TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX account_requests_number ON account_requests(office_id, number);
CREATE INDEX account_requests_list ON account_requests(office_id, state, id);
CREATE INDEX account_requests_person ON account_requests(person_id);

CREATE TABLE account_request_items (
    request_id BIGINT NOT NULL REFERENCES account_requests(id),
    position BIGINT NOT NULL,
    application_id BIGINT NOT NULL REFERENCES applications(id),
    application_name TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (request_id, position)
);

CREATE TABLE access_grants (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    person_id BIGINT NOT NULL REFERENCES people(id),
    application_id BIGINT NOT NULL REFERENCES applications(id),
    application_name TEXT NOT NULL,
    role TEXT NOT NULL,
    granted_request_id BIGINT NOT NULL REFERENCES account_requests(id),
    granted_at BIGINT NOT NULL,
    revoked_request_id BIGINT REFERENCES account_requests(id),
    revoked_at BIGINT
);
CREATE INDEX access_grants_person ON access_grants(person_id, revoked_at);
