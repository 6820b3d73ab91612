#!/usr/bin/env bash
# A throwaway Dovecot IMAP server on 127.0.0.1 for the mail import tests.
#   scripts/imap-server.sh start DIR   DIR: an empty directory of the caller
#   scripts/imap-server.sh stop DIR
# start keeps everything (config, TLS files, mail, logs, sockets) in DIR,
# never touches /etc/dovecot or the system service, and writes DIR/env:
#   IMAP_PORT=   plain IMAP, plaintext login allowed (STARTTLS is offered too)
#   IMAPS_PORT=  implicit TLS, certificate for localhost and 127.0.0.1
#   IMAP_CA=     DIR/tls/ca.pem, the test CA the client must trust
#   IMAP_PID=    the Dovecot master
# Users: poststelle / Brief-2026!  and  bauamt / Antrag-2026!
source "$(dirname "$0")/lib.sh"

usage() {
  echo "Aufruf: $0 start|stop VERZEICHNIS" >&2
  echo "  startet oder beendet einen Wegwerf-Dovecot (IMAP und IMAPS auf 127.0.0.1) in" >&2
  echo "  VERZEICHNIS; start schreibt VERZEICHNIS/env (IMAP_PORT, IMAPS_PORT, IMAP_CA, IMAP_PID)" >&2
  exit 2
}

[ $# -eq 2 ] || usage
[ -d "$2" ] || { echo "Verzeichnis $2 gibt es nicht" >&2; exit 2; }
DIR="$(cd "$2" && pwd)"
CONF="$DIR/dovecot.conf"

# Dovecot runs entirely as one unprivileged user, with no chroot and no
# setuid: as the developer on their machine, and as the package's "dovecot"
# user when we are root, because its login and mail processes refuse root.
# Same configuration either way; as root, start hands DIR over to that user.
if [ "$(id -u)" = 0 ]; then RUN_AS=dovecot; else RUN_AS="$(id -un)"; fi

fail() {
  echo "$1" >&2
  tail -n 30 "$DIR/start.log" "$DIR/dovecot.log" >&2 2>/dev/null || true
  exit 1
}

# Two distinct ports free right now. Someone may still take one before
# Dovecot binds it; start then tries again.
free_ports() {
  python3 -c 'import socket; s = [socket.socket(), socket.socket()]
[x.bind(("127.0.0.1", 0)) for x in s]; print(*(x.getsockname()[1] for x in s))'
}

# A CA and a leaf rather than one self-signed certificate: rustls/webpki
# rejects a CA certificate as the server's own (CaUsedAsEndEntity).
write_tls() {
  local t="$DIR/tls" ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  mkdir -p "$t"
  openssl req -x509 "${ec[@]}" -days 30 -subj "/CN=Aktenwerk Test-CA" \
    -keyout "$t/ca.key" -out "$t/ca.pem" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -new "${ec[@]}" -subj "/CN=localhost" -keyout "$t/server.key" -out "$t/server.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" >"$t/server.ext"
  openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" -CAcreateserial \
    -days 30 -extfile "$t/server.ext" -out "$t/server.pem" 2>/dev/null
}

write_conf() {
  local uid gid
  uid="$(id -u "$RUN_AS")" gid="$(id -g "$RUN_AS")"
  cat >"$CONF" <<EOF
protocols = imap
listen = 127.0.0.1
base_dir = $DIR/run
state_dir = $DIR/state
log_path = $DIR/dovecot.log
default_internal_user = $RUN_AS
default_internal_group = $(id -gn "$RUN_AS")
default_login_user = $RUN_AS
first_valid_uid = $uid
first_valid_gid = $gid
mail_uid = $uid
mail_gid = $gid
mail_location = maildir:$DIR/mail/%u
disable_plaintext_auth = no
auth_mechanisms = plain login
ssl = yes
ssl_cert = <$DIR/tls/server.pem
ssl_key = <$DIR/tls/server.key
passdb {
  driver = passwd-file
  args = $DIR/users
}
userdb {
  driver = static
  args = home=$DIR/mail/%u
}
namespace inbox {
  inbox = yes
  mailbox INBOX {
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    port = $1
  }
  inet_listener imaps {
    port = $2
    ssl = yes
  }
}
EOF
  # An unprivileged master cannot chroot; these services would by default.
  for s in imap-login anvil ipc old-stats aggregator director imap-urlauth-login; do
    printf 'service %s {\n  chroot =\n}\n' "$s" >>"$CONF"
  done
}

# Ready means the greeting arrives, not just an accepted connection: the
# master holds the listening sockets even while imap-login keeps failing.
# The IMAPS check verifies the certificate the way the tests will.
imap_ready() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1" && read -r -t 2 line <&3 && [[ $line == "* OK"* ]]) 2>/dev/null
}
imaps_ready() {
  local out
  out="$(printf 'a LOGOUT\r\n' | timeout 3 openssl s_client -quiet -connect "127.0.0.1:$1" \
    -CAfile "$DIR/tls/ca.pem" -verify_return_error -verify_hostname localhost 2>/dev/null)" || true
  [[ $out == "* OK"* ]]
}

start() {
  [ ! -e "$CONF" ] || { echo "In $DIR lief schon ein Dovecot; bitte ein neues Verzeichnis nehmen" >&2; exit 1; }
  apt_install dovecot-core dovecot-imapd openssl python3 procps
  say "Test-IMAP-Server in $DIR starten"
  umask 077
  mkdir -p "$DIR/mail"
  printf '%s\n' 'poststelle:{PLAIN}Brief-2026!' 'bauamt:{PLAIN}Antrag-2026!' >"$DIR/users"
  write_tls
  local imap imaps try deadline run=()
  for try in 1 2 3 4 5; do
    read -r imap imaps < <(free_ports)
    write_conf "$imap" "$imaps"
    if [ "$(id -u)" = 0 ]; then
      chown -R "$RUN_AS:" "$DIR"
      run=(runuser -u "$RUN_AS" --)
    fi
    # The master binds before it detaches, so a port taken in the meantime
    # shows up here as a failed start.
    if "${run[@]}" dovecot -c "$CONF" >>"$DIR/start.log" 2>&1; then break; fi
    grep -q "Address already in use" "$DIR/start.log" || fail "Dovecot ist nicht gestartet"
    [ "$try" = 5 ] && fail "Keine freien Ports für Dovecot gefunden"
  done
  deadline=$((SECONDS + 10))
  until imap_ready "$imap" && imaps_ready "$imaps" && [ -s "$DIR/run/master.pid" ]; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      (stop) >/dev/null 2>&1 || true
      fail "Dovecot nimmt nach 10 s keine Verbindungen an"
    fi
    sleep 0.1
  done
  printf '%s\n' "IMAP_PORT=$imap" "IMAPS_PORT=$imaps" "IMAP_CA=$DIR/tls/ca.pem" \
    "IMAP_PID=$(cat "$DIR/run/master.pid")" | tee "$DIR/env"
}

stop() {
  local master pids p i
  # The pid file outlives a crashed master; its number may be someone else's.
  master="$(cat "$DIR/run/master.pid" 2>/dev/null || true)"
  if [ -z "$master" ] || [[ "$(ps -o args= -p "$master")" != *"$CONF"* ]]; then
    say "In $DIR läuft kein Dovecot"
    return 0
  fi
  # Its children (log, auth, imap, ...) can outlive the master by a moment;
  # wait for them too, so that the caller can delete DIR right away. Zombies
  # count as gone: they hold nothing, and reaping them is up to init.
  pids="$master $(pgrep -P "$master" || true)"
  say "Test-IMAP-Server in $DIR beenden"
  kill "$master" 2>/dev/null || true
  for i in $(seq 100); do
    for p in $pids; do
      if [[ "$(ps -o stat= -p "$p")" == [^Z]* ]]; then sleep 0.1; continue 2; fi
    done
    return 0
  done
  # shellcheck disable=SC2086
  kill -9 $pids 2>/dev/null || true
  fail "Dovecot in $DIR wollte nach 10 s nicht enden und wurde hart beendet"
}

case "$1" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
