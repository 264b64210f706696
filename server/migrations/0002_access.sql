-- Access (src/server/access/): the applicant's capability, stored as its SHA-256 only; the
-- instant a clerk first opened a hand-over code (a code opens once).

ALTER TABLE applications ADD COLUMN capability_hash TEXT;

ALTER TABLE handovers ADD COLUMN opened_at TEXT;
