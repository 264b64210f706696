-- The identity an application's credit pledge binds (src/server/access/pledge.rs): JSON of
-- `PledgeIdentity` — the clerk who verified the applicant at the window and the document type,
-- a clerk's application without a recorded check, or an online/kiosk application (unverified).
-- NULL for applications recorded before this column.

ALTER TABLE applications ADD COLUMN pledge_identity TEXT;
