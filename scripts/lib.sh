# Shared helpers for the scripts in this folder. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/tools/node_modules/.bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "Bitte als root ausführen oder sudo installieren: $*" >&2; return 1; fi
}

# Installs Debian packages that are missing; runs apt-get update only if needed.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Debian-Pakete installieren: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The wasm-bindgen version pinned in Cargo.lock; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Runs "$@" in the background with its output in the file $1, in its own
# process group, so that leaving the script early stops it and every cargo
# or rustc below it. One at a time per script; wait_background collects it.
start_background() {
  local log="$1"
  shift
  setsid "$@" >"$log" 2>&1 &
  BACKGROUND_PID=$!
  trap stop_background EXIT
}

# Stops start_background's command and everything below it, if it has not
# been collected yet.
stop_background() {
  if [ -n "${BACKGROUND_PID:-}" ]; then kill -- -"$BACKGROUND_PID" 2>/dev/null || true; fi
}

# Waits for start_background's command. On failure shows the end of its log
# ($2) under a German headline naming it ($1) and returns 1.
wait_background() {
  local what="$1" log="$2" status=0
  wait "$BACKGROUND_PID" || status=$?
  BACKGROUND_PID=
  if [ "$status" != 0 ]; then
    tail -n 60 "$log" >&2
    echo "$what ist fehlgeschlagen (ganzes Protokoll: $log)" >&2
    return 1
  fi
}
