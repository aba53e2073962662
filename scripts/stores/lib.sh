# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this
# Shared settings and helpers for start-test-stores.sh and stop-test-stores.sh.
# Sourced, never run. See README.md in this folder for the settings.

STORES_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_ROOT="$(cd "$STORES_SCRIPT_DIR/../.." && pwd)"

umask 022

source "$(dirname "${BASH_SOURCE[0]}")/../lib/local-servers.sh"
SERVERS_LABEL=stores


# ---- settings (all overridable from the environment) -----------------------
STORES_DIR="$(abspath "${STORES_DIR:-$PROJECT_ROOT/.stores}")"
STORES_CACHE_DIR="$(abspath "${STORES_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bank-rag-stores}")"
STORES_HOST=127.0.0.1
SERVERS_HOST="$STORES_HOST"
SERVERS_STATE_DIR="$STORES_DIR"

REDIS_PORT="${STORES_REDIS_PORT:-6390}"
MARIADB_PORT="${STORES_MARIADB_PORT:-3307}"
MILVUS_PORT="${STORES_MILVUS_PORT:-19531}"
ES_PORT="${STORES_ES_PORT:-9201}"
ES_TRANSPORT_PORT="${STORES_ES_TRANSPORT_PORT:-9301}"

MARIADB_DATABASE="${STORES_MARIADB_DATABASE:-rag_test}"
MARIADB_USER="${STORES_MARIADB_USER:-rag}"
MARIADB_PASSWORD="${STORES_MARIADB_PASSWORD:-rag}"

ES_VERSION="${STORES_ES_VERSION:-9.2.0}"
ES_HEAP="${STORES_ES_HEAP:-512m}"
ES_OS_USER="${STORES_ES_USER:-rag-es}"   # used only when the script runs as root
STORES_PYTHON="${STORES_PYTHON:-python3}"

RUN_DIR="$STORES_DIR/run"
LOG_DIR="$STORES_DIR/logs"
REDIS_DIR="$STORES_DIR/redis"
MARIADB_DIR="$STORES_DIR/mariadb"
MILVUS_DIR="$STORES_DIR/milvus"
ES_DIR="$STORES_DIR/elasticsearch"     # may be a symlink, see es_resolve_dir
ES_HOME="$ES_DIR/home"
ES_LOG_DIR="$ES_DIR/logs"
ES_CLUSTER_NAME="bank-rag-test"

MILVUS_VENV="$STORES_CACHE_DIR/milvus-venv"
ES_CACHE="$STORES_CACHE_DIR/elasticsearch"
ES_ZIP="$ES_CACHE/elasticsearch-$ES_VERSION.zip"

STORES=(redis mariadb milvus elasticsearch)

# Unix socket paths are limited to 107 bytes: fall back to /tmp for deep checkouts.
MARIADB_SOCKET="$MARIADB_DIR/mariadb.sock"
if (( ${#MARIADB_SOCKET} > 100 )); then
  MARIADB_SOCKET="/tmp/bank-rag-mariadb-$(printf '%s' "$STORES_DIR" | sha256sum | cut -c1-12).sock"
fi


# store_logs NAME: the log files worth showing when NAME fails.
store_logs() {
  case "$1" in
    redis) echo "$LOG_DIR/redis.log" ;;
    mariadb) echo "$LOG_DIR/mariadb.log" ;;
    milvus) echo "$LOG_DIR/milvus-install.log $LOG_DIR/milvus.log" ;;
    elasticsearch)
      echo "$LOG_DIR/elasticsearch-install.log $LOG_DIR/elasticsearch-console.log $ES_LOG_DIR/$ES_CLUSTER_NAME.log" ;;
    *) echo "$LOG_DIR/$1.log" ;;
  esac
}

# fail STORE MESSAGE: print the tail of the store's logs and exit non-zero.
# With FAIL_NO_LOGS=1 (checks made before anything started) the logs are skipped.
fail() {
  local store="$1"; shift
  local f logs
  printf '\n[stores] ERROR: %s: %s\n' "$store" "$*" >&2
  logs="$(store_logs "$store")"
  [[ "${FAIL_NO_LOGS:-0}" == 1 ]] && logs=""
  for f in $logs; do
    if [[ -s "$f" ]]; then
      printf '[stores] ---- last lines of %s ----\n' "$f" >&2
      tail -n 40 "$f" >&2 || true
    fi
  done
  printf '[stores] FAILED: %s (%s)\n' "$store" "$*" >&2
  exit 1
}

# ---- processes -------------------------------------------------------------
# What /proc/PID/cmdline must contain for a pid file to be trusted (guards
# against a recycled pid).
server_marker() {
  case "$1" in
    redis) echo "redis-server" ;;
    mariadb) echo "mariadbd" ;;
    milvus) echo "milvus_server.py" ;;
    elasticsearch) echo "elasticsearch" ;;
  esac
}




store_url() {
  case "$1" in
    redis) echo "redis://$STORES_HOST:$REDIS_PORT" ;;
    mariadb) echo "mysql://$MARIADB_USER:$MARIADB_PASSWORD@$STORES_HOST:$MARIADB_PORT/$MARIADB_DATABASE" ;;
    milvus) echo "http://$STORES_HOST:$MILVUS_PORT" ;;
    elasticsearch) echo "http://$STORES_HOST:$ES_PORT" ;;
  esac
}

store_port() {
  case "$1" in
    redis) echo "$REDIS_PORT" ;;
    mariadb) echo "$MARIADB_PORT" ;;
    milvus) echo "$MILVUS_PORT" ;;
    elasticsearch) echo "$ES_PORT" ;;
  esac
}

