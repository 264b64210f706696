#!/usr/bin/env bash
# Load test of the case register on loopback: POST /v1/applications (each request a new
# application: verdict, case number, signed receipt, audit events, all in one transaction) with
# SQLite and with PostgreSQL, CONNECTIONS concurrent connections for DURATION seconds each
# (defaults 16 and 10). A benchmark, not a test: it prints submissions/s and p50/p99 and fails
# only if a request failed, answered non-2xx, or one more application's number is not right
# after the N counted (gap-freedom itself is proven by tests/register.rs).
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
  cargo build --release -p qiquan-server --bin qiquan
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
  # One more application after the run gets the next number: wrk counted N completed requests,
  # and up to CONNECTIONS more were in flight when it stopped, so N+1 .. N+1+CONNECTIONS.
  local count next
  count=$(echo "$result" | sed 's/.*requests=\([0-9]*\).*/\1/')
  next=$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' bench/submit.lua \
    | curl -fsS -H 'Content-Type: application/json' -H 'Idempotency-Key: bench-final' --data @- "http://$addr/v1/applications" \
    | python3 -c 'import json,sys,re; print(int(re.search(r"〕(\d+)", json.load(sys.stdin)["number"]).group(1)))' || echo missing)
  local last=False
  [ "$next" != missing ] && [ "$next" -ge "$((count + 1))" ] && [ "$next" -le "$((count + 1 + CONNECTIONS))" ] && last=True
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$work"
  echo "$name submissions/s: $result next_number=$next (expected $((count + 1))..$((count + 1 + CONNECTIONS)))"
  case "$result" in *non2xx_or_errors=0) ;; *) echo "errors in $name" >&2; exit 1 ;; esac
  [ "$last" = True ] || { echo "numbers in $name: $count applications, the next got $next" >&2; exit 1; }
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
