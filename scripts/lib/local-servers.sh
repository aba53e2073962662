# shellcheck shell=bash
# Helpers shared by the scripts that start servers for the tests (scripts/stores, scripts/models).
# The sourcing script sets, before calling them:
#   SERVERS_LABEL      prefix of messages, e.g. "stores"
#   SERVERS_HOST       the loopback address servers bind to
#   SERVERS_STATE_DIR  the state folder; RUN_DIR (pid files, lock) lies inside it
#   server_marker NAME what /proc/PID/cmdline must contain for NAME's pid file to be trusted
#   health_NAME        a function per server, true when it answers
#   fail NAME MESSAGE  reports a failure of NAME (with its logs) and exits
source "$(dirname "${BASH_SOURCE[0]}")/admin-path.sh"

abspath() {
  case "$1" in
    /*) printf '%s\n' "$1" ;;
    *) printf '%s/%s\n' "$PWD" "$1" ;;
  esac
}

info() { printf '[%s] %s\n' "$SERVERS_LABEL" "$*" >&2; }
warn() { printf '[%s] WARNING: %s\n' "$SERVERS_LABEL" "$*" >&2; }

pid_file() { echo "$RUN_DIR/$1.pid"; }

# pid_of NAME: print the pid if the pid file names a live process of that server (not a recycled pid).
pid_of() {
  local f pid marker
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  marker="$(server_marker "$1")"
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  echo "$pid"
}

# port_open PORT: true when something accepts connections on SERVERS_HOST:PORT.
port_open() {
  (exec 3<>"/dev/tcp/$SERVERS_HOST/$1") 2>/dev/null
}

# take_state_lock: one start/stop at a time per state folder.
take_state_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/.lock"
  if flock -n 9; then return 0; fi
  info "waiting for another start/stop of $SERVERS_STATE_DIR to finish"
  if ! flock -w 900 9; then
    printf '[%s] ERROR: another start/stop of %s did not finish in 15 minutes\n' "$SERVERS_LABEL" "$SERVERS_STATE_DIR" >&2
    exit 1
  fi
}

# wait_healthy NAME TIMEOUT-SECONDS [POLL-SECONDS]
wait_healthy() {
  local name="$1" timeout="$2" poll="${3:-0.3}" deadline
  deadline=$((SECONDS + timeout))
  until "health_$name"; do
    pid_of "$name" >/dev/null || fail "$name" "the server process exited during start-up"
    (( SECONDS < deadline )) || fail "$name" "not healthy after ${timeout}s"
    sleep "$poll"
  done
}
