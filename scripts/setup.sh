#!/usr/bin/env bash
# Installs what building and running Aktenwerk needs, skipping what is there:
# the wasm32 target, the wasm-bindgen CLI matching Cargo.lock, wasm-opt
# (npm package binaryen), brotli, poppler and Tesseract with German data
# (text extraction and OCR). Pass --test to add what the tests need: Debian's
# Chromium and the end2end npm packages.
source "$(dirname "$0")/lib.sh"

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "Rust-Ziel wasm32-unknown-unknown installieren"
  rustup target add wasm32-unknown-unknown
fi

want="$(wasm_bindgen_version)"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
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
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  apt_install nodejs npm
fi

npm_ci() {
  local dir="$1"
  # Skip when node_modules matches the committed lockfile.
  if [ -f "$dir/node_modules/.package-lock.json" ] && cmp -s <(grep -v '"lockfileVersion"' "$dir/package-lock.json" | tail -n +3) <(grep -v '"lockfileVersion"' "$dir/node_modules/.package-lock.json" | tail -n +3); then
    return 0
  fi
  say "npm-Pakete in ${dir#$ROOT/} installieren"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

npm_ci "$ROOT/tools"

# Text extraction and German OCR for scans run these at every upload.
apt_install poppler-utils tesseract-ocr tesseract-ocr-deu
# The release build writes a brotli copy of every bundle file.
apt_install brotli

if [ "${1:-}" = "--test" ]; then
  apt_install chromium chromium-driver fonts-dejavu-core curl
  npm_ci "$ROOT/end2end"
fi
