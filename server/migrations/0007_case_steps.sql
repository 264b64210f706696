-- The case after acceptance (src/server/register/cases.rs): each step a clerk records — review,
-- a hearing offered, a special procedure's start and end (行政许可法 §45), an extension (§42),
-- the decision (§38), service (§44), 办结 — as one row, in order, with the record the engine's
-- case::step accepted (JSON of qiquan::case::CaseRecord) and the document it issued (numbered,
-- sealed: it names the applicant). The acceptance and the pledge's events come from the
-- application and the 容缺 ledger; the case's stage and dues are the engine's replay of all of
-- them (case_clock), never stored. The names below are the enums' in states.rs (a test compares).

CREATE TABLE case_steps (
    id TEXT PRIMARY KEY,
    application_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    on_day TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('review_started', 'hearing_offered', 'special_started', 'special_ended', 'extended', 'decided', 'served', 'closed')),
    record TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    document_kind TEXT CHECK (document_kind IN ('special_procedure', 'extension', 'grant', 'denial', 'termination', 'service_receipt')),
    document_number TEXT UNIQUE,
    document_sealed TEXT,
    UNIQUE (application_id, seq)
);

CREATE INDEX IF NOT EXISTS case_steps_application ON case_steps (application_id, seq);

CREATE TABLE events_checked (
    id TEXT PRIMARY KEY,
    application_id TEXT,
    at TEXT NOT NULL,
    ord BIGINT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('application_created', 'application_decided', 'material_received', 'material_flawed', 'pledge_item_owed', 'pledge_reminder_due', 'pledge_item_supplied', 'pledge_item_waived', 'pledge_item_overdue', 'pledge_broken', 'pledge_kept', 'case_suspended', 'case_resumed', 'case_terminated', 'handover_created', 'handover_opened', 'personal_data_read', 'case_review_started', 'case_hearing_offered', 'case_special_started', 'case_special_ended', 'case_extended', 'case_decided', 'case_served', 'case_closed')),
    detail TEXT NOT NULL,
    rules_digest TEXT NOT NULL
);

INSERT INTO events_checked (id, application_id, at, ord, actor, kind, detail, rules_digest)
SELECT id, application_id, at, ord, actor, kind, detail, rules_digest
FROM events;

DROP TABLE events;

ALTER TABLE events_checked RENAME TO events;

CREATE INDEX IF NOT EXISTS events_application ON events (application_id, at, ord);
