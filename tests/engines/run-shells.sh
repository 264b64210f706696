#!/usr/bin/env bash
# The conformance corpus (full and compact) and a slice of the differential cases in the
# JavaScript engine shells: JavaScriptCore (`jsc`, Debian libjavascriptcoregtk-4.0-bin: the engine
# of Safari and of every browser on iOS) and SpiderMonkey (`js102`, Debian libmozjs-102-dev: the
# engine of Firefox), through pkg/ and its signed bundle, as ES modules, with a UTF-8
# TextEncoder/TextDecoder shim (tests/engines/textcodec.mjs). scripts/test-wasm.sh runs it after
# the differential cases are written (cargo run --example differential).
#
#   tests/engines/run-shells.sh            # both shells; fails if one is missing, fails or ran no case
#
# Env: QIQUAN_SHELL_DIFF_EVERY (default 10: every 10th differential case, plus every case given
# as bytes), CARGO_TARGET_DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

every="${QIQUAN_SHELL_DIFF_EVERY:-10}"
diff_all="${CARGO_TARGET_DIR:-$root/target}/differential/cases.jsonl"
[[ -s "$diff_all" ]] || { echo "engines: $diff_all is missing (cargo run --example differential)" >&2; exit 1; }
[[ -f pkg/qiquan_bg.wasm && -f pkg/rules/bundle.json ]] || { echo "engines: pkg/ is missing (scripts/build-wasm.sh)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd tests/conformance && find . -name '*.json' ! -name '*.expected.json' | sed 's|^\./||' | LC_ALL=C sort) > "$work/cases.txt"
awk -v n="$every" '(NR - 1) % n == 0 || /"kind":"check_bytes"/' "$diff_all" > "$work/diff.jsonl"

status=0
run() {
    local label="$1"; shift
    local started log last
    log="$work/$label.log"
    started=$(date +%s%N)
    if ! "$@" -m tests/engines/shell.mjs -- "$root" "$work/cases.txt" "$work/diff.jsonl" "$label" > "$log" 2>&1; then
        echo "engines: $label exited with an error" >&2
    fi
    grep -v '^[0-9]* passed, [0-9]* failed$' "$log" || true
    last="$(tail -n 1 "$log")"
    printf '%s: %s (%d ms)\n' "$label" "$last" "$(( ($(date +%s%N) - started) / 1000000 ))"
    if ! [[ "$last" =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] || (( BASH_REMATCH[1] == 0 )); then
        echo "engines: FAIL: $label" >&2
        status=1
    fi
}

if command -v jsc > /dev/null; then
    run "JavaScriptCore $(dpkg-query -W -f='${Version}' libjavascriptcoregtk-4.0-bin 2> /dev/null | cut -d- -f1) (jsc)" jsc
else
    echo "engines: FAIL: jsc not found (apt-get install libjavascriptcoregtk-4.0-bin; scripts/setup.sh)" >&2
    status=1
fi
if command -v js102 > /dev/null; then
    run "SpiderMonkey $(js102 --version | sed 's/^JavaScript-C//') (js102)" js102
else
    echo "engines: FAIL: js102 not found (apt-get install libmozjs-102-dev; scripts/setup.sh)" >&2
    status=1
fi
exit "$status"
