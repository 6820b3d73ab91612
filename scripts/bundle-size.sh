#!/usr/bin/env bash
# Prints the size of what a browser downloads (WASM, JS, CSS: raw, gzip -9,
# brotli -q 11): every file, the whole bundle, and per route what a first
# visit transfers, against the budget in bundle-budget.toml. With --check it
# fails when the budget is exceeded. Run after a release build:
#   make size
source "$(dirname "$0")/lib.sh"
pkg="${CARGO_TARGET_DIR:-$ROOT/target}/site/pkg"
exec node "$ROOT/tools/bundle-size.mjs" "$pkg" "$@"
