#!/usr/bin/env bash
# Runs every test: formatting (Rust and TypeScript), import circles in www/src, lints, rule-file
# lint, native tests, the wasm runtimes (Node, Chromium, the JavaScriptCore and SpiderMonkey
# shells, the glue-free core module in Python wasmtime) on the shared conformance corpus, the
# server (server/tests/server.rs, part of cargo test), the web forms in Chromium, the conformance
# page and the applicant flow in WebKit and Firefox, and a short run of each fuzz target.
# Installs what it needs first (scripts/setup.sh), so it works on a fresh machine and in CI.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

scripts/setup.sh

say "cargo fmt --check"
cargo fmt --all -- --check

say "prettier --check (www/src, tests/**/*.mjs) + no import circle in www/src"
npm run --silent fmt:check
node scripts/check-imports.mjs www/src

say "no import circle between the Rust files of one folder (the engine and the server crate)"
python3 scripts/check-rust-circles.py src server/src

say "cargo clippy -D warnings (native, and the wasm build)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p qiquan --target wasm32-unknown-unknown --no-default-features --features wasm --lib -- -D warnings
cargo clippy -p qiquan --target wasm32-unknown-unknown --no-default-features --features wasm,studio --lib -- -D warnings
cargo clippy -p qiquan-core --target wasm32-unknown-unknown --lib -- -D warnings

say "qiquan lint rules + schema is current"
cargo run -q -p qiquan-server -- lint rules
cargo run -q -p qiquan-server -- schema rules/schema --check

say "native tests (unit, calendar, lint, CLI, conformance corpus, server and register integration)"
# The register's tests run against SQLite and a real PostgreSQL, started for the run and stopped
# after; with QIQUAN_REQUIRE_PG a PostgreSQL test that cannot reach its server fails. The fault
# suite (server/tests/faults.rs: full disks on a tmpfs it mounts, the database file deleted,
# PostgreSQL stopped, kill -9) fails with QIQUAN_REQUIRE_FAULTS when a fault cannot be produced.
QIQUAN_REQUIRE_PG=1 QIQUAN_REQUIRE_FAULTS=1 scripts/with-postgres.sh cargo test

say "API fuzzing with schemathesis from /v1/openapi.json, with and without credentials (0 5xx)"
scripts/test-api-fuzz.sh

say "wasm package: Node and Chromium conformance, differential test"
scripts/test-wasm.sh

say "web forms in Chromium (Playwright + axe-core)"
scripts/test-www.sh

say "WebKit (WebKitGTK, WebDriver) and Firefox (ESR, Marionette): conformance page and the applicant flow"
xvfb-run -a target/py/bin/python tests/engines/browsers.py 2>&1 | grep -v '^mozversion INFO'

say "fuzz targets: replay seeds and regressions, then ${QIQUAN_FUZZ_SECONDS:-20} s each"
scripts/test-fuzz.sh

say "all tests passed"
