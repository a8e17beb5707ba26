-- The forms of a fault's life (R.52–R.53): work orders (Prilog 5) with their lines of parts and
-- material, hand-over records for an authorised service (Prilog 6), the service sheets on return
-- (R.52.5) with the scan of the stamped sheet, and the work an administrator recorded on a
-- report (a replaced part, an upgrade) that asks for a work order. Documents are numbered per
-- office, kind and year.
CREATE TABLE report_form_numbers (
    office_id BIGINT NOT NULL REFERENCES offices(id),
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (office_id, kind, year)
);

CREATE TABLE work_orders (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    number TEXT NOT NULL,
    order_date TEXT NOT NULL,
    asset_id BIGINT REFERENCES assets(id),
    unit_name TEXT NOT NULL,
    person_name TEXT NOT NULL,
    device TEXT NOT NULL,
    inventory_number TEXT NOT NULL,
    workplace TEXT NOT NULL,
    fault TEXT NOT NULL,
    work TEXT NOT NULL,
    kind TEXT NOT NULL,
    changes_book_value BIGINT NOT NULL,
    needs_money BIGINT NOT NULL,
    admin_user_id BIGINT,
    admin_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX work_orders_number ON work_orders(office_id, number);
CREATE INDEX work_orders_report ON work_orders(report_id, id);

CREATE TABLE work_order_items (
    id INTEGER PRIMARY KEY,
    work_order_id BIGINT NOT NULL REFERENCES work_orders(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    cost BIGINT NOT NULL,
    component_kind TEXT
);
CREATE INDEX work_order_items_order ON work_order_items(work_order_id, position);

CREATE TABLE report_handovers (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    number TEXT NOT NULL,
    handover_date TEXT NOT NULL,
    asset_id BIGINT REFERENCES assets(id),
    device TEXT NOT NULL,
    serial TEXT NOT NULL,
    inventory_number TEXT NOT NULL,
    service_name TEXT NOT NULL,
    service_address TEXT NOT NULL,
    service_contact TEXT NOT NULL,
    accessories TEXT NOT NULL,
    fault TEXT NOT NULL,
    handed_by TEXT NOT NULL,
    received_by TEXT NOT NULL,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX report_handovers_number ON report_handovers(office_id, number);
CREATE INDEX report_handovers_report ON report_handovers(report_id, id);

CREATE TABLE service_sheets (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    handover_id BIGINT REFERENCES report_handovers(id),
    sheet_date TEXT NOT NULL,
    fault_found TEXT NOT NULL,
    repair_done TEXT NOT NULL,
    warranty_months BIGINT NOT NULL,
    warranty_until TEXT NOT NULL,
    servicer TEXT NOT NULL,
    scan_name TEXT,
    scan_type TEXT,
    scan_size BIGINT NOT NULL DEFAULT 0,
    scan BLOB,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX service_sheets_report ON service_sheets(report_id, id);

CREATE TABLE report_work (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX report_work_report ON report_work(report_id, id);
