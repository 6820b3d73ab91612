#!/usr/bin/env bash
# One command from a fresh checkout to a running Aktenwerk on embedded
# defaults (SQLite and blobs under ./data). Settings: aktenwerk.env.example.
# With --demo, one account per role and municipality is created
# (password in the README), in ./data-demo unless AKTENWERK_DATA_DIR is
# set: demo data and demo credentials never mix with a real installation's.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh" release
# Taken before aktenwerk.env is read, so a real installation's data
# directory configured there never receives the demo accounts.
demo_dir="${AKTENWERK_DATA_DIR:-$ROOT/data-demo}"
if [ -f aktenwerk.env ]; then set -a; source aktenwerk.env; set +a; fi
if [ "${1:-}" = "--demo" ]; then export AKTENWERK_DEMO=true AKTENWERK_DATA_DIR="$demo_dir"; fi
export AKTENWERK_SITE_ROOT="${AKTENWERK_SITE_ROOT:-$ROOT/target/site}"
say "Aktenwerk startet auf http://${AKTENWERK_LISTEN:-127.0.0.1:3000}"
exec "$ROOT/target/release/aktenwerk"
