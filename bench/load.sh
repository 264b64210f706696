#!/usr/bin/env bash
# Load test of `qiquan serve` on loopback, three routes against ONE server in one run:
#   healthz  GET /healthz (no engine work: the floor of this host, this run)
#   check    POST /v1/matters/public_place_hygiene_license/check (a revalidation: verdict, no receipt)
#   submit   POST /v1/applications (the case register: a decided application with its 文号 and a
#            signed receipt; SQLite, a fresh temporary database; a new Idempotency-Key per request)
# then the ratios check ÷ healthz and submit ÷ healthz as grep-able lines:
#   RATIO server_check_over_healthz 0.53 goal>=0.5
# A benchmark, not a test: it fails only if any request failed or answered non-2xx.
#
#   bench/load.sh                      # builds the release binary, installs wrk if missing
#   DURATION=30 bench/load.sh          # seconds per route (default 15)
#   QIQUAN_BIN=/path/to/qiquan bench/load.sh   # an existing binary (say which in reports)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-64}
SUBMIT_CONNECTIONS=${SUBMIT_CONNECTIONS:-16}
THREADS=${THREADS:-2}

if ! command -v wrk >/dev/null 2>&1; then
  echo "== apt-get install wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
if [ -z "${QIQUAN_BIN:-}" ]; then
  export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
  cargo build --release -p qiquan-server --bin qiquan
  QIQUAN_BIN="$CARGO_TARGET_DIR/release/qiquan"
fi
BIN=$QIQUAN_BIN

WORK=$(mktemp -d)
"$BIN" serve --addr 127.0.0.1:0 --dev --www /nonexistent --pkg /nonexistent \
  --db "$WORK/bench.db" --data-dir "$WORK/data" >"$WORK/out" 2>"$WORK/log" &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do grep -qs listening "$WORK/out" && break; sleep 0.1; done
ADDR=$(sed -n 's#^listening on http://##p' "$WORK/out")
[ -n "$ADDR" ] || { echo "server did not start"; cat "$WORK/log"; exit 1; }
# The access log goes to a temp file, as in production.

body() { sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' "$1"; }
# Sanity: the check answers accept (without a receipt), the submission is accepted with one.
# (Each answer is read whole before grep: `curl | grep -q` stops reading at the match, and curl's
# SIGPIPE on the rest of a 14 KB answer then failed the pipeline, silently, now and then.)
answer=$(curl -fsS -H 'Content-Type: application/json' --data "$(body bench/check.lua)" \
  "http://$ADDR/v1/matters/public_place_hygiene_license/check")
grep -q '"outcome": *"accept"' <<<"$answer"
answer=$(curl -fsS -H 'Content-Type: application/json' -H 'Idempotency-Key: bench-sanity' \
  --data "$(body bench/submit.lua)" "http://$ADDR/v1/applications")
grep -q '"signature":"[0-9a-f]\{128\}"' <<<"$answer"

declare -A RPS
run() {
  local name=$1 script=$2 path=$3 connections=$4
  local result
  result=$(timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --timeout 10s \
    -s "$script" "http://$ADDR$path" | grep '^RESULT')
  printf '%-8s c=%-3s %s\n' "$name" "$connections" "$result"
  case "$result" in *non2xx_or_errors=0) ;; *) echo "errors in $name" >&2; exit 1 ;; esac
  RPS[$name]=$(echo "$result" | sed 's/.*rps=\([0-9.]*\).*/\1/')
}

echo "qiquan $("$BIN" --version | awk '{print $2}') ($BIN), $(nproc) cores, ${DURATION}s each, SQLite in $WORK (WAL, full sync)"
run healthz bench/health.lua /healthz "$CONNECTIONS"
run check bench/check.lua /v1/matters/public_place_hygiene_license/check "$CONNECTIONS"
run submit bench/submit.lua /v1/applications "$SUBMIT_CONNECTIONS"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
echo "RATIO server_check_over_healthz $(ratio "${RPS[check]}" "${RPS[healthz]}") goal>=0.5"
echo "RATIO server_submit_over_healthz $(ratio "${RPS[submit]}" "${RPS[healthz]}") goal>=0.35"
