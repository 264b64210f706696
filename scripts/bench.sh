#!/usr/bin/env bash
# The benchmarks, side by side (see docs/bench.md). Benchmarks, not tests: nothing here fails
# on a slow number; it prints one table (case, runtime, median, p99, ratio, goal).
#
#   scripts/bench.sh            # full run (~6 min after the builds)
#   scripts/bench.sh --quick    # shorter samples, for trying things out
#
# 1. native: criterion (`cargo bench --bench engine`), which also writes bench/out/fixtures.json
#    (the generated typical and large matters and their submissions);
# 2. builds pkg/ (scripts/build-wasm.sh; a no-op when nothing changed);
# 3. the server: bench/load.sh (release binary, wrk): /healthz, /check and the register's
#    submission against one server, and their ratios;
# 4. Node: the same checks through pkg/, each alternating with the same call natively
#    (bench/native_timer.rs) for the ratio, ajv on an equivalent JSON Schema, and a hand-written
#    JS validator of the typical form (bench/hand_validator.mjs);
# 5. Chromium: cold start of pkg/ and the per-keystroke re-check (bench/side_by_side.mjs);
# 6. Chromium: the first verdict as the pages get it (the signed bundle in pkg/rules/ through
#    www/src/rules.ts) against a tiny wasm module's, fresh contexts (bench/first_verdict.mjs).
# Every step's output goes through `step`, which keeps the `RATIO name value goal…` lines any
# benchmark prints; bench/table.mjs then writes the one table (side_by_side's rows, then one row
# per RATIO line with its goal, met or not) to bench/out/table.md. A new benchmark that prints
# RATIO lines needs only to run here through `step`.
#
# Env: CARGO_TARGET_DIR, QIQUAN_WASM_TARGET_DIR (the target dir for the wasm build, default
#      CARGO_TARGET_DIR), QIQUAN_CHROMIUM (default /usr/bin/chromium), QIQUAN_BIN (the server
#      binary for bench/load.sh; default: build it), LOAD_DURATION (seconds per route, default
#      10, 3 with --quick).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=()
criterion=()
load_duration=${LOAD_DURATION:-10}
if [[ "${1:-}" == "--quick" ]]; then
    quick=(--quick)
    criterion=(--warm-up-time 1 --measurement-time 2)
    load_duration=${LOAD_DURATION:-3}
fi

mkdir -p bench/out
steps=bench/out/steps.log
: >"$steps"
# step CMD…: runs a benchmark, its output shown and kept (the RATIO lines are read from it).
step() { "$@" | tee -a "$steps"; }
export CRITERION_HOME="$root/bench/out/criterion"

printf '== native (criterion)\n' >&2
# Without default features: the library only (the CLI binary is not needed to bench it).
cargo bench -p qiquan --quiet --bench engine --no-default-features --features toml,embed,sign -- "${criterion[@]}" >bench/out/criterion.log 2>&1 ||
    { cat bench/out/criterion.log >&2; exit 1; }

printf '== native timer (the native half of the paired Node/native ratios)\n' >&2
cargo build -p qiquan --quiet --release --example native_timer --no-default-features --features toml,embed
export QIQUAN_NATIVE_TIMER="${CARGO_TARGET_DIR:-$root/target}/release/examples/native_timer"

printf '== pkg/ (scripts/build-wasm.sh)\n' >&2
CARGO_TARGET_DIR="${QIQUAN_WASM_TARGET_DIR:-${CARGO_TARGET_DIR:-$root/target}}" scripts/build-wasm.sh >&2

printf '== server (bench/load.sh, %ss per route)\n' "$load_duration" >&2
step env DURATION="$load_duration" bench/load.sh

printf '== Node and Chromium\n' >&2
step node bench/side_by_side.mjs --rows bench/out/rows.json "${quick[@]}"

printf '== Chromium first verdict ÷ floor (bench/first_verdict.mjs)\n' >&2
fv_runs=15
[[ ${#quick[@]} -gt 0 ]] && fv_runs=7
step node bench/first_verdict.mjs --runs "$fv_runs"

printf '== the table (bench/out/table.md)\n' >&2
grep '^RATIO ' "$steps" >bench/out/ratios.txt || true
node bench/table.mjs --rows bench/out/rows.json --ratios bench/out/ratios.txt --markdown bench/out/table.md
