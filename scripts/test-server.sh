#!/usr/bin/env bash
# Server tests: unit tests of src/server/ (receipt signing, key files) and tests/server.rs, which
# starts the real `qiquan serve` binary on loopback ports and exercises every endpoint and every
# bad-input case, and hostile clients (limits, timeouts, shutdown under load). Needs nothing
# beyond cargo. The load test (bench/load.sh) and the storm (bench/storm.sh) are measurements,
# run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --features server --lib server::
cargo test --features server --test server
