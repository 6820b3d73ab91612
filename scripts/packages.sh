#!/usr/bin/env bash
# Installs the Debian and npm packages Aktenwerk needs, skipping what is
# there: Node.js with npm, wasm-opt (npm package binaryen), brotli, zopfli, poppler
# and Tesseract with German data (text extraction and OCR). Pass --test to
# add what the tests need: Debian's Chromium and the end2end npm packages.
# With --check first, installs nothing and fails if something is missing.
# Run by scripts/setup.sh.
source "$(dirname "$0")/lib.sh"

check=false
if [ "${1:-}" = "--check" ]; then check=true; shift; fi
test=false
if [ "${1:-}" = "--test" ]; then test=true; fi

debian=(poppler-utils tesseract-ocr tesseract-ocr-deu brotli zopfli)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then debian+=(nodejs npm); fi
# The Postfach tests fetch from a real IMAP server (scripts/imap-server.sh):
# Dovecot with a test CA made by openssl, on ports python3 finds free.
if $test; then debian+=(chromium chromium-driver fonts-dejavu-core curl dovecot-imapd openssl python3); fi

if $check; then
  for pkg in "${debian[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || exit 1
  done
  exit 0
fi

# Text extraction and German OCR for scans run poppler and Tesseract at
# every upload; the release build writes a brotli and a gzip copy (zopfli)
# of every bundle file.
apt_install "${debian[@]}"

npm_ci() {
  local dir="$1" stamp="$1/node_modules/.lockfile.sha256"
  # Skip when node_modules was installed from this very lockfile.
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(sha256sum <"$dir/package-lock.json")" ]; then
    return 0
  fi
  say "npm-Pakete in ${dir#$ROOT/} installieren"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  sha256sum <"$dir/package-lock.json" >"$stamp"
}

npm_ci "$ROOT/tools"
if $test; then npm_ci "$ROOT/end2end"; fi
