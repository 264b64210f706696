-- The register's identity: a random id, also written to <data-dir>/register.id, so that a
-- server started on a database that is missing or new while its data directory has served
-- another register refuses to start instead of issuing its document numbers (文号) again.
CREATE TABLE IF NOT EXISTS register_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
