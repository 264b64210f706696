#!/usr/bin/env bash
# Builds the web forms (tsc + vite build) and runs the browser tests in real Chromium
# (tests/e2e/*.test.mjs through `node --test`). Builds pkg/ (scripts/build-wasm.sh) and the
# qiquan binary (for `qiquan serve --dev`) first if they are missing.
#
#   scripts/test-www.sh              # everything
#   scripts/test-www.sh kiosk        # only tests/e2e/kiosk.test.mjs
#
# Env: CARGO_TARGET_DIR (where to find/build the binary), QIQUAN_BIN (use this binary),
#      QIQUAN_E2E_STATIC=1 (serve with a small Node server instead; the submit test is skipped),
#      CHROMIUM (default /usr/bin/chromium).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

[[ -d node_modules/vite && -d node_modules/pdfjs-dist ]] || npm ci --no-audit --no-fund

if [[ ! -f pkg/qiquan.js || ! -f pkg/qiquan_bg.wasm ]]; then
    echo "test-www: pkg/ missing, running scripts/build-wasm.sh" >&2
    bash scripts/build-wasm.sh
fi

# The binary the tests start as `qiquan serve --dev` (the harness looks in CARGO_TARGET_DIR and target/).
if [[ -z "${QIQUAN_BIN:-}" && "${QIQUAN_E2E_STATIC:-}" != 1 ]]; then
    have=""
    for d in "${CARGO_TARGET_DIR:-}" "$root/target"; do
        for p in release debug; do
            if [[ -n "$d" && -x "$d/$p/qiquan" ]] && "$d/$p/qiquan" serve --help >/dev/null 2>&1; then have="$d/$p/qiquan"; break 2; fi
        done
    done
    if [[ -z "$have" ]]; then
        echo "test-www: building the qiquan binary (cargo build)" >&2
        cargo build --quiet -p qiquan-server --bin qiquan
    fi
fi

# A CJK font (without one Chromium prints boxes and the PDF text checks fail) is installed by
# scripts/setup.sh.

npx --no-install tsc -p www/tsconfig.json
npx --no-install vite build --config www/vite.config.ts --logLevel warn

mkdir -p test-results
files=()
if [[ $# -gt 0 ]]; then
    for n in "$@"; do files+=("tests/e2e/$n.test.mjs"); done
else
    files=(tests/e2e/)
fi

log="test-results/e2e.tap"
set +e
node --test --test-concurrency=1 --test-reporter=tap "${files[@]}" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
pass=$(awk '/^# pass /{print $3}' "$log" | tail -1)
fail=$(awk '/^# fail /{print $3}' "$log" | tail -1)
skip=$(awk '/^# skipped /{print $3}' "$log" | tail -1)
echo "www: ${pass:-0} passed, ${fail:-0} failed, ${skip:-0} skipped"
exit "$status"
