-- The case register (src/server/register/). One file for SQLite and PostgreSQL: portable types
-- only (TEXT, BIGINT), dates as ISO 8601 text, no auto-increment. Statements end with ";" at the
-- end of a line; there is no ";" inside a statement.

CREATE TABLE IF NOT EXISTS applications (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT UNIQUE,
    request_hash TEXT NOT NULL,
    matter TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,
    answers TEXT NOT NULL,
    answers_sealed TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    decided_at TEXT,
    outcome TEXT,
    version TEXT,
    rules_digest TEXT,
    verdict TEXT,
    verdict_sealed TEXT,
    verdict_digest TEXT,
    number TEXT UNIQUE,
    number_kind TEXT,
    receipt TEXT,
    case_state TEXT,
    resume_until TEXT
);

CREATE TABLE IF NOT EXISTS personal_index (
    application_id TEXT NOT NULL,
    field TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (application_id, field)
);

CREATE INDEX IF NOT EXISTS personal_index_digest ON personal_index (digest);

CREATE TABLE IF NOT EXISTS counters (
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (kind, year)
);

CREATE TABLE IF NOT EXISTS uploads (
    application_id TEXT NOT NULL,
    material TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    received_at TEXT NOT NULL,
    flawed BIGINT NOT NULL,
    note TEXT,
    PRIMARY KEY (application_id, material)
);

CREATE TABLE IF NOT EXISTS ledger (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    material TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    due TEXT NOT NULL,
    remind_on TEXT NOT NULL,
    status TEXT NOT NULL,
    reminded_on TEXT,
    overdue_on TEXT,
    closed_on TEXT,
    UNIQUE (application_id, material)
);

CREATE INDEX IF NOT EXISTS ledger_status_due ON ledger (status, due);

CREATE TABLE IF NOT EXISTS handovers (
    code TEXT PRIMARY KEY,
    matter TEXT NOT NULL,
    channel TEXT NOT NULL,
    answers_sealed TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS events (
    id TEXT PRIMARY KEY,
    application_id TEXT,
    at TEXT NOT NULL,
    ord BIGINT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    rules_digest TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS events_application ON events (application_id, at, ord);
