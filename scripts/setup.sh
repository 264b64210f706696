#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh machine. Idempotent: each step is
# skipped when already satisfied, so `run.sh` and `test.sh` can call it every time.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m== %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
if grep -q '^name = "wasm-bindgen"$' Cargo.lock 2>/dev/null; then
  want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$want" != "$have" ]; then
    say "cargo install wasm-bindgen-cli --version $want (about 3 minutes)"
    # Not --locked: its lockfile wants a crate version this registry lacks.
    cargo install wasm-bindgen-cli --version "$want"
  fi
fi

if ! command -v chromium >/dev/null 2>&1; then
  say "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# Chinese glyphs for the browser tests' screenshots and printed PDFs.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ]; then
  say "apt-get install fonts-wqy-microhei"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei >/dev/null; }
fi

# A 宋体 (Mingti) style serif for the printed documents' body and titles: official documents use
# 仿宋/宋体, and Debian's free AR PL UMing is the closest packaged face (fonts-fandol, with
# FandolFang/FandolSong, is not in this Debian release). The print CSS names FangSong/SimSun
# first, so a centre's own fonts win where installed.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list 'AR PL UMing CN' 2>/dev/null)" ]; then
  say "apt-get install fonts-arphic-uming"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq fonts-arphic-uming >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq fonts-arphic-uming >/dev/null; }
fi

# pdftoppm: the browser tests save a PNG of every page of every printed document.
if ! command -v pdftoppm >/dev/null 2>&1; then
  say "apt-get install poppler-utils"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq poppler-utils >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; }
fi

# PostgreSQL for the case register's tests (scripts/with-postgres.sh starts a throw-away server).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "apt-get install postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

# The other engines (issue 26; scripts/test-wasm.sh, tests/engines/): JavaScriptCore's and
# SpiderMonkey's shells, WebKitGTK's WebDriver (with MiniBrowser), Firefox ESR and Xvfb.
need=()
command -v jsc >/dev/null 2>&1 || need+=(libjavascriptcoregtk-4.0-bin)
command -v js102 >/dev/null 2>&1 || need+=(libmozjs-102-dev)
command -v WebKitWebDriver >/dev/null 2>&1 || need+=(webkit2gtk-driver)
command -v firefox-esr >/dev/null 2>&1 || need+=(firefox-esr)
command -v xvfb-run >/dev/null 2>&1 || need+=(xvfb)
if [ ${#need[@]} -gt 0 ]; then
  say "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Python for the hosts without a JavaScript engine and the WebKit/Firefox drivers, in a venv
# under target/py: wasmtime (runs pkg/core/qiquan-core.wasm), selenium (WebKitWebDriver),
# marionette-driver (Firefox; no geckodriver is packaged).
py_pkgs=(wasmtime==51.0.0 selenium==4.51.0 marionette-driver==3.7.1)
if ! target/py/bin/python -c 'import wasmtime, selenium, marionette_driver' >/dev/null 2>&1; then
  say "python venv target/py: ${py_pkgs[*]}"
  mkdir -p target
  python3 -m venv target/py 2>/dev/null || {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    rm -rf target/py && python3 -m venv target/py
  }
  target/py/bin/pip install -q --disable-pip-version-check "${py_pkgs[@]}"
fi

if [ -f package-lock.json ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; }; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# schemathesis (PyPI) for scripts/test-api-fuzz.sh: fuzzes the API from /v1/openapi.json.
# Pinned, in its own virtual environment under the target directory.
fuzz_venv="${CARGO_TARGET_DIR:-target}/schemathesis-venv"
if [ ! -x "$fuzz_venv/bin/schemathesis" ]; then
  say "pip install schemathesis (into $fuzz_venv)"
  python3 -m venv "$fuzz_venv" 2>/dev/null || {
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$fuzz_venv"
  }
  "$fuzz_venv/bin/pip" install -q "schemathesis==4.32.5"
fi
