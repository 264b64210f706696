#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server on loopback and QIQUAN_TEST_PG_URL pointing
# at it (the register's PostgreSQL tests need it):
#
#   scripts/with-postgres.sh cargo test --test register
#
# Idempotent: installs Debian's postgresql when missing, creates the cluster once
# (QIQUAN_PG_DIR, default /tmp/qiquan-pg), reuses a server already running there (and leaves it
# running), else starts one on 127.0.0.1:QIQUAN_PG_PORT (default 55432) and stops it when the
# command ends. PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`.
# Small on purpose (16 MB shared buffers): the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."

PGDIR=${QIQUAN_PG_DIR:-/tmp/qiquan-pg}
PORT=${QIQUAN_PG_PORT:-55432}
say() { printf '\033[1m== %s\033[0m\n' "$*" >&2; }

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
if [ -z "$(bindir)" ] || [ ! -x "$(bindir)/initdb" ]; then
  say "apt-get install postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi
BIN=$(bindir)

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ ! -f "$PGDIR/PG_VERSION" ]; then
  say "initdb $PGDIR"
  mkdir -p "$PGDIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$PGDIR"
  chmod 700 "$PGDIR"
  as_owner "$BIN/initdb" -D "$PGDIR" -U qiquan --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi

started=0
if ! as_owner "$BIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
  say "pg_ctl start on 127.0.0.1:$PORT"
  as_owner "$BIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $PGDIR -c shared_buffers=16MB -c max_connections=150 -c fsync=${QIQUAN_PG_FSYNC:-off}" >/dev/null
  started=1
fi
stop() {
  if [ "$started" = 1 ]; then
    say "pg_ctl stop"
    as_owner "$BIN/pg_ctl" -D "$PGDIR" -m fast -w stop >/dev/null || true
  fi
}
trap stop EXIT

export PATH="$BIN:$PATH"
psql -q -h 127.0.0.1 -p "$PORT" -U qiquan -d postgres -tc \
  "SELECT 1 FROM pg_database WHERE datname = 'qiquan_test'" | grep -q 1 \
  || psql -q -h 127.0.0.1 -p "$PORT" -U qiquan -d postgres -c "CREATE DATABASE qiquan_test" >/dev/null
export QIQUAN_TEST_PG_URL="postgres://qiquan@127.0.0.1:$PORT/qiquan_test"
say "QIQUAN_TEST_PG_URL=$QIQUAN_TEST_PG_URL"
"$@"
