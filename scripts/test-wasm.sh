#!/usr/bin/env bash
# The wasm package and its proof of identical results: builds pkg/, then runs the conformance
# corpus in Node and in headless Chromium, the JS API tests, the TypeScript declarations check,
# the native-vs-wasm differential test, the corpus and a slice of the differential cases in the
# JavaScriptCore and SpiderMonkey shells (jsc, js102), and the corpus through the glue-free core
# module (pkg/core/qiquan-core.wasm) in Python wasmtime. Every runner fails if it ran zero cases.
#
#   scripts/test-wasm.sh
#
# Env: CARGO_TARGET_DIR, QIQUAN_DIFF_PER_MATTER (default 2000), QIQUAN_DIFF_SEED,
#      QIQUAN_CHROMIUM (default /usr/bin/chromium), QIQUAN_SHELL_DIFF_EVERY (default 10).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

step() { printf '\n== %s\n' "$*"; }

step "build pkg/"
scripts/build-wasm.sh

step "Node: conformance corpus and JS API (node --test tests/node/)"
log="$(mktemp)"
if ! node --test tests/node/ >"$log" 2>&1; then
    cat "$log"
    rm -f "$log"
    exit 1
fi
grep -E '^# (node conformance|node check|tests|pass|fail)' "$log"
rm -f "$log"

step "TypeScript: pkg/qiquan.d.ts"
node node_modules/typescript/bin/tsc --noEmit --strict --target es2022 --module nodenext \
    --moduleResolution nodenext --skipLibCheck tests/wasm/types-check.ts

step "Chromium: conformance corpus"
node tests/wasm/browser.mjs

step "differential: native vs wasm"
cargo run -q -p qiquan --example differential
node tests/wasm/differential.mjs

step "JavaScriptCore and SpiderMonkey shells: conformance corpus and a differential slice"
tests/engines/run-shells.sh

step "core module (no imports, no glue) in Python wasmtime: conformance corpus"
target/py/bin/python tests/core/run_corpus.py
