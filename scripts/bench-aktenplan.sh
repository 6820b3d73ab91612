#!/usr/bin/env bash
# The Aktenplan benchmark (issue 3): a generated 10,000-position plan, timed
# through the real router next to baselines measured in the same run. Prints
# a Markdown table. Always a release build: debug figures mean nothing.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

say "Aktenplan-Benchmark (Release-Build; kalt einige Minuten)"
exec cargo run --release --quiet -p bench --bin bench-aktenplan
