#!/usr/bin/env bash
# The main job: build the wasm package and the web forms, then serve the pages, pkg/ and the
# HTTP API on http://127.0.0.1:8080 (override with QIQUAN_ADDR, a loopback address). Development
# mode: the server signs receipts with an ephemeral key unless QIQUAN_KEY names a key file (qiquan
# keygen), and the dev issuer signs staff in.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-wasm.sh
npm run --silent www:build
cargo build --release -p qiquan-server --bin qiquan

addr="${QIQUAN_ADDR:-127.0.0.1:8080}"
# --dev-issuer: a built-in sign-in (loopback only) so the clerk, ledger and kiosk pages work on
# one machine; it signs dev users in WITHOUT A PASSWORD and says so loudly. With a real identity
# provider, run `qiquan serve --oidc-issuer … --oidc-audience …` instead (docs/security.md).
if [ -n "${QIQUAN_KEY:-}" ]; then
  exec target/release/qiquan serve --addr "$addr" --key "$QIQUAN_KEY" --dev-issuer
else
  exec target/release/qiquan serve --addr "$addr" --dev --dev-issuer
fi
