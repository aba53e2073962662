#!/usr/bin/env bash
# Stops the model servers started by start-model-servers.sh, by their pid files.
# Safe to run when nothing runs. The cache folder (virtualenv, model file, node-llama-cpp) stays.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [[ ! -d "$RUN_DIR" ]]; then
  info "nothing to stop: no state folder at $MODELS_DIR"
  exit 0
fi
take_state_lock

declare -A PIDS=()

# 1. Ask every running server to stop (SIGTERM: both shut down at once on it).
for s in "${SERVERS[@]}"; do
  if pid="$(pid_of "$s")"; then
    PIDS[$s]="$pid"
    info "stopping $s (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
  else
    if [[ -f "$(pid_file "$s")" ]]; then info "$s: not running (removing stale pid file)"; else info "$s: not running"; fi
    rm -f "$(pid_file "$s")"
  fi
done

# 2. Wait for each; kill what does not stop in time.
status=0
for s in "${SERVERS[@]}"; do
  [[ -n "${PIDS[$s]:-}" ]] || continue
  pid="${PIDS[$s]}"
  deadline=$((SECONDS + 20))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      warn "$s (pid $pid) did not stop within 20s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      if kill -0 "$pid" 2>/dev/null; then
        printf '[models] ERROR: %s: pid %s survived SIGKILL\n' "$s" "$pid" >&2
        status=1
      fi
      break
    fi
    sleep 0.2
  done
  rm -f "$(pid_file "$s")"
  info "$s stopped"
done
exit "$status"
