#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and integration tests (real
# SQLite files, the real router), then browser tests in headless Chromium
# against a freshly built server with its own empty data directory.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --test
target="${CARGO_TARGET_DIR:-$ROOT/target}"

# The browser tests run the bundle as it ships: release WASM, split at the
# lazy pages, wasm-opt, with its .br/.gz copies. It is built meanwhile: the
# lints and the tests leave a core idle at times (the test run itself, one
# large crate at a time), and the bundle's profile shares no lock with them.
mkdir -p "$target"
bundle_log="$target/bundle-build.log"
say "Release-Bundle bauen, nebenher; Protokoll: $bundle_log"
start_background "$bundle_log" "$ROOT/scripts/build.sh" release site

say "Formatierung und Lints"
cargo fmt --all -- --check
cargo clippy --workspace --exclude frontend --all-targets -- -D warnings
# The browser-only code (feature `hydrate`) is linted for its own target.
cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

say "Unit- und Integrationstests bauen"
cargo test --workspace --exclude frontend --no-run

say "Auf das Release-Bundle warten"
wait_background "Der Bundle-Build" "$bundle_log" || exit 1
# Its size is held to bundle-budget.toml, so growth is a decision, not an
# accident.
say "Größe des Bundles gegen bundle-budget.toml"
"$ROOT/scripts/bundle-size.sh" --check
# The server binary is the one `cargo test` built for the integration tests
# (target/debug/aktenwerk); building it again through `cargo build -p server`
# would compile `app` a second time, because the test build unifies the
# dev-dependencies' features.
[ -x "$target/debug/aktenwerk" ] || cargo build -p server --bin aktenwerk

# The Rust tests run beside the browser tests: those mostly wait for the
# browser and the server, so the Rust tests' minute of work costs little
# time there. Their output goes to a log; its summary follows at the end.
rust_log="$target/rust-tests.log"
say "Unit- und Integrationstests, nebenher; Protokoll: $rust_log"
start_background "$rust_log" cargo test --workspace --exclude frontend

port="${AKTENWERK_TEST_PORT:-3917}"
data="$(mktemp -d)"
# The Postfach browser test fetches from a real IMAP server.
imap="$(mktemp -d)"
say "IMAP-Testserver (Dovecot) starten"
"$ROOT/scripts/imap-server.sh" start "$imap" >/dev/null
imap_port="$(sed -n 's/^IMAP_PORT=//p' "$imap/env")"
log="$data/server.log"
say "Testserver auf Port $port starten (Daten in $data)"
# The browser tests move the server's clock by writing seconds into this
# file (a test build obeys it, a release build refuses to start with it).
clock="$data/clock"
AKTENWERK_LISTEN="127.0.0.1:$port" AKTENWERK_DATA_DIR="$data" AKTENWERK_DEMO=true \
  AKTENWERK_TEST_CLOCK_FILE="$clock" AKTENWERK_SCAN_INTERVAL_SECS=1 \
  AKTENWERK_SITE_ROOT="$target/site" RUST_LOG="${RUST_LOG:-warn}" \
  "$target/debug/aktenwerk" >"$log" 2>&1 &
server_pid=$!
cleanup() {
  stop_background
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  "$ROOT/scripts/imap-server.sh" stop "$imap" >/dev/null 2>&1 || true
  rm -rf "$data" "$imap"
}
trap cleanup EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$log" >&2; echo "Server beendet sich beim Start" >&2; exit 1; fi
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$log" >&2; exit 1; }

say "Browsertests (headless Chromium)"
status=0
(cd end2end && AKTENWERK_URL="http://127.0.0.1:$port" AKTENWERK_TEST_CLOCK_FILE="$clock" \
  AKTENWERK_TEST_IMAP_PORT="$imap_port" node --test --test-concurrency=1 tests/) || status=$?
if [ "$status" != 0 ]; then
  echo "--- Serverprotokoll ---" >&2
  tail -n 100 "$log" >&2
fi

say "Unit- und Integrationstests"
wait_background "Die Unit- und Integrationstests" "$rust_log" || status=1
# One line per test binary that has tests: its name and counts.
awk '/^ *(Running|Doc-tests) / { sub(/^ */, ""); name = $0 }
  /^test result:/ && !/ 0 passed; 0 failed; 0 ignored/ { print name ": " $0 }' "$rust_log" >&2
exit "$status"
