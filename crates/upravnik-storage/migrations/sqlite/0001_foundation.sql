-- Foundation: offices, organisation, people, accounts, sessions, API tokens, the work log.
-- Times are microseconds since the Unix epoch, UTC (BIGINT on both databases).
CREATE TABLE offices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE org_units (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    parent_id BIGINT REFERENCES org_units(id),
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX org_units_office ON org_units(office_id, search_key);

CREATE TABLE workplaces (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    unit_id BIGINT NOT NULL REFERENCES org_units(id),
    name TEXT NOT NULL,
    room TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX workplaces_office ON workplaces(office_id, unit_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    given_name TEXT NOT NULL,
    family_name TEXT NOT NULL,
    birth_date TEXT,
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    unit_id BIGINT REFERENCES org_units(id),
    workplace_id BIGINT REFERENCES workplaces(id),
    search_key TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX people_office ON people(office_id, family_name, given_name);
CREATE INDEX people_unit ON people(unit_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    person_id BIGINT NOT NULL UNIQUE REFERENCES people(id),
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'sr-Cyrl',
    active BIGINT NOT NULL DEFAULT 1,
    password_changed_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id BIGINT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE user_offices (
    user_id BIGINT NOT NULL REFERENCES users(id),
    office_id BIGINT NOT NULL REFERENCES offices(id),
    PRIMARY KEY (user_id, office_id)
);

CREATE TABLE login_throttle (
    login_key TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    locked_until BIGINT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

-- The work log (R.20). Rows are only ever inserted; `seq`/`prev_hash`/`hash` form one chain per office.
CREATE TABLE worklog (
    id INTEGER PRIMARY KEY,
    office_id BIGINT NOT NULL REFERENCES offices(id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    actor_user_id BIGINT,
    actor_name TEXT NOT NULL,
    category TEXT NOT NULL,
    object_kind TEXT,
    object_id TEXT,
    object_label TEXT,
    confidential BIGINT NOT NULL DEFAULT 0,
    body TEXT NOT NULL,
    search_key TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (office_id, seq)
);
CREATE INDEX worklog_office_id ON worklog(office_id, id);
CREATE INDEX worklog_office_at ON worklog(office_id, at);
CREATE INDEX worklog_category ON worklog(office_id, category, id);
CREATE INDEX worklog_actor ON worklog(office_id, actor_user_id, id);
CREATE INDEX worklog_object ON worklog(office_id, object_kind, object_id, id);

CREATE TABLE worklog_heads (
    office_id BIGINT PRIMARY KEY REFERENCES offices(id),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);

-- Append-only at the database too: an UPDATE or DELETE must first drop this trigger, and
-- `upravnik worklog verify` still names what was changed.
CREATE TRIGGER worklog_no_update BEFORE UPDATE ON worklog
BEGIN SELECT RAISE(ABORT, 'the work log is append-only'); END;
CREATE TRIGGER worklog_no_delete BEFORE DELETE ON worklog
BEGIN SELECT RAISE(ABORT, 'the work log is append-only'); END;
