#!/usr/bin/env bash
# Builds pkg/: the engine for the web (ES module, wasm-bindgen --target web) with the rules
# bundle compiled in. Offline and reproducible; needs the wasm32-unknown-unknown target and
# wasm-bindgen-cli 0.2.130 (the version pinned in Cargo.toml).
#
#   scripts/build-wasm.sh            # build, print sizes, fail over the size budget
#
# Env: CARGO_TARGET_DIR (default target/), QIQUAN_WASM_BUDGET (gzip -9 bytes, default 400 KB).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

budget="${QIQUAN_WASM_BUDGET:-$((400 * 1024))}"
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

# Reproducible: no absolute paths of this machine in the module.
export RUSTFLAGS="${RUSTFLAGS:-} --remap-path-prefix=$root=/qiquan --remap-path-prefix=$HOME/.cargo=/cargo"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-0}"

# The wasm-release profile: release settings with panic = "abort" (Cargo.toml).
cargo build --profile wasm-release --lib --target wasm32-unknown-unknown --no-default-features --features wasm

mkdir -p pkg
# Keep pkg/README.md (committed); everything else in pkg/ is generated.
find pkg -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
"$bindgen" --target web --remove-name-section --remove-producers-section \
    --out-dir pkg --out-name qiquan \
    "$target_dir/wasm32-unknown-unknown/wasm-release/qiquan.wasm"

version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)"
cat > pkg/package.json <<EOF
{
  "name": "qiquan",
  "version": "$version",
  "description": "齐全: completeness checks for applications to Chinese government service centres (WebAssembly engine, rules built in)",
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
    "./qiquan_bg.wasm": "./qiquan_bg.wasm"
  },
  "files": [
    "qiquan.js",
    "qiquan.d.ts",
    "qiquan_bg.wasm",
    "qiquan_bg.wasm.d.ts",
    "README.md"
  ],
  "sideEffects": false,
  "engines": {
    "node": ">=20"
  }
}
EOF

wasm="pkg/qiquan_bg.wasm"
raw=$(wc -c < "$wasm")
gz=$(gzip -9 -n -c "$wasm" | wc -c)
sha=$(sha256sum "$wasm" | awk '{print $1}')
printf 'build-wasm: %s  %d bytes, %d bytes gzip -9 (%.1f KiB; budget %.0f KiB)  sha256 %s\n' \
    "$wasm" "$raw" "$gz" "$(awk "BEGIN{print $gz/1024}")" "$(awk "BEGIN{print $budget/1024}")" "$sha"
if (( gz > budget )); then
    echo "build-wasm: FAIL: $wasm is $gz bytes gzip -9, over the budget of $budget bytes" >&2
    exit 1
fi
