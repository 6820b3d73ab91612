#!/usr/bin/env bash
# The search benchmark (issue 5): a synthetic corpus of German municipal
# documents (default 100,000, seed 42) indexed into the tantivy search index
# and, in the same run, into SQLite FTS5 as the baseline; indexing rate,
# size on disk, query percentiles per query kind, hit counts side by side
# and peak memory. Prints Markdown tables. Always a release build: debug
# figures mean nothing.
#
#   scripts/bench-search.sh [documents] [seed]   (or BENCH_DOCS, BENCH_SEED)
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

say "Such-Benchmark (Release-Build; kalt einige Minuten, 100.000 Dokumente brauchen ~2 GiB in ${TMPDIR:-/tmp})"
exec cargo run --release --quiet -p bench --bin bench-search -- "$@"
