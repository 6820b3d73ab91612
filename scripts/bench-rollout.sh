#!/usr/bin/env bash
# The rollout dashboard benchmark (issue 7): a generated year with 100,000
# documents (or the number given), timed through the real router next to a
# one-figure SQL baseline measured in the same run. Prints a Markdown table.
# Always a release build: debug figures mean nothing.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

say "Einführungsstand-Benchmark (Release-Build; kalt einige Minuten)"
exec cargo run --release --quiet -p bench --bin bench-rollout -- "$@"
