#!/usr/bin/env bash
# The main job: build the wasm package and the web forms, then serve the pages, pkg/ and the
# HTTP API on http://127.0.0.1:8080 (override with QIQUAN_ADDR). Development mode: the server
# signs receipts with an ephemeral key unless QIQUAN_KEY names a key file (qiquan keygen).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-wasm.sh
npm run --silent www:build
cargo build --release -p qiquan-server --bin qiquan

addr="${QIQUAN_ADDR:-127.0.0.1:8080}"
if [ -n "${QIQUAN_KEY:-}" ]; then
  exec target/release/qiquan serve --addr "$addr" --key "$QIQUAN_KEY"
else
  exec target/release/qiquan serve --addr "$addr" --dev
fi
