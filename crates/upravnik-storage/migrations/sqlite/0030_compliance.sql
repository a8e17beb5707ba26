-- The yearly compliance check (ZIB 91/2025 čl. 7 t. 5, čl. 12): a result and finding per measure,
-- corrective actions with owners and due dates; the acts reviewed yearly (čl. 11, 12).
CREATE TABLE compliance_checks (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    law TEXT NOT NULL,
    checked_by TEXT NOT NULL,
    started_on TEXT NOT NULL,
    completed_on TEXT,
    conclusion TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX compliance_checks_office ON compliance_checks(office_id, year);

CREATE TABLE compliance_findings (
    check_id BIGINT NOT NULL REFERENCES compliance_checks(id),
    no BIGINT NOT NULL,
    result TEXT NOT NULL,
    finding TEXT NOT NULL,
    PRIMARY KEY (check_id, no)
);

CREATE TABLE corrective_actions (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    check_id BIGINT NOT NULL REFERENCES compliance_checks(id),
    no BIGINT,
    action TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_on TEXT NOT NULL,
    state TEXT NOT NULL,
    done_on TEXT,
    done_note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX corrective_actions_check ON corrective_actions(check_id);
CREATE INDEX corrective_actions_open ON corrective_actions(office_id, state, due_on);

CREATE TABLE security_acts (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    act_date TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX security_acts_office ON security_acts(office_id, kind, act_date);

-- R.21: the head of the ICT section proposes, the head of administration approves by an act;
-- the procurement reference links the equipment delivered (assets.procurement_ref).
CREATE TABLE procurement_proposals (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    title TEXT NOT NULL,
    reason TEXT NOT NULL,
    estimate_para BIGINT NOT NULL,
    proposed_by TEXT NOT NULL,
    proposed_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    act_number TEXT NOT NULL DEFAULT '',
    act_date TEXT,
    decided_by TEXT,
    decided_at BIGINT,
    decision_note TEXT NOT NULL DEFAULT '',
    procurement_ref TEXT NOT NULL DEFAULT ''
);
CREATE INDEX procurement_proposals_office ON procurement_proposals(office_id, proposed_at);
CREATE INDEX assets_procurement_ref ON assets(office_id, procurement_ref);

-- Records of processing activities (ZZPL čl. 47), kept permanently: each change is a new version.
CREATE TABLE processing_records (
    office_id BIGINT NOT NULL REFERENCES offices(id),
    record_no BIGINT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    system TEXT NOT NULL,
    controller TEXT NOT NULL,
    purpose TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    subjects TEXT NOT NULL,
    data_kinds TEXT NOT NULL,
    recipients TEXT NOT NULL,
    transfers TEXT NOT NULL,
    retention TEXT NOT NULL,
    safeguards TEXT NOT NULL,
    ended_on TEXT,
    change_note TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (office_id, record_no, version)
);
CREATE TRIGGER processing_records_no_update BEFORE UPDATE ON processing_records
BEGIN SELECT RAISE(ABORT, 'records of processing activities are kept permanently'); END;
CREATE TRIGGER processing_records_no_delete BEFORE DELETE ON processing_records
BEGIN SELECT RAISE(ABORT, 'records of processing activities are kept permanently'); END;
