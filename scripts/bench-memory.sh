#!/usr/bin/env bash
# The memory benchmark (issue 16): a day's post (46 generated German
# documents: PDFs, scanned PDFs, PNG/JPEG/TIFF scans) dropped onto the
# Posteingang in headless Chromium, processed, every document opened; the
# release server's RSS after start, at its peak and steady afterwards, for
# the server's allocator settings and for glibc's defaults in the same run.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh" --test
"$ROOT/scripts/build.sh" release
say "Speicher-Benchmark (Release-Build; einige Minuten)"
cargo build --release --quiet -p bench --bin bench-memory
exec "${CARGO_TARGET_DIR:-$ROOT/target}/release/bench-memory" "$@"
