#!/usr/bin/env bash
# Stops the test stores started by start-test-stores.sh, by their pid files.
# Safe to run when nothing runs. Data stays in the state folder (.stores by
# default); delete that folder to start from scratch next time.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ! -d "$RUN_DIR" ]]; then
  info "nothing to stop: no state folder at $STORES_DIR"
  exit 0
fi
take_state_lock

declare -A PIDS=()

# The pids to signal for a store: its recorded pid, and for Elasticsearch also
# the server process (the recorded one is its command-line launcher).
store_pids() {
  local store="$1" pid es_pid_file es_pid
  pid="$(pid_of "$store")" || return 1
  if [[ "$store" == elasticsearch ]]; then
    es_pid_file="$(readlink -f "$ES_DIR" 2>/dev/null || echo "$ES_DIR")/run/elasticsearch.pid"
    es_pid="$(tr -dc '0-9' <"$es_pid_file" 2>/dev/null || true)"
    if [[ -n "$es_pid" ]] && kill -0 "$es_pid" 2>/dev/null &&
       tr '\0' ' ' <"/proc/$es_pid/cmdline" 2>/dev/null | grep -qF org.elasticsearch; then
      echo "$es_pid"
    fi
  fi
  echo "$pid"
}

stop_timeout() {
  case "$1" in
    mariadb|elasticsearch) echo 60 ;;
    *) echo 20 ;;
  esac
}

# 1. Ask every running store to stop (SIGTERM: each shuts down cleanly on it).
for s in "${STORES[@]}"; do
  if pids="$(store_pids "$s")"; then
    PIDS[$s]="$(tr '\n' ' ' <<<"$pids")"
    info "stopping $s (pid ${PIDS[$s]% })"
    # shellcheck disable=SC2086
    kill -TERM ${PIDS[$s]} 2>/dev/null || true
  else
    if [[ -f "$(pid_file "$s")" ]]; then info "$s: not running (removing stale pid file)"; else info "$s: not running"; fi
    rm -f "$(pid_file "$s")"
  fi
done

# 2. Wait for each; kill what does not stop in time.
status=0
for s in "${STORES[@]}"; do
  [[ -n "${PIDS[$s]:-}" ]] || continue
  deadline=$((SECONDS + $(stop_timeout "$s")))
  for pid in ${PIDS[$s]}; do
    while kill -0 "$pid" 2>/dev/null; do
      if (( SECONDS >= deadline )); then
        warn "$s (pid $pid) did not stop within $(stop_timeout "$s")s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
        if kill -0 "$pid" 2>/dev/null; then
          printf '[stores] ERROR: %s: pid %s survived SIGKILL\n' "$s" "$pid" >&2
          status=1
        fi
        break
      fi
      sleep 0.2
    done
  done
  rm -f "$(pid_file "$s")"
  info "$s stopped"
done
exit "$status"
