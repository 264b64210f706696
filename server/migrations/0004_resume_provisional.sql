-- A resume date reckoned into a year whose holiday notice (调休) is not yet published is the
-- engine's best reckoning, not a firm date: 1 marks it provisional.
ALTER TABLE applications ADD COLUMN resume_until_provisional BIGINT NOT NULL DEFAULT 0;
