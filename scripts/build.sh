#!/usr/bin/env bash
# Builds Aktenwerk without cargo-leptos: the WASM bundle (cargo, split at the
# lazy pages, wasm-bindgen; in release wasm-opt and .br/.gz copies), the
# stylesheet and static files into target/site, and the server binary.
# Usage: scripts/build.sh [debug|release] [site]
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

# The server does not need the bundle to compile, so both build at once:
# each leaves a core idle at times (one large crate at a time, the bundle's
# single link-time optimisation). Both are mostly busy on two cores, so the
# gain is small: a cold release build 12 min 49 s instead of 13 min 22 s
# (2026-12-07). In release they share no lock, as their profiles differ;
# in debug both use target/debug, and cargo lets one wait for the other.
server_log="$target/server-build.log"
if [ "${2:-}" != site ]; then
  say "Server bauen ($mode), nebenher; Protokoll: $server_log"
  start_background "$server_log" cargo build -p server --bin aktenwerk "${server_flags[@]}"
fi

say "WASM-Oberfläche bauen ($mode)"
# The splitter needs the linker's relocations (--emit-relocs) to see every
# reference between functions and data, and separate data segments
# (--no-merge-data-segments) to move a page's constant data with its code.
# `cargo rustc` passes both to the frontend's link only: RUSTFLAGS would
# rebuild every dependency.
cargo rustc -p frontend --lib --target wasm32-unknown-unknown --profile "$wasm_profile" \
  -- -Clink-args=--emit-relocs -Clink-args=--no-merge-data-segments
raw="$target/wasm32-unknown-unknown/$wasm_dir/frontend.wasm"
split_main="${raw%.wasm}_split.wasm"

# Built once into target/tools; afterwards cargo only checks it is current.
cargo build --release --locked --quiet --manifest-path tools/wasm-split/Cargo.toml \
  --target-dir "$target/tools"

# Chunk names change from build to build; old ones, and compressed copies
# of files about to change, must not be served.
find "$pkg" -maxdepth 1 -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.br' -o -name '*.gz' \
  -o -name '*.json' \) -delete
say "WASM an den Lazy-Seiten aufteilen"
# Release output keeps no function names (wasm-opt drops them anyway);
# debug output keeps them for readable stack traces.
strip=()
if [ "$mode" = release ]; then strip=(--strip-names); fi
"$target/tools/release/aktenwerk-wasm-split" "${strip[@]}" "$raw" "$pkg" "$split_main" /pkg/aktenwerk.js >/dev/null
# --keep-lld-exports: the chunks import the main module's functions, memory
# and table through exports that wasm-bindgen would otherwise drop.
wasm-bindgen --target web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir "$pkg" --out-name aktenwerk "$split_main"
# Leptos' hydration script loads <name>.wasm (as cargo-leptos names it).
mv -f "$pkg/aktenwerk_bg.wasm" "$pkg/aktenwerk.wasm"
if [ "$mode" = release ]; then
  say "WASM mit wasm-opt verkleinern"
  # wasm-opt -Oz on the main module and every chunk, in one process
  # (binaryen from npm compiles itself at every start).
  find "$pkg" -maxdepth 1 -name '*.wasm' -print0 | xargs -0 node tools/wasm-opt-all.mjs
fi

cp style/main.css "$pkg/aktenwerk.css"
cp -r public/. "$site/"

if [ "$mode" = release ]; then
  say "Bundle vorkomprimieren (brotli, gzip)"
  # The server answers with these copies when the browser accepts them
  # (server/src/http/assets.rs); compressing once here beats compressing
  # 1 MB of WASM per request. The gzip copies come from zopfli: the same
  # format, 4 % smaller than gzip -9 on the WASM (5 iterations, about 6 s
  # on 2 cores for the whole bundle; 15 iterations gain 0.02 % for 1.6
  # times the time).
  find "$pkg" -maxdepth 1 -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' \) -print0 \
    | xargs -0 -P 2 -I{} sh -c 'brotli -q 11 -f -o "$1.br" "$1" && zopfli --i5 -c "$1" > "$1.gz"' _ {}
fi

if [ "${2:-}" != site ]; then
  say "Auf den Server-Build warten"
  wait_background "Der Server-Build" "$server_log" || exit 1
fi
