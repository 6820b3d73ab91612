#!/usr/bin/env bash
# The ingestion benchmark (issue 18): the same generated letters arriving
# through the browser, a Scan-Ordner and a Postfach (a throwaway Dovecot),
# each on a fresh release server, timed until extracted and indexed.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --test
"$ROOT/scripts/build.sh" release
say "Eingangs-Benchmark (Release-Build; einige Minuten)"
cargo build --release --quiet -p bench --bin bench-ingest
exec "${CARGO_TARGET_DIR:-$ROOT/target}/release/bench-ingest" "$@"
