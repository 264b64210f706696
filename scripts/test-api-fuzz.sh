#!/usr/bin/env bash
# Fuzzes the API as a client would (issue 22): schemathesis generates requests from the served
# /v1/openapi.json against `qiquan serve --dev --dev-issuer` on a loopback port, once without
# credentials and once as a clerk-and-supervisor ("lead" from the dev issuer), each for
# QIQUAN_API_FUZZ_SECONDS (default 30). Fails on any 5xx (check not_a_server_error); which roles
# may call what is server/tests/access.rs's job. Needs scripts/setup.sh (the venv) and a built
# qiquan binary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
st="$target/schemathesis-venv/bin/schemathesis"
[[ -x "$st" ]] || { echo "test-api-fuzz: run scripts/setup.sh first ($st missing)" >&2; exit 1; }
bin="${QIQUAN_BIN:-$target/debug/qiquan}"
[[ -x "$bin" ]] || cargo build --quiet -p qiquan-server --bin qiquan
seconds="${QIQUAN_API_FUZZ_SECONDS:-30}"
dir="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$bin" serve --dev --dev-issuer --addr "127.0.0.1:$port" --www /nonexistent --pkg /nonexistent \
  --db "$dir/qiquan.db" --data-dir "$dir/data" >"$dir/stdout" 2>"$dir/stderr" &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 100); do
  python3 -c "import urllib.request as u; u.urlopen('$url/healthz', timeout=1)" 2>/dev/null && break
  sleep 0.1
done
token="$(python3 -c "
import json, urllib.request as u
r = u.urlopen(u.Request('$url/dev-issuer/token', data=b'grant_type=password&username=lead'))
print(json.load(r)['access_token'])")"
run() {
  "$st" run "$url/v1/openapi.json" --checks not_a_server_error --phases fuzzing,stateful \
    --max-time "$seconds" -w 1 "$@"
}
echo "== without credentials"
run
echo "== as a clerk and supervisor (dev issuer)"
run -H "Authorization: Bearer $token"
if grep -q '"status":5\|status=5[0-9][0-9]' "$dir/stderr"; then
  echo "test-api-fuzz: the server answered 5xx (see its log)" >&2
  grep 'status=5' "$dir/stderr" | head >&2
  exit 1
fi
echo "test-api-fuzz: no 5xx"
