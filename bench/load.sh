#!/usr/bin/env bash
# Load test of `qiquan serve` on loopback: POST /v1/matters/{id}/check next to GET /healthz, 64
# concurrent connections, DURATION seconds each (default 15). A benchmark, not a test: it prints
# requests/s and p50/p99 and fails only if any request failed or answered non-2xx.
#
#   bench/load.sh              # builds the release binary, installs wrk if missing
#   DURATION=30 bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}

if ! command -v wrk >/dev/null 2>&1; then
  echo "== apt-get install wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release --bin qiquan
BIN="$CARGO_TARGET_DIR/release/qiquan"

OUT=$(mktemp)
LOG=$(mktemp)
"$BIN" serve --addr 127.0.0.1:0 --dev --www /nonexistent --pkg /nonexistent >"$OUT" 2>"$LOG" &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -f "$OUT" "$LOG"' EXIT
for _ in $(seq 100); do grep -q listening "$OUT" && break; sleep 0.1; done
ADDR=$(sed -n 's#^listening on http://##p' "$OUT")
[ -n "$ADDR" ] || { echo "server did not start"; cat "$LOG"; exit 1; }
# Access logs to /dev/null would be fairer; here they go to a temp file, as in production.

# Sanity: the check answers accept.
curl -fsS -H 'Content-Type: application/json' \
  --data "$(sed -n 's/^wrk.body = \[\[\(.*\)\]\]$/\1/p' bench/check.lua)" \
  "http://$ADDR/v1/matters/public_place_hygiene_license/check" | grep -q '"outcome":"accept"'

run() {
  local name=$1 script=$2 path=$3
  local result
  result=$(timeout $((DURATION + 30)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s \
    -s "$script" "http://$ADDR$path" | grep '^RESULT')
  echo "$name $result"
  case "$result" in *non2xx_or_errors=0) ;; *) echo "errors in $name" >&2; exit 1 ;; esac
}

echo "qiquan $("$BIN" --version | awk '{print $2}'), $(nproc) cores, $CONNECTIONS connections, ${DURATION}s each"
run "healthz" bench/health.lua /healthz
run "check  " bench/check.lua /v1/matters/public_place_hygiene_license/check
