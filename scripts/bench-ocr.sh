#!/usr/bin/env bash
# The OCR benchmark (issue 5): N scanned German letters (default 24; first
# argument or BENCH_OCR_PAGES) OCR'd by plain parallel `tesseract -l deu`
# and through the job system (upload, workers, `aktenwerk extract` child),
# in the same run. Always a release build: the bench starts the `aktenwerk`
# binary that sits next to it. Needs poppler-utils and tesseract-ocr-deu.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

for tool in pdftoppm tesseract; do
  command -v "$tool" >/dev/null || { echo "$tool fehlt (Pakete poppler-utils, tesseract-ocr-deu)" >&2; exit 1; }
done
say "OCR-Benchmark (Release-Build; ${1:-${BENCH_OCR_PAGES:-24}} Seiten, einige Minuten)"
cargo build --release --quiet -p server -p bench --bin aktenwerk --bin bench-ocr
exec "${CARGO_TARGET_DIR:-$ROOT/target}/release/bench-ocr" "$@"
