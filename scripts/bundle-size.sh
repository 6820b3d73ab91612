#!/usr/bin/env bash
# Prints the size of what a browser downloads (WASM, JS, CSS): raw, gzip -9
# and brotli (if the brotli tool is installed). Run after a release build:
#   make size
source "$(dirname "$0")/lib.sh"
pkg="$ROOT/target/site/pkg"
[ -f "$pkg/aktenwerk.wasm" ] || { echo "Kein Build gefunden; zuerst: scripts/build.sh release" >&2; exit 1; }

kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
printf '%-16s %12s %12s %12s\n' Datei roh gzip brotli
total_raw=0; total_gz=0; total_br=0
for file in aktenwerk.wasm aktenwerk.js aktenwerk.css; do
  raw=$(stat -c %s "$pkg/$file")
  gz=$(gzip -9 -c "$pkg/$file" | wc -c)
  if command -v brotli >/dev/null; then br=$(brotli -q 11 -c "$pkg/$file" | wc -c); else br=0; fi
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz)); total_br=$((total_br + br))
  printf '%-16s %12s %12s %12s\n' "$file" "$(kib "$raw")" "$(kib "$gz")" "$( [ "$br" -gt 0 ] && kib "$br" || echo '-')"
done
printf '%-16s %12s %12s %12s\n' gesamt "$(kib "$total_raw")" "$(kib "$total_gz")" "$( [ "$total_br" -gt 0 ] && kib "$total_br" || echo '-')"
