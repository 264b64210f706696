#!/usr/bin/env bash
# Builds pkg/: the engine for the web (ES module, wasm-bindgen --target web), as two modules and
# the rules bundle the page module loads:
#   pkg/qiquan.js + qiquan_bg.wasm          the page module (feature `wasm`): no TOML reader and
#                                           no rules built in; checks, matters, loadRules of a
#                                           bundle with JSON forms
#   pkg/rules.json                          rules/ as `qiquan bundle rules` prints it: what the
#                                           pages (www/src/rules.ts) and the tests load into it
#   pkg/studio/qiquan.js + qiquan_bg.wasm   the studio module (`wasm,studio`): the rules built in
#                                           (feature `embed`), `lint`, loading rule files as TOML
#   pkg/core/qiquan-core.wasm               the glue-free core module (core-abi/, docs/abi.md): no
#                                           imports, no wasm-bindgen, JSON in and out, rules from
#                                           a signed bundle only; for hosts without JavaScript
# Offline and reproducible; needs the wasm32-unknown-unknown target and wasm-bindgen-cli
# 0.2.130 (the version pinned in Cargo.toml).
#
#   scripts/build-wasm.sh            # build both, print sizes, fail over the page module's budget
#   scripts/build-wasm.sh page       # only the page module
#   scripts/build-wasm.sh core       # the page module and the core module (its size is compared)
#
# Env: CARGO_TARGET_DIR (default target/), QIQUAN_WASM_BUDGET (gzip -9 bytes of the page
# module, default 250,000: issue 17's goal), QIQUAN_PAGE_OPT_LEVEL (the page module's engine
# crate, default s; 3 is 1.25x faster and ~26 KB larger, z ~14 KB smaller and 1.6x slower),
# QIQUAN_PAGE_INLINE (its extra RUSTFLAGS, default the two inline thresholds below; "" for none),
# QIQUAN_BIN (a qiquan binary
# for `qiquan bundle`; default: cargo run --bin qiquan).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

budget="${QIQUAN_WASM_BUDGET:-250000}"
which="${1:-all}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
want_bindgen="0.2.130"

bindgen="$(command -v wasm-bindgen || true)"
if [[ -z "$bindgen" && -x "$HOME/.cargo/bin/wasm-bindgen" ]]; then
    bindgen="$HOME/.cargo/bin/wasm-bindgen"
fi
if [[ -z "$bindgen" ]]; then
    echo "build-wasm: wasm-bindgen not found (cargo install wasm-bindgen-cli --version $want_bindgen)" >&2
    exit 1
fi
have_bindgen="$("$bindgen" --version | awk '{print $2}')"
if [[ "$have_bindgen" != "$want_bindgen" ]]; then
    echo "build-wasm: wasm-bindgen $have_bindgen found, $want_bindgen needed (it must match Cargo.toml)" >&2
    exit 1
fi

# (The native `qiquan bundle` below runs with the caller's flags, not the wasm ones.)
native_env=(env -u RUSTFLAGS)
[[ -n "${RUSTFLAGS+set}" ]] && native_env=(env "RUSTFLAGS=$RUSTFLAGS")
# Reproducible: no absolute paths of this machine in the module.
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$root=/qiquan --remap-path-prefix=$HOME/.cargo=/cargo"
# (No -inline-threshold flag any more: with the page module's engine at opt-level "s" a threshold
# of 100 *raised* inlining over "s"'s own and cost 7 KB gzip at the same speed; docs/wasm.md.)
# (No target-feature flag either, measured in docs/wasm.md "Issue 17: code
# generation settings": `-C target-feature=-bulk-memory` and the like change nothing on stable,
# since std comes prebuilt with them and LTO gives every function the union of features;
# `-C target-cpu=mvp` breaks wasm-bindgen (it needs reference-types); `+simd128` would shut out
# engines without wasm SIMD for 1.7 KB. The inline thresholds trade speed for size; the page
# module's pair below was measured neutral for speed once the code cuts had it under 250 KB.)
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-0}"

# The wasm-release profile: release settings with panic = "abort" (Cargo.toml).
# build_module FEATURES OUT_DIR ENGINE_OPT_LEVEL [EXTRA_RUSTFLAGS]
build_module() {
    RUSTFLAGS="$RUSTFLAGS ${4:-}" CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL="$3" \
        cargo build -p qiquan --profile wasm-release --lib --target wasm32-unknown-unknown --no-default-features --features "$1"
    mkdir -p "$2"
    "$bindgen" --target web --remove-name-section --remove-producers-section \
        --out-dir "$2" --out-name qiquan \
        "$target_dir/wasm32-unknown-unknown/wasm-release/qiquan.wasm"
}

mkdir -p pkg
# Keep pkg/README.md (committed); everything else in pkg/ is generated.
find pkg -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
# The page module's engine crate at opt-level "s" (the dependencies are at "s" in every wasm
# build, Cargo.toml): 274.5 -> 248.7 KB gzip -9, and the conformance corpus through checkJson
# 1.25x the time of level 3 in Node (docs/wasm.md). The studio module (no budget) stays at 3.
page_opt_level="${QIQUAN_PAGE_OPT_LEVEL:-s}"
# Its inlining: LLVM's thresholds for plain calls (50, what "s" uses) and for `#[inline]` functions
# (150; the default 325). Measured on the merged main (docs/wasm.md, "the last settings"):
# 60/200 took 248,883 -> 247,292 B gzip -9 at 0.97-0.995x the time; after issues 22, 24, 25 and 27
# 50/150 took 250,817 -> 249,803 B at 1.005x (compact) and 0.978x (full) the time of 60/200
# (bench/ab_pkg.mjs, 11 rounds); 40/100 gave 247,830 B but 1.06x the time.
page_inline="${QIQUAN_PAGE_INLINE--C llvm-args=-inline-threshold=50 -C llvm-args=-inlinehint-threshold=150}"
build_module wasm pkg "$page_opt_level" "$page_inline"
# The rules the page module loads (it has none built in): the same files, checked by the same
# compiler (`qiquan bundle` refuses rules that do not lint clean).
qiquan() {
    if [[ -n "${QIQUAN_BIN:-}" ]]; then "$QIQUAN_BIN" "$@"; else "${native_env[@]}" cargo run -q -p qiquan-server --bin qiquan -- "$@"; fi
}
qiquan bundle rules > pkg/rules.json
# The signed bundle the pages load when they are served without the server (vite dev/preview,
# a static host; www/src/rules.ts tries /v1/rules/ first): signed with a key made for this
# build only (its secret is thrown away) and its public key in pkg/rules/keys.json, beside it.
# A static deployment publishes its centre's own bundle there instead (docs/bundles.md).
key_dir="$(mktemp -d)"
trap 'rm -rf "$key_dir"' EXIT
qiquan keygen --out "$key_dir/key" 2> /dev/null
revision="static-$(find rules -name '*.toml' -not -path 'rules/schema/*' | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)"
qiquan bundle --sign "$key_dir/key" --revision "$revision" --out pkg/rules rules > /dev/null
python3 - "$key_dir/key" > pkg/rules/keys.json <<'PY'
import json, sys
key = json.load(open(sys.argv[1]))
print(json.dumps({"keys": [{"key_id": key["key_id"], "public_key": key["public_key"]}]}))
PY
if [[ "$which" == all ]]; then
    build_module wasm,studio pkg/studio 3
fi
# The core module: the engine crate with feature `signed` only (no wasm-bindgen, no TOML, no
# rules), through core-abi/'s exports, at the page module's settings; no wasm-bindgen pass, so
# the linker strips the names (`strip = "symbols"`). Budget: within 10% of the page module.
if [[ "$which" != page ]]; then
    RUSTFLAGS="$RUSTFLAGS $page_inline" CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL="$page_opt_level" \
        CARGO_PROFILE_WASM_RELEASE_STRIP=symbols \
        cargo build --profile wasm-release --lib --target wasm32-unknown-unknown -p qiquan-core
    mkdir -p pkg/core
    cp "$target_dir/wasm32-unknown-unknown/wasm-release/qiquan_core.wasm" pkg/core/qiquan-core.wasm
fi

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
cat > pkg/package.json <<EOF
{
  "name": "qiquan",
  "version": "$version",
  "description": "齐全: completeness checks for applications to Chinese government service centres (WebAssembly engine; rules in rules.json)",
  "license": "MIT OR Apache-2.0",
  "type": "module",
  "main": "qiquan.js",
  "module": "qiquan.js",
  "types": "qiquan.d.ts",
  "exports": {
    ".": {
      "types": "./qiquan.d.ts",
      "default": "./qiquan.js"
    },
    "./qiquan_bg.wasm": "./qiquan_bg.wasm",
    "./rules.json": "./rules.json",
    "./studio": {
      "types": "./studio/qiquan.d.ts",
      "default": "./studio/qiquan.js"
    },
    "./studio/qiquan_bg.wasm": "./studio/qiquan_bg.wasm"
  },
  "files": [
    "qiquan.js",
    "qiquan.d.ts",
    "qiquan_bg.wasm",
    "qiquan_bg.wasm.d.ts",
    "rules.json",
    "rules/",
    "studio/",
    "README.md"
  ],
  "sideEffects": false,
  "engines": {
    "node": ">=20"
  }
}
EOF

report() {
    local raw gz sha
    raw=$(wc -c < "$1")
    gz=$(gzip -9 -n -c "$1" | wc -c)
    sha=$(sha256sum "$1" | awk '{print $1}')
    printf 'build-wasm: %s  %d bytes, %d bytes gzip -9 (%.1f KiB%s)  sha256 %s\n' \
        "$1" "$raw" "$gz" "$(awk "BEGIN{print $gz/1024}")" "$2" "$sha"
    echo "$gz"
}
# (sed, not head: head closing the pipe early kills report with SIGPIPE under pipefail.)
if [[ -f pkg/studio/qiquan_bg.wasm ]]; then
    report pkg/studio/qiquan_bg.wasm "; studio: no budget" | sed -n 1p
fi
wasm="pkg/qiquan_bg.wasm"
out="$(report "$wasm" "; budget $(awk "BEGIN{print $budget/1024}") KiB")"
head -n 1 <<< "$out"
gz="$(tail -n 1 <<< "$out")"
if (( gz > budget )); then
    echo "build-wasm: FAIL: $wasm (the page module) is $gz bytes gzip -9, over the budget of $budget bytes" >&2
    exit 1
fi
if [[ -f pkg/core/qiquan-core.wasm ]]; then
    core_budget=$(( gz * 110 / 100 ))
    out="$(report pkg/core/qiquan-core.wasm "; budget $core_budget bytes: the page module's $gz + 10%")"
    head -n 1 <<< "$out"
    core_gz="$(tail -n 1 <<< "$out")"
    if (( core_gz > core_budget )); then
        echo "build-wasm: FAIL: pkg/core/qiquan-core.wasm is $core_gz bytes gzip -9, over $core_budget (the page module's $gz + 10%)" >&2
        exit 1
    fi
fi
