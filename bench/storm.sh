#!/usr/bin/env bash
# Builds the release binary and runs bench/storm.mjs: a bounded storm of hostile clients on
# loopback (stalled bodies, slow headers, made-up methods, clients that never read) with the
# server's RSS before/during/after and /healthz latency during. See docs/server.md.
#
#   bench/storm.sh                      # defaults: 2000 stalled, 500 slow, 10000 methods, 300 non-reading
#   STALLED=500 HOLD=10 bench/storm.sh  # smaller
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-target}
cargo build --release -p qiquan-server --bin qiquan
# ~3,000 sockets on each side.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node bench/storm.mjs "$CARGO_TARGET_DIR/release/qiquan"
