-- The fault report list and search at 100,000 reports (issue 5; bench/reports_bench.py,
-- BENCHMARKS.md). Without these, every filter but the state read the office's rows through the
-- first index on office_id and sorted them (0.2–0.4 s at 100,000 reports on SQLite).
-- - The list's own order (newest first) over the office and with the assignee and priority
--   filters, so a page stops after its 50 rows and a count reads an index only.
-- - The deadline order as the list writes it (a report without a deadline last), over all
--   reports and over the open ones; the late filter's first-response deadline of open,
--   unanswered reports.
-- - A trigram index for the text search, as for the work log (0002): FTS5 here, pg_trgm on PostgreSQL.
-- `helpdesk.rs` (`report_filter`, `report_order`) writes the same expressions and conditions.
CREATE INDEX fault_reports_office ON fault_reports(office_id, id);
CREATE INDEX fault_reports_office_assignee ON fault_reports(office_id, assignee_user_id, id);
CREATE INDEX fault_reports_office_priority ON fault_reports(office_id, priority, id);
CREATE INDEX fault_reports_due_order ON fault_reports(office_id, COALESCE(resolution_due_at, 9223372036854775807), id);
CREATE INDEX fault_reports_open_due ON fault_reports(office_id, COALESCE(resolution_due_at, 9223372036854775807), id)
    WHERE state NOT IN ('resolved', 'closed');
CREATE INDEX fault_reports_open_response ON fault_reports(office_id, response_due_at)
    WHERE first_response_at IS NULL AND state NOT IN ('resolved', 'closed');

CREATE VIRTUAL TABLE fault_reports_fts USING fts5(search_key, content='', tokenize='trigram');
INSERT INTO fault_reports_fts (rowid, search_key) SELECT id, search_key FROM fault_reports;
CREATE TRIGGER fault_reports_fts_insert AFTER INSERT ON fault_reports
BEGIN INSERT INTO fault_reports_fts (rowid, search_key) VALUES (new.id, new.search_key); END;
CREATE TRIGGER fault_reports_fts_update AFTER UPDATE OF search_key ON fault_reports
BEGIN
    INSERT INTO fault_reports_fts (fault_reports_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key);
    INSERT INTO fault_reports_fts (rowid, search_key) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER fault_reports_fts_delete AFTER DELETE ON fault_reports
BEGIN INSERT INTO fault_reports_fts (fault_reports_fts, rowid, search_key) VALUES ('delete', old.id, old.search_key); END;
