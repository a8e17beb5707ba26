-- E-mail for the helpdesk (R.52.1, P.5.2, issue 5). Every message read from the mailbox is
-- recorded under its (mailbox, UIDVALIDITY, UID) in the same transaction as the report or
-- comment it became; the unique key makes a second import impossible, and the message is flagged
-- \Seen only after that commit. Message-IDs received and sent are kept per report so replies
-- thread. Files that came with messages are kept with the report (like the service-sheet scan).
-- The outbox holds notices to reporters, written in the transaction of the change they tell of
-- and delivered later with retries.
CREATE TABLE mail_imports (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    mailbox TEXT NOT NULL,
    uid_validity BIGINT NOT NULL,
    uid BIGINT NOT NULL,
    message_id TEXT NOT NULL DEFAULT '',
    sender TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    report_id BIGINT REFERENCES fault_reports(id),
    comment_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX mail_imports_uid ON mail_imports(mailbox, uid_validity, uid);
CREATE INDEX mail_imports_message ON mail_imports(office_id, message_id);

CREATE TABLE mail_threads (
    office_id BIGINT NOT NULL REFERENCES offices(id),
    message_id TEXT NOT NULL,
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    -- 0: received (the reporter's), 1: sent by Upravnik.
    sent BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (office_id, message_id)
);
CREATE INDEX mail_threads_report ON mail_threads(report_id, sent, created_at);

CREATE TABLE fault_report_attachments (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    comment_id BIGINT REFERENCES fault_report_comments(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    data BLOB NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX fault_report_attachments_report ON fault_report_attachments(report_id, id);

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    report_id BIGINT NOT NULL REFERENCES fault_reports(id),
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT,
    comment_id BIGINT,
    text TEXT NOT NULL DEFAULT '',
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL DEFAULT '',
    subject TEXT NOT NULL DEFAULT '',
    message_id TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX mail_outbox_due ON mail_outbox(status, next_attempt_at);
CREATE INDEX mail_outbox_office ON mail_outbox(office_id, id);

-- The sender of a message is found by address.
CREATE INDEX people_email ON people(office_id, lower(email));
