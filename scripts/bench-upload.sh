#!/usr/bin/env bash
# The upload benchmark (issue 4): 1 GiB of 1–50 MiB files uploaded over
# loopback to a real server process, next to `cat | sha256sum` of the same
# files measured in the same run; then 200 small PDFs from 20 concurrent
# clients, with the server's peak memory. Always a release build: the bench
# starts the `aktenwerk` binary that sits next to it in target/release.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

say "Upload-Benchmark (Release-Build; kalt einige Minuten, braucht ~3 GiB freien Platz in ${TMPDIR:-/tmp})"
cargo build --release --quiet -p server -p bench --bin aktenwerk --bin bench-upload
exec "$ROOT/target/release/bench-upload"
