-- Service levels of fault reports (issue 5) and the monthly report on the work of the staff
-- (P.5.1). The deadlines are computed in Rust from the priority, the creation time and the
-- office's working hours and targets (upravnik-core sla.rs), and stored so that lists filter
-- and sort by them. Reports made before this migration have none.
ALTER TABLE fault_reports ADD COLUMN response_due_at BIGINT;
ALTER TABLE fault_reports ADD COLUMN resolution_due_at BIGINT;
CREATE INDEX fault_reports_due ON fault_reports(office_id, resolution_due_at);
CREATE INDEX fault_reports_created ON fault_reports(office_id, created_at);
CREATE INDEX fault_reports_resolved ON fault_reports(office_id, resolved_at);

-- One row per office once an administrator saves its settings; the defaults of sla.rs until then.
CREATE TABLE sla_settings (
    office_id BIGINT PRIMARY KEY REFERENCES offices(id),
    days TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    urgent_response BIGINT NOT NULL,
    urgent_resolution BIGINT NOT NULL,
    high_response BIGINT NOT NULL,
    high_resolution BIGINT NOT NULL,
    normal_response BIGINT NOT NULL,
    normal_resolution BIGINT NOT NULL,
    low_response BIGINT NOT NULL,
    low_resolution BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
