-- Every stored state and event kind is one of the names of its Rust enum
-- (src/server/register/states.rs, audit.rs; a test compares these lists with the enums).
-- SQLite cannot add a CHECK to a column in place, so each
-- table is rebuilt under a temporary name, copied, and renamed back (both databases accept
-- this); its indexes are created again.

CREATE TABLE applications_checked (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT UNIQUE,
    request_hash TEXT NOT NULL,
    matter TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'deciding', 'decided')),
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
    case_state TEXT CHECK (case_state IN ('accepted', 'pledged', 'pledge_kept', 'suspended', 'resumed', 'terminated', 'correction_notified', 'refused')),
    resume_until TEXT
);

INSERT INTO applications_checked (id, idempotency_key, request_hash, matter, channel, status,
    answers, answers_sealed, created_at, created_by, decided_at, outcome, version, rules_digest,
    verdict, verdict_sealed, verdict_digest, number, number_kind, receipt, case_state, resume_until)
SELECT id, idempotency_key, request_hash, matter, channel, status,
    answers, answers_sealed, created_at, created_by, decided_at, outcome, version, rules_digest,
    verdict, verdict_sealed, verdict_digest, number, number_kind, receipt, case_state, resume_until
FROM applications;

DROP TABLE applications;

ALTER TABLE applications_checked RENAME TO applications;

CREATE TABLE ledger_checked (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    material TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    due TEXT NOT NULL,
    remind_on TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('owed', 'supplied', 'overdue', 'waived')),
    reminded_on TEXT,
    overdue_on TEXT,
    closed_on TEXT,
    UNIQUE (application_id, material)
);

INSERT INTO ledger_checked (id, application_id, material, name_zh, name_en, due, remind_on,
    status, reminded_on, overdue_on, closed_on)
SELECT id, application_id, material, name_zh, name_en, due, remind_on,
    status, reminded_on, overdue_on, closed_on
FROM ledger;

DROP TABLE ledger;

ALTER TABLE ledger_checked RENAME TO ledger;

CREATE INDEX IF NOT EXISTS ledger_status_due ON ledger (status, due);

CREATE TABLE events_checked (
    id TEXT PRIMARY KEY,
    application_id TEXT,
    at TEXT NOT NULL,
    ord BIGINT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('application_created', 'application_decided', 'material_received', 'material_flawed', 'pledge_item_owed', 'pledge_reminder_due', 'pledge_item_supplied', 'pledge_item_waived', 'pledge_item_overdue', 'pledge_broken', 'pledge_kept', 'case_suspended', 'case_resumed', 'case_terminated', 'handover_created')),
    detail TEXT NOT NULL,
    rules_digest TEXT NOT NULL
);

INSERT INTO events_checked (id, application_id, at, ord, actor, kind, detail, rules_digest)
SELECT id, application_id, at, ord, actor, kind, detail, rules_digest
FROM events;

DROP TABLE events;

ALTER TABLE events_checked RENAME TO events;

CREATE INDEX IF NOT EXISTS events_application ON events (application_id, at, ord);
