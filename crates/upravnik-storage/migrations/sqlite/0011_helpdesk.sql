-- Fault reports (R.52–R.53, P.5.2): the report, every step of its way (timestamped), and the
-- comments, public to the reporter or internal. The times of the first response, resolution
-- and closing are kept on the report for the lists and the monthly report (P.5.1); they are
-- also derivable from the steps.
CREATE TABLE fault_report_numbers (
    office_id BIGINT NOT NULL REFERENCES offices(id),
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (office_id, year)
);

CREATE TABLE fault_reports (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    number TEXT NOT NULL,
    reporter_id BIGINT NOT NULL REFERENCES people(id),
    asset_id BIGINT REFERENCES assets(id),
    channel TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    state TEXT NOT NULL,
    assignee_user_id BIGINT REFERENCES users(id),
    minutes BIGINT NOT NULL DEFAULT 0,
    recorded_by_user_id BIGINT,
    recorded_by_name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    first_response_at BIGINT,
    resolved_at BIGINT,
    closed_at BIGINT
);
CREATE UNIQUE INDEX fault_reports_number ON fault_reports(office_id, number);
CREATE INDEX fault_reports_list ON fault_reports(office_id, state, id);
CREATE INDEX fault_reports_reporter ON fault_reports(reporter_id, id);
CREATE INDEX fault_reports_assignee ON fault_reports(assignee_user_id, state);
CREATE INDEX fault_reports_asset ON fault_reports(asset_id);

CREATE TABLE fault_report_steps (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    from_state TEXT,
    to_state TEXT NOT NULL,
    assignee_user_id BIGINT REFERENCES users(id),
    note TEXT NOT NULL DEFAULT '',
    minutes BIGINT NOT NULL DEFAULT 0,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX fault_report_steps_report ON fault_report_steps(report_id, id);

CREATE TABLE fault_report_comments (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    body TEXT NOT NULL,
    public BIGINT NOT NULL,
    minutes BIGINT NOT NULL DEFAULT 0,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX fault_report_comments_report ON fault_report_comments(report_id, id);
