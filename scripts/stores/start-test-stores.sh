#!/usr/bin/env bash
# Installs (when missing) and starts the four test stores on 127.0.0.1:
#   Redis, MariaDB, Milvus (milvus-lite's gRPC server) and Elasticsearch.
# Idempotent: stores that already run and answer are left alone, so a second
# run returns in about a second. Prints one line per store with its URL on
# stdout; progress goes to stderr. See README.md beside this file.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IS_ROOT=0
[[ "$(id -u)" == 0 ]] && IS_ROOT=1

declare -A STATE=()     # store -> running | starting | start
declare -A BG_PID=()    # store -> pid of its background install job
TMP_POLICY_RC=""

on_exit() {
  local s
  for s in "${!BG_PID[@]}"; do
    if kill -0 "${BG_PID[$s]}" 2>/dev/null; then
      pkill -TERM -P "${BG_PID[$s]}" 2>/dev/null || true
      kill -TERM "${BG_PID[$s]}" 2>/dev/null || true
    fi
  done
  if [[ -n "$TMP_POLICY_RC" ]]; then rm -f "$TMP_POLICY_RC"; fi
}
trap on_exit EXIT

# ---- health checks (one quick try each) -------------------------------------
health_redis() {
  [[ "$(redis-cli -h "$STORES_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]
}

mariadb_root() {
  mariadb --no-defaults --protocol=socket --socket="$MARIADB_SOCKET" -uroot \
    --connect-timeout=3 --batch --skip-column-names "$@"
}

health_mariadb() {
  [[ "$(MYSQL_PWD="$MARIADB_PASSWORD" mariadb --no-defaults --protocol=tcp \
        -h "$STORES_HOST" -P "$MARIADB_PORT" -u "$MARIADB_USER" --connect-timeout=3 \
        --batch --skip-column-names -D "$MARIADB_DATABASE" -e 'SELECT 1' 2>/dev/null)" == 1 ]]
}

health_milvus() {
  port_open "$MILVUS_PORT" || return 1
  # Without the virtualenv (cache folder deleted under a running server) a TCP answer must do.
  [[ -x "$MILVUS_VENV/bin/python" ]] || return 0
  "$MILVUS_VENV/bin/python" - "$MILVUS_PORT" >/dev/null 2>&1 <<'PY'
import sys
from pymilvus import MilvusClient
client = MilvusClient(uri=f"http://127.0.0.1:{sys.argv[1]}", timeout=5)
client.list_collections()
client.close()
PY
}

health_elasticsearch() {
  local body
  body="$(curl -fsS --max-time 5 "http://$STORES_HOST:$ES_PORT/_cluster/health" 2>/dev/null)" || return 1
  [[ "$body" == *'"status":"green"'* || "$body" == *'"status":"yellow"'* ]]
}

# ---- installing ---------------------------------------------------------------
dpkg_installed() {
  dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null | grep -qx installed
}

have_cmd() { command -v "$1" >/dev/null 2>&1 || [[ -x "/usr/sbin/$1" ]]; }

python_has_venv() {
  "$STORES_PYTHON" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
    >/dev/null 2>&1
}

# apt_install STORE-LABEL PACKAGE...: installs the packages that are missing.
apt_install() {
  local label="$1"; shift
  local missing=() p sudo=()
  for p in "$@"; do dpkg_installed "$p" || missing+=("$p"); done
  (( ${#missing[@]} )) || return 0
  if (( ! IS_ROOT )); then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo -n); else
      fail "$label" "packages ${missing[*]} are missing and this user cannot run apt-get (not root, no sudo)"
    fi
  fi
  # Keep Debian's maintainer scripts from starting the distribution's own
  # redis/mariadb services on their default ports.
  if (( IS_ROOT )) && [[ ! -e /usr/sbin/policy-rc.d ]]; then
    TMP_POLICY_RC=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\n# temporary, written by bank-rag start-test-stores.sh\nexit 101\n' >"$TMP_POLICY_RC"
    chmod 755 "$TMP_POLICY_RC"
  fi
  mkdir -p "$LOG_DIR"
  info "installing Debian packages: ${missing[*]} (log: $LOG_DIR/apt.log)"
  {
    "${sudo[@]}" apt-get update -q &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  } >>"$LOG_DIR/apt.log" 2>&1 || {
    tail -n 30 "$LOG_DIR/apt.log" >&2
    fail "$label" "apt-get install ${missing[*]} failed (log: $LOG_DIR/apt.log)"
  }
  if [[ -n "$TMP_POLICY_RC" ]]; then rm -f "$TMP_POLICY_RC"; TMP_POLICY_RC=""; fi
}

# Runs a function in the background, its output going to LOG_DIR/STORE-install.log.
bg_job() {
  local store="$1"; shift
  ( "$@" ) >>"$LOG_DIR/$store-install.log" 2>&1 &
  BG_PID[$store]=$!
}

bg_wait() {
  local store="$1" pid="${BG_PID[$1]:-}"
  [[ -n "$pid" ]] || return 0
  unset 'BG_PID[$store]'
  wait "$pid" || fail "$store" "installing failed (log: $LOG_DIR/$store-install.log)"
}

# Milvus: virtualenv with milvus-lite + pymilvus in the cache folder, rebuilt
# when requirements.txt or the Python interpreter changes.
milvus_venv_stamp() {
  local python
  python="$("$STORES_PYTHON" -c 'import sys; print(sys.executable)')"
  cat "$STORES_SCRIPT_DIR/requirements.txt" - <<<"$python $("$python" -V 2>&1)" | sha256sum | cut -c1-64
}

milvus_venv_ready() {
  [[ -x "$MILVUS_VENV/bin/python" && -f "$MILVUS_VENV/.bank-rag-stamp" ]] &&
    [[ "$(cat "$MILVUS_VENV/.bank-rag-stamp")" == "$(milvus_venv_stamp 2>/dev/null)" ]]
}

install_milvus_venv() {
  local python want
  mkdir -p "$STORES_CACHE_DIR"
  exec 8>"$STORES_CACHE_DIR/.milvus-venv.lock"
  flock -w 900 8
  milvus_venv_ready && return 0
  python="$("$STORES_PYTHON" -c 'import sys; print(sys.executable)')"
  want="$(milvus_venv_stamp)"
  echo "==== $(date -Is) building $MILVUS_VENV with $python"
  rm -rf "$MILVUS_VENV"
  "$python" -m venv "$MILVUS_VENV"
  "$MILVUS_VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q \
    -r "$STORES_SCRIPT_DIR/requirements.txt"
  "$MILVUS_VENV/bin/python" -c 'import milvus_lite, pymilvus, milvus_lite.adapter.grpc.server'
  echo "$want" >"$MILVUS_VENV/.bank-rag-stamp"
  echo "==== $(date -Is) venv ready"
}

# Elasticsearch: the integ-test zip from Maven Central, kept in the cache folder.
fetch_es_zip() {
  mkdir -p "$ES_CACHE"
  exec 7>"$ES_CACHE/.fetch.lock"
  flock -w 900 7
  [[ -s "$ES_ZIP" ]] && return 0
  local work="$ES_CACHE/fetch.$$"
  rm -rf "$work"; mkdir -p "$work"
  cp "$STORES_SCRIPT_DIR/es-fetch-pom.xml" "$work/pom.xml"
  echo "==== $(date -Is) fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip"
  (cd "$work" && mvn -B -q -f pom.xml -Dmaven.repo.local="$STORES_CACHE_DIR/m2" \
      -Des.version="$ES_VERSION" -Des.outputDirectory="$work/out" dependency:copy)
  mv "$work/out/elasticsearch-$ES_VERSION.zip" "$ES_ZIP"
  rm -rf "$work" "$STORES_CACHE_DIR/m2/org/elasticsearch/distribution"
  echo "==== $(date -Is) fetched $ES_ZIP"
}

# Newest JDK under /usr/lib/jvm with Java 21 or later (Elasticsearch 9 needs 21+).
find_es_java() {
  if [[ -n "${STORES_ES_JAVA_HOME:-}" ]]; then echo "$STORES_ES_JAVA_HOME"; return 0; fi
  local d v best="" bestv=0
  for d in /usr/lib/jvm/*; do
    [[ -x "$d/bin/java" && -f "$d/release" && ! -L "$d" ]] || continue
    v="$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$d/release")"
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if (( v >= 21 && v > bestv )); then best="$d"; bestv="$v"; fi
  done
  [[ -n "$best" ]] || return 1
  echo "$best"
}

as_es_user() {
  if (( IS_ROOT )); then
    setpriv --reuid="$ES_OS_USER" --regid="$ES_OS_USER" --init-groups -- "$@"
  else
    "$@"
  fi
}

# Elasticsearch refuses to run as root: run it as an unprivileged system user,
# whose files must be reachable. When the state folder sits under a directory
# that user cannot enter (say /root), its Elasticsearch part lives under
# /var/lib/bank-rag-stores instead, linked from the state folder.
prepare_es_dirs() {
  if (( IS_ROOT )); then
    if ! id -u "$ES_OS_USER" >/dev/null 2>&1; then
      info "creating system user $ES_OS_USER for Elasticsearch"
      useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin "$ES_OS_USER"
    fi
    if [[ ! -L "$ES_DIR" ]] && ! as_es_user test -x "$STORES_DIR"; then
      local alt
      alt="/var/lib/bank-rag-stores/$(printf '%s' "$STORES_DIR" | sha256sum | cut -c1-12)/elasticsearch"
      warn "user $ES_OS_USER cannot enter $STORES_DIR; keeping Elasticsearch files in $alt"
      mkdir -p "$alt"
      chmod 755 "$(dirname "$alt")" /var/lib/bank-rag-stores
      if [[ -d "$ES_DIR" ]]; then cp -a "$ES_DIR/." "$alt/" && rm -rf "$ES_DIR"; fi
      ln -sfn "$alt" "$ES_DIR"
    fi
  fi
  # From here on use the real path: the ES user may not be able to pass the link.
  mkdir -p "$ES_DIR"
  ES_DIR="$(readlink -f "$ES_DIR")"; ES_HOME="$ES_DIR/home"; ES_LOG_DIR="$ES_DIR/logs"
  mkdir -p "$ES_DIR"/{config,data,logs,tmp,run}
  if [[ ! -f "$ES_HOME/.bank-rag-version" || "$(cat "$ES_HOME/.bank-rag-version")" != "$ES_VERSION" ]]; then
    info "unpacking Elasticsearch $ES_VERSION into $ES_HOME"
    rm -rf "$ES_HOME" "$ES_DIR/home.tmp"
    mkdir -p "$ES_DIR/home.tmp"
    unzip -q "$ES_ZIP" -d "$ES_DIR/home.tmp"
    mv "$ES_DIR/home.tmp/elasticsearch-$ES_VERSION" "$ES_HOME"
    rm -rf "$ES_DIR/home.tmp"
    chmod -R a+rX "$ES_HOME"
    echo "$ES_VERSION" >"$ES_HOME/.bank-rag-version"
  fi
  if [[ -f "$ES_DIR/data-version" && "$(cat "$ES_DIR/data-version")" != "$ES_VERSION" ]]; then
    warn "Elasticsearch version changed to $ES_VERSION: wiping the old test data in $ES_DIR/data"
    rm -rf "$ES_DIR/data"; mkdir -p "$ES_DIR/data"
  fi
  echo "$ES_VERSION" >"$ES_DIR/data-version"

  # Config: the distribution's files, with logs redirected into the state folder.
  cp -r "$ES_HOME/config/." "$ES_DIR/config/"
  sed -i \
    -e "s#^\(\([0-9-]*:\)\{0,1\}\)-Xlog:gc.*#\1-Xlog:gc*:file=$ES_LOG_DIR/gc.log:utctime,level,pid,tags:filecount=2,filesize=16m#" \
    -e "s#^-XX:ErrorFile=.*#-XX:ErrorFile=$ES_LOG_DIR/hs_err_pid%p.log#" \
    -e '/HeapDumpOnOutOfMemoryError/d' \
    "$ES_DIR/config/jvm.options"
  {
    echo "# Written by scripts/stores/start-test-stores.sh on every start; edits are lost."
    echo "cluster.name: $ES_CLUSTER_NAME"
    echo "node.name: $ES_CLUSTER_NAME"
    echo "path.data: $ES_DIR/data"
    echo "path.logs: $ES_LOG_DIR"
    echo "network.host: $STORES_HOST"
    echo "http.port: $ES_PORT"
    echo "transport.port: $ES_TRANSPORT_PORT"
    echo "discovery.type: single-node"
    echo "cluster.routing.allocation.disk.threshold_enabled: false"
    echo "action.destructive_requires_name: false"
    if [[ -d "$ES_HOME/modules/x-pack-security" ]]; then
      echo "xpack.security.enabled: false"
    fi
  } >"$ES_DIR/config/elasticsearch.yml"
  if (( IS_ROOT )); then
    chown -R "$ES_OS_USER:$ES_OS_USER" "$ES_DIR"/{config,data,logs,tmp,run}
  fi
  as_es_user test -r "$ES_HOME/bin/elasticsearch" ||
    fail elasticsearch "user $ES_OS_USER cannot read $ES_HOME"
}

# ---- launching ----------------------------------------------------------------
# launch STORE LOGFILE COMMAND...: start detached (own session), record the pid.
launch() {
  local store="$1" log="$2"; shift 2
  printf '==== %s starting %s\n' "$(date -Is)" "$store" >>"$log"
  # Close the lock descriptors: a server that inherited them would hold the locks forever.
  setsid nohup "$@" >>"$log" 2>&1 </dev/null 7>&- 8>&- 9>&- &
  echo $! >"$(pid_file "$store")"
}

check_port_free() {
  local store="$1" port="$2" var="$3"
  if port_open "$port"; then
    FAIL_NO_LOGS=1 fail "$store" "port $port on $STORES_HOST is taken by a program this script did not start; stop it or set $var to a free port"
  fi
}

start_redis() {
  check_port_free redis "$REDIS_PORT" STORES_REDIS_PORT
  mkdir -p "$REDIS_DIR"
  launch redis "$LOG_DIR/redis.log" redis-server \
    --port "$REDIS_PORT" --bind "$STORES_HOST" --protected-mode yes \
    --daemonize no --dir "$REDIS_DIR" --save '' --appendonly no --logfile ''
}

start_mariadb() {
  check_port_free mariadb "$MARIADB_PORT" STORES_MARIADB_PORT
  local user_opt=()
  (( IS_ROOT )) && user_opt=(--user=root)
  mkdir -p "$MARIADB_DIR/tmp"
  if [[ ! -f "$MARIADB_DIR/.initialized" ]]; then
    info "initializing a MariaDB data directory in $MARIADB_DIR/data"
    rm -rf "$MARIADB_DIR/data"
    mkdir -p "$MARIADB_DIR/data"
    mariadb-install-db --no-defaults "${user_opt[@]}" --datadir="$MARIADB_DIR/data" \
      --auth-root-authentication-method=normal --skip-test-db \
      >>"$LOG_DIR/mariadb.log" 2>&1 || fail mariadb "mariadb-install-db failed"
    touch "$MARIADB_DIR/.initialized"
  fi
  rm -f "$MARIADB_SOCKET"
  launch mariadb "$LOG_DIR/mariadb.log" "$(command -v mariadbd || echo /usr/sbin/mariadbd)" \
    --no-defaults "${user_opt[@]}" \
    --datadir="$MARIADB_DIR/data" --tmpdir="$MARIADB_DIR/tmp" \
    --port="$MARIADB_PORT" --bind-address="$STORES_HOST" --socket="$MARIADB_SOCKET" \
    --pid-file="$MARIADB_DIR/mariadbd.pid" --log-error="$LOG_DIR/mariadb.log" \
    --skip-name-resolve --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=256M --innodb-flush-log-at-trx-commit=2 --max-connections=300
}

# The test database and user; rerun after every start (all statements idempotent).
bootstrap_mariadb() {
  local deadline=$((SECONDS + 60)) u p db db_pat
  until mariadb_root -e 'SELECT 1' >/dev/null 2>&1; do
    pid_of mariadb >/dev/null || fail mariadb "mariadbd exited during start-up"
    (( SECONDS < deadline )) || fail mariadb "no answer on $MARIADB_SOCKET after 60s"
    sleep 0.3
  done
  u="${MARIADB_USER//\'/\'\'}"; p="${MARIADB_PASSWORD//\'/\'\'}"
  db="$MARIADB_DATABASE"; db_pat="${MARIADB_DATABASE//_/\\_}"
  mariadb_root >>"$LOG_DIR/mariadb.log" 2>&1 <<SQL || fail mariadb "creating database $db and user $u failed"
CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS '$u'@'%' IDENTIFIED BY '$p';
CREATE USER IF NOT EXISTS '$u'@'localhost' IDENTIFIED BY '$p';
ALTER USER '$u'@'%' IDENTIFIED BY '$p';
ALTER USER '$u'@'localhost' IDENTIFIED BY '$p';
GRANT ALL PRIVILEGES ON \`$db_pat\`.* TO '$u'@'%';
GRANT ALL PRIVILEGES ON \`$db_pat\\_%\`.* TO '$u'@'%';
GRANT ALL PRIVILEGES ON \`$db_pat\`.* TO '$u'@'localhost';
GRANT ALL PRIVILEGES ON \`$db_pat\\_%\`.* TO '$u'@'localhost';
FLUSH PRIVILEGES;
SQL
}

start_milvus() {
  check_port_free milvus "$MILVUS_PORT" STORES_MILVUS_PORT
  mkdir -p "$MILVUS_DIR/data"
  launch milvus "$LOG_DIR/milvus.log" \
    env PYTHONUNBUFFERED=1 "$MILVUS_VENV/bin/python" "$STORES_SCRIPT_DIR/milvus_server.py" \
    --data-dir "$MILVUS_DIR/data" --host "$STORES_HOST" --port "$MILVUS_PORT"
}

start_elasticsearch() {
  check_port_free elasticsearch "$ES_PORT" STORES_ES_PORT
  check_port_free elasticsearch "$ES_TRANSPORT_PORT" STORES_ES_TRANSPORT_PORT
  local java_home
  java_home="$(find_es_java)" ||
    fail elasticsearch "no JDK 21+ under /usr/lib/jvm; install one or set STORES_ES_JAVA_HOME"
  prepare_es_dirs
  rm -f "$ES_DIR/run/elasticsearch.pid"
  local run_as="$ES_OS_USER"
  (( IS_ROOT )) || run_as="$(id -un)"
  info "starting Elasticsearch $ES_VERSION with $java_home as user $run_as"
  : >>"$LOG_DIR/elasticsearch-console.log"
  local setpriv_cmd=()
  (( IS_ROOT )) && setpriv_cmd=(setpriv --reuid="$ES_OS_USER" --regid="$ES_OS_USER" --init-groups --)
  launch elasticsearch "$LOG_DIR/elasticsearch-console.log" \
    env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 HOME="$ES_DIR/tmp" \
      ES_JAVA_HOME="$java_home" ES_PATH_CONF="$ES_DIR/config" ES_TMPDIR="$ES_DIR/tmp" \
      ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
      "${setpriv_cmd[@]}" "$ES_HOME/bin/elasticsearch" -p "$ES_DIR/run/elasticsearch.pid"
}


# ---- main ---------------------------------------------------------------------
main() {
  local t0=$SECONDS s
  mkdir -p "$STORES_DIR" "$RUN_DIR" "$LOG_DIR"
  [[ -f "$STORES_DIR/.gitignore" ]] || printf '# test-store state, see scripts/stores/README.md\n*\n' >"$STORES_DIR/.gitignore"
  take_state_lock

  # 1. What already runs?
  for s in "${STORES[@]}"; do
    if pid_of "$s" >/dev/null; then
      if "health_$s"; then STATE[$s]=running; else STATE[$s]=starting; fi
    else
      rm -f "$(pid_file "$s")"
      STATE[$s]=start
    fi
  done

  # Ports of the stores to start must be free before anything is started.
  if [[ ${STATE[redis]} == start ]]; then check_port_free redis "$REDIS_PORT" STORES_REDIS_PORT; fi
  if [[ ${STATE[mariadb]} == start ]]; then check_port_free mariadb "$MARIADB_PORT" STORES_MARIADB_PORT; fi
  if [[ ${STATE[milvus]} == start ]]; then check_port_free milvus "$MILVUS_PORT" STORES_MILVUS_PORT; fi
  if [[ ${STATE[elasticsearch]} == start ]]; then
    check_port_free elasticsearch "$ES_PORT" STORES_ES_PORT
    check_port_free elasticsearch "$ES_TRANSPORT_PORT" STORES_ES_TRANSPORT_PORT
  fi

  # 2. Install what the stores to start need; the slow downloads run in the background.
  local pkgs=()
  have_cmd curl || pkgs+=(curl)
  if [[ ${STATE[milvus]} == start ]]; then
    if milvus_venv_ready; then :
    elif python_has_venv; then bg_job milvus install_milvus_venv
    elif [[ "$STORES_PYTHON" == python3 ]]; then pkgs+=(python3 python3-venv)
    else fail milvus "$STORES_PYTHON is missing, older than 3.10, or lacks venv"; fi
  fi
  if [[ ${STATE[elasticsearch]} == start ]]; then
    have_cmd unzip || pkgs+=(unzip)
    if [[ ! -s "$ES_ZIP" ]]; then
      if have_cmd mvn; then bg_job elasticsearch fetch_es_zip; else pkgs+=(maven); fi
    fi
  fi
  local apt_for=()
  if [[ ${STATE[redis]} == start ]] && ! { have_cmd redis-server && have_cmd redis-cli; }; then
    pkgs+=(redis-server redis-tools); apt_for+=(redis)
  fi
  if [[ ${STATE[mariadb]} == start ]] && ! { have_cmd mariadbd && have_cmd mariadb-install-db && have_cmd mariadb; }; then
    pkgs+=(mariadb-server mariadb-client); apt_for+=(mariadb)
  fi
  if (( ${#pkgs[@]} )); then
    (( ${#apt_for[@]} )) || apt_for=(packages)
    local label="${apt_for[*]}"
    apt_install "${label// //}" "${pkgs[@]}"
  fi
  if [[ ${STATE[milvus]} == start && -z "${BG_PID[milvus]:-}" ]] && ! milvus_venv_ready; then
    python_has_venv || fail milvus "$STORES_PYTHON still lacks venv after installing python3-venv"
    bg_job milvus install_milvus_venv
  fi
  if [[ ${STATE[elasticsearch]} == start && ! -s "$ES_ZIP" && -z "${BG_PID[elasticsearch]:-}" ]]; then
    bg_job elasticsearch fetch_es_zip
  fi

  # 3. Start: the quick ones first, then each slow one as soon as it is installed.
  if [[ ${STATE[redis]} == start ]]; then info "starting Redis on port $REDIS_PORT"; start_redis; fi
  if [[ ${STATE[mariadb]} == start ]]; then info "starting MariaDB on port $MARIADB_PORT"; start_mariadb; fi
  if [[ ${STATE[elasticsearch]} == start ]]; then
    if [[ -n "${BG_PID[elasticsearch]:-}" ]]; then info "waiting for the Elasticsearch $ES_VERSION download"; fi
    bg_wait elasticsearch
    start_elasticsearch
  fi
  if [[ ${STATE[milvus]} == start ]]; then
    if [[ -n "${BG_PID[milvus]:-}" ]]; then info "waiting for the Milvus virtualenv in $MILVUS_VENV"; fi
    bg_wait milvus
    info "starting Milvus (milvus-lite) on port $MILVUS_PORT"
    start_milvus
  fi

  # 4. Wait until every store answers.
  [[ ${STATE[redis]} == running ]] || wait_healthy redis "${STORES_START_TIMEOUT:-60}"
  if [[ ${STATE[mariadb]} != running ]]; then bootstrap_mariadb; fi
  [[ ${STATE[mariadb]} == running ]] || wait_healthy mariadb "${STORES_START_TIMEOUT:-60}"
  [[ ${STATE[milvus]} == running ]] || wait_healthy milvus "${STORES_START_TIMEOUT:-90}"
  [[ ${STATE[elasticsearch]} == running ]] || wait_healthy elasticsearch "${STORES_ES_START_TIMEOUT:-240}"

  # 5. Report.
  {
    for s in "${STORES[@]}"; do
      printf 'STORES_%s_URL=%s\n' "$(tr '[:lower:]' '[:upper:]' <<<"$s")" "$(store_url "$s")"
    done
  } >"$STORES_DIR/urls.env"
  for s in "${STORES[@]}"; do
    local how="started"
    [[ ${STATE[$s]} == running ]] && how="already running"
    printf '%-14s %-45s (%s, pid %s)\n' "$s" "$(store_url "$s")" "$how" "$(pid_of "$s")"
  done
  info "all four stores are up ($((SECONDS - t0))s); logs in $LOG_DIR; stop with scripts/stores/stop-test-stores.sh"
}

main "$@"
