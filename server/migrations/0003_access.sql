-- Access (src/server/access/): the applicant's capability, stored as its SHA-256 only; the
-- instant a clerk first opened a hand-over code (a code opens once); and two event kinds for
-- reads, so `events.kind`'s CHECK is rebuilt with them (as 0002 does: a new table, copied,
-- renamed back; the last CHECK in the migrations is the one in force).

ALTER TABLE applications ADD COLUMN capability_hash TEXT;

ALTER TABLE handovers ADD COLUMN opened_at TEXT;

CREATE TABLE events_checked (
    id TEXT PRIMARY KEY,
    application_id TEXT,
    at TEXT NOT NULL,
    ord BIGINT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('application_created', 'application_decided', 'material_received', 'material_flawed', 'pledge_item_owed', 'pledge_reminder_due', 'pledge_item_supplied', 'pledge_item_waived', 'pledge_item_overdue', 'pledge_broken', 'pledge_kept', 'case_suspended', 'case_resumed', 'case_terminated', 'handover_created', 'handover_opened', 'personal_data_read')),
    detail TEXT NOT NULL,
    rules_digest TEXT NOT NULL
);

INSERT INTO events_checked (id, application_id, at, ord, actor, kind, detail, rules_digest)
SELECT id, application_id, at, ord, actor, kind, detail, rules_digest
FROM events;

DROP TABLE events;

ALTER TABLE events_checked RENAME TO events;

CREATE INDEX IF NOT EXISTS events_application ON events (application_id, at, ord);
