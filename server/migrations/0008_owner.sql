-- Whose application this is when the applicant was signed in through the provincial identity
-- platform (OIDC): the data key's HMAC of the token's subject (never the subject itself), so
-- `GET /v1/me/applications` finds them. NULL for applications made without signing in.

ALTER TABLE applications ADD COLUMN owner_hash TEXT;

CREATE INDEX IF NOT EXISTS applications_owner ON applications (owner_hash);
