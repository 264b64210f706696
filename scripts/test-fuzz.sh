#!/usr/bin/env bash
# Replays the committed fuzz seeds and regression inputs through every fuzz target, then fuzzes
# each briefly: a smoke test that the targets build and that nothing known crashes again. The
# long runs are `cargo +nightly fuzz run <target>` (see docs/bench.md#fuzzing).
#
#   scripts/test-fuzz.sh              # ~1.5 min after the nightly build
#   QIQUAN_FUZZ_SECONDS=0 scripts/test-fuzz.sh   # replay only
#
# Needs the nightly toolchain; installs cargo-fuzz when missing. fuzz/ is its own
# crate and workspace; its build goes to fuzz/target.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

seconds="${QIQUAN_FUZZ_SECONDS:-20}"
targets=(rule_file calendar_file check_submission deadline)

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "test-fuzz: needs the nightly toolchain (rustup toolchain install nightly)" >&2
    exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "== cargo install cargo-fuzz (about 1.5 minutes)"
    # Not --locked, like wasm-bindgen-cli: pinned by version instead.
    cargo install cargo-fuzz --version 0.13.2
fi

echo "== build (cargo +nightly fuzz build -O)"
cargo +nightly fuzz build -O

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# Runs libFuzzer; on any failure shows its report (with the input it saved) and stops.
run() {
    local target="$1" summary="$2"
    shift 2
    if ! cargo +nightly fuzz run -O "$target" "$@" >"$scratch/log" 2>&1; then
        tail -n 60 "$scratch/log" >&2
        echo "test-fuzz: FAIL: $target (input saved under fuzz/artifacts/$target/)" >&2
        exit 1
    fi
    grep -E "$summary" "$scratch/log" | sed 's/^/   /' || true
}
for target in "${targets[@]}"; do
    inputs=()
    for dir in "fuzz/seeds/$target" "fuzz/regressions/$target"; do
        if [[ -d "$dir" ]]; then inputs+=("$dir"); fi
    done
    # libFuzzer writes new inputs into its first corpus directory: a scratch one, never the seeds.
    mkdir -p "$scratch/$target"
    echo "== $target: replay ${inputs[*]}"
    run "$target" 'INITED' "$scratch/$target" "${inputs[@]}" -- \
        -runs=0 -timeout=10 -rss_limit_mb=2048
    if (( seconds > 0 )); then
        echo "== $target: fuzz ${seconds}s"
        run "$target" '^(stat::number_of_executed_units|stat::peak_rss_mb)' "$scratch/$target" "${inputs[@]}" -- \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
    fi
done
echo "test-fuzz: ok (no crash, timeout or OOM)"
