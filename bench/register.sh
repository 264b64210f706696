#!/usr/bin/env bash
# Load test of the case register on loopback: POST /v1/applications (each request a new
# application: verdict, case number, signed receipt, audit events, all in one transaction) with
# SQLite and with PostgreSQL, CONNECTIONS concurrent connections for DURATION seconds each
# (defaults 16 and 10). A benchmark, not a test: it prints submissions/s and p50/p99 and fails
# only if a request failed, answered non-2xx, or the case numbers are not exactly 1..N.
#
#   bench/register.sh                 # both; builds the release binary, installs wrk if missing
#   bench/register.sh sqlite          # or postgres
#   QIQUAN_BIN=target/debug/qiquan bench/register.sh   # an existing binary (say which in reports)
#
# PostgreSQL runs through scripts/with-postgres.sh (fsync on, unlike the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
WHICH=${1:-both}

if ! command -v wrk >/dev/null 2>&1; then
  echo "== apt-get install wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if [ -z "${QIQUAN_BIN:-}" ]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
  cargo build --release --bin qiquan
  export QIQUAN_BIN="$CARGO_TARGET_DIR/release/qiquan"
fi

# run NAME DB: one server on DB, one wrk run, then the numbers checked.
run() {
  local name=$1 db=$2 work
  work=$(mktemp -d)
  "$QIQUAN_BIN" serve --addr 127.0.0.1:0 --dev --www /nonexistent --pkg /nonexistent \
    --db "$db" --data-dir "$work/data" >"$work/out" 2>"$work/log" &
  local pid=$!
  for _ in $(seq 100); do grep -qs listening "$work/out" && break; sleep 0.1; done
  local addr
  addr=$(sed -n 's#^listening on http://##p' "$work/out")
  [ -n "$addr" ] || { echo "server did not start"; cat "$work/log"; kill "$pid"; exit 1; }
  local result
  result=$(timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
    -s bench/submit.lua "http://$addr/v1/applications" | grep '^RESULT')
  # The last case number must equal the number of applications: no gap, no duplicate.
  local last count
  count=$(echo "$result" | sed 's/.*requests=\([0-9]*\).*/\1/')
  last=$(curl -fsS "http://$addr/v1/receipts/$(python3 -c "import urllib.parse,sys;print(urllib.parse.quote('受〔'+sys.argv[1]+'〕'+sys.argv[2].zfill(5)+'号'))" "$(date +%Y)" "$count")" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["valid"])' || echo missing)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
  echo "$name submissions/s: $result last_number_valid=$last"
  case "$result" in *non2xx_or_errors=0) ;; *) echo "errors in $name" >&2; exit 1 ;; esac
  [ "$last" = True ] || { echo "case number $count not found in $name" >&2; exit 1; }
}

echo "qiquan $("$QIQUAN_BIN" --version | awk '{print $2}') ($QIQUAN_BIN), $(nproc) cores, $CONNECTIONS connections, ${DURATION}s each"
if [ "$WHICH" = sqlite ] || [ "$WHICH" = both ]; then
  dir=$(mktemp -d)
  run "sqlite  " "$dir/bench.db"
  rm -rf "$dir"
fi
if [ "$WHICH" = postgres ] || [ "$WHICH" = both ]; then
  if [ -z "${QIQUAN_TEST_PG_URL:-}" ]; then
    QIQUAN_PG_FSYNC=on exec scripts/with-postgres.sh "$0" postgres
  fi
  psql -q "$QIQUAN_TEST_PG_URL" -c "DROP DATABASE IF EXISTS qiquan_bench" -c "CREATE DATABASE qiquan_bench"
  run "postgres" "${QIQUAN_TEST_PG_URL%/*}/qiquan_bench"
fi
