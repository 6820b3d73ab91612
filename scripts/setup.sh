#!/usr/bin/env bash
# Installs what building and running Aktenwerk needs, skipping what is there:
# the wasm32 target, the wasm-bindgen CLI matching Cargo.lock, and through
# scripts/packages.sh the Debian and npm packages: wasm-opt (npm package
# binaryen), brotli, poppler and Tesseract with German data (text extraction
# and OCR). Pass --test to add what the tests need: Debian's Chromium and
# the end2end npm packages.
source "$(dirname "$0")/lib.sh"

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "Rust-Ziel wasm32-unknown-unknown installieren"
  rustup target add wasm32-unknown-unknown
fi

want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" = "$want" ]; then
  "$ROOT/scripts/packages.sh" "$@"
  exit 0
fi

# Debian and npm packages are mostly download and unpacking; compiling the
# wasm-bindgen CLI keeps the cores busy meanwhile. On a fresh machine both
# happen at once.
if [ "$(id -u)" != 0 ] && ! "$ROOT/scripts/packages.sh" --check "$@"; then
  # sudo asks for the password here, not unseen in the background.
  sudo -v
fi
target="${CARGO_TARGET_DIR:-$ROOT/target}"
mkdir -p "$target"
packages_log="$target/packages.log"
start_background "$packages_log" "$ROOT/scripts/packages.sh" "$@"
say "wasm-bindgen-cli $want bauen (einmalig, etwa 1 Minute)"
# No --locked: one of its locked dependencies is no longer on crates.io.
# A build tool that runs for a second per build: built quickly rather
# than made fast (no optimisation, parallel code generation, no LTO), and
# without TLS, which only its test runner's downloads would use. On 2
# idle cores 45 s, against 1 min 55 s at optimisation level 1 and 2 min
# 14 s with cargo's defaults (2026-12-07); a run on the release bundle
# then takes 1.3 s instead of 0.3 s, with byte-identical output.
CARGO_PROFILE_RELEASE_OPT_LEVEL=0 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_DEBUG=false \
  cargo install wasm-bindgen-cli --version "$want" --force --no-default-features

say "Auf die Debian- und npm-Pakete warten"
wait_background "Die Installation der Pakete" "$packages_log" || exit 1
cat "$packages_log" >&2
