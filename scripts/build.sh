#!/usr/bin/env bash
# Builds Aktenwerk without cargo-leptos: the WASM bundle (cargo, wasm-bindgen,
# wasm-opt in release), the stylesheet and static files into target/site, and
# the server binary.  Usage: scripts/build.sh [debug|release] [site]
# With "site" only the bundle and static files are built: `make test` runs
# the server binary that `cargo test` has just built for the integration
# tests, instead of building it a second time with other features.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

mode="${1:-debug}"
case "$mode" in
  debug) wasm_profile=dev; wasm_dir=debug; server_flags=(); ;;
  release) wasm_profile=wasm-release; wasm_dir=wasm-release; server_flags=(--release); ;;
  *) echo "Aufruf: $0 [debug|release]" >&2; exit 2 ;;
esac

# CARGO_TARGET_DIR is honoured so that several checkouts can build side by side.
target="${CARGO_TARGET_DIR:-$ROOT/target}"
site="$target/site"
pkg="$site/pkg"
mkdir -p "$pkg"

say "WASM-Oberfläche bauen ($mode)"
cargo build -p frontend --lib --target wasm32-unknown-unknown --profile "$wasm_profile"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name aktenwerk \
  "$target/wasm32-unknown-unknown/$wasm_dir/frontend.wasm"
# Leptos' hydration script loads <name>.wasm (as cargo-leptos names it).
mv -f "$pkg/aktenwerk_bg.wasm" "$pkg/aktenwerk.wasm"
if [ "$mode" = release ]; then
  say "WASM mit wasm-opt verkleinern"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
    "$pkg/aktenwerk.wasm" -o "$pkg/aktenwerk.opt.wasm"
  mv -f "$pkg/aktenwerk.opt.wasm" "$pkg/aktenwerk.wasm"
fi

cp style/main.css "$pkg/aktenwerk.css"
cp -r public/. "$site/"

if [ "${2:-}" = site ]; then exit 0; fi

say "Server bauen ($mode)"
cargo build -p server --bin aktenwerk "${server_flags[@]}"
