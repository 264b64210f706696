#!/usr/bin/env bash
# The benchmarks, side by side (see docs/bench.md). Benchmarks, not tests: nothing here fails
# on a slow number; it prints one table (case, runtime, median, p99, ratio, goal).
#
#   scripts/bench.sh            # full run (~4 min after the builds)
#   scripts/bench.sh --quick    # shorter samples, for trying things out
#
# 1. native: criterion (`cargo bench --bench engine`), which also writes bench/out/fixtures.json
#    (the generated typical and large matters and their submissions);
# 2. builds pkg/ (scripts/build-wasm.sh; a no-op when nothing changed);
# 3. Node: the same checks through pkg/, each alternating with the same call natively
#    (bench/native_timer.rs) for the ratio, and ajv on an equivalent JSON Schema;
# 4. Chromium: cold start of pkg/ and the per-keystroke re-check (bench/side_by_side.mjs).
# The table is also written to bench/out/table.md.
#
# Env: CARGO_TARGET_DIR, QIQUAN_WASM_TARGET_DIR (the target dir for the wasm build, default
#      CARGO_TARGET_DIR), QIQUAN_CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

quick=()
criterion=()
if [[ "${1:-}" == "--quick" ]]; then
    quick=(--quick)
    criterion=(--warm-up-time 1 --measurement-time 2)
fi

mkdir -p bench/out
export CRITERION_HOME="$root/bench/out/criterion"

printf '== native (criterion)\n' >&2
# Without default features: the library only (the CLI binary is not needed to bench it).
cargo bench --quiet --bench engine --no-default-features --features toml -- "${criterion[@]}" >bench/out/criterion.log 2>&1 ||
    { cat bench/out/criterion.log >&2; exit 1; }

printf '== native timer (the native half of the paired Node/native ratios)\n' >&2
cargo build --quiet --release --example native_timer --no-default-features --features toml
export QIQUAN_NATIVE_TIMER="${CARGO_TARGET_DIR:-$root/target}/release/examples/native_timer"

printf '== pkg/ (scripts/build-wasm.sh)\n' >&2
CARGO_TARGET_DIR="${QIQUAN_WASM_TARGET_DIR:-${CARGO_TARGET_DIR:-$root/target}}" scripts/build-wasm.sh >&2

printf '== Node and Chromium\n' >&2
node bench/side_by_side.mjs --markdown bench/out/table.md "${quick[@]}"
