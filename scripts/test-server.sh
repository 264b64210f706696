#!/usr/bin/env bash
# Server tests: unit tests of server/src/server/ (receipt signing, key files, the register's pieces),
# server/tests/server.rs, which starts the real `qiquan serve` binary on loopback ports and exercises
# every endpoint and every bad-input case, and hostile clients (limits, timeouts, shutdown under
# load), and server/tests/register.rs (the case register on SQLite and PostgreSQL;
# scripts/with-postgres.sh installs and starts PostgreSQL). The load tests (bench/load.sh,
# bench/register.sh) and the storm (bench/storm.sh) are measurements, run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -p qiquan-server --bin qiquan server::
cargo test -p qiquan-server --test server
# The case register, on SQLite and on a throw-away PostgreSQL.
QIQUAN_REQUIRE_PG=1 scripts/with-postgres.sh cargo test -p qiquan-server --test register
# The fault suite: full disks, the database file lost, PostgreSQL stopped, kill -9 (needs root
# for its tmpfs mounts; QIQUAN_REQUIRE_FAULTS=1 makes a skipped fault a failure).
QIQUAN_REQUIRE_FAULTS=${QIQUAN_REQUIRE_FAULTS:-1} cargo test -p qiquan-server --test faults
