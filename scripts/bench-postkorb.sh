#!/usr/bin/env bash
# The Postkorb benchmark (issue 17): a municipality with 200,000 documents
# (or the number given), a clerk with 2,000 open items who stands in for 50
# absent colleagues, timed through the real router next to the plain SQL
# count of the same items, measured in the same run. Prints a Markdown
# table. Always a release build: debug figures mean nothing.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

say "Postkorb-Benchmark (Release-Build; kalt einige Minuten)"
exec cargo run --release --quiet -p bench --bin bench-postkorb -- "$@"
